//! Which encoder settings to run: a pure policy over what was measured (encode time per
//! mode at start-up, bytes per second while running) and the link's bandwidth estimate.
//!
//! openh264 has two real-time tunings. Its screen-content mode spends time to save bytes
//! (scroll detection, background and texture analysis over the whole frame); its camera mode
//! does neither. Measured at 1080p on a 2-core machine (`examples/encoder_sweep.rs`): typing
//! 8.0 ms and 207 B a frame in screen mode against 3.5 ms and 620 B in camera mode; scroll
//! 15.4 ms / 3.7 kB against 4.6 ms / 6.3 kB; video the same in both. 620 B at 30 fps is
//! 150 kbit/s, which almost any link affords, so the mode that saves time is the right one
//! until the link is thin, and the byte-saving one after.
//!
//! openh264 refuses to change its usage type mid-stream (`WelsEncoderParamAdjust`:
//! "does not expect in-middle change of iUsageType"), so a switch is a new encoder and a
//! keyframe. The policy therefore switches with hysteresis and only when the switch pays:
//!
//! - **to the fast mode** once the slow mode has run for [`ModePolicyConfig::dwell_fast`], its
//!   rate times the learned byte ratio between the modes fits in
//!   [`ModePolicyConfig::fast_fits`] of the target, and the last keyframe's bits go out within
//!   half a second at the target;
//! - **to the compact mode** once the fast mode has run for
//!   [`ModePolicyConfig::dwell_compact`] and its rate reaches
//!   [`ModePolicyConfig::fast_squeezed`] of the target (the rate controller is squeezing it:
//!   the same bytes carry better pictures in the compact mode), and the bytes it would save
//!   over one `dwell_fast` pay for the keyframe.
//!
//! Which mode is fast, and how many threads and slices each runs best with, comes from
//! [`Calibration`], measured by [`calibrate`] on the session's first frame.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::encoder::{Complexity, ContentHint, EncoderConfig, open_encoder};
use crate::error::Result;
use crate::frame::{FramePool, PixelFormat, VideoFrame};
use crate::packet::FrameParams;

/// How the encoder's content tuning is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ContentPolicy {
    /// Measured at start-up and switched by [`ModePolicy`] as the link allows.
    #[default]
    Adaptive,
    /// Always this tuning, with the configured threads and slices.
    Fixed(ContentHint),
}

/// The measured cost of one encoder mode at one frame size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModeCost {
    /// The tuning.
    pub content: ContentHint,
    /// Worker threads that encoded fastest (slices = threads).
    pub threads: u32,
    /// Search effort: the fastest for the fast mode; for the byte-saving mode the one that
    /// saves bytes at a bearable cost in time.
    pub complexity: Complexity,
    /// Median encode time of a small change (a typed line), microseconds.
    pub frame_us: u32,
}

/// What start-up measurement found: each mode's best thread count and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calibration {
    /// The screen-content tuning.
    pub screen: ModeCost,
    /// The camera tuning.
    pub motion: ModeCost,
}

/// One timed configuration, as [`calibrate`] measures it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trial {
    /// The tuning.
    pub content: ContentHint,
    /// Threads and slices.
    pub threads: u32,
    /// Search effort.
    pub complexity: Complexity,
    /// Median encode time of the changed frames, microseconds.
    pub frame_us: u32,
    /// Mean bytes of the changed frames.
    pub bytes: u32,
}

impl Calibration {
    /// Picks each mode's settings from timed trials: the fastest thread count at low
    /// complexity (fewer threads on a tie within 5 %: they leave a core to the rest of the
    /// pipeline), then medium complexity at that thread count where it pays: for the fast mode
    /// only if it is faster still, for the byte-saving mode if it saves 15 % of the bytes for
    /// at most 30 % more time. `None` when a mode has no low-complexity trial.
    pub fn from_trials(trials: &[Trial]) -> Option<Self> {
        let best = |content| {
            trials
                .iter()
                .filter(|t| t.content == content && t.complexity == Complexity::Low)
                .fold(None::<Trial>, |best, t| match best {
                    Some(b) if better(&b, t) => Some(b),
                    _ => Some(*t),
                })
        };
        // `a` stays ahead of `b` unless `b` is more than 5 % faster, or as fast with fewer
        // threads.
        fn better(a: &Trial, b: &Trial) -> bool {
            let (a_us, b_us) = (u64::from(a.frame_us), u64::from(b.frame_us));
            if b_us * 100 < a_us * 95 {
                return false;
            }
            if a_us * 100 < b_us * 95 {
                return true;
            }
            a.threads <= b.threads
        }
        let (screen, motion) = (best(ContentHint::Screen)?, best(ContentHint::Motion)?);
        // Which is the fast mode is decided at low complexity; without one, screen is kept.
        let motion_fast = u64::from(motion.frame_us) * 10 < u64::from(screen.frame_us) * 9;
        let settle = |low: Trial, fast: bool| {
            let medium = trials.iter().find(|t| {
                t.content == low.content
                    && t.threads == low.threads
                    && t.complexity == Complexity::Medium
            });
            let (lo_us, lo_b) = (u64::from(low.frame_us), u64::from(low.bytes));
            let chosen = match medium {
                Some(m) if fast && u64::from(m.frame_us) * 100 < lo_us * 95 => *m,
                Some(m)
                    if !fast
                        && u64::from(m.bytes) * 100 <= lo_b * 85
                        && u64::from(m.frame_us) * 10 <= lo_us * 13 =>
                {
                    *m
                }
                _ => low,
            };
            ModeCost {
                content: chosen.content,
                threads: chosen.threads,
                complexity: chosen.complexity,
                frame_us: chosen.frame_us,
            }
        };
        Some(Self {
            screen: settle(screen, !motion_fast),
            motion: settle(motion, motion_fast),
        })
    }

    /// The mode that encodes faster, when it is faster by at least 10 %; `None` when neither
    /// is (then switching buys no time and the compact mode is kept).
    pub fn fast(&self) -> Option<ModeCost> {
        let (s, m) = (
            u64::from(self.screen.frame_us),
            u64::from(self.motion.frame_us),
        );
        if m * 10 < s * 9 {
            Some(self.motion)
        } else if s * 10 < m * 9 {
            Some(self.screen)
        } else {
            None
        }
    }

    /// The cost entry of `content`.
    pub fn cost(&self, content: ContentHint) -> ModeCost {
        match content {
            ContentHint::Screen => self.screen,
            ContentHint::Motion => self.motion,
        }
    }
}

/// Times both tunings at 1 and (with more than one core) 2 threads on `frame` (I420, the
/// session's size) and a few copies of it with a line of "typing" changed each, the common
/// interactive case; then medium complexity at each tuning's best thread count. Nine encodes
/// per configuration, the configurations taking turns: 0.5–1 s at 1080p on a 2-core machine,
/// once per frame size.
pub fn calibrate(base: &EncoderConfig, frame: &VideoFrame, cores: usize) -> Result<Calibration> {
    const FRAMES: usize = 8;
    if frame.format != PixelFormat::I420 {
        return Err(crate::Error::InvalidInput(format!(
            "calibration takes an I420 frame, not {:?}",
            frame.format
        )));
    }
    let (w, h) = (frame.width, frame.height);
    let pool = FramePool::new(PixelFormat::I420, w, h, FRAMES + 1);
    let layout = PixelFormat::I420.layout(w, h);
    let y_stride = layout.planes[0].stride;
    let mut frames = Vec::with_capacity(FRAMES + 1);
    for i in 0..=FRAMES {
        let (f, ()) = pool.get_with(i as u64, frame.capture_time, |p, _| {
            for plane in 0..3 {
                let (src, rows, row_bytes) = (
                    frame.plane(plane),
                    frame.plane_rows(plane),
                    frame.plane_row_bytes(plane),
                );
                let dst = p.planes[plane];
                let src_stride = frame.planes[plane].stride;
                for r in 0..rows {
                    let d = dst.offset + r * dst.stride;
                    p.bytes[d..d + row_bytes]
                        .copy_from_slice(&src[r * src_stride..r * src_stride + row_bytes]);
                }
            }
            // A typed word: a 16-row band of glyph-like strokes, one more word per frame.
            let (w, h) = (w as usize, h as usize);
            let band = 40.min(w / 2);
            let y0 = (h / 3) & !15;
            let x0 = (w / 8 + i * 48) % (w - band).max(1);
            for r in y0..(y0 + 16).min(h) {
                for c in x0..x0 + band {
                    if (c * 7 + r * 3 + i) % 5 < 2 {
                        p.bytes[p.planes[0].offset + r * y_stride + c] = 16;
                    }
                }
            }
        });
        frames.push(f);
    }
    // Low complexity at each thread count, then medium at each tuning's best thread count.
    let thread_options: &[u32] = if cores > 1 { &[1, 2] } else { &[1] };
    let mut configs = Vec::new();
    for content in [ContentHint::Screen, ContentHint::Motion] {
        for &threads in thread_options {
            configs.push((content, threads, Complexity::Low));
        }
    }
    let mut trials = time_configs(base, &configs, &frames)?;
    let low = Calibration::from_trials(&trials).ok_or_else(|| {
        crate::Error::InvalidInput("calibration produced no trial for a mode".into())
    })?;
    let medium: Vec<_> = [low.screen, low.motion]
        .iter()
        .map(|m| (m.content, m.threads, Complexity::Medium))
        .collect();
    trials.extend(time_configs(base, &medium, &frames)?);
    tracing::info!(?trials, "encoder calibrated");
    Calibration::from_trials(&trials).ok_or_else(|| {
        crate::Error::InvalidInput("calibration produced no trial for a mode".into())
    })
}

/// Times each `(tuning, threads, complexity)` on `frames`: every configuration encodes each
/// frame in turn, so a load that comes and goes on the machine falls on all of them alike.
/// The keyframe and the first change warm caches and are not counted.
fn time_configs(
    base: &EncoderConfig,
    configs: &[(ContentHint, u32, Complexity)],
    frames: &[VideoFrame],
) -> Result<Vec<Trial>> {
    let mut runs = Vec::with_capacity(configs.len());
    for &(content, threads, complexity) in configs {
        let mut cfg = base.clone();
        (cfg.content, cfg.threads, cfg.slices, cfg.complexity) =
            (content, threads, threads, complexity);
        runs.push((open_encoder(&cfg)?, Vec::with_capacity(frames.len()), 0u64));
    }
    for (i, f) in frames.iter().enumerate() {
        let params = FrameParams::new(
            i as u64,
            f.capture_time,
            Duration::from_millis(33 * i as u64),
        );
        for (enc, times, bytes) in &mut runs {
            let t0 = Instant::now();
            enc.send_frame(f, params)?;
            let mut len = 0;
            while let Some(p) = enc.receive_packet()? {
                len += p.data.len();
            }
            if i > 1 {
                times.push(t0.elapsed().as_micros().min(u32::MAX as u128) as u32);
                *bytes += len as u64;
            }
        }
    }
    Ok(configs
        .iter()
        .zip(runs)
        .map(|(&(content, threads, complexity), (_, mut times, bytes))| {
            times.sort_unstable();
            let n = times.len().max(1);
            Trial {
                content,
                threads,
                complexity,
                frame_us: times.get(n / 2).copied().unwrap_or(0),
                bytes: (bytes / n as u64).min(u64::from(u32::MAX)) as u32,
            }
        })
        .collect())
}

/// The policy's tunables: plain data.
#[derive(Debug, Clone, PartialEq)]
pub struct ModePolicyConfig {
    /// Bytes are counted over this window.
    pub window: Duration,
    /// The compact mode runs at least this long before a switch to the fast one (and the
    /// fast mode must save this long's bytes' worth to be left for the compact one).
    pub dwell_fast: Duration,
    /// The fast mode runs at least this long before a switch to the compact one.
    pub dwell_compact: Duration,
    /// To the fast mode when its predicted rate is at most this share of the target.
    pub fast_fits: f64,
    /// To the compact mode when the fast mode's rate reaches this share of the target.
    pub fast_squeezed: f64,
    /// The fast mode's bytes over the compact mode's, before one was measured (typing, the
    /// largest ratio measured: 3.0; scroll 1.7; video 1.1).
    pub prior_ratio: f64,
}

impl Default for ModePolicyConfig {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(2),
            dwell_fast: Duration::from_secs(5),
            dwell_compact: Duration::from_secs(2),
            fast_fits: 0.4,
            fast_squeezed: 0.75,
            prior_ratio: 3.0,
        }
    }
}

/// Why the policy switched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SwitchReason {
    /// The link affords the fast mode's bytes.
    LinkAffordsFast,
    /// The fast mode's bytes squeeze the link.
    LinkThin,
}

/// A switch the caller should make now: a new encoder with these settings and a keyframe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Switch {
    /// The settings to run from now.
    pub to: ModeCost,
    /// Why.
    pub reason: SwitchReason,
}

/// The adaptive mode policy: sans-IO, every call takes `now`.
#[derive(Debug)]
pub struct ModePolicy {
    config: ModePolicyConfig,
    calibration: Calibration,
    current: ContentHint,
    since: Instant,
    target_bps: u32,
    /// Non-keyframe frames of the current mode within the window: (when, bytes).
    frames: VecDeque<(Instant, u32)>,
    window_bytes: u64,
    last_keyframe_bytes: u32,
    /// The fast mode's bytes over the compact mode's, learned across switches.
    ratio: f64,
    /// The rate just before the last switch, and the mode it was in, to learn `ratio`.
    before_switch: Option<(ContentHint, f64)>,
    switches: u64,
}

impl ModePolicy {
    /// Starts in the fast mode when the target allows, else in the compact one.
    pub fn new(
        config: ModePolicyConfig,
        calibration: Calibration,
        target_bps: u32,
        now: Instant,
    ) -> Self {
        let current = match calibration.fast() {
            Some(fast) if target_bps >= 1_000_000 => fast.content,
            Some(fast) => other(fast.content),
            None => ContentHint::Screen,
        };
        let ratio = config.prior_ratio;
        Self {
            config,
            calibration,
            current,
            since: now,
            target_bps,
            frames: VecDeque::with_capacity(256),
            window_bytes: 0,
            last_keyframe_bytes: 0,
            ratio,
            before_switch: None,
            switches: 0,
        }
    }

    /// The settings in effect.
    pub fn current(&self) -> ModeCost {
        self.calibration.cost(self.current)
    }

    /// What start-up measurement found.
    pub fn calibration(&self) -> Calibration {
        self.calibration
    }

    /// Switches made so far.
    pub fn switches(&self) -> u64 {
        self.switches
    }

    /// The learned ratio of the fast mode's bytes to the compact mode's.
    pub fn ratio(&self) -> f64 {
        self.ratio
    }

    /// The encoder's target bitrate changed (bandwidth estimate).
    pub fn handle_target(&mut self, bps: u32) {
        self.target_bps = bps;
    }

    /// A frame was encoded in the current mode.
    pub fn handle_frame(&mut self, now: Instant, bytes: usize, keyframe: bool) {
        let bytes = bytes.min(u32::MAX as usize) as u32;
        if keyframe {
            self.last_keyframe_bytes = bytes;
            return;
        }
        self.frames.push_back((now, bytes));
        self.window_bytes += u64::from(bytes);
        self.expire(now);
    }

    fn expire(&mut self, now: Instant) {
        while let Some(&(t, b)) = self.frames.front() {
            if now.saturating_duration_since(t) <= self.config.window {
                break;
            }
            self.frames.pop_front();
            self.window_bytes -= u64::from(b);
        }
    }

    /// The current mode's rate over the window, bit/s.
    fn rate_bps(&self) -> f64 {
        self.window_bytes as f64 * 8.0 / self.config.window.as_secs_f64()
    }

    /// A switch to make now, if one pays. Call before each frame is encoded.
    pub fn poll_switch(&mut self, now: Instant) -> Option<Switch> {
        self.expire(now);
        let fast = self.calibration.fast()?;
        let in_mode = now.saturating_duration_since(self.since);
        let target = f64::from(self.target_bps.max(1));
        let rate = self.rate_bps();
        // Learn the ratio once the mode entered by the last switch has a full window.
        if in_mode >= self.config.window
            && let Some((before_mode, before_rate)) = self.before_switch.take()
            && before_rate > 0.0
            && rate > 0.0
        {
            let r = if before_mode == fast.content {
                before_rate / rate
            } else {
                rate / before_rate
            };
            self.ratio = (0.5 * self.ratio + 0.5 * r).clamp(1.0, 4.0);
        }
        let keyframe_bits = f64::from(self.last_keyframe_bytes) * 8.0;
        let reason = if self.current == fast.content {
            let squeezed = rate >= self.config.fast_squeezed * target;
            let saving = rate * (1.0 - 1.0 / self.ratio) * self.config.dwell_fast.as_secs_f64();
            (in_mode >= self.config.dwell_compact && squeezed && saving >= keyframe_bits)
                .then_some(SwitchReason::LinkThin)
        } else {
            let fits = rate * self.ratio <= self.config.fast_fits * target;
            let keyframe_fits = keyframe_bits <= 0.5 * target;
            (in_mode >= self.config.dwell_fast && fits && keyframe_fits)
                .then_some(SwitchReason::LinkAffordsFast)
        }?;
        self.before_switch = Some((self.current, rate));
        self.current = other(self.current);
        self.since = now;
        self.frames.clear();
        self.window_bytes = 0;
        self.switches += 1;
        Some(Switch {
            to: self.current(),
            reason,
        })
    }
}

fn other(c: ContentHint) -> ContentHint {
    match c {
        ContentHint::Screen => ContentHint::Motion,
        ContentHint::Motion => ContentHint::Screen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> Calibration {
        Calibration::from_trials(&[
            Trial {
                content: ContentHint::Screen,
                threads: 1,
                frame_us: 8000,
                complexity: Complexity::Low,
                bytes: 500,
            },
            Trial {
                content: ContentHint::Screen,
                threads: 2,
                frame_us: 7000,
                complexity: Complexity::Low,
                bytes: 500,
            },
            Trial {
                content: ContentHint::Motion,
                threads: 1,
                frame_us: 3500,
                complexity: Complexity::Low,
                bytes: 500,
            },
            Trial {
                content: ContentHint::Motion,
                threads: 2,
                frame_us: 3400,
                complexity: Complexity::Low,
                bytes: 500,
            },
        ])
        .unwrap()
    }

    /// Feeds `secs` of frames at 30 fps, `bytes(mode)` each, polling before each; returns
    /// the switches seen.
    fn run_with(
        p: &mut ModePolicy,
        t: &mut Instant,
        secs: u32,
        bytes: impl Fn(ContentHint) -> usize,
    ) -> Vec<Switch> {
        let mut out = Vec::new();
        for _ in 0..secs * 30 {
            *t += Duration::from_millis(33);
            if let Some(s) = p.poll_switch(*t) {
                out.push(s);
                // The new encoder's first frame is a keyframe.
                p.handle_frame(*t, 60_000, true);
                continue;
            }
            p.handle_frame(*t, bytes(p.current().content), false);
        }
        out
    }

    fn run(p: &mut ModePolicy, t: &mut Instant, secs: u32, bytes: usize) -> Vec<Switch> {
        run_with(p, t, secs, |_| bytes)
    }

    /// Scrolling: 6.3 kB a frame in the fast mode, 3.7 kB in the compact one (measured).
    fn scroll(c: ContentHint) -> usize {
        match c {
            ContentHint::Motion => 6300,
            ContentHint::Screen => 3700,
        }
    }

    #[test]
    fn calibration_picks_the_fastest_threads_and_prefers_fewer_on_a_tie() {
        let c = cal();
        assert_eq!(c.screen.threads, 2, "7.0 ms beats 8.0 ms by more than 5 %");
        assert_eq!(
            c.motion.threads, 1,
            "3.4 ms is within 5 % of 3.5 ms: one thread"
        );
        assert_eq!(c.fast().unwrap().content, ContentHint::Motion);
        // Modes within 10 % of each other: nothing to gain, no fast mode.
        let even = Calibration::from_trials(&[
            Trial {
                content: ContentHint::Screen,
                threads: 1,
                frame_us: 10_000,
                complexity: Complexity::Low,
                bytes: 500,
            },
            Trial {
                content: ContentHint::Motion,
                threads: 1,
                frame_us: 9_500,
                complexity: Complexity::Low,
                bytes: 500,
            },
        ])
        .unwrap();
        assert_eq!(even.fast(), None);
        assert!(Calibration::from_trials(&[]).is_none());
    }

    #[test]
    fn medium_complexity_where_it_pays() {
        let t = |content, threads, complexity, frame_us, bytes| Trial {
            content,
            threads,
            complexity,
            frame_us,
            bytes,
        };
        use Complexity::{Low, Medium};
        use ContentHint::{Motion, Screen};
        let trials = |screen_medium: Trial, motion_medium: Trial| {
            vec![
                t(Screen, 1, Low, 8000, 200),
                t(Screen, 2, Low, 7000, 220),
                t(Motion, 1, Low, 3500, 600),
                screen_medium,
                motion_medium,
            ]
        };
        // The byte-saving mode takes medium when it saves 15 % for at most 30 % more time; the
        // fast mode does not take it for bytes.
        let c = Calibration::from_trials(&trials(
            t(Screen, 2, Medium, 8500, 170),
            t(Motion, 1, Medium, 3600, 300),
        ))
        .unwrap();
        assert_eq!((c.screen.complexity, c.screen.frame_us), (Medium, 8500));
        assert_eq!(c.motion.complexity, Low);
        // Too slow, or too little saved: low stays.
        let c = Calibration::from_trials(&trials(
            t(Screen, 2, Medium, 9500, 170),
            t(Motion, 1, Medium, 3000, 600),
        ))
        .unwrap();
        assert_eq!(c.screen.complexity, Low, "36 % slower");
        assert_eq!(
            c.motion.complexity, Medium,
            "the fast mode takes it only when faster"
        );
        let c = Calibration::from_trials(&trials(
            t(Screen, 2, Medium, 7200, 200),
            t(Motion, 1, Medium, 3500, 500),
        ))
        .unwrap();
        assert_eq!(c.screen.complexity, Low, "9 % fewer bytes");
        // A medium trial at another thread count is not compared.
        let c = Calibration::from_trials(&trials(
            t(Screen, 1, Medium, 7000, 100),
            t(Motion, 2, Medium, 1000, 100),
        ))
        .unwrap();
        assert_eq!((c.screen.complexity, c.motion.complexity), (Low, Low));
    }

    #[test]
    fn starts_fast_on_a_normal_link_and_compact_on_a_thin_one() {
        let now = Instant::now();
        let p = ModePolicy::new(ModePolicyConfig::default(), cal(), 2_000_000, now);
        assert_eq!(p.current().content, ContentHint::Motion);
        assert_eq!(p.current().threads, 1);
        let p = ModePolicy::new(ModePolicyConfig::default(), cal(), 300_000, now);
        assert_eq!(p.current().content, ContentHint::Screen);
        assert_eq!(p.current().threads, 2);
    }

    #[test]
    fn typing_on_a_good_link_stays_fast() {
        let mut t = Instant::now();
        let mut p = ModePolicy::new(ModePolicyConfig::default(), cal(), 2_000_000, t);
        // 620 B a frame: 150 kbit/s against 2 Mbit/s.
        assert!(run(&mut p, &mut t, 60, 620).is_empty());
        assert_eq!(p.current().content, ContentHint::Motion);
    }

    #[test]
    fn a_thin_link_switches_to_compact_and_back_once_it_widens() {
        let mut t = Instant::now();
        let mut p = ModePolicy::new(ModePolicyConfig::default(), cal(), 2_000_000, t);
        // Scrolling in the fast mode: 6.3 kB a frame, 1.5 Mbit/s; the estimate falls to
        // 1.6 Mbit/s, so the rate controller squeezes it.
        p.handle_target(1_600_000);
        let s = run_with(&mut p, &mut t, 4, scroll);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].reason, SwitchReason::LinkThin);
        assert_eq!(s[0].to.content, ContentHint::Screen);
        assert_eq!(s[0].to.threads, 2);
        // In the compact mode the same scroll costs 3.7 kB a frame (0.9 Mbit/s): the ratio is
        // learned (6.3 / 3.7 = 1.7, halfway from the prior 3.0), and the predicted fast rate
        // does not fit 40 % of 1.6 Mbit/s, so it stays, however long.
        assert!(run_with(&mut p, &mut t, 30, scroll).is_empty());
        assert!(
            (p.ratio() - 2.35).abs() < 0.1,
            "ratio learned: {}",
            p.ratio()
        );
        // The link widens to 20 Mbit/s: back to the fast mode at once (the dwell is long
        // past), and only once.
        p.handle_target(20_000_000);
        let s = run_with(&mut p, &mut t, 10, scroll);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].reason, SwitchReason::LinkAffordsFast);
        assert_eq!(p.switches(), 2);
    }

    #[test]
    fn the_compact_mode_waits_its_dwell_before_going_fast() {
        let mut t = Instant::now();
        let mut p = ModePolicy::new(ModePolicyConfig::default(), cal(), 300_000, t);
        p.handle_target(10_000_000);
        // Under 5 s nothing happens even though the link is wide.
        assert!(run(&mut p, &mut t, 4, 200).is_empty());
        let s = run(&mut p, &mut t, 2, 200);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].to.content, ContentHint::Motion);
    }

    #[test]
    fn a_rate_at_the_edge_does_not_flap() {
        // A rate between the two thresholds keeps whatever mode runs: hysteresis.
        let mut t = Instant::now();
        let mut p = ModePolicy::new(ModePolicyConfig::default(), cal(), 2_000_000, t);
        // Fast mode at 60 % of the target: not squeezed.
        assert!(run(&mut p, &mut t, 30, 5000).is_empty());
        // The same link, compact mode at 30 % of the target: ×3 predicted = 90 %, no fit.
        let mut p = ModePolicy::new(ModePolicyConfig::default(), cal(), 300_000, t);
        p.handle_target(2_000_000);
        assert!(run(&mut p, &mut t, 30, 2500).is_empty());
    }

    #[test]
    fn a_switch_must_pay_for_its_keyframe() {
        let mut t = Instant::now();
        let mut p = ModePolicy::new(ModePolicyConfig::default(), cal(), 2_000_000, t);
        // A huge keyframe (2 MB) and a squeezed but small rate: saving 5 s of a third of
        // ~160 kbit/s is far less than 16 Mbit.
        p.handle_frame(t, 2_000_000, true);
        p.handle_target(200_000);
        assert!(run(&mut p, &mut t, 10, 700).is_empty());
        // With no fast mode at all, nothing ever switches.
        let even = Calibration {
            screen: cal().screen,
            motion: ModeCost {
                frame_us: 7000,
                ..cal().motion
            },
        };
        let mut p = ModePolicy::new(ModePolicyConfig::default(), even, 200_000, t);
        assert_eq!(p.current().content, ContentHint::Screen);
        p.handle_target(20_000_000);
        assert!(run(&mut p, &mut t, 30, 100).is_empty());
    }

    #[test]
    fn calibration_times_both_modes_on_a_real_frame() {
        let (w, h) = (320, 192);
        let pool = FramePool::new(PixelFormat::I420, w, h, 1);
        let (f, ()) = pool.get_with(0, Instant::now(), |p, _| {
            for (i, b) in p.bytes.iter_mut().enumerate() {
                *b = (i % 251) as u8;
            }
        });
        let c = calibrate(&EncoderConfig::low_latency(w, h), &f, 2).unwrap();
        assert!(c.screen.frame_us > 0 && c.motion.frame_us > 0, "{c:?}");
        assert!((1..=2).contains(&c.screen.threads) && (1..=2).contains(&c.motion.threads));
    }
}
