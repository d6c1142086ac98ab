//! The macOS clipboard ([`crate::clipboard`]): the general `NSPasteboard`, plain text only.
//! macOS sends no notification of a copy, so its `changeCount` is polled every 250 ms
//! (what clipboard managers do); the count at open is the baseline, so nothing copied
//! before the share is read. Type-checked on Linux, not run (`docs/macos.md`).

use std::time::{Duration, Instant};

use objc2_app_kit::{NSPasteboard, NSPasteboardTypeString};
use objc2_foundation::NSString;

use crate::clipboard::{Clipboard, MAX_CLIPBOARD_BYTES, check_size};
use crate::error::CaptureError;

/// How often the pasteboard's change count is read.
const POLL: Duration = Duration::from_millis(250);

/// The general pasteboard.
pub struct MacClipboard {
    /// The change count last seen (ours included: a text we set is not read back).
    seen: isize,
}

impl MacClipboard {
    /// The general pasteboard, from its current contents on.
    pub fn new() -> Self {
        Self {
            seen: NSPasteboard::generalPasteboard().changeCount(),
        }
    }
}

impl Default for MacClipboard {
    fn default() -> Self {
        Self::new()
    }
}

impl Clipboard for MacClipboard {
    fn next(&mut self, deadline: Instant) -> Result<Option<String>, CaptureError> {
        loop {
            let board = NSPasteboard::generalPasteboard();
            let count = board.changeCount();
            if count != self.seen {
                self.seen = count;
                // SAFETY: NSPasteboardTypeString is an immutable AppKit constant, initialised
                // before any Rust code runs.
                let kind = unsafe { NSPasteboardTypeString };
                let text = board.stringForType(kind).map(|s| s.to_string());
                return Ok(text.filter(|t| t.len() <= MAX_CLIPBOARD_BYTES));
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            std::thread::sleep(POLL.min(deadline - now));
        }
    }

    fn set_text(&mut self, text: &str) -> Result<(), CaptureError> {
        check_size(text)?;
        let board = NSPasteboard::generalPasteboard();
        board.clearContents();
        // SAFETY: as in `next`.
        let kind = unsafe { NSPasteboardTypeString };
        let ok = board.setString_forType(&NSString::from_str(text), kind);
        self.seen = board.changeCount();
        if ok {
            Ok(())
        } else {
            Err(CaptureError::Backend(
                "the pasteboard refused the text".into(),
            ))
        }
    }
}
