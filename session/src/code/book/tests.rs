use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

use super::*;
use crate::audit::{AuditKind, LockScope, Refusal};

const MIN: Duration = Duration::from_secs(60);
const MS: Duration = Duration::from_millis(1);

struct Fixture {
    t0: Instant,
    book: CodeBook,
    rng: ChaCha20Rng,
}

fn fixture_with(config: CodeBookConfig) -> Fixture {
    let t0 = Instant::now();
    Fixture {
        t0,
        book: CodeBook::new(config, WallClock::new(t0, 1_765_000_000_000)).unwrap(),
        rng: ChaCha20Rng::seed_from_u64(42),
    }
}

fn fixture() -> Fixture {
    fixture_with(CodeBookConfig::default())
}

fn user(n: u32) -> UserId {
    UserId::new(format!("local:user{n}"))
}

fn ip(n: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(192, 0, 2, n))
}

impl Fixture {
    fn issue(&mut self, at: Duration, helper: u32) -> Issued {
        self.book
            .issue(self.t0 + at, user(helper), &mut self.rng)
            .unwrap()
    }

    fn redeem(
        &mut self,
        at: Duration,
        who: u32,
        from: IpAddr,
        text: &str,
    ) -> Result<SessionKey, RedeemError> {
        self.book.redeem(self.t0 + at, &user(who), from, text)
    }

    fn audit(&mut self) -> Vec<AuditKind> {
        std::iter::from_fn(|| self.book.poll_audit())
            .map(|a| a.what)
            .collect()
    }
}

/// A code that is not live: the issued one with its last character changed.
fn wrong(issued: &Issued) -> String {
    let mut s = issued.code.canonical();
    let last = s.pop().unwrap();
    s.push(if last == '0' { '1' } else { '0' });
    s
}

#[test]
fn issue_and_redeem_any_spelling() {
    let mut f = fixture();
    let issued = f.issue(Duration::ZERO, 1);
    assert_eq!(issued.expires, f.t0 + Duration::from_secs(600));
    assert_eq!(issued.expires_at, 1_765_000_000_000 + 600_000);
    assert_eq!(issued.revoked, None);
    assert_eq!(
        issued.message(),
        glass_protocol::ServerMessage::Code {
            code: issued.code.canonical(),
            display: issued.code.display(),
            expires_at: issued.expires_at,
        }
    );
    let typed = issued.code.display().to_lowercase().replace(' ', "-");
    let key = f.redeem(MIN, 2, ip(1), &typed).unwrap();
    assert_eq!(key, issued.key);
    assert_eq!(key.helper, user(1));
    assert_eq!(
        f.audit(),
        [
            AuditKind::CodeIssued {
                expires_at: issued.expires_at
            },
            AuditKind::CodeRedeemed
        ]
    );
    assert_eq!(f.book.stats().redeemed, 1);
    assert_eq!(f.book.codes_held(), 0);
}

#[test]
fn single_use() {
    let mut f = fixture();
    let issued = f.issue(Duration::ZERO, 1);
    let text = issued.code.canonical();
    f.redeem(MS, 2, ip(1), &text).unwrap();
    assert_eq!(f.redeem(MS, 3, ip(2), &text), Err(RedeemError::Invalid));
    assert_eq!(f.redeem(MS, 2, ip(1), &text), Err(RedeemError::Invalid));
}

#[test]
fn expiry_is_configurable_and_exact() {
    let config = CodeBookConfig {
        ttl: Duration::from_secs(30),
        ..CodeBookConfig::default()
    };
    let mut f = fixture_with(config);
    let a = f.issue(Duration::ZERO, 1);
    let b = f.issue(Duration::ZERO, 2);
    assert!(
        f.redeem(Duration::from_secs(30) - MS, 9, ip(1), &a.code.canonical())
            .is_ok()
    );
    assert_eq!(
        f.redeem(Duration::from_secs(30), 9, ip(1), &b.code.canonical()),
        Err(RedeemError::Invalid)
    );
    assert_eq!(f.book.stats().expired, 1);
}

#[test]
fn invalid_expired_used_and_garbage_answer_the_same() {
    let mut f = fixture();
    let used = f.issue(Duration::ZERO, 1);
    let expired = f.issue(Duration::ZERO, 2);
    f.redeem(MS, 9, ip(9), &used.code.canonical()).unwrap();
    let later = Duration::from_secs(601);
    let answers = [
        f.redeem(later, 3, ip(3), &used.code.canonical()),
        f.redeem(later, 4, ip(4), &expired.code.canonical()),
        f.redeem(later, 5, ip(5), "ZZZZ ZZZZ"),
        f.redeem(later, 6, ip(6), "not a code at all"),
        f.redeem(later, 7, ip(7), ""),
    ];
    for a in answers {
        assert_eq!(a, Err(RedeemError::Invalid));
        assert_eq!(
            RedeemError::Invalid.code(),
            glass_protocol::ErrorCode::CodeInvalid
        );
    }
    assert_eq!(f.book.stats().refused_invalid, 5);
    assert_eq!(f.book.stats().refused_unparsable, 2);
}

#[test]
fn one_live_code_per_helper() {
    let mut f = fixture();
    let first = f.issue(Duration::ZERO, 1);
    f.audit();
    let second = f.issue(MS, 1);
    assert_ne!(first.code, second.code);
    assert_eq!(second.revoked, Some(first.key.clone()));
    assert_eq!(
        f.audit(),
        [
            AuditKind::CodeRevoked,
            AuditKind::CodeIssued {
                expires_at: second.expires_at
            }
        ]
    );
    assert_eq!(
        f.redeem(MS, 2, ip(1), &first.code.canonical()),
        Err(RedeemError::Invalid)
    );
    assert_eq!(
        f.redeem(MS, 2, ip(1), &second.code.canonical()),
        Ok(second.key)
    );
    assert_eq!(f.book.stats().revoked, 1);
    // Another helper's code is independent.
    let other = f.issue(MS, 3);
    assert_eq!(other.revoked, None);
    // Revoking by hand.
    assert_eq!(f.book.revoke(f.t0 + MS, &user(3)), Some(other.key));
    assert_eq!(f.book.revoke(f.t0 + MS, &user(3)), None);
    assert_eq!(f.book.codes_held(), 0);
}

#[test]
fn user_lockout_across_addresses() {
    let mut f = fixture();
    let good = f.issue(Duration::ZERO, 1);
    for i in 0..5u8 {
        assert_eq!(
            f.redeem(Duration::from_secs(u64::from(i)), 2, ip(i), &wrong(&good)),
            Err(RedeemError::Invalid)
        );
    }
    f.audit();
    // Locked: even the right code, from a fresh address.
    let at = Duration::from_secs(10);
    let err = f
        .redeem(at, 2, ip(100), &good.code.canonical())
        .unwrap_err();
    assert_eq!(
        err,
        RedeemError::LockedOut {
            scope: LockScope::User,
            retry_after: Duration::from_secs(15 * 60 + 4) - at
        }
    );
    assert_eq!(
        f.audit(),
        [AuditKind::CodeRefused {
            reason: Refusal::LockedUser
        }]
    );
    // Others are not affected.
    assert!(f.redeem(at, 3, ip(101), &good.code.canonical()).is_ok());
    // The lockout ends 15 min after the failure that started it.
    let end = Duration::from_secs(4) + Duration::from_secs(15 * 60);
    let good = f.issue(end - Duration::from_secs(1), 1);
    assert!(matches!(
        f.redeem(end - MS, 2, ip(102), &good.code.canonical()),
        Err(RedeemError::LockedOut { .. })
    ));
    assert!(f.redeem(end, 2, ip(102), &good.code.canonical()).is_ok());
    assert_eq!(f.book.stats().lockouts_user, 1);
    assert_eq!(f.book.stats().refused_locked_user, 2);
}

#[test]
fn address_lockout_across_users() {
    let mut f = fixture();
    let good = f.issue(Duration::ZERO, 1);
    for u in 10..15 {
        assert_eq!(
            f.redeem(MS, u, ip(7), &wrong(&good)),
            Err(RedeemError::Invalid)
        );
    }
    let audit = f.audit();
    assert!(audit.contains(&AuditKind::LockedOut {
        scope: LockScope::Address,
        until: 1_765_000_000_000 + 1 + 15 * 60 * 1000
    }));
    assert!(matches!(
        f.redeem(MS, 99, ip(7), &good.code.canonical()),
        Err(RedeemError::LockedOut {
            scope: LockScope::Address,
            ..
        })
    ));
    // The same user from another address is fine.
    assert!(f.redeem(MS, 99, ip(8), &good.code.canonical()).is_ok());
}

#[test]
fn ipv6_is_counted_per_64() {
    let mut f = fixture();
    let good = f.issue(Duration::ZERO, 1);
    let v6 = |last: u16, net: u16| IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, net, 0, 0, 0, last));
    for i in 0..5 {
        assert_eq!(
            f.redeem(MS, 10 + i, v6(i as u16, 1), &wrong(&good)),
            Err(RedeemError::Invalid)
        );
    }
    // Another address in the same /64: locked.
    assert!(matches!(
        f.redeem(MS, 99, v6(999, 1), &good.code.canonical()),
        Err(RedeemError::LockedOut { .. })
    ));
    // Next /64: fine.
    assert!(f.redeem(MS, 99, v6(1, 2), &good.code.canonical()).is_ok());
}

#[test]
fn address_keys() {
    let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
    assert_eq!(address_key(mapped), ip(7));
    assert_eq!(address_key(ip(7)), ip(7));
    let v6: IpAddr = "2001:db8:1:2:3:4:5:6".parse().unwrap();
    assert_eq!(address_key(v6), "2001:db8:1:2::".parse::<IpAddr>().unwrap());
}

#[test]
fn failures_are_forgotten_after_the_window() {
    let mut f = fixture();
    let good = f.issue(Duration::ZERO, 1);
    for _ in 0..4 {
        f.redeem(MS, 2, ip(1), &wrong(&good)).unwrap_err();
    }
    // 15 min later the count starts over: four more are still not a lockout.
    let later = Duration::from_secs(15 * 60) + MS;
    for _ in 0..4 {
        assert_eq!(
            f.redeem(later, 2, ip(1), &wrong(&good)),
            Err(RedeemError::Invalid)
        );
    }
    let good = f.issue(later, 1);
    assert!(f.redeem(later, 2, ip(1), &good.code.canonical()).is_ok());
}

#[test]
fn global_budget_makes_everyone_busy_for_a_minute() {
    let config = CodeBookConfig {
        global_failures_per_minute: 10,
        ..CodeBookConfig::default()
    };
    let mut f = fixture_with(config);
    let good = f.issue(Duration::ZERO, 1);
    for i in 0..10u8 {
        let at = Duration::from_secs(u64::from(i));
        assert_eq!(
            f.redeem(at, 100 + u32::from(i), ip(i), &wrong(&good)),
            Err(RedeemError::Invalid)
        );
    }
    f.audit();
    let at = Duration::from_secs(30);
    assert_eq!(
        f.redeem(at, 1000, ip(200), &good.code.canonical()),
        Err(RedeemError::Busy {
            retry_after: Duration::from_secs(30)
        })
    );
    assert_eq!(
        f.audit(),
        [AuditKind::CodeRefused {
            reason: Refusal::Busy
        }]
    );
    assert_eq!(f.book.stats().refused_busy, 1);
    assert_eq!(
        RedeemError::Busy { retry_after: MS }.code(),
        glass_protocol::ErrorCode::Busy
    );
    // When the oldest failure is a minute old, one slot is free again.
    assert!(f.redeem(MIN, 1000, ip(200), &good.code.canonical()).is_ok());
}

#[test]
fn tracker_cap_fails_closed_with_busy() {
    let config = CodeBookConfig {
        max_tracked: 4,
        ..CodeBookConfig::default()
    };
    let mut f = fixture_with(config);
    let good = f.issue(Duration::ZERO, 1);
    // Two (user, address) pairs fill the four records.
    f.redeem(MS, 10, ip(10), &wrong(&good)).unwrap_err();
    f.redeem(MS, 11, ip(11), &wrong(&good)).unwrap_err();
    assert_eq!(f.book.tracked(), 4);
    // A newcomer cannot be tracked: busy, even with the right code.
    assert!(matches!(
        f.redeem(MS, 12, ip(12), &good.code.canonical()),
        Err(RedeemError::Busy { .. })
    ));
    assert_eq!(f.book.stats().refused_tracker_full, 1);
    // Known users from known addresses carry on.
    assert!(f.redeem(MS, 10, ip(10), &good.code.canonical()).is_ok());
    // Once the records are stale, a prune makes room.
    let later = Duration::from_secs(15 * 60) + MS;
    let good = f.issue(later, 1);
    assert!(f.redeem(later, 12, ip(12), &good.code.canonical()).is_ok());
}

#[test]
fn handle_timeout_prunes_and_goes_quiet() {
    let mut f = fixture();
    assert_eq!(f.book.poll_timeout(), None);
    let good = f.issue(Duration::ZERO, 1);
    f.redeem(MS, 2, ip(1), &wrong(&good)).unwrap_err();
    assert_eq!(f.book.poll_timeout(), Some(f.t0 + PRUNE_INTERVAL));
    f.book.handle_timeout(f.t0 + PRUNE_INTERVAL);
    assert_eq!(f.book.codes_held(), 1);
    assert_eq!(f.book.tracked(), 2);
    let late = f.t0 + Duration::from_secs(16 * 60);
    f.book.handle_timeout(late);
    assert_eq!(f.book.codes_held(), 0);
    assert_eq!(f.book.tracked(), 0);
    assert_eq!(f.book.poll_timeout(), None);
    assert_eq!(f.book.stats().expired, 1);
}

#[test]
fn live_code_cap() {
    let config = CodeBookConfig {
        max_live_codes: 2,
        ..CodeBookConfig::default()
    };
    let mut f = fixture_with(config);
    f.issue(Duration::ZERO, 1);
    f.issue(Duration::ZERO, 2);
    let err = f.book.issue(f.t0, user(3), &mut f.rng).unwrap_err();
    assert!(matches!(err, IssueError::Full));
    assert_eq!(err.code(), glass_protocol::ErrorCode::Busy);
    // A helper replacing their own code is not blocked by the cap.
    assert!(f.book.issue(f.t0, user(1), &mut f.rng).is_ok());
    // Expired codes make room.
    assert!(
        f.book
            .issue(f.t0 + Duration::from_secs(600), user(3), &mut f.rng)
            .is_ok()
    );
}

/// An RNG stuck on one value.
struct Stuck;
impl RngCore for Stuck {
    fn next_u32(&mut self) -> u32 {
        0
    }
    fn next_u64(&mut self) -> u64 {
        0
    }
    fn fill_bytes(&mut self, dst: &mut [u8]) {
        dst.fill(0);
    }
}

#[test]
fn broken_generator_is_an_error_not_a_loop() {
    let mut f = fixture();
    f.book.issue(f.t0, user(1), &mut Stuck).unwrap();
    assert!(matches!(
        f.book.issue(f.t0, user(2), &mut Stuck),
        Err(IssueError::Exhausted)
    ));
}

#[test]
fn os_generator() {
    let mut f = fixture();
    let a = f.book.issue_os(f.t0, user(1)).unwrap();
    let b = f.book.issue_os(f.t0, user(2)).unwrap();
    assert_ne!(a.code, b.code);
    assert_ne!(a.key.id, b.key.id);
}

#[test]
fn config_errors_name_the_field() {
    let cases = [
        CodeBookConfig {
            ttl: Duration::ZERO,
            ..CodeBookConfig::default()
        },
        CodeBookConfig {
            max_failures_per_user: 0,
            ..CodeBookConfig::default()
        },
        CodeBookConfig {
            lockout: Duration::from_secs(365 * 24 * 3600),
            ..CodeBookConfig::default()
        },
        CodeBookConfig {
            max_tracked: 0,
            ..CodeBookConfig::default()
        },
    ];
    let fields: Vec<&str> = cases
        .iter()
        .map(|c| c.validate().unwrap_err().field)
        .collect();
    assert_eq!(
        fields,
        ["ttl", "max_failures_per_user", "lockout", "max_tracked"]
    );
    assert!(CodeBookConfig::default().validate().is_ok());
}
