//! [`WaylandCursorSource`]: the pointer's position and image from the screen-cast stream's
//! cursor metadata (frames are recorded without the pointer, as on X11), behind the
//! [`CursorSource`] trait. The PipeWire thread updates the shared [`WaylandSession`]; this
//! waits on it, so an idle pointer costs nothing.
#![forbid(unsafe_code)]

use std::sync::Arc;
use std::time::Instant;

use super::WaylandSession;
use crate::cursor::{CursorSource, CursorUpdate};
use crate::error::CaptureError;

/// The pointer of a [`WaylandSession`]'s stream.
pub struct WaylandCursorSource {
    session: Arc<WaylandSession>,
    /// Generation of the pointer state last handed out.
    seen: u64,
    /// Serial of the shape last handed out (0: none yet).
    sent_serial: u32,
    full: bool,
}

impl WaylandCursorSource {
    /// Follows the pointer of `session` (whose capturer must be running for metadata to
    /// arrive).
    pub fn new(session: Arc<WaylandSession>) -> Self {
        Self {
            session,
            seen: u64::MAX,
            sent_serial: 0,
            full: true,
        }
    }
}

impl CursorSource for WaylandCursorSource {
    fn next(&mut self, deadline: Instant) -> Result<Option<CursorUpdate>, CaptureError> {
        let seen = if self.full { u64::MAX } else { self.seen };
        let s = self.session.wait_pointer(seen, deadline);
        if s.generation == self.seen && !self.full {
            return Ok(None);
        }
        // Nothing to say until the stream has placed the pointer.
        let Some((x, y)) = s.position else {
            self.seen = s.generation;
            return Ok(None);
        };
        let serial = s.shape.as_ref().map_or(0, |c| c.serial);
        let shape = s
            .shape
            .as_ref()
            .filter(|_| self.full || serial != self.sent_serial)
            .cloned();
        let at = s.at.unwrap_or_else(Instant::now);
        self.seen = s.generation;
        drop(s);
        self.full = false;
        if shape.is_some() {
            self.sent_serial = serial;
        }
        Ok(Some(CursorUpdate {
            shape,
            serial,
            x,
            y,
            at,
        }))
    }

    fn request_full(&mut self) {
        self.full = true;
    }
}
