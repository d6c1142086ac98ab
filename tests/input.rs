//! Remote input end to end without a browser.
//!
//! - Over the real transport: a `Share` of the synthetic source with a recording injector,
//!   and the native str0m viewer (`glass::transport::testing`) sending input-protocol
//!   messages on its `input` and `pointer` data channels over loopback UDP.
//! - Into a real X server: the XTest injector on Xvfb, checked by an X client that records
//!   the key, button and pointer events it receives.

use std::time::{Duration, Instant};

use glass::engine::input::recording::{Recorded, RecordingInjector};
use glass::engine::input::wire::{InputEvent, InputMessage};
use glass::engine::input::{Button, ControlLevel, Key, Modifiers, Point, WheelMode};
use glass::share::{Share, ShareConfig};
use glass::transport::TransportConfig;
use glass::transport::control::{ControlMessage, Level};
use glass::transport::testing::{PendingViewer, UdpViewer, ViewerEvent};

use crate::whep::http;

/// Builds wire messages with a running sequence number.
pub struct Sender {
    seq: u32,
}

impl Sender {
    pub fn new() -> Sender {
        Sender { seq: 0 }
    }

    pub fn msg(&mut self, event: InputEvent<'_>) -> Vec<u8> {
        self.seq = self.seq.wrapping_add(1);
        let mut v = Vec::new();
        InputMessage {
            seq: self.seq,
            timestamp_us: 0,
            event,
        }
        .encode(&mut v);
        v
    }
}

pub fn key(code: &str, down: bool, mods: u8) -> InputEvent<'static> {
    InputEvent::Key {
        key: Key::from_code(code).unwrap(),
        down,
        modifiers: Modifiers::from_bits(mods).unwrap(),
    }
}

pub fn button(at: Point, button: Button, down: bool) -> InputEvent<'static> {
    InputEvent::Button {
        at,
        button,
        down,
        modifiers: Modifiers::default(),
    }
}

fn k(code: &str, down: bool) -> Recorded {
    Recorded::Key(Key::from_code(code).unwrap(), down)
}

struct Session {
    share: Share,
    recorder: RecordingInjector,
    viewer: UdpViewer,
    id: String,
    out: Sender,
    /// Viewer events seen while waiting for others.
    backlog: Vec<ViewerEvent>,
}

fn start(level: ControlLevel) -> Session {
    let recorder = RecordingInjector::new();
    let share = Share::start_with_injector(
        ShareConfig {
            source: "synthetic:static:320x240@10".parse().unwrap(),
            listen: "127.0.0.1:0".parse().unwrap(),
            transport: TransportConfig {
                bind: vec![std::net::Ipv4Addr::LOCALHOST.into()],
                ..TransportConfig::default()
            },
            control: level,
            ..ShareConfig::default()
        },
        Box::new(recorder.clone()),
    )
    .unwrap();
    let pending = PendingViewer::new().unwrap();
    let reply = http(
        share.local_addr(),
        "POST",
        "/whep",
        &[("Content-Type", "application/sdp")],
        pending.offer_sdp().as_bytes(),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let location = reply.header("Location").unwrap().to_string();
    let id = location.rsplit('/').next().unwrap().to_string();
    let viewer = pending.start(&reply.body).unwrap();
    let mut s = Session {
        share,
        recorder,
        viewer,
        id,
        out: Sender::new(),
        backlog: Vec::new(),
    };
    s.wait_for(Duration::from_secs(5), |e| *e == ViewerEvent::InputReady);
    s
}

fn level_message(level: Level) -> impl Fn(&ViewerEvent) -> bool {
    move |e| *e == ViewerEvent::Control(ControlMessage::Control { level })
}

/// Waits until the recorder holds `n` events (or `limit` passes) and returns them.
fn recorded(r: &RecordingInjector, n: usize, limit: Duration) -> Vec<Recorded> {
    let end = Instant::now() + limit;
    while r.events().len() < n && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(5));
    }
    r.events()
}

impl Session {
    /// Waits for a viewer event (or finds it among those already seen), consuming it.
    fn wait_for(&mut self, limit: Duration, f: impl Fn(&ViewerEvent) -> bool) {
        if let Some(i) = self.backlog.iter().position(&f) {
            self.backlog.remove(i);
            return;
        }
        let end = Instant::now() + limit;
        loop {
            match self
                .viewer
                .events()
                .recv_timeout(end.saturating_duration_since(Instant::now()))
            {
                Ok(e) if f(&e) => return,
                Ok(e) => self.backlog.push(e),
                Err(_) => panic!("viewer event not seen within {limit:?}: {:?}", self.backlog),
            }
        }
    }

    fn send(&mut self, event: InputEvent<'_>) {
        let unordered = matches!(event, InputEvent::PointerMove(_));
        let m = self.out.msg(event);
        self.viewer.send_input(unordered, m);
    }
}

#[test]
fn full_control_injects_in_order_and_measures_latency() {
    let mut s = start(ControlLevel::Full);
    s.wait_for(Duration::from_secs(3), level_message(Level::Full));
    let p = Point::from_pixel(10, 20, 320, 240);
    s.send(InputEvent::PointerMove(p));
    // Give the unordered move a head start so the ordering below is deterministic.
    recorded(&s.recorder, 1, Duration::from_secs(2));
    s.send(button(p, Button::Left, true));
    s.send(button(p, Button::Left, false));
    s.send(key("ShiftLeft", true, 1));
    s.send(key("KeyH", true, 1));
    s.send(key("KeyH", false, 1));
    s.send(key("ShiftLeft", false, 0));
    s.send(InputEvent::Text("é ✓ 日本"));
    s.send(InputEvent::Wheel {
        at: p,
        mode: WheelMode::Pixel,
        modifiers: Modifiers::default(),
        dx: 0,
        dy: -120,
    });
    let ev = recorded(&s.recorder, 12, Duration::from_secs(3));
    assert_eq!(
        ev,
        vec![
            Recorded::MoveTo(p),
            Recorded::MoveTo(p),
            Recorded::Button(Button::Left, true),
            Recorded::MoveTo(p),
            Recorded::Button(Button::Left, false),
            k("ShiftLeft", true),
            k("KeyH", true),
            k("KeyH", false),
            k("ShiftLeft", false),
            Recorded::Text("é ✓ 日本".into()),
            Recorded::MoveTo(p),
            Recorded::Wheel(WheelMode::Pixel, 0, -120),
        ]
    );
    let stats = s.share.stats().unwrap();
    assert_eq!(stats.input.stats.injected, 9);
    assert_eq!(stats.input.stats.received, 9);
    assert_eq!(stats.input.injector, "recording");
    assert_eq!(stats.input.viewers_in_control, 1);
    assert_eq!(stats.input.latency.samples, 9);
    // Same machine, same clock: the latency is real and small, and never the "clock
    // skew" zero for all samples.
    assert!(stats.input.latency.max_us > 0);
    assert!(
        stats.input.latency.p50_us < 1_000_000,
        "{:?}",
        stats.input.latency
    );
}

#[test]
fn view_only_injects_nothing_and_counts_every_message() {
    let mut s = start(ControlLevel::View);
    s.wait_for(Duration::from_secs(3), level_message(Level::View));
    let p = Point::from_pixel(5, 5, 320, 240);
    s.send(InputEvent::PointerMove(p));
    s.send(button(p, Button::Left, true));
    s.send(key("KeyA", true, 0));
    s.send(InputEvent::Text("nope"));
    let end = Instant::now() + Duration::from_secs(3);
    while s.share.stats().unwrap().input.stats.received < 4 && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(10));
    }
    let stats = s.share.stats().unwrap().input;
    assert_eq!(stats.stats.received, 4);
    assert_eq!(stats.stats.dropped_view_only, 4);
    assert_eq!(stats.stats.injected, 0);
    assert!(s.recorder.events().is_empty());
    // The viewer is told live, on the control channel, that its input was dropped.
    s.wait_for(Duration::from_secs(3), |e| {
        *e == ViewerEvent::Control(ControlMessage::Input {
            received: 4,
            injected: 0,
            rejected: 0,
            dropped: 4,
        })
    });
}

#[test]
fn malformed_input_is_rejected_and_counted() {
    let mut s = start(ControlLevel::Full);
    s.viewer.send_input(false, vec![1, 4, 0, 0]);
    s.viewer.send_input(false, b"{\"type\":\"key\"}".to_vec());
    let mut bad_key = s.out.msg(key("KeyA", true, 0));
    let n = bad_key.len();
    bad_key[n - 1] = b'!'; // "KeyA" → "Key!"
    s.viewer.send_input(false, bad_key);
    s.send(key("KeyB", true, 0));
    let ev = recorded(&s.recorder, 1, Duration::from_secs(3));
    assert_eq!(ev, vec![k("KeyB", true)]);
    let stats = s.share.stats().unwrap().input.stats;
    assert_eq!(stats.rejected, 3);
    assert_eq!(stats.injected, 1);
}

#[test]
fn killed_viewer_releases_what_it_held() {
    let mut s = start(ControlLevel::Full);
    s.send(key("ControlLeft", true, 2));
    s.send(button(Point::default(), Button::Right, true));
    recorded(&s.recorder, 3, Duration::from_secs(3));
    let held_at = Instant::now();
    let Session {
        share,
        recorder,
        viewer,
        ..
    } = s;
    viewer.kill();
    let ev = recorded(&recorder, 5, Duration::from_secs(4));
    let took = held_at.elapsed();
    assert!(ev.contains(&k("ControlLeft", false)), "{ev:?}");
    assert!(
        ev.contains(&Recorded::Button(Button::Right, false)),
        "{ev:?}"
    );
    // Noticed by the heartbeat (1.5 s), then released at once.
    assert!(
        took < Duration::from_millis(2500),
        "released after {took:?}"
    );
    assert_eq!(share.stats().unwrap().input.stats.released, 2);
}

#[test]
fn closing_viewer_releases_at_once() {
    let mut s = start(ControlLevel::Full);
    s.send(key("AltLeft", true, 4));
    recorded(&s.recorder, 1, Duration::from_secs(3));
    let Session {
        recorder, viewer, ..
    } = s;
    let t = Instant::now();
    viewer.close();
    let ev = recorded(&recorder, 2, Duration::from_secs(2));
    assert_eq!(ev, vec![k("AltLeft", true), k("AltLeft", false)]);
    assert!(
        t.elapsed() < Duration::from_millis(500),
        "{:?}",
        t.elapsed()
    );
}

#[test]
fn the_app_and_the_viewer_change_the_level_during_a_session() {
    let mut s = start(ControlLevel::View);
    s.wait_for(Duration::from_secs(3), level_message(Level::View));
    s.share.set_control(ControlLevel::Full).unwrap();
    s.wait_for(Duration::from_secs(3), level_message(Level::Full));
    s.send(key("ShiftRight", true, 1));
    recorded(&s.recorder, 1, Duration::from_secs(3));
    // Back to view-only: the held key is released and input stops.
    s.share
        .set_viewer_control(&s.id, ControlLevel::View)
        .unwrap();
    s.wait_for(Duration::from_secs(3), level_message(Level::View));
    s.send(key("KeyX", true, 1));
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        s.recorder.events(),
        vec![k("ShiftRight", true), k("ShiftRight", false)]
    );
    // Full again; then the helper gives control back from the viewer side, and cannot
    // take it back by itself.
    s.share.set_control(ControlLevel::Full).unwrap();
    s.wait_for(Duration::from_secs(3), level_message(Level::Full));
    s.viewer
        .send_control(ControlMessage::Control { level: Level::View });
    s.wait_for(Duration::from_secs(3), level_message(Level::View));
    s.viewer
        .send_control(ControlMessage::Control { level: Level::Full });
    std::thread::sleep(Duration::from_millis(200));
    s.send(key("KeyY", true, 0));
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(s.recorder.events().len(), 2);
    let stats = s.share.stats().unwrap().input;
    assert_eq!(stats.viewers_in_control, 0);
    assert_eq!(stats.stats.dropped_view_only, 2);
    assert!(
        s.share
            .set_viewer_control("nonsense", ControlLevel::Full)
            .is_err()
    );
}

#[cfg(target_os = "linux")]
mod x11 {
    use super::*;
    use crate::xclient::{XClient, XEvent};
    use crate::xvfb::Xvfb;
    use glass::engine::input::InputGate;
    use glass::engine::input::x11::XTestInjector;

    const W: u32 = 640;
    const H: u32 = 480;

    #[test]
    fn xtest_moves_clicks_types_and_releases() {
        let x = Xvfb::start(W, H);
        let mut client = XClient::open(x.display(), W as u16, H as u16);
        let mut inj = XTestInjector::open(Some(x.display()), None).unwrap();
        let mut gate = InputGate::new(ControlLevel::Full);
        let mut out = Sender::new();
        let now = Instant::now();
        let mut send = |gate: &mut InputGate, inj: &mut XTestInjector, e: InputEvent<'_>| {
            let m = out.msg(e);
            let o = gate.handle_message(now, &m, inj);
            assert!(
                matches!(o, glass::engine::input::gate::Outcome::Injected { .. }),
                "{e:?}: {o:?}"
            );
        };

        send(
            &mut gate,
            &mut inj,
            InputEvent::PointerMove(Point::from_pixel(100, 50, W, H)),
        );
        client.collect_until(Duration::from_millis(300), |_| false);
        assert_eq!(client.pointer(), (100, 50));

        let at = Point::from_pixel(200, 120, W, H);
        send(&mut gate, &mut inj, button(at, Button::Right, true));
        send(&mut gate, &mut inj, button(at, Button::Right, false));
        send(
            &mut gate,
            &mut inj,
            InputEvent::Wheel {
                at,
                mode: WheelMode::Line,
                modifiers: Modifiers::default(),
                dx: 0,
                dy: 3,
            },
        );
        for e in [
            key("KeyA", true, 0),
            key("KeyA", false, 0),
            key("ShiftLeft", true, 1),
            key("KeyB", true, 1),
            key("KeyB", false, 1),
            key("Digit1", true, 1),
            key("Digit1", false, 1),
            key("ShiftLeft", false, 0),
            key("Enter", true, 0),
            key("Enter", false, 0),
        ] {
            send(&mut gate, &mut inj, e);
        }
        let text = "héllo ✓ 日本 Ünïcödé€";
        send(&mut gate, &mut inj, InputEvent::Text(text));
        let expected = format!("aB!\n{text}");
        client.collect_until(Duration::from_secs(5), |ev| {
            ev.iter()
                .filter(|e| matches!(e, XEvent::KeyPress(..)))
                .count()
                >= 6 + text.chars().count()
        });
        assert_eq!(client.typed(), expected, "{:?}", client.events);
        let buttons: Vec<&XEvent> = client
            .events
            .iter()
            .filter(|e| matches!(e, XEvent::ButtonPress(..) | XEvent::ButtonRelease(..)))
            .collect();
        assert_eq!(
            buttons,
            vec![
                &XEvent::ButtonPress(3, 200, 120),
                &XEvent::ButtonRelease(3, 200, 120),
                // Three lines down = one click of button 5.
                &XEvent::ButtonPress(5, 200, 120),
                &XEvent::ButtonRelease(5, 200, 120),
            ]
        );
        assert!(!client.holds_anything());

        // Held keys and buttons are released when the viewer goes away.
        send(&mut gate, &mut inj, key("ControlLeft", true, 2));
        send(&mut gate, &mut inj, button(at, Button::Left, true));
        client.collect_until(Duration::from_secs(2), |ev| {
            ev.iter().any(|e| matches!(e, XEvent::ButtonPress(1, ..)))
        });
        assert!(client.holds_anything());
        gate.release_all(&mut inj);
        client.collect_until(Duration::from_secs(2), |ev| {
            ev.iter().any(|e| matches!(e, XEvent::ButtonRelease(1, ..)))
        });
        client.collect_until(Duration::from_millis(200), |_| false);
        assert!(!client.holds_anything(), "{:?}", client.events);
    }
}
