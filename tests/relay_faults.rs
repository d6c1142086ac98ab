//! Faults (issue 12, "Load and faults"): coturn killed (SIGKILL) mid-session, against a real
//! coturn started here on loopback. The sharer's relay-only transport says the relay is lost
//! (the viewer's `ViewerLeft` reason is `relay lost`, and a `RelayLost` event names the
//! relay) within a bounded time, the viewer's connection ends, and nothing hangs or panics.
//! Over UDP, and over TCP and TLS (a relay with no UDP listener).

use std::time::{Duration, Instant};

use glass::transport::testing::{PendingViewer, TurnRelayServer, ViewerEvent};
use glass::transport::{RELAY_LOST, TransportEvent};

use crate::transport::Source;
use crate::turn::{
    candidates, coturn, coturn_without_udp, relay_only_transport, test_ca, unix_now,
};

/// A relay-only transport on `relay` (through `url`, trusting `roots`) streams to a viewer;
/// coturn is killed (SIGKILL) mid-stream. The sharer's transport must say "relay lost" (the
/// viewer's `ViewerLeft` reason, and a `RelayLost` event) within `sharer_bound`, and the viewer
/// must see its connection end (str0m's ICE says so after 15–25 s). Returns (time to the sharer's relay lost, time to the viewer's
/// end), measured from the kill.
fn killed_relay_is_reported(
    mut relay: TurnRelayServer,
    url: String,
    roots: Vec<Vec<u8>>,
) -> (Duration, Duration) {
    let (t, _) = relay_only_transport(url, unix_now(), Duration::from_secs(600), roots);
    let pending = PendingViewer::new().unwrap();
    let (id, answer) = t.accept_offer(pending.offer_sdp()).unwrap();
    assert!(
        candidates(&answer).iter().all(|c| c.contains(" typ relay")),
        "{answer}"
    );
    let viewer = pending.start(&answer).unwrap();
    let mut source = Source::new();
    let mut want_keyframe = true;

    // Video through coturn first.
    let mut frames = 0;
    let end = Instant::now() + Duration::from_secs(15);
    while frames < 20 && Instant::now() < end {
        while let Ok(e) = t.events().try_recv() {
            want_keyframe |= e == TransportEvent::KeyframeRequested(id);
        }
        t.send_frame(source.next(std::mem::take(&mut want_keyframe)));
        while let Ok(e) = viewer.events().try_recv() {
            frames += usize::from(matches!(e, ViewerEvent::Frame { .. }));
        }
        std::thread::sleep(Duration::from_millis(33));
    }
    let before = t.stats();
    assert!(
        frames >= 20,
        "only {frames} frames through the relay: {before:?}"
    );
    assert!(before.relay_bytes_out > 10_000, "{before:?}");

    relay.kill();
    let killed = Instant::now();
    let (mut viewer_left, mut relay_lost, mut viewer_ended) = (None, None, None);
    // The sharer keeps sending (as a live share does) and must not hang.
    while (viewer_left.is_none() || relay_lost.is_none() || viewer_ended.is_none())
        && killed.elapsed() < Duration::from_secs(90)
    {
        while let Ok(e) = t.events().try_recv() {
            match e {
                TransportEvent::ViewerLeft { id: left, reason } if left == id => {
                    eprintln!(
                        "sharer: viewer left ({reason}) {:?} after the kill",
                        killed.elapsed()
                    );
                    viewer_left = Some((reason, killed.elapsed()));
                }
                TransportEvent::RelayLost { server, reason } => {
                    eprintln!(
                        "sharer: relay {server} lost ({reason}) {:?} after the kill",
                        killed.elapsed()
                    );
                    relay_lost = Some((reason, killed.elapsed()));
                }
                _ => {}
            }
        }
        t.send_frame(source.next(false));
        while let Ok(e) = viewer.events().try_recv() {
            if matches!(e, ViewerEvent::Disconnected | ViewerEvent::Closed)
                && viewer_ended.is_none()
            {
                eprintln!(
                    "viewer: connection ended ({e:?}) {:?} after the kill",
                    killed.elapsed()
                );
                viewer_ended = Some((e, killed.elapsed()));
            }
        }
        std::thread::sleep(Duration::from_millis(33));
    }
    let s = t.stats();
    eprintln!("after the kill: {s:?}");
    let (reason, left_after) = viewer_left.expect("the sharer saw the viewer leave");
    assert_eq!(reason, RELAY_LOST);
    let (why, lost_after) = relay_lost.expect("the sharer was told the relay is lost");
    assert_eq!(why, "relay allocation lost");
    assert_eq!(s.relays_lost, 1, "{s:?}");
    assert_eq!(s.relay_error.as_deref(), Some("relay allocation lost"));
    assert_eq!(s.sessions, 0, "{s:?}");
    let (how, viewer_after) = viewer_ended.expect("the viewer's connection ended");
    // ICE lost the path: nothing reached the viewer any other way than through the relay
    // (a relay-only share never sends from this machine's own address, not even a goodbye).
    assert_eq!(how, ViewerEvent::Disconnected);
    // Nothing left to offer: relays only, and the relay is gone; said at once, not a hang.
    let pending = PendingViewer::new().unwrap();
    let (_, answer) = t.accept_offer(pending.offer_sdp()).unwrap();
    assert!(candidates(&answer).is_empty(), "{answer}");
    t.shutdown();
    (left_after.max(lost_after), viewer_after)
}

/// Far above what was measured (UDP: about 4 s; TLS: within the test's 33 ms polling), for a
/// noisy machine.
const SHARER_BOUND: Duration = Duration::from_secs(10);

#[test]
fn coturn_killed_mid_session_is_reported_as_relay_lost_over_udp() {
    let relay = coturn();
    let url = format!("turn:{}?transport=udp", relay.addr());
    let (sharer, viewer) = killed_relay_is_reported(relay, url, vec![]);
    eprintln!("UDP: relay lost after {sharer:?}; viewer ended after {viewer:?}");
    assert!(sharer < SHARER_BOUND, "{sharer:?}");
}

#[test]
fn coturn_killed_mid_session_is_reported_as_relay_lost_over_tls() {
    let (ca, cert, key) = test_ca();
    let relay = coturn_without_udp(&cert, &key);
    let url = format!("turns:localhost:{}?transport=tcp", relay.tls_addr().port());
    let (sharer, viewer) = killed_relay_is_reported(relay, url, vec![ca]);
    eprintln!("TLS: relay lost after {sharer:?}; viewer ended after {viewer:?}");
    assert!(sharer < SHARER_BOUND, "{sharer:?}");
}

/// The other way round: the viewer dies (killed, no goodbye) while the relay lives. The
/// relay answers its probe, so the session ends under its own reason (`timeout`), not
/// `relay lost`, and the relay stays in use for the next viewer.
#[test]
fn a_dead_viewer_behind_a_live_relay_is_not_a_lost_relay() {
    let relay = coturn();
    let url = format!("turn:{}?transport=udp", relay.addr());
    let (t, _) = relay_only_transport(url, unix_now(), Duration::from_secs(600), vec![]);
    let pending = PendingViewer::new().unwrap();
    let (id, answer) = t.accept_offer(pending.offer_sdp()).unwrap();
    let viewer = pending.start(&answer).unwrap();
    let mut source = Source::new();
    let mut want_keyframe = true;
    let mut frames = 0;
    let end = Instant::now() + Duration::from_secs(15);
    while frames < 10 && Instant::now() < end {
        while let Ok(e) = t.events().try_recv() {
            want_keyframe |= e == TransportEvent::KeyframeRequested(id);
        }
        t.send_frame(source.next(std::mem::take(&mut want_keyframe)));
        while let Ok(e) = viewer.events().try_recv() {
            frames += usize::from(matches!(e, ViewerEvent::Frame { .. }));
        }
        std::thread::sleep(Duration::from_millis(33));
    }
    assert!(frames >= 10, "only {frames} frames through the relay");
    viewer.kill();
    let killed = Instant::now();
    let mut left = None;
    while left.is_none() && killed.elapsed() < Duration::from_secs(30) {
        while let Ok(e) = t.events().try_recv() {
            match e {
                TransportEvent::ViewerLeft { id: gone, reason } if gone == id => {
                    left = Some((reason, killed.elapsed()));
                }
                TransportEvent::RelayLost { .. } => panic!("a live relay reported lost: {e:?}"),
                _ => {}
            }
        }
        t.send_frame(source.next(false));
        std::thread::sleep(Duration::from_millis(33));
    }
    let (reason, after) = left.expect("the sharer saw the viewer leave");
    eprintln!("dead viewer behind a live relay: left ({reason}) {after:?} after the kill");
    assert_eq!(reason, "timeout");
    let s = t.stats();
    assert_eq!(
        (s.relays_lost, s.relay_error.as_deref()),
        (0, None),
        "{s:?}"
    );
    assert!(s.relay_probes >= 1, "{s:?}");
    // The relay is still offered to the next viewer.
    let pending = PendingViewer::new().unwrap();
    let (_, answer) = t.accept_offer(pending.offer_sdp()).unwrap();
    let lines = candidates(&answer);
    assert!(
        !lines.is_empty() && lines.iter().all(|c| c.contains(" typ relay")),
        "{answer}"
    );
    t.shutdown();
}

#[test]
fn coturn_killed_mid_session_is_reported_as_relay_lost_over_tcp() {
    let (_, cert, key) = test_ca();
    let relay = coturn_without_udp(&cert, &key);
    let url = format!("turn:{}?transport=tcp", relay.addr());
    let (sharer, viewer) = killed_relay_is_reported(relay, url, vec![]);
    eprintln!("TCP: relay lost after {sharer:?}; viewer ended after {viewer:?}");
    assert!(sharer < SHARER_BOUND, "{sharer:?}");
}

/// In a help session, the sharer's agent tells its user when the relay dies (an `error`
/// event `relay_lost` naming it), rather than the picture silently freezing.
#[test]
fn the_agent_tells_its_user_when_the_relay_dies() {
    use glass::agent::help::AgentEvent;
    let mut relay = coturn();
    let url = format!("turn:{}?transport=udp", relay.addr());
    let crate::turn::Relayed {
        broker,
        helper: _helper,
        mut agent,
        viewer,
    } = crate::turn::relayed_session(&relay, url, vec![]);
    assert_eq!(
        crate::help_harness::frames_within(&viewer, 10, Duration::from_secs(10)),
        10,
        "video through coturn first"
    );
    relay.kill();
    let killed = Instant::now();
    let said = broker.rt.block_on(agent.until(
        Duration::from_secs(15),
        |e| matches!(e, AgentEvent::Error { code, .. } if code == "relay_lost"),
    ));
    eprintln!("agent: {said:?} {:?} after the kill", killed.elapsed());
    assert!(killed.elapsed() < SHARER_BOUND, "{:?}", killed.elapsed());
}
