//! Glass help-session protocol, version 1: the serde types of `docs/session-protocol.md`.
//!
//! Every WebSocket message is one JSON text frame `{"v":1,"type":…}`. Decode what arrives with
//! [`decode_client`] (broker side) or [`decode_server`] (agent and browser side), answer a
//! refusal with [`DecodeError::code`], and [`encode`] what you send:
//!
//! ```no_run
//! use glass_protocol::{ClientMessage, ServerMessage, decode_client, encode};
//! # fn recv() -> Option<String> { None }
//! # fn send(_: String) {}
//! while let Some(frame) = recv() {
//!     let reply = match decode_client(&frame) {
//!         Ok(ClientMessage::Ping { t }) => ServerMessage::Pong { t },
//!         Ok(other) => { /* hand to the session core */ let _ = other; continue; }
//!         // Counted and answered; the session is not changed.
//!         Err(e) => ServerMessage::error(e.code()),
//!     };
//!     send(encode(&reply));
//! }
//! ```
//!
//! Design: the enums are internally tagged by `"type"` and refuse unknown fields; the `v`
//! envelope, the 64 KiB limit and the unknown-`type` check live in [`codec`], so the message
//! types stay plain data. HTTP bodies are in [`http`].
//!
//! Panic policy: a panic is a bug. Decoding never panics on any input (fuzzed:
//! `fuzz/fuzz_targets/session_protocol.rs`), and its errors never contain the input, so they
//! are safe to log and to send back.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod codec;
#[doc(hidden)]
pub mod fuzzing;
pub mod http;
pub mod message;

pub use codec::{
    DecodeError, MAX_FRAME_BYTES, Message, VERSION, decode_body, decode_client, decode_server,
    encode, encode_body, encode_client, encode_server,
};
pub use http::{
    ApiError, ApiErrorCode, Credentials, LoginRequest, LoginResponse, MeResponse, TokenRequest,
    TokenResponse,
};
pub use message::{
    Card, Client, ClientMessage, ClipboardRule, ConsentReason, DeviceProof, DeviceWarning,
    EndReason, ErrorCode, IceCandidate, IceServer, Level, MAX_PICTURE_BYTES, SdpType,
    ServerMessage, SessionDescription, Side, Signal, Vouched, picture_ok,
};

#[cfg(test)]
mod tests;
