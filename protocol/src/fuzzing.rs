//! Entry points for the fuzz targets in `fuzz/` (one-liners there). Not a stable API.

use crate::{MAX_FRAME_BYTES, decode_client, decode_server, encode};

/// One text frame through both decoders: never panics, and whatever decodes re-encodes to a
/// frame that decodes to the same message (unless re-encoding spelled out omitted `null`s and
/// crossed the 64 KiB limit, which must then be the only complaint).
pub fn decode(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(m) = decode_client(text) {
        let again = encode(&m);
        if again.len() <= MAX_FRAME_BYTES {
            assert_eq!(decode_client(&again).as_ref(), Ok(&m));
        }
    }
    if let Ok(m) = decode_server(text) {
        let again = encode(&m);
        if again.len() <= MAX_FRAME_BYTES {
            assert_eq!(decode_server(&again).as_ref(), Ok(&m));
        }
    }
}
