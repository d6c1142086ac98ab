//! One issuer's key cache: when to fetch its JWKS, and the last good key set.
//!
//! Sans-IO. The driver asks [`KeyCache::poll_refresh`] whether to fetch now, fetches
//! `jwks_uri` itself, and reports the body with [`KeyCache::handle_jwks`] or the failure with
//! [`KeyCache::handle_fetch_failed`]; [`KeyCache::poll_timeout`] says when to ask again.
//! Drain rule: after any `handle_*` call, call `poll_refresh` until it says no, then sleep until
//! `poll_timeout` (or until a token names an unknown key: [`KeyCache::handle_unknown_kid`]).
//!
//! - No keys yet: fetch at once, retry with exponential backoff.
//! - Keys held: refetch every [`CacheConfig::refresh_every`] (rotation is picked up even when
//!   no token names the new key yet).
//! - A token names an unknown `kid`: refetch, but at most once per
//!   [`CacheConfig::unknown_kid_interval`], so a stranger sending made-up `kid`s cannot make
//!   the broker hammer the issuer.
//! - A fetch fails or serves garbage: the last good set stays in use and a retry is
//!   scheduled with backoff. A new set replaces the old one whole (keys the issuer dropped
//!   are dropped here too).

use std::time::{Duration, Instant};

use crate::jwks::{JwksError, Key, KeySet};

/// Timings of a [`KeyCache`]: plain data with [`Default`].
#[derive(Clone, Debug)]
pub struct CacheConfig {
    /// Refetch a good set this often.
    pub refresh_every: Duration,
    /// At most one fetch per this interval because of unknown `kid`s.
    pub unknown_kid_interval: Duration,
    /// First retry after a failure; doubles per failure up to `max_backoff`.
    pub min_backoff: Duration,
    /// Longest wait between retries.
    pub max_backoff: Duration,
    /// A fetch not reported within this long counts as failed.
    pub fetch_timeout: Duration,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            refresh_every: Duration::from_secs(3600),
            unknown_kid_interval: Duration::from_secs(30),
            min_backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(300),
            fetch_timeout: Duration::from_secs(30),
        }
    }
}

/// The key cache of one issuer.
#[derive(Debug)]
pub struct KeyCache {
    config: CacheConfig,
    keys: Option<KeySet>,
    /// When the fetch in flight started.
    in_flight: Option<Instant>,
    /// When the last fetch started (for the unknown-kid rate limit).
    last_started: Option<Instant>,
    /// When the next scheduled fetch is due.
    next_due: Option<Instant>,
    /// A token named a kid we do not have.
    unknown_kid: bool,
    failures: u32,
    /// Successful fetches (tests and stats).
    pub fetches_ok: u64,
    /// Failed or unusable fetches.
    pub fetches_failed: u64,
}

impl KeyCache {
    /// An empty cache: the first [`KeyCache::poll_refresh`] says fetch.
    pub fn new(config: CacheConfig) -> KeyCache {
        KeyCache {
            config,
            keys: None,
            in_flight: None,
            last_started: None,
            next_due: None,
            unknown_kid: false,
            failures: 0,
            fetches_ok: 0,
            fetches_failed: 0,
        }
    }

    /// The current key set (the last good one), if any was ever fetched.
    pub fn keys(&self) -> Option<&KeySet> {
        self.keys.as_ref()
    }

    /// The key with this `kid` in the current set.
    pub fn keys_for(&self, kid: &str) -> Option<&Key> {
        self.keys.as_ref()?.get(kid)
    }

    /// A token named a key we do not have: fetch again when the rate limit allows.
    pub fn handle_unknown_kid(&mut self, _now: Instant) {
        self.unknown_kid = true;
    }

    fn due(&self, now: Instant) -> Option<Instant> {
        let mut due = match self.keys {
            None => Some(self.next_due.unwrap_or(now)),
            Some(_) => self.next_due,
        };
        if self.unknown_kid {
            let allowed = self
                .last_started
                .map_or(now, |t| t + self.config.unknown_kid_interval);
            due = Some(due.map_or(allowed, |d| d.min(allowed)));
        }
        due
    }

    /// Whether to fetch the JWKS now. `true` marks a fetch in flight: report its outcome with
    /// [`KeyCache::handle_jwks`] or [`KeyCache::handle_fetch_failed`].
    pub fn poll_refresh(&mut self, now: Instant) -> bool {
        if let Some(started) = self.in_flight {
            if now < started + self.config.fetch_timeout {
                return false;
            }
            // The driver lost it: count it as failed.
            self.handle_fetch_failed(now);
        }
        match self.due(now) {
            Some(due) if due <= now => {
                self.in_flight = Some(now);
                self.last_started = Some(now);
                self.unknown_kid = false;
                true
            }
            _ => false,
        }
    }

    /// When to call [`KeyCache::poll_refresh`] next (`now` or earlier: at once).
    pub fn poll_timeout(&self, now: Instant) -> Instant {
        if let Some(started) = self.in_flight {
            return started + self.config.fetch_timeout;
        }
        self.due(now)
            .unwrap_or(now + self.config.refresh_every)
            .max(now)
    }

    /// The JWKS body the issuer served. On success the new set replaces the old one; on
    /// failure the last good set stays and a retry is scheduled.
    pub fn handle_jwks(&mut self, now: Instant, body: &[u8]) -> Result<usize, JwksError> {
        self.in_flight = None;
        match KeySet::parse(body) {
            Ok(set) => {
                let n = set.len();
                self.keys = Some(set);
                self.failures = 0;
                self.fetches_ok += 1;
                self.next_due = Some(now + self.config.refresh_every);
                Ok(n)
            }
            Err(e) => {
                self.failed(now);
                Err(e)
            }
        }
    }

    /// The fetch failed (network, status, timeout): keep the last good set, retry later.
    pub fn handle_fetch_failed(&mut self, now: Instant) {
        self.in_flight = None;
        self.failed(now);
    }

    fn failed(&mut self, now: Instant) {
        self.fetches_failed += 1;
        let backoff = self
            .config
            .min_backoff
            .saturating_mul(1u32 << self.failures.min(16))
            .min(self.config.max_backoff);
        self.failures = self.failures.saturating_add(1);
        self.next_due = Some(now + backoff);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_keys::{TestKey, jwks};

    #[test]
    fn fetches_at_once_then_hourly() {
        let t0 = Instant::now();
        let k = TestKey::p256("k1");
        let mut c = KeyCache::new(CacheConfig::default());
        assert!(c.poll_refresh(t0));
        assert!(!c.poll_refresh(t0), "one fetch in flight");
        assert_eq!(c.handle_jwks(t0, &jwks(&[&k])), Ok(1));
        assert!(c.keys_for("k1").is_some());
        assert!(!c.poll_refresh(t0 + Duration::from_secs(3599)));
        assert_eq!(c.poll_timeout(t0), t0 + Duration::from_secs(3600));
        assert!(c.poll_refresh(t0 + Duration::from_secs(3600)));
    }

    #[test]
    fn unknown_kid_refetches_at_most_every_30_s() {
        let t0 = Instant::now();
        let k1 = TestKey::p256("k1");
        let k2 = TestKey::p256("k2");
        let mut c = KeyCache::new(CacheConfig::default());
        assert!(c.poll_refresh(t0));
        c.handle_jwks(t0, &jwks(&[&k1])).unwrap();
        let t1 = t0 + Duration::from_secs(40);
        assert!(c.keys_for("k2").is_none());
        c.handle_unknown_kid(t1);
        assert!(c.poll_refresh(t1), "unknown kid: fetch now");
        c.handle_jwks(t1, &jwks(&[&k1, &k2])).unwrap();
        assert!(c.keys_for("k2").is_some(), "rotation picked up");
        assert!(c.keys_for("k1").is_some(), "old key kept while published");
        // A stranger's made-up kids: no second fetch within 30 s.
        for s in 1..30 {
            c.handle_unknown_kid(t1 + Duration::from_secs(s));
            assert!(!c.poll_refresh(t1 + Duration::from_secs(s)));
        }
        assert_eq!(
            c.poll_timeout(t1 + Duration::from_secs(29)),
            t1 + Duration::from_secs(30)
        );
        assert!(c.poll_refresh(t1 + Duration::from_secs(30)));
    }

    #[test]
    fn keeps_the_last_good_set_while_the_issuer_is_down() {
        let t0 = Instant::now();
        let k1 = TestKey::p256("k1");
        let mut c = KeyCache::new(CacheConfig::default());
        assert!(c.poll_refresh(t0));
        c.handle_jwks(t0, &jwks(&[&k1])).unwrap();
        let mut t = t0 + Duration::from_secs(3600);
        let mut waits = Vec::new();
        for i in 0..12 {
            assert!(c.poll_refresh(t), "retry {i}");
            if i % 2 == 0 {
                c.handle_fetch_failed(t);
            } else {
                assert!(c.handle_jwks(t, b"<html>502</html>").is_err());
            }
            assert!(c.keys_for("k1").is_some(), "last good set kept");
            let next = c.poll_timeout(t);
            waits.push((next - t).as_secs());
            t = next;
        }
        assert_eq!(&waits[..5], [2, 4, 8, 16, 32], "exponential backoff");
        assert_eq!(*waits.last().unwrap(), 300, "capped");
        assert!(c.poll_refresh(t));
        c.handle_jwks(t, &jwks(&[&k1])).unwrap();
        assert_eq!(
            c.poll_timeout(t),
            t + Duration::from_secs(3600),
            "back to hourly"
        );
    }

    #[test]
    fn retries_the_first_fetch_and_forgets_a_lost_one() {
        let t0 = Instant::now();
        let mut c = KeyCache::new(CacheConfig::default());
        assert!(c.poll_refresh(t0));
        // The driver never reports: after 30 s it counts as failed, then backoff.
        assert!(!c.poll_refresh(t0 + Duration::from_secs(29)));
        assert!(!c.poll_refresh(t0 + Duration::from_secs(30)));
        assert!(c.poll_refresh(t0 + Duration::from_secs(32)));
        assert_eq!(c.fetches_failed, 1);
    }
}
