//! Chat text: what the broker accepts and how it normalises it before relaying.

use glass_protocol::ErrorCode;
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// At most this many grapheme clusters (user-perceived characters) per line.
pub const MAX_GRAPHEMES: usize = 2000;
/// At most this many bytes of UTF-8 after normalisation.
pub const MAX_BYTES: usize = 16 * 1024;

/// Why a chat line was refused (answered with `chat_invalid`). Never carries the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChatError {
    /// Empty, or only whitespace.
    #[error("chat text is empty")]
    Empty,
    /// More than [`MAX_GRAPHEMES`] grapheme clusters.
    #[error("chat text has {graphemes} characters (at most {MAX_GRAPHEMES})")]
    TooLong {
        /// Grapheme clusters counted (counting stops a little past the limit).
        graphemes: usize,
    },
    /// More than [`MAX_BYTES`] after normalisation.
    #[error("chat text is {bytes} bytes (at most {MAX_BYTES})")]
    TooLarge {
        /// UTF-8 bytes after normalisation.
        bytes: usize,
    },
    /// A control character other than newline and tab.
    #[error("chat text contains control character U+{code_point:04X}")]
    ControlCharacter {
        /// The first one found.
        code_point: u32,
    },
}

impl ChatError {
    /// The `error` code to answer with.
    pub fn code(self) -> ErrorCode {
        ErrorCode::ChatInvalid
    }
}

/// Normalises a chat line for relaying, or refuses it.
///
/// Line breaks are first unified to `\n` (`\r\n` and a lone `\r`, as Windows and old Mac
/// text sends them); then the text is put in NFC, so that `e` + combining acute and `é` are
/// the same bytes on both screens. Refused: empty or whitespace-only text, control characters
/// other than `\n` and `\t` (category Cc: NUL, ESC, DEL, C1…), more than [`MAX_GRAPHEMES`]
/// grapheme clusters (an emoji ZWJ family is one), more than [`MAX_BYTES`].
///
/// Bidirectional text is accepted as is; explicit bidi controls (U+202A–U+202E,
/// U+2066–U+2069) are format characters, not control characters, and pass: clients render
/// each line isolated (`dir="auto"` / `<bdi>`), so they cannot reorder anything outside it.
pub fn normalize_chat(text: &str) -> Result<String, ChatError> {
    // The frame limit (64 KiB) bounds the input; NFC can grow text (at most 3x in theory),
    // so refuse clearly oversized input before doing the work.
    if text.len() > 4 * MAX_BYTES {
        return Err(ChatError::TooLarge { bytes: text.len() });
    }
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let normalized: String = unified.nfc().collect();
    if normalized.len() > MAX_BYTES {
        return Err(ChatError::TooLarge {
            bytes: normalized.len(),
        });
    }
    if let Some(c) = normalized
        .chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(ChatError::ControlCharacter {
            code_point: u32::from(c),
        });
    }
    if normalized.chars().all(char::is_whitespace) {
        return Err(ChatError::Empty);
    }
    let graphemes = normalized.graphemes(true).take(MAX_GRAPHEMES + 1).count();
    if graphemes > MAX_GRAPHEMES {
        return Err(ChatError::TooLong { graphemes });
    }
    Ok(normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_as_is() {
        for text in [
            "hello",
            "a\tb\nc",
            "مرحبا، كيف يمكنني المساعدة؟", // Arabic, right to left
            "你好，请点击开始按钮。",      // Chinese
            "Click «Start» then עברית then 123", // mixed bidi
            "\u{202E}abc\u{202C}",         // explicit bidi override: format, not control
            "👨‍👩‍👧‍👦",                          // ZWJ family
            "  leading and trailing  ",
        ] {
            assert_eq!(normalize_chat(text).as_deref(), Ok(text), "{text:?}");
        }
    }

    #[test]
    fn nfc_composes() {
        // e + COMBINING ACUTE ACCENT -> é; A + RING ABOVE -> Å; Hangul jamo -> syllable.
        assert_eq!(normalize_chat("cafe\u{301}").unwrap(), "caf\u{e9}");
        assert_eq!(normalize_chat("A\u{30a}").unwrap(), "\u{c5}");
        assert_eq!(normalize_chat("\u{1100}\u{1161}").unwrap(), "\u{ac00}");
        // Already composed stays the same.
        assert_eq!(normalize_chat("caf\u{e9}").unwrap(), "caf\u{e9}");
    }

    #[test]
    fn line_breaks_are_unified() {
        assert_eq!(normalize_chat("a\r\nb\rc").unwrap(), "a\nb\nc");
    }

    #[test]
    fn refused() {
        let cases: [(&str, ChatError); 8] = [
            ("", ChatError::Empty),
            ("   ", ChatError::Empty),
            ("\n\t \u{3000}", ChatError::Empty), // ideographic space is whitespace
            ("a\u{0}b", ChatError::ControlCharacter { code_point: 0 }),
            (
                "\u{1b}[31mred",
                ChatError::ControlCharacter { code_point: 0x1b },
            ),
            (
                "del\u{7f}",
                ChatError::ControlCharacter { code_point: 0x7f },
            ),
            ("c1\u{85}", ChatError::ControlCharacter { code_point: 0x85 }),
            ("\u{8}", ChatError::ControlCharacter { code_point: 8 }),
        ];
        for (text, want) in cases {
            assert_eq!(normalize_chat(text), Err(want), "{text:?}");
            assert_eq!(want.code(), ErrorCode::ChatInvalid);
        }
    }

    #[test]
    fn grapheme_limit() {
        let ok = "x".repeat(MAX_GRAPHEMES);
        assert!(normalize_chat(&ok).is_ok());
        assert_eq!(
            normalize_chat(&"x".repeat(MAX_GRAPHEMES + 1)),
            Err(ChatError::TooLong {
                graphemes: MAX_GRAPHEMES + 1
            })
        );
        // 2000 ZWJ families are 2000 graphemes but 25 bytes each: over the byte limit.
        let family = "👨‍👩‍👧‍👦";
        assert_eq!(family.len(), 25);
        assert_eq!(
            normalize_chat(&family.repeat(MAX_GRAPHEMES)),
            Err(ChatError::TooLarge {
                bytes: 25 * MAX_GRAPHEMES
            })
        );
        // 600 of them: 600 graphemes, 15,000 bytes, fine.
        assert!(normalize_chat(&family.repeat(600)).is_ok());
        // Combining sequences that do not compose count as one grapheme each.
        let stacked = "a\u{301}\u{316}".repeat(MAX_GRAPHEMES);
        assert!(normalize_chat(&stacked).is_ok());
    }

    #[test]
    fn byte_limit() {
        // 5,462 three-byte characters = 16,386 bytes.
        let cjk = "中".repeat(MAX_BYTES / 3 + 1);
        assert!(matches!(
            normalize_chat(&cjk),
            Err(ChatError::TooLarge { .. }) | Err(ChatError::TooLong { .. })
        ));
        assert!(matches!(
            normalize_chat(&"x".repeat(5 * MAX_BYTES)),
            Err(ChatError::TooLarge { .. })
        ));
    }

    #[test]
    fn errors_never_carry_the_text() {
        let e = normalize_chat("secret\u{0}").unwrap_err();
        assert!(!format!("{e} {e:?}").contains("secret"));
    }
}
