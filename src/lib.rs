//! Glass: open, embeddable remote help. This crate is the `glass` command-line tool and a
//! thin facade over the workspace's library crates:
//!
//! - [`agent`] (and [`share`]): the sharer side — capture, encode, stream over WebRTC, inject
//!   the helper's input at the level the sharer allowed;
//! - [`engine`]: capture, dirty regions, colour conversion, the threaded pipeline, input;
//! - [`codecs`]: frames, encoders, decoders;
//! - [`transport`]: the WebRTC peer (str0m), WHEP signalling, data channels.
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
pub use glass_agent as agent;
pub use glass_agent::share;
pub use glass_codecs as codecs;
pub use glass_engine as engine;
pub use glass_transport as transport;
