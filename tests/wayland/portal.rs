//! `wayland:portal` through the real xdg-desktop-portal and xdg-desktop-portal-gnome on the
//! headless Mutter session of the parent module, the portal's dialog answered by clicks.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use glass::engine::capture::Capturer;
use glass::engine::input::{Button, Injected, Injector, Point, WheelMode};
use glass::engine::wayland::{
    PortalConfig, WaylandBackend, WaylandCapturer, WaylandInjector, WaylandSession,
};

use super::{
    COLOUR, GlassShare, Gnome, H, W, XDP, XDP_GNOME, alt_f4, capture_until, find_colour,
    left_click, mutter_sessions, pixel, pointer_moves_land, run_dir, wait_sessions,
};

/// The GNOME accent blue of the portal dialog's "Share" button (and of a switch that is on).
const ACCENT: [u8; 3] = [0x35, 0x84, 0xe4];

impl Gnome {
    /// Starts the session with xdg-desktop-portal and its GNOME backend, or `None` (printing
    /// why) when Mutter or the portal is not installed.
    ///
    /// xdg-desktop-portal-gnome runs as the session's user (it is a GTK client of Mutter and
    /// drives Mutter's APIs). xdg-desktop-portal itself runs as the test's user: it looks at
    /// `/proc/PID/root` of each caller (to tell sandboxed apps from host ones), which only
    /// the caller's own user (or root) may open, and the caller here is the test.
    fn start_portal() -> Option<Gnome> {
        for exe in [XDP, XDP_GNOME] {
            if !Path::new(exe).is_file() {
                eprintln!(
                    "SKIPPED: {exe} is not installed (apt-get install xdg-desktop-portal \
                     xdg-desktop-portal-gnome; scripts/setup.sh does)"
                );
                return None;
            }
        }
        let mut gnome = Self::start_with(true)?;
        // The front end asks the backend at its first call: it must be on the bus by then,
        // or the bus would start one without the Wayland display.
        let conn = zbus::blocking::connection::Builder::address(gnome.bus.as_str())
            .and_then(|b| b.build())
            .expect("connect to the session bus");
        let dbus = zbus::blocking::fdo::DBusProxy::new(&conn).unwrap();
        let start = Instant::now();
        while !dbus
            .name_has_owner(
                "org.freedesktop.impl.portal.desktop.gnome"
                    .try_into()
                    .unwrap(),
            )
            .unwrap_or(false)
        {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "xdg-desktop-portal-gnome did not start:\n{}",
                gnome.log("xdp-gnome")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let log = gnome.dir.path().join("xdg-desktop-portal.log");
        let mut cmd = Command::new(XDP);
        cmd.args(["--verbose", "--replace"])
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", gnome.dir.path().join("portal-home"))
            .env("XDG_RUNTIME_DIR", run_dir(gnome.dir.path()))
            .env("DBUS_SESSION_BUS_ADDRESS", &gnome.bus)
            .env("XDG_CURRENT_DESKTOP", "GNOME")
            .env("WAYLAND_DISPLAY", "wayland-0")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap());
        gnome
            .clients
            .push(cmd.spawn().expect("start xdg-desktop-portal"));
        let start = Instant::now();
        while !std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("org.freedesktop.portal.Desktop acquired")
        {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "xdg-desktop-portal did not start:\n{}\nxdg-desktop-portal-gnome:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default(),
                gnome.log("xdp-gnome")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Some(gnome)
    }

    /// The portal's logs, for a failing test's message.
    fn portal_logs(&self) -> String {
        format!(
            "xdg-desktop-portal:\n{}\nxdg-desktop-portal-gnome:\n{}",
            std::fs::read_to_string(self.dir.path().join("xdg-desktop-portal.log"))
                .unwrap_or_default(),
            self.log("xdp-gnome")
        )
    }
}

/// How the test answers the portal's dialog.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Answer {
    /// Switch on "Allow remote interaction", then "Share".
    Share,
    /// "Cancel".
    Cancel,
}

/// Clicks at (x, y) through the harness's own Mutter session (as a person at the machine
/// would). The pointer first rests on the spot: GTK takes a press that arrives with the
/// pointer's entry into its window as no click.
fn click(hand: &mut WaylandInjector, x: u32, y: u32) {
    hand.inject(&Injected::MoveTo(Point::from_pixel(x, y, W, H)))
        .unwrap();
    std::thread::sleep(Duration::from_millis(150));
    for down in [true, false] {
        hand.inject(&Injected::Button {
            button: Button::Left,
            down,
        })
        .unwrap();
    }
}

/// Waits for xdg-desktop-portal-gnome's "Remote desktop" dialog on the screen the harness
/// watches (its "Share" button is the only accent-blue area) and answers it. Returns when it
/// showed, from the call.
/// `None` when the portal call ended before a dialog showed.
fn answer_dialog<T>(
    watch: &mut WaylandCapturer,
    hand: &mut WaylandInjector,
    answer: Answer,
    call: &std::thread::JoinHandle<T>,
) -> Option<Duration> {
    let start = Instant::now();
    let frame = capture_until(
        watch,
        Duration::from_secs(15),
        "the portal's dialog never showed",
        |f| call.is_finished() || find_colour(f, ACCENT).0 > 1500,
    );
    if call.is_finished() {
        return None;
    }
    let shown = start.elapsed();
    let (_, Some((x0, y0, x1, y1))) = find_colour(&frame, ACCENT) else {
        unreachable!()
    };
    eprintln!("portal dialog: Share button at {x0},{y0}..{x1},{y1}");
    match answer {
        Answer::Share => {
            // xdg-desktop-portal-gnome 43 lays the 640×480 dialog out so: the "Allow remote
            // interaction" switch (off by default: without it the portal grants no input)
            // sits 216 px below the Share button's top, 18 px right of its left edge.
            click(hand, x0 + 18, y0 + 216);
            // On, its track turns blue where the knob was (a hovered switch is a lighter
            // blue than the button).
            capture_until(
                watch,
                Duration::from_secs(5),
                "the remote-interaction switch did not turn on",
                |f| {
                    let [r, _, b] = pixel(f, x0 + 6, y0 + 216);
                    r < 120 && b > 200
                },
            );
            click(hand, (x0 + x1) / 2, (y0 + y1) / 2);
        }
        // Cancel mirrors Share at the other end of the header bar.
        Answer::Cancel => click(hand, W - x1 + 43, (y0 + y1) / 2),
    }
    Some(shown)
}

/// `wayland:portal` through the real xdg-desktop-portal (1.16 on Debian 12) and its GNOME
/// backend (xdg-desktop-portal-gnome 43) on the headless Mutter: the test answers the
/// portal's own dialog by clicking through a Mutter session of its own, then checks, on
/// the one portal session the capturer, injector and pointer source share, the window's
/// colour in the frames, pointer moves landing, a click and Alt+F4 closing the window; then
/// the restore token, and a second share whose dialog is cancelled.
#[test]
fn wayland_portal_session_after_the_sharer_approves() {
    let test_start = Instant::now();
    let Some(mut gnome) = Gnome::start_portal() else {
        return;
    };
    // The harness's own eyes and hands: a Mutter session that sees the whole screen.
    let harness = gnome.session();
    let mut watch = WaylandCapturer::new(harness.clone()).expect("harness capturer");
    let mut hand = WaylandInjector::new(harness.clone());

    let token_file = gnome.dir.path().join("state/glass/portal-restore-token");
    let config = PortalConfig {
        bus_address: Some(gnome.bus.clone()),
        token_file: Some(token_file.clone()),
        dialog_timeout: Duration::from_secs(20),
    };
    let opener = {
        let config = config.clone();
        std::thread::spawn(move || WaylandSession::shared_portal(&config))
    };
    let shown = answer_dialog(&mut watch, &mut hand, Answer::Share, &opener);
    let answered = Instant::now();
    let session = opener.join().unwrap().unwrap_or_else(|e| {
        panic!(
            "no portal session (dialog shown after {shown:?}): {e}\n{}",
            gnome.portal_logs()
        )
    });
    eprintln!(
        "portal dialog shown {shown:?} after the request; session up {:?} after Share",
        answered.elapsed()
    );
    assert_eq!(session.backend(), WaylandBackend::Portal);
    assert!(
        Arc::ptr_eq(&session, &WaylandSession::shared_portal(&config).unwrap()),
        "capture and input of one source share the portal session (one dialog)"
    );
    // The portal's session is a second Mutter session beside the harness's.
    wait_sessions(&gnome, 2);

    // The window only now: the dialog has no parent window here, so a window mapped while it
    // shows would cover it.
    let png = gnome.solid_png(200, 150, COLOUR);
    gnome.client("weston-image", &[&png]);
    let mut cap = WaylandCapturer::new(session.clone()).expect("capturer on the portal's fd");
    let info = cap.info();
    assert_eq!(info.backend, "portal-pipewire");
    assert_eq!(
        (info.display.width, info.display.height),
        (W, H),
        "{info:?}"
    );
    let frame = capture_until(
        &mut cap,
        Duration::from_secs(10),
        "the window never showed in the portal's stream",
        |f| (f.width, f.height) == (W, H) && find_colour(f, COLOUR).0 >= 200 * 150 * 9 / 10,
    );
    let (_, Some((x0, y0, x1, y1))) = find_colour(&frame, COLOUR) else {
        unreachable!()
    };

    // Input through the portal: pointer moves land where they were sent (read back from
    // the portal stream's cursor metadata), a click and Alt+F4 close the window.
    let mut input = WaylandInjector::new(session.clone());
    assert_eq!(input.name(), "portal-remote-desktop");
    let (pointer, _) = pointer_moves_land(&mut input, &session);
    input
        .inject(&Injected::MoveTo(Point::from_pixel(
            (x0 + x1) / 2,
            (y0 + y1) / 2,
            W,
            H,
        )))
        .unwrap();
    std::thread::sleep(Duration::from_millis(150));
    left_click(&mut input);
    for mode in [WheelMode::Line, WheelMode::Pixel] {
        input
            .inject(&Injected::Wheel { mode, dx: 0, dy: 3 })
            .unwrap();
    }
    alt_f4(&mut input);
    capture_until(
        &mut cap,
        Duration::from_secs(5),
        "Alt+F4 through the portal did not close the window",
        |f| find_colour(f, COLOUR).0 < 100,
    );
    assert_eq!(
        session
            .stats()
            .malformed_replies
            .load(std::sync::atomic::Ordering::Relaxed),
        0
    );

    // The restore token: kept (0600) when the portal can persist a remote-desktop grant,
    // else none is written and the next share asks again.
    let persists = session.portal_persists();
    if persists {
        let mode = std::fs::metadata(&token_file)
            .expect("the restore token is stored")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    } else {
        assert!(
            !token_file.exists(),
            "no token from a portal that cannot persist"
        );
        eprintln!(
            "this portal's RemoteDesktop cannot persist (version 1): no restore token, the \
             next share shows the dialog again"
        );
    }

    // Dropping every user closes the portal session (Mutter lists only the harness's).
    let weak = Arc::downgrade(&session);
    drop((cap, input, pointer, session));
    assert!(weak.upgrade().is_none(), "the session outlived its users");
    wait_sessions(&gnome, 1);

    // A second share: with a stored token no dialog shows; without one the dialog shows
    // again, and cancelling it is a clear refusal, not a hang.
    let opener = {
        let config = config.clone();
        std::thread::spawn(move || WaylandSession::shared_portal(&config).map(|_| ()))
    };
    if persists {
        opener
            .join()
            .unwrap()
            .expect("the restored session starts without a dialog");
        assert!(
            find_colour(
                &capture_until(&mut watch, Duration::from_secs(2), "a frame", |_| true),
                ACCENT
            )
            .0 < 1500,
            "no dialog on the screen"
        );
    } else {
        let shown = answer_dialog(&mut watch, &mut hand, Answer::Cancel, &opener);
        assert!(shown.is_some(), "{}", gnome.portal_logs());
        let e = opener
            .join()
            .unwrap()
            .expect_err("a cancelled dialog gives no session");
        assert!(
            e.to_string().contains("declined in the system dialog"),
            "{e}"
        );
        assert!(!token_file.exists());
    }

    // The real CLI: `glass share --source wayland:portal --control full
    // --forget-portal-token` forgets the stored token (a planted one here), shows the
    // dialog, and once approved captures and injects through the portal session.
    // (xdg-desktop-portal-gnome 43 leaves the cancelled request's Mutter session behind:
    // count from here.)
    let base = mutter_sessions(&gnome);
    let state = gnome.dir.path().join("cli-state");
    let cli_token = state.join("glass/portal-restore-token");
    std::fs::create_dir_all(cli_token.parent().unwrap()).unwrap();
    std::fs::write(&cli_token, "0f8fad5b-d9cb-469f-a165-70867728950e\n").unwrap();
    let mut share = GlassShare::spawn(
        Command::new(env!("CARGO_BIN_EXE_glass"))
            .args(["share", "--source", "wayland:portal", "--control", "full"])
            .args(["--forget-portal-token", "--listen", "127.0.0.1:0"])
            .args(["--bind", "127.0.0.1"])
            .env("DBUS_SESSION_BUS_ADDRESS", &gnome.bus)
            .env("XDG_STATE_HOME", &state),
    );
    let shown = answer_dialog(&mut watch, &mut hand, Answer::Share, &share.reader);
    assert!(
        shown.is_some(),
        "glass share ended before the portal's dialog"
    );
    let (injector_line, seen) = share.injector_line();
    assert!(
        injector_line.contains("full control") && injector_line.contains("portal-remote-desktop"),
        "{injector_line}"
    );
    assert!(
        seen.iter()
            .any(|l| l.contains("Forgot the portal's restore token")),
        "{seen:?}"
    );
    assert!(
        !seen
            .iter()
            .chain([&injector_line])
            .any(|l| l.contains("0f8fad5b")),
        "the token is never printed"
    );
    // One more Mutter session: the portal's, for capture and input both.
    wait_sessions(&gnome, base + 1);
    // The window is gone, but the harness's pointer moves draw: let the share capture.
    for x in [100, 200, 300] {
        hand.inject(&Injected::MoveTo(Point::from_pixel(x, 300, W, H)))
            .unwrap();
        std::thread::sleep(Duration::from_millis(200));
    }
    let (frames, captured) = share.stop();
    assert!(
        frames.is_some_and(|n| n > 0),
        "the share captured nothing: {captured:?}"
    );
    assert_eq!(cli_token.exists(), persists, "a new token only where kept");
    wait_sessions(&gnome, base);
    eprintln!("wayland portal test took {:?}", test_start.elapsed());
}
