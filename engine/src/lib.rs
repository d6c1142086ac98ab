//! Glass engine: screen capture, dirty-region detection, colour conversion and the threaded
//! media pipeline that joins them to an encoder from `glass-codecs`.
//!
//! The engine knows nothing of RTP or WebRTC; it hands encoded packets to a sink. The pointer
//! is not in the frames: [`cursor`] reads its shape and position beside the capture.
//!
//! # Panics and errors
//! A panic is a bug. Capture backends report OS failures as [`CaptureError`]; the pipeline
//! reports them through [`Error`] when it stops.

pub mod capture;
pub mod clipboard;
pub mod convert;
pub mod cursor;
pub mod damage;
pub mod display;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod history;
pub mod input;
pub mod permissions;
pub mod pipeline;
pub mod probe;
#[cfg(target_os = "linux")]
pub mod wayland;

pub use crate::error::{CaptureError, Error};
