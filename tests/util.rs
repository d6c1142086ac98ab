//! Helpers shared by the integration tests.

use std::time::Instant;

use glass::codecs::{FramePool, PixelFormat, Rect, VideoFrame};
use glass::engine::convert::Converter;

/// Converts a BGRA frame to a fresh I420 frame (whole frame).
pub fn to_i420(src: &VideoFrame, pool: &FramePool, conv: &mut Converter) -> VideoFrame {
    let full = [Rect::new(0, 0, src.width, src.height)];
    let (mut f, r) = pool.get_with(src.id, src.capture_time, |mut dst, _| {
        conv.convert(src, &mut dst, &full)
    });
    r.expect("conversion");
    f.damage = src.damage;
    f
}

/// Peak signal-to-noise ratio of plane `i`, in dB.
pub fn psnr(a: &VideoFrame, b: &VideoFrame, i: usize) -> f64 {
    glass::codecs::psnr(a, b, i)
}

/// PSNR over Y, U and V weighted 4:1:1 (the usual "YUV PSNR").
pub fn psnr_yuv(a: &VideoFrame, b: &VideoFrame) -> f64 {
    (4.0 * psnr(a, b, 0) + psnr(a, b, 1) + psnr(a, b, 2)) / 6.0
}

/// The RGB a standard BT.709 limited-range decoder shows for pixel (x, y) of an I420 frame.
pub fn rgb_at(f: &VideoFrame, x: u32, y: u32) -> (u8, u8, u8) {
    assert_eq!(f.format, PixelFormat::I420);
    let yy = f.plane(0)[y as usize * f.planes[0].stride + x as usize] as f64;
    let ci = (y / 2) as usize * f.planes[1].stride + (x / 2) as usize;
    let cb = f.plane(1)[ci] as f64 - 128.0;
    let cr = f.plane(2)[ci] as f64 - 128.0;
    let yl = (yy - 16.0) * 255.0 / 219.0;
    let s = 255.0 / 224.0;
    let r = yl + 1.5748 * cr * s;
    let g = yl - (0.2126 * 1.5748 / 0.7152) * cr * s - (0.0722 * 1.8556 / 0.7152) * cb * s;
    let b = yl + 1.8556 * cb * s;
    let c = |v: f64| v.round().clamp(0.0, 255.0) as u8;
    (c(r), c(g), c(b))
}

/// Whether two colours are within `tol` on every channel.
pub fn close(a: (u8, u8, u8), b: (u8, u8, u8), tol: i32) -> bool {
    (a.0 as i32 - b.0 as i32).abs() <= tol
        && (a.1 as i32 - b.1 as i32).abs() <= tol
        && (a.2 as i32 - b.2 as i32).abs() <= tol
}

/// A monotonic "now" for frames built in tests.
pub fn now() -> Instant {
    Instant::now()
}
