//! The X11 pointer as its own stream: XFIXES says when the displayed cursor changes (and
//! hands out its image), XInput 2 raw motion on the root window says when the pointer moved
//! (whichever window it is over, whoever moved it). Both are events on a connection of our
//! own, so an idle pointer costs one sleeping `poll(2)`; nothing is polled on a clock.
//!
//! `GetImage` (what the capturer reads) never contains the cursor sprite, so these updates
//! are the only way a viewer sees the pointer.

use std::time::{Duration, Instant};

use x11rb::connection::Connection;
use x11rb::protocol::xproto::{self, ConnectionExt as _, Window};
use x11rb::protocol::{Event, xfixes, xinput};
use x11rb::rust_connection::RustConnection;

use super::{Area, connect, has_extension, locate, lost, reply_err, wait_readable};
use crate::cursor::{CursorShape, CursorSource, CursorUpdate};
use crate::display::{DisplaySelection, Follower};
use crate::error::CaptureError;

/// Shortest time between two position updates. A viewer draws the remote pointer at its
/// display's rate (60 Hz for most), and each update costs the sharer about 110 µs of CPU
/// (wake, a round trip, SCTP, DTLS and UDP; measured at 60 moves a second on this 2-core VM),
/// so a 1000 Hz mouse is held to the rate a viewer can show: moves within 16 ms of the last
/// one wait for the interval, then the newest position goes out.
const MIN_MOVE_INTERVAL: Duration = Duration::from_millis(16);
/// Without XInput 2 (rare), the position is polled this often.
const POLL_INTERVAL: Duration = Duration::from_millis(33);

/// The pointer of an X display (or of one RandR monitor of it: positions are relative to
/// its top-left corner).
pub struct X11CursorSource {
    conn: RustConnection,
    root: Window,
    monitor: Option<String>,
    /// Switches of display during a share.
    follow: Follower,
    area: Area,
    /// XInput 2 raw motion selected; otherwise the position is polled.
    raw_motion: bool,
    serial: Option<u32>,
    position: Option<(i32, i32)>,
    moved: bool,
    shape_changed: bool,
    full: bool,
    geometry_stale: bool,
    last_move: Option<Instant>,
}

impl X11CursorSource {
    /// Connects to `display` (`None`: `$DISPLAY`) for the pointer over `monitor` (`None`:
    /// the root window). Needs XFIXES (for the image); XInput 2 is used when present.
    pub fn open(display: Option<&str>, monitor: Option<&str>) -> Result<Self, CaptureError> {
        Self::open_following(display, &DisplaySelection::new(monitor.map(str::to_string)))
    }

    /// Connects to `display` for the pointer over the RandR monitor `selection` names,
    /// switching whenever it changes (positions then count from the new monitor's corner,
    /// and the shape and position are sent again).
    pub fn open_following(
        display: Option<&str>,
        selection: &DisplaySelection,
    ) -> Result<Self, CaptureError> {
        let follow = selection.follow();
        let monitor = follow.current();
        let monitor = monitor.as_deref();
        let (conn, screen, name) = connect(display)?;
        let root = screen.root;
        if !has_extension(&conn, xfixes::X11_EXTENSION_NAME)? {
            return Err(CaptureError::Unsupported(format!(
                "X display {name} lacks XFIXES: no cursor image"
            )));
        }
        xfixes::query_version(&conn, 5, 0)
            .map_err(lost)?
            .reply()
            .map_err(reply_err("XFIXES QueryVersion"))?;
        xfixes::select_cursor_input(&conn, root, xfixes::CursorNotifyMask::DISPLAY_CURSOR)
            .map_err(lost)?;
        let raw_motion = has_extension(&conn, xinput::X11_EXTENSION_NAME)?
            && xinput::xi_query_version(&conn, 2, 2)
                .map_err(lost)?
                .reply()
                .is_ok_and(|v| v.major_version >= 2);
        if raw_motion {
            let mask = xinput::EventMask {
                deviceid: xinput::Device::ALL_MASTER.into(),
                mask: vec![xinput::XIEventMask::RAW_MOTION],
            };
            xinput::xi_select_events(&conn, root, &[mask])
                .map_err(lost)?
                .check()
                .map_err(reply_err("XISelectEvents"))?;
        } else {
            tracing::info!(display = %name, "no XInput 2: the pointer position is polled");
        }
        let events = xproto::ChangeWindowAttributesAux::new()
            .event_mask(xproto::EventMask::STRUCTURE_NOTIFY);
        conn.change_window_attributes(root, &events).map_err(lost)?;
        let (area, _) = locate(&conn, root, monitor)?;
        conn.flush().map_err(lost)?;
        Ok(Self {
            conn,
            root,
            monitor: monitor.map(str::to_string),
            follow,
            area,
            raw_motion,
            serial: None,
            position: None,
            moved: false,
            shape_changed: false,
            full: true,
            geometry_stale: false,
            last_move: None,
        })
    }

    /// Whether moves arrive as XInput 2 events (else they are polled).
    pub fn event_driven(&self) -> bool {
        self.raw_motion
    }

    fn drain_events(&mut self) -> Result<(), CaptureError> {
        while let Some(ev) = self.conn.poll_for_event().map_err(lost)? {
            match ev {
                Event::XfixesCursorNotify(_) => self.shape_changed = true,
                Event::XinputRawMotion(_) => self.moved = true,
                Event::ConfigureNotify(e) if e.window == self.root => self.geometry_stale = true,
                _ => {}
            }
        }
        Ok(())
    }

    /// Reads the image, serial and position (one round trip).
    fn read_image(&mut self, now: Instant) -> Result<CursorUpdate, CaptureError> {
        let r = xfixes::get_cursor_image(&self.conn)
            .map_err(lost)?
            .reply()
            .map_err(reply_err("XFIXES GetCursorImage"))?;
        let shape = if self.full || self.serial != Some(r.cursor_serial) {
            shape_of(&r)
        } else {
            None
        };
        Ok(CursorUpdate {
            serial: r.cursor_serial,
            shape,
            x: i32::from(r.x) - self.area.x,
            y: i32::from(r.y) - self.area.y,
            at: now,
        })
    }
}

/// The cursor image XFIXES reported, as straight RGBA (`None`: an empty or oversized image).
pub fn shape_of(r: &xfixes::GetCursorImageReply) -> Option<CursorShape> {
    CursorShape::from_premultiplied_argb(
        r.cursor_serial,
        r.width.into(),
        r.height.into(),
        r.xhot.into(),
        r.yhot.into(),
        &r.cursor_image,
    )
}

impl CursorSource for X11CursorSource {
    fn next(&mut self, deadline: Instant) -> Result<Option<CursorUpdate>, CaptureError> {
        loop {
            if let Some(monitor) = self.follow.changed() {
                self.monitor = monitor;
                self.geometry_stale = true;
            }
            self.drain_events()?;
            if self.geometry_stale {
                self.geometry_stale = false;
                let (area, _) = locate(&self.conn, self.root, self.monitor.as_deref())?;
                self.full |= area != self.area;
                self.area = area;
            }
            let now = Instant::now();
            let poll_due =
                !self.raw_motion && self.last_move.is_none_or(|t| now >= t + POLL_INTERVAL);
            let move_due = self.last_move.is_none_or(|t| now >= t + MIN_MOVE_INTERVAL);
            if self.full || self.shape_changed {
                let update = self.read_image(now)?;
                let first = self.full;
                self.full = false;
                self.shape_changed = false;
                self.moved = false;
                self.last_move = Some(now);
                let position = Some((update.x, update.y));
                if first || update.shape.is_some() || position != self.position {
                    self.serial = Some(update.serial);
                    self.position = position;
                    return Ok(Some(update));
                }
            } else if (self.moved && move_due) || poll_due {
                self.moved = false;
                self.last_move = Some(now);
                let p = self
                    .conn
                    .query_pointer(self.root)
                    .map_err(lost)?
                    .reply()
                    .map_err(reply_err("QueryPointer"))?;
                let position = (
                    i32::from(p.root_x) - self.area.x,
                    i32::from(p.root_y) - self.area.y,
                );
                if let (Some(serial), true) = (self.serial, Some(position) != self.position) {
                    self.position = Some(position);
                    return Ok(Some(CursorUpdate {
                        shape: None,
                        serial,
                        x: position.0,
                        y: position.1,
                        at: now,
                    }));
                }
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            // A move held back by the rate limit, or the next poll, wakes us sooner.
            let mut wake = deadline;
            if let Some(t) = self.last_move {
                if self.moved {
                    wake = wake.min(t + MIN_MOVE_INTERVAL);
                } else if !self.raw_motion {
                    wake = wake.min(t + POLL_INTERVAL);
                }
            }
            if wake > now {
                wait_readable(&self.conn, wake - now)?;
            }
        }
    }

    fn request_full(&mut self) {
        self.full = true;
    }
}
