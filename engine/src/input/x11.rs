//! X11 input through the XTEST extension (x11rb).
//!
//! - Pointer: `FakeInput(MotionNotify)` to absolute root coordinates inside the captured
//!   monitor (re-read from RandR at most once a second, so a resolution change is followed).
//! - Keys: a [`Key`] names a US-layout keysym; the keycode is whichever holds that keysym in
//!   the server's keyboard mapping (first two levels). The keycode used for a press is
//!   remembered, so its release matches even if the mapping changed meanwhile.
//! - Text: a character on the first level of some key is typed with that key, one on the
//!   second level with Shift around it; anything else (é on a US layout, ✓, 日) is mapped
//!   temporarily to a free keycode (`ChangeKeyboardMapping`) and typed there. Free keycodes
//!   are reused least recently used first, so a client that re-reads the mapping on
//!   `MappingNotify` sees the right keysym; they are reset to NoSymbol when the injector
//!   is dropped. (xdotool does the same with one scratch keycode and a sleep.)
//! - Auto-repeat: a repeated key-down from the viewer for a key already held is not sent;
//!   the X server repeats held keys itself, at the sharer's rate.
//! - Wheel: buttons 4/5 (vertical) and 6/7 (horizontal), one click per
//!   [`PIXELS_PER_CLICK`] pixels or [`LINES_PER_CLICK`] lines; remainders carry over.
//!
//! Requests are queued and flushed once per wire message; nothing here waits for a reply
//! except start-up and a keyboard-mapping reload after `MappingNotify`.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use x11rb::connection::{Connection, RequestConnection};
use x11rb::errors::{ConnectionError, ReplyError};
use x11rb::protocol::Event;
use x11rb::protocol::xproto::{self, ConnectionExt as _, Mapping, Window};
use x11rb::protocol::xtest::{self, ConnectionExt as _};
use x11rb::rust_connection::RustConnection;

use super::keys::KEY_COUNT;
use super::{Button, InjectError, Injected, Injector, WheelMode};
use crate::capture::x11::{Area, connect, locate};
use crate::display::{DisplaySelection, Follower};

/// Pixels of wheel delta per wheel click (Chromium on Linux reports ~53 per notch).
pub const PIXELS_PER_CLICK: i32 = 50;
/// Lines of wheel delta per wheel click (X clients scroll ~3 lines per click).
pub const LINES_PER_CLICK: i32 = 3;
/// Most wheel clicks sent for one message.
const MAX_CLICKS: i32 = 50;
/// How often the monitor geometry is re-read.
const GEOMETRY_REFRESH: Duration = Duration::from_secs(1);

const XK_SHIFT_L: u32 = 0xffe1;
const XK_RETURN: u32 = 0xff0d;
const XK_TAB: u32 = 0xff09;

/// Injects into one X display (and monitor) with XTEST.
pub struct XTestInjector {
    conn: RustConnection,
    root: Window,
    monitor: Option<String>,
    /// Switches of display during a share.
    follow: Follower,
    area: Area,
    area_read: Instant,
    min_keycode: u8,
    per_keycode: usize,
    /// Keysyms, `per_keycode` per keycode from `min_keycode`.
    keysyms: Vec<u32>,
    /// Keycodes with no keysym at start, least recently used first, with what we mapped.
    scratch: VecDeque<(u8, u32)>,
    /// Keycode used for each held key's press.
    pressed: [u8; KEY_COUNT],
    wheel_rest: (i32, i32),
}

fn lost(e: ConnectionError) -> InjectError {
    InjectError::Backend(format!("X connection failed: {e}"))
}

fn reply_err(what: &'static str) -> impl Fn(ReplyError) -> InjectError {
    move |e| match e {
        ReplyError::ConnectionError(e) => lost(e),
        ReplyError::X11Error(e) => {
            InjectError::Backend(format!("{what}: X error {:?}", e.error_kind))
        }
    }
}

/// The keysym typing `c` produces: Latin-1 keysyms equal the code point, others are
/// `0x0100_0000 + code point` (X11 Unicode keysyms).
pub fn char_keysym(c: char) -> u32 {
    match c {
        '\n' => XK_RETURN,
        '\t' => XK_TAB,
        ' '..='~' | '\u{a0}'..='\u{ff}' => c as u32,
        _ => 0x0100_0000 + c as u32,
    }
}

impl XTestInjector {
    /// Connects to `display` (`None`: `$DISPLAY`) and targets RandR monitor `monitor` (the
    /// whole root window when `None`), as the capturer does.
    pub fn open(display: Option<&str>, monitor: Option<&str>) -> Result<Self, InjectError> {
        Self::open_following(display, &DisplaySelection::new(monitor.map(str::to_string)))
    }

    /// Connects to `display` and targets the RandR monitor `selection` names, switching
    /// whenever it changes (with the capturer following the same selection).
    pub fn open_following(
        display: Option<&str>,
        selection: &DisplaySelection,
    ) -> Result<Self, InjectError> {
        let follow = selection.follow();
        let monitor = follow.current();
        let monitor = monitor.as_deref();
        let (conn, screen, name) =
            connect(display).map_err(|e| InjectError::Connect(e.to_string()))?;
        let root = screen.root;
        if conn
            .extension_information(xtest::X11_EXTENSION_NAME)
            .map_err(lost)?
            .is_none()
        {
            return Err(InjectError::Unsupported(format!(
                "X display {name} lacks the XTEST extension"
            )));
        }
        conn.xtest_get_version(2, 2)
            .map_err(lost)?
            .reply()
            .map_err(reply_err("XTEST GetVersion"))?;
        let (area, _) = locate(&conn, root, monitor).map_err(|e| match e {
            crate::CaptureError::NoSuchDisplay(m) => InjectError::Unsupported(m),
            other => InjectError::Backend(other.to_string()),
        })?;
        let mut inj = XTestInjector {
            conn,
            root,
            monitor: monitor.map(str::to_string),
            follow,
            area,
            area_read: Instant::now(),
            min_keycode: 0,
            per_keycode: 0,
            keysyms: Vec::new(),
            scratch: VecDeque::new(),
            pressed: [0; KEY_COUNT],
            wheel_rest: (0, 0),
        };
        inj.load_mapping()?;
        inj.scratch = (0..inj.keycode_count())
            .filter(|&i| inj.syms(i).iter().all(|s| *s == 0))
            .filter_map(|i| u8::try_from(usize::from(inj.min_keycode) + i).ok())
            .map(|k| (k, 0))
            .collect();
        tracing::debug!(
            "XTEST injector on {name}: {} keycodes, {} free for text",
            inj.keycode_count(),
            inj.scratch.len()
        );
        Ok(inj)
    }

    fn keycode_count(&self) -> usize {
        self.keysyms.len() / self.per_keycode.max(1)
    }

    fn syms(&self, index: usize) -> &[u32] {
        let p = self.per_keycode;
        &self.keysyms[index * p..(index + 1) * p]
    }

    fn load_mapping(&mut self) -> Result<(), InjectError> {
        let setup = self.conn.setup();
        let (min, max) = (setup.min_keycode, setup.max_keycode);
        let reply = self
            .conn
            .get_keyboard_mapping(min, max - min + 1)
            .map_err(lost)?
            .reply()
            .map_err(reply_err("GetKeyboardMapping"))?;
        self.min_keycode = min;
        self.per_keycode = usize::from(reply.keysyms_per_keycode);
        self.keysyms = reply.keysyms;
        Ok(())
    }

    /// Reloads the keyboard mapping if someone changed it; refreshes the monitor geometry
    /// once a second. Drains (and logs) asynchronous X errors of earlier requests.
    fn poll_server(&mut self) -> Result<(), InjectError> {
        let mut reload = false;
        while let Some(event) = self.conn.poll_for_event().map_err(lost)? {
            match event {
                Event::MappingNotify(n) if n.request == Mapping::KEYBOARD => reload = true,
                Event::Error(e) => tracing::debug!("XTEST request failed: {:?}", e.error_kind),
                _ => {}
            }
        }
        if reload {
            self.load_mapping()?;
        }
        Ok(())
    }

    fn refresh_geometry(&mut self) {
        if let Some(monitor) = self.follow.changed() {
            tracing::info!(from = ?self.monitor, to = ?monitor, "XTEST input switches display");
            self.monitor = monitor;
            self.area_read = Instant::now();
            match locate(&self.conn, self.root, self.monitor.as_deref()) {
                Ok((area, _)) => self.area = area,
                // The capturer fails the same way and stops the share.
                Err(e) => tracing::warn!("display switch: {e}"),
            }
            return;
        }
        if self.area_read.elapsed() < GEOMETRY_REFRESH {
            return;
        }
        self.area_read = Instant::now();
        match locate(&self.conn, self.root, self.monitor.as_deref()) {
            Ok((area, _)) => self.area = area,
            Err(e) => tracing::debug!("keeping the old monitor geometry: {e}"),
        }
    }

    /// The keycode holding `keysym` on level 1 or 2 (`shifted` = level 2 only), if any.
    fn find(&self, keysym: u32) -> Option<(u8, bool)> {
        let levels = self.per_keycode.min(2);
        for level in 0..levels {
            for i in 0..self.keycode_count() {
                if self.syms(i)[level] == keysym {
                    let code = u8::try_from(usize::from(self.min_keycode) + i).ok()?;
                    return Some((code, level == 1));
                }
            }
        }
        None
    }

    /// A free keycode now mapped to `keysym` (reusing one already mapped to it).
    fn scratch_for(&mut self, keysym: u32) -> Result<u8, InjectError> {
        let pos = match self.scratch.iter().position(|(_, s)| *s == keysym) {
            Some(p) => p,
            None => {
                let Some((code, _)) = self.scratch.pop_front() else {
                    return Err(InjectError::Backend(format!(
                        "no free keycode to type keysym {keysym:#x}"
                    )));
                };
                let syms = vec![keysym; self.per_keycode.max(1)];
                self.conn
                    .change_keyboard_mapping(1, code, syms.len() as u8, &syms)
                    .map_err(lost)?;
                let i = usize::from(code - self.min_keycode);
                let p = self.per_keycode;
                self.keysyms[i * p..(i + 1) * p].copy_from_slice(&syms);
                self.scratch.push_back((code, keysym));
                self.scratch.len() - 1
            }
        };
        // Most recently used goes last.
        let entry = self.scratch.remove(pos).unwrap_or((0, keysym));
        self.scratch.push_back(entry);
        Ok(entry.0)
    }

    fn fake(&self, kind: u8, detail: u8, x: i16, y: i16) -> Result<(), InjectError> {
        self.conn
            .xtest_fake_input(kind, detail, x11rb::CURRENT_TIME, self.root, x, y, 0)
            .map_err(lost)?;
        Ok(())
    }

    fn key_event(&self, code: u8, down: bool) -> Result<(), InjectError> {
        let kind = if down {
            xproto::KEY_PRESS_EVENT
        } else {
            xproto::KEY_RELEASE_EVENT
        };
        self.fake(kind, code, 0, 0)
    }

    fn click(&self, button: u8, times: i32) -> Result<(), InjectError> {
        for _ in 0..times.min(MAX_CLICKS) {
            self.fake(xproto::BUTTON_PRESS_EVENT, button, 0, 0)?;
            self.fake(xproto::BUTTON_RELEASE_EVENT, button, 0, 0)?;
        }
        Ok(())
    }

    fn type_char(&mut self, c: char) -> Result<(), InjectError> {
        let keysym = char_keysym(c);
        let (code, shifted) = match self.find(keysym) {
            Some(found) => found,
            None => (self.scratch_for(keysym)?, false),
        };
        let shift = if shifted {
            self.find(XK_SHIFT_L).map(|(k, _)| k)
        } else {
            None
        };
        if let Some(s) = shift {
            self.key_event(s, true)?;
        }
        self.key_event(code, true)?;
        self.key_event(code, false)?;
        if let Some(s) = shift {
            self.key_event(s, false)?;
        }
        Ok(())
    }
}

impl Injector for XTestInjector {
    fn name(&self) -> &'static str {
        "xtest"
    }

    fn inject(&mut self, event: &Injected<'_>) -> Result<(), InjectError> {
        self.poll_server()?;
        match *event {
            Injected::MoveTo(p) => {
                self.refresh_geometry();
                let a = self.area;
                let (x, y) = p.to_pixels(a.x, a.y, a.width, a.height);
                let clamp = |v: i32| v.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16;
                self.fake(xproto::MOTION_NOTIFY_EVENT, 0, clamp(x), clamp(y))
            }
            Injected::Button { button, down } => {
                let n = match button {
                    Button::Left => 1,
                    Button::Middle => 2,
                    Button::Right => 3,
                    Button::Back => 8,
                    Button::Forward => 9,
                };
                let kind = if down {
                    xproto::BUTTON_PRESS_EVENT
                } else {
                    xproto::BUTTON_RELEASE_EVENT
                };
                self.fake(kind, n, 0, 0)
            }
            Injected::Wheel { mode, dx, dy } => {
                let per = match mode {
                    WheelMode::Pixel => PIXELS_PER_CLICK,
                    WheelMode::Line => LINES_PER_CLICK,
                };
                let (rx, ry) = self.wheel_rest;
                let (tx, ty) = (rx.saturating_add(dx), ry.saturating_add(dy));
                let (cx, cy) = (tx / per, ty / per);
                self.wheel_rest = (tx - cx * per, ty - cy * per);
                match cy.signum() {
                    -1 => self.click(4, -cy)?,
                    1 => self.click(5, cy)?,
                    _ => {}
                }
                match cx.signum() {
                    -1 => self.click(6, -cx)?,
                    1 => self.click(7, cx)?,
                    _ => {}
                }
                Ok(())
            }
            Injected::Key { key, down } => {
                // The X server auto-repeats a key held through XTEST with the sharer's own
                // settings; the viewer's repeated downs would double the rate.
                if down && self.pressed[key.index()] != 0 {
                    return Ok(());
                }
                let code = if down {
                    let code = match self.find(key.x11_keysym()) {
                        Some((code, _)) => code,
                        None => self.scratch_for(key.x11_keysym())?,
                    };
                    self.pressed[key.index()] = code;
                    code
                } else {
                    match self.pressed[key.index()] {
                        0 => match self.find(key.x11_keysym()) {
                            Some((code, _)) => code,
                            None => return Ok(()),
                        },
                        code => code,
                    }
                };
                if !down {
                    self.pressed[key.index()] = 0;
                }
                self.key_event(code, down)
            }
            Injected::Text(text) => {
                for c in text.chars() {
                    self.type_char(c)?;
                }
                Ok(())
            }
        }
    }

    fn flush(&mut self) -> Result<(), InjectError> {
        self.conn.flush().map_err(lost)
    }
}

impl Drop for XTestInjector {
    fn drop(&mut self) {
        // Give the free keycodes back (clients have long since looked the characters up).
        let per = self.per_keycode.max(1);
        for (code, keysym) in self.scratch.iter().copied() {
            if keysym != 0 {
                let none = vec![0u32; per];
                let _ = self.conn.change_keyboard_mapping(1, code, per as u8, &none);
            }
        }
        let _ = self.conn.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keysyms_for_characters() {
        assert_eq!(char_keysym('a'), 0x61);
        assert_eq!(char_keysym('A'), 0x41);
        assert_eq!(char_keysym('é'), 0xe9);
        assert_eq!(char_keysym('✓'), 0x0100_2713);
        assert_eq!(char_keysym('日'), 0x0100_65e5);
        assert_eq!(char_keysym('\n'), XK_RETURN);
        assert_eq!(char_keysym('\t'), XK_TAB);
    }
}
