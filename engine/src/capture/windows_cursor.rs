//! The Windows pointer: shape from `GetCursorInfo` + `GetIconInfo` + `GetDIBits`, position
//! from `GetPhysicalCursorPos` (physical pixels whatever the process's DPI awareness, like
//! DXGI's monitor rectangles). Windows has no cursor-change event short of a global hook, so
//! the source polls every [`POLL`]; a still pointer costs one call per poll.

use std::time::{Duration, Instant};

use ::windows::Win32::Foundation::POINT;
use ::windows::Win32::Graphics::Gdi::{
    BI_RGB, BITMAP, BITMAPINFO, BITMAPINFOHEADER, DIB_RGB_COLORS, DeleteObject, GetDC, GetDIBits,
    GetObjectW, HBITMAP, HDC, ReleaseDC,
};
use ::windows::Win32::UI::WindowsAndMessaging::{
    CURSOR_SHOWING, CURSORINFO, GetCursorInfo, GetIconInfo, GetPhysicalCursorPos, HCURSOR, HICON,
    ICONINFO,
};

use super::windows::outputs;
use super::windows_logic::{cursor_argb, pick};
use crate::cursor::{CursorShape, CursorSource, CursorUpdate};
use crate::display::{DisplaySelection, Follower};
use crate::error::CaptureError;

/// How often the pointer is polled (a little faster than a 120 Hz display).
pub const POLL: Duration = Duration::from_millis(8);
/// How often the captured monitor's origin is read again.
const REREAD: Duration = Duration::from_secs(1);

/// The pointer of the monitor a [`DisplaySelection`] names.
#[derive(Debug)]
pub struct WindowsCursorSource {
    follow: Follower,
    device: Option<String>,
    origin: (i32, i32),
    read_at: Instant,
    /// Last reported (cursor handle as a number, so the source stays `Send`; visible; x; y).
    last: Option<(usize, bool, i32, i32)>,
    serial: u32,
    full: bool,
}

fn origin(device: Option<&str>) -> Result<(i32, i32), CaptureError> {
    let outs = outputs()?;
    let i = pick(&outs, device).ok_or_else(|| {
        CaptureError::NoSuchDisplay(format!("no monitor {}", device.unwrap_or("(primary)")))
    })?;
    Ok((outs[i].ltrb.0, outs[i].ltrb.1))
}

/// A bitmap's pixels at 32 bpp, top-down, and its size.
fn dib(hdc: HDC, hbm: HBITMAP) -> Option<(u32, u32, Vec<u32>)> {
    let mut bm = BITMAP::default();
    // SAFETY: `bm` is a BITMAP and its size is passed; GetObjectW writes at most that.
    let got = unsafe {
        GetObjectW(
            hbm.into(),
            size_of::<BITMAP>() as i32,
            Some((&raw mut bm).cast()),
        )
    };
    if got == 0 || bm.bmWidth <= 0 || bm.bmHeight <= 0 {
        return None;
    }
    let (w, h) = (bm.bmWidth as u32, bm.bmHeight as u32);
    let mut px = vec![0u32; (w as usize).checked_mul(h as usize)?];
    let mut info = BITMAPINFO {
        bmiHeader: BITMAPINFOHEADER {
            biSize: size_of::<BITMAPINFOHEADER>() as u32,
            biWidth: w as i32,
            biHeight: -(h as i32),
            biPlanes: 1,
            biBitCount: 32,
            biCompression: BI_RGB.0,
            ..Default::default()
        },
        ..Default::default()
    };
    // SAFETY: `px` holds `w × h` 32-bit pixels, what a top-down 32 bpp DIB of `h` lines needs;
    // `info` is a valid BITMAPINFO for it.
    let lines = unsafe {
        GetDIBits(
            hdc,
            hbm,
            0,
            h,
            Some(px.as_mut_ptr().cast()),
            &mut info,
            DIB_RGB_COLORS,
        )
    };
    (lines == h as i32).then_some((w, h, px))
}

/// The shape of cursor `cursor`, `serial` its serial.
fn shape(cursor: HCURSOR, serial: u32) -> Option<CursorShape> {
    let mut ii = ICONINFO::default();
    // SAFETY: GetIconInfo fills `ii`; the bitmaps it creates are deleted below.
    unsafe { GetIconInfo(HICON(cursor.0), &mut ii) }.ok()?;
    // SAFETY: GetDC(None) is the screen's DC, released below.
    let hdc = unsafe { GetDC(None) };
    let mask = dib(hdc, ii.hbmMask);
    let color = if ii.hbmColor.is_invalid() {
        None
    } else {
        dib(hdc, ii.hbmColor)
    };
    // SAFETY: the DC came from GetDC(None); the bitmaps were created for us by GetIconInfo
    // and nothing refers to them any more.
    unsafe {
        ReleaseDC(None, hdc);
        let _ = DeleteObject(ii.hbmMask.into());
        if !ii.hbmColor.is_invalid() {
            let _ = DeleteObject(ii.hbmColor.into());
        }
    }
    let (mw, mh, mask) = mask?;
    let (w, h, px) = match &color {
        Some((w, h, c)) => (*w, *h, cursor_argb(Some(c), &mask, *w, *h)?),
        None => (mw, mh / 2, cursor_argb(None, &mask, mw, mh / 2)?),
    };
    CursorShape::from_premultiplied_argb(serial, w, h, ii.xHotspot, ii.yHotspot, &px)
}

/// A fully transparent 1×1 shape for a hidden pointer.
fn hidden(serial: u32) -> Option<CursorShape> {
    CursorShape::from_premultiplied_argb(serial, 1, 1, 0, 0, &[0])
}

impl WindowsCursorSource {
    /// The pointer as seen on the monitor `selection` names (`device` until it changes).
    pub fn open_following(
        device: Option<&str>,
        selection: &DisplaySelection,
    ) -> Result<Self, CaptureError> {
        let follow = selection.follow();
        let device = follow.current().or_else(|| device.map(str::to_string));
        let origin = origin(device.as_deref())?;
        Ok(Self {
            follow,
            device,
            origin,
            read_at: Instant::now(),
            last: None,
            serial: 0,
            full: true,
        })
    }

    fn poll(&mut self) -> Result<Option<CursorUpdate>, CaptureError> {
        let switched = match self.follow.changed() {
            Some(device) => {
                self.device = device;
                true
            }
            None => false,
        };
        if switched || self.read_at.elapsed() >= REREAD {
            self.origin = origin(self.device.as_deref())?;
            self.read_at = Instant::now();
            self.full |= switched;
        }
        let mut ci = CURSORINFO {
            cbSize: size_of::<CURSORINFO>() as u32,
            ..Default::default()
        };
        // SAFETY: `ci` is a CURSORINFO with its size set, as GetCursorInfo requires.
        if unsafe { GetCursorInfo(&mut ci) }.is_err() {
            // No cursor on this desktop (the secure desktop): nothing to report.
            return Ok(None);
        }
        let mut pt = POINT::default();
        // SAFETY: `pt` is a POINT for GetPhysicalCursorPos to fill.
        if unsafe { GetPhysicalCursorPos(&mut pt) }.is_err() {
            pt = ci.ptScreenPos;
        }
        let visible = ci.flags.0 & CURSOR_SHOWING.0 != 0 && !ci.hCursor.is_invalid();
        let handle = ci.hCursor.0 as usize;
        let now_state = (handle, visible, pt.x, pt.y);
        let prev = self.last;
        if !self.full && prev == Some(now_state) {
            return Ok(None);
        }
        let new_shape = self.full || prev.is_none_or(|(h, v, _, _)| h != handle || v != visible);
        let shape = if new_shape {
            self.serial = self.serial.wrapping_add(1);
            let s = if visible {
                shape(ci.hCursor, self.serial)
            } else {
                None
            };
            s.or_else(|| hidden(self.serial))
        } else {
            None
        };
        self.last = Some(now_state);
        self.full = false;
        Ok(Some(CursorUpdate {
            shape,
            serial: self.serial,
            x: pt.x - self.origin.0,
            y: pt.y - self.origin.1,
            at: Instant::now(),
        }))
    }
}

impl CursorSource for WindowsCursorSource {
    fn next(&mut self, deadline: Instant) -> Result<Option<CursorUpdate>, CaptureError> {
        loop {
            if let Some(u) = self.poll()? {
                return Ok(Some(u));
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
