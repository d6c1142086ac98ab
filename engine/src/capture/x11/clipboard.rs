//! The X11 clipboard ([`crate::clipboard`]): the `CLIPBOARD` selection, as ICCCM has a
//! client own and read it, on a connection and an unmapped window of our own.
//!
//! - **Reading.** XFIXES tells us when another client takes `CLIPBOARD` (a copy); we then
//!   ask the owner for `UTF8_STRING` into a property of our window and read it. What was on
//!   the clipboard before the share started is never read: only copies made during it.
//! - **Writing.** We take ownership of `CLIPBOARD` (and `PRIMARY` when asked) and answer
//!   other clients' `SelectionRequest`s with `TARGETS`, `UTF8_STRING`, `TEXT` or (Latin-1
//!   text only) `STRING`, until another client takes the selection.
//! - **Limits.** [`MAX_CLIPBOARD_BYTES`] both ways; larger transfers (`INCR`, or more data
//!   than asked for) are refused, not truncated.

use std::time::Instant;

use x11rb::connection::Connection;
use x11rb::protocol::Event;
use x11rb::protocol::xfixes::{self, ConnectionExt as _};
use x11rb::protocol::xproto::{
    self, Atom, AtomEnum, ConnectionExt as _, CreateWindowAux, EventMask, PropMode,
    SelectionNotifyEvent, SelectionRequestEvent, Window, WindowClass,
};
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;

use super::{connect, has_extension, id_err, lost, reply_err, wait_readable};
use crate::clipboard::{Clipboard, MAX_CLIPBOARD_BYTES, check_size};
use crate::error::CaptureError;

x11rb::atom_manager! {
    Atoms: AtomsCookie {
        CLIPBOARD,
        UTF8_STRING,
        TARGETS,
        TEXT,
        INCR,
        GLASS_CLIPBOARD,
    }
}

/// The `CLIPBOARD` selection of one X display.
pub struct X11Clipboard {
    conn: RustConnection,
    window: Window,
    atoms: Atoms,
    /// Also take `PRIMARY` when text arrives.
    primary: bool,
    /// The text we serve while we own a selection.
    owned: Option<String>,
    owns_clipboard: bool,
    owns_primary: bool,
    /// Copies refused for their size or type (never their text).
    refused: u64,
}

impl X11Clipboard {
    /// Connects to `display` (`None`: `$DISPLAY`). Needs XFIXES (to hear of copies).
    pub fn open(display: Option<&str>, primary: bool) -> Result<Self, CaptureError> {
        let (conn, screen, name) = connect(display)?;
        if !has_extension(&conn, xfixes::X11_EXTENSION_NAME)? {
            return Err(CaptureError::Unsupported(format!(
                "X display {name} lacks XFIXES: no clipboard"
            )));
        }
        conn.xfixes_query_version(5, 0)
            .map_err(lost)?
            .reply()
            .map_err(reply_err("XFIXES QueryVersion"))?;
        let atoms = Atoms::new(&conn)
            .map_err(lost)?
            .reply()
            .map_err(reply_err("InternAtom"))?;
        let window = conn.generate_id().map_err(id_err)?;
        conn.create_window(
            x11rb::COPY_DEPTH_FROM_PARENT,
            window,
            screen.root,
            -1,
            -1,
            1,
            1,
            0,
            WindowClass::INPUT_OUTPUT,
            x11rb::COPY_FROM_PARENT,
            &CreateWindowAux::new().event_mask(EventMask::PROPERTY_CHANGE),
        )
        .map_err(lost)?;
        conn.xfixes_select_selection_input(
            window,
            atoms.CLIPBOARD,
            xfixes::SelectionEventMask::SET_SELECTION_OWNER,
        )
        .map_err(lost)?
        .check()
        .map_err(reply_err("XFIXES SelectSelectionInput"))?;
        conn.flush().map_err(lost)?;
        Ok(Self {
            conn,
            window,
            atoms,
            primary,
            owned: None,
            owns_clipboard: false,
            owns_primary: false,
            refused: 0,
        })
    }

    /// Copies refused for their size or type so far.
    pub fn refused(&self) -> u64 {
        self.refused
    }

    /// Handles one event; returns the text of a copy made elsewhere once it arrives.
    fn handle(&mut self, event: Event) -> Result<Option<String>, CaptureError> {
        match event {
            Event::XfixesSelectionNotify(e)
                if e.selection == self.atoms.CLIPBOARD
                    && e.owner != self.window
                    && e.owner != x11rb::NONE =>
            {
                // Someone copied: ask them for the text.
                self.conn
                    .convert_selection(
                        self.window,
                        self.atoms.CLIPBOARD,
                        self.atoms.UTF8_STRING,
                        self.atoms.GLASS_CLIPBOARD,
                        e.selection_timestamp,
                    )
                    .map_err(lost)?;
                self.conn.flush().map_err(lost)?;
            }
            Event::SelectionNotify(e)
                if e.requestor == self.window && e.selection == self.atoms.CLIPBOARD =>
            {
                if e.property == x11rb::NONE {
                    return Ok(None); // the owner has no text
                }
                return self.read_property();
            }
            Event::SelectionRequest(e) => self.serve(&e)?,
            Event::SelectionClear(e) if e.owner == self.window => {
                if e.selection == self.atoms.CLIPBOARD {
                    self.owns_clipboard = false;
                } else if e.selection == Atom::from(AtomEnum::PRIMARY) {
                    self.owns_primary = false;
                }
                if !self.owns_clipboard && !self.owns_primary {
                    self.owned = None;
                }
            }
            _ => {}
        }
        Ok(None)
    }

    /// Reads (and deletes) the property the owner wrote the text into.
    fn read_property(&mut self) -> Result<Option<String>, CaptureError> {
        let longs = (MAX_CLIPBOARD_BYTES / 4 + 1) as u32;
        let reply = self
            .conn
            .get_property(
                true,
                self.window,
                self.atoms.GLASS_CLIPBOARD,
                AtomEnum::ANY,
                0,
                longs,
            )
            .map_err(lost)?
            .reply()
            .map_err(reply_err("GetProperty"))?;
        let too_large = reply.type_ == self.atoms.INCR
            || reply.bytes_after > 0
            || reply.value.len() > MAX_CLIPBOARD_BYTES;
        if too_large || reply.format != 8 {
            if reply.bytes_after > 0 {
                // Not deleted by a partial read: drop the rest.
                self.conn
                    .delete_property(self.window, self.atoms.GLASS_CLIPBOARD)
                    .map_err(lost)?;
            }
            self.refused += 1;
            tracing::debug!(
                bytes = reply.value.len() as u64 + u64::from(reply.bytes_after),
                "clipboard copy not taken: too large or not text"
            );
            return Ok(None);
        }
        let text = if reply.type_ == Atom::from(AtomEnum::STRING) {
            reply.value.iter().map(|&b| char::from(b)).collect() // Latin-1
        } else {
            match String::from_utf8(reply.value) {
                Ok(t) => t,
                Err(_) => {
                    self.refused += 1;
                    return Ok(None);
                }
            }
        };
        Ok(Some(text))
    }

    /// Answers another client's request for what we own.
    fn serve(&mut self, e: &SelectionRequestEvent) -> Result<(), CaptureError> {
        // Obsolete clients name no property: use the target (ICCCM 2.2).
        let property = if e.property == x11rb::NONE {
            e.target
        } else {
            e.property
        };
        let ours = (e.selection == self.atoms.CLIPBOARD && self.owns_clipboard)
            || (e.selection == Atom::from(AtomEnum::PRIMARY) && self.owns_primary);
        let text = self.owned.as_deref().filter(|_| ours);
        let answered = match text {
            None => false,
            Some(_) if e.target == self.atoms.TARGETS => {
                let targets = [
                    self.atoms.TARGETS,
                    self.atoms.UTF8_STRING,
                    self.atoms.TEXT,
                    AtomEnum::STRING.into(),
                ];
                self.conn
                    .change_property32(
                        PropMode::REPLACE,
                        e.requestor,
                        property,
                        AtomEnum::ATOM,
                        &targets,
                    )
                    .map_err(lost)?;
                true
            }
            Some(t) if e.target == self.atoms.UTF8_STRING || e.target == self.atoms.TEXT => {
                self.conn
                    .change_property8(
                        PropMode::REPLACE,
                        e.requestor,
                        property,
                        self.atoms.UTF8_STRING,
                        t.as_bytes(),
                    )
                    .map_err(lost)?;
                true
            }
            Some(t) if e.target == Atom::from(AtomEnum::STRING) => {
                match t.chars().map(u8::try_from).collect::<Result<Vec<u8>, _>>() {
                    Ok(latin1) => {
                        self.conn
                            .change_property8(
                                PropMode::REPLACE,
                                e.requestor,
                                property,
                                AtomEnum::STRING,
                                &latin1,
                            )
                            .map_err(lost)?;
                        true
                    }
                    Err(_) => false, // not Latin-1: the client asks again for UTF8_STRING
                }
            }
            Some(_) => false,
        };
        let notify = SelectionNotifyEvent {
            response_type: xproto::SELECTION_NOTIFY_EVENT,
            sequence: 0,
            time: e.time,
            requestor: e.requestor,
            selection: e.selection,
            target: e.target,
            property: if answered { property } else { x11rb::NONE },
        };
        self.conn
            .send_event(false, e.requestor, EventMask::NO_EVENT, notify)
            .map_err(lost)?;
        self.conn.flush().map_err(lost)?;
        Ok(())
    }
}

impl Clipboard for X11Clipboard {
    fn next(&mut self, deadline: Instant) -> Result<Option<String>, CaptureError> {
        loop {
            while let Some(event) = self.conn.poll_for_event().map_err(lost)? {
                if let Some(text) = self.handle(event)? {
                    return Ok(Some(text));
                }
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            wait_readable(&self.conn, deadline - now)?;
        }
    }

    fn set_text(&mut self, text: &str) -> Result<(), CaptureError> {
        check_size(text)?;
        self.owned = Some(text.to_owned());
        let mut selections = vec![self.atoms.CLIPBOARD];
        if self.primary {
            selections.push(AtomEnum::PRIMARY.into());
        }
        for &selection in &selections {
            self.conn
                .set_selection_owner(self.window, selection, x11rb::CURRENT_TIME)
                .map_err(lost)?;
        }
        for selection in selections {
            let owner = self
                .conn
                .get_selection_owner(selection)
                .map_err(lost)?
                .reply()
                .map_err(reply_err("GetSelectionOwner"))?
                .owner;
            let ours = owner == self.window;
            if selection == self.atoms.CLIPBOARD {
                self.owns_clipboard = ours;
                if !ours {
                    return Err(CaptureError::Backend(
                        "the X server did not give us the CLIPBOARD selection".into(),
                    ));
                }
            } else {
                self.owns_primary = ours;
            }
        }
        Ok(())
    }
}
