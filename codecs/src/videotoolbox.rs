//! VideoToolbox: the hardware H.264 encoder and the `CVPixelBuffer` pixel storage that lets
//! ScreenCaptureKit frames reach it without a copy.
//!
//! # Design
//! - [`PixelBufferStorage`] wraps a retained, IOSurface-backed `CVPixelBuffer`. It locks the
//!   base address read-only for its whole life, so the CPU path (damage detection, colour
//!   conversion for the openh264 fallback) can read the pixels in place, and it is reachable
//!   through [`PixelStorage::as_any`] so [`VtEncoder`] hands the very same buffer to
//!   VideoToolbox.
//! - [`VtEncoder`] is asynchronous: `send_frame` calls `VTCompressionSessionEncodeFrame` and
//!   returns; VideoToolbox calls [`output_callback`] on its own thread, which turns the AVCC
//!   sample into an Annex-B [`Packet`] (SPS and PPS in front of every IDR) and queues it
//!   (bounded; an overflow forces a keyframe). With `MaxFrameDelayCount = 0` a frame's packet is
//!   ready a few milliseconds after `send_frame`; `receive_packet` waits for frames still in
//!   flight, so a caller that drains after every `send_frame` (Glass's pipeline) gets each
//!   packet without a frame of extra latency, while VideoToolbox still encodes off the caller's
//!   thread. After a wait runs out the waits are short until VideoToolbox catches up, then full
//!   again ([`OutputWait`]).
//! - Errors go through [`ErrorPolicy`]: an invalid session or an encoder malfunction recreates
//!   the session (as WebRTC's `RTCVideoEncoderH264.mm` does), other errors drop the frame and
//!   force a keyframe, and repeated failures (or a failed rebuild) return
//!   [`Error::Unavailable`] so the caller reopens with the software encoder, or, when hardware
//!   was required, [`Error::Backend`]. The pure decisions are in `videotoolbox_policy.rs`.
//! - Per-frame [`FrameParams`] travel through a small take-once slot table keyed by a sequence
//!   number, and the number is what goes through VideoToolbox's `sourceFrameRefcon`. Apple does
//!   not document whether the output callback still runs for a frame whose
//!   `VTCompressionSessionEncodeFrame` call failed, so a `Box::into_raw` refcon would either
//!   leak or risk a double free on that path; a take-once slot is correct either way and
//!   allocates nothing.
//!
//! # Profile choice
//! VideoToolbox's low-latency rate control (`EnableLowLatencyRateControl`) only produces High
//! profiles, and Debian's Chromium (no proprietary codecs) decodes no High profile. Glass
//! therefore asks for `ConstrainedBaseline_AutoLevel` without low-latency rate control:
//! `RealTime`, no frame reordering and `MaxFrameDelayCount = 0` keep latency at one frame, at the
//! cost of the slightly better rate control and compression of the low-latency mode.
//!
//! Only type-checked on Linux; see `docs/macos.md` for what needs testing on a Mac.

use std::any::Any;
use std::collections::VecDeque;
use std::ffi::{c_int, c_void};
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use bytes::BytesMut;
use objc2_core_foundation::{
    CFArray, CFBoolean, CFDictionary, CFNumber, CFRetained, CFString, CFType,
};
use objc2_core_media::{
    CMFormatDescription, CMSampleBuffer, CMTime,
    CMVideoFormatDescriptionGetH264ParameterSetAtIndex, kCMTimeInvalid, kCMVideoCodecType_H264,
};
use objc2_core_video::{
    CVPixelBuffer, CVPixelBufferGetBaseAddress, CVPixelBufferGetBaseAddressOfPlane,
    CVPixelBufferGetBytesPerRow, CVPixelBufferGetBytesPerRowOfPlane, CVPixelBufferGetHeight,
    CVPixelBufferGetHeightOfPlane, CVPixelBufferGetIOSurface, CVPixelBufferGetPixelFormatType,
    CVPixelBufferGetPlaneCount, CVPixelBufferGetWidth, CVPixelBufferLockBaseAddress,
    CVPixelBufferLockFlags, CVPixelBufferPool, CVPixelBufferUnlockBaseAddress,
    kCVImageBufferColorPrimaries_ITU_R_709_2, kCVImageBufferTransferFunction_ITU_R_709_2,
    kCVImageBufferYCbCrMatrix_ITU_R_709_2, kCVPixelBufferHeightKey,
    kCVPixelBufferIOSurfacePropertiesKey, kCVPixelBufferPixelFormatTypeKey, kCVPixelBufferWidthKey,
    kCVPixelFormatType_32BGRA, kCVPixelFormatType_420YpCbCr8BiPlanarVideoRange, kCVReturnSuccess,
};
use objc2_video_toolbox::{
    VTCompressionSession, VTEncodeInfoFlags, VTSessionCopyProperty, VTSessionSetProperty,
    kVTCompressionPropertyKey_AllowFrameReordering, kVTCompressionPropertyKey_AverageBitRate,
    kVTCompressionPropertyKey_ColorPrimaries, kVTCompressionPropertyKey_DataRateLimits,
    kVTCompressionPropertyKey_ExpectedFrameRate, kVTCompressionPropertyKey_MaxFrameDelayCount,
    kVTCompressionPropertyKey_MaxKeyFrameInterval,
    kVTCompressionPropertyKey_MaxKeyFrameIntervalDuration,
    kVTCompressionPropertyKey_PrioritizeEncodingSpeedOverQuality,
    kVTCompressionPropertyKey_ProfileLevel, kVTCompressionPropertyKey_RealTime,
    kVTCompressionPropertyKey_TransferFunction,
    kVTCompressionPropertyKey_UsingHardwareAcceleratedVideoEncoder,
    kVTCompressionPropertyKey_YCbCrMatrix, kVTEncodeFrameOptionKey_ForceKeyFrame,
    kVTProfileLevel_H264_ConstrainedBaseline_AutoLevel,
    kVTVideoEncoderSpecification_RequireHardwareAcceleratedVideoEncoder,
};

use crate::encoder::{Encoder, EncoderCaps, EncoderConfig, EncoderPreference};
use crate::error::{Error, Result};
use crate::frame::{DamageList, PixelFormat, PixelStorage, Plane, StageTimes, VideoFrame};
use crate::h264::nal_type;
use crate::openh264::level_for;
use crate::output_wait::OutputWait;
use crate::packet::{Codec, FrameParams, Packet};
use crate::videotoolbox_policy::{ErrorPolicy, OUTPUT_WAIT, Recovery};

const BACKEND: &str = "videotoolbox";

/// Encoded packets buffered between the VideoToolbox callback and `receive_packet`.
const PACKET_QUEUE: usize = 8;

/// Frames whose parameters can be in flight at once (VideoToolbox holds at most one or two
/// with `MaxFrameDelayCount = 0`).
const PARAM_SLOTS: usize = 32;

fn backend_err(what: &str, status: i32) -> Error {
    Error::Backend {
        backend: BACKEND,
        message: format!("{what} failed: OSStatus {status}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Pixel storage
// ---------------------------------------------------------------------------------------------

/// Pixel storage backed by a retained `CVPixelBuffer` (from ScreenCaptureKit, IOSurface-backed).
///
/// The buffer's base address stays locked read-only from [`PixelBufferStorage::wrap`] until the
/// storage is dropped, so [`PixelStorage::bytes`] reads the pixels in place. Capture buffers are
/// never written: [`PixelStorage::bytes_mut`] returns an empty slice. [`VtEncoder`] finds the
/// buffer through [`PixelStorage::as_any`] and encodes it without a copy.
///
/// Holding the storage keeps the surface out of ScreenCaptureKit's pool: drop frames promptly
/// (the capturer's queue depth budgets for the frames the pipeline holds).
pub struct PixelBufferStorage {
    pb: CFRetained<CVPixelBuffer>,
    /// Start of the first plane while locked; null when the CPU cannot read this layout.
    base: *const u8,
    /// Readable bytes from `base`.
    len: usize,
    locked: bool,
    format: PixelFormat,
    planes: [Plane; 3],
    width: u32,
    height: u32,
}

// SAFETY: CoreFoundation retain/release is thread-safe. The pixel buffer is locked read-only
// for the storage's whole life and this type only ever reads through `base` (no `&mut` access
// to pixels exists: `bytes_mut` is empty), so sharing `&PixelBufferStorage` between threads is
// a shared read of immutable memory. Unlocking in `Drop` may happen on another thread than the
// lock; CVPixelBuffer locks are not thread-affine (a lock count on the buffer).
unsafe impl Send for PixelBufferStorage {}
// SAFETY: see `Send`; every `&self` method is a read.
unsafe impl Sync for PixelBufferStorage {}

impl PixelBufferStorage {
    /// Wraps `pb`, locking it read-only and computing its layout.
    ///
    /// Supports `kCVPixelFormatType_32BGRA` ([`PixelFormat::Bgra`]) and
    /// `kCVPixelFormatType_420YpCbCr8BiPlanarVideoRange` (`420v`, [`PixelFormat::Nv12`]). NV12 is
    /// readable by the CPU only when both planes lie in one IOSurface allocation (ScreenCaptureKit
    /// buffers do); other formats and layouts return [`Error::InvalidInput`].
    pub fn wrap(pb: CFRetained<CVPixelBuffer>) -> Result<Self> {
        let fourcc = CVPixelBufferGetPixelFormatType(&pb);
        let format = if fourcc == kCVPixelFormatType_32BGRA {
            PixelFormat::Bgra
        } else if fourcc == kCVPixelFormatType_420YpCbCr8BiPlanarVideoRange {
            PixelFormat::Nv12
        } else {
            return Err(Error::InvalidInput(format!(
                "unsupported CVPixelBuffer format {:?}",
                fourcc_str(fourcc)
            )));
        };
        let (width, height) = (CVPixelBufferGetWidth(&pb), CVPixelBufferGetHeight(&pb));
        let (Ok(w32), Ok(h32)) = (u32::try_from(width), u32::try_from(height)) else {
            return Err(Error::InvalidInput(format!(
                "CVPixelBuffer size {width}x{height} out of range"
            )));
        };
        // SAFETY: `pb` is a valid, retained pixel buffer; the matching unlock is in `Drop`.
        let rc = unsafe { CVPixelBufferLockBaseAddress(&pb, CVPixelBufferLockFlags::ReadOnly) };
        if rc != kCVReturnSuccess {
            return Err(backend_err("CVPixelBufferLockBaseAddress", rc));
        }
        let mut this = Self {
            pb,
            base: ptr::null(),
            len: 0,
            locked: true,
            format,
            planes: [Plane::default(); 3],
            width: w32,
            height: h32,
        };
        match format {
            PixelFormat::Bgra => {
                let base = CVPixelBufferGetBaseAddress(&this.pb) as *const u8;
                let stride = CVPixelBufferGetBytesPerRow(&this.pb);
                if base.is_null() || stride < width * 4 {
                    return Err(Error::InvalidInput(
                        "BGRA CVPixelBuffer without readable pixels".into(),
                    ));
                }
                this.base = base;
                this.len = stride * height;
                this.planes[0] = Plane { offset: 0, stride };
            }
            _ => {
                if CVPixelBufferGetPlaneCount(&this.pb) != 2 {
                    return Err(Error::InvalidInput(
                        "420v CVPixelBuffer without two planes".into(),
                    ));
                }
                let planes: [(usize, usize, usize); 2] = [0, 1].map(|i| {
                    (
                        CVPixelBufferGetBaseAddressOfPlane(&this.pb, i) as usize,
                        CVPixelBufferGetBytesPerRowOfPlane(&this.pb, i),
                        CVPixelBufferGetHeightOfPlane(&this.pb, i),
                    )
                });
                let surface = CVPixelBufferGetIOSurface(Some(&this.pb));
                let bounds = surface.map(|s| {
                    let start = s.base_address().as_ptr() as usize;
                    (start, start + s.alloc_size())
                });
                let Some(layout) = contiguous_planes(&planes, bounds) else {
                    return Err(Error::InvalidInput(
                        "420v CVPixelBuffer planes are not in one IOSurface allocation; only BGRA is \
                         supported on the CPU path for such buffers"
                            .into(),
                    ));
                };
                this.base = planes[0].0 as *const u8;
                this.len = layout.1;
                this.planes[0] = Plane {
                    offset: 0,
                    stride: planes[0].1,
                };
                this.planes[1] = Plane {
                    offset: layout.0,
                    stride: planes[1].1,
                };
            }
        }
        Ok(this)
    }

    /// Pixel layout.
    pub fn format(&self) -> PixelFormat {
        self.format
    }

    /// Plane offsets (relative to the first plane) and strides.
    pub fn planes(&self) -> [Plane; 3] {
        self.planes
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The wrapped pixel buffer, for VideoToolbox or Metal.
    pub fn pixel_buffer(&self) -> &CVPixelBuffer {
        &self.pb
    }

    /// A frame whose storage is this buffer (no copy).
    pub fn into_frame(
        self,
        id: u64,
        capture_time: Instant,
        damage: Option<DamageList>,
    ) -> VideoFrame {
        VideoFrame {
            format: self.format,
            width: self.width,
            height: self.height,
            planes: self.planes,
            storage: Arc::new(self),
            id,
            capture_time,
            damage,
            stages: StageTimes {
                captured: Some(capture_time),
                ..StageTimes::default()
            },
        }
    }
}

impl PixelStorage for PixelBufferStorage {
    fn bytes(&self) -> &[u8] {
        if self.base.is_null() {
            return &[];
        }
        // SAFETY: `base..base+len` was checked in `wrap` to lie inside the pixel buffer's memory,
        // which stays mapped and locked read-only while `self` (and its retain) lives.
        unsafe { std::slice::from_raw_parts(self.base, self.len) }
    }

    /// Capture buffers are never written (the surface belongs to ScreenCaptureKit's pool and the
    /// lock is read-only): always empty.
    fn bytes_mut(&mut self) -> &mut [u8] {
        &mut []
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn is_native_surface(&self) -> bool {
        true
    }
}

impl Drop for PixelBufferStorage {
    fn drop(&mut self) {
        if self.locked {
            // SAFETY: balances the read-only lock taken in `wrap`, with the same flags.
            unsafe { CVPixelBufferUnlockBaseAddress(&self.pb, CVPixelBufferLockFlags::ReadOnly) };
        }
    }
}

/// For a two-plane buffer given as (base address, bytes per row, rows) per plane: the second
/// plane's offset from the first and the total readable length, if the planes are in order and
/// both lie inside `alloc` (start, end) of one allocation. Without `alloc` nothing is proven and
/// the answer is `None`.
fn contiguous_planes(
    planes: &[(usize, usize, usize); 2],
    alloc: Option<(usize, usize)>,
) -> Option<(usize, usize)> {
    let (start, end) = alloc?;
    let [(b0, s0, h0), (b1, s1, h1)] = *planes;
    if b0 == 0 || b1 == 0 || b0 < start {
        return None;
    }
    let end0 = b0.checked_add(s0.checked_mul(h0)?)?;
    let end1 = b1.checked_add(s1.checked_mul(h1)?)?;
    if b1 < end0 || end1 > end {
        return None;
    }
    Some((b1 - b0, end1 - b0))
}

fn fourcc_str(v: u32) -> String {
    v.to_be_bytes()
        .iter()
        .map(|&b| if b.is_ascii_graphic() { b as char } else { '?' })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Pure bitstream helpers
// ---------------------------------------------------------------------------------------------

/// Iterates over the NAL units of an AVCC buffer (big-endian lengths of `length_size` bytes).
/// Stops at the first truncated or zero-length unit, reporting it as `Err`.
fn avcc_nals(mut avcc: &[u8], length_size: usize) -> impl Iterator<Item = Result<&[u8]>> {
    let mut failed = !matches!(length_size, 1 | 2 | 4);
    let mut first_error = failed;
    std::iter::from_fn(move || {
        if first_error {
            first_error = false;
            return Some(Err(Error::Malformed("AVCC length size must be 1, 2 or 4")));
        }
        if failed || avcc.is_empty() {
            return None;
        }
        if avcc.len() < length_size {
            failed = true;
            return Some(Err(Error::Malformed("truncated AVCC length")));
        }
        let n = avcc[..length_size]
            .iter()
            .fold(0usize, |a, &b| (a << 8) | b as usize);
        let rest = &avcc[length_size..];
        if n == 0 || n > rest.len() {
            failed = true;
            return Some(Err(Error::Malformed("AVCC NAL unit length out of range")));
        }
        avcc = &rest[n..];
        Some(Ok(&rest[..n]))
    })
}

/// Whether an AVCC access unit holds an IDR slice.
fn avcc_has_idr(avcc: &[u8], length_size: usize) -> bool {
    avcc_nals(avcc, length_size)
        .any(|n| n.is_ok_and(|n| n.first().is_some_and(|b| b & 0x1f == nal_type::IDR)))
}

/// Appends an Annex-B access unit to `out`: each parameter set (when `keyframe`), then every
/// NAL unit of `avcc`, each behind a 4-byte start code. On a malformed AVCC buffer `out` is left
/// as it was and the error returned.
fn append_annexb(
    param_sets: &[&[u8]],
    avcc: &[u8],
    length_size: usize,
    keyframe: bool,
    out: &mut BytesMut,
) -> Result<()> {
    let mark = out.len();
    if keyframe {
        for ps in param_sets.iter().filter(|p| !p.is_empty()) {
            out.extend_from_slice(&[0, 0, 0, 1]);
            out.extend_from_slice(ps);
        }
    }
    for nal in avcc_nals(avcc, length_size) {
        match nal {
            Ok(nal) => {
                out.extend_from_slice(&[0, 0, 0, 1]);
                out.extend_from_slice(nal);
            }
            Err(e) => {
                out.truncate(mark);
                return Err(e);
            }
        }
    }
    Ok(())
}

/// Copies an I420 or NV12 frame into an NV12 destination given as (plane bytes, stride) for
/// luma and interleaved chroma.
fn copy_to_nv12(frame: &VideoFrame, y: (&mut [u8], usize), uv: (&mut [u8], usize)) -> Result<()> {
    let (w, h) = (frame.width as usize, frame.height as usize);
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let (ydst, ystride) = y;
    let (uvdst, uvstride) = uv;
    if ystride < w || uvstride < cw * 2 || ydst.len() < ystride * h || uvdst.len() < uvstride * ch {
        return Err(Error::Backend {
            backend: BACKEND,
            message: "pool pixel buffer smaller than the frame".into(),
        });
    }
    let ysrc = frame.plane(0);
    let ys = frame.planes[0].stride;
    for r in 0..h {
        ydst[r * ystride..r * ystride + w].copy_from_slice(&ysrc[r * ys..r * ys + w]);
    }
    match frame.format {
        PixelFormat::I420 => {
            let (u, v) = (frame.plane(1), frame.plane(2));
            let (us, vs) = (frame.planes[1].stride, frame.planes[2].stride);
            for r in 0..ch {
                let row = &mut uvdst[r * uvstride..r * uvstride + cw * 2];
                for (c, pair) in row.chunks_exact_mut(2).enumerate() {
                    pair[0] = u[r * us + c];
                    pair[1] = v[r * vs + c];
                }
            }
        }
        PixelFormat::Nv12 => {
            let uvsrc = frame.plane(1);
            let s = frame.planes[1].stride;
            for r in 0..ch {
                uvdst[r * uvstride..r * uvstride + cw * 2]
                    .copy_from_slice(&uvsrc[r * s..r * s + cw * 2]);
            }
        }
        other => {
            return Err(Error::InvalidInput(format!(
                "VideoToolbox CPU input must be I420 or NV12, got {other:?}"
            )));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Output sink (shared with the VideoToolbox callback)
// ---------------------------------------------------------------------------------------------

/// What the output callback needs. Lives in a `Box` owned by the encoder, whose address is the
/// session's output refcon; it is freed only after the session is invalidated.
struct Sink {
    state: Mutex<SinkState>,
    /// Signalled whenever a frame leaves VideoToolbox (packet queued, dropped or failed).
    done: Condvar,
    /// Packets lost because `receive_packet` was not called often enough.
    queue_drops: AtomicU64,
    /// Frames VideoToolbox dropped or failed to encode.
    encoder_drops: AtomicU64,
    /// Set when a packet was lost after encoding: the next frame must be a keyframe.
    need_keyframe: AtomicBool,
    /// Last non-zero status from the output callback (0: none since the last check).
    last_error: AtomicI32,
}

struct SinkState {
    /// Take-once parameters of frames in flight, indexed by `seq % PARAM_SLOTS`.
    params: [Option<(u64, FrameParams)>; PARAM_SLOTS],
    /// Occupied entries of `params`: frames sent and not yet out of VideoToolbox.
    in_flight: usize,
    /// Finished packets, oldest first (at most `PACKET_QUEUE`).
    packets: VecDeque<Packet>,
    /// Reused Annex-B assembly buffer (`split().freeze()` hands out packets).
    out: BytesMut,
    /// Reused buffer for non-contiguous block buffers.
    scratch: Vec<u8>,
}

impl Sink {
    fn lock(&self) -> std::sync::MutexGuard<'_, SinkState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn put_params(&self, seq: u64, params: FrameParams) {
        let mut st = self.lock();
        // A still-occupied slot belongs to a frame VideoToolbox never reported back: it is
        // overwritten and stays counted once.
        if st.params[seq as usize % PARAM_SLOTS]
            .replace((seq, params))
            .is_none()
        {
            st.in_flight += 1;
        }
    }

    /// Takes a frame's parameters, once: whoever gets them (the callback, or `send_frame` after
    /// a failed submit) accounts for the frame.
    fn take_params(state: &mut SinkState, seq: u64) -> Option<FrameParams> {
        let slot = &mut state.params[seq as usize % PARAM_SLOTS];
        match *slot {
            Some((s, p)) if s == seq => {
                *slot = None;
                state.in_flight -= 1;
                Some(p)
            }
            _ => None,
        }
    }

    /// Builds and queues the packet for one encoded sample. The lock is held from taking the
    /// frame's parameters to queueing its packet, so a waiter never sees the frame neither in
    /// flight nor queued.
    ///
    /// # Safety
    /// `sample` must be a valid sample buffer from this session's output callback.
    unsafe fn handle_sample(&self, seq: u64, sample: &CMSampleBuffer) {
        let mut st = self.lock();
        let Some(params) = Self::take_params(&mut st, seq) else {
            self.encoder_drops.fetch_add(1, Ordering::Relaxed);
            self.need_keyframe.store(true, Ordering::Relaxed);
            return;
        };
        // SAFETY: valid sample (caller); the returned buffers are retained.
        let (fd, bb) = unsafe { (sample.format_description(), sample.data_buffer()) };
        let (Some(fd), Some(bb)) = (fd, bb) else {
            // The frame is lost to the decoder as much as a failed one: restart from a keyframe.
            self.encoder_drops.fetch_add(1, Ordering::Relaxed);
            self.need_keyframe.store(true, Ordering::Relaxed);
            return;
        };
        let SinkState { out, scratch, .. } = &mut *st;
        // SAFETY: `fd` is a retained H.264 format description.
        let Some((length_size, set_count)) = (unsafe { parameter_set_info(&fd) }) else {
            self.fail(-1);
            return;
        };
        let (mut at, mut total, mut p) = (0usize, 0usize, ptr::null_mut());
        // SAFETY: valid block buffer and valid out-pointers.
        let rc = unsafe { bb.data_pointer(0, &mut at, &mut total, &mut p) };
        if rc != 0 || p.is_null() {
            self.fail(rc);
            return;
        }
        let avcc: &[u8] = if at == total {
            // SAFETY: the block buffer is contiguous: `total` bytes at `p`, alive while `bb` is.
            unsafe { std::slice::from_raw_parts(p as *const u8, total) }
        } else {
            scratch.clear();
            scratch.resize(total, 0);
            // SAFETY: `scratch` has room for `total` bytes.
            let rc =
                unsafe { bb.copy_data_bytes(0, total, NonNull::from(&mut scratch[..]).cast()) };
            if rc != 0 {
                self.fail(rc);
                return;
            }
            scratch
        };
        let keyframe = avcc_has_idr(avcc, length_size);
        // Only keyframes need the sets; borrow them from `fd` (no copy, no allocation).
        let mut sets: [&[u8]; MAX_PARAM_SETS] = [&[]; MAX_PARAM_SETS];
        let n = if keyframe {
            set_count.min(MAX_PARAM_SETS)
        } else {
            0
        };
        if keyframe && n < 2 {
            // Receivers cannot start from an IDR without SPS and PPS.
            self.fail(-1);
            return;
        }
        for (i, slot) in sets[..n].iter_mut().enumerate() {
            // SAFETY: `fd` is retained until the end of this function.
            match unsafe { parameter_set(&fd, i) } {
                Some(ps) => *slot = ps,
                None => {
                    self.fail(-1);
                    return;
                }
            }
        }
        if let Err(e) = append_annexb(&sets[..n], avcc, length_size, keyframe, out) {
            tracing::warn!(error = %e, "VideoToolbox produced a malformed sample");
            self.fail(-1);
            return;
        }
        let data = out.split().freeze();
        // Reclaim the allocation once consumers drop earlier packets.
        out.reserve(data.len().max(64 * 1024));
        if st.packets.len() >= PACKET_QUEUE {
            // The decoder will miss this frame's reference: restart with a keyframe.
            self.queue_drops.fetch_add(1, Ordering::Relaxed);
            self.need_keyframe.store(true, Ordering::Relaxed);
            return;
        }
        st.packets.push_back(Packet {
            data,
            keyframe,
            codec: Codec::H264,
            params,
            encoded_at: Instant::now(),
        });
    }

    fn fail(&self, status: i32) {
        self.encoder_drops.fetch_add(1, Ordering::Relaxed);
        self.need_keyframe.store(true, Ordering::Relaxed);
        self.last_error
            .store(if status == 0 { -1 } else { status }, Ordering::Relaxed);
    }
}

/// Maximum parameter sets put in front of an IDR (H.264 from VideoToolbox has one SPS and one PPS).
const MAX_PARAM_SETS: usize = 8;

/// The AVCC length-field size of an H.264 format description and its number of parameter sets.
///
/// # Safety
/// `fd` must be a valid H.264 video format description.
unsafe fn parameter_set_info(fd: &CMFormatDescription) -> Option<(usize, usize)> {
    let (mut count, mut nal_len): (usize, c_int) = (0, 0);
    // SAFETY: valid description; null pointer/size out-params are allowed, count and length valid.
    let rc = unsafe {
        CMVideoFormatDescriptionGetH264ParameterSetAtIndex(
            fd,
            0,
            ptr::null_mut(),
            ptr::null_mut(),
            &mut count,
            &mut nal_len,
        )
    };
    (rc == 0 && matches!(nal_len, 1 | 2 | 4)).then_some((nal_len as usize, count))
}

/// Parameter set `i` (SPS, PPS, with emulation prevention) of an H.264 format description,
/// borrowed from the description (valid while it is retained).
///
/// # Safety
/// `fd` must be a valid H.264 video format description.
unsafe fn parameter_set(fd: &CMFormatDescription, i: usize) -> Option<&[u8]> {
    let (mut p, mut size): (*const u8, usize) = (ptr::null(), 0);
    // SAFETY: valid description and out-pointers; an out-of-range index returns an error.
    let rc = unsafe {
        CMVideoFormatDescriptionGetH264ParameterSetAtIndex(
            fd,
            i,
            &mut p,
            &mut size,
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    if rc != 0 || p.is_null() {
        return None;
    }
    // SAFETY: `size` bytes at `p` belong to `fd`, which outlives the returned borrow.
    Some(unsafe { std::slice::from_raw_parts(p, size) })
}

/// VideoToolbox output callback: runs on a VideoToolbox thread.
///
/// # Safety
/// Called by VideoToolbox with `refcon` = the `Sink` registered at session creation (alive until
/// the session is invalidated) and `frame_refcon` = the frame's sequence number.
unsafe extern "C-unwind" fn output_callback(
    refcon: *mut c_void,
    frame_refcon: *mut c_void,
    status: i32,
    flags: VTEncodeInfoFlags,
    sample: *mut CMSampleBuffer,
) {
    if refcon.is_null() {
        return;
    }
    // SAFETY: see the function's contract: the sink outlives the session.
    let sink = unsafe { &*(refcon as *const Sink) };
    let seq = frame_refcon as usize as u64;
    if status != 0 || flags.contains(VTEncodeInfoFlags::FrameDropped) || sample.is_null() {
        // Free the frame's parameters: nothing will come back for it.
        let _ = Sink::take_params(&mut sink.lock(), seq);
        sink.encoder_drops.fetch_add(1, Ordering::Relaxed);
        if status != 0 {
            sink.last_error.store(status, Ordering::Relaxed);
        }
    } else {
        // SAFETY: non-null sample buffer valid for the duration of the callback.
        unsafe { sink.handle_sample(seq, &*sample) };
    }
    sink.done.notify_all();
}

// ---------------------------------------------------------------------------------------------
// Encoder
// ---------------------------------------------------------------------------------------------

/// H.264 encoder on VideoToolbox's hardware encoder.
///
/// Opening fails with [`Error::Unavailable`] when no hardware encoder is available, so
/// [`crate::open_encoder`] falls back to openh264. Frames whose storage is a
/// [`PixelBufferStorage`] are encoded without a copy; I420 and NV12 frames from the CPU path are
/// copied into a buffer from the session's pool.
pub struct VtEncoder {
    // Field order matters for `Drop`: the session is released before the sink is freed.
    session: CFRetained<VTCompressionSession>,
    sink: Box<Sink>,
    /// How long `receive_packet` waits for frames still inside VideoToolbox.
    wait: OutputWait,
    /// What an error leads to.
    policy: ErrorPolicy,
    /// An asynchronous error asked for a new session: made before the next frame.
    recreate_pending: bool,
    config: EncoderConfig,
    level: u8,
    hardware: bool,
    force_keyframe: bool,
    force_props: CFRetained<CFDictionary<CFString, CFType>>,
    seq: u64,
    last_pts_us: Option<i64>,
}

// SAFETY: the session is used only through `&mut self` (or in `Drop`), and VideoToolbox
// sessions may be driven from any thread; the sink is `Sync` (atomics, a mutex and a condvar)
// and shared with VideoToolbox's callback thread by design.
unsafe impl Send for VtEncoder {}

fn cf_bool(v: bool) -> &'static CFType {
    CFBoolean::new(v)
}

/// Sets a session property, returning the status (`kVTPropertyNotSupportedErr` is a normal answer
/// for some keys).
fn set_prop(session: &VTCompressionSession, key: &CFString, value: &CFType) -> i32 {
    // SAFETY: valid session, key and value; VideoToolbox retains what it keeps.
    unsafe { VTSessionSetProperty(session, key, Some(value)) }
}

fn data_rate_limits(bps: u32) -> CFRetained<CFArray<CFNumber>> {
    // Hard cap: 1.5× the average over any one second, in bytes.
    let bytes = (bps as i64) * 3 / 16;
    CFArray::from_retained_objects(&[CFNumber::new_i64(bytes), CFNumber::new_f64(1.0)])
}

impl VtEncoder {
    /// Opens a hardware H.264 session for `config`.
    pub fn new(config: &EncoderConfig) -> Result<Self> {
        config.validate()?;
        if config.codec != Codec::H264 {
            return Err(Error::Unavailable {
                backend: BACKEND,
                reason: format!("codec {} not supported", config.codec),
            });
        }
        let sink = Box::new(Sink {
            done: Condvar::new(),
            state: Mutex::new(SinkState {
                params: [None; PARAM_SLOTS],
                in_flight: 0,
                packets: VecDeque::with_capacity(PACKET_QUEUE),
                out: BytesMut::with_capacity(256 * 1024),
                scratch: Vec::new(),
            }),
            queue_drops: AtomicU64::new(0),
            encoder_drops: AtomicU64::new(0),
            need_keyframe: AtomicBool::new(false),
            last_error: AtomicI32::new(0),
        });
        let session = Self::create_session(config, &sink)?;
        let hardware = Self::uses_hardware(&session);
        // SAFETY: reading an immutable framework constant.
        let force_key = unsafe { kVTEncodeFrameOptionKey_ForceKeyFrame };
        let force_props =
            CFDictionary::<CFString, CFType>::from_slices(&[force_key], &[cf_bool(true)]);
        Ok(Self {
            session,
            sink,
            wait: OutputWait::new(OUTPUT_WAIT),
            policy: ErrorPolicy::new(config.preference != EncoderPreference::Hardware),
            recreate_pending: false,
            config: config.clone(),
            level: level_for(config.width, config.height, config.max_fps),
            hardware,
            force_keyframe: true,
            force_props,
            seq: 0,
            last_pts_us: None,
        })
    }

    fn create_session(
        config: &EncoderConfig,
        sink: &Sink,
    ) -> Result<CFRetained<VTCompressionSession>> {
        let unavailable = |reason: String| Error::Unavailable {
            backend: BACKEND,
            reason,
        };
        // SAFETY: reading immutable framework constants.
        let (require_hw, fmt_key, iosurface_key, w_key, h_key) = unsafe {
            (
                kVTVideoEncoderSpecification_RequireHardwareAcceleratedVideoEncoder,
                kCVPixelBufferPixelFormatTypeKey,
                kCVPixelBufferIOSurfacePropertiesKey,
                kCVPixelBufferWidthKey,
                kCVPixelBufferHeightKey,
            )
        };
        let spec = CFDictionary::<CFString, CFType>::from_slices(&[require_hw], &[cf_bool(true)]);
        // The session's own pool (for CPU frames) hands out IOSurface-backed 420v buffers.
        let empty = CFDictionary::<CFString, CFType>::from_slices(&[], &[]);
        let fourcc = CFNumber::new_i64(kCVPixelFormatType_420YpCbCr8BiPlanarVideoRange as i64);
        let (w, h) = (
            CFNumber::new_i32(config.width as i32),
            CFNumber::new_i32(config.height as i32),
        );
        let attrs = CFDictionary::<CFString, CFType>::from_slices(
            &[fmt_key, iosurface_key, w_key, h_key],
            &[&fourcc, &empty, &w, &h],
        );
        let mut out: *mut VTCompressionSession = ptr::null_mut();
        // SAFETY: valid dictionaries of the documented key/value types; the callback matches
        // `VTCompressionOutputCallback`; the refcon points at the boxed sink, which outlives the
        // session (`VtEncoder`'s drop order); `out` is a valid out-pointer.
        let status = unsafe {
            VTCompressionSession::create(
                None,
                config.width as i32,
                config.height as i32,
                kCMVideoCodecType_H264,
                Some(spec.as_opaque()),
                Some(attrs.as_opaque()),
                None,
                Some(output_callback),
                (sink as *const Sink).cast_mut().cast(),
                NonNull::from(&mut out),
            )
        };
        let Some(raw) = NonNull::new(out).filter(|_| status == 0) else {
            return Err(unavailable(format!(
                "no hardware H.264 encoder (VTCompressionSessionCreate: OSStatus {status})"
            )));
        };
        // SAFETY: Create rule: the out-pointer holds a +1 reference that we now own.
        let session = unsafe { CFRetained::from_raw(raw) };

        // SAFETY: reading immutable framework constants.
        let (realtime, reorder, profile_key, profile, delay, speed) = unsafe {
            (
                kVTCompressionPropertyKey_RealTime,
                kVTCompressionPropertyKey_AllowFrameReordering,
                kVTCompressionPropertyKey_ProfileLevel,
                kVTProfileLevel_H264_ConstrainedBaseline_AutoLevel,
                kVTCompressionPropertyKey_MaxFrameDelayCount,
                kVTCompressionPropertyKey_PrioritizeEncodingSpeedOverQuality,
            )
        };
        // SAFETY: as above.
        let (kf_frames, kf_dur, primaries, transfer, matrix) = unsafe {
            (
                kVTCompressionPropertyKey_MaxKeyFrameInterval,
                kVTCompressionPropertyKey_MaxKeyFrameIntervalDuration,
                kVTCompressionPropertyKey_ColorPrimaries,
                kVTCompressionPropertyKey_TransferFunction,
                kVTCompressionPropertyKey_YCbCrMatrix,
            )
        };
        // SAFETY: as above.
        let (p709, t709, m709) = unsafe {
            (
                kCVImageBufferColorPrimaries_ITU_R_709_2,
                kCVImageBufferTransferFunction_ITU_R_709_2,
                kCVImageBufferYCbCrMatrix_ITU_R_709_2,
            )
        };
        // Required: without these the stream is either undecodable by browsers or not real time.
        let required: [(&str, &CFString, &CFType); 4] = [
            ("RealTime", realtime, cf_bool(true)),
            ("AllowFrameReordering", reorder, cf_bool(false)),
            ("ProfileLevel", profile_key, profile),
            ("MaxFrameDelayCount", delay, &CFNumber::new_i32(0)),
        ];
        for (name, key, value) in required {
            let rc = set_prop(&session, key, value);
            if rc != 0 {
                // SAFETY: tearing down the session we just created; no frames were queued.
                unsafe { session.invalidate() };
                return Err(unavailable(format!(
                    "hardware encoder rejected {name} (OSStatus {rc})"
                )));
            }
        }
        Self::apply_rate(&session, config.bitrate_bps, config.max_fps)?;
        // Keyframes come on request (PLI, new viewer) and from the configured refresh; no GOP.
        let kf_seconds = config.keyframe_interval.map_or(0.0, |d| d.as_secs_f64());
        let optional: [(&str, &CFString, &CFType); 6] = [
            (
                "MaxKeyFrameInterval",
                kf_frames,
                &CFNumber::new_i32(i32::MAX),
            ),
            (
                "MaxKeyFrameIntervalDuration",
                kf_dur,
                &CFNumber::new_f64(kf_seconds),
            ),
            ("PrioritizeEncodingSpeedOverQuality", speed, cf_bool(true)),
            // BT.709 limited range, like glass-engine's own conversion and openh264's VUI.
            ("ColorPrimaries", primaries, p709),
            ("TransferFunction", transfer, t709),
            ("YCbCrMatrix", matrix, m709),
        ];
        for (name, key, value) in optional {
            let rc = set_prop(&session, key, value);
            if rc != 0 {
                tracing::debug!(
                    property = name,
                    status = rc,
                    "VideoToolbox ignored a session property"
                );
            }
        }
        // SAFETY: valid session.
        let rc = unsafe { session.prepare_to_encode_frames() };
        if rc != 0 {
            tracing::debug!(
                status = rc,
                "VTCompressionSessionPrepareToEncodeFrames failed"
            );
        }
        Ok(session)
    }

    fn apply_rate(session: &VTCompressionSession, bps: u32, fps: f32) -> Result<()> {
        // SAFETY: reading immutable framework constants.
        let (avg, limits, rate) = unsafe {
            (
                kVTCompressionPropertyKey_AverageBitRate,
                kVTCompressionPropertyKey_DataRateLimits,
                kVTCompressionPropertyKey_ExpectedFrameRate,
            )
        };
        let rc = set_prop(session, avg, &CFNumber::new_i64(bps as i64));
        if rc != 0 {
            return Err(backend_err("setting AverageBitRate", rc));
        }
        let rc = set_prop(session, limits, &data_rate_limits(bps));
        if rc != 0 {
            tracing::debug!(status = rc, "VideoToolbox ignored DataRateLimits");
        }
        let rc = set_prop(session, rate, &CFNumber::new_f64(fps as f64));
        if rc != 0 {
            tracing::debug!(status = rc, "VideoToolbox ignored ExpectedFrameRate");
        }
        Ok(())
    }

    fn uses_hardware(session: &VTCompressionSession) -> bool {
        let mut v: *const c_void = ptr::null();
        // SAFETY: valid session and key; the out-pointer receives a +1 CFBoolean (or stays null).
        let rc = unsafe {
            VTSessionCopyProperty(
                session,
                kVTCompressionPropertyKey_UsingHardwareAcceleratedVideoEncoder,
                None,
                (&mut v as *mut *const c_void).cast(),
            )
        };
        let Some(raw) = NonNull::new(v.cast_mut()).filter(|_| rc == 0) else {
            // The hardware encoder was required at creation; absence of the property is no proof
            // of the contrary.
            return true;
        };
        // SAFETY: Copy rule: we own the +1 reference to a CF object.
        let value: CFRetained<CFType> = unsafe { CFRetained::from_raw(raw.cast()) };
        value.downcast::<CFBoolean>().map_or(true, |b| b.as_bool())
    }

    /// Replaces the session with a new one (same configuration); frames inside the old one
    /// are forgotten and the next frame is a keyframe.
    fn recreate(&mut self) -> Result<()> {
        let session = Self::create_session(&self.config, &self.sink)?;
        // SAFETY: the old session is finished with; invalidating it stops its callbacks.
        unsafe { self.session.invalidate() };
        self.session = session;
        self.hardware = Self::uses_hardware(&self.session);
        // Frames of the old session will never come back, nor will its errors.
        let mut st = self.sink.lock();
        st.params = [None; PARAM_SLOTS];
        st.in_flight = 0;
        drop(st);
        self.sink.last_error.store(0, Ordering::Relaxed);
        self.last_pts_us = None;
        self.wait.handle_caught_up();
        self.force_keyframe = true;
        Ok(())
    }

    /// The error for a [`Recovery::FallBack`] ([`Error::Unavailable`]: the caller reopens with
    /// software) or [`Recovery::Fatal`].
    fn give_up(&self, recovery: Recovery, detail: &str) -> Error {
        self.sink.encoder_drops.fetch_add(1, Ordering::Relaxed);
        match recovery {
            Recovery::FallBack => {
                tracing::warn!(
                    detail,
                    "VideoToolbox keeps failing; handing over to software"
                );
                Error::Unavailable {
                    backend: BACKEND,
                    reason: format!("hardware encoder failed mid-stream ({detail})"),
                }
            }
            _ => Error::Backend {
                backend: BACKEND,
                message: format!("hardware encoder failed and software is not allowed ({detail})"),
            },
        }
    }

    /// Packets lost because `receive_packet` was not called often enough (each forces a keyframe).
    pub fn queue_drops(&self) -> u64 {
        self.sink.queue_drops.load(Ordering::Relaxed)
    }

    /// Frames VideoToolbox dropped or failed to encode.
    pub fn encoder_drops(&self) -> u64 {
        self.sink.encoder_drops.load(Ordering::Relaxed)
    }

    /// Copies a CPU frame into a pixel buffer from the session's pool.
    fn pool_buffer(&self, frame: &VideoFrame) -> Result<CFRetained<CVPixelBuffer>> {
        if !matches!(frame.format, PixelFormat::I420 | PixelFormat::Nv12) {
            return Err(Error::InvalidInput(format!(
                "VideoToolbox takes CVPixelBuffer frames or I420/NV12 frames, got {:?}",
                frame.format
            )));
        }
        if !frame.layout_fits() {
            return Err(Error::InvalidInput(
                "frame planes exceed their storage".into(),
            ));
        }
        // SAFETY: valid session.
        let pool: CFRetained<CVPixelBufferPool> = unsafe { self.session.pixel_buffer_pool() }
            .ok_or_else(|| Error::Backend {
                backend: BACKEND,
                message: "session has no pixel buffer pool".into(),
            })?;
        let mut out: *mut CVPixelBuffer = ptr::null_mut();
        // SAFETY: valid pool, valid out-pointer.
        let rc =
            unsafe { CVPixelBufferPool::create_pixel_buffer(None, &pool, NonNull::from(&mut out)) };
        let Some(raw) = NonNull::new(out).filter(|_| rc == kCVReturnSuccess) else {
            return Err(backend_err("CVPixelBufferPoolCreatePixelBuffer", rc));
        };
        // SAFETY: Create rule: +1 reference now owned.
        let pb: CFRetained<CVPixelBuffer> = unsafe { CFRetained::from_raw(raw) };
        if CVPixelBufferGetPixelFormatType(&pb) != kCVPixelFormatType_420YpCbCr8BiPlanarVideoRange
            || CVPixelBufferGetPlaneCount(&pb) != 2
        {
            return Err(Error::Backend {
                backend: BACKEND,
                message: "session pool does not hand out 420v buffers".into(),
            });
        }
        // SAFETY: valid buffer; unlocked below on every path.
        let rc = unsafe { CVPixelBufferLockBaseAddress(&pb, CVPixelBufferLockFlags::empty()) };
        if rc != kCVReturnSuccess {
            return Err(backend_err("CVPixelBufferLockBaseAddress", rc));
        }
        let plane = |i: usize| {
            let base = CVPixelBufferGetBaseAddressOfPlane(&pb, i) as *mut u8;
            let stride = CVPixelBufferGetBytesPerRowOfPlane(&pb, i);
            let rows = CVPixelBufferGetHeightOfPlane(&pb, i);
            (base, stride, rows)
        };
        let ((yb, ys, yr), (cb, cs, cr)) = (plane(0), plane(1));
        let result = if yb.is_null() || cb.is_null() {
            Err(Error::Backend {
                backend: BACKEND,
                message: "pool pixel buffer has no CPU mapping".into(),
            })
        } else {
            // SAFETY: the buffer is locked for writing; each plane spans `stride × rows` bytes at
            // its base address, the two planes do not overlap, and nothing else references this
            // freshly created buffer.
            let (y, uv) = unsafe {
                (
                    std::slice::from_raw_parts_mut(yb, ys * yr),
                    std::slice::from_raw_parts_mut(cb, cs * cr),
                )
            };
            copy_to_nv12(frame, (y, ys), (uv, cs))
        };
        // SAFETY: balances the lock above.
        unsafe { CVPixelBufferUnlockBaseAddress(&pb, CVPixelBufferLockFlags::empty()) };
        result.map(|()| pb)
    }

    /// Presentation time in microseconds, strictly increasing as VideoToolbox requires.
    fn next_pts(&mut self, params: &FrameParams) -> i64 {
        let mut us = i64::try_from(params.pts.as_micros()).unwrap_or(i64::MAX / 2);
        if let Some(last) = self.last_pts_us {
            us = us.max(last + 1);
        }
        self.last_pts_us = Some(us);
        us
    }

    fn encode(&mut self, pb: &CVPixelBuffer, params: FrameParams, keyframe: bool) -> i32 {
        self.seq += 1;
        let seq = self.seq;
        self.sink.put_params(seq, params);
        let pts_us = self.next_pts(&params);
        // SAFETY: constructing a CMTime value.
        let pts = unsafe { CMTime::new(pts_us, 1_000_000) };
        let props = keyframe.then(|| self.force_props.as_opaque());
        let mut flags = VTEncodeInfoFlags::empty();
        // SAFETY: valid session and pixel buffer (VideoToolbox retains it as long as needed); the
        // frame properties dictionary has the documented types; the refcon is an integer that the
        // callback only uses as a key; `flags` is a valid out-pointer.
        let rc = unsafe {
            self.session.encode_frame(
                pb,
                pts,
                kCMTimeInvalid,
                props,
                seq as usize as *mut c_void,
                &mut flags,
            )
        };
        if rc != 0 || flags.contains(VTEncodeInfoFlags::FrameDropped) {
            // The callback may or may not run for this frame: take the parameters back if it has
            // not already.
            let _ = Sink::take_params(&mut self.sink.lock(), seq);
        }
        rc
    }
}

impl Encoder for VtEncoder {
    fn dropped_frames(&self) -> u64 {
        self.queue_drops() + self.encoder_drops()
    }

    fn caps(&self) -> EncoderCaps {
        EncoderCaps {
            backend: BACKEND,
            hardware: self.hardware,
            codec: Codec::H264,
            // Constrained baseline as VideoToolbox signals it (constraint_set0/1/2), level as
            // openh264 computes it; AutoLevel may pick a lower one, which receivers accept.
            profile_level_id: [0x42, 0xe0, self.level],
            zero_copy_input: true,
        }
    }

    fn send_frame(&mut self, frame: &VideoFrame, params: FrameParams) -> Result<()> {
        if (frame.width, frame.height) != (self.config.width, self.config.height) {
            return Err(Error::InvalidInput(format!(
                "frame is {}x{}, encoder was opened for {}x{}",
                frame.width, frame.height, self.config.width, self.config.height
            )));
        }
        // Before the pool is used: an invalid session's pool may be gone too.
        if std::mem::take(&mut self.recreate_pending)
            && let Err(e) = self.recreate()
        {
            let r = self.policy.handle_recreate_failed();
            return Err(self.give_up(r, &e.to_string()));
        }
        let copied;
        let pb: &CVPixelBuffer = match frame.storage.as_any().downcast_ref::<PixelBufferStorage>() {
            Some(s) => s.pixel_buffer(),
            None => {
                copied = self.pool_buffer(frame)?;
                &copied
            }
        };
        // No short-circuit: every pending request is consumed by this keyframe.
        let requested = std::mem::take(&mut self.force_keyframe);
        let lost = self.sink.need_keyframe.swap(false, Ordering::Relaxed);
        let mut keyframe = params.force_keyframe | requested | lost;
        // Bounded: every `Recreate` uses up one of the policy's few recreations.
        loop {
            let rc = self.encode(pb, params, keyframe);
            if rc == 0 {
                return Ok(());
            }
            match self.policy.handle_error(rc) {
                Recovery::Retry => {
                    tracing::warn!(
                        status = rc,
                        "VideoToolbox refused a frame; next is a keyframe"
                    );
                    self.sink.encoder_drops.fetch_add(1, Ordering::Relaxed);
                    self.force_keyframe = true;
                    return Ok(());
                }
                Recovery::Recreate => {
                    // Reported after sleep/wake and GPU changes (invalid session) or when the
                    // encoder broke (malfunction): a new session, restarting with a keyframe.
                    tracing::warn!(status = rc, "VideoToolbox session failed; recreating it");
                    if let Err(e) = self.recreate() {
                        let r = self.policy.handle_recreate_failed();
                        return Err(self.give_up(r, &e.to_string()));
                    }
                    keyframe = true;
                }
                r => return Err(self.give_up(r, &format!("OSStatus {rc}"))),
            }
        }
    }

    /// The next packet. While a sent frame is still inside VideoToolbox this waits for it (a
    /// few milliseconds on hardware), so callers that drain after every `send_frame` get each
    /// frame's packet at once rather than one frame late.
    fn receive_packet(&mut self) -> Result<Option<Packet>> {
        let status = self.sink.last_error.swap(0, Ordering::Relaxed);
        if status != 0 {
            // A frame failed asynchronously: its packet is missing. The next frame is a
            // keyframe; the policy says whether the session must go.
            tracing::warn!(status, "VideoToolbox failed to encode a frame");
            self.force_keyframe = true;
            match self.policy.handle_error(status) {
                Recovery::Retry => {}
                Recovery::Recreate => self.recreate_pending = true,
                r => return Err(self.give_up(r, &format!("OSStatus {status}"))),
            }
        }
        let deadline = Instant::now() + self.wait.budget();
        let mut st = self.sink.lock();
        loop {
            if let Some(p) = st.packets.pop_front() {
                self.policy.handle_packet();
                return Ok(Some(p));
            }
            if st.in_flight == 0 {
                self.wait.handle_caught_up();
                return Ok(None);
            }
            let now = Instant::now();
            if now >= deadline {
                if !self.wait.is_late() {
                    tracing::warn!(
                        "VideoToolbox held a frame over {OUTPUT_WAIT:?}; waiting briefly until it catches up"
                    );
                }
                self.wait.handle_timeout();
                return Ok(None);
            }
            st = self
                .sink
                .done
                .wait_timeout(st, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    fn request_keyframe(&mut self) {
        self.force_keyframe = true;
    }

    fn set_bitrate(&mut self, bps: u32) -> Result<()> {
        self.config.check_bitrate(bps)?;
        Self::apply_rate(&self.session, bps, self.config.max_fps)?;
        self.config.bitrate_bps = bps;
        Ok(())
    }

    fn set_frame_rate(&mut self, fps: f32) -> Result<()> {
        self.config.check_max_fps(fps)?;
        Self::apply_rate(&self.session, self.config.bitrate_bps, fps)?;
        self.config.max_fps = fps;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        // SAFETY: valid session; a non-numeric time completes every pending frame.
        let rc = unsafe { self.session.complete_frames(kCMTimeInvalid) };
        if rc != 0 {
            return Err(backend_err("VTCompressionSessionCompleteFrames", rc));
        }
        Ok(())
    }
}

impl Drop for VtEncoder {
    fn drop(&mut self) {
        // SAFETY: valid session. After CompleteFrames and Invalidate no callback runs any more,
        // so the sink (dropped after `session`, see the field order) is not used after free.
        unsafe {
            self.session.complete_frames(kCMTimeInvalid);
            self.session.invalidate();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annexb_puts_parameter_sets_before_idr_only() {
        let sps: &[u8] = &[0x67, 0x42, 0xe0, 0x1f];
        let pps: &[u8] = &[0x68, 0xce];
        let idr = [0, 0, 0, 3, 0x65, 0x88, 0x80];
        let mut out = BytesMut::new();
        assert!(avcc_has_idr(&idr, 4));
        append_annexb(&[sps, pps], &idr, 4, true, &mut out).unwrap();
        assert_eq!(
            &out[..],
            &[
                0, 0, 0, 1, 0x67, 0x42, 0xe0, 0x1f, 0, 0, 0, 1, 0x68, 0xce, 0, 0, 0, 1, 0x65, 0x88,
                0x80
            ]
        );
        let p = [0, 2, 0x41, 0x9a];
        let mut out = BytesMut::new();
        assert!(!avcc_has_idr(&p, 2));
        append_annexb(&[sps, pps], &p, 2, false, &mut out).unwrap();
        assert_eq!(&out[..], &[0, 0, 0, 1, 0x41, 0x9a]);
    }

    #[test]
    fn malformed_avcc_leaves_output_untouched() {
        let mut out = BytesMut::from(&b"xy"[..]);
        assert!(append_annexb(&[], &[0, 0, 0, 9, 0x65], 4, false, &mut out).is_err());
        assert!(append_annexb(&[], &[0x65], 3, false, &mut out).is_err());
        assert_eq!(&out[..], b"xy");
    }

    #[test]
    fn planes_must_share_one_allocation() {
        let planes = [(1000, 64, 10), (1640, 64, 5)];
        assert_eq!(
            contiguous_planes(&planes, Some((1000, 2000))),
            Some((640, 960))
        );
        assert_eq!(contiguous_planes(&planes, Some((1000, 1500))), None);
        assert_eq!(contiguous_planes(&planes, None), None);
        assert_eq!(
            contiguous_planes(&[(1000, 64, 10), (1500, 64, 5)], Some((0, 9999))),
            None
        );
    }
}
