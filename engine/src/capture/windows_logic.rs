//! The Desktop Duplication capturer's decisions, pure and `cfg`-free so they are unit-tested
//! on every platform: display names, which output a spec means, and the frame's damage from
//! DXGI's dirty and move rectangles.
#![forbid(unsafe_code)]

use glass_codecs::{DamageList, Rect};

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
    fn acquire_timeouts() {
        assert_eq!(timeout_ms(Duration::ZERO), 1);
        assert_eq!(timeout_ms(Duration::from_millis(16)), 16);
        assert_eq!(timeout_ms(Duration::from_secs(u64::MAX)), u32::MAX - 1);
    }
}
