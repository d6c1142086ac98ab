//! An injector that records what it is asked to do: for tests, for the synthetic source
//! (which has no real display), and for embedding apps that inject input themselves.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use super::{Button, InjectError, Injected, Injector, Key, Point, WheelMode};

/// An owned copy of an [`Injected`] event.
#[derive(Debug, Clone, PartialEq)]
pub enum Recorded {
    /// Pointer moved.
    MoveTo(Point),
    /// Button pressed / released.
    Button(Button, bool),
    /// Wheel.
    Wheel(WheelMode, i32, i32),
    /// Key pressed / released.
    Key(Key, bool),
    /// Text typed.
    Text(String),
}

impl From<&Injected<'_>> for Recorded {
    fn from(e: &Injected<'_>) -> Recorded {
        match *e {
            Injected::MoveTo(p) => Recorded::MoveTo(p),
            Injected::Button { button, down } => Recorded::Button(button, down),
            Injected::Wheel { mode, dx, dy } => Recorded::Wheel(mode, dx, dy),
            Injected::Key { key, down } => Recorded::Key(key, down),
            Injected::Text(t) => Recorded::Text(t.to_string()),
        }
    }
}

/// The last events recorded, with the instant each was injected.
#[derive(Debug, Default)]
struct Log {
    events: VecDeque<(Instant, Recorded)>,
    total: u64,
}

/// Keeps the last [`RecordingInjector::CAPACITY`] events; clones share the log, so a test
/// keeps one clone and hands the other to the share.
#[derive(Debug, Clone, Default)]
pub struct RecordingInjector {
    log: Arc<Mutex<Log>>,
}

impl RecordingInjector {
    /// Events kept (older ones are forgotten; [`RecordingInjector::total`] still counts).
    pub const CAPACITY: usize = 10_000;

    /// An empty log.
    pub fn new() -> RecordingInjector {
        RecordingInjector::default()
    }

    /// The recorded events, oldest first.
    pub fn events(&self) -> Vec<Recorded> {
        self.lock().events.iter().map(|(_, e)| e.clone()).collect()
    }

    /// The recorded events with their injection instants.
    pub fn timed_events(&self) -> Vec<(Instant, Recorded)> {
        self.lock().events.iter().cloned().collect()
    }

    /// Events recorded since creation (including forgotten ones).
    pub fn total(&self) -> u64 {
        self.lock().total
    }

    /// Forgets the recorded events.
    pub fn clear(&self) {
        self.lock().events.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Log> {
        // A panicking test thread must not hide the log from the others.
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Injector for RecordingInjector {
    fn name(&self) -> &'static str {
        "recording"
    }

    fn inject(&mut self, event: &Injected<'_>) -> Result<(), InjectError> {
        let mut log = self.lock();
        if log.events.len() == Self::CAPACITY {
            log.events.pop_front();
        }
        log.events
            .push_back((Instant::now(), Recorded::from(event)));
        log.total += 1;
        Ok(())
    }
}
