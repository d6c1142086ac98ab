//! Help-session latencies through a real broker on loopback, over repeated sessions:
//! - the engine's part of "allowed → first frame at the helper": from the sharer's Allow to
//!   the first decoded-ready keyframe at the helper's receiver (offer and answer through the
//!   broker included);
//! - a leave noticed by the other side: a sharer that stops, a helper whose tab is killed,
//!   and a helper whose network goes silent (noticed by the broker's 1.5 s link timeout).
//!
//! `cargo bench --bench help_latency [-- --runs N]` prints p50 / p99 / max per figure.

#[path = "../tests/help_harness.rs"]
mod help_harness;

use std::time::{Duration, Instant};

use glass::agent::help::{AgentEvent, LocalAction};
use glass::transport::testing::{PendingViewer, ViewerEvent};
use glass_broker::BrokerConfig;
use glass_protocol::{ClientMessage, Level, SdpType, ServerMessage, SessionDescription, Signal};
use help_harness::{TestAgent, TestBroker, Ws, code_of, consent_result, login};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{name:<44} n={:<3} p50 {:>7.1} ms  p99 {:>7.1} ms  max {:>7.1} ms",
        samples.len(),
        percentile(&samples, 0.5).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
}

enum Leave {
    SharerStops,
    HelperKilled,
    HelperSilent,
}

/// One session up to the first keyframe at the helper, then one way of leaving. Returns
/// (allow → first keyframe, leave noticed).
fn session(broker: &TestBroker, leave: Leave) -> (Duration, Duration) {
    let base = broker.url();
    let rt = &broker.rt;
    let mut helper = rt.block_on(async { Ws::connect(&base, &login(&base, "ada").await).await });
    let code = rt.block_on(code_of(&mut helper));
    let mut agent = TestAgent::start(rt, &base, &code);
    rt.block_on(helper.until(Duration::from_secs(5), |m| {
        matches!(m, ServerMessage::SharerJoined { .. })
    }));
    rt.block_on(helper.send(ClientMessage::Request { level: Level::View }));
    let id = rt.block_on(agent.asked(Level::View));
    let allowed = Instant::now();
    rt.block_on(agent.actions.send(LocalAction::Answer { id, allow: true }))
        .expect("agent runs");
    assert!(rt.block_on(consent_result(&mut helper)).0, "allowed");
    let pending = PendingViewer::new().expect("viewer");
    rt.block_on(
        helper.send(ClientMessage::Signal(Signal::Sdp(SessionDescription {
            kind: SdpType::Offer,
            sdp: pending.offer_sdp().to_owned(),
        }))),
    );
    let answer = match rt.block_on(helper.until(Duration::from_secs(5), |m| {
        matches!(m, ServerMessage::Signal(Signal::Sdp(_)))
    })) {
        ServerMessage::Signal(Signal::Sdp(d)) => d.sdp,
        _ => unreachable!(),
    };
    let viewer = pending.start(&answer).expect("viewer starts");
    let end = Instant::now() + Duration::from_secs(5);
    let first_frame = loop {
        match viewer.events().recv_timeout(Duration::from_millis(100)) {
            Ok(ViewerEvent::Frame { keyframe: true, .. }) => break allowed.elapsed(),
            _ if Instant::now() > end => panic!("no keyframe within 5 s"),
            _ => {}
        }
    };
    let noticed = match leave {
        Leave::SharerStops => {
            let t0 = Instant::now();
            rt.block_on(agent.actions.send(LocalAction::Stop))
                .expect("agent runs");
            rt.block_on(helper.until(Duration::from_secs(3), |m| {
                matches!(m, ServerMessage::PeerLeft { .. })
            }));
            t0.elapsed()
        }
        Leave::HelperKilled => {
            let t0 = Instant::now();
            helper.kill();
            rt.block_on(agent.until(Duration::from_secs(3), |e| {
                matches!(e, AgentEvent::Ended { .. })
            }));
            t0.elapsed()
        }
        Leave::HelperSilent => {
            // The helper's network goes quiet (no close, no heartbeat): the broker's 1.5 s
            // link timeout ends the session and tells the agent.
            let t0 = Instant::now();
            helper.go_silent();
            let m = rt.block_on(agent.until(Duration::from_secs(3), |e| {
                matches!(e, AgentEvent::Ended { .. })
            }));
            assert!(matches!(m, AgentEvent::Ended { ref reason } if reason == "lost"));
            t0.elapsed()
        }
    };
    drop(viewer);
    (first_frame, noticed)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` passes nothing, and gets a
    // smoke run of six sessions (two of each way of leaving).
    let mut runs = if std::env::args().any(|a| a == "--bench") {
        20
    } else {
        6
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(runs),
            "--bench" => {}
            other if other.starts_with("--") => {}
            _ => {}
        }
    }
    let broker = TestBroker::start(BrokerConfig {
        max_links_per_ip: 1000,
        // Every run signs ada and sam in again from 127.0.0.1.
        rate_limits: glass_broker::limits::RateLimits::for_load_generators(),
        ..BrokerConfig::default()
    });
    let mut first = Vec::new();
    let (mut stops, mut killed, mut silent) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..runs {
        let (leave, bucket) = match i % 3 {
            0 => (Leave::SharerStops, &mut stops),
            1 => (Leave::HelperKilled, &mut killed),
            _ => (Leave::HelperSilent, &mut silent),
        };
        let (f, n) = session(&broker, leave);
        first.push(f);
        bucket.push(n);
    }
    println!("help sessions through a broker on loopback ({runs} sessions)");
    report("allow → first keyframe at the helper", first);
    report("sharer stops → helper told", stops);
    report("helper tab killed → agent told", killed);
    report("helper silent → agent told (1.5 s timeout)", silent);
}
