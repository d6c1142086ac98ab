//! The `SendInput` injector's decisions, pure and `cfg`-free so they are unit-tested on every
//! platform: W3C `code` → PC/AT set-1 scancodes, the engine's [`Point`] → normalised
//! virtual-desktop coordinates, wheel units, button flags, text → UTF-16 keystrokes, and what
//! is held. Constants are the values of `WinUser.h`.
#![forbid(unsafe_code)]

use super::keys::{KEY_COUNT, Key};
use super::{Button, Point, WheelMode};

/// `WHEEL_DELTA`: one notch of a classic wheel.
pub const WHEEL_DELTA: i32 = 120;
/// Viewer pixels per notch, as the X11 injector's `PIXELS_PER_CLICK`.
pub const PIXELS_PER_NOTCH: i32 = 50;
/// Lines per notch: Windows scrolls three lines per notch by default, so a line is 40 units.
pub const LINES_PER_NOTCH: i32 = 3;

/// `MOUSEEVENTF_LEFTDOWN` .. `MOUSEEVENTF_XUP`.
pub const MOUSEEVENTF_LEFTDOWN: u32 = 0x0002;
/// `MOUSEEVENTF_LEFTUP`.
pub const MOUSEEVENTF_LEFTUP: u32 = 0x0004;
/// `MOUSEEVENTF_RIGHTDOWN`.
pub const MOUSEEVENTF_RIGHTDOWN: u32 = 0x0008;
/// `MOUSEEVENTF_RIGHTUP`.
pub const MOUSEEVENTF_RIGHTUP: u32 = 0x0010;
/// `MOUSEEVENTF_MIDDLEDOWN`.
pub const MOUSEEVENTF_MIDDLEDOWN: u32 = 0x0020;
/// `MOUSEEVENTF_MIDDLEUP`.
pub const MOUSEEVENTF_MIDDLEUP: u32 = 0x0040;
/// `MOUSEEVENTF_XDOWN`.
pub const MOUSEEVENTF_XDOWN: u32 = 0x0080;
/// `MOUSEEVENTF_XUP`.
pub const MOUSEEVENTF_XUP: u32 = 0x0100;
/// `XBUTTON1` (back) in `mouseData`.
pub const XBUTTON1: u32 = 0x0001;
/// `XBUTTON2` (forward) in `mouseData`.
pub const XBUTTON2: u32 = 0x0002;
/// `VK_PAUSE`: Pause has no plain set-1 make code (it sends E1 1D 45), so it goes by
/// virtual key.
pub const VK_PAUSE: u16 = 0x13;

/// A rectangle in virtual-desktop pixels (left, top, size).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DesktopRect {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
}

impl DesktopRect {
    /// From a Win32 `RECT` (left, top, right, bottom); empty when inverted.
    pub fn from_ltrb(left: i32, top: i32, right: i32, bottom: i32) -> Self {
        Self {
            x: left,
            y: top,
            width: right.saturating_sub(left).max(0) as u32,
            height: bottom.saturating_sub(top).max(0) as u32,
        }
    }
}

/// The virtual desktop: the bounding box of every monitor (empty without monitors).
pub fn bounding(rects: impl IntoIterator<Item = DesktopRect>) -> DesktopRect {
    let mut it = rects.into_iter();
    let Some(first) = it.next() else {
        return DesktopRect::default();
    };
    let right = |r: &DesktopRect| i64::from(r.x) + i64::from(r.width);
    let bottom = |r: &DesktopRect| i64::from(r.y) + i64::from(r.height);
    let (mut l, mut t, mut r, mut b) = (
        i64::from(first.x),
        i64::from(first.y),
        right(&first),
        bottom(&first),
    );
    for m in it {
        l = l.min(i64::from(m.x));
        t = t.min(i64::from(m.y));
        r = r.max(right(&m));
        b = b.max(bottom(&m));
    }
    DesktopRect {
        x: l as i32,
        y: t as i32,
        width: (r - l).clamp(0, i64::from(u32::MAX)) as u32,
        height: (b - t).clamp(0, i64::from(u32::MAX)) as u32,
    }
}

/// `(dx, dy)` for `MOUSEEVENTF_ABSOLUTE | MOUSEEVENTF_VIRTUALDESK`: the centre of the pixel
/// `p` falls on in `monitor`, as 0..=65535 across the virtual desktop `desktop`. Windows maps
/// a normalised value `n` to pixel `n * size / 65536`, so aiming at the centre lands on the
/// pixel whatever the rounding.
pub fn absolute(p: Point, monitor: DesktopRect, desktop: DesktopRect) -> (i32, i32) {
    let (px, py) = p.to_pixels(monitor.x, monitor.y, monitor.width, monitor.height);
    let norm = |v: i32, origin: i32, size: u32| -> i32 {
        let size = i64::from(size.max(1));
        let off = (i64::from(v) - i64::from(origin)).clamp(0, size - 1);
        ((off * 2 + 1) * 65536 / (size * 2)).clamp(0, 65535) as i32
    };
    (
        norm(px, desktop.x, desktop.width),
        norm(py, desktop.y, desktop.height),
    )
}

/// `(dwFlags, mouseData)` for pressing or releasing `button`.
pub fn button_flags(button: Button, down: bool) -> (u32, u32) {
    let (d, u, data) = match button {
        Button::Left => (MOUSEEVENTF_LEFTDOWN, MOUSEEVENTF_LEFTUP, 0),
        Button::Right => (MOUSEEVENTF_RIGHTDOWN, MOUSEEVENTF_RIGHTUP, 0),
        Button::Middle => (MOUSEEVENTF_MIDDLEDOWN, MOUSEEVENTF_MIDDLEUP, 0),
        Button::Back => (MOUSEEVENTF_XDOWN, MOUSEEVENTF_XUP, XBUTTON1),
        Button::Forward => (MOUSEEVENTF_XDOWN, MOUSEEVENTF_XUP, XBUTTON2),
    };
    (if down { d } else { u }, data)
}

/// Turns the viewer's wheel deltas into `MOUSEEVENTF_WHEEL` / `HWHEEL` amounts. Windows takes
/// amounts below [`WHEEL_DELTA`] (high-resolution wheels), so smooth scrolling stays smooth;
/// the remainder of the integer division carries over.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Wheel {
    rest: (i64, i64),
}

impl Wheel {
    /// `(vertical, horizontal)` amounts to send, with Windows' signs: vertical positive scrolls
    /// up (wheel forward), horizontal positive scrolls right. Zero means send nothing.
    pub fn amounts(&mut self, mode: WheelMode, dx: i32, dy: i32) -> (i32, i32) {
        // amount = delta * WHEEL_DELTA / per, computed as (rest + delta * WHEEL_DELTA) / per.
        let per = i64::from(match mode {
            WheelMode::Pixel => PIXELS_PER_NOTCH,
            WheelMode::Line => LINES_PER_NOTCH,
        });
        let step = |rest: &mut i64, d: i32| -> i32 {
            let total = *rest + i64::from(d) * i64::from(WHEEL_DELTA);
            let q = total / per;
            *rest = total - q * per;
            q.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
        };
        let v = step(&mut self.rest.1, dy);
        let h = step(&mut self.rest.0, dx);
        (-v, h)
    }
}

/// How a key is pressed through `SendInput`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stroke {
    /// `KEYEVENTF_SCANCODE` with this set-1 make code, `KEYEVENTF_EXTENDEDKEY` for E0 codes.
    Scan {
        /// The make code without the E0 prefix.
        code: u16,
        /// Whether the key sends E0 first.
        extended: bool,
    },
    /// By virtual-key code (keys without a plain make code).
    Vk(u16),
}

/// `(code, set-1 scancode)`, sorted by code; `0xE0xx` are extended keys. Values as in
/// Chromium's `dom_code_data.inc` (Windows column) and the W3C UI Events code tables.
const SCANCODES: &[(&str, u16)] = &[
    ("AltLeft", 0x38),
    ("AltRight", 0xe038),
    ("ArrowDown", 0xe050),
    ("ArrowLeft", 0xe04b),
    ("ArrowRight", 0xe04d),
    ("ArrowUp", 0xe048),
    ("AudioVolumeDown", 0xe02e),
    ("AudioVolumeMute", 0xe020),
    ("AudioVolumeUp", 0xe030),
    ("Backquote", 0x29),
    ("Backslash", 0x2b),
    ("Backspace", 0x0e),
    ("BracketLeft", 0x1a),
    ("BracketRight", 0x1b),
    ("CapsLock", 0x3a),
    ("Comma", 0x33),
    ("ContextMenu", 0xe05d),
    ("ControlLeft", 0x1d),
    ("ControlRight", 0xe01d),
    ("Delete", 0xe053),
    ("Digit0", 0x0b),
    ("Digit1", 0x02),
    ("Digit2", 0x03),
    ("Digit3", 0x04),
    ("Digit4", 0x05),
    ("Digit5", 0x06),
    ("Digit6", 0x07),
    ("Digit7", 0x08),
    ("Digit8", 0x09),
    ("Digit9", 0x0a),
    ("End", 0xe04f),
    ("Enter", 0x1c),
    ("Equal", 0x0d),
    ("Escape", 0x01),
    ("F1", 0x3b),
    ("F10", 0x44),
    ("F11", 0x57),
    ("F12", 0x58),
    ("F13", 0x64),
    ("F14", 0x65),
    ("F15", 0x66),
    ("F16", 0x67),
    ("F17", 0x68),
    ("F18", 0x69),
    ("F19", 0x6a),
    ("F2", 0x3c),
    ("F20", 0x6b),
    ("F21", 0x6c),
    ("F22", 0x6d),
    ("F23", 0x6e),
    ("F24", 0x76),
    ("F3", 0x3d),
    ("F4", 0x3e),
    ("F5", 0x3f),
    ("F6", 0x40),
    ("F7", 0x41),
    ("F8", 0x42),
    ("F9", 0x43),
    ("Help", 0xe03b),
    ("Home", 0xe047),
    ("Insert", 0xe052),
    ("IntlBackslash", 0x56),
    ("IntlRo", 0x73),
    ("IntlYen", 0x7d),
    ("KeyA", 0x1e),
    ("KeyB", 0x30),
    ("KeyC", 0x2e),
    ("KeyD", 0x20),
    ("KeyE", 0x12),
    ("KeyF", 0x21),
    ("KeyG", 0x22),
    ("KeyH", 0x23),
    ("KeyI", 0x17),
    ("KeyJ", 0x24),
    ("KeyK", 0x25),
    ("KeyL", 0x26),
    ("KeyM", 0x32),
    ("KeyN", 0x31),
    ("KeyO", 0x18),
    ("KeyP", 0x19),
    ("KeyQ", 0x10),
    ("KeyR", 0x13),
    ("KeyS", 0x1f),
    ("KeyT", 0x14),
    ("KeyU", 0x16),
    ("KeyV", 0x2f),
    ("KeyW", 0x11),
    ("KeyX", 0x2d),
    ("KeyY", 0x15),
    ("KeyZ", 0x2c),
    ("Lang1", 0x72),
    ("Lang2", 0x71),
    ("MediaPlayPause", 0xe022),
    ("MediaStop", 0xe024),
    ("MediaTrackNext", 0xe019),
    ("MediaTrackPrevious", 0xe010),
    ("MetaLeft", 0xe05b),
    ("MetaRight", 0xe05c),
    ("Minus", 0x0c),
    ("NumLock", 0xe045),
    ("Numpad0", 0x52),
    ("Numpad1", 0x4f),
    ("Numpad2", 0x50),
    ("Numpad3", 0x51),
    ("Numpad4", 0x4b),
    ("Numpad5", 0x4c),
    ("Numpad6", 0x4d),
    ("Numpad7", 0x47),
    ("Numpad8", 0x48),
    ("Numpad9", 0x49),
    ("NumpadAdd", 0x4e),
    ("NumpadComma", 0x7e),
    ("NumpadDecimal", 0x53),
    ("NumpadDivide", 0xe035),
    ("NumpadEnter", 0xe01c),
    ("NumpadEqual", 0x59),
    ("NumpadMultiply", 0x37),
    ("NumpadSubtract", 0x4a),
    ("PageDown", 0xe051),
    ("PageUp", 0xe049),
    ("Period", 0x34),
    ("PrintScreen", 0xe037),
    ("Quote", 0x28),
    ("ScrollLock", 0x46),
    ("Semicolon", 0x27),
    ("ShiftLeft", 0x2a),
    ("ShiftRight", 0x36),
    ("Slash", 0x35),
    ("Space", 0x39),
    ("Tab", 0x0f),
];

/// How to press `key`; `None` for a key PC keyboards do not have.
pub fn stroke(key: Key) -> Option<Stroke> {
    let code = key.code();
    if code == "Pause" {
        return Some(Stroke::Vk(VK_PAUSE));
    }
    let i = SCANCODES.binary_search_by(|(c, _)| (*c).cmp(code)).ok()?;
    let sc = SCANCODES[i].1;
    Some(Stroke::Scan {
        code: sc & 0xff,
        extended: sc & 0xff00 == 0xe000,
    })
}

/// One keystroke of typed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextStroke {
    /// `KEYEVENTF_UNICODE` with this UTF-16 code unit (a character outside the BMP is two,
    /// high surrogate first, each pressed and released: `TranslateMessage` pairs them).
    Unit(u16),
    /// A real key (line breaks and tabs: many apps ignore `WM_CHAR` '\r' without a key).
    Key(Stroke),
}

/// The keystrokes that type `text`: "\r\n", "\r" and "\n" are one Enter, '\t' is Tab, every
/// other character its UTF-16 units.
pub fn text_strokes(text: &str) -> impl Iterator<Item = TextStroke> + '_ {
    let enter = Stroke::Scan {
        code: 0x1c,
        extended: false,
    };
    let tab = Stroke::Scan {
        code: 0x0f,
        extended: false,
    };
    let mut prev_cr = false;
    text.chars().flat_map(move |c| {
        let mut units = [0u16; 2];
        let after_cr = std::mem::replace(&mut prev_cr, c == '\r');
        let strokes: ([Option<TextStroke>; 2], usize) = match c {
            '\n' if after_cr => ([None, None], 0),
            '\r' | '\n' => ([Some(TextStroke::Key(enter)), None], 1),
            '\t' => ([Some(TextStroke::Key(tab)), None], 1),
            _ => {
                let u = c.encode_utf16(&mut units);
                let second = u.get(1).map(|&s| TextStroke::Unit(s));
                ([Some(TextStroke::Unit(u[0])), second], u.len())
            }
        };
        strokes.0.into_iter().take(strokes.1).flatten()
    })
}

/// Keys and buttons this injector pressed and has not released, so dropping it (the share
/// ends, the viewer goes) releases them rather than leaving Ctrl held on the sharer's machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Held {
    keys: [u64; KEY_COUNT.div_ceil(64)],
    buttons: u8,
}

impl Held {
    /// Records a key press or release.
    pub fn key(&mut self, key: Key, down: bool) {
        let (w, b) = (key.index() / 64, 1u64 << (key.index() % 64));
        if down {
            self.keys[w] |= b;
        } else {
            self.keys[w] &= !b;
        }
    }

    /// Records a button press or release.
    pub fn button(&mut self, button: Button, down: bool) {
        let b = 1u8 << button.number();
        if down {
            self.buttons |= b;
        } else {
            self.buttons &= !b;
        }
    }

    /// Everything held, forgotten: the keys and the buttons to release.
    pub fn take(&mut self) -> (Vec<Key>, Vec<Button>) {
        let keys = (0..KEY_COUNT)
            .filter(|&i| self.keys[i / 64] & (1 << (i % 64)) != 0)
            .filter_map(Key::from_index)
            .collect();
        let buttons = Button::ALL
            .into_iter()
            .filter(|b| self.buttons & (1 << b.number()) != 0)
            .collect();
        *self = Held::default();
        (keys, buttons)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: &str) -> Key {
        Key::from_code(code).unwrap()
    }

    #[test]
    fn table_is_sorted_and_covers_every_key_but_pause() {
        for w in SCANCODES.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        for i in 0..KEY_COUNT {
            let k = Key::from_index(i).unwrap();
            assert!(stroke(k).is_some(), "{} has no stroke", k.code());
        }
        for (code, _) in SCANCODES {
            assert!(Key::from_code(code).is_some(), "{code} is not a Key");
        }
    }

    #[test]
    fn scancodes_and_extended_keys() {
        let scan = |code, extended| Some(Stroke::Scan { code, extended });
        assert_eq!(stroke(key("KeyA")), scan(0x1e, false));
        assert_eq!(stroke(key("Escape")), scan(0x01, false));
        assert_eq!(stroke(key("Enter")), scan(0x1c, false));
        assert_eq!(stroke(key("NumpadEnter")), scan(0x1c, true));
        assert_eq!(stroke(key("ControlRight")), scan(0x1d, true));
        assert_eq!(stroke(key("AltRight")), scan(0x38, true));
        assert_eq!(stroke(key("ArrowLeft")), scan(0x4b, true));
        assert_eq!(stroke(key("Numpad4")), scan(0x4b, false));
        assert_eq!(stroke(key("MetaLeft")), scan(0x5b, true));
        assert_eq!(stroke(key("Delete")), scan(0x53, true));
        assert_eq!(stroke(key("NumpadDecimal")), scan(0x53, false));
        assert_eq!(stroke(key("Pause")), Some(Stroke::Vk(VK_PAUSE)));
    }

    #[test]
    fn points_land_on_the_monitors_pixels_in_the_virtual_desktop() {
        // Two 1920×1080 monitors, the second left of the primary.
        let left = DesktopRect::from_ltrb(-1920, 0, 0, 1080);
        let primary = DesktopRect::from_ltrb(0, 0, 1920, 1080);
        let desk = bounding([primary, left]);
        assert_eq!(desk, DesktopRect::from_ltrb(-1920, 0, 1920, 1080));
        assert_eq!(bounding([]), DesktopRect::default());
        // Windows' inverse: pixel = n * size / 65536 + origin.
        let back = |n: i32, origin: i32, size: u32| {
            origin + (i64::from(n) * i64::from(size) / 65536) as i32
        };
        for (mon, px, py) in [
            (primary, 0, 0),
            (primary, 1919, 1079),
            (left, 0, 0),
            (left, 1919, 540),
            (primary, 960, 7),
        ] {
            let p = Point::from_pixel(px, py, mon.width, mon.height);
            let (nx, ny) = absolute(p, mon, desk);
            assert!((0..=65535).contains(&nx) && (0..=65535).contains(&ny));
            assert_eq!(
                back(nx, desk.x, desk.width),
                mon.x + px as i32,
                "{mon:?} {px}"
            );
            assert_eq!(
                back(ny, desk.y, desk.height),
                mon.y + py as i32,
                "{mon:?} {py}"
            );
        }
        // A degenerate desktop never divides by zero.
        let none = DesktopRect::default();
        assert_eq!(absolute(Point::default(), none, none), (32768, 32768));
    }

    #[test]
    fn buttons_map_to_flags() {
        assert_eq!(button_flags(Button::Left, true), (MOUSEEVENTF_LEFTDOWN, 0));
        assert_eq!(button_flags(Button::Right, false), (MOUSEEVENTF_RIGHTUP, 0));
        assert_eq!(
            button_flags(Button::Back, true),
            (MOUSEEVENTF_XDOWN, XBUTTON1)
        );
        assert_eq!(
            button_flags(Button::Forward, false),
            (MOUSEEVENTF_XUP, XBUTTON2)
        );
    }

    #[test]
    fn wheel_signs_units_and_remainders() {
        let mut w = Wheel::default();
        // Three lines down = one notch backwards.
        assert_eq!(w.amounts(WheelMode::Line, 0, 3), (-WHEEL_DELTA, 0));
        assert_eq!(w.amounts(WheelMode::Line, 3, 0), (0, WHEEL_DELTA));
        // 50 px up = one notch forwards, however it is split.
        let mut sum = 0;
        for _ in 0..10 {
            sum += w.amounts(WheelMode::Pixel, 0, -5).0;
        }
        assert_eq!(sum, WHEEL_DELTA);
        // Small deltas add up exactly.
        let mut h = 0;
        for _ in 0..50 {
            h += w.amounts(WheelMode::Pixel, 1, 0).1;
        }
        assert_eq!(h, WHEEL_DELTA);
        assert_eq!(w.amounts(WheelMode::Pixel, 0, 0), (0, 0));
    }

    #[test]
    fn text_becomes_utf16_units_and_keys() {
        let got: Vec<_> = text_strokes("aé😀\r\nb\n\t").collect();
        let enter = TextStroke::Key(Stroke::Scan {
            code: 0x1c,
            extended: false,
        });
        let tab = TextStroke::Key(Stroke::Scan {
            code: 0x0f,
            extended: false,
        });
        assert_eq!(
            got,
            vec![
                TextStroke::Unit(u16::from(b'a')),
                TextStroke::Unit(0xe9),
                TextStroke::Unit(0xd83d),
                TextStroke::Unit(0xde00),
                enter,
                TextStroke::Unit(u16::from(b'b')),
                enter,
                tab,
            ]
        );
        assert_eq!(text_strokes("").count(), 0);
        assert_eq!(text_strokes("\r\r").count(), 2);
    }

    #[test]
    fn held_keys_and_buttons_are_released_once() {
        let mut h = Held::default();
        h.key(key("ControlLeft"), true);
        h.key(key("KeyA"), true);
        h.key(key("KeyA"), false);
        h.key(key("Tab"), true);
        h.button(Button::Left, true);
        h.button(Button::Forward, true);
        h.button(Button::Forward, false);
        let (keys, buttons) = h.take();
        assert_eq!(keys.len(), 2);
        assert!(keys.contains(&key("ControlLeft")) && keys.contains(&key("Tab")));
        assert_eq!(buttons, vec![Button::Left]);
        assert_eq!(h.take(), (vec![], vec![]));
    }
}
