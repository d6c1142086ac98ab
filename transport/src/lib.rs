//! Glass transport: the WebRTC peer (str0m), WHEP signalling and data channels.
//!
//! Only this crate knows RTP and WebRTC; the engine and codecs crates never depend on it.
//!
//! ```no_run
//! use glass_transport::{Transport, TransportConfig, TransportEvent, VideoFrameOut};
//! let transport = Transport::start(TransportConfig::default())?;
//! # let offer_sdp = "";
//! let (id, answer_sdp) = transport.accept_offer(offer_sdp)?; // from POST /whep
//! # let _ = (id, answer_sdp);
//! # let (annexb, keyframe, capture_time, pts) = (bytes::Bytes::new(), true, std::time::Instant::now(), std::time::Duration::ZERO);
//! loop {
//!     // From the encoder: one access unit per call.
//!     let codec = glass_transport::VideoCodec::H264;
//!     transport.send_frame(VideoFrameOut { codec, data: annexb.clone(), keyframe, capture_time, pts });
//!     while let Ok(event) = transport.events().try_recv() {
//!         match event {
//!             TransportEvent::KeyframeRequested(_) => { /* force an IDR */ }
//!             TransportEvent::TargetBitrate(bps) => { /* retarget the encoder */ let _ = bps; }
//!             TransportEvent::VideoCodec(c) => { /* encode in `c` from now on */ let _ = c; }
//!             _ => {}
//!         }
//!     }
//! #   break;
//! }
//! transport.shutdown();
//! # Ok::<(), glass_transport::Error>(())
//! ```
//!
//! Design: [`peer::Peer`] is a sans-IO session (time is an argument, no sockets) on top of
//! `str0m::Rtc`, running full ICE (it checks the viewer's candidates itself, controlled or
//! controlling, so the sharer can sit behind a NAT); [`driver`] owns the sockets, the clock and
//! one driver thread, and asks the configured STUN servers for server-reflexive candidates
//! (a sans-IO gatherer too). Every advertised address is a [`LocalCandidate`], whose
//! [`CandidateSource`] says where it comes from. Trickled viewer candidates go in with
//! [`Transport::add_remote_candidate`] (WHEP: `PATCH`). Wire details: `docs/protocol.md`.
//!
//! Panic policy: a panic is a bug. Network input (SDP, datagrams, control messages) never
//! panics; it yields [`Error::BadOffer`] / [`Error::Peer`] or is dropped and counted.
#![forbid(unsafe_code)]

pub mod candidate;
pub mod clipboard;
pub mod codec;
pub mod control;
pub mod cursor;
pub mod driver;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod peer;
pub(crate) mod relay_stream;
pub(crate) mod stun;
#[doc(hidden)]
pub mod testing;
pub mod turn;
pub mod turn_stream;
pub mod whep;

pub use candidate::{CandidateSource, LocalCandidate};
pub use codec::{CodecSet, VideoCodec};
pub use driver::{
    FrameDeparture, Impairment, InputPacket, InputPacketKind, RELAY_LOST, SessionId, SessionStats,
    Transport, TransportConfig, TransportEvent, TransportStats, VideoFrameOut,
};
pub use error::Error;
pub use turn::{TurnFailure, TurnServer, TurnStats, TurnTransport};
pub use turn_stream::TurnTls;
