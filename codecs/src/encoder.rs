//! The encoder trait, its configuration and backend selection.

use std::time::Duration;

use crate::error::{Error, Result};
use crate::frame::VideoFrame;
use crate::packet::{Codec, FrameParams, Packet};

/// Which kind of backend to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EncoderPreference {
    /// Hardware when available, else software.
    #[default]
    Auto,
    /// Hardware only; opening fails without it.
    Hardware,
    /// Software only.
    Software,
}

/// What the picture mostly is; tunes the encoder's tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContentHint {
    /// Desktop, text, UI: sharp edges, much static area.
    #[default]
    Screen,
    /// Video or games: motion everywhere.
    Motion,
}

/// How hard the encoder searches (openh264's complexity mode): more search, fewer bytes,
/// more time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Complexity {
    /// The fastest.
    #[default]
    Low,
    /// More mode decisions.
    Medium,
}

/// Encoder configuration: plain data, checked once by [`EncoderConfig::validate`].
#[derive(Debug, Clone, PartialEq)]
pub struct EncoderConfig {
    /// Output codec.
    pub codec: Codec,
    /// Frame width in pixels (even, 16..=4096).
    pub width: u32,
    /// Frame height in pixels (even, 16..=4096).
    pub height: u32,
    /// Target bitrate in bits per second.
    pub bitrate_bps: u32,
    /// Maximum frame rate.
    pub max_fps: f32,
    /// Hardware or software.
    pub preference: EncoderPreference,
    /// Content type.
    pub content: ContentHint,
    /// Search effort (software encoders).
    pub complexity: Complexity,
    /// Slices per frame; openh264 parallelises only across slices. 0 = one per worker thread.
    pub slices: u32,
    /// Encoder worker threads; 0 = choose from the machine.
    pub threads: u32,
    /// Keyframe at least this often even on an idle screen (None: only on request).
    pub keyframe_interval: Option<Duration>,
}

impl EncoderConfig {
    /// Settings for interactive screen sharing: screen content tools, no frame reordering, no
    /// frame skipping, keyframes on request plus a slow refresh.
    pub fn low_latency(width: u32, height: u32) -> Self {
        Self {
            codec: Codec::H264,
            width,
            height,
            bitrate_bps: default_bitrate(width, height),
            max_fps: 30.0,
            preference: EncoderPreference::Auto,
            content: ContentHint::Screen,
            complexity: Complexity::Low,
            slices: 0,
            threads: 0,
            keyframe_interval: Some(Duration::from_secs(10)),
        }
    }

    /// Checks a new target bitrate for a running encoder (`Encoder::set_bitrate`): the
    /// error is [`EncoderConfig::validate`]'s.
    pub fn check_bitrate(&self, bps: u32) -> Result<()> {
        EncoderConfig {
            bitrate_bps: bps,
            ..self.clone()
        }
        .validate()
    }

    /// Checks a new frame-rate cap for a running encoder (`Encoder::set_max_fps`).
    pub fn check_max_fps(&self, fps: f32) -> Result<()> {
        EncoderConfig {
            max_fps: fps,
            ..self.clone()
        }
        .validate()
    }

    /// Checks every field; the error names the field, the value and what is allowed.
    pub fn validate(&self) -> Result<()> {
        fn bad(field: &'static str, value: impl ToString, allowed: &'static str) -> Result<()> {
            Err(Error::InvalidConfig {
                field,
                value: value.to_string(),
                allowed,
            })
        }
        if !(16..=4096).contains(&self.width) || !self.width.is_multiple_of(2) {
            return bad("width", self.width, "an even number from 16 to 4096");
        }
        if !(16..=4096).contains(&self.height) || !self.height.is_multiple_of(2) {
            return bad("height", self.height, "an even number from 16 to 4096");
        }
        if !(10_000..=200_000_000).contains(&self.bitrate_bps) {
            return bad("bitrate_bps", self.bitrate_bps, "10 kbit/s to 200 Mbit/s");
        }
        if !(self.max_fps >= 1.0 && self.max_fps <= 240.0) {
            return bad("max_fps", self.max_fps, "1 to 240");
        }
        if self.slices > 16 {
            return bad("slices", self.slices, "0 (auto) to 16");
        }
        if self.threads > 16 {
            return bad("threads", self.threads, "0 (auto) to 16");
        }
        if self
            .keyframe_interval
            .is_some_and(|d| d < Duration::from_millis(100))
        {
            return bad(
                "keyframe_interval",
                format!("{:?}", self.keyframe_interval),
                "at least 100 ms, or None",
            );
        }
        Ok(())
    }
}

/// A default bitrate for screen content: about 0.07 bit per pixel per frame at 30 fps,
/// clamped to 1–20 Mbit/s (1080p → 4.4 Mbit/s).
pub fn default_bitrate(width: u32, height: u32) -> u32 {
    let px = width as u64 * height as u64;
    (px * 30 * 7 / 100).clamp(1_000_000, 20_000_000) as u32
}

/// What an encoder backend is and can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncoderCaps {
    /// Backend name for logs and stats ("openh264", "videotoolbox").
    pub backend: &'static str,
    /// Whether it runs on dedicated hardware.
    pub hardware: bool,
    /// Output codec.
    pub codec: Codec,
    /// The profile-level-id it produces (H.264: profile_idc, constraints, level_idc).
    pub profile_level_id: [u8; 3],
    /// Whether it takes the frames' native surfaces without copying.
    pub zero_copy_input: bool,
}

/// The checks every software encoder makes on a frame before it reads it: I420, the size it
/// was opened for, planes inside their storage, and the previous frame drained (`pending`).
/// `backend` names the library in the error.
pub(crate) fn check_i420_input(
    backend: &str,
    frame: &VideoFrame,
    config: &EncoderConfig,
    pending: bool,
) -> Result<()> {
    if frame.format != crate::frame::PixelFormat::I420 {
        return Err(Error::InvalidInput(format!(
            "{backend} takes I420 frames, got {:?}",
            frame.format
        )));
    }
    if (frame.width, frame.height) != (config.width, config.height) {
        return Err(Error::InvalidInput(format!(
            "frame is {}x{}, encoder was opened for {}x{}",
            frame.width, frame.height, config.width, config.height
        )));
    }
    if !frame.layout_fits() {
        return Err(Error::InvalidInput(
            "frame planes exceed their storage".into(),
        ));
    }
    if pending {
        return Err(Error::InvalidInput(
            "receive_packet must drain the previous frame first".into(),
        ));
    }
    Ok(())
}

/// A video encoder in the send/receive shape: [`Encoder::send_frame`] queues a frame,
/// [`Encoder::receive_packet`] returns finished packets until it returns `Ok(None)`.
///
/// Drain rule: call `receive_packet` until `None` after every `send_frame`; backends buffer at
/// most a few packets.
pub trait Encoder: Send {
    /// Backend identity and capabilities.
    fn caps(&self) -> EncoderCaps;
    /// Queues a frame for encoding. Its size must match the configuration.
    fn send_frame(&mut self, frame: &VideoFrame, params: FrameParams) -> Result<()>;
    /// The next finished packet, or `None` when nothing is ready.
    fn receive_packet(&mut self) -> Result<Option<Packet>>;
    /// Makes the next frame a keyframe.
    fn request_keyframe(&mut self);
    /// Changes the target bitrate.
    fn set_bitrate(&mut self, bps: u32) -> Result<()>;
    /// Changes the maximum frame rate.
    fn set_frame_rate(&mut self, fps: f32) -> Result<()>;
    /// Finishes every queued frame (end of stream).
    fn flush(&mut self) -> Result<()> {
        Ok(())
    }
    /// Frames the backend dropped or skipped on its own (should stay 0).
    fn dropped_frames(&self) -> u64 {
        0
    }
}

/// Opens the best encoder for `config`: VideoToolbox on macOS and a Media Foundation hardware
/// MFT on Windows first (unless software is preferred), falling back to openh264 when
/// hardware is missing or fails to start (the reason logged as a warning the first time,
/// later at debug level: the pipeline opens an encoder at every size change).
///
/// VP8 has one backend, libvpx (software; not built on macOS).
pub fn open_encoder(config: &EncoderConfig) -> Result<Box<dyn Encoder>> {
    config.validate()?;
    if config.codec == Codec::Vp8 {
        if config.preference == EncoderPreference::Hardware {
            return Err(Error::Unavailable {
                backend: "hardware VP8",
                reason: "no hardware VP8 encoder backend".into(),
            });
        }
        #[cfg(target_os = "linux")]
        return Ok(Box::new(crate::vpx::Vp8Encoder::new(config)?));
        #[cfg(not(target_os = "linux"))]
        return Err(Error::Unavailable {
            backend: "libvpx",
            reason: "VP8 is built on Linux only".into(),
        });
    }
    #[cfg(target_os = "macos")]
    if config.preference != EncoderPreference::Software {
        match crate::videotoolbox::VtEncoder::new(config) {
            Ok(e) => return Ok(Box::new(e)),
            Err(e) if config.preference == EncoderPreference::Hardware => return Err(e),
            Err(e) => {
                tracing::warn!(error = %e, "VideoToolbox unavailable, falling back to openh264")
            }
        }
    }
    #[cfg(windows)]
    if config.preference != EncoderPreference::Software {
        match crate::mediafoundation::MfEncoder::new(config) {
            Ok(e) => return Ok(Box::new(e)),
            Err(e) if config.preference == EncoderPreference::Hardware => return Err(e),
            Err(e) => {
                static WARNED: std::sync::atomic::AtomicBool =
                    std::sync::atomic::AtomicBool::new(false);
                if WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
                    tracing::debug!(error = %e, "Media Foundation unavailable, using openh264");
                } else {
                    tracing::warn!(error = %e, "Media Foundation unavailable, falling back to openh264");
                }
            }
        }
    }
    #[cfg(not(any(target_os = "macos", windows)))]
    if config.preference == EncoderPreference::Hardware {
        return Err(Error::Unavailable {
            backend: "hardware H.264",
            reason: "no hardware encoder backend on this platform".into(),
        });
    }
    Ok(Box::new(crate::openh264::OpenH264Encoder::new(config)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_the_field() {
        let mut c = EncoderConfig::low_latency(1920, 1080);
        c.validate().unwrap();
        c.width = 1921;
        let e = c.validate().unwrap_err().to_string();
        assert!(e.contains("width") && e.contains("1921"), "{e}");
        let mut c = EncoderConfig::low_latency(1920, 1080);
        c.max_fps = f32::NAN;
        assert!(c.validate().unwrap_err().to_string().contains("max_fps"));
    }
}
