//! Windows capture with Windows.Graphics.Capture (WGC, Windows 10 1903+), and the choice
//! between it and DXGI Desktop Duplication ([`open_following`]).
//!
//! # Design
//! - **Item and pool.** The monitor's `GraphicsCaptureItem` comes from
//!   `IGraphicsCaptureItemInterop::CreateForMonitor` with the `HMONITOR` DXGI reports for the
//!   output, so monitors are named and picked exactly as for Desktop Duplication. Frames arrive
//!   in a free-threaded `Direct3D11CaptureFramePool` (B8G8R8A8, two buffers) on a D3D11 device
//!   of the default adapter: WGC copies across adapters itself, which is why it works where
//!   duplication fails on hybrid-GPU laptops.
//! - **Change-driven.** WGC hands out a frame only when the monitor's image changed. The pool's
//!   `FrameArrived` handler (on a system thread) marks a frame pending and wakes a condition
//!   variable; `capture` drains the pool with `TryGetNextFrame` and otherwise waits on the
//!   condition variable until the deadline. No polling.
//! - **One copy.** Each frame taken is copied on the GPU into a reused staging texture that
//!   keeps the whole image: only its dirty regions where the OS reports them, else the content's
//!   part of the pool texture (`ContentSize`). The staging texture is then mapped and its rows
//!   copied into a [`FramePool`] buffer, as for Desktop Duplication. A new content size
//!   recreates the pool (`Recreate`) and sends a full frame.
//! - **Damage.** Where the OS has it (Windows 11 24H2:
//!   `GraphicsCaptureSession.DirtyRegionMode = ReportAndRender`) the `DirtyRegions` of the
//!   frames taken become the damage, and only they are copied from each frame's own texture, in
//!   order, which is right whether the OS renders whole frames or only the dirty regions into a
//!   pool buffer; elsewhere the damage is unknown (`None`) and the engine's damage stage
//!   compares the frame with the previous one, as for Wayland
//!   (`capture/windows_logic.rs::wgc_damage`, tested).
//! - **Session options.** The pointer is not drawn into frames
//!   (`IsCursorCaptureEnabled = false`, Windows 10 2004+): it travels separately, as with
//!   duplication. The yellow capture border is turned off where the OS allows
//!   (`IsBorderRequired = false`, Windows 11); where it refuses, the border shows and capture
//!   goes on.
//! - **Failures.** A session that fails (device removed, the monitor unplugged) is dropped and
//!   re-created at the next `capture`; failures to re-create are retried for a while before they
//!   are reported, as for duplication.

use std::cell::Cell;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Instant;

use ::windows::Foundation::Metadata::ApiInformation;
use ::windows::Foundation::TypedEventHandler;
use ::windows::Graphics::Capture::{
    Direct3D11CaptureFrame, Direct3D11CaptureFramePool, GraphicsCaptureDirtyRegionMode,
    GraphicsCaptureItem, GraphicsCaptureSession,
};
use ::windows::Graphics::DirectX::Direct3D11::IDirect3DDevice;
use ::windows::Graphics::DirectX::DirectXPixelFormat;
use ::windows::Graphics::SizeInt32;
use ::windows::Win32::Foundation::HMODULE;
use ::windows::Win32::Graphics::Direct3D::D3D_DRIVER_TYPE_HARDWARE;
use ::windows::Win32::Graphics::Direct3D11::{
    D3D11_BOX, D3D11_CREATE_DEVICE_BGRA_SUPPORT, D3D11_SDK_VERSION, D3D11_TEXTURE2D_DESC,
    D3D11CreateDevice, ID3D11Device, ID3D11DeviceContext, ID3D11Texture2D,
};
use ::windows::Win32::Graphics::Dxgi::{IDXGIAdapter, IDXGIDevice};
use ::windows::Win32::System::WinRT::Direct3D11::{
    CreateDirect3D11DeviceFromDXGIDevice, IDirect3DDxgiInterfaceAccess,
};
use ::windows::Win32::System::WinRT::Graphics::Capture::IGraphicsCaptureItemInterop;
use ::windows::Win32::System::WinRT::{RO_INIT_MULTITHREADED, RoInitialize};
use ::windows::core::{HSTRING, IInspectable, Interface};
use glass_codecs::{FramePool, PixelFormat, Rect, VideoFrame};

use super::windows::{self as dxgi, DuplicationCapturer, POOL_MAX, RECOVERY, RETRY, backend};
use super::windows_logic::{self, Api, pick};
use super::{CaptureInfo, Capturer, DisplayInfo, WindowsBackend};
use crate::display::{DisplaySelection, Follower};
use crate::error::CaptureError;

/// Backend name in [`DisplayInfo`] and [`CaptureInfo`].
pub const BACKEND: &str = "wgc";
/// Buffers in the frame pool: one being copied, one being filled.
const BUFFERS: i32 = 2;
const SESSION_CLASS: &str = "Windows.Graphics.Capture.GraphicsCaptureSession";

/// Opens the capturer a `windows` source asks for: Desktop Duplication for `dxgi`, WGC for
/// `wgc`, and for `auto` duplication with WGC where duplication cannot be opened
/// ([`windows_logic::falls_back_to_wgc`]).
pub(crate) fn open_following(
    backend: WindowsBackend,
    device: Option<&str>,
    selection: &DisplaySelection,
) -> Result<Box<dyn Capturer>, CaptureError> {
    if windows_logic::first_api(backend) == Api::Wgc {
        return Ok(Box::new(WgcCapturer::open_following(device, selection)?));
    }
    match DuplicationCapturer::open_following(device, selection) {
        Ok(c) => Ok(Box::new(c)),
        Err(e) if windows_logic::falls_back_to_wgc(backend, &e) => {
            tracing::warn!(
                error = %e,
                "Desktop Duplication unavailable; capturing with Windows.Graphics.Capture"
            );
            match WgcCapturer::open_following(device, selection) {
                Ok(c) => Ok(Box::new(c)),
                Err(w) => Err(CaptureError::Unsupported(format!(
                    "Desktop Duplication: {e}; Windows.Graphics.Capture: {w}"
                ))),
            }
        }
        Err(e) => Err(e),
    }
}

thread_local! {
    static WINRT: Cell<bool> = const { Cell::new(false) };
}

/// Joins this thread to the multithreaded apartment once (WinRT calls need one; the
/// free-threaded pool and its handler need no other). A thread already in a single-threaded
/// apartment keeps it (`RPC_E_CHANGED_MODE`), which the free-threaded objects tolerate.
fn ensure_winrt() {
    WINRT.with(|done| {
        if !done.get() {
            // SAFETY: initialising the calling thread's apartment; never undone, the thread's
            // end does.
            let _ = unsafe { RoInitialize(RO_INIT_MULTITHREADED) };
            done.set(true);
        }
    });
}

/// What the `FrameArrived` handler tells `capture`.
#[derive(Default)]
struct Signal {
    /// When a frame first became pending since `capture` last drained the pool.
    pending: Mutex<Option<Instant>>,
    arrived: Condvar,
}

impl Signal {
    fn lock(&self) -> MutexGuard<'_, Option<Instant>> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn notify(&self) {
        self.lock().get_or_insert_with(Instant::now);
        self.arrived.notify_all();
    }

    /// Waits until a frame is pending or `until`; returns when it first was.
    fn wait(&self, until: Instant) -> Option<Instant> {
        let mut pending = self.lock();
        while pending.is_none() {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            pending = self
                .arrived
                .wait_timeout(pending, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        *pending
    }

    fn clear(&self) {
        *self.lock() = None;
    }
}

fn size(s: SizeInt32) -> (i32, i32) {
    (s.Width, s.Height)
}

/// One capture session of one monitor.
struct Session {
    display: DisplayInfo,
    device: ID3D11Device,
    context: ID3D11DeviceContext,
    winrt_device: IDirect3DDevice,
    pool: Direct3D11CaptureFramePool,
    session: GraphicsCaptureSession,
    /// The `FrameArrived` registration, removed on drop.
    token: i64,
    /// The size the pool's textures were made for.
    pool_size: SizeInt32,
    /// CPU-readable copy of the last image, `width` × `height`.
    staging: Option<ID3D11Texture2D>,
    width: u32,
    height: u32,
    /// Whether frames carry `DirtyRegions` (`ReportAndRender` accepted).
    dirty_regions: bool,
}

impl Session {
    fn open(wanted: Option<&str>, signal: &Arc<Signal>) -> Result<Session, CaptureError> {
        ensure_winrt();
        if !GraphicsCaptureSession::IsSupported().unwrap_or(false) {
            return Err(CaptureError::Unsupported(
                "Windows.Graphics.Capture is not supported here (Windows 10 1903 or later is \
                 needed)"
                    .into(),
            ));
        }
        let all = dxgi::enumerate().map_err(|e| backend("enumerating outputs", e))?;
        let outs: Vec<_> = all.iter().map(|(_, _, o)| o.clone()).collect();
        let i = pick(&outs, wanted).ok_or_else(|| {
            CaptureError::NoSuchDisplay(match wanted {
                Some(w) => format!("no monitor {w:?}"),
                None => "no monitor attached to the desktop".into(),
            })
        })?;
        let (_, output, out) = &all[i];
        // SAFETY: GetDesc fills a plain struct from a live output.
        let monitor = unsafe { output.GetDesc() }
            .map_err(|e| backend("IDXGIOutput::GetDesc", e))?
            .Monitor;
        let interop =
            ::windows::core::factory::<GraphicsCaptureItem, IGraphicsCaptureItemInterop>()
                .map_err(|e| backend("IGraphicsCaptureItemInterop", e))?;
        // SAFETY: `monitor` is the HMONITOR DXGI reported for an attached output.
        let item: GraphicsCaptureItem = unsafe { interop.CreateForMonitor(monitor) }
            .map_err(|e| backend("CreateForMonitor", e))?;
        let item_size = item
            .Size()
            .map_err(|e| backend("GraphicsCaptureItem::Size", e))?;
        let (device, context) = default_device().map_err(|e| backend("D3D11CreateDevice", e))?;
        let dxgi_device: IDXGIDevice = device.cast().map_err(|e| backend("IDXGIDevice", e))?;
        // SAFETY: a live DXGI device; the result is a WinRT object owned by the smart pointer.
        let inspectable = unsafe { CreateDirect3D11DeviceFromDXGIDevice(&dxgi_device) }
            .map_err(|e| backend("CreateDirect3D11DeviceFromDXGIDevice", e))?;
        let winrt_device: IDirect3DDevice = inspectable
            .cast()
            .map_err(|e| backend("IDirect3DDevice", e))?;
        let pool = Direct3D11CaptureFramePool::CreateFreeThreaded(
            &winrt_device,
            DirectXPixelFormat::B8G8R8A8UIntNormalized,
            BUFFERS,
            item_size,
        )
        .map_err(|e| backend("Direct3D11CaptureFramePool::CreateFreeThreaded", e))?;
        let wake = Arc::clone(signal);
        let handler =
            TypedEventHandler::<Direct3D11CaptureFramePool, IInspectable>::new(move |_, _| {
                wake.notify();
                Ok(())
            });
        let token = pool
            .FrameArrived(&handler)
            .map_err(|e| backend("FrameArrived", e))?;
        let session = pool
            .CreateCaptureSession(&item)
            .map_err(|e| backend("CreateCaptureSession", e))?;
        let dirty_regions = configure(&session);
        let (width, height) = windows_logic::content_size(item_size.Width, item_size.Height)
            .ok_or_else(|| CaptureError::Backend(format!("{} has no size", out.device)))?;
        let mut display = dxgi::display_info(out);
        display.backend = BACKEND;
        let s = Session {
            display,
            device,
            context,
            winrt_device,
            pool,
            session,
            token,
            pool_size: item_size,
            staging: None,
            width,
            height,
            dirty_regions,
        };
        s.session
            .StartCapture()
            .map_err(|e| backend("StartCapture", e))?;
        Ok(s)
    }

    /// Takes every frame waiting in the pool, oldest first, and stages each into the staging
    /// texture; their dirty regions are appended to `regions`. Returns whether a frame was
    /// taken and whether the image's size changed.
    fn take_frames(
        &mut self,
        regions: &mut Vec<(i32, i32, i32, i32)>,
    ) -> Result<(bool, bool), Lost> {
        let (mut taken, mut resized) = (false, false);
        loop {
            let frame = match self.pool.TryGetNextFrame() {
                Ok(f) => f,
                // A null frame (no frame waiting) comes back as an error with S_OK.
                Err(e) if e.code().is_ok() => break,
                Err(e) => return Err(Lost::Session(e)),
            };
            let start = regions.len();
            if self.dirty_regions {
                for r in frame.DirtyRegions().map_err(Lost::Session)? {
                    regions.push((r.X, r.Y, r.Width, r.Height));
                }
            }
            let own = self.dirty_regions.then(|| &regions[start..]);
            let staged = self.stage(&frame, own);
            // Back to the pool at once.
            let _ = frame.Close();
            resized |= staged.map_err(Lost::Capture)?;
            taken = true;
        }
        Ok((taken, resized))
    }

    /// Copies `frame`'s content into the staging texture: where `regions` (the frame's own
    /// dirty regions) are given and the staging texture already holds the previous image, only
    /// those, else all of it; recreates the pool when the content's size changed. Returns
    /// whether the image's size changed.
    ///
    /// Copying each frame's own regions from its own texture, in order, is right whether the
    /// OS renders whole frames or, with `ReportAndRender`, only the dirty regions into a pool
    /// buffer that otherwise keeps what it held two frames ago.
    fn stage(
        &mut self,
        frame: &Direct3D11CaptureFrame,
        regions: Option<&[(i32, i32, i32, i32)]>,
    ) -> Result<bool, CaptureError> {
        let content = frame.ContentSize().map_err(|e| backend("ContentSize", e))?;
        if size(content) != size(self.pool_size) && content.Width > 0 && content.Height > 0 {
            self.pool
                .Recreate(
                    &self.winrt_device,
                    DirectXPixelFormat::B8G8R8A8UIntNormalized,
                    BUFFERS,
                    content,
                )
                .map_err(|e| backend("Direct3D11CaptureFramePool::Recreate", e))?;
            self.pool_size = content;
        }
        let Some(content) = windows_logic::content_size(content.Width, content.Height) else {
            return Err(CaptureError::Backend("capture frame has no content".into()));
        };
        let texture: ID3D11Texture2D = {
            let surface = frame.Surface().map_err(|e| backend("Surface", e))?;
            let access: IDirect3DDxgiInterfaceAccess = surface
                .cast()
                .map_err(|e| backend("IDirect3DDxgiInterfaceAccess", e))?;
            // SAFETY: the surface wraps a D3D11 texture; the result is owned by the pointer.
            unsafe { access.GetInterface() }.map_err(|e| backend("GetInterface", e))?
        };
        let mut desc = D3D11_TEXTURE2D_DESC::default();
        // SAFETY: GetDesc fills the struct it is given.
        unsafe { texture.GetDesc(&mut desc) };
        let (w, h) = windows_logic::copy_size(content, (desc.Width, desc.Height));
        let resized = (w, h) != (self.width, self.height);
        let fresh = self.staging.is_none() || resized;
        if fresh {
            self.staging = Some(dxgi::staging_texture(&self.device, w, h)?);
            (self.width, self.height) = (w, h);
        }
        let staging = self
            .staging
            .as_ref()
            .ok_or_else(|| CaptureError::Backend("no staging texture".into()))?;
        let copy = |r: Rect| {
            let region = D3D11_BOX {
                left: r.x,
                top: r.y,
                front: 0,
                right: r.x + r.width,
                bottom: r.y + r.height,
                back: 1,
            };
            // SAFETY: both textures are live and B8G8R8A8; the box lies inside the `w` × `h`
            // part of the source (clipped to its size) and lands at the same place in the
            // staging texture, which is `w` × `h`.
            unsafe {
                self.context.CopySubresourceRegion(
                    staging,
                    0,
                    r.x,
                    r.y,
                    0,
                    &texture,
                    0,
                    Some(&region),
                )
            };
        };
        match windows_logic::wgc_damage(regions, fresh, w, h) {
            Some(rects) => rects.as_slice().iter().copied().for_each(copy),
            None => copy(Rect::new(0, 0, w, h)),
        }
        Ok(resized)
    }
}

/// Why taking frames failed.
enum Lost {
    /// The session broke (device removed, the item closed): re-create it.
    Session(::windows::core::Error),
    /// Staging a frame failed.
    Capture(CaptureError),
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.pool.RemoveFrameArrived(self.token);
        let _ = self.session.Close();
        let _ = self.pool.Close();
    }
}

/// A D3D11 device on the default hardware adapter.
fn default_device() -> Result<(ID3D11Device, ID3D11DeviceContext), ::windows::core::Error> {
    let (mut device, mut context) = (None, None);
    // SAFETY: the out pointers are valid for the call; no adapter with a hardware driver type.
    unsafe {
        D3D11CreateDevice(
            None::<&IDXGIAdapter>,
            D3D_DRIVER_TYPE_HARDWARE,
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
        _ => Err(::windows::core::Error::empty()),
    }
}

/// Whether `GraphicsCaptureSession` has `property` on this system.
fn has_property(property: &str) -> bool {
    ApiInformation::IsPropertyPresent(&HSTRING::from(SESSION_CLASS), &HSTRING::from(property))
        .unwrap_or(false)
}

/// Sets the session's options where the OS has them; returns whether frames will carry dirty
/// regions. Each refusal is logged once per session and capture goes on without it.
fn configure(session: &GraphicsCaptureSession) -> bool {
    if has_property("IsCursorCaptureEnabled")
        && let Err(e) = session.SetIsCursorCaptureEnabled(false)
    {
        tracing::info!(error = %e, "WGC: the pointer stays in the captured frames");
    }
    if has_property("IsBorderRequired")
        && let Err(e) = session.SetIsBorderRequired(false)
    {
        tracing::info!(error = %e, "WGC: the capture border stays on");
    }
    has_property("DirtyRegionMode")
        && match session.SetDirtyRegionMode(GraphicsCaptureDirtyRegionMode::ReportAndRender) {
            Ok(()) => true,
            Err(e) => {
                tracing::info!(error = %e, "WGC: no dirty regions; the engine compares frames");
                false
            }
        }
}

/// Captures one monitor with Windows.Graphics.Capture, following a [`DisplaySelection`].
pub struct WgcCapturer {
    follow: Follower,
    device: Option<String>,
    session: Option<Session>,
    /// The display last opened (kept while the session is being re-created).
    display: DisplayInfo,
    signal: Arc<Signal>,
    pool: FramePool,
    next_id: u64,
    full_frame: bool,
    /// When the session failed, while it is being re-created.
    lost_since: Option<Instant>,
    /// Whether the staging texture holds an image a full-frame request can repeat.
    have_image: bool,
    /// Dirty regions of the frames drained, reused.
    regions: Vec<(i32, i32, i32, i32)>,
}

// SAFETY: the capturer owns its D3D11 device and immediate context outright and uses them only
// through `&mut self`, so from one thread at a time; D3D11 objects are free-threaded COM
// objects, not bound to an apartment. The WinRT objects (pool, session, WinRT device) are
// agile and the pool is free-threaded; each thread that calls into them joins the MTA first
// (`ensure_winrt`).
unsafe impl Send for WgcCapturer {}

impl std::fmt::Debug for WgcCapturer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WgcCapturer")
            .field("display", &self.display)
            .finish_non_exhaustive()
    }
}

impl WgcCapturer {
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
        let signal = Arc::new(Signal::default());
        let session = Session::open(device.as_deref(), &signal)?;
        let display = session.display.clone();
        let pool = FramePool::new(PixelFormat::Bgrx, session.width, session.height, POOL_MAX);
        Ok(Self {
            follow,
            device,
            session: Some(session),
            display,
            signal,
            pool,
            next_id: 0,
            full_frame: true,
            lost_since: None,
            have_image: false,
            regions: Vec::new(),
        })
    }

    /// Drops the session after a failure; the next `capture` re-creates it.
    fn lose(&mut self, e: &::windows::core::Error) {
        tracing::warn!(error = %e, "WGC session failed; re-creating it");
        self.session = None;
        self.lost_since.get_or_insert_with(Instant::now);
    }

    /// The session, re-created if needed; `None` while re-creating fails within the recovery
    /// time.
    fn session(&mut self, deadline: Instant) -> Result<Option<&mut Session>, CaptureError> {
        if self.session.is_none() {
            // Frames of the old session must not wake the new one's wait.
            self.signal = Arc::new(Signal::default());
            match Session::open(self.device.as_deref(), &self.signal) {
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

    /// A frame from the staging texture.
    fn emit(&mut self, now: Instant) -> Result<Option<VideoFrame>, CaptureError> {
        let Some(s) = self.session.as_ref() else {
            return Ok(None);
        };
        let (w, h) = (s.width, s.height);
        if self.pool.geometry() != (PixelFormat::Bgrx, w, h) {
            self.pool = FramePool::new(PixelFormat::Bgrx, w, h, POOL_MAX);
        }
        let staging = s
            .staging
            .as_ref()
            .ok_or_else(|| CaptureError::Backend("no staging texture".into()))?;
        let mut frame =
            dxgi::read_texture(&s.context, staging, (w, h), &self.pool, self.next_id, now)?;
        let regions = s.dirty_regions.then_some(&self.regions[..]);
        frame.damage = windows_logic::wgc_damage(regions, self.full_frame, w, h);
        self.next_id += 1;
        self.full_frame = false;
        Ok(Some(frame))
    }
}

impl Capturer for WgcCapturer {
    fn info(&self) -> CaptureInfo {
        CaptureInfo {
            backend: BACKEND,
            display: self.display.clone(),
            damage_hints: self.session.as_ref().is_some_and(|s| s.dirty_regions),
            zero_copy: false,
        }
    }

    fn capture(&mut self, deadline: Instant) -> Result<Option<VideoFrame>, CaptureError> {
        ensure_winrt();
        if let Some(device) = self.follow.changed() {
            // A display that is not there is reported at once, as at open.
            self.device = device;
            self.session = None;
            self.lost_since = None;
        }
        loop {
            if self.session(deadline)?.is_none() {
                return Ok(None);
            }
            self.signal.clear();
            self.regions.clear();
            let taken = match self.session.as_mut() {
                Some(s) => s.take_frames(&mut self.regions),
                None => return Ok(None),
            };
            match taken {
                Ok((true, resized)) => {
                    self.full_frame |= resized;
                    self.have_image = true;
                    return self.emit(Instant::now());
                }
                Ok((false, _)) => {}
                Err(Lost::Session(e)) => {
                    self.lose(&e);
                    return Ok(None);
                }
                Err(Lost::Capture(e)) => return Err(e),
            }
            if self.full_frame && self.have_image {
                // Nothing new: the last image again, whole.
                self.regions.clear();
                return self.emit(Instant::now());
            }
            if self.signal.wait(deadline).is_none() {
                return Ok(None);
            }
        }
    }

    fn request_full_frame(&mut self) {
        self.full_frame = true;
    }

    fn wait_change(&mut self, until: Instant) -> Result<Option<Instant>, CaptureError> {
        if self.session.is_none() {
            std::thread::sleep(until.saturating_duration_since(Instant::now()));
            return Ok(None);
        }
        Ok(self.signal.wait(until))
    }
}
