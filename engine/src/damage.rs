//! Dirty-region detection: which tiles of a BGRA/BGRX frame differ from the previous frame.
//!
//! # Design
//! The frame is cut into [`TILE_WIDTH`]×[`TILE_HEIGHT`] tiles (edge tiles are smaller). Tiles
//! are scanned one band (a row of tiles) at a time, a pixel row at a time; per row, each run of
//! tiles not yet known dirty is compared with one slice equality (`memcmp`, SIMD in libc). Only
//! when a run differs is it split into per-tile compares to find which tiles changed. So:
//! - an unchanged frame costs one `memcmp` per pixel row, as fast as comparing the whole
//!   frame's bytes;
//! - a changed tile drops out of the compare after its first differing row, and a band whose
//!   tiles are all dirty stops being read, so a fully changed frame reads almost nothing.
//!
//! Bands go to rayon when the area to compare is large enough to pay for the fork (measured in
//! `benches/engine.rs`). Dirty tiles become rectangles by joining horizontal runs and stacking
//! runs with identical spans in consecutive bands; the [`DamageList`] merges beyond its
//! capacity, so it always covers every change (it may over-cover).
//!
//! Tile size: the cost of an unchanged or a fully changed frame hardly depends on it (one
//! `memcmp` per row; one tile-row per tile), so it is chosen for precision. 64×16 keeps a
//! 16×16 glyph change to at most 128×32 pixels and a text line to one band, and is a whole
//! number of 16×16 macroblocks. 32×32 tiles measured the same for unchanged and one-glyph
//! frames (both cover a 16×16 glyph with 2048 pixels at worst); they only make a fully changed
//! 4K frame cheaper (60 µs instead of 130 µs on one core), which does not matter.
//!
//! # BGRX
//! The fourth byte of [`PixelFormat::Bgrx`] is undefined. Most X servers write a constant
//! there, so rows are first compared with plain `memcmp`; only a row that differs is compared
//! again with the fourth byte masked (eight `u64` lanes at a time, a loop LLVM vectorises). A
//! change of the fourth byte alone therefore costs a second pass over that row, never a false
//! damage report.

use glass_codecs::{DamageList, PixelFormat, Rect, VideoFrame};
use rayon::prelude::*;

/// Tile width in pixels.
pub const TILE_WIDTH: u32 = 64;
/// Tile height in pixels.
pub const TILE_HEIGHT: u32 = 16;

/// Areas (in pixels) below this are compared on the calling thread: forking costs more than
/// it saves. Above it, bands are spread over rayon's pool.
const PARALLEL_MIN_PIXELS: u64 = 512 * 512;

/// Bytes per BGRA/BGRX pixel.
const BPP: usize = 4;

/// Compares frames tile by tile and reports the changed rectangles.
///
/// Holds a per-tile dirty map and run lists sized for one frame size; they are reallocated only
/// when the size changes, so detection does not allocate at steady state.
#[derive(Debug, Clone)]
pub struct DamageDetector {
    width: u32,
    height: u32,
    tiles_x: usize,
    tiles_y: usize,
    /// One flag per tile, row-major; `tiles_x` flags per band.
    dirty: Vec<bool>,
    /// Rectangles being grown downwards while merging (spans of the previous band).
    open: Vec<Run>,
    /// Spans of the current band, then the next `open`.
    runs: Vec<Run>,
    next: Vec<Run>,
    parallel: bool,
}

/// A horizontal span of dirty tiles `[tx0, tx1)` that started at band `band0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    tx0: u32,
    tx1: u32,
    band0: u32,
}

/// What one band scan needs; shared read-only by all bands.
struct Scan<'a> {
    prev: &'a [u8],
    prev_stride: usize,
    cur: &'a [u8],
    cur_stride: usize,
    width: u32,
    height: u32,
    masked: bool,
    hints: &'a [Rect],
}

impl DamageDetector {
    /// A detector for frames of `width`×`height` (other sizes are handled, at the cost of
    /// reallocating its scratch once).
    pub fn new(width: u32, height: u32) -> Self {
        let mut d = Self {
            width: 0,
            height: 0,
            tiles_x: 0,
            tiles_y: 0,
            dirty: Vec::new(),
            open: Vec::new(),
            runs: Vec::new(),
            next: Vec::new(),
            parallel: true,
        };
        d.resize(width, height);
        d
    }

    /// Whether large compares may use rayon's pool (default `true`). Turn it off when the
    /// other cores are busy with work that matters more, or to measure.
    pub fn set_parallel(&mut self, parallel: bool) {
        self.parallel = parallel;
    }

    fn resize(&mut self, width: u32, height: u32) {
        if (width, height) == (self.width, self.height) {
            return;
        }
        self.width = width;
        self.height = height;
        self.tiles_x = width.div_ceil(TILE_WIDTH) as usize;
        self.tiles_y = height.div_ceil(TILE_HEIGHT) as usize;
        self.dirty = vec![false; self.tiles_x * self.tiles_y];
        // At most one run per two tiles in a band (runs are separated by a clean tile).
        let runs = self.tiles_x.div_ceil(2) + 1;
        self.open = Vec::with_capacity(runs);
        self.runs = Vec::with_capacity(runs);
        self.next = Vec::with_capacity(runs);
    }

    /// Replaces `out` with the rectangles where `cur` differs from `prev`.
    ///
    /// With `hints` (what the OS says changed), only pixels inside them are compared, so
    /// changes outside the hints are not reported; `None` compares everything. Reported
    /// rectangles are whole tiles clipped to the frame and cover every differing pixel
    /// compared; an unchanged frame reports none.
    ///
    /// Frames of different sizes, or not both BGRA/BGRX, cannot be compared: `out` is then
    /// the whole of `cur`. A BGRX frame on either side makes the fourth byte ignored.
    pub fn detect(
        &mut self,
        prev: &VideoFrame,
        cur: &VideoFrame,
        hints: Option<&DamageList>,
        out: &mut DamageList,
    ) {
        out.clear();
        let (width, height) = (cur.width, cur.height);
        if width == 0 || height == 0 {
            return;
        }
        if (prev.width, prev.height) != (width, height)
            || !prev.format.is_rgb()
            || !cur.format.is_rgb()
        {
            out.push(Rect::new(0, 0, width, height));
            return;
        }
        self.resize(width, height);
        let full = [Rect::new(0, 0, width, height)];
        let hints = hints.map_or(&full[..], DamageList::as_slice);
        if hints.is_empty() {
            return;
        }
        let scan = Scan {
            prev: prev.plane(0),
            prev_stride: prev.planes[0].stride,
            cur: cur.plane(0),
            cur_stride: cur.planes[0].stride,
            width,
            height,
            masked: prev.format == PixelFormat::Bgrx || cur.format == PixelFormat::Bgrx,
            hints,
        };
        self.dirty.fill(false);
        let area: u64 = hints.iter().map(|r| r.intersect(&full[0]).area()).sum();
        let tiles_x = self.tiles_x;
        if self.parallel && area >= PARALLEL_MIN_PIXELS && rayon::current_num_threads() > 1 {
            self.dirty
                .par_chunks_mut(tiles_x)
                .enumerate()
                .for_each(|(band, dirty)| scan.band(band as u32, dirty));
        } else {
            for (band, dirty) in self.dirty.chunks_mut(tiles_x).enumerate() {
                scan.band(band as u32, dirty);
            }
        }
        self.merge(out);
    }

    /// Joins dirty tiles into rectangles: runs within a band, stacked while the spans match.
    fn merge(&mut self, out: &mut DamageList) {
        self.open.clear();
        for (band, dirty) in self.dirty.chunks(self.tiles_x).enumerate() {
            let band = band as u32;
            self.runs.clear();
            let mut tx = 0;
            while tx < dirty.len() {
                if !dirty[tx] {
                    tx += 1;
                    continue;
                }
                let start = tx;
                while tx < dirty.len() && dirty[tx] {
                    tx += 1;
                }
                self.runs.push(Run {
                    tx0: start as u32,
                    tx1: tx as u32,
                    band0: band,
                });
            }
            // Both lists are sorted and disjoint: walk them together.
            self.next.clear();
            let (mut i, mut j) = (0, 0);
            while i < self.open.len() || j < self.runs.len() {
                let o = self.open.get(i).copied();
                let r = self.runs.get(j).copied();
                match (o, r) {
                    (Some(o), Some(r)) if o.tx0 == r.tx0 && o.tx1 == r.tx1 => {
                        self.next.push(o);
                        i += 1;
                        j += 1;
                    }
                    (Some(o), r) if r.is_none_or(|r| o.tx0 <= r.tx0) => {
                        out.push(self.rect(o, band));
                        i += 1;
                    }
                    (_, Some(r)) => {
                        self.next.push(r);
                        j += 1;
                    }
                    (_, None) => unreachable!("loop runs while one list has items"),
                }
            }
            std::mem::swap(&mut self.open, &mut self.next);
        }
        let end = self.tiles_y as u32;
        // Index rather than `mem::take`: the scratch keeps its capacity (no allocation per
        // frame).
        for &o in &self.open {
            out.push(self.rect(o, end));
        }
        self.open.clear();
    }

    /// The pixels of run `o`, from its first band to just before band `end`.
    fn rect(&self, o: Run, end: u32) -> Rect {
        let x0 = o.tx0 * TILE_WIDTH;
        let y0 = o.band0 * TILE_HEIGHT;
        let x1 = (o.tx1 * TILE_WIDTH).min(self.width);
        let y1 = (end * TILE_HEIGHT).min(self.height);
        Rect::new(x0, y0, x1 - x0, y1 - y0)
    }
}

impl Scan<'_> {
    /// Marks the dirty tiles of band `band` in `dirty` (this band's flags only).
    fn band(&self, band: u32, dirty: &mut [bool]) {
        let y0 = band * TILE_HEIGHT;
        let band_rect = Rect::new(0, y0, self.width, TILE_HEIGHT.min(self.height - y0));
        for hint in self.hints {
            let r = hint.intersect(&band_rect);
            if r.is_empty() {
                continue;
            }
            let tx0 = (r.x / TILE_WIDTH) as usize;
            let tx1 = (r.right() - 1) as usize / TILE_WIDTH as usize + 1;
            let mut clean = dirty[tx0..tx1].iter().filter(|d| !**d).count();
            if clean == dirty.len() && self.band_unchanged(&r) {
                continue;
            }
            for y in r.y as usize..r.bottom() as usize {
                if clean == 0 {
                    break;
                }
                let p = &self.prev[y * self.prev_stride..][..self.width as usize * BPP];
                let c = &self.cur[y * self.cur_stride..][..self.width as usize * BPP];
                clean -= self.row(p, c, r.x, r.right(), tx0, tx1, dirty);
            }
        }
    }

    /// Fast path for the common unchanged band: when `r` spans whole rows of two tightly
    /// packed frames its bytes are contiguous, and one `memcmp` replaces one per row.
    fn band_unchanged(&self, r: &Rect) -> bool {
        let row = self.width as usize * BPP;
        if r.x != 0 || r.width != self.width || self.prev_stride != row || self.cur_stride != row {
            return false;
        }
        let bytes = r.y as usize * row..r.bottom() as usize * row;
        self.equal(&self.prev[bytes.clone()], &self.cur[bytes])
    }

    /// Compares pixels `[x0, x1)` of one row over tiles `[tx0, tx1)`; marks tiles that
    /// differ and returns how many it newly marked.
    #[allow(clippy::too_many_arguments)]
    fn row(
        &self,
        p: &[u8],
        c: &[u8],
        x0: u32,
        x1: u32,
        tx0: usize,
        tx1: usize,
        dirty: &mut [bool],
    ) -> usize {
        let span = |t0: usize, t1: usize| {
            let a = (t0 as u32 * TILE_WIDTH).max(x0) as usize * BPP;
            let b = (t1 as u32 * TILE_WIDTH).min(x1) as usize * BPP;
            a..b
        };
        let mut marked = 0;
        let mut tx = tx0;
        while tx < tx1 {
            if dirty[tx] {
                tx += 1;
                continue;
            }
            // A run of clean tiles: one compare; split only if it differs.
            let start = tx;
            while tx < tx1 && !dirty[tx] {
                tx += 1;
            }
            let s = span(start, tx);
            if self.equal(&p[s.clone()], &c[s]) {
                continue;
            }
            if tx - start == 1 {
                dirty[start] = true;
                marked += 1;
                continue;
            }
            for (t, d) in dirty.iter_mut().enumerate().take(tx).skip(start) {
                let s = span(t, t + 1);
                if !self.equal(&p[s.clone()], &c[s]) {
                    *d = true;
                    marked += 1;
                }
            }
        }
        marked
    }

    fn equal(&self, a: &[u8], b: &[u8]) -> bool {
        a == b || (self.masked && equal_ignoring_x(a, b))
    }
}

/// Whether two runs of BGRX pixels are equal in B, G and R (the fourth byte is ignored).
///
/// Written as eight independent `u64` lanes per 64-byte step so LLVM turns the step into a few
/// vector XOR/AND/OR instructions and one test; the exit is per step, not per pixel.
fn equal_ignoring_x(a: &[u8], b: &[u8]) -> bool {
    debug_assert_eq!(a.len(), b.len());
    // Little-endian: bytes 3 and 7 of each eight are the X bytes of two pixels.
    const MASK: u64 = 0x00FF_FFFF_00FF_FFFF;
    let lane = |s: &[u8], i: usize| {
        u64::from_le_bytes(s[i * 8..i * 8 + 8].try_into().expect("eight bytes"))
    };
    let mut ca = a.chunks_exact(64);
    let mut cb = b.chunks_exact(64);
    for (x, y) in (&mut ca).zip(&mut cb) {
        let mut acc = 0;
        for i in 0..8 {
            acc |= (lane(x, i) ^ lane(y, i)) & MASK;
        }
        if acc != 0 {
            return false;
        }
    }
    ca.remainder()
        .chunks_exact(BPP)
        .zip(cb.remainder().chunks_exact(BPP))
        .all(|(x, y)| x[..3] == y[..3])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::Arc;
    use std::time::Instant;

    fn frame(
        format: PixelFormat,
        width: u32,
        height: u32,
        stride: usize,
        bytes: Vec<u8>,
    ) -> VideoFrame {
        let f = VideoFrame {
            format,
            width,
            height,
            planes: [
                glass_codecs::Plane { offset: 0, stride },
                Default::default(),
                Default::default(),
            ],
            storage: Arc::new(bytes),
            id: 0,
            capture_time: Instant::now(),
            damage: None,
            stages: Default::default(),
        };
        assert!(f.layout_fits());
        f
    }

    /// A frame of `w`×`h` with `pad` bytes after each row, pixels from `px(x, y)`.
    fn make(
        format: PixelFormat,
        w: u32,
        h: u32,
        pad: usize,
        px: impl Fn(u32, u32) -> [u8; 4],
    ) -> VideoFrame {
        let stride = w as usize * 4 + pad;
        let mut bytes = vec![0xEEu8; stride * h as usize];
        for y in 0..h {
            for x in 0..w {
                let o = y as usize * stride + x as usize * 4;
                bytes[o..o + 4].copy_from_slice(&px(x, y));
            }
        }
        frame(format, w, h, stride, bytes)
    }

    fn covered(d: &DamageList, x: u32, y: u32) -> bool {
        d.as_slice().iter().any(|r| r.contains(x, y))
    }

    #[test]
    fn unchanged_frame_reports_nothing() {
        let a = make(PixelFormat::Bgra, 200, 100, 0, |x, y| {
            [x as u8, y as u8, 3, 255]
        });
        let b = make(PixelFormat::Bgra, 200, 100, 12, |x, y| {
            [x as u8, y as u8, 3, 255]
        });
        let mut d = DamageDetector::new(200, 100);
        let mut out = DamageList::full(1, 1);
        d.detect(&a, &b, None, &mut out);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn one_pixel_change_reports_its_tile() {
        let a = make(PixelFormat::Bgra, 300, 70, 0, |_, _| [1, 2, 3, 4]);
        let b = make(PixelFormat::Bgra, 300, 70, 0, |x, y| {
            if (x, y) == (130, 69) {
                [9, 2, 3, 4]
            } else {
                [1, 2, 3, 4]
            }
        });
        let mut d = DamageDetector::new(300, 70);
        let mut out = DamageList::new();
        d.detect(&a, &b, None, &mut out);
        assert_eq!(out.as_slice(), &[Rect::new(128, 64, 64, 6)]);
    }

    #[test]
    fn bgrx_ignores_fourth_byte_and_bgra_does_not() {
        let a = make(PixelFormat::Bgrx, 130, 20, 0, |_, _| [1, 2, 3, 0]);
        let b = make(PixelFormat::Bgrx, 130, 20, 0, |x, _| [1, 2, 3, x as u8]);
        let mut d = DamageDetector::new(130, 20);
        let mut out = DamageList::new();
        d.detect(&a, &b, None, &mut out);
        assert!(out.is_empty());
        let a = make(PixelFormat::Bgra, 130, 20, 0, |_, _| [1, 2, 3, 0]);
        let b = make(PixelFormat::Bgra, 130, 20, 0, |x, _| {
            [1, 2, 3, (x == 129) as u8]
        });
        d.detect(&a, &b, None, &mut out);
        assert_eq!(out.as_slice(), &[Rect::new(128, 0, 2, 20)]);
    }

    #[test]
    fn fully_changed_frame_is_one_rectangle() {
        let a = make(PixelFormat::Bgrx, 1000, 600, 0, |_, _| [0; 4]);
        let b = make(PixelFormat::Bgrx, 1000, 600, 0, |_, _| [1; 4]);
        let mut d = DamageDetector::new(1000, 600);
        let mut out = DamageList::new();
        d.detect(&a, &b, None, &mut out);
        assert_eq!(out.as_slice(), &[Rect::new(0, 0, 1000, 600)]);
    }

    #[test]
    fn hints_limit_the_compare() {
        let a = make(PixelFormat::Bgra, 256, 64, 0, |_, _| [0; 4]);
        let b = make(PixelFormat::Bgra, 256, 64, 0, |x, _| {
            if !(10..=200).contains(&x) {
                [1; 4]
            } else {
                [0; 4]
            }
        });
        let mut hints = DamageList::new();
        hints.push(Rect::new(0, 0, 20, 64));
        let mut d = DamageDetector::new(256, 64);
        let mut out = DamageList::new();
        d.detect(&a, &b, Some(&hints), &mut out);
        assert_eq!(out.as_slice(), &[Rect::new(0, 0, 64, 64)]);
        d.detect(&a, &b, Some(&DamageList::new()), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn size_change_reports_everything() {
        let a = make(PixelFormat::Bgra, 10, 10, 0, |_, _| [0; 4]);
        let b = make(PixelFormat::Bgra, 12, 10, 0, |_, _| [0; 4]);
        let mut d = DamageDetector::new(10, 10);
        let mut out = DamageList::new();
        d.detect(&a, &b, None, &mut out);
        assert_eq!(out.as_slice(), &[Rect::new(0, 0, 12, 10)]);
    }

    #[test]
    fn masked_compare_matches_scalar() {
        let a: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        for i in 0..a.len() {
            let mut b = a.clone();
            b[i] ^= 0x40;
            let want = i % 4 == 3;
            let n = a.len() / 4 * 4;
            assert_eq!(
                equal_ignoring_x(&a[..n], &b[..n]),
                want || i >= n,
                "byte {i}"
            );
        }
    }

    fn check(
        w: u32,
        h: u32,
        pads: (usize, usize),
        format: PixelFormat,
        changes: &[(u32, u32, u8)],
        hints: Option<&[Rect]>,
        parallel: bool,
    ) {
        let base = |x: u32, y: u32| [(x * 3) as u8, (y * 5) as u8, (x ^ y) as u8, 7];
        let a = make(format, w, h, pads.0, base);
        let changed = |x: u32, y: u32| {
            changes
                .iter()
                .find(|c| c.0 % w == x && c.1 % h == y)
                .map(|c| c.2)
        };
        let b = make(format, w, h, pads.1, |x, y| {
            let mut p = base(x, y);
            if let Some(v) = changed(x, y) {
                p[(v % 4) as usize] ^= v | 1;
            }
            p
        });
        let hint_list = hints.map(|hs| {
            let mut l = DamageList::new();
            hs.iter().for_each(|r| l.push(*r));
            l
        });
        let mut d = DamageDetector::new(1, 1);
        d.set_parallel(parallel);
        let mut out = DamageList::new();
        d.detect(&a, &b, hint_list.as_ref(), &mut out);
        let frame_rect = Rect::new(0, 0, w, h);
        for r in out.as_slice() {
            assert!(
                !r.is_empty() && r.intersect(&frame_rect) == *r,
                "{r:?} outside {w}x{h}"
            );
        }
        let mut any = false;
        for y in 0..h {
            for x in 0..w {
                let diff = a.plane(0)[y as usize * a.planes[0].stride + x as usize * 4..][..4]
                    != b.plane(0)[y as usize * b.planes[0].stride + x as usize * 4..][..4];
                let masked_diff = if format == PixelFormat::Bgrx {
                    a.plane(0)[y as usize * a.planes[0].stride + x as usize * 4..][..3]
                        != b.plane(0)[y as usize * b.planes[0].stride + x as usize * 4..][..3]
                } else {
                    diff
                };
                let hinted = hint_list.as_ref().is_none_or(|l| covered(l, x, y));
                if masked_diff && hinted {
                    any = true;
                    assert!(
                        covered(&out, x, y),
                        "({x},{y}) changed but not reported: {out:?}"
                    );
                }
            }
        }
        if !any {
            assert!(out.is_empty(), "nothing changed but reported {out:?}");
        }
    }

    fn rect_in(w: u32, h: u32) -> impl Strategy<Value = Rect> {
        (0..w + 20, 0..h + 20, 0..w + 20, 0..h + 20)
            .prop_map(|(x, y, rw, rh)| Rect::new(x, y, rw, rh))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn reports_every_change_and_nothing_else(
            (w, h, changes, hints) in (1u32..300, 1u32..120).prop_flat_map(|(w, h)| (
                Just(w), Just(h),
                prop::collection::vec((0..w, 0..h, any::<u8>()), 0..40),
                prop::option::of(prop::collection::vec(rect_in(w, h), 0..6)),
            )),
            pads in (0usize..3, 0usize..3).prop_map(|(a, b)| (a * 4, b * 8)),
            bgrx in any::<bool>(),
            parallel in any::<bool>(),
        ) {
            let format = if bgrx { PixelFormat::Bgrx } else { PixelFormat::Bgra };
            check(w, h, pads, format, &changes, hints.as_deref(), parallel);
        }

        #[test]
        fn large_frames_in_parallel(changes in prop::collection::vec((0u32..1100, 0u32..530, any::<u8>()), 0..200)) {
            check(1100, 530, (0, 4), PixelFormat::Bgrx, &changes, None, true);
        }
    }
}
