//! ScreenCaptureKit capture (macOS 12.3+), zero-copy.
//!
//! ScreenCaptureKit calls our handler on a serial dispatch queue with a `CMSampleBuffer` per
//! changed frame. The handler reads the frame info attachments (status, dirty rectangles,
//! content scale and rectangle), wraps the IOSurface-backed `CVPixelBuffer` in a
//! [`glass_codecs::videotoolbox::PixelBufferStorage`] (no copy) and puts it in a one-frame
//! "latest wins" slot; [`ScreenCaptureKitCapturer::capture`] takes it from there. A replaced
//! frame passes its damage on, so nothing that changed is lost.
//!
//! The decisions live in `macos_logic.rs` and are unit-tested on every OS: dirty rectangles are
//! pixels; the stream size is clamped to what the encoder takes (5K and 6K displays); a frame
//! whose content no longer fills the stream, or a new display mode, reconfigures the stream; a
//! stop for a display change or sleep restarts the stream, a withdrawn permission ends with a
//! permission error.
//!
//! Permission: nothing is refused up front. `CGPreflightScreenCaptureAccess()` has been seen
//! returning false while access is granted, and refusing on it meant ScreenCaptureKit was never
//! asked, so the app never appeared in the Screen Recording list. The shareable-content call
//! reports a missing permission (`SCStreamErrorUserDeclined`), which becomes
//! [`CaptureError::Permission`]; [`request_screen_capture_access`] asks the user on request.
//!
//! Buffer budget: ScreenCaptureKit renders into a pool of `queueDepth` surfaces and stalls when
//! the application holds all of them. Glass holds up to: the slot (1), the last frame kept for
//! `request_full_frame` (1, usually the same surface as the pipeline's previous frame used for
//! damage detection), the frame being processed (1), the frame queued for or inside the encoder
//! (1–2). ScreenCaptureKit needs one free surface to draw into, hence [`QUEUE_DEPTH`] = 6 (8 is
//! the documented maximum).
//!
//! Only type-checked on Linux; see `docs/macos.md` for what needs testing on a Mac.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use block2::RcBlock;
use dispatch2::{DispatchQueue, DispatchQueueAttr, DispatchRetained};
use glass_codecs::VideoFrame;
use glass_codecs::videotoolbox::PixelBufferStorage;
use objc2::rc::{Retained, autoreleasepool};
use objc2::runtime::{AnyObject, NSObject, NSObjectProtocol, ProtocolObject};
use objc2::{AllocAnyThread, DefinedClass, define_class, msg_send};
use objc2_core_foundation::{
    CFArray, CFDictionary, CFNumber, CFRetained, CFString, CFType, CGRect,
};
use objc2_core_graphics::{
    CGDisplayCopyDisplayMode, CGDisplayIsBuiltin, CGDisplayMode, CGMainDisplayID,
    CGPreflightScreenCaptureAccess, CGRectMakeWithDictionaryRepresentation,
    CGRequestScreenCaptureAccess, kCGColorSpaceSRGB, kCGDisplayStreamYCbCrMatrix_ITU_R_709_2,
};
use objc2_core_media::{CMSampleBuffer, CMTime};
use objc2_core_video::kCVPixelFormatType_32BGRA;
use objc2_foundation::{NSArray, NSError, NSString, NSValue};
use objc2_screen_capture_kit::{
    SCContentFilter, SCDisplay, SCFrameStatus, SCShareableContent, SCStream, SCStreamConfiguration,
    SCStreamDelegate, SCStreamFrameInfoContentRect, SCStreamFrameInfoContentScale,
    SCStreamFrameInfoDirtyRects, SCStreamFrameInfoStatus, SCStreamOutput, SCStreamOutputType,
};

use super::macos_logic::{
    ContentInfo, Geometry, RectF, SC_USER_DECLINED, StopAction, content_mismatch,
    dirty_rects_to_damage, plan_reconfigure, stop_action,
};
use super::{CaptureInfo, Capturer, DisplayInfo};
use crate::display::{DisplaySelection, Follower};
use crate::error::CaptureError;
use glass_codecs::DamageList;

const BACKEND: &str = "screencapturekit";

/// Surfaces in ScreenCaptureKit's pool (see the module docs for the budget).
pub const QUEUE_DEPTH: isize = 6;

/// Default frame-rate cap of [`ScreenCaptureKitCapturer::open`].
pub const DEFAULT_MAX_FPS: u32 = 60;

/// How long to wait for ScreenCaptureKit's completion handlers.
const FRAMEWORK_TIMEOUT: Duration = Duration::from_secs(10);

/// How often the display mode is re-read to notice resolution changes.
const MODE_CHECK: Duration = Duration::from_secs(1);
/// How soon after a frame whose content no longer fills the stream the mode is re-read.
const MISMATCH_CHECK: Duration = Duration::from_millis(100);

const PERMISSION_HINT: &str = "Screen Recording permission is not granted: System Settings → \
     Privacy & Security → Screen Recording (the app is listed after it first asked; \
     request_screen_capture_access() asks)";

/// Whether this process may record the screen (`CGPreflightScreenCaptureAccess`). Informational
/// only: it has been seen returning false while access is granted, so capture never relies on it.
pub fn screen_capture_access() -> bool {
    CGPreflightScreenCaptureAccess()
}

/// Asks for Screen Recording access (`CGRequestScreenCaptureAccess`): shows the system prompt
/// the first time and lists the app in System Settings. Call it when the user asks to share,
/// not at start-up. Returns whether access is granted now; a grant usually takes effect only
/// after the app restarts.
pub fn request_screen_capture_access() -> bool {
    CGPreflightScreenCaptureAccess() || CGRequestScreenCaptureAccess()
}

/// Damage of a frame that replaces an unconsumed one: the union, unknown if either is unknown.
fn merge_damage(older: Option<DamageList>, newer: Option<DamageList>) -> Option<DamageList> {
    match (older, newer) {
        (Some(mut a), Some(b)) => {
            a.extend(&b);
            Some(a)
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// State shared with ScreenCaptureKit's queue
// ---------------------------------------------------------------------------------------------

struct Pending {
    storage: PixelBufferStorage,
    damage: Option<DamageList>,
    at: Instant,
}

struct Slot {
    frame: Option<Pending>,
    /// Why the stream stopped (delegate `stream:didStopWithError:`): code and text.
    stopped: Option<(isize, String)>,
    /// Size of the previous frame: dirty rects after a size change are not trustworthy.
    last_size: Option<(u32, u32)>,
    /// What the stream is configured for.
    geometry: Geometry,
    /// Set when a frame's content no longer filled the stream as configured.
    mismatch: bool,
    /// The next frame is whole (the stream was reconfigured or restarted).
    whole: bool,
}

struct Shared {
    slot: Mutex<Slot>,
    cond: Condvar,
    /// Frames replaced in the slot before `capture` took them.
    dropped: AtomicU64,
    /// Frames ScreenCaptureKit delivered that Glass could not wrap (unexpected format).
    rejected: AtomicU64,
}

impl Shared {
    fn new(geometry: Geometry) -> Self {
        Self {
            slot: Mutex::new(Slot {
                frame: None,
                stopped: None,
                last_size: None,
                geometry,
                mismatch: false,
                whole: true,
            }),
            cond: Condvar::new(),
            dropped: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn handle_sample(&self, sample: &CMSampleBuffer) {
        let at = Instant::now();
        // SAFETY: `sample` is the valid sample buffer ScreenCaptureKit handed to the callback.
        let attachments = unsafe { frame_attachments(sample) };
        let status = attachments
            .as_ref()
            .and_then(|a| number(a, key(info_key(InfoKey::Status))))
            .and_then(|n| n.as_i64());
        // Complete: new pixels. Started: the first frame, which may carry the screen's contents
        // (WebRTC accepts it too); it is treated as a full frame. Idle frames carry no new
        // pixels and the other states no usable frame.
        let started = status == Some(SCFrameStatus::Started.0 as i64);
        if status != Some(SCFrameStatus::Complete.0 as i64) && !started {
            return;
        }
        // SAFETY: valid sample buffer; the image buffer comes back retained.
        let Some(pb) = (unsafe { sample.image_buffer() }) else {
            return;
        };
        let storage = match PixelBufferStorage::wrap(pb) {
            Ok(s) => s,
            Err(e) => {
                if self.rejected.fetch_add(1, Ordering::Relaxed) == 0 {
                    tracing::warn!(error = %e, "ScreenCaptureKit frame rejected");
                }
                return;
            }
        };
        let size = (storage.width(), storage.height());
        let content = attachments.as_deref().map(read_content).unwrap_or_default();
        let mut slot = self.lock();
        let mismatch = content_mismatch(&slot.geometry, &content);
        slot.mismatch |= mismatch;
        let whole = std::mem::take(&mut slot.whole);
        let trusted = !started && !mismatch && !whole && slot.last_size == Some(size);
        let damage = if trusted {
            let scale = slot.geometry.stream_scale();
            attachments
                .as_ref()
                .and_then(|a| read_damage(a, scale, size))
        } else {
            None
        };
        slot.last_size = Some(size);
        let damage = match slot.frame.take() {
            Some(old) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
                if (old.storage.width(), old.storage.height()) == size {
                    merge_damage(old.damage, damage)
                } else {
                    None
                }
            }
            None => damage,
        };
        slot.frame = Some(Pending {
            storage,
            damage,
            at,
        });
        drop(slot);
        self.cond.notify_one();
    }

    fn handle_stop(&self, error: &NSError) {
        let code = error.code();
        let text = format!(
            "stream stopped: {} (code {code})",
            error.localizedDescription()
        );
        self.lock().stopped = Some((code, text));
        self.cond.notify_all();
    }
}

/// Damage from the dirty-rects attachment (pixels, see `dirty_rects_to_damage`); `None` when
/// absent or undecodable.
fn read_damage(
    attachments: &CFDictionary<CFString, CFType>,
    stream_scale: f64,
    (width, height): (u32, u32),
) -> Option<DamageList> {
    let list = attachments
        .get(key(info_key(InfoKey::DirtyRects)))?
        .downcast::<CFArray>()
        .ok()?;
    // SAFETY: a CFArray holds CF objects; every element is checked before use.
    let list: CFRetained<CFArray<CFType>> = unsafe { CFRetained::cast_unchecked(list) };
    let mut rects = Vec::with_capacity(list.len());
    for v in list.iter() {
        rects.push(rect_f(rect_from_cf(&v)?));
    }
    dirty_rects_to_damage(&rects, stream_scale, width, height)
}

/// Content scale and rectangle of a frame.
fn read_content(attachments: &CFDictionary<CFString, CFType>) -> ContentInfo {
    ContentInfo {
        content_scale: number(attachments, key(info_key(InfoKey::ContentScale)))
            .and_then(|n| n.as_f64()),
        content_rect: attachments
            .get(key(info_key(InfoKey::ContentRect)))
            .and_then(|v| rect_from_cf(&v))
            .map(rect_f),
    }
}

fn rect_f(r: CGRect) -> RectF {
    RectF::new(r.origin.x, r.origin.y, r.size.width, r.size.height)
}

#[derive(Clone, Copy)]
enum InfoKey {
    Status,
    DirtyRects,
    ContentScale,
    ContentRect,
}

fn info_key(k: InfoKey) -> &'static NSString {
    // SAFETY: reading immutable framework constants.
    unsafe {
        match k {
            InfoKey::Status => SCStreamFrameInfoStatus,
            InfoKey::DirtyRects => SCStreamFrameInfoDirtyRects,
            InfoKey::ContentScale => SCStreamFrameInfoContentScale,
            InfoKey::ContentRect => SCStreamFrameInfoContentRect,
        }
    }
}

/// An `NSString` key as the `CFString` it is toll-free bridged to.
fn key(k: &NSString) -> &CFString {
    // SAFETY: NSString and CFString are toll-free bridged: the same object, usable as either.
    unsafe { &*(k as *const NSString as *const CFString) }
}

fn number(d: &CFDictionary<CFString, CFType>, k: &CFString) -> Option<CFRetained<CFNumber>> {
    d.get(k).and_then(|v| v.downcast::<CFNumber>().ok())
}

/// The first sample attachments dictionary (where ScreenCaptureKit puts `SCStreamFrameInfo`).
///
/// # Safety
/// `sample` must be a valid sample buffer.
unsafe fn frame_attachments(
    sample: &CMSampleBuffer,
) -> Option<CFRetained<CFDictionary<CFString, CFType>>> {
    // SAFETY: valid sample buffer (caller); not creating the array if absent.
    let arr = unsafe { sample.sample_attachments_array(false) }?;
    // SAFETY: the sample attachments array is documented as a CFArray of CFDictionary with
    // CFString keys.
    let arr: CFRetained<CFArray<CFDictionary<CFString, CFType>>> =
        unsafe { CFRetained::cast_unchecked(arr) };
    arr.get(0)
}

/// A rectangle stored as a `CGRect` dictionary (what WebRTC sees) or an `NSValue` (what the SDK
/// header says).
fn rect_from_cf(v: &CFType) -> Option<CGRect> {
    if let Some(d) = v.downcast_ref::<CFDictionary>() {
        let mut r = CGRect::default();
        // SAFETY: a dictionary of any content; the function validates it and writes `r`.
        return unsafe { CGRectMakeWithDictionaryRepresentation(Some(d), &mut r) }.then_some(r);
    }
    // SAFETY: every CF object that is not a plain CF type here is an Objective-C object (CF
    // objects are toll-free bridged to NSObject subclasses), so it can be inspected as one.
    let obj: &AnyObject = unsafe { &*(v as *const CFType as *const AnyObject) };
    obj.downcast_ref::<NSValue>().and_then(|nv| nv.get_rect())
}

// ---------------------------------------------------------------------------------------------
// Objective-C handler
// ---------------------------------------------------------------------------------------------

define_class!(
    // SAFETY: NSObject has no subclassing requirements; the class adds no `dealloc`.
    #[unsafe(super(NSObject))]
    #[name = "GlassScreenCaptureKitHandler"]
    #[ivars = Arc<Shared>]
    struct Handler;

    // SAFETY: NSObjectProtocol has no requirements beyond being an NSObject.
    unsafe impl NSObjectProtocol for Handler {}

    // SAFETY: the method signature matches the protocol's `stream:didOutputSampleBuffer:ofType:`.
    unsafe impl SCStreamOutput for Handler {
        #[unsafe(method(stream:didOutputSampleBuffer:ofType:))]
        fn did_output(&self, _stream: &SCStream, sample: &CMSampleBuffer, kind: SCStreamOutputType) {
            if kind != SCStreamOutputType::Screen {
                return;
            }
            autoreleasepool(|_| self.ivars().handle_sample(sample));
        }
    }

    // SAFETY: the method signature matches the protocol's `stream:didStopWithError:`.
    unsafe impl SCStreamDelegate for Handler {
        #[unsafe(method(stream:didStopWithError:))]
        fn did_stop(&self, _stream: &SCStream, error: &NSError) {
            self.ivars().handle_stop(error);
        }
    }
);

impl Handler {
    fn new(shared: Arc<Shared>) -> Retained<Self> {
        let this = Self::alloc().set_ivars(shared);
        // SAFETY: NSObject's designated initialiser on a freshly allocated instance.
        unsafe { msg_send![super(this), init] }
    }
}

// ---------------------------------------------------------------------------------------------
// Displays
// ---------------------------------------------------------------------------------------------

fn ns_error_text(e: &NSError) -> String {
    format!("{} (code {})", e.localizedDescription(), e.code())
}

/// Moves a value into a completion handler's channel.
struct SendBox<T>(T);
// SAFETY: only used to hand retained Objective-C objects from a completion handler to the one
// thread waiting for them; the sender never touches the object again, so there is no shared
// access. `SCShareableContent` is an immutable snapshot.
unsafe impl<T> Send for SendBox<T> {}

/// The shareable content. A missing Screen Recording permission shows here as
/// `SCStreamErrorUserDeclined`; that call is also what makes macOS list the app in System
/// Settings (Apple's "Capturing screen content in macOS" sample calls nothing else before it).
fn shareable_content() -> Result<Retained<SCShareableContent>, CaptureError> {
    // Forces the CoreGraphics connection to initialise before ScreenCaptureKit is used.
    let _ = CGMainDisplayID();
    let (tx, rx) = sync_channel(1);
    let block = RcBlock::new(
        move |content: *mut SCShareableContent, error: *mut NSError| {
            // SAFETY: the handler's arguments are valid or null, +0; retaining keeps them alive.
            let result = match unsafe { Retained::retain(content) } {
                Some(c) => Ok(c),
                // SAFETY: as above.
                None => Err(unsafe { Retained::retain(error) }.map_or_else(
                    || (0, "unknown error".to_string()),
                    |e| (e.code(), ns_error_text(&e)),
                )),
            };
            let _ = tx.try_send(SendBox(result));
        },
    );
    // SAFETY: a valid completion block; ScreenCaptureKit copies it.
    unsafe { SCShareableContent::getShareableContentWithCompletionHandler(&block) };
    match rx.recv_timeout(FRAMEWORK_TIMEOUT) {
        Ok(SendBox(Ok(c))) => Ok(c),
        Ok(SendBox(Err((code, _)))) if code == SC_USER_DECLINED => {
            Err(CaptureError::Permission(PERMISSION_HINT.into()))
        }
        Ok(SendBox(Err((_, text)))) => {
            Err(CaptureError::Backend(format!("SCShareableContent: {text}")))
        }
        Err(_) => Err(CaptureError::Backend(
            "SCShareableContent did not answer within 10 s".into(),
        )),
    }
}

/// Pixel size of a display's current mode, falling back to its size in points.
fn mode_pixels(id: u32, points: (isize, isize)) -> (u32, u32) {
    let (w, h) = match CGDisplayCopyDisplayMode(id) {
        Some(m) => (
            CGDisplayMode::pixel_width(Some(&m)),
            CGDisplayMode::pixel_height(Some(&m)),
        ),
        None => (points.0.max(0) as usize, points.1.max(0) as usize),
    };
    (
        u32::try_from(w).unwrap_or(u32::MAX),
        u32::try_from(h).unwrap_or(u32::MAX),
    )
}

/// Pixel size of a display from its current mode, falling back to its size in points.
fn display_pixels(display: &SCDisplay) -> (u32, u32) {
    // SAFETY: plain property reads on a valid SCDisplay.
    let (id, pw, ph) = unsafe { (display.displayID(), display.width(), display.height()) };
    mode_pixels(id, (pw, ph))
}

/// Native pixel size of what `filter` captures (macOS 14+: content rect × point-pixel scale,
/// WebRTC's method), else of the display's current mode.
fn native_pixel_size(filter: &SCContentFilter, display: &SCDisplay) -> (u32, u32) {
    if objc2::available!(macos = 14.0) {
        // SAFETY: plain property reads on a valid filter, available on macOS 14+.
        let (r, s) = unsafe { (filter.contentRect(), filter.pointPixelScale() as f64) };
        let (w, h) = ((r.size.width * s).round(), (r.size.height * s).round());
        if w >= 1.0 && h >= 1.0 {
            return (w as u32, h as u32);
        }
    }
    display_pixels(display)
}

fn display_info(display: &SCDisplay, main: u32, pixels: (u32, u32)) -> DisplayInfo {
    // SAFETY: plain property reads on a valid SCDisplay.
    let (id, frame) = unsafe { (display.displayID(), display.frame()) };
    DisplayInfo {
        backend: BACKEND,
        id: id.to_string(),
        name: if CGDisplayIsBuiltin(id) {
            format!("Built-in display {id}")
        } else {
            format!("Display {id}")
        },
        // Global display space is in points on macOS (there is no global pixel space when
        // displays have different scales).
        x: frame.origin.x.round() as i32,
        y: frame.origin.y.round() as i32,
        width: pixels.0,
        height: pixels.1,
        primary: id == main,
    }
}

/// Every display ScreenCaptureKit can capture.
pub fn displays() -> Result<Vec<DisplayInfo>, CaptureError> {
    let content = shareable_content()?;
    let main = CGMainDisplayID();
    // SAFETY: property read on a valid snapshot.
    let list = unsafe { content.displays() };
    Ok(list
        .iter()
        .map(|d| display_info(&d, main, display_pixels(&d)))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Capturer
// ---------------------------------------------------------------------------------------------

/// A stream configuration for frames of `size` at up to `max_fps`.
fn stream_config(size: (u32, u32), max_fps: u32) -> Retained<SCStreamConfiguration> {
    // SAFETY: plain setters on a fresh configuration; the colour-space and matrix setters get
    // framework constants (immutable statics).
    unsafe {
        let cfg = SCStreamConfiguration::new();
        cfg.setWidth(size.0 as usize);
        cfg.setHeight(size.1 as usize);
        // BGRA: the CPU path (damage, conversion for openh264) reads it directly and
        // VideoToolbox converts it on the GPU.
        cfg.setPixelFormat(kCVPixelFormatType_32BGRA);
        cfg.setMinimumFrameInterval(CMTime::new(1, max_fps as i32));
        cfg.setQueueDepth(QUEUE_DEPTH);
        // The pointer travels on its own (macos_cursor.rs): a blink or a move costs no frame.
        cfg.setShowsCursor(false);
        // Audio is off by default. `capturesAudio` is macOS 13+: setting it on 12.3 would
        // raise "unrecognized selector", so it is left alone.
        cfg.setColorSpaceName(kCGColorSpaceSRGB);
        cfg.setColorMatrix(kCGDisplayStreamYCbCrMatrix_ITU_R_709_2);
        cfg
    }
}

/// A running stream and what it was configured for.
struct Started {
    stream: Retained<SCStream>,
    display: Retained<SCDisplay>,
    id: u32,
    geometry: Geometry,
    /// The display-mode size read at configuration (compared with later reads).
    mode: (u32, u32),
}

/// Finds the display (`None`: the main one) and starts a stream on it whose output and delegate
/// are `handler`.
fn start_stream(
    display_id: Option<u32>,
    max_fps: u32,
    handler: &Handler,
    queue: &DispatchQueue,
) -> Result<Started, CaptureError> {
    let content = shareable_content()?;
    let main = CGMainDisplayID();
    let wanted = display_id.unwrap_or(main);
    // SAFETY: property reads on a valid snapshot and its displays.
    let list = unsafe { content.displays() };
    let display = list
        .iter()
        // SAFETY: as above.
        .find(|d| unsafe { d.displayID() } == wanted)
        .or_else(|| {
            if display_id.is_none() {
                list.firstObject()
            } else {
                None
            }
        })
        .ok_or_else(|| {
            // SAFETY: as above.
            let ids: Vec<String> = list
                .iter()
                .map(|d| unsafe { d.displayID() }.to_string())
                .collect();
            CaptureError::NoSuchDisplay(format!("display {wanted} (available: {})", ids.join(", ")))
        })?;
    // SAFETY: property read on a valid SCDisplay.
    let id = unsafe { display.displayID() };
    // SAFETY: standard ScreenCaptureKit set-up on valid objects; the handler is kept alive by
    // the capturer for as long as the stream exists.
    let (stream, geometry, mode) = unsafe {
        let filter = SCContentFilter::initWithDisplay_excludingWindows(
            SCContentFilter::alloc(),
            &display,
            &NSArray::new(),
        );
        let geometry = Geometry::for_native(native_pixel_size(&filter, &display));
        let cfg = stream_config(geometry.stream, max_fps);
        let delegate = ProtocolObject::<dyn SCStreamDelegate>::from_ref(handler);
        let stream = SCStream::initWithFilter_configuration_delegate(
            SCStream::alloc(),
            &filter,
            &cfg,
            Some(delegate),
        );
        let output = ProtocolObject::<dyn SCStreamOutput>::from_ref(handler);
        stream
            .addStreamOutput_type_sampleHandlerQueue_error(
                output,
                SCStreamOutputType::Screen,
                Some(queue),
            )
            .map_err(|e| {
                CaptureError::Backend(format!("addStreamOutput: {}", ns_error_text(&e)))
            })?;
        (stream, geometry, display_pixels(&display))
    };
    // The handler reads the geometry of the stream that feeds it.
    {
        let mut slot = handler.ivars().lock();
        slot.geometry = geometry;
        slot.mismatch = false;
        slot.whole = true;
        slot.stopped = None;
    }

    let (tx, rx) = sync_channel(1);
    let started = RcBlock::new(move |error: *mut NSError| {
        // SAFETY: the argument is a valid NSError or null, +0.
        let result = unsafe { Retained::retain(error) }.map(|e| (e.code(), ns_error_text(&e)));
        let _ = tx.try_send(result);
    });
    // SAFETY: valid stream and completion block (copied by the framework).
    unsafe { stream.startCaptureWithCompletionHandler(Some(&started)) };
    match rx.recv_timeout(FRAMEWORK_TIMEOUT) {
        Ok(None) => {}
        Ok(Some((code, _))) if code == SC_USER_DECLINED => {
            return Err(CaptureError::Permission(PERMISSION_HINT.into()));
        }
        Ok(Some((_, text))) => {
            return Err(CaptureError::Backend(format!("startCapture: {text}")));
        }
        Err(_) => {
            return Err(CaptureError::Backend(
                "startCapture did not complete within 10 s".into(),
            ));
        }
    }
    Ok(Started {
        stream,
        display,
        id,
        geometry,
        mode,
    })
}

/// Stops `stream`, waiting (briefly) so no callback reaches the handler after it is released.
fn stop_stream(stream: &SCStream) {
    let (tx, rx) = sync_channel(1);
    let stopped = RcBlock::new(move |_error: *mut NSError| {
        let _ = tx.try_send(());
    });
    // SAFETY: valid stream and completion block. Stopping a stream ScreenCaptureKit already
    // stopped only reports an error to the block.
    unsafe { stream.stopCaptureWithCompletionHandler(Some(&stopped)) };
    if rx.recv_timeout(Duration::from_secs(2)).is_err() {
        tracing::warn!("ScreenCaptureKit did not confirm the stream stop within 2 s");
    }
}

/// A display id of a [`DisplaySelection`] (`None`: the main display).
fn parse_display_id(id: Option<&str>) -> Result<Option<u32>, CaptureError> {
    id.map(|id| {
        id.parse().map_err(|_| {
            CaptureError::BadSpec(format!("macOS display id must be a number, got {id:?}"))
        })
    })
    .transpose()
}

/// Captures one display with ScreenCaptureKit. Frames are BGRA `CVPixelBuffer`s wrapped without
/// a copy, with damage from ScreenCaptureKit's dirty rectangles.
pub struct ScreenCaptureKitCapturer {
    stream: Retained<SCStream>,
    // The stream's output and delegate: ScreenCaptureKit may not retain them.
    handler: Retained<Handler>,
    queue: DispatchRetained<DispatchQueue>,
    shared: Arc<Shared>,
    info: CaptureInfo,
    display_id: u32,
    /// Switches of display during a share.
    follow: Option<Follower>,
    max_fps: u32,
    geometry: Geometry,
    /// The display-mode size `geometry` was configured for.
    mode: (u32, u32),
    mode_checked: Instant,
    /// Stream restarts since the last frame.
    restarts: u32,
    last: Option<VideoFrame>,
    next_id: u64,
    full_frame: bool,
}

// SAFETY: the Objective-C objects are only touched from whichever thread owns the capturer
// (`&mut self`, or `Drop`); ScreenCaptureKit's `SCStream` methods may be called from any
// thread (they dispatch internally and report through completion handlers). The handler's
// state is `Arc<Shared>`, which is `Send + Sync`.
unsafe impl Send for ScreenCaptureKitCapturer {}

impl ScreenCaptureKitCapturer {
    /// Starts capturing display `display_id` (a CGDirectDisplayID; `None`: the main display) at
    /// up to [`DEFAULT_MAX_FPS`].
    pub fn open(display_id: Option<u32>) -> Result<Self, CaptureError> {
        Self::open_with(display_id, DEFAULT_MAX_FPS)
    }

    /// As [`ScreenCaptureKitCapturer::open`], with a frame-rate cap (ScreenCaptureKit sends
    /// frames only when the screen changes, at most this often).
    ///
    /// Displays larger than the encoder takes (5K, 6K) are captured scaled down to fit
    /// (`macos_logic::stream_size`); the reported size is the frames' size.
    pub fn open_with(display_id: Option<u32>, max_fps: u32) -> Result<Self, CaptureError> {
        Self::open_inner(display_id, max_fps, None)
    }

    /// Captures the display `selection` names (a CGDirectDisplayID as text; `None`: the main
    /// display), switching to another whenever it changes: the stream is restarted on the new
    /// display, and its first frame is whole (a new size also means a new encoder and a
    /// keyframe).
    pub fn open_following(selection: &DisplaySelection) -> Result<Self, CaptureError> {
        let follow = selection.follow();
        let id = parse_display_id(follow.current().as_deref())?;
        Self::open_inner(id, DEFAULT_MAX_FPS, Some(follow))
    }

    fn open_inner(
        display_id: Option<u32>,
        max_fps: u32,
        follow: Option<Follower>,
    ) -> Result<Self, CaptureError> {
        if !(1..=240).contains(&max_fps) {
            return Err(CaptureError::BadSpec(format!(
                "max_fps = {max_fps}: expected 1 to 240"
            )));
        }
        let shared = Arc::new(Shared::new(Geometry::for_native((0, 0))));
        let handler = Handler::new(shared.clone());
        let queue = DispatchQueue::new("glass.capture.screencapturekit", DispatchQueueAttr::SERIAL);
        let s = start_stream(display_id, max_fps, &handler, &queue)?;
        let info = CaptureInfo {
            backend: BACKEND,
            display: display_info(&s.display, CGMainDisplayID(), s.geometry.stream),
            damage_hints: true,
            zero_copy: true,
        };
        tracing::info!(
            display = %info.display.id,
            native = ?s.geometry.native,
            stream = ?s.geometry.stream,
            max_fps,
            "ScreenCaptureKit capture started"
        );
        Ok(Self {
            stream: s.stream,
            handler,
            queue,
            shared,
            info,
            display_id: s.id,
            follow,
            max_fps,
            geometry: s.geometry,
            mode: s.mode,
            mode_checked: Instant::now(),
            restarts: 0,
            last: None,
            next_id: 0,
            full_frame: false,
        })
    }

    /// Frames replaced before `capture` took them (their damage was carried over).
    pub fn dropped_frames(&self) -> u64 {
        self.shared.dropped.load(Ordering::Relaxed)
    }

    fn deliver(&mut self, mut frame: VideoFrame) -> VideoFrame {
        frame.id = self.next_id;
        self.next_id += 1;
        if std::mem::take(&mut self.full_frame) {
            frame.damage = None;
        }
        self.last = Some(frame.clone());
        frame
    }

    /// Handles a stream stop: a new stream on the same display, or the error that ends capture.
    fn handle_stop(&mut self, code: isize, text: String) -> Result<(), CaptureError> {
        match stop_action(code, self.restarts) {
            StopAction::Permission => Err(CaptureError::Permission(PERMISSION_HINT.into())),
            StopAction::UserStopped => Err(CaptureError::Backend(format!(
                "the user stopped screen sharing ({text})"
            ))),
            StopAction::Fatal => Err(CaptureError::Backend(text)),
            StopAction::Restart => {
                self.restarts += 1;
                tracing::warn!(
                    code,
                    restart = self.restarts,
                    "{text}; restarting the stream"
                );
                stop_stream(&self.stream);
                let s = match start_stream(
                    Some(self.display_id),
                    self.max_fps,
                    &self.handler,
                    &self.queue,
                ) {
                    Ok(s) => s,
                    Err(e) => {
                        // Still stopped: the next call tries again, until the budget is spent.
                        self.shared.lock().stopped = Some((code, text));
                        return Err(e);
                    }
                };
                self.stream = s.stream;
                self.geometry = s.geometry;
                self.mode = s.mode;
                self.mode_checked = Instant::now();
                self.info.display = display_info(&s.display, CGMainDisplayID(), s.geometry.stream);
                Ok(())
            }
        }
    }

    /// Takes up a switch of display: a new stream on the display now selected.
    fn follow_selection(&mut self) -> Result<(), CaptureError> {
        let Some(id) = self.follow.as_mut().and_then(Follower::changed) else {
            return Ok(());
        };
        let id = parse_display_id(id.as_deref())?;
        tracing::info!(from = self.display_id, to = ?id, "ScreenCaptureKit switches display");
        stop_stream(&self.stream);
        let s = start_stream(id, self.max_fps, &self.handler, &self.queue)?;
        self.stream = s.stream;
        self.display_id = s.id;
        self.geometry = s.geometry;
        self.mode = s.mode;
        self.mode_checked = Instant::now();
        self.info.display = display_info(&s.display, CGMainDisplayID(), s.geometry.stream);
        // Nothing of the old display is repeated as "the last frame".
        self.last = None;
        Ok(())
    }

    /// Re-reads the display mode once a second, or soon after a frame whose content no longer
    /// filled the stream, and reconfigures the stream when the mode changed.
    fn check_geometry(&mut self, now: Instant, mismatch: bool) {
        let since = now.saturating_duration_since(self.mode_checked);
        if since < MODE_CHECK && !(mismatch && since >= MISMATCH_CHECK) {
            return;
        }
        self.mode_checked = now;
        let fresh = mode_pixels(self.display_id, (0, 0));
        let Some(next) = plan_reconfigure(&self.geometry, self.mode, fresh) else {
            return;
        };
        tracing::info!(
            from = ?self.geometry,
            to = ?next,
            "display mode changed; reconfiguring the stream"
        );
        let cfg = stream_config(next.stream, self.max_fps);
        let done = RcBlock::new(|error: *mut NSError| {
            // SAFETY: the argument is a valid NSError or null, +0.
            if let Some(e) = unsafe { Retained::retain(error) } {
                tracing::warn!(error = %ns_error_text(&e), "SCStream updateConfiguration failed");
            }
        });
        // SAFETY: valid stream, configuration and completion block (copied by the framework).
        unsafe {
            self.stream
                .updateConfiguration_completionHandler(&cfg, Some(&done))
        };
        self.geometry = next;
        self.mode = fresh;
        self.info.display.width = next.stream.0;
        self.info.display.height = next.stream.1;
        let mut slot = self.shared.lock();
        slot.geometry = next;
        slot.mismatch = false;
        // Frames in flight and the first of the new configuration are taken whole; a new size
        // also makes the pipeline open a new encoder, which starts with a keyframe.
        slot.whole = true;
    }
}

impl Capturer for ScreenCaptureKitCapturer {
    fn dropped_frames(&self) -> u64 {
        ScreenCaptureKitCapturer::dropped_frames(self)
    }

    fn info(&self) -> CaptureInfo {
        self.info.clone()
    }

    fn capture(&mut self, deadline: Instant) -> Result<Option<VideoFrame>, CaptureError> {
        self.follow_selection()?;
        let shared = self.shared.clone();
        let mut slot = shared.lock();
        loop {
            if let Some((code, text)) = slot.stopped.take() {
                drop(slot);
                self.handle_stop(code, text)?;
                slot = shared.lock();
                continue;
            }
            let mismatch = std::mem::take(&mut slot.mismatch);
            if let Some(p) = slot.frame.take() {
                drop(slot);
                self.restarts = 0;
                self.check_geometry(Instant::now(), mismatch);
                let frame = p.storage.into_frame(0, p.at, p.damage);
                return Ok(Some(self.deliver(frame)));
            }
            if mismatch || self.mode_checked.elapsed() >= MODE_CHECK {
                drop(slot);
                self.check_geometry(Instant::now(), mismatch);
                slot = shared.lock();
            }
            if self.full_frame {
                if let Some(mut last) = self.last.clone() {
                    drop(slot);
                    // The screen is idle: the last frame again, whole.
                    last.capture_time = Instant::now();
                    last.stages.captured = Some(last.capture_time);
                    return Ok(Some(self.deliver(last)));
                }
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            slot = shared
                .cond
                .wait_timeout(slot, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn request_full_frame(&mut self) {
        self.full_frame = true;
    }
}

impl Drop for ScreenCaptureKitCapturer {
    fn drop(&mut self) {
        stop_stream(&self.stream);
    }
}
