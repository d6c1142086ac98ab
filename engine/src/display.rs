//! Which display of a source is shared. The sharer picks one before sharing; during a
//! session the helper can ask for another and the sharer's agent switches without a new
//! session. The capturer, the input injector and the pointer stream each follow one
//! [`DisplaySelection`], so one [`DisplaySelection::set`] moves the picture, where a click
//! lands and where the pointer is reported, together.
//!
//! Each component checks the selection's generation (one atomic load) before it works and
//! re-reads the display's geometry when it changed: the capturer before every capture and
//! while it waits, the injector before every event, the pointer stream on its next wake (at
//! most 250 ms later, or at the next pointer event).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The display a source's components follow (a RandR monitor name on X11, a display id on
/// macOS; `None`: the whole screen or the main display). Cloning shares it.
#[derive(Clone, Debug)]
pub struct DisplaySelection(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    generation: AtomicU64,
    id: Mutex<Option<String>>,
}

impl DisplaySelection {
    /// A selection of `id`.
    pub fn new(id: Option<String>) -> Self {
        Self(Arc::new(Inner {
            generation: AtomicU64::new(0),
            id: Mutex::new(id),
        }))
    }

    /// Selects `id`; every component following this selection switches to it. The caller
    /// checks that the display exists (`capture::displays`): a component asked for one that
    /// does not reports [`crate::CaptureError::NoSuchDisplay`] as it would at open.
    pub fn set(&self, id: Option<String>) {
        *self.0.id.lock().unwrap_or_else(|p| p.into_inner()) = id;
        self.0.generation.fetch_add(1, Ordering::Release);
    }

    /// The selected display.
    pub fn current(&self) -> Option<String> {
        self.0.id.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Follows this selection from the current generation on.
    pub(crate) fn follow(&self) -> Follower {
        Follower {
            seen: self.0.generation.load(Ordering::Acquire),
            selection: self.clone(),
        }
    }
}

/// One component's view of a [`DisplaySelection`].
#[derive(Debug)]
pub(crate) struct Follower {
    selection: DisplaySelection,
    seen: u64,
}

impl Follower {
    /// The newly selected display, once per [`DisplaySelection::set`] (several sets in a
    /// row: the last).
    pub(crate) fn changed(&mut self) -> Option<Option<String>> {
        let generation = self.selection.0.generation.load(Ordering::Acquire);
        if generation == self.seen {
            return None;
        }
        self.seen = generation;
        Some(self.selection.current())
    }

    /// The selected display now.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    pub(crate) fn current(&self) -> Option<String> {
        self.selection.current()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_follower_sees_each_switch_once_and_only_the_last_of_a_burst() {
        let s = DisplaySelection::new(Some("A".into()));
        let (mut capture, mut input) = (s.follow(), s.follow());
        assert_eq!(capture.changed(), None, "nothing switched yet");
        s.set(Some("B".into()));
        assert_eq!(capture.changed(), Some(Some("B".into())));
        assert_eq!(capture.changed(), None);
        s.set(None);
        s.set(Some("C".into()));
        assert_eq!(capture.changed(), Some(Some("C".into())));
        assert_eq!(
            input.changed(),
            Some(Some("C".into())),
            "followers are independent"
        );
        assert_eq!(input.current(), Some("C".into()));
    }
}
