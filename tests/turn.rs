//! TURN relays against a real coturn on loopback: the agent, told `relay_only` by the broker,
//! offers only a relayed candidate and the helper's receiver (host candidates only) gets
//! decodable video through coturn; an expired TURN REST credential is refused with a clear
//! error, not a hang.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use glass::agent::help::{AgentEvent, LocalAction};
use glass::codecs::open_decoder;
use glass::transport::testing::{PendingViewer, TurnRelayServer, ViewerEvent};
use glass::transport::{Transport, TransportConfig, TurnServer};
use glass_broker::BrokerConfig;
use glass_protocol::{ClientMessage, Level, SdpType, ServerMessage, SessionDescription, Signal};
use glass_session::turn::{TurnConfig, TurnSecret};

use crate::help_harness::*;

const SECRET: &str = "glass-test-turn-secret-0123456789";

fn coturn() -> TurnRelayServer {
    TurnRelayServer::start(&[
        "--verbose",
        "--use-auth-secret",
        &format!("--static-auth-secret={SECRET}"),
    ])
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The `a=candidate` lines of an SDP.
fn candidates(sdp: &str) -> Vec<&str> {
    sdp.lines()
        .filter(|l| l.starts_with("a=candidate:"))
        .collect()
}

#[test]
fn relay_only_agent_streams_to_the_helper_through_coturn() {
    let relay = coturn();
    let broker = TestBroker::start(BrokerConfig {
        turn: Some(TurnConfig {
            urls: vec![format!("turn:{}?transport=udp", relay.addr())],
            secret: TurnSecret::new(SECRET),
            ttl: Duration::from_secs(600),
            relay_only: true,
        }),
        ..BrokerConfig::default()
    });
    let base = broker.url();
    let rt = &broker.rt;
    let mut helper = rt.block_on(async { Ws::connect(&base, &login(&base, "ada").await).await });
    let code = rt.block_on(code_of(&mut helper));
    // A screen that changes (a static one sends its keyframe and then nothing).
    let mut agent = TestAgent::start_with(rt, &base, &code, |c| {
        c.share.source = "synthetic:typing:320x240@30".parse().unwrap();
    });
    rt.block_on(async {
        agent
            .until(Duration::from_secs(5), |e| {
                matches!(e, AgentEvent::Joined { .. })
            })
            .await;
        // The helper's side gets the relay too (a browser would use it in iceServers).
        match helper
            .until(Duration::from_secs(3), |m| {
                matches!(m, ServerMessage::IceServers { .. })
            })
            .await
        {
            ServerMessage::IceServers { relay_only, .. } => assert!(relay_only),
            _ => unreachable!(),
        }
        helper
            .send(ClientMessage::Request { level: Level::View })
            .await;
        let id = agent.asked(Level::View).await;
        agent
            .actions
            .send(LocalAction::Answer { id, allow: true })
            .await
            .unwrap();
        assert_eq!(consent_result(&mut helper).await, (true, None));
    });
    // The helper's receiver offers host candidates only.
    let pending = PendingViewer::new().unwrap();
    assert!(
        candidates(pending.offer_sdp())
            .iter()
            .all(|c| c.contains(" typ host")),
        "{}",
        pending.offer_sdp()
    );
    rt.block_on(
        helper.send(ClientMessage::Signal(Signal::Sdp(SessionDescription {
            kind: SdpType::Offer,
            sdp: pending.offer_sdp().to_owned(),
        }))),
    );
    let answer = match rt.block_on(helper.until(Duration::from_secs(10), |m| {
        matches!(m, ServerMessage::Signal(Signal::Sdp(_)))
    })) {
        ServerMessage::Signal(Signal::Sdp(SessionDescription {
            kind: SdpType::Answer,
            sdp,
        })) => sdp,
        other => panic!("{other:?}"),
    };
    let lines = candidates(&answer);
    assert!(
        !lines.is_empty(),
        "the answer offers no candidate: {answer}"
    );
    for line in &lines {
        assert!(line.contains(" typ relay"), "not a relay candidate: {line}");
        assert!(
            !line.contains(&format!(" {} ", relay.addr().port())),
            "the relayed address is not the server's: {line}"
        );
    }
    let viewer = pending.start(&answer).unwrap();
    let started = Instant::now();
    let mut dec = open_decoder().unwrap();
    let (mut frames, mut decoded) = (0, 0);
    let end = Instant::now() + Duration::from_secs(10);
    while decoded < 20 && Instant::now() < end {
        if let Ok(ViewerEvent::Frame { data, .. }) =
            viewer.events().recv_timeout(Duration::from_millis(100))
        {
            frames += 1;
            if dec.decode(&data).unwrap().is_some() {
                decoded += 1;
            }
        }
    }
    eprintln!(
        "relayed: {frames} frames, {decoded} decoded in {:?}",
        started.elapsed()
    );
    assert!(decoded >= 20, "only {decoded} of {frames} frames decoded");
    // coturn saw the permission, the channel and the traffic.
    let log = relay.log();
    for l in log
        .lines()
        .filter(|l| l.contains("PERMISSION") || l.contains("CHANNEL") || l.contains("ALLOCATE"))
        .take(8)
    {
        eprintln!("coturn: {l}");
    }
    assert!(
        log.contains("CREATE_PERMISSION processed, success"),
        "no permission in coturn's log:\n{log}"
    );
    assert!(
        log.contains("CHANNEL_BIND processed, success"),
        "no channel in coturn's log:\n{log}"
    );
    rt.block_on(agent.actions.send(LocalAction::Stop)).ok();
    drop(viewer);
    // coturn's usage line for the agent's allocation (periodic, and when it is freed): `rb` is
    // what it received from the agent to relay, the video.
    let end = Instant::now() + Duration::from_secs(5);
    let received = loop {
        let log = relay.log();
        let rb = log
            .lines()
            .filter(|l| l.contains("usage:"))
            .filter_map(|l| l.split(", ").find_map(|f| f.strip_prefix("rb=")))
            .filter_map(|v| v.trim().parse::<u64>().ok())
            .max();
        if rb.is_some() || Instant::now() > end {
            break rb;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    eprintln!("coturn received {received:?} bytes from the agent to relay");
    let received = received.expect("a usage line in coturn's log");
    assert!(received > 50_000, "coturn relayed only {received} bytes");
}

#[test]
fn an_expired_credential_is_refused_with_a_clear_error() {
    let relay = coturn();
    // Issued two hours ago for one minute: its expiry has passed.
    let servers = TurnConfig {
        urls: vec![format!("turn:{}?transport=udp", relay.addr())],
        secret: TurnSecret::new(SECRET),
        ttl: Duration::from_secs(60),
        relay_only: true,
    }
    .ice_servers("0000000000000001", unix_now() - 7200);
    let server = &servers[0];
    let turn = TurnServer::from_url(
        &server.urls[0],
        server.username.as_deref().unwrap(),
        server.credential.as_deref().unwrap(),
    )
    .unwrap();
    let started = Instant::now();
    let t = Transport::start(TransportConfig {
        bind: vec![std::net::Ipv4Addr::LOCALHOST.into()],
        turn: vec![turn],
        relay_only: true,
        ..TransportConfig::default()
    })
    .unwrap();
    let took = started.elapsed();
    let s = t.stats();
    eprintln!("refused after {took:?}: {:?}", s.relay_error);
    assert_eq!(
        s.relay_error.as_deref(),
        Some("relay refused the credential (401)")
    );
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert_eq!((s.relay_allocations, s.relays_pending), (0, 0));
    assert!(s.relay_failures >= 1);
    // Nothing to offer: the answer names no candidate of this machine.
    let pending = PendingViewer::new().unwrap();
    let (_, answer) = t.accept_offer(pending.offer_sdp()).unwrap();
    assert!(candidates(&answer).is_empty(), "{answer}");
}
