//! End to end in a real browser: `glass::share::Share` streams the synthetic typing scene,
//! headless Chromium (Debian's, driven by playwright-core) opens the viewer over WHEP, and
//! the pixels it shows are checked against the scene's palette. Then the share stops and the
//! page must say that the sharer left.
//!
//! Needs `/usr/bin/chromium` (or `$CHROMIUM`), Node.js and `tests/browser/node_modules`:
//! `scripts/setup.sh` installs all three. A missing piece fails the test; it never skips.

use std::io::{BufRead, BufReader};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use glass::engine::capture::synthetic::palette;
use glass::engine::input::ControlLevel;
use glass::share::{Share, ShareConfig};
use glass::transport::TransportConfig;

pub(crate) const W: u32 = 640;
pub(crate) const H: u32 = 360;
/// Per-channel tolerance: H.264 at a screen bitrate plus the browser's YUV→RGB.
const TOLERANCE: i32 = 12;

pub(crate) fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Fails (never skips) when the browser tests' tools are missing: Chromium, Node.js and the
/// npm `packages` (playwright-core always).
pub(crate) fn check_tools_with(packages: &[&str]) {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).exists(),
        "{chromium} not found: the browser tests need Debian's chromium; run scripts/setup.sh"
    );
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "node not found: the browser tests need Node.js; run scripts/setup.sh"
    );
    for package in std::iter::once(&"playwright-core").chain(packages) {
        assert!(
            browser_dir().join("node_modules").join(package).exists(),
            "tests/browser/node_modules/{package} missing; run scripts/setup.sh (npm ci --prefix tests/browser)"
        );
    }
}

fn check_tools() {
    check_tools_with(&[]);
}

/// [`check_tools_with`] puppeteer-core, and Debian's firefox-esr (or `$FIREFOX`).
pub(crate) fn check_firefox() {
    check_tools_with(&["puppeteer-core"]);
    let firefox = std::env::var("FIREFOX").unwrap_or_else(|_| "/usr/bin/firefox-esr".into());
    assert!(
        Path::new(&firefox).exists(),
        "{firefox} not found: the Firefox tests need Debian's firefox-esr; run scripts/setup.sh"
    );
}

/// A node script in its own process group: dropping it kills the group, so Chromium (which
/// playwright starts as node's child) goes too when the test fails half-way.
pub(crate) struct Node(pub(crate) Child);

impl Node {
    fn spawn(script: &str, args: &[&str]) -> Node {
        Node::spawn_in(None, script, args)
    }

    /// [`Node::spawn`] inside network namespace `netns` (`ip netns exec` replaces itself with
    /// node, so the process group is node's).
    pub(crate) fn spawn_in(netns: Option<&Netns>, script: &str, args: &[&str]) -> Node {
        let mut command = match netns {
            Some(ns) => {
                let mut c = Command::new("ip");
                c.args(["netns", "exec", &ns.0, "node"]);
                c
            }
            None => Command::new("node"),
        };
        let child = command
            .arg(script)
            .args(args)
            .current_dir(browser_dir())
            .process_group(0)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("run node");
        Node(child)
    }

    /// The script's JSON lines (other lines are echoed to stderr).
    pub(crate) fn lines(&mut self, name: &'static str) -> mpsc::Receiver<serde_json::Value> {
        let stdout = self.0.stdout.take().expect("stdout piped");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                match serde_json::from_str(&line) {
                    Ok(v) => {
                        if tx.send(v).is_err() {
                            break;
                        }
                    }
                    Err(_) => eprintln!("{name}: {line}"),
                }
            }
        });
        lines
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        // Chromium may outlive a killed node; the group id stays reserved while any member
        // lives (or node is unreaped), so this cannot hit an unrelated process.
        if let Ok(pgid) = i32::try_from(self.0.id()) {
            // SAFETY: kill(2) has no memory-safety preconditions; a negative pid names the
            // process group that `process_group(0)` made for this child.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
        }
        let _ = self.0.wait();
    }
}

/// The `glass` binary; killed (SIGKILL) and reaped when dropped.
struct Glass(Child);

impl Drop for Glass {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Expected colour of the desktop gradient at row `y` (see the synthetic scene).
fn desktop_at(y: u32) -> (u8, u8, u8) {
    let k = 256 - (y * 64 / H);
    let (r, g, b) = palette::DESKTOP;
    let f = |c: u8| (c as u32 * k / 256) as u8;
    (f(r), f(g), f(b))
}

#[test]
fn viewer_plays_synthetic_screen_and_sees_sharer_leave() {
    check_tools();
    let share = Share::start(ShareConfig {
        source: format!("synthetic:typing:{W}x{H}@30").parse().unwrap(),
        listen: "127.0.0.1:0".parse().unwrap(),
        token: Some("t0k en/?".into()), // exercises URL encoding and the bearer check
        transport: TransportConfig {
            bind: vec!["127.0.0.1".parse().unwrap()],
            ..TransportConfig::default()
        },
        ..ShareConfig::default()
    })
    .expect("share starts");

    // The typing scene's terminal is (w/10, h/10) .. (w*9/10, h*9/10) with a 24-px title bar;
    // text fills it from the top, so its bottom margin stays terminal background.
    let term_y = H * 9 / 10 - 8;
    let samples: Vec<Sample> = vec![
        ("taskbar", W * 5 / 8, H - 16, palette::TASKBAR),
        ("taskbar-left", 2, H - 4, palette::TASKBAR),
        ("title", W * 5 / 8, H / 10 + 12, palette::TITLE),
        ("terminal", W / 2, term_y, palette::TERMINAL),
        ("terminal-left", W / 10 + 4, term_y, palette::TERMINAL),
        ("desktop-top", 20, 10, desktop_at(10)),
        ("desktop-low", 20, H - 50, desktop_at(H - 50)),
    ];
    let arg = serde_json::Value::Array(
        samples
            .iter()
            .map(|(name, x, y, _)| serde_json::json!({"name": name, "x": x, "y": y}))
            .collect(),
    )
    .to_string();

    let mut node = Node::spawn("viewer-check.mjs", &[&share.url(), &arg]);
    let lines = node.lines("viewer-check");

    let playing = lines
        .recv_timeout(Duration::from_secs(60))
        .expect("viewer-check reported nothing within 60 s");
    assert_eq!(
        playing["phase"], "playing",
        "viewer did not play: {playing:#}"
    );
    assert_eq!(playing["width"], W, "{playing:#}");
    assert_eq!(playing["height"], H, "{playing:#}");
    assert_eq!(playing["state"], "connected", "{playing:#}");
    assert_eq!(playing["objectFit"], "contain", "{playing:#}");
    let bad = pixels_off(&samples, &playing);
    assert!(
        bad.is_empty(),
        "pixels off by more than {TOLERANCE}: {bad:#?}\n{playing:#}"
    );
    assert!(share.stats().is_some_and(|s| s.viewers == 1));

    let t0 = Instant::now();
    share.stop().expect("share stops");
    let left = lines
        .recv_timeout(Duration::from_secs(3).saturating_sub(t0.elapsed()))
        .unwrap_or_else(|_| panic!("viewer did not show \"sharer left\" within 3 s"));
    assert_eq!(left["phase"], "left", "{left:#}");
    assert!(
        left["message"]
            .as_str()
            .unwrap()
            .contains("sharer has left"),
        "{left:#}"
    );
    let _ = node.0.wait();
}

/// Runs `glass share` of the synthetic typing scene on loopback; returns it and its URL.
fn glass_share() -> (Glass, String) {
    let (glass, url, _) = spawn_glass_share(&["--source", &format!("synthetic:typing:{W}x{H}@30")]);
    (glass, url)
}

/// Runs `glass share ARGS` on loopback; returns it, its URL and its stderr lines.
fn spawn_glass_share(args: &[&str]) -> (Glass, String, mpsc::Receiver<String>) {
    spawn_glass_share_in(None, "127.0.0.1", args)
}

/// [`spawn_glass_share`] inside network namespace `netns`, media bound to `bind`.
fn spawn_glass_share_in(
    netns: Option<&Netns>,
    bind: &str,
    args: &[&str],
) -> (Glass, String, mpsc::Receiver<String>) {
    let glass = env!("CARGO_BIN_EXE_glass");
    let mut command = match netns {
        Some(ns) => {
            let mut c = Command::new("ip");
            c.args(["netns", "exec", &ns.0, glass]);
            c
        }
        None => Command::new(glass),
    };
    let child = command
        .arg("share")
        .args(args)
        .args(["--listen", "127.0.0.1:0", "--bind", bind])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run glass share");
    let mut glass = Glass(child);

    // main.rs prints the viewer URL(s) on stdout, one a line, and talks on stderr.
    let stdout = glass.0.stdout.take().unwrap();
    let stderr = glass.0.stderr.take().unwrap();
    let (err_tx, err_rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("[glass] {line}");
            let _ = err_tx.send(line);
        }
    });
    let (url_tx, url_rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.starts_with("http") {
                let _ = url_tx.send(line);
            }
        }
    });
    let url = url_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("glass share printed no viewer URL within 30 s");
    assert!(url.starts_with("http://127.0.0.1:"), "viewer URL {url}");
    (glass, url, err_rx)
}

/// The counters of `glass share`'s closing "input:" line: `N word` pairs by word.
fn input_counters(line: &str) -> std::collections::HashMap<String, u64> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(2)
        .filter_map(|w| Some((w[1].to_string(), w[0].parse().ok()?)))
        .collect()
}

/// The promise: a sharer that vanishes without a bye (crash, power cut) is noticed by
/// the viewer within 2 s. The real `glass share` process is SIGKILLed, so nothing is sent on
/// the way out; the viewer must notice the silence on the control channel (pings every
/// 500 ms, SILENCE_MS = 1500 checked every 500 ms: at most 2 s after the last ping).
#[test]
fn viewer_notices_killed_sharer_within_2s() {
    check_tools();
    let (mut glass, url) = glass_share();

    let mut node = Node::spawn("viewer-crash.mjs", &[&url]);
    let lines = node.lines("viewer-crash");
    let playing = lines
        .recv_timeout(Duration::from_secs(60))
        .expect("viewer-crash reported nothing within 60 s");
    assert_eq!(
        playing["phase"], "playing",
        "viewer did not play: {playing:#}"
    );
    assert_eq!(playing["state"], "connected", "{playing:#}");

    // Let a few pings go by, so the kill lands at a random point of the ping cycle.
    std::thread::sleep(Duration::from_millis(700));
    glass.0.kill().expect("SIGKILL glass");
    let killed_at = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let status = glass.0.wait().expect("reap glass");
    assert_eq!(
        status.signal(),
        Some(libc::SIGKILL),
        "glass ended by {status}"
    );

    let lost = lines
        .recv_timeout(Duration::from_secs(20))
        .expect("viewer-crash reported nothing within 20 s of the kill");
    assert_eq!(lost["phase"], "lost", "viewer never noticed: {lost:#}");
    let at_ms = lost["atMs"].as_f64().expect("atMs");
    let detect_ms = at_ms - killed_at.as_secs_f64() * 1000.0;
    eprintln!(
        "viewer noticed the killed sharer after {detect_ms:.0} ms: {} \"{}\" (500 ms later: {} \"{}\")",
        lost["state"].as_str().unwrap_or("?"),
        lost["message"].as_str().unwrap_or(""),
        lost["after"]["state"].as_str().unwrap_or("?"),
        lost["after"]["message"].as_str().unwrap_or(""),
    );
    // Date.now() has 1 ms resolution and was read after the kill: allow that much below 0.
    assert!(
        detect_ms >= -2.0,
        "viewer left 'connected' {:.0} ms before the kill: {lost:#}",
        -detect_ms
    );
    assert!(
        detect_ms <= 2000.0,
        "viewer noticed the killed sharer only after {detect_ms:.0} ms (limit 2 s): {lost:#}"
    );
    assert_ne!(lost["state"], "connected", "{lost:#}");
    let node_status = node.0.wait().expect("node exits");
    assert!(
        node_status.success(),
        "viewer-crash.mjs failed: {node_status}"
    );
}

/// The X11 end of the browser input tests: Xvfb, a recording X client covering the
/// screen, and a share of that display at `level`.
struct X11Share {
    client: crate::xclient::XClient,
    share: Share,
    _xvfb: crate::xvfb::Xvfb,
}

const XW: u32 = 800;
const XH: u32 = 600;

fn x11_share(level: glass::engine::input::ControlLevel) -> X11Share {
    let xvfb = crate::xvfb::Xvfb::start(XW, XH);
    let client = crate::xclient::XClient::open(xvfb.display(), XW as u16, XH as u16);
    let share = Share::start(ShareConfig {
        source: format!("x11:{}", xvfb.display()).parse().unwrap(),
        listen: "127.0.0.1:0".parse().unwrap(),
        transport: TransportConfig {
            bind: vec!["127.0.0.1".parse().unwrap()],
            ..TransportConfig::default()
        },
        control: level,
        ..ShareConfig::default()
    })
    .expect("share of the Xvfb display starts");
    X11Share {
        client,
        share,
        _xvfb: xvfb,
    }
}

/// Reads the script's lines until `{"step": n}` (or fails on an error line).
fn until_step(lines: &mpsc::Receiver<serde_json::Value>, n: usize) {
    loop {
        let l = lines
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| panic!("input-check did not reach step {n} within 30 s"));
        assert!(l.get("error").is_none(), "input-check failed: {l:#}");
        if l["step"] == n {
            assert_eq!(l["ok"], true, "{l:#}");
            return;
        }
    }
}

fn ready(lines: &mpsc::Receiver<serde_json::Value>) -> serde_json::Value {
    let r = lines
        .recv_timeout(Duration::from_secs(60))
        .expect("input-check reported nothing within 60 s");
    assert_eq!(r["ready"], true, "viewer not ready: {r:#}");
    assert_eq!(r["videoWidth"], XW, "{r:#}");
    assert_eq!(r["videoHeight"], XH, "{r:#}");
    r
}

fn near(a: (i16, i16), b: (i16, i16)) -> bool {
    (a.0 - b.0).abs() <= 1 && (a.1 - b.1).abs() <= 1
}

/// Chromium moves, clicks, scrolls and types on the viewer page with full control; a real X
/// client on the shared Xvfb display receives exactly that: pointer position, buttons at
/// their places, keys as the right keysyms, text intact with non-ASCII characters. Then the
/// browser dies while holding a key: the sharer releases it.
#[test]
fn browser_controls_the_x11_screen() {
    use crate::xclient::XEvent;
    check_tools();
    // The real CLI, as a sharer would run it.
    let xvfb = crate::xvfb::Xvfb::start(XW, XH);
    let mut client = crate::xclient::XClient::open(xvfb.display(), XW as u16, XH as u16);
    let (mut glass, url, stderr) = spawn_glass_share(&[
        "--source",
        "x11",
        "--display",
        xvfb.display(),
        "--control",
        "full",
    ]);
    let text = "héllo ✓ 日本";
    let plan = serde_json::json!({"steps": [
        {"move": [100, 80]},
        {"click": [200, 150], "button": "left"},
        {"click": [300, 200], "button": "right"},
        {"press": "KeyA"},
        {"keydown": "ShiftLeft"},
        {"press": "KeyB"},
        {"keyup": "ShiftLeft"},
        {"press": "Enter"},
        {"text": text},
        {"wheel": [0, 120], "at": [400, 300]},
        {"wait": 300},
        {"keydown": "ControlLeft"},
        {"waitForever": true},
    ]})
    .to_string();
    let mut node = Node::spawn("input-check.mjs", &[&url, &plan]);
    let lines = node.lines("input-check");
    let r = ready(&lines);
    assert_eq!(r["control"], "full", "{r:#}");

    until_step(&lines, 11);
    client.collect_until(Duration::from_secs(5), |ev| {
        ev.iter().any(|e| matches!(e, XEvent::KeyPress(0xffe3, _)))
    });
    let ev = client.events.clone();
    assert!(
        ev.iter()
            .any(|e| matches!(e, XEvent::Motion(px, py) if near((*px, *py), (100, 80)))),
        "no pointer motion to (100,80): {ev:?}"
    );
    let pressed_at = |b: u8, at: (i16, i16)| {
        ev.iter()
            .any(|e| matches!(e, XEvent::ButtonPress(n, px, py) if *n == b && near((*px, *py), at)))
    };
    assert!(
        pressed_at(1, (200, 150)),
        "left click at (200,150) missing: {ev:?}"
    );
    assert!(
        pressed_at(3, (300, 200)),
        "right click at (300,200) missing: {ev:?}"
    );
    // 120 px of wheel = two clicks of button 5 (50 px each) at the wheel's position.
    let wheel = ev
        .iter()
        .filter(|e| matches!(e, XEvent::ButtonPress(5, px, py) if near((*px, *py), (400, 300))))
        .count();
    assert_eq!(wheel, 2, "{ev:?}");
    assert_eq!(client.typed(), format!("aB\n{text}"), "{ev:?}");
    assert!(
        near(client.pointer(), (400, 300)),
        "pointer at {:?}",
        client.pointer()
    );

    // The helper's browser dies while Control is held: the heartbeat notices, the sharer
    // releases it.
    assert!(client.holds_anything());
    let killed = Instant::now();
    drop(node);
    client.collect_until(Duration::from_secs(4), |ev| {
        ev.iter()
            .any(|e| matches!(e, XEvent::KeyRelease(0xffe3, _)))
    });
    assert!(
        !client.holds_anything(),
        "Control still held {:?} after the browser died: {:?}",
        killed.elapsed(),
        client.events
    );
    eprintln!(
        "held key released {:?} after the browser died",
        killed.elapsed()
    );
    // Ctrl-C: the CLI prints its input counters on the way out.
    // SAFETY: kill(2) has no memory-safety preconditions; the pid is our live child.
    unsafe { libc::kill(glass.0.id() as i32, libc::SIGINT) };
    let status = glass.0.wait().expect("glass exits");
    assert!(status.success(), "glass share ended with {status}");
    std::thread::sleep(Duration::from_millis(200));
    let line = stderr
        .try_iter()
        .find(|l| l.starts_with("glass: input:"))
        .expect("glass share printed no input counters");
    let c = input_counters(&line);
    assert_eq!(c.get("rejected"), Some(&0), "{line}");
    assert!(c.get("injected").is_some_and(|n| *n >= 12), "{line}");
    assert!(c.get("released").is_some_and(|n| *n >= 1), "{line}");
    assert_eq!(c.get("view-only"), Some(&0), "{line}");
}

/// View-only: the page sends the same input anyway (`?input=always`, as a misbehaving
/// viewer would); nothing reaches the X display and every message is counted as dropped.
#[test]
fn view_only_browser_changes_nothing() {
    check_tools();
    let mut x = x11_share(glass::engine::input::ControlLevel::View);
    let before = x.client.pointer();
    let plan = serde_json::json!({"expectLevel": "view", "steps": [
        {"move": [100, 80]},
        {"click": [200, 150], "button": "left"},
        {"press": "KeyA"},
        {"text": "nope"},
        {"wheel": [0, 120], "at": [400, 300]},
        {"wait": 500},
    ]})
    .to_string();
    let url = format!("{}?input=always", x.share.url());
    let mut node = Node::spawn("input-check.mjs", &[&url, &plan]);
    let lines = node.lines("input-check");
    let r = ready(&lines);
    assert_eq!(r["control"], "view", "{r:#}");
    until_step(&lines, 5);
    x.client
        .collect_until(Duration::from_millis(500), |_| false);
    assert!(x.client.events.is_empty(), "{:?}", x.client.events);
    assert_eq!(x.client.pointer(), before);
    let stats = x.share.stats().unwrap().input.stats;
    assert!(stats.received >= 5, "{stats:?}");
    assert_eq!(stats.dropped_view_only, stats.received, "{stats:?}");
    assert_eq!(stats.injected, 0, "{stats:?}");
    let _ = node.0.wait();
}

/// A share of an X display at `control` level and `cursor-check.mjs` driving Chromium through
/// `plan`, past its `ready` line.
struct CursorCheck {
    share: Share,
    node: Node,
    lines: mpsc::Receiver<serde_json::Value>,
}

impl CursorCheck {
    fn start(display: &str, control: ControlLevel, plan: serde_json::Value) -> CursorCheck {
        let share = Share::start(ShareConfig {
            source: format!("x11:{display}").parse().unwrap(),
            listen: "127.0.0.1:0".parse().unwrap(),
            transport: TransportConfig {
                bind: vec!["127.0.0.1".parse().unwrap()],
                ..TransportConfig::default()
            },
            control,
            ..ShareConfig::default()
        })
        .expect("share of the Xvfb display starts");
        let mut node = Node::spawn("cursor-check.mjs", &[&share.url(), &plan.to_string()]);
        let lines = node.lines("cursor-check");
        let check = CursorCheck { share, node, lines };
        check.next("ready");
        check
    }

    /// The script's next line, which must be `phase`.
    fn next(&self, phase: &str) -> serde_json::Value {
        let l = self
            .lines
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("cursor-check: no {phase} line within 60 s"));
        assert_eq!(l["phase"], phase, "{l:#}");
        l
    }

    fn stop(self) {
        drop(self.node);
        self.share.stop().unwrap();
    }
}

/// The sharer's pointer as the helper's own (issue 13): Chromium, in full control, moves its
/// pointer over the video; one move across into a text field on the sharer's screen (a window
/// whose cursor is the X font's I-beam) turns the page's pointer into that I-beam, as XFIXES
/// reports it (size, hotspot, pixels), with no further input. Then the pointer moves on the
/// sharer's side, without the helper: the page draws it as an overlay where it is.
#[test]
fn browser_pointer_becomes_the_ibeam_over_a_text_field() {
    use crate::cursor::{Desk, XC_XTERM};
    check_tools();
    let xvfb = crate::xvfb::Xvfb::start(XW, XH);
    let desk = Desk::open(xvfb.display());
    // Left half: the bare root window (the X cursor); right half: the "terminal".
    desk.window(400, 0, 400, 600, 0x10_10_10, XC_XTERM);
    desk.move_to(100, 100);
    let root_cursor = desk.cursor_shape();
    let check = CursorCheck::start(
        xvfb.display(),
        ControlLevel::Full,
        serde_json::json!({"root": [200, 300], "text": [600, 300], "other": [150, 450]}),
    );
    let r = check.next("ibeam");
    let ibeam = desk.cursor_shape();
    assert_ne!(ibeam.serial, root_cursor.serial);
    let shown = |c: &serde_json::Value| {
        assert!(
            c["css"]
                .as_str()
                .unwrap()
                .starts_with("url(\"data:image/png;base64,"),
            "the page's pointer is not an image: {c}"
        );
        let hex = c["rgba"].as_str().unwrap();
        let rgba: Vec<u8> = (0..hex.len() / 2)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        let n = |k: &str| c[k].as_u64().unwrap() as u32;
        (n("width"), n("height"), n("hotX"), n("hotY"), rgba)
    };
    let as_x = |s: &glass::engine::cursor::CursorShape| {
        (s.width, s.height, s.hot_x, s.hot_y, s.rgba.clone())
    };
    assert_eq!(
        shown(&r["before"]),
        as_x(&root_cursor),
        "over the root window the page shows the root cursor"
    );
    assert_eq!(
        shown(&r["after"]),
        as_x(&ibeam),
        "over the text field the page shows the I-beam, pixel for pixel"
    );
    assert_eq!(r["after"]["serial"], ibeam.serial);
    assert_eq!(r["movesForCrossing"], 1, "one input event, no more: {r}");
    assert_eq!(r["overlay"], false, "our own pointer needs no overlay");
    let latency = r["latencyMs"].as_f64().unwrap();
    eprintln!("pointer shape followed the crossing move in {latency:.1} ms");
    // Generous for a loaded two-core machine; the real figure is printed above.
    assert!(
        latency < 1000.0,
        "shape changed {latency} ms after the move"
    );

    // The sharer's own mouse moves it: the helper sees where, drawn over the picture.
    desk.move_to(150, 450);
    let o = check.next("overlay");
    let (box_, want) = (&o["box"], &o["expected"]);
    let f = |v: &serde_json::Value| v.as_f64().unwrap();
    let scale = f(&want["scale"]);
    // The hotspot lands on the pixel's centre; the image is scaled with the picture.
    assert!(
        (f(&box_["left"]) + f64::from(root_cursor.hot_x) * scale - f(&want["x"])).abs() < 1.0,
        "{o}"
    );
    assert!(
        (f(&box_["top"]) + f64::from(root_cursor.hot_y) * scale - f(&want["y"])).abs() < 1.0,
        "{o}"
    );
    assert!(
        (f(&box_["width"]) - f64::from(root_cursor.width) * scale).abs() < 1.0,
        "{o}"
    );
    check.stop();
}

/// View only: the sharer's pointer is drawn over the picture where it is (scaled with the
/// picture, the hotspot on the pointer's pixel), and the helper's own pointer keeps its own
/// shape (the remote one is not theirs to steer).
#[test]
fn view_only_browser_sees_the_pointer_where_it_is() {
    use crate::cursor::{Desk, XC_XTERM};
    check_tools();
    let xvfb = crate::xvfb::Xvfb::start(XW, XH);
    let desk = Desk::open(xvfb.display());
    desk.window(400, 0, 400, 600, 0x10_10_10, XC_XTERM);
    desk.move_to(100, 100);
    let check = CursorCheck::start(
        xvfb.display(),
        ControlLevel::View,
        serde_json::json!({"expectLevel": "view", "other": [600, 250]}),
    );
    desk.move_to(600, 250);
    let o = check.next("overlay");
    let ibeam = desk.cursor_shape();
    let (box_, want) = (&o["box"], &o["expected"]);
    let f = |v: &serde_json::Value| v.as_f64().unwrap();
    let scale = f(&want["scale"]);
    let near = |a: f64, b: f64| (a - b).abs() < 1.0;
    assert!(
        near(
            f(&box_["left"]) + f64::from(ibeam.hot_x) * scale,
            f(&want["x"])
        ),
        "{o}"
    );
    assert!(
        near(
            f(&box_["top"]) + f64::from(ibeam.hot_y) * scale,
            f(&want["y"])
        ),
        "{o}"
    );
    assert!(
        near(f(&box_["width"]), f64::from(ibeam.width) * scale),
        "{o}"
    );
    assert!(
        near(f(&box_["height"]), f64::from(ibeam.height) * scale),
        "{o}"
    );
    assert_eq!(
        o["css"], "auto",
        "view only: the helper's pointer stays theirs"
    );
    check.stop();
}

/// The viewer's cursor decoder (`web/lib/cursor.js`) reads what the Rust encoder writes: a
/// real shape (PNG of a cursor image), positions at the edges of their ranges, and refuses
/// what the Rust decoder refuses.
#[test]
fn web_cursor_decoder_reads_the_rust_encoder() {
    use glass::transport::cursor::{CursorMessage, CursorPosition, CursorShape};
    check_tools();
    let pixels: Vec<u32> = (0..24 * 16u32)
        .map(|i| 0xff00_0000 | (i.wrapping_mul(2_654_435_761) >> 8))
        .collect();
    let image = glass::engine::cursor::CursorShape::from_premultiplied_argb(
        0xdead_beef,
        16,
        24,
        3,
        20,
        &pixels,
    )
    .unwrap();
    let shape = CursorShape {
        serial: image.serial,
        width: 16,
        height: 24,
        hot_x: 3,
        hot_y: 20,
        png: image.to_png().into(),
    };
    let positions = [
        (0, 0, 0, 0),
        (u32::MAX, i32::MIN, i32::MAX, u64::MAX),
        (7, -2, 300, 1_700_000_000_000_000),
    ];
    let mut messages = vec![CursorMessage::Shape(shape.clone())];
    for (serial, x, y, time_us) in positions {
        messages.push(CursorMessage::Position(CursorPosition {
            serial,
            x,
            y,
            time_us,
        }));
    }
    let hex = |b: &[u8]| b.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let mut args: Vec<String> = messages.iter().map(|m| hex(&m.encode())).collect();
    let mut bad = CursorMessage::Shape(shape.clone()).encode();
    bad[6] = 129; // width 129
    assert!(CursorMessage::decode(&bad).is_err());
    args.push(hex(&bad));
    let out = Command::new("node")
        .arg("cursor-vectors.mjs")
        .args(&args)
        .current_dir(browser_dir())
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON line");
    let d = v["decoded"].as_array().expect("decoded");
    assert_eq!(d.len(), messages.len() + 1);
    assert_eq!(
        d[0],
        serde_json::json!({"type": "shape", "serial": 0xdead_beefu32, "width": 16, "height": 24,
            "hotX": 3, "hotY": 20, "png": hex(&shape.png)})
    );
    for (i, (serial, x, y, time_us)) in positions.into_iter().enumerate() {
        assert_eq!(
            d[i + 1],
            serde_json::json!({"type": "position", "serial": serial, "x": x, "y": y,
                "timeUs": time_us.to_string()})
        );
    }
    assert_eq!(
        d[messages.len()],
        serde_json::Value::Null,
        "refused like the Rust decoder"
    );
}

/// The viewer's JavaScript encoder (`web/wire.js`) and the Rust one produce the same bytes
/// for the protocol document's examples, and the Rust decoder accepts them.
#[test]
fn web_encoder_matches_the_rust_wire_format() {
    use glass::engine::input::wire::{InputEvent, InputMessage};
    use glass::engine::input::{Button, Key, Modifiers, Point, WheelMode};
    check_tools();
    let out = Command::new("node")
        .arg("wire-vectors.mjs")
        .current_dir(browser_dir())
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON line");
    let js: Vec<String> = v["vectors"]
        .as_array()
        .expect("vectors")
        .iter()
        .map(|h| h.as_str().unwrap().to_string())
        .collect();
    let t = 1_700_000_000_000_000;
    let none = Modifiers::default();
    let events = [
        InputEvent::PointerMove(Point { x: 32768, y: 16384 }),
        InputEvent::Button {
            at: Point { x: 100, y: 200 },
            button: Button::Left,
            down: true,
            modifiers: Modifiers::from_bits(Modifiers::SHIFT).unwrap(),
        },
        InputEvent::Wheel {
            at: Point { x: 0, y: 65535 },
            mode: WheelMode::Line,
            modifiers: none,
            dx: 0,
            dy: 3,
        },
        InputEvent::Key {
            key: Key::from_code("KeyA").unwrap(),
            down: true,
            modifiers: none,
        },
        InputEvent::Text("é✓"),
        InputEvent::ReleaseAll,
    ];
    assert_eq!(js.len(), events.len());
    for (i, (event, hex)) in events.into_iter().zip(&js).enumerate() {
        let msg = InputMessage {
            seq: i as u32 + 1,
            timestamp_us: t,
            event,
        };
        let mut rust = Vec::new();
        msg.encode(&mut rust);
        let rust_hex: String = rust.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(&rust_hex, hex, "example {i}: {event:?}");
        assert_eq!(InputMessage::decode(&rust), Ok(msg));
    }
}

/// A network blip: the sharer freezes (SIGSTOP: no packets, no HTTP) for 2.5 s and thaws. The
/// viewer notices the silence, reconnects with a new WHEP session once the sharer answers
/// again, and plays new frames.
#[test]
fn viewer_reconnects_after_a_blip() {
    check_tools();
    let (glass, url) = glass_share();
    let mut node = Node::spawn("viewer-blip.mjs", &[&url]);
    let lines = node.lines("viewer-blip");
    let playing = lines
        .recv_timeout(Duration::from_secs(60))
        .expect("viewer-blip reported nothing within 60 s");
    assert_eq!(playing["phase"], "playing", "{playing:#}");
    let pid = glass.0.id() as i32;
    // SAFETY: kill(2) has no memory-safety preconditions; `pid` is our live child.
    unsafe { libc::kill(pid, libc::SIGSTOP) };
    let lost = lines.recv_timeout(Duration::from_secs(15));
    std::thread::sleep(Duration::from_millis(2500));
    // SAFETY: as above.
    unsafe { libc::kill(pid, libc::SIGCONT) };
    let lost = lost.expect("viewer-blip reported nothing while the sharer was frozen");
    assert_eq!(lost["phase"], "lost", "{lost:#}");
    let back = lines
        .recv_timeout(Duration::from_secs(45))
        .expect("viewer-blip reported nothing after the sharer thawed");
    assert_eq!(
        back["phase"], "recovered",
        "viewer did not recover: {back:#}"
    );
    assert_eq!(back["state"], "connected", "{back:#}");
    let status = node.0.wait().expect("node exits");
    assert!(status.success(), "viewer-blip.mjs failed: {status}");
    drop(glass);
}

/// `glass bench --viewer chromium`: Chromium plays the viewer page and the probe is read from
/// every presented frame; the sharer's stages are matched to them.
#[test]
fn bench_reads_the_probe_in_chromium() {
    use glass_bench::{BenchConfig, ViewerKind, run};
    check_tools();
    let report = run(&BenchConfig {
        scene: glass::engine::capture::synthetic::Scene::Typing,
        width: 640,
        height: 360,
        fps: 30,
        seconds: 2.0,
        warmup: 1.0,
        viewer: ViewerKind::Chromium,
        ..BenchConfig::default()
    })
    .expect("bench with Chromium runs");
    eprintln!("{}", report.table());
    assert!(report.samples.len() >= 20, "{}", report.table());
    assert_eq!(report.probe_unreadable, 0, "{}", report.table());
    // The sharer's stages were found for the frames Chromium showed.
    assert!(
        report.samples.iter().all(|s| s.stages[3].is_some()),
        "{}",
        report.table()
    );
    // The page's clock was measured against the system's and taken out (a page that stops
    // reporting it, or a skew past a few ms, is a broken instrument).
    let skew = report
        .viewer_clock_skew_ms
        .expect("the page reports its clock skew");
    assert!(skew.abs() < 5.0, "{skew} ms");
}

/// The page's probe decoder (`tests/browser/probe.mjs`) against its own drawing of the
/// layout in `engine/src/probe.rs`: round trips, CRC, rejected blocks.
#[test]
fn javascript_probe_decoder_self_check() {
    check_tools();
    let out = Command::new("node")
        .arg("probe-decode.test.mjs")
        .current_dir(browser_dir())
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A network namespace of the test's own, deleted when dropped: only `lo`, up, with a second
/// address (`NETNS_ADDR`) that is also the default route's source. No traffic can leave it.
pub(crate) struct Netns(pub(crate) String);

/// The namespace's non-127 address (on its `lo`; see [`Netns`]).
pub(crate) const NETNS_ADDR: &str = "10.99.0.1";

impl Netns {
    pub(crate) fn new(tag: &str) -> Netns {
        let name = format!("glass-{tag}-{}", std::process::id());
        let ip = |args: &[&str]| {
            let out = Command::new("ip")
                .args(args)
                .output()
                .expect("run ip (iproute2)");
            assert!(
                out.status.success(),
                "ip {args:?}: {} (the Firefox test needs root for its network namespace)",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        let _ = Command::new("ip").args(["netns", "del", &name]).output();
        ip(&["netns", "add", &name]);
        let ns = Netns(name);
        let inside = |args: &[&str]| {
            let mut all = vec!["netns", "exec", &ns.0, "ip"];
            all.extend_from_slice(args);
            ip(&all);
        };
        inside(&["link", "set", "lo", "up"]);
        inside(&["addr", "add", &format!("{NETNS_ADDR}/24"), "dev", "lo"]);
        inside(&[
            "route", "add", "default", "via", NETNS_ADDR, "dev", "lo", "src", NETNS_ADDR,
        ]);
        ns
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).output();
    }
}

/// Firefox where it cannot get its OpenH264 plugin (Debian's firefox-esr offers VP8, VP9 and
/// AV1 only): the real `glass share` answers in VP8 (`--codec auto`), the page decodes the
/// synthetic scene's colours, and a click and a key from Firefox reach the sharer (refused
/// there as view-only, and counted). Needs firefox-esr and puppeteer-core (scripts/setup.sh).
#[test]
fn firefox_without_h264_gets_vp8_pixels_and_sends_input() {
    check_firefox();
    let t0 = Instant::now();
    // Firefox offers no loopback candidate; in this namespace its one address is NETNS_ADDR,
    // where the sharer listens too (firefox-check.mjs says why).
    let netns = Netns::new("firefox");
    let (mut glass, url, stderr) = spawn_glass_share_in(
        Some(&netns),
        NETNS_ADDR,
        &["--source", &format!("synthetic:typing:{W}x{H}@30")],
    );
    let samples = typing_samples();
    let arg = samples_arg(&samples);
    let sep = if url.contains('?') { '&' } else { '?' };
    let mut node = Node::spawn_in(
        Some(&netns),
        "firefox-check.mjs",
        &[&format!("{url}{sep}input=always"), &arg],
    );
    let lines = node.lines("firefox-check");
    let playing = lines
        .recv_timeout(Duration::from_secs(40))
        .expect("firefox-check reported nothing within 40 s");
    assert_eq!(
        playing["phase"], "playing",
        "Firefox did not play: {playing:#}"
    );
    let offered: Vec<&str> = playing["offered"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c.as_str())
        .collect();
    assert!(
        !offered.iter().any(|c| c.eq_ignore_ascii_case("video/H264")),
        "this Firefox offers H.264 ({offered:?}): the test would not exercise VP8"
    );
    assert_eq!(playing["codec"], "video/VP8", "{playing:#}");
    assert_eq!(
        (playing["width"].as_u64(), playing["height"].as_u64()),
        (Some(W.into()), Some(H.into()))
    );
    let bad = pixels_off(&samples, &playing);
    assert!(
        bad.is_empty(),
        "pixels off by more than {TOLERANCE}: {bad:#?}\n{playing:#}"
    );
    let input = lines
        .recv_timeout(Duration::from_secs(15))
        .expect("firefox-check reported no input");
    assert_eq!(input["phase"], "input", "{input:#}");
    let sent = |k: &str| input["inputSent"][k].as_u64().unwrap_or(0);
    assert!(sent("button") >= 2 && sent("key") >= 2, "{input:#}");
    let _ = node.0.wait();

    // Ctrl-C: the CLI prints its input counters on the way out.
    // SAFETY: kill(2) has no memory-safety preconditions; the pid is our live child.
    unsafe { libc::kill(glass.0.id() as i32, libc::SIGINT) };
    let status = glass.0.wait().expect("glass exits");
    assert!(status.success(), "glass share ended with {status}");
    std::thread::sleep(Duration::from_millis(200));
    let said: Vec<String> = stderr.try_iter().collect();
    assert!(
        said.iter().any(|l| l.contains("video now in VP8")),
        "the share never switched to VP8: {said:#?}"
    );
    let line = said
        .iter()
        .find(|l| l.starts_with("glass: input:"))
        .expect("glass share printed no input counters");
    let c = input_counters(line);
    // View-only: everything Firefox sent arrived and was refused (mouse-down/up, key-down/up).
    assert!(c.get("view-only").is_some_and(|n| *n >= 4), "{line}");
    drop(glass);
    drop(netns);
    eprintln!("Firefox test took {:?}", t0.elapsed());
}

/// A sampled pixel: its name, where it is, the colour wanted there.
pub(crate) type Sample = (&'static str, u32, u32, (u8, u8, u8));

/// Solid areas of the `synthetic:typing:{W}x{H}` scene, as in the Chromium test.
pub(crate) fn typing_samples() -> Vec<Sample> {
    let term_y = H * 9 / 10 - 8;
    vec![
        ("taskbar", W * 5 / 8, H - 16, palette::TASKBAR),
        ("title", W * 5 / 8, H / 10 + 12, palette::TITLE),
        ("terminal", W / 2, term_y, palette::TERMINAL),
        ("desktop-top", 20, 10, desktop_at(10)),
    ]
}

/// `samples` as the scripts take them: `[{"name","x","y"}]`.
pub(crate) fn samples_arg(samples: &[Sample]) -> String {
    serde_json::Value::Array(
        samples
            .iter()
            .map(|(name, x, y, _)| serde_json::json!({"name": name, "x": x, "y": y}))
            .collect(),
    )
    .to_string()
}

/// The sampled pixels of a viewer script's answer (`samples[].rgb`) that are more than
/// [`TOLERANCE`] off the colour wanted there, described.
pub(crate) fn pixels_off(samples: &[Sample], playing: &serde_json::Value) -> Vec<String> {
    let got = playing["samples"].as_array().expect("samples");
    let mut bad = Vec::new();
    for ((name, x, y, want), s) in samples.iter().zip(got) {
        let rgb: Vec<i32> = s["rgb"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_i64().unwrap() as i32)
            .collect();
        let want = [want.0 as i32, want.1 as i32, want.2 as i32];
        if rgb.iter().zip(want).any(|(g, w)| (g - w).abs() > TOLERANCE) {
            bad.push(format!("{name} at ({x},{y}): got {rgb:?}, want {want:?}"));
        }
    }
    bad
}
