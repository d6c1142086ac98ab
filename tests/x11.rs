//! X11 capture against a private Xvfb per test.

use std::time::{Duration, Instant};

use glass_codecs::{PixelFormat, Rect, VideoFrame};
use glass_engine::CaptureError;
use glass_engine::capture::x11::{X11Capturer, displays};
use glass_engine::capture::{Capturer, SourceSpec};

use crate::xvfb::Xvfb;

const GREEN: u32 = 0x00_ff00;
const RED: u32 = 0xff_0000;
const BLUE: u32 = 0x00_00ff;

fn soon(ms: u64) -> Instant {
    Instant::now() + Duration::from_millis(ms)
}

/// (B, G, R) at (`x`, `y`).
fn bgr(f: &VideoFrame, x: u32, y: u32) -> (u8, u8, u8) {
    let p = f.planes[0];
    let i = p.offset + y as usize * p.stride + x as usize * 4;
    let b = f.storage.bytes();
    (b[i], b[i + 1], b[i + 2])
}

/// `(B, G, R)` of an `0xRRGGBB` pixel value.
fn bgr_of(pixel: u32) -> (u8, u8, u8) {
    (
        (pixel & 0xff) as u8,
        (pixel >> 8 & 0xff) as u8,
        (pixel >> 16 & 0xff) as u8,
    )
}

fn assert_filled(f: &VideoFrame, r: Rect, pixel: u32) {
    for y in r.y..r.bottom() {
        for x in r.x..r.right() {
            assert_eq!(
                bgr(f, x, y),
                bgr_of(pixel),
                "pixel ({x}, {y}) of frame {}",
                f.id
            );
        }
    }
}

fn assert_damage_covers(f: &VideoFrame, r: Rect) {
    let d = f
        .damage
        .as_ref()
        .expect("a change-driven frame carries damage");
    for y in r.y..r.bottom() {
        for x in r.x..r.right() {
            assert!(
                d.as_slice().iter().any(|dr| dr.contains(x, y)),
                "({x}, {y}) not in damage {d:?}"
            );
        }
    }
}

fn capture(c: &mut dyn Capturer, ms: u64) -> VideoFrame {
    c.capture(soon(ms))
        .expect("capture")
        .expect("a frame before the deadline")
}

fn full_frame_checks(f: &VideoFrame, w: u32, h: u32) {
    assert_eq!((f.width, f.height, f.format), (w, h, PixelFormat::Bgrx));
    assert_eq!(f.planes[0].offset, 0);
    assert_eq!(f.planes[0].stride, w as usize * 4);
    assert!(f.layout_fits());
    assert!(f.damage.is_none(), "a full frame has unknown damage");
    assert_eq!(f.stages.captured, Some(f.capture_time));
}

#[test]
fn window_shows_up_with_its_damage() {
    let x = Xvfb::start(320, 240);
    let mut c = glass_engine::capture::open(&SourceSpec::X11 {
        display: Some(x.display().into()),
        monitor: None,
    })
    .expect("open X11 capture");
    let info = c.info();
    assert_eq!(info.backend, "x11");
    assert_eq!((info.display.width, info.display.height), (320, 240));
    assert!(info.damage_hints);
    assert!(info.zero_copy, "local Xvfb has MIT-SHM");

    let f0 = capture(c.as_mut(), 2000);
    full_frame_checks(&f0, 320, 240);
    let first_id = f0.id;

    let mut xc = x.client();
    let win = xc.window(40, 30, 100, 50, GREEN);
    xc.sync();
    let f1 = capture(c.as_mut(), 2000);
    assert_eq!(f1.id, first_id + 1);
    let win_rect = Rect::new(40, 30, 100, 50);
    assert_filled(&f1, win_rect, GREEN);
    assert_ne!(bgr(&f1, 39, 29), bgr_of(GREEN));
    assert_damage_covers(&f1, win_rect);
    assert!(f1.capture_time >= f0.capture_time);

    // A small change inside the window: exact pixels, and damage no bigger than the window.
    xc.fill(win, 10, 10, 20, 20, RED);
    xc.sync();
    let f2 = capture(c.as_mut(), 2000);
    assert_eq!(f2.id, first_id + 2);
    let red = Rect::new(50, 40, 20, 20);
    assert_filled(&f2, red, RED);
    assert_eq!(bgr(&f2, 49, 40), bgr_of(GREEN));
    assert_damage_covers(&f2, red);
    let d = f2.damage.unwrap();
    assert!(
        d.bounds().intersect(&win_rect) == d.bounds(),
        "damage {d:?} spills outside the window"
    );

    // The earlier frames still hold their own pixels (their buffers were not reused).
    assert_eq!(bgr(&f1, 55, 45), bgr_of(GREEN));
    assert_ne!(bgr(&f0, 55, 45), bgr_of(GREEN));
}

#[test]
fn unchanged_screen_returns_none_at_the_deadline() {
    let x = Xvfb::start(320, 240);
    let mut c = X11Capturer::open(Some(x.display()), None).expect("open");
    assert!(capture(&mut c, 2000).damage.is_none());
    let start = Instant::now();
    let deadline = start + Duration::from_millis(200);
    assert!(c.capture(deadline).expect("capture").is_none());
    assert!(Instant::now() >= deadline, "returned before the deadline");

    // A full-frame request is served at once, without damage.
    c.request_full_frame();
    let f = capture(&mut c, 2000);
    full_frame_checks(&f, 320, 240);
    assert!(c.capture(soon(100)).expect("capture").is_none());
}

#[test]
fn xsetroot_repaints_the_whole_screen() {
    let x = Xvfb::start(320, 240);
    let mut c = X11Capturer::open(Some(x.display()), None).expect("open");
    capture(&mut c, 2000);
    x.run("xsetroot", &["-solid", "#0000ff"]);
    let f = capture(&mut c, 2000);
    let all = Rect::new(0, 0, 320, 240);
    assert_filled(&f, all, BLUE);
    assert_damage_covers(&f, all);
}

#[test]
fn displays_lists_the_screen() {
    let x = Xvfb::start(320, 240);
    let d = displays(Some(x.display())).expect("displays");
    assert!(!d.is_empty());
    assert!(d.iter().all(|d| d.backend == "x11"));
    assert!(
        d.iter()
            .any(|d| (d.x, d.y, d.width, d.height) == (0, 0, 320, 240)),
        "{d:?}"
    );
}

#[test]
fn no_server_is_a_connect_error() {
    let n = (4000..5000)
        .find(|n| !std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
        .unwrap();
    let name = format!(":{n}");
    match X11Capturer::open(Some(&name), None) {
        Err(CaptureError::Connect(msg)) => assert!(msg.contains(&name), "{msg}"),
        Err(e) => panic!("expected a connect error, got {e:?}"),
        Ok(_) => panic!("connected to a display with no server"),
    }
    assert!(matches!(
        displays(Some(&name)),
        Err(CaptureError::Connect(_))
    ));
}

#[test]
fn unknown_monitor_is_no_such_display() {
    let x = Xvfb::start(320, 240);
    match X11Capturer::open(Some(x.display()), Some("HDMI-9")) {
        Err(CaptureError::NoSuchDisplay(msg)) => assert!(msg.contains("HDMI-9"), "{msg}"),
        other => panic!("expected NoSuchDisplay, got {:?}", other.err()),
    }
}

/// Xvfb cannot change its screen size, but RandR 1.5 lets a client define monitors: capture
/// one, then redefine it at another size and place.
#[test]
fn monitor_geometry_change_gives_a_full_frame_at_the_new_size() {
    let x = Xvfb::start(320, 240);
    x.run(
        "xrandr",
        &["--setmonitor", "glass-a", "160/40x120/30+10+20", "none"],
    );
    let mut c = X11Capturer::open(Some(x.display()), Some("glass-a")).expect("open monitor");
    let info = c.info();
    assert_eq!(
        (info.display.id.as_str(), info.display.x, info.display.y),
        ("glass-a", 10, 20)
    );
    full_frame_checks(&capture(&mut c, 2000), 160, 120);

    // Damage and pixels are in monitor coordinates; changes elsewhere do not wake us.
    let mut xc = x.client();
    let root = xc.root;
    xc.fill(root, 250, 200, 10, 10, RED);
    xc.fill(root, 30, 40, 10, 10, BLUE);
    xc.sync();
    let f = capture(&mut c, 2000);
    let local = Rect::new(20, 20, 10, 10);
    assert_filled(&f, local, BLUE);
    assert_damage_covers(&f, local);
    xc.fill(root, 250, 200, 10, 10, GREEN);
    xc.sync();
    assert!(
        c.capture(soon(200)).expect("capture").is_none(),
        "damage outside the monitor woke the capturer"
    );

    x.run("xrandr", &["--delmonitor", "glass-a"]);
    x.run(
        "xrandr",
        &["--setmonitor", "glass-a", "100/20x80/20+50+60", "none"],
    );
    let f = capture(&mut c, 2000);
    full_frame_checks(&f, 100, 80);
    let info = c.info();
    assert_eq!(
        (
            info.display.x,
            info.display.y,
            info.display.width,
            info.display.height
        ),
        (50, 60, 100, 80)
    );
    // Root (55, 65) is local (5, 5): inside neither filled square, so it is not blue.
    assert_ne!(bgr(&f, 5, 5), bgr_of(BLUE));
}

#[test]
fn frames_held_downstream_exhaust_the_pool_then_recover() {
    let x = Xvfb::start(64, 48);
    let mut c = X11Capturer::open(Some(x.display()), None).expect("open");
    let mut held = Vec::new();
    loop {
        c.request_full_frame();
        match c.capture(soon(50)).expect("capture") {
            Some(f) => held.push(f),
            None => break,
        }
        assert!(held.len() <= 16, "the pool never ran out");
    }
    assert_eq!(c.skipped_frames(), 1);
    let ids: Vec<u64> = held.iter().map(|f| f.id).collect();
    assert!(ids.windows(2).all(|w| w[1] == w[0] + 1), "{ids:?}");
    // Releasing one frame frees its segment for the next capture.
    held.remove(0);
    c.request_full_frame();
    let f = capture(&mut c, 2000);
    assert_eq!(f.id, ids.last().unwrap() + 1);
}

#[test]
fn without_mit_shm_frames_are_copied() {
    let x = Xvfb::start_with(320, 240, &["-extension", "MIT-SHM"]);
    let mut c = X11Capturer::open(Some(x.display()), None).expect("open");
    assert!(!c.info().zero_copy);
    full_frame_checks(&capture(&mut c, 2000), 320, 240);
    let mut xc = x.client();
    xc.window(10, 10, 30, 20, GREEN);
    xc.sync();
    let f = capture(&mut c, 2000);
    assert_filled(&f, Rect::new(10, 10, 30, 20), GREEN);
    assert_damage_covers(&f, Rect::new(10, 10, 30, 20));
}

#[test]
fn without_damage_every_capture_is_a_full_frame() {
    let x = Xvfb::start_with(160, 120, &["-extension", "DAMAGE"]);
    let mut c = X11Capturer::open(Some(x.display()), None).expect("open");
    assert!(!c.info().damage_hints);
    for _ in 0..3 {
        full_frame_checks(&capture(&mut c, 2000), 160, 120);
    }
}

#[test]
fn cursor_image_is_available() {
    let x = Xvfb::start(160, 120);
    let mut c = X11Capturer::open(Some(x.display()), None).expect("open");
    let cur = c.cursor().expect("Xvfb has XFIXES");
    assert_eq!(cur.pixels.len(), (cur.width * cur.height) as usize);
}

/// Not a benchmark gate: prints what a full 1080p MIT-SHM grab costs under Xvfb
/// (`cargo test --test integration x11::shm_1080p -- --nocapture`).
#[test]
fn shm_1080p_full_frame_timing() {
    let x = Xvfb::start(1920, 1080);
    let mut c = X11Capturer::open(Some(x.display()), None).expect("open");
    assert!(c.info().zero_copy);
    let n = 60;
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        c.request_full_frame();
        let t = Instant::now();
        let f = capture(&mut c, 2000);
        times.push(t.elapsed());
        full_frame_checks(&f, 1920, 1080);
    }
    times.sort();
    eprintln!(
        "x11 shm 1920x1080 full frame: min {:?}, median {:?}, max {:?} ({n} frames)",
        times[0],
        times[n / 2],
        times[n - 1]
    );
}

#[test]
fn scene_window_shows_the_scene_and_a_current_probe() {
    use glass_engine::capture::synthetic::{Scene, SyntheticCapturer, SyntheticConfig};
    use glass_engine::capture::x11::{SceneWindow, SceneWindowConfig};
    use glass_engine::probe::Probe;

    let x = Xvfb::start(800, 480);
    // The static scene (only the probe changes), so any pixel can be checked.
    let scene = SyntheticConfig {
        scene: Scene::Static,
        width: 640,
        height: 360,
        fps: 30,
    };
    let epoch = Instant::now();
    let window = SceneWindow::open(SceneWindowConfig {
        display: Some(x.display().to_string()),
        scene: scene.clone(),
        probe_epoch: Some(epoch),
    })
    .expect("scene window opens");
    let probe = window.probe().expect("probe on");
    assert_eq!(Some(probe), Probe::default_for(640, 360));

    let mut c = X11Capturer::open(Some(x.display()), None).expect("open");
    let f = capture(&mut c, 1000);
    assert_eq!((f.width, f.height), (800, 480), "the whole screen");
    // The probe reads back as a time at most a few frames old.
    let code = probe.read_frame(&f).expect("probe readable in the capture");
    let age = code.latency(epoch, Instant::now());
    assert!(age < Duration::from_millis(200), "probe is {age:?} old");
    // The scene's own pixels are there too: the synthetic source's frame, away from the
    // probe, matches (the scene is deterministic).
    let mut reference = SyntheticCapturer::new(scene).unwrap();
    let first = reference.step(Instant::now()).unwrap();
    let (rs, fs) = (first.planes[0].stride, f.planes[0].stride);
    for (px, py) in [(10u32, 10u32), (320, 20), (5, 350)] {
        let a = &first.plane(0)[py as usize * rs + px as usize * 4..][..3];
        let b = &f.plane(0)[py as usize * fs + px as usize * 4..][..3];
        assert_eq!(a, b, "pixel ({px}, {py})");
    }
    // Outside the window: the black root.
    assert_eq!(bgr(&f, 700, 400), (0, 0, 0));
    // It keeps drawing: new probe codes arrive as DAMAGE-driven captures.
    let f2 = capture(&mut c, 1000);
    let code2 = probe.read_frame(&f2).expect("probe readable");
    assert_ne!(code, code2);
    // The window's own drawing thread may lag on a loaded machine: give it time.
    let end = Instant::now() + Duration::from_secs(2);
    while window.ticks() < 2 && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(window.ticks() >= 2, "{} ticks", window.ticks());
    window.close().expect("closes cleanly");
}

/// The clipboard against a real X client (`xclip`): a copy made there arrives as text, and
/// text set here is what `xclip -o` pastes, in any script; nothing from before is read.
#[test]
fn clipboard_both_ways_with_a_real_x_client() {
    use glass::engine::capture::x11::X11Clipboard;
    use glass::engine::clipboard::{Clipboard, MAX_CLIPBOARD_BYTES};

    let x = Xvfb::start(64, 48);
    let copy = |text: &str| crate::clipboard::copy(&x, text);
    let paste = || crate::clipboard::paste(&x);
    let mut before = copy("copied before the share");
    std::thread::sleep(Duration::from_millis(300));
    let mut clip = X11Clipboard::open(Some(x.display()), false).expect("open");
    assert_eq!(
        clip.next(soon(300)).unwrap(),
        None,
        "what was there before is not read"
    );

    // The sharer copies (another client takes CLIPBOARD): the text arrives.
    let text = "héllo ✓ 日本 مرحبا";
    let mut owner = copy(text);
    let end = soon(3000);
    let mut got = None;
    while got.is_none() && Instant::now() < end {
        got = clip.next(soon(200)).unwrap();
    }
    assert_eq!(got.as_deref(), Some(text));

    // The helper's text: set here, pasted by xclip (which asks for UTF8_STRING).
    let theirs = "ünïcödé €42\nsecond line";
    clip.set_text(theirs).unwrap();
    let pasted = std::thread::scope(|s| {
        let p = s.spawn(paste);
        // Serve xclip's request while it waits.
        let end = soon(3000);
        while !p.is_finished() && Instant::now() < end {
            assert_eq!(
                clip.next(soon(50)).unwrap(),
                None,
                "our own text is not read back"
            );
        }
        p.join().unwrap()
    });
    assert_eq!(pasted, theirs);

    // Too large: refused, not truncated.
    assert!(clip.set_text(&"x".repeat(MAX_CLIPBOARD_BYTES + 1)).is_err());
    let mut big = copy(&"y".repeat(MAX_CLIPBOARD_BYTES + 10));
    let end = soon(2000);
    while Instant::now() < end {
        assert_eq!(
            clip.next(soon(100)).unwrap(),
            None,
            "an oversized copy is not taken"
        );
    }
    assert_eq!(clip.refused(), 1);
    for child in [&mut before, &mut owner, &mut big] {
        let _ = child.kill();
        let _ = child.wait();
    }
}
