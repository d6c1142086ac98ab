//! Software H.264 through Cisco's openh264 (built from source with its x86 assembly when
//! `nasm` is on PATH at build time).
//!
//! The encoder talks to `openh264-sys2` directly rather than through the `openh264` crate's
//! `Encoder`: that wrapper fixes the slice mode to one slice (openh264 only runs threads across
//! slices) and cannot change bitrate or frame rate at run time, both of which Glass needs.
//! The decoder uses the safe crate as it is.

use std::os::raw::{c_int, c_void};
use std::ptr::null_mut;
use std::time::Instant;

use bytes::BytesMut;
use openh264_sys2 as sys;
use openh264_sys2::API as _;

use crate::encoder::{Complexity, ContentHint, Encoder, EncoderCaps, EncoderConfig};
use crate::error::{Error, Result};
use crate::frame::{FramePool, PixelFormat, VideoFrame};
use crate::h264::{self, nal_type};
use crate::packet::{Codec, FrameParams, Packet};

const BACKEND: &str = "openh264";

fn backend_err(what: &str, code: c_int) -> Error {
    Error::Backend {
        backend: BACKEND,
        message: format!("{what} returned {code}"),
    }
}

/// H.264 level_idc for a frame size and rate (ITU-T H.264 Table A-1: max macroblocks per
/// frame and per second), so the SPS promises what a decoder must cope with.
pub fn level_for(width: u32, height: u32, fps: f32) -> u8 {
    let mbs = width.div_ceil(16) as u64 * height.div_ceil(16) as u64;
    let rate = (mbs as f64 * fps.max(1.0) as f64).ceil() as u64;
    const LEVELS: [(u8, u64, u64); 11] = [
        (30, 1620, 40_500),
        (31, 3600, 108_000),
        (32, 5120, 216_000),
        (40, 8192, 245_760),
        (41, 8192, 245_760),
        (42, 8704, 522_240),
        (50, 22_080, 589_824),
        (51, 36_864, 983_040),
        (52, 36_864, 2_073_600),
        (60, 139_264, 4_177_920),
        (61, 139_264, 8_355_840),
    ];
    LEVELS
        .iter()
        .find(|(_, f, r)| mbs <= *f && rate <= *r)
        .map_or(62, |l| l.0)
}

/// openh264 encoder tuned for real-time screen content.
pub struct OpenH264Encoder {
    api: sys::source::APILoader,
    enc: *mut sys::ISVCEncoder,
    config: EncoderConfig,
    bs: Box<sys::SFrameBSInfo>,
    out: BytesMut,
    ready: Option<Packet>,
    force_keyframe: bool,
    level: u8,
    skipped: u64,
}

// SAFETY: the encoder handle is owned exclusively by this value and openh264 encoders have no
// thread affinity; `&mut self` serialises every call.
unsafe impl Send for OpenH264Encoder {}

impl OpenH264Encoder {
    /// Opens an encoder for `config` (validated by the caller or here).
    pub fn new(config: &EncoderConfig) -> Result<Self> {
        config.validate()?;
        if config.codec != Codec::H264 {
            return Err(Error::InvalidConfig {
                field: "codec",
                value: config.codec.to_string(),
                allowed: "H.264 for the openh264 backend",
            });
        }
        if config.width.max(config.height) > 3840 || config.width.min(config.height) > 2160 {
            return Err(Error::InvalidConfig {
                field: "width/height",
                value: format!("{}x{}", config.width, config.height),
                allowed: "openh264 encodes up to 3840x2160",
            });
        }
        let api = sys::source::APILoader;
        let mut enc: *mut sys::ISVCEncoder = null_mut();
        // SAFETY: FFI constructor writing the new encoder's handle to a valid out-pointer.
        let rc = unsafe { api.WelsCreateSVCEncoder(&mut enc) };
        if rc != 0 || enc.is_null() {
            return Err(backend_err("WelsCreateSVCEncoder", rc));
        }
        let level = level_for(config.width, config.height, config.max_fps);
        let mut this = Self {
            api,
            enc,
            config: config.clone(),
            bs: Box::default(),
            out: BytesMut::with_capacity(256 * 1024),
            ready: None,
            force_keyframe: false,
            level,
            skipped: 0,
        };
        this.initialize()?;
        Ok(this)
    }

    fn vtbl(&self) -> &sys::ISVCEncoderVtbl {
        // SAFETY: `enc` is a valid encoder created in `new` and destroyed only in `drop`; an
        // ISVCEncoder is a pointer to its vtable.
        unsafe { &**self.enc }
    }

    fn initialize(&mut self) -> Result<()> {
        let c = &self.config;
        let mut p = sys::SEncParamExt::default();
        let get_default = self
            .vtbl()
            .GetDefaultParams
            .ok_or_else(|| backend_err("vtable", -1))?;
        // SAFETY: valid encoder and a valid, writable parameter struct.
        let rc = unsafe { get_default(self.enc, &mut p) };
        if rc != 0 {
            return Err(backend_err("GetDefaultParams", rc));
        }
        let threads = if c.threads == 0 {
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(4) as u32
        } else {
            c.threads
        };
        let slices = if c.slices == 0 { threads } else { c.slices };
        p.iUsageType = match c.content {
            ContentHint::Screen => sys::SCREEN_CONTENT_REAL_TIME,
            ContentHint::Motion => sys::CAMERA_VIDEO_REAL_TIME,
        };
        p.iPicWidth = c.width as c_int;
        p.iPicHeight = c.height as c_int;
        p.iTargetBitrate = c.bitrate_bps as c_int;
        p.iMaxBitrate = c.bitrate_bps.saturating_mul(2).min(i32::MAX as u32) as c_int;
        p.iRCMode = sys::RC_BITRATE_MODE;
        p.fMaxFrameRate = c.max_fps;
        // A frame Glass hands over was changed on screen: never drop it silently.
        p.bEnableFrameSkip = false;
        p.iTemporalLayerNum = 1;
        p.iSpatialLayerNum = 1;
        p.uiIntraPeriod = 0;
        p.eSpsPpsIdStrategy = sys::CONSTANT_ID;
        p.iEntropyCodingModeFlag = 0;
        p.iMultipleThreadIdc = threads as u16;
        p.bEnableDenoise = false;
        p.bEnableLongTermReference = false;
        p.iComplexityMode = match c.complexity {
            Complexity::Low => sys::LOW_COMPLEXITY,
            Complexity::Medium => sys::MEDIUM_COMPLEXITY,
        };
        let l = &mut p.sSpatialLayers[0];
        l.iVideoWidth = c.width as c_int;
        l.iVideoHeight = c.height as c_int;
        l.fFrameRate = c.max_fps;
        l.iSpatialBitrate = p.iTargetBitrate;
        l.iMaxSpatialBitrate = p.iMaxBitrate;
        l.uiProfileIdc = sys::PRO_BASELINE;
        l.uiLevelIdc = self.level as sys::ELevelIdc;
        if slices > 1 {
            l.sSliceArgument.uiSliceMode = sys::SM_FIXEDSLCNUM_SLICE;
            l.sSliceArgument.uiSliceNum = slices;
        } else {
            l.sSliceArgument.uiSliceMode = sys::SM_SINGLE_SLICE;
            l.sSliceArgument.uiSliceNum = 1;
        }
        // BT.709 limited range, as glass-engine converts (see docs/colour.md).
        l.bVideoSignalTypePresent = true;
        l.uiVideoFormat = sys::VF_UNDEF as u8;
        l.bFullRange = false;
        l.bColorDescriptionPresent = true;
        l.uiColorPrimaries = sys::CP_BT709 as u8;
        l.uiTransferCharacteristics = sys::TRC_BT709 as u8;
        l.uiColorMatrix = sys::CM_BT709 as u8;
        // openh264 prints parameter notes to stdout; Glass reports through its own logs. Set
        // before InitializeExt, which is where it prints them (a refusal is harmless).
        let mut quiet: c_int = sys::WELS_LOG_QUIET as c_int;
        let _ = self.set_option(
            sys::ENCODER_OPTION_TRACE_LEVEL,
            (&mut quiet as *mut c_int).cast(),
        );
        let init = self
            .vtbl()
            .InitializeExt
            .ok_or_else(|| backend_err("vtable", -1))?;
        // SAFETY: valid encoder, fully initialised parameters that outlive the call.
        let rc = unsafe { init(self.enc, &p) };
        if rc != 0 {
            return Err(backend_err("InitializeExt", rc));
        }
        let mut fmt: c_int = sys::videoFormatI420;
        self.set_option(
            sys::ENCODER_OPTION_DATAFORMAT,
            (&mut fmt as *mut c_int).cast(),
        )?;
        Ok(())
    }

    fn set_option(&mut self, opt: sys::ENCODER_OPTION, value: *mut c_void) -> Result<()> {
        let set = self
            .vtbl()
            .SetOption
            .ok_or_else(|| backend_err("vtable", -1))?;
        // SAFETY: valid encoder; callers pass a pointer to the type openh264 documents for `opt`.
        let rc = unsafe { set(self.enc, opt, value) };
        if rc != 0 {
            return Err(backend_err("SetOption", rc));
        }
        Ok(())
    }
}

impl Encoder for OpenH264Encoder {
    fn caps(&self) -> EncoderCaps {
        EncoderCaps {
            backend: BACKEND,
            hardware: false,
            codec: Codec::H264,
            // Constrained baseline (constraint_set0 and set1), what every WebRTC browser decodes.
            profile_level_id: [0x42, 0xc0, self.level],
            zero_copy_input: false,
        }
    }

    fn send_frame(&mut self, frame: &VideoFrame, params: FrameParams) -> Result<()> {
        crate::encoder::check_i420_input("openh264", frame, &self.config, self.ready.is_some())?;
        if params.force_keyframe || self.force_keyframe {
            self.force_keyframe = false;
            let force = self
                .vtbl()
                .ForceIntraFrame
                .ok_or_else(|| backend_err("vtable", -1))?;
            // SAFETY: valid encoder.
            unsafe { force(self.enc, true) };
        }
        let (y, u, v) = (frame.plane(0), frame.plane(1), frame.plane(2));
        let pic = sys::SSourcePicture {
            iColorFormat: sys::videoFormatI420,
            iStride: [
                frame.planes[0].stride as c_int,
                frame.planes[1].stride as c_int,
                frame.planes[2].stride as c_int,
                0,
            ],
            // openh264 only reads the source planes; the API is not const-correct.
            pData: [
                y.as_ptr().cast_mut(),
                u.as_ptr().cast_mut(),
                v.as_ptr().cast_mut(),
                null_mut(),
            ],
            iPicWidth: frame.width as c_int,
            iPicHeight: frame.height as c_int,
            uiTimeStamp: params.pts.as_millis() as i64,
            bPsnrY: false,
            bPsnrU: false,
            bPsnrV: false,
        };
        let encode = self
            .vtbl()
            .EncodeFrame
            .ok_or_else(|| backend_err("vtable", -1))?;
        // SAFETY: valid encoder; the planes were checked to lie within the frame's storage,
        // which outlives the call; `bs` is a valid output struct owned by us.
        let rc = unsafe { encode(self.enc, &pic, &mut *self.bs) };
        if rc != 0 {
            return Err(backend_err("EncodeFrame", rc));
        }
        if self.bs.eFrameType == sys::videoFrameTypeSkip
            || self.bs.eFrameType == sys::videoFrameTypeInvalid
        {
            self.skipped += 1;
            return Ok(());
        }
        // Reclaims the whole buffer when the consumer has dropped the previous packet (the
        // usual case): no allocation per frame.
        self.out.clear();
        self.out.reserve(self.bs.iFrameSizeInBytes.max(0) as usize);
        let layers = self
            .bs
            .iLayerNum
            .clamp(0, self.bs.sLayerInfo.len() as c_int) as usize;
        for layer in &self.bs.sLayerInfo[..layers] {
            let nals = layer.iNalCount.max(0) as usize;
            if nals == 0 || layer.pNalLengthInByte.is_null() || layer.pBsBuf.is_null() {
                continue;
            }
            // SAFETY: openh264 guarantees `pNalLengthInByte` has `iNalCount` entries and
            // `pBsBuf` holds their sum in bytes, valid until the next EncodeFrame.
            let lens = unsafe { std::slice::from_raw_parts(layer.pNalLengthInByte, nals) };
            let total: usize = lens.iter().map(|&l| l.max(0) as usize).sum();
            // SAFETY: see above.
            let bytes = unsafe { std::slice::from_raw_parts(layer.pBsBuf, total) };
            self.out.extend_from_slice(bytes);
        }
        let data = self.out.split().freeze();
        let keyframe = self.bs.eFrameType == sys::videoFrameTypeIDR;
        if keyframe {
            // WebRTC receivers need SPS and PPS in-band before every IDR; openh264 writes them
            // with every IDR. Check rather than trust.
            let mut sps = false;
            let mut pps = false;
            for n in h264::annexb_nals(&data) {
                match h264::nal_unit_type(n) {
                    Ok(nal_type::SPS) => sps = true,
                    Ok(nal_type::PPS) => pps = true,
                    _ => {}
                }
            }
            if !(sps && pps) {
                return Err(Error::Backend {
                    backend: BACKEND,
                    message: "IDR without SPS/PPS".into(),
                });
            }
        }
        self.ready = Some(Packet {
            data,
            keyframe,
            codec: Codec::H264,
            params,
            encoded_at: Instant::now(),
        });
        Ok(())
    }

    fn receive_packet(&mut self) -> Result<Option<Packet>> {
        Ok(self.ready.take())
    }

    fn request_keyframe(&mut self) {
        self.force_keyframe = true;
    }

    fn set_bitrate(&mut self, bps: u32) -> Result<()> {
        self.config.check_bitrate(bps)?;
        // openh264 checks max >= target per layer after each call, and the max option with
        // SPATIAL_LAYER_ALL sets only a global value, not the layer's: set layer 0's max, and
        // order the two calls so the check holds in between (raise the ceiling first when
        // going up, lower it last when going down).
        let max_bps = bps.saturating_mul(2).min(i32::MAX as u32) as c_int;
        let mut max = sys::SBitrateInfo {
            iLayer: sys::SPATIAL_LAYER_0,
            iBitrate: max_bps,
        };
        let mut target = sys::SBitrateInfo {
            iLayer: sys::SPATIAL_LAYER_ALL,
            iBitrate: bps as c_int,
        };
        let max_ptr = (&mut max as *mut sys::SBitrateInfo).cast();
        let target_ptr = (&mut target as *mut sys::SBitrateInfo).cast();
        if bps >= self.config.bitrate_bps {
            self.set_option(sys::ENCODER_OPTION_MAX_BITRATE, max_ptr)?;
            self.set_option(sys::ENCODER_OPTION_BITRATE, target_ptr)?;
        } else {
            self.set_option(sys::ENCODER_OPTION_BITRATE, target_ptr)?;
            self.set_option(sys::ENCODER_OPTION_MAX_BITRATE, max_ptr)?;
        }
        self.config.bitrate_bps = bps;
        Ok(())
    }

    fn dropped_frames(&self) -> u64 {
        self.skipped
    }

    fn set_frame_rate(&mut self, fps: f32) -> Result<()> {
        self.config.check_max_fps(fps)?;
        let mut f = fps;
        self.set_option(sys::ENCODER_OPTION_FRAME_RATE, (&mut f as *mut f32).cast())?;
        self.config.max_fps = fps;
        Ok(())
    }
}

impl Drop for OpenH264Encoder {
    fn drop(&mut self) {
        if let Some(uninit) = self.vtbl().Uninitialize {
            // SAFETY: valid, initialised encoder; not used after this.
            unsafe { uninit(self.enc) };
        }
        // SAFETY: the handle came from WelsCreateSVCEncoder and is destroyed exactly once.
        unsafe { self.api.WelsDestroySVCEncoder(self.enc) };
    }
}

/// openh264 decoder producing pooled I420 frames.
pub struct OpenH264Decoder {
    inner: openh264::decoder::Decoder,
    pool: Option<FramePool>,
    next_id: u64,
}

impl OpenH264Decoder {
    /// A new decoder.
    pub fn new() -> Result<Self> {
        let inner = openh264::decoder::Decoder::new().map_err(|e| Error::Backend {
            backend: BACKEND,
            message: e.to_string(),
        })?;
        Ok(Self {
            inner,
            pool: None,
            next_id: 0,
        })
    }
}

impl crate::decoder::Decoder for OpenH264Decoder {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    fn decode(&mut self, access_unit: &[u8]) -> Result<Option<VideoFrame>> {
        use openh264::formats::YUVSource;
        // openh264 reads a little past the end of malformed input; reject obvious junk first.
        if h264::annexb_nals(access_unit).next().is_none() {
            return Err(Error::Malformed("no NAL unit in access unit"));
        }
        let decoded = self
            .inner
            .decode(access_unit)
            .map_err(|_| Error::Malformed("openh264 could not decode the access unit"))?;
        let Some(yuv) = decoded else { return Ok(None) };
        let (w, h) = yuv.dimensions();
        let (w, h) = (w as u32, h as u32);
        if self
            .pool
            .as_ref()
            .is_none_or(|p| p.geometry() != (PixelFormat::I420, w, h))
        {
            self.pool = Some(FramePool::new(PixelFormat::I420, w, h, 4));
        }
        let pool = self.pool.as_ref().expect("pool set above");
        let id = self.next_id;
        self.next_id += 1;
        let (sy, su, sv) = yuv.strides();
        let (frame, ()) = pool.get_with(id, Instant::now(), |dst, _| {
            let src: [(&[u8], usize); 3] = [(yuv.y(), sy), (yuv.u(), su), (yuv.v(), sv)];
            for (i, (plane, stride)) in src.iter().enumerate() {
                let p = dst.planes[i];
                let (rows, row_bytes) = if i == 0 {
                    (h as usize, w as usize)
                } else {
                    ((h as usize).div_ceil(2), (w as usize).div_ceil(2))
                };
                for r in 0..rows {
                    let s = &plane[r * stride..r * stride + row_bytes];
                    dst.bytes[p.offset + r * p.stride..p.offset + r * p.stride + row_bytes]
                        .copy_from_slice(s);
                }
            }
        });
        Ok(Some(frame))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitrate_follows_the_estimate_up_and_down() {
        let config = EncoderConfig::low_latency(640, 360);
        let mut enc = OpenH264Encoder::new(&config).unwrap();
        let pool = FramePool::new(PixelFormat::I420, 640, 360, 2);
        let now = Instant::now();
        for (i, bps) in [
            5_900_000u32,
            8_000_000,
            300_000,
            2_000_000,
            20_000_000,
            150_000,
        ]
        .into_iter()
        .enumerate()
        {
            enc.set_bitrate(bps)
                .unwrap_or_else(|e| panic!("set_bitrate({bps}): {e}"));
            let (f, ()) = pool.get_with(i as u64, now, |p, _| p.bytes.fill(i as u8 * 20));
            enc.send_frame(
                &f,
                FrameParams::new(
                    i as u64,
                    now,
                    std::time::Duration::from_millis(33 * i as u64),
                ),
            )
            .unwrap();
            assert!(enc.receive_packet().unwrap().is_some());
        }
        assert!(
            enc.set_bitrate(1).is_err(),
            "out of range is refused by validation"
        );
    }

    #[test]
    fn levels_cover_common_sizes() {
        assert_eq!(level_for(1280, 720, 30.0), 31);
        assert_eq!(level_for(1920, 1080, 30.0), 40);
        assert_eq!(level_for(1920, 1080, 60.0), 42);
        assert_eq!(level_for(3840, 2160, 30.0), 51);
    }
}
