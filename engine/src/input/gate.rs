//! One viewer's input: permission, stale-move filtering, held keys and buttons, flood limits.
//!
//! Sans-IO: [`InputGate::handle_message`] takes the time and the injector as arguments, so
//! the rules are tested without a display or a clock. Rules (also in `docs/protocol.md`):
//!
//! - [`ControlLevel::View`]: every message is dropped and counted; nothing is injected.
//! - A pointer move not newer (serial-number arithmetic) than the newest applied position
//!   (move, button or wheel, which carry positions) is stale: dropped.
//! - Every key and button the viewer presses is remembered; [`InputGate::release_all`]
//!   (disconnect, channel close, switch to view-only, a `release all` message) releases
//!   them. A release for something not held is ignored. Modifiers absent from a message's
//!   modifier bits are released if held (repairs key-ups lost to a focus change).
//! - Token buckets limit moves and presses; releases are never limited.

use std::time::{Duration, Instant};

use super::keys::{KEY_COUNT, Key};
use super::wire::{InputEvent, InputMessage, WireError};
use super::{Button, InjectError, Injected, Injector, Modifiers, Point};

/// What a viewer may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ControlLevel {
    /// Sees the screen; input is dropped and counted.
    #[default]
    View,
    /// Mouse and keyboard are injected.
    Full,
}

impl ControlLevel {
    /// `"view"` or `"full"` (CLI, control messages).
    pub fn as_str(self) -> &'static str {
        match self {
            ControlLevel::View => "view",
            ControlLevel::Full => "full",
        }
    }
}

impl std::str::FromStr for ControlLevel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "view" => Ok(ControlLevel::View),
            "full" => Ok(ControlLevel::Full),
            _ => Err(format!("control level must be view or full, got {s:?}")),
        }
    }
}

/// Flood limits: plain data, [`Default`] as documented in the protocol.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GateLimits {
    /// Pointer moves per second.
    pub moves_per_s: f64,
    /// Pointer moves allowed at once.
    pub move_burst: f64,
    /// Presses (button and key downs), wheel steps and text (1 per 32 bytes) per second.
    pub presses_per_s: f64,
    /// Presses allowed at once.
    pub press_burst: f64,
}

impl Default for GateLimits {
    fn default() -> Self {
        GateLimits {
            moves_per_s: 2000.0,
            move_burst: 500.0,
            presses_per_s: 500.0,
            press_burst: 200.0,
        }
    }
}

/// Counters of one gate (or, summed, of all viewers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InputStats {
    /// Messages handed to the gate.
    pub received: u64,
    /// Messages that were injected.
    pub injected: u64,
    /// Malformed, oversized or out-of-range messages.
    pub rejected: u64,
    /// Messages dropped because the viewer has view-only access.
    pub dropped_view_only: u64,
    /// Pointer moves older than the newest applied position, and releases of things not
    /// held.
    pub dropped_stale: u64,
    /// Messages over the flood limits.
    pub rate_limited: u64,
    /// Messages the injector failed on.
    pub inject_failed: u64,
    /// Keys and buttons released on the viewer's behalf (disconnect, view-only, release
    /// all, modifier repair).
    pub released: u64,
}

impl std::ops::AddAssign for InputStats {
    fn add_assign(&mut self, o: InputStats) {
        self.received += o.received;
        self.injected += o.injected;
        self.rejected += o.rejected;
        self.dropped_view_only += o.dropped_view_only;
        self.dropped_stale += o.dropped_stale;
        self.rate_limited += o.rate_limited;
        self.inject_failed += o.inject_failed;
        self.released += o.released;
    }
}

/// What became of one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Injected; the sender's timestamp, for latency.
    Injected {
        /// Sender wallclock, µs since the Unix epoch.
        timestamp_us: u64,
    },
    /// Malformed (counted in `rejected`).
    Rejected(WireError),
    /// Dropped: view-only.
    ViewOnly,
    /// Dropped: stale move or release of something not held.
    Stale,
    /// Dropped: over the flood limit.
    RateLimited,
    /// The injector failed (counted in `inject_failed`).
    Failed,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Option<Instant>,
}

impl Bucket {
    fn take(&mut self, now: Instant, cost: f64, rate: f64, burst: f64) -> bool {
        let elapsed = self
            .last
            .map_or(Duration::ZERO, |l| now.saturating_duration_since(l));
        self.tokens = (self.tokens + elapsed.as_secs_f64() * rate).min(burst);
        self.last = Some(now);
        if self.tokens >= cost {
            self.tokens -= cost;
            true
        } else {
            false
        }
    }
}

/// One viewer's input state. See the module docs.
#[derive(Debug, Clone)]
pub struct InputGate {
    level: ControlLevel,
    limits: GateLimits,
    last_position_seq: Option<u32>,
    held_keys: [u64; KEY_COUNT.div_ceil(64)],
    held_buttons: u8,
    moves: Bucket,
    presses: Bucket,
    stats: InputStats,
}

/// `a` is newer than `b` in wrapping u32 sequence space (RFC 1982).
fn newer(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) > 0
}

impl InputGate {
    /// A gate at `level` with the default limits.
    pub fn new(level: ControlLevel) -> InputGate {
        InputGate::with_limits(level, GateLimits::default())
    }

    /// A gate with explicit limits.
    pub fn with_limits(level: ControlLevel, limits: GateLimits) -> InputGate {
        InputGate {
            level,
            limits,
            last_position_seq: None,
            held_keys: [0; KEY_COUNT.div_ceil(64)],
            held_buttons: 0,
            moves: Bucket {
                tokens: limits.move_burst,
                last: None,
            },
            presses: Bucket {
                tokens: limits.press_burst,
                last: None,
            },
            stats: InputStats::default(),
        }
    }

    /// The current level.
    pub fn level(&self) -> ControlLevel {
        self.level
    }

    /// Changes the level; dropping to view-only releases everything held.
    pub fn set_level(&mut self, level: ControlLevel, injector: &mut dyn Injector) {
        if level == ControlLevel::View {
            self.release_all(injector);
        }
        self.level = level;
    }

    /// Counters so far.
    pub fn stats(&self) -> InputStats {
        self.stats
    }

    /// Whether the viewer holds any key or button.
    pub fn holds_anything(&self) -> bool {
        self.held_buttons != 0 || self.held_keys.iter().any(|w| *w != 0)
    }

    /// Decodes one data-channel message and injects it if allowed.
    pub fn handle_message(
        &mut self,
        now: Instant,
        data: &[u8],
        injector: &mut dyn Injector,
    ) -> Outcome {
        self.stats.received += 1;
        let msg = match InputMessage::decode(data) {
            Ok(m) => m,
            Err(e) => {
                self.stats.rejected += 1;
                return Outcome::Rejected(e);
            }
        };
        if self.level == ControlLevel::View {
            self.stats.dropped_view_only += 1;
            return Outcome::ViewOnly;
        }
        let outcome = match self.apply(now, &msg, injector) {
            Ok(Some(o)) => o,
            Ok(None) => Outcome::Injected {
                timestamp_us: msg.timestamp_us,
            },
            Err(e) => {
                tracing::debug!("input injection failed: {e}");
                Outcome::Failed
            }
        };
        match outcome {
            Outcome::Injected { .. } => self.stats.injected += 1,
            Outcome::Stale => self.stats.dropped_stale += 1,
            Outcome::RateLimited => self.stats.rate_limited += 1,
            Outcome::Failed => self.stats.inject_failed += 1,
            Outcome::Rejected(_) | Outcome::ViewOnly => {}
        }
        if let Err(e) = injector.flush() {
            tracing::debug!("input flush failed: {e}");
        }
        outcome
    }

    /// `Ok(None)` = injected; `Ok(Some(_))` = dropped for that reason.
    fn apply(
        &mut self,
        now: Instant,
        msg: &InputMessage<'_>,
        inj: &mut dyn Injector,
    ) -> Result<Option<Outcome>, InjectError> {
        let l = self.limits;
        match msg.event {
            InputEvent::PointerMove(p) => {
                if self.last_position_seq.is_some_and(|s| !newer(msg.seq, s)) {
                    return Ok(Some(Outcome::Stale));
                }
                if !self.moves.take(now, 1.0, l.moves_per_s, l.move_burst) {
                    return Ok(Some(Outcome::RateLimited));
                }
                self.last_position_seq = Some(msg.seq);
                inj.inject(&Injected::MoveTo(p))?;
            }
            InputEvent::Button {
                at,
                button,
                down,
                modifiers,
            } => {
                let bit = 1u8 << button.number();
                if down {
                    if !self.presses.take(now, 1.0, l.presses_per_s, l.press_burst) {
                        return Ok(Some(Outcome::RateLimited));
                    }
                } else if self.held_buttons & bit == 0 {
                    return Ok(Some(Outcome::Stale));
                }
                self.repair_modifiers(modifiers, None, inj)?;
                self.position(msg.seq, at, inj)?;
                inj.inject(&Injected::Button { button, down })?;
                if down {
                    self.held_buttons |= bit;
                } else {
                    self.held_buttons &= !bit;
                }
            }
            InputEvent::Wheel {
                at,
                mode,
                modifiers,
                dx,
                dy,
            } => {
                if !self.presses.take(now, 1.0, l.presses_per_s, l.press_burst) {
                    return Ok(Some(Outcome::RateLimited));
                }
                self.repair_modifiers(modifiers, None, inj)?;
                self.position(msg.seq, at, inj)?;
                inj.inject(&Injected::Wheel {
                    mode,
                    dx: i32::from(dx),
                    dy: i32::from(dy),
                })?;
            }
            InputEvent::Key {
                key,
                down,
                modifiers,
            } => {
                if down {
                    if !self.presses.take(now, 1.0, l.presses_per_s, l.press_burst) {
                        return Ok(Some(Outcome::RateLimited));
                    }
                } else if !self.holds_key(key) {
                    self.repair_modifiers(modifiers, Some(key), inj)?;
                    return Ok(Some(Outcome::Stale));
                }
                self.repair_modifiers(modifiers, Some(key), inj)?;
                inj.inject(&Injected::Key { key, down })?;
                self.set_key(key, down);
            }
            InputEvent::Text(text) => {
                let cost = 1.0 + (text.len() / 32) as f64;
                if !self.presses.take(now, cost, l.presses_per_s, l.press_burst) {
                    return Ok(Some(Outcome::RateLimited));
                }
                inj.inject(&Injected::Text(text))?;
            }
            InputEvent::ReleaseAll => self.release_all(inj),
        }
        Ok(None)
    }

    fn position(&mut self, seq: u32, at: Point, inj: &mut dyn Injector) -> Result<(), InjectError> {
        if self.last_position_seq.is_none_or(|s| newer(seq, s)) {
            self.last_position_seq = Some(seq);
        }
        inj.inject(&Injected::MoveTo(at))
    }

    /// Releases held modifier keys the viewer says are up (except `except`).
    fn repair_modifiers(
        &mut self,
        modifiers: Modifiers,
        except: Option<Key>,
        inj: &mut dyn Injector,
    ) -> Result<(), InjectError> {
        for i in 0..KEY_COUNT {
            let Some(key) = Key::from_index(i) else {
                continue;
            };
            if Some(key) == except || !self.holds_key(key) {
                continue;
            }
            if let Some(m) = key.modifier()
                && !modifiers.has(m)
            {
                inj.inject(&Injected::Key { key, down: false })?;
                self.set_key(key, false);
                self.stats.released += 1;
            }
        }
        Ok(())
    }

    /// Releases every key and button this viewer holds. Keeps going when one release
    /// fails (each failure is counted).
    pub fn release_all(&mut self, inj: &mut dyn Injector) {
        for i in 0..KEY_COUNT {
            if let Some(key) = Key::from_index(i)
                && self.holds_key(key)
            {
                self.set_key(key, false);
                self.count_release(inj.inject(&Injected::Key { key, down: false }));
            }
        }
        for button in Button::ALL {
            let bit = 1u8 << button.number();
            if self.held_buttons & bit != 0 {
                self.held_buttons &= !bit;
                self.count_release(inj.inject(&Injected::Button {
                    button,
                    down: false,
                }));
            }
        }
        if let Err(e) = inj.flush() {
            tracing::debug!("input flush failed: {e}");
        }
    }

    fn count_release(&mut self, r: Result<(), InjectError>) {
        match r {
            Ok(()) => self.stats.released += 1,
            Err(e) => {
                tracing::warn!("could not release a held key or button: {e}");
                self.stats.inject_failed += 1;
            }
        }
    }

    fn holds_key(&self, key: Key) -> bool {
        let i = key.index();
        self.held_keys[i / 64] & (1 << (i % 64)) != 0
    }

    fn set_key(&mut self, key: Key, down: bool) {
        let i = key.index();
        if down {
            self.held_keys[i / 64] |= 1 << (i % 64);
        } else {
            self.held_keys[i / 64] &= !(1 << (i % 64));
        }
    }
}

/// Injection latencies (sender timestamp → injected), the last [`LatencyRing::CAPACITY`].
/// Fixed storage: recording allocates nothing.
#[derive(Debug, Clone)]
pub struct LatencyRing {
    samples: Box<[u32; LatencyRing::CAPACITY]>,
    next: usize,
    total: u64,
}

/// Percentiles of the recorded latencies, microseconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LatencySummary {
    /// Samples recorded since start (the percentiles cover the last 1024).
    pub samples: u64,
    /// Median.
    pub p50_us: u32,
    /// 99th percentile.
    pub p99_us: u32,
    /// Largest in the window.
    pub max_us: u32,
}

impl Default for LatencyRing {
    fn default() -> Self {
        LatencyRing {
            samples: Box::new([0; LatencyRing::CAPACITY]),
            next: 0,
            total: 0,
        }
    }
}

impl LatencyRing {
    /// Samples kept.
    pub const CAPACITY: usize = 1024;

    /// Records one latency: `now_us - sent_us` (both µs since the epoch, same clock);
    /// negative values (clock skew) count as 0.
    pub fn record(&mut self, sent_us: u64, now_us: u64) {
        let d = now_us.saturating_sub(sent_us).min(u64::from(u32::MAX)) as u32;
        self.samples[self.next] = d;
        self.next = (self.next + 1) % Self::CAPACITY;
        self.total += 1;
    }

    /// Percentiles over the window.
    pub fn summary(&self) -> LatencySummary {
        let n = self.total.min(Self::CAPACITY as u64) as usize;
        if n == 0 {
            return LatencySummary::default();
        }
        let mut v = *self.samples;
        let v = &mut v[..n];
        v.sort_unstable();
        let at = |q: f64| v[((n as f64 * q).ceil() as usize).clamp(1, n) - 1];
        LatencySummary {
            samples: self.total,
            p50_us: at(0.50),
            p99_us: at(0.99),
            max_us: v[n - 1],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::WheelMode;
    use super::super::recording::{Recorded, RecordingInjector};
    use super::*;

    struct Viewer {
        seq: u32,
    }

    impl Viewer {
        fn msg(&mut self, event: InputEvent<'_>) -> Vec<u8> {
            self.seq = self.seq.wrapping_add(1);
            self.msg_at(self.seq, event)
        }
        fn msg_at(&self, seq: u32, event: InputEvent<'_>) -> Vec<u8> {
            let mut v = Vec::new();
            InputMessage {
                seq,
                timestamp_us: 1000 + u64::from(seq),
                event,
            }
            .encode(&mut v);
            v
        }
    }

    fn key(code: &str, down: bool, mods: u8) -> InputEvent<'static> {
        InputEvent::Key {
            key: Key::from_code(code).unwrap(),
            down,
            modifiers: Modifiers::from_bits(mods).unwrap(),
        }
    }

    fn k(code: &str, down: bool) -> Recorded {
        Recorded::Key(Key::from_code(code).unwrap(), down)
    }

    fn setup(level: ControlLevel) -> (InputGate, RecordingInjector, Viewer, Instant) {
        (
            InputGate::new(level),
            RecordingInjector::new(),
            Viewer { seq: 0 },
            Instant::now(),
        )
    }

    #[test]
    fn view_only_drops_and_counts_everything() {
        let (mut g, mut inj, mut v, now) = setup(ControlLevel::View);
        for e in [
            InputEvent::PointerMove(Point { x: 1, y: 2 }),
            key("KeyA", true, 0),
            InputEvent::Text("x"),
            InputEvent::ReleaseAll,
        ] {
            assert_eq!(
                g.handle_message(now, &v.msg(e), &mut inj),
                Outcome::ViewOnly
            );
        }
        assert!(inj.events().is_empty());
        assert_eq!(g.stats().dropped_view_only, 4);
        assert_eq!(g.stats().received, 4);
        assert_eq!(g.stats().injected, 0);
    }

    #[test]
    fn malformed_is_rejected_and_never_injected() {
        let (mut g, mut inj, _, now) = setup(ControlLevel::Full);
        for bad in [&b""[..], b"\x01", b"\x02\x01", &[0xff; 40]] {
            assert!(matches!(
                g.handle_message(now, bad, &mut inj),
                Outcome::Rejected(_)
            ));
        }
        assert!(inj.events().is_empty());
        assert_eq!(g.stats().rejected, 4);
    }

    #[test]
    fn stale_moves_are_dropped_latest_wins() {
        let (mut g, mut inj, v, now) = setup(ControlLevel::Full);
        let at = |x| InputEvent::PointerMove(Point { x, y: 0 });
        assert!(matches!(
            g.handle_message(now, &v.msg_at(5, at(5)), &mut inj),
            Outcome::Injected { timestamp_us: 1005 }
        ));
        assert_eq!(
            g.handle_message(now, &v.msg_at(3, at(3)), &mut inj),
            Outcome::Stale
        );
        assert_eq!(
            g.handle_message(now, &v.msg_at(5, at(5)), &mut inj),
            Outcome::Stale
        );
        assert!(matches!(
            g.handle_message(now, &v.msg_at(7, at(7)), &mut inj),
            Outcome::Injected { .. }
        ));
        // A click at seq 9 carries a newer position: a move from seq 8 arriving late is stale.
        let click = InputEvent::Button {
            at: Point { x: 9, y: 0 },
            button: Button::Left,
            down: true,
            modifiers: Modifiers::default(),
        };
        assert!(matches!(
            g.handle_message(now, &v.msg_at(9, click), &mut inj),
            Outcome::Injected { .. }
        ));
        assert_eq!(
            g.handle_message(now, &v.msg_at(8, at(8)), &mut inj),
            Outcome::Stale
        );
        // Wrapping: u32::MAX is older than 1.
        let (mut g, mut inj, v, now) = setup(ControlLevel::Full);
        g.handle_message(now, &v.msg_at(u32::MAX, at(1)), &mut inj);
        assert!(matches!(
            g.handle_message(now, &v.msg_at(1, at(2)), &mut inj),
            Outcome::Injected { .. }
        ));
        assert_eq!(
            g.handle_message(now, &v.msg_at(u32::MAX - 1, at(3)), &mut inj),
            Outcome::Stale
        );
        assert_eq!(
            inj.events(),
            vec![
                Recorded::MoveTo(Point { x: 1, y: 0 }),
                Recorded::MoveTo(Point { x: 2, y: 0 })
            ]
        );
        assert_eq!(g.stats().dropped_stale, 1);
    }

    #[test]
    fn buttons_move_first_and_wheel_passes_deltas() {
        let (mut g, mut inj, mut v, now) = setup(ControlLevel::Full);
        let p = Point { x: 100, y: 200 };
        let m = Modifiers::default();
        for (button, down) in [(Button::Right, true), (Button::Right, false)] {
            g.handle_message(
                now,
                &v.msg(InputEvent::Button {
                    at: p,
                    button,
                    down,
                    modifiers: m,
                }),
                &mut inj,
            );
        }
        g.handle_message(
            now,
            &v.msg(InputEvent::Wheel {
                at: p,
                mode: WheelMode::Line,
                modifiers: m,
                dx: -1,
                dy: 3,
            }),
            &mut inj,
        );
        assert_eq!(
            inj.events(),
            vec![
                Recorded::MoveTo(p),
                Recorded::Button(Button::Right, true),
                Recorded::MoveTo(p),
                Recorded::Button(Button::Right, false),
                Recorded::MoveTo(p),
                Recorded::Wheel(WheelMode::Line, -1, 3),
            ]
        );
        assert!(!g.holds_anything());
    }

    #[test]
    fn held_keys_and_buttons_are_released() {
        let (mut g, mut inj, mut v, now) = setup(ControlLevel::Full);
        g.handle_message(now, &v.msg(key("ShiftLeft", true, 1)), &mut inj);
        g.handle_message(now, &v.msg(key("KeyA", true, 1)), &mut inj);
        g.handle_message(
            now,
            &v.msg(InputEvent::Button {
                at: Point::default(),
                button: Button::Left,
                down: true,
                modifiers: Modifiers::from_bits(1).unwrap(),
            }),
            &mut inj,
        );
        assert!(g.holds_anything());
        inj.clear();
        // Disconnect: the service calls release_all.
        g.release_all(&mut inj);
        let ev = inj.events();
        assert_eq!(ev.len(), 3);
        assert!(ev.contains(&k("ShiftLeft", false)));
        assert!(ev.contains(&k("KeyA", false)));
        assert!(ev.contains(&Recorded::Button(Button::Left, false)));
        assert!(!g.holds_anything());
        assert_eq!(g.stats().released, 3);
        // Nothing left: a second release does nothing; a late key-up is ignored.
        inj.clear();
        g.release_all(&mut inj);
        assert_eq!(
            g.handle_message(now, &v.msg(key("KeyA", false, 0)), &mut inj),
            Outcome::Stale
        );
        assert!(inj.events().is_empty());
    }

    #[test]
    fn switching_to_view_only_releases_and_blocks() {
        let (mut g, mut inj, mut v, now) = setup(ControlLevel::Full);
        g.handle_message(now, &v.msg(key("ControlLeft", true, 2)), &mut inj);
        inj.clear();
        g.set_level(ControlLevel::View, &mut inj);
        assert_eq!(inj.events(), vec![k("ControlLeft", false)]);
        assert_eq!(
            g.handle_message(now, &v.msg(key("KeyC", true, 2)), &mut inj),
            Outcome::ViewOnly
        );
        assert_eq!(inj.events().len(), 1);
        g.set_level(ControlLevel::Full, &mut inj);
        assert!(matches!(
            g.handle_message(now, &v.msg(key("KeyC", true, 0)), &mut inj),
            Outcome::Injected { .. }
        ));
    }

    #[test]
    fn release_all_message_and_modifier_repair() {
        let (mut g, mut inj, mut v, now) = setup(ControlLevel::Full);
        g.handle_message(now, &v.msg(key("AltLeft", true, 4)), &mut inj);
        g.handle_message(now, &v.msg(key("ShiftRight", true, 5)), &mut inj);
        inj.clear();
        // The viewer says only Shift is down: the held Alt is released before the key.
        g.handle_message(now, &v.msg(key("KeyB", true, 1)), &mut inj);
        assert_eq!(inj.events(), vec![k("AltLeft", false), k("KeyB", true)]);
        inj.clear();
        g.handle_message(now, &v.msg(InputEvent::ReleaseAll), &mut inj);
        let ev = inj.events();
        assert_eq!(ev.len(), 2);
        assert!(ev.contains(&k("ShiftRight", false)) && ev.contains(&k("KeyB", false)));
        assert!(!g.holds_anything());
    }

    #[test]
    fn floods_are_limited_but_releases_are_not() {
        let (mut g, mut inj, mut v, now) = setup(ControlLevel::Full);
        let mut limited = 0;
        for _ in 0..1000 {
            if g.handle_message(now, &v.msg(key("KeyA", true, 0)), &mut inj) == Outcome::RateLimited
            {
                limited += 1;
            }
        }
        assert_eq!(limited, 1000 - 200, "burst of 200 presses at one instant");
        assert_eq!(g.stats().rate_limited, 800);
        // The key-up still goes through.
        assert!(matches!(
            g.handle_message(now, &v.msg(key("KeyA", false, 0)), &mut inj),
            Outcome::Injected { .. }
        ));
        // After 100 ms, 50 more presses are allowed.
        let later = now + Duration::from_millis(100);
        let ok = (0..100)
            .filter(|_| {
                matches!(
                    g.handle_message(later, &v.msg(key("KeyA", true, 0)), &mut inj),
                    Outcome::Injected { .. }
                )
            })
            .count();
        assert_eq!(ok, 50);
        // Moves have their own budget.
        let moves = (0..600)
            .filter(|i| {
                matches!(
                    g.handle_message(
                        later,
                        &v.msg(InputEvent::PointerMove(Point { x: *i, y: 0 })),
                        &mut inj
                    ),
                    Outcome::Injected { .. }
                )
            })
            .count();
        assert_eq!(moves, 500);
    }

    #[test]
    fn failing_injector_is_counted() {
        struct Broken;
        impl Injector for Broken {
            fn name(&self) -> &'static str {
                "broken"
            }
            fn inject(&mut self, _: &Injected<'_>) -> Result<(), InjectError> {
                Err(InjectError::Backend("display gone".into()))
            }
        }
        let mut g = InputGate::new(ControlLevel::Full);
        let mut v = Viewer { seq: 0 };
        let now = Instant::now();
        assert_eq!(
            g.handle_message(now, &v.msg(InputEvent::Text("hi")), &mut Broken),
            Outcome::Failed
        );
        assert_eq!(g.stats().inject_failed, 1);
    }

    #[test]
    fn latency_percentiles() {
        let mut r = LatencyRing::default();
        assert_eq!(r.summary(), LatencySummary::default());
        for i in 1..=100u64 {
            r.record(1_000_000, 1_000_000 + i * 10);
        }
        let s = r.summary();
        assert_eq!(
            (s.samples, s.p50_us, s.p99_us, s.max_us),
            (100, 500, 990, 1000)
        );
        r.record(10, 5); // clock skew counts as 0
        assert_eq!(r.summary().samples, 101);
        for _ in 0..2000 {
            r.record(0, 7);
        }
        let s = r.summary();
        assert_eq!((s.p50_us, s.p99_us, s.max_us), (7, 7, 7));
    }
}
