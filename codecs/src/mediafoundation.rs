//! Media Foundation: hardware H.264 encoder MFTs (Intel Quick Sync, NVIDIA NVENC, AMD AMF
//! through their Media Foundation transforms) behind the [`Encoder`] trait, with openh264 as
//! the fallback ([`crate::encoder::open_encoder`]).
//!
//! # Design
//! - **Which MFT.** `MFTEnumEx(MFT_CATEGORY_VIDEO_ENCODER)` for NV12 → H.264, hardware and
//!   software, synchronous and asynchronous, sorted by merit; hardware MFTs are tried first in
//!   that order, each until one initialises
//!   ([`order_candidates`](crate::mediafoundation_policy::order_candidates)). Software MFTs
//!   (Microsoft's "H264 Encoder MFT") are skipped unless `GLASS_MF_SOFTWARE=1` is set:
//!   openh264 is the software path, tuned for screen content; the variable exists to exercise
//!   the synchronous path on a machine without a GPU encoder (a CI runner).
//! - **Settings.** Through `ICodecAPI` before the media types are set (some MFTs fix their
//!   rate control when the output type is set): low-latency mode, CBR at the target bitrate,
//!   no B-frames, a GOP as a backstop only (the engine asks for keyframes), and
//!   `CODECAPI_AVEncVideoForceKeyFrame` per keyframe. Output: H.264 Baseline at the level
//!   [`level_for`] computes; input: NV12 in system memory (`MF_MT_DEFAULT_STRIDE` = width).
//!   Baseline SPSs are marked Constrained Baseline, what browsers negotiate.
//! - **Synchronous MFTs:** `ProcessInput`, then `ProcessOutput` until
//!   `MF_E_TRANSFORM_NEED_MORE_INPUT`, in `send_frame`. **Asynchronous (hardware) MFTs** are
//!   unlocked with `MF_TRANSFORM_ASYNC_UNLOCK` and driven by their events:
//!   `METransformNeedInput` gives a credit for one `ProcessInput`, `METransformHaveOutput`
//!   calls for one `ProcessOutput`. The event queue is polled (`MF_EVENT_FLAG_NO_WAIT`, every
//!   [`EVENT_POLL`]) only while a frame is inside the MFT, with the same waiting rule as
//!   VideoToolbox ([`OutputWait`]): the blocking `GetEvent` has no timeout.
//! - **Input buffers.** The I420 frame is converted straight into one of [`INPUT_RING`]
//!   reused NV12 media buffers ([`i420_to_nv12`], tested); a buffer is written again only
//!   when fewer than [`INPUT_RING`] frames are inside the MFT, which with low latency and no
//!   B-frames holds one or two. No allocation per frame at steady state.
//! - **Output.** Each output sample becomes one Annex-B access unit as openh264 emits them:
//!   SPS and PPS in front of every IDR (taken from `MF_MT_MPEG_SEQUENCE_HEADER` or an earlier
//!   IDR where the MFT leaves them out), AVCC converted ([`ParameterSets`], tested).
//!   Per-frame [`FrameParams`] come back in order: without B-frames an MFT emits frames in
//!   the order they went in.
//! - **Errors** go through [`ErrorPolicy`]: a failed frame is dropped and the next one is a
//!   keyframe; repeated failures, or a lost device, return [`Error::Unavailable`] so the
//!   pipeline reopens with openh264, or [`Error::Backend`] when hardware was required.
//!
//! Only type-checked on Linux; see `docs/windows.md` for what needs testing on Windows.

use std::cell::Cell;
use std::collections::VecDeque;
use std::ffi::c_void;
use std::mem::ManuallyDrop;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use windows::Win32::Graphics::Dxgi::{DXGI_ERROR_DEVICE_HUNG, DXGI_ERROR_DEVICE_REMOVED};
use windows::Win32::Media::MediaFoundation::{
    CODECAPI_AVEncCommonMeanBitRate, CODECAPI_AVEncCommonRateControlMode,
    CODECAPI_AVEncMPVDefaultBPictureCount, CODECAPI_AVEncMPVGOPSize,
    CODECAPI_AVEncVideoForceKeyFrame, CODECAPI_AVLowLatencyMode, ICodecAPI, IMFActivate,
    IMFAttributes, IMFMediaEventGenerator, IMFMediaType, IMFSample, IMFTransform,
    METransformHaveOutput, METransformNeedInput, MF_E_HW_MFT_FAILED_START_STREAMING,
    MF_E_NO_EVENTS_AVAILABLE, MF_E_NOTACCEPTING, MF_E_TRANSFORM_NEED_MORE_INPUT,
    MF_E_TRANSFORM_STREAM_CHANGE, MF_EVENT_FLAG_NO_WAIT, MF_LOW_LATENCY, MF_MT_AVG_BITRATE,
    MF_MT_DEFAULT_STRIDE, MF_MT_FRAME_RATE, MF_MT_FRAME_SIZE, MF_MT_INTERLACE_MODE,
    MF_MT_MAJOR_TYPE, MF_MT_MPEG_SEQUENCE_HEADER, MF_MT_MPEG2_LEVEL, MF_MT_MPEG2_PROFILE,
    MF_MT_PIXEL_ASPECT_RATIO, MF_MT_SUBTYPE, MF_TRANSFORM_ASYNC, MF_TRANSFORM_ASYNC_UNLOCK,
    MF_TRANSFORM_FLAGS_Attribute, MF_VERSION, MFCreateMediaType, MFCreateMemoryBuffer,
    MFCreateSample, MFMediaType_Video, MFSTARTUP_NOSOCKET, MFShutdown, MFStartup,
    MFT_CATEGORY_VIDEO_ENCODER, MFT_ENUM_FLAG_ASYNCMFT, MFT_ENUM_FLAG_HARDWARE,
    MFT_ENUM_FLAG_SORTANDFILTER, MFT_ENUM_FLAG_SYNCMFT, MFT_FRIENDLY_NAME_Attribute,
    MFT_MESSAGE_NOTIFY_BEGIN_STREAMING, MFT_MESSAGE_NOTIFY_END_OF_STREAM,
    MFT_MESSAGE_NOTIFY_END_STREAMING, MFT_MESSAGE_NOTIFY_START_OF_STREAM, MFT_OUTPUT_DATA_BUFFER,
    MFT_OUTPUT_STREAM_INFO, MFT_OUTPUT_STREAM_PROVIDES_SAMPLES, MFT_REGISTER_TYPE_INFO, MFTEnumEx,
    MFVideoFormat_H264, MFVideoFormat_NV12, MFVideoInterlace_Progressive,
    eAVEncCommonRateControlMode_CBR, eAVEncH264VProfile_Base,
};
use windows::Win32::System::Com::{COINIT_MULTITHREADED, CoInitializeEx, CoTaskMemFree};
use windows::Win32::System::Variant::VARIANT;
use windows::core::{GUID, Interface, PWSTR};

use crate::encoder::{Encoder, EncoderCaps, EncoderConfig, EncoderPreference};
use crate::error::{Error, Result};
use crate::frame::VideoFrame;
use crate::mediafoundation_policy::{
    Candidate, EVENT_POLL, ErrorPolicy, Nv12Layout, OUTPUT_WAIT, ParameterSets, Recovery, SrcPlane,
    frame_rate_ratio, gop_size, hns, i420_to_nv12, order_candidates, pack_u32_pair,
};
use crate::openh264::level_for;
use crate::output_wait::OutputWait;
use crate::packet::{Codec, FrameParams, Packet};

const BACKEND: &str = "mediafoundation";

/// Reused NV12 input samples; a sample is written again only when fewer frames than this
/// are inside the MFT.
pub const INPUT_RING: usize = 4;

fn hr(what: &str, e: windows::core::Error) -> Error {
    Error::Backend {
        backend: BACKEND,
        message: format!("{what}: {e}"),
    }
}

/// Whether `e` means the encoder's device is gone for good. [`hr`] keeps the HRESULT in the
/// message as `windows::core::Error` displays it (`0x887A0005`).
fn device_lost(e: &Error) -> bool {
    let Error::Backend { message, .. } = e else {
        return false;
    };
    [
        DXGI_ERROR_DEVICE_REMOVED,
        DXGI_ERROR_DEVICE_HUNG,
        MF_E_HW_MFT_FAILED_START_STREAMING,
    ]
    .iter()
    .any(|code| message.contains(&format!("{:#010X}", code.0)))
}

thread_local! {
    static COM: Cell<bool> = const { Cell::new(false) };
}

/// Joins this thread to the multithreaded apartment once; Media Foundation needs COM. A
/// thread already in a single-threaded apartment keeps it (`RPC_E_CHANGED_MODE`).
fn ensure_com() {
    COM.with(|done| {
        if !done.get() {
            // SAFETY: initialising the calling thread's apartment; never undone, the thread's
            // end does.
            let _ = unsafe { CoInitializeEx(None, COINIT_MULTITHREADED) };
            done.set(true);
        }
    });
}

/// One `MFStartup`, undone by `MFShutdown` on drop (both are reference-counted by Media
/// Foundation, so encoders may overlap).
struct Runtime;

impl Runtime {
    fn start() -> Result<Self> {
        ensure_com();
        // SAFETY: plain call; balanced by MFShutdown in Drop.
        unsafe { MFStartup(MF_VERSION, MFSTARTUP_NOSOCKET) }.map_err(|e| hr("MFStartup", e))?;
        Ok(Runtime)
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        // SAFETY: balances the MFStartup of `start`.
        let _ = unsafe { MFShutdown() };
    }
}

/// Every NV12 → H.264 encoder MFT, in `MFTEnumEx`'s merit order.
fn enumerate() -> Result<Vec<(IMFActivate, Candidate)>> {
    let input = MFT_REGISTER_TYPE_INFO {
        guidMajorType: MFMediaType_Video,
        guidSubtype: MFVideoFormat_NV12,
    };
    let output = MFT_REGISTER_TYPE_INFO {
        guidMajorType: MFMediaType_Video,
        guidSubtype: MFVideoFormat_H264,
    };
    let flags = MFT_ENUM_FLAG_HARDWARE
        | MFT_ENUM_FLAG_SYNCMFT
        | MFT_ENUM_FLAG_ASYNCMFT
        | MFT_ENUM_FLAG_SORTANDFILTER;
    let mut list: *mut Option<IMFActivate> = std::ptr::null_mut();
    let mut count = 0u32;
    // SAFETY: the type infos outlive the call; the out pointers are valid. MFTEnumEx returns a
    // CoTaskMemAlloc'd array of `count` activation objects, each owned by the caller.
    unsafe {
        MFTEnumEx(
            MFT_CATEGORY_VIDEO_ENCODER,
            flags,
            Some(&input),
            Some(&output),
            &mut list,
            &mut count,
        )
    }
    .map_err(|e| hr("MFTEnumEx", e))?;
    if list.is_null() {
        return Ok(Vec::new());
    }
    // SAFETY: `list` holds `count` initialised entries (see above); taking each leaves `None`
    // behind, so the array holds no reference when it is freed.
    let entries = unsafe { std::slice::from_raw_parts_mut(list, count as usize) };
    let mut found = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter_mut().enumerate() {
        let Some(activate) = entry.take() else {
            continue;
        };
        // SAFETY: attribute reads on a live activation object.
        let flags = unsafe { activate.GetUINT32(&MF_TRANSFORM_FLAGS_Attribute) }.unwrap_or(0);
        let name = friendly_name(&activate).unwrap_or_else(|| "unnamed MFT".into());
        found.push((
            activate,
            Candidate {
                index,
                name,
                hardware: flags & MFT_ENUM_FLAG_HARDWARE.0 as u32 != 0,
            },
        ));
    }
    // SAFETY: the array came from MFTEnumEx and every entry was taken out above.
    unsafe { CoTaskMemFree(Some(list as *const c_void)) };
    Ok(found)
}

fn friendly_name(attributes: &IMFAttributes) -> Option<String> {
    let mut name = PWSTR::null();
    let mut len = 0u32;
    // SAFETY: the out pointers are valid; the string is CoTaskMemAlloc'd and freed below.
    unsafe {
        attributes
            .GetAllocatedString(&MFT_FRIENDLY_NAME_Attribute, &mut name, &mut len)
            .ok()?;
        let s = name.to_string().ok();
        CoTaskMemFree(Some(name.0 as *const c_void));
        s
    }
}

/// A hardware H.264 encoder MFT.
pub struct MfEncoder {
    transform: IMFTransform,
    activate: IMFActivate,
    /// The event queue of an asynchronous MFT.
    events: Option<IMFMediaEventGenerator>,
    codec_api: Option<ICodecAPI>,
    config: EncoderConfig,
    name: String,
    hardware: bool,
    level: u8,
    layout: Nv12Layout,
    inputs: Vec<IMFSample>,
    next_input: usize,
    out_info: MFT_OUTPUT_STREAM_INFO,
    /// The output sample given to an MFT that does not provide its own, reused.
    out_sample: Option<IMFSample>,
    /// Parameters of the frames inside the MFT, oldest first.
    params: VecDeque<FrameParams>,
    ready: VecDeque<Packet>,
    /// `METransformNeedInput` events not yet answered with `ProcessInput`.
    need_input: u32,
    param_sets: ParameterSets,
    out: BytesMut,
    policy: ErrorPolicy,
    wait: OutputWait,
    force_keyframe: bool,
    bitrate_warned: bool,
    dropped: u64,
    _runtime: Runtime,
}

// SAFETY: the MFT, its attributes, codec API and samples are owned by this value and used only
// through `&mut self`, so from one thread at a time. Encoder MFTs are registered
// free-threaded ("Both") and asynchronous MFTs must be callable from any thread; each thread
// that calls in joins the MTA first (`ensure_com`).
unsafe impl Send for MfEncoder {}

impl std::fmt::Debug for MfEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfEncoder")
            .field("name", &self.name)
            .field("hardware", &self.hardware)
            .field("async", &self.events.is_some())
            .finish_non_exhaustive()
    }
}

impl MfEncoder {
    /// Opens the first H.264 encoder MFT that initialises for `config`: hardware ones, and
    /// software ones only with `GLASS_MF_SOFTWARE=1`. [`Error::Unavailable`] when none does,
    /// with each one's reason.
    pub fn new(config: &EncoderConfig) -> Result<Self> {
        let allow_software = std::env::var_os("GLASS_MF_SOFTWARE").is_some_and(|v| v == "1");
        Self::open(config, allow_software)
    }

    /// [`MfEncoder::new`], software MFTs included or not.
    fn open(config: &EncoderConfig, allow_software: bool) -> Result<Self> {
        config.validate()?;
        if config.codec != Codec::H264 {
            return Err(Error::InvalidConfig {
                field: "codec",
                value: config.codec.to_string(),
                allowed: "H.264 for the Media Foundation backend",
            });
        }
        let runtime = Runtime::start()?;
        let mut found = enumerate()?;
        let order = order_candidates(
            found.iter().map(|(_, c)| c.clone()).collect(),
            allow_software,
        );
        if order.is_empty() {
            return Err(Error::Unavailable {
                backend: BACKEND,
                reason: format!(
                    "no {}H.264 encoder MFT ({} found)",
                    if allow_software { "" } else { "hardware " },
                    found.len()
                ),
            });
        }
        let mut reasons = Vec::new();
        for c in order {
            let Some(pos) = found.iter().position(|(_, f)| f.index == c.index) else {
                continue;
            };
            let (activate, _) = found.swap_remove(pos);
            match Self::configure(activate.clone(), &c, config) {
                Ok(parts) => {
                    tracing::info!(mft = %c.name, hardware = c.hardware, "Media Foundation encoder");
                    return Ok(parts.finish(runtime));
                }
                Err(e) => {
                    // SAFETY: the activation object's MFT is not used any more.
                    let _ = unsafe { activate.ShutdownObject() };
                    reasons.push(format!("{}: {e}", c.name));
                }
            }
        }
        Err(Error::Unavailable {
            backend: BACKEND,
            reason: reasons.join("; "),
        })
    }

    /// Activates and configures one MFT (Media Foundation started by the caller).
    fn configure(activate: IMFActivate, c: &Candidate, config: &EncoderConfig) -> Result<Parts> {
        // SAFETY: activating the MFT the activation object describes; owned by the pointer.
        let transform: IMFTransform =
            unsafe { activate.ActivateObject() }.map_err(|e| hr("ActivateObject", e))?;
        // SAFETY: a query of the live MFT.
        let attributes = unsafe { transform.GetAttributes() }.ok();
        let is_async = attributes
            .as_ref()
            // SAFETY: attribute read on the MFT's live attribute store.
            .and_then(|a| unsafe { a.GetUINT32(&MF_TRANSFORM_ASYNC) }.ok())
            .is_some_and(|v| v != 0);
        if let Some(a) = &attributes {
            if is_async {
                // SAFETY: attribute write on the MFT's live attribute store.
                unsafe { a.SetUINT32(&MF_TRANSFORM_ASYNC_UNLOCK, 1) }
                    .map_err(|e| hr("MF_TRANSFORM_ASYNC_UNLOCK", e))?;
            }
            // SAFETY: as above.
            let _ = unsafe { a.SetUINT32(&MF_LOW_LATENCY, 1) };
        }
        let events = if is_async {
            Some(
                transform
                    .cast::<IMFMediaEventGenerator>()
                    .map_err(|e| hr("IMFMediaEventGenerator", e))?,
            )
        } else {
            None
        };
        let codec_api = transform.cast::<ICodecAPI>().ok();
        if let Some(api) = &codec_api {
            // Each is a request: an MFT that does not take one still encodes.
            let gop = gop_size(config.keyframe_interval, config.max_fps);
            let settings: [(&GUID, VARIANT); 5] = [
                (&CODECAPI_AVLowLatencyMode, VARIANT::from(true)),
                (
                    &CODECAPI_AVEncCommonRateControlMode,
                    VARIANT::from(eAVEncCommonRateControlMode_CBR.0 as u32),
                ),
                (
                    &CODECAPI_AVEncCommonMeanBitRate,
                    VARIANT::from(config.bitrate_bps),
                ),
                (&CODECAPI_AVEncMPVDefaultBPictureCount, VARIANT::from(0u32)),
                (&CODECAPI_AVEncMPVGOPSize, VARIANT::from(gop)),
            ];
            for (key, value) in &settings {
                // SAFETY: a live ICodecAPI; the key and the VARIANT outlive the call.
                if let Err(e) = unsafe { api.SetValue(*key, value) } {
                    tracing::debug!(mft = %c.name, error = %e, "ICodecAPI setting refused");
                }
            }
        }
        let level = level_for(config.width, config.height, config.max_fps);
        let (num, den) = frame_rate_ratio(config.max_fps);
        let size = pack_u32_pair(config.width, config.height);
        let video_type = |subtype: &GUID| -> Result<IMFMediaType> {
            // SAFETY: plain constructor; the media type is owned by the smart pointer.
            let t = unsafe { MFCreateMediaType() }.map_err(|e| hr("MFCreateMediaType", e))?;
            let set = |r: windows::core::Result<()>| r.map_err(|e| hr("media type", e));
            // SAFETY: attribute writes on the media type created above; the GUIDs outlive the calls.
            unsafe {
                set(t.SetGUID(&MF_MT_MAJOR_TYPE, &MFMediaType_Video))?;
                set(t.SetGUID(&MF_MT_SUBTYPE, subtype))?;
                set(t.SetUINT64(&MF_MT_FRAME_SIZE, size))?;
                set(t.SetUINT64(&MF_MT_FRAME_RATE, pack_u32_pair(num, den)))?;
                set(t.SetUINT64(&MF_MT_PIXEL_ASPECT_RATIO, pack_u32_pair(1, 1)))?;
                set(t.SetUINT32(&MF_MT_INTERLACE_MODE, MFVideoInterlace_Progressive.0 as u32))?;
            }
            Ok(t)
        };
        // The output type first: Microsoft's encoder refuses an input type before it.
        let output = video_type(&MFVideoFormat_H264)?;
        // SAFETY: attribute writes on a live media type, then a live MFT taking it for stream 0.
        unsafe {
            output
                .SetUINT32(&MF_MT_AVG_BITRATE, config.bitrate_bps)
                .map_err(|e| hr("media type", e))?;
            output
                .SetUINT32(&MF_MT_MPEG2_PROFILE, eAVEncH264VProfile_Base.0 as u32)
                .map_err(|e| hr("media type", e))?;
            output
                .SetUINT32(&MF_MT_MPEG2_LEVEL, u32::from(level))
                .map_err(|e| hr("media type", e))?;
            if let Err(e) = transform.SetOutputType(0, &output, 0) {
                // Some MFTs take only the levels they list: let this one pick.
                tracing::debug!(mft = %c.name, level, error = %e, "output type refused; without a level");
                output
                    .DeleteItem(&MF_MT_MPEG2_LEVEL)
                    .map_err(|e| hr("media type", e))?;
                transform
                    .SetOutputType(0, &output, 0)
                    .map_err(|e| hr("SetOutputType (H.264 Baseline)", e))?;
            }
        }
        let input = video_type(&MFVideoFormat_NV12)?;
        // SAFETY: as above.
        unsafe {
            input
                .SetUINT32(&MF_MT_DEFAULT_STRIDE, config.width)
                .map_err(|e| hr("media type", e))?;
            transform
                .SetInputType(0, &input, 0)
                .map_err(|e| hr("SetInputType (NV12)", e))?;
        }
        // SAFETY: a query of the live MFT's stream 0.
        let out_info = unsafe { transform.GetOutputStreamInfo(0) }
            .map_err(|e| hr("GetOutputStreamInfo", e))?;
        let mut param_sets = ParameterSets::default();
        // SAFETY: queries of the live MFT and its current type.
        if let Ok(current) = unsafe { transform.GetOutputCurrentType(0) }
            // SAFETY: as above.
            && let Ok(n) = unsafe { current.GetBlobSize(&MF_MT_MPEG_SEQUENCE_HEADER) }
        {
            let mut header = vec![0u8; n as usize];
            // SAFETY: `header` is as large as the blob size just read.
            if unsafe { current.GetBlob(&MF_MT_MPEG_SEQUENCE_HEADER, &mut header, None) }.is_ok() {
                param_sets.handle_header(&header);
            }
        }
        let layout = Nv12Layout::new(config.width, config.height);
        let mut inputs = Vec::with_capacity(INPUT_RING);
        for _ in 0..INPUT_RING {
            // SAFETY: plain constructors; each object is owned by its smart pointer.
            let sample = unsafe { MFCreateSample() }.map_err(|e| hr("MFCreateSample", e))?;
            // SAFETY: as above.
            let buffer = unsafe { MFCreateMemoryBuffer(layout.len as u32) }
                .map_err(|e| hr("MFCreateMemoryBuffer", e))?;
            // SAFETY: both are live; the sample takes its own reference to the buffer.
            unsafe { sample.AddBuffer(&buffer) }.map_err(|e| hr("AddBuffer", e))?;
            inputs.push(sample);
        }
        // SAFETY: messages to the live, configured MFT.
        unsafe {
            transform
                .ProcessMessage(MFT_MESSAGE_NOTIFY_BEGIN_STREAMING, 0)
                .map_err(|e| hr("MFT_MESSAGE_NOTIFY_BEGIN_STREAMING", e))?;
            transform
                .ProcessMessage(MFT_MESSAGE_NOTIFY_START_OF_STREAM, 0)
                .map_err(|e| hr("MFT_MESSAGE_NOTIFY_START_OF_STREAM", e))?;
        }
        Ok(Parts {
            transform,
            activate,
            events,
            codec_api,
            config: config.clone(),
            name: c.name.clone(),
            hardware: c.hardware,
            level,
            layout,
            inputs,
            out_info,
            param_sets,
        })
    }

    /// Handles one failure: drop the frame and retry, or give up.
    fn fail(&mut self, e: Error) -> Result<()> {
        let lost = device_lost(&e);
        match self.policy.handle_error(lost) {
            Recovery::Retry => {
                tracing::debug!(mft = %self.name, error = %e, "frame dropped");
                self.dropped += 1;
                self.force_keyframe = true;
                Ok(())
            }
            Recovery::FallBack => Err(Error::Unavailable {
                backend: BACKEND,
                reason: format!("{} keeps failing: {e}", self.name),
            }),
            Recovery::Fatal => Err(e),
        }
    }

    fn request_idr(&self) {
        if let Some(api) = &self.codec_api {
            // SAFETY: a live ICodecAPI and a VARIANT that outlives the call.
            if let Err(e) =
                unsafe { api.SetValue(&CODECAPI_AVEncVideoForceKeyFrame, &VARIANT::from(1u32)) }
            {
                tracing::debug!(mft = %self.name, error = %e, "keyframe request refused");
            }
        }
    }

    /// Writes `frame` as NV12 into the next input sample.
    fn fill_input(&mut self, frame: &VideoFrame, params: &FrameParams) -> Result<IMFSample> {
        let sample = self.inputs[self.next_input % INPUT_RING].clone();
        self.next_input = self.next_input.wrapping_add(1);
        let plane = |i: usize| SrcPlane {
            data: frame.plane(i),
            stride: frame.planes[i].stride,
        };
        let (y, u, v) = (plane(0), plane(1), plane(2));
        // SAFETY (this block): the buffer was created with `layout.len` bytes; it is locked
        // for the slice's lifetime and unlocked before anything else uses it.
        unsafe {
            let buffer = sample
                .GetBufferByIndex(0)
                .map_err(|e| hr("GetBufferByIndex", e))?;
            let mut data: *mut u8 = std::ptr::null_mut();
            let mut max = 0u32;
            buffer
                .Lock(&mut data, Some(&mut max), None)
                .map_err(|e| hr("IMFMediaBuffer::Lock", e))?;
            let converted = if data.is_null() || (max as usize) < self.layout.len {
                Err(Error::Backend {
                    backend: BACKEND,
                    message: format!("input buffer of {max} bytes for {}", self.layout.len),
                })
            } else {
                let dst = std::slice::from_raw_parts_mut(data, self.layout.len);
                i420_to_nv12(y, u, v, frame.width, frame.height, self.layout, dst)
            };
            let _ = buffer.Unlock();
            converted?;
            buffer
                .SetCurrentLength(self.layout.len as u32)
                .map_err(|e| hr("SetCurrentLength", e))?;
            sample
                .SetSampleTime(hns(params.pts))
                .map_err(|e| hr("SetSampleTime", e))?;
            let duration = Duration::from_secs_f64(1.0 / f64::from(self.config.max_fps.max(1.0)));
            sample
                .SetSampleDuration(hns(duration))
                .map_err(|e| hr("SetSampleDuration", e))?;
        }
        Ok(sample)
    }

    /// One `ProcessOutput`.
    fn process_output(&mut self) -> Result<Output> {
        let provides = self.out_info.dwFlags & MFT_OUTPUT_STREAM_PROVIDES_SAMPLES.0 as u32 != 0;
        let given = if provides {
            None
        } else {
            if self.out_sample.is_none() {
                let size = (self.out_info.cbSize as usize)
                    .max(self.layout.len)
                    .max(64 * 1024);
                // SAFETY: plain constructors; the buffer is owned by the sample.
                let sample = unsafe {
                    let s = MFCreateSample().map_err(|e| hr("MFCreateSample", e))?;
                    let b = MFCreateMemoryBuffer(size as u32)
                        .map_err(|e| hr("MFCreateMemoryBuffer", e))?;
                    s.AddBuffer(&b).map_err(|e| hr("AddBuffer", e))?;
                    s
                };
                self.out_sample = Some(sample);
            }
            if let Some(s) = &self.out_sample {
                // SAFETY: a live sample with one buffer; an empty buffer for the MFT to fill.
                unsafe {
                    s.GetBufferByIndex(0)
                        .and_then(|b| b.SetCurrentLength(0))
                        .map_err(|e| hr("output buffer", e))?;
                }
            }
            self.out_sample.clone()
        };
        let mut buffers = [MFT_OUTPUT_DATA_BUFFER {
            dwStreamID: 0,
            pSample: ManuallyDrop::new(given),
            dwStatus: 0,
            pEvents: ManuallyDrop::new(None),
        }];
        let mut status = 0u32;
        // SAFETY: one output buffer description for stream 0, valid for the call.
        let result = unsafe { self.transform.ProcessOutput(0, &mut buffers, &mut status) };
        // SAFETY: each field is taken exactly once; the references they hold (ours, or the
        // MFT's for a sample or event collection it provided) are released when these drop.
        let (sample, _events) = unsafe {
            (
                ManuallyDrop::take(&mut buffers[0].pSample),
                ManuallyDrop::take(&mut buffers[0].pEvents),
            )
        };
        match result {
            Ok(()) => {}
            Err(e) if e.code() == MF_E_TRANSFORM_NEED_MORE_INPUT => return Ok(Output::NeedInput),
            Err(e) if e.code() == MF_E_TRANSFORM_STREAM_CHANGE => {
                self.renegotiate()?;
                return Ok(Output::StreamChanged);
            }
            Err(e) => return Err(hr("ProcessOutput", e)),
        }
        let Some(sample) = sample else {
            return Ok(Output::Nothing);
        };
        // SAFETY (this block): the contiguous buffer is locked for the slice's lifetime and
        // unlocked right after it is copied.
        let keyframe = unsafe {
            let buffer = sample
                .ConvertToContiguousBuffer()
                .map_err(|e| hr("ConvertToContiguousBuffer", e))?;
            let mut data: *mut u8 = std::ptr::null_mut();
            let mut len = 0u32;
            buffer
                .Lock(&mut data, None, Some(&mut len))
                .map_err(|e| hr("IMFMediaBuffer::Lock", e))?;
            let bytes: &[u8] = if data.is_null() {
                &[]
            } else {
                std::slice::from_raw_parts(data, len as usize)
            };
            let r = self.param_sets.access_unit(bytes, &mut self.out);
            let _ = buffer.Unlock();
            r?
        };
        let params = self.params.pop_front().ok_or_else(|| Error::Backend {
            backend: BACKEND,
            message: "more output than input".into(),
        })?;
        if self.out.is_empty() {
            return Ok(Output::Nothing);
        }
        self.ready.push_back(Packet {
            data: self.out.split().freeze(),
            keyframe,
            codec: Codec::H264,
            params,
            encoded_at: Instant::now(),
        });
        self.policy.handle_packet();
        if self.params.is_empty() {
            self.wait.handle_caught_up();
        }
        Ok(Output::Packet)
    }

    /// The MFT changed its output type (`MF_E_TRANSFORM_STREAM_CHANGE`): take the first one
    /// it offers and re-read the stream's buffer needs.
    fn renegotiate(&mut self) -> Result<()> {
        // SAFETY: COM calls on the live MFT.
        unsafe {
            let t = self
                .transform
                .GetOutputAvailableType(0, 0)
                .map_err(|e| hr("GetOutputAvailableType", e))?;
            self.transform
                .SetOutputType(0, &t, 0)
                .map_err(|e| hr("SetOutputType", e))?;
            self.out_info = self
                .transform
                .GetOutputStreamInfo(0)
                .map_err(|e| hr("GetOutputStreamInfo", e))?;
        }
        self.out_sample = None;
        Ok(())
    }

    /// Synchronous MFTs: every output ready now.
    fn drain_sync(&mut self) -> Result<()> {
        // Bounded so that a broken MFT cannot loop: a frame's packet and a stream change or
        // two.
        for _ in 0..16 {
            match self.process_output()? {
                Output::Packet | Output::StreamChanged => {}
                Output::NeedInput | Output::Nothing => break,
            }
        }
        Ok(())
    }

    /// Asynchronous MFTs: handles events until `done` or `until`; returns whether `done`.
    fn pump(&mut self, until: Instant, done: impl Fn(&Self) -> bool) -> Result<bool> {
        let Some(events) = self.events.clone() else {
            return Ok(done(self));
        };
        loop {
            if done(self) {
                return Ok(true);
            }
            // SAFETY: a live event generator; NO_WAIT returns at once.
            match unsafe { events.GetEvent(MF_EVENT_FLAG_NO_WAIT) } {
                Ok(event) => {
                    // SAFETY: reads of a live event.
                    let (kind, status) = unsafe {
                        (
                            event.GetType().map_err(|e| hr("event type", e))?,
                            event.GetStatus().map_err(|e| hr("event status", e))?,
                        )
                    };
                    status.ok().map_err(|e| hr("MFT event", e))?;
                    if kind == METransformNeedInput.0 as u32 {
                        self.need_input += 1;
                    } else if kind == METransformHaveOutput.0 as u32 {
                        self.process_output()?;
                    }
                }
                Err(e) if e.code() == MF_E_NO_EVENTS_AVAILABLE => {
                    let now = Instant::now();
                    if now >= until {
                        return Ok(false);
                    }
                    std::thread::sleep(EVENT_POLL.min(until - now));
                }
                Err(e) => return Err(hr("GetEvent", e)),
            }
        }
    }

    fn send(&mut self, frame: &VideoFrame, params: FrameParams) -> Result<()> {
        if self.params.len() >= INPUT_RING {
            // The MFT still holds every input buffer: give it a moment, else drop the frame.
            let until = Instant::now() + self.wait.budget();
            if !self.pump(until, |s| s.params.len() < INPUT_RING)? {
                self.wait.handle_timeout();
                self.dropped += 1;
                self.force_keyframe = true;
                return Ok(());
            }
        }
        if self.events.is_some() {
            let until = Instant::now() + self.wait.budget();
            if !self.pump(until, |s| s.need_input > 0)? {
                self.wait.handle_timeout();
                return Err(Error::Backend {
                    backend: BACKEND,
                    message: "the MFT asked for no input".into(),
                });
            }
        }
        if params.force_keyframe || self.force_keyframe {
            self.force_keyframe = false;
            self.request_idr();
        }
        let sample = self.fill_input(frame, &params)?;
        // SAFETY: a live sample for input stream 0.
        let mut r = unsafe { self.transform.ProcessInput(0, &sample, 0) };
        if self.events.is_none() && matches!(&r, Err(e) if e.code() == MF_E_NOTACCEPTING) {
            // A synchronous MFT with output pending: take it, then try again.
            self.drain_sync()?;
            // SAFETY: as above.
            r = unsafe { self.transform.ProcessInput(0, &sample, 0) };
        }
        r.map_err(|e| hr("ProcessInput", e))?;
        self.params.push_back(params);
        if self.events.is_some() {
            self.need_input -= 1;
        } else {
            self.drain_sync()?;
        }
        Ok(())
    }
}

/// What one `ProcessOutput` gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    /// A packet, queued.
    Packet,
    /// `MF_E_TRANSFORM_NEED_MORE_INPUT`.
    NeedInput,
    /// `MF_E_TRANSFORM_STREAM_CHANGE`, handled: ask again.
    StreamChanged,
    /// A sample without data.
    Nothing,
}

/// A configured MFT, before it owns the runtime.
struct Parts {
    transform: IMFTransform,
    activate: IMFActivate,
    events: Option<IMFMediaEventGenerator>,
    codec_api: Option<ICodecAPI>,
    config: EncoderConfig,
    name: String,
    hardware: bool,
    level: u8,
    layout: Nv12Layout,
    inputs: Vec<IMFSample>,
    out_info: MFT_OUTPUT_STREAM_INFO,
    param_sets: ParameterSets,
}

impl Parts {
    fn finish(self, runtime: Runtime) -> MfEncoder {
        let allow_fallback = self.config.preference != EncoderPreference::Hardware;
        MfEncoder {
            transform: self.transform,
            activate: self.activate,
            events: self.events,
            codec_api: self.codec_api,
            config: self.config,
            name: self.name,
            hardware: self.hardware,
            level: self.level,
            layout: self.layout,
            inputs: self.inputs,
            next_input: 0,
            out_info: self.out_info,
            out_sample: None,
            params: VecDeque::with_capacity(INPUT_RING),
            ready: VecDeque::with_capacity(INPUT_RING),
            need_input: 0,
            param_sets: self.param_sets,
            out: BytesMut::with_capacity(256 * 1024),
            policy: ErrorPolicy::new(allow_fallback),
            wait: OutputWait::new(OUTPUT_WAIT),
            force_keyframe: true,
            bitrate_warned: false,
            dropped: 0,
            _runtime: runtime,
        }
    }
}

impl Encoder for MfEncoder {
    fn caps(&self) -> EncoderCaps {
        EncoderCaps {
            backend: BACKEND,
            hardware: self.hardware,
            codec: Codec::H264,
            // Baseline marked Constrained Baseline (mark_constrained_baseline).
            profile_level_id: [0x42, 0xc0, self.level],
            zero_copy_input: false,
        }
    }

    fn send_frame(&mut self, frame: &VideoFrame, params: FrameParams) -> Result<()> {
        ensure_com();
        crate::encoder::check_i420_input(BACKEND, frame, &self.config, false)?;
        match self.send(frame, params) {
            Ok(()) => Ok(()),
            Err(e @ Error::InvalidInput(_)) => Err(e),
            Err(e) => self.fail(e),
        }
    }

    fn receive_packet(&mut self) -> Result<Option<Packet>> {
        if self.ready.is_empty() && self.events.is_some() && !self.params.is_empty() {
            let until = Instant::now() + self.wait.budget();
            match self.pump(until, |s| !s.ready.is_empty() || s.params.is_empty()) {
                Ok(true) => {}
                Ok(false) => {
                    if !self.wait.is_late() {
                        tracing::warn!(
                            "the Media Foundation encoder held a frame over {OUTPUT_WAIT:?}; waiting briefly until it catches up"
                        );
                    }
                    self.wait.handle_timeout();
                }
                Err(e) => self.fail(e)?,
            }
        }
        Ok(self.ready.pop_front())
    }

    fn request_keyframe(&mut self) {
        self.force_keyframe = true;
    }

    fn set_bitrate(&mut self, bps: u32) -> Result<()> {
        self.config.check_bitrate(bps)?;
        let set = match &self.codec_api {
            // SAFETY: a live ICodecAPI and a VARIANT that outlives the call.
            Some(api) => {
                unsafe { api.SetValue(&CODECAPI_AVEncCommonMeanBitRate, &VARIANT::from(bps)) }
                    .map_err(|e| e.to_string())
            }
            None => Err("no ICodecAPI".into()),
        };
        if let Err(e) = set
            && !self.bitrate_warned
        {
            self.bitrate_warned = true;
            tracing::warn!(mft = %self.name, error = %e, "the MFT keeps its first bitrate");
        }
        self.config.bitrate_bps = bps;
        Ok(())
    }

    fn set_frame_rate(&mut self, fps: f32) -> Result<()> {
        self.config.check_max_fps(fps)?;
        // Used for sample durations; the rate control keeps the media type's rate.
        self.config.max_fps = fps;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.events.is_some() {
            let until = Instant::now() + self.wait.budget();
            self.pump(until, |s| s.params.is_empty())?;
        } else {
            self.drain_sync()?;
        }
        Ok(())
    }

    fn dropped_frames(&self) -> u64 {
        self.dropped
    }
}

impl Drop for MfEncoder {
    fn drop(&mut self) {
        // SAFETY: COM calls on the live MFT, which is not used after this.
        unsafe {
            let _ = self
                .transform
                .ProcessMessage(MFT_MESSAGE_NOTIFY_END_OF_STREAM, 0);
            let _ = self
                .transform
                .ProcessMessage(MFT_MESSAGE_NOTIFY_END_STREAMING, 0);
            let _ = self.activate.ShutdownObject();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decoder::open_decoder;
    use crate::frame::{FramePool, PixelFormat};
    use crate::h264::{annexb_nals, nal_type, nal_unit_type};

    /// A round trip through whatever encoder MFT the machine has (Microsoft's software one on
    /// a GPU-less CI runner), decoded by openh264. Skipped where Media Foundation has no H.264
    /// encoder at all (Windows N editions without the Media Feature Pack).
    #[test]
    fn encodes_frames_openh264_decodes() {
        let config = EncoderConfig::low_latency(320, 240);
        let mut enc = match MfEncoder::open(&config, true) {
            Ok(e) => e,
            Err(Error::Unavailable { reason, .. }) => {
                eprintln!("no H.264 encoder MFT, skipped: {reason}");
                return;
            }
            Err(e) => panic!("{e}"),
        };
        assert_eq!(enc.caps().profile_level_id[..2], [0x42, 0xc0]);
        let pool = FramePool::new(PixelFormat::I420, 320, 240, 2);
        let start = Instant::now();
        let mut packets = Vec::new();
        for i in 0..10u64 {
            let (frame, ()) = pool.get_with(i, start, |p, _| {
                let luma = p.planes[0];
                p.bytes.fill(128);
                // A bar that moves, so P frames carry something.
                for y in 0..240 {
                    let row = luma.offset + y * luma.stride;
                    let x = (i as usize * 16) % 304;
                    p.bytes[row + x..row + x + 16].fill(235);
                }
            });
            let mut params = FrameParams::new(i, start, Duration::from_millis(i * 33));
            params.force_keyframe = i == 0;
            enc.send_frame(&frame, params).unwrap();
            while let Some(p) = enc.receive_packet().unwrap() {
                packets.push(p);
            }
        }
        enc.flush().unwrap();
        while let Some(p) = enc.receive_packet().unwrap() {
            packets.push(p);
        }
        assert!(
            packets.len() >= 8,
            "{} packets for 10 frames",
            packets.len()
        );
        let first = &packets[0];
        assert!(first.keyframe);
        let types: Vec<u8> = annexb_nals(&first.data)
            .map(|n| nal_unit_type(n).unwrap())
            .collect();
        assert!(types.contains(&nal_type::SPS) && types.contains(&nal_type::PPS));
        let ids: Vec<u64> = packets.iter().map(|p| p.params.frame_id).collect();
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "frame order kept: {ids:?}"
        );
        let mut dec = open_decoder().unwrap();
        let mut decoded = 0;
        for p in &packets {
            if let Some(f) = dec.decode(&p.data).unwrap() {
                assert_eq!((f.width, f.height), (320, 240));
                decoded += 1;
            }
        }
        assert!(decoded >= 8, "{decoded} frames decoded");
    }
}
