//! Software VP8 through libvpx (the system library, found with pkg-config), for viewers that
//! cannot receive H.264: Firefox without its OpenH264 plugin offers VP8, VP9 and AV1 only.
//!
//! Bindings: `env-libvpx-sys`, which ships bindgen output for each libvpx release up to 1.13
//! (Debian 12 has 1.12), so building needs no libclang; it is the `-sys` crate the `vpx-rs`
//! and `vpx-encode` wrappers build on. Neither wrapper is used: both allocate per frame and
//! neither exposes the real-time controls (screen-content mode, static threshold) set here.
//!
//! Real-time settings, as WebRTC's own libvpx wrapper uses them: one pass, CBR, no lag, no
//! frame dropping, error-resilient (a lost frame spoils only what refers to it), keyframes
//! only on request (the pipeline asks for its slow refresh itself), `VPX_DL_REALTIME`.

use std::ffi::CStr;
use std::os::raw::{c_int, c_uint, c_ulong};
use std::time::Instant;

use bytes::BytesMut;
use vpx_sys as sys;

use crate::encoder::{ContentHint, Encoder, EncoderCaps, EncoderConfig};
use crate::error::{Error, Result};
use crate::frame::{FramePool, PixelFormat, VideoFrame};
use crate::packet::{Codec, FrameParams, Packet};

const BACKEND: &str = "libvpx";

/// VP8's real-time speed for screen content: `-n` is a fixed speed `n` (16 the fastest); a
/// positive value lets libvpx pick a speed from the time left per frame, which varies with the
/// machine's load and so makes frame times jumpy. Measured on the synthetic scenes at 1080p
/// (docs/performance.md, encoder_sweep): from -6 to -12 time falls a few percent a step at the
/// same bytes and PSNR; -16 is 10–12 % faster again on text and scrolling, and spends less
/// than half the bytes on typing (it leaves unchanged blocks alone), at the same worst PSNR.
pub const CPU_USED: i32 = -16;

/// The speed for motion ([`ContentHint::Motion`]): at -16 the video scene lost 2 dB of worst
/// PSNR for more bytes; -12 keeps it.
pub const CPU_USED_MOTION: i32 = -12;

/// Largest picture the decoder accepts from the network (as the encoders' limit).
const MAX_DECODE_SIDE: u32 = 4096;

fn vpx_err(
    ctx: Option<&mut sys::vpx_codec_ctx_t>,
    what: &str,
    code: sys::vpx_codec_err_t,
) -> Error {
    // SAFETY: `vpx_codec_err_to_string` returns a pointer to a static string for every code.
    let text = unsafe { CStr::from_ptr(sys::vpx_codec_err_to_string(code)) }
        .to_string_lossy()
        .into_owned();
    let detail = ctx
        .and_then(|c| {
            // SAFETY: `c` is an initialised context; the detail is NULL or a string the context
            // owns, read before any other call on it.
            let p = unsafe { sys::vpx_codec_error_detail(c) };
            // SAFETY: non-NULL: a NUL-terminated string owned by the context (see above).
            (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
        })
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    Error::Backend {
        backend: BACKEND,
        message: format!("{what}: {text}{detail}"),
    }
}

/// Encoder threads for a picture size on a machine with `cores` cores: WebRTC's rule for VP8.
/// libvpx's row threads wait on each other by spinning, so a thread that has no core of its
/// own costs far more than it gives: on this project's 2-core machines, busy with other work,
/// two threads made 1080p frames 10–20 times slower than one (docs/performance.md).
fn auto_threads(width: u32, height: u32, cores: usize) -> u32 {
    let px = u64::from(width) * u64::from(height);
    if px >= 1920 * 1080 && cores > 8 {
        8
    } else if px > 1280 * 960 && cores >= 6 {
        3
    } else if px > 640 * 480 && cores >= 3 {
        2
    } else {
        1
    }
}

fn check(ctx: &mut sys::vpx_codec_ctx_t, what: &str, code: sys::vpx_codec_err_t) -> Result<()> {
    if code == sys::vpx_codec_err_t::VPX_CODEC_OK {
        Ok(())
    } else {
        Err(vpx_err(Some(ctx), what, code))
    }
}

/// libvpx VP8 encoder tuned for real-time screen content.
pub struct Vp8Encoder {
    /// Boxed: libvpx keeps pointers into the context, so it must not move after init.
    ctx: Box<sys::vpx_codec_ctx_t>,
    cfg: sys::vpx_codec_enc_cfg_t,
    config: EncoderConfig,
    /// The image descriptor, re-pointed at each frame's planes (no copy, no allocation).
    image: sys::vpx_image_t,
    out: BytesMut,
    ready: Option<Packet>,
    force_keyframe: bool,
    /// The last pts given to libvpx, in its 1/90 000 s time base (kept strictly increasing).
    last_pts: Option<i64>,
}

// SAFETY: the context is owned exclusively by this value and libvpx contexts have no thread
// affinity; `&mut self` serialises every call. The image's plane pointers are only set and
// used within one `send_frame` call.
unsafe impl Send for Vp8Encoder {}

impl Vp8Encoder {
    /// Opens an encoder for `config` (which must ask for VP8).
    pub fn new(config: &EncoderConfig) -> Result<Self> {
        let speed = match config.content {
            ContentHint::Screen => CPU_USED,
            ContentHint::Motion => CPU_USED_MOTION,
        };
        Self::with_speed(config, speed)
    }

    /// [`Vp8Encoder::new`] at another real-time speed (`cpu_used`, -16..=16; see [`CPU_USED`]),
    /// for measurements.
    pub fn with_speed(config: &EncoderConfig, cpu_used: i32) -> Result<Self> {
        config.validate()?;
        if !(-16..=16).contains(&cpu_used) {
            return Err(Error::InvalidConfig {
                field: "cpu_used",
                value: cpu_used.to_string(),
                allowed: "-16 to 16",
            });
        }
        if config.codec != Codec::Vp8 {
            return Err(Error::InvalidConfig {
                field: "codec",
                value: config.codec.to_string(),
                allowed: "VP8 for the libvpx backend",
            });
        }
        // SAFETY: returns a pointer to libvpx's static VP8 encoder interface.
        let iface = unsafe { sys::vpx_codec_vp8_cx() };
        // Not a valid Rust value until libvpx fills it in (`g_bit_depth` has no 0 variant).
        let mut cfg = std::mem::MaybeUninit::<sys::vpx_codec_enc_cfg_t>::zeroed();
        // SAFETY: valid interface and a writable config struct.
        let rc = unsafe { sys::vpx_codec_enc_config_default(iface, cfg.as_mut_ptr(), 0) };
        if rc != sys::vpx_codec_err_t::VPX_CODEC_OK {
            return Err(vpx_err(None, "vpx_codec_enc_config_default", rc));
        }
        // SAFETY: vpx_codec_enc_config_default succeeded: it wrote every field.
        let mut cfg = unsafe { cfg.assume_init() };
        let threads = if config.threads == 0 {
            auto_threads(
                config.width,
                config.height,
                std::thread::available_parallelism().map_or(1, |n| n.get()),
            )
        } else {
            config.threads
        };
        cfg.g_w = config.width;
        cfg.g_h = config.height;
        cfg.g_threads = threads;
        cfg.g_timebase = sys::vpx_rational {
            num: 1,
            den: 90_000,
        };
        cfg.g_error_resilient = sys::VPX_ERROR_RESILIENT_DEFAULT;
        cfg.g_pass = sys::vpx_enc_pass::VPX_RC_ONE_PASS;
        cfg.g_lag_in_frames = 0;
        cfg.rc_end_usage = sys::vpx_rc_mode::VPX_CBR;
        cfg.rc_target_bitrate = config.bitrate_bps.div_ceil(1000);
        // A frame Glass hands over was changed on screen: never drop it silently.
        cfg.rc_dropframe_thresh = 0;
        cfg.rc_resize_allowed = 0;
        // WebRTC's real-time values: quantiser range, and a short buffer so that the rate
        // follows the estimate within a second.
        cfg.rc_min_quantizer = 2;
        cfg.rc_max_quantizer = 56;
        cfg.rc_undershoot_pct = 100;
        cfg.rc_overshoot_pct = 15;
        cfg.rc_buf_initial_sz = 500;
        cfg.rc_buf_optimal_sz = 600;
        cfg.rc_buf_sz = 1000;
        cfg.kf_mode = sys::vpx_kf_mode::VPX_KF_DISABLED;
        // SAFETY: as above, the zero context is what vpx_codec_enc_init expects to fill in.
        let mut ctx: Box<sys::vpx_codec_ctx_t> = Box::new(unsafe { std::mem::zeroed() });
        // SAFETY: valid context storage that does not move (boxed), valid interface and config,
        // and the ABI version the bindings were generated for.
        let rc = unsafe {
            sys::vpx_codec_enc_init_ver(
                &mut *ctx,
                iface,
                &cfg,
                0,
                sys::VPX_ENCODER_ABI_VERSION as c_int,
            )
        };
        if rc != sys::vpx_codec_err_t::VPX_CODEC_OK {
            return Err(vpx_err(None, "vpx_codec_enc_init", rc));
        }
        let screen = config.content == ContentHint::Screen;
        let mut this = Self {
            ctx,
            cfg,
            config: config.clone(),
            // SAFETY: zero is a valid vpx_image_t (null planes); `send_frame` fills it in.
            image: unsafe { std::mem::zeroed() },
            out: BytesMut::with_capacity(256 * 1024),
            ready: None,
            force_keyframe: false,
            last_pts: None,
        };
        this.control(sys::vp8e_enc_control_id::VP8E_SET_CPUUSED, cpu_used)?;
        this.control(
            sys::vp8e_enc_control_id::VP8E_SET_SCREEN_CONTENT_MODE,
            c_int::from(screen),
        )?;
        // Blocks that barely changed are skipped outright: most of a screen is static.
        this.control(sys::vp8e_enc_control_id::VP8E_SET_STATIC_THRESHOLD, 1)?;
        this.control(sys::vp8e_enc_control_id::VP8E_SET_NOISE_SENSITIVITY, 0)?;
        Ok(this)
    }

    fn control(&mut self, id: sys::vp8e_enc_control_id, value: c_int) -> Result<()> {
        // SAFETY: initialised context; every control used here takes one `int`.
        let rc = unsafe { sys::vpx_codec_control_(&mut *self.ctx, id as c_int, value) };
        check(&mut self.ctx, "vpx_codec_control", rc)
    }
}

impl Encoder for Vp8Encoder {
    fn caps(&self) -> EncoderCaps {
        EncoderCaps {
            backend: BACKEND,
            hardware: false,
            codec: Codec::Vp8,
            profile_level_id: [0, 0, 0],
            zero_copy_input: false,
        }
    }

    fn send_frame(&mut self, frame: &VideoFrame, params: FrameParams) -> Result<()> {
        crate::encoder::check_i420_input("libvpx", frame, &self.config, self.ready.is_some())?;
        let (y, u, v) = (frame.plane(0), frame.plane(1), frame.plane(2));
        // SAFETY: `image` is a plain descriptor we own; `y` lies within the frame's storage.
        // vpx_img_wrap with caller data only fills in the descriptor (no allocation); the
        // planes and strides are then set to the frame's own layout.
        let wrapped = unsafe {
            sys::vpx_img_wrap(
                &mut self.image,
                sys::vpx_img_fmt::VPX_IMG_FMT_I420,
                frame.width,
                frame.height,
                1,
                y.as_ptr().cast_mut(),
            )
        };
        if wrapped.is_null() {
            return Err(Error::InvalidInput("libvpx refused the frame size".into()));
        }
        // libvpx only reads the source planes; the API is not const-correct.
        self.image.planes = [
            y.as_ptr().cast_mut(),
            u.as_ptr().cast_mut(),
            v.as_ptr().cast_mut(),
            std::ptr::null_mut(),
        ];
        self.image.stride = [
            frame.planes[0].stride as c_int,
            frame.planes[1].stride as c_int,
            frame.planes[2].stride as c_int,
            0,
        ];
        // BT.709 limited range, as glass-engine converts (docs/colour.md). VP8 has no field
        // for it: the decoder's colour space is the receiver's assumption (BT.601 in browsers).
        self.image.cs = sys::vpx_color_space::VPX_CS_BT_709;
        self.image.range = sys::vpx_color_range::VPX_CR_STUDIO_RANGE;
        let pts = (params.pts.as_micros() * 9 / 100).min(i64::MAX as u128) as i64;
        let pts = match self.last_pts {
            Some(last) if pts <= last => last + 1,
            _ => pts,
        };
        let duration = match self.last_pts {
            Some(last) => (pts - last).max(1) as c_ulong,
            None => (90_000.0 / f64::from(self.config.max_fps)).round() as c_ulong,
        };
        self.last_pts = Some(pts);
        let mut flags: sys::vpx_enc_frame_flags_t = 0;
        if std::mem::take(&mut self.force_keyframe) || params.force_keyframe {
            flags |= sys::VPX_EFLAG_FORCE_KF as sys::vpx_enc_frame_flags_t;
        }
        // SAFETY: initialised context; the image points at planes checked to lie within the
        // frame's storage, which outlives the call (libvpx copies what it keeps: no lag).
        let rc = unsafe {
            sys::vpx_codec_encode(
                &mut *self.ctx,
                &self.image,
                pts,
                duration,
                flags,
                sys::VPX_DL_REALTIME as c_ulong,
            )
        };
        // Nothing may keep pointing at the frame after this call.
        self.image.planes = [std::ptr::null_mut(); 4];
        check(&mut self.ctx, "vpx_codec_encode", rc)?;
        // Reclaims the whole buffer when the consumer has dropped the previous packet (the
        // usual case): no allocation per frame.
        self.out.clear();
        let mut keyframe = false;
        let mut iter: sys::vpx_codec_iter_t = std::ptr::null();
        loop {
            // SAFETY: initialised context and an iterator owned by this loop.
            let pkt = unsafe { sys::vpx_codec_get_cx_data(&mut *self.ctx, &mut iter) };
            if pkt.is_null() {
                break;
            }
            // SAFETY: a non-NULL packet is valid until the next encode call.
            let pkt = unsafe { &*pkt };
            if pkt.kind != sys::vpx_codec_cx_pkt_kind::VPX_CODEC_CX_FRAME_PKT {
                continue;
            }
            // SAFETY: `frame` is the active union member for a frame packet.
            let f = unsafe { pkt.data.frame };
            if f.buf.is_null() || f.sz == 0 {
                continue;
            }
            keyframe |= f.flags & sys::VPX_FRAME_IS_KEY != 0;
            // SAFETY: libvpx guarantees `buf` holds `sz` bytes until the next encode call.
            let bytes = unsafe { std::slice::from_raw_parts(f.buf.cast::<u8>(), f.sz as usize) };
            self.out.extend_from_slice(bytes);
        }
        if self.out.is_empty() {
            // No frame dropping is configured; should libvpx drop one anyway, the pipeline
            // sees no packet for it (as with openh264's skipped frames).
            return Ok(());
        }
        self.ready = Some(Packet {
            data: self.out.split().freeze(),
            keyframe,
            codec: Codec::Vp8,
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
        self.cfg.rc_target_bitrate = bps.div_ceil(1000);
        // SAFETY: initialised context and the config it was opened with, changed only in the
        // rate the encoder may change at run time.
        let rc = unsafe { sys::vpx_codec_enc_config_set(&mut *self.ctx, &self.cfg) };
        check(&mut self.ctx, "vpx_codec_enc_config_set", rc)?;
        self.config.bitrate_bps = bps;
        Ok(())
    }

    fn set_frame_rate(&mut self, fps: f32) -> Result<()> {
        self.config.check_max_fps(fps)?;
        // libvpx rates frames by their timestamps; the cap only sets the first duration.
        self.config.max_fps = fps;
        Ok(())
    }
}

impl Drop for Vp8Encoder {
    fn drop(&mut self) {
        // SAFETY: initialised context, destroyed exactly once and not used after this.
        unsafe { sys::vpx_codec_destroy(&mut *self.ctx) };
    }
}

/// libvpx VP8 decoder producing pooled I420 frames.
pub struct Vp8Decoder {
    ctx: Box<sys::vpx_codec_ctx_t>,
    pool: Option<FramePool>,
    next_id: u64,
}

// SAFETY: as for the encoder: exclusively owned, no thread affinity, `&mut self` serialises.
unsafe impl Send for Vp8Decoder {}

impl Vp8Decoder {
    /// A new decoder.
    pub fn new() -> Result<Self> {
        // SAFETY: the zero context is what vpx_codec_dec_init expects to fill in.
        let mut ctx: Box<sys::vpx_codec_ctx_t> = Box::new(unsafe { std::mem::zeroed() });
        let cfg = sys::vpx_codec_dec_cfg {
            threads: 1,
            w: 0,
            h: 0,
        };
        // SAFETY: boxed (non-moving) context storage, libvpx's static VP8 decoder interface,
        // a valid config and the ABI version the bindings were generated for.
        let rc = unsafe {
            sys::vpx_codec_dec_init_ver(
                &mut *ctx,
                sys::vpx_codec_vp8_dx(),
                &cfg,
                0,
                sys::VPX_DECODER_ABI_VERSION as c_int,
            )
        };
        if rc != sys::vpx_codec_err_t::VPX_CODEC_OK {
            return Err(vpx_err(None, "vpx_codec_dec_init", rc));
        }
        Ok(Self {
            ctx,
            pool: None,
            next_id: 0,
        })
    }
}

impl crate::decoder::Decoder for Vp8Decoder {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    fn decode(&mut self, access_unit: &[u8]) -> Result<Option<VideoFrame>> {
        // An empty buffer means "flush" to libvpx; a VP8 frame header alone is 3 bytes.
        if access_unit.len() < 3 {
            return Err(Error::Malformed("VP8 frame shorter than its header"));
        }
        let len = c_uint::try_from(access_unit.len())
            .map_err(|_| Error::Malformed("VP8 frame too large"))?;
        // A keyframe states its size: refuse absurd ones before libvpx allocates for them.
        // SAFETY: zero is a valid stream-info struct; `sz` is set as libvpx requires.
        let mut info: sys::vpx_codec_stream_info_t = unsafe { std::mem::zeroed() };
        info.sz = std::mem::size_of::<sys::vpx_codec_stream_info_t>() as c_uint;
        // SAFETY: static interface, a buffer of `len` readable bytes, a writable info struct.
        let rc = unsafe {
            sys::vpx_codec_peek_stream_info(
                sys::vpx_codec_vp8_dx(),
                access_unit.as_ptr(),
                len,
                &mut info,
            )
        };
        if rc == sys::vpx_codec_err_t::VPX_CODEC_OK
            && info.is_kf != 0
            && (info.w > MAX_DECODE_SIDE || info.h > MAX_DECODE_SIDE)
        {
            return Err(Error::Malformed("VP8 picture larger than 4096 pixels"));
        }
        // SAFETY: initialised context; the buffer is valid for `len` bytes during the call.
        let rc = unsafe {
            sys::vpx_codec_decode(
                &mut *self.ctx,
                access_unit.as_ptr(),
                len,
                std::ptr::null_mut(),
                0,
            )
        };
        if rc != sys::vpx_codec_err_t::VPX_CODEC_OK {
            return Err(Error::Malformed("libvpx could not decode the VP8 frame"));
        }
        let mut iter: sys::vpx_codec_iter_t = std::ptr::null();
        // SAFETY: initialised context and an iterator owned here.
        let img = unsafe { sys::vpx_codec_get_frame(&mut *self.ctx, &mut iter) };
        if img.is_null() {
            return Ok(None);
        }
        // SAFETY: a non-NULL image is valid until the next decode call.
        let img = unsafe { &*img };
        let (w, h) = (img.d_w, img.d_h);
        if img.fmt != sys::vpx_img_fmt::VPX_IMG_FMT_I420
            || w == 0
            || h == 0
            || w > MAX_DECODE_SIDE
            || h > MAX_DECODE_SIDE
            || img.planes[..3].iter().any(|p| p.is_null())
            || img.stride[..3].iter().any(|&s| s <= 0)
        {
            return Err(Error::Malformed("VP8 frame decoded to an unusable picture"));
        }
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
        let (frame, ()) = pool.get_with(id, Instant::now(), |dst, _| {
            for i in 0..3 {
                let p = dst.planes[i];
                let (rows, row_bytes) = if i == 0 {
                    (h as usize, w as usize)
                } else {
                    ((h as usize).div_ceil(2), (w as usize).div_ceil(2))
                };
                let stride = img.stride[i] as usize;
                // SAFETY: libvpx's I420 image has `rows` rows of `stride` bytes in plane `i`
                // (the chroma planes at half size, rounded up), valid until the next decode.
                let src = unsafe {
                    std::slice::from_raw_parts(img.planes[i], stride * (rows - 1) + row_bytes)
                };
                for r in 0..rows {
                    dst.bytes[p.offset + r * p.stride..p.offset + r * p.stride + row_bytes]
                        .copy_from_slice(&src[r * stride..r * stride + row_bytes]);
                }
            }
        });
        Ok(Some(frame))
    }
}

impl Drop for Vp8Decoder {
    fn drop(&mut self) {
        // SAFETY: initialised context, destroyed exactly once and not used after this.
        unsafe { sys::vpx_codec_destroy(&mut *self.ctx) };
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::decoder::Decoder;

    fn frame(pool: &FramePool, i: u64, luma: u8) -> VideoFrame {
        pool.get_with(i, Instant::now(), |p, _| {
            let y = p.planes[1].offset;
            p.bytes[..y].fill(luma);
            p.bytes[y..].fill(128);
        })
        .0
    }

    #[test]
    fn encodes_decodes_and_keyframes_on_request_only() {
        let mut config = EncoderConfig::low_latency(320, 240);
        config.codec = Codec::Vp8;
        let mut enc = Vp8Encoder::new(&config).unwrap();
        let mut dec = Vp8Decoder::new().unwrap();
        let pool = FramePool::new(PixelFormat::I420, 320, 240, 2);
        let mut keyframes = Vec::new();
        for i in 0..12u64 {
            let mut params = FrameParams::new(i, Instant::now(), Duration::from_millis(33 * i));
            params.force_keyframe = i == 7;
            enc.send_frame(&frame(&pool, i, 40 + i as u8 * 10), params)
                .unwrap();
            let p = enc.receive_packet().unwrap().expect("a packet per frame");
            assert_eq!(p.codec, Codec::Vp8);
            assert_eq!(p.params.frame_id, i);
            if p.keyframe {
                keyframes.push(i);
            }
            let got = dec.decode(&p.data).unwrap().expect("a picture per frame");
            assert_eq!((got.width, got.height), (320, 240));
            let want = 40 + i as i32 * 10;
            let luma = got.plane(0)[160 * 240 / 2] as i32;
            assert!(
                (luma - want).abs() <= 3,
                "frame {i}: luma {luma}, want {want}"
            );
        }
        assert_eq!(keyframes, [0, 7]);
        enc.set_bitrate(300_000).unwrap();
        enc.request_keyframe();
        enc.send_frame(
            &frame(&pool, 12, 90),
            FrameParams::new(12, Instant::now(), Duration::from_millis(400)),
        )
        .unwrap();
        assert!(enc.receive_packet().unwrap().unwrap().keyframe);
        assert!(enc.set_bitrate(1).is_err(), "validated");
    }

    #[test]
    fn threads_need_spare_cores() {
        assert_eq!(auto_threads(1920, 1080, 2), 1);
        assert_eq!(auto_threads(1920, 1080, 4), 2);
        assert_eq!(auto_threads(1920, 1080, 16), 8);
        assert_eq!(auto_threads(640, 480, 16), 1);
    }

    #[test]
    fn hostile_input_is_an_error() {
        let mut dec = Vp8Decoder::new().unwrap();
        for junk in [
            &[][..],
            &[0x10],
            &[0xff; 64],
            &[0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0xff, 0xff, 0xff, 0xff],
            // A keyframe header claiming 16383x16383.
            &[
                0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0xff, 0x3f, 0xff, 0x3f, 0, 0, 0,
            ],
        ] {
            assert!(dec.decode(junk).is_err(), "{junk:?}");
        }
    }
}
