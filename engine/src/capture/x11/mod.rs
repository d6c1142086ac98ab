//! X11 capture: MIT-SHM `GetImage` of the root window (or one RandR monitor of it), driven
//! by DAMAGE so an unchanged screen costs one `poll(2)`.
//!
//! # Design
//! - **Change-driven.** A DAMAGE object on the root reports (at level `NonEmpty`) that
//!   something changed; `capture` then moves the accumulated damage into an XFIXES region
//!   (`DamageSubtract`, which also re-arms the report), fetches its rectangles, clips them to
//!   the monitor and reads the pixels. With nothing to report it sleeps in `poll(2)` on the
//!   connection until an event arrives or the deadline passes.
//! - **Zero-copy-ish.** The server writes the image straight into a SysV segment that becomes
//!   the frame's storage. Segments come from a small pool and are reused only when no frame
//!   refers to them any more; when the pool is exhausted the frame is skipped (and counted)
//!   rather than allocating without bound. Remote servers (no MIT-SHM) fall back to a plain
//!   `GetImage` copied into a [`FramePool`] buffer.
//! - **Resizes.** Root `ConfigureNotify` and RandR change events (or a failed `GetImage`)
//!   make the capturer re-read its geometry; a new size gets new segments and a full frame.
//!   A monitor that disappears makes `capture` fail with [`CaptureError::NoSuchDisplay`].
//! - Without DAMAGE (rare) every `capture` returns a full frame at once with `damage: None`.

mod clipboard;
mod cursor;
mod shm;
mod window;

pub use self::clipboard::X11Clipboard;
pub use self::cursor::{X11CursorSource, shape_of as cursor_shape_of};
pub use self::window::{SceneWindow, SceneWindowConfig};

use std::os::fd::AsRawFd;
use std::sync::Arc;
use std::time::{Duration, Instant};

use glass_codecs::{
    DamageList, FramePool, PixelFormat, PixelStorage, Plane, Rect, StageTimes, VideoFrame,
};
use x11rb::connection::{Connection, RequestConnection};
use x11rb::errors::{ConnectionError, ReplyError, ReplyOrIdError};
use x11rb::protocol::xproto::{
    self, ConnectionExt as _, ImageFormat, ImageOrder, VisualClass, Window,
};
use x11rb::protocol::{Event, damage, randr, shm as xshm, xfixes};
use x11rb::rust_connection::RustConnection;

use self::shm::ShmSegment;
use super::{CaptureInfo, Capturer, DisplayInfo};
use crate::display::{DisplaySelection, Follower};
use crate::error::CaptureError;

/// Segments kept for reuse while frames are in flight.
const SHM_POOL_TARGET: usize = 3;
/// Most segments in flight at once; beyond this frames are skipped.
const SHM_POOL_MAX: usize = 6;
/// Heap buffers for the non-SHM fallback.
const PLAIN_POOL_MAX: usize = 6;
/// How often to look for a freed segment while all are in use.
const POOL_RETRY: Duration = Duration::from_millis(2);

/// The mouse cursor as XFIXES reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorImage {
    /// Pointer position relative to the captured area's top-left corner (may be outside it).
    pub x: i32,
    /// See `x`.
    pub y: i32,
    /// Image width.
    pub width: u32,
    /// Image height.
    pub height: u32,
    /// Hotspot within the image.
    pub hot_x: u32,
    /// See `hot_x`.
    pub hot_y: u32,
    /// Changes whenever the cursor image changes.
    pub serial: u32,
    /// `width * height` premultiplied ARGB pixels (`0xAARRGGBB`), row by row.
    pub pixels: Vec<u32>,
}

/// A rectangle in root-window coordinates (may have a negative origin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Area {
    pub(crate) x: i32,
    pub(crate) y: i32,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

impl Area {
    /// The part of the root-space rectangle `(x, y, w, h)` inside `self`, in coordinates
    /// relative to `self`'s origin (empty when they do not overlap).
    fn clip_local(&self, x: i32, y: i32, w: u32, h: u32) -> Rect {
        let (x0, y0) = (
            i64::from(x).max(i64::from(self.x)),
            i64::from(y).max(i64::from(self.y)),
        );
        let x1 = (i64::from(x) + i64::from(w)).min(i64::from(self.x) + i64::from(self.width));
        let y1 = (i64::from(y) + i64::from(h)).min(i64::from(self.y) + i64::from(self.height));
        if x1 <= x0 || y1 <= y0 {
            return Rect::default();
        }
        // In range: 0 ≤ x0 - self.x < self.width ≤ u32::MAX, likewise for the rest.
        Rect::new(
            (x0 - i64::from(self.x)) as u32,
            (y0 - i64::from(self.y)) as u32,
            (x1 - x0) as u32,
            (y1 - y0) as u32,
        )
    }

    /// Whether `X GetImage` can address it (16-bit coordinates and sizes).
    fn fits_x11(&self) -> bool {
        i16::try_from(self.x).is_ok()
            && i16::try_from(self.y).is_ok()
            && u16::try_from(self.width).is_ok()
            && u16::try_from(self.height).is_ok()
    }

    fn bytes(&self) -> usize {
        self.width as usize * self.height as usize * 4
    }
}

/// Adds the X rectangles, clipped to `area` and made relative to it, to `list`.
fn push_clipped(list: &mut DamageList, area: &Area, rects: &[xproto::Rectangle]) {
    for r in rects {
        list.push(area.clip_local(r.x.into(), r.y.into(), r.width.into(), r.height.into()));
    }
}

/// Where frames are written.
enum Buffers {
    /// MIT-SHM segments attached to the server.
    Shm(Vec<Arc<ShmSegment>>),
    /// No MIT-SHM: heap buffers filled from `GetImage` replies.
    Plain(FramePool),
}

/// DAMAGE state: the damage object and the region its damage is moved into.
#[derive(Clone, Copy)]
struct DamageObjects {
    damage: damage::Damage,
    region: xfixes::Region,
}

/// Captures an X11 screen or one RandR monitor of it. See the [module docs](self).
pub struct X11Capturer {
    conn: RustConnection,
    root: Window,
    display_name: String,
    /// Requested monitor (RandR monitor name); `None` is the whole root window.
    monitor: Option<String>,
    /// Switches of display during a share.
    follow: Follower,
    area: Area,
    primary: bool,
    format: PixelFormat,
    buffers: Buffers,
    damage: Option<DamageObjects>,
    xfixes: bool,
    next_id: u64,
    /// The next frame must be full (first frame, after a resize, on request).
    full_pending: bool,
    /// A DamageNotify arrived since the damage was last moved out.
    dirty: bool,
    /// When the first such DamageNotify was read (the pipeline's frame-rate cap learns a
    /// periodic source's phase from it).
    dirty_since: Option<Instant>,
    /// A RandR event says the geometry may have changed.
    geometry_stale: bool,
    skipped: u64,
}

pub(crate) fn lost(e: ConnectionError) -> CaptureError {
    CaptureError::Backend(format!("X connection failed: {e}"))
}

pub(crate) fn reply_err(what: &str) -> impl Fn(ReplyError) -> CaptureError + '_ {
    move |e| match e {
        ReplyError::ConnectionError(e) => lost(e),
        ReplyError::X11Error(e) => {
            CaptureError::Backend(format!("{what}: X error {:?}", e.error_kind))
        }
    }
}

pub(crate) fn id_err(e: ReplyOrIdError) -> CaptureError {
    CaptureError::Backend(format!(
        "X resource ids exhausted or connection failed: {e}"
    ))
}

/// Blocks until `conn` is readable or `timeout` passes.
pub(crate) fn wait_readable(conn: &RustConnection, timeout: Duration) -> Result<(), CaptureError> {
    let mut pfd = libc::pollfd {
        fd: conn.stream().as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // Round up so a sub-millisecond remainder sleeps rather than spins.
    let ms = timeout.as_micros().div_ceil(1000).min(i32::MAX as u128) as libc::c_int;
    // SAFETY: `pfd` is a valid pollfd that outlives the call, and nfds is 1.
    let r = unsafe { libc::poll(&mut pfd, 1, ms) };
    if r < 0 {
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(CaptureError::Backend(format!(
                "poll on the X connection failed: {e}"
            )));
        }
    }
    Ok(())
}

/// Connects to `display` (`None`: `$DISPLAY`): the connection, its default screen and the
/// display's name for messages.
pub(crate) fn connect(
    display: Option<&str>,
) -> Result<(RustConnection, xproto::Screen, String), CaptureError> {
    let name = match display {
        Some(d) => d.to_string(),
        None => match std::env::var("DISPLAY") {
            Ok(d) if !d.is_empty() => d,
            _ => {
                return Err(CaptureError::Connect(
                    "no X display given and DISPLAY is not set".into(),
                ));
            }
        },
    };
    let (conn, screen_num) = RustConnection::connect(Some(&name))
        .map_err(|e| CaptureError::Connect(format!("X display {name}: {e}")))?;
    let screen = conn.setup().roots.get(screen_num).cloned().ok_or_else(|| {
        CaptureError::NoSuchDisplay(format!("X display {name} has no screen {screen_num}"))
    })?;
    Ok((conn, screen, name))
}

pub(crate) fn has_extension(
    conn: &RustConnection,
    name: &'static str,
) -> Result<bool, CaptureError> {
    Ok(conn.extension_information(name).map_err(lost)?.is_some())
}

/// One RandR 1.5 monitor.
struct Monitor {
    name: String,
    area: Area,
    primary: bool,
}

/// The RandR 1.5 monitors, or `None` when the server lacks RandR 1.5.
fn randr_monitors(
    conn: &RustConnection,
    root: Window,
) -> Result<Option<Vec<Monitor>>, CaptureError> {
    if !has_extension(conn, randr::X11_EXTENSION_NAME)? {
        return Ok(None);
    }
    let v = randr::query_version(conn, 1, 5)
        .map_err(lost)?
        .reply()
        .map_err(reply_err("RandR QueryVersion"))?;
    if (v.major_version, v.minor_version) < (1, 5) {
        return Ok(None);
    }
    let reply = randr::get_monitors(conn, root, true)
        .map_err(lost)?
        .reply()
        .map_err(reply_err("RandR GetMonitors"))?;
    // Send every name lookup before waiting for any: one round trip.
    let cookies = reply
        .monitors
        .iter()
        .map(|m| conn.get_atom_name(m.name))
        .collect::<Result<Vec<_>, _>>()
        .map_err(lost)?;
    let mut out = Vec::with_capacity(cookies.len());
    for (m, c) in reply.monitors.iter().zip(cookies) {
        let name = c.reply().map_err(reply_err("GetAtomName"))?.name;
        out.push(Monitor {
            name: String::from_utf8_lossy(&name).into_owned(),
            area: Area {
                x: m.x.into(),
                y: m.y.into(),
                width: m.width.into(),
                height: m.height.into(),
            },
            primary: m.primary,
        });
    }
    Ok(Some(out))
}

fn root_area(conn: &RustConnection, root: Window) -> Result<Area, CaptureError> {
    let g = conn
        .get_geometry(root)
        .map_err(lost)?
        .reply()
        .map_err(reply_err("GetGeometry(root)"))?;
    Ok(Area {
        x: 0,
        y: 0,
        width: g.width.into(),
        height: g.height.into(),
    })
}

/// Current geometry of the requested monitor (or the root) and whether it is primary.
pub(crate) fn locate(
    conn: &RustConnection,
    root: Window,
    monitor: Option<&str>,
) -> Result<(Area, bool), CaptureError> {
    let Some(want) = monitor else {
        return Ok((root_area(conn, root)?, true));
    };
    let Some(monitors) = randr_monitors(conn, root)? else {
        return Err(CaptureError::NoSuchDisplay(format!(
            "monitor {want:?}: picking a monitor needs RandR 1.5, which this X server lacks"
        )));
    };
    if let Some(m) = monitors.iter().find(|m| m.name == want) {
        return Ok((m.area, m.primary));
    }
    let names: Vec<&str> = monitors.iter().map(|m| m.name.as_str()).collect();
    Err(CaptureError::NoSuchDisplay(format!(
        "no RandR monitor {want:?} (monitors: {})",
        names.join(", ")
    )))
}

/// Checks the root visual is little-endian 8-bit BGR(X/A) in 32-bit pixels.
fn pixel_format(
    conn: &RustConnection,
    screen: &xproto::Screen,
) -> Result<PixelFormat, CaptureError> {
    let setup = conn.setup();
    let depth = screen.root_depth;
    let visual = screen
        .allowed_depths
        .iter()
        .filter(|d| d.depth == depth)
        .flat_map(|d| &d.visuals)
        .find(|v| v.visual_id == screen.root_visual);
    let bpp = setup
        .pixmap_formats
        .iter()
        .find(|f| f.depth == depth)
        .map(|f| f.bits_per_pixel);
    let ok = matches!(visual, Some(v) if v.class == VisualClass::TRUE_COLOR
            && (v.red_mask, v.green_mask, v.blue_mask) == (0xff_0000, 0xff00, 0xff))
        && bpp == Some(32)
        && setup.image_byte_order == ImageOrder::LSB_FIRST;
    match (ok, depth) {
        (true, 24) => Ok(PixelFormat::Bgrx),
        (true, 32) => Ok(PixelFormat::Bgra),
        _ => Err(CaptureError::Unsupported(format!(
            "X root visual must be 24/32-bit TrueColor BGRX little-endian; this one is depth {depth}, {} bpp, masks {:?}, {:?}",
            bpp.unwrap_or(0),
            visual.map(|v| (v.red_mask, v.green_mask, v.blue_mask)),
            setup.image_byte_order
        ))),
    }
}

impl X11Capturer {
    /// Opens X display `display` (`None`: `$DISPLAY`) and captures the RandR monitor named
    /// `monitor`, or the whole root window when `None`.
    pub fn open(display: Option<&str>, monitor: Option<&str>) -> Result<Self, CaptureError> {
        let selection = DisplaySelection::new(monitor.map(str::to_string));
        Self::open_following(display, &selection)
    }

    /// Opens X display `display` and captures the RandR monitor `selection` names (the root
    /// window when `None`), switching whenever it changes.
    pub fn open_following(
        display: Option<&str>,
        selection: &DisplaySelection,
    ) -> Result<Self, CaptureError> {
        let follow = selection.follow();
        let monitor = follow.current();
        let monitor = monitor.as_deref();
        let (conn, screen, display_name) = connect(display)?;
        let root = screen.root;
        let format = pixel_format(&conn, &screen)?;
        let has_randr = has_extension(&conn, randr::X11_EXTENSION_NAME)?;
        let (area, primary) = locate(&conn, root, monitor)?;

        // XFIXES: regions for DAMAGE, cursor images. Optional. Cursor changes are not
        // selected: frames never contain the pointer, which has a stream of its own
        // (`X11CursorSource`), so a new shape need not wake the capture.
        let xfixes = has_extension(&conn, xfixes::X11_EXTENSION_NAME)?
            && xfixes::query_version(&conn, 5, 0)
                .map_err(lost)?
                .reply()
                .is_ok();
        // Root ConfigureNotify covers root resizes and RandR 1.5 monitor (re)definitions,
        // which send no RandR event; RandR events cover CRTC moves at a constant root size.
        let events = xproto::ChangeWindowAttributesAux::new()
            .event_mask(xproto::EventMask::STRUCTURE_NOTIFY);
        conn.change_window_attributes(root, &events).map_err(lost)?;
        if has_randr {
            let mask = randr::NotifyMask::SCREEN_CHANGE
                | randr::NotifyMask::CRTC_CHANGE
                | randr::NotifyMask::OUTPUT_CHANGE;
            randr::select_input(&conn, root, mask).map_err(lost)?;
        }
        let damage = if xfixes && has_extension(&conn, damage::X11_EXTENSION_NAME)? {
            damage::query_version(&conn, 1, 1)
                .map_err(lost)?
                .reply()
                .map_err(reply_err("DAMAGE QueryVersion"))?;
            let d = DamageObjects {
                damage: conn.generate_id().map_err(id_err)?,
                region: conn.generate_id().map_err(id_err)?,
            };
            xfixes::create_region(&conn, d.region, &[]).map_err(lost)?;
            damage::create(&conn, d.damage, root, damage::ReportLevel::NON_EMPTY)
                .map_err(lost)?
                .check()
                .map_err(reply_err("DAMAGE Create"))?;
            Some(d)
        } else {
            None
        };

        let mut this = Self {
            conn,
            root,
            display_name,
            monitor: monitor.map(str::to_string),
            follow,
            area,
            primary,
            format,
            buffers: Buffers::Shm(Vec::new()),
            damage,
            xfixes,
            next_id: 0,
            full_pending: true,
            dirty: false,
            dirty_since: None,
            geometry_stale: false,
            skipped: 0,
        };
        this.set_area(area)?;
        if matches!(this.buffers, Buffers::Shm(_)) && !this.shm_usable()? {
            tracing::info!(display = %this.display_name, "MIT-SHM unavailable, using plain GetImage");
            this.buffers = Buffers::Plain(FramePool::new(
                format,
                area.width,
                area.height,
                PLAIN_POOL_MAX,
            ));
        }
        Ok(this)
    }

    /// Frames skipped because every buffer was still held downstream.
    pub fn skipped_frames(&self) -> u64 {
        self.skipped
    }

    /// The current cursor image and position, or `None` without XFIXES (or on an X error).
    pub fn cursor(&mut self) -> Option<CursorImage> {
        if !self.xfixes {
            return None;
        }
        let r = xfixes::get_cursor_image(&self.conn).ok()?.reply().ok()?;
        Some(CursorImage {
            x: i32::from(r.x) - self.area.x,
            y: i32::from(r.y) - self.area.y,
            width: r.width.into(),
            height: r.height.into(),
            hot_x: r.xhot.into(),
            hot_y: r.yhot.into(),
            serial: r.cursor_serial,
            pixels: r.cursor_image,
        })
    }

    /// Switches to capturing `area`: validates it and drops segments of the old size.
    fn set_area(&mut self, area: Area) -> Result<(), CaptureError> {
        if area.width == 0 || area.height == 0 || !area.fits_x11() {
            return Err(CaptureError::NoSuchDisplay(format!(
                "{} on X display {} has unusable geometry {}x{}{:+}{:+}",
                self.monitor.as_deref().unwrap_or("root window"),
                self.display_name,
                area.width,
                area.height,
                area.x,
                area.y
            )));
        }
        self.area = area;
        match &mut self.buffers {
            Buffers::Shm(segs) => {
                for s in segs.drain(..) {
                    // The server's mapping goes now; ours when the last frame using it drops.
                    xshm::detach(&self.conn, s.xid).map_err(lost)?;
                }
            }
            Buffers::Plain(pool) => {
                *pool = FramePool::new(self.format, area.width, area.height, PLAIN_POOL_MAX)
            }
        }
        self.full_pending = true;
        Ok(())
    }

    /// Whether the server can attach our segments (not when remote or in another IPC
    /// namespace). Leaves one attached segment in the pool when it can.
    fn shm_usable(&mut self) -> Result<bool, CaptureError> {
        if !has_extension(&self.conn, xshm::X11_EXTENSION_NAME)?
            || xshm::query_version(&self.conn)
                .map_err(lost)?
                .reply()
                .is_err()
        {
            return Ok(false);
        }
        match self.new_segment() {
            Ok(seg) => {
                if let Buffers::Shm(segs) = &mut self.buffers {
                    segs.push(seg);
                }
                Ok(true)
            }
            Err(CaptureError::Backend(e)) => {
                tracing::debug!("MIT-SHM probe failed: {e}");
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Creates a segment for the current area and attaches it (checked).
    fn new_segment(&self) -> Result<Arc<ShmSegment>, CaptureError> {
        let xid = self.conn.generate_id().map_err(id_err)?;
        let seg = ShmSegment::new(self.area.bytes(), xid).map_err(|e| {
            CaptureError::Backend(format!(
                "cannot create a {} byte shared-memory segment: {e}",
                self.area.bytes()
            ))
        })?;
        xshm::attach(&self.conn, xid, seg.shmid(), false)
            .map_err(lost)?
            .check()
            .map_err(reply_err("MIT-SHM Attach"))?;
        Ok(Arc::new(seg))
    }

    /// A segment no frame refers to, a new one while under the cap, or `None`.
    fn free_segment(&mut self) -> Result<Option<Arc<ShmSegment>>, CaptureError> {
        let Buffers::Shm(segs) = &self.buffers else {
            return Ok(None);
        };
        if let Some(s) = segs.iter().find(|s| Arc::strong_count(s) == 1) {
            return Ok(Some(s.clone()));
        }
        if segs.len() >= SHM_POOL_MAX {
            return Ok(None);
        }
        let seg = self.new_segment()?;
        if let Buffers::Shm(segs) = &mut self.buffers {
            segs.push(seg.clone());
            if segs.len() > SHM_POOL_TARGET {
                tracing::debug!(
                    segments = segs.len(),
                    "MIT-SHM pool grew: frames are held downstream"
                );
            }
        }
        Ok(Some(seg))
    }

    /// Handles queued events without blocking.
    fn drain_events(&mut self) -> Result<(), CaptureError> {
        self.conn.flush().map_err(lost)?;
        while let Some(ev) = self.conn.poll_for_event().map_err(lost)? {
            match ev {
                Event::DamageNotify(_) => {
                    if !self.dirty {
                        self.dirty_since = Some(Instant::now());
                    }
                    self.dirty = true
                }
                Event::RandrScreenChangeNotify(_) | Event::RandrNotify(_) => {
                    self.geometry_stale = true
                }
                Event::ConfigureNotify(e) if e.window == self.root => self.geometry_stale = true,
                Event::Error(e) => {
                    tracing::warn!(error = ?e.error_kind, major = e.major_opcode, minor = e.minor_opcode, "X error")
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Takes up a switch of display (full frame next).
    fn follow_selection(&mut self) {
        if let Some(monitor) = self.follow.changed() {
            tracing::info!(from = ?self.monitor, to = ?monitor, "X capture switches display");
            self.monitor = monitor;
            self.geometry_stale = true;
            self.full_pending = true;
        }
    }

    /// Re-reads the geometry; on a change switches to it (full frame next).
    fn refresh_geometry(&mut self) -> Result<bool, CaptureError> {
        self.geometry_stale = false;
        let (area, primary) = locate(&self.conn, self.root, self.monitor.as_deref())?;
        self.primary = primary;
        if area == self.area {
            return Ok(false);
        }
        tracing::info!(old = ?self.area, new = ?area, "X capture area changed");
        self.set_area(area)?;
        Ok(true)
    }

    /// Blocks until the connection is readable or `timeout` passes.
    fn wait_readable(&self, timeout: Duration) -> Result<(), CaptureError> {
        wait_readable(&self.conn, timeout)
    }

    /// Moves the accumulated damage out (re-arming the report) and returns it clipped to the
    /// capture area; `None` discards it (for a full frame).
    fn take_damage(&mut self, keep: bool) -> Result<Option<DamageList>, CaptureError> {
        let Some(d) = self.damage else {
            return Ok(None);
        };
        self.dirty = false;
        self.dirty_since = None;
        if !keep {
            damage::subtract(&self.conn, d.damage, x11rb::NONE, x11rb::NONE).map_err(lost)?;
            return Ok(None);
        }
        damage::subtract(&self.conn, d.damage, x11rb::NONE, d.region).map_err(lost)?;
        let reply = xfixes::fetch_region(&self.conn, d.region)
            .map_err(lost)?
            .reply()
            .map_err(reply_err("XFIXES FetchRegion"))?;
        let mut list = DamageList::new();
        push_clipped(&mut list, &self.area, &reply.rectangles);
        Ok(Some(list))
    }

    /// Reads the capture area into a buffer and wraps it as the next frame.
    fn read_image(
        &mut self,
        seg: Option<Arc<ShmSegment>>,
        damage: Option<DamageList>,
    ) -> Result<VideoFrame, ReplyError> {
        let a = self.area;
        let (x, y, w, h) = (a.x as i16, a.y as i16, a.width as u16, a.height as u16);
        let id = self.next_id;
        let planes = [
            Plane {
                offset: 0,
                stride: a.width as usize * 4,
            },
            Plane::default(),
            Plane::default(),
        ];
        let (storage, captured): (Arc<dyn PixelStorage>, Instant) = match (&self.buffers, seg) {
            (Buffers::Shm(_), Some(seg)) => {
                let z = u8::from(ImageFormat::Z_PIXMAP);
                xshm::get_image(&self.conn, self.root, x, y, w, h, !0, z, seg.xid, 0)?.reply()?;
                (seg, Instant::now())
            }
            (Buffers::Plain(pool), _) => {
                let reply = self
                    .conn
                    .get_image(ImageFormat::Z_PIXMAP, self.root, x, y, w, h, !0)?
                    .reply()?;
                let now = Instant::now();
                let (frame, ()) = pool.get_with(id, now, |p, _| {
                    let n = p.bytes.len().min(reply.data.len());
                    p.bytes[..n].copy_from_slice(&reply.data[..n]);
                });
                (frame.storage, now)
            }
            (Buffers::Shm(_), None) => unreachable!("callers pass a segment in SHM mode"),
        };
        self.next_id += 1;
        let frame = VideoFrame {
            format: self.format,
            width: a.width,
            height: a.height,
            planes,
            storage,
            id,
            capture_time: captured,
            damage,
            stages: StageTimes {
                captured: Some(captured),
                ..StageTimes::default()
            },
        };
        debug_assert!(frame.layout_fits());
        Ok(frame)
    }
}

impl Capturer for X11Capturer {
    fn dropped_frames(&self) -> u64 {
        self.skipped_frames()
    }

    fn info(&self) -> CaptureInfo {
        CaptureInfo {
            backend: "x11",
            display: DisplayInfo {
                backend: "x11",
                id: self.monitor.clone().unwrap_or_else(|| "root".into()),
                name: format!(
                    "{} {}",
                    self.display_name,
                    self.monitor.as_deref().unwrap_or("root")
                ),
                x: self.area.x,
                y: self.area.y,
                width: self.area.width,
                height: self.area.height,
                primary: self.primary,
            },
            damage_hints: self.damage.is_some(),
            zero_copy: matches!(self.buffers, Buffers::Shm(_)),
        }
    }

    fn capture(&mut self, deadline: Instant) -> Result<Option<VideoFrame>, CaptureError> {
        loop {
            self.follow_selection();
            self.drain_events()?;
            if self.geometry_stale {
                self.refresh_geometry()?;
            }
            let full = self.full_pending || self.damage.is_none();
            if full || self.dirty {
                // Claim a buffer before consuming the damage, so a skipped frame loses none.
                let seg = match &self.buffers {
                    Buffers::Shm(_) => match self.free_segment()? {
                        Some(s) => Some(s),
                        None if Instant::now() + POOL_RETRY < deadline => {
                            std::thread::sleep(POOL_RETRY);
                            continue;
                        }
                        None => {
                            self.skipped += 1;
                            return Ok(None);
                        }
                    },
                    Buffers::Plain(_) => None,
                };
                let damage = self.take_damage(!full)?;
                if damage.is_some_and(|d| d.is_empty()) {
                    continue; // the change was outside our monitor
                }
                self.full_pending = false;
                match self.read_image(seg, damage) {
                    Ok(f) => return Ok(Some(f)),
                    Err(ReplyError::ConnectionError(e)) => return Err(lost(e)),
                    // Most likely the area left the screen in a resize we have not heard of.
                    Err(ReplyError::X11Error(e)) => {
                        if self.refresh_geometry()? {
                            continue; // full frame at the new size
                        }
                        return Err(CaptureError::Backend(format!(
                            "GetImage of {:?} on X display {} failed: {:?}",
                            self.area, self.display_name, e.error_kind
                        )));
                    }
                }
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            self.wait_readable(deadline - now)?;
        }
    }

    fn request_full_frame(&mut self) {
        self.full_pending = true;
    }

    fn wait_change(&mut self, until: Instant) -> Result<Option<Instant>, CaptureError> {
        loop {
            self.follow_selection();
            self.drain_events()?;
            if self.dirty {
                return Ok(self.dirty_since);
            }
            let now = Instant::now();
            if now >= until {
                return Ok(None);
            }
            self.wait_readable(until - now)?;
        }
    }
}

impl Drop for X11Capturer {
    fn drop(&mut self) {
        // Closing the connection frees server-side resources anyway; this just says so early.
        if let Buffers::Shm(segs) = &mut self.buffers {
            for s in segs.drain(..) {
                let _ = xshm::detach(&self.conn, s.xid);
            }
        }
        if let Some(d) = self.damage {
            let _ = damage::destroy(&self.conn, d.damage);
            let _ = xfixes::destroy_region(&self.conn, d.region);
        }
        let _ = self.conn.flush();
    }
}

/// The displays of X display `display` (`None`: `$DISPLAY`): each RandR monitor, or the root
/// window when there are none.
pub fn displays(display: Option<&str>) -> Result<Vec<DisplayInfo>, CaptureError> {
    let (conn, screen, name) = connect(display)?;
    let root = screen.root;
    let info = |id: String, a: Area, primary| DisplayInfo {
        backend: "x11",
        name: format!("{name} {id}"),
        id,
        x: a.x,
        y: a.y,
        width: a.width,
        height: a.height,
        primary,
    };
    let monitors = randr_monitors(&conn, root)?.unwrap_or_default();
    if monitors.is_empty() {
        return Ok(vec![info("root".into(), root_area(&conn, root)?, true)]);
    }
    Ok(monitors
        .into_iter()
        .map(|m| info(m.name, m.area, m.primary))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MON: Area = Area {
        x: 100,
        y: 50,
        width: 200,
        height: 100,
    };

    #[test]
    fn clip_translates_to_monitor_coordinates() {
        assert_eq!(MON.clip_local(110, 60, 10, 20), Rect::new(10, 10, 10, 20));
        assert_eq!(MON.clip_local(100, 50, 200, 100), Rect::new(0, 0, 200, 100));
    }

    #[test]
    fn clip_cuts_partly_outside_rectangles() {
        assert_eq!(MON.clip_local(90, 40, 20, 20), Rect::new(0, 0, 10, 10));
        assert_eq!(MON.clip_local(290, 140, 50, 50), Rect::new(190, 90, 10, 10));
        assert_eq!(MON.clip_local(0, 0, 1000, 1000), Rect::new(0, 0, 200, 100));
    }

    #[test]
    fn clip_drops_outside_and_empty_rectangles() {
        assert!(MON.clip_local(0, 0, 100, 50).is_empty()); // touches the corner only
        assert!(MON.clip_local(300, 50, 10, 10).is_empty());
        assert!(MON.clip_local(150, 75, 0, 10).is_empty());
        assert!(MON.clip_local(-32768, -32768, 65535, 10).is_empty());
    }

    #[test]
    fn clip_handles_negative_monitor_origins() {
        let m = Area {
            x: -1920,
            y: -100,
            width: 1920,
            height: 1080,
        };
        assert_eq!(m.clip_local(-10, 0, 20, 5), Rect::new(1910, 100, 10, 5));
    }

    #[test]
    fn push_clipped_skips_rectangles_elsewhere() {
        let mut l = DamageList::new();
        let rects = [
            xproto::Rectangle {
                x: 0,
                y: 0,
                width: 10,
                height: 10,
            },
            xproto::Rectangle {
                x: 120,
                y: 70,
                width: 5,
                height: 5,
            },
        ];
        push_clipped(&mut l, &MON, &rects);
        assert_eq!(l.as_slice(), &[Rect::new(20, 20, 5, 5)]);
    }

    #[test]
    fn area_limits_follow_the_protocol() {
        assert!(MON.fits_x11());
        assert!(
            !Area {
                x: 0,
                y: 0,
                width: 70_000,
                height: 10
            }
            .fits_x11()
        );
        assert_eq!(MON.bytes(), 200 * 100 * 4);
    }
}
