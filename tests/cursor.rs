//! The pointer as its own stream, on a real X server: XFIXES shapes and XInput 2 moves from
//! `X11CursorSource`, frames captured without the pointer, and a share that sends the
//! pointer to a real (native str0m) viewer only while sharing is not paused.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use glass::engine::capture::Capturer;
use glass::engine::capture::x11::{X11Capturer, X11CursorSource, cursor_shape_of};
use glass::engine::cursor::{CursorShape, CursorSource, CursorUpdate};
use glass::share::{Share, ShareConfig};
use glass::transport::TransportConfig;
use glass::transport::cursor::CursorMessage;
use glass::transport::testing::{PendingViewer, UdpViewer, ViewerEvent};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt as _, CreateWindowAux, Window, WindowClass};
use x11rb::protocol::{xfixes, xtest};
use x11rb::rust_connection::RustConnection;

use crate::xvfb::Xvfb;

/// Glyphs of the X `cursor` font (X11/cursorfont.h).
pub const XC_XTERM: u16 = 152;
pub const XC_HAND2: u16 = 60;

/// A client that lays out windows with cursors of their own and moves the pointer (XTEST,
/// as the input injector does).
pub struct Desk {
    pub conn: RustConnection,
    pub root: Window,
}

impl Desk {
    pub fn open(display: &str) -> Desk {
        let (conn, screen) = RustConnection::connect(Some(display)).expect("connect to Xvfb");
        let root = conn.setup().roots[screen].root;
        // XFIXES answers nothing before its version is agreed.
        xfixes::query_version(&conn, 5, 0).unwrap().reply().unwrap();
        Desk { conn, root }
    }

    /// A mapped window at (`x`, `y`) showing the `cursor` font's `glyph` as its cursor.
    pub fn window(&self, x: i16, y: i16, w: u16, h: u16, pixel: u32, glyph: u16) -> Window {
        let c = &self.conn;
        let font = c.generate_id().unwrap();
        c.open_font(font, b"cursor").unwrap();
        let cursor = c.generate_id().unwrap();
        c.create_glyph_cursor(
            cursor,
            font,
            font,
            glyph,
            glyph + 1,
            0,
            0,
            0,
            0xffff,
            0xffff,
            0xffff,
        )
        .unwrap();
        let window = c.generate_id().unwrap();
        c.create_window(
            0,
            window,
            self.root,
            x,
            y,
            w,
            h,
            0,
            WindowClass::INPUT_OUTPUT,
            0,
            &CreateWindowAux::new()
                .background_pixel(pixel)
                .override_redirect(1)
                .cursor(cursor),
        )
        .unwrap();
        c.map_window(window).unwrap();
        c.get_input_focus().unwrap().reply().unwrap();
        window
    }

    pub fn move_to(&self, x: i16, y: i16) {
        xtest::fake_input(&self.conn, 6, 0, x11rb::CURRENT_TIME, self.root, x, y, 0).unwrap();
        self.conn.get_input_focus().unwrap().reply().unwrap();
    }

    /// The cursor shown now as XFIXES reports it, as straight RGBA.
    pub fn cursor_shape(&self) -> CursorShape {
        let r = xfixes::get_cursor_image(&self.conn)
            .unwrap()
            .reply()
            .unwrap();
        cursor_shape_of(&r).expect("a cursor image")
    }

    /// What XFIXES says the cursor is now: (serial, width, height, hot x, hot y).
    pub fn cursor(&self) -> (u32, u16, u16, u16, u16) {
        let r = xfixes::get_cursor_image(&self.conn)
            .unwrap()
            .reply()
            .unwrap();
        (r.cursor_serial, r.width, r.height, r.xhot, r.yhot)
    }
}

/// The pointer as a viewer knows it from the updates so far.
#[derive(Default)]
struct Seen {
    shapes: HashMap<u32, CursorShape>,
    serial: Option<u32>,
    at: Option<(i32, i32)>,
    updates: usize,
}

impl Seen {
    fn apply(&mut self, u: CursorUpdate) {
        if let Some(s) = u.shape {
            assert_eq!(s.serial, u.serial);
            self.shapes.insert(s.serial, s);
        }
        assert!(
            self.shapes.contains_key(&u.serial),
            "position with serial {} before its shape",
            u.serial
        );
        self.serial = Some(u.serial);
        self.at = Some((u.x, u.y));
        self.updates += 1;
    }

    /// Reads updates until the pointer is at `at` with a settled shape (`ms` at most).
    fn until_at(&mut self, src: &mut dyn CursorSource, at: (i32, i32), ms: u64) {
        let end = Instant::now() + Duration::from_millis(ms);
        while Instant::now() < end {
            match src
                .next(Instant::now() + Duration::from_millis(50))
                .unwrap()
            {
                Some(u) => self.apply(u),
                None if self.at == Some(at) => return,
                None => {}
            }
        }
        panic!("pointer not seen at {at:?}: last {:?}", self.at);
    }

    fn shape(&self) -> &CursorShape {
        &self.shapes[&self.serial.expect("a serial")]
    }
}

/// A 200×100 screen: an I-beam window on the left half, a hand window on the right.
fn two_windows() -> (Xvfb, Desk) {
    let x = Xvfb::start(200, 100);
    let desk = Desk::open(x.display());
    desk.window(0, 0, 100, 100, 0x20_40_60, XC_XTERM);
    desk.window(100, 0, 100, 100, 0x60_40_20, XC_HAND2);
    (x, desk)
}

#[test]
fn x11_cursor_shape_follows_the_window_under_the_pointer() {
    let (x, desk) = two_windows();
    let mut src = X11CursorSource::open(Some(x.display()), None).expect("open");
    assert!(src.event_driven(), "Xvfb has XInput 2: moves are events");
    let mut seen = Seen::default();
    let first = src
        .next(Instant::now() + Duration::from_secs(2))
        .unwrap()
        .expect("the first update comes at once");
    assert!(first.shape.is_some(), "the first update carries the shape");
    seen.apply(first);

    desk.move_to(50, 50);
    seen.until_at(&mut src, (50, 50), 3000);
    let (xterm_serial, w, h, hx, hy) = desk.cursor();
    assert_eq!(seen.serial, Some(xterm_serial), "the I-beam's serial");
    let ibeam = seen.shape().clone();
    assert_eq!(
        (ibeam.width, ibeam.height, ibeam.hot_x, ibeam.hot_y),
        (w.into(), h.into(), hx.into(), hy.into()),
        "size and hotspot as XFIXES reports them"
    );

    desk.move_to(150, 40);
    seen.until_at(&mut src, (150, 40), 3000);
    let hand = seen.shape().clone();
    assert_ne!(hand.serial, ibeam.serial, "another window, another cursor");
    assert_ne!(hand.rgba, ibeam.rgba, "the hand is not the I-beam");
    assert_eq!(seen.serial, Some(desk.cursor().0));

    // Back over the terminal: the I-beam's serial again, and the same image.
    desk.move_to(20, 30);
    seen.until_at(&mut src, (20, 30), 3000);
    assert_eq!(seen.serial, Some(ibeam.serial));
    assert_eq!(seen.shape(), &ibeam);

    // Moves within one window: positions only, no new shape.
    let shapes = seen.shapes.len();
    let updates = seen.updates;
    for i in 0..5 {
        desk.move_to(30 + i * 10, 60);
        seen.until_at(&mut src, (30 + i32::from(i) * 10, 60), 3000);
    }
    assert_eq!(seen.shapes.len(), shapes);
    assert!(seen.updates > updates);

    // An idle pointer: nothing, until the deadline.
    let t = Instant::now();
    assert_eq!(
        src.next(Instant::now() + Duration::from_millis(300))
            .unwrap(),
        None
    );
    assert!(t.elapsed() >= Duration::from_millis(290));
}

/// `GetImage` leaves the sprite out: the pixels under the pointer are the window's, and a
/// pointer moving across windows (shape changes included) makes no frame to encode.
#[test]
fn captured_frames_do_not_contain_the_pointer_so_moves_cost_no_frame() {
    let (x, desk) = two_windows();
    desk.move_to(50, 50);
    let mut c = X11Capturer::open(Some(x.display()), None).expect("open");
    let f = c
        .capture(Instant::now() + Duration::from_secs(2))
        .unwrap()
        .expect("first frame");
    let px = |f: &glass::codecs::VideoFrame, x: usize, y: usize| {
        let i = f.planes[0].offset + y * f.planes[0].stride + x * 4;
        let b = f.storage.bytes();
        u32::from_le_bytes([b[i], b[i + 1], b[i + 2], 0])
    };
    // The I-beam's hotspot is at (50, 50); its stem covers (50, 44..56).
    for y in 40..60 {
        assert_eq!(
            px(&f, 50, y),
            0x20_40_60,
            "pointer drawn into the frame at (50, {y})"
        );
    }
    drop(f);
    for (x, y) in [(60, 50), (150, 50), (40, 20), (160, 80), (50, 50)] {
        desk.move_to(x, y);
    }
    let got = c
        .capture(Instant::now() + Duration::from_millis(500))
        .unwrap();
    assert!(
        got.is_none(),
        "a pointer move made a frame: {:?}",
        got.map(|f| f.damage)
    );
}

fn share_x11(display: &str) -> Share {
    Share::start(ShareConfig {
        source: format!("x11:{display}").parse().unwrap(),
        listen: "127.0.0.1:0".parse().unwrap(),
        serve_http: false,
        transport: TransportConfig {
            bind: vec![std::net::Ipv4Addr::LOCALHOST.into()],
            ..TransportConfig::default()
        },
        ..ShareConfig::default()
    })
    .expect("share starts")
}

/// A native viewer joined to `share`, once its input channels are open.
pub(crate) fn join(share: &Share) -> UdpViewer {
    let pending = PendingViewer::new().unwrap();
    let (_, answer) = share.accept_offer(pending.offer_sdp()).unwrap();
    let viewer = pending.start(&answer).unwrap();
    let end = Instant::now() + Duration::from_secs(5);
    while Instant::now() < end {
        if let Ok(ViewerEvent::InputReady) = viewer.events().recv_timeout(Duration::from_millis(50))
        {
            return viewer;
        }
    }
    panic!("viewer did not connect");
}

/// Cursor messages the viewer gets within `ms`.
fn cursor_messages(viewer: &UdpViewer, ms: u64) -> Vec<CursorMessage> {
    let end = Instant::now() + Duration::from_millis(ms);
    let mut out = Vec::new();
    while let Ok(e) = viewer
        .events()
        .recv_timeout(end.saturating_duration_since(Instant::now()))
    {
        match e {
            ViewerEvent::Cursor(m) => out.push(m),
            ViewerEvent::BadCursor(b) => panic!("undecodable cursor message {b:?}"),
            _ => {}
        }
    }
    out
}

fn positions(m: &[CursorMessage]) -> Vec<(u32, i32, i32)> {
    m.iter()
        .filter_map(|m| match m {
            CursorMessage::Position(p) => Some((p.serial, p.x, p.y)),
            _ => None,
        })
        .collect()
}

fn shapes(m: &[CursorMessage]) -> Vec<u32> {
    m.iter()
        .filter_map(|m| match m {
            CursorMessage::Shape(s) => Some(s.serial),
            _ => None,
        })
        .collect()
}

/// Consent: the pointer is screen content. A viewer gets it while it is sent video; once
/// sharing is paused neither it nor a viewer joining then gets a single cursor message, and
/// resuming gives both the shape and position again.
#[test]
fn share_sends_the_pointer_only_while_not_paused() {
    let (x, desk) = two_windows();
    desk.move_to(50, 50);
    let share = share_x11(x.display());
    let first = join(&share);

    // On joining: the shape under the pointer, then where it is.
    let m = cursor_messages(&first, 1000);
    let ibeam = desk.cursor().0;
    assert_eq!(shapes(&m), vec![ibeam], "{m:?}");
    assert_eq!(positions(&m).last(), Some(&(ibeam, 50, 50)));
    assert!(
        matches!(m[0], CursorMessage::Shape(_)),
        "shape before position"
    );

    desk.move_to(150, 60);
    let m = cursor_messages(&first, 1000);
    let hand = desk.cursor().0;
    assert_ne!(hand, ibeam);
    assert_eq!(shapes(&m), vec![hand]);
    assert_eq!(positions(&m).last(), Some(&(hand, 150, 60)));

    share.set_paused(true).unwrap();
    let late = join(&share);
    for (x, y) in [(40, 40), (160, 20), (70, 70)] {
        desk.move_to(x, y);
        std::thread::sleep(Duration::from_millis(30));
    }
    assert_eq!(
        cursor_messages(&first, 800),
        vec![],
        "paused, yet the pointer went out"
    );
    assert_eq!(
        cursor_messages(&late, 10),
        vec![],
        "a viewer joining while paused got it"
    );

    share.set_paused(false).unwrap();
    for v in [&first, &late] {
        let m = cursor_messages(v, 1500);
        assert_eq!(positions(&m).last(), Some(&(ibeam, 70, 70)), "{m:?}");
    }
    // Each viewer's cache: the first has the I-beam already, the late one gets it now.
    let stats = share.stats().unwrap().transport;
    assert_eq!(stats.cursor_rejected, 0);
    assert!(stats.cursor_sent >= 6, "{stats:?}");
}

/// Not a gate, a figure: how long a pointer move on the sharer's screen takes to reach a
/// viewer as a position (XInput 2 event → query → transport → native viewer over loopback),
/// and how long a shape change takes (`cargo test --test integration cursor::pointer_latency
/// -- --nocapture`). The bound only catches a stream that fell back to something slow.
#[test]
fn pointer_latency_over_loopback() {
    let (x, desk) = two_windows();
    desk.move_to(50, 50);
    let share = share_x11(x.display());
    let viewer = join(&share);
    cursor_messages(&viewer, 500);
    let mut moves = Vec::new();
    let mut shapes = Vec::new();
    let mut serial = None;
    for i in 0..40i16 {
        // Every other move crosses into the other window (a new shape), the others stay.
        let (px, py) = (if (i / 2) % 2 == 0 { 150 } else { 50 }, 20 + i);
        let sent = Instant::now();
        desk.move_to(px, py);
        // The shape the server shows there now (one round trip, counted in the figure).
        let want = desk.cursor().0;
        let end = sent + Duration::from_secs(2);
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match viewer.events().recv_timeout(left) {
                Ok(ViewerEvent::Cursor(CursorMessage::Position(p)))
                    if (p.x, p.y, p.serial) == (i32::from(px), i32::from(py), want) =>
                {
                    if serial.is_some_and(|s| s != want) {
                        shapes.push(sent.elapsed());
                    } else {
                        moves.push(sent.elapsed());
                    }
                    serial = Some(want);
                    break;
                }
                Ok(_) => {}
                Err(_) => panic!("move {i} to ({px}, {py}) never arrived"),
            }
        }
        // Past the source's 8 ms rate limit, so each move is measured on its own.
        std::thread::sleep(Duration::from_millis(20));
    }
    let p50 = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let (m, s) = (p50(&mut moves), p50(&mut shapes));
    eprintln!(
        "pointer over loopback: position p50 {m:?} ({} moves), position with a new shape p50 {s:?} ({})",
        moves.len(),
        shapes.len()
    );
    assert!(
        shapes.len() >= 15,
        "crossings without a shape: {}",
        shapes.len()
    );
    assert!(m < Duration::from_millis(250) && s < Duration::from_millis(250));
}
