//! The Windows capturers' decisions, pure and `cfg`-free so they are unit-tested on every
//! platform: display names, which output a spec means, which capture API a `windows` source
//! uses and when it falls back, the frame's damage from DXGI's dirty and move rectangles and
//! from Windows.Graphics.Capture's dirty regions.
#![forbid(unsafe_code)]

use glass_codecs::{DamageList, Rect};

use super::WindowsBackend;
use crate::error::CaptureError;

/// The prefix of a GDI display device name (`\\.\DISPLAY1`).
pub const DEVICE_PREFIX: &str = r"\\.\";

/// A display as a spec names it: the GDI device name that `DXGI_OUTPUT_DESC::DeviceName` and
/// `MONITORINFOEXW::szDevice` both carry (`\\.\DISPLAY2`), the prefix optional and case
/// ignored (`DISPLAY2`, `display2`). Device names stay put while monitors are rearranged,
/// unlike an enumeration index. `None` for an empty name.
pub fn device_name(spec: &str) -> Option<String> {
    let name = spec.strip_prefix(DEVICE_PREFIX).unwrap_or(spec);
    if name.is_empty() || name.contains('\\') {
        return None;
    }
    Some(format!("{DEVICE_PREFIX}{}", name.to_ascii_uppercase()))
}

/// One output as enumerated: device name, desktop rectangle (left, top, right, bottom).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// `\\.\DISPLAYn`.
    pub device: String,
    /// `DXGI_OUTPUT_DESC::DesktopCoordinates`.
    pub ltrb: (i32, i32, i32, i32),
}

impl Output {
    /// The primary monitor is the one at the virtual desktop's origin.
    pub fn primary(&self) -> bool {
        self.ltrb.0 == 0 && self.ltrb.1 == 0
    }
}

/// The index of the output `wanted` names (`None`: the primary, else the first).
pub fn pick(outputs: &[Output], wanted: Option<&str>) -> Option<usize> {
    match wanted {
        None => outputs
            .iter()
            .position(Output::primary)
            .or((!outputs.is_empty()).then_some(0)),
        Some(w) => {
            let w = device_name(w)?;
            outputs
                .iter()
                .position(|o| o.device.eq_ignore_ascii_case(&w))
        }
    }
}

/// `[dxgi|wgc][:DISPLAY]` or `DISPLAY`, after `windows:`: the capture API and the display.
/// `DISPLAY` is a device name ([`device_name`]); an empty one means the primary. The error
/// names the part that is wrong.
pub fn parse_spec(rest: &str) -> Result<(WindowsBackend, Option<String>), CaptureError> {
    let (backend, display) = match rest.split_once(':') {
        Some((b, d)) => (Some(b), d),
        None if matches!(rest.to_ascii_lowercase().as_str(), "dxgi" | "wgc" | "auto") => {
            (Some(rest), "")
        }
        None => (None, rest),
    };
    let backend = match backend.map(str::to_ascii_lowercase).as_deref() {
        None | Some("auto") => WindowsBackend::Auto,
        Some("dxgi") => WindowsBackend::Dxgi,
        Some("wgc") => WindowsBackend::Wgc,
        Some(other) => {
            return Err(CaptureError::BadSpec(format!(
                "unknown Windows capture backend {other:?}: expected windows[:DISPLAYn], \
                 windows:dxgi[:DISPLAYn] or windows:wgc[:DISPLAYn]"
            )));
        }
    };
    let display = match display {
        "" => None,
        d => Some(device_name(d).ok_or_else(|| {
            CaptureError::BadSpec(format!(
                "Windows display must be a device name such as DISPLAY2, got {d:?}"
            ))
        })?),
    };
    Ok((backend, display))
}

/// The capture API a capturer is opened with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// DXGI Desktop Duplication.
    Dxgi,
    /// Windows.Graphics.Capture.
    Wgc,
}

/// The API tried first for `backend`: Desktop Duplication unless WGC is asked for, since it
/// reports dirty and move rectangles on every Windows version, shows no capture border and
/// costs one copy less.
pub fn first_api(backend: WindowsBackend) -> Api {
    match backend {
        WindowsBackend::Auto | WindowsBackend::Dxgi => Api::Dxgi,
        WindowsBackend::Wgc => Api::Wgc,
    }
}

/// Whether opening Desktop Duplication failing with `e` makes `backend` try
/// Windows.Graphics.Capture instead. Only `Auto` falls back, and only when duplication itself
/// is the problem: `DXGI_ERROR_UNSUPPORTED` (an output driven by another adapter on a
/// hybrid-GPU laptop, some remote or virtual sessions), a rotated monitor (WGC hands out the
/// image as shown), or another failure to create the duplication. A monitor that does not
/// exist, a bad spec or denied access (the secure desktop, which WGC cannot capture either)
/// are reported as they are.
pub fn falls_back_to_wgc(backend: WindowsBackend, e: &CaptureError) -> bool {
    backend == WindowsBackend::Auto
        && matches!(e, CaptureError::Unsupported(_) | CaptureError::Backend(_))
}

/// The size of a Windows.Graphics.Capture frame's content (`ContentSize`), `None` when it is
/// empty or negative (a monitor going away).
pub fn content_size(width: i32, height: i32) -> Option<(u32, u32)> {
    (width > 0 && height > 0).then_some((width as u32, height as u32))
}

/// The part of a frame-pool texture (`texture` pixels) that holds the content
/// (`content`): the pool's textures keep their size until the pool is recreated, so after the
/// monitor's resolution changed the content may be smaller or larger than the texture.
pub fn copy_size(content: (u32, u32), texture: (u32, u32)) -> (u32, u32) {
    (content.0.min(texture.0), content.1.min(texture.1))
}

/// The damage of one Windows.Graphics.Capture frame of `width` × `height`.
///
/// `regions` are the frame's `DirtyRegions` as (x, y, width, height), `None` where the OS
/// does not report them (before Windows 11 24H2, or the session refused
/// `DirtyRegionMode::ReportAndRender`). A full frame (asked for, the first, a new size)
/// reports the whole frame; without regions the damage is unknown (`None`), so the engine's
/// damage stage compares the whole frame with the previous one, as it does for Wayland.
pub fn wgc_damage(
    regions: Option<&[(i32, i32, i32, i32)]>,
    full: bool,
    width: u32,
    height: u32,
) -> Option<DamageList> {
    if full {
        return Some(DamageList::full(width, height));
    }
    let regions = regions?;
    let mut d = DamageList::new();
    for &(x, y, w, h) in regions {
        if w <= 0 || h <= 0 {
            continue;
        }
        let ltrb = (x, y, x.saturating_add(w), y.saturating_add(h));
        if let Some(r) = clip(ltrb, width, height) {
            d.push(r);
        }
    }
    Some(d)
}

/// A `RECT` from DXGI as (left, top, right, bottom) clipped to a `width` × `height` frame;
/// `None` when nothing of it is inside.
pub fn clip(ltrb: (i32, i32, i32, i32), width: u32, height: u32) -> Option<Rect> {
    let cl = |v: i32, max: u32| v.clamp(0, max.min(i32::MAX as u32) as i32) as u32;
    let (l, t) = (cl(ltrb.0, width), cl(ltrb.1, height));
    let (r, b) = (cl(ltrb.2, width), cl(ltrb.3, height));
    (r > l && b > t).then(|| Rect {
        x: l,
        y: t,
        width: r - l,
        height: b - t,
    })
}

/// The damage of one duplicated frame: every move's destination and every dirty rectangle
/// (a move's source, where it shows something new, is reported dirty by DXGI itself). The
/// frame is copied whole, so moves need not be replayed.
pub fn damage(
    moved: impl IntoIterator<Item = (i32, i32, i32, i32)>,
    dirty: impl IntoIterator<Item = (i32, i32, i32, i32)>,
    width: u32,
    height: u32,
) -> DamageList {
    let mut d = DamageList::new();
    for r in moved.into_iter().chain(dirty) {
        if let Some(r) = clip(r, width, height) {
            d.push(r);
        }
    }
    d
}

/// Milliseconds to wait in `AcquireNextFrame` for a deadline `left` away: at least 1 (0 polls
/// and returns at once, which spins), at most `u32::MAX - 1` (`INFINITE` is never wanted).
pub fn timeout_ms(left: std::time::Duration) -> u32 {
    left.as_millis().clamp(1, u128::from(u32::MAX - 1)) as u32
}

/// A cursor's pixels as premultiplied `0xAARRGGBB`, from what `GetDIBits` gives at 32 bpp for
/// its bitmaps (`0xAARRGGBB` little-endian). `color`: the colour bitmap, `width × height`, with
/// straight alpha, or without alpha at all (all zero: the AND mask says what is transparent);
/// `mask`: the AND mask, `width × height` with a colour bitmap, else AND above XOR
/// (`width × 2·height`, a monochrome cursor). Monochrome pixels: AND 0 XOR 0 black, AND 0 XOR 1
/// white, AND 1 XOR 0 transparent, AND 1 XOR 1 "invert the screen", drawn black (the text
/// I-beam; a viewer cannot invert). `None` when the sizes do not match.
pub fn cursor_argb(
    color: Option<&[u32]>,
    mask: &[u32],
    width: u32,
    height: u32,
) -> Option<Vec<u32>> {
    let n = (width as usize).checked_mul(height as usize)?;
    let set = |p: u32| p & 0x00ff_ffff != 0;
    match color {
        Some(c) => {
            if c.len() != n || mask.len() < n {
                return None;
            }
            let has_alpha = c.iter().any(|p| p >> 24 != 0);
            Some(
                c.iter()
                    .zip(mask)
                    .map(|(&p, &m)| {
                        let a = if has_alpha {
                            p >> 24
                        } else if set(m) {
                            0
                        } else {
                            255
                        };
                        let pre = |shift: u32| ((p >> shift & 0xff) * a + 127) / 255;
                        a << 24 | pre(16) << 16 | pre(8) << 8 | pre(0)
                    })
                    .collect(),
            )
        }
        None => {
            if mask.len() != n * 2 {
                return None;
            }
            let (and, xor) = mask.split_at(n);
            Some(
                and.iter()
                    .zip(xor)
                    .map(|(&a, &x)| match (set(a), set(x)) {
                        (false, false) | (true, true) => 0xff00_0000,
                        (false, true) => 0xffff_ffff,
                        (true, false) => 0,
                    })
                    .collect(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn out(n: u32, l: i32, t: i32) -> Output {
        Output {
            device: format!(r"\\.\DISPLAY{n}"),
            ltrb: (l, t, l + 1920, t + 1080),
        }
    }

    #[test]
    fn device_names() {
        assert_eq!(
            device_name(r"\\.\DISPLAY2").as_deref(),
            Some(r"\\.\DISPLAY2")
        );
        assert_eq!(device_name("display2").as_deref(), Some(r"\\.\DISPLAY2"));
        assert_eq!(device_name(""), None);
        assert_eq!(device_name(r"\\.\"), None);
        assert_eq!(device_name(r"a\b"), None);
    }

    #[test]
    fn picks_by_name_or_the_primary() {
        let outs = [out(2, -1920, 0), out(1, 0, 0), out(3, 1920, 0)];
        assert_eq!(pick(&outs, None), Some(1));
        assert_eq!(pick(&outs, Some("DISPLAY3")), Some(2));
        assert_eq!(pick(&outs, Some(r"\\.\display2")), Some(0));
        assert_eq!(pick(&outs, Some("DISPLAY9")), None);
        assert_eq!(pick(&outs[..1], None), Some(0));
        assert_eq!(pick(&[], None), None);
    }

    #[test]
    fn damage_is_clipped_moves_and_dirty_rects() {
        let d = damage(
            [(10, 10, 20, 20)],
            [(-5, -5, 4, 4), (100, 100, 300, 300), (5, 5, 5, 9)],
            200,
            150,
        );
        assert_eq!(
            d.as_slice(),
            &[
                Rect {
                    x: 10,
                    y: 10,
                    width: 10,
                    height: 10
                },
                Rect {
                    x: 0,
                    y: 0,
                    width: 4,
                    height: 4
                },
                Rect {
                    x: 100,
                    y: 100,
                    width: 100,
                    height: 50
                },
            ]
        );
        assert!(damage([], [], 10, 10).is_empty());
        assert!(damage([], [(20, 20, 30, 30)], 10, 10).is_empty());
    }

    #[test]
    fn cursor_pixels() {
        // Colour with straight alpha: premultiplied.
        let c = [0x80ff_0000, 0xff00_ff00, 0x0000_00ff];
        assert_eq!(
            cursor_argb(Some(&c), &[0; 3], 3, 1).unwrap(),
            vec![0x8080_0000, 0xff00_ff00, 0]
        );
        // Colour without alpha: the AND mask decides.
        let c = [0x0012_3456, 0x0012_3456];
        assert_eq!(
            cursor_argb(Some(&c), &[0, 0x00ff_ffff], 2, 1).unwrap(),
            vec![0xff12_3456, 0]
        );
        // Monochrome: AND rows above XOR rows.
        let w = 0x00ff_ffff;
        let m = [0, 0, w, w, 0, w, 0, w];
        assert_eq!(
            cursor_argb(None, &m, 4, 1).unwrap(),
            vec![0xff00_0000, 0xffff_ffff, 0, 0xff00_0000]
        );
        assert!(cursor_argb(None, &m, 3, 1).is_none());
        assert!(cursor_argb(Some(&[0; 2]), &[0; 2], 3, 1).is_none());
    }

    #[test]
    fn windows_specs_name_the_api_and_the_display() {
        let ok = |s: &str| parse_spec(s).unwrap();
        let d2 = Some(r"\\.\DISPLAY2".to_string());
        assert_eq!(ok(""), (WindowsBackend::Auto, None));
        assert_eq!(ok("display2"), (WindowsBackend::Auto, d2.clone()));
        assert_eq!(ok("wgc"), (WindowsBackend::Wgc, None));
        assert_eq!(ok("WGC:DISPLAY2"), (WindowsBackend::Wgc, d2.clone()));
        assert_eq!(ok("dxgi:"), (WindowsBackend::Dxgi, None));
        assert_eq!(ok(r"dxgi:\\.\DISPLAY2"), (WindowsBackend::Dxgi, d2.clone()));
        assert_eq!(ok("auto:DISPLAY2"), (WindowsBackend::Auto, d2));
        for (bad, says) in [
            ("gdi:DISPLAY1", "backend \"gdi\""),
            ("wgc:a\\b", "device name"),
            (r"dxgi:\\.\", "device name"),
            (r"\\.\", "device name"),
        ] {
            let e = parse_spec(bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn only_auto_falls_back_and_only_for_duplication_failures() {
        let unsupported = CaptureError::Unsupported("DXGI_ERROR_UNSUPPORTED".into());
        let backend = CaptureError::Backend("DuplicateOutput: E_INVALIDARG".into());
        let denied = CaptureError::Permission("secure desktop".into());
        let missing = CaptureError::NoSuchDisplay("no monitor".into());
        assert_eq!(first_api(WindowsBackend::Auto), Api::Dxgi);
        assert_eq!(first_api(WindowsBackend::Dxgi), Api::Dxgi);
        assert_eq!(first_api(WindowsBackend::Wgc), Api::Wgc);
        assert!(falls_back_to_wgc(WindowsBackend::Auto, &unsupported));
        assert!(falls_back_to_wgc(WindowsBackend::Auto, &backend));
        assert!(!falls_back_to_wgc(WindowsBackend::Auto, &denied));
        assert!(!falls_back_to_wgc(WindowsBackend::Auto, &missing));
        assert!(!falls_back_to_wgc(WindowsBackend::Dxgi, &unsupported));
        assert!(!falls_back_to_wgc(WindowsBackend::Wgc, &unsupported));
    }

    #[test]
    fn frame_pool_sizes() {
        assert_eq!(content_size(1920, 1080), Some((1920, 1080)));
        assert_eq!(content_size(0, 1080), None);
        assert_eq!(content_size(1920, -1), None);
        // Resolution went down: copy the content only; up: no more than the texture has.
        assert_eq!(copy_size((1280, 720), (1920, 1080)), (1280, 720));
        assert_eq!(copy_size((2560, 1440), (1920, 1080)), (1920, 1080));
        assert_eq!(copy_size((2560, 1000), (1920, 1080)), (1920, 1000));
    }

    #[test]
    fn wgc_dirty_regions_become_clipped_damage() {
        let r = |x, y, width, height| Rect {
            x,
            y,
            width,
            height,
        };
        let regions = [
            (10, 20, 30, 40),
            (-5, -5, 10, 10),
            (190, 140, 50, 50),
            (0, 0, 0, 5),
            (300, 300, 5, 5),
            (i32::MAX - 1, 0, i32::MAX, 5),
        ];
        let d = wgc_damage(Some(&regions), false, 200, 150).unwrap();
        assert_eq!(
            d.as_slice(),
            &[r(10, 20, 30, 40), r(0, 0, 5, 5), r(190, 140, 10, 10)]
        );
        // No regions from the OS: unknown damage, the engine compares.
        assert_eq!(wgc_damage(None, false, 200, 150), None);
        // A full frame is full whatever the OS says.
        assert_eq!(
            wgc_damage(None, true, 200, 150).unwrap().as_slice(),
            &[r(0, 0, 200, 150)]
        );
        assert_eq!(
            wgc_damage(Some(&regions[..1]), true, 200, 150)
                .unwrap()
                .as_slice(),
            &[r(0, 0, 200, 150)]
        );
        // Reported, and nothing changed.
        assert!(wgc_damage(Some(&[]), false, 200, 150).unwrap().is_empty());
    }

    #[test]
    fn acquire_timeouts() {
        assert_eq!(timeout_ms(Duration::ZERO), 1);
        assert_eq!(timeout_ms(Duration::from_millis(16)), 16);
        assert_eq!(timeout_ms(Duration::from_secs(u64::MAX)), u32::MAX - 1);
    }
}
