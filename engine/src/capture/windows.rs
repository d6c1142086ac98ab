//! Windows capture with DXGI Desktop Duplication (`IDXGIOutputDuplication`, Windows 8+).
//!
//! # Design
//! - **Change-driven.** `AcquireNextFrame` blocks until the desktop image changes or the
//!   deadline passes (`DXGI_ERROR_WAIT_TIMEOUT` → `Ok(None)`); a frame that only moved the
//!   pointer (`LastPresentTime == 0`) is not a new image either.
//! - **Damage from the OS.** `GetFrameMoveRects` / `GetFrameDirtyRects` give what changed;
//!   the frame carries their union (move destinations and dirty rectangles, clipped) as its
//!   damage, so the damage stage only compares those areas.
//! - **One copy.** The desktop texture is copied on the GPU into a CPU-readable staging
//!   texture, mapped, and its rows copied into a [`FramePool`] buffer (BGRX). The pool is
//!   reused; at steady state no frame allocates. The staging texture keeps the last image, so a
//!   full frame asked for while the screen is still is served from it.
//! - **Lost access.** `DXGI_ERROR_ACCESS_LOST` (mode change, a full-screen app, the desktop
//!   switching to a UAC prompt or the lock screen) drops the duplication; the next `capture`
//!   re-creates it, with new geometry if it changed, and returns a full frame. While it cannot
//!   be re-created (the secure desktop is showing: `E_ACCESSDENIED`), `capture` returns
//!   `Ok(None)` and tries again.
//! - HDR and wide-colour outputs are asked for BGRA with `IDXGIOutput5::DuplicateOutput1`
//!   (Windows 10 1703+), which converts; older systems use `IDXGIOutput1::DuplicateOutput`.
//! - Rotated outputs (portrait monitors) hand out the unrotated image: not supported yet,
//!   [`CaptureError::Unsupported`] at open.
//!
//! Windows.Graphics.Capture ([`super::windows_wgc`]) takes over where duplication cannot be
//! opened (some hybrid-GPU laptops, rotated monitors); see `docs/windows.md`.

use std::time::{Duration, Instant};

use ::windows::Win32::Foundation::{E_ACCESSDENIED, HMODULE, RECT};
use ::windows::Win32::Graphics::Direct3D::D3D_DRIVER_TYPE_UNKNOWN;
use ::windows::Win32::Graphics::Direct3D11::{
    D3D11_CPU_ACCESS_READ, D3D11_CREATE_DEVICE_BGRA_SUPPORT, D3D11_MAP_READ,
    D3D11_MAPPED_SUBRESOURCE, D3D11_SDK_VERSION, D3D11_TEXTURE2D_DESC, D3D11_USAGE_STAGING,
    D3D11CreateDevice, ID3D11Device, ID3D11DeviceContext, ID3D11Texture2D,
};
use ::windows::Win32::Graphics::Dxgi::Common::{
    DXGI_FORMAT_B8G8R8A8_UNORM, DXGI_MODE_ROTATION_IDENTITY, DXGI_MODE_ROTATION_UNSPECIFIED,
    DXGI_SAMPLE_DESC,
};
use ::windows::Win32::Graphics::Dxgi::{
    CreateDXGIFactory1, DXGI_ERROR_ACCESS_LOST, DXGI_ERROR_NOT_CURRENTLY_AVAILABLE,
    DXGI_ERROR_NOT_FOUND, DXGI_ERROR_SESSION_DISCONNECTED, DXGI_ERROR_UNSUPPORTED,
    DXGI_ERROR_WAIT_TIMEOUT, DXGI_OUTDUPL_FRAME_INFO, DXGI_OUTDUPL_MOVE_RECT, IDXGIAdapter1,
    IDXGIFactory1, IDXGIOutput, IDXGIOutput1, IDXGIOutput5, IDXGIOutputDuplication, IDXGIResource,
};
use ::windows::core::Interface;
use glass_codecs::{DamageList, FramePool, PixelFormat, VideoFrame};

use super::windows_logic::{self, Output, pick};
use super::{CaptureInfo, Capturer, DisplayInfo};
use crate::display::{DisplaySelection, Follower};
use crate::error::CaptureError;

/// Backend name in [`DisplayInfo`] and [`CaptureInfo`].
pub const BACKEND: &str = "dxgi";
/// Frames in flight downstream before the pool stops keeping buffers.
pub(super) const POOL_MAX: usize = 4;
/// How long to wait before trying again to re-create a duplication the OS refuses for now.
pub(super) const RETRY: Duration = Duration::from_millis(100);
/// How long after losing access any failure to re-create the duplication counts as passing
/// (a mode change, a monitor being re-plugged) before it is reported. Access denied (the
/// secure desktop) is retried for as long as it lasts.
pub(super) const RECOVERY: Duration = Duration::from_secs(10);

pub(super) fn backend(what: &str, e: ::windows::core::Error) -> CaptureError {
    match e.code() {
        E_ACCESSDENIED => CaptureError::Permission(format!(
            "{what}: access denied (the secure desktop or a UAC prompt is showing, or the \
             process runs in a non-interactive session)"
        )),
        DXGI_ERROR_UNSUPPORTED => CaptureError::Unsupported(format!(
            "{what}: Desktop Duplication is not available for this output (a hybrid-GPU \
             laptop may need Windows.Graphics.Capture): {e}"
        )),
        _ => CaptureError::Backend(format!("{what}: {e}")),
    }
}

/// Whether re-creating a duplication may work a little later.
pub(super) fn transient(e: &::windows::core::Error) -> bool {
    [
        E_ACCESSDENIED,
        DXGI_ERROR_ACCESS_LOST,
        DXGI_ERROR_NOT_CURRENTLY_AVAILABLE,
        DXGI_ERROR_SESSION_DISCONNECTED,
    ]
    .contains(&e.code())
}

fn device_name(raw: &[u16]) -> String {
    let end = raw.iter().position(|&c| c == 0).unwrap_or(raw.len());
    String::from_utf16_lossy(&raw[..end])
}

/// Every output attached to the desktop, with its adapter.
pub(super) fn enumerate()
-> Result<Vec<(IDXGIAdapter1, IDXGIOutput, Output)>, ::windows::core::Error> {
    // SAFETY: plain COM calls; every out value is owned by the returned smart pointers.
    unsafe {
        let factory: IDXGIFactory1 = CreateDXGIFactory1()?;
        let mut found = Vec::new();
        for a in 0.. {
            let adapter = match factory.EnumAdapters1(a) {
                Ok(adapter) => adapter,
                Err(e) if e.code() == DXGI_ERROR_NOT_FOUND => break,
                Err(e) => return Err(e),
            };
            for o in 0.. {
                let output = match adapter.EnumOutputs(o) {
                    Ok(output) => output,
                    Err(e) if e.code() == DXGI_ERROR_NOT_FOUND => break,
                    Err(e) => return Err(e),
                };
                let desc = output.GetDesc()?;
                if !desc.AttachedToDesktop.as_bool() {
                    continue;
                }
                let r = desc.DesktopCoordinates;
                let out = Output {
                    device: device_name(&desc.DeviceName),
                    ltrb: (r.left, r.top, r.right, r.bottom),
                };
                found.push((adapter.clone(), output, out));
            }
        }
        Ok(found)
    }
}

/// The outputs of the desktop (device names and rectangles), for the injector.
pub(crate) fn outputs() -> Result<Vec<Output>, CaptureError> {
    Ok(enumerate()
        .map_err(|e| backend("enumerating outputs", e))?
        .into_iter()
        .map(|(_, _, o)| o)
        .collect())
}

pub(super) fn display_info(o: &Output) -> DisplayInfo {
    let (l, t, right, bottom) = o.ltrb;
    DisplayInfo {
        backend: BACKEND,
        id: o.device.clone(),
        name: o
            .device
            .trim_start_matches(windows_logic::DEVICE_PREFIX)
            .to_string(),
        x: l,
        y: t,
        width: right.saturating_sub(l).max(0) as u32,
        height: bottom.saturating_sub(t).max(0) as u32,
        primary: o.primary(),
    }
}

/// The monitors Desktop Duplication can capture.
pub fn displays() -> Result<Vec<DisplayInfo>, CaptureError> {
    Ok(outputs()?.iter().map(display_info).collect())
}

/// One duplication of one output, with its D3D11 device.
struct Session {
    display: DisplayInfo,
    context: ID3D11DeviceContext,
    device: ID3D11Device,
    dup: IDXGIOutputDuplication,
    /// CPU-readable copy of the last desktop image, created at the first frame.
    staging: Option<ID3D11Texture2D>,
    width: u32,
    height: u32,
}

impl Session {
    fn open(wanted: Option<&str>) -> Result<Session, CaptureError> {
        let mut all = enumerate().map_err(|e| backend("enumerating outputs", e))?;
        let outs: Vec<Output> = all.iter().map(|(_, _, o)| o.clone()).collect();
        let i = pick(&outs, wanted).ok_or_else(|| {
            CaptureError::NoSuchDisplay(match wanted {
                Some(w) => format!("no monitor {w:?}"),
                None => "no monitor attached to the desktop".into(),
            })
        })?;
        let (adapter, output, out) = all.swap_remove(i);
        let (device, context) =
            Self::device(&adapter).map_err(|e| backend("D3D11CreateDevice", e))?;
        let dup = Self::duplicate(&output, &device).map_err(|e| backend("DuplicateOutput", e))?;
        // SAFETY: GetDesc fills a plain struct.
        let desc = unsafe { dup.GetDesc() };
        if ![DXGI_MODE_ROTATION_IDENTITY, DXGI_MODE_ROTATION_UNSPECIFIED].contains(&desc.Rotation) {
            return Err(CaptureError::Unsupported(format!(
                "{} is rotated ({}): rotated monitors are not supported yet",
                out.device, desc.Rotation.0
            )));
        }
        Ok(Session {
            display: display_info(&out),
            context,
            device,
            dup,
            staging: None,
            width: desc.ModeDesc.Width,
            height: desc.ModeDesc.Height,
        })
    }

    fn device(
        adapter: &IDXGIAdapter1,
    ) -> Result<(ID3D11Device, ID3D11DeviceContext), ::windows::core::Error> {
        let (mut device, mut context) = (None, None);
        // SAFETY: the out pointers are valid for the call; an explicit adapter requires
        // D3D_DRIVER_TYPE_UNKNOWN.
        unsafe {
            D3D11CreateDevice(
                adapter,
                D3D_DRIVER_TYPE_UNKNOWN,
                HMODULE::default(),
                D3D11_CREATE_DEVICE_BGRA_SUPPORT,
                None,
                D3D11_SDK_VERSION,
                Some(&mut device),
                None,
                Some(&mut context),
            )?;
        }
        match (device, context) {
            (Some(d), Some(c)) => Ok((d, c)),
            _ => Err(::windows::core::Error::from_hresult(DXGI_ERROR_UNSUPPORTED)),
        }
    }

    fn duplicate(
        output: &IDXGIOutput,
        device: &ID3D11Device,
    ) -> Result<IDXGIOutputDuplication, ::windows::core::Error> {
        // SAFETY: COM calls on live interfaces; the format slice outlives the call.
        unsafe {
            if let Ok(o5) = output.cast::<IDXGIOutput5>()
                && let Ok(d) = o5.DuplicateOutput1(device, 0, &[DXGI_FORMAT_B8G8R8A8_UNORM])
            {
                return Ok(d);
            }
            output.cast::<IDXGIOutput1>()?.DuplicateOutput(device)
        }
    }

    /// Copies `texture` into the staging texture (creating it at the texture's size).
    fn stage(&mut self, texture: &ID3D11Texture2D) -> Result<(), CaptureError> {
        let mut desc = D3D11_TEXTURE2D_DESC::default();
        // SAFETY: GetDesc fills the struct it is given.
        unsafe { texture.GetDesc(&mut desc) };
        if desc.Format != DXGI_FORMAT_B8G8R8A8_UNORM {
            return Err(CaptureError::Unsupported(format!(
                "desktop image format {} (only B8G8R8A8 is handled)",
                desc.Format.0
            )));
        }
        if self.staging.is_none() || (desc.Width, desc.Height) != (self.width, self.height) {
            self.staging = Some(staging_texture(&self.device, desc.Width, desc.Height)?);
            (self.width, self.height) = (desc.Width, desc.Height);
        }
        let staging = self
            .staging
            .as_ref()
            .ok_or_else(|| CaptureError::Backend("no staging texture".into()))?;
        // SAFETY: both are live textures of the same size and format.
        unsafe { self.context.CopyResource(staging, texture) };
        Ok(())
    }

    /// The staging texture's pixels as a frame from `pool`.
    fn read(&self, pool: &FramePool, id: u64, now: Instant) -> Result<VideoFrame, CaptureError> {
        let staging = self
            .staging
            .as_ref()
            .ok_or_else(|| CaptureError::Backend("no staging texture".into()))?;
        read_texture(
            &self.context,
            staging,
            (self.width, self.height),
            pool,
            id,
            now,
        )
    }
}

/// A CPU-readable B8G8R8A8 texture of `width` × `height` to copy desktop images into.
pub(super) fn staging_texture(
    device: &ID3D11Device,
    width: u32,
    height: u32,
) -> Result<ID3D11Texture2D, CaptureError> {
    let want = D3D11_TEXTURE2D_DESC {
        Width: width,
        Height: height,
        MipLevels: 1,
        ArraySize: 1,
        Format: DXGI_FORMAT_B8G8R8A8_UNORM,
        SampleDesc: DXGI_SAMPLE_DESC {
            Count: 1,
            Quality: 0,
        },
        Usage: D3D11_USAGE_STAGING,
        BindFlags: 0,
        CPUAccessFlags: D3D11_CPU_ACCESS_READ.0 as u32,
        MiscFlags: 0,
    };
    let mut staging = None;
    // SAFETY: `want` is a valid description; the out pointer is valid for the call.
    unsafe { device.CreateTexture2D(&want, None, Some(&mut staging)) }
        .map_err(|e| backend("CreateTexture2D", e))?;
    staging.ok_or_else(|| CaptureError::Backend("CreateTexture2D gave no texture".into()))
}

/// The top-left `size` pixels of `staging` (a [`staging_texture`]) as a BGRX frame from
/// `pool`, rows copied into a pooled buffer.
pub(super) fn read_texture(
    context: &ID3D11DeviceContext,
    staging: &ID3D11Texture2D,
    size: (u32, u32),
    pool: &FramePool,
    id: u64,
    now: Instant,
) -> Result<VideoFrame, CaptureError> {
    let mut mapped = D3D11_MAPPED_SUBRESOURCE::default();
    // SAFETY: the staging texture was created with CPU read access; the out pointer is
    // valid for the call.
    unsafe {
        context
            .Map(staging, 0, D3D11_MAP_READ, 0, Some(&mut mapped))
            .map_err(|e| backend("Map", e))?;
    }
    let (w, h) = (size.0 as usize, size.1 as usize);
    let pitch = mapped.RowPitch as usize;
    let row = w * 4;
    let ok = !mapped.pData.is_null() && pitch >= row;
    let (frame, ()) = pool.get_with(id, now, |p, _| {
        if !ok || h == 0 {
            return;
        }
        // SAFETY: a mapped `h`-row texture is readable for `pitch` bytes per row, the last
        // row for at least `row`; the mapping stays valid until Unmap below.
        let src =
            unsafe { std::slice::from_raw_parts(mapped.pData as *const u8, pitch * (h - 1) + row) };
        let dst = p.planes[0];
        for y in 0..h {
            let d = dst.offset + y * dst.stride;
            p.bytes[d..d + row].copy_from_slice(&src[y * pitch..y * pitch + row]);
        }
    });
    // SAFETY: the texture was mapped above and nothing refers to the mapping any more.
    unsafe { context.Unmap(staging, 0) };
    if !ok {
        return Err(CaptureError::Backend(format!(
            "Map gave a row pitch of {pitch} for {w} pixels"
        )));
    }
    Ok(frame)
}

/// Captures one monitor with Desktop Duplication, following a [`DisplaySelection`].
pub struct DuplicationCapturer {
    follow: Follower,
    device: Option<String>,
    session: Option<Session>,
    /// The display last opened (kept while the duplication is being re-created).
    display: DisplayInfo,
    pool: FramePool,
    next_id: u64,
    full_frame: bool,
    /// When access to the output was lost, while the duplication is being re-created.
    lost_since: Option<Instant>,
    /// Whether the staging texture holds an image a full-frame request can repeat.
    have_image: bool,
    moves: Vec<DXGI_OUTDUPL_MOVE_RECT>,
    dirty: Vec<RECT>,
}

// SAFETY: the capturer owns its D3D11 device, immediate context and duplication outright and
// uses them only through `&mut self`, so from one thread at a time. D3D11 and DXGI objects are
// free-threaded COM objects, not bound to the apartment that created them; the immediate
// context is not thread-safe for concurrent use, which exclusive ownership rules out.
unsafe impl Send for DuplicationCapturer {}

impl std::fmt::Debug for DuplicationCapturer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DuplicationCapturer")
            .field("display", &self.display)
            .finish_non_exhaustive()
    }
}

impl DuplicationCapturer {
    /// Captures the monitor `device` names (`None`: the primary).
    pub fn open(device: Option<&str>) -> Result<Self, CaptureError> {
        Self::open_following(device, &DisplaySelection::new(device.map(str::to_string)))
    }

    /// Captures the monitor `selection` names, switching when it changes.
    pub fn open_following(
        device: Option<&str>,
        selection: &DisplaySelection,
    ) -> Result<Self, CaptureError> {
        let follow = selection.follow();
        let device = follow.current().or_else(|| device.map(str::to_string));
        let session = Session::open(device.as_deref())?;
        let display = session.display.clone();
        let pool = FramePool::new(PixelFormat::Bgrx, session.width, session.height, POOL_MAX);
        Ok(Self {
            follow,
            device,
            session: Some(session),
            display,
            pool,
            next_id: 0,
            full_frame: true,
            lost_since: None,
            have_image: false,
            moves: Vec::new(),
            dirty: Vec::new(),
        })
    }

    /// The session, re-created if it was lost; `None` while the OS refuses for now.
    fn session(&mut self, deadline: Instant) -> Result<Option<&mut Session>, CaptureError> {
        if self.session.is_none() {
            match Session::open(self.device.as_deref()) {
                Ok(s) => {
                    self.display = s.display.clone();
                    self.have_image = false;
                    self.full_frame = true;
                    self.lost_since = None;
                    self.session = Some(s);
                }
                Err(e) => {
                    let passing = matches!(e, CaptureError::Permission(_))
                        || self.lost_since.is_some_and(|t| t.elapsed() < RECOVERY);
                    if !passing {
                        return Err(e);
                    }
                    let wait = deadline
                        .saturating_duration_since(Instant::now())
                        .min(RETRY);
                    std::thread::sleep(wait);
                    return Ok(None);
                }
            }
        }
        Ok(self.session.as_mut())
    }

    /// Damage of the acquired frame from its move and dirty rectangles.
    fn damage(&mut self, info: &DXGI_OUTDUPL_FRAME_INFO) -> Result<DamageList, CaptureError> {
        let Some(s) = self.session.as_ref() else {
            return Ok(DamageList::new());
        };
        let (w, h) = (s.width, s.height);
        if self.full_frame || info.TotalMetadataBufferSize == 0 {
            return Ok(DamageList::full(w, h));
        }
        let bytes = info.TotalMetadataBufferSize as usize;
        // Sized from the metadata total, so no call needs more room; capacity is kept.
        self.moves.resize(
            bytes / size_of::<DXGI_OUTDUPL_MOVE_RECT>() + 1,
            Default::default(),
        );
        self.dirty
            .resize(bytes / size_of::<RECT>() + 1, RECT::default());
        let (mut got_moves, mut got_dirty) = (0u32, 0u32);
        // SAFETY: each buffer is valid for the byte size passed; DXGI writes at most that and
        // reports how many bytes it wrote.
        unsafe {
            s.dup
                .GetFrameMoveRects(
                    (self.moves.len() * size_of::<DXGI_OUTDUPL_MOVE_RECT>()) as u32,
                    self.moves.as_mut_ptr(),
                    &mut got_moves,
                )
                .map_err(|e| backend("GetFrameMoveRects", e))?;
            s.dup
                .GetFrameDirtyRects(
                    (self.dirty.len() * size_of::<RECT>()) as u32,
                    self.dirty.as_mut_ptr(),
                    &mut got_dirty,
                )
                .map_err(|e| backend("GetFrameDirtyRects", e))?;
        }
        let moves = &self.moves
            [..(got_moves as usize / size_of::<DXGI_OUTDUPL_MOVE_RECT>()).min(self.moves.len())];
        let dirty = &self.dirty[..(got_dirty as usize / size_of::<RECT>()).min(self.dirty.len())];
        let ltrb = |r: &RECT| (r.left, r.top, r.right, r.bottom);
        Ok(windows_logic::damage(
            moves.iter().map(|m| ltrb(&m.DestinationRect)),
            dirty.iter().map(ltrb),
            w,
            h,
        ))
    }

    /// A frame from the staging texture with `damage`.
    fn emit(
        &mut self,
        damage: DamageList,
        now: Instant,
    ) -> Result<Option<VideoFrame>, CaptureError> {
        let Some(s) = self.session.as_ref() else {
            return Ok(None);
        };
        if self.pool.geometry() != (PixelFormat::Bgrx, s.width, s.height) {
            self.pool = FramePool::new(PixelFormat::Bgrx, s.width, s.height, POOL_MAX);
        }
        let id = self.next_id;
        let mut frame = s.read(&self.pool, id, now)?;
        self.next_id += 1;
        self.full_frame = false;
        frame.damage = Some(damage);
        Ok(Some(frame))
    }

    /// On a timeout: the last image again if a full frame was asked for.
    fn repeat(&mut self, now: Instant) -> Result<Option<VideoFrame>, CaptureError> {
        match (&self.session, self.full_frame && self.have_image) {
            (Some(s), true) => {
                let full = DamageList::full(s.width, s.height);
                self.emit(full, now)
            }
            _ => Ok(None),
        }
    }
}

impl Capturer for DuplicationCapturer {
    fn info(&self) -> CaptureInfo {
        CaptureInfo {
            backend: BACKEND,
            display: self.display.clone(),
            damage_hints: true,
            zero_copy: false,
        }
    }

    fn capture(&mut self, deadline: Instant) -> Result<Option<VideoFrame>, CaptureError> {
        if let Some(device) = self.follow.changed() {
            // A display that is not there is reported at once, as at open.
            self.device = device;
            self.session = None;
            self.lost_since = None;
        }
        let Some(s) = self.session(deadline)? else {
            return Ok(None);
        };
        let timeout = windows_logic::timeout_ms(deadline.saturating_duration_since(Instant::now()));
        let mut info = DXGI_OUTDUPL_FRAME_INFO::default();
        let mut resource: Option<IDXGIResource> = None;
        // SAFETY: the out pointers are valid for the call; a frame acquired here is released
        // below on every path.
        match unsafe { s.dup.AcquireNextFrame(timeout, &mut info, &mut resource) } {
            Ok(()) => {}
            Err(e) if e.code() == DXGI_ERROR_WAIT_TIMEOUT => return self.repeat(Instant::now()),
            Err(e) if transient(&e) => {
                self.session = None;
                self.lost_since = Some(Instant::now());
                return Ok(None);
            }
            Err(e) => return Err(backend("AcquireNextFrame", e)),
        }
        let now = Instant::now();
        let result = self.take(&info, resource, now);
        if let Some(s) = self.session.as_ref() {
            // SAFETY: a frame was acquired above and not yet released.
            if let Err(e) = unsafe { s.dup.ReleaseFrame() } {
                if transient(&e) {
                    self.session = None;
                    self.lost_since = Some(Instant::now());
                } else {
                    return Err(backend("ReleaseFrame", e));
                }
            }
        }
        result
    }

    fn request_full_frame(&mut self) {
        self.full_frame = true;
    }
}

impl DuplicationCapturer {
    /// The acquired frame: staged, damaged and read, or `None` when only the pointer moved.
    fn take(
        &mut self,
        info: &DXGI_OUTDUPL_FRAME_INFO,
        resource: Option<IDXGIResource>,
        now: Instant,
    ) -> Result<Option<VideoFrame>, CaptureError> {
        if info.LastPresentTime == 0 {
            return self.repeat(now);
        }
        let texture: ID3D11Texture2D = resource
            .ok_or_else(|| CaptureError::Backend("AcquireNextFrame gave no image".into()))?
            .cast()
            .map_err(|e| backend("desktop image", e))?;
        let damage = self.damage(info)?;
        let Some(s) = self.session.as_mut() else {
            return Ok(None);
        };
        let resized = (s.width, s.height);
        s.stage(&texture)?;
        self.have_image = true;
        let damage = if resized != (s.width, s.height) {
            DamageList::full(s.width, s.height)
        } else {
            damage
        };
        self.emit(damage, now)
    }
}
