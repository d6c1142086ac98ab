//! The macOS pointer as its own stream: the capture runs with `showsCursor` off, and this
//! source reads the system cursor (`NSCursor.currentSystemCursor`: image and hotspot) and the
//! pointer's location (`CGEventCreate` + `CGEventGetLocation`), in stream pixels of the shared
//! display (`macos_logic::cursor_pixel`).
//!
//! macOS has no event for "the system cursor changed" or "the pointer moved" that needs no
//! extra permission (an event tap needs Input Monitoring), so both are polled:
//! the location every [`POLL`] (a few µs per poll), the image when the pointer moved or every
//! [`IMAGE_POLL`] otherwise (a cursor that changes in place, like a busy cursor). Nothing is
//! sent unless something changed. [UNVERIFIED: idle cost measured on Linux only.]
//!
//! `currentSystemCursor` is deprecated (Apple: "will always be nil in a future version"); when
//! it gives nothing, the arrow cursor stands in, so the viewer still sees where the pointer is.
//!
//! Only type-checked on Linux; see `docs/macos.md`.

use std::time::{Duration, Instant};

use objc2_app_kit::{NSCursor, NSImage};
use objc2_core_foundation::{CGPoint, CGRect, CGSize};
use objc2_core_graphics::{
    CGBitmapContextCreate, CGColorSpace, CGContext, CGDirectDisplayID, CGDisplayBounds,
    CGDisplayCopyDisplayMode, CGDisplayMode, CGEvent, CGImage, CGImageAlphaInfo,
    CGImageByteOrderInfo, CGMainDisplayID,
};

use super::macos_logic::{cursor_hotspot, cursor_pixel, cursor_serial, stream_size};
use crate::cursor::{CursorShape, CursorSource, CursorUpdate};
use crate::error::CaptureError;

/// How often the location is read: about one display frame.
const POLL: Duration = Duration::from_millis(16);
/// How often the image is read while the pointer stands still.
const IMAGE_POLL: Duration = Duration::from_millis(250);
/// How often the display's bounds and mode are read again (resolution changes).
const GEOMETRY_POLL: Duration = Duration::from_secs(1);

/// The pointer over one display.
pub struct MacCursorSource {
    display: CGDirectDisplayID,
    /// Switches of display during a share.
    follow: Option<crate::display::Follower>,
    /// Global bounds in points (x, y, width, height) and the stream size in pixels.
    bounds: (f64, f64, f64, f64),
    stream: (u32, u32),
    geometry_at: Instant,
    serial: Option<u32>,
    position: Option<(i32, i32)>,
    image_at: Option<Instant>,
    full: bool,
}

impl MacCursorSource {
    /// The pointer over display `display_id` (`None`: the main display).
    pub fn open(display_id: Option<u32>) -> Result<Self, CaptureError> {
        let display = display_id.unwrap_or_else(|| CGMainDisplayID());
        let mut this = Self {
            display,
            follow: None,
            bounds: (0.0, 0.0, 0.0, 0.0),
            stream: (0, 0),
            geometry_at: Instant::now(),
            serial: None,
            position: None,
            image_at: None,
            full: true,
        };
        this.read_geometry();
        if this.bounds.2 <= 0.0 || this.bounds.3 <= 0.0 {
            return Err(CaptureError::NoSuchDisplay(format!(
                "display {display} has no bounds"
            )));
        }
        Ok(this)
    }

    /// The pointer over the display `selection` names (a CGDirectDisplayID as text; `None`:
    /// the main display), following it when it changes.
    pub fn open_following(
        selection: &crate::display::DisplaySelection,
    ) -> Result<Self, CaptureError> {
        let follow = selection.follow();
        let id = match follow.current() {
            None => None,
            Some(id) => Some(id.parse().map_err(|_| {
                CaptureError::BadSpec(format!("macOS display id must be a number, got {id:?}"))
            })?),
        };
        let mut this = Self::open(id)?;
        this.follow = Some(follow);
        Ok(this)
    }

    fn read_geometry(&mut self) {
        let r = CGDisplayBounds(self.display);
        self.bounds = (r.origin.x, r.origin.y, r.size.width, r.size.height);
        let native = match CGDisplayCopyDisplayMode(self.display) {
            Some(m) => (
                CGDisplayMode::pixel_width(Some(&m)),
                CGDisplayMode::pixel_height(Some(&m)),
            ),
            None => (
                r.size.width.max(0.0) as usize,
                r.size.height.max(0.0) as usize,
            ),
        };
        let native = (
            u32::try_from(native.0).unwrap_or(u32::MAX),
            u32::try_from(native.1).unwrap_or(u32::MAX),
        );
        // What the capturer streams (capture/macos.rs asks for the same size).
        self.stream = stream_size(native);
        self.geometry_at = Instant::now();
    }

    fn location(&self) -> Option<(i32, i32)> {
        let event = CGEvent::new(None)?;
        let p = CGEvent::location(Some(&event));
        Some(cursor_pixel((p.x, p.y), self.bounds, self.stream))
    }

    /// The system cursor (or the arrow), as a shape with a content-derived serial.
    fn shape(&self) -> Option<CursorShape> {
        #[allow(deprecated)] // see the module docs: the arrow stands in once it goes
        let cursor = NSCursor::currentSystemCursor().unwrap_or_else(NSCursor::arrowCursor);
        let image: objc2::rc::Retained<NSImage> = cursor.image();
        let hot = cursor.hotSpot();
        let points = image.size();
        // SAFETY: a null proposed rect (the image's own size) and no context or hints are
        // documented as allowed.
        let cg = unsafe {
            image.CGImageForProposedRect_context_hints(std::ptr::null_mut(), None, None)
        }?;
        let (pixels, width, height) = premultiplied_argb(&cg)?;
        let (hot_x, hot_y) = cursor_hotspot(
            (hot.x, hot.y),
            (points.width, points.height),
            (width, height),
        );
        let serial = cursor_serial(width, height, (hot_x, hot_y), &pixels);
        CursorShape::from_premultiplied_argb(serial, width, height, hot_x, hot_y, &pixels)
    }
}

/// Draws `image` into a premultiplied `0xAARRGGBB` buffer (little-endian words).
fn premultiplied_argb(image: &CGImage) -> Option<(Vec<u32>, u32, u32)> {
    let (w, h) = (CGImage::width(Some(image)), CGImage::height(Some(image)));
    // Cursors are small; anything absurd is not drawn.
    if w == 0 || h == 0 || w > 1024 || h > 1024 {
        return None;
    }
    let mut pixels = vec![0u32; w * h];
    let space = CGColorSpace::new_device_rgb()?;
    let info = CGImageAlphaInfo::PremultipliedFirst.0 | CGImageByteOrderInfo::Order32Little.0;
    // SAFETY: `pixels` is w*h 32-bit words, exactly `bytes_per_row * h` bytes with bytes_per_row
    // = 4w, and outlives the context (dropped at the end of this function, before `pixels`).
    let ctx = unsafe {
        CGBitmapContextCreate(
            pixels.as_mut_ptr().cast(),
            w,
            h,
            8,
            w * 4,
            Some(&space),
            info,
        )
    }?;
    let rect = CGRect::new(CGPoint::new(0.0, 0.0), CGSize::new(w as f64, h as f64));
    CGContext::draw_image(Some(&ctx), rect, Some(image));
    drop(ctx);
    Some((pixels, w as u32, h as u32))
}

impl CursorSource for MacCursorSource {
    fn next(&mut self, deadline: Instant) -> Result<Option<CursorUpdate>, CaptureError> {
        loop {
            let now = Instant::now();
            if let Some(next) = self
                .follow
                .as_mut()
                .and_then(crate::display::Follower::changed)
                && let Some(display) = next.map_or(Some(CGMainDisplayID()), |id| id.parse().ok())
            {
                self.display = display;
                self.geometry_at = now - GEOMETRY_POLL; // read it now
            }
            if now.duration_since(self.geometry_at) >= GEOMETRY_POLL {
                let before = (self.bounds, self.stream);
                self.read_geometry();
                self.full |= before != (self.bounds, self.stream);
            }
            let position = self.location();
            let moved = position.is_some() && position != self.position;
            let image_due = self.full
                || moved
                || self
                    .image_at
                    .is_none_or(|t| now.duration_since(t) >= IMAGE_POLL);
            let mut shape = None;
            if image_due {
                self.image_at = Some(now);
                if let Some(s) = self.shape()
                    && (self.full || Some(s.serial) != self.serial)
                {
                    shape = Some(s);
                }
            }
            if let (Some((x, y)), true) = (position, moved || shape.is_some() || self.full) {
                if let Some(s) = &shape {
                    self.serial = Some(s.serial);
                }
                if let Some(serial) = self.serial {
                    self.full = false;
                    self.position = position;
                    return Ok(Some(CursorUpdate {
                        shape,
                        serial,
                        x,
                        y,
                        at: now,
                    }));
                }
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            std::thread::sleep(POLL.min(deadline - now));
        }
    }

    fn request_full(&mut self) {
        self.full = true;
    }
}
