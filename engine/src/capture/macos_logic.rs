//! The platform-independent half of the ScreenCaptureKit capturer ([`super::macos`]): dirty
//! rectangles to damage, the stream size the encoder accepts, when a frame means the stream must
//! be reconfigured, and what a stream stop means. No objc2 types, so the unit tests run on every
//! OS (`cargo test -p glass-engine capture::macos_logic`).

// On other systems only the tests below use this module.
#![cfg_attr(not(target_os = "macos"), allow(dead_code))]
#![forbid(unsafe_code)]

use glass_codecs::{DamageList, Rect};

/// Largest width or height the encoders take (`EncoderConfig::validate`: even, 16 to 4096).
pub const MAX_STREAM_EDGE: u32 = 4096;
/// Smallest width or height the encoders take.
pub const MIN_STREAM_EDGE: u32 = 16;
/// Most 16×16 macroblocks per frame: H.264 level 5.1/5.2 `MaxFS` (ITU-T H.264 Table A-1), the
/// largest frame every browser decoder is required to take (4096×2304 is exactly this).
pub const MAX_STREAM_MACROBLOCKS: u64 = 36_864;

/// A `CGRect` as plain numbers.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RectF {
    /// Origin x.
    pub x: f64,
    /// Origin y.
    pub y: f64,
    /// Width (may be negative: CoreGraphics geometry standardises such rectangles).
    pub width: f64,
    /// Height (may be negative).
    pub height: f64,
}

impl RectF {
    /// A rectangle from origin and size.
    pub const fn new(x: f64, y: f64, width: f64, height: f64) -> Self {
        Self {
            x,
            y,
            width,
            height,
        }
    }

    fn is_finite(self) -> bool {
        [self.x, self.y, self.width, self.height]
            .iter()
            .all(|v| v.is_finite())
    }

    /// The pixels this rectangle touches on a `width`×`height` frame after scaling by `scale`:
    /// standardised (negative sizes flip), rounded outwards, clipped. `None` when nothing is
    /// left.
    fn to_pixels(self, scale: f64, width: u32, height: u32) -> Option<Rect> {
        let (x0, x1) = ordered(self.x * scale, (self.x + self.width) * scale);
        let (y0, y1) = ordered(self.y * scale, (self.y + self.height) * scale);
        let clip = |v: f64, max: u32| v.clamp(0.0, f64::from(max)) as u32;
        let (x0, x1) = (clip(x0.floor(), width), clip(x1.ceil(), width));
        let (y0, y1) = (clip(y0.floor(), height), clip(y1.ceil(), height));
        (x1 > x0 && y1 > y0).then(|| Rect::new(x0, y0, x1 - x0, y1 - y0))
    }
}

fn ordered(a: f64, b: f64) -> (f64, f64) {
    if a <= b { (a, b) } else { (b, a) }
}

/// Damage on a `width`×`height` frame from ScreenCaptureKit's dirty rectangles.
///
/// `SCStreamFrameInfoDirtyRects` holds CGRects "specified in pixels" (SCStream.h), so they are
/// used as they are: never multiplied by the frame's scale factor, which would move every hint
/// on a Retina display instead of growing it. `stream_scale` is the stream's size over the
/// display's native size (below 1 when [`stream_size`] shrank a large display). The header does
/// not say whether the pixels are the display's or the scaled surface's, so a shrunk stream
/// takes each rectangle in both readings: the damage covers the change either way, at the cost
/// of some extra area to compare.
///
/// Rectangles are rounded outwards and clipped to the frame; empty ones (zero area, wholly
/// outside) are skipped, so an all-empty list means "nothing changed". A rectangle with a NaN
/// or infinite coordinate makes the whole list unusable: `None` (compare everything).
pub fn dirty_rects_to_damage(
    rects: &[RectF],
    stream_scale: f64,
    width: u32,
    height: u32,
) -> Option<DamageList> {
    let mut damage = DamageList::new();
    let shrunk = stream_scale.is_finite() && stream_scale > 0.0 && stream_scale < 1.0;
    for &r in rects {
        if !r.is_finite() {
            return None;
        }
        if let Some(px) = r.to_pixels(1.0, width, height) {
            damage.push(px);
        }
        if shrunk && let Some(px) = r.to_pixels(stream_scale, width, height) {
            damage.push(px);
        }
    }
    Some(damage)
}

/// The size to ask ScreenCaptureKit for, for a display of `native` pixels: the native size when
/// the encoder takes it, else scaled down (ScreenCaptureKit scales on the GPU) to fit
/// [`MAX_STREAM_EDGE`] on both sides and [`MAX_STREAM_MACROBLOCKS`], keeping the aspect ratio
/// within rounding; always even on both sides and at least [`MIN_STREAM_EDGE`]. Input mapping is
/// proportional (wire positions are fractions of the picture), so it needs no change.
pub fn stream_size(native: (u32, u32)) -> (u32, u32) {
    let (w, h) = (f64::from(native.0.max(1)), f64::from(native.1.max(1)));
    let max = f64::from(MAX_STREAM_EDGE);
    // The epsilon keeps 3384 × (4096 / 6016), exactly 2304 on paper, from flooring to 2303.
    let even = |v: f64| (((v + 1e-6).floor() as u32) & !1).clamp(MIN_STREAM_EDGE, MAX_STREAM_EDGE);
    let mut scale = 1f64.min(max / w).min(max / h);
    loop {
        let size = (even(w * scale), even(h * scale));
        if macroblocks(size) <= MAX_STREAM_MACROBLOCKS || size == (MIN_STREAM_EDGE, MIN_STREAM_EDGE)
        {
            return size;
        }
        // Shrink just enough by area, then a little more while rounding still overshoots.
        let over = macroblocks(size) as f64 / MAX_STREAM_MACROBLOCKS as f64;
        scale *= (1.0 / over.sqrt()).min(0.999);
    }
}

fn macroblocks((w, h): (u32, u32)) -> u64 {
    u64::from(w.div_ceil(16)) * u64::from(h.div_ceil(16))
}

/// The sizes a running stream was configured for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Geometry {
    /// The display's native pixel size when the stream was configured.
    pub native: (u32, u32),
    /// The size ScreenCaptureKit delivers ([`stream_size`] of `native`).
    pub stream: (u32, u32),
}

impl Geometry {
    /// The geometry for a display of `native` pixels.
    pub fn for_native(native: (u32, u32)) -> Self {
        Self {
            native,
            stream: stream_size(native),
        }
    }

    /// The stream's size over the native size (1 unless the display was too large).
    pub fn stream_scale(&self) -> f64 {
        if self.native.0 == 0 {
            return 1.0;
        }
        f64::from(self.stream.0) / f64::from(self.native.0)
    }
}

/// What a frame says about how its content fills the surface (`SCStreamFrameInfoContentScale`,
/// `SCStreamFrameInfoContentRect`), when ScreenCaptureKit attached it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ContentInfo {
    /// "the scaling factor from original content size to its size in surface".
    pub content_scale: Option<f64>,
    /// "the size and location of content in points in surface".
    pub content_rect: Option<RectF>,
}

/// Relative tolerance on the content scale (rounding of even sizes is well below it).
const SCALE_TOLERANCE: f64 = 0.02;
/// An origin further than this (points) from the surface's corner is letterboxing.
const OFFSET_TOLERANCE: f64 = 1.0;

/// Whether a frame's content no longer fills the stream as configured: ScreenCaptureKit keeps
/// the configured size when the display's resolution changes, so the content is scaled down
/// (content scale below what `geometry` expects) or letterboxed (content rect moved off the
/// corner). WebRTC's `screen_capturer_sck.mm` reconfigures on a content scale below 1; here the
/// expected scale is the stream's own, which is below 1 on purpose for displays that
/// [`stream_size`] shrinks. Missing or non-finite values say nothing.
pub fn content_mismatch(geometry: &Geometry, info: &ContentInfo) -> bool {
    let expected = geometry.stream_scale();
    let scale_off = info
        .content_scale
        .filter(|s| s.is_finite() && *s > 0.0)
        .is_some_and(|s| (s - expected).abs() > expected * SCALE_TOLERANCE);
    let boxed = info
        .content_rect
        .filter(|r| r.is_finite())
        .is_some_and(|r| r.x.abs() > OFFSET_TOLERANCE || r.y.abs() > OFFSET_TOLERANCE);
    scale_off || boxed
}

/// The geometry to reconfigure to when the display now has `fresh_native` pixels (`None`: keep
/// the stream as it is). `configured_mode` is the display-mode size read when `current` was
/// configured: comparing like with like keeps a small disagreement between the two ways of
/// reading the native size from causing a reconfigure on every check.
pub fn plan_reconfigure(
    current: &Geometry,
    configured_mode: (u32, u32),
    fresh_native: (u32, u32),
) -> Option<Geometry> {
    if fresh_native.0 == 0 || fresh_native.1 == 0 || fresh_native == configured_mode {
        return None;
    }
    let next = Geometry::for_native(fresh_native);
    (next != *current).then_some(next)
}

/// `SCStreamErrorUserDeclined`: the user did not allow capture (SCError.h).
pub const SC_USER_DECLINED: isize = -3801;
/// `SCStreamErrorFailedApplicationConnectionInterrupted`.
pub const SC_CONNECTION_INTERRUPTED: isize = -3805;
/// `SCStreamErrorInternalError`: "video/audio capture failure".
pub const SC_INTERNAL_ERROR: isize = -3811;
/// `SCStreamErrorNoDisplayList`.
pub const SC_NO_DISPLAY_LIST: isize = -3814;
/// `SCStreamErrorNoCaptureSource`: "no display or window list to capture".
pub const SC_NO_CAPTURE_SOURCE: isize = -3815;
/// `SCStreamErrorUserStopped`: the user stopped sharing from the menu bar (macOS 14+).
pub const SC_USER_STOPPED: isize = -3817;
/// `SCStreamErrorSystemStoppedStream`: "the system stopped the stream" (macOS 15+).
pub const SC_SYSTEM_STOPPED: isize = -3821;

/// What to do when ScreenCaptureKit stops the stream (`stream:didStopWithError:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopAction {
    /// Screen Recording permission was withdrawn: end with a permission error.
    Permission,
    /// The user stopped sharing (Apple: handle as "an intentional user request"): end, without
    /// retrying.
    UserStopped,
    /// A display change, sleep or a WindowServer hiccup: start a new stream on the same display.
    Restart,
    /// Anything else: end with the error.
    Fatal,
}

/// Restarts in a row (without a frame in between) before a restartable stop ends the session.
pub const MAX_RESTARTS: u32 = 3;

/// The action for a stop with `code` after `restarts` restarts with no frame since.
pub fn stop_action(code: isize, restarts: u32) -> StopAction {
    match code {
        SC_USER_DECLINED => StopAction::Permission,
        SC_USER_STOPPED => StopAction::UserStopped,
        SC_SYSTEM_STOPPED
        | SC_NO_CAPTURE_SOURCE
        | SC_NO_DISPLAY_LIST
        | SC_CONNECTION_INTERRUPTED
        | SC_INTERNAL_ERROR
            if restarts < MAX_RESTARTS =>
        {
            StopAction::Restart
        }
        _ => StopAction::Fatal,
    }
}

// ---------------------------------------------------------------------------------------------
// Cursor (macos_cursor.rs)
// ---------------------------------------------------------------------------------------------

/// The stream pixel under a global point (`CGEvent` location, points, top-left origin) on a
/// display whose global bounds are `bounds` (x, y, width, height in points) and whose stream is
/// `stream` pixels: the coordinates the video's pixels have. Outside the display gives
/// positions outside `0..stream` (the viewer hides the pointer then).
pub fn cursor_pixel(
    point: (f64, f64),
    bounds: (f64, f64, f64, f64),
    stream: (u32, u32),
) -> (i32, i32) {
    let axis = |p: f64, origin: f64, size: f64, pixels: u32| -> i32 {
        if size <= 0.0 {
            return -1;
        }
        let v = ((p - origin) / size * f64::from(pixels)).floor();
        v.clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32
    };
    (
        axis(point.0, bounds.0, bounds.2, stream.0),
        axis(point.1, bounds.1, bounds.3, stream.1),
    )
}

/// A cursor image's hotspot in its pixels: AppKit gives it in points of an image `points`
/// big, drawn `pixels` big (2× on Retina).
pub fn cursor_hotspot(hot: (f64, f64), points: (f64, f64), pixels: (u32, u32)) -> (u32, u32) {
    let axis = |h: f64, pt: f64, px: u32| -> u32 {
        let scale = if pt > 0.0 { f64::from(px) / pt } else { 1.0 };
        ((h * scale).floor().max(0.0) as u32).min(px.saturating_sub(1))
    };
    (
        axis(hot.0, points.0, pixels.0),
        axis(hot.1, points.1, pixels.1),
    )
}

/// A serial for a cursor image: macOS gives none, so the image and hotspot are hashed
/// (FNV-1a); equal images get equal serials, as one X cursor does.
pub fn cursor_serial(width: u32, height: u32, hot: (u32, u32), pixels: &[u32]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    let mut eat = |v: u32| {
        for b in v.to_le_bytes() {
            h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
    };
    for v in [width, height, hot.0, hot.1] {
        eat(v);
    }
    for &p in pixels {
        eat(p);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covers(damage: &DamageList, x: u32, y: u32) -> bool {
        damage
            .as_slice()
            .iter()
            .any(|r| x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height)
    }

    #[test]
    fn dirty_rects_are_pixels_on_a_2x_frame() {
        // A 14" MacBook Pro at 2×: 1512×982 points, 3024×1964 pixels. The pixels that changed,
        // reported as SCK reports them (pixels).
        let (w, h) = (3024, 1964);
        let changed = (200..300u32, 100..150u32);
        let d = dirty_rects_to_damage(&[RectF::new(200.0, 100.0, 100.0, 50.0)], 1.0, w, h).unwrap();
        for x in changed.0.clone() {
            for y in changed.1.clone() {
                assert!(covers(&d, x, y), "({x}, {y}) not hinted: {d:?}");
            }
        }
        assert_eq!(d.as_slice(), &[Rect::new(200, 100, 100, 50)]);
        // The old points reading moved the hint to (400, 200) and missed the change.
        assert!(!covers(&d, 450, 250));
    }

    #[test]
    fn dirty_rects_round_outwards_and_clip() {
        let d = dirty_rects_to_damage(
            &[
                RectF::new(10.5, 0.25, 5.0, 4.5),     // fractional: floor/ceil
                RectF::new(190.0, 110.0, 40.0, 40.0), // past the corner: clipped
                RectF::new(-5.0, -5.0, 10.0, 10.0),   // before the origin: clipped
                RectF::new(500.0, 0.0, 10.0, 10.0),   // wholly outside: skipped
                RectF::new(0.0, 0.0, 0.0, 9.0),       // empty: skipped
            ],
            1.0,
            200,
            120,
        )
        .unwrap();
        assert_eq!(
            d.as_slice(),
            &[
                Rect::new(10, 0, 6, 5),
                Rect::new(190, 110, 10, 10),
                Rect::new(0, 0, 5, 5)
            ]
        );
        // Nothing changed: an empty list (not unknown).
        let none = dirty_rects_to_damage(&[RectF::new(1.0, 1.0, 0.0, 0.0)], 1.0, 10, 10);
        assert_eq!(none.map(|d| d.is_empty()), Some(true));
        assert_eq!(
            dirty_rects_to_damage(&[], 1.0, 10, 10).map(|d| d.is_empty()),
            Some(true)
        );
    }

    #[test]
    fn negative_sizes_are_standardised_and_nan_means_unknown() {
        let d =
            dirty_rects_to_damage(&[RectF::new(20.0, 20.0, -10.0, -5.0)], 1.0, 100, 100).unwrap();
        assert_eq!(d.as_slice(), &[Rect::new(10, 15, 10, 5)]);
        for bad in [
            RectF::new(f64::NAN, 0.0, 1.0, 1.0),
            RectF::new(0.0, 0.0, f64::INFINITY, 1.0),
            RectF::new(0.0, f64::NEG_INFINITY, 1.0, 1.0),
        ] {
            let list = [RectF::new(0.0, 0.0, 4.0, 4.0), bad];
            assert_eq!(dirty_rects_to_damage(&list, 1.0, 100, 100), None, "{bad:?}");
        }
    }

    #[test]
    fn a_shrunk_stream_hints_both_readings() {
        // A 5K display captured at 4096×2304 (scale 0.8): a change at native pixels
        // (1000..1100, 500..600) lands at (800..880, 400..480) in the frame; a rect in surface
        // pixels stays where it is. Either way the change is covered.
        let g = Geometry::for_native((5120, 2880));
        let s = g.stream_scale();
        assert!((s - 0.8).abs() < 1e-9);
        let d = dirty_rects_to_damage(&[RectF::new(1000.0, 500.0, 100.0, 100.0)], s, 4096, 2304)
            .unwrap();
        for (x, y) in [(800, 400), (879, 479), (1000, 500), (1099, 599)] {
            assert!(covers(&d, x, y), "({x}, {y}) not hinted: {d:?}");
        }
        // At 1:1 a rect is taken once.
        let d = dirty_rects_to_damage(&[RectF::new(1.0, 1.0, 2.0, 2.0)], 1.0, 10, 10).unwrap();
        assert_eq!(d.as_slice().len(), 1);
    }

    fn assert_fits(native: (u32, u32), size: (u32, u32)) {
        let (w, h) = size;
        assert!(w % 2 == 0 && h % 2 == 0, "{native:?} → {size:?} odd");
        assert!((MIN_STREAM_EDGE..=MAX_STREAM_EDGE).contains(&w), "{size:?}");
        assert!((MIN_STREAM_EDGE..=MAX_STREAM_EDGE).contains(&h), "{size:?}");
        assert!(macroblocks(size) <= MAX_STREAM_MACROBLOCKS, "{size:?}");
        let (a, b) = (
            f64::from(native.0) / f64::from(native.1),
            f64::from(w) / f64::from(h),
        );
        assert!(
            (a - b).abs() / a < 0.01,
            "{native:?} → {size:?}: aspect {a} vs {b}"
        );
    }

    #[test]
    fn large_displays_are_clamped_to_what_the_encoder_takes() {
        for (native, expect) in [
            ((5120, 2880), (4096, 2304)), // 27" iMac 5K, Studio Display
            ((6016, 3384), (4096, 2304)), // Pro Display XDR
            ((4480, 2520), (4096, 2304)), // 24" iMac 4.5K
            ((3384, 6016), (2304, 4096)), // XDR in portrait
            ((7680, 2160), (4096, 1152)), // 32:9 ultra-wide
        ] {
            let size = stream_size(native);
            assert_eq!(size, expect, "{native:?}");
            assert_fits(native, size);
        }
        // 3:2 and square panels: the edge fits, the macroblock budget shrinks them further.
        for native in [(4500, 3000), (4096, 4096), (3840, 3840)] {
            let size = stream_size(native);
            assert_fits(native, size);
            assert!(
                macroblocks(size) > MAX_STREAM_MACROBLOCKS * 97 / 100,
                "{size:?}"
            );
        }
    }

    #[test]
    fn ordinary_displays_keep_their_native_size() {
        for native in [
            (3024, 1964), // 14" MacBook Pro
            (3456, 2234), // 16" MacBook Pro
            (2880, 1864), // 15" MacBook Air
            (2560, 1664), // 13" MacBook Air
            (1920, 1080),
            (3840, 2160), // 4K
            (1366, 768),
        ] {
            assert_eq!(stream_size(native), native);
        }
        // Odd sizes lose a pixel; nothing goes below the encoder's minimum.
        assert_eq!(stream_size((1679, 1049)), (1678, 1048));
        assert_eq!(stream_size((0, 0)), (16, 16));
        assert_eq!(stream_size((9, 5)), (16, 16));
    }

    #[test]
    fn content_scale_and_letterboxing_mean_reconfigure() {
        let native = Geometry::for_native((3024, 1964));
        let fits = ContentInfo {
            content_scale: Some(1.0),
            content_rect: Some(RectF::new(0.0, 0.0, 1512.0, 982.0)),
        };
        assert!(!content_mismatch(&native, &fits));
        assert!(!content_mismatch(&native, &ContentInfo::default()));
        // The user picked a larger "looks like" resolution: content scaled down into the
        // configured surface.
        let scaled = ContentInfo {
            content_scale: Some(0.84),
            ..fits
        };
        assert!(content_mismatch(&native, &scaled));
        // Another aspect ratio: the content is pillarboxed.
        let boxed = ContentInfo {
            content_rect: Some(RectF::new(96.0, 0.0, 1320.0, 982.0)),
            ..fits
        };
        assert!(content_mismatch(&native, &boxed));
        // A 5K display is scaled by 0.8 on purpose: that is no mismatch, 1.0 is.
        let five_k = Geometry::for_native((5120, 2880));
        let at = |s| ContentInfo {
            content_scale: Some(s),
            content_rect: None,
        };
        assert!(!content_mismatch(&five_k, &at(0.8)));
        assert!(!content_mismatch(&five_k, &at(0.805)));
        assert!(content_mismatch(&five_k, &at(1.0)));
        // Garbage says nothing.
        assert!(!content_mismatch(&native, &at(f64::NAN)));
        assert!(!content_mismatch(&native, &at(0.0)));
    }

    #[test]
    fn reconfigure_only_when_the_mode_changed() {
        let g = Geometry::for_native((3024, 1964));
        assert_eq!(plan_reconfigure(&g, (3024, 1964), (3024, 1964)), None);
        assert_eq!(plan_reconfigure(&g, (3024, 1964), (0, 0)), None);
        let next = plan_reconfigure(&g, (3024, 1964), (3600, 2338)).unwrap();
        assert_eq!(next, Geometry::for_native((3600, 2338)));
        assert_eq!(next.stream, (3600, 2338));
        // 5K → 6K: the native size changed but the stream stays 4096×2304; the geometry (and
        // so the expected content scale) still changes.
        let g = Geometry::for_native((5120, 2880));
        let next = plan_reconfigure(&g, (5120, 2880), (6016, 3384)).unwrap();
        assert_eq!(next.stream, g.stream);
        assert!(next.stream_scale() < g.stream_scale());
        // The display-mode size disagrees with the filter's reading but did not change.
        let g = Geometry::for_native((3024, 1964));
        assert_eq!(plan_reconfigure(&g, (3024, 1966), (3024, 1966)), None);
    }

    #[test]
    fn stop_codes_map_to_actions() {
        assert_eq!(stop_action(-3801, 0), StopAction::Permission);
        assert_eq!(stop_action(-3817, 0), StopAction::UserStopped);
        for code in [-3821, -3815, -3814, -3805, -3811] {
            assert_eq!(stop_action(code, 0), StopAction::Restart, "{code}");
            assert_eq!(stop_action(code, MAX_RESTARTS - 1), StopAction::Restart);
            assert_eq!(stop_action(code, MAX_RESTARTS), StopAction::Fatal, "{code}");
        }
        assert_eq!(stop_action(-3803, 0), StopAction::Fatal); // missing entitlements
        assert_eq!(stop_action(0, 0), StopAction::Fatal);
        // Permission is never retried, however many restarts came before.
        assert_eq!(stop_action(-3801, 99), StopAction::Permission);
    }

    #[test]
    fn cursor_positions_are_stream_pixels() {
        // A Retina display at (1440, 0) in global points, 1440×900 points, streamed 2880×1800.
        let b = (1440.0, 0.0, 1440.0, 900.0);
        assert_eq!(cursor_pixel((1440.0, 0.0), b, (2880, 1800)), (0, 0));
        assert_eq!(cursor_pixel((2160.25, 450.0), b, (2880, 1800)), (1440, 900));
        assert_eq!(cursor_pixel((100.0, 10.0), b, (2880, 1800)), (-2680, 20));
        // A 6K display streamed smaller: proportional.
        assert_eq!(
            cursor_pixel((3008.0, 1692.0), (0.0, 0.0, 3008.0, 1692.0), (3840, 2160)),
            (3840, 2160)
        );
        assert_eq!(
            cursor_pixel((1.0, 1.0), (0.0, 0.0, 0.0, 0.0), (10, 10)),
            (-1, -1)
        );
    }

    #[test]
    fn cursor_hotspots_scale_to_image_pixels() {
        assert_eq!(cursor_hotspot((4.0, 4.5), (16.0, 16.0), (32, 32)), (8, 9));
        assert_eq!(
            cursor_hotspot((40.0, -1.0), (16.0, 16.0), (32, 32)),
            (31, 0)
        );
        assert_eq!(cursor_hotspot((3.0, 3.0), (0.0, 0.0), (8, 8)), (3, 3));
    }

    #[test]
    fn cursor_serials_follow_the_image() {
        let a = cursor_serial(2, 1, (0, 0), &[1, 2]);
        assert_eq!(a, cursor_serial(2, 1, (0, 0), &[1, 2]));
        assert_ne!(a, cursor_serial(2, 1, (1, 0), &[1, 2]));
        assert_ne!(a, cursor_serial(2, 1, (0, 0), &[1, 3]));
        assert_ne!(a, cursor_serial(1, 2, (0, 0), &[1, 2]));
    }
}
