//! The code book: issues codes to helpers and redeems them for sharers, with per-user,
//! per-address and global failure limits. Sans-IO: time and randomness are arguments.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, Ipv6Addr};
use std::time::{Duration, Instant};

use glass_protocol::{ErrorCode, ServerMessage};
use rand_core::RngCore;

use super::Code;
use crate::audit::{Actor, AuditEvent, AuditKind, LockScope, Refusal};
use crate::clock::WallClock;
use crate::error::ConfigError;
use crate::ids::{SessionId, SessionKey, UserId};

/// How often [`CodeBook::handle_timeout`] wants to prune (memory only: every check compares
/// times itself, so correctness never waits for a prune).
pub const PRUNE_INTERVAL: Duration = Duration::from_secs(60);
/// The window of the global failure budget.
pub const GLOBAL_WINDOW: Duration = Duration::from_secs(60);
/// Longest duration accepted in [`CodeBookConfig`] (keeps `Instant` arithmetic far from
/// overflow).
pub const MAX_DURATION: Duration = Duration::from_secs(30 * 24 * 3600);

/// Limits of a [`CodeBook`]. Plain data; [`CodeBookConfig::validate`] runs in
/// [`CodeBook::new`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeBookConfig {
    /// How long a code stays valid: 10 min.
    pub ttl: Duration,
    /// Failed redemptions by one user, within `failure_window`, that lock the user: 5.
    pub max_failures_per_user: u32,
    /// Failed redemptions from one address (IPv4, or IPv6 /64), within `failure_window`,
    /// that lock the address: 5.
    pub max_failures_per_address: u32,
    /// Failures older than this are forgotten: 15 min.
    pub failure_window: Duration,
    /// How long a lockout lasts: 15 min.
    pub lockout: Duration,
    /// Failures per minute, over everyone, after which every redemption is refused with
    /// `busy` until the minute has passed: 100. This bounds how fast the 2^40 code space can
    /// be probed however many accounts and addresses an attacker has.
    pub global_failures_per_minute: u32,
    /// Users plus addresses with failure records tracked at once: 100,000. Every record comes
    /// from a failure and failures are globally limited, so with the defaults at most about
    /// 100/min × 30 min × 2 = 6,000 exist; the cap matters only for a very large global
    /// budget. At the cap a redemption from a user or address without a record is refused
    /// with `busy` (fail closed: a full table must not open a way around the lockouts) and
    /// counted in [`CodeStats::refused_tracker_full`].
    pub max_tracked: usize,
    /// Live codes at once (one per helper): 100,000. At the cap [`CodeBook::issue`] fails
    /// with [`IssueError::Full`].
    pub max_live_codes: usize,
}

impl Default for CodeBookConfig {
    fn default() -> Self {
        CodeBookConfig {
            ttl: Duration::from_secs(10 * 60),
            max_failures_per_user: 5,
            max_failures_per_address: 5,
            failure_window: Duration::from_secs(15 * 60),
            lockout: Duration::from_secs(15 * 60),
            global_failures_per_minute: 100,
            max_tracked: 100_000,
            max_live_codes: 100_000,
        }
    }
}

impl CodeBookConfig {
    /// Checks every field; the error names the field, the value and what is allowed.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let durations = [
            ("ttl", self.ttl),
            ("failure_window", self.failure_window),
            ("lockout", self.lockout),
        ];
        for (field, d) in durations {
            if d.is_zero() || d > MAX_DURATION {
                return Err(ConfigError::new(field, format!("{d:?}"), "1 ms to 30 days"));
            }
        }
        let counts = [
            ("max_failures_per_user", self.max_failures_per_user),
            ("max_failures_per_address", self.max_failures_per_address),
            (
                "global_failures_per_minute",
                self.global_failures_per_minute,
            ),
        ];
        for (field, n) in counts {
            if n == 0 || n > 1_000_000 {
                return Err(ConfigError::new(field, n.to_string(), "1 to 1,000,000"));
            }
        }
        for (field, n) in [
            ("max_tracked", self.max_tracked),
            ("max_live_codes", self.max_live_codes),
        ] {
            if !(2..=10_000_000).contains(&n) {
                return Err(ConfigError::new(field, n.to_string(), "2 to 10,000,000"));
            }
        }
        Ok(())
    }
}

/// Counters of everything the book did and refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeStats {
    /// Codes issued.
    pub issued: u64,
    /// Live codes replaced by a newer one or withdrawn.
    pub revoked: u64,
    /// Codes that expired unused.
    pub expired: u64,
    /// Codes redeemed.
    pub redeemed: u64,
    /// Redemptions refused as invalid (unknown, expired, used, not a code).
    pub refused_invalid: u64,
    /// Of those, text that was not a code at all.
    pub refused_unparsable: u64,
    /// Redemptions refused: user locked out.
    pub refused_locked_user: u64,
    /// Redemptions refused: address locked out.
    pub refused_locked_address: u64,
    /// Redemptions refused: global failure budget spent.
    pub refused_busy: u64,
    /// Redemptions refused: failure tracker full (answered `busy`).
    pub refused_tracker_full: u64,
    /// User lockouts started.
    pub lockouts_user: u64,
    /// Address lockouts started.
    pub lockouts_address: u64,
    /// `issue` refused: too many live codes.
    pub issue_refused_full: u64,
}

/// A freshly issued code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issued {
    /// The code (its `Debug` is redacted).
    pub code: Code,
    /// The session the code leads to.
    pub key: SessionKey,
    /// Expiry.
    pub expires: Instant,
    /// Expiry, Unix ms (for the `code` message).
    pub expires_at: u64,
    /// The helper's previous live code's session, now revoked: the broker ends it.
    pub revoked: Option<SessionKey>,
}

impl Issued {
    /// The `code` message for the helper.
    pub fn message(&self) -> ServerMessage {
        ServerMessage::Code {
            code: self.code.canonical(),
            display: self.code.display(),
            expires_at: self.expires_at,
        }
    }
}

/// Why a code could not be issued (capacity or OS: not the helper's fault).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IssueError {
    /// [`CodeBookConfig::max_live_codes`] live codes already.
    #[error("too many live codes")]
    Full,
    /// Eight fresh codes in a row collided with live ones: the generator is broken.
    #[error("the random generator keeps repeating itself")]
    Exhausted,
    /// The OS random generator failed ([`CodeBook::issue_os`]).
    #[error("OS random generator: {0}")]
    Os(#[from] rand_core::OsError),
}

impl IssueError {
    /// The `error` code to answer with: `busy` for capacity, `internal` for a broken
    /// generator.
    pub fn code(&self) -> ErrorCode {
        match self {
            IssueError::Full => ErrorCode::Busy,
            IssueError::Exhausted | IssueError::Os(_) => ErrorCode::Internal,
        }
    }
}

/// Why a redemption was refused (the redeemer's fault, or too many failures around).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RedeemError {
    /// No such code, or expired, or used, or not a code at all: one answer, so the code
    /// space cannot be probed.
    #[error("invalid code")]
    Invalid,
    /// This user or this address failed too often.
    #[error("locked out")]
    LockedOut {
        /// Which lockout.
        scope: LockScope,
        /// When it ends.
        retry_after: Duration,
    },
    /// The global failure budget is spent (or the failure tracker is full).
    #[error("busy")]
    Busy {
        /// When to try again.
        retry_after: Duration,
    },
}

impl RedeemError {
    /// The `error` code to answer with.
    pub fn code(self) -> ErrorCode {
        match self {
            RedeemError::Invalid => ErrorCode::CodeInvalid,
            RedeemError::LockedOut { .. } => ErrorCode::LockedOut,
            RedeemError::Busy { .. } => ErrorCode::Busy,
        }
    }
}

/// The key failures from `ip` are counted under: an IPv4 address itself (also when written
/// IPv4-mapped), an IPv6 address's /64 (one customer's allocation: an attacker has all of
/// it, not one address).
pub fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        },
    }
}

const POOL_BYTES: usize = 8 * 5 + 8;

/// Random bytes read ahead from the OS, served as an `RngCore` (zeros once used up, which
/// `issue` never reaches: it draws at most [`POOL_BYTES`]).
struct Pool {
    bytes: [u8; POOL_BYTES],
    used: usize,
}

impl RngCore for Pool {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }

    fn next_u64(&mut self) -> u64 {
        let mut b = [0; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        for d in dst {
            *d = self.bytes.get(self.used).copied().unwrap_or(0);
            self.used = self.used.saturating_add(1);
        }
    }
}

#[derive(Clone, Debug)]
struct Live {
    key: SessionKey,
    expires: Instant,
}

#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    window_start: Instant,
    locked_until: Option<Instant>,
}

impl Failures {
    fn new(now: Instant) -> Failures {
        Failures {
            count: 0,
            window_start: now,
            locked_until: None,
        }
    }

    fn locked(&self, now: Instant) -> Option<Instant> {
        self.locked_until.filter(|&until| now < until)
    }

    /// Counts one failure; `Some(until)` when it starts a lockout.
    fn record(&mut self, now: Instant, max: u32, c: &CodeBookConfig) -> Option<Instant> {
        let lockout_over = self.locked_until.is_some_and(|until| now >= until);
        if lockout_over || now.saturating_duration_since(self.window_start) >= c.failure_window {
            *self = Failures::new(now);
        }
        self.count += 1;
        if self.count < max {
            return None;
        }
        let until = now + c.lockout;
        *self = Failures {
            count: 0,
            window_start: now,
            locked_until: Some(until),
        };
        Some(until)
    }

    fn stale(&self, now: Instant, window: Duration) -> bool {
        self.locked(now).is_none() && now.saturating_duration_since(self.window_start) >= window
    }
}

/// Issues codes bound to helpers and redeems them, with lockouts. See
/// [`CodeBookConfig`] for every limit; drain [`CodeBook::poll_audit`] after each call and call
/// [`CodeBook::handle_timeout`] at [`CodeBook::poll_timeout`].
#[derive(Debug)]
pub struct CodeBook {
    config: CodeBookConfig,
    wall: WallClock,
    codes: HashMap<Code, Live>,
    by_helper: HashMap<UserId, Code>,
    users: HashMap<UserId, Failures>,
    addresses: HashMap<IpAddr, Failures>,
    global: VecDeque<Instant>,
    next_prune: Option<Instant>,
    last_full_prune: Option<Instant>,
    audit: VecDeque<AuditEvent>,
    stats: CodeStats,
}

impl CodeBook {
    /// An empty book. `wall` maps instants to Unix ms for expiry times and audit rows.
    pub fn new(config: CodeBookConfig, wall: WallClock) -> Result<CodeBook, ConfigError> {
        config.validate()?;
        Ok(CodeBook {
            config,
            wall,
            codes: HashMap::new(),
            by_helper: HashMap::new(),
            users: HashMap::new(),
            addresses: HashMap::new(),
            global: VecDeque::new(),
            next_prune: None,
            last_full_prune: None,
            audit: VecDeque::new(),
            stats: CodeStats::default(),
        })
    }

    /// Re-anchors wall time (call now and then from the driver to follow clock corrections).
    pub fn set_wall_clock(&mut self, wall: WallClock) {
        self.wall = wall;
    }

    /// The limits in force.
    pub fn config(&self) -> &CodeBookConfig {
        &self.config
    }

    /// Counters.
    pub fn stats(&self) -> &CodeStats {
        &self.stats
    }

    /// Codes held (live, or expired and not yet pruned).
    pub fn codes_held(&self) -> usize {
        self.codes.len()
    }

    /// Failure records held (users plus addresses).
    pub fn tracked(&self) -> usize {
        self.users.len() + self.addresses.len()
    }

    /// Issues a code to `helper`, revoking the helper's previous one (at most one live code
    /// per helper). The code and the session id are drawn from `rng`: pass a CSPRNG.
    pub fn issue<R: RngCore + ?Sized>(
        &mut self,
        now: Instant,
        helper: UserId,
        rng: &mut R,
    ) -> Result<Issued, IssueError> {
        self.issue_for(now, helper, self.config.ttl, rng)
    }

    /// [`CodeBook::issue`] with a lifetime of its own (a tenant's setting) instead of the
    /// book's.
    pub fn issue_for<R: RngCore + ?Sized>(
        &mut self,
        now: Instant,
        helper: UserId,
        ttl: Duration,
        rng: &mut R,
    ) -> Result<Issued, IssueError> {
        let revoked = self.withdraw(now, &helper);
        if self.codes.len() >= self.config.max_live_codes {
            self.prune_codes(now);
        }
        if self.codes.len() >= self.config.max_live_codes {
            self.stats.issue_refused_full += 1;
            return Err(IssueError::Full);
        }
        let code = (0..8)
            .map(|_| Code::generate(rng))
            .find(|c| !self.codes.contains_key(c))
            .ok_or(IssueError::Exhausted)?;
        let key = SessionKey {
            id: SessionId(rng.next_u64()),
            helper: helper.clone(),
        };
        let expires = now + ttl;
        let expires_at = self.wall.unix_ms(expires);
        self.codes.insert(
            code,
            Live {
                key: key.clone(),
                expires,
            },
        );
        self.by_helper.insert(helper.clone(), code);
        self.stats.issued += 1;
        self.schedule_prune(now);
        self.push_audit(
            now,
            Actor::Helper(helper),
            None,
            Some(key.id),
            AuditKind::CodeIssued { expires_at },
        );
        Ok(Issued {
            code,
            key,
            expires,
            expires_at,
            revoked,
        })
    }

    /// [`CodeBook::issue`] with the operating system's CSPRNG.
    pub fn issue_os(&mut self, now: Instant, helper: UserId) -> Result<Issued, IssueError> {
        self.issue_os_for(now, helper, self.config.ttl)
    }

    /// [`CodeBook::issue_for`] with the operating system's CSPRNG.
    pub fn issue_os_for(
        &mut self,
        now: Instant,
        helper: UserId,
        ttl: Duration,
    ) -> Result<Issued, IssueError> {
        use rand_core::TryRngCore;
        // Everything `issue` can draw (8 candidate codes and a session id), read up front so
        // an OS failure is an error here and never a panic inside `issue`.
        let mut pool = Pool {
            bytes: [0; POOL_BYTES],
            used: 0,
        };
        rand_core::OsRng.try_fill_bytes(&mut pool.bytes)?;
        self.issue_for(now, helper, ttl, &mut pool)
    }

    /// Withdraws `helper`'s live code (the helper left, signed out, or the session started
    /// another way). Returns the session it led to.
    pub fn revoke(&mut self, now: Instant, helper: &UserId) -> Option<SessionKey> {
        self.withdraw(now, helper)
    }

    fn withdraw(&mut self, now: Instant, helper: &UserId) -> Option<SessionKey> {
        let code = self.by_helper.remove(helper)?;
        let live = self.codes.remove(&code)?;
        if now < live.expires {
            self.stats.revoked += 1;
            self.push_audit(
                now,
                Actor::Helper(helper.clone()),
                None,
                Some(live.key.id),
                AuditKind::CodeRevoked,
            );
            Some(live.key)
        } else {
            self.stats.expired += 1;
            None
        }
    }

    /// Redeems `text` (as the sharer typed it) for `user` connecting from `source`.
    ///
    /// In order: a locked-out user or address is refused ([`RedeemError::LockedOut`]); a
    /// user or address without a failure record while the tracker is full, or any attempt
    /// while the global failure budget is spent, is refused ([`RedeemError::Busy`]); then the
    /// code is looked up. Unknown, expired, used and unparsable codes are all
    /// [`RedeemError::Invalid`] and count as one failure for the user, the address and the
    /// global budget; the failure that reaches a limit starts that lockout. A success
    /// consumes the code (single use) and leaves the failure counts alone. Refusals other
    /// than `Invalid` are not failures (they do not extend lockouts or spend budget).
    pub fn redeem(
        &mut self,
        now: Instant,
        user: &UserId,
        source: IpAddr,
        text: &str,
    ) -> Result<SessionKey, RedeemError> {
        self.admit(now, user, source)?;
        let parsed = Code::parse(text).ok();
        if parsed.is_none() {
            self.stats.refused_unparsable += 1;
        }
        if let Some(code) = parsed
            && let Some(live) = self.codes.remove(&code)
        {
            self.by_helper.remove(&live.key.helper);
            if now < live.expires {
                self.redeemed(now, user, source, live.key.id);
                return Ok(live.key);
            }
            self.stats.expired += 1;
        }
        self.failed(now, user, source);
        Err(RedeemError::Invalid)
    }

    /// The checks [`CodeBook::redeem`] makes before looking a code up: lockouts, the failure
    /// tracker, the global budget. For a broker that looks codes up elsewhere (a store shared
    /// between brokers): `admit`, look up, then [`CodeBook::redeemed`] or
    /// [`CodeBook::failed`].
    pub fn admit(
        &mut self,
        now: Instant,
        user: &UserId,
        source: IpAddr,
    ) -> Result<(), RedeemError> {
        let address = address_key(source);
        let locked_user = self.users.get(user).and_then(|f| f.locked(now));
        let locked_address = self.addresses.get(&address).and_then(|f| f.locked(now));
        if let Some((until, scope, reason)) = locked_user
            .map(|u| (u, LockScope::User, Refusal::LockedUser))
            .or(locked_address.map(|u| (u, LockScope::Address, Refusal::LockedAddress)))
        {
            match scope {
                LockScope::User => self.stats.refused_locked_user += 1,
                LockScope::Address => self.stats.refused_locked_address += 1,
            }
            self.refuse(now, user, source, reason);
            return Err(RedeemError::LockedOut {
                scope,
                retry_after: until - now,
            });
        }
        if !self.can_track(now, user, address) {
            self.stats.refused_tracker_full += 1;
            self.refuse(now, user, source, Refusal::Busy);
            return Err(RedeemError::Busy {
                retry_after: Duration::from_secs(1),
            });
        }
        while self
            .global
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) >= GLOBAL_WINDOW)
        {
            self.global.pop_front();
        }
        if self.global.len() >= self.config.global_failures_per_minute as usize {
            self.stats.refused_busy += 1;
            self.refuse(now, user, source, Refusal::Busy);
            let oldest = self.global.front().copied().unwrap_or(now);
            return Err(RedeemError::Busy {
                retry_after: (oldest + GLOBAL_WINDOW).saturating_duration_since(now),
            });
        }
        Ok(())
    }

    /// An admitted redemption found its code (here or in a shared store): counted and
    /// audited (`code_redeemed`).
    pub fn redeemed(&mut self, now: Instant, user: &UserId, source: IpAddr, session: SessionId) {
        self.stats.redeemed += 1;
        self.push_audit(
            now,
            Actor::Sharer(user.clone()),
            Some(source),
            Some(session),
            AuditKind::CodeRedeemed,
        );
    }

    /// An admitted redemption found no live code: one failure for the user, the address and
    /// the global budget, as in [`CodeBook::redeem`].
    pub fn failed(&mut self, now: Instant, user: &UserId, source: IpAddr) {
        self.fail(now, user, source, address_key(source));
    }

    /// The live code leading to `key`'s session, if any.
    pub fn code_of(&self, key: &SessionKey) -> Option<Code> {
        let code = *self.by_helper.get(&key.helper)?;
        (self.codes.get(&code)?.key == *key).then_some(code)
    }

    /// Forgets `code` (redeemed through a shared store: its copy here must not be redeemed
    /// again); returns the session it led to.
    pub fn forget(&mut self, code: Code) -> Option<SessionKey> {
        let live = self.codes.remove(&code)?;
        self.by_helper.remove(&live.key.helper);
        Some(live.key)
    }

    fn can_track(&mut self, now: Instant, user: &UserId, address: IpAddr) -> bool {
        let needed = |book: &CodeBook| {
            usize::from(!book.users.contains_key(user))
                + usize::from(!book.addresses.contains_key(&address))
        };
        if self.tracked() + needed(self) <= self.config.max_tracked {
            return true;
        }
        // Full: prune, but at most once a second so a flood cannot make every attempt scan.
        if self
            .last_full_prune
            .is_none_or(|t| now.saturating_duration_since(t) >= Duration::from_secs(1))
        {
            self.last_full_prune = Some(now);
            self.prune_failures(now);
        }
        self.tracked() + needed(self) <= self.config.max_tracked
    }

    fn fail(&mut self, now: Instant, user: &UserId, source: IpAddr, address: IpAddr) {
        self.stats.refused_invalid += 1;
        self.global.push_back(now);
        self.refuse(now, user, source, Refusal::Invalid);
        let config = &self.config;
        let user_lock = self
            .users
            .entry(user.clone())
            .or_insert_with(|| Failures::new(now))
            .record(now, config.max_failures_per_user, config);
        let address_lock = self
            .addresses
            .entry(address)
            .or_insert_with(|| Failures::new(now))
            .record(now, config.max_failures_per_address, config);
        for (lock, scope) in [
            (user_lock, LockScope::User),
            (address_lock, LockScope::Address),
        ] {
            if let Some(until) = lock {
                match scope {
                    LockScope::User => self.stats.lockouts_user += 1,
                    LockScope::Address => self.stats.lockouts_address += 1,
                }
                let until = self.wall.unix_ms(until);
                self.push_audit(
                    now,
                    Actor::Sharer(user.clone()),
                    Some(source),
                    None,
                    AuditKind::LockedOut { scope, until },
                );
            }
        }
        self.schedule_prune(now);
    }

    fn refuse(&mut self, now: Instant, user: &UserId, source: IpAddr, reason: Refusal) {
        self.push_audit(
            now,
            Actor::Sharer(user.clone()),
            Some(source),
            None,
            AuditKind::CodeRefused { reason },
        );
    }

    fn push_audit(
        &mut self,
        now: Instant,
        who: Actor,
        from: Option<IpAddr>,
        session: Option<SessionId>,
        what: AuditKind,
    ) {
        self.audit.push_back(AuditEvent {
            at: self.wall.unix_ms(now),
            who,
            from,
            session,
            what,
        });
    }

    /// The next audit event. Drain after every call.
    pub fn poll_audit(&mut self) -> Option<AuditEvent> {
        self.audit.pop_front()
    }

    fn schedule_prune(&mut self, now: Instant) {
        if self.next_prune.is_none() {
            self.next_prune = Some(now + PRUNE_INTERVAL);
        }
    }

    /// When to call [`CodeBook::handle_timeout`]: every [`PRUNE_INTERVAL`] while anything is
    /// held, `None` when empty.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.next_prune
    }

    /// Prunes expired codes, stale failure records and old global failures (memory only).
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.next_prune.is_none_or(|t| now < t) {
            return;
        }
        self.prune_codes(now);
        self.prune_failures(now);
        while self
            .global
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) >= GLOBAL_WINDOW)
        {
            self.global.pop_front();
        }
        let empty = self.codes.is_empty() && self.tracked() == 0 && self.global.is_empty();
        self.next_prune = (!empty).then(|| now + PRUNE_INTERVAL);
    }

    fn prune_codes(&mut self, now: Instant) {
        let before = self.codes.len();
        self.codes.retain(|_, live| now < live.expires);
        self.stats.expired += (before - self.codes.len()) as u64;
        let codes = &self.codes;
        self.by_helper.retain(|_, code| codes.contains_key(code));
    }

    fn prune_failures(&mut self, now: Instant) {
        let window = self.config.failure_window;
        self.users.retain(|_, f| !f.stale(now, window));
        self.addresses.retain(|_, f| !f.stale(now, window));
    }
}

#[cfg(test)]
mod tests;
