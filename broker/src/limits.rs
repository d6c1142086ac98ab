//! Rate limits at the broker's edge: sign-in attempts, code redemptions and WebSocket
//! messages, per client address and per user, on top of the failure lockouts that already
//! exist (`auth::SignInLimiter`, the code book's per-user, per-address and global budgets).
//!
//! Each limit is a GCRA bucket (`governor`): `burst` at once, one more every
//! `60 s / per_minute`. A refusal says how long until the next attempt may pass (HTTP 429
//! `Retry-After`; on the WebSocket an `error` with code `rate_limited`, and a link that
//! keeps flooding after being told is closed: [`FloodGuard`]). Every refusal is counted
//! ([`EdgeStats`]). Keyed state is dropped once its bucket is full again
//! ([`Limiters::retain_recent`], every 10 s), so keys cannot pile up beyond what one
//! refill period brings in.

use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

use crate::ConfigError;

/// One limit: `burst` at once, then `per_minute` spread evenly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// Sustained rate.
    pub per_minute: u32,
    /// How many may come at once.
    pub burst: u32,
}

impl Rate {
    /// `per_minute` a minute, `burst` at once.
    pub const fn new(per_minute: u32, burst: u32) -> Rate {
        Rate { per_minute, burst }
    }

    fn quota(self) -> Quota {
        let period = Duration::from_secs(60) / self.per_minute.max(1);
        Quota::with_period(period.max(Duration::from_nanos(1)))
            .expect("a non-zero period")
            .allow_burst(NonZeroU32::new(self.burst.max(1)).expect("at least 1"))
    }
}

/// Every limit the broker applies at its edge (plain data; [`RateLimits::validate`]).
/// The defaults are far above what a person or the apps do (the web apps ping twice a
/// second) and far below what a script does.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimits {
    /// Sign-in attempts (`/api/login`, `/api/token`, the OIDC start, `/api/token/oidc`) per
    /// client address.
    pub sign_in_per_ip: Rate,
    /// Sign-in attempts per username (local accounts).
    pub sign_in_per_user: Rate,
    /// Code redemptions per client address (IPv6: per /64).
    pub redeem_per_ip: Rate,
    /// Code redemptions per user.
    pub redeem_per_user: Rate,
    /// WebSocket messages per link.
    pub messages_per_link: Rate,
    /// WebSocket messages per user, all their links together.
    pub messages_per_user: Rate,
    /// Messages a link may send past the limit after it was told (`rate_limited`) before it
    /// is closed.
    pub flood_close_after: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            sign_in_per_ip: Rate::new(60, 20),
            sign_in_per_user: Rate::new(20, 10),
            redeem_per_ip: Rate::new(60, 20),
            redeem_per_user: Rate::new(30, 10),
            messages_per_link: Rate::new(3000, 200),
            messages_per_user: Rate::new(6000, 400),
            flood_close_after: 100,
        }
    }
}

impl RateLimits {
    /// The highest limits [`RateLimits::validate`] accepts: for load generators and
    /// benchmarks, whose thousands of clients all come from one address and sign in as a few
    /// users. Never for a broker strangers can reach.
    pub fn for_load_generators() -> RateLimits {
        let max = Rate::new(600_000, 100_000);
        RateLimits {
            sign_in_per_ip: max,
            sign_in_per_user: max,
            redeem_per_ip: max,
            redeem_per_user: max,
            messages_per_link: max,
            messages_per_user: max,
            flood_close_after: 100,
        }
    }

    /// Checks every limit once, before anything starts.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let rates = [
            ("rate_limits.sign_in_per_ip", self.sign_in_per_ip),
            ("rate_limits.sign_in_per_user", self.sign_in_per_user),
            ("rate_limits.redeem_per_ip", self.redeem_per_ip),
            ("rate_limits.redeem_per_user", self.redeem_per_user),
            ("rate_limits.messages_per_link", self.messages_per_link),
            ("rate_limits.messages_per_user", self.messages_per_user),
        ];
        for (field, r) in rates {
            if !(1..=600_000).contains(&r.per_minute) || !(1..=100_000).contains(&r.burst) {
                return Err(ConfigError {
                    field,
                    reason: format!(
                        "per_minute {} and burst {}: per_minute must be 1..=600000, burst 1..=100000",
                        r.per_minute, r.burst
                    ),
                });
            }
        }
        if self.flood_close_after == 0 {
            return Err(ConfigError {
                field: "rate_limits.flood_close_after",
                reason: "must be at least 1".into(),
            });
        }
        Ok(())
    }
}

/// Refusals and TLS reloads, counted at the edge (read through `StatsHandle`).
#[derive(Debug, Default)]
pub struct EdgeStats {
    pub(crate) sign_ins_rate_limited: AtomicU64,
    pub(crate) redeems_rate_limited: AtomicU64,
    pub(crate) messages_rate_limited: AtomicU64,
    pub(crate) links_closed_flooding: AtomicU64,
    pub(crate) tls_reloads: AtomicU64,
    pub(crate) tls_reloads_refused: AtomicU64,
}

impl EdgeStats {
    pub(crate) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

type Keyed<K, C> = RateLimiter<K, DashMapStateStore<K>, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// One link's own message bucket.
pub type LinkLimiter<C = DefaultClock> =
    RateLimiter<NotKeyed, InMemoryState, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// The address a limit keys on: IPv4 as is, IPv6 per /64 (one subscriber's allocation).
pub fn ip_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

/// The broker's limiters, shared by every request and link.
pub struct Limiters<C: Clock = DefaultClock> {
    clock: C,
    config: RateLimits,
    sign_in_ip: Keyed<IpAddr, C>,
    sign_in_user: Keyed<String, C>,
    redeem_ip: Keyed<IpAddr, C>,
    redeem_user: Keyed<String, C>,
    messages_user: Keyed<String, C>,
    stats: Arc<EdgeStats>,
}

impl<C: Clock> std::fmt::Debug for Limiters<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limiters")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Limiters {
    /// Limiters on the system clock.
    pub fn new(config: RateLimits, stats: Arc<EdgeStats>) -> Self {
        Limiters::with_clock(config, stats, DefaultClock::default())
    }
}

impl<C: Clock + Clone> Limiters<C> {
    /// Limiters on `clock` (tests: `governor::clock::FakeRelativeClock`).
    pub fn with_clock(config: RateLimits, stats: Arc<EdgeStats>, clock: C) -> Self {
        Limiters {
            sign_in_ip: keyed(config.sign_in_per_ip, &clock),
            sign_in_user: keyed(config.sign_in_per_user, &clock),
            redeem_ip: keyed(config.redeem_per_ip, &clock),
            redeem_user: keyed(config.redeem_per_user, &clock),
            messages_user: keyed(config.messages_per_user, &clock),
            clock,
            config,
            stats,
        }
    }

    fn check<K: Hash + Eq + Clone>(&self, limiter: &Keyed<K, C>, key: &K) -> Result<(), Duration> {
        limiter
            .check_key(key)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// A sign-in attempt from `ip` (for `username`, when the request names one). `Err`: how
    /// long until one may pass.
    pub fn sign_in(&self, ip: IpAddr, username: Option<&str>) -> Result<(), Duration> {
        let result = self
            .check(&self.sign_in_ip, &ip_key(ip))
            .and_then(|()| match username {
                Some(u) => self.check(&self.sign_in_user, &u.to_lowercase()),
                None => Ok(()),
            });
        if result.is_err() {
            EdgeStats::bump(&self.stats.sign_ins_rate_limited);
        }
        result
    }

    /// A code redemption by `user` from `ip`.
    pub fn redeem(&self, ip: IpAddr, user: &str) -> Result<(), Duration> {
        let result = self
            .check(&self.redeem_ip, &ip_key(ip))
            .and_then(|()| self.check(&self.redeem_user, &user.to_owned()));
        if result.is_err() {
            EdgeStats::bump(&self.stats.redeems_rate_limited);
        }
        result
    }

    /// A new link's own message bucket.
    pub fn link(&self) -> LinkLimiter<C> {
        RateLimiter::direct_with_clock(self.config.messages_per_link.quota(), self.clock.clone())
    }

    /// One WebSocket message on `link` by `user`.
    pub fn message(&self, link: &LinkLimiter<C>, user: &str) -> Result<(), Duration> {
        let result = link
            .check()
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
            .and_then(|()| self.check(&self.messages_user, &user.to_owned()));
        if result.is_err() {
            EdgeStats::bump(&self.stats.messages_rate_limited);
        }
        result
    }

    /// A flood guard for a new link.
    pub fn flood_guard(&self) -> FloodGuard {
        FloodGuard::new(self.config.flood_close_after)
    }

    /// Forgets keys whose bucket is full again (nothing to remember) and returns how many are
    /// still tracked.
    pub fn retain_recent(&self) -> usize {
        retain(&self.sign_in_ip)
            + retain(&self.sign_in_user)
            + retain(&self.redeem_ip)
            + retain(&self.redeem_user)
            + retain(&self.messages_user)
    }
}

fn keyed<K: Hash + Eq + Clone, C: Clock + Clone>(rate: Rate, clock: &C) -> Keyed<K, C> {
    RateLimiter::dashmap_with_clock(rate.quota(), clock.clone())
}

fn retain<K: Hash + Eq + Clone, C: Clock>(limiter: &Keyed<K, C>) -> usize {
    limiter.retain_recent();
    limiter.shrink_to_fit();
    limiter.len()
}

/// What to do with a message refused by the rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flood {
    /// Drop it and tell the client (`error`, `rate_limited`).
    Tell,
    /// Drop it silently (told recently).
    Drop,
    /// The client was told and kept on: close the link.
    Close,
}

/// A link's answer to refused messages: tell once, then close if the client keeps flooding.
/// A link quiet for [`FloodGuard::FORGIVE`] after being told starts afresh.
#[derive(Debug, Clone)]
pub struct FloodGuard {
    close_after: u32,
    told: Option<Instant>,
    refused_since_told: u32,
}

impl FloodGuard {
    /// A refusal this long after the last warning counts as a new episode.
    pub const FORGIVE: Duration = Duration::from_secs(10);

    /// A guard that closes after `close_after` refusals past the warning.
    pub fn new(close_after: u32) -> Self {
        FloodGuard {
            close_after,
            told: None,
            refused_since_told: 0,
        }
    }

    /// One refused message at `now`.
    pub fn refused(&mut self, now: Instant) -> Flood {
        match self.told {
            Some(at) if now.saturating_duration_since(at) < Self::FORGIVE => {
                self.refused_since_told += 1;
                if self.refused_since_told >= self.close_after {
                    Flood::Close
                } else {
                    Flood::Drop
                }
            }
            _ => {
                self.told = Some(now);
                self.refused_since_told = 0;
                Flood::Tell
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;

    fn limiters(config: RateLimits) -> (Limiters<FakeRelativeClock>, FakeRelativeClock) {
        let clock = FakeRelativeClock::default();
        (
            Limiters::with_clock(config, Arc::default(), clock.clone()),
            clock,
        )
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn burst_then_refill_with_the_wait_time() {
        let (l, clock) = limiters(RateLimits {
            sign_in_per_ip: Rate::new(6, 3),
            ..RateLimits::default()
        });
        for _ in 0..3 {
            assert!(l.sign_in(ip("192.0.2.1"), None).is_ok());
        }
        let wait = l.sign_in(ip("192.0.2.1"), None).unwrap_err();
        assert_eq!(wait, Duration::from_secs(10), "one every 10 s");
        assert!(l.sign_in(ip("192.0.2.2"), None).is_ok(), "another address");
        clock.advance(Duration::from_secs(10));
        assert!(l.sign_in(ip("192.0.2.1"), None).is_ok());
        assert!(l.sign_in(ip("192.0.2.1"), None).is_err());
        assert_eq!(l.stats.sign_ins_rate_limited.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn per_user_across_addresses_and_ipv6_per_64() {
        let (l, _) = limiters(RateLimits {
            sign_in_per_user: Rate::new(1, 2),
            redeem_per_ip: Rate::new(1, 1),
            ..RateLimits::default()
        });
        assert!(l.sign_in(ip("192.0.2.1"), Some("Ada")).is_ok());
        assert!(l.sign_in(ip("192.0.2.2"), Some("ada")).is_ok());
        assert!(l.sign_in(ip("192.0.2.3"), Some("ADA")).is_err());
        assert!(l.sign_in(ip("192.0.2.3"), Some("sam")).is_ok());
        assert!(l.redeem(ip("2001:db8:1:2::1"), "u1").is_ok());
        assert!(
            l.redeem(ip("2001:db8:1:2::ffff"), "u2").is_err(),
            "same /64"
        );
        assert!(l.redeem(ip("2001:db8:1:3::1"), "u2").is_ok());
    }

    #[test]
    fn messages_per_link_and_per_user() {
        let (l, _) = limiters(RateLimits {
            messages_per_link: Rate::new(60, 3),
            messages_per_user: Rate::new(60, 5),
            ..RateLimits::default()
        });
        let (a, b) = (l.link(), l.link());
        for _ in 0..3 {
            assert!(l.message(&a, "ada").is_ok());
        }
        assert!(l.message(&a, "ada").is_err(), "link bucket");
        assert!(l.message(&b, "ada").is_ok());
        assert!(l.message(&b, "ada").is_ok());
        assert!(l.message(&b, "ada").is_err(), "user bucket: 5 in all");
        assert!(l.message(&l.link(), "sam").is_ok());
    }

    #[test]
    fn keys_are_forgotten_once_their_bucket_is_full() {
        let (l, clock) = limiters(RateLimits::default());
        for i in 0..1000u32 {
            let _ = l.sign_in(IpAddr::from(i.to_be_bytes()), Some(&format!("u{i}")));
        }
        assert_eq!(l.retain_recent(), 2000);
        clock.advance(Duration::from_secs(60));
        assert_eq!(l.retain_recent(), 0);
    }

    #[test]
    fn a_flood_is_told_once_then_closed() {
        let t0 = Instant::now();
        let mut g = FloodGuard::new(3);
        assert_eq!(g.refused(t0), Flood::Tell);
        assert_eq!(g.refused(t0), Flood::Drop);
        assert_eq!(g.refused(t0), Flood::Drop);
        assert_eq!(g.refused(t0), Flood::Close);
        let mut g = FloodGuard::new(3);
        assert_eq!(g.refused(t0), Flood::Tell);
        assert_eq!(g.refused(t0 + FloodGuard::FORGIVE), Flood::Tell, "forgiven");
    }

    /// The figures in docs/security.md: `cargo test -p glass-broker --lib -- --ignored
    /// --nocapture limits::tests::cost` (dev profile: dependencies at opt-level 2).
    #[test]
    #[ignore = "a measurement, not a check"]
    fn cost() {
        fn rss_kib() -> u64 {
            std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find(|l| l.starts_with("VmRSS:"))
                        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
                })
                .unwrap_or(0)
        }
        let l = Limiters::new(RateLimits::default(), Arc::default());
        let n = 1_000_000u32;
        let link = l.link();
        let t = Instant::now();
        for _ in 0..n {
            let _ = l.message(&link, "local:ada");
        }
        let per_message = t.elapsed() / n;
        let t = Instant::now();
        for _ in 0..n {
            let _ = l.sign_in(ip("192.0.2.1"), Some("ada"));
        }
        let per_sign_in = t.elapsed() / n;
        let before = rss_kib();
        let t = Instant::now();
        for i in 0..n {
            let _ = l.redeem(IpAddr::from(i.to_be_bytes()), "local:ada");
        }
        let per_new_key = t.elapsed() / n;
        let grown = rss_kib().saturating_sub(before);
        let t = Instant::now();
        let kept = l.retain_recent();
        println!(
            "message (link + user buckets): {per_message:?}; sign-in (address + user): \
             {per_sign_in:?}; a new address key: {per_new_key:?}; {n} address keys: {grown} KiB \
             resident ({} B each); retain_recent over them: {:?} ({kept} kept)",
            grown * 1024 / u64::from(n),
            t.elapsed()
        );
    }

    #[test]
    fn validation_names_the_field() {
        assert!(RateLimits::default().validate().is_ok());
        assert!(RateLimits::for_load_generators().validate().is_ok());
        let bad = RateLimits {
            redeem_per_user: Rate::new(0, 1),
            ..RateLimits::default()
        };
        assert_eq!(
            bad.validate().unwrap_err().field,
            "rate_limits.redeem_per_user"
        );
        assert!(RateLimits::default().validate().is_ok());
    }
}
