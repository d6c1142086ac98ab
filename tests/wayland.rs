//! Wayland (GNOME): capture and input through Mutter's RemoteDesktop/ScreenCast APIs and
//! PipeWire, on a headless Mutter started for the test.
//!
//! Mutter refuses to run as root, so the session runs as `nobody` (through `setpriv` when the
//! tests run as root): `dbus-run-session` with a bus config that also lets root connect,
//! PipeWire and `mutter --headless --virtual-monitor 640x480` inside it, all with a private
//! `XDG_RUNTIME_DIR`. The test talks to that bus and PipeWire socket through
//! [`MutterConfig`], and shows a solid-colour PNG with `weston-image` (a Wayland client from
//! the `weston` package) to have known pixels on screen.
//!
//! Skips (saying so) only when `mutter` is not installed; `scripts/setup.sh` installs it.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod portal;

use glass::codecs::{PixelFormat, VideoFrame};
use glass::engine::capture::{Capturer, SourceSpec};
use glass::engine::cursor::{CursorSource, CursorUpdate};
use glass::engine::input::{Button, Injected, Injector, Key, Point, WheelMode};
use glass::engine::wayland::{
    MutterConfig, WaylandCapturer, WaylandCursorSource, WaylandInjector, WaylandSession,
};

const W: u32 = 640;
const H: u32 = 480;
/// The window's colour (R, G, B).
const COLOUR: [u8; 3] = [0x20, 0xc0, 0x60];
/// The portal's front end and its GNOME backend (Debian's paths; the portal tests are in
/// [`portal`]).
const XDP: &str = "/usr/libexec/xdg-desktop-portal";
const XDP_GNOME: &str = "/usr/libexec/xdg-desktop-portal-gnome";

/// A headless GNOME session (Mutter + PipeWire on a private D-Bus), killed on drop.
struct Gnome {
    dir: tempfile::TempDir,
    session: Child,
    clients: Vec<Child>,
    bus: String,
    /// (uid, gid) the session runs as, when the tests run as root.
    user: Option<(u32, u32)>,
}

fn which(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
}

fn run_dir(dir: &Path) -> PathBuf {
    dir.join("run")
}

impl Gnome {
    /// Starts the session, or `None` (printing why) when Mutter is not installed.
    fn start() -> Option<Gnome> {
        Self::start_with(false)
    }

    fn start_with(portal: bool) -> Option<Gnome> {
        if !which("mutter") {
            eprintln!(
                "SKIPPED: mutter is not installed (apt-get install mutter pipewire weston; scripts/setup.sh does)"
            );
            return None;
        }
        for tool in ["pipewire", "dbus-run-session", "weston-image"] {
            assert!(
                which(tool),
                "{tool} not found: scripts/setup.sh installs it"
            );
        }
        // SAFETY: geteuid has no preconditions.
        let root = unsafe { libc::geteuid() } == 0;
        let user = root.then_some((65534u32, 65534u32)); // nobody:nogroup
        let dir = tempfile::Builder::new()
            .prefix("glass-wayland-")
            .tempdir()
            .expect("temp dir");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let run = run_dir(dir.path());
        let home = dir.path().join("home");
        for d in [&run, &home] {
            std::fs::create_dir(d).unwrap();
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700)).unwrap();
            if let Some((uid, gid)) = user {
                std::os::unix::fs::chown(d, Some(uid), Some(gid)).unwrap();
            }
        }
        // No window animations: a half-faded window is not what the test looks for, and
        // Mutter records a frame only when it paints.
        let settings = home.join(".config/glib-2.0/settings");
        std::fs::create_dir_all(&settings).unwrap();
        std::fs::write(
            settings.join("keyfile"),
            "[org/gnome/desktop/interface]\nenable-animations=false\n",
        )
        .unwrap();
        if let Some((uid, gid)) = user {
            for d in [
                ".config",
                ".config/glib-2.0",
                ".config/glib-2.0/settings",
                ".config/glib-2.0/settings/keyfile",
            ] {
                std::os::unix::fs::chown(home.join(d), Some(uid), Some(gid)).unwrap();
            }
        }
        let conf = dir.path().join("bus.conf");
        std::fs::write(
            &conf,
            "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"
 \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">
<busconfig>
  <include>/usr/share/dbus-1/session.conf</include>
  <policy context=\"default\"><allow user=\"root\"/></policy>
</busconfig>
",
        )
        .unwrap();
        let script = dir.path().join("session.sh");
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh
pipewire >\"$HOME/pipewire.log\" 2>&1 &
if command -v wireplumber >/dev/null; then wireplumber >\"$HOME/wireplumber.log\" 2>&1 & fi
mutter --headless --wayland --no-x11 --virtual-monitor {W}x{H} >\"$HOME/mutter.log\" 2>&1 &
if [ -n \"{portal}\" ]; then
  while [ ! -e \"$XDG_RUNTIME_DIR/wayland-0\" ]; do sleep 0.05; done
  WAYLAND_DISPLAY=wayland-0 XDG_CURRENT_DESKTOP=GNOME {XDP_GNOME} >\"$HOME/xdp-gnome.log\" 2>&1 &
fi
echo \"$DBUS_SESSION_BUS_ADDRESS\" >\"$XDG_RUNTIME_DIR/bus.tmp\"
mv \"$XDG_RUNTIME_DIR/bus.tmp\" \"$XDG_RUNTIME_DIR/bus\"
wait
",
                portal = if portal { "1" } else { "" },
            ),
        )
        .unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut cmd = Self::command(user, dir.path(), "dbus-run-session");
        cmd.arg(format!("--config-file={}", conf.display()))
            .arg("--")
            .arg(&script)
            .process_group(0);
        let session = cmd.spawn().expect("start dbus-run-session");
        let mut gnome = Gnome {
            dir,
            session,
            clients: Vec::new(),
            bus: String::new(),
            user,
        };
        let bus_file = run.join("bus");
        let start = Instant::now();
        while !bus_file.exists() || !run.join("wayland-0").exists() {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "the session did not start; mutter log:\n{}",
                gnome.log("mutter")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        gnome.bus = std::fs::read_to_string(bus_file)
            .unwrap()
            .trim()
            .to_string();
        Some(gnome)
    }

    /// `program` as the session's user with the session's environment.
    fn command(user: Option<(u32, u32)>, dir: &Path, program: &str) -> Command {
        let mut cmd = match user {
            Some((uid, gid)) => {
                let mut c = Command::new("setpriv");
                c.arg(format!("--reuid={uid}"))
                    .arg(format!("--regid={gid}"))
                    .arg("--clear-groups")
                    .arg(program);
                c
            }
            None => Command::new(program),
        };
        cmd.env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", dir.join("home"))
            .env("XDG_RUNTIME_DIR", run_dir(dir))
            .env("GSETTINGS_BACKEND", "keyfile")
            .env("NO_AT_BRIDGE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    }

    /// Starts a Wayland client in the session.
    fn client(&mut self, program: &str, args: &[&Path]) {
        let mut cmd = Self::command(self.user, self.dir.path(), program);
        let log = std::fs::File::create(self.dir.path().join(format!("{program}.log"))).unwrap();
        cmd.env("WAYLAND_DISPLAY", "wayland-0")
            .args(args)
            .stderr(log);
        self.clients
            .push(cmd.spawn().expect("start a Wayland client"));
    }

    fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join("home").join(format!("{name}.log")))
            .unwrap_or_default()
    }

    fn config(&self) -> MutterConfig {
        MutterConfig {
            bus_address: Some(self.bus.clone()),
            pipewire_socket: Some(run_dir(self.dir.path()).join("pipewire-0")),
            connector: None,
        }
    }

    /// The shared session, once Mutter's APIs are on the bus.
    fn session(&self) -> Arc<WaylandSession> {
        let start = Instant::now();
        loop {
            match WaylandSession::shared(&self.config()) {
                Ok(s) => return s,
                Err(e) if start.elapsed() < Duration::from_secs(15) => {
                    let _ = e;
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => panic!(
                    "no Mutter session: {e}\nmutter log:\n{}",
                    self.log("mutter")
                ),
            }
        }
    }

    /// A PNG of one colour, readable by the session's user.
    fn solid_png(&self, w: u32, h: u32, rgb: [u8; 3]) -> PathBuf {
        let path = self.dir.path().join("solid.png");
        let file = std::fs::File::create(&path).unwrap();
        let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().unwrap();
        let data: Vec<u8> = rgb
            .iter()
            .copied()
            .cycle()
            .take((w * h * 3) as usize)
            .collect();
        writer.write_image_data(&data).unwrap();
        writer.finish().unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        path
    }
}

impl Drop for Gnome {
    fn drop(&mut self) {
        for c in &mut self.clients {
            let _ = c.kill();
            let _ = c.wait();
        }
        // The whole group: dbus-daemon, pipewire, wireplumber, mutter.
        let pgid = self.session.id() as libc::pid_t;
        // SAFETY: kill(2) with a negative pid signals the process group we created.
        unsafe { libc::kill(-pgid, libc::SIGTERM) };
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(3) {
            if let Ok(Some(_)) = self.session.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // SAFETY: as above; whatever ignored SIGTERM goes now.
        unsafe { libc::kill(-pgid, libc::SIGKILL) };
        let _ = self.session.wait();
    }
}

/// Pixels of `frame` within 3 of `rgb`, and their bounding box.
fn find_colour(frame: &VideoFrame, rgb: [u8; 3]) -> (usize, Option<(u32, u32, u32, u32)>) {
    assert!(matches!(
        frame.format,
        PixelFormat::Bgrx | PixelFormat::Bgra
    ));
    let stride = frame.planes[0].stride;
    let bytes = frame.plane(0);
    let mut n = 0;
    let mut bbox: Option<(u32, u32, u32, u32)> = None;
    for y in 0..frame.height {
        let row = &bytes[y as usize * stride..][..frame.width as usize * 4];
        for (x, px) in row.chunks_exact(4).enumerate() {
            let close = |a: u8, b: u8| a.abs_diff(b) <= 3;
            if close(px[2], rgb[0]) && close(px[1], rgb[1]) && close(px[0], rgb[2]) {
                n += 1;
                let x = x as u32;
                bbox = Some(match bbox {
                    None => (x, y, x, y),
                    Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
                });
            }
        }
    }
    (n, bbox)
}

/// The colour (R, G, B) of one pixel of a BGRx/BGRA frame.
fn pixel(frame: &VideoFrame, x: u32, y: u32) -> [u8; 3] {
    let at = y as usize * frame.planes[0].stride + x as usize * 4;
    let px = &frame.plane(0)[at..at + 4];
    [px[2], px[1], px[0]]
}

/// Writes `frame` as a PNG into the temp dir (for a failing test's message).
fn save_png(frame: &VideoFrame) -> PathBuf {
    let path = std::env::temp_dir().join(format!("glass-wayland-{}.png", std::process::id()));
    let stride = frame.planes[0].stride;
    let mut rgb = Vec::with_capacity((frame.width * frame.height * 3) as usize);
    for y in 0..frame.height as usize {
        for px in frame.plane(0)[y * stride..][..frame.width as usize * 4].chunks_exact(4) {
            rgb.extend([px[2], px[1], px[0]]);
        }
    }
    let file = std::fs::File::create(&path).unwrap();
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), frame.width, frame.height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().unwrap();
    w.write_image_data(&rgb).unwrap();
    w.finish().unwrap();
    path
}

/// Captures until `done` says so about a frame, or panics after `within`.
fn capture_until(
    cap: &mut WaylandCapturer,
    within: Duration,
    what: &str,
    mut done: impl FnMut(&VideoFrame) -> bool,
) -> VideoFrame {
    let start = Instant::now();
    let mut last = None;
    while start.elapsed() < within {
        let deadline = Instant::now() + Duration::from_millis(200);
        if let Some(f) = cap.capture(deadline).expect("capture") {
            if done(&f) {
                return f;
            }
            last = Some(f);
        } else {
            // Nothing new: look at the last picture again (the window may have been there).
            cap.request_full_frame();
        }
    }
    let saved = last.as_ref().map(save_png);
    panic!("{what} within {within:?} (last frame: {last:?}, saved as {saved:?})");
}

/// `glass share` running as a child: its stderr lines echoed and kept for the test.
struct GlassShare {
    child: Child,
    lines: std::sync::mpsc::Receiver<String>,
    /// The thread reading stderr: finished once the process has gone.
    reader: std::thread::JoinHandle<()>,
}

impl GlassShare {
    fn spawn(cmd: &mut Command) -> GlassShare {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run glass share");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[glass] {line}");
                let _ = tx.send(line);
            }
        });
        GlassShare {
            child,
            lines,
            reader,
        }
    }

    /// Within 15 s, the line naming the input injector, and the lines said before it.
    fn injector_line(&mut self) -> (String, Vec<String>) {
        let until = Instant::now() + Duration::from_secs(15);
        let mut seen = Vec::new();
        loop {
            match self
                .lines
                .recv_timeout(until.saturating_duration_since(Instant::now()))
            {
                Ok(l) if l.contains("input injector") => return (l, seen),
                Ok(l) => seen.push(l),
                Err(_) => {
                    let _ = self.child.kill();
                    panic!("glass share did not start: {seen:?}");
                }
            }
        }
    }

    /// Stops it as a service manager would (SIGTERM): how many frames it said it captured,
    /// and the lines that said so.
    fn stop(mut self) -> (Option<u64>, Vec<String>) {
        // SAFETY: kill(2) on the child we spawned.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let _ = self.child.wait();
        let captured: Vec<String> = self
            .lines
            .iter()
            .filter(|l| l.contains("captured "))
            .collect();
        let frames = captured.first().and_then(|l| {
            l.split("captured ")
                .nth(1)?
                .split(' ')
                .next()?
                .parse::<u64>()
                .ok()
        });
        (frames, captured)
    }
}

/// Three pointer moves through `input`, each read back from the stream's metadata at exactly
/// the pixel sent; then a pointer source on `session` and its first update, at the last one.
fn pointer_moves_land(
    input: &mut WaylandInjector,
    session: &Arc<WaylandSession>,
) -> (WaylandCursorSource, CursorUpdate) {
    let mut latencies = Vec::new();
    for (x, y) in [(5, 7), (W as i32 - 10, H as i32 - 20), (320, 240)] {
        let p = Point::from_pixel(x as u32, y as u32, W, H);
        input.inject(&Injected::MoveTo(p)).unwrap();
        latencies.push(wait_pointer(session, (x, y), Duration::from_secs(3)));
    }
    eprintln!(
        "{} pointer move → stream metadata: {latencies:?}",
        input.name()
    );
    let mut pointer = WaylandCursorSource::new(session.clone());
    let first = pointer
        .next(Instant::now() + Duration::from_secs(2))
        .unwrap()
        .expect("a first pointer update");
    assert_eq!((first.x, first.y), (320, 240));
    (pointer, first)
}

/// A left click where the pointer is.
fn left_click(input: &mut WaylandInjector) {
    for down in [true, false] {
        input
            .inject(&Injected::Button {
                button: Button::Left,
                down,
            })
            .unwrap();
    }
}

/// Alt+F4 as keycodes (Mutter closes the focused window).
fn alt_f4(input: &mut WaylandInjector) {
    let alt = Key::from_code("AltLeft").unwrap();
    let f4 = Key::from_code("F4").unwrap();
    for (key, down) in [(alt, true), (f4, true), (f4, false), (alt, false)] {
        input.inject(&Injected::Key { key, down }).unwrap();
    }
}

fn wait_pointer(session: &WaylandSession, want: (i32, i32), within: Duration) -> Duration {
    let start = Instant::now();
    loop {
        if session.pointer_position() == Some(want) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < within,
            "pointer at {:?}, expected {want:?}",
            session.pointer_position()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Mutter's remote-desktop sessions now (children of its Session object path).
fn mutter_sessions(gnome: &Gnome) -> usize {
    let conn = zbus::blocking::connection::Builder::address(gnome.bus.as_str())
        .and_then(|b| b.build())
        .expect("connect to the session bus");
    // With no session the path may not exist at all: that is none.
    let Ok(reply) = conn.call_method(
        Some("org.gnome.Mutter.RemoteDesktop"),
        "/org/gnome/Mutter/RemoteDesktop/Session",
        Some("org.freedesktop.DBus.Introspectable"),
        "Introspect",
        &(),
    ) else {
        return 0;
    };
    let xml: String = reply.body().deserialize().expect("introspection XML");
    xml.matches("<node name=").count()
}

fn wait_sessions(gnome: &Gnome, want: usize) {
    let start = Instant::now();
    loop {
        let n = mutter_sessions(gnome);
        if n == want {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "Mutter has {n} remote-desktop sessions, expected {want}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn wayland_spec_names_the_problem() {
    assert!(matches!(
        "wayland".parse::<SourceSpec>(),
        Ok(SourceSpec::Wayland { .. })
    ));
    let e = "wayland:sway"
        .parse::<SourceSpec>()
        .unwrap_err()
        .to_string();
    assert!(e.contains("sway") && e.contains("wayland:mutter"), "{e}");
    // The test process's own bus has no portal (or there is no bus): the error names it.
    let e = glass::engine::wayland::WaylandSession::open_portal(
        &glass::engine::wayland::PortalConfig {
            bus_address: Some("unix:path=/nonexistent/glass-test-bus".into()),
            ..Default::default()
        },
    )
    .expect_err("no portal there")
    .to_string();
    assert!(e.contains("xdg-desktop-portal"), "{e}");
}

/// One Mutter session for capture and input: frames of the virtual monitor at 640×480, a
/// window's colour in them, pointer moves read back from the stream's pointer metadata, and
/// a click plus Alt+F4 (keycodes) closing the window.
#[test]
fn wayland_mutter_capture_and_input_share_one_session() {
    let test_start = Instant::now();
    let Some(mut gnome) = Gnome::start() else {
        return;
    };
    let png = gnome.solid_png(200, 150, COLOUR);
    gnome.client("weston-image", &[&png]);

    let session = gnome.session();
    assert!(
        Arc::ptr_eq(&session, &WaylandSession::shared(&gnome.config()).unwrap()),
        "capture and input of one source share the session"
    );
    let started = test_start.elapsed();
    assert_eq!(mutter_sessions(&gnome), 1);
    let mut cap = WaylandCapturer::new(session.clone()).expect("capturer");
    let mut input = WaylandInjector::new(session.clone());
    let info = cap.info();
    assert_eq!(
        (info.display.width, info.display.height),
        (W, H),
        "{info:?}"
    );

    // Frames arrive, at the monitor's size; the first has no damage hints.
    let first = capture_until(&mut cap, Duration::from_secs(10), "no first frame", |_| {
        true
    });
    assert_eq!((first.width, first.height), (W, H));
    assert!(first.damage.is_none(), "the first frame is whole");
    let first_frame_after = test_start.elapsed();

    // The window shows its colour.
    let frame = capture_until(
        &mut cap,
        Duration::from_secs(10),
        "the window never showed",
        |f| find_colour(f, COLOUR).0 >= 200 * 150 * 9 / 10,
    );
    let (_, Some((x0, y0, x1, y1))) = find_colour(&frame, COLOUR) else {
        unreachable!()
    };
    eprintln!("window at {x0},{y0}..{x1},{y1}");

    // Pointer moves land where they were sent (the stream reports the pointer position), and
    // the pointer stream (position and image for viewers) comes from the same metadata.
    let (mut pointer, first) = pointer_moves_land(&mut input, &session);
    // Mutter attaches the image to the metadata once it has one; on a loaded machine that
    // can be after the first positions, so the source sends it as soon as it comes.
    let mut shaped = first;
    let deadline = Instant::now() + Duration::from_secs(3);
    while shaped.shape.is_none() {
        shaped = pointer
            .next(deadline)
            .unwrap()
            .expect("the pointer image within 3 s");
    }
    let shape = shaped
        .shape
        .as_ref()
        .map(|s| (s.width, s.height, s.hot_x, s.hot_y));
    eprintln!("pointer image (w, h, hot x, hot y): {shape:?}");
    // A viewer that asks for everything (a new one, a lost message) gets the image again.
    pointer.request_full();
    let again = pointer
        .next(Instant::now() + Duration::from_secs(2))
        .unwrap()
        .expect("a full pointer update");
    assert_eq!(again.serial, shaped.serial);
    assert!(
        again.shape.is_some(),
        "a full update carries the pointer image"
    );
    input
        .inject(&Injected::MoveTo(Point::from_pixel(300, 200, W, H)))
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let u = pointer.next(deadline).unwrap().expect("a pointer update");
        if (u.x, u.y) == (300, 200) {
            if u.serial == shaped.serial {
                assert!(u.shape.is_none(), "an unchanged image is not sent again");
            }
            break;
        }
    }

    // Wheel and text are accepted (nothing on screen shows them).
    for mode in [WheelMode::Line, WheelMode::Pixel] {
        input
            .inject(&Injected::Wheel { mode, dx: 0, dy: 3 })
            .unwrap();
    }
    input.inject(&Injected::Text("Hi é")).unwrap();

    // Click into the window (focus), then Alt+F4 as keycodes: Mutter closes it.
    let (cx, cy) = ((x0 + x1) / 2, (y0 + y1) / 2);
    input
        .inject(&Injected::MoveTo(Point::from_pixel(cx, cy, W, H)))
        .unwrap();
    left_click(&mut input);
    alt_f4(&mut input);
    let closed = Instant::now();
    capture_until(
        &mut cap,
        Duration::from_secs(5),
        "Alt+F4 did not close the window",
        |f| find_colour(f, COLOUR).0 < 100,
    );
    eprintln!("window gone {:?} after Alt+F4", closed.elapsed());

    // Frame rate of a continuously drawing client.
    gnome.client("weston-simple-shm", &[]);
    capture_until(
        &mut cap,
        Duration::from_secs(5),
        "weston-simple-shm never drew",
        |_| true,
    );
    let t = Instant::now();
    let (mut frames, mut hinted, mut area) = (0u32, 0u32, 0u64);
    let mut handoff = Duration::ZERO;
    while t.elapsed() < Duration::from_secs(2) {
        if let Some(f) = cap
            .capture(Instant::now() + Duration::from_millis(100))
            .unwrap()
        {
            frames += 1;
            // From the copy out of the PipeWire buffer to the pipeline's hands.
            handoff = handoff.max(f.capture_time.elapsed());
            if let Some(d) = &f.damage {
                hinted += 1;
                area += d.area();
            }
        }
    }
    let fps = f64::from(frames) / t.elapsed().as_secs_f64();
    eprintln!(
        "{hinted} of {frames} frames had damage hints, {:.1} % of the screen on average; longest handoff {handoff:?}",
        area as f64 * 100.0 / (f64::from(hinted.max(1)) * f64::from(W * H))
    );
    // Mutter 43 (Debian 12) sends no damage metadata (`hinted` is 0: the pipeline compares
    // frames itself); `pw::parse_damage` is unit-tested for the Mutters that do.
    eprintln!(
        "session up after {started:?}, first frame after {first_frame_after:?}; {fps:.1} frames/s with weston-simple-shm; stats {:?}",
        session.stats()
    );
    assert!(frames > 10, "{frames} frames in 2 s");
    assert_eq!(
        session
            .stats()
            .malformed_replies
            .load(std::sync::atomic::Ordering::Relaxed),
        0
    );

    // Dropping both sides ends the session: the registry holds no reference of its own, and
    // Mutter forgets it.
    let weak = Arc::downgrade(&session);
    drop((cap, input, pointer, session));
    assert!(weak.upgrade().is_none(), "the session outlived its users");
    wait_sessions(&gnome, 0);

    // `glass displays` lists Mutter's monitor inside a Wayland session.
    let out = Command::new(env!("CARGO_BIN_EXE_glass"))
        .arg("displays")
        .env("WAYLAND_DISPLAY", "wayland-0")
        .env("DBUS_SESSION_BUS_ADDRESS", &gnome.bus)
        .env_remove("DISPLAY")
        .output()
        .expect("run glass displays");
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("wayland") && l.contains("Meta-0") && l.contains("640x480")),
        "glass displays: {listed}"
    );

    // `glass share --source wayland` with full control: the capturer and the injector it
    // opens share one Mutter session, which ends with the process.
    let mut share = GlassShare::spawn(
        Command::new(env!("CARGO_BIN_EXE_glass"))
            .args(["share", "--source", "wayland", "--control", "full"])
            .args(["--listen", "127.0.0.1:0", "--bind", "127.0.0.1"])
            .env("DBUS_SESSION_BUS_ADDRESS", &gnome.bus)
            .env("PIPEWIRE_RUNTIME_DIR", run_dir(gnome.dir.path())),
    );
    let (injector_line, _) = share.injector_line();
    assert!(
        injector_line.contains("full control") && injector_line.contains("mutter-remote-desktop"),
        "{injector_line}"
    );
    wait_sessions(&gnome, 1);
    // weston-simple-shm still draws: let the share capture some of it.
    std::thread::sleep(Duration::from_millis(700));
    let (frames, captured) = share.stop();
    assert!(
        frames.is_some_and(|n| n > 0),
        "the share captured nothing: {captured:?}"
    );
    wait_sessions(&gnome, 0);
    eprintln!("wayland test took {:?}", test_start.elapsed());
}
