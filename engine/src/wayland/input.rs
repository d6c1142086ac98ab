//! [`WaylandInjector`]: the helper's input through the `Notify*` methods of the Mutter
//! remote-desktop session the capturer streams from (one consent covers both).
//!
//! - Pointer: `NotifyPointerMotionAbsolute(stream, x, y)` in the stream's logical pixels.
//! - Buttons: `NotifyPointerButton(evdev BTN_*, pressed)`.
//! - Wheel: line deltas become `NotifyPointerAxisDiscrete` clicks ([`LINES_PER_CLICK`] lines
//!   each, remainders carried over, as XTEST does); pixel deltas go as smooth
//!   `NotifyPointerAxis` scrolling.
//! - Keys: `NotifyKeyboardKeycode(evdev KEY_*, pressed)`, from the position-based
//!   [`Key`] (W3C `code`) through [`evdev_keycode`]. A repeated key-down for a key already
//!   held is not sent: Wayland clients repeat held keys themselves.
//! - Text: `NotifyKeyboardKeysym(keysym, pressed)` per character; Mutter types it with
//!   whichever key of the current layout carries it (with Shift or AltGr as needed). A
//!   character no key of the layout carries is not typed (Mutter logs it): Mutter has no
//!   scratch keycodes as X11 does.
#![forbid(unsafe_code)]

use std::sync::Arc;

use super::{InputCall, WaylandBackend, WaylandSession, WaylandStats};
use crate::input::keys::{KEY_COUNT, Key};
use crate::input::x11::char_keysym;
use crate::input::{Button, InjectError, Injected, Injector, WheelMode};

/// Lines of wheel delta per wheel click.
pub const LINES_PER_CLICK: i32 = 3;
/// Most wheel clicks sent for one message.
const MAX_CLICKS: i32 = 50;
/// `NotifyPointerAxis` flags: the delta comes from a continuous source (touchpad-like).
const AXIS_SOURCE_CONTINUOUS: u32 = 1 << 3;
/// `NotifyPointerAxisDiscrete` axes.
const AXIS_VERTICAL: u32 = 0;
const AXIS_HORIZONTAL: u32 = 1;

/// `(W3C code, evdev KEY_*)` from `linux/input-event-codes.h`, sorted by code.
const EVDEV: &[(&str, u32)] = &[
    ("AltLeft", 56),
    ("AltRight", 100),
    ("ArrowDown", 108),
    ("ArrowLeft", 105),
    ("ArrowRight", 106),
    ("ArrowUp", 103),
    ("AudioVolumeDown", 114),
    ("AudioVolumeMute", 113),
    ("AudioVolumeUp", 115),
    ("Backquote", 41),
    ("Backslash", 43),
    ("Backspace", 14),
    ("BracketLeft", 26),
    ("BracketRight", 27),
    ("CapsLock", 58),
    ("Comma", 51),
    ("ContextMenu", 127),
    ("ControlLeft", 29),
    ("ControlRight", 97),
    ("Delete", 111),
    ("Digit0", 11),
    ("Digit1", 2),
    ("Digit2", 3),
    ("Digit3", 4),
    ("Digit4", 5),
    ("Digit5", 6),
    ("Digit6", 7),
    ("Digit7", 8),
    ("Digit8", 9),
    ("Digit9", 10),
    ("End", 107),
    ("Enter", 28),
    ("Equal", 13),
    ("Escape", 1),
    ("F1", 59),
    ("F10", 68),
    ("F11", 87),
    ("F12", 88),
    ("F13", 183),
    ("F14", 184),
    ("F15", 185),
    ("F16", 186),
    ("F17", 187),
    ("F18", 188),
    ("F19", 189),
    ("F2", 60),
    ("F20", 190),
    ("F21", 191),
    ("F22", 192),
    ("F23", 193),
    ("F24", 194),
    ("F3", 61),
    ("F4", 62),
    ("F5", 63),
    ("F6", 64),
    ("F7", 65),
    ("F8", 66),
    ("F9", 67),
    ("Help", 138),
    ("Home", 102),
    ("Insert", 110),
    ("IntlBackslash", 86),
    ("IntlRo", 89),
    ("IntlYen", 124),
    ("KeyA", 30),
    ("KeyB", 48),
    ("KeyC", 46),
    ("KeyD", 32),
    ("KeyE", 18),
    ("KeyF", 33),
    ("KeyG", 34),
    ("KeyH", 35),
    ("KeyI", 23),
    ("KeyJ", 36),
    ("KeyK", 37),
    ("KeyL", 38),
    ("KeyM", 50),
    ("KeyN", 49),
    ("KeyO", 24),
    ("KeyP", 25),
    ("KeyQ", 16),
    ("KeyR", 19),
    ("KeyS", 31),
    ("KeyT", 20),
    ("KeyU", 22),
    ("KeyV", 47),
    ("KeyW", 17),
    ("KeyX", 45),
    ("KeyY", 21),
    ("KeyZ", 44),
    ("Lang1", 122),
    ("Lang2", 123),
    ("MediaPlayPause", 164),
    ("MediaStop", 166),
    ("MediaTrackNext", 163),
    ("MediaTrackPrevious", 165),
    ("MetaLeft", 125),
    ("MetaRight", 126),
    ("Minus", 12),
    ("NumLock", 69),
    ("Numpad0", 82),
    ("Numpad1", 79),
    ("Numpad2", 80),
    ("Numpad3", 81),
    ("Numpad4", 75),
    ("Numpad5", 76),
    ("Numpad6", 77),
    ("Numpad7", 71),
    ("Numpad8", 72),
    ("Numpad9", 73),
    ("NumpadAdd", 78),
    ("NumpadComma", 121),
    ("NumpadDecimal", 83),
    ("NumpadDivide", 98),
    ("NumpadEnter", 96),
    ("NumpadEqual", 117),
    ("NumpadMultiply", 55),
    ("NumpadSubtract", 74),
    ("PageDown", 109),
    ("PageUp", 104),
    ("Pause", 119),
    ("Period", 52),
    ("PrintScreen", 99),
    ("Quote", 40),
    ("ScrollLock", 70),
    ("Semicolon", 39),
    ("ShiftLeft", 42),
    ("ShiftRight", 54),
    ("Slash", 53),
    ("Space", 57),
    ("Tab", 15),
];

/// The Linux evdev keycode (`KEY_*`) of a key position.
pub fn evdev_keycode(key: Key) -> Option<u32> {
    EVDEV
        .binary_search_by(|(c, _)| (*c).cmp(key.code()))
        .ok()
        .map(|i| EVDEV[i].1)
}

/// evdev `BTN_*` of a button.
fn evdev_button(b: Button) -> i32 {
    match b {
        Button::Left => 0x110,
        Button::Right => 0x111,
        Button::Middle => 0x112,
        Button::Back => 0x113,
        Button::Forward => 0x114,
    }
}

/// Injects into the monitor a [`WaylandSession`] records. See the [module docs](self).
pub struct WaylandInjector {
    session: Arc<WaylandSession>,
    /// Stream coordinate space for pointer events.
    size: (u32, u32),
    held: [bool; KEY_COUNT],
    wheel_rest: (i32, i32),
}

impl WaylandInjector {
    /// Injects through `session` (the capturer of the same source holds it too).
    pub fn new(session: Arc<WaylandSession>) -> Self {
        let size = session.monitor().logical_size();
        Self {
            session,
            size,
            held: [false; KEY_COUNT],
            wheel_rest: (0, 0),
        }
    }

    /// The shared session.
    pub fn session(&self) -> &Arc<WaylandSession> {
        &self.session
    }

    fn call(&self, event: InputCall) -> Result<(), InjectError> {
        self.session.input(event).map_err(|e| {
            WaylandStats::count(&self.session.stats().failed_input_calls);
            match e {
                zbus::Error::MethodError(name, msg, _)
                    if name.as_str().ends_with("AccessDenied") =>
                {
                    InjectError::Permission(format!("{event:?}: {}", msg.unwrap_or_default()))
                }
                e => InjectError::Backend(format!("{}: {event:?}: {e}", self.name())),
            }
        })
    }

    fn clicks(&self, axis: u32, steps: i32) -> Result<(), InjectError> {
        if steps == 0 {
            return Ok(());
        }
        self.call(InputCall::AxisDiscrete(
            axis,
            steps.clamp(-MAX_CLICKS, MAX_CLICKS),
        ))
    }
}

impl Injector for WaylandInjector {
    fn name(&self) -> &'static str {
        match self.session.backend() {
            WaylandBackend::Mutter => "mutter-remote-desktop",
            WaylandBackend::Portal => "portal-remote-desktop",
        }
    }

    fn inject(&mut self, event: &Injected<'_>) -> Result<(), InjectError> {
        match *event {
            Injected::MoveTo(p) => {
                let (x, y) = p.to_pixels(0, 0, self.size.0, self.size.1);
                self.call(InputCall::MotionAbsolute(f64::from(x), f64::from(y)))
            }
            Injected::Button { button, down } => {
                self.call(InputCall::Button(evdev_button(button), down))
            }
            Injected::Wheel {
                mode: WheelMode::Pixel,
                dx,
                dy,
            } => {
                if dx == 0 && dy == 0 {
                    return Ok(());
                }
                self.call(InputCall::Axis(
                    f64::from(dx),
                    f64::from(dy),
                    AXIS_SOURCE_CONTINUOUS,
                ))
            }
            Injected::Wheel {
                mode: WheelMode::Line,
                dx,
                dy,
            } => {
                let (rx, ry) = self.wheel_rest;
                let (tx, ty) = (rx.saturating_add(dx), ry.saturating_add(dy));
                let (cx, cy) = (tx / LINES_PER_CLICK, ty / LINES_PER_CLICK);
                self.wheel_rest = (tx - cx * LINES_PER_CLICK, ty - cy * LINES_PER_CLICK);
                self.clicks(AXIS_VERTICAL, cy)?;
                self.clicks(AXIS_HORIZONTAL, cx)
            }
            Injected::Key { key, down } => {
                let held = &mut self.held[key.index()];
                if down == *held {
                    // A repeat of a held key, or a release of one not held.
                    return Ok(());
                }
                *held = down;
                let Some(code) = evdev_keycode(key) else {
                    return Err(InjectError::Unsupported(format!(
                        "no evdev keycode for {}",
                        key.code()
                    )));
                };
                self.call(InputCall::Keycode(code, down))
            }
            Injected::Text(text) => {
                for c in text.chars() {
                    let sym = char_keysym(c);
                    self.call(InputCall::Keysym(sym, true))?;
                    self.call(InputCall::Keysym(sym, false))?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_an_evdev_code() {
        for w in EVDEV.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        for i in 0..KEY_COUNT {
            let k = Key::from_index(i).unwrap();
            let code = evdev_keycode(k);
            assert!(code.is_some_and(|c| c > 0 && c < 0x100), "{}", k.code());
        }
        let code = |c| evdev_keycode(Key::from_code(c).unwrap());
        assert_eq!(code("KeyA"), Some(30));
        assert_eq!(code("Enter"), Some(28));
        assert_eq!(code("ShiftLeft"), Some(42));
        assert_eq!(code("F12"), Some(88));
        // Distinct keys, distinct codes.
        let mut codes: Vec<u32> = EVDEV.iter().map(|(_, c)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), EVDEV.len());
    }
}
