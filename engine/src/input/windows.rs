//! Windows input injection with `SendInput`.
//!
//! - Pointer: `MOUSEEVENTF_MOVE | MOUSEEVENTF_ABSOLUTE | MOUSEEVENTF_VIRTUALDESK`, the
//!   engine's [`Point`](super::Point) mapped into the selected monitor's rectangle and
//!   normalised across the virtual desktop ([`windows_logic::absolute`]), all in physical
//!   pixels from DXGI. The geometry is read again at a move a second after the last read, and
//!   at once when the selection changes (monitors come and go, the virtual desktop with them).
//! - Keys by set-1 scancode (`KEYEVENTF_SCANCODE`, `KEYEVENTF_EXTENDEDKEY` for E0 keys), so
//!   the sharer's layout decides the character as with a real keyboard. Windows does not
//!   auto-repeat injected keys, so the viewer's repeated downs are passed on.
//! - Text as `KEYEVENTF_UNICODE` UTF-16 units (surrogate pairs as two units).
//! - Events are batched and sent by [`Injector::flush`] in one `SendInput` call, which the OS
//!   does not interleave with the local user's input.
//! - Dropping the injector releases every key and button it holds.
//!
//! Limits: `SendInput` is subject to UIPI: it cannot reach windows of a higher integrity
//! level (elevated apps, UAC prompts) nor the secure desktop (Ctrl+Alt+Del, the lock screen).
//! That takes a service running as SYSTEM that injects from the input desktop; see
//! `docs/windows.md`. A blocked batch is reported as [`InjectError::Backend`].

use std::time::{Duration, Instant};

use ::windows::Win32::UI::Input::KeyboardAndMouse::{
    INPUT, INPUT_0, INPUT_KEYBOARD, INPUT_MOUSE, KEYBD_EVENT_FLAGS, KEYBDINPUT,
    KEYEVENTF_EXTENDEDKEY, KEYEVENTF_KEYUP, KEYEVENTF_SCANCODE, KEYEVENTF_UNICODE,
    MOUSE_EVENT_FLAGS, MOUSEEVENTF_ABSOLUTE, MOUSEEVENTF_HWHEEL, MOUSEEVENTF_MOVE,
    MOUSEEVENTF_VIRTUALDESK, MOUSEEVENTF_WHEEL, MOUSEINPUT, SendInput, VIRTUAL_KEY,
};

use super::windows_logic::{self, DesktopRect, Held, Stroke, TextStroke, Wheel};
use super::{Button, InjectError, Injected, Injector, Key};
use crate::capture::windows::outputs;
use crate::capture::windows_logic::pick;
use crate::display::{DisplaySelection, Follower};

/// How often the monitor geometry is read again while the pointer moves.
const REREAD: Duration = Duration::from_secs(1);

/// Injects into the monitor a [`DisplaySelection`] names with `SendInput`.
pub struct SendInputInjector {
    selection: Follower,
    /// The selected monitor's device name (`None`: the primary).
    device: Option<String>,
    monitor: DesktopRect,
    desktop: DesktopRect,
    /// When the geometry was last read (enumerating outputs takes a DXGI factory: not on
    /// every move).
    read_at: Instant,
    wheel: Wheel,
    held: Held,
    /// Events of the current wire message, sent together by `flush`; reused.
    batch: Vec<INPUT>,
}

impl std::fmt::Debug for SendInputInjector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendInputInjector")
            .field("device", &self.device)
            .field("monitor", &self.monitor)
            .finish_non_exhaustive()
    }
}

/// The rectangle of the monitor `device` names (`None`: the primary) and the virtual desktop's,
/// both in physical pixels from DXGI (`GetSystemMetrics` would give scaled values to a process
/// that is not per-monitor DPI aware).
fn geometry(device: Option<&str>) -> Result<(DesktopRect, DesktopRect), InjectError> {
    let outs = outputs().map_err(|e| InjectError::Connect(e.to_string()))?;
    let i = pick(&outs, device).ok_or_else(|| {
        InjectError::Connect(format!(
            "no monitor {}",
            device.unwrap_or("(primary)").escape_debug()
        ))
    })?;
    let rect = |(l, t, r, b): (i32, i32, i32, i32)| DesktopRect::from_ltrb(l, t, r, b);
    let desktop = windows_logic::bounding(outs.iter().map(|o| rect(o.ltrb)));
    Ok((rect(outs[i].ltrb), desktop))
}

fn mouse(dx: i32, dy: i32, data: u32, flags: u32) -> INPUT {
    INPUT {
        r#type: INPUT_MOUSE,
        Anonymous: INPUT_0 {
            mi: MOUSEINPUT {
                dx,
                dy,
                mouseData: data,
                dwFlags: MOUSE_EVENT_FLAGS(flags),
                time: 0,
                dwExtraInfo: 0,
            },
        },
    }
}

fn keyboard(vk: u16, scan: u16, flags: KEYBD_EVENT_FLAGS) -> INPUT {
    INPUT {
        r#type: INPUT_KEYBOARD,
        Anonymous: INPUT_0 {
            ki: KEYBDINPUT {
                wVk: VIRTUAL_KEY(vk),
                wScan: scan,
                dwFlags: flags,
                time: 0,
                dwExtraInfo: 0,
            },
        },
    }
}

fn stroke_input(s: Stroke, down: bool) -> INPUT {
    let up = if down {
        KEYBD_EVENT_FLAGS(0)
    } else {
        KEYEVENTF_KEYUP
    };
    match s {
        Stroke::Scan { code, extended } => {
            let ext = if extended {
                KEYEVENTF_EXTENDEDKEY
            } else {
                KEYBD_EVENT_FLAGS(0)
            };
            keyboard(0, code, KEYEVENTF_SCANCODE | ext | up)
        }
        Stroke::Vk(vk) => keyboard(vk, 0, up),
    }
}

impl SendInputInjector {
    /// An injector for the monitor `device` names (`None`: the primary).
    pub fn open(device: Option<&str>) -> Result<Self, InjectError> {
        Self::open_following(device, &DisplaySelection::new(device.map(str::to_string)))
    }

    /// An injector that follows `selection` (`device` is the spec's, used until the
    /// selection first changes).
    pub fn open_following(
        device: Option<&str>,
        selection: &DisplaySelection,
    ) -> Result<Self, InjectError> {
        let selection = selection.follow();
        let device = selection.current().or_else(|| device.map(str::to_string));
        let (monitor, desktop) = geometry(device.as_deref())?;
        Ok(Self {
            selection,
            device,
            monitor,
            desktop,
            read_at: Instant::now(),
            wheel: Wheel::default(),
            held: Held::default(),
            batch: Vec::with_capacity(64),
        })
    }

    fn key(&mut self, key: Key, down: bool) {
        if let Some(s) = windows_logic::stroke(key) {
            self.held.key(key, down);
            self.batch.push(stroke_input(s, down));
        }
    }

    fn button(&mut self, button: Button, down: bool) {
        self.held.button(button, down);
        let (flags, data) = windows_logic::button_flags(button, down);
        self.batch.push(mouse(0, 0, data, flags));
    }

    fn send(&mut self) -> Result<(), InjectError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let size = std::mem::size_of::<INPUT>() as i32;
        // SAFETY: `batch` is a valid slice of initialised INPUT structures and `size` is
        // their size, as SendInput requires; it reads them during the call only.
        let sent = unsafe { SendInput(&self.batch, size) } as usize;
        let wanted = self.batch.len();
        self.batch.clear();
        if sent != wanted {
            return Err(InjectError::Backend(format!(
                "SendInput took {sent} of {wanted} events: {} (an elevated window or the \
                 secure desktop has the input)",
                ::windows::core::Error::from_thread()
            )));
        }
        Ok(())
    }
}

impl Injector for SendInputInjector {
    fn name(&self) -> &'static str {
        "sendinput"
    }

    fn inject(&mut self, event: &Injected<'_>) -> Result<(), InjectError> {
        match *event {
            Injected::MoveTo(p) => {
                let switched = match self.selection.changed() {
                    Some(device) => {
                        self.device = device;
                        true
                    }
                    None => false,
                };
                if switched || self.read_at.elapsed() >= REREAD {
                    (self.monitor, self.desktop) = geometry(self.device.as_deref())?;
                    self.read_at = Instant::now();
                }
                let (dx, dy) = windows_logic::absolute(p, self.monitor, self.desktop);
                let flags = MOUSEEVENTF_MOVE | MOUSEEVENTF_ABSOLUTE | MOUSEEVENTF_VIRTUALDESK;
                self.batch.push(mouse(dx, dy, 0, flags.0));
            }
            Injected::Button { button, down } => self.button(button, down),
            Injected::Wheel { mode, dx, dy } => {
                let (v, h) = self.wheel.amounts(mode, dx, dy);
                // mouseData is a DWORD holding a signed amount.
                if v != 0 {
                    self.batch.push(mouse(0, 0, v as u32, MOUSEEVENTF_WHEEL.0));
                }
                if h != 0 {
                    self.batch.push(mouse(0, 0, h as u32, MOUSEEVENTF_HWHEEL.0));
                }
            }
            Injected::Key { key, down } => self.key(key, down),
            Injected::Text(text) => {
                for s in windows_logic::text_strokes(text) {
                    match s {
                        TextStroke::Unit(u) => {
                            self.batch.push(keyboard(0, u, KEYEVENTF_UNICODE));
                            self.batch
                                .push(keyboard(0, u, KEYEVENTF_UNICODE | KEYEVENTF_KEYUP));
                        }
                        TextStroke::Key(k) => {
                            self.batch.push(stroke_input(k, true));
                            self.batch.push(stroke_input(k, false));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), InjectError> {
        self.send()
    }
}

impl Drop for SendInputInjector {
    fn drop(&mut self) {
        // Whatever the viewer left pressed is released: a held Ctrl or button would otherwise
        // stay down on the sharer's machine.
        let (keys, buttons) = self.held.take();
        for k in keys {
            if let Some(s) = windows_logic::stroke(k) {
                self.batch.push(stroke_input(s, false));
            }
        }
        for b in buttons {
            let (flags, data) = windows_logic::button_flags(b, false);
            self.batch.push(mouse(0, 0, data, flags));
        }
        let _ = self.send();
    }
}
