//! How the instrument guards itself (issue 13; `docs/latency.md`, "The instrument guards
//! itself").
//!
//! - **Stamps against counters.** The stages are differences of consecutive timestamps, so
//!   they add up whatever the stamps say: a stamp in the wrong place only moves time from one
//!   stage to its neighbour. The pipeline also times damage detection, conversion and encoding
//!   with its own counters (`glass_engine::pipeline::Stats::{damage,convert,encode}_us`),
//!   apart from the stamps. [`stamps_agree_with_counters`] refuses a run whose stamped stages
//!   are much shorter than what the counters measured over the same frames.
//! - **A committed baseline.** [`Baseline`] holds the p50 figures of a short synthetic run on
//!   a known machine; [`Comparison`] sets a run against it by ratio, with an absolute slack,
//!   so a pipeline that got much slower fails CI while a noisy machine does not.

use std::fmt::Write as _;

use glass_codecs::{ContentHint, ContentPolicy};
use glass_engine::capture::synthetic::Scene;
use glass_engine::pipeline::StatsSnapshot;

use crate::report::{BenchReport, STAGES};
use crate::{BenchConfig, BenchError, BenchSource, ViewerKind};

/// The sharer's stages that the pipeline also counts, in the order of [`STAGES`].
pub const COUNTED_STAGES: [&str; 3] = ["damage", "convert", "encode"];

/// A stamped stage is refused when the counter's mean exceeds
/// `stamped mean × COUNTER_RATIO + COUNTER_FLOOR_US`.
///
/// Per frame the stamped interval contains the counted one (damage: captured → done holds
/// the detection; convert: the same interval; encode: converted → encoded holds the call), so
/// stamped ≥ counted frame by frame. Over a run the two means differ only through the
/// populations: frames processed but never sent (stale, unchanged), and the frames at either
/// end of the window. The ratio absorbs that; the floor keeps a stage of a few µs (convert of
/// a few dirty rectangles) from tripping on rounding. A stamp in the wrong place makes the
/// stamped stage ~0 (converted stamped at damage done; encoded before the call), far below
/// the counter. Measured: see `docs/latency.md`.
pub const COUNTER_RATIO: f64 = 2.0;

/// See [`COUNTER_RATIO`], µs.
pub const COUNTER_FLOOR_US: f64 = 5.0;

/// Fewer frames than this on either side: the check is skipped (idle runs).
pub const COUNTER_MIN_FRAMES: u64 = 10;

/// One counted stage over a run: the stamped stage and the pipeline's counter, as means over
/// the frames each saw in the measurement window.
#[derive(Debug, Clone, PartialEq)]
pub struct CounterFigure {
    /// `damage`, `convert` or `encode`.
    pub stage: &'static str,
    /// Mean of the stamped stage, µs.
    pub stamped_us: f64,
    /// Frames stamped (whose stage ended in the window).
    pub stamped_n: u64,
    /// Mean of the pipeline's counter, µs.
    pub counted_us: f64,
    /// Frames counted in the window.
    pub counted_n: u64,
}

impl CounterFigure {
    /// The stamped stage is too short for what the counter measured (see [`COUNTER_RATIO`]);
    /// `false` when too few frames were seen to tell.
    pub fn disagrees(&self) -> bool {
        self.stamped_n >= COUNTER_MIN_FRAMES
            && self.counted_n >= COUNTER_MIN_FRAMES
            && self.counted_us > self.stamped_us * COUNTER_RATIO + COUNTER_FLOOR_US
    }
}

/// Refuses the run when a stamped stage disagrees with the pipeline's own counter: the
/// error names the stage and both figures.
pub fn stamps_agree_with_counters(figures: &[CounterFigure]) -> Result<(), BenchError> {
    match figures.iter().find(|f| f.disagrees()) {
        None => Ok(()),
        Some(f) => Err(BenchError::Inconsistent(format!(
            "the {} stage's stamps say {:.1} µs a frame (mean of {} frames) but the pipeline's \
             counter measured {:.1} µs (mean of {} frames): a stage timestamp is in the wrong \
             place (allowed: counter ≤ {COUNTER_RATIO} × stamps + {COUNTER_FLOOR_US} µs)",
            f.stage, f.stamped_us, f.stamped_n, f.counted_us, f.counted_n
        ))),
    }
}

/// One line for people: each counted stage's stamped mean against its counter's.
pub fn counters_line(figures: &[CounterFigure]) -> String {
    let parts: Vec<String> = figures
        .iter()
        .map(|f| format!("{} {:.0}/{:.0}", f.stage, f.stamped_us, f.counted_us))
        .collect();
    format!(
        "stamps against the pipeline's counters (mean µs): {}",
        parts.join(" · ")
    )
}

/// The counters' means over the window between two snapshots, for [`COUNTED_STAGES`]:
/// `(mean µs, frames)`. The snapshot holds means; the sums are recovered with the pipeline's
/// own denominators (damage: captured − stale; convert: that − unchanged; encode: encoded),
/// exact but for the µs truncation of each mean (at most `(n₀ + n₁) / (n₁ − n₀)` µs).
pub fn counter_means(start: &StatsSnapshot, end: &StatsSnapshot) -> [(f64, u64); 3] {
    let processed = |s: &StatsSnapshot| s.captured.saturating_sub(s.dropped_stale);
    let converted = |s: &StatsSnapshot| processed(s).saturating_sub(s.skipped_unchanged);
    let encoded = |s: &StatsSnapshot| s.encoded;
    let figure = |n: &dyn Fn(&StatsSnapshot) -> u64, mean: &dyn Fn(&StatsSnapshot) -> u64| {
        let (n0, n1) = (n(start), n(end));
        let sum = |s: &StatsSnapshot, n: u64| u128::from(mean(s)) * u128::from(n);
        let frames = n1.saturating_sub(n0);
        let total = sum(end, n1).saturating_sub(sum(start, n0));
        if frames == 0 {
            (0.0, 0)
        } else {
            (total as f64 / frames as f64, frames)
        }
    };
    [
        figure(&processed, &|s| s.damage_us_mean),
        figure(&converted, &|s| s.convert_us_mean),
        figure(&encoded, &|s| s.encode_us_mean),
    ]
}

/// The figures a baseline holds: p50 end to end, and the p50 of every stage the run timed.
/// A name is `end_to_end_p50` or `<stage>_p50`; values in ms.
pub fn figures(report: &BenchReport) -> Vec<(String, f64)> {
    let ms = |us: u32| f64::from(us) / 1000.0;
    let mut out = Vec::new();
    let e2e = report.stage(None);
    if e2e.n > 0 {
        out.push(("end_to_end_p50".to_string(), ms(e2e.p50)));
    }
    for (i, name) in STAGES.iter().enumerate() {
        let p = report.stage(Some(i));
        if p.n > 0 {
            out.push((format!("{name}_p50"), ms(p.p50)));
        }
    }
    out
}

/// Where a figure comes in [`figures`]' order (end to end, then the stages in order);
/// `None` for a name that is not a figure.
fn figure_rank(name: &str) -> Option<usize> {
    if name == "end_to_end_p50" {
        return Some(0);
    }
    let stage = name.strip_suffix("_p50")?;
    STAGES.iter().position(|s| *s == stage).map(|i| i + 1)
}

/// The settings a baseline was measured with; a run is only compared with a baseline of the
/// same settings (the length may differ).
#[derive(Debug, Clone, PartialEq)]
pub struct BaselineRun {
    /// `typing`, `scroll` or `video` (idle has no latency figures).
    pub scene: Scene,
    /// Picture width.
    pub width: u32,
    /// Picture height.
    pub height: u32,
    /// Frame-rate cap.
    pub fps: u32,
    /// Seconds measured.
    pub seconds: f64,
    /// Seconds of warm-up.
    pub warmup: f64,
    /// The encoder's tuning. A baseline pins one (`screen` or `motion`): with `auto` a busy
    /// machine's calibration could pick the other tuning, which moves the encode figure by
    /// 2–3× for reasons the guard is not about.
    pub content: ContentPolicy,
}

fn content_word(c: ContentPolicy) -> &'static str {
    match c {
        ContentPolicy::Adaptive => "auto",
        ContentPolicy::Fixed(ContentHint::Screen) => "screen",
        ContentPolicy::Fixed(ContentHint::Motion) => "motion",
    }
}

/// A committed set of figures to compare runs with (`bench/baseline.json`).
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// How it was produced (the command line), the machine and the date, for people.
    pub produced_by: String,
    /// The settings.
    pub run: BaselineRun,
    /// `(name, ms)`, see [`figures`].
    pub figures: Vec<(String, f64)>,
}

fn scene_name(scene: Scene) -> &'static str {
    match scene {
        Scene::Static => "idle",
        Scene::Typing => "typing",
        Scene::Scroll => "scroll",
        Scene::Video => "video",
    }
}

impl Baseline {
    /// The baseline a run makes; only a plain run (synthetic source, native viewer, no
    /// impairment or relay, not idle) can be one.
    pub fn from_run(
        config: &BenchConfig,
        report: &BenchReport,
        produced_by: &str,
    ) -> Result<Baseline, BenchError> {
        let plain = config.source == BenchSource::Synthetic
            && config.viewer == ViewerKind::Native
            && config.loss == 0.0
            && config.delay.is_zero()
            && config.relay.is_none()
            && config.scene != Scene::Static;
        if !plain {
            return Err(BenchError::Baseline(
                "a baseline is a plain run: synthetic source, native viewer, no loss, delay or \
                 relay, a scene other than idle"
                    .into(),
            ));
        }
        let figures = figures(report);
        if figures.is_empty() {
            return Err(BenchError::Baseline("the run measured nothing".into()));
        }
        Ok(Baseline {
            produced_by: produced_by.to_string(),
            run: BaselineRun {
                scene: config.scene,
                width: config.width,
                height: config.height,
                fps: config.fps,
                seconds: config.seconds,
                warmup: config.warmup,
                content: config.content,
            },
            figures,
        })
    }

    /// The settings to reproduce it.
    pub fn config(&self) -> BenchConfig {
        BenchConfig {
            scene: self.run.scene,
            width: self.run.width,
            height: self.run.height,
            fps: self.run.fps,
            seconds: self.run.seconds,
            warmup: self.run.warmup,
            content: self.run.content,
            ..BenchConfig::default()
        }
    }

    /// Refuses to compare a run of other settings (scene, size, fps, source, viewer,
    /// impairment): its figures mean something else.
    pub fn check_config(&self, config: &BenchConfig) -> Result<(), BenchError> {
        let base = self.config();
        let same = config.scene == base.scene
            && (config.width, config.height) == (base.width, base.height)
            && config.fps == base.fps
            && config.content == base.content
            && config.source == base.source
            && config.viewer == base.viewer
            && config.loss == base.loss
            && config.delay == base.delay
            && config.relay.is_none()
            && config.codecs == base.codecs;
        if same {
            return Ok(());
        }
        Err(BenchError::Baseline(format!(
            "the baseline was measured with {} {}x{} @ {} fps, --content {} (synthetic source, \
             native viewer, no impairment or relay, --codec auto); run the bench with those settings",
            scene_name(base.scene),
            base.width,
            base.height,
            base.fps,
            content_word(base.content)
        )))
    }

    /// As written to the file.
    pub fn json(&self) -> serde_json::Value {
        let figures: serde_json::Map<String, serde_json::Value> = self
            .figures
            .iter()
            .map(|(n, v)| (n.clone(), serde_json::json!((v * 1000.0).round() / 1000.0)))
            .collect();
        serde_json::json!({
            "produced_by": self.produced_by,
            "run": {
                "scene": scene_name(self.run.scene),
                "width": self.run.width,
                "height": self.run.height,
                "fps": self.run.fps,
                "seconds": self.run.seconds,
                "warmup": self.run.warmup,
                "content": content_word(self.run.content),
            },
            "figures_ms": figures,
        })
    }

    /// Reads a baseline file's text; a bad one is refused naming the field.
    pub fn parse(text: &str) -> Result<Baseline, BenchError> {
        let bad = |m: String| BenchError::Baseline(m);
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| bad(format!("not JSON: {e}")))?;
        let top = v
            .as_object()
            .ok_or_else(|| bad("expected a JSON object".into()))?;
        for key in top.keys() {
            if !["produced_by", "run", "figures_ms"].contains(&key.as_str()) {
                return Err(bad(format!(
                    "unknown field {key:?} (expected produced_by, run, figures_ms)"
                )));
            }
        }
        let produced_by = match top.get("produced_by") {
            Some(serde_json::Value::String(s)) => s.clone(),
            None => String::new(),
            Some(other) => return Err(bad(format!("produced_by = {other}: expected a string"))),
        };
        let run = top
            .get("run")
            .and_then(|r| r.as_object())
            .ok_or_else(|| bad("run: missing or not an object".into()))?;
        let uint = |key: &str, range: std::ops::RangeInclusive<u64>| -> Result<u32, BenchError> {
            match run.get(key).and_then(serde_json::Value::as_u64) {
                Some(n) if range.contains(&n) => Ok(n as u32),
                _ => Err(bad(format!(
                    "run.{key} = {}: expected an integer in {}..={}",
                    run.get(key)
                        .map_or("missing".to_string(), |v| v.to_string()),
                    range.start(),
                    range.end()
                ))),
            }
        };
        let secs = |key: &str, max: f64| -> Result<f64, BenchError> {
            match run.get(key).and_then(serde_json::Value::as_f64) {
                Some(s) if s >= 0.0 && s <= max => Ok(s),
                _ => Err(bad(format!(
                    "run.{key} = {}: expected seconds in 0..={max}",
                    run.get(key)
                        .map_or("missing".to_string(), |v| v.to_string())
                ))),
            }
        };
        let scene = match run.get("scene").and_then(serde_json::Value::as_str) {
            Some("typing") => Scene::Typing,
            Some("scroll") => Scene::Scroll,
            Some("video") => Scene::Video,
            other => {
                return Err(bad(format!(
                    "run.scene = {}: expected typing, scroll or video",
                    other.unwrap_or("missing")
                )));
            }
        };
        let run = BaselineRun {
            scene,
            width: uint("width", 2..=16384)?,
            height: uint("height", 2..=16384)?,
            fps: uint("fps", 1..=240)?,
            seconds: secs("seconds", 3600.0)?,
            warmup: secs("warmup", 60.0)?,
            content: match run.get("content").and_then(serde_json::Value::as_str) {
                None if run.get("content").is_none() => ContentPolicy::Adaptive,
                Some("auto") => ContentPolicy::Adaptive,
                Some("screen") => ContentPolicy::Fixed(ContentHint::Screen),
                Some("motion") => ContentPolicy::Fixed(ContentHint::Motion),
                _ => {
                    return Err(bad(format!(
                        "run.content = {}: expected auto, screen or motion",
                        run.get("content")
                            .map_or("missing".into(), |v| v.to_string())
                    )));
                }
            },
        };
        if run.seconds == 0.0 {
            return Err(bad("run.seconds = 0: expected seconds in 0..=3600".into()));
        }
        let figs = top
            .get("figures_ms")
            .and_then(|f| f.as_object())
            .ok_or_else(|| bad("figures_ms: missing or not an object".into()))?;
        let mut figures = Vec::new();
        for (name, value) in figs {
            if figure_rank(name).is_none() {
                return Err(bad(format!(
                    "figures_ms.{name}: unknown figure (expected end_to_end_p50 or \
                     <stage>_p50 for a stage of {})",
                    STAGES.join(", ")
                )));
            }
            match value.as_f64() {
                Some(ms) if ms.is_finite() && (0.0..=60_000.0).contains(&ms) => {
                    figures.push((name.clone(), ms));
                }
                _ => {
                    return Err(bad(format!(
                        "figures_ms.{name} = {value}: expected milliseconds, 0..=60000"
                    )));
                }
            }
        }
        figures.sort_by_key(|(n, _)| figure_rank(n));
        if !figures.iter().any(|(n, _)| n == "end_to_end_p50") {
            return Err(bad("figures_ms.end_to_end_p50: missing".into()));
        }
        let baseline = Baseline {
            produced_by,
            run,
            figures,
        };
        baseline
            .config()
            .validate()
            .map_err(|e| bad(format!("run: {e}")))?;
        Ok(baseline)
    }
}

/// How far a run may exceed the baseline: a figure fails only when it is over
/// `max_ratio × baseline` **and** over `baseline + slack_ms`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// Ratio this run / baseline allowed.
    pub max_ratio: f64,
    /// Milliseconds any figure may grow by regardless of the ratio (a sub-millisecond stage
    /// that doubles on a noisy machine).
    pub slack_ms: f64,
}

impl Default for Tolerance {
    /// 4× and +8 ms, from the spread of the committed baseline's settings on a busy 2-core
    /// machine (`docs/latency.md`): p50s within 1.12× of each other over 10 runs; with two
    /// CPU spinners beside the bench, end to end up to 5.8 ms above the quiet median and
    /// encode 3.0× it, no sub-millisecond stage more than +0.2 ms. Load adds time more than it
    /// multiplies it, so the slack is what keeps a fast baseline (1.5 ms end to end) from
    /// flaking; +25 ms a frame is over both by far.
    fn default() -> Self {
        Tolerance {
            max_ratio: 4.0,
            slack_ms: 8.0,
        }
    }
}

impl Tolerance {
    /// Checks ranges; the error names the field.
    pub fn validate(&self) -> Result<(), BenchError> {
        if !(self.max_ratio.is_finite() && self.max_ratio >= 1.0 && self.max_ratio <= 1000.0) {
            return Err(BenchError::Config(format!(
                "max_ratio = {} (allowed 1..=1000)",
                self.max_ratio
            )));
        }
        if !(self.slack_ms.is_finite() && (0.0..=10_000.0).contains(&self.slack_ms)) {
            return Err(BenchError::Config(format!(
                "slack_ms = {} (allowed 0..=10000 ms)",
                self.slack_ms
            )));
        }
        Ok(())
    }
}

/// One figure of a run against the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The figure's name (see [`figures`]).
    pub figure: String,
    /// Baseline, ms.
    pub baseline_ms: f64,
    /// This run, ms (`None`: the run has no such figure).
    pub run_ms: Option<f64>,
    /// Over both the ratio and the slack.
    pub over: bool,
}

impl Row {
    /// This run / baseline (`None` without a figure or with a zero baseline).
    pub fn ratio(&self) -> Option<f64> {
        let run = self.run_ms?;
        (self.baseline_ms > 0.0).then(|| run / self.baseline_ms)
    }
}

/// A run set against a baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// One row per baseline figure.
    pub rows: Vec<Row>,
    /// What was allowed.
    pub tolerance: Tolerance,
}

impl Comparison {
    /// Compares the run's figures with the baseline's.
    pub fn new(baseline: &Baseline, report: &BenchReport, tolerance: Tolerance) -> Comparison {
        Self::of_figures(&baseline.figures, &figures(report), tolerance)
    }

    /// [`Comparison::new`] on figures, `(name, ms)`.
    pub fn of_figures(
        baseline: &[(String, f64)],
        run: &[(String, f64)],
        tolerance: Tolerance,
    ) -> Comparison {
        let rows = baseline
            .iter()
            .map(|(figure, base)| {
                let run_ms = run.iter().find(|(n, _)| n == figure).map(|(_, v)| *v);
                let over = run_ms.is_some_and(|r| {
                    r > base * tolerance.max_ratio && r > base + tolerance.slack_ms
                });
                Row {
                    figure: figure.clone(),
                    baseline_ms: *base,
                    run_ms,
                    over,
                }
            })
            .collect();
        Comparison { rows, tolerance }
    }

    /// The table printed after the run.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "against the baseline (fails over {}× and +{} ms):",
            self.tolerance.max_ratio, self.tolerance.slack_ms
        );
        let _ = writeln!(
            out,
            "{:<16} {:>10} {:>10} {:>7}",
            "figure", "baseline", "this run", "ratio"
        );
        for r in &self.rows {
            let run = r.run_ms.map_or("—".to_string(), |v| format!("{v:.2}"));
            let ratio = r.ratio().map_or("—".to_string(), |x| format!("{x:.2}"));
            let _ = writeln!(
                out,
                "{:<16} {:>10.2} {:>10} {:>7}{}",
                r.figure,
                r.baseline_ms,
                run,
                ratio,
                if r.over { "  OVER" } else { "" }
            );
        }
        out
    }

    /// An error naming every figure over the tolerance, both values and the ratio.
    pub fn verdict(&self) -> Result<(), BenchError> {
        let over: Vec<String> = self
            .rows
            .iter()
            .filter(|r| r.over)
            .map(|r| {
                format!(
                    "{} {:.2} ms against {:.2} ms in the baseline ({:.1}×)",
                    r.figure,
                    r.run_ms.unwrap_or(0.0),
                    r.baseline_ms,
                    r.ratio().unwrap_or(f64::INFINITY)
                )
            })
            .collect();
        if over.is_empty() {
            return Ok(());
        }
        Err(BenchError::Regressed(format!(
            "{} (allowed {}× and +{} ms)",
            over.join("; "),
            self.tolerance.max_ratio,
            self.tolerance.slack_ms
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(stage: &'static str, stamped_us: f64, counted_us: f64) -> CounterFigure {
        CounterFigure {
            stage,
            stamped_us,
            stamped_n: 60,
            counted_us,
            counted_n: 61,
        }
    }

    #[test]
    fn a_misplaced_stamp_is_caught() {
        // "converted" stamped at "damage done": the convert stage is 0 for every frame while
        // the counter measured the conversion; the encode stage absorbs it.
        let figures = [
            fig("damage", 85.0, 70.0),
            fig("convert", 0.0, 41.0),
            fig("encode", 2441.0, 2390.0),
        ];
        let e = stamps_agree_with_counters(&figures)
            .unwrap_err()
            .to_string();
        assert!(e.contains("convert stage"), "{e}");
        assert!(e.contains("0.0 µs") && e.contains("41.0 µs"), "{e}");
        // "encoded" stamped before the encoder ran: the encode stage is the hand-off only.
        let e = stamps_agree_with_counters(&[fig("encode", 60.0, 2400.0)]).unwrap_err();
        assert!(e.to_string().contains("encode stage"), "{e}");
        // "damage done" stamped at capture.
        assert!(stamps_agree_with_counters(&[fig("damage", 0.0, 70.0)]).is_err());
    }

    #[test]
    fn jitter_and_hand_off_waits_pass() {
        // Stamps longer than the counters (the hand-off wait from the previous thread is in
        // the stamped stage), a few µs of rounding, a population that differs by a slow edge
        // frame: all pass.
        let figures = [
            fig("damage", 300.0, 70.0),
            fig("convert", 12.0, 19.0),
            fig("encode", 2300.0, 2900.0),
        ];
        stamps_agree_with_counters(&figures).unwrap();
        // A stage that is legitimately ~0 (nothing to convert: zero-copy).
        stamps_agree_with_counters(&[fig("convert", 0.0, 3.0)]).unwrap();
        // Too few frames to tell (an idle run).
        let idle = CounterFigure {
            stamped_n: 0,
            counted_n: 2,
            ..fig("encode", 0.0, 9000.0)
        };
        stamps_agree_with_counters(&[idle]).unwrap();
    }

    #[test]
    fn counter_means_over_the_window() {
        let start = StatsSnapshot {
            captured: 40,
            dropped_stale: 2,
            skipped_unchanged: 1,
            encoded: 37,
            damage_us_mean: 100, // 38 processed
            convert_us_mean: 50, // 37 converted
            encode_us_mean: 3000,
            ..StatsSnapshot::default()
        };
        // 60 more frames: 60 processed, 59 converted, 58 encoded.
        let end = StatsSnapshot {
            captured: 100,
            dropped_stale: 2,
            skipped_unchanged: 2,
            encoded: 95,
            damage_us_mean: (38 * 100 + 60 * 80) / 98,
            convert_us_mean: (37 * 50 + 59 * 20) / 96,
            encode_us_mean: (37 * 3000 + 58 * 2000) / 95,
            ..StatsSnapshot::default()
        };
        let [d, c, e] = counter_means(&start, &end);
        assert_eq!((d.1, c.1, e.1), (60, 59, 58));
        // Within the truncation bound of the snapshot's means.
        assert!((d.0 - 80.0).abs() <= 138.0 / 60.0, "{d:?}");
        assert!((c.0 - 20.0).abs() <= 133.0 / 59.0, "{c:?}");
        assert!((e.0 - 2000.0).abs() <= 132.0 / 58.0, "{e:?}");
        assert_eq!(counter_means(&end, &end)[0], (0.0, 0));
    }

    fn baseline() -> Baseline {
        Baseline {
            produced_by: "test".into(),
            run: BaselineRun {
                scene: Scene::Typing,
                width: 640,
                height: 360,
                fps: 30,
                seconds: 2.0,
                warmup: 1.0,
                content: ContentPolicy::Fixed(ContentHint::Motion),
            },
            figures: vec![
                ("end_to_end_p50".into(), 3.2),
                ("convert_p50".into(), 0.03),
                ("encode_p50".into(), 2.0),
            ],
        }
    }

    #[test]
    fn the_baseline_round_trips_and_a_bad_one_names_the_field() {
        let b = baseline();
        let text = b.json().to_string();
        assert_eq!(Baseline::parse(&text).unwrap(), b);
        let with = |f: &dyn Fn(&mut serde_json::Value)| {
            let mut v = b.json();
            f(&mut v);
            Baseline::parse(&v.to_string()).unwrap_err().to_string()
        };
        for (e, field) in [
            (
                with(&|v| v["figures_ms"]["encode_p50"] = "fast".into()),
                "figures_ms.encode_p50",
            ),
            (
                with(&|v| v["figures_ms"]["encode_p50"] = (-1.0).into()),
                "figures_ms.encode_p50",
            ),
            (
                with(&|v| v["figures_ms"]["warp_p50"] = 1.0.into()),
                "figures_ms.warp_p50",
            ),
            (
                with(&|v| {
                    v["figures_ms"]
                        .as_object_mut()
                        .unwrap()
                        .remove("end_to_end_p50");
                }),
                "figures_ms.end_to_end_p50",
            ),
            (with(&|v| v["run"]["width"] = 0.into()), "run.width"),
            (with(&|v| v["run"]["fps"] = 1000.into()), "run.fps"),
            (with(&|v| v["run"]["scene"] = "idle".into()), "run.scene"),
            (
                with(&|v| v["run"]["content"] = "fast".into()),
                "run.content",
            ),
            (with(&|v| v["run"]["seconds"] = 0.into()), "run.seconds"),
            (with(&|v| v["run"] = 1.into()), "run"),
            (with(&|v| v["extra"] = 1.into()), "\"extra\""),
            (with(&|v| *v = serde_json::json!([])), "object"),
        ] {
            assert!(e.contains(field), "{field}: {e}");
        }
        assert!(
            Baseline::parse("{")
                .unwrap_err()
                .to_string()
                .contains("JSON")
        );
    }

    #[test]
    fn a_figure_fails_over_both_the_ratio_and_the_slack() {
        let tol = Tolerance {
            max_ratio: 3.0,
            slack_ms: 5.0,
        };
        let b = baseline().figures;
        let run = |e2e: f64, convert: f64| {
            vec![
                ("end_to_end_p50".to_string(), e2e),
                ("convert_p50".to_string(), convert),
                ("encode_p50".to_string(), 2.1),
            ]
        };
        // A sub-millisecond stage 10× slower (noise on a busy machine): within the slack.
        let c = Comparison::of_figures(&b, &run(4.0, 0.3), tol);
        c.verdict().unwrap();
        assert!(c.table().contains("convert_p50"), "{}", c.table());
        // Twice the baseline and +6.4 ms: over the slack, not the ratio.
        Comparison::of_figures(&b, &run(6.4 + 3.2, 0.03), tol)
            .verdict()
            .unwrap();
        // +25 ms a frame: over both.
        let c = Comparison::of_figures(&b, &run(28.2, 0.03), tol);
        let e = c.verdict().unwrap_err().to_string();
        assert!(
            e.contains("end_to_end_p50 28.20 ms against 3.20 ms") && e.contains("8.8×"),
            "{e}"
        );
        assert!(c.table().contains("OVER"), "{}", c.table());
        // A figure the run lacks is shown, not failed.
        let c = Comparison::of_figures(&b, &run(3.0, 0.03)[..1], tol);
        c.verdict().unwrap();
        assert!(c.table().contains("—"));
    }

    #[test]
    fn the_tolerance_and_the_settings_are_checked() {
        let bad = Tolerance {
            max_ratio: 0.5,
            slack_ms: 5.0,
        };
        assert!(
            bad.validate()
                .unwrap_err()
                .to_string()
                .contains("max_ratio")
        );
        let bad = Tolerance {
            max_ratio: 3.0,
            slack_ms: f64::NAN,
        };
        assert!(bad.validate().unwrap_err().to_string().contains("slack_ms"));
        Tolerance::default().validate().unwrap();
        let b = baseline();
        b.check_config(&b.config()).unwrap();
        let e = b
            .check_config(&BenchConfig {
                width: 1280,
                height: 720,
                ..b.config()
            })
            .unwrap_err();
        assert!(e.to_string().contains("640x360"), "{e}");
    }
}
