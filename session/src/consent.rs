//! The agent's own consent gate, on the sharer's machine: what the helper may do here is
//! decided by this machine's user, never by the broker.
//!
//! The broker forwards requests ([`ConsentGate::handle_request`]); the local UI shows a prompt
//! and answers ([`ConsentGate::handle_local_answer`]) — the **only** call that raises the
//! level. Whatever the broker claims (a `consent_result` with `allow: true`, a
//! `sharer_state`, a replayed or forged answer) is counted and ignored
//! ([`ConsentGate::handle_broker_claim`], [`ConsentGate::handle_broker_result`]). Lowering is
//! always allowed and always local: pause, resume, take back control, stop.
//!
//! ```no_run
//! use std::time::{Duration, Instant};
//! use glass_session::consent::{ConsentGate, GateOutput};
//! use glass_protocol::Level;
//! let mut gate = ConsentGate::new(Duration::from_secs(60));
//! gate.handle_request(Instant::now(), 1, Level::View)?; // from consent_request
//! while let Some(out) = gate.poll_output() {
//!     if let GateOutput::Prompt { id, level, .. } = out { /* ask the user */ let _ = (id, level); }
//! }
//! gate.handle_local_answer(Instant::now(), 1, true)?;   // the user clicked Allow
//! assert!(gate.capture_allowed());
//! # Ok::<(), glass_session::consent::GateError>(())
//! ```

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use glass_protocol::Level;

/// Something for the local UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GateOutput {
    /// Ask the user: the helper wants `level`. Answer with
    /// [`ConsentGate::handle_local_answer`] before `deadline`.
    Prompt {
        /// The request's id.
        id: u64,
        /// What the helper asks for.
        level: Level,
        /// After this the request is declined.
        deadline: Instant,
    },
    /// Nobody answered in time: the request is declined; close the prompt.
    Expired {
        /// The request's id.
        id: u64,
    },
    /// The prompt is moot (a newer request replaced it, the broker timed it out, or the
    /// session stopped): close it.
    Withdrawn {
        /// The request's id.
        id: u64,
    },
}

/// A local action or answer that does not apply now (the caller's mistake or a race with a
/// timeout; nothing changed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GateError {
    /// The session was stopped: nothing applies any more.
    #[error("the session is stopped")]
    Stopped,
    /// A request whose id is not newer than one already seen (a replay).
    #[error("request id already seen")]
    StaleRequest,
    /// An answer for no open prompt: an old id, a replay, or too late.
    #[error("no open prompt with this id")]
    NoPrompt,
    /// Pause, resume or take back before anything was allowed.
    #[error("nothing is shared yet")]
    NotActive,
    /// Already in the asked state (pause while paused, take back at `view`).
    #[error("nothing to change")]
    Unchanged,
}

/// What the gate ignored and decided, for the agent's stats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GateStats {
    /// Broker claims of a grant or a level (ignored).
    pub ignored_claims: u64,
    /// Requests with an old id (ignored).
    pub stale_requests: u64,
    /// Answers for no open prompt (ignored).
    pub stale_answers: u64,
    /// Requests after stop (ignored).
    pub requests_after_stop: u64,
    /// Prompts the user allowed.
    pub allowed: u64,
    /// Prompts the user declined.
    pub declined: u64,
    /// Prompts that timed out.
    pub expired: u64,
    /// Policy limits from the broker that lowered the level or withdrew a prompt.
    pub limits: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Prompt {
    id: u64,
    level: Level,
    deadline: Instant,
}

/// The sharer's own consent state. See the module docs.
///
/// Drain rule: after every call, [`ConsentGate::poll_output`] until `None`; arm a timer for
/// [`ConsentGate::poll_timeout`] and call [`ConsentGate::handle_timeout`] when it fires. Read
/// [`ConsentGate::capture_allowed`] / [`ConsentGate::input_allowed`] after each call and
/// start or stop capture and input to match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentGate {
    timeout: Duration,
    level: Option<Level>,
    paused: bool,
    stopped: bool,
    prompt: Option<Prompt>,
    highest_request: u64,
    /// The organisation's limit for this session ([`ConsentGate::handle_broker_limit`]):
    /// only ever lowered.
    limit: Level,
    outputs: VecDeque<GateOutput>,
    stats: GateStats,
}

impl ConsentGate {
    /// A gate with nothing allowed; a prompt unanswered for `timeout` (60 s in the protocol)
    /// is declined.
    pub fn new(timeout: Duration) -> ConsentGate {
        ConsentGate {
            timeout,
            level: None,
            paused: false,
            stopped: false,
            prompt: None,
            highest_request: 0,
            limit: Level::Full,
            outputs: VecDeque::new(),
            stats: GateStats::default(),
        }
    }

    /// The level this machine's user allowed (`None` before the first Allow and after stop).
    pub fn level(&self) -> Option<Level> {
        self.level
    }

    /// Whether the user paused.
    pub fn paused(&self) -> bool {
        self.paused
    }

    /// Whether the session was stopped.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// Whether pixels may be captured and sent: after a local Allow, not paused, not stopped.
    pub fn capture_allowed(&self) -> bool {
        !self.stopped && !self.paused && self.level.is_some()
    }

    /// Whether remote input may be injected: [`ConsentGate::capture_allowed`] at `full`.
    pub fn input_allowed(&self) -> bool {
        self.capture_allowed() && self.level == Some(Level::Full)
    }

    /// The open prompt's id, if any.
    pub fn prompt(&self) -> Option<u64> {
        self.prompt.map(|p| p.id)
    }

    /// Counters.
    pub fn stats(&self) -> &GateStats {
        &self.stats
    }

    /// The next thing for the UI, or `None` when drained.
    pub fn poll_output(&mut self) -> Option<GateOutput> {
        self.outputs.pop_front()
    }

    /// The open prompt's deadline.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.prompt.map(|p| p.deadline)
    }

    /// A `consent_request` from the broker: opens a prompt ([`GateOutput::Prompt`]). Ids must
    /// increase (a replayed request is refused and counted). A newer request replaces an
    /// open prompt ([`GateOutput::Withdrawn`] for the old one). Raises nothing.
    pub fn handle_request(&mut self, now: Instant, id: u64, level: Level) -> Result<(), GateError> {
        if self.stopped {
            self.stats.requests_after_stop += 1;
            return Err(GateError::Stopped);
        }
        if id <= self.highest_request {
            self.stats.stale_requests += 1;
            return Err(GateError::StaleRequest);
        }
        self.highest_request = id;
        if let Some(old) = self.prompt.take() {
            self.outputs.push_back(GateOutput::Withdrawn { id: old.id });
        }
        let deadline = now + self.timeout;
        self.prompt = Some(Prompt {
            id,
            level,
            deadline,
        });
        self.outputs.push_back(GateOutput::Prompt {
            id,
            level,
            deadline,
        });
        Ok(())
    }

    /// This machine's user answered prompt `id`. The only way the level rises: on Allow the
    /// level becomes the one the prompt showed. Refused (and counted) for anything but the
    /// open prompt before its deadline.
    pub fn handle_local_answer(
        &mut self,
        now: Instant,
        id: u64,
        allow: bool,
    ) -> Result<(), GateError> {
        if self.stopped {
            return Err(GateError::Stopped);
        }
        let Some(prompt) = self.prompt.filter(|p| p.id == id && now < p.deadline) else {
            self.stats.stale_answers += 1;
            return Err(GateError::NoPrompt);
        };
        self.prompt = None;
        if allow {
            // Never above the organisation's limit, whatever the prompt showed.
            self.level = Some(prompt.level.min(self.limit));
            self.stats.allowed += 1;
        } else {
            self.stats.declined += 1;
        }
        Ok(())
    }

    /// The broker claimed a grant or a level (`consent_result` with `allow: true`,
    /// `sharer_state`, anything that would raise): ignored, counted.
    pub fn handle_broker_claim(&mut self) {
        self.stats.ignored_claims += 1;
    }

    /// `level_limited` from the broker: the organisation's policy allows at most `level`
    /// from now on. Only ever lowers (a limit is the one broker word the gate follows, since
    /// obeying it can only take power away): the level in force drops to it and an open
    /// prompt for more is withdrawn ([`GateOutput::Withdrawn`]). A later, higher limit raises
    /// nothing.
    pub fn handle_broker_limit(&mut self, _now: Instant, level: Level) {
        if level >= self.limit {
            return;
        }
        self.limit = level;
        self.stats.limits += 1;
        if let Some(current) = self.level {
            self.level = Some(current.min(level));
        }
        if let Some(p) = self.prompt.filter(|p| p.level > level) {
            self.prompt = None;
            self.outputs.push_back(GateOutput::Withdrawn { id: p.id });
        }
    }

    /// A `consent_result` from the broker. `allow: true` is a claim ([`Self::handle_broker_claim`]):
    /// ignored. A refusal (the broker's timeout) for the open prompt closes it
    /// ([`GateOutput::Withdrawn`]): closing a question never grants anything.
    pub fn handle_broker_result(&mut self, _now: Instant, id: u64, allow: bool) {
        if allow {
            self.handle_broker_claim();
        } else if self.prompt.is_some_and(|p| p.id == id) {
            self.prompt = None;
            self.outputs.push_back(GateOutput::Withdrawn { id });
        }
    }

    /// Declines the open prompt once its deadline has passed ([`GateOutput::Expired`]).
    pub fn handle_timeout(&mut self, now: Instant) {
        if let Some(p) = self.prompt.filter(|p| now >= p.deadline) {
            self.prompt = None;
            self.stats.expired += 1;
            self.outputs.push_back(GateOutput::Expired { id: p.id });
        }
    }

    fn active(&self) -> Result<Level, GateError> {
        if self.stopped {
            return Err(GateError::Stopped);
        }
        self.level.ok_or(GateError::NotActive)
    }

    /// The user paused: no pixels, no input until resume.
    pub fn pause(&mut self, _now: Instant) -> Result<(), GateError> {
        self.active()?;
        if self.paused {
            return Err(GateError::Unchanged);
        }
        self.paused = true;
        Ok(())
    }

    /// The user resumed (at the level in force).
    pub fn resume(&mut self, _now: Instant) -> Result<(), GateError> {
        self.active()?;
        if !self.paused {
            return Err(GateError::Unchanged);
        }
        self.paused = false;
        Ok(())
    }

    /// The user took back control: `full` → `view`.
    pub fn take_back(&mut self, _now: Instant) -> Result<(), GateError> {
        if self.active()? != Level::Full {
            return Err(GateError::Unchanged);
        }
        self.level = Some(Level::View);
        Ok(())
    }

    /// The user stopped sharing: nothing is allowed any more, for good. An open prompt is
    /// withdrawn.
    pub fn stop(&mut self, _now: Instant) {
        if let Some(p) = self.prompt.take() {
            self.outputs.push_back(GateOutput::Withdrawn { id: p.id });
        }
        self.stopped = true;
        self.level = None;
        self.paused = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Duration = Duration::from_secs(60);

    fn drain(gate: &mut ConsentGate) -> Vec<GateOutput> {
        std::iter::from_fn(|| gate.poll_output()).collect()
    }

    #[test]
    fn nothing_before_the_first_local_allow() {
        let t0 = Instant::now();
        let mut gate = ConsentGate::new(T);
        assert!(!gate.capture_allowed());
        gate.handle_request(t0, 1, Level::Full).unwrap();
        assert_eq!(
            drain(&mut gate),
            [GateOutput::Prompt {
                id: 1,
                level: Level::Full,
                deadline: t0 + T
            }]
        );
        assert!(!gate.capture_allowed());
        assert_eq!(gate.level(), None);
        gate.handle_local_answer(t0, 1, true).unwrap();
        assert_eq!(gate.level(), Some(Level::Full));
        assert!(gate.capture_allowed() && gate.input_allowed());
    }

    #[test]
    fn forged_approval_does_not_raise() {
        let t0 = Instant::now();
        let mut gate = ConsentGate::new(T);
        // Before any request, and while a prompt is open: the broker claims an allow.
        gate.handle_broker_result(t0, 1, true);
        gate.handle_request(t0, 1, Level::View).unwrap();
        gate.handle_broker_result(t0, 1, true);
        gate.handle_broker_claim();
        assert_eq!(gate.level(), None);
        assert!(!gate.capture_allowed());
        assert_eq!(gate.prompt(), Some(1), "the prompt stays open for the user");
        assert_eq!(gate.stats().ignored_claims, 3);
        // At view, a claimed escalation to full changes nothing either.
        gate.handle_local_answer(t0, 1, true).unwrap();
        gate.handle_request(t0, 2, Level::Full).unwrap();
        gate.handle_broker_result(t0, 2, true);
        assert_eq!(gate.level(), Some(Level::View));
        assert!(!gate.input_allowed());
    }

    #[test]
    fn replayed_answer_for_an_old_id_does_nothing() {
        let t0 = Instant::now();
        let mut gate = ConsentGate::new(T);
        gate.handle_request(t0, 1, Level::View).unwrap();
        gate.handle_local_answer(t0, 1, true).unwrap();
        gate.handle_request(t0, 2, Level::Full).unwrap();
        // The old Allow replayed while request 2 is open.
        assert_eq!(
            gate.handle_local_answer(t0, 1, true),
            Err(GateError::NoPrompt)
        );
        assert_eq!(gate.level(), Some(Level::View));
        assert_eq!(gate.prompt(), Some(2));
        gate.handle_local_answer(t0, 2, false).unwrap();
        // Allow for the declined request, after the fact.
        assert_eq!(
            gate.handle_local_answer(t0, 2, true),
            Err(GateError::NoPrompt)
        );
        assert_eq!(gate.level(), Some(Level::View));
        assert_eq!(gate.stats().stale_answers, 2);
        // A replayed request id opens nothing.
        assert_eq!(
            gate.handle_request(t0, 1, Level::Full),
            Err(GateError::StaleRequest)
        );
        assert_eq!(gate.prompt(), None);
    }

    #[test]
    fn timeout_declines() {
        let t0 = Instant::now();
        let mut gate = ConsentGate::new(T);
        gate.handle_request(t0, 1, Level::View).unwrap();
        drain(&mut gate);
        assert_eq!(gate.poll_timeout(), Some(t0 + T));
        gate.handle_timeout(t0 + T - Duration::from_millis(1));
        assert!(drain(&mut gate).is_empty());
        // An answer at the deadline, before the timer fired, is already too late.
        assert_eq!(
            gate.handle_local_answer(t0 + T, 1, true),
            Err(GateError::NoPrompt)
        );
        gate.handle_timeout(t0 + T);
        assert_eq!(drain(&mut gate), [GateOutput::Expired { id: 1 }]);
        assert_eq!(gate.level(), None);
        assert_eq!(gate.poll_timeout(), None);
        assert_eq!(gate.stats().expired, 1);
    }

    #[test]
    fn broker_timeout_closes_the_prompt_without_granting() {
        let t0 = Instant::now();
        let mut gate = ConsentGate::new(T);
        gate.handle_request(t0, 1, Level::View).unwrap();
        drain(&mut gate);
        gate.handle_broker_result(t0, 7, false); // not the open prompt
        assert_eq!(gate.prompt(), Some(1));
        gate.handle_broker_result(t0, 1, false);
        assert_eq!(drain(&mut gate), [GateOutput::Withdrawn { id: 1 }]);
        assert_eq!(gate.level(), None);
    }

    #[test]
    fn newer_request_replaces_the_prompt() {
        let t0 = Instant::now();
        let mut gate = ConsentGate::new(T);
        gate.handle_request(t0, 1, Level::View).unwrap();
        gate.handle_request(t0, 3, Level::Full).unwrap();
        let out = drain(&mut gate);
        assert_eq!(out[1], GateOutput::Withdrawn { id: 1 });
        assert_eq!(
            gate.handle_local_answer(t0, 1, true),
            Err(GateError::NoPrompt)
        );
        gate.handle_local_answer(t0, 3, true).unwrap();
        assert_eq!(gate.level(), Some(Level::Full));
    }

    #[test]
    fn local_actions() {
        let t0 = Instant::now();
        let mut gate = ConsentGate::new(T);
        assert_eq!(gate.pause(t0), Err(GateError::NotActive));
        assert_eq!(gate.take_back(t0), Err(GateError::NotActive));
        gate.handle_request(t0, 1, Level::Full).unwrap();
        gate.handle_local_answer(t0, 1, true).unwrap();
        gate.pause(t0).unwrap();
        assert!(!gate.capture_allowed() && !gate.input_allowed());
        assert_eq!(gate.pause(t0), Err(GateError::Unchanged));
        gate.resume(t0).unwrap();
        assert!(gate.input_allowed());
        assert_eq!(gate.resume(t0), Err(GateError::Unchanged));
        gate.take_back(t0).unwrap();
        assert_eq!(gate.level(), Some(Level::View));
        assert!(gate.capture_allowed() && !gate.input_allowed());
        assert_eq!(gate.take_back(t0), Err(GateError::Unchanged));
        gate.handle_request(t0, 2, Level::Full).unwrap();
        drain(&mut gate);
        gate.stop(t0);
        assert_eq!(drain(&mut gate), [GateOutput::Withdrawn { id: 2 }]);
        assert!(gate.stopped() && !gate.capture_allowed());
        assert_eq!(gate.level(), None);
        // After stop nothing applies, not even a fresh request and its answer.
        assert_eq!(
            gate.handle_request(t0, 3, Level::View),
            Err(GateError::Stopped)
        );
        assert_eq!(
            gate.handle_local_answer(t0, 3, true),
            Err(GateError::Stopped)
        );
        assert_eq!(gate.resume(t0), Err(GateError::Stopped));
        assert!(!gate.capture_allowed());
        assert_eq!(gate.stats().requests_after_stop, 1);
    }

    #[test]
    fn a_broker_limit_only_lowers_and_caps_later_grants() {
        let t0 = Instant::now();
        let mut gate = ConsentGate::new(T);
        gate.handle_request(t0, 1, Level::Full).unwrap();
        drain(&mut gate);
        gate.handle_local_answer(t0, 1, true).unwrap();
        assert!(gate.input_allowed());
        // The policy now allows view only: input stops at once, pixels go on.
        gate.handle_broker_limit(t0, Level::View);
        assert_eq!(gate.level(), Some(Level::View));
        assert!(gate.capture_allowed() && !gate.input_allowed());
        // A later, higher limit raises nothing.
        gate.handle_broker_limit(t0, Level::Full);
        assert_eq!(gate.level(), Some(Level::View));
        // A prompt for full still shown when the limit arrives is withdrawn …
        gate.handle_request(t0, 2, Level::Full).unwrap();
        drain(&mut gate);
        let mut fresh = ConsentGate::new(T);
        fresh.handle_request(t0, 1, Level::Full).unwrap();
        drain(&mut fresh);
        fresh.handle_broker_limit(t0, Level::View);
        assert_eq!(drain(&mut fresh), [GateOutput::Withdrawn { id: 1 }]);
        assert_eq!(
            fresh.handle_local_answer(t0, 1, true),
            Err(GateError::NoPrompt)
        );
        assert_eq!(fresh.level(), None);
        // … and an Allow racing the limit grants no more than the limit.
        gate.handle_local_answer(t0, 2, true).unwrap();
        assert_eq!(gate.level(), Some(Level::View));
        assert!(!gate.input_allowed());
        assert_eq!(gate.stats().limits, 1);
    }
}
