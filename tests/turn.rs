//! TURN relays against a real coturn on loopback: the agent, told `relay_only` by the broker,
//! offers only a relayed candidate and the helper's receiver (host candidates only) gets
//! decodable video through coturn, and its clicks come back, with the agent reaching coturn
//! over UDP, TCP or TLS (a coturn without UDP, as a relay on port 443 behind a firewall that
//! lets nothing else out); an expired TURN REST credential and an untrusted relay certificate
//! are refused with a clear error, not a hang.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use glass::agent::help::{AgentEvent, LocalAction};
use glass::codecs::open_decoder;
use glass::engine::input::recording::Recorded;
use glass::engine::input::{Button, Point};
use glass::transport::testing::{PendingViewer, TurnRelayServer, ViewerEvent};
use glass::transport::{Transport, TransportConfig, TurnServer};
use glass_broker::BrokerConfig;
use glass_protocol::{ClientMessage, Level, SdpType, ServerMessage, SessionDescription, Signal};
use glass_session::turn::{TurnConfig, TurnSecret};

use crate::help_harness::*;
use crate::input::{Sender, button};

pub(crate) const SECRET: &str = "glass-test-turn-secret-0123456789";

pub(crate) fn coturn() -> TurnRelayServer {
    TurnRelayServer::start(&[
        "--verbose",
        "--use-auth-secret",
        &format!("--static-auth-secret={SECRET}"),
    ])
}

/// A private CA and a relay certificate it signed for `localhost` and 127.0.0.1: (CA
/// certificate DER, relay certificate PEM, relay key PEM).
pub(crate) fn test_ca() -> (Vec<u8>, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert =
        rcgen::CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap()
            .signed_by(&key, &ca)
            .unwrap();
    (ca.der().to_vec(), cert.pem(), key.serialize_pem())
}

/// coturn with a TLS listener whose certificate `cert` and `key` are, and no UDP listener:
/// a client can only come over TCP or TLS.
pub(crate) fn coturn_without_udp(cert: &str, key: &str) -> TurnRelayServer {
    TurnRelayServer::start_tls(
        cert,
        key,
        true,
        &[
            "--verbose",
            "--use-auth-secret",
            &format!("--static-auth-secret={SECRET}"),
        ],
    )
}

pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The `a=candidate` lines of an SDP.
pub(crate) fn candidates(sdp: &str) -> Vec<&str> {
    sdp.lines()
        .filter(|l| l.starts_with("a=candidate:"))
        .collect()
}

/// The agent, told by the broker to use `url` (on `relay`) and nothing else, shares a screen
/// under full control: the helper's receiver (host candidates only) decodes 20 frames relayed
/// by coturn and its clicks reach the agent; coturn saw the permission, the channel and the
/// video. `roots`: the agent's extra CA certificates for a `turns:` relay.
/// A help session whose agent gathers relayed candidates only, through `relay` at `url`:
/// full control allowed, the helper's viewer connected through coturn.
pub(crate) struct Relayed {
    pub(crate) broker: TestBroker,
    pub(crate) helper: Ws,
    pub(crate) agent: TestAgent,
    pub(crate) viewer: glass::transport::testing::UdpViewer,
}

pub(crate) fn relayed_session(
    relay: &TurnRelayServer,
    url: String,
    roots: Vec<Vec<u8>>,
) -> Relayed {
    let broker = TestBroker::start(BrokerConfig {
        turn: Some(TurnConfig {
            urls: vec![url],
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
        c.share.transport.turn_tls_roots = roots;
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
            .send(ClientMessage::Request { level: Level::Full })
            .await;
        let id = agent.asked(Level::Full).await;
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
    Relayed {
        broker,
        helper,
        agent,
        viewer,
    }
}

fn agent_shares_through(relay: &TurnRelayServer, url: String, roots: Vec<Vec<u8>>) {
    let Relayed {
        broker,
        helper: _helper,
        agent,
        viewer,
    } = relayed_session(relay, url, roots);
    let rt = &broker.rt;
    let started = Instant::now();
    let mut dec = open_decoder().unwrap();
    let (mut frames, mut decoded, mut input_ready) = (0, 0, false);
    let end = Instant::now() + Duration::from_secs(10);
    while (decoded < 20 || !input_ready) && Instant::now() < end {
        match viewer.events().recv_timeout(Duration::from_millis(100)) {
            Ok(ViewerEvent::Frame { data, .. }) => {
                frames += 1;
                if dec.decode(&data).unwrap().is_some() {
                    decoded += 1;
                }
            }
            Ok(ViewerEvent::InputReady) => input_ready = true,
            _ => {}
        }
    }
    eprintln!(
        "relayed: {frames} frames, {decoded} decoded in {:?}",
        started.elapsed()
    );
    assert!(decoded >= 20, "only {decoded} of {frames} frames decoded");
    assert!(input_ready, "the input channels open through the relay");
    // The helper's click travels back through the relay and is injected.
    let mut out = Sender::new();
    let p = Point::from_pixel(10, 20, 320, 240);
    let clicked = Instant::now();
    let end = clicked + Duration::from_secs(3);
    let pressed = Recorded::Button(Button::Left, true);
    while Instant::now() < end && !agent.recorder.events().contains(&pressed) {
        viewer.send_input(false, out.msg(button(p, Button::Left, true)));
        viewer.send_input(false, out.msg(button(p, Button::Left, false)));
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        agent.recorder.events().contains(&pressed),
        "the click arrives: {:?}",
        agent.recorder.events()
    );
    eprintln!(
        "relayed: click injected {:?} after sending",
        clicked.elapsed()
    );
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
    // what it received from the agent to relay, the video. (Not the line of the readiness
    // probe's connection, which has no user.)
    let end = Instant::now() + Duration::from_secs(5);
    let received = loop {
        let log = relay.log();
        let rb = log
            .lines()
            .filter(|l| l.contains("usage:") && !l.contains("username=<>"))
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
fn relay_only_agent_streams_to_the_helper_through_coturn() {
    let relay = coturn();
    agent_shares_through(
        &relay,
        format!("turn:{}?transport=udp", relay.addr()),
        vec![],
    );
}

/// coturn's line for the end of a user's session whose client came to `listener` (coturn
/// writes it once the allocation is freed: the agent has stopped by then).
fn session_on(relay: &TurnRelayServer, listener: std::net::SocketAddr) -> String {
    let local = format!("local {listener},");
    let end = Instant::now() + Duration::from_secs(5);
    loop {
        let log = relay.log();
        if let Some(line) = log
            .lines()
            .find(|l| l.contains("closed") && l.contains(&local) && !l.contains("user <>"))
        {
            eprintln!("coturn: {line}");
            return line.to_string();
        }
        assert!(
            Instant::now() < end,
            "no session of the agent on {listener} in coturn's log:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn relay_only_agent_streams_through_coturn_over_tls_when_udp_is_closed() {
    let (ca, cert, key) = test_ca();
    let relay = coturn_without_udp(&cert, &key);
    let url = format!("turns:localhost:{}?transport=tcp", relay.tls_addr().port());
    agent_shares_through(&relay, url, vec![ca]);
    // The allocation came over coturn's TLS listener (coturn has no UDP one).
    let line = session_on(&relay, relay.tls_addr());
    assert!(line.contains("TLS"), "{line}");
}

#[test]
fn relay_only_agent_streams_through_coturn_over_tcp_when_udp_is_closed() {
    let (_, cert, key) = test_ca();
    let relay = coturn_without_udp(&cert, &key);
    agent_shares_through(
        &relay,
        format!("turn:{}?transport=tcp", relay.addr()),
        vec![],
    );
    session_on(&relay, relay.addr());
}

/// A relay-only transport started with a TURN REST credential for `url` issued at `issued`
/// (Unix s) for `ttl`, trusting `roots` besides the Web PKI; and how long the start took.
pub(crate) fn relay_only_transport(
    url: String,
    issued: u64,
    ttl: Duration,
    roots: Vec<Vec<u8>>,
) -> (Transport, Duration) {
    let servers = TurnConfig {
        urls: vec![url],
        secret: TurnSecret::new(SECRET),
        ttl,
        relay_only: true,
    }
    .ice_servers("0000000000000001", issued);
    let turn = TurnServer::from_url(
        &servers[0].urls[0],
        servers[0].username.as_deref().unwrap(),
        servers[0].credential.as_deref().unwrap(),
    )
    .unwrap();
    let started = Instant::now();
    let t = Transport::start(TransportConfig {
        bind: vec![std::net::Ipv4Addr::LOCALHOST.into()],
        turn: vec![turn],
        relay_only: true,
        turn_tls_roots: roots,
        ..TransportConfig::default()
    })
    .unwrap();
    (t, started.elapsed())
}

#[test]
fn a_relay_over_tls_is_allocated_at_start_and_offered() {
    let (ca, cert, key) = test_ca();
    let relay = coturn_without_udp(&cert, &key);
    let (t, took) = relay_only_transport(
        format!("turns:localhost:{}", relay.tls_addr().port()),
        unix_now(),
        Duration::from_secs(600),
        vec![ca],
    );
    let s = t.stats();
    eprintln!("allocated over TLS (connect, handshake, allocation) in {took:?}");
    assert_eq!((s.relay_allocations, s.relays_pending), (1, 0), "{s:?}");
    assert_eq!(s.relay_error, None);
    assert!(took < Duration::from_secs(2), "took {took:?}");
    // The answer offers the relayed address, never the relay's own.
    let pending = PendingViewer::new().unwrap();
    let (_, answer) = t.accept_offer(pending.offer_sdp()).unwrap();
    let lines = candidates(&answer);
    assert_eq!(lines.len(), 1, "{answer}");
    assert!(lines[0].contains(" typ relay"), "{}", lines[0]);
    assert!(
        !lines[0].contains(&format!(" {} ", relay.tls_addr().port())),
        "{}",
        lines[0]
    );
}

#[test]
fn an_untrusted_relay_certificate_is_refused_and_named() {
    let (_, cert, key) = test_ca();
    let relay = coturn_without_udp(&cert, &key);
    // The Web PKI roots only: the relay's private CA is not among them.
    let (t, took) = relay_only_transport(
        format!("turns:localhost:{}", relay.tls_addr().port()),
        unix_now(),
        Duration::from_secs(600),
        vec![],
    );
    let s = t.stats();
    eprintln!("refused after {took:?}: {:?}", s.relay_error);
    let error = s.relay_error.clone().unwrap_or_default();
    assert!(
        error.contains("certificate") && error.contains("UnknownIssuer"),
        "{error:?}"
    );
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert_eq!((s.relay_allocations, s.relays_pending), (0, 0));
    // Nothing to offer: no relay, and relay only.
    let pending = PendingViewer::new().unwrap();
    let (_, answer) = t.accept_offer(pending.offer_sdp()).unwrap();
    assert!(candidates(&answer).is_empty(), "{answer}");
    assert!(!relay.log().contains("ALLOCATE processed, success"));
}

#[test]
fn an_expired_credential_is_refused_with_a_clear_error() {
    let relay = coturn();
    // Issued two hours ago for one minute: its expiry has passed.
    let (t, took) = relay_only_transport(
        format!("turn:{}?transport=udp", relay.addr()),
        unix_now() - 7200,
        Duration::from_secs(60),
        vec![],
    );
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
