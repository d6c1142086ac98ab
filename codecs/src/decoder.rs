//! Video decoding (needed by tests, benchmarks and the native viewer).

use crate::error::Result;
use crate::frame::VideoFrame;
use crate::packet::Codec;

/// A video decoder: [`Decoder::decode`] takes one access unit and returns the picture it
/// completes, if any.
pub trait Decoder: Send {
    /// Backend name.
    fn backend(&self) -> &'static str;
    /// Decodes one access unit (H.264: Annex-B; VP8: one frame). Malformed input is an error, never a panic. The
    /// returned frame is I420 from the decoder's pool.
    fn decode(&mut self, access_unit: &[u8]) -> Result<Option<VideoFrame>>;
}

/// The software H.264 decoder (openh264).
pub fn open_decoder() -> Result<Box<dyn Decoder>> {
    Ok(Box::new(crate::openh264::OpenH264Decoder::new()?))
}

/// A software decoder for `codec`: openh264 for H.264, libvpx for VP8.
pub fn open_decoder_for(codec: Codec) -> Result<Box<dyn Decoder>> {
    match codec {
        Codec::H264 => open_decoder(),
        #[cfg(target_os = "linux")]
        Codec::Vp8 => Ok(Box::new(crate::vpx::Vp8Decoder::new()?)),
        #[cfg(not(target_os = "linux"))]
        Codec::Vp8 => Err(crate::Error::Unavailable {
            backend: "libvpx",
            reason: "VP8 is built on Linux only".into(),
        }),
    }
}
