//! How long a hardware encoder's `receive_packet` waits for frames still inside it (shared by
//! VideoToolbox and Media Foundation). Pure, tested on every platform.

use std::time::Duration;

/// After a wait ran out, until the encoder has caught up again.
pub const LATE_WAIT: Duration = Duration::from_millis(20);

/// The wait budget for frames in flight.
///
/// A low-latency hardware encoder returns each frame a few milliseconds after it went in, so
/// the wait returns each frame's packet in the same drain. A frame that takes longer than the
/// full wait (a GPU waking up, a session being rebuilt) must not make every later frame wait
/// as long, so the next waits are short ([`LATE_WAIT`]); as soon as every frame sent has come
/// out the full wait is armed again. The wait is never switched off for good: a switched-off
/// wait held the last change before the screen went idle until the next change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputWait {
    full: Duration,
    late: bool,
}

impl OutputWait {
    /// Waits up to `full` while the encoder keeps up.
    pub const fn new(full: Duration) -> Self {
        Self { full, late: false }
    }

    /// The longest to wait now for frames in flight.
    pub fn budget(&self) -> Duration {
        if self.late {
            LATE_WAIT.min(self.full)
        } else {
            self.full
        }
    }

    /// The wait ran out with frames still inside the encoder.
    pub fn handle_timeout(&mut self) {
        self.late = true;
    }

    /// Every frame sent so far has come out.
    pub fn handle_caught_up(&mut self) {
        self.late = false;
    }

    /// Whether the last wait ran out and the encoder has not caught up since.
    pub fn is_late(&self) -> bool {
        self.late
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_slow_frame_does_not_stop_waiting_for_good() {
        let full = Duration::from_secs(1);
        let mut w = OutputWait::new(full);
        assert_eq!(w.budget(), full);
        // The first frame after wake took over the full wait.
        w.handle_timeout();
        assert!(w.is_late());
        assert_eq!(w.budget(), LATE_WAIT);
        // Still behind at the next frame: short waits only.
        w.handle_timeout();
        assert_eq!(w.budget(), LATE_WAIT);
        // Caught up: the next frame is waited for in full again, so the last change before
        // the screen goes idle comes out in its own drain.
        w.handle_caught_up();
        assert!(!w.is_late());
        assert_eq!(w.budget(), full);
    }

    #[test]
    fn a_late_wait_is_never_longer_than_the_full_one() {
        let mut w = OutputWait::new(Duration::from_millis(5));
        w.handle_timeout();
        assert_eq!(w.budget(), Duration::from_millis(5));
    }
}
