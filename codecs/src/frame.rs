//! Raw video frames, their pixel storage and the pool that recycles it.
//!
//! A [`VideoFrame`] is a small value (no heap allocation of its own) that points at pixel
//! storage through an `Arc<dyn PixelStorage>`. Storage comes from a [`FramePool`] (plain
//! memory) or from a capture backend (an X11 MIT-SHM segment, a macOS `CVPixelBuffer`), and
//! goes back to its owner when the last frame referring to it is dropped. At steady state no
//! frame allocates.

use std::any::Any;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Layout of pixels in a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PixelFormat {
    /// 8-bit B, G, R, A in memory order (little-endian `0xAARRGGBB`), one plane.
    Bgra,
    /// As [`PixelFormat::Bgra`] with the fourth byte undefined (X11 depth-24 visuals).
    Bgrx,
    /// Planar Y, U (Cb), V (Cr); chroma subsampled 2×2. Three planes.
    I420,
    /// Y plane, then interleaved U/V plane subsampled 2×2. Two planes.
    Nv12,
}

impl PixelFormat {
    /// Number of planes.
    pub fn plane_count(self) -> usize {
        match self {
            Self::Bgra | Self::Bgrx => 1,
            Self::I420 => 3,
            Self::Nv12 => 2,
        }
    }

    /// Whether the format is one of the packed 4-byte RGB layouts.
    pub fn is_rgb(self) -> bool {
        matches!(self, Self::Bgra | Self::Bgrx)
    }

    /// Minimal layout (tightly packed rows, 2-aligned chroma) for a frame of this size.
    pub fn layout(self, width: u32, height: u32) -> FrameLayout {
        let (w, h) = (width as usize, height as usize);
        let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
        let mut planes = [Plane::default(); 3];
        let len = match self {
            Self::Bgra | Self::Bgrx => {
                planes[0] = Plane {
                    offset: 0,
                    stride: w * 4,
                };
                w * 4 * h
            }
            Self::I420 => {
                planes[0] = Plane {
                    offset: 0,
                    stride: w,
                };
                planes[1] = Plane {
                    offset: w * h,
                    stride: cw,
                };
                planes[2] = Plane {
                    offset: w * h + cw * ch,
                    stride: cw,
                };
                w * h + 2 * cw * ch
            }
            Self::Nv12 => {
                planes[0] = Plane {
                    offset: 0,
                    stride: w,
                };
                planes[1] = Plane {
                    offset: w * h,
                    stride: cw * 2,
                };
                w * h + cw * 2 * ch
            }
        };
        FrameLayout { planes, len }
    }
}

/// Where one plane starts in the storage and how many bytes a row takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Plane {
    /// Byte offset of the plane's first row.
    pub offset: usize,
    /// Bytes from one row to the next (≥ the row's pixel bytes).
    pub stride: usize,
}

/// Planes of a frame and the total storage length they need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameLayout {
    /// Up to three planes; unused ones are zero.
    pub planes: [Plane; 3],
    /// Bytes of storage the planes need.
    pub len: usize,
}

/// An axis-aligned rectangle in pixels. Empty when width or height is zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Rect {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Rect {
    /// A rectangle from its origin and size.
    pub const fn new(x: u32, y: u32, width: u32, height: u32) -> Self {
        Self {
            x,
            y,
            width,
            height,
        }
    }

    /// True when it covers no pixel.
    pub fn is_empty(&self) -> bool {
        self.width == 0 || self.height == 0
    }

    /// One past the right edge.
    pub fn right(&self) -> u32 {
        self.x + self.width
    }

    /// One past the bottom edge.
    pub fn bottom(&self) -> u32 {
        self.y + self.height
    }

    /// Pixel count.
    pub fn area(&self) -> u64 {
        self.width as u64 * self.height as u64
    }

    /// Whether pixel `(x, y)` is inside.
    pub fn contains(&self, x: u32, y: u32) -> bool {
        x >= self.x && y >= self.y && x < self.right() && y < self.bottom()
    }

    /// The overlap of two rectangles (empty if they do not overlap).
    pub fn intersect(&self, other: &Rect) -> Rect {
        let x0 = self.x.max(other.x);
        let y0 = self.y.max(other.y);
        let x1 = self.right().min(other.right());
        let y1 = self.bottom().min(other.bottom());
        if x1 <= x0 || y1 <= y0 {
            Rect::default()
        } else {
            Rect::new(x0, y0, x1 - x0, y1 - y0)
        }
    }

    /// The smallest rectangle covering both (an empty side is ignored).
    pub fn union(&self, other: &Rect) -> Rect {
        if self.is_empty() {
            return *other;
        }
        if other.is_empty() {
            return *self;
        }
        let x0 = self.x.min(other.x);
        let y0 = self.y.min(other.y);
        let x1 = self.right().max(other.right());
        let y1 = self.bottom().max(other.bottom());
        Rect::new(x0, y0, x1 - x0, y1 - y0)
    }

    /// Grows the rectangle outwards so every edge is a multiple of `align`, clipped to
    /// `width`×`height`. Used for 2×2 chroma subsampling and macroblock alignment.
    pub fn align_out(&self, align: u32, width: u32, height: u32) -> Rect {
        let x0 = self.x / align * align;
        let y0 = self.y / align * align;
        let x1 = self
            .right()
            .div_ceil(align)
            .saturating_mul(align)
            .min(width);
        let y1 = self
            .bottom()
            .div_ceil(align)
            .saturating_mul(align)
            .min(height);
        if x1 <= x0 || y1 <= y0 {
            Rect::default()
        } else {
            Rect::new(x0, y0, x1 - x0, y1 - y0)
        }
    }
}

/// Capacity of a [`DamageList`]. More rectangles than this are merged, never dropped.
pub const MAX_DAMAGE_RECTS: usize = 32;

/// A bounded, allocation-free list of changed rectangles.
///
/// Adding a rectangle to a full list merges the two rectangles whose union wastes the least
/// area, so the list always covers every change it was told about (it may over-cover).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct DamageList {
    rects: [Rect; MAX_DAMAGE_RECTS],
    len: usize,
}

impl Default for DamageList {
    fn default() -> Self {
        Self {
            rects: [Rect::default(); MAX_DAMAGE_RECTS],
            len: 0,
        }
    }
}

impl std::fmt::Debug for DamageList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

impl DamageList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// A list holding one rectangle covering a whole `width`×`height` frame.
    pub fn full(width: u32, height: u32) -> Self {
        let mut d = Self::new();
        d.push(Rect::new(0, 0, width, height));
        d
    }

    /// The rectangles.
    pub fn as_slice(&self) -> &[Rect] {
        &self.rects[..self.len]
    }

    /// Number of rectangles.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Removes every rectangle.
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Total area of the rectangles (overlaps counted twice).
    pub fn area(&self) -> u64 {
        self.as_slice().iter().map(Rect::area).sum()
    }

    /// Bounding box of all rectangles.
    pub fn bounds(&self) -> Rect {
        self.as_slice()
            .iter()
            .fold(Rect::default(), |a, r| a.union(r))
    }

    /// Adds a rectangle (empty ones are ignored); merges when full.
    pub fn push(&mut self, r: Rect) {
        if r.is_empty() {
            return;
        }
        if self.len == MAX_DAMAGE_RECTS {
            self.merge_cheapest_with(r);
        } else {
            self.rects[self.len] = r;
            self.len += 1;
        }
    }

    /// Adds every rectangle of `other`.
    pub fn extend(&mut self, other: &DamageList) {
        for r in other.as_slice() {
            self.push(*r);
        }
    }

    fn merge_cheapest_with(&mut self, r: Rect) {
        // Merge `r` into the existing rectangle whose union grows the covered area least.
        let mut best = 0;
        let mut best_cost = u64::MAX;
        for (i, e) in self.as_slice().iter().enumerate() {
            let cost = e.union(&r).area() - e.area();
            if cost < best_cost {
                best_cost = cost;
                best = i;
            }
        }
        self.rects[best] = self.rects[best].union(&r);
    }
}

/// Memory holding a frame's pixels.
///
/// Implemented by pooled heap buffers and by capture backends for memory they own (an X11
/// shared-memory segment, an IOSurface). The bytes are read-only once the frame is shared.
pub trait PixelStorage: Send + Sync + 'static {
    /// The pixel bytes, laid out as the frame's planes say.
    fn bytes(&self) -> &[u8];
    /// Writable bytes; only reachable through [`Arc::get_mut`] while nothing else holds the
    /// storage.
    fn bytes_mut(&mut self) -> &mut [u8];
    /// For backends that hand native surfaces to a hardware encoder without copying.
    fn as_any(&self) -> &dyn Any;
    /// Whether this is an OS surface (IOSurface) that a zero-copy encoder takes as it is, so
    /// the pipeline can skip colour conversion for it.
    fn is_native_surface(&self) -> bool {
        false
    }
}

impl PixelStorage for Vec<u8> {
    fn bytes(&self) -> &[u8] {
        self
    }
    fn bytes_mut(&mut self) -> &mut [u8] {
        self
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// When each pipeline stage finished with a frame, for per-stage latency reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimes {
    /// The pixels were read from the screen (or drawn, for synthetic sources).
    pub captured: Option<Instant>,
    /// Dirty-region detection finished.
    pub damage_done: Option<Instant>,
    /// Colour conversion finished.
    pub converted: Option<Instant>,
    /// The encoder returned the frame's packet.
    pub encoded: Option<Instant>,
}

/// A raw video frame: geometry, pixel storage and metadata.
#[derive(Clone)]
pub struct VideoFrame {
    /// Pixel layout.
    pub format: PixelFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Plane offsets and strides into `storage`.
    pub planes: [Plane; 3],
    /// The pixels.
    pub storage: Arc<dyn PixelStorage>,
    /// Monotonic frame number given by the source.
    pub id: u64,
    /// When the source produced the frame.
    pub capture_time: Instant,
    /// What changed since the previous frame of the same source. Capture backends put their
    /// hints here (`None`: unknown, compare everything); the damage stage replaces them with
    /// the exact changed rectangles.
    pub damage: Option<DamageList>,
    /// Stage timestamps.
    pub stages: StageTimes,
}

impl std::fmt::Debug for VideoFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VideoFrame")
            .field("format", &self.format)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("id", &self.id)
            .field("damage", &self.damage)
            .finish_non_exhaustive()
    }
}

impl VideoFrame {
    /// The bytes of plane `i`, from its first row to the end of its last.
    ///
    /// # Panics
    /// If the plane lies outside the storage: frames are built by this crate's pool or by
    /// capture backends that check their layout, so that is a bug.
    pub fn plane(&self, i: usize) -> &[u8] {
        let p = self.planes[i];
        let rows = self.plane_rows(i);
        let bytes = self.storage.bytes();
        if rows == 0 {
            return &bytes[0..0];
        }
        &bytes[p.offset..p.offset + p.stride * (rows - 1) + self.plane_row_bytes(i)]
    }

    /// Pixel rows in plane `i`.
    pub fn plane_rows(&self, i: usize) -> usize {
        match (self.format, i) {
            (_, 0) => self.height as usize,
            (PixelFormat::I420, 1 | 2) | (PixelFormat::Nv12, 1) => {
                (self.height as usize).div_ceil(2)
            }
            _ => 0,
        }
    }

    /// Bytes of pixels in one row of plane `i` (without stride padding).
    pub fn plane_row_bytes(&self, i: usize) -> usize {
        let w = self.width as usize;
        match (self.format, i) {
            (PixelFormat::Bgra | PixelFormat::Bgrx, 0) => w * 4,
            (PixelFormat::I420 | PixelFormat::Nv12, 0) => w,
            (PixelFormat::I420, 1 | 2) => w.div_ceil(2),
            (PixelFormat::Nv12, 1) => w.div_ceil(2) * 2,
            _ => 0,
        }
    }

    /// Whether `storage` is large enough for the planes. Backends call this once per layout.
    pub fn layout_fits(&self) -> bool {
        let len = self.storage.bytes().len();
        (0..self.format.plane_count()).all(|i| {
            let rows = self.plane_rows(i);
            let p = self.planes[i];
            rows == 0
                || (p.stride >= self.plane_row_bytes(i)
                    && p.offset + p.stride * (rows - 1) + self.plane_row_bytes(i) <= len)
        })
    }
}

/// Peak signal-to-noise ratio in dB between plane `plane` of two frames of the same format and
/// size (99 dB when identical), for quality checks in tests, benchmarks and harnesses.
///
/// # Panics
/// If the frames differ in format or size.
pub fn psnr(a: &VideoFrame, b: &VideoFrame, plane: usize) -> f64 {
    assert_eq!(
        (a.format, a.width, a.height),
        (b.format, b.width, b.height),
        "psnr of unlike frames"
    );
    let (rows, cols) = (a.plane_rows(plane), a.plane_row_bytes(plane));
    let (pa, pb) = (a.plane(plane), b.plane(plane));
    let (sa, sb) = (a.planes[plane].stride, b.planes[plane].stride);
    let mut se = 0u64;
    for r in 0..rows {
        let (ra, rb) = (&pa[r * sa..r * sa + cols], &pb[r * sb..r * sb + cols]);
        se += ra
            .iter()
            .zip(rb)
            .map(|(&x, &y)| (x as i64 - y as i64).pow(2) as u64)
            .sum::<u64>();
    }
    if se == 0 || rows * cols == 0 {
        return 99.0;
    }
    let mse = se as f64 / (rows * cols) as f64;
    10.0 * (255.0 * 255.0 / mse).log10()
}

/// Mutable view of a frame's planes.
pub struct PlanesMut<'a> {
    /// All of the storage.
    pub bytes: &'a mut [u8],
    /// Plane offsets and strides.
    pub planes: [Plane; 3],
    /// Pixel layout.
    pub format: PixelFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// A pool of heap pixel buffers for frames of one format and size.
///
/// [`FramePool::get_with`] hands out a frame whose storage is either a fresh allocation (while
/// the pool grows to its working set) or a buffer no frame refers to any more, lets the caller
/// write it while it is still unshared, and keeps a handle so the buffer comes back once every
/// frame referring to it is dropped. Buffers are recycled, never shrunk; a size change calls
/// for a new pool.
#[derive(Clone)]
pub struct FramePool {
    inner: Arc<Mutex<PoolInner>>,
}

struct PoolInner {
    format: PixelFormat,
    width: u32,
    height: u32,
    layout: FrameLayout,
    /// Buffers in hand-out order, each with the id of the frame it last held.
    buffers: Vec<(Arc<dyn PixelStorage>, u64)>,
    allocated: usize,
    max_buffers: usize,
}

impl FramePool {
    /// A pool for `format` frames of `width`×`height`, growing to at most `max_buffers`
    /// buffers in flight (more than that means a consumer leaks frames: `get_with` then
    /// allocates a buffer the pool does not keep, and [`FramePool::overflowed`] counts it).
    pub fn new(format: PixelFormat, width: u32, height: u32, max_buffers: usize) -> Self {
        let layout = format.layout(width, height);
        Self {
            inner: Arc::new(Mutex::new(PoolInner {
                format,
                width,
                height,
                layout,
                buffers: Vec::new(),
                allocated: 0,
                max_buffers,
            })),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PoolInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Frame geometry of this pool.
    pub fn geometry(&self) -> (PixelFormat, u32, u32) {
        let g = self.lock();
        (g.format, g.width, g.height)
    }

    /// How many buffers the pool has ever allocated.
    pub fn allocated(&self) -> usize {
        self.lock().allocated
    }

    /// Takes a buffer no frame uses (or allocates one), lets `write` fill it while it is
    /// unshared, and returns it as frame `id`.
    ///
    /// `write` gets the planes and the id of the frame this buffer last held (`None` when it is
    /// fresh and zeroed), so a writer can update only what changed since that frame.
    pub fn get_with<R>(
        &self,
        id: u64,
        capture_time: Instant,
        write: impl FnOnce(PlanesMut<'_>, Option<u64>) -> R,
    ) -> (VideoFrame, R) {
        let (format, width, height, layout, taken) = {
            let mut g = self.lock();
            let free = g
                .buffers
                .iter()
                .position(|(b, _)| Arc::strong_count(b) == 1);
            let taken = free.map(|i| g.buffers.remove(i));
            (g.format, g.width, g.height, g.layout, taken)
        };
        let (mut storage, last) = match taken {
            Some((b, last)) => (b, Some(last)),
            None => {
                self.lock().allocated += 1;
                (
                    Arc::new(vec![0u8; layout.len]) as Arc<dyn PixelStorage>,
                    None,
                )
            }
        };
        let result = {
            let bytes = Arc::get_mut(&mut storage)
                .expect("a buffer the pool hands out has no other owner")
                .bytes_mut();
            write(
                PlanesMut {
                    bytes,
                    planes: layout.planes,
                    format,
                    width,
                    height,
                },
                last,
            )
        };
        {
            let mut g = self.lock();
            if g.buffers.len() < g.max_buffers {
                g.buffers.push((storage.clone(), id));
            }
        }
        let frame = VideoFrame {
            format,
            width,
            height,
            planes: layout.planes,
            storage,
            id,
            capture_time,
            damage: None,
            stages: StageTimes::default(),
        };
        (frame, result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_recycles_buffers_and_reports_last_frame() {
        let pool = FramePool::new(PixelFormat::I420, 64, 32, 4);
        let now = Instant::now();
        let (a, last_a) = pool.get_with(0, now, |p, last| {
            p.bytes[0] = 7;
            last
        });
        assert_eq!(last_a, None);
        let (b, _) = pool.get_with(1, now, |_, last| last);
        drop(a);
        // `a`'s buffer is free again; it last held frame 0 and kept its pixels.
        let (c, (last_c, first)) = pool.get_with(2, now, |p, last| (last, p.bytes[0]));
        assert_eq!(last_c, Some(0));
        assert_eq!(first, 7);
        drop(b);
        drop(c);
        for i in 0..10 {
            let (f, last) = pool.get_with(3 + i, now, |_, last| last);
            assert!(last.is_some());
            drop(f);
        }
        assert_eq!(pool.allocated(), 2);
    }

    #[test]
    fn pool_gives_a_shared_buffer_to_no_one() {
        let pool = FramePool::new(PixelFormat::Bgra, 4, 4, 8);
        let now = Instant::now();
        let (a, _) = pool.get_with(0, now, |p, _| p.bytes.fill(1));
        let (b, _) = pool.get_with(1, now, |p, _| p.bytes.fill(2));
        assert!(a.plane(0).iter().all(|&v| v == 1));
        assert!(b.plane(0).iter().all(|&v| v == 2));
    }

    #[test]
    fn i420_layout_handles_odd_sizes() {
        let l = PixelFormat::I420.layout(5, 3);
        assert_eq!(l.planes[1].stride, 3);
        assert_eq!(l.len, 15 + 2 * 3 * 2);
    }

    #[test]
    fn damage_list_merges_instead_of_dropping() {
        let mut d = DamageList::new();
        for i in 0..100u32 {
            d.push(Rect::new(i * 10, i * 7, 3, 3));
        }
        assert_eq!(d.len(), MAX_DAMAGE_RECTS);
        for i in 0..100u32 {
            assert!(
                d.as_slice()
                    .iter()
                    .any(|r| r.contains(i * 10 + 1, i * 7 + 1))
            );
        }
    }

    #[test]
    fn align_out_covers_and_clips() {
        let r = Rect::new(3, 5, 4, 4).align_out(2, 8, 8);
        assert_eq!(r, Rect::new(2, 4, 6, 4));
    }
}
