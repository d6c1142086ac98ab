//! Video decoding (needed by tests, benchmarks and the native viewer).

use crate::error::Result;
use crate::frame::VideoFrame;

/// A video decoder: [`Decoder::decode`] takes one access unit and returns the picture it
/// completes, if any.
pub trait Decoder: Send {
    /// Backend name.
    fn backend(&self) -> &'static str;
    /// Decodes one Annex-B access unit. Malformed input is an error, never a panic. The
    /// returned frame is I420 from the decoder's pool.
    fn decode(&mut self, access_unit: &[u8]) -> Result<Option<VideoFrame>>;
}

/// The software H.264 decoder (openh264).
pub fn open_decoder() -> Result<Box<dyn Decoder>> {
    Ok(Box::new(crate::openh264::OpenH264Decoder::new()?))
}
