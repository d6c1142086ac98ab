//! Glass transport: the WebRTC peer (str0m), WHEP signalling and data channels.
//!
//! Only this crate knows RTP and WebRTC. It is empty until the transport work lands; the
//! engine and codecs crates never depend on it.
#![forbid(unsafe_code)]
