//! Copy and paste between helper and sharer. Text only, each direction on its own switch
//! ([`ClipboardPolicy`]: the sharer's agent and the organisation's setting), and only with a
//! viewer that has full control, not while sharing is paused. The decision is made in the
//! input thread, which knows each viewer's level; this thread only moves text between it
//! and the desktop's clipboard ([`glass_engine::clipboard`]). Text is never logged.

use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, TryRecvError, bounded};
use glass_engine::clipboard::Clipboard;

use crate::input::Cmd;

/// Which way text may go. Both ways need the helper to have full control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClipboardPolicy {
    /// What the sharer copies reaches the helper's clipboard.
    pub to_helper: bool,
    /// What the helper copies can be pasted on the sharer's machine.
    pub to_sharer: bool,
    /// On X11, text from the helper also goes to the primary selection (middle-click).
    pub primary: bool,
}

impl ClipboardPolicy {
    /// No clipboard either way.
    pub const OFF: ClipboardPolicy = ClipboardPolicy {
        to_helper: false,
        to_sharer: false,
        primary: false,
    };

    /// Both ways (with full control), the `CLIPBOARD` selection only.
    pub const BOTH: ClipboardPolicy = ClipboardPolicy {
        to_helper: true,
        to_sharer: true,
        primary: false,
    };

    /// Whether either direction is on.
    pub fn any(&self) -> bool {
        self.to_helper || self.to_sharer
    }

    /// What both `self` and `other` allow (the agent's own setting and the organisation's).
    pub fn and(self, other: ClipboardPolicy) -> ClipboardPolicy {
        ClipboardPolicy {
            to_helper: self.to_helper && other.to_helper,
            to_sharer: self.to_sharer && other.to_sharer,
            primary: self.primary && other.to_sharer,
        }
    }
}

impl Default for ClipboardPolicy {
    fn default() -> Self {
        ClipboardPolicy::BOTH
    }
}

/// Longest a wait for the desktop's clipboard blocks: bounds how late a helper's text is put
/// on it (a paste is a human action: 200 ms is not felt) and how late a stop is noticed,
/// while an idle share wakes this thread only five times a second.
const WAKE: Duration = Duration::from_millis(200);

/// The thread between the desktop's clipboard and the input thread.
pub(crate) struct ClipboardPump {
    stop: Sender<()>,
    thread: JoinHandle<()>,
}

impl ClipboardPump {
    /// Starts moving text: copies on this desktop go to `input` as
    /// [`Cmd::LocalClipboard`]; text arriving on `to_desktop` is put on the clipboard (the
    /// newest wins when several wait).
    pub(crate) fn start(
        mut clipboard: Box<dyn Clipboard>,
        input: Sender<Cmd>,
        to_desktop: Receiver<String>,
    ) -> std::io::Result<ClipboardPump> {
        let (stop, stopped) = bounded(1);
        let thread = std::thread::Builder::new()
            .name("glass-clipboard".into())
            .spawn(move || {
                loop {
                    if !matches!(stopped.try_recv(), Err(TryRecvError::Empty)) {
                        return;
                    }
                    if let Some(text) = to_desktop.try_iter().last()
                        && let Err(e) = clipboard.set_text(&text)
                    {
                        tracing::warn!("clipboard: the helper's text was not set: {e}");
                    }
                    match clipboard.next(Instant::now() + WAKE) {
                        Ok(Some(text)) => {
                            if input.try_send(Cmd::LocalClipboard(text)).is_err() {
                                tracing::debug!("clipboard: input thread busy, a copy dropped");
                            }
                        }
                        Ok(None) => {}
                        Err(e) => {
                            tracing::warn!("clipboard stopped: {e}");
                            return;
                        }
                    }
                }
            })?;
        Ok(ClipboardPump { stop, thread })
    }

    pub(crate) fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organisation_can_only_narrow_what_the_agent_allows() {
        let agent = ClipboardPolicy {
            to_helper: true,
            to_sharer: true,
            primary: true,
        };
        let org = ClipboardPolicy {
            to_helper: false,
            to_sharer: true,
            primary: false,
        };
        assert_eq!(
            agent.and(org),
            ClipboardPolicy {
                to_helper: false,
                to_sharer: true,
                primary: true
            }
        );
        assert_eq!(
            ClipboardPolicy::OFF.and(ClipboardPolicy::BOTH),
            ClipboardPolicy::OFF
        );
        assert!(!ClipboardPolicy::OFF.any());
        // PRIMARY is a way into the sharer's machine: off with to_sharer.
        let no_in = ClipboardPolicy {
            to_sharer: false,
            ..ClipboardPolicy::BOTH
        };
        assert!(!agent.and(no_in).primary);
    }
}
