//! The state brokers share when several run behind a load balancer (`--redis URL`), and the
//! same state in process for a single broker (the default).
//!
//! One type, [`SharedStore`], with two backends behind an enum: [`MemoryStore`] and
//! [`RedisStore`]. Both give the same answers to the same calls (the conformance suite in
//! `tests/cluster_store.rs` runs the same tests on each):
//!
//! - **Codes**: [`SharedStore::put_code`] stores a value only if the code is free (`SET NX PX`),
//!   [`SharedStore::take_code`] redeems it (`GETDEL`): across all brokers at most one caller
//!   ever gets it.
//! - **Failure counters** (lockout): [`SharedStore::count_failure`] counts within a window fixed
//!   by the first failure.
//! - **Session snapshots** with optimistic concurrency: [`SharedStore::store_session`] is a
//!   compare-and-set on a version, so two brokers never both apply a transition.
//! - **Presence**: [`SharedStore::heartbeat`] keeps a key alive while its owner is.
//! - **Pub/sub**: [`SharedStore::publish`] and [`SharedStore::subscribe`] carry messages between
//!   the brokers that hold the two sides of a session.
//!
//! ```no_run
//! # async fn run() -> Result<(), glass_broker::cluster::StoreError> {
//! use std::time::Duration;
//! use glass_broker::cluster::{Cas, SharedStore, SubEvent};
//!
//! let store = SharedStore::connect_redis("redis://127.0.0.1:6379/0", "glass:").await?;
//! let mut sub = store.subscribe(&["b:broker-1".to_owned()]).await?;
//! if let Cas::Stored { version } = store
//!     .store_session("s1", None, b"snapshot", Duration::from_secs(3600))
//!     .await?
//! {
//!     println!("created at version {version}");
//! }
//! store.publish("b:broker-1", b"hello").await?;
//! while let Some(event) = sub.next().await {
//!     match event {
//!         SubEvent::Message { channel, payload } => println!("{channel}: {payload:?}"),
//!         // Messages may have been lost: reload what matters from the snapshots.
//!         SubEvent::Resubscribed => {}
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! Design:
//! - Every key and channel is prefixed (`glass:` by default), so tenants and tests can share a
//!   server. Key names: [`keys`].
//! - Every Redis command is bounded by [`StoreConfig::command_timeout`]; a dropped connection
//!   is re-established by redis' `ConnectionManager` in the background, and the command that
//!   saw it fails with [`StoreError::Unavailable`] (callers retry or fail the request cleanly).
//! - A subscription owns a dedicated pub/sub connection and a task that reconnects with
//!   capped backoff and re-subscribes. Its queue is bounded
//!   ([`StoreConfig::subscription_capacity`]): a consumer that falls behind loses messages
//!   (counted in [`StoreStats`]) and then sees [`SubEvent::Resubscribed`], exactly as after a
//!   reconnection, and resynchronises from the snapshots. Memory never grows with a slow
//!   consumer.
//! - TTLs in the memory backend use `tokio::time::Instant`.
//!
//! Errors are split by who is at fault ([`StoreError`]); a Redis URL's password never
//! appears in `Debug`, `Display` or an error ([`RedisUrl`]). Panic policy: a panic is a bug;
//! nothing read from Redis can panic the broker (a value that does not parse is
//! [`StoreError::Corrupt`]).

mod driver;
pub mod keys;
mod memory;
mod pubsub;
mod redis_store;

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

pub(crate) use driver::run as drive;
pub use memory::MemoryStore;
pub use pubsub::{SubEvent, Subscription};
pub use redis_store::{RedisStore, RedisUrl};

/// How the store talks to Redis and how much it buffers: plain data with [`Default`], checked
/// once by [`StoreConfig::validate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreConfig {
    /// Prefix of every key and channel, e.g. `glass:`; 1 to 64 printable ASCII characters
    /// without spaces.
    pub prefix: String,
    /// Longest any one command may take, including waiting for a reconnection; then
    /// [`StoreError::Unavailable`].
    pub command_timeout: Duration,
    /// Longest one connection attempt may take.
    pub connect_timeout: Duration,
    /// Events a subscription buffers for its consumer; beyond that messages are dropped and
    /// the consumer gets [`SubEvent::Resubscribed`].
    pub subscription_capacity: usize,
    /// First delay before a pub/sub reconnection attempt; doubled after each failure.
    pub reconnect_min: Duration,
    /// Longest delay between pub/sub reconnection attempts.
    pub reconnect_max: Duration,
    /// How often an idle pub/sub connection is pinged, so a silently dead one is noticed.
    pub keepalive: Duration,
}

impl Default for StoreConfig {
    fn default() -> StoreConfig {
        StoreConfig {
            prefix: "glass:".to_owned(),
            command_timeout: Duration::from_secs(2),
            connect_timeout: Duration::from_secs(2),
            subscription_capacity: 1024,
            reconnect_min: Duration::from_millis(50),
            reconnect_max: Duration::from_secs(2),
            keepalive: Duration::from_secs(5),
        }
    }
}

impl StoreConfig {
    /// The defaults with this prefix.
    pub fn with_prefix(prefix: &str) -> StoreConfig {
        StoreConfig {
            prefix: prefix.to_owned(),
            ..StoreConfig::default()
        }
    }

    /// Refuses values that cannot work, naming the field, the value and what is allowed.
    pub fn validate(&self) -> Result<(), StoreError> {
        let bad = |field: &'static str, detail: String| Err(StoreError::Config { field, detail });
        if self.prefix.is_empty()
            || self.prefix.len() > 64
            || !self.prefix.bytes().all(|b| b.is_ascii_graphic())
        {
            return bad(
                "redis_prefix",
                format!(
                    "{:?}: 1 to 64 printable ASCII characters without spaces",
                    self.prefix
                ),
            );
        }
        let ms = |d: Duration| d.as_millis();
        for (field, value) in [
            ("redis_command_timeout", self.command_timeout),
            ("redis_connect_timeout", self.connect_timeout),
            ("redis_keepalive", self.keepalive),
        ] {
            if value < Duration::from_millis(10) || value > Duration::from_secs(60) {
                return bad(field, format!("{} ms: 10 ms to 60 s", ms(value)));
            }
        }
        if self.subscription_capacity == 0 || self.subscription_capacity > 1 << 20 {
            return bad(
                "redis_subscription_capacity",
                format!("{}: 1 to 1048576", self.subscription_capacity),
            );
        }
        if self.reconnect_min.is_zero() || self.reconnect_min > self.reconnect_max {
            return bad(
                "redis_reconnect_min",
                format!(
                    "{} ms: more than 0 and at most redis_reconnect_max ({} ms)",
                    ms(self.reconnect_min),
                    ms(self.reconnect_max)
                ),
            );
        }
        if self.reconnect_max > Duration::from_secs(60) {
            return bad(
                "redis_reconnect_max",
                format!("{} ms: at most 60 s", ms(self.reconnect_max)),
            );
        }
        Ok(())
    }
}

/// Why a store call failed, split by who is at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store cannot be reached or did not answer in time (connection refused or dropped,
    /// timeout, a server that is loading or read-only). Transient: retry, or fail the request
    /// cleanly.
    #[error("shared store unavailable during {op}: {detail}")]
    Unavailable {
        /// The command or step, e.g. `GETDEL`, `connect`.
        op: &'static str,
        /// What happened (never holds the URL's password).
        detail: String,
    },
    /// The configuration is wrong: a bad URL, refused credentials, a server too old.
    #[error("{field}: {detail}")]
    Config {
        /// The configuration field at fault, e.g. `redis_url`.
        field: &'static str,
        /// What is wrong and what is allowed.
        detail: String,
    },
    /// A stored value does not have the expected shape (another writer, or a bug).
    #[error("shared store: corrupt value at {key}: {detail}")]
    Corrupt {
        /// The key, without its prefix.
        key: String,
        /// What did not parse.
        detail: String,
    },
}

/// A session snapshot and the version it was stored at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versioned {
    /// Starts at 1 when the session is created and grows by one with every store.
    pub version: u64,
    /// The caller's serialised snapshot.
    pub bytes: Vec<u8>,
}

/// The outcome of a compare-and-set ([`SharedStore::store_session`],
/// [`SharedStore::remove_session`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cas {
    /// Done: the new version (a store) or the version that was removed (a removal).
    Stored {
        /// See the variant.
        version: u64,
    },
    /// Someone else changed the session first: reload and decide again.
    Conflict {
        /// The version stored now; `None` if there is no session.
        current: Option<u64>,
    },
}

/// Counters for the broker's `/metrics`; shared by all clones of a store.
#[derive(Debug, Default)]
pub struct StoreStats {
    commands: AtomicU64,
    errors: AtomicU64,
    reconnects: AtomicU64,
    dropped: AtomicU64,
}

/// A copy of [`StoreStats`] at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatsSnapshot {
    /// Commands sent (Redis) or operations done (memory).
    pub commands: u64,
    /// Commands that failed, whatever the cause.
    pub errors: u64,
    /// Connections re-established: pub/sub reconnections, and commands that found their
    /// connection dropped (the connection manager then reconnects).
    pub reconnects: u64,
    /// Pub/sub messages dropped because a subscriber's queue was full.
    pub dropped: u64,
}

impl StoreStats {
    /// The counters now.
    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            commands: self.commands.load(Ordering::Relaxed),
            errors: self.errors.load(Ordering::Relaxed),
            reconnects: self.reconnects.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn command(&self) {
        self.commands.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn error(&self) {
        self.errors.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn reconnect(&self) {
        self.reconnects.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn drop_message(&self) {
        self.dropped.fetch_add(1, Ordering::Relaxed);
    }
}

/// The state shared between brokers: in process ([`SharedStore::memory`]) or in Redis
/// ([`SharedStore::connect_redis`]). Cheap to clone; clones share connections and counters.
#[derive(Clone)]
pub enum SharedStore {
    /// One broker: everything in this process.
    Memory(MemoryStore),
    /// Several brokers: everything in Redis.
    Redis(RedisStore),
}

impl fmt::Debug for SharedStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SharedStore::Memory(_) => f.write_str("SharedStore::Memory"),
            SharedStore::Redis(r) => f.debug_tuple("SharedStore::Redis").field(r).finish(),
        }
    }
}

/// Calls the same method on whichever backend this is.
macro_rules! dispatch {
    ($self:ident, $s:ident => $e:expr) => {
        match $self {
            SharedStore::Memory($s) => $e,
            SharedStore::Redis($s) => $e,
        }
    };
}

impl SharedStore {
    /// The in-process store with the default configuration.
    pub fn memory() -> SharedStore {
        SharedStore::Memory(MemoryStore::new(&StoreConfig::default()))
    }

    /// The in-process store with this configuration (only the subscription capacity matters).
    pub fn memory_with(config: &StoreConfig) -> Result<SharedStore, StoreError> {
        config.validate()?;
        Ok(SharedStore::Memory(MemoryStore::new(config)))
    }

    /// Connects to Redis at `url` (`redis://` or `rediss://`) with the default configuration
    /// and this key prefix: checks the URL, `PING`s, and refuses a server older than 6.2
    /// (`GETDEL`), naming its version.
    pub async fn connect_redis(url: &str, prefix: &str) -> Result<SharedStore, StoreError> {
        let url = RedisUrl::parse(url)?;
        SharedStore::connect_redis_with(&url, &StoreConfig::with_prefix(prefix)).await
    }

    /// [`SharedStore::connect_redis`] with a configuration of its own.
    pub async fn connect_redis_with(
        url: &RedisUrl,
        config: &StoreConfig,
    ) -> Result<SharedStore, StoreError> {
        config.validate()?;
        Ok(SharedStore::Redis(RedisStore::connect(url, config).await?))
    }

    /// The counters, shared by all clones.
    pub fn stats(&self) -> &StoreStats {
        dispatch!(self, s => s.stats())
    }

    /// Stores `value` under code `digest` for `ttl` if the code is free: `true` if stored,
    /// `false` if taken.
    pub async fn put_code(
        &self,
        digest: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        dispatch!(self, s => s.put_code(digest, value, ttl).await)
    }

    /// Redeems code `digest`: its value, removed in the same step, so that across all brokers
    /// at most one caller ever gets `Some`.
    pub async fn take_code(&self, digest: &str) -> Result<Option<Vec<u8>>, StoreError> {
        dispatch!(self, s => s.take_code(digest).await)
    }

    /// Forgets code `digest` (a session cancelled before it was redeemed).
    pub async fn drop_code(&self, digest: &str) -> Result<(), StoreError> {
        dispatch!(self, s => s.drop_code(digest).await)
    }

    /// Counts one failure under `key` and returns the count within the window; the window
    /// starts with the first failure and is not extended by later ones.
    pub async fn count_failure(&self, key: &str, window: Duration) -> Result<u64, StoreError> {
        dispatch!(self, s => s.count_failure(key, window).await)
    }

    /// Failures counted under `key` in the current window (0 if none or expired).
    pub async fn failures(&self, key: &str) -> Result<u64, StoreError> {
        dispatch!(self, s => s.failures(key).await)
    }

    /// Forgets the failures under `key` (after a success).
    pub async fn clear_failures(&self, key: &str) -> Result<(), StoreError> {
        dispatch!(self, s => s.clear_failures(key).await)
    }

    /// The snapshot of session `id` and its version, if there is one.
    pub async fn load_session(&self, id: &str) -> Result<Option<Versioned>, StoreError> {
        dispatch!(self, s => s.load_session(id).await)
    }

    /// Stores the snapshot of session `id` for `ttl`, atomically, if it is still at version
    /// `expected` (`None`: only if there is no session yet). On success the version grows by
    /// one (a new session starts at 1).
    ///
    /// Versions restart at 1 if an id is removed and created again: session ids are random
    /// and never reused.
    pub async fn store_session(
        &self,
        id: &str,
        expected: Option<u64>,
        bytes: &[u8],
        ttl: Duration,
    ) -> Result<Cas, StoreError> {
        dispatch!(self, s => s.store_session(id, expected, bytes, ttl).await)
    }

    /// Removes session `id` if it is still at version `expected`.
    pub async fn remove_session(&self, id: &str, expected: u64) -> Result<Cas, StoreError> {
        dispatch!(self, s => s.remove_session(id, expected).await)
    }

    /// Sets presence `key` to `value` for `ttl` (a broker or a link saying it is alive).
    pub async fn heartbeat(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.heartbeat(key, value, ttl).await)
    }

    /// The value of presence `key`, if its last heartbeat has not expired.
    pub async fn present(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        dispatch!(self, s => s.present(key).await)
    }

    /// Removes presence `key` (a clean goodbye).
    pub async fn absent(&self, key: &str) -> Result<(), StoreError> {
        dispatch!(self, s => s.absent(key).await)
    }

    /// Keeps sign-in `digest` (the digest of its secret, never the secret) for `ttl`.
    pub async fn put_sign_in(
        &self,
        digest: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<(), StoreError> {
        dispatch!(self, s => s.put_sign_in(digest, value, ttl).await)
    }

    /// Sign-in `digest`, if it has not expired or been revoked.
    pub async fn sign_in(&self, digest: &str) -> Result<Option<Vec<u8>>, StoreError> {
        dispatch!(self, s => s.sign_in(digest).await)
    }

    /// Revokes sign-in `digest` (sign-out), on every broker at once.
    pub async fn drop_sign_in(&self, digest: &str) -> Result<(), StoreError> {
        dispatch!(self, s => s.drop_sign_in(digest).await)
    }

    /// Sends `message` to every current subscriber of `channel` (none is fine: it is lost).
    pub async fn publish(&self, channel: &str, message: &[u8]) -> Result<(), StoreError> {
        dispatch!(self, s => s.publish(channel, message).await)
    }

    /// Publishes each `(channel, message)`, in order, in one round trip (a pipeline): all or,
    /// on an error, an unknown part of them.
    pub async fn publish_many(&self, messages: &[(String, Vec<u8>)]) -> Result<(), StoreError> {
        dispatch!(self, s => s.publish_many(messages).await)
    }

    /// Subscribes to `channels`; once this returns, every message published to them is
    /// delivered (or, if lost, followed by [`SubEvent::Resubscribed`]).
    pub async fn subscribe(&self, channels: &[String]) -> Result<Subscription, StoreError> {
        dispatch!(self, s => s.subscribe(channels).await)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_config_is_valid_and_bad_fields_are_named() {
        StoreConfig::default().validate().unwrap();
        let cases: [(StoreConfig, &str); 6] = [
            (StoreConfig::with_prefix(""), "redis_prefix"),
            (StoreConfig::with_prefix("a b"), "redis_prefix"),
            (
                StoreConfig {
                    command_timeout: Duration::ZERO,
                    ..StoreConfig::default()
                },
                "redis_command_timeout",
            ),
            (
                StoreConfig {
                    subscription_capacity: 0,
                    ..StoreConfig::default()
                },
                "redis_subscription_capacity",
            ),
            (
                StoreConfig {
                    reconnect_min: Duration::from_secs(3),
                    ..StoreConfig::default()
                },
                "redis_reconnect_min",
            ),
            (
                StoreConfig {
                    reconnect_min: Duration::from_secs(1),
                    reconnect_max: Duration::from_secs(61),
                    ..StoreConfig::default()
                },
                "redis_reconnect_max",
            ),
        ];
        for (config, field) in cases {
            match config.validate() {
                Err(StoreError::Config { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }
}
