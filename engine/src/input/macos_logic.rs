//! The platform-independent half of the macOS injector ([`super::macos`]): click counting,
//! held buttons and modifiers, CGEvent flag bits (per event kind and per key), the ISO key
//! swap, wheel signs and units, point mapping and text chunking. No objc2 types, so the unit tests run on every OS
//! (`cargo test -p glass-engine macos_logic`).

// On other systems only the tests below use this module.
#![cfg_attr(not(target_os = "macos"), allow(dead_code))]
#![forbid(unsafe_code)]

use std::time::{Duration, Instant};

use super::{Button, Key, ModifierKey, Point, WheelMode};

/// `kCGEventFlagMaskShift` (CGEventTypes.h).
pub const FLAG_SHIFT: u64 = 0x0002_0000;
/// `kCGEventFlagMaskControl`.
pub const FLAG_CONTROL: u64 = 0x0004_0000;
/// `kCGEventFlagMaskAlternate` (Option).
pub const FLAG_ALTERNATE: u64 = 0x0008_0000;
/// `kCGEventFlagMaskCommand`.
pub const FLAG_COMMAND: u64 = 0x0010_0000;
/// `kCGEventFlagMaskAlphaShift` (Caps Lock).
pub const FLAG_ALPHA_SHIFT: u64 = 0x0001_0000;
/// `kCGEventFlagMaskNumericPad` (`NSEventModifierFlagNumericPad`): "set if any key in the
/// numeric keypad is pressed ... also set if any of the arrow keys are pressed" (AppKit
/// `NSNumericPadKeyMask` documentation).
pub const FLAG_NUMERIC_PAD: u64 = 0x0020_0000;
/// `kCGEventFlagMaskSecondaryFn` (`NSEventModifierFlagFunction`): "set if any function key is
/// pressed": the F keys and the navigation keys Help, Forward Delete, Home, End, Page Up, Page
/// Down and the arrows (AppKit `NSFunctionKeyMask` documentation).
pub const FLAG_SECONDARY_FN: u64 = 0x0080_0000;

/// The device flags macOS itself puts on events of key `kvk` (a `kVK_*` code). `CGEventSetFlags`
/// replaces the whole flag word, so an injected arrow without them is not what the system's
/// own keyboard sends: shortcuts such as Control-← / → (switch Space) may not fire.
pub fn key_flags(kvk: u16) -> u64 {
    match kvk {
        // kVK_LeftArrow, RightArrow, DownArrow, UpArrow.
        0x7b..=0x7e => FLAG_NUMERIC_PAD | FLAG_SECONDARY_FN,
        // kVK_Help, Home, PageUp, ForwardDelete, End, PageDown.
        0x72 | 0x73 | 0x74 | 0x75 | 0x77 | 0x79 => FLAG_SECONDARY_FN,
        // kVK_F1 ... kVK_F20.
        0x7a | 0x78 | 0x63 | 0x76 | 0x60 | 0x61 | 0x62 | 0x64 | 0x65 | 0x6d | 0x67 | 0x6f
        | 0x69 | 0x6b | 0x71 | 0x6a | 0x40 | 0x4f | 0x50 | 0x5a => FLAG_SECONDARY_FN,
        // The keypad: kVK_ANSI_KeypadDecimal, Multiply, Plus, Clear (NumLock), Divide, Enter,
        // Minus, Equals, 0 ... 9, and kVK_JIS_KeypadComma.
        0x41 | 0x43 | 0x45 | 0x47 | 0x4b | 0x4c | 0x4e | 0x51..=0x59 | 0x5b | 0x5c | 0x5f => {
            FLAG_NUMERIC_PAD
        }
        _ => 0,
    }
}

/// `kVK_ISO_Section`: the key left of 1 on an ISO keyboard, where `Backquote` is.
pub const KVK_ISO_SECTION: u16 = 0x0a;
/// `kVK_ANSI_Grave`: `Backquote` on ANSI, the key right of left Shift (`IntlBackslash`) on ISO.
pub const KVK_ANSI_GRAVE: u16 = 0x32;
/// `kKeyboardISO` (HIToolbox `Keyboards.h`): `'ISO '`, what `KBGetLayoutType` returns for an
/// ISO keyboard.
pub const K_KEYBOARD_ISO: u32 = u32::from_be_bytes(*b"ISO ");

/// The key code to post for position `kvk` on a keyboard that is ISO or not. macOS swaps the
/// codes of the key left of 1 and the key right of left Shift on ISO keyboards (SDL
/// `Cocoa_HandleKeyEvent`, TigerVNC `cocoa_event_keycode`, both keyed on
/// `KBGetLayoutType(LMGetKbdType()) == kKeyboardISO`); a swap is its own inverse, so the same
/// table maps positions to codes for injection.
pub fn iso_keycode(kvk: u16, iso: bool) -> u16 {
    match (iso, kvk) {
        (true, KVK_ISO_SECTION) => KVK_ANSI_GRAVE,
        (true, KVK_ANSI_GRAVE) => KVK_ISO_SECTION,
        _ => kvk,
    }
}

/// What an event is, for its flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagsFor {
    /// Mouse and wheel: the held modifiers (Shift-click, Command-scroll).
    Pointer,
    /// A key (its `kVK_*` code): the held modifiers and the key's own device flags.
    Key(u16),
    /// Text (and the Return/Tab of text): no modifier, so typed text never becomes a shortcut
    /// (Chromium remoting posts text events with empty flags).
    Text,
}

/// The flag word of an injected event: see [`FlagsFor`]. Caps Lock follows this Mac's own
/// state on every event (the viewer cannot change a lock state here, and clearing it would make
/// typed letters disagree with the Caps Lock light).
pub fn event_flags(held: HeldModifiers, caps_lock: bool, what: FlagsFor) -> u64 {
    let caps = if caps_lock { FLAG_ALPHA_SHIFT } else { 0 };
    caps | match what {
        FlagsFor::Pointer => held.flags(),
        FlagsFor::Key(kvk) => held.flags() | key_flags(kvk),
        FlagsFor::Text => 0,
    }
}

/// `kVK_Return` (HIToolbox `Events.h`).
pub const KVK_RETURN: u16 = 0x24;
/// `kVK_Tab`.
pub const KVK_TAB: u16 = 0x30;
/// `kVK_Space`: the key text events claim to be. An application that ignores the event's
/// Unicode string sees a space rather than some letter (Chromium remoting does the same).
pub const KVK_SPACE: u16 = 0x31;

/// Most UTF-16 units one keyboard event carries: `CGEventKeyboardSetUnicodeString` keeps
/// only about 20.
pub const MAX_TEXT_UNITS: usize = 20;

/// Two downs of one button this close in time form a double (triple, ...) click, when the
/// user's setting (`NSEvent.doubleClickInterval`) cannot be read. macOS's default is 0.5 s.
pub const DOUBLE_CLICK_INTERVAL: Duration = Duration::from_millis(500);

/// The double-click interval for `seconds` as `NSEvent.doubleClickInterval` reports it: within
/// the range System Settings offers (about 0.15 to 5 s, with margin), else the default.
pub fn double_click_interval(seconds: Option<f64>) -> Duration {
    match seconds {
        Some(s) if s.is_finite() && (0.05..=10.0).contains(&s) => Duration::from_secs_f64(s),
        _ => DOUBLE_CLICK_INTERVAL,
    }
}
/// ... and this close in space, in points (a real mouse tolerates a few points of jitter).
pub const DOUBLE_CLICK_DISTANCE: f64 = 4.0;

/// Pointer positions are computed to 1/`SUBPOINTS` of a point, so every pixel of a 2×
/// (Retina) display can be reached; whole points would skip every other pixel.
pub const SUBPOINTS: f64 = 2.0;

/// How CGEvent names a button: its own event types for left and right, "other" events with
/// a button number for the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MacButton {
    /// `kCGEventLeftMouse*`, `kCGMouseButtonLeft` (0).
    Left,
    /// `kCGEventRightMouse*`, `kCGMouseButtonRight` (1).
    Right,
    /// `kCGEventOtherMouse*` with this `kCGMouseEventButtonNumber` (2 middle, 3 back,
    /// 4 forward).
    Other(u32),
}

impl MacButton {
    /// The CGEvent form of a W3C button.
    pub fn of(button: Button) -> MacButton {
        match button {
            Button::Left => MacButton::Left,
            Button::Right => MacButton::Right,
            Button::Middle => MacButton::Other(2),
            Button::Back => MacButton::Other(3),
            Button::Forward => MacButton::Other(4),
        }
    }

    /// The `CGMouseButton` / `kCGMouseEventButtonNumber` value.
    pub fn number(self) -> u32 {
        match self {
            MacButton::Left => 0,
            MacButton::Right => 1,
            MacButton::Other(n) => n,
        }
    }
}

/// The buttons this injector pressed and has not released.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeldButtons(u8);

impl HeldButtons {
    /// Records a press or release.
    pub fn set(&mut self, button: Button, down: bool) {
        let bit = 1u8 << button.number();
        if down {
            self.0 |= bit;
        } else {
            self.0 &= !bit;
        }
    }

    /// Whether `button` is held.
    pub fn is_held(self, button: Button) -> bool {
        self.0 & (1u8 << button.number()) != 0
    }

    /// The button a move drags with, if any is held: left before right before the others,
    /// as a real mouse reports a chord.
    pub fn drag_button(self) -> Option<MacButton> {
        [
            Button::Left,
            Button::Right,
            Button::Middle,
            Button::Back,
            Button::Forward,
        ]
        .into_iter()
        .find(|b| self.is_held(*b))
        .map(MacButton::of)
    }
}

#[derive(Debug, Clone, Copy)]
struct LastDown {
    button: Button,
    at: Instant,
    pos: (f64, f64),
    count: i64,
}

/// The `kCGMouseEventClickState` of each down and up. CGEventPost does not count clicks
/// itself: without this, a double click arrives as two single clicks.
#[derive(Debug, Clone)]
pub struct ClickCounter {
    last: Option<LastDown>,
    /// Click state of each button's latest down, by W3C number, for its up.
    pending_up: [i64; Button::ALL.len()],
    interval: Duration,
}

impl Default for ClickCounter {
    fn default() -> Self {
        Self::new(DOUBLE_CLICK_INTERVAL)
    }
}

impl ClickCounter {
    /// A counter for downs at most `interval` apart (the user's double-click setting).
    pub fn new(interval: Duration) -> Self {
        Self {
            last: None,
            pending_up: [0; Button::ALL.len()],
            interval,
        }
    }

    /// A down of `button` at `pos` (points): 1 for a single click, 2 for the second down of
    /// a double click, and so on.
    pub fn down(&mut self, button: Button, now: Instant, pos: (f64, f64)) -> i64 {
        let count = match self.last {
            Some(l)
                if l.button == button
                    && now.saturating_duration_since(l.at) <= self.interval
                    && (pos.0 - l.pos.0).hypot(pos.1 - l.pos.1) <= DOUBLE_CLICK_DISTANCE =>
            {
                l.count.saturating_add(1)
            }
            _ => 1,
        };
        self.last = Some(LastDown {
            button,
            at: now,
            pos,
            count,
        });
        self.pending_up[usize::from(button.number())] = count;
        count
    }

    /// The click state of an up of `button`: that of its down (1 if none was seen).
    pub fn up(&self, button: Button) -> i64 {
        self.pending_up[usize::from(button.number())].max(1)
    }
}

/// Modifier keys this injector holds, left and right apart (releasing ShiftLeft while
/// ShiftRight is down leaves Shift on).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeldModifiers(u8);

impl HeldModifiers {
    /// Records a press or release of `key`; returns whether it is a modifier.
    pub fn update(&mut self, key: Key, down: bool) -> bool {
        let Some(m) = key.modifier() else {
            return false;
        };
        let side = if key.code().ends_with("Right") { 1 } else { 0 };
        let bit = 1u8 << (modifier_index(m) * 2 + side);
        if down {
            self.0 |= bit;
        } else {
            self.0 &= !bit;
        }
        true
    }

    /// Whether either key of `m` is held.
    pub fn has(self, m: ModifierKey) -> bool {
        self.0 & (0b11 << (modifier_index(m) * 2)) != 0
    }

    /// The `CGEventFlags` bits of the held modifiers.
    pub fn flags(self) -> u64 {
        [
            (ModifierKey::Shift, FLAG_SHIFT),
            (ModifierKey::Control, FLAG_CONTROL),
            (ModifierKey::Alt, FLAG_ALTERNATE),
            (ModifierKey::Meta, FLAG_COMMAND),
        ]
        .into_iter()
        .filter(|(m, _)| self.has(*m))
        .fold(0, |acc, (_, flag)| acc | flag)
    }
}

fn modifier_index(m: ModifierKey) -> u32 {
    match m {
        ModifierKey::Shift => 0,
        ModifierKey::Control => 1,
        ModifierKey::Alt => 2,
        ModifierKey::Meta => 3,
    }
}

/// One `CGEventCreateScrollWheelEvent2` call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scroll {
    /// `kCGScrollEventUnitLine` (true) or `kCGScrollEventUnitPixel`.
    pub lines: bool,
    /// Vertical axis: positive scrolls up (towards the top of the content).
    pub wheel1: i32,
    /// Horizontal axis: positive scrolls left.
    pub wheel2: i32,
    /// `kCGScrollWheelEventIsContinuous`: set for pixel (trackpad-like) deltas, so
    /// applications scroll smoothly by exactly that many points instead of in line steps.
    pub continuous: bool,
}

impl Scroll {
    /// The CGEvent scroll for a W3C-style wheel event (`dy > 0` scrolls down: the content
    /// moves up). Apple's `CGEventCreateScrollWheelEvent` documents `wheel1` as the primary
    /// (vertical) wheel whose positive values mean the wheel turned away from the user,
    /// which scrolls up; `wheel2` is the horizontal axis, positive to the left (the sign of
    /// `NSEvent.scrollingDeltaX`, which browsers negate into `deltaX`). Both signs are
    /// therefore the opposite of ours. `None` when there is nothing to scroll.
    pub fn from_wheel(mode: WheelMode, dx: i32, dy: i32) -> Option<Scroll> {
        (dx != 0 || dy != 0).then(|| Scroll {
            lines: mode == WheelMode::Line,
            wheel1: dy.saturating_neg(),
            wheel2: dx.saturating_neg(),
            continuous: mode == WheelMode::Pixel,
        })
    }
}

/// A display's rectangle in global coordinates, in points (`CGDisplayBounds`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Bounds {
    /// Left edge.
    pub x: f64,
    /// Top edge (y grows downward from the top of the main display).
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Bounds {
    /// No area (what `CGDisplayBounds` returns for an unknown or detached display).
    pub fn is_empty(self) -> bool {
        !(self.width >= 1.0 && self.height >= 1.0)
    }

    /// The global position (points) of wire position `p`, on a grid of 1/[`SUBPOINTS`]
    /// point and always inside the display. Non-finite bounds give the origin rather than
    /// a panic (float-to-int casts saturate, NaN becomes 0).
    pub fn to_global(self, p: Point) -> (f64, f64) {
        let sub = |v: f64| (v * SUBPOINTS).round();
        let (x, y) = p.to_pixels(
            sub(self.x) as i32,
            sub(self.y) as i32,
            sub(self.width) as u32,
            sub(self.height) as u32,
        );
        (f64::from(x) / SUBPOINTS, f64::from(y) / SUBPOINTS)
    }
}

/// One piece of [`Injected::Text`](super::Injected::Text) for the injector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextPiece<'a> {
    /// Press and release Return (`\n`, `\r` or `\r\n`).
    Return,
    /// Press and release Tab (`\t`).
    Tab,
    /// One keyboard event pair carrying these characters as its Unicode string: one
    /// grapheme cluster (approximately, see [`extends`]) of at most [`MAX_TEXT_UNITS`]
    /// UTF-16 units.
    Chars(&'a str),
}

/// Splits text into [`TextPiece`]s. Other control characters are skipped (the wire
/// decoder already rejects them).
pub fn text_pieces(text: &str) -> TextPieces<'_> {
    TextPieces { rest: text }
}

/// Iterator of [`text_pieces`].
#[derive(Debug, Clone)]
pub struct TextPieces<'a> {
    rest: &'a str,
}

impl<'a> Iterator for TextPieces<'a> {
    type Item = TextPiece<'a>;

    fn next(&mut self) -> Option<TextPiece<'a>> {
        loop {
            let mut chars = self.rest.char_indices();
            let (_, first) = chars.next()?;
            match first {
                '\n' | '\r' => {
                    let skip = if self.rest.starts_with("\r\n") { 2 } else { 1 };
                    self.rest = &self.rest[skip..];
                    return Some(TextPiece::Return);
                }
                '\t' => {
                    self.rest = &self.rest[1..];
                    return Some(TextPiece::Tab);
                }
                c if c.is_control() => {
                    self.rest = &self.rest[c.len_utf8()..];
                    continue;
                }
                _ => {}
            }
            let mut end = first.len_utf8();
            let mut units = first.len_utf16();
            let mut prev = first;
            let mut regional = usize::from(is_regional_indicator(first));
            for (i, c) in chars {
                if !extends(prev, c, regional) || units + c.len_utf16() > MAX_TEXT_UNITS {
                    break;
                }
                regional += usize::from(is_regional_indicator(c));
                units += c.len_utf16();
                end = i + c.len_utf8();
                prev = c;
            }
            let (piece, rest) = self.rest.split_at(end);
            self.rest = rest;
            return Some(TextPiece::Chars(piece));
        }
    }
}

/// Whether `c` continues the grapheme cluster that ends in `prev` (holding `regional`
/// regional indicators). An approximation of UAX #29 without its tables: combining marks
/// of the common blocks, joiners, variation selectors, emoji modifiers and tags, ZWJ
/// sequences and flag pairs. A cluster split elsewhere (an Indic vowel sign, Hangul jamo)
/// costs one more event pair: the receiving text system still joins the characters.
pub fn extends(prev: char, c: char, regional: usize) -> bool {
    if c.is_control() {
        return false;
    }
    if prev == '\u{200d}' {
        return true; // the emoji after a zero-width joiner
    }
    if is_regional_indicator(c) {
        return is_regional_indicator(prev) && regional % 2 == 1;
    }
    matches!(c,
        '\u{0300}'..='\u{036f}'     // combining diacritical marks
        | '\u{0483}'..='\u{0489}'   // Cyrillic combining marks
        | '\u{0591}'..='\u{05bd}'   // Hebrew points
        | '\u{064b}'..='\u{065f}'   // Arabic harakat
        | '\u{0670}'
        | '\u{1ab0}'..='\u{1aff}'   // combining diacritical marks extended
        | '\u{1dc0}'..='\u{1dff}'   // ... supplement
        | '\u{200c}'..='\u{200d}'   // ZWNJ, ZWJ
        | '\u{20d0}'..='\u{20ff}'   // combining marks for symbols (keycap U+20E3)
        | '\u{3099}'..='\u{309a}'   // kana voicing marks
        | '\u{fe00}'..='\u{fe0f}'   // variation selectors
        | '\u{fe20}'..='\u{fe2f}'   // combining half marks
        | '\u{1f3fb}'..='\u{1f3ff}' // emoji skin-tone modifiers
        | '\u{e0020}'..='\u{e007f}' // tags (subdivision flags)
        | '\u{e0100}'..='\u{e01ef}' // variation selectors supplement
    )
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c, '\u{1f1e6}'..='\u{1f1ff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: &str) -> Key {
        Key::from_code(code).unwrap()
    }

    #[test]
    fn buttons_map_to_cgevent_numbers() {
        assert_eq!(MacButton::of(Button::Left), MacButton::Left);
        assert_eq!(MacButton::of(Button::Right).number(), 1);
        assert_eq!(MacButton::of(Button::Middle), MacButton::Other(2));
        assert_eq!(MacButton::of(Button::Back), MacButton::Other(3));
        assert_eq!(MacButton::of(Button::Forward), MacButton::Other(4));
    }

    #[test]
    fn drags_use_the_held_button() {
        let mut held = HeldButtons::default();
        assert_eq!(held.drag_button(), None);
        held.set(Button::Back, true);
        assert_eq!(held.drag_button(), Some(MacButton::Other(3)));
        held.set(Button::Right, true);
        assert_eq!(held.drag_button(), Some(MacButton::Right));
        held.set(Button::Left, true);
        assert_eq!(held.drag_button(), Some(MacButton::Left));
        held.set(Button::Left, false);
        held.set(Button::Right, false);
        held.set(Button::Back, false);
        assert_eq!(held, HeldButtons::default());
        held.set(Button::Middle, false);
        assert_eq!(held.drag_button(), None);
    }

    #[test]
    fn clicks_count_up_within_time_and_distance() {
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        let mut c = ClickCounter::default();
        assert_eq!(c.up(Button::Left), 1, "an up with no down");
        assert_eq!(c.down(Button::Left, t0, (100.0, 100.0)), 1);
        assert_eq!(c.up(Button::Left), 1);
        assert_eq!(c.down(Button::Left, ms(200), (102.0, 101.0)), 2);
        assert_eq!(c.up(Button::Left), 2);
        assert_eq!(c.down(Button::Left, ms(400), (101.0, 103.0)), 3);
        assert_eq!(c.up(Button::Left), 3);
        // Too late.
        assert_eq!(c.down(Button::Left, ms(1000), (101.0, 103.0)), 1);
        // Too far.
        assert_eq!(c.down(Button::Left, ms(1100), (110.0, 103.0)), 1);
        // Another button in between resets.
        assert_eq!(c.down(Button::Right, ms(1200), (110.0, 103.0)), 1);
        assert_eq!(c.down(Button::Left, ms(1300), (110.0, 103.0)), 1);
        assert_eq!(
            c.down(Button::Left, ms(1800), (110.0, 103.0)),
            2,
            "0.5 s is in"
        );
        // Each button's up carries its own down's state.
        assert_eq!(c.up(Button::Right), 1);
        assert_eq!(c.up(Button::Left), 2);
        // A clock that goes backwards (never from Instant, but no panic either).
        assert_eq!(c.down(Button::Left, t0, (110.0, 103.0)), 3);
    }

    #[test]
    fn click_counts_saturate() {
        let t0 = Instant::now();
        let mut c = ClickCounter {
            last: Some(LastDown {
                button: Button::Middle,
                at: t0,
                pos: (0.0, 0.0),
                count: i64::MAX,
            }),
            ..ClickCounter::default()
        };
        assert_eq!(c.down(Button::Middle, t0, (0.0, 0.0)), i64::MAX);
        // NaN positions never count as near.
        assert_eq!(c.down(Button::Middle, t0, (f64::NAN, 0.0)), 1);
    }

    #[test]
    fn modifier_flags_follow_held_keys() {
        let mut m = HeldModifiers::default();
        assert_eq!(m.flags(), 0);
        assert!(!m.update(key("KeyA"), true));
        assert_eq!(m.flags(), 0);
        assert!(m.update(key("ShiftLeft"), true));
        assert!(m.update(key("ShiftRight"), true));
        assert_eq!(m.flags(), FLAG_SHIFT);
        m.update(key("ShiftLeft"), false);
        assert_eq!(m.flags(), FLAG_SHIFT, "right shift still held");
        m.update(key("ShiftRight"), false);
        assert_eq!(m.flags(), 0);
        m.update(key("ControlRight"), true);
        m.update(key("AltLeft"), true);
        m.update(key("MetaRight"), true);
        assert_eq!(m.flags(), FLAG_CONTROL | FLAG_ALTERNATE | FLAG_COMMAND);
        assert!(m.has(ModifierKey::Meta) && !m.has(ModifierKey::Shift));
        m.update(key("MetaLeft"), false);
        assert_eq!(m.flags(), FLAG_CONTROL | FLAG_ALTERNATE | FLAG_COMMAND);
        m.update(key("MetaRight"), false);
        m.update(key("AltLeft"), false);
        m.update(key("ControlRight"), false);
        assert_eq!(m, HeldModifiers::default());
        // The constants are CGEventFlags' masks.
        assert_eq!(
            [FLAG_SHIFT, FLAG_CONTROL, FLAG_ALTERNATE, FLAG_COMMAND],
            [1 << 17, 1 << 18, 1 << 19, 1 << 20]
        );
    }

    #[test]
    fn double_click_interval_follows_the_setting() {
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        // A slow setting: 1.2 s apart is still a double click.
        let mut slow = ClickCounter::new(double_click_interval(Some(1.5)));
        assert_eq!(slow.down(Button::Left, t0, (0.0, 0.0)), 1);
        assert_eq!(slow.down(Button::Left, ms(1200), (0.0, 0.0)), 2);
        // A fast one: 0.3 s apart is two single clicks.
        let mut fast = ClickCounter::new(double_click_interval(Some(0.25)));
        assert_eq!(fast.down(Button::Left, t0, (0.0, 0.0)), 1);
        assert_eq!(fast.down(Button::Left, ms(300), (0.0, 0.0)), 1);
        // Unreadable or absurd values fall back to macOS's default.
        for bad in [None, Some(f64::NAN), Some(-1.0), Some(0.0), Some(1e9)] {
            assert_eq!(double_click_interval(bad), DOUBLE_CLICK_INTERVAL, "{bad:?}");
        }
        assert_eq!(double_click_interval(Some(0.5)), Duration::from_millis(500));
    }

    fn kvk(code: &str) -> u16 {
        key(code).mac_keycode().unwrap()
    }

    #[test]
    fn navigation_and_function_keys_carry_their_device_flags() {
        let fn_np = FLAG_SECONDARY_FN | FLAG_NUMERIC_PAD;
        for code in ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"] {
            assert_eq!(key_flags(kvk(code)), fn_np, "{code}");
        }
        for code in ["Home", "End", "PageUp", "PageDown", "Delete", "Help"] {
            assert_eq!(key_flags(kvk(code)), FLAG_SECONDARY_FN, "{code}");
        }
        for n in 1..=20 {
            let code = format!("F{n}");
            assert_eq!(key_flags(kvk(&code)), FLAG_SECONDARY_FN, "{code}");
        }
        for code in [
            "Numpad0",
            "Numpad5",
            "Numpad9",
            "NumpadAdd",
            "NumpadEnter",
            "NumpadDecimal",
            "NumpadDivide",
            "NumpadMultiply",
            "NumpadSubtract",
            "NumpadEqual",
            "NumLock",
        ] {
            assert_eq!(key_flags(kvk(code)), FLAG_NUMERIC_PAD, "{code}");
        }
        // Ordinary keys and modifiers carry none (Backspace is not forward delete).
        for code in [
            "KeyA",
            "Digit1",
            "Space",
            "Enter",
            "Backspace",
            "Tab",
            "Escape",
            "ShiftLeft",
            "MetaRight",
            "Backquote",
            "AudioVolumeUp",
        ] {
            assert_eq!(key_flags(kvk(code)), 0, "{code}");
        }
        // The constants are CGEventFlags' masks.
        assert_eq!(
            [FLAG_ALPHA_SHIFT, FLAG_NUMERIC_PAD, FLAG_SECONDARY_FN],
            [1 << 16, 1 << 21, 1 << 23]
        );
    }

    #[test]
    fn event_flags_per_kind() {
        let mut held = HeldModifiers::default();
        held.update(key("ControlLeft"), true);
        let left = kvk("ArrowLeft");
        // Control-← (switch Space): the modifier plus the arrow's own flags.
        assert_eq!(
            event_flags(held, false, FlagsFor::Key(left)),
            FLAG_CONTROL | FLAG_NUMERIC_PAD | FLAG_SECONDARY_FN
        );
        assert_eq!(
            event_flags(held, true, FlagsFor::Key(kvk("KeyA"))),
            FLAG_CONTROL | FLAG_ALPHA_SHIFT
        );
        assert_eq!(event_flags(held, false, FlagsFor::Pointer), FLAG_CONTROL);
        // Text never carries the held modifiers, only Caps Lock.
        assert_eq!(event_flags(held, false, FlagsFor::Text), 0);
        assert_eq!(event_flags(held, true, FlagsFor::Text), FLAG_ALPHA_SHIFT);
    }

    #[test]
    fn iso_keyboards_swap_section_and_grave() {
        let (backquote, intl) = (kvk("Backquote"), kvk("IntlBackslash"));
        assert_eq!((backquote, intl), (KVK_ANSI_GRAVE, KVK_ISO_SECTION));
        // ISO: the key left of 1 (Backquote) is kVK_ISO_Section, the one beside left Shift
        // (IntlBackslash) kVK_ANSI_Grave.
        assert_eq!(iso_keycode(backquote, true), KVK_ISO_SECTION);
        assert_eq!(iso_keycode(intl, true), KVK_ANSI_GRAVE);
        // ANSI and JIS: unchanged.
        assert_eq!(iso_keycode(backquote, false), backquote);
        assert_eq!(iso_keycode(intl, false), intl);
        // Every other key is left alone, and the swap is its own inverse.
        for i in 0..crate::input::keys::KEY_COUNT {
            let Some(k) = Key::from_index(i).and_then(Key::mac_keycode) else {
                continue;
            };
            assert_eq!(iso_keycode(iso_keycode(k, true), true), k);
            if k != backquote && k != intl {
                assert_eq!(iso_keycode(k, true), k);
            }
        }
        assert_eq!(K_KEYBOARD_ISO, 0x4953_4f20);
    }

    #[test]
    fn wheel_signs_and_units() {
        // W3C: dy > 0 scrolls down; CGEvent: wheel1 > 0 scrolls up.
        let s = Scroll::from_wheel(WheelMode::Pixel, 30, 120).unwrap();
        assert_eq!(
            s,
            Scroll {
                lines: false,
                wheel1: -120,
                wheel2: -30,
                continuous: true
            }
        );
        let s = Scroll::from_wheel(WheelMode::Line, -1, -3).unwrap();
        assert_eq!(
            (s.lines, s.wheel1, s.wheel2, s.continuous),
            (true, 3, 1, false)
        );
        assert_eq!(Scroll::from_wheel(WheelMode::Pixel, 0, 0), None);
        let s = Scroll::from_wheel(WheelMode::Pixel, i32::MIN, i32::MAX).unwrap();
        assert_eq!((s.wheel1, s.wheel2), (-i32::MAX, i32::MAX));
    }

    #[test]
    fn points_map_into_the_display_on_a_half_point_grid() {
        let b = Bounds {
            x: -1512.0,
            y: 0.0,
            width: 1512.0,
            height: 982.0,
        };
        assert!(!b.is_empty());
        assert_eq!(b.to_global(Point { x: 0, y: 0 }), (-1512.0, 0.0));
        let end = b.to_global(Point { x: 65535, y: 65535 });
        assert_eq!(end, (-0.5, 981.5));
        // A 2× capture: every pixel lands on its own half point.
        for px in [0u32, 1, 2, 1511, 1963, 3023] {
            let py = px.min(1963);
            let p = Point::from_pixel(px, py, 3024, 1964);
            let (x, y) = b.to_global(p);
            assert_eq!((x, y), (-1512.0 + f64::from(px) / 2.0, f64::from(py) / 2.0));
        }
        // A 1× capture: a point inside the pixel.
        let (x, y) = b.to_global(Point::from_pixel(10, 20, 1512, 982));
        assert!(
            (-1502.0..-1501.0).contains(&x) && (20.0..21.0).contains(&y),
            "{x} {y}"
        );
        // Degenerate bounds never panic.
        assert!(Bounds::default().is_empty());
        let nan = Bounds {
            x: f64::NAN,
            y: f64::INFINITY,
            width: f64::NAN,
            height: -5.0,
        };
        assert!(nan.is_empty());
        let _ = nan.to_global(Point { x: 1, y: 2 });
    }

    fn pieces(text: &str) -> Vec<TextPiece<'_>> {
        text_pieces(text).collect()
    }

    #[test]
    fn text_splits_into_graphemes_and_keys() {
        use TextPiece::{Chars, Return, Tab};
        assert_eq!(pieces(""), []);
        assert_eq!(
            pieces("ab\ncd\te"),
            [
                Chars("a"),
                Chars("b"),
                Return,
                Chars("c"),
                Chars("d"),
                Tab,
                Chars("e")
            ]
        );
        assert_eq!(
            pieces("a\r\nb\rc"),
            [Chars("a"), Return, Chars("b"), Return, Chars("c")]
        );
        assert_eq!(pieces("\u{1b}x\u{7f}"), [Chars("x")]);
        // Combining marks, surrogate pairs, emoji sequences and flags stay whole.
        assert_eq!(pieces("e\u{301}日"), [Chars("e\u{301}"), Chars("日")]);
        assert_eq!(pieces("𝄞✓"), [Chars("𝄞"), Chars("✓")]);
        let family = "👨\u{200d}👩\u{200d}👧";
        let thumbs = "👍🏽";
        assert_eq!(
            pieces(&format!("{family}{thumbs}")),
            [Chars(family), Chars(thumbs)]
        );
        assert_eq!(pieces("🇫🇷🇩🇪🇮"), [Chars("🇫🇷"), Chars("🇩🇪"), Chars("🇮")]);
        assert_eq!(pieces("1\u{fe0f}\u{20e3}"), [Chars("1\u{fe0f}\u{20e3}")]);
        assert_eq!(pieces("が"), [Chars("が")]);
        assert_eq!(pieces("か\u{3099}"), [Chars("か\u{3099}")]);
    }

    #[test]
    fn long_clusters_are_cut_at_char_boundaries() {
        let zalgo = format!("a{}", "\u{301}".repeat(45));
        let p = pieces(&zalgo);
        assert_eq!(p.len(), 3);
        let mut joined = String::new();
        for piece in p {
            let TextPiece::Chars(s) = piece else {
                panic!("{piece:?}")
            };
            assert!(s.encode_utf16().count() <= MAX_TEXT_UNITS);
            joined.push_str(s);
        }
        assert_eq!(joined, zalgo);
        // Surrogate pairs are never split: 11 astral marks would be 22 units.
        let astral = format!("x{}", "\u{e0101}".repeat(11));
        for piece in pieces(&astral) {
            let TextPiece::Chars(s) = piece else {
                panic!("{piece:?}")
            };
            assert!(s.encode_utf16().count() <= MAX_TEXT_UNITS);
        }
    }

    #[test]
    fn text_pieces_cover_every_printable_char() {
        let text = "Grüße, 世界! 🇯🇵 e\u{301} 👩\u{200d}💻\tok\n";
        let mut out = String::new();
        for p in text_pieces(text) {
            match p {
                TextPiece::Return => out.push('\n'),
                TextPiece::Tab => out.push('\t'),
                TextPiece::Chars(s) => {
                    assert!(!s.is_empty() && s.encode_utf16().count() <= MAX_TEXT_UNITS);
                    out.push_str(s);
                }
            }
        }
        assert_eq!(out, text);
    }
}
