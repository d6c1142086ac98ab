//! Copy and paste between a helper (a real str0m viewer) and the sharer's X desktop (a real
//! X client, `xclip`): both ways with full control, in any script; nothing either way with
//! view only, while paused, or in a direction that is off.

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use glass::agent::clipboard::ClipboardPolicy;
use glass::engine::input::ControlLevel;
use glass::share::{Share, ShareConfig};
use glass::transport::TransportConfig;
use glass::transport::testing::{UdpViewer, ViewerEvent};

use crate::xvfb::Xvfb;

fn share(display: &str, clipboard: ClipboardPolicy) -> Share {
    Share::start(ShareConfig {
        source: format!("x11:{display}").parse().unwrap(),
        listen: "127.0.0.1:0".parse().unwrap(),
        serve_http: false,
        control: ControlLevel::Full,
        clipboard,
        transport: TransportConfig {
            bind: vec![std::net::Ipv4Addr::LOCALHOST.into()],
            ..TransportConfig::default()
        },
        ..ShareConfig::default()
    })
    .expect("share starts")
}

fn join(share: &Share) -> UdpViewer {
    let viewer = crate::cursor::join(share);
    // The clipboard channel opens with the input channels; give it a moment.
    std::thread::sleep(Duration::from_millis(200));
    viewer
}

/// `xclip` copies `text` on the sharer's desktop (it owns CLIPBOARD until killed).
pub(crate) fn copy(x: &Xvfb, text: &str) -> Child {
    let mut child = Command::new("xclip")
        .args(["-selection", "clipboard", "-i", "-quiet"])
        .env("DISPLAY", x.display())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("xclip (scripts/setup.sh installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    child
}

/// What pasting on the sharer's desktop gives now.
pub(crate) fn paste(x: &Xvfb) -> String {
    let out = Command::new("xclip")
        .args(["-selection", "clipboard", "-o"])
        .env("DISPLAY", x.display())
        .output()
        .expect("xclip");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Clipboard texts the viewer gets within `ms`.
fn received(viewer: &UdpViewer, ms: u64) -> Vec<String> {
    let end = Instant::now() + Duration::from_millis(ms);
    let mut out = Vec::new();
    while let Ok(e) = viewer
        .events()
        .recv_timeout(end.saturating_duration_since(Instant::now()))
    {
        if let ViewerEvent::Clipboard(t) = e {
            out.push(t.expect("a clipboard message that decodes"));
        }
    }
    out
}

/// Waits up to 3 s for the sharer's desktop to paste `want`.
fn pastes(x: &Xvfb, want: &str) -> bool {
    let end = Instant::now() + Duration::from_secs(3);
    while Instant::now() < end {
        if paste(x) == want {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn clipboard_both_ways_with_full_control_only() {
    let x = Xvfb::start(64, 48);
    let mut copies = vec![copy(&x, "copied before the share")];
    std::thread::sleep(Duration::from_millis(200));
    let share = share(x.display(), ClipboardPolicy::BOTH);
    let viewer = join(&share);
    assert!(
        received(&viewer, 300).is_empty(),
        "what was copied before the share is not sent"
    );

    // The helper copies: the sharer's desktop pastes it.
    let theirs = "from the helper: héllo ✓ 日本 مرحبا";
    viewer.send_clipboard(theirs);
    assert!(pastes(&x, theirs), "pasted: {:?}", paste(&x));

    // The sharer copies: the helper gets it (once; not our own text echoed back).
    let ours = "from the sharer: ünïcödé €42\nline two";
    copies.push(copy(&x, ours));
    assert_eq!(received(&viewer, 1500), [ours]);

    // View only: nothing either way.
    share.set_control(ControlLevel::View).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    viewer.send_clipboard("not while viewing");
    copies.push(copy(&x, "nor this"));
    assert!(
        received(&viewer, 1000).is_empty(),
        "a view-only helper got a copy"
    );
    assert_eq!(
        paste(&x),
        "nor this",
        "a view-only helper's text was pasted"
    );

    // Full control again, but paused: nothing either way.
    share.set_control(ControlLevel::Full).unwrap();
    share.set_paused(true).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    viewer.send_clipboard("not while paused");
    copies.push(copy(&x, "paused copy"));
    assert!(
        received(&viewer, 1000).is_empty(),
        "a copy went out while paused"
    );
    assert_eq!(paste(&x), "paused copy");
    let stats = share.stats().expect("stats");
    assert_eq!(
        (stats.input.clipboard_in, stats.input.clipboard_out),
        (1, 1)
    );
    assert_eq!(stats.input.clipboard_refused, 4, "{:?}", stats.input);
    share.stop().unwrap();
    for c in &mut copies {
        let _ = c.kill();
        let _ = c.wait();
    }
}

#[test]
fn one_way_clipboard_lets_the_other_way_through_only() {
    let x = Xvfb::start(64, 48);
    let share = share(
        x.display(),
        ClipboardPolicy {
            to_helper: false,
            ..ClipboardPolicy::BOTH
        },
    );
    let viewer = join(&share);
    viewer.send_clipboard("helper → sharer is on");
    assert!(pastes(&x, "helper → sharer is on"));
    let mut c = copy(&x, "sharer → helper is off");
    assert!(received(&viewer, 1000).is_empty());
    share.stop().unwrap();
    let _ = c.kill();
    let _ = c.wait();
}

/// The organisation's word reaches the agent: a tenant with `clipboard_to_sharer = false`
/// gets the helper's copies refused on the sharer's machine, even with full control, while
/// the sharer's copies still reach the helper.
#[test]
fn the_tenants_setting_narrows_the_agents() {
    use crate::help_harness::*;
    use glass_broker::BrokerConfig;
    use glass_protocol::{ClientMessage, Level, ServerMessage};
    use glass_session::policy::Policy;
    use std::sync::Arc;

    let policy = r#"
version = 1

[tenants.local]
allow_unenrolled_devices = true
clipboard_to_sharer = false

[[tenants.local.assignments]]
role = "helpdesk_operator"
groups = ["*"]
scope = ["*"]
"#;
    let x = Xvfb::start(64, 48);
    let broker = TestBroker::start(BrokerConfig {
        policy: Arc::new(Policy::parse(policy, "policy.toml").unwrap()),
        ..BrokerConfig::default()
    });
    let base = broker.url();
    let rt = &broker.rt;
    let mut helper = rt.block_on(async { Ws::connect(&base, &login(&base, "ada").await).await });
    let code = rt.block_on(code_of(&mut helper));
    let display = x.display().to_owned();
    let mut agent = TestAgent::start_with(rt, &base, &code, |c| {
        c.share.source = format!("x11:{display}").parse().unwrap();
        c.injector = None;
    });
    rt.block_on(async {
        match helper
            .until(Duration::from_secs(5), |m| {
                matches!(m, ServerMessage::SharerJoined { .. })
            })
            .await
        {
            ServerMessage::SharerJoined { clipboard, .. } => {
                assert!(clipboard.to_helper && !clipboard.to_sharer, "{clipboard:?}");
            }
            _ => unreachable!(),
        }
        allowed(&mut helper, &mut agent, Level::Full).await;
    });
    let viewer = open_viewer(rt, &mut helper);
    assert!(wait_viewer(&viewer, Duration::from_secs(5), |e| matches!(
        e,
        ViewerEvent::InputReady
    )));
    std::thread::sleep(Duration::from_millis(300));
    let mut c = copy(&x, "the sharer's copy goes to the helper");
    assert_eq!(
        received(&viewer, 2000),
        ["the sharer's copy goes to the helper"]
    );
    viewer.send_clipboard("the helper's copy stays out");
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(paste(&x), "the sharer's copy goes to the helper");
    rt.block_on(helper.send(ClientMessage::Leave));
    let _ = c.kill();
    let _ = c.wait();
}
