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
}
