//! Relays for the helper's browser, end to end: coturn on loopback with the TURN REST
//! scheme (`--use-auth-secret`), a broker handing out per-session credentials with
//! `relay_only`, the helper app in Chromium, and the agent library sharing a synthetic screen.
//! The picture reaches the page through coturn (the page's candidate pair in use is its relayed
//! candidate on this coturn, and carries the video); a credential past its expiry is refused by
//! coturn with 401; with 5 % loss and 50 ms on the agent's sends the relayed picture never
//! freezes for a second.
//!
//! Needs `/usr/bin/chromium` (or `$CHROMIUM`), Node.js, `tests/browser/node_modules` and
//! coturn: `scripts/setup.sh` installs them. A missing piece fails the test; it never skips.

use std::time::Duration;

use glass::agent::help::LocalAction;
use glass::transport::testing::TurnRelayServer;
use glass_broker::BrokerConfig;
use glass_protocol::Level;
use glass_session::turn::{TurnConfig, TurnSecret};
use serde_json::json;

use crate::help_browser::{Driver, one_at_a_time};
use crate::help_harness::{PASSWORD, TestAgent, TestBroker};

const SECRET: &str = "glass-test-relay-secret-0123456789";

fn relay() -> TurnRelayServer {
    TurnRelayServer::start(&[
        "--use-auth-secret",
        &format!("--static-auth-secret={SECRET}"),
    ])
}

/// coturn, a broker handing out its credentials (relay only), the helper app open.
fn world() -> (TurnRelayServer, TestBroker, Driver) {
    crate::browser::check_tools_with(&[]);
    let relay = relay();
    let broker = broker(&relay);
    let mut driver = Driver::start();
    driver.call(
        "open",
        json!({"page": "helper", "url": format!("{}/", broker.url())}),
    );
    (relay, broker, driver)
}

fn broker(relay: &TurnRelayServer) -> TestBroker {
    TestBroker::start(BrokerConfig {
        turn: Some(TurnConfig {
            urls: vec![format!("turn:{}?transport=udp", relay.addr())],
            secret: TurnSecret::new(SECRET),
            ttl: Duration::from_secs(3600),
            relay_only: true,
        }),
        ..BrokerConfig::default()
    })
}

/// Ada signs in to the page and gets a code; the agent (changed by `customise`) joins; she asks
/// to view and the sharer allows.
fn viewing(
    broker: &TestBroker,
    driver: &mut Driver,
    customise: impl FnOnce(&mut glass::agent::help::HelpConfig),
) -> TestAgent {
    driver.call(
        "signin",
        json!({"page": "helper", "user": "ada", "password": PASSWORD}),
    );
    let code = driver.call("getCode", json!({"page": "helper"}));
    let code = code["code"].as_str().unwrap().to_owned();
    let mut agent = TestAgent::start_with(&broker.rt, &broker.url(), &code, customise);
    driver.wait_phase("helper", &["sharer_joined"]);
    driver.click("helper", "request-view");
    let id = broker.rt.block_on(agent.asked(Level::View));
    broker
        .rt
        .block_on(agent.actions.send(LocalAction::Answer { id, allow: true }))
        .unwrap();
    agent
}

#[test]
fn the_helpers_picture_flows_through_coturn_with_the_sessions_credential() {
    let _one = one_at_a_time();
    let (relay, broker, mut driver) = world();
    let _agent = viewing(&broker, &mut driver, |_| {});
    let video = driver.call(
        "waitVideo",
        json!({"page": "helper", "minFrames": 3, "samples": [{"name": "corner", "x": 4, "y": 4}]}),
    );
    assert!(video["frames"].as_u64().unwrap_or(0) >= 3, "{video:#}");
    let relay_only = driver.call(
        "evaluate",
        json!({"page": "helper", "expr": "window.glassHelper.relayOnly === true"}),
    );
    assert_eq!(relay_only["value"], true, "the page got relay_only");
    let pair = driver.call(
        "evaluate",
        json!({"page": "helper", "expr": "window.glassHelper.selectedPair()"}),
    )["value"]
        .clone();
    // The page's pair in use is its relayed candidate on this coturn, carrying the video.
    assert_eq!(pair["type"], "relay", "{pair}");
    assert_eq!(pair["relayProtocol"], "udp", "{pair}");
    assert!(
        pair["url"]
            .as_str()
            .is_some_and(|u| u.contains(&relay.addr().to_string())),
        "{pair}"
    );
    assert!(pair["bytesReceived"].as_u64().unwrap_or(0) > 1000, "{pair}");
    // One credential, for this session.
    let stats = broker.stats.snapshot();
    assert_eq!(stats.turn_credentials, 1);
}

#[test]
fn a_credential_past_its_expiry_is_refused_by_the_relay() {
    let _one = one_at_a_time();
    let (relay, broker, mut driver) = world();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut gather = |username: String| {
        let credential = glass_session::turn::password(&TurnSecret::new(SECRET), &username);
        let expr = format!(
            r#"(async () => {{
                const pc = new RTCPeerConnection({{
                    iceServers: [{{ urls: ['turn:{addr}?transport=udp'], username: '{username}', credential: '{credential}' }}],
                    iceTransportPolicy: 'relay',
                }});
                const errors = [];
                const types = [];
                pc.onicecandidateerror = (e) => errors.push(e.errorCode);
                pc.onicecandidate = (e) => {{ if (e.candidate) types.push(e.candidate.type); }};
                pc.createDataChannel('probe');
                await pc.setLocalDescription(await pc.createOffer());
                await new Promise((resolve) => {{
                    const end = setTimeout(resolve, 8000);
                    pc.onicegatheringstatechange = () => {{
                        if (pc.iceGatheringState === 'complete') {{ clearTimeout(end); resolve(); }}
                    }};
                }});
                pc.close();
                return {{ errors, types }};
            }})()"#,
            addr = relay.addr(),
        );
        driver.call("evaluate", json!({"page": "helper", "expr": expr}))["value"].clone()
    };
    let fresh = gather(format!("{}:000000000000feed", now + 600));
    assert_eq!(fresh["types"], json!(["relay"]), "{fresh}");
    let expired = gather(format!("{}:000000000000feed", now - 60));
    assert_eq!(expired["types"], json!([]), "no relay with it: {expired}");
    assert!(
        expired["errors"]
            .as_array()
            .is_some_and(|e| e.iter().any(|c| c == 401)),
        "coturn answers 401 Unauthorized: {expired}"
    );
    drop(broker);
}

/// The relayed picture keeps moving on a bad link: the agent's sends lose 5 % and wait
/// 50 ms, the page receives through coturn, and no gap between two presented frames reaches
/// 1 s over 6 s of video (retransmissions and keyframe requests cross the relay too).
#[test]
fn the_relay_survives_loss_and_delay_without_freezing() {
    let _one = one_at_a_time();
    let (_relay, broker, mut driver) = world();
    let _agent = viewing(&broker, &mut driver, |c| {
        c.share.source = "synthetic:video:320x240@15".parse().unwrap();
        c.share.transport.impairment = Some(glass::transport::Impairment {
            loss: 0.05,
            delay: Duration::from_millis(50),
        });
    });
    driver.call(
        "waitVideo",
        json!({"page": "helper", "minFrames": 1, "samples": []}),
    );
    let watched = driver.call(
        "evaluate",
        json!({"page": "helper", "expr": r#"(async () => {
            const v = document.getElementById('video');
            const times = [];
            const end = performance.now() + 6000;
            await new Promise((resolve) => {
                const stop = setTimeout(resolve, 8000);
                const on = (now) => {
                    times.push(now);
                    if (now < end) v.requestVideoFrameCallback(on);
                    else { clearTimeout(stop); resolve(); }
                };
                v.requestVideoFrameCallback(on);
            });
            let gap = 0;
            for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i - 1]);
            if (times.length && end + 2000 > performance.now()) {
                gap = Math.max(gap, Math.min(performance.now(), end) - times[times.length - 1]);
            }
            return { frames: times.length, maxGapMs: gap };
        })()"#}),
    )["value"]
        .clone();
    eprintln!("relayed with 5 % loss and 50 ms: {watched}");
    let pair = driver.call(
        "evaluate",
        json!({"page": "helper", "expr": "window.glassHelper.selectedPair()"}),
    );
    assert_eq!(pair["value"]["type"], "relay", "{pair}");
    assert!(
        watched["frames"].as_u64().unwrap_or(0) >= 30,
        "frames kept coming: {watched}"
    );
    assert!(
        watched["maxGapMs"].as_f64().unwrap_or(f64::MAX) < 1000.0,
        "no freeze of a second or more: {watched}"
    );
}
