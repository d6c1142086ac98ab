//! Encoded output of an encoder.

use std::time::{Duration, Instant};

use bytes::Bytes;

/// A compression format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Codec {
    /// H.264 / AVC, Annex-B byte stream.
    H264,
    /// VP8 (RFC 6386), one frame per packet.
    Vp8,
}

impl std::fmt::Display for Codec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::H264 => "H.264",
            Self::Vp8 => "VP8",
        })
    }
}

/// Per-frame parameters that travel with a frame into the encoder and come back on its packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameParams {
    /// Encode this frame as a keyframe (IDR).
    pub force_keyframe: bool,
    /// The source's frame id.
    pub frame_id: u64,
    /// When the frame was captured.
    pub capture_time: Instant,
    /// Presentation time relative to the start of the stream.
    pub pts: Duration,
    /// An opaque value for the caller.
    pub opaque: u64,
}

impl FrameParams {
    /// Parameters for frame `frame_id` captured at `capture_time`, shown at `pts`.
    pub fn new(frame_id: u64, capture_time: Instant, pts: Duration) -> Self {
        Self {
            force_keyframe: false,
            frame_id,
            capture_time,
            pts,
            opaque: 0,
        }
    }
}

/// One encoded access unit (a whole frame).
#[derive(Debug, Clone)]
pub struct Packet {
    /// The bitstream. H.264: Annex-B with start codes; every keyframe begins with SPS and PPS.
    /// VP8: one frame as RFC 6386 defines it.
    pub data: Bytes,
    /// Whether this is a keyframe a decoder can start from.
    pub keyframe: bool,
    /// The codec.
    pub codec: Codec,
    /// The parameters the frame was sent with.
    pub params: FrameParams,
    /// When the encoder returned the packet.
    pub encoded_at: Instant,
}
