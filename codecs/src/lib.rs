//! Glass codecs: raw frame types with pooled storage, the encoder and decoder traits, and
//! their backends (openh264 everywhere, VideoToolbox on macOS, Media Foundation on Windows,
//! libvpx VP8 on Linux).
//!
//! This crate knows nothing of RTP or WebRTC: encoders return bytes plus metadata.
//!
//! ```no_run
//! use std::time::{Duration, Instant};
//! use glass_codecs::{open_encoder, EncoderConfig, FrameParams, FramePool, PixelFormat};
//!
//! let config = EncoderConfig::low_latency(1280, 720);
//! let mut encoder = open_encoder(&config)?;
//! let pool = FramePool::new(PixelFormat::I420, 1280, 720, 4);
//! let (frame, ()) = pool.get_with(0, Instant::now(), |planes, _| planes.bytes.fill(128));
//! encoder.send_frame(&frame, FrameParams::new(0, frame.capture_time, Duration::ZERO))?;
//! while let Some(packet) = encoder.receive_packet()? {
//!     println!("{} bytes, keyframe: {}", packet.data.len(), packet.keyframe);
//! }
//! # Ok::<(), glass_codecs::Error>(())
//! ```
//!
//! # Panics and errors
//! A panic is a bug. Bitstream parsers ([`h264`], decoders) take untrusted input and return
//! [`Error::Malformed`], never panic. Configuration is validated once when an encoder opens.

pub mod decoder;
pub mod encoder;
pub mod error;
pub mod frame;
pub mod h264;
#[cfg(windows)]
pub mod mediafoundation;
#[cfg(any(windows, test))]
mod mediafoundation_policy;
pub mod mode;
mod openh264;
#[cfg(any(target_os = "macos", windows, test))]
mod output_wait;
pub mod packet;
#[cfg(target_os = "macos")]
pub mod videotoolbox;
#[cfg(any(target_os = "macos", test))]
mod videotoolbox_policy;
#[cfg(target_os = "linux")]
mod vpx;

#[doc(hidden)]
pub mod fuzzing;

pub use crate::decoder::{Decoder, open_decoder, open_decoder_for};
pub use crate::encoder::{
    Complexity, ContentHint, Encoder, EncoderCaps, EncoderConfig, EncoderPreference,
    default_bitrate, open_encoder,
};
pub use crate::error::{Error, Result};
pub use crate::frame::{
    DamageList, FramePool, PixelFormat, PixelStorage, Plane, Rect, StageTimes, VideoFrame, psnr,
};
pub use crate::mode::{Calibration, ContentPolicy, ModeCost, ModePolicy, ModePolicyConfig};
pub use crate::openh264::{OpenH264Decoder, OpenH264Encoder, level_for};
pub use crate::packet::{Codec, FrameParams, Packet};
#[cfg(target_os = "linux")]
pub use crate::vpx::{
    CPU_USED as VP8_CPU_USED, CPU_USED_MOTION as VP8_CPU_USED_MOTION, Vp8Decoder, Vp8Encoder,
};
