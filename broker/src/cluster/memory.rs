//! The in-process backend: one broker, no Redis. Same answers as the Redis backend, with
//! expiry on `tokio::time`'s clock and the same bounded subscription
//! queues.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use tokio::time::Instant;

use super::pubsub::{self, Channels, Feed, SubEvent, Subscription};
use super::{Cas, StoreConfig, StoreError, StoreStats, Versioned};

/// Expired entries are removed when read, and all of them every this many writes, so that
/// keys nobody reads again do not accumulate.
const SWEEP_EVERY: u64 = 1024;

/// The in-process store. Clones share the same state (two handles behave like two brokers
/// on one Redis).
#[derive(Clone)]
pub struct MemoryStore {
    inner: Arc<Inner>,
}

struct Inner {
    state: Mutex<State>,
    stats: Arc<StoreStats>,
    capacity: usize,
}

/// A value and when it expires.
struct Entry<T> {
    value: T,
    until: Instant,
}

#[derive(Default)]
struct State {
    codes: HashMap<String, Entry<Vec<u8>>>,
    failures: HashMap<String, Entry<u64>>,
    sessions: HashMap<String, Entry<Versioned>>,
    presence: HashMap<String, Entry<Vec<u8>>>,
    /// Subscribers per channel, by subscription id.
    channels: HashMap<String, HashMap<u64, Feed>>,
    next_subscription: u64,
    writes: u64,
}

/// A live entry of `map` at `key`; an expired one is removed.
fn live<'a, T>(
    map: &'a mut HashMap<String, Entry<T>>,
    key: &str,
    now: Instant,
) -> Option<&'a mut Entry<T>> {
    if map.get(key).is_some_and(|e| e.until <= now) {
        map.remove(key);
    }
    map.get_mut(key)
}

impl State {
    fn wrote(&mut self, now: Instant) {
        self.writes += 1;
        if self.writes.is_multiple_of(SWEEP_EVERY) {
            self.codes.retain(|_, e| e.until > now);
            self.failures.retain(|_, e| e.until > now);
            self.sessions.retain(|_, e| e.until > now);
            self.presence.retain(|_, e| e.until > now);
        }
    }
}

impl MemoryStore {
    /// An empty store; subscriptions queue up to `config.subscription_capacity` events.
    pub fn new(config: &StoreConfig) -> MemoryStore {
        MemoryStore {
            inner: Arc::new(Inner {
                state: Mutex::new(State::default()),
                stats: Arc::new(StoreStats::default()),
                capacity: config.subscription_capacity.max(1),
            }),
        }
    }

    /// The counters.
    pub fn stats(&self) -> &StoreStats {
        &self.inner.stats
    }

    /// The state, counting one operation. A poisoned lock is taken over: every change below
    /// is a single assignment, so no half-done update is ever visible.
    fn state(&self) -> MutexGuard<'_, State> {
        self.inner.stats.command();
        self.inner
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) async fn put_code(
        &self,
        digest: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<bool, StoreError> {
        let now = Instant::now();
        let mut state = self.state();
        if live(&mut state.codes, digest, now).is_some() {
            return Ok(false);
        }
        state.codes.insert(
            digest.to_owned(),
            Entry {
                value: value.to_vec(),
                until: now + ttl,
            },
        );
        state.wrote(now);
        Ok(true)
    }

    pub(crate) async fn take_code(&self, digest: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let now = Instant::now();
        let mut state = self.state();
        Ok(state
            .codes
            .remove(digest)
            .filter(|e| e.until > now)
            .map(|e| e.value))
    }

    pub(crate) async fn drop_code(&self, digest: &str) -> Result<(), StoreError> {
        self.state().codes.remove(digest);
        Ok(())
    }

    pub(crate) async fn count_failure(
        &self,
        key: &str,
        window: Duration,
    ) -> Result<u64, StoreError> {
        let now = Instant::now();
        let mut state = self.state();
        let count = match live(&mut state.failures, key, now) {
            Some(e) => {
                e.value = e.value.saturating_add(1);
                e.value
            }
            None => {
                state.failures.insert(
                    key.to_owned(),
                    Entry {
                        value: 1,
                        until: now + window,
                    },
                );
                1
            }
        };
        state.wrote(now);
        Ok(count)
    }

    pub(crate) async fn failures(&self, key: &str) -> Result<u64, StoreError> {
        let now = Instant::now();
        let mut state = self.state();
        Ok(live(&mut state.failures, key, now).map_or(0, |e| e.value))
    }

    pub(crate) async fn clear_failures(&self, key: &str) -> Result<(), StoreError> {
        self.state().failures.remove(key);
        Ok(())
    }

    pub(crate) async fn load_session(&self, id: &str) -> Result<Option<Versioned>, StoreError> {
        let now = Instant::now();
        let mut state = self.state();
        Ok(live(&mut state.sessions, id, now).map(|e| e.value.clone()))
    }

    pub(crate) async fn store_session(
        &self,
        id: &str,
        expected: Option<u64>,
        bytes: &[u8],
        ttl: Duration,
    ) -> Result<Cas, StoreError> {
        let now = Instant::now();
        let mut state = self.state();
        let current = live(&mut state.sessions, id, now).map(|e| e.value.version);
        if current != expected {
            return Ok(Cas::Conflict { current });
        }
        let version = current.map_or(1, |v| v.saturating_add(1));
        state.sessions.insert(
            id.to_owned(),
            Entry {
                value: Versioned {
                    version,
                    bytes: bytes.to_vec(),
                },
                until: now + ttl,
            },
        );
        state.wrote(now);
        Ok(Cas::Stored { version })
    }

    pub(crate) async fn remove_session(&self, id: &str, expected: u64) -> Result<Cas, StoreError> {
        let now = Instant::now();
        let mut state = self.state();
        let current = live(&mut state.sessions, id, now).map(|e| e.value.version);
        if current != Some(expected) {
            return Ok(Cas::Conflict { current });
        }
        state.sessions.remove(id);
        Ok(Cas::Stored { version: expected })
    }

    pub(crate) async fn heartbeat(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<(), StoreError> {
        let now = Instant::now();
        let mut state = self.state();
        state.presence.insert(
            key.to_owned(),
            Entry {
                value: value.to_vec(),
                until: now + ttl,
            },
        );
        state.wrote(now);
        Ok(())
    }

    pub(crate) async fn present(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let now = Instant::now();
        let mut state = self.state();
        Ok(live(&mut state.presence, key, now).map(|e| e.value.clone()))
    }

    pub(crate) async fn absent(&self, key: &str) -> Result<(), StoreError> {
        self.state().presence.remove(key);
        Ok(())
    }

    // Sign-ins share the presence map (an expiring value each) under their own names.
    pub(crate) async fn put_sign_in(
        &self,
        digest: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<(), StoreError> {
        self.heartbeat(&format!("\0signin:{digest}"), value, ttl)
            .await
    }

    pub(crate) async fn sign_in(&self, digest: &str) -> Result<Option<Vec<u8>>, StoreError> {
        self.present(&format!("\0signin:{digest}")).await
    }

    pub(crate) async fn drop_sign_in(&self, digest: &str) -> Result<(), StoreError> {
        self.absent(&format!("\0signin:{digest}")).await
    }

    pub(crate) async fn publish_many(
        &self,
        messages: &[(String, Vec<u8>)],
    ) -> Result<(), StoreError> {
        for (channel, message) in messages {
            self.publish(channel, message).await?;
        }
        Ok(())
    }

    pub(crate) async fn publish(&self, channel: &str, message: &[u8]) -> Result<(), StoreError> {
        let mut state = self.state();
        // Under the lock, so that messages to one channel are queued in publishing order.
        if let Some(subscribers) = state.channels.get_mut(channel) {
            subscribers.retain(|_, feed| {
                feed.offer(SubEvent::Message {
                    channel: channel.to_owned(),
                    payload: message.to_vec(),
                })
            });
            if subscribers.is_empty() {
                state.channels.remove(channel);
            }
        }
        Ok(())
    }

    pub(crate) async fn subscribe(&self, channels: &[String]) -> Result<Subscription, StoreError> {
        let (feed, rx, lagged) = pubsub::queue(self.inner.capacity, self.inner.stats.clone());
        let id = {
            let mut state = self.state();
            state.next_subscription += 1;
            state.next_subscription
        };
        let mut registration = Registration {
            store: Arc::downgrade(&self.inner),
            id,
            feed,
            channels: HashSet::new(),
        };
        for channel in channels {
            registration.add(channel);
        }
        Ok(Subscription::new(
            rx,
            lagged,
            Channels::Memory(registration),
        ))
    }
}

/// A memory subscription's place in the registry; removed from every channel on drop.
pub(crate) struct Registration {
    store: Weak<Inner>,
    id: u64,
    feed: Feed,
    channels: HashSet<String>,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("id", &self.id)
            .field("channels", &self.channels)
            .finish()
    }
}

impl Registration {
    fn with_state(&self, f: impl FnOnce(&mut State)) {
        if let Some(inner) = self.store.upgrade() {
            let mut state = inner
                .state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            f(&mut state);
        }
    }

    pub(crate) fn add(&mut self, channel: &str) {
        if self.channels.insert(channel.to_owned()) {
            let (id, feed) = (self.id, self.feed.clone());
            self.with_state(|state| {
                state
                    .channels
                    .entry(channel.to_owned())
                    .or_default()
                    .insert(id, feed);
            });
        }
    }

    pub(crate) fn remove(&mut self, channel: &str) {
        if self.channels.remove(channel) {
            let id = self.id;
            self.with_state(|state| unsubscribe(state, channel, id));
        }
    }
}

fn unsubscribe(state: &mut State, channel: &str, id: u64) {
    if let Some(subscribers) = state.channels.get_mut(channel) {
        subscribers.remove(&id);
        if subscribers.is_empty() {
            state.channels.remove(channel);
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let (id, channels) = (self.id, std::mem::take(&mut self.channels));
        self.with_state(|state| {
            for channel in &channels {
                unsubscribe(state, channel, id);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> MemoryStore {
        MemoryStore::new(&StoreConfig {
            subscription_capacity: 4,
            ..StoreConfig::default()
        })
    }

    // Real short TTLs: `tokio::time::pause` needs tokio's `test-util`, which would rebuild
    // tokio and everything on it for the tests.
    #[tokio::test]
    async fn entries_expire_and_the_failure_window_is_fixed() {
        let s = store();
        let ttl = Duration::from_millis(400);
        assert!(s.put_code("c", b"v", ttl).await.unwrap());
        s.heartbeat("p", b"b1", ttl).await.unwrap();
        assert_eq!(s.count_failure("f", ttl).await.unwrap(), 1);
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert_eq!(s.count_failure("f", ttl).await.unwrap(), 2);
        assert_eq!(s.present("p").await.unwrap().as_deref(), Some(&b"b1"[..]));
        // The window is fixed by the first failure, not extended by the second.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(s.failures("f").await.unwrap(), 0);
        assert_eq!(s.present("p").await.unwrap(), None);
        assert_eq!(s.take_code("c").await.unwrap(), None);
        assert!(s.put_code("c", b"w", ttl).await.unwrap());
    }

    #[tokio::test]
    async fn the_sweep_removes_entries_nobody_reads() {
        let s = store();
        for i in 0..SWEEP_EVERY - 1 {
            s.put_code(&i.to_string(), b"", Duration::from_millis(1))
                .await
                .unwrap();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        s.heartbeat("p", b"", Duration::from_secs(1)).await.unwrap();
        let state = s.inner.state.lock().unwrap();
        assert_eq!((state.codes.len(), state.presence.len()), (0, 1));
    }

    #[tokio::test]
    async fn a_slow_consumer_loses_messages_then_hears_resubscribed() {
        let s = store();
        let mut sub = s.subscribe(&["ch".to_owned()]).await.unwrap();
        for i in 0..10u8 {
            s.publish("ch", &[i]).await.unwrap();
        }
        assert_eq!(s.stats().snapshot().dropped, 6);
        let mut got = Vec::new();
        for _ in 0..5 {
            got.push(sub.next().await.unwrap());
        }
        let msg = |i: u8| SubEvent::Message {
            channel: "ch".into(),
            payload: vec![i],
        };
        assert_eq!(
            got,
            vec![msg(0), msg(1), msg(2), msg(3), SubEvent::Resubscribed]
        );
        s.publish("ch", &[10]).await.unwrap();
        assert_eq!(sub.next().await, Some(msg(10)));
    }

    #[tokio::test]
    async fn dropping_a_subscription_unregisters_it() {
        let s = store();
        let sub = s
            .subscribe(&["a".to_owned(), "b".to_owned()])
            .await
            .unwrap();
        assert_eq!(s.inner.state.lock().unwrap().channels.len(), 2);
        drop(sub);
        assert!(s.inner.state.lock().unwrap().channels.is_empty());
        s.publish("a", b"x").await.unwrap();
    }
}
