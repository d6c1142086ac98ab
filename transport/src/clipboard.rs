//! Messages on the `clipboard` data channel: text copied on one side, for pasting on the
//! other, while the helper has full control (the sharer's agent decides; the transport only
//! carries). Reliable and ordered, created by the viewer; both directions. `docs/protocol.md`
//! ("Clipboard channel") has the layout.
//!
//! Every message is binary: a version byte ([`CLIPBOARD_VERSION`]), a type byte
//! ([`TEXT_TYPE`]), then the text as UTF-8, at most [`MAX_CLIPBOARD_TEXT`] bytes. Decoding
//! never panics: anything else is an [`Error::Peer`] that names what was wrong, never the
//! text.

use crate::error::Error;

/// Label of the clipboard data channel (reliable, ordered, created by the viewer).
pub const CLIPBOARD_LABEL: &str = "clipboard";
/// First byte of every clipboard message.
pub const CLIPBOARD_VERSION: u8 = 1;
/// Type byte of a text message.
pub const TEXT_TYPE: u8 = 1;
/// Largest text, bytes of UTF-8: with its two header bytes a message stays within the 64 KiB
/// a WebRTC peer may assume.
pub const MAX_CLIPBOARD_TEXT: usize = 60 * 1024;

/// The bytes of a text message. `text` should be at most [`MAX_CLIPBOARD_TEXT`] bytes (the
/// peer refuses more).
pub fn encode_text(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(2 + text.len());
    out.extend_from_slice(&[CLIPBOARD_VERSION, TEXT_TYPE]);
    out.extend_from_slice(text.as_bytes());
    out
}

/// The text of one message. Unknown versions and types, oversized or non-UTF-8 text are
/// [`Error::Peer`]; never panics.
pub fn decode_text(data: &[u8]) -> Result<&str, Error> {
    let bad = |what: &str| Err(Error::Peer(format!("clipboard message: {what}")));
    let Some((&[version, kind], text)) = data.split_first_chunk::<2>() else {
        return bad("shorter than its header");
    };
    if version != CLIPBOARD_VERSION {
        return bad("unknown version");
    }
    if kind != TEXT_TYPE {
        return bad("unknown type");
    }
    if text.len() > MAX_CLIPBOARD_TEXT {
        return bad("text over the limit");
    }
    std::str::from_utf8(text).or_else(|_| bad("text is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_in_any_script_round_trips_and_the_layout_is_as_documented() {
        let text = "héllo ✓ 日本 مرحبا 👩‍💻";
        let bytes = encode_text(text);
        assert_eq!(&bytes[..2], &[1, 1]);
        assert_eq!(decode_text(&bytes).unwrap(), text);
        assert_eq!(
            decode_text(&[1, 1]).unwrap(),
            "",
            "an empty clipboard is text too"
        );
    }

    #[test]
    fn malformed_messages_are_refused_without_echoing_the_text() {
        for (bytes, why) in [
            (vec![], "shorter"),
            (vec![1], "shorter"),
            (vec![2, 1, b'a'], "version"),
            (vec![1, 2, b'a'], "type"),
            (vec![1, 1, 0xff, 0xfe], "UTF-8"),
        ] {
            let e = decode_text(&bytes).unwrap_err().to_string();
            assert!(e.contains(why), "{e}");
        }
        let mut big = encode_text(&"s".repeat(MAX_CLIPBOARD_TEXT));
        assert!(decode_text(&big).is_ok(), "exactly the limit is fine");
        big.push(b's');
        let e = decode_text(&big).unwrap_err().to_string();
        assert!(e.contains("limit") && !e.contains("sss"), "{e}");
    }

    proptest! {
        #[test]
        fn decoding_never_panics(data in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = decode_text(&data);
        }
    }
}
