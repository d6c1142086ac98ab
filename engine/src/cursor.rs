//! The pointer as its own stream: its shape and position, read from the OS beside the
//! capture (frames are captured without the pointer), so a viewer draws it itself and a
//! blink or a move costs no encode.
//!
//! [`open`] gives the [`CursorSource`] of a [`SourceSpec`]: XFIXES cursor events plus
//! XInput 2 raw motion on X11 (nothing is polled: an idle pointer costs nothing), the system
//! cursor and the `CGEvent` location on macOS, `GetCursorInfo` polled every 8 ms on Windows. Shapes come out as straight RGBA
//! ([`CursorShape`]), at most [`MAX_SIDE`] pixels a side, and turn into PNG with
//! [`CursorShape::to_png`].

use std::time::Instant;

use crate::capture::SourceSpec;
use crate::display::DisplaySelection;
use crate::error::CaptureError;

/// Largest side of a shape handed out: browsers ignore CSS cursor images above 128×128.
/// Larger OS cursors are cropped around the hotspot.
pub const MAX_SIDE: u32 = 128;

/// One cursor image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorShape {
    /// Changes whenever the image does (the OS's serial where it has one).
    pub serial: u32,
    /// Width, pixels (1..=[`MAX_SIDE`]).
    pub width: u32,
    /// Height, pixels (1..=[`MAX_SIDE`]).
    pub height: u32,
    /// Hotspot x within the image.
    pub hot_x: u32,
    /// Hotspot y within the image.
    pub hot_y: u32,
    /// `width * height` straight (not premultiplied) RGBA pixels, row by row.
    pub rgba: Vec<u8>,
}

/// What changed about the pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorUpdate {
    /// The new shape when it changed (always on the first update).
    pub shape: Option<CursorShape>,
    /// Serial of the shape shown now.
    pub serial: u32,
    /// Hotspot x in pixels of the captured area (outside it when the pointer is elsewhere).
    pub x: i32,
    /// Hotspot y, see `x`.
    pub y: i32,
    /// When the OS reported it.
    pub at: Instant,
}

/// A pointer source. `next` blocks until the pointer moves or changes shape, or `deadline`
/// passes (`Ok(None)`).
pub trait CursorSource: Send {
    /// The next change, or `Ok(None)` at the deadline.
    fn next(&mut self, deadline: Instant) -> Result<Option<CursorUpdate>, CaptureError>;
    /// Makes the next `next` return at once with the shape and position, as the first
    /// update does (a viewer joined, sharing resumed).
    fn request_full(&mut self);
}

/// Opens the pointer source of `spec`. Sources without a pointer of their own (synthetic)
/// are [`CaptureError::Unsupported`]: a share then sends no cursor.
pub fn open(spec: &SourceSpec) -> Result<Box<dyn CursorSource>, CaptureError> {
    open_following(spec, &DisplaySelection::new(spec.display()))
}

/// Opens the pointer source for `spec`, following `selection` as the capturer does
/// ([`crate::capture::open_following`]).
pub fn open_following(
    spec: &SourceSpec,
    selection: &DisplaySelection,
) -> Result<Box<dyn CursorSource>, CaptureError> {
    #[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
    let _ = selection; // only X11, macOS and Windows switch displays during a share
    match spec {
        #[cfg(target_os = "linux")]
        SourceSpec::X11 { display, .. } => Ok(Box::new(
            crate::capture::x11::X11CursorSource::open_following(display.as_deref(), selection)?,
        )),
        #[cfg(target_os = "linux")]
        SourceSpec::Wayland { .. } => Ok(Box::new(crate::wayland::WaylandCursorSource::new(
            crate::wayland::session_for(spec)?,
        ))),
        #[cfg(target_os = "macos")]
        SourceSpec::MacOs { .. } => Ok(Box::new(
            crate::capture::macos_cursor::MacCursorSource::open_following(selection)?,
        )),
        #[cfg(windows)]
        SourceSpec::Windows { display, .. } => Ok(Box::new(
            crate::capture::windows_cursor::WindowsCursorSource::open_following(
                display.as_deref(),
                selection,
            )?,
        )),
        other => Err(CaptureError::Unsupported(format!(
            "{other:?} has no pointer to stream"
        ))),
    }
}

impl CursorShape {
    /// A shape from premultiplied ARGB pixels (`0xAARRGGBB`, as XFIXES and most OS cursor
    /// APIs give them), cropped to [`MAX_SIDE`] around the hotspot. `None` when the sizes do
    /// not match the pixels or the image is empty.
    pub fn from_premultiplied_argb(
        serial: u32,
        width: u32,
        height: u32,
        hot_x: u32,
        hot_y: u32,
        pixels: &[u32],
    ) -> Option<CursorShape> {
        if width == 0 || height == 0 || pixels.len() != (width as usize) * (height as usize) {
            return None;
        }
        let (hot_x, hot_y) = (hot_x.min(width - 1), hot_y.min(height - 1));
        let crop = |side: u32, hot: u32| {
            let w = side.min(MAX_SIDE);
            let x0 = hot.saturating_sub(w / 2).min(side - w);
            (x0, w)
        };
        let (x0, w) = crop(width, hot_x);
        let (y0, h) = crop(height, hot_y);
        let mut rgba = Vec::with_capacity((w * h * 4) as usize);
        for y in y0..y0 + h {
            let row = &pixels[(y * width) as usize..][..width as usize];
            for &p in &row[x0 as usize..(x0 + w) as usize] {
                rgba.extend_from_slice(&unpremultiply(p));
            }
        }
        Some(CursorShape {
            serial,
            width: w,
            height: h,
            hot_x: hot_x - x0,
            hot_y: hot_y - y0,
            rgba,
        })
    }

    /// The image as a PNG (8-bit RGBA, non-interlaced).
    pub fn to_png(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.rgba.len() / 2 + 64);
        let mut enc = png::Encoder::new(&mut out, self.width, self.height);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        // Writing to a Vec cannot fail, and the sizes match by construction; an error here
        // would be a bug, reported as an empty image the transport refuses.
        let written = enc
            .write_header()
            .and_then(|mut w| w.write_image_data(&self.rgba));
        if written.is_err() {
            debug_assert!(false, "PNG encoding failed: {written:?}");
            return Vec::new();
        }
        out
    }
}

/// One premultiplied `0xAARRGGBB` pixel as straight RGBA.
fn unpremultiply(p: u32) -> [u8; 4] {
    let [a, r, g, b] = p.to_be_bytes();
    if a == 0 {
        return [0, 0, 0, 0];
    }
    let un = |c: u8| ((u32::from(c) * 255 + u32::from(a) / 2) / u32::from(a)).min(255) as u8;
    [un(r), un(g), un(b), a]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpremultiplies() {
        assert_eq!(unpremultiply(0xff_10_20_30), [0x10, 0x20, 0x30, 0xff]);
        assert_eq!(unpremultiply(0x80_40_00_80), [0x80, 0, 0xff, 0x80]);
        assert_eq!(unpremultiply(0x00_12_34_56), [0, 0, 0, 0]);
        // Malformed (colour above alpha) saturates rather than wraps.
        assert_eq!(unpremultiply(0x10_ff_00_00)[0], 0xff);
    }

    #[test]
    fn large_cursors_are_cropped_around_the_hotspot() {
        let (w, h) = (200, 150);
        let pixels: Vec<u32> = (0..w * h).map(|i| 0xff00_0000 | i).collect();
        let s = CursorShape::from_premultiplied_argb(1, w, h, 190, 10, &pixels).unwrap();
        assert_eq!((s.width, s.height), (128, 128));
        // Crop origin (72, 0): the hotspot keeps pointing at the same pixel.
        assert_eq!((s.hot_x, s.hot_y), (118, 10));
        let at = |x: u32, y: u32| &s.rgba[((y * 128 + x) * 4) as usize..][..4];
        let want = (10 * w + 190).to_be_bytes();
        assert_eq!(at(118, 10), &[want[1], want[2], want[3], 0xff]);
    }

    #[test]
    fn mismatched_sizes_are_refused() {
        assert!(CursorShape::from_premultiplied_argb(1, 2, 2, 0, 0, &[0; 3]).is_none());
        assert!(CursorShape::from_premultiplied_argb(1, 0, 0, 0, 0, &[]).is_none());
    }

    #[test]
    fn png_decodes_to_the_same_pixels() {
        let pixels = [
            0xff_ff_00_00,
            0x80_00_80_00,
            0,
            0xff_00_00_ff,
            0x40_40_40_40,
            0xff_ff_ff_ff,
        ];
        let s = CursorShape::from_premultiplied_argb(5, 3, 2, 1, 1, &pixels).unwrap();
        let png = s.to_png();
        let mut dec = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut buf = vec![0; dec.output_buffer_size().unwrap()];
        let info = dec.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (3, 2));
        assert_eq!(&buf[..info.buffer_size()], &s.rgba[..]);
        assert_eq!(&s.rgba[..8], &[0xff, 0, 0, 0xff, 0, 0xff, 0, 0x80]);
    }
}
