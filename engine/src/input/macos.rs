//! macOS input through Quartz Event Services (`CGEventPost`, objc2-core-graphics).
//!
//! - Permission: posting needs the Accessibility grant ("post event access"); [`open`]
//!   checks it and never prompts (a prompt mid-session would surprise the user: the agent's
//!   preflight, `crate::permissions`, tells the user before sharing and offers view only).
//! - Pointer: absolute moves in global display coordinates, in **points**, inside the
//!   display being shared (`CGDisplayBounds`, re-read at most once a second). While a
//!   button is held, moves are drag events, as applications expect from a real mouse.
//! - Buttons and wheel are posted at the last position. `CGEventPost` counts no clicks, so
//!   the injector sets `kCGMouseEventClickState` itself (double and triple clicks).
//! - Keys: the `kVK_*` virtual keycode of the key position (Backquote and IntlBackslash
//!   swapped on ISO keyboards, as macOS does). The held modifiers (left and right tracked
//!   apart) become the `CGEventFlags` of key, mouse and wheel events, so Shift-click and
//!   Command-scroll work and no stale flag of the local keyboard leaks in; keys also get the
//!   Fn / NumericPad flags macOS puts on arrows, navigation keys, F keys and the keypad.
//! - Text: keyboard events for `kVK_Space` carrying the characters as their Unicode string,
//!   one grapheme cluster per down/up pair; `\n` and `\t` are Return and Tab. Text carries
//!   no modifier (only Caps Lock), as in Chromium remoting, so it never becomes a shortcut.
//! - Double clicks use the user's interval (`NSEvent.doubleClickInterval`).
//!
//! Everything is posted to the HID event tap immediately, so [`Injector::flush`] has
//! nothing to do. The pure parts live in `macos_logic.rs` and are unit-tested on every OS;
//! this file is type-checked only (`../shared/tools/check-macos`), see `docs/macos.md`.
//!
//! [`open`]: CgEventInjector::open

use std::ffi::c_ulong;
use std::time::{Duration, Instant};

use objc2::msg_send;
use objc2::runtime::AnyClass;
use objc2_core_foundation::{CFRetained, CGPoint};
use objc2_core_graphics::{
    CGDirectDisplayID, CGDisplayBounds, CGError, CGEvent, CGEventField, CGEventFlags,
    CGEventSource, CGEventSourceStateID, CGEventTapLocation, CGEventType, CGGetActiveDisplayList,
    CGKeyCode, CGMainDisplayID, CGMouseButton, CGScrollEventUnit,
};

use super::keys::KEY_COUNT;
use super::macos_logic::{
    Bounds, ClickCounter, FlagsFor, HeldButtons, HeldModifiers, K_KEYBOARD_ISO, KVK_RETURN,
    KVK_SPACE, KVK_TAB, MAX_TEXT_UNITS, MacButton, Scroll, TextPiece, double_click_interval,
    event_flags, iso_keycode, text_pieces,
};
use super::{InjectError, Injected, Injector};

/// How often the display's bounds are re-read.
const BOUNDS_REFRESH: Duration = Duration::from_secs(1);
/// Most displays listed when an unknown display id is asked for.
const MAX_DISPLAYS: usize = 32;

/// What to do when posting is not allowed.
const PERMISSION_HELP: &str = "macOS does not allow this app to control the computer. \
     Open System Settings → Privacy & Security → Accessibility, add and switch on the app \
     that runs Glass (for a command-line run, the terminal application); no restart is needed";

// HIToolbox (Carbon): the physical keyboard type of the last keyboard used, and its layout
// type (`kKeyboardISO`, `kKeyboardANSI`, `kKeyboardJIS`), as SDL and TigerVNC read them.
#[link(name = "Carbon", kind = "framework")]
unsafe extern "C" {
    fn LMGetKbdType() -> u8;
    fn KBGetLayoutType(keyboard_type: i16) -> u32;
}

/// Whether the keyboard is ISO (its Backquote and IntlBackslash codes are swapped).
fn keyboard_is_iso() -> bool {
    // SAFETY: both are plain getters without arguments that point anywhere; `LMGetKbdType`
    // reads a global, `KBGetLayoutType` maps a keyboard type to a four-char code.
    unsafe { KBGetLayoutType(i16::from(LMGetKbdType())) == K_KEYBOARD_ISO }
}

/// `+[NSEvent doubleClickInterval]` in seconds, when AppKit is loaded (ScreenCaptureKit links
/// it; a process without it keeps the default).
fn system_double_click_interval() -> Option<f64> {
    let class = AnyClass::get(c"NSEvent")?;
    // SAFETY: `doubleClickInterval` is a class property of NSEvent returning `NSTimeInterval`
    // (a double); it takes no arguments and reads the user's setting.
    Some(unsafe { msg_send![class, doubleClickInterval] })
}

/// Injects into one macOS display with `CGEventPost`.
pub struct CgEventInjector {
    source: CFRetained<CGEventSource>,
    display: CGDirectDisplayID,
    /// Switches of display during a share.
    follow: Option<crate::display::Follower>,
    bounds: Bounds,
    bounds_read: Instant,
    /// Where the pointer was last put (global points); buttons and wheel act here.
    pos: (f64, f64),
    buttons: HeldButtons,
    clicks: ClickCounter,
    modifiers: HeldModifiers,
    /// Keys pressed and not released: a second down is marked as auto-repeat.
    held_keys: [bool; KEY_COUNT],
    /// Whether the keyboard is ISO (re-read with the bounds).
    iso: bool,
}

// SAFETY: the only non-`Send` field is the `CGEventSource`. CoreFoundation reference
// counting is thread-safe and Quartz Event Services may be called from any thread; the
// injector owns its source and uses it from one thread at a time (`&mut self`), so moving
// it to another thread is sound.
unsafe impl Send for CgEventInjector {}

fn cg_bounds(display: CGDirectDisplayID) -> Bounds {
    let r = CGDisplayBounds(display);
    Bounds {
        x: r.origin.x,
        y: r.origin.y,
        width: r.size.width,
        height: r.size.height,
    }
}

/// The event, or why there is none (`CGEventCreate*` return NULL only on failure).
fn created(
    event: Option<CFRetained<CGEvent>>,
    what: &str,
) -> Result<CFRetained<CGEvent>, InjectError> {
    event.ok_or_else(|| InjectError::Backend(format!("cannot create a {what} event")))
}

/// The ids of the active displays (at most [`MAX_DISPLAYS`]).
fn active_displays() -> Result<Vec<CGDirectDisplayID>, InjectError> {
    let mut ids = [CGDirectDisplayID::default(); MAX_DISPLAYS];
    let mut count = 0u32;
    // SAFETY: `ids` has room for the `MAX_DISPLAYS` entries we allow, and `count` is a
    // valid out-pointer; both outlive the call.
    let err = unsafe { CGGetActiveDisplayList(MAX_DISPLAYS as u32, ids.as_mut_ptr(), &mut count) };
    if err != CGError::Success {
        return Err(InjectError::Backend(format!(
            "cannot list displays: CGError {}",
            err.0
        )));
    }
    Ok(ids[..(count as usize).min(MAX_DISPLAYS)].to_vec())
}

impl CgEventInjector {
    /// Opens an injector for display `display_id` (`None`: the main display), after
    /// checking the permission to post events. It never prompts: the user is asked on their
    /// own action only (`crate::permissions::request`), and an Accessibility grant takes effect
    /// without a restart, so opening again after the grant works.
    pub fn open(display_id: Option<u32>) -> Result<CgEventInjector, InjectError> {
        if !crate::permissions::accessibility_trusted() {
            return Err(InjectError::Permission(PERMISSION_HELP.to_string()));
        }
        let target = match display_id {
            None => CGMainDisplayID(),
            Some(id) => {
                let active = active_displays()?;
                if !active.contains(&id) {
                    let list: Vec<String> = active.iter().map(u32::to_string).collect();
                    return Err(InjectError::Unsupported(format!(
                        "no active display with id {id} (active: {})",
                        if list.is_empty() {
                            "none".to_string()
                        } else {
                            list.join(", ")
                        }
                    )));
                }
                id
            }
        };
        let bounds = cg_bounds(target);
        if bounds.is_empty() {
            return Err(InjectError::Backend(format!(
                "display {target} has no area (detached, or no display at all)"
            )));
        }
        // HIDSystemState: our events are merged into the state of the real hardware, as
        // Chromium remoting and enigo do.
        let source = CGEventSource::new(CGEventSourceStateID::HIDSystemState)
            .ok_or_else(|| InjectError::Backend("CGEventSourceCreate failed".to_string()))?;
        // By default the local mouse and keyboard are ignored for a moment after each
        // injected event; the sharer must keep control of their own machine.
        CGEventSource::set_local_events_suppression_interval(Some(&source), 0.0);
        // Start from where the pointer is, so a click before the first move lands there.
        let pos = CGEvent::new(None)
            .map(|e| CGEvent::location(Some(&e)))
            .map(|p| (p.x, p.y))
            .unwrap_or((
                bounds.x + bounds.width / 2.0,
                bounds.y + bounds.height / 2.0,
            ));
        tracing::debug!("CGEvent injector on display {target}: {bounds:?}");
        Ok(CgEventInjector {
            source,
            display: target,
            follow: None,
            bounds,
            bounds_read: Instant::now(),
            pos,
            buttons: HeldButtons::default(),
            clicks: ClickCounter::new(double_click_interval(system_double_click_interval())),
            modifiers: HeldModifiers::default(),
            held_keys: [false; KEY_COUNT],
            iso: keyboard_is_iso(),
        })
    }

    /// Opens an injector for the display `selection` names (a CGDirectDisplayID as text;
    /// `None`: the main display), following it when it changes (as the capturer does).
    pub fn open_following(
        selection: &crate::display::DisplaySelection,
    ) -> Result<CgEventInjector, InjectError> {
        let follow = selection.follow();
        let id = match follow.current() {
            None => None,
            Some(id) => Some(id.parse().map_err(|_| {
                InjectError::Unsupported(format!("macOS display id must be a number, got {id:?}"))
            })?),
        };
        let mut injector = CgEventInjector::open(id)?;
        injector.follow = Some(follow);
        Ok(injector)
    }

    /// Picks up resolution and arrangement changes (and a keyboard of another type), at most
    /// once a second, and a switch of display at once.
    fn refresh_bounds(&mut self, now: Instant) {
        if let Some(next) = self
            .follow
            .as_mut()
            .and_then(crate::display::Follower::changed)
        {
            match next.map_or(Some(CGMainDisplayID()), |id| id.parse().ok()) {
                Some(display) if !cg_bounds(display).is_empty() => {
                    self.display = display;
                    self.bounds = cg_bounds(display);
                    self.bounds_read = now;
                    return;
                }
                // The capturer fails the same way and stops the share.
                _ => tracing::warn!("display switch: no such display; input stays where it was"),
            }
        }
        if now.saturating_duration_since(self.bounds_read) < BOUNDS_REFRESH {
            return;
        }
        self.bounds_read = now;
        self.iso = keyboard_is_iso();
        let bounds = cg_bounds(self.display);
        if bounds.is_empty() {
            tracing::debug!(
                "display {} has no bounds now; keeping {:?}",
                self.display,
                self.bounds
            );
        } else {
            self.bounds = bounds;
        }
    }

    /// The flags of an event of kind `what` (`macos_logic::event_flags`), with Caps Lock as
    /// it is on this Mac.
    fn flags(&self, what: FlagsFor) -> CGEventFlags {
        let caps = CGEventSource::flags_state(CGEventSourceStateID::HIDSystemState)
            .contains(CGEventFlags::MaskAlphaShift);
        CGEventFlags::from_bits_retain(event_flags(self.modifiers, caps, what))
    }

    /// Takes a freshly created event (or reports that creation failed) and stamps it with
    /// [`Self::flags`] for `what`.
    fn prepare(
        &self,
        event: Option<CFRetained<CGEvent>>,
        what: FlagsFor,
        name: &str,
    ) -> Result<CFRetained<CGEvent>, InjectError> {
        let event = created(event, name)?;
        CGEvent::set_flags(Some(&event), self.flags(what));
        Ok(event)
    }

    fn post(event: &CGEvent) {
        CGEvent::post(CGEventTapLocation::HIDEventTap, Some(event));
    }

    fn point(&self) -> CGPoint {
        CGPoint {
            x: self.pos.0,
            y: self.pos.1,
        }
    }

    fn move_to(&mut self, to: (f64, f64)) -> Result<(), InjectError> {
        let (kind, button) = match self.buttons.drag_button() {
            None => (CGEventType::MouseMoved, MacButton::Left),
            Some(b @ MacButton::Left) => (CGEventType::LeftMouseDragged, b),
            Some(b @ MacButton::Right) => (CGEventType::RightMouseDragged, b),
            Some(b @ MacButton::Other(_)) => (CGEventType::OtherMouseDragged, b),
        };
        let at = CGPoint { x: to.0, y: to.1 };
        let event =
            CGEvent::new_mouse_event(Some(&self.source), kind, at, CGMouseButton(button.number()));
        let event = self.prepare(event, FlagsFor::Pointer, "mouse move")?;
        if let MacButton::Other(n) = button {
            CGEvent::set_integer_value_field(
                Some(&event),
                CGEventField::MouseEventButtonNumber,
                i64::from(n),
            );
        }
        // Relative motion, for applications that read deltas (games, 3D views with a
        // hidden cursor). Whole points: the fields are integers.
        let delta = |a: f64, b: f64| (a - b).round() as i64;
        CGEvent::set_integer_value_field(
            Some(&event),
            CGEventField::MouseEventDeltaX,
            delta(to.0, self.pos.0),
        );
        CGEvent::set_integer_value_field(
            Some(&event),
            CGEventField::MouseEventDeltaY,
            delta(to.1, self.pos.1),
        );
        Self::post(&event);
        self.pos = to;
        Ok(())
    }

    fn button(&mut self, button: super::Button, down: bool) -> Result<(), InjectError> {
        let mac = MacButton::of(button);
        let kind = match (mac, down) {
            (MacButton::Left, true) => CGEventType::LeftMouseDown,
            (MacButton::Left, false) => CGEventType::LeftMouseUp,
            (MacButton::Right, true) => CGEventType::RightMouseDown,
            (MacButton::Right, false) => CGEventType::RightMouseUp,
            (MacButton::Other(_), true) => CGEventType::OtherMouseDown,
            (MacButton::Other(_), false) => CGEventType::OtherMouseUp,
        };
        let event = CGEvent::new_mouse_event(
            Some(&self.source),
            kind,
            self.point(),
            CGMouseButton(mac.number()),
        );
        let event = self.prepare(event, FlagsFor::Pointer, "mouse button")?;
        let clicks = if down {
            self.clicks.down(button, Instant::now(), self.pos)
        } else {
            self.clicks.up(button)
        };
        CGEvent::set_integer_value_field(Some(&event), CGEventField::MouseEventClickState, clicks);
        CGEvent::set_integer_value_field(
            Some(&event),
            CGEventField::MouseEventButtonNumber,
            i64::from(mac.number()),
        );
        Self::post(&event);
        self.buttons.set(button, down);
        Ok(())
    }

    fn wheel(&self, scroll: Scroll) -> Result<(), InjectError> {
        let unit = if scroll.lines {
            CGScrollEventUnit::Line
        } else {
            CGScrollEventUnit::Pixel
        };
        let event = CGEvent::new_scroll_wheel_event2(
            Some(&self.source),
            unit,
            2,
            scroll.wheel1,
            scroll.wheel2,
            0,
        );
        let event = self.prepare(event, FlagsFor::Pointer, "scroll wheel")?;
        CGEvent::set_location(Some(&event), self.point());
        CGEvent::set_integer_value_field(
            Some(&event),
            CGEventField::ScrollWheelEventIsContinuous,
            i64::from(scroll.continuous),
        );
        Self::post(&event);
        Ok(())
    }

    fn key(&mut self, key: super::Key, down: bool) -> Result<(), InjectError> {
        let Some(kvk) = key.mac_keycode() else {
            return Err(InjectError::Backend(format!(
                "{} has no macOS key",
                key.code()
            )));
        };
        let kvk = iso_keycode(kvk, self.iso);
        // A modifier's own event already carries the state after it (Chromium remoting
        // does the same): Shift down has Shift set, Shift up has it cleared. Apple's own
        // example for CGEventCreateKeyboardEvent posts Shift this way; that applications
        // then see FlagsChanged is expected, not verified on a Mac.
        let event = created(
            CGEvent::new_keyboard_event(Some(&self.source), kvk, down),
            "keyboard",
        )?;
        self.modifiers.update(key, down);
        let repeat = down && self.held_keys[key.index()];
        self.held_keys[key.index()] = down;
        CGEvent::set_flags(Some(&event), self.flags(FlagsFor::Key(kvk)));
        if repeat {
            CGEvent::set_integer_value_field(
                Some(&event),
                CGEventField::KeyboardEventAutorepeat,
                1,
            );
        }
        Self::post(&event);
        Ok(())
    }

    /// Presses and releases `kvk` as part of text (Return, Tab): no modifiers.
    fn tap(&self, kvk: CGKeyCode) -> Result<(), InjectError> {
        for down in [true, false] {
            let event = CGEvent::new_keyboard_event(Some(&self.source), kvk, down);
            let event = self.prepare(event, FlagsFor::Text, "keyboard")?;
            Self::post(&event);
        }
        Ok(())
    }

    /// Types `chars` (at most [`MAX_TEXT_UNITS`] UTF-16 units; more are cut) as one
    /// key press whose characters are `chars`, whatever the keyboard layout.
    fn type_chars(&self, chars: &str) -> Result<(), InjectError> {
        let mut units = [0u16; MAX_TEXT_UNITS];
        let mut len = 0;
        for (slot, unit) in units.iter_mut().zip(chars.encode_utf16()) {
            *slot = unit;
            len += 1;
        }
        for down in [true, false] {
            let event = CGEvent::new_keyboard_event(Some(&self.source), KVK_SPACE, down);
            let event = self.prepare(event, FlagsFor::Text, "text")?;
            // SAFETY: `units` holds `len` initialised UTF-16 units and lives across the
            // call; CoreGraphics copies the string into the event.
            unsafe {
                CGEvent::keyboard_set_unicode_string(Some(&event), len as c_ulong, units.as_ptr());
            }
            Self::post(&event);
        }
        Ok(())
    }
}

impl Injector for CgEventInjector {
    fn name(&self) -> &'static str {
        "cgevent"
    }

    fn inject(&mut self, event: &Injected<'_>) -> Result<(), InjectError> {
        match *event {
            Injected::MoveTo(p) => {
                self.refresh_bounds(Instant::now());
                let to = self.bounds.to_global(p);
                self.move_to(to)
            }
            Injected::Button { button, down } => self.button(button, down),
            Injected::Wheel { mode, dx, dy } => match Scroll::from_wheel(mode, dx, dy) {
                Some(scroll) => self.wheel(scroll),
                None => Ok(()),
            },
            Injected::Key { key, down } => self.key(key, down),
            Injected::Text(text) => {
                for piece in text_pieces(text) {
                    match piece {
                        TextPiece::Return => self.tap(KVK_RETURN)?,
                        TextPiece::Tab => self.tap(KVK_TAB)?,
                        TextPiece::Chars(chars) => self.type_chars(chars)?,
                    }
                }
                Ok(())
            }
        }
    }
}
