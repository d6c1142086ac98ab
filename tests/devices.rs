//! Devices through the real broker: an enrolled agent proves its key and is recognised; a
//! non-compliant one is warned about, never blocked; a forged proof counts as no device; a
//! device removed from the watched file ends the session where unenrolled devices are
//! refused; `glass devices` names a bad field.

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use glass::agent::device::DeviceKey;
use glass::agent::help::AgentEvent;
use glass_broker::BrokerConfig;
use glass_broker::devices::{self, ComplianceState, DeviceRecord};
use glass_protocol::{Client, ClientMessage, DeviceWarning, EndReason, ServerMessage};
use glass_session::policy::Policy;

use crate::help_harness::*;

/// Unenrolled devices refused; the help desk (ada) helps staff (sam) and the kiosk group.
const STRICT: &str = r#"
version = 1
[tenants.local]
allow_unenrolled_devices = false
[[tenants.local.assignments]]
role = "helpdesk_operator"
groups = ["helpdesk"]
scope = ["staff"]
"#;

struct Setup {
    dir: std::path::PathBuf,
    file: std::path::PathBuf,
    key: Arc<DeviceKey>,
    id: String,
}

fn setup(name: &str, compliance: ComplianceState, reasons: &[&str]) -> Setup {
    let dir = std::env::temp_dir().join(format!("glass-devices-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (key, _) = DeviceKey::generate().unwrap();
    let file = dir.join("devices.json");
    let id = devices::enroll(
        &file,
        DeviceRecord {
            public_key: key.public_key(),
            name: "Sam's laptop".into(),
            tenant: "local".into(),
            groups: vec!["kiosk".into()],
            compliance,
            reasons: reasons.iter().map(|r| r.to_string()).collect(),
        },
    )
    .unwrap();
    Setup {
        dir,
        file,
        key: Arc::new(key),
        id,
    }
}

fn broker(s: &Setup) -> TestBroker {
    TestBroker::start(BrokerConfig {
        policy: Arc::new(Policy::parse(STRICT, "policy.toml").unwrap()),
        devices: Some(s.file.clone()),
        devices_poll: Duration::from_millis(200),
        ..BrokerConfig::default()
    })
}

/// The helper's `sharer_joined` warnings, or the sharer's refusal.
fn join(
    broker: &TestBroker,
    key: Option<Arc<DeviceKey>>,
) -> (Ws, TestAgent, Result<Vec<DeviceWarning>, String>) {
    let base = broker.url();
    let rt = &broker.rt;
    let mut helper = rt.block_on(async { Ws::connect(&base, &login(&base, "ada").await).await });
    let code = rt.block_on(code_of(&mut helper));
    let mut agent = TestAgent::start_with_key(rt, &base, &code, key);
    let got = rt.block_on(async {
        tokio::select! {
            m = helper.until(Duration::from_secs(5), |m| matches!(m, ServerMessage::SharerJoined { .. } | ServerMessage::Error { .. })) => match m {
                ServerMessage::SharerJoined { warnings, .. } => Ok(warnings),
                // The helper hears a refusal too; what the sharer is told is the reason.
                ServerMessage::Error { .. } => match agent.until(Duration::from_secs(5), |e| matches!(e, AgentEvent::Error { .. })).await {
                    AgentEvent::Error { message, .. } => Err(message),
                    _ => unreachable!(),
                },
                _ => unreachable!(),
            },
            e = agent.until(Duration::from_secs(5), |e| matches!(e, AgentEvent::Error { .. })) => match e {
                AgentEvent::Error { message, .. } => Err(message),
                _ => unreachable!(),
            },
        }
    });
    (helper, agent, got)
}

#[test]
fn an_enrolled_device_is_recognised_and_its_compliance_shown() {
    let s = setup("enrolled", ComplianceState::Compliant, &[]);
    let broker = broker(&s);
    // Compliant and enrolled: joins under a policy that refuses unenrolled devices, no warning.
    let (_h, _a, got) = join(&broker, Some(s.key.clone()));
    assert_eq!(got, Ok(vec![]));
    assert_eq!(broker.stats.snapshot().device_proofs_verified, 1);
    // Without its key the same agent is an unknown device: refused.
    let (_h, _a, got) = join(&broker, None);
    assert_eq!(
        got,
        Err("This device is not enrolled, and your organisation only allows help on enrolled devices.".into())
    );
    // Marked not compliant (the broker watches the file): warned, with the reasons, not blocked.
    devices::set_compliance(
        &s.file,
        &s.id,
        ComplianceState::NotCompliant,
        vec!["Disk not encrypted".into()],
    )
    .unwrap();
    let end = Instant::now() + Duration::from_secs(5);
    while broker.stats.snapshot().device_reloads < 2 && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(50));
    }
    let (_h, _a, got) = join(&broker, Some(s.key.clone()));
    assert_eq!(
        got,
        Ok(vec![DeviceWarning::DeviceNotCompliant {
            reasons: vec!["Disk not encrypted".into()]
        }])
    );
    let _ = std::fs::remove_dir_all(&s.dir);
}

#[test]
fn a_forged_device_proof_counts_as_no_device() {
    let s = setup("forged", ComplianceState::Compliant, &[]);
    let broker = broker(&s);
    let base = broker.url();
    let got = broker.rt.block_on(async {
        let mut helper = Ws::connect(&base, &login(&base, "ada").await).await;
        let code = code_of(&mut helper).await;
        // Eve-the-agent claims Sam's enrolled laptop: its public key, a signature of her own.
        let token = agent_token(&base, "sam").await;
        let (thief, _) = DeviceKey::generate().unwrap();
        let mut proof = thief
            .prove(token.device_challenge.as_deref().unwrap(), &code)
            .unwrap();
        proof.key = s.key.public_key();
        let mut sharer = Ws::connect_agent(&base, &token.token).await;
        sharer
            .send(ClientMessage::Redeem {
                code,
                client: Client::Agent,
                device: Some(proof),
            })
            .await;
        match sharer.next(Duration::from_secs(3)).await {
            ServerMessage::Error { message, .. } => message,
            other => panic!("{other:?}"),
        }
    });
    assert_eq!(
        got,
        "This device is not enrolled, and your organisation only allows help on enrolled devices."
    );
    let stats = broker.stats.snapshot();
    assert_eq!(
        (stats.device_proofs_refused, stats.device_proofs_verified),
        (1, 0)
    );
    // A proof replayed with another code (the proof binds the code): refused too.
    let replayed = broker.rt.block_on(async {
        let mut helper = Ws::connect(&base, &login(&base, "ada").await).await;
        let first = code_of(&mut helper).await;
        let token = agent_token(&base, "sam").await;
        let proof = s
            .key
            .prove(token.device_challenge.as_deref().unwrap(), &first)
            .unwrap();
        let mut helper2 = Ws::connect(&base, &login(&base, "ada").await).await;
        let second = code_of(&mut helper2).await;
        let mut sharer = Ws::connect_agent(&base, &token.token).await;
        sharer
            .send(ClientMessage::Redeem {
                code: second,
                client: Client::Agent,
                device: Some(proof),
            })
            .await;
        matches!(
            sharer.next(Duration::from_secs(3)).await,
            ServerMessage::Error { .. }
        )
    });
    assert!(replayed);
    assert_eq!(broker.stats.snapshot().device_proofs_refused, 2);
    let _ = std::fs::remove_dir_all(&s.dir);
}

#[test]
fn a_device_removed_from_the_file_ends_its_session() {
    let s = setup("removed", ComplianceState::Compliant, &[]);
    let broker = broker(&s);
    let (mut helper, mut agent, got) = join(&broker, Some(s.key.clone()));
    assert_eq!(got, Ok(vec![]));
    let t0 = Instant::now();
    devices::remove(&s.file, &s.id).unwrap();
    let m = broker
        .rt
        .block_on(helper.until(Duration::from_secs(5), |m| {
            matches!(m, ServerMessage::Ended { .. })
        }));
    assert_eq!(
        m,
        ServerMessage::Ended {
            reason: EndReason::Revoked
        }
    );
    match broker.rt.block_on(agent.until(Duration::from_secs(5), |e| {
        matches!(e, AgentEvent::Ended { .. })
    })) {
        AgentEvent::Ended { reason } => assert_eq!(reason, "revoked"),
        _ => unreachable!(),
    }
    eprintln!(
        "devices: removed from the file → session ended after {:?}",
        t0.elapsed()
    );
    let _ = std::fs::remove_dir_all(&s.dir);
}

#[test]
fn the_devices_cli_names_a_bad_field() {
    let dir = std::env::temp_dir().join(format!("glass-devices-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("devices.json");
    let out = Command::new(env!("CARGO_BIN_EXE_glass"))
        .args(["devices", "--devices"])
        .arg(&file)
        .args(["enroll", "--public-key", "not-a-key", "--name", "Laptop"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("public_key"), "{err}");
    // A key that starts with '-' (1 in 64 do): still the value, not a flag (it once failed
    // as "unexpected argument '-K'" whenever the random key began so).
    let key = std::iter::repeat_with(|| DeviceKey::generate().unwrap().0)
        .take(10_000)
        .find(|k| k.public_key().starts_with('-'))
        .expect("a key starting with '-'");
    let out = Command::new(env!("CARGO_BIN_EXE_glass"))
        .args(["devices", "--devices"])
        .arg(&file)
        .args([
            "enroll",
            "--public-key",
            &key.public_key(),
            "--name",
            "Laptop",
            "--group",
            "kiosk",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), key.id());
    let out = Command::new(env!("CARGO_BIN_EXE_glass"))
        .args(["devices", "--devices"])
        .arg(&file)
        .args([
            "compliance",
            &key.id(),
            "not-compliant",
            "--reason",
            "Firewall off",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let registry = devices::DeviceRegistry::load(&file).unwrap();
    assert_eq!(registry.get(&key.id()).unwrap().reasons, ["Firewall off"]);
    let _ = std::fs::remove_dir_all(&dir);
}
