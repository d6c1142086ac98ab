//! What brokers tell each other when the two sides of a help session hold their WebSockets on
//! different brokers (many brokers behind a load balancer, sharing a store).
//!
//! A session lives on its *home* broker, the one the helper asked for the code on: its state
//! machine runs there, as on a single broker. A sharer who redeems the code on another broker
//! (found in the shared store, where every code is kept under its digest) is joined to the
//! session from there: that broker forwards the sharer's messages home ([`PeerMessage::Join`],
//! [`PeerMessage::Event`], [`PeerMessage::Closed`]) and delivers what the session sends back
//! ([`PeerMessage::Deliver`], [`PeerMessage::Detach`]). Each broker listens on one channel of
//! its own; messages are JSON, checked like any other input (a broker that is not ours could
//! be compromised, so a message naming a session or link it has no business with is refused,
//! never acted on).
//!
//! Nothing here touches the network: the hub queues [`ClusterOut`] and takes
//! [`PeerMessage`]s; the cluster driver moves them.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use glass_protocol::{Card, Client, ErrorCode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Encoded peer messages larger than this are refused (a relayed SDP is at most 64 KiB).
pub const MAX_PEER_MESSAGE: usize = 256 * 1024;

/// A broker's id: 16 hex digits, drawn at start (a restarted broker is a new one).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BrokerId(String);

impl BrokerId {
    /// A fresh random id.
    pub fn random() -> BrokerId {
        let mut b = [0u8; 8];
        // The OS generator failing at start is fatal elsewhere first (sign-in tokens);
        // a zero id would still work, just not be unique.
        let _ = getrandom::fill(&mut b);
        BrokerId(b.iter().map(|x| format!("{x:02x}")).collect())
    }

    /// An id read back from a message or the store: 1 to 64 of `[0-9a-z-]`.
    pub fn parse(text: &str) -> Option<BrokerId> {
        let ok = !text.is_empty()
            && text.len() <= 64
            && text
                .bytes()
                .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase() || c == b'-');
        ok.then(|| BrokerId(text.to_owned()))
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The channel this broker listens on.
    pub fn channel(&self) -> String {
        format!("broker:{}", self.0)
    }

    /// The presence key this broker keeps alive while it runs.
    pub fn presence_key(&self) -> String {
        format!("alive:{}", self.0)
    }
}

impl fmt::Display for BrokerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The store key of a code: a digest (64 hex digits), so the store never holds a code
/// someone could type.
pub fn code_key(canonical: &str) -> String {
    let digest = Sha256::digest(format!("glass-code-v1:{canonical}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the shared store keeps under a code's key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeRecord {
    /// The session the code leads to.
    pub session: u64,
    /// The helper who asked for it.
    pub helper: String,
    /// The broker the session lives on.
    pub home: BrokerId,
}

impl CodeRecord {
    /// As stored.
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Read back from the store.
    pub fn decode(bytes: &[u8]) -> Result<CodeRecord, PeerError> {
        if bytes.len() > 4096 {
            return Err(PeerError::TooLarge(bytes.len()));
        }
        serde_json::from_slice(bytes).map_err(|e| PeerError::Malformed(e.to_string()))
    }
}

/// The sharer as the home broker's policy sees them (the broker they are on verified the
/// sign-in and the device).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteSharer {
    /// The stable user id.
    pub user_id: String,
    /// The tenant.
    pub tenant: String,
    /// Groups (for the policy's roles).
    pub groups: Vec<String>,
    /// Authentication methods (for rules that want MFA).
    pub amr: Vec<String>,
    /// Where they connect from.
    pub addr: IpAddr,
    /// Their card.
    pub card: Card,
    /// Agent or browser.
    pub client: Client,
    /// The enrolled device the agent proved it runs on, if any.
    pub device_id: Option<String>,
}

/// What the shared store keeps of a live session so that another broker can carry it on
/// when a side resumes there (its home died, drained, or a side's link landed elsewhere).
/// Written by the home after every change, compare-and-set on a version, so two brokers
/// never both carry a session on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRecord {
    /// The broker the session lives on.
    pub home: BrokerId,
    /// The session machine's snapshot (`glass_session::machine::Snapshot`, JSON).
    pub snapshot: String,
    /// Digests of the two sides' resume tokens (the tokens themselves are never stored).
    pub helper_token: String,
    /// See `helper_token`.
    pub sharer_token: String,
    /// The sharer, as the policy sees them.
    pub sharer: Option<RemoteSharer>,
    /// Where the sharer's link is: broker and link id.
    pub sharer_at: Option<(BrokerId, u64)>,
}

impl SessionRecord {
    /// As stored.
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Read back from the store.
    pub fn decode(bytes: &[u8]) -> Result<SessionRecord, PeerError> {
        if bytes.len() > MAX_PEER_MESSAGE {
            return Err(PeerError::TooLarge(bytes.len()));
        }
        serde_json::from_slice(bytes).map_err(|e| PeerError::Malformed(e.to_string()))
    }
}

/// A resume token: the session's id, then 256 random bits.
pub fn resume_token(session: u64) -> String {
    format!("{session}.{}", crate::auth::random_token())
}

/// The session a resume token names, if it is shaped like one.
pub fn resume_session(token: &str) -> Option<u64> {
    let (id, secret) = token.split_once('.')?;
    (token.len() <= 128 && !secret.is_empty()).then_some(())?;
    id.parse().ok()
}

/// The digest of a resume token, as the store keeps it.
pub fn resume_digest(token: &str) -> String {
    let digest = Sha256::digest(format!("glass-resume-v1:{token}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A message from one broker to another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum PeerMessage {
    /// To home: a sharer redeemed the code of `session` on `from`, on its link `link`.
    Join {
        /// The sender.
        from: BrokerId,
        /// The session.
        session: u64,
        /// The sharer's link on the sender.
        link: u64,
        /// Who.
        sharer: Box<RemoteSharer>,
    },
    /// To home: the sharer's link sent this (a client message, as JSON text).
    Event {
        /// The sender.
        from: BrokerId,
        /// The session.
        session: u64,
        /// The sharer's link on the sender.
        link: u64,
        /// The client's message, re-encoded.
        text: String,
    },
    /// To home: the sharer's link closed (`lost`: silent or cut).
    Closed {
        /// The sender.
        from: BrokerId,
        /// The session.
        session: u64,
        /// The sharer's link on the sender.
        link: u64,
    },
    /// From home: send `text` (a server message) on `link`.
    Deliver {
        /// The sender (the session's home).
        from: BrokerId,
        /// The session it belongs to.
        session: u64,
        /// The link on the receiver.
        link: u64,
        /// The encoded server message.
        text: String,
    },
    /// To home: a sharer resumed `session` on `from`'s link `link` (or its link here was
    /// moved to the session's new home).
    Rejoin {
        /// The sender.
        from: BrokerId,
        /// The session.
        session: u64,
        /// The sharer's link on the sender.
        link: u64,
        /// The digest of the sharer's resume token (checked by the sender) when the client
        /// resumed; `None` when the sender held the sharer's link before the session moved
        /// (the record names that link).
        token: Option<String>,
        /// Who.
        sharer: Box<RemoteSharer>,
        /// The client asked to resume: answer `resumed` and the chat lines after this one.
        chat_after: Option<u64>,
    },
    /// From a session's new home: it lives on `from` now (a side resumed there). The old
    /// home lets it go without ending it; a broker holding its sharer rejoins it there.
    Moved {
        /// The new home.
        from: BrokerId,
        /// The session.
        session: u64,
    },
    /// From home: `link` is no longer in `session` (it ended, or the join was refused with
    /// `error`).
    Detach {
        /// The sender (the session's home).
        from: BrokerId,
        /// The session.
        session: u64,
        /// The link on the receiver.
        link: u64,
        /// Why the join was refused, if it was.
        error: Option<ErrorCode>,
    },
}

impl PeerMessage {
    /// As published.
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Read from the channel.
    pub fn decode(bytes: &[u8]) -> Result<PeerMessage, PeerError> {
        if bytes.len() > MAX_PEER_MESSAGE {
            return Err(PeerError::TooLarge(bytes.len()));
        }
        let m: PeerMessage =
            serde_json::from_slice(bytes).map_err(|e| PeerError::Malformed(e.to_string()))?;
        if BrokerId::parse(m.from().as_str()).is_none() {
            return Err(PeerError::Malformed("broker id".into()));
        }
        Ok(m)
    }

    /// The session it is about.
    pub fn session_mut(&mut self) -> &mut u64 {
        match self {
            PeerMessage::Join { session, .. }
            | PeerMessage::Event { session, .. }
            | PeerMessage::Closed { session, .. }
            | PeerMessage::Deliver { session, .. }
            | PeerMessage::Rejoin { session, .. }
            | PeerMessage::Moved { session, .. }
            | PeerMessage::Detach { session, .. } => session,
        }
    }

    /// Who sent it.
    pub fn from(&self) -> &BrokerId {
        match self {
            PeerMessage::Join { from, .. }
            | PeerMessage::Event { from, .. }
            | PeerMessage::Closed { from, .. }
            | PeerMessage::Deliver { from, .. }
            | PeerMessage::Rejoin { from, .. }
            | PeerMessage::Moved { from, .. }
            | PeerMessage::Detach { from, .. } => from,
        }
    }
}

/// A peer message or code record that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeerError {
    /// Not JSON of the expected shape.
    #[error("malformed: {0}")]
    Malformed(String),
    /// Larger than any broker sends.
    #[error("{0} bytes")]
    TooLarge(usize),
}

/// Failed redemptions counted in the shared store, so that a sharer (or an address) locked
/// out on one broker is locked out on all of them. The window opens with the first failure;
/// at `max` failures within it the user or address is refused until it closes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lockout {
    /// The user's counter.
    pub user: String,
    /// The address's counter (IPv4, or an IPv6 /64).
    pub addr: String,
    /// Failures that lock a user.
    pub max_user: u32,
    /// Failures that lock an address.
    pub max_addr: u32,
    /// How long a window (and so a lockout) lasts.
    pub window: Duration,
}

impl Lockout {
    /// The counters for `user_id` redeeming from `ip`, with a code book's limits.
    pub fn new(user_id: &str, ip: IpAddr, config: &glass_session::code::CodeBookConfig) -> Lockout {
        let digest = |what: &str| {
            let d = Sha256::digest(format!("glass-lockout-v1:{what}").as_bytes());
            d.iter()
                .take(16)
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        let addr = glass_session::code::address_key(ip);
        Lockout {
            user: format!("redeem-user:{}", digest(user_id)),
            addr: format!("redeem-addr:{}", digest(&addr.to_string())),
            max_user: config.max_failures_per_user,
            max_addr: config.max_failures_per_address,
            window: config.lockout.max(config.failure_window),
        }
    }
}

/// The last `cap` sessions that ended, and the broker each one's sharer was on: bounded,
/// oldest forgotten first.
#[derive(Debug)]
pub struct Recent {
    order: std::collections::VecDeque<u64>,
    map: std::collections::HashMap<u64, BrokerId>,
    cap: usize,
}

impl Recent {
    /// Empty, remembering at most `cap`.
    pub fn new(cap: usize) -> Recent {
        Recent {
            order: std::collections::VecDeque::new(),
            map: std::collections::HashMap::new(),
            cap,
        }
    }

    /// Remembers `session` (its sharer on `broker`).
    pub fn insert(&mut self, session: u64, broker: BrokerId) {
        if self.map.insert(session, broker).is_none() {
            self.order.push_back(session);
        }
        while self.order.len() > self.cap {
            if let Some(old) = self.order.pop_front() {
                self.map.remove(&old);
            }
        }
    }

    /// The broker of a remembered session.
    pub fn get(&self, session: &u64) -> Option<&BrokerId> {
        self.map.get(session)
    }
}

/// What the hub asks the cluster driver to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClusterOut {
    /// Publish `message` to broker `to`.
    Send {
        /// The receiver.
        to: BrokerId,
        /// What.
        message: PeerMessage,
        /// The ticket of the last audit row recorded before it: published once durable.
        after: u64,
    },
    /// Keep `record` under `key` for `ttl` unless the key is taken, then answer
    /// [`crate::hub::Hub::handle_code_stored`].
    PutCode {
        /// [`code_key`] of the code.
        key: String,
        /// What redeeming it leads to.
        record: CodeRecord,
        /// The code's lifetime.
        ttl: Duration,
    },
    /// Take (get and delete) the record under `key`, then answer
    /// [`crate::hub::Hub::handle_code_taken`] for `link`.
    TakeCode {
        /// [`code_key`] of what the sharer typed.
        key: String,
        /// The redeeming link.
        link: u64,
        /// The lockout counters shared by every broker: checked before, counted after a miss.
        lockout: Lockout,
    },
    /// Delete the record under `key` (the code was replaced, expired or redeemed here).
    DropCode {
        /// [`code_key`] of the code.
        key: String,
    },
    /// Store session `session`'s record if it is still at version `expected`; a conflict is
    /// answered [`crate::hub::Hub::handle_session_conflict`] (someone else carries it now).
    SaveSession {
        /// The session.
        session: u64,
        /// The version this broker last stored (`None`: a new record).
        expected: Option<u64>,
        /// The record.
        record: Box<SessionRecord>,
        /// How long the store keeps it.
        ttl: Duration,
    },
    /// Load session `session`'s record, and whether its home is alive, for `link`'s resume;
    /// answered [`crate::hub::Hub::handle_session_loaded`].
    LoadSession {
        /// The session.
        session: u64,
        /// The resuming link.
        link: u64,
    },
    /// Make this broker the home of `session` if its record is still at `expected`;
    /// answered [`crate::hub::Hub::handle_session_claimed`].
    ClaimSession {
        /// The session.
        session: u64,
        /// The version read.
        expected: u64,
        /// The record with this broker as home.
        record: Box<SessionRecord>,
        /// The resuming link.
        link: u64,
        /// How long the store keeps it.
        ttl: Duration,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_and_hostile_ones_are_refused() {
        let me = BrokerId::parse("0123abcd").unwrap();
        let m = PeerMessage::Deliver {
            from: me.clone(),
            session: 7,
            link: 3,
            text: "{\"v\":1}".into(),
        };
        assert_eq!(PeerMessage::decode(&m.encode()), Ok(m));
        for bad in [
            &b"{}"[..],
            b"{\"type\":\"deliver\"}",
            b"{\"type\":\"closed\",\"from\":\"UPPER\",\"session\":1,\"link\":2}",
            b"{\"type\":\"closed\",\"from\":\"a\",\"session\":-1,\"link\":2}",
            b"{\"type\":\"closed\",\"from\":\"a\",\"session\":1,\"link\":2,\"x\":0}",
            b"\xff",
        ] {
            assert!(PeerMessage::decode(bad).is_err(), "{bad:?}");
        }
        assert!(matches!(
            PeerMessage::decode(&vec![b' '; MAX_PEER_MESSAGE + 1]),
            Err(PeerError::TooLarge(_))
        ));
        assert!(BrokerId::parse("").is_none());
        assert!(BrokerId::parse(&"a".repeat(65)).is_none());
        assert!(BrokerId::parse("a:b").is_none());
        assert_eq!(BrokerId::random().as_str().len(), 16);
    }

    #[test]
    fn recent_sessions_are_bounded() {
        let b = BrokerId::parse("b1").unwrap();
        let mut r = Recent::new(2);
        for s in 1..=3 {
            r.insert(s, b.clone());
        }
        assert!(r.get(&1).is_none());
        assert_eq!(r.get(&3), Some(&b));
        assert_eq!(r.map.len(), 2);
    }

    #[test]
    fn code_keys_hide_the_code() {
        let k = code_key("4060r0gx");
        assert_eq!(k.len(), 64);
        assert!(k.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(k, code_key("4060r0gx"));
        assert_ne!(k, code_key("4060r0gy"));
        let r = CodeRecord {
            session: 1,
            helper: "entra:ada".into(),
            home: BrokerId::parse("b1").unwrap(),
        };
        assert_eq!(CodeRecord::decode(&r.encode()), Ok(r));
        assert!(CodeRecord::decode(b"{\"session\":1}").is_err());
    }
}
