//! ScreenCaptureKit capture (macOS 12.3+), zero-copy.
//!
//! ScreenCaptureKit calls our handler on a serial dispatch queue with a `CMSampleBuffer` per
//! changed frame. The handler reads the frame info attachments (status, dirty rectangles, scale
//! factor), wraps the IOSurface-backed `CVPixelBuffer` in a
//! [`glass_codecs::videotoolbox::PixelBufferStorage`] (no copy) and puts it in a one-frame
//! "latest wins" slot; [`ScreenCaptureKitCapturer::capture`] takes it from there. A replaced
//! frame passes its damage on, so nothing that changed is lost.
//!
//! Buffer budget: ScreenCaptureKit renders into a pool of `queueDepth` surfaces and stalls when
//! the application holds all of them. Glass holds up to: the slot (1), the last frame kept for
//! `request_full_frame` (1, usually the same surface as the pipeline's previous frame used for
//! damage detection), the frame being processed (1), the frame queued for or inside the encoder
//! (1–2). ScreenCaptureKit needs one free surface to draw into, hence [`QUEUE_DEPTH`] = 6 (8 is
//! the documented maximum).
//!
//! Only type-checked on Linux; see `docs/macos.md` for what needs testing on a Mac.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use block2::RcBlock;
use dispatch2::{DispatchQueue, DispatchQueueAttr, DispatchRetained};
use glass_codecs::videotoolbox::PixelBufferStorage;
use glass_codecs::{DamageList, Rect, VideoFrame};
use objc2::rc::{Retained, autoreleasepool};
use objc2::runtime::{AnyObject, NSObject, NSObjectProtocol, ProtocolObject};
use objc2::{AllocAnyThread, DefinedClass, define_class, msg_send};
use objc2_core_foundation::{
    CFArray, CFDictionary, CFNumber, CFRetained, CFString, CFType, CGRect,
};
use objc2_core_graphics::{
    CGDisplayCopyDisplayMode, CGDisplayIsBuiltin, CGDisplayMode, CGMainDisplayID,
    CGPreflightScreenCaptureAccess, CGRectMakeWithDictionaryRepresentation, kCGColorSpaceSRGB,
    kCGDisplayStreamYCbCrMatrix_ITU_R_709_2,
};
use objc2_core_media::{CMSampleBuffer, CMTime};
use objc2_core_video::kCVPixelFormatType_32BGRA;
use objc2_foundation::{NSArray, NSError, NSString, NSValue};
use objc2_screen_capture_kit::{
    SCContentFilter, SCDisplay, SCFrameStatus, SCShareableContent, SCStream, SCStreamConfiguration,
    SCStreamDelegate, SCStreamFrameInfoDirtyRects, SCStreamFrameInfoScaleFactor,
    SCStreamFrameInfoStatus, SCStreamOutput, SCStreamOutputType,
};

use super::{CaptureInfo, Capturer, DisplayInfo};
use crate::error::CaptureError;

const BACKEND: &str = "screencapturekit";

/// Surfaces in ScreenCaptureKit's pool (see the module docs for the budget).
pub const QUEUE_DEPTH: isize = 6;

/// Default frame-rate cap of [`ScreenCaptureKitCapturer::open`].
pub const DEFAULT_MAX_FPS: u32 = 60;

/// How long to wait for ScreenCaptureKit's completion handlers.
const FRAMEWORK_TIMEOUT: Duration = Duration::from_secs(10);

const PERMISSION_HINT: &str = "Screen Recording permission is not granted: System Settings → Privacy & Security → Screen Recording";

/// `SCStreamErrorUserDeclined`.
const SC_ERROR_USER_DECLINED: isize = -3801;

// ---------------------------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------------------------

/// Converts ScreenCaptureKit dirty rectangles (origin x, y, width, height) to pixel damage on a
/// `width`×`height` frame: scaled by `scale`, rounded outwards, clamped to the frame. Empty
/// rectangles are skipped, so an all-empty list means "nothing changed".
fn rects_to_damage(
    rects: &[(f64, f64, f64, f64)],
    scale: f64,
    width: u32,
    height: u32,
) -> DamageList {
    let mut damage = DamageList::new();
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let frame = Rect::new(0, 0, width, height);
    for &(x, y, w, h) in rects {
        if !(x.is_finite() && y.is_finite() && w.is_finite() && h.is_finite())
            || w <= 0.0
            || h <= 0.0
        {
            continue;
        }
        let clamp = |v: f64, max: u32| v.clamp(0.0, max as f64) as u32;
        let x0 = clamp((x * scale).floor(), width);
        let y0 = clamp((y * scale).floor(), height);
        let x1 = clamp(((x + w) * scale).ceil(), width);
        let y1 = clamp(((y + h) * scale).ceil(), height);
        if x1 > x0 && y1 > y0 {
            damage.push(Rect::new(x0, y0, x1 - x0, y1 - y0).intersect(&frame));
        }
    }
    damage
}

/// Whether dirty rectangles reach beyond the frame's size in points: proof that they are
/// given in pixels (a small tolerance absorbs rounding).
fn rects_exceed_points(
    rects: &[(f64, f64, f64, f64)],
    scale: f64,
    width: u32,
    height: u32,
) -> bool {
    if !(scale > 1.0) {
        return false;
    }
    let (pw, ph) = (width as f64 / scale + 2.0, height as f64 / scale + 2.0);
    rects.iter().any(|&(x, y, w, h)| x + w > pw || y + h > ph)
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

#[derive(Default)]
struct Slot {
    frame: Option<Pending>,
    /// Why the stream stopped (delegate `stream:didStopWithError:`).
    stopped: Option<String>,
    /// Size of the previous frame: dirty rects after a size change are not trustworthy.
    last_size: Option<(u32, u32)>,
}

#[derive(Default)]
struct Shared {
    slot: Mutex<Slot>,
    cond: Condvar,
    /// Frames replaced in the slot before `capture` took them.
    dropped: AtomicU64,
    /// Frames ScreenCaptureKit delivered that Glass could not wrap (unexpected format).
    rejected: AtomicU64,
    /// Set once dirty rectangles were seen that only make sense in pixels (see `read_damage`).
    dirty_rects_in_pixels: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn handle_sample(&self, sample: &CMSampleBuffer) {
        let at = Instant::now();
        // SAFETY: `sample` is the valid sample buffer ScreenCaptureKit handed to the callback.
        let attachments = unsafe { frame_attachments(sample) };
        let status = attachments
            .as_ref()
            .and_then(|a| number(a, key(status_key())))
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
        let damage = if started {
            None
        } else {
            attachments.as_ref().and_then(|a| self.read_damage(a, size))
        };
        let mut slot = self.lock();
        let damage = if slot.last_size == Some(size) {
            damage
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

    /// Damage from the dirty-rects attachment; `None` when absent or undecodable.
    ///
    /// Units: the SDK header says pixels; Glass was asked to treat them as points and scale by
    /// the frame's scale factor. Missing a change is worse than over-covering one, so rects are
    /// scaled until one is seen that lies outside the frame's size in points, which proves
    /// pixels; from then on they are used as they are.
    fn read_damage(
        &self,
        attachments: &CFDictionary<CFString, CFType>,
        (width, height): (u32, u32),
    ) -> Option<DamageList> {
        let list = attachments
            .get(key(dirty_rects_key()))?
            .downcast::<CFArray>()
            .ok()?;
        // SAFETY: a CFArray holds CF objects; every element is checked before use.
        let list: CFRetained<CFArray<CFType>> = unsafe { CFRetained::cast_unchecked(list) };
        let mut rects = Vec::with_capacity(list.len());
        for v in list.iter() {
            let r = rect_from_cf(&v)?;
            rects.push((r.origin.x, r.origin.y, r.size.width, r.size.height));
        }
        let scale = number(attachments, key(scale_key()))
            .and_then(|n| n.as_f64())
            .unwrap_or(1.0);
        if !self.dirty_rects_in_pixels.load(Ordering::Relaxed)
            && rects_exceed_points(&rects, scale, width, height)
        {
            tracing::info!("ScreenCaptureKit dirty rects are in pixels; no longer scaling them");
            self.dirty_rects_in_pixels.store(true, Ordering::Relaxed);
        }
        let scale = if self.dirty_rects_in_pixels.load(Ordering::Relaxed) {
            1.0
        } else {
            scale
        };
        Some(rects_to_damage(&rects, scale, width, height))
    }

    fn handle_stop(&self, error: &NSError) {
        let text = format!(
            "stream stopped: {} (code {})",
            error.localizedDescription(),
            error.code()
        );
        self.lock().stopped = Some(text);
        self.cond.notify_all();
    }
}

fn status_key() -> &'static NSString {
    // SAFETY: reading an immutable framework constant.
    unsafe { SCStreamFrameInfoStatus }
}

fn dirty_rects_key() -> &'static NSString {
    // SAFETY: reading an immutable framework constant.
    unsafe { SCStreamFrameInfoDirtyRects }
}

fn scale_key() -> &'static NSString {
    // SAFETY: reading an immutable framework constant.
    unsafe { SCStreamFrameInfoScaleFactor }
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

fn check_permission() -> Result<(), CaptureError> {
    // Forces the CoreGraphics connection to initialise before ScreenCaptureKit is used.
    let _ = CGMainDisplayID();
    if CGPreflightScreenCaptureAccess() {
        Ok(())
    } else {
        Err(CaptureError::Permission(PERMISSION_HINT.into()))
    }
}

fn ns_error_text(e: &NSError) -> String {
    format!("{} (code {})", e.localizedDescription(), e.code())
}

/// Moves a value into a completion handler's channel.
struct SendBox<T>(T);
// SAFETY: only used to hand retained Objective-C objects from a completion handler to the one
// thread waiting for them; the sender never touches the object again, so there is no shared
// access. `SCShareableContent` is an immutable snapshot.
unsafe impl<T> Send for SendBox<T> {}

fn shareable_content() -> Result<Retained<SCShareableContent>, CaptureError> {
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
        Ok(SendBox(Err((code, _)))) if code == SC_ERROR_USER_DECLINED => {
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

/// Pixel size of a display from its current mode, falling back to its size in points.
fn display_pixels(display: &SCDisplay) -> (u32, u32) {
    // SAFETY: plain property reads on a valid SCDisplay.
    let (id, pw, ph) = unsafe { (display.displayID(), display.width(), display.height()) };
    let (w, h) = match CGDisplayCopyDisplayMode(id) {
        Some(m) => (
            CGDisplayMode::pixel_width(Some(&m)),
            CGDisplayMode::pixel_height(Some(&m)),
        ),
        None => (pw.max(0) as usize, ph.max(0) as usize),
    };
    (w as u32, h as u32)
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
    check_permission()?;
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

/// Captures one display with ScreenCaptureKit. Frames are BGRA `CVPixelBuffer`s wrapped without
/// a copy, with damage from ScreenCaptureKit's dirty rectangles.
pub struct ScreenCaptureKitCapturer {
    stream: Retained<SCStream>,
    // The stream's output and delegate: ScreenCaptureKit may not retain them.
    _handler: Retained<Handler>,
    _queue: DispatchRetained<DispatchQueue>,
    shared: Arc<Shared>,
    info: CaptureInfo,
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
    pub fn open_with(display_id: Option<u32>, max_fps: u32) -> Result<Self, CaptureError> {
        if !(1..=240).contains(&max_fps) {
            return Err(CaptureError::BadSpec(format!(
                "max_fps = {max_fps}: expected 1 to 240"
            )));
        }
        check_permission()?;
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
                CaptureError::NoSuchDisplay(format!(
                    "display {wanted} (available: {})",
                    ids.join(", ")
                ))
            })?;

        let shared = Arc::new(Shared::default());
        let handler = Handler::new(shared.clone());
        let queue = DispatchQueue::new("glass.capture.screencapturekit", DispatchQueueAttr::SERIAL);
        // SAFETY: standard ScreenCaptureKit set-up on valid objects; the colour-space and matrix
        // setters get framework constants (they do not retain their argument); the handler is
        // kept alive by `self` for as long as the stream exists.
        let (stream, size) = unsafe {
            let filter = SCContentFilter::initWithDisplay_excludingWindows(
                SCContentFilter::alloc(),
                &display,
                &NSArray::new(),
            );
            let (w, h) = native_pixel_size(&filter, &display);
            let cfg = SCStreamConfiguration::new();
            cfg.setWidth(w as usize);
            cfg.setHeight(h as usize);
            // BGRA: the CPU path (damage, conversion for openh264) reads it directly and
            // VideoToolbox converts it on the GPU.
            cfg.setPixelFormat(kCVPixelFormatType_32BGRA);
            cfg.setMinimumFrameInterval(CMTime::new(1, max_fps as i32));
            cfg.setQueueDepth(QUEUE_DEPTH);
            cfg.setShowsCursor(true);
            cfg.setCapturesAudio(false);
            cfg.setColorSpaceName(kCGColorSpaceSRGB);
            cfg.setColorMatrix(kCGDisplayStreamYCbCrMatrix_ITU_R_709_2);
            let delegate = ProtocolObject::<dyn SCStreamDelegate>::from_ref(&*handler);
            let stream = SCStream::initWithFilter_configuration_delegate(
                SCStream::alloc(),
                &filter,
                &cfg,
                Some(delegate),
            );
            let output = ProtocolObject::<dyn SCStreamOutput>::from_ref(&*handler);
            stream
                .addStreamOutput_type_sampleHandlerQueue_error(
                    output,
                    SCStreamOutputType::Screen,
                    Some(&queue),
                )
                .map_err(|e| {
                    CaptureError::Backend(format!("addStreamOutput: {}", ns_error_text(&e)))
                })?;
            (stream, (w, h))
        };

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
            Ok(Some((code, _))) if code == SC_ERROR_USER_DECLINED => {
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

        let info = CaptureInfo {
            backend: BACKEND,
            display: display_info(&display, main, size),
            damage_hints: true,
            zero_copy: true,
        };
        tracing::info!(display = %info.display.id, width = size.0, height = size.1, max_fps, "ScreenCaptureKit capture started");
        Ok(Self {
            stream,
            _handler: handler,
            _queue: queue,
            shared,
            info,
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
}

impl Capturer for ScreenCaptureKitCapturer {
    fn dropped_frames(&self) -> u64 {
        ScreenCaptureKitCapturer::dropped_frames(self)
    }

    fn info(&self) -> CaptureInfo {
        self.info.clone()
    }

    fn capture(&mut self, deadline: Instant) -> Result<Option<VideoFrame>, CaptureError> {
        let shared = self.shared.clone();
        let mut slot = shared.lock();
        loop {
            if let Some(reason) = &slot.stopped {
                return Err(CaptureError::Backend(reason.clone()));
            }
            if let Some(p) = slot.frame.take() {
                drop(slot);
                let frame = p.storage.into_frame(0, p.at, p.damage);
                return Ok(Some(self.deliver(frame)));
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
        // Wait (briefly) for the stop so no callback reaches the handler after it is released.
        let (tx, rx) = sync_channel(1);
        let stopped = RcBlock::new(move |_error: *mut NSError| {
            let _ = tx.try_send(());
        });
        // SAFETY: valid stream and completion block.
        unsafe { self.stream.stopCaptureWithCompletionHandler(Some(&stopped)) };
        if rx.recv_timeout(Duration::from_secs(2)).is_err() {
            tracing::warn!("ScreenCaptureKit did not confirm the stream stop within 2 s");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dirty_rects_scale_round_outwards_and_clamp() {
        let d = rects_to_damage(
            &[
                (10.5, 0.0, 5.0, 5.0),
                (0.0, 0.0, 0.0, 9.0),
                (90.0, 50.0, 40.0, 40.0),
            ],
            2.0,
            200,
            120,
        );
        assert_eq!(
            d.as_slice(),
            &[Rect::new(21, 0, 10, 10), Rect::new(180, 100, 20, 20)]
        );
        assert!(rects_to_damage(&[(0.0, 0.0, 0.0, 0.0)], 2.0, 10, 10).is_empty());
    }

    #[test]
    fn rects_beyond_point_space_are_pixels() {
        assert!(!rects_exceed_points(
            &[(0.0, 0.0, 100.0, 60.0)],
            2.0,
            200,
            120
        ));
        assert!(rects_exceed_points(
            &[(150.0, 0.0, 20.0, 10.0)],
            2.0,
            200,
            120
        ));
        assert!(!rects_exceed_points(
            &[(150.0, 0.0, 20.0, 10.0)],
            1.0,
            200,
            120
        ));
    }

    #[test]
    fn merged_damage_is_unknown_if_either_is() {
        let a = DamageList::full(4, 4);
        assert_eq!(merge_damage(Some(a), None), None);
        assert_eq!(merge_damage(Some(a), Some(DamageList::new())), Some(a));
    }
}
