//! The sharer's text clipboard, for copy and paste between helper and sharer while the
//! helper has full control (the agent decides who may; this module only reads and writes).
//! X11: the `CLIPBOARD` selection (and `PRIMARY` when asked), with XFIXES telling us when
//! another client takes it; macOS: `NSPasteboard` (type-checked only).
//!
//! Text only, UTF-8, at most [`MAX_CLIPBOARD_BYTES`]. The text is never logged: errors and
//! counters name sizes, never contents.

use std::time::Instant;

use crate::capture::SourceSpec;
use crate::error::CaptureError;

/// Largest clipboard text read or written, in bytes (UTF-8). Fits one data-channel message
/// (64 KiB, what a WebRTC peer assumes when nothing else is said) and one X request without
/// INCR transfers, and is far more than a remote-help paste needs.
pub const MAX_CLIPBOARD_BYTES: usize = 60 * 1024;

/// A system clipboard.
pub trait Clipboard: Send {
    /// Waits until `deadline` for someone on this machine to put new text on the clipboard
    /// and returns it (`None`: nothing new, or what is there is not text or too large).
    /// Also serves other programs' requests for text this side set, so call it often (the
    /// agent's clipboard thread does nothing else).
    fn next(&mut self, deadline: Instant) -> Result<Option<String>, CaptureError>;
    /// Puts `text` on the clipboard (and the primary selection where asked), as this
    /// machine's user would by copying it. Text over [`MAX_CLIPBOARD_BYTES`] is refused.
    fn set_text(&mut self, text: &str) -> Result<(), CaptureError>;
}

/// Opens the clipboard of the desktop `spec` captures. `primary`: on X11, also set the
/// `PRIMARY` selection (middle-click paste) when text arrives.
pub fn open(spec: &SourceSpec, primary: bool) -> Result<Box<dyn Clipboard>, CaptureError> {
    match spec {
        #[cfg(target_os = "linux")]
        SourceSpec::X11 { display, .. } => Ok(Box::new(crate::capture::x11::X11Clipboard::open(
            display.as_deref(),
            primary,
        )?)),
        #[cfg(target_os = "macos")]
        SourceSpec::MacOs { .. } => {
            let _ = primary;
            Ok(Box::new(
                crate::capture::macos_clipboard::MacClipboard::new(),
            ))
        }
        other => {
            let _ = primary;
            Err(CaptureError::Unsupported(format!(
                "{other:?} has no clipboard"
            )))
        }
    }
}

/// Checks `text` against the limit; the error names the size, never the text.
#[cfg_attr(not(any(target_os = "linux", target_os = "macos")), allow(dead_code))]
pub(crate) fn check_size(text: &str) -> Result<(), CaptureError> {
    if text.len() > MAX_CLIPBOARD_BYTES {
        return Err(CaptureError::Unsupported(format!(
            "clipboard text of {} bytes is over the {MAX_CLIPBOARD_BYTES}-byte limit",
            text.len()
        )));
    }
    Ok(())
}
