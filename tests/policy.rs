//! Who may help whom, through the real broker on loopback: a policy file's roles, scopes,
//! tenant settings and rules decide what a helper may do; a reload takes control away from
//! a live session within seconds, and the sharer's agent stops injecting.

#[cfg(unix)]
use std::io::Write;
#[cfg(unix)]
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use glass::agent::help::{AgentEvent, LocalAction};
use glass::engine::input::recording::Recorded;
use glass::engine::input::{Button, Point};
use glass::transport::testing::ViewerEvent;
use glass_broker::BrokerConfig;
use glass_protocol::{
    Client, ClientMessage, DeviceWarning, EndReason, ErrorCode, Level, ServerMessage,
};
use glass_session::policy::Policy;

use crate::help_harness::*;
use crate::input::{Sender, button};

/// Local accounts are tenant `local`. ada is in `helpdesk`, sam in `staff`, eve in nothing.
const POLICY: &str = r#"
version = 1

[tenants.local]
allow_unenrolled_devices = true

[[tenants.local.roles]]
name = "tier1"
permissions = ["offer_help", "view_screen"]

# ada: the help desk, for staff only, view and full control.
[[tenants.local.assignments]]
role = "helpdesk_operator"
groups = ["helpdesk"]
scope = ["staff"]

# eve: view only, anyone.
[[tenants.local.assignments]]
role = "tier1"
users = ["local:eve"]
scope = ["*"]
"#;

fn broker_with(policy: &str) -> TestBroker {
    TestBroker::start(BrokerConfig {
        policy: Arc::new(Policy::parse(policy, "policy.toml").unwrap()),
        ..BrokerConfig::default()
    })
}

/// What the helper `helper` gets when asking sharer `sharer` (a raw agent-like client) for
/// `level`: `"asked"` (the sharer's prompt opened), or the refusal's error code and message.
async fn ask(base: &str, helper: &str, sharer: &str, level: Level) -> String {
    let mut h = Ws::connect(base, &login(base, helper).await).await;
    h.send(ClientMessage::CreateCode).await;
    let code = match h.next(Duration::from_secs(3)).await {
        ServerMessage::Code { code, .. } => code,
        ServerMessage::Error { code, message } => return format!("code: {code:?}: {message}"),
        other => panic!("{other:?}"),
    };
    let mut s = Ws::connect(base, &login(base, sharer).await).await;
    s.send(ClientMessage::Redeem {
        code,
        client: Client::Agent,
        device: None,
    })
    .await;
    match s.next(Duration::from_secs(3)).await {
        ServerMessage::Joined { .. } => {}
        ServerMessage::Error { code, message } => return format!("join: {code:?}: {message}"),
        other => panic!("{other:?}"),
    }
    match h.next(Duration::from_secs(3)).await {
        ServerMessage::SharerJoined { .. } => {}
        other => panic!("{other:?}"),
    }
    h.send(ClientMessage::Request { level }).await;
    tokio::select! {
        m = s.until(Duration::from_secs(3), |m| matches!(m, ServerMessage::ConsentRequest { .. })) => {
            let _ = m;
            "asked".to_owned()
        }
        m = h.until(Duration::from_secs(3), |m| matches!(m, ServerMessage::Error { .. })) => match m {
            ServerMessage::Error { code, message } => format!("request: {code:?}: {message}"),
            _ => unreachable!(),
        },
    }
}

#[test]
fn who_may_help_whom_through_the_broker() {
    let broker = broker_with(POLICY);
    let base = broker.url();
    let cases: &[(&str, &str, Level, &str)] = &[
        // The help desk helps staff, view and full.
        ("ada", "sam", Level::View, "asked"),
        ("ada", "sam", Level::Full, "asked"),
        // … but not someone outside its scope: refused when the sharer joins.
        (
            "ada",
            "eve",
            Level::View,
            "join: Forbidden: Your role does not allow this (offer_help) for this person or device.",
        ),
        // eve: view only.
        ("eve", "sam", Level::View, "asked"),
        (
            "eve",
            "sam",
            Level::Full,
            "request: Forbidden: Your role does not allow this (full_control). Ask your administrator.",
        ),
        // sam holds no role: no code.
        (
            "sam",
            "ada",
            Level::View,
            "code: Forbidden: Your role does not allow this (offer_help). Ask your administrator.",
        ),
    ];
    for (helper, sharer, level, want) in cases {
        let got = broker.rt.block_on(ask(&base, helper, sharer, *level));
        assert_eq!(&got, want, "{helper} → {sharer} {level:?}");
    }
    let stats = broker.stats.snapshot();
    assert_eq!(stats.policy_refused, 3, "{stats:?}");
}

#[test]
fn tenant_settings_and_rules_refuse_with_their_reason() {
    // Unenrolled devices refused (the reference product's default); an agent without an
    // enrolled device key is unenrolled.
    let closed = POLICY.replace(
        "allow_unenrolled_devices = true",
        "allow_unenrolled_devices = false",
    );
    let broker = broker_with(&closed);
    let got = broker
        .rt
        .block_on(ask(&broker.url(), "ada", "sam", Level::View));
    assert_eq!(
        got,
        "join: Forbidden: This device is not enrolled, and your organisation only allows help on enrolled devices."
    );
    drop(broker);

    // Full control needs MFA; a password sign-in has none.
    let mfa = POLICY.replace(
        "allow_unenrolled_devices = true",
        "allow_unenrolled_devices = true\nrequire_mfa_for_full_control = true",
    );
    let broker = broker_with(&mfa);
    let base = broker.url();
    assert_eq!(
        broker.rt.block_on(ask(&base, "ada", "sam", Level::View)),
        "asked"
    );
    assert_eq!(
        broker.rt.block_on(ask(&base, "ada", "sam", Level::Full)),
        "request: Forbidden: Full control needs a sign-in with multi-factor authentication."
    );
    drop(broker);

    // A conditional-access rule: codes only from the office network (we are on 127.0.0.1);
    // the refused helper reads the rule's own message.
    let office = format!(
        "{POLICY}\n[[tenants.local.rules]]\nname = \"office\"\nstages = [\"issue_code\"]\nnetworks = [\"10.0.0.0/8\"]\nmessage = \"Offer help from the office network.\"\n"
    );
    let broker = broker_with(&office);
    assert_eq!(
        broker
            .rt
            .block_on(ask(&broker.url(), "ada", "sam", Level::View)),
        "code: Forbidden: Offer help from the office network."
    );
    drop(broker);

    // A tenant switched off: nobody in it gets a code.
    let off = POLICY.replace(
        "allow_unenrolled_devices = true",
        "allow_unenrolled_devices = true\nenabled = false",
    );
    let broker = broker_with(&off);
    assert_eq!(
        broker
            .rt
            .block_on(ask(&broker.url(), "ada", "sam", Level::View)),
        "code: Forbidden: Remote help is not turned on for your organisation."
    );
}

#[test]
fn unenrolled_devices_are_warned_about_when_allowed() {
    let broker = broker_with(POLICY);
    let base = broker.url();
    broker.rt.block_on(async {
        let mut h = Ws::connect(&base, &login(&base, "eve").await).await;
        let code = code_of(&mut h).await;
        let s = Ws::connect(&base, &login(&base, "sam").await).await;
        s.send(ClientMessage::Redeem {
            code,
            client: Client::Agent,
            device: None,
        })
        .await;
        match h.next(Duration::from_secs(3)).await {
            ServerMessage::SharerJoined {
                warnings,
                max_level,
                ..
            } => {
                assert_eq!(warnings, [DeviceWarning::DeviceNotEnrolled]);
                // eve holds view only: the helper app offers no full control.
                assert_eq!(max_level, Level::View);
            }
            other => panic!("{other:?}"),
        }
    });
}

/// The issue's test: a helper whose role is removed mid-session loses control within 5 s,
/// and the sharer's agent stops injecting their input.
#[test]
fn a_role_removed_mid_session_takes_control_away() {
    let broker = broker_with(POLICY);
    let base = broker.url();
    let rt = &broker.rt;
    let mut helper = rt.block_on(async { Ws::connect(&base, &login(&base, "ada").await).await });
    let code = rt.block_on(code_of(&mut helper));
    let mut agent = TestAgent::start(rt, &base, &code);
    rt.block_on(helper.until(Duration::from_secs(5), |m| {
        matches!(m, ServerMessage::SharerJoined { .. })
    }));
    // Full control, allowed on the sharer's machine.
    rt.block_on(helper.send(ClientMessage::Request { level: Level::Full }));
    let id = rt.block_on(agent.asked(Level::Full));
    rt.block_on(agent.actions.send(LocalAction::Answer { id, allow: true }))
        .unwrap();
    assert_eq!(rt.block_on(consent_result(&mut helper)), (true, None));
    let viewer = open_viewer(rt, &mut helper);
    assert!(
        wait_viewer(&viewer, Duration::from_secs(5), |e| matches!(
            e,
            ViewerEvent::InputReady
        )),
        "the input channels open"
    );
    let mut out = Sender::new();
    let p = Point::from_pixel(10, 20, 320, 240);
    let click = |out: &mut Sender| {
        viewer.send_input(false, out.msg(button(p, Button::Left, true)));
        viewer.send_input(false, out.msg(button(p, Button::Left, false)));
    };
    let end = Instant::now() + Duration::from_secs(3);
    while Instant::now() < end && agent.recorder.events().is_empty() {
        click(&mut out);
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        agent
            .recorder
            .events()
            .contains(&Recorded::Button(Button::Left, true)),
        "full control: the click arrives"
    );

    // The administrator moves the help desk to view-only and reloads.
    let t0 = Instant::now();
    broker.policy.reload(
        Policy::parse(
            &POLICY.replace(
                "role = \"helpdesk_operator\"\ngroups = [\"helpdesk\"]",
                "role = \"tier1\"\ngroups = [\"helpdesk\"]",
            ),
            "policy.toml",
        )
        .unwrap(),
    );
    let m = rt.block_on(helper.until(Duration::from_secs(5), |m| {
        matches!(m, ServerMessage::LevelLimited { .. })
    }));
    let noticed = t0.elapsed();
    assert_eq!(m, ServerMessage::LevelLimited { level: Level::View });
    assert!(noticed < Duration::from_secs(5), "{noticed:?}");
    // The agent lowered its own gate: its user sees view only …
    rt.block_on(agent.until(Duration::from_secs(5), |e| {
        matches!(
            e,
            AgentEvent::Sharing {
                level: Some(Level::View),
                ..
            }
        )
    }));
    let lowered = t0.elapsed();
    eprintln!(
        "policy: role removed → helper told after {noticed:?}, agent at view after {lowered:?}"
    );
    assert!(lowered < Duration::from_secs(5), "{lowered:?}");
    // … and the helper's clicks no longer arrive (pixels still do).
    std::thread::sleep(Duration::from_millis(200));
    let before = agent.recorder.events().len();
    for _ in 0..5 {
        click(&mut out);
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        agent.recorder.events().len(),
        before,
        "no input after the role was removed: {:?}",
        agent.recorder.events()
    );
    assert!(
        wait_viewer(&viewer, Duration::from_secs(3), |e| matches!(
            e,
            ViewerEvent::Frame { .. }
        )),
        "view goes on"
    );
    // Asking for full again is refused by the broker.
    rt.block_on(helper.send(ClientMessage::Request { level: Level::Full }));
    assert_eq!(rt.block_on(helper.error()), ErrorCode::Forbidden);

    // The help desk loses its role altogether: the session ends, `revoked`, on both sides.
    broker
        .policy
        .reload(Policy::parse(&POLICY.replace("[\"helpdesk\"]", "[\"nobody\"]"), "p").unwrap());
    let m = rt.block_on(helper.until(Duration::from_secs(5), |m| {
        matches!(m, ServerMessage::Ended { .. })
    }));
    assert_eq!(
        m,
        ServerMessage::Ended {
            reason: EndReason::Revoked
        }
    );
    match rt.block_on(agent.until(Duration::from_secs(5), |e| {
        matches!(e, AgentEvent::Ended { .. })
    })) {
        AgentEvent::Ended { reason } => assert_eq!(reason, "revoked"),
        _ => unreachable!(),
    }
    assert_eq!(broker.stats.snapshot().policy_limited, 2);
    // Both reloads, the lowered level and the revoked end are in the audit trail.
    let names: Vec<String> = rt.block_on(async {
        assert!(broker.audit.flush().await);
        let mut names = Vec::new();
        broker
            .audit
            .store
            .walk(|_, rows| {
                names.extend(rows.iter().map(|r| r.entry.name.clone()));
                std::ops::ControlFlow::Continue(())
            })
            .await
            .unwrap();
        names
    });
    assert_eq!(
        names.iter().filter(|n| *n == "policy_reloaded").count(),
        2,
        "{names:?}"
    );
    assert!(names.iter().any(|n| n == "level_changed"), "{names:?}");
    assert!(names.iter().any(|n| n == "session_ended"), "{names:?}");
}

/// `glass broker --policy`: a bad file stops the start with file, line and field; SIGHUP
/// re-reads the file, and a broken edit keeps the policy in force.
#[cfg(unix)]
#[test]
fn the_cli_checks_the_file_and_reloads_on_sighup() {
    let dir = tempfile_dir();
    let policy = dir.join("policy.toml");
    std::fs::write(
        &policy,
        "version = 1\n[[tenants.local.assignments]]\nrole = \"helpdeskoperator\"\ngroups = [\"g\"]\nscope = [\"*\"]\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_glass"))
        .args(["broker", "--demo", "--listen", "127.0.0.1:0", "--policy"])
        .arg(&policy)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("policy.toml:3:8: assignments.role: no role named \"helpdeskoperator\""),
        "{err}"
    );

    // The demo helper is in group `helpdesk`.
    let allowed = "version = 1\n[tenants.local]\nallow_unenrolled_devices = true\n[[tenants.local.assignments]]\nrole = \"helpdesk_operator\"\ngroups = [\"helpdesk\"]\nscope = [\"*\"]\n";
    std::fs::write(&policy, allowed).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_glass"))
        .args(["broker", "--demo", "--listen", "127.0.0.1:0", "--policy"])
        .arg(&policy)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    for _ in 0..4 {
        let mut line = String::new();
        std::io::BufRead::read_line(&mut stdout, &mut line).unwrap();
        lines.push(line);
    }
    let base = lines[0]
        .trim()
        .strip_prefix("helper:  ")
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    let password = lines[2].trim().rsplit(" / ").next().unwrap().to_owned();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let code_or_error = |rt: &tokio::runtime::Runtime| {
        rt.block_on(async {
            let cookie = login_as(&base, "helper", &password).await;
            let mut h = Ws::connect(&base, &cookie).await;
            h.send(ClientMessage::CreateCode).await;
            match h.next(Duration::from_secs(3)).await {
                ServerMessage::Code { .. } => "code".to_owned(),
                ServerMessage::Error { code, .. } => format!("{code:?}"),
                other => panic!("{other:?}"),
            }
        })
    };
    assert_eq!(code_or_error(&rt), "code");
    let hup = |child: &std::process::Child| {
        let status = Command::new("kill")
            .args(["-HUP", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    };
    // A broken edit: reported, the policy in force stays.
    std::fs::write(&policy, "version = 1\n[tenants.local\n").unwrap();
    hup(&child);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(code_or_error(&rt), "code");
    // The role removed: after SIGHUP no more codes.
    std::fs::write(&policy, allowed.replace("[\"helpdesk\"]", "[\"nobody\"]")).unwrap();
    hup(&child);
    let end = Instant::now() + Duration::from_secs(5);
    let mut got = code_or_error(&rt);
    while got == "code" && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(100));
        got = code_or_error(&rt);
    }
    assert_eq!(got, "Forbidden");
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("policy not reloaded, the one in force stays"),
        "{err}"
    );
    assert!(err.contains("reloaded"), "{err}");
    let _ = std::io::stderr().flush();
}

#[cfg(unix)]
fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "glass-policy-{}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_tenants_code_lifetime_applies() {
    let broker = broker_with(&POLICY.replace(
        "allow_unenrolled_devices = true",
        "allow_unenrolled_devices = true\ncode_lifetime_minutes = 2",
    ));
    let base = broker.url();
    broker.rt.block_on(async {
        let mut h = Ws::connect(&base, &login(&base, "ada").await).await;
        h.send(ClientMessage::CreateCode).await;
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64;
        match h.next(Duration::from_secs(3)).await {
            ServerMessage::Code { expires_at, .. } => {
                let left = expires_at.saturating_sub(now_ms);
                assert!((110_000..=121_000).contains(&left), "{left} ms");
            }
            other => panic!("{other:?}"),
        }
    });
}
