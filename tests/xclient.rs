//! A test X client that sees what the injector does: a window covering the screen that
//! records pointer, button and key events, translating keycodes to keysyms and characters
//! with the server's current keyboard mapping (re-read on `MappingNotify`, as toolkits do).

#![allow(dead_code)]

use std::time::{Duration, Instant};

use x11rb::connection::Connection;
use x11rb::protocol::Event;
use x11rb::protocol::xproto::{
    ConnectionExt as _, CreateWindowAux, EventMask, InputFocus, KeyButMask, Mapping, Window,
    WindowClass,
};
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;

/// One event the window received.
#[derive(Debug, Clone, PartialEq)]
pub enum XEvent {
    /// Key pressed: keysym (shift level applied) and the character it types, if any.
    KeyPress(u32, Option<char>),
    /// Key released.
    KeyRelease(u32, Option<char>),
    /// Button pressed at (x, y) in root coordinates.
    ButtonPress(u8, i16, i16),
    /// Button released.
    ButtonRelease(u8, i16, i16),
    /// Pointer moved to (x, y) in root coordinates.
    Motion(i16, i16),
}

/// The recording window.
pub struct XClient {
    conn: RustConnection,
    root: Window,
    window: Window,
    min_keycode: u8,
    per: usize,
    keysyms: Vec<u32>,
    /// Everything received so far.
    pub events: Vec<XEvent>,
    /// Keycodes and buttons down now.
    held_keys: Vec<u8>,
    held_buttons: Vec<u8>,
}

/// The character a keysym types (Latin-1 and Unicode keysyms, Return, Tab).
pub fn keysym_char(ks: u32) -> Option<char> {
    match ks {
        0x20..=0x7e | 0xa0..=0xff => char::from_u32(ks),
        0xff0d => Some('\n'),
        0xff09 => Some('\t'),
        0x0100_0000..=0x0110_ffff => char::from_u32(ks - 0x0100_0000),
        _ => None,
    }
}

impl XClient {
    /// Opens `display`, maps a window covering the `width`×`height` screen and gives it
    /// the keyboard focus.
    pub fn open(display: &str, width: u16, height: u16) -> XClient {
        let (conn, screen) = RustConnection::connect(Some(display)).expect("connect to Xvfb");
        let root = conn.setup().roots[screen].root;
        let window = conn.generate_id().unwrap();
        let mask = EventMask::KEY_PRESS
            | EventMask::KEY_RELEASE
            | EventMask::BUTTON_PRESS
            | EventMask::BUTTON_RELEASE
            | EventMask::POINTER_MOTION
            | EventMask::STRUCTURE_NOTIFY;
        conn.create_window(
            0,
            window,
            root,
            0,
            0,
            width,
            height,
            0,
            WindowClass::INPUT_OUTPUT,
            0,
            &CreateWindowAux::new()
                .background_pixel(0x20_40_60)
                .override_redirect(1)
                .event_mask(mask),
        )
        .unwrap();
        conn.map_window(window).unwrap();
        conn.sync().unwrap();
        conn.set_input_focus(InputFocus::POINTER_ROOT, window, x11rb::CURRENT_TIME)
            .unwrap();
        conn.sync().unwrap();
        let mut c = XClient {
            conn,
            root,
            window,
            min_keycode: 0,
            per: 0,
            keysyms: Vec::new(),
            events: Vec::new(),
            held_keys: Vec::new(),
            held_buttons: Vec::new(),
        };
        c.load_mapping();
        c
    }

    fn load_mapping(&mut self) {
        let (min, max) = (self.conn.setup().min_keycode, self.conn.setup().max_keycode);
        let r = self
            .conn
            .get_keyboard_mapping(min, max - min + 1)
            .unwrap()
            .reply()
            .unwrap();
        self.min_keycode = min;
        self.per = usize::from(r.keysyms_per_keycode);
        self.keysyms = r.keysyms;
    }

    fn keysym(&self, keycode: u8, state: KeyButMask) -> u32 {
        let i = usize::from(keycode - self.min_keycode) * self.per;
        let syms = &self.keysyms[i..i + self.per];
        let shifted = state.contains(KeyButMask::SHIFT);
        let (lower, upper) = (syms[0], if self.per > 1 { syms[1] } else { 0 });
        if shifted && upper != 0 {
            upper
        } else if shifted && (0x61..=0x7a).contains(&lower) {
            lower - 0x20
        } else {
            lower
        }
    }

    /// Takes the events that have arrived (waits until `until` says enough, or `timeout`).
    pub fn collect_until(&mut self, timeout: Duration, until: impl Fn(&[XEvent]) -> bool) {
        let end = Instant::now() + timeout;
        while Instant::now() < end && !until(&self.events) {
            while let Some(e) = self.conn.poll_for_event().unwrap() {
                self.on_event(e);
            }
            if until(&self.events) {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn on_event(&mut self, e: Event) {
        match e {
            Event::MappingNotify(n) if n.request == Mapping::KEYBOARD => self.load_mapping(),
            Event::KeyPress(k) => {
                self.held_keys.push(k.detail);
                let ks = self.keysym(k.detail, k.state);
                self.events.push(XEvent::KeyPress(ks, keysym_char(ks)));
            }
            Event::KeyRelease(k) => {
                self.held_keys.retain(|c| *c != k.detail);
                let ks = self.keysym(k.detail, k.state);
                self.events.push(XEvent::KeyRelease(ks, keysym_char(ks)));
            }
            Event::ButtonPress(b) => {
                self.held_buttons.push(b.detail);
                self.events
                    .push(XEvent::ButtonPress(b.detail, b.root_x, b.root_y));
            }
            Event::MotionNotify(m) => self.events.push(XEvent::Motion(m.root_x, m.root_y)),
            Event::ButtonRelease(b) => {
                self.held_buttons.retain(|c| *c != b.detail);
                self.events
                    .push(XEvent::ButtonRelease(b.detail, b.root_x, b.root_y));
            }
            _ => {}
        }
    }

    /// The text typed: characters of key presses, in order.
    pub fn typed(&self) -> String {
        self.events
            .iter()
            .filter_map(|e| match e {
                XEvent::KeyPress(_, c) => *c,
                _ => None,
            })
            .collect()
    }

    /// Whether any key or button is down (as this window saw it).
    pub fn holds_anything(&self) -> bool {
        !self.held_keys.is_empty() || !self.held_buttons.is_empty()
    }

    /// The pointer position in root coordinates.
    pub fn pointer(&self) -> (i16, i16) {
        let r = self.conn.query_pointer(self.root).unwrap().reply().unwrap();
        (r.root_x, r.root_y)
    }
}
