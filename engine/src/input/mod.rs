//! Remote input: the helper's mouse and keyboard, decoded from the wire, checked against
//! the sharer's permission and injected into the shared display.
//!
//! - [`wire`]: the binary message format of `docs/protocol.md` ("Input channels"). Decoding
//!   is zero-copy and never panics.
//! - [`gate::InputGate`]: one viewer's state (permission, stale-move filtering, held keys and
//!   buttons, flood limits, latency). Sans-IO: time comes in as an argument.
//! - [`Injector`]: where events go. One backend per platform ([`open_injector`]): X11 XTest,
//!   macOS CGEvent, Windows `SendInput`, Mutter's remote-desktop session on Wayland (shared with the capturer); [`recording::RecordingInjector`] for tests and embedders that inject
//!   themselves.

pub mod gate;
pub mod keys;
pub mod recording;
pub mod wire;

#[cfg(target_os = "linux")]
pub mod x11;

#[cfg(target_os = "macos")]
pub mod macos;
#[cfg(any(target_os = "macos", test))]
mod macos_logic;

#[cfg(windows)]
pub mod windows;
#[cfg(any(windows, test))]
pub mod windows_logic;

pub use gate::{ControlLevel, InputGate, InputStats};
pub use keys::{Key, ModifierKey};
pub use wire::{InputEvent, InputMessage};

use crate::capture::SourceSpec;
use crate::display::DisplaySelection;

/// Mouse buttons, numbered as W3C `MouseEvent.button`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Button {
    /// 0: main (left) button.
    Left,
    /// 1: auxiliary (middle) button.
    Middle,
    /// 2: secondary (right) button.
    Right,
    /// 3: back.
    Back,
    /// 4: forward.
    Forward,
}

impl Button {
    /// All buttons, by W3C number.
    pub const ALL: [Button; 5] = [
        Button::Left,
        Button::Middle,
        Button::Right,
        Button::Back,
        Button::Forward,
    ];

    /// The W3C `MouseEvent.button` number.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The button for a W3C number, `None` if out of range.
    pub fn from_number(n: u8) -> Option<Button> {
        Self::ALL.get(usize::from(n)).copied()
    }
}

/// Unit of wheel deltas (W3C `WheelEvent.deltaMode`; page mode is sent as lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WheelMode {
    /// Deltas in CSS pixels of the viewer (trackpads, smooth wheels).
    Pixel,
    /// Deltas in lines (notched wheels on some platforms).
    Line,
}

/// Modifier state sent with keys, buttons and wheel (bit values as on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Modifiers(u8);

impl Modifiers {
    /// Shift.
    pub const SHIFT: u8 = 1;
    /// Control.
    pub const CONTROL: u8 = 2;
    /// Alt (Option on macOS).
    pub const ALT: u8 = 4;
    /// Meta (Command on macOS, Super on Linux).
    pub const META: u8 = 8;
    /// Caps Lock is on (a lock state, not a held key).
    pub const CAPS_LOCK: u8 = 16;
    /// Every defined bit.
    pub const ALL: u8 = 31;

    /// From wire bits; `None` if undefined bits are set.
    pub fn from_bits(bits: u8) -> Option<Modifiers> {
        (bits & !Self::ALL == 0).then_some(Modifiers(bits))
    }

    /// The wire bits.
    pub fn bits(self) -> u8 {
        self.0
    }

    /// Whether `bit` (one of the constants) is set.
    pub fn contains(self, bit: u8) -> bool {
        self.0 & bit == bit
    }

    /// Whether the modifier a key stands for is set.
    pub fn has(self, m: ModifierKey) -> bool {
        self.contains(match m {
            ModifierKey::Shift => Self::SHIFT,
            ModifierKey::Control => Self::CONTROL,
            ModifierKey::Alt => Self::ALT,
            ModifierKey::Meta => Self::META,
        })
    }
}

/// A position on the shared display as fractions of its size: 0 is the left (top) edge,
/// 65535 the last pixel column (row). Injectors map it to their own coordinates, so neither
/// the viewer's window size nor the sharer's DPI matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Point {
    /// Horizontal fraction × 65536.
    pub x: u16,
    /// Vertical fraction × 65536.
    pub y: u16,
}

impl Point {
    /// The pixel (or point) this position falls on in a display `width` × `height` whose
    /// top-left is at `(left, top)`. Always inside the display.
    pub fn to_pixels(self, left: i32, top: i32, width: u32, height: u32) -> (i32, i32) {
        let scale = |v: u16, size: u32| -> i32 {
            let p = (u64::from(v) * u64::from(size)) >> 16;
            p.min(u64::from(size.saturating_sub(1))) as i32
        };
        (
            left.saturating_add(scale(self.x, width)),
            top.saturating_add(scale(self.y, height)),
        )
    }

    /// The wire position of pixel `(px, py)`'s centre in a `width` × `height` display
    /// (the inverse of [`Point::to_pixels`], for tests and native viewers).
    pub fn from_pixel(px: u32, py: u32, width: u32, height: u32) -> Point {
        let f = |p: u32, size: u32| -> u16 {
            let size = u64::from(size.max(1));
            ((u64::from(p) * 2 + 1) * 65536 / (size * 2)).min(65535) as u16
        };
        Point {
            x: f(px, width),
            y: f(py, height),
        }
    }
}

/// One event for an [`Injector`], already permitted and checked by the gate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Injected<'a> {
    /// Move the pointer (absolute).
    MoveTo(Point),
    /// Press or release a button at the current pointer position.
    Button {
        /// Which button.
        button: Button,
        /// Pressed (true) or released.
        down: bool,
    },
    /// Scroll at the current pointer position.
    Wheel {
        /// Unit of the deltas.
        mode: WheelMode,
        /// Horizontal delta, positive = right.
        dx: i32,
        /// Vertical delta, positive = down (content moves up).
        dy: i32,
    },
    /// Press or release a physical key.
    Key {
        /// The key.
        key: Key,
        /// Pressed (true) or released.
        down: bool,
    },
    /// Type characters, independent of the keyboard layout.
    Text(&'a str),
}

/// Why an injection failed (local trouble, not the viewer's fault).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InjectError {
    /// No injector exists for this source on this platform.
    #[error("input injection unsupported: {0}")]
    Unsupported(String),
    /// The OS refused (macOS Accessibility / post-event permission).
    #[error("input injection not permitted: {0}")]
    Permission(String),
    /// The display server cannot be reached.
    #[error("cannot connect to display for input: {0}")]
    Connect(String),
    /// The display server or OS failed to take the event.
    #[error("input injection failed: {0}")]
    Backend(String),
}

/// Where permitted input goes: one implementation per platform.
///
/// Calls come from one thread, in order. An injector may keep state (held buttons for drag
/// events, modifier flags, wheel remainders) but must not hold keys on its own: the gate
/// tracks what the helper holds and releases it.
pub trait Injector: Send {
    /// Backend name for stats and logs ("xtest", "cgevent", "recording").
    fn name(&self) -> &'static str;
    /// Performs one event.
    fn inject(&mut self, event: &Injected<'_>) -> Result<(), InjectError>;
    /// Pushes queued events to the OS (called after each wire message).
    fn flush(&mut self) -> Result<(), InjectError> {
        Ok(())
    }
}

/// Opens the injector that drives the display `source` captures: XTest on the same X
/// display and monitor, CGEvent on the same macOS display. A synthetic source has no real
/// display: it gets a [`recording::RecordingInjector`].
pub fn open_injector(source: &SourceSpec) -> Result<Box<dyn Injector>, InjectError> {
    open_injector_following(source, &DisplaySelection::new(source.display()))
}

/// Opens the injector for `source`, following `selection` as the capturer does
/// ([`crate::capture::open_following`]), so a click lands on the display the helper sees.
pub fn open_injector_following(
    source: &SourceSpec,
    selection: &DisplaySelection,
) -> Result<Box<dyn Injector>, InjectError> {
    #[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
    let _ = selection; // only X11, macOS and Windows switch displays during a share
    match source {
        SourceSpec::Synthetic(_) => Ok(Box::new(recording::RecordingInjector::new())),
        #[cfg(target_os = "linux")]
        SourceSpec::X11 { display, .. } => Ok(Box::new(x11::XTestInjector::open_following(
            display.as_deref(),
            selection,
        )?)),
        #[cfg(target_os = "linux")]
        SourceSpec::Wayland { .. } => Ok(Box::new(crate::wayland::WaylandInjector::new(
            crate::wayland::session_for(source).map_err(|e| match e {
                crate::CaptureError::Permission(m) => InjectError::Permission(m),
                crate::CaptureError::Connect(m) => InjectError::Connect(m),
                crate::CaptureError::Unsupported(m) => InjectError::Unsupported(m),
                other => InjectError::Backend(other.to_string()),
            })?,
        ))),
        #[cfg(target_os = "macos")]
        SourceSpec::MacOs { .. } => {
            Ok(Box::new(macos::CgEventInjector::open_following(selection)?))
        }
        #[cfg(windows)]
        SourceSpec::Windows { display, .. } => Ok(Box::new(
            windows::SendInputInjector::open_following(display.as_deref(), selection)?,
        )),
        #[allow(unreachable_patterns)]
        other => Err(InjectError::Unsupported(format!(
            "no input injector for {other:?} on this platform"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_map_to_pixels_inside_the_display() {
        let p = Point { x: 0, y: 0 };
        assert_eq!(p.to_pixels(10, 20, 1920, 1080), (10, 20));
        let p = Point { x: 65535, y: 65535 };
        assert_eq!(p.to_pixels(0, 0, 1920, 1080), (1919, 1079));
        assert_eq!(p.to_pixels(0, 0, 0, 0), (0, 0));
        for (w, h) in [
            (1920u32, 1080u32),
            (1280, 720),
            (3840, 2160),
            (7, 3),
            (1, 1),
        ] {
            for px in [0, w / 3, w / 2, w - 1] {
                let py = h - 1 - px.min(h - 1);
                let p = Point::from_pixel(px, py, w, h);
                assert_eq!(p.to_pixels(0, 0, w, h), (px as i32, py as i32), "{w}x{h}");
            }
        }
    }

    #[test]
    fn buttons_and_modifiers() {
        for b in Button::ALL {
            assert_eq!(Button::from_number(b.number()), Some(b));
        }
        assert_eq!(Button::from_number(5), None);
        assert!(Modifiers::from_bits(32).is_none());
        let m = Modifiers::from_bits(Modifiers::SHIFT | Modifiers::META).unwrap();
        assert!(m.has(ModifierKey::Shift) && m.has(ModifierKey::Meta));
        assert!(!m.has(ModifierKey::Alt));
    }
}
