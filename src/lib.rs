//! Glass: a low-latency screen-streaming engine for remote assistance.
//!
//! This crate is the facade over [`engine`] (capture, dirty regions, colour conversion, the
//! threaded pipeline) and [`codecs`] (frames, encoders, decoders), and hosts the `glass`
//! command-line tool, which is built only on this public API.
//!
//! [`share`] is the embedding API for live sharing: [`share::Share::start`] captures, encodes
//! and streams to browsers over WebRTC ([`transport`], WHEP signalling), serving the viewer
//! page from the same HTTP port; `glass share` is a thin wrapper around it.
//!
//! ```no_run
//! use std::time::{Duration, Instant};
//! use glass::engine::capture::{self, SourceSpec};
//! use glass::engine::pipeline::{Pipeline, PipelineConfig};
//!
//! let source: SourceSpec = "synthetic:typing:1280x720@30".parse()?;
//! let pipeline = Pipeline::start(capture::open(&source)?, PipelineConfig::default())?;
//! let end = Instant::now() + Duration::from_secs(2);
//! while Instant::now() < end {
//!     if let Ok(frame) = pipeline.packets().recv_timeout(Duration::from_millis(100)) {
//!         println!("frame {}: {} bytes", frame.packet.params.frame_id, frame.packet.data.len());
//!     }
//! }
//! println!("{}", pipeline.stop()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
pub use glass_codecs as codecs;
pub use glass_engine as engine;
pub use glass_transport as transport;

pub mod bench;
pub mod cpu;
mod input;
pub mod share;
