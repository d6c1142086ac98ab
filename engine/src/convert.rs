//! BGRA/BGRX to I420 conversion, BT.709 limited range, whole frames or only what changed.
//!
//! The arithmetic is the `yuv` crate's (`bgra_to_yuv420`, "balanced" mode: 13-bit fixed point,
//! AVX2/SSE4.1 chosen at run time), which matches the BT.709 formulas to ±1 (checked against a
//! floating-point reference in the tests below; `docs/colour.md` has the formulas and why the
//! encoder's VUI must say the same). Chroma is the 2×2 average, sited at the block centre.
//!
//! # Dirty rectangles
//! The crate converts whole images; a rectangle is converted as a sub-image: its first pixel,
//! the frame's strides, and plane slices starting at the rectangle's first sample. Each
//! rectangle is first grown to even edges so every 2×2 chroma block is whole, which makes a
//! partial conversion bit-identical to a full one inside the rectangle.
//!
//! The crate walks rows in pairs with `chunks_exact(2 * stride)`, so a slice that ends at the
//! last pixel of the last row (as a plane does at the bottom of the frame) loses its last row
//! pair. Such a rectangle's last row pair is converted through a small stack buffer instead.
//!
//! # Threads
//! Large areas are split into horizontal bands converted on rayon's pool: a full 1080p frame
//! takes 0.29–0.36 ms on two cores against 0.45–0.59 ms on one (`benches/engine.rs`; libyuv's
//! `ARGBToI420` takes 0.9 ms on the same machine, so the crate is not the bottleneck). Turn it
//! off with [`Converter::set_parallel`] when the encoder needs the other core more. Rectangles are converted
//! one after another: damage rectangles may overlap, so they cannot be written concurrently.

use glass_codecs::frame::PlanesMut;
use glass_codecs::{Error, PixelFormat, Rect, VideoFrame};
use yuv::{BufferStoreMut, YuvConversionMode, YuvPlanarImageMut, YuvRange, YuvStandardMatrix};

/// Areas (in pixels) below this are converted on the calling thread.
const PARALLEL_MIN_PIXELS: usize = 256 * 256;

/// Pixels per piece when a last row pair goes through the stack buffer.
const TAIL_CHUNK: usize = 512;

/// Converts BGRA/BGRX frames to I420 (BT.709, limited range). Allocation-free.
#[derive(Debug, Clone)]
pub struct Converter {
    parallel: bool,
}

impl Default for Converter {
    fn default() -> Self {
        Self::new()
    }
}

impl Converter {
    /// A converter that uses rayon's pool for large areas.
    pub fn new() -> Self {
        Self { parallel: true }
    }

    /// Whether large areas may be split over rayon's pool (default `true`).
    pub fn set_parallel(&mut self, parallel: bool) {
        self.parallel = parallel;
    }

    /// Converts the whole of `src` into `dst`.
    pub fn convert_full(&mut self, src: &VideoFrame, dst: &mut PlanesMut<'_>) -> Result<(), Error> {
        self.convert(src, dst, &[Rect::new(0, 0, src.width, src.height)])
    }

    /// Converts the pixels of `src` inside `rects` into `dst`, leaving the rest of `dst` as it
    /// was. Each rectangle is clipped to the frame and grown to even edges (so a 2×2 chroma
    /// block is never half-updated). An empty `rects` converts nothing.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when `src` is not BGRA/BGRX, `dst` is not I420, their sizes
    /// differ, a size is odd (4:2:0 H.264 needs even sizes), or `dst`'s planes do not fit its
    /// bytes or overlap.
    pub fn convert(
        &mut self,
        src: &VideoFrame,
        dst: &mut PlanesMut<'_>,
        rects: &[Rect],
    ) -> Result<(), Error> {
        let (w, h) = (src.width, src.height);
        if !src.format.is_rgb() {
            return Err(Error::InvalidInput(format!(
                "conversion source must be BGRA/BGRX, not {:?}",
                src.format
            )));
        }
        if dst.format != PixelFormat::I420 {
            return Err(Error::InvalidInput(format!(
                "conversion target must be I420, not {:?}",
                dst.format
            )));
        }
        if (dst.width, dst.height) != (w, h) {
            return Err(Error::InvalidInput(format!(
                "conversion source is {w}x{h} but target is {}x{}",
                dst.width, dst.height
            )));
        }
        if w % 2 != 0 || h % 2 != 0 {
            return Err(Error::InvalidInput(format!(
                "odd frame size {w}x{h} (4:2:0 needs even sizes)"
            )));
        }
        if w == 0 || h == 0 || rects.is_empty() {
            return Ok(());
        }
        if !src.layout_fits() {
            return Err(Error::InvalidInput(
                "conversion source planes do not fit its storage".into(),
            ));
        }
        let src_stride = src.planes[0].stride;
        let src_bytes = src.plane(0);
        let [(ys, y_plane), (us, u_plane), (vs, v_plane)] = split_planes(dst)?;
        let frame = Rect::new(0, 0, w, h);
        for r in rects {
            let r = r.intersect(&frame).align_out(2, w, h);
            if r.is_empty() {
                continue;
            }
            let (x, y, rw, rh) = (
                r.x as usize,
                r.y as usize,
                r.width as usize,
                r.height as usize,
            );
            let block = Block {
                src: &src_bytes[y * src_stride + x * 4..],
                src_stride,
                y: &mut y_plane[y * ys + x..],
                y_stride: ys,
                u: &mut u_plane[y / 2 * us + x / 2..],
                u_stride: us,
                v: &mut v_plane[y / 2 * vs + x / 2..],
                v_stride: vs,
                width: rw,
                height: rh,
            };
            block.convert(self.parallel && rayon::current_num_threads() > 1)?;
        }
        Ok(())
    }
}

/// The Y, U and V planes of `dst` as disjoint slices, each from its first sample to the end
/// of its last row, with their strides.
fn split_planes<'a>(dst: &'a mut PlanesMut<'_>) -> Result<[(usize, &'a mut [u8]); 3], Error> {
    let (w, h) = (dst.width as usize, dst.height as usize);
    let rows = [h, h / 2, h / 2];
    let row_bytes = [w, w / 2, w / 2];
    let extent = |i: usize| {
        let p = dst.planes[i];
        (p.stride >= row_bytes[i])
            .then(|| (p.offset, p.offset + p.stride * (rows[i] - 1) + row_bytes[i]))
    };
    let bad = || {
        Error::InvalidInput(format!(
            "I420 planes {:?} do not fit {} bytes or overlap",
            dst.planes,
            dst.bytes.len()
        ))
    };
    let ext = [
        extent(0).ok_or_else(bad)?,
        extent(1).ok_or_else(bad)?,
        extent(2).ok_or_else(bad)?,
    ];
    let mut order = [0, 1, 2];
    order.sort_by_key(|&i| ext[i].0);
    if ext[order[0]].1 > ext[order[1]].0
        || ext[order[1]].1 > ext[order[2]].0
        || ext[order[2]].1 > dst.bytes.len()
    {
        return Err(bad());
    }
    let strides = [
        dst.planes[0].stride,
        dst.planes[1].stride,
        dst.planes[2].stride,
    ];
    let mut out: [&mut [u8]; 3] = [&mut [], &mut [], &mut []];
    let mut rest = &mut dst.bytes[..];
    let mut base = 0;
    for i in order {
        let (start, end) = ext[i];
        let (_, tail) = std::mem::take(&mut rest).split_at_mut(start - base);
        let (plane, tail) = tail.split_at_mut(end - start);
        out[i] = plane;
        rest = tail;
        base = end;
    }
    let [y, u, v] = out;
    Ok([(strides[0], y), (strides[1], u), (strides[2], v)])
}

/// An even-sized block of the source and the matching I420 samples. Each slice starts at the
/// block's first sample and reaches at least the block's last sample.
struct Block<'s, 'd> {
    src: &'s [u8],
    src_stride: usize,
    y: &'d mut [u8],
    y_stride: usize,
    u: &'d mut [u8],
    u_stride: usize,
    v: &'d mut [u8],
    v_stride: usize,
    width: usize,
    height: usize,
}

impl Block<'_, '_> {
    fn convert(self, parallel: bool) -> Result<(), Error> {
        if parallel && self.width * self.height >= PARALLEL_MIN_PIXELS && self.height >= 4 {
            let top = (self.height / 2) & !1;
            let (a, b) = self.split(top);
            let (ra, rb) = rayon::join(|| a.convert(true), || b.convert(true));
            return ra.and(rb);
        }
        self.convert_here()
    }

    /// Splits after `rows` rows (even): the top half's slices end where the bottom's start.
    fn split(self, rows: usize) -> (Self, Self) {
        let Block {
            src,
            src_stride,
            y,
            y_stride,
            u,
            u_stride,
            v,
            v_stride,
            width,
            height,
        } = self;
        let (src_a, src_b) = src.split_at(rows * src_stride);
        let (y_a, y_b) = y.split_at_mut(rows * y_stride);
        let (u_a, u_b) = u.split_at_mut(rows / 2 * u_stride);
        let (v_a, v_b) = v.split_at_mut(rows / 2 * v_stride);
        let block = |src, y, u, v, height| Block {
            src,
            src_stride,
            y,
            y_stride,
            u,
            u_stride,
            v,
            v_stride,
            width,
            height,
        };
        (
            block(src_a, y_a, u_a, v_a, rows),
            block(src_b, y_b, u_b, v_b, height - rows),
        )
    }

    fn convert_here(self) -> Result<(), Error> {
        let (h, ch) = (self.height, self.height / 2);
        // Rows the crate can take in place: all of them if every slice holds whole strides
        // for every row pair, else all but the last pair.
        let whole = self.src.len() >= h * self.src_stride
            && self.y.len() >= h * self.y_stride
            && self.u.len() >= ch * self.u_stride
            && self.v.len() >= ch * self.v_stride;
        let direct = if whole { h } else { h - 2 };
        if direct > 0 {
            // Trimmed to exactly `direct` rows: the crate converts as many row pairs as the
            // shortest slice holds.
            let mut img = YuvPlanarImageMut {
                y_plane: BufferStoreMut::Borrowed(&mut self.y[..direct * self.y_stride]),
                y_stride: self.y_stride as u32,
                u_plane: BufferStoreMut::Borrowed(&mut self.u[..direct / 2 * self.u_stride]),
                u_stride: self.u_stride as u32,
                v_plane: BufferStoreMut::Borrowed(&mut self.v[..direct / 2 * self.v_stride]),
                v_stride: self.v_stride as u32,
                width: self.width as u32,
                height: direct as u32,
            };
            bgra_to_i420(
                &mut img,
                &self.src[..direct * self.src_stride],
                self.src_stride,
            )?;
        }
        if !whole {
            self.convert_last_pair()?;
        }
        Ok(())
    }

    /// Converts the last row pair through a stack buffer with tight strides.
    fn convert_last_pair(self) -> Result<(), Error> {
        let (h, ch) = (self.height, self.height / 2);
        let mut rgba = [0u8; 2 * TAIL_CHUNK * 4];
        let mut y = [0u8; 2 * TAIL_CHUNK];
        let mut u = [0u8; TAIL_CHUNK / 2];
        let mut v = [0u8; TAIL_CHUNK / 2];
        for x in (0..self.width).step_by(TAIL_CHUNK) {
            let cw = TAIL_CHUNK.min(self.width - x);
            for row in 0..2 {
                let s = (h - 2 + row) * self.src_stride + x * 4;
                rgba[row * cw * 4..][..cw * 4].copy_from_slice(&self.src[s..s + cw * 4]);
            }
            let mut img = YuvPlanarImageMut {
                y_plane: BufferStoreMut::Borrowed(&mut y[..2 * cw]),
                y_stride: cw as u32,
                u_plane: BufferStoreMut::Borrowed(&mut u[..cw / 2]),
                u_stride: (cw / 2) as u32,
                v_plane: BufferStoreMut::Borrowed(&mut v[..cw / 2]),
                v_stride: (cw / 2) as u32,
                width: cw as u32,
                height: 2,
            };
            bgra_to_i420(&mut img, &rgba[..2 * cw * 4], cw * 4)?;
            for row in 0..2 {
                let d = (h - 2 + row) * self.y_stride + x;
                self.y[d..d + cw].copy_from_slice(&y[row * cw..][..cw]);
            }
            let d = (ch - 1) * self.u_stride + x / 2;
            self.u[d..d + cw / 2].copy_from_slice(&u[..cw / 2]);
            let d = (ch - 1) * self.v_stride + x / 2;
            self.v[d..d + cw / 2].copy_from_slice(&v[..cw / 2]);
        }
        Ok(())
    }
}

fn bgra_to_i420(
    img: &mut YuvPlanarImageMut<'_, u8>,
    src: &[u8],
    src_stride: usize,
) -> Result<(), Error> {
    yuv::bgra_to_yuv420(
        img,
        src,
        src_stride as u32,
        YuvRange::Limited,
        YuvStandardMatrix::Bt709,
        YuvConversionMode::Balanced,
    )
    .map_err(|e| Error::Backend {
        backend: "yuv",
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use glass_codecs::{FramePool, Plane};
    use proptest::prelude::*;
    use std::sync::Arc;
    use std::time::Instant;

    /// BT.709 limited range in floating point, straight from the definition.
    fn reference(bgra: &[u8], stride: usize, w: usize, h: usize) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let (kr, kb) = (0.2126, 0.0722);
        let kg = 1.0 - kr - kb;
        let px = |x: usize, y: usize| {
            let p = &bgra[y * stride + x * 4..];
            (p[2] as f64, p[1] as f64, p[0] as f64)
        };
        let luma = |(r, g, b): (f64, f64, f64)| kr * r + kg * g + kb * b;
        let q = |v: f64| v.round().clamp(0.0, 255.0) as u8;
        let mut yp = vec![0; w * h];
        for y in 0..h {
            for x in 0..w {
                yp[y * w + x] = q(16.0 + 219.0 * luma(px(x, y)) / 255.0);
            }
        }
        let (cw, ch) = (w / 2, h / 2);
        let (mut up, mut vp) = (vec![0; cw * ch], vec![0; cw * ch]);
        for cy in 0..ch {
            for cx in 0..cw {
                let mut s = (0.0, 0.0, 0.0);
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let p = px(2 * cx + dx, 2 * cy + dy);
                    s = (s.0 + p.0 / 4.0, s.1 + p.1 / 4.0, s.2 + p.2 / 4.0);
                }
                let yl = luma(s);
                up[cy * cw + cx] = q(128.0 + 224.0 * (s.2 - yl) / (2.0 * (1.0 - kb) * 255.0));
                vp[cy * cw + cx] = q(128.0 + 224.0 * (s.0 - yl) / (2.0 * (1.0 - kr) * 255.0));
            }
        }
        (yp, up, vp)
    }

    fn bgra_frame(w: u32, h: u32, pad: usize, bytes: impl Fn(usize) -> u8) -> VideoFrame {
        let stride = w as usize * 4 + pad;
        let data: Vec<u8> = (0..stride * h as usize).map(bytes).collect();
        VideoFrame {
            format: PixelFormat::Bgrx,
            width: w,
            height: h,
            planes: [
                Plane { offset: 0, stride },
                Plane::default(),
                Plane::default(),
            ],
            storage: Arc::new(data),
            id: 0,
            capture_time: Instant::now(),
            damage: None,
            stages: Default::default(),
        }
    }

    /// Runs `f` on a pooled, tightly packed I420 buffer pre-filled with `fill`; returns its bytes.
    fn with_i420(
        w: u32,
        h: u32,
        fill: u8,
        f: impl FnOnce(&mut PlanesMut<'_>),
    ) -> (VideoFrame, Vec<u8>) {
        let pool = FramePool::new(PixelFormat::I420, w, h, 1);
        let (frame, ()) = pool.get_with(0, Instant::now(), |mut p, _| {
            p.bytes.fill(fill);
            f(&mut p)
        });
        let bytes = frame.storage.bytes().to_vec();
        (frame, bytes)
    }

    fn assert_close(got: &[u8], want: &[u8], what: &str) {
        assert_eq!(got.len(), want.len());
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(g.abs_diff(*w) <= 1, "{what}[{i}]: got {g}, reference {w}");
        }
    }

    fn check_against_reference(src: &VideoFrame, parallel: bool) {
        let (w, h) = (src.width as usize, src.height as usize);
        let mut c = Converter::new();
        c.set_parallel(parallel);
        let (_, out) = with_i420(src.width, src.height, 0, |dst| {
            c.convert_full(src, dst).unwrap()
        });
        let (yr, ur, vr) = reference(src.plane(0), src.planes[0].stride, w, h);
        assert_close(&out[..w * h], &yr, "Y");
        assert_close(&out[w * h..w * h + w * h / 4], &ur, "U");
        assert_close(&out[w * h + w * h / 4..], &vr, "V");
    }

    #[test]
    fn known_colours() {
        // BT.709 limited: black, white, and the primaries at full intensity.
        let cases: [([u8; 4], [u8; 3]); 5] = [
            ([0, 0, 0, 0], [16, 128, 128]),
            ([255, 255, 255, 0], [235, 128, 128]),
            ([0, 0, 255, 0], [63, 102, 240]),
            ([0, 255, 0, 0], [173, 42, 26]),
            ([255, 0, 0, 0], [32, 240, 118]),
        ];
        for (bgra, [y, u, v]) in cases {
            let src = bgra_frame(4, 2, 0, |i| bgra[i % 4]);
            let (_, out) = with_i420(4, 2, 0, |dst| {
                Converter::new().convert_full(&src, dst).unwrap()
            });
            assert_close(
                &out,
                &[y, y, y, y, y, y, y, y, u, u, v, v],
                &format!("{bgra:?}"),
            );
        }
    }

    #[test]
    fn full_hd_matches_reference_in_parallel() {
        let src = bgra_frame(1920, 1080, 0, |i| {
            (i.wrapping_mul(2_654_435_761) >> 13) as u8
        });
        check_against_reference(&src, true);
    }

    #[test]
    fn rejects_bad_input() {
        let src = bgra_frame(6, 3, 0, |_| 0);
        let (_, _) = with_i420(6, 3, 0, |dst| {
            assert!(matches!(
                Converter::new().convert_full(&src, dst),
                Err(Error::InvalidInput(_))
            ));
        });
        let src = bgra_frame(6, 4, 0, |_| 0);
        let (_, _) = with_i420(8, 4, 0, |dst| {
            assert!(matches!(
                Converter::new().convert_full(&src, dst),
                Err(Error::InvalidInput(_))
            ));
        });
        let (_, _) = with_i420(6, 4, 0, |dst| {
            dst.planes[2].offset -= 1;
            assert!(matches!(
                Converter::new().convert_full(&src, dst),
                Err(Error::InvalidInput(_))
            ));
        });
    }

    #[test]
    fn empty_rects_convert_nothing() {
        let src = bgra_frame(8, 8, 0, |_| 200);
        let (_, out) = with_i420(8, 8, 7, |dst| {
            Converter::new().convert(&src, dst, &[]).unwrap()
        });
        assert!(out.iter().all(|&b| b == 7));
    }

    fn rect_strategy(w: u32, h: u32) -> impl Strategy<Value = Rect> {
        (0..w + 4, 0..h + 4, 0..w + 4, 0..h + 4).prop_map(|(x, y, rw, rh)| Rect::new(x, y, rw, rh))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(150))]

        #[test]
        fn matches_reference(
            (w, h) in (1u32..70, 1u32..40).prop_map(|(w, h)| (w * 2, h * 2)),
            pad in 0usize..3,
            seed in any::<u64>(),
        ) {
            let src = bgra_frame(w, h, pad * 4, |i| ((i as u64 ^ seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as u8);
            check_against_reference(&src, false);
        }

        #[test]
        fn partial_equals_full_inside_and_leaves_the_rest(
            (w, h, rects) in (1u32..300, 1u32..60).prop_flat_map(|(w, h)| {
                let (w, h) = (w * 2, h * 2);
                (Just(w), Just(h), prop::collection::vec(rect_strategy(w, h), 0..5))
            }),
            pad in 0usize..3,
            seed in any::<u64>(),
            parallel in any::<bool>(),
        ) {
            let src = bgra_frame(w, h, pad * 4, |i| ((i as u64 ^ seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as u8);
            let mut c = Converter::new();
            c.set_parallel(parallel);
            let (_, full) = with_i420(w, h, 0, |dst| c.convert_full(&src, dst).unwrap());
            let (_, part) = with_i420(w, h, 0xA5, |dst| c.convert(&src, dst, &rects).unwrap());
            let (wu, hu) = (w as usize, h as usize);
            let frame = Rect::new(0, 0, w, h);
            let aligned: Vec<Rect> = rects.iter().map(|r| r.intersect(&frame).align_out(2, w, h)).collect();
            let inside = |x: usize, y: usize| aligned.iter().any(|r| r.contains(x as u32, y as u32));
            for y in 0..hu {
                for x in 0..wu {
                    let i = y * wu + x;
                    let want = if inside(x, y) { full[i] } else { 0xA5 };
                    prop_assert_eq!(part[i], want, "Y ({}, {})", x, y);
                }
            }
            let (cw, ch) = (wu / 2, hu / 2);
            for plane in 0..2 {
                let base = wu * hu + plane * cw * ch;
                for cy in 0..ch {
                    for cx in 0..cw {
                        let i = base + cy * cw + cx;
                        let want = if inside(2 * cx, 2 * cy) { full[i] } else { 0xA5 };
                        prop_assert_eq!(part[i], want, "chroma {} ({}, {})", plane, cx, cy);
                    }
                }
            }
        }
    }
}
