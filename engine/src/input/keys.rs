//! Physical keys by W3C `KeyboardEvent.code`, with what each platform injector needs.
//!
//! A [`Key`] names a key position, not a character: the sharer's layout decides the
//! character, as with a real keyboard. For X11 the table gives the keysym the key carries on
//! a US layout (the injector finds the keycode holding it in the server's mapping); for macOS
//! the virtual keycode (`kVK_*`, HIToolbox `Events.h`), position-based like `code`.

/// No macOS virtual keycode for this key (PrintScreen, ScrollLock, ...).
pub const NO_MAC_KEYCODE: u16 = 0xffff;

/// `(code, X11 keysym, macOS kVK)`, sorted by code (binary search).
const KEYS: &[(&str, u32, u16)] = &[
    ("AltLeft", 0xffe9, 0x3a),
    ("AltRight", 0xffea, 0x3d),
    ("ArrowDown", 0xff54, 0x7d),
    ("ArrowLeft", 0xff51, 0x7b),
    ("ArrowRight", 0xff53, 0x7c),
    ("ArrowUp", 0xff52, 0x7e),
    ("AudioVolumeDown", 0x1008_ff11, 0x49),
    ("AudioVolumeMute", 0x1008_ff12, 0x4a),
    ("AudioVolumeUp", 0x1008_ff13, 0x48),
    ("Backquote", 0x60, 0x32),
    ("Backslash", 0x5c, 0x2a),
    ("Backspace", 0xff08, 0x33),
    ("BracketLeft", 0x5b, 0x21),
    ("BracketRight", 0x5d, 0x1e),
    ("CapsLock", 0xffe5, 0x39),
    ("Comma", 0x2c, 0x2b),
    ("ContextMenu", 0xff67, 0x6e),
    ("ControlLeft", 0xffe3, 0x3b),
    ("ControlRight", 0xffe4, 0x3e),
    ("Delete", 0xffff, 0x75),
    ("Digit0", 0x30, 0x1d),
    ("Digit1", 0x31, 0x12),
    ("Digit2", 0x32, 0x13),
    ("Digit3", 0x33, 0x14),
    ("Digit4", 0x34, 0x15),
    ("Digit5", 0x35, 0x17),
    ("Digit6", 0x36, 0x16),
    ("Digit7", 0x37, 0x1a),
    ("Digit8", 0x38, 0x1c),
    ("Digit9", 0x39, 0x19),
    ("End", 0xff57, 0x77),
    ("Enter", 0xff0d, 0x24),
    ("Equal", 0x3d, 0x18),
    ("Escape", 0xff1b, 0x35),
    ("F1", 0xffbe, 0x7a),
    ("F10", 0xffc7, 0x6d),
    ("F11", 0xffc8, 0x67),
    ("F12", 0xffc9, 0x6f),
    ("F13", 0xffca, 0x69),
    ("F14", 0xffcb, 0x6b),
    ("F15", 0xffcc, 0x71),
    ("F16", 0xffcd, 0x6a),
    ("F17", 0xffce, 0x40),
    ("F18", 0xffcf, 0x4f),
    ("F19", 0xffd0, 0x50),
    ("F2", 0xffbf, 0x78),
    ("F20", 0xffd1, 0x5a),
    ("F21", 0xffd2, NO_MAC_KEYCODE),
    ("F22", 0xffd3, NO_MAC_KEYCODE),
    ("F23", 0xffd4, NO_MAC_KEYCODE),
    ("F24", 0xffd5, NO_MAC_KEYCODE),
    ("F3", 0xffc0, 0x63),
    ("F4", 0xffc1, 0x76),
    ("F5", 0xffc2, 0x60),
    ("F6", 0xffc3, 0x61),
    ("F7", 0xffc4, 0x62),
    ("F8", 0xffc5, 0x64),
    ("F9", 0xffc6, 0x65),
    ("Help", 0xff6a, 0x72),
    ("Home", 0xff50, 0x73),
    ("Insert", 0xff63, 0x72),
    ("IntlBackslash", 0x3c, 0x0a),
    ("IntlRo", 0x5f, 0x5e),
    ("IntlYen", 0xa5, 0x5d),
    ("KeyA", 0x61, 0x00),
    ("KeyB", 0x62, 0x0b),
    ("KeyC", 0x63, 0x08),
    ("KeyD", 0x64, 0x02),
    ("KeyE", 0x65, 0x0e),
    ("KeyF", 0x66, 0x03),
    ("KeyG", 0x67, 0x05),
    ("KeyH", 0x68, 0x04),
    ("KeyI", 0x69, 0x22),
    ("KeyJ", 0x6a, 0x26),
    ("KeyK", 0x6b, 0x28),
    ("KeyL", 0x6c, 0x25),
    ("KeyM", 0x6d, 0x2e),
    ("KeyN", 0x6e, 0x2d),
    ("KeyO", 0x6f, 0x1f),
    ("KeyP", 0x70, 0x23),
    ("KeyQ", 0x71, 0x0c),
    ("KeyR", 0x72, 0x0f),
    ("KeyS", 0x73, 0x01),
    ("KeyT", 0x74, 0x11),
    ("KeyU", 0x75, 0x20),
    ("KeyV", 0x76, 0x09),
    ("KeyW", 0x77, 0x0d),
    ("KeyX", 0x78, 0x07),
    ("KeyY", 0x79, 0x10),
    ("KeyZ", 0x7a, 0x06),
    ("Lang1", 0xff2e, 0x68),
    ("Lang2", 0xff2f, 0x66),
    ("MediaPlayPause", 0x1008_ff14, NO_MAC_KEYCODE),
    ("MediaStop", 0x1008_ff15, NO_MAC_KEYCODE),
    ("MediaTrackNext", 0x1008_ff17, NO_MAC_KEYCODE),
    ("MediaTrackPrevious", 0x1008_ff16, NO_MAC_KEYCODE),
    ("MetaLeft", 0xffeb, 0x37),
    ("MetaRight", 0xffec, 0x36),
    ("Minus", 0x2d, 0x1b),
    ("NumLock", 0xff7f, 0x47),
    ("Numpad0", 0xffb0, 0x52),
    ("Numpad1", 0xffb1, 0x53),
    ("Numpad2", 0xffb2, 0x54),
    ("Numpad3", 0xffb3, 0x55),
    ("Numpad4", 0xffb4, 0x56),
    ("Numpad5", 0xffb5, 0x57),
    ("Numpad6", 0xffb6, 0x58),
    ("Numpad7", 0xffb7, 0x59),
    ("Numpad8", 0xffb8, 0x5b),
    ("Numpad9", 0xffb9, 0x5c),
    ("NumpadAdd", 0xffab, 0x45),
    ("NumpadComma", 0xffac, 0x5f),
    ("NumpadDecimal", 0xffae, 0x41),
    ("NumpadDivide", 0xffaf, 0x4b),
    ("NumpadEnter", 0xff8d, 0x4c),
    ("NumpadEqual", 0xffbd, 0x51),
    ("NumpadMultiply", 0xffaa, 0x43),
    ("NumpadSubtract", 0xffad, 0x4e),
    ("PageDown", 0xff56, 0x79),
    ("PageUp", 0xff55, 0x74),
    ("Pause", 0xff13, NO_MAC_KEYCODE),
    ("Period", 0x2e, 0x2f),
    ("PrintScreen", 0xff61, NO_MAC_KEYCODE),
    ("Quote", 0x27, 0x27),
    ("ScrollLock", 0xff14, NO_MAC_KEYCODE),
    ("Semicolon", 0x3b, 0x29),
    ("ShiftLeft", 0xffe1, 0x38),
    ("ShiftRight", 0xffe2, 0x3c),
    ("Slash", 0x2f, 0x2c),
    ("Space", 0x20, 0x31),
    ("Tab", 0xff09, 0x30),
];

/// Number of known keys; [`Key::index`] is below it.
pub const KEY_COUNT: usize = KEYS.len();

/// A physical key (a W3C `KeyboardEvent.code` this engine knows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key(u8);

/// The modifier a key is, if it is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModifierKey {
    /// ShiftLeft / ShiftRight.
    Shift,
    /// ControlLeft / ControlRight.
    Control,
    /// AltLeft / AltRight.
    Alt,
    /// MetaLeft / MetaRight (Super on X11, Command on macOS).
    Meta,
}

impl Key {
    /// The key for a W3C `code`, `None` if unknown.
    pub fn from_code(code: &str) -> Option<Key> {
        KEYS.binary_search_by(|(c, _, _)| (*c).cmp(code))
            .ok()
            .map(|i| Key(i as u8))
    }

    /// The key with this index (`0..KEY_COUNT`).
    pub fn from_index(index: usize) -> Option<Key> {
        (index < KEY_COUNT).then_some(Key(index as u8))
    }

    /// Dense index `0..KEY_COUNT` (for bit sets of held keys).
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The W3C `code`.
    pub fn code(self) -> &'static str {
        KEYS[self.index()].0
    }

    /// The keysym this key carries on a US layout (first level).
    pub fn x11_keysym(self) -> u32 {
        KEYS[self.index()].1
    }

    /// The macOS virtual keycode, `None` for keys Macs do not have.
    pub fn mac_keycode(self) -> Option<u16> {
        let k = KEYS[self.index()].2;
        (k != NO_MAC_KEYCODE).then_some(k)
    }

    /// Which modifier this key is.
    pub fn modifier(self) -> Option<ModifierKey> {
        match self.code() {
            "ShiftLeft" | "ShiftRight" => Some(ModifierKey::Shift),
            "ControlLeft" | "ControlRight" => Some(ModifierKey::Control),
            "AltLeft" | "AltRight" => Some(ModifierKey::Alt),
            "MetaLeft" | "MetaRight" => Some(ModifierKey::Meta),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        for w in KEYS.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        const { assert!(KEY_COUNT <= 256) };
    }

    #[test]
    fn lookup() {
        let a = Key::from_code("KeyA").unwrap();
        assert_eq!(a.code(), "KeyA");
        assert_eq!(a.x11_keysym(), 0x61);
        assert_eq!(a.mac_keycode(), Some(0));
        assert_eq!(Key::from_code("Enter").unwrap().x11_keysym(), 0xff0d);
        assert_eq!(Key::from_code("PrintScreen").unwrap().mac_keycode(), None);
        assert_eq!(
            Key::from_code("ShiftRight").unwrap().modifier(),
            Some(ModifierKey::Shift)
        );
        assert_eq!(Key::from_code("KeyA").unwrap().modifier(), None);
        assert!(Key::from_code("keya").is_none());
        assert!(Key::from_code("").is_none());
        assert!(Key::from_code("Unidentified").is_none());
        for i in 0..KEY_COUNT {
            let k = Key::from_index(i).unwrap();
            assert_eq!(Key::from_code(k.code()), Some(k));
        }
        assert!(Key::from_index(KEY_COUNT).is_none());
    }
}
