//! [`WaylandCapturer`]: frames of a Mutter screen-cast stream behind the [`Capturer`] trait.
//!
//! The PipeWire thread ([`super::pw`]) copies each new picture into a pooled buffer and
//! leaves it in a one-slot [`Handoff`]; `capture` takes it (or waits on a condition variable
//! until one arrives or the deadline passes). A frame that arrives before the previous one
//! was taken replaces it, its damage merged in, so a slow pipeline sees the newest picture
//! and no queue builds up. Mutter sends a picture only when the screen changed, so an idle
//! screen costs nothing; `request_full_frame` re-sends the last picture with unknown damage.
#![forbid(unsafe_code)]

use std::sync::atomic::Ordering;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Instant;

use glass_codecs::{DamageList, VideoFrame};

use super::WaylandSession;
use super::pw::{self, PwThread};
use crate::capture::{CaptureInfo, Capturer, DisplayInfo};
use crate::error::CaptureError;

/// The one-slot, newest-wins handoff between the PipeWire thread and the capturer.
#[derive(Default)]
pub(crate) struct Handoff {
    slot: Mutex<Slot>,
    arrived: Condvar,
}

#[derive(Default)]
struct Slot {
    /// The newest frame not yet taken.
    frame: Option<VideoFrame>,
    /// When a frame first became pending since the last take.
    since: Option<Instant>,
    /// Why the stream ended, once it has.
    failed: Option<String>,
}

impl Handoff {
    fn lock(&self) -> MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Removes the pending frame (its buffer goes back to the pool) and returns its damage
    /// and whether there was one; the next [`Handoff::put`] carries that damage.
    pub(crate) fn take_pending_damage(&self) -> (Option<DamageList>, bool) {
        let frame = self.lock().frame.take();
        match frame {
            Some(f) => (f.damage, true),
            None => (None, false),
        }
    }

    /// Leaves `frame` for the capturer (replacing any pending one) and wakes it.
    pub(crate) fn put(&self, frame: VideoFrame, now: Instant) {
        let old = {
            let mut s = self.lock();
            s.since.get_or_insert(now);
            s.frame.replace(frame)
        };
        drop(old); // outside the lock
        self.arrived.notify_all();
    }

    /// Records that the stream ended and wakes the capturer.
    pub(crate) fn fail(&self, why: String) {
        self.lock().failed.get_or_insert(why);
        self.arrived.notify_all();
    }

    /// Waits until a frame is pending, the stream failed, or `deadline`.
    fn wait(&self, deadline: Instant) -> MutexGuard<'_, Slot> {
        let mut s = self.lock();
        while s.frame.is_none() && s.failed.is_none() {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            s = self
                .arrived
                .wait_timeout(s, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        s
    }
}

/// Captures the monitor of a [`WaylandSession`] through PipeWire. See the
/// [module docs](self).
pub struct WaylandCapturer {
    session: Arc<WaylandSession>,
    handoff: Arc<Handoff>,
    /// The last frame handed out, re-sent on `request_full_frame`.
    last: Option<VideoFrame>,
    full_pending: bool,
    next_id: u64,
    /// Stops (joined) on drop; it holds the session too, so the session outlives it.
    _thread: PwThread,
}

impl WaylandCapturer {
    /// Starts consuming `session`'s stream.
    pub fn new(session: Arc<WaylandSession>) -> Result<Self, CaptureError> {
        let handoff = Arc::new(Handoff::default());
        let thread = pw::start(session.clone(), handoff.clone())?;
        Ok(Self {
            session,
            handoff,
            last: None,
            full_pending: false,
            next_id: 0,
            _thread: thread,
        })
    }

    /// The shared session (the injector of the same source holds it too).
    pub fn session(&self) -> &Arc<WaylandSession> {
        &self.session
    }

    fn stamp(&mut self, mut frame: VideoFrame) -> VideoFrame {
        // Ids are the capturer's: re-sent frames need new ones too.
        frame.id = self.next_id;
        self.next_id += 1;
        self.last = Some(frame.clone());
        frame
    }
}

impl Capturer for WaylandCapturer {
    fn info(&self) -> CaptureInfo {
        let m = self.session.monitor();
        CaptureInfo {
            backend: match self.session.backend() {
                super::WaylandBackend::Mutter => "mutter-pipewire",
                super::WaylandBackend::Portal => "portal-pipewire",
            },
            display: DisplayInfo {
                backend: "wayland",
                id: m.connector.clone(),
                name: m.name.clone(),
                x: m.x,
                y: m.y,
                width: m.width,
                height: m.height,
                primary: m.primary,
            },
            damage_hints: true,
            zero_copy: false,
        }
    }

    fn capture(&mut self, deadline: Instant) -> Result<Option<VideoFrame>, CaptureError> {
        let taken = {
            let mut s = if self.full_pending && self.last.is_some() {
                self.handoff.lock()
            } else {
                self.handoff.wait(deadline)
            };
            if let Some(why) = &s.failed {
                return Err(CaptureError::Backend(why.clone()));
            }
            s.since = None;
            s.frame.take()
        };
        let frame = match (taken, self.full_pending) {
            (Some(mut f), true) => {
                f.damage = None;
                f
            }
            (Some(f), false) => f,
            (None, true) => match self.last.clone() {
                Some(mut f) => {
                    let now = Instant::now();
                    f.damage = None;
                    f.capture_time = now;
                    f.stages = Default::default();
                    f.stages.captured = Some(now);
                    f
                }
                None => return Ok(None),
            },
            (None, false) => return Ok(None),
        };
        self.full_pending = false;
        Ok(Some(self.stamp(frame)))
    }

    fn request_full_frame(&mut self) {
        self.full_pending = true;
    }

    fn dropped_frames(&self) -> u64 {
        self.session.stats().replaced_frames.load(Ordering::Relaxed)
    }

    fn wait_change(&mut self, until: Instant) -> Result<Option<Instant>, CaptureError> {
        let s = self.handoff.wait(until);
        if let Some(why) = &s.failed {
            return Err(CaptureError::Backend(why.clone()));
        }
        Ok(s.since)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use glass_codecs::{FramePool, PixelFormat, Rect};

    #[test]
    fn the_slot_keeps_the_newest_frame_and_wakes_a_waiter() {
        let h = Arc::new(Handoff::default());
        let pool = FramePool::new(PixelFormat::Bgrx, 4, 4, 2);
        let t0 = Instant::now();
        let (mut a, ()) = pool.get_with(1, t0, |_, _| ());
        let mut d = DamageList::new();
        d.push(Rect::new(0, 0, 1, 1));
        a.damage = Some(d);
        h.put(a, t0);
        let (old, replaced) = h.take_pending_damage();
        assert!(replaced);
        assert_eq!(old.unwrap().as_slice(), &[Rect::new(0, 0, 1, 1)]);
        let (b, ()) = pool.get_with(2, t0, |_, _| ());
        h.put(b, t0);
        assert_eq!(
            pool.allocated(),
            1,
            "the replaced frame's buffer was reused"
        );
        let waiter = {
            let h = h.clone();
            std::thread::spawn(move || {
                let deadline = Instant::now() + std::time::Duration::from_secs(5);
                let mut s = h.wait(deadline);
                s.frame.take().map(|f| f.id)
            })
        };
        assert_eq!(waiter.join().unwrap(), Some(2));
        h.fail("gone".into());
        assert_eq!(
            h.wait(Instant::now()).failed.as_deref(),
            Some("gone"),
            "a failure wakes the waiter"
        );
    }
}
