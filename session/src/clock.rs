//! Wall time without reading the clock: Unix milliseconds derived from the `now: Instant`
//! every call already takes.

use std::time::Instant;

/// Maps monotonic instants to Unix milliseconds (for what people see: code expiry, chat
/// times, audit rows). The driver reads both clocks once and anchors here; the core never
/// reads a clock. Long-lived owners ([`crate::code::CodeBook`]) can be re-anchored now and
/// then to follow NTP corrections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WallClock {
    at: Instant,
    unix_ms: u64,
}

impl WallClock {
    /// `unix_ms` is the wall time at `at`.
    pub fn new(at: Instant, unix_ms: u64) -> WallClock {
        WallClock { at, unix_ms }
    }

    /// Reads both clocks. For drivers and tests only: cores take a `WallClock` as an argument.
    pub fn system() -> WallClock {
        let unix_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        WallClock::new(Instant::now(), unix_ms)
    }

    /// Unix milliseconds at `now` (saturating; instants before the anchor count backwards).
    pub fn unix_ms(&self, now: Instant) -> u64 {
        let ms = |d: std::time::Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        if now >= self.at {
            self.unix_ms.saturating_add(ms(now - self.at))
        } else {
            self.unix_ms.saturating_sub(ms(self.at - now))
        }
    }

    /// The instant at which the wall clock reads `unix_ms`, as seen from `now` (for deadlines
    /// stored as wall time and read back on another machine). A time too far back to be an
    /// `Instant` on this machine is `now`: it is past either way.
    pub fn instant_at(&self, unix_ms: u64, now: Instant) -> Instant {
        let here = self.unix_ms(now);
        if unix_ms >= here {
            now.checked_add(std::time::Duration::from_millis(unix_ms - here))
                .unwrap_or(now)
        } else {
            now.checked_sub(std::time::Duration::from_millis(here - unix_ms))
                .unwrap_or(now)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn maps_both_ways() {
        let t0 = Instant::now();
        let w = WallClock::new(t0 + Duration::from_secs(10), 1_000_000);
        assert_eq!(w.unix_ms(t0 + Duration::from_secs(10)), 1_000_000);
        assert_eq!(w.unix_ms(t0 + Duration::from_millis(10_250)), 1_000_250);
        assert_eq!(w.unix_ms(t0), 990_000);
        let early = WallClock::new(t0 + Duration::from_secs(10), 5);
        assert_eq!(early.unix_ms(t0), 0);
    }

    #[test]
    fn instants_from_wall_time() {
        let t0 = Instant::now();
        let w = WallClock::new(t0, 1_000_000);
        let now = t0 + Duration::from_secs(5);
        assert_eq!(w.instant_at(1_007_000, now), t0 + Duration::from_secs(7));
        assert_eq!(w.unix_ms(w.instant_at(1_002_500, now)), 1_002_500);
        // Another machine's anchor: the same wall time, another instant.
        let other = WallClock::new(t0 + Duration::from_secs(100), 1_000_000);
        let there = t0 + Duration::from_secs(103);
        assert_eq!(other.unix_ms(other.instant_at(1_007_000, there)), 1_007_000);
        assert!(w.instant_at(u64::MAX, now) >= now);
    }
}
