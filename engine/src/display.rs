//! Which display of a source is shared. The sharer picks one before sharing; during a
//! session the helper can ask for another and the sharer's agent switches without a new
//! session. The capturer, the input injector and the pointer stream each follow one
//! [`DisplaySelection`], so one [`DisplaySelection::set`] moves the picture, where a click
//! lands and where the pointer is reported, together.
//!
//! Each component checks the selection's generation (one atomic load) before it works and
//! re-reads the display's geometry when it changed: the capturer before every capture and
//! while it waits, the injector before every event, the pointer stream on its next wake (at
//! most 250 ms later, or at the next pointer event).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use glass_codecs::{PixelFormat, VideoFrame};

use crate::capture::SourceSpec;
use crate::error::CaptureError;

/// The display a source's components follow (a RandR monitor name on X11, a display id on
/// macOS; `None`: the whole screen or the main display). Cloning shares it.
#[derive(Clone, Debug)]
pub struct DisplaySelection(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    generation: AtomicU64,
    id: Mutex<Option<String>>,
}

impl DisplaySelection {
    /// A selection of `id`.
    pub fn new(id: Option<String>) -> Self {
        Self(Arc::new(Inner {
            generation: AtomicU64::new(0),
            id: Mutex::new(id),
        }))
    }

    /// Selects `id`; every component following this selection switches to it. The caller
    /// checks that the display exists (`capture::displays`): a component asked for one that
    /// does not reports [`crate::CaptureError::NoSuchDisplay`] as it would at open.
    pub fn set(&self, id: Option<String>) {
        *self.0.id.lock().unwrap_or_else(|p| p.into_inner()) = id;
        self.0.generation.fetch_add(1, Ordering::Release);
    }

    /// The selected display.
    pub fn current(&self) -> Option<String> {
        self.0.id.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Follows this selection from the current generation on.
    #[cfg_attr(
        not(any(target_os = "linux", target_os = "macos", windows)),
        allow(dead_code)
    )]
    pub(crate) fn follow(&self) -> Follower {
        Follower {
            seen: self.0.generation.load(Ordering::Acquire),
            selection: self.clone(),
        }
    }
}

/// One component's view of a [`DisplaySelection`].
#[derive(Debug)]
#[cfg_attr(
    not(any(target_os = "linux", target_os = "macos", windows)),
    allow(dead_code)
)]
pub(crate) struct Follower {
    selection: DisplaySelection,
    seen: u64,
}

impl Follower {
    /// The newly selected display, once per [`DisplaySelection::set`] (several sets in a
    /// row: the last).
    #[cfg_attr(
        not(any(target_os = "linux", target_os = "macos", windows)),
        allow(dead_code)
    )]
    pub(crate) fn changed(&mut self) -> Option<Option<String>> {
        let generation = self.selection.0.generation.load(Ordering::Acquire);
        if generation == self.seen {
            return None;
        }
        self.seen = generation;
        Some(self.selection.current())
    }

    /// The selected display now.
    #[cfg_attr(
        not(any(target_os = "linux", target_os = "macos", windows)),
        allow(dead_code)
    )]
    pub(crate) fn current(&self) -> Option<String> {
        self.selection.current()
    }
}

/// A small picture of a captured frame for the sharer's display picker: a PNG (8-bit RGB)
/// at most `max_width` pixels wide, aspect kept, each pixel the mean of the source pixels it
/// covers. `None` for a frame that is not BGRA/BGRx or is empty.
pub fn thumbnail_png(frame: &VideoFrame, max_width: u32) -> Option<Vec<u8>> {
    if !matches!(frame.format, PixelFormat::Bgra | PixelFormat::Bgrx)
        || frame.width == 0
        || frame.height == 0
        || max_width == 0
    {
        return None;
    }
    let (w, h) = (frame.width as usize, frame.height as usize);
    let tw = w.min(max_width as usize);
    let th = (h * tw / w).max(1);
    let stride = frame.planes[0].stride;
    let src = frame.plane(0);
    let mut rgb = vec![0u8; tw * th * 3];
    for ty in 0..th {
        let (y0, y1) = (ty * h / th, ((ty + 1) * h / th).max(ty * h / th + 1));
        for tx in 0..tw {
            let (x0, x1) = (tx * w / tw, ((tx + 1) * w / tw).max(tx * w / tw + 1));
            let mut sum = [0u64; 3];
            for y in y0..y1 {
                let row = src.get(y * stride..)?;
                for x in x0..x1 {
                    let p = row.get(x * 4..x * 4 + 3)?;
                    sum[0] += u64::from(p[2]);
                    sum[1] += u64::from(p[1]);
                    sum[2] += u64::from(p[0]);
                }
            }
            let n = ((y1 - y0) * (x1 - x0)) as u64;
            let out = &mut rgb[(ty * tw + tx) * 3..][..3];
            for c in 0..3 {
                out[c] = ((sum[c] + n / 2) / n) as u8;
            }
        }
    }
    let mut png_out = Vec::with_capacity(rgb.len() / 4 + 64);
    let mut enc = png::Encoder::new(&mut png_out, tw as u32, th as u32);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header()
        .and_then(|mut wr| wr.write_image_data(&rgb))
        .ok()?;
    Some(png_out)
}

/// One frame of display `id` of `spec` (`None`: the whole screen) as a
/// [`thumbnail_png`]: opens the source, takes one full frame (waiting at most 2 s) and closes
/// it. For the sharer's own picker, on the sharer's machine.
pub fn capture_thumbnail(
    spec: &SourceSpec,
    id: Option<&str>,
    max_width: u32,
) -> Result<Vec<u8>, CaptureError> {
    let mut capturer =
        crate::capture::open_following(spec, &DisplaySelection::new(id.map(str::to_string)))?;
    capturer.request_full_frame();
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        if let Some(frame) = capturer.capture(deadline)? {
            return thumbnail_png(&frame, max_width).ok_or_else(|| {
                CaptureError::Unsupported("no thumbnail of this pixel format".into())
            });
        }
    }
    Err(CaptureError::Unsupported(
        "no frame within 2 s for a thumbnail".into(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_follower_sees_each_switch_once_and_only_the_last_of_a_burst() {
        let s = DisplaySelection::new(Some("A".into()));
        let (mut capture, mut input) = (s.follow(), s.follow());
        assert_eq!(capture.changed(), None, "nothing switched yet");
        s.set(Some("B".into()));
        assert_eq!(capture.changed(), Some(Some("B".into())));
        assert_eq!(capture.changed(), None);
        s.set(None);
        s.set(Some("C".into()));
        assert_eq!(capture.changed(), Some(Some("C".into())));
        assert_eq!(
            input.changed(),
            Some(Some("C".into())),
            "followers are independent"
        );
        assert_eq!(input.current(), Some("C".into()));
    }

    #[test]
    fn a_thumbnail_keeps_the_aspect_and_averages_colours() {
        use glass_codecs::FramePool;
        // 64×32: the left half red, the right half blue, one stray white pixel.
        let pool = FramePool::new(PixelFormat::Bgra, 64, 32, 1);
        let (frame, ()) = pool.get_with(1, Instant::now(), |planes, _| {
            let stride = planes.planes[0].stride;
            let data = &mut planes.bytes[planes.planes[0].offset..];
            for y in 0..32 {
                for x in 0..64 {
                    let p = if x < 32 {
                        [0, 0, 255, 255]
                    } else {
                        [255, 0, 0, 255]
                    };
                    data[y * stride + x * 4..][..4].copy_from_slice(&p);
                }
            }
            data[..4].copy_from_slice(&[255, 255, 255, 255]);
        });
        let png = thumbnail_png(&frame, 16).expect("a thumbnail");
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!((info.width, info.height), (16, 8), "aspect kept");
        let px = |x: usize, y: usize| &buf[(y * 16 + x) * 3..][..3];
        assert_eq!(px(2, 4), [255, 0, 0]);
        assert_eq!(px(12, 4), [0, 0, 255]);
        // The white pixel is one of 16 averaged into the first thumbnail pixel.
        assert_eq!(px(0, 0), [255, 16, 16]);
        // Never wider than the frame.
        let png = thumbnail_png(&frame, 1000).unwrap();
        let reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        assert_eq!(reader.info().width, 64);
    }
}
