//! A session as plain data, for brokers that share their sessions (through Redis): one broker
//! takes a [`Snapshot`] after handling an event, stores it, and any broker restores it to
//! handle the next event, or to take the session over when the first one is gone.
//!
//! Deadlines are wall time (Unix ms) in a snapshot, since an `Instant` means nothing on
//! another machine: they are read back against the restoring broker's own [`WallClock`]
//! anchor, so two brokers whose clocks agree (NTP) agree on them to the millisecond.
//!
//! Pending outputs are not part of a snapshot: take it after draining
//! [`Session::poll_output`]. A snapshot read back is checked like any other input
//! ([`Snapshot::decode`], [`Session::restore`]): a store that hands back something
//! inconsistent gets a [`SnapshotError`], never a panic and never a session in an impossible
//! state.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use glass_protocol::{Card, Client, EndReason, Level};
use serde::{Deserialize, Serialize};

use super::{
    ChatLine, HISTORY_BYTES, HISTORY_LINES, Pending, Session, SessionConfig, SessionPolicy, Sharer,
    State,
};
use crate::clock::WallClock;
use crate::ids::{SessionId, UserId};

/// The snapshot format this build writes and reads.
pub const SNAPSHOT_FORMAT: u32 = 1;

/// Encoded snapshots larger than this are refused (a full chat history is ~33 KiB).
const MAX_SNAPSHOT_BYTES: usize = 256 * 1024;

/// Why a snapshot was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SnapshotError {
    /// Not a snapshot (bad JSON, missing or unknown fields).
    #[error("not a session snapshot: {0}")]
    Malformed(String),
    /// Written by a build with another format.
    #[error("snapshot format {found} (this build reads {SNAPSHOT_FORMAT})")]
    Format {
        /// The format it says it has.
        found: u32,
    },
    /// Larger than any session makes.
    #[error("snapshot of {0} bytes")]
    TooLarge(usize),
    /// Well-formed, but no session could be in this state.
    #[error("inconsistent snapshot: {0}")]
    Inconsistent(&'static str),
}

/// Where the session is, deadlines in Unix ms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum StateData {
    WaitingForSharer {
        deadline_ms: u64,
    },
    SharerJoined,
    AwaitingConsent {
        id: u64,
        level: Level,
        deadline_ms: u64,
    },
    Active {
        level: Level,
        paused: bool,
        pending: Option<PendingData>,
    },
    Ended {
        reason: EndReason,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PendingData {
    id: u64,
    level: Level,
    deadline_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SharerData {
    user: String,
    card: Card,
    client: Client,
}

/// One session as plain data ([`Session::snapshot`], [`Session::restore`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    format: u32,
    id: u64,
    helper: String,
    helper_card: Card,
    helper_token: Option<String>,
    sharer: Option<SharerData>,
    consent_timeout_ms: u64,
    chat: bool,
    keep_chat_transcripts: bool,
    /// Which way clipboard text may go (absent in snapshots written before it: neither).
    #[serde(default)]
    clipboard: glass_protocol::ClipboardRule,
    state: StateData,
    next_consent_id: u64,
    next_chat_seq: u64,
    max_level: Level,
    history: Vec<ChatLine>,
}

impl Snapshot {
    /// The snapshot as bytes (JSON).
    pub fn encode(&self) -> Vec<u8> {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Reads [`Snapshot::encode`]'s bytes. Checks the format and size; the state itself is
    /// checked by [`Session::restore`].
    pub fn decode(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
        if bytes.len() > MAX_SNAPSHOT_BYTES {
            return Err(SnapshotError::TooLarge(bytes.len()));
        }
        #[derive(Deserialize)]
        struct Head {
            format: u32,
        }
        let head: Head =
            serde_json::from_slice(bytes).map_err(|e| SnapshotError::Malformed(e.to_string()))?;
        if head.format != SNAPSHOT_FORMAT {
            return Err(SnapshotError::Format { found: head.format });
        }
        serde_json::from_slice(bytes).map_err(|e| SnapshotError::Malformed(e.to_string()))
    }

    /// The session's id.
    pub fn id(&self) -> SessionId {
        SessionId(self.id)
    }

    /// Whether the session is over.
    pub fn is_ended(&self) -> bool {
        matches!(self.state, StateData::Ended { .. })
    }
}

impl Session {
    /// The session as plain data, deadlines as wall time on this session's clock. Take it
    /// after draining [`Session::poll_output`]: outputs are not part of it.
    pub fn snapshot(&self) -> Snapshot {
        let ms = |t: Instant| self.wall.unix_ms(t);
        let state = match self.state {
            State::WaitingForSharer { deadline } => StateData::WaitingForSharer {
                deadline_ms: ms(deadline),
            },
            State::SharerJoined => StateData::SharerJoined,
            State::AwaitingConsent {
                id,
                level,
                deadline,
            } => StateData::AwaitingConsent {
                id,
                level,
                deadline_ms: ms(deadline),
            },
            State::Active {
                level,
                paused,
                pending,
            } => StateData::Active {
                level,
                paused,
                pending: pending.map(|p| PendingData {
                    id: p.id,
                    level: p.level,
                    deadline_ms: ms(p.deadline),
                }),
            },
            State::Ended { reason } => StateData::Ended { reason },
        };
        Snapshot {
            format: SNAPSHOT_FORMAT,
            id: self.id.0,
            helper: self.helper_user.0.clone(),
            helper_card: self.helper_card.clone(),
            helper_token: self.helper_token.clone(),
            sharer: self.sharer.as_ref().map(|s| SharerData {
                user: s.user.0.clone(),
                card: s.card.clone(),
                client: s.client,
            }),
            consent_timeout_ms: u64::try_from(self.config.consent_timeout.as_millis())
                .unwrap_or(u64::MAX),
            chat: self.config.policy.chat,
            keep_chat_transcripts: self.config.policy.keep_chat_transcripts,
            clipboard: self.config.policy.clipboard,
            state,
            next_consent_id: self.next_consent_id,
            next_chat_seq: self.next_chat_seq,
            max_level: self.max_level,
            history: self.history.iter().cloned().collect(),
        }
    }

    /// The session `snapshot` describes, its deadlines read on `wall` as seen from `now` (a
    /// deadline already past fires at the next [`Session::handle_timeout`]). Refuses a
    /// snapshot no session could have produced.
    pub fn restore(
        snapshot: Snapshot,
        wall: WallClock,
        now: Instant,
    ) -> Result<Session, SnapshotError> {
        let bad = SnapshotError::Inconsistent;
        let s = snapshot;
        if s.format != SNAPSHOT_FORMAT {
            return Err(SnapshotError::Format { found: s.format });
        }
        let config = SessionConfig {
            consent_timeout: Duration::from_millis(s.consent_timeout_ms),
            policy: SessionPolicy {
                chat: s.chat,
                keep_chat_transcripts: s.keep_chat_transcripts,
                clipboard: s.clipboard,
            },
        };
        config
            .validate()
            .map_err(|_| bad("consent timeout out of range"))?;
        if s.next_consent_id == 0 || s.next_chat_seq == 0 {
            return Err(bad("counters start at 1"));
        }
        let at = |ms: u64| wall.instant_at(ms, now);
        let issued = |id: u64| id < s.next_consent_id;
        let joined = s.sharer.is_some();
        let web = s.sharer.as_ref().is_some_and(|x| x.client == Client::Web);
        let state = match s.state {
            StateData::WaitingForSharer { deadline_ms } if !joined => State::WaitingForSharer {
                deadline: at(deadline_ms),
            },
            StateData::SharerJoined if joined => State::SharerJoined,
            StateData::AwaitingConsent {
                id,
                level,
                deadline_ms,
            } if joined && issued(id) && level <= s.max_level => State::AwaitingConsent {
                id,
                level,
                deadline: at(deadline_ms),
            },
            StateData::Active {
                level,
                paused,
                pending,
            } if joined
                && level <= s.max_level
                && !(web && level == Level::Full)
                && pending
                    .is_none_or(|p| issued(p.id) && p.level > level && p.level <= s.max_level) =>
            {
                State::Active {
                    level,
                    paused,
                    pending: pending.map(|p| Pending {
                        id: p.id,
                        level: p.level,
                        deadline: at(p.deadline_ms),
                    }),
                }
            }
            StateData::Ended { reason } => State::Ended { reason },
            _ => return Err(bad("state does not match who has joined or what was asked")),
        };
        if s.history.len() > HISTORY_LINES {
            return Err(bad("chat history too long"));
        }
        let mut history_bytes = 0;
        let mut last_seq = 0;
        for line in &s.history {
            if line.seq <= last_seq || line.seq >= s.next_chat_seq {
                return Err(bad("chat history out of sequence"));
            }
            last_seq = line.seq;
            history_bytes += line.text.len() + line.name.len();
        }
        // A single line may exceed the byte budget on its own (16 KiB text, long name): the
        // newest line is always kept.
        if history_bytes > HISTORY_BYTES && s.history.len() > 1 {
            return Err(bad("chat history too large"));
        }
        Ok(Session {
            id: SessionId(s.id),
            helper_user: UserId::new(s.helper),
            helper_card: s.helper_card,
            helper_token: s.helper_token,
            sharer: s.sharer.map(|x| Sharer {
                user: UserId::new(x.user),
                card: x.card,
                client: x.client,
            }),
            config,
            wall,
            state,
            next_consent_id: s.next_consent_id,
            next_chat_seq: s.next_chat_seq,
            max_level: s.max_level,
            history: VecDeque::from(s.history),
            history_bytes,
            outputs: VecDeque::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::SessionKey;
    use crate::machine::Output;
    use glass_protocol::{ClientMessage, ServerMessage, Side};

    fn card(name: &str) -> Card {
        Card {
            name: name.to_owned(),
            title: "Support".to_owned(),
            company: "Contoso".to_owned(),
            picture: None,
            domain: "contoso.com".to_owned(),
            domain_verified: true,
            vouched: Default::default(),
        }
    }

    fn drain(s: &mut Session) -> Vec<Output> {
        std::iter::from_fn(|| s.poll_output()).collect()
    }

    fn session(t0: Instant, wall: WallClock) -> Session {
        let key = SessionKey {
            id: SessionId(0xfeed),
            helper: UserId::new("entra:ada"),
        };
        let mut s = Session::new(
            key,
            card("Ada"),
            t0 + Duration::from_secs(600),
            wall,
            SessionConfig::default(),
        )
        .unwrap();
        s.set_helper_token(Some("eyJ.token".into()));
        s
    }

    #[test]
    fn a_session_moves_to_another_broker_and_goes_on() {
        let t0 = Instant::now();
        let wall = WallClock::new(t0, 1_765_000_000_000);
        let mut a = session(t0, wall);
        a.handle_sharer_joined(t0, UserId::new("entra:sam"), card("Sam"), Client::Agent)
            .unwrap();
        a.handle_request(t0, Level::View).unwrap();
        a.handle_consent(t0, 1, true).unwrap();
        a.handle_chat(t0, Side::Sharer, "مرحبا 你好").unwrap();
        let t1 = t0 + Duration::from_secs(5);
        a.handle_request(t1, Level::Full).unwrap();
        drain(&mut a);
        let bytes = a.snapshot().encode();

        // Another broker, whose monotonic clock has nothing to do with the first one's.
        let t_other = Instant::now() + Duration::from_secs(1000);
        let wall_b = WallClock::new(t_other, wall.unix_ms(t1) + 2_000);
        let now_b = t_other;
        let mut b = Session::restore(Snapshot::decode(&bytes).unwrap(), wall_b, now_b).unwrap();
        assert_eq!(b.level(), Some(Level::View));
        let history: Vec<_> = b.chat_history().map(|l| l.text.clone()).collect();
        assert_eq!(history, ["مرحبا 你好"]);
        // The escalation's deadline is the same wall time there: 60 s after t1.
        let due = b.poll_timeout().unwrap();
        assert_eq!(wall_b.unix_ms(due), wall.unix_ms(t1) + 60_000);
        // The sharer answers the pending escalation on the new broker.
        b.handle_message(
            now_b,
            Side::Sharer,
            ClientMessage::Consent {
                id: 2,
                allow: true,
                reason: None,
            },
        )
        .unwrap();
        assert_eq!(b.level(), Some(Level::Full));
        // Chat numbering carries on.
        b.handle_chat(now_b, Side::Helper, "ok").unwrap();
        let seqs: Vec<u64> = drain(&mut b)
            .into_iter()
            .filter_map(|o| match o {
                Output::Send {
                    message: ServerMessage::ChatMessage { seq, .. },
                    ..
                } => Some(seq),
                _ => None,
            })
            .collect();
        assert_eq!(seqs, [2, 2]);
    }

    #[test]
    fn a_deadline_that_passed_while_stored_fires_on_restore() {
        let t0 = Instant::now();
        let wall = WallClock::new(t0, 1_765_000_000_000);
        let mut a = session(t0, wall);
        a.handle_sharer_joined(t0, UserId::new("entra:sam"), card("Sam"), Client::Agent)
            .unwrap();
        a.handle_request(t0, Level::View).unwrap();
        drain(&mut a);
        let snap = a.snapshot();
        let later = t0 + Duration::from_secs(61);
        let mut b = Session::restore(snap, wall, later).unwrap();
        b.handle_timeout(later);
        let out = drain(&mut b);
        assert!(out.iter().any(|o| matches!(
            o,
            Output::Send {
                message: ServerMessage::ConsentResult { allow: false, .. },
                ..
            }
        )));
        assert_eq!(b.level(), None);
    }

    #[test]
    fn history_is_bounded() {
        let t0 = Instant::now();
        let wall = WallClock::new(t0, 1_765_000_000_000);
        let mut a = session(t0, wall);
        a.handle_sharer_joined(t0, UserId::new("entra:sam"), card("Sam"), Client::Agent)
            .unwrap();
        let long = "x".repeat(1900);
        for _ in 0..(HISTORY_LINES + 20) {
            a.handle_chat(t0, Side::Helper, "hi").unwrap();
        }
        assert_eq!(a.chat_history().count(), HISTORY_LINES);
        for _ in 0..20 {
            a.handle_chat(t0, Side::Helper, &long).unwrap();
        }
        let bytes: usize = a.chat_history().map(|l| l.text.len() + l.name.len()).sum();
        assert!(bytes <= HISTORY_BYTES, "{bytes}");
        assert_eq!(
            a.chat_history().last().unwrap().seq,
            HISTORY_LINES as u64 + 40
        );
        drain(&mut a);
        // What is kept restores.
        let b = Session::restore(a.snapshot(), wall, t0).unwrap();
        assert_eq!(b.snapshot(), a.snapshot());
    }

    #[test]
    fn impossible_snapshots_are_refused() {
        let t0 = Instant::now();
        let wall = WallClock::new(t0, 1_765_000_000_000);
        let mut a = session(t0, wall);
        a.handle_sharer_joined(t0, UserId::new("entra:sam"), card("Sam"), Client::Web)
            .unwrap();
        a.handle_request(t0, Level::View).unwrap();
        a.handle_consent(t0, 1, true).unwrap();
        drain(&mut a);
        let good = a.snapshot();
        assert!(Session::restore(good.clone(), wall, t0).is_ok());
        let refused = |s: Snapshot| Session::restore(s, wall, t0).unwrap_err();

        // A web sharer never has full control.
        let mut s = good.clone();
        s.state = StateData::Active {
            level: Level::Full,
            paused: false,
            pending: None,
        };
        assert!(matches!(refused(s), SnapshotError::Inconsistent(_)));
        // Active without a sharer.
        let mut s = good.clone();
        s.sharer = None;
        assert!(matches!(refused(s), SnapshotError::Inconsistent(_)));
        // A level above the policy's limit.
        let mut s = good.clone();
        s.max_level = Level::View;
        s.state = StateData::Active {
            level: Level::View,
            paused: false,
            pending: Some(PendingData {
                id: 1,
                level: Level::Full,
                deadline_ms: 0,
            }),
        };
        assert!(matches!(refused(s), SnapshotError::Inconsistent(_)));
        // A consent id never issued.
        let mut s = good.clone();
        s.state = StateData::AwaitingConsent {
            id: 9,
            level: Level::View,
            deadline_ms: 0,
        };
        assert!(matches!(refused(s), SnapshotError::Inconsistent(_)));
        // Zero consent timeout.
        let mut s = good.clone();
        s.consent_timeout_ms = 0;
        assert!(matches!(refused(s), SnapshotError::Inconsistent(_)));
        // Chat lines out of order.
        let mut s = good.clone();
        let line = ChatLine {
            seq: 1,
            from: Side::Helper,
            name: "Ada".into(),
            text: "hi".into(),
            at: 0,
        };
        s.history = vec![line.clone(), line];
        s.next_chat_seq = 2;
        assert!(matches!(refused(s), SnapshotError::Inconsistent(_)));
        // Another format, bad bytes, too many bytes.
        let mut s = good.clone();
        s.format = 2;
        assert_eq!(
            Snapshot::decode(&s.encode()),
            Err(SnapshotError::Format { found: 2 })
        );
        assert!(matches!(
            Snapshot::decode(b"{\"format\":1}"),
            Err(SnapshotError::Malformed(_))
        ));
        assert!(matches!(
            Snapshot::decode(&vec![b' '; MAX_SNAPSHOT_BYTES + 1]),
            Err(SnapshotError::TooLarge(_))
        ));
        assert_eq!(Snapshot::decode(&good.encode()), Ok(good));
    }

    #[test]
    fn the_fuzz_seed_is_a_good_snapshot() {
        let seed = include_bytes!("../../../fuzz/seeds/session-snapshot");
        let snap = Snapshot::decode(seed).unwrap();
        let t0 = Instant::now();
        let s = Session::restore(snap, WallClock::new(t0, 1_765_000_000_000), t0).unwrap();
        assert_eq!(s.level(), Some(Level::View));
        assert_eq!(s.chat_history().count(), 1);
    }
}
