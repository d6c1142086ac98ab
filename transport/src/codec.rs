//! Which video codec the one stream is in, from what the viewers can receive.
//!
//! Glass encodes once for every viewer, so the stream's codec must be one that every current
//! viewer negotiated. H.264 is preferred (hardware encoders, and what Glass measured most);
//! VP8 is the other codec every WebRTC browser must implement, and the only one Firefox offers
//! where its OpenH264 plugin is missing. The rule ([`stream_codec`], docs/protocol.md):
//!
//! - H.264 while every viewer can receive it; else VP8 if every viewer can; a viewer that
//!   offers only VP8 joining an H.264 stream whose viewers all took VP8 too (browsers offer
//!   both) switches the stream to VP8 ([`crate::TransportEvent::VideoCodec`]), and the last
//!   VP8-only viewer leaving switches it back;
//! - an offer that shares no codec with the viewers already watching is refused (WHEP 400,
//!   naming both sides' codecs), as is one with neither codec.

use std::fmt;

/// A video codec the transport can packetize.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum VideoCodec {
    /// H.264 constrained baseline / baseline, packetization-mode 1.
    H264,
    /// VP8.
    Vp8,
}

impl VideoCodec {
    fn bit(self) -> u8 {
        match self {
            Self::H264 => 1,
            Self::Vp8 => 2,
        }
    }
}

impl fmt::Display for VideoCodec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::H264 => "H.264",
            Self::Vp8 => "VP8",
        })
    }
}

/// A set of [`VideoCodec`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CodecSet(u8);

impl CodecSet {
    /// No codec.
    pub const NONE: CodecSet = CodecSet(0);
    /// H.264 and VP8.
    pub const ALL: CodecSet = CodecSet(3);

    /// The set of one codec.
    pub fn only(codec: VideoCodec) -> CodecSet {
        CodecSet(codec.bit())
    }

    /// The set with `codec` added.
    pub fn with(self, codec: VideoCodec) -> CodecSet {
        CodecSet(self.0 | codec.bit())
    }

    /// Whether `codec` is in the set.
    pub fn contains(self, codec: VideoCodec) -> bool {
        self.0 & codec.bit() != 0
    }

    /// The codecs in both sets.
    pub fn intersect(self, other: CodecSet) -> CodecSet {
        CodecSet(self.0 & other.0)
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The preferred codec of the set: H.264, else VP8.
    pub fn preferred(self) -> Option<VideoCodec> {
        [VideoCodec::H264, VideoCodec::Vp8]
            .into_iter()
            .find(|&c| self.contains(c))
    }
}

impl fmt::Display for CodecSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = [VideoCodec::H264, VideoCodec::Vp8]
            .into_iter()
            .filter(|&c| self.contains(c))
            .map(|c| c.to_string())
            .collect();
        if names.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&names.join(" and "))
        }
    }
}

/// The codec every viewer in `viewers` can receive, H.264 first; `None` if they share none (or
/// there are none).
pub fn stream_codec(viewers: impl IntoIterator<Item = CodecSet>) -> Option<VideoCodec> {
    let mut any = false;
    let common = viewers.into_iter().fold(CodecSet::ALL, |acc, v| {
        any = true;
        acc.intersect(v)
    });
    if any { common.preferred() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: CodecSet = CodecSet(1);
    const V: CodecSet = CodecSet(2);

    #[test]
    fn h264_while_everyone_takes_it_else_vp8() {
        assert_eq!(stream_codec([]), None);
        assert_eq!(stream_codec([CodecSet::ALL]), Some(VideoCodec::H264));
        assert_eq!(stream_codec([CodecSet::ALL, H]), Some(VideoCodec::H264));
        assert_eq!(stream_codec([CodecSet::ALL, V]), Some(VideoCodec::Vp8));
        assert_eq!(
            stream_codec([V, CodecSet::ALL, CodecSet::ALL]),
            Some(VideoCodec::Vp8)
        );
        assert_eq!(stream_codec([H, V]), None);
        assert_eq!(CodecSet::only(VideoCodec::Vp8), V);
        assert_eq!(CodecSet::NONE.with(VideoCodec::H264), H);
        assert_eq!(CodecSet::ALL.to_string(), "H.264 and VP8");
        assert_eq!(CodecSet::NONE.to_string(), "none");
    }
}
