//! The broker's view of one help session: who is there, what the sharer allowed, and what to
//! tell whom. Sans-IO: every input is a `handle_*` call with `now`; outputs are drained with
//! [`Session::poll_output`]; [`Session::poll_timeout`] says when to call
//! [`Session::handle_timeout`].
//!
//! ```text
//! WaitingForSharer ──sharer joined──▶ SharerJoined ──request──▶ AwaitingConsent{id, level, deadline}
//!        │ code expires                   ▲    ▲                     │allow           │decline/timeout
//!        ▼                                │    └─────────────────────┼────────────────┘
//!      Ended ◀── leave / link lost / stop (from any state)           ▼
//!                                                  Active{level, paused, pending escalation?}
//! ```
//!
//! Illegal events return [`SessionError::NotAllowed`] and change nothing (no state change, no
//! output): the broker answers `error` `not_allowed` and carries on.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use glass_protocol::{
    Card, Client, ClientMessage, ConsentReason, DeviceWarning, EndReason, ErrorCode, Level,
    MAX_FRAME_BYTES, ServerMessage, Side, Signal,
};

use crate::audit::{Actor, AuditEvent, AuditKind};
use crate::chat::{ChatError, normalize_chat};
use crate::clock::WallClock;
use crate::error::ConfigError;
use crate::ids::{SessionId, SessionKey, UserId};

/// Tenant policy for sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Chat allowed (`false`: every `chat` is refused with `chat_disabled`).
    pub chat: bool,
    /// Chat text goes into the `chat_sent` audit event (the tenant's
    /// `keep_chat_transcripts`); `false`: only its `seq` does.
    pub keep_chat_transcripts: bool,
    /// Which way clipboard text may go (the tenant's setting), as both sides are told.
    pub clipboard: glass_protocol::ClipboardRule,
}

impl Default for SessionPolicy {
    /// Chat on, no transcripts (the policy's defaults).
    fn default() -> Self {
        SessionPolicy {
            chat: true,
            keep_chat_transcripts: false,
            clipboard: glass_protocol::ClipboardRule {
                to_helper: true,
                to_sharer: true,
            },
        }
    }
}

/// Per-session settings. Plain data; validated by [`Session::new`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionConfig {
    /// A request unanswered this long is declined (`reason: "timeout"`): 60 s.
    pub consent_timeout: Duration,
    /// Tenant policy.
    pub policy: SessionPolicy,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            consent_timeout: Duration::from_secs(60),
            policy: SessionPolicy::default(),
        }
    }
}

impl SessionConfig {
    /// Checks every field; the error names the field, the value and what is allowed.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let d = self.consent_timeout;
        if d.is_zero() || d > Duration::from_secs(24 * 3600) {
            return Err(ConfigError::new(
                "consent_timeout",
                format!("{d:?}"),
                "1 ms to 24 h",
            ));
        }
        Ok(())
    }
}

/// A request waiting for the sharer while a level is already in force (escalation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pending {
    /// The request's id.
    pub id: u64,
    /// The level asked for.
    pub level: Level,
    /// Declined (`timeout`) at this instant.
    pub deadline: Instant,
}

/// Where a session is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// The helper has a code; nobody has redeemed it yet.
    WaitingForSharer {
        /// The code's expiry: the session ends (`expired`) then.
        deadline: Instant,
    },
    /// Both are there; nothing is allowed (yet, or any more after a decline).
    SharerJoined,
    /// The first request is with the sharer.
    AwaitingConsent {
        /// The request's id.
        id: u64,
        /// The level asked for.
        level: Level,
        /// Declined (`timeout`) at this instant.
        deadline: Instant,
    },
    /// The sharer allowed `level`: signalling flows.
    Active {
        /// The level in force.
        level: Level,
        /// The sharer paused (no pixels, no input).
        paused: bool,
        /// An escalation waiting for the sharer.
        pending: Option<Pending>,
    },
    /// Over; only [`Output::End`] is left to drain.
    Ended {
        /// Why.
        reason: EndReason,
    },
}

impl State {
    /// The state's name, for errors and tables.
    pub fn kind(&self) -> StateKind {
        match self {
            State::WaitingForSharer { .. } => StateKind::WaitingForSharer,
            State::SharerJoined => StateKind::SharerJoined,
            State::AwaitingConsent { .. } => StateKind::AwaitingConsent,
            State::Active { .. } => StateKind::Active,
            State::Ended { .. } => StateKind::Ended,
        }
    }
}

/// [`State`] without its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StateKind {
    /// [`State::WaitingForSharer`].
    WaitingForSharer,
    /// [`State::SharerJoined`].
    SharerJoined,
    /// [`State::AwaitingConsent`].
    AwaitingConsent,
    /// [`State::Active`].
    Active,
    /// [`State::Ended`].
    Ended,
}

/// The events a session handles, for errors and tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventKind {
    /// [`Session::handle_sharer_joined`].
    SharerJoined,
    /// `request` ([`Session::handle_request`]).
    Request,
    /// `consent` ([`Session::handle_consent`]).
    Consent,
    /// `state` ([`Session::handle_sharer_state`]).
    State,
    /// `signal` ([`Session::handle_signal`]).
    Signal,
    /// `chat` ([`Session::handle_chat`]).
    Chat,
    /// `leave` ([`Session::handle_leave`]).
    Leave,
    /// [`Session::handle_link_lost`].
    LinkLost,
    /// [`Session::handle_stop`].
    Stop,
    /// [`Session::handle_limit`].
    Limit,
    /// `ping`: the link's business, answered by the broker, never a session event.
    Ping,
    /// `create_code`: the code book's business.
    CreateCode,
    /// `redeem`: the code book's business.
    Redeem,
    /// `resume`: the link's business (the broker attaches the new link).
    Resume,
}

/// Why a session event was refused. The session is unchanged and emitted nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// Wrong state, wrong role, stale consent id, or a level the sharer may not set.
    #[error("{event:?} is not allowed in {state:?}")]
    NotAllowed {
        /// The state the session is in.
        state: StateKind,
        /// What was attempted.
        event: EventKind,
    },
    /// Chat is off by policy.
    #[error("chat is disabled")]
    ChatDisabled,
    /// Chat text refused.
    #[error(transparent)]
    Chat(#[from] ChatError),
    /// A signal whose relayed frame would exceed the frame limit.
    #[error("signal too large to relay")]
    TooLarge,
    /// A level above what the organisation's policy allows.
    #[error("the policy does not allow this level")]
    Forbidden,
}

impl SessionError {
    /// The `error` code to answer with.
    pub fn code(self) -> ErrorCode {
        match self {
            SessionError::NotAllowed { .. } => ErrorCode::NotAllowed,
            SessionError::ChatDisabled => ErrorCode::ChatDisabled,
            SessionError::Chat(e) => e.code(),
            SessionError::TooLarge => ErrorCode::TooLarge,
            SessionError::Forbidden => ErrorCode::Forbidden,
        }
    }
}

/// What the driver must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// Send `message` on `to`'s link.
    Send {
        /// Whose link.
        to: Side,
        /// What to send ([`glass_protocol::encode`] it).
        message: ServerMessage,
    },
    /// Store this audit row.
    Audit(AuditEvent),
    /// The session is over: drop it (the links stay open for new sessions). Always last.
    End,
}

/// Chat lines a session keeps for a side that comes back (a client resuming on another
/// broker gets them again) at most: the newest win.
pub const HISTORY_LINES: usize = 100;
/// Bytes of chat text a session keeps at most (on top of [`HISTORY_LINES`]).
pub const HISTORY_BYTES: usize = 32 * 1024;

/// One chat line as both sides saw it (`chat_message`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChatLine {
    /// 1, 2, 3… per session.
    pub seq: u64,
    /// Who wrote it.
    pub from: Side,
    /// The writer's card name.
    pub name: String,
    /// NFC-normalised text.
    pub text: String,
    /// When the broker received it, Unix ms.
    pub at: u64,
}

impl ChatLine {
    /// The line as it is sent.
    pub fn message(&self) -> ServerMessage {
        ServerMessage::ChatMessage {
            seq: self.seq,
            from: self.from,
            name: self.name.clone(),
            text: self.text.clone(),
            at: self.at,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Sharer {
    user: UserId,
    card: Card,
    client: Client,
}

/// One help session, as the broker sees it. See the module docs for the states.
///
/// Drain rule: after every `handle_*` call (successful or not), call
/// [`Session::poll_output`] until it returns `None`, then [`Session::poll_timeout`] and arm
/// a timer for it. After [`Output::End`] the session can be dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    id: SessionId,
    helper_user: UserId,
    helper_card: Card,
    /// The helper's ID token, passed to the sharer's agent to verify ([`Session::set_helper_token`]).
    helper_token: Option<String>,
    sharer: Option<Sharer>,
    config: SessionConfig,
    wall: WallClock,
    state: State,
    next_consent_id: u64,
    next_chat_seq: u64,
    /// The highest level the organisation's policy allows now ([`Session::handle_limit`]).
    max_level: Level,
    /// The newest chat lines ([`HISTORY_LINES`], [`HISTORY_BYTES`]), for a side that resumes.
    history: VecDeque<ChatLine>,
    /// Text bytes in `history`.
    history_bytes: usize,
    outputs: VecDeque<Output>,
}

impl Session {
    /// A session for the code behind `key`, waiting for a sharer until `code_expires`
    /// ([`crate::code::Issued::expires`]).
    pub fn new(
        key: SessionKey,
        helper_card: Card,
        code_expires: Instant,
        wall: WallClock,
        config: SessionConfig,
    ) -> Result<Session, ConfigError> {
        config.validate()?;
        Ok(Session {
            id: key.id,
            helper_user: key.helper,
            helper_card,
            helper_token: None,
            sharer: None,
            config,
            wall,
            state: State::WaitingForSharer {
                deadline: code_expires,
            },
            next_consent_id: 1,
            next_chat_seq: 1,
            max_level: Level::Full,
            history: VecDeque::new(),
            history_bytes: 0,
            outputs: VecDeque::new(),
        })
    }

    /// The helper's ID token from their issuer, sent to the sharer in `joined` so the agent
    /// checks who the helper is itself (set before the sharer joins).
    pub fn set_helper_token(&mut self, token: Option<String>) {
        self.helper_token = token;
    }

    /// Whether chat text is kept in the audit trail, as both sides are told when they meet.
    fn chat_kept(&self) -> bool {
        self.config.policy.chat && self.config.policy.keep_chat_transcripts
    }

    /// The session's id.
    pub fn id(&self) -> SessionId {
        self.id
    }

    /// Where the session is.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The level in force (`None` before the first allow and after the end).
    pub fn level(&self) -> Option<Level> {
        match self.state {
            State::Active { level, .. } => Some(level),
            _ => None,
        }
    }

    /// Whether the session is over.
    pub fn is_ended(&self) -> bool {
        matches!(self.state, State::Ended { .. })
    }

    /// The helper's user id.
    pub fn helper(&self) -> &UserId {
        &self.helper_user
    }

    /// The sharer's user id, once joined.
    pub fn sharer(&self) -> Option<&UserId> {
        self.sharer.as_ref().map(|s| &s.user)
    }

    /// The newest chat lines, oldest first (at most [`HISTORY_LINES`] and [`HISTORY_BYTES`]).
    pub fn chat_history(&self) -> impl Iterator<Item = &ChatLine> {
        self.history.iter()
    }

    fn remember(&mut self, line: ChatLine) {
        self.history_bytes += line.text.len() + line.name.len();
        self.history.push_back(line);
        while self.history.len() > HISTORY_LINES || self.history_bytes > HISTORY_BYTES {
            let Some(old) = self.history.pop_front() else {
                break;
            };
            self.history_bytes -= old.text.len() + old.name.len();
        }
    }

    /// The next thing to do, or `None` when drained.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    /// When [`Session::handle_timeout`] is due: the code's expiry while waiting, the consent
    /// deadline while a request is pending, otherwise `None`.
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.state {
            State::WaitingForSharer { deadline } | State::AwaitingConsent { deadline, .. } => {
                Some(deadline)
            }
            State::Active {
                pending: Some(p), ..
            } => Some(p.deadline),
            _ => None,
        }
    }

    fn refuse(&self, event: EventKind) -> SessionError {
        SessionError::NotAllowed {
            state: self.state.kind(),
            event,
        }
    }

    fn send(&mut self, to: Side, message: ServerMessage) {
        self.outputs.push_back(Output::Send { to, message });
    }

    fn actor(&self, side: Side) -> Actor {
        match (side, &self.sharer) {
            (Side::Sharer, Some(s)) => Actor::Sharer(s.user.clone()),
            _ => Actor::Helper(self.helper_user.clone()),
        }
    }

    fn audit(&mut self, now: Instant, who: Actor, what: AuditKind) {
        self.outputs.push_back(Output::Audit(AuditEvent {
            at: self.wall.unix_ms(now),
            who,
            from: None,
            session: Some(self.id),
            what,
        }));
    }

    /// Dispatches a decoded client message from `from`'s link, checking the role: `request`
    /// is the helper's, `consent` and `state` are the sharer's, `signal`, `chat` and `leave`
    /// either's. `ping`, `create_code` and `redeem` are not session events (the broker answers
    /// pings and owns the code book): they are refused here.
    pub fn handle_message(
        &mut self,
        now: Instant,
        from: Side,
        message: ClientMessage,
    ) -> Result<(), SessionError> {
        match (from, message) {
            (_, ClientMessage::Ping { .. }) => Err(self.refuse(EventKind::Ping)),
            (_, ClientMessage::CreateCode) => Err(self.refuse(EventKind::CreateCode)),
            (_, ClientMessage::Redeem { .. }) => Err(self.refuse(EventKind::Redeem)),
            (_, ClientMessage::Resume { .. }) => Err(self.refuse(EventKind::Resume)),
            (side, ClientMessage::Leave) => self.handle_leave(now, side),
            (Side::Helper, ClientMessage::Request { level }) => self.handle_request(now, level),
            (Side::Sharer, ClientMessage::Request { .. }) => Err(self.refuse(EventKind::Request)),
            (Side::Sharer, ClientMessage::Consent { id, allow, reason }) => {
                self.handle_consent_because(now, id, allow, reason)
            }
            (Side::Helper, ClientMessage::Consent { .. }) => Err(self.refuse(EventKind::Consent)),
            (Side::Sharer, ClientMessage::State { level, paused }) => {
                self.handle_sharer_state(now, level, paused)
            }
            (Side::Helper, ClientMessage::State { .. }) => Err(self.refuse(EventKind::State)),
            (side, ClientMessage::Signal(signal)) => self.handle_signal(now, side, signal),
            (side, ClientMessage::Chat { text }) => self.handle_chat(now, side, &text),
        }
    }

    /// The sharer redeemed the code: both see each other's card. No device warnings, any
    /// level allowed (see [`Session::handle_sharer_joined_with`]).
    pub fn handle_sharer_joined(
        &mut self,
        now: Instant,
        user: UserId,
        card: Card,
        client: Client,
    ) -> Result<(), SessionError> {
        self.handle_sharer_joined_with(now, user, card, client, Vec::new(), Level::Full)
    }

    /// The sharer redeemed the code: both see each other's card; the helper also gets the
    /// device `warnings` and the highest level the policy lets them ask for.
    pub fn handle_sharer_joined_with(
        &mut self,
        now: Instant,
        user: UserId,
        card: Card,
        client: Client,
        warnings: Vec<DeviceWarning>,
        max_level: Level,
    ) -> Result<(), SessionError> {
        match self.state {
            State::WaitingForSharer { deadline } if now < deadline => {}
            _ => return Err(self.refuse(EventKind::SharerJoined)),
        }
        self.state = State::SharerJoined;
        self.send(
            Side::Sharer,
            ServerMessage::Joined {
                session: self.id.to_string(),
                helper: self.helper_card.clone(),
                helper_token: self.helper_token.clone(),
                chat_kept: self.chat_kept(),
                clipboard: self.config.policy.clipboard,
            },
        );
        self.send(
            Side::Helper,
            ServerMessage::SharerJoined {
                sharer: card.clone(),
                client,
                warnings,
                max_level,
                chat_kept: self.chat_kept(),
                clipboard: self.config.policy.clipboard,
            },
        );
        self.max_level = max_level;
        self.sharer = Some(Sharer {
            user: user.clone(),
            card,
            client,
        });
        self.audit(now, Actor::Sharer(user), AuditKind::SharerJoined { client });
        Ok(())
    }

    /// The helper asks for `level`. Legal with the sharer joined and no request pending: the
    /// first request from `SharerJoined`, an escalation `view` → `full` from `Active`. `full`
    /// of a web sharer is answered `not_supported` at once, without asking, and changes
    /// nothing else.
    pub fn handle_request(&mut self, now: Instant, level: Level) -> Result<(), SessionError> {
        let current = match self.state {
            State::SharerJoined => None,
            State::Active {
                level: current,
                pending: None,
                ..
            } if level > current => Some(current),
            _ => return Err(self.refuse(EventKind::Request)),
        };
        if level > self.max_level {
            return Err(SessionError::Forbidden);
        }
        let id = self.next_consent_id;
        self.next_consent_id += 1;
        let helper = self.actor(Side::Helper);
        let web = self
            .sharer
            .as_ref()
            .is_some_and(|s| s.client == Client::Web);
        if web && level == Level::Full {
            self.send(
                Side::Helper,
                ServerMessage::ConsentResult {
                    id,
                    level,
                    allow: false,
                    reason: Some(ConsentReason::NotSupported),
                },
            );
            self.audit(now, helper, AuditKind::ConsentNotSupported { id, level });
            return Ok(());
        }
        let deadline = now + self.config.consent_timeout;
        match (&mut self.state, current) {
            (State::Active { pending, .. }, Some(_)) => {
                *pending = Some(Pending {
                    id,
                    level,
                    deadline,
                });
            }
            _ => {
                self.state = State::AwaitingConsent {
                    id,
                    level,
                    deadline,
                }
            }
        }
        self.send(
            Side::Sharer,
            ServerMessage::ConsentRequest {
                id,
                level,
                helper: self.helper_card.clone(),
            },
        );
        self.audit(now, helper, AuditKind::ConsentRequested { id, level });
        Ok(())
    }

    /// The sharer answers request `id`. Legal only for the pending request and before its
    /// deadline (a late answer is refused; the timeout declines it). A decline of the first
    /// request goes back to `SharerJoined`; a declined escalation keeps the level in force.
    pub fn handle_consent(
        &mut self,
        now: Instant,
        id: u64,
        allow: bool,
    ) -> Result<(), SessionError> {
        self.handle_consent_because(now, id, allow, None)
    }

    /// [`Session::handle_consent`] with the sharer's reason for a refusal: `not_supported`
    /// (an agent whose machine cannot be controlled, e.g. macOS without Accessibility) is
    /// passed to the helper as such and audited as not supported; anything else is
    /// `declined`. A reason never changes what an answer does.
    pub fn handle_consent_because(
        &mut self,
        now: Instant,
        id: u64,
        allow: bool,
        reason: Option<ConsentReason>,
    ) -> Result<(), SessionError> {
        let (level, from) = match self.state {
            State::AwaitingConsent {
                id: pending,
                level,
                deadline,
            } if pending == id && now < deadline => (level, None),
            State::Active {
                level: current,
                pending: Some(p),
                ..
            } if p.id == id && now < p.deadline => (p.level, Some(current)),
            _ => return Err(self.refuse(EventKind::Consent)),
        };
        let sharer = self.actor(Side::Sharer);
        self.state = match (self.state, allow) {
            (State::Active { paused, .. }, true) => State::Active {
                level,
                paused,
                pending: None,
            },
            (
                State::Active {
                    level: current,
                    paused,
                    ..
                },
                false,
            ) => State::Active {
                level: current,
                paused,
                pending: None,
            },
            (_, true) => State::Active {
                level,
                paused: false,
                pending: None,
            },
            (_, false) => State::SharerJoined,
        };
        self.send(
            Side::Helper,
            ServerMessage::ConsentResult {
                id,
                level,
                allow,
                reason: (!allow).then_some(match reason {
                    Some(ConsentReason::NotSupported) => ConsentReason::NotSupported,
                    _ => ConsentReason::Declined,
                }),
            },
        );
        if allow {
            self.audit(now, sharer.clone(), AuditKind::ConsentAllowed { id, level });
            self.audit(now, sharer, AuditKind::LevelChanged { from, to: level });
        } else if reason == Some(ConsentReason::NotSupported) {
            self.audit(now, sharer, AuditKind::ConsentNotSupported { id, level });
        } else {
            self.audit(now, sharer, AuditKind::ConsentDeclined { id, level });
        }
        Ok(())
    }

    /// The sharer's own state: pause/resume, or take back control (`full` → `view`). Legal
    /// while active; raising the level is refused (only consent raises it).
    pub fn handle_sharer_state(
        &mut self,
        now: Instant,
        level: Level,
        paused: bool,
    ) -> Result<(), SessionError> {
        let State::Active {
            level: current,
            paused: was_paused,
            pending,
        } = self.state
        else {
            return Err(self.refuse(EventKind::State));
        };
        if level > current {
            return Err(self.refuse(EventKind::State));
        }
        self.state = State::Active {
            level,
            paused,
            pending,
        };
        self.send(Side::Helper, ServerMessage::SharerState { level, paused });
        let sharer = self.actor(Side::Sharer);
        if level != current {
            self.audit(
                now,
                sharer.clone(),
                AuditKind::LevelChanged {
                    from: Some(current),
                    to: level,
                },
            );
        }
        match (was_paused, paused) {
            (false, true) => self.audit(now, sharer, AuditKind::Paused),
            (true, false) => self.audit(now, sharer, AuditKind::Resumed),
            _ => {}
        }
        Ok(())
    }

    /// The organisation's policy now allows at most `max` (`None`: the helper may not help
    /// this sharer at all any more). Legal in any state before the end. Lowers the level in
    /// force (both sides get `level_limited`; the sharer's agent lowers its own gate), answers
    /// a pending request above `max` with `forbidden` to both sides, and with `None` ends the
    /// session (`revoked`). A limit lasts for the session: a later, higher `max` changes
    /// nothing (the sharer's agent keeps the lower limit too), and only the sharer's consent
    /// ever raises the level.
    pub fn handle_limit(&mut self, now: Instant, max: Option<Level>) -> Result<(), SessionError> {
        if self.is_ended() {
            return Err(self.refuse(EventKind::Limit));
        }
        let Some(max) = max else {
            let reason = EndReason::Revoked;
            self.send(Side::Helper, ServerMessage::Ended { reason });
            if self.sharer.is_some() {
                self.send(Side::Sharer, ServerMessage::Ended { reason });
            }
            self.finish(now, Actor::Broker, reason);
            return Ok(());
        };
        // A limit lasts for the session: the agent's gate only ever lowers it too.
        let max = self.max_level.min(max);
        self.max_level = max;
        let cancel = match self.state {
            State::AwaitingConsent { id, level, .. } if level > max => {
                self.state = State::SharerJoined;
                Some((id, level))
            }
            State::Active {
                level,
                paused,
                pending,
            } => {
                let cancel = pending.filter(|p| p.level > max);
                let lowered = level.min(max);
                self.state = State::Active {
                    level: lowered,
                    paused,
                    pending: pending.filter(|p| p.level <= max),
                };
                if lowered < level {
                    self.send(Side::Helper, ServerMessage::LevelLimited { level: lowered });
                    self.send(Side::Sharer, ServerMessage::LevelLimited { level: lowered });
                    self.audit(
                        now,
                        Actor::Broker,
                        AuditKind::LevelChanged {
                            from: Some(level),
                            to: lowered,
                        },
                    );
                }
                cancel.map(|p| (p.id, p.level))
            }
            _ => None,
        };
        if let Some((id, level)) = cancel {
            let result = ServerMessage::ConsentResult {
                id,
                level,
                allow: false,
                reason: Some(ConsentReason::Forbidden),
            };
            self.send(Side::Helper, result.clone());
            self.send(Side::Sharer, result);
            self.audit(
                now,
                Actor::Broker,
                AuditKind::ConsentForbidden { id, level },
            );
        }
        Ok(())
    }

    /// WebRTC signalling from `from`, relayed to the other side. Legal only while active
    /// (after an allowed request).
    pub fn handle_signal(
        &mut self,
        _now: Instant,
        from: Side,
        signal: Signal,
    ) -> Result<(), SessionError> {
        if !matches!(self.state, State::Active { .. }) {
            return Err(self.refuse(EventKind::Signal));
        }
        let message = ServerMessage::Signal(signal);
        // The relayed frame spells out `null`s a client may omit: keep it under the limit
        // the receiving side enforces.
        if glass_protocol::encode(&message).len() > MAX_FRAME_BYTES {
            return Err(SessionError::TooLarge);
        }
        self.send(from.other(), message);
        Ok(())
    }

    /// The tenant's chat settings changed (a policy reload): they apply from the next chat
    /// line on. Chat turned off refuses lines (`chat_disabled`), turned on allows them;
    /// transcripts turned off keep no more text. Transcripts turned on wait for the next
    /// session: keeping what people write needs a setting in force when they joined, never
    /// one that appears while they talk. Nothing is sent or audited.
    pub fn set_policy(&mut self, policy: SessionPolicy) {
        let keep = self.config.policy.keep_chat_transcripts && policy.keep_chat_transcripts;
        self.config.policy = SessionPolicy {
            chat: policy.chat,
            keep_chat_transcripts: keep,
            // Told to both sides when they met, and enforced by the agent from that word:
            // a change applies to the next session.
            clipboard: self.config.policy.clipboard,
        };
    }

    /// A chat line from `from`: normalised ([`normalize_chat`]) and sent to both sides with
    /// the next `seq`. Legal once the sharer joined and while the session lasts, if the
    /// policy allows chat. The audit event carries the normalised text only when the policy
    /// keeps transcripts.
    pub fn handle_chat(
        &mut self,
        now: Instant,
        from: Side,
        text: &str,
    ) -> Result<(), SessionError> {
        if !matches!(
            self.state,
            State::SharerJoined | State::AwaitingConsent { .. } | State::Active { .. }
        ) {
            return Err(self.refuse(EventKind::Chat));
        }
        if !self.config.policy.chat {
            return Err(SessionError::ChatDisabled);
        }
        let text = normalize_chat(text)?;
        let seq = self.next_chat_seq;
        self.next_chat_seq += 1;
        let name = match (from, &self.sharer) {
            (Side::Sharer, Some(s)) => s.card.name.clone(),
            _ => self.helper_card.name.clone(),
        };
        let kept = self
            .config
            .policy
            .keep_chat_transcripts
            .then(|| text.clone());
        let line = ChatLine {
            seq,
            from,
            name,
            text,
            at: self.wall.unix_ms(now),
        };
        let message = line.message();
        self.remember(line);
        self.send(Side::Helper, message.clone());
        self.send(Side::Sharer, message);
        let who = self.actor(from);
        self.audit(now, who, AuditKind::ChatSent { seq, text: kept });
        Ok(())
    }

    /// `side` sent `leave`: the session ends (`left`). The leaver gets `ended`; the other
    /// side `peer_left` then `ended`.
    pub fn handle_leave(&mut self, now: Instant, side: Side) -> Result<(), SessionError> {
        self.end_by(now, side, EndReason::Left, EventKind::Leave)
    }

    /// `side`'s link closed or went silent: the session ends (`lost`). The other side gets
    /// `peer_left` then `ended`; nothing is sent to the lost link.
    pub fn handle_link_lost(&mut self, now: Instant, side: Side) -> Result<(), SessionError> {
        self.end_by(now, side, EndReason::Lost, EventKind::LinkLost)
    }

    fn end_by(
        &mut self,
        now: Instant,
        side: Side,
        reason: EndReason,
        event: EventKind,
    ) -> Result<(), SessionError> {
        let joined = self.sharer.is_some();
        if self.is_ended() || (side == Side::Sharer && !joined) {
            return Err(self.refuse(event));
        }
        let other = side.other();
        if joined {
            self.send(other, ServerMessage::PeerLeft { reason });
            self.send(other, ServerMessage::Ended { reason });
        }
        if reason != EndReason::Lost {
            self.send(side, ServerMessage::Ended { reason });
        }
        let who = self.actor(side);
        self.finish(now, who, reason);
        Ok(())
    }

    /// The broker ends the session (shutdown, an administrator, the helper's code replaced):
    /// both sides get `ended` `stopped`.
    pub fn handle_stop(&mut self, now: Instant) -> Result<(), SessionError> {
        if self.is_ended() {
            return Err(self.refuse(EventKind::Stop));
        }
        let reason = EndReason::Stopped;
        self.send(Side::Helper, ServerMessage::Ended { reason });
        if self.sharer.is_some() {
            self.send(Side::Sharer, ServerMessage::Ended { reason });
        }
        self.finish(now, Actor::Broker, reason);
        Ok(())
    }

    fn finish(&mut self, now: Instant, who: Actor, reason: EndReason) {
        self.state = State::Ended { reason };
        self.audit(now, who, AuditKind::SessionEnded { reason });
        self.outputs.push_back(Output::End);
    }

    /// Acts on what is due at `now`: the code expired while waiting (the session ends,
    /// `expired`), or a request went unanswered (declined, `reason: "timeout"`, sent to both
    /// sides so the sharer's prompt closes). A timeout never allows anything. Early or
    /// repeated calls do nothing.
    pub fn handle_timeout(&mut self, now: Instant) {
        match self.state {
            State::WaitingForSharer { deadline } if now >= deadline => {
                let reason = EndReason::Expired;
                self.send(Side::Helper, ServerMessage::Ended { reason });
                self.finish(now, Actor::Broker, reason);
            }
            State::AwaitingConsent {
                id,
                level,
                deadline,
            } if now >= deadline => {
                self.state = State::SharerJoined;
                self.timed_out(now, id, level);
            }
            State::Active {
                level: current,
                paused,
                pending: Some(p),
            } if now >= p.deadline => {
                self.state = State::Active {
                    level: current,
                    paused,
                    pending: None,
                };
                self.timed_out(now, p.id, p.level);
            }
            _ => {}
        }
    }

    fn timed_out(&mut self, now: Instant, id: u64, level: Level) {
        let message = ServerMessage::ConsentResult {
            id,
            level,
            allow: false,
            reason: Some(ConsentReason::Timeout),
        };
        self.send(Side::Helper, message.clone());
        self.send(Side::Sharer, message);
        self.audit(now, Actor::Broker, AuditKind::ConsentTimedOut { id, level });
    }
}

mod snapshot;
pub use snapshot::{SNAPSHOT_FORMAT, Snapshot, SnapshotError};

#[cfg(test)]
mod tests;
