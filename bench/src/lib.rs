//! `glass bench`: glass-to-glass latency, measured, with where each millisecond goes.
//!
//! The synthetic source draws a latency probe (a block timecode of the frame's capture time,
//! `glass_engine::probe`) into every frame; a [`Share`] streams it over real loopback UDP
//! (optionally through the transport's impairment layer); a receiver decodes the video and
//! reads the code back from the decoded pixels. Both clocks are this machine's, so decoded
//! time minus drawn time is the glass-to-glass latency of that frame. The sharer's per-frame
//! stage timestamps ([`Share::frames`]) split it into capture, damage, convert, encode,
//! queue, pacer wait, network, reassembly and decode. See `docs/latency.md`.
//!
//! ```no_run
//! use glass_bench::{BenchConfig, run};
//! let report = run(&BenchConfig { seconds: 5.0, ..BenchConfig::default() })?;
//! println!("{}", report.table());
//! # Ok::<(), glass_bench::BenchError>(())
//! ```

pub mod cpu;
pub mod guard;
pub mod report;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use glass_codecs::{open_decoder, open_decoder_for};
use glass_engine::capture::SourceSpec;
use glass_engine::capture::synthetic::{Scene, SyntheticCapturer, SyntheticConfig};
use glass_engine::pipeline::PipelineConfig;
use glass_engine::probe::{Probe, Timecode};
use glass_transport::testing::{PendingViewer, ViewerEvent};
use glass_transport::{Impairment, TransportConfig};

pub use report::{BenchReport, Percentiles, STAGES, Sample};

use glass_agent::share::{FrameRecord, Share, ShareConfig};

/// Which receiver decodes the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewerKind {
    /// str0m over loopback UDP plus the openh264 decoder, in this process.
    Native,
    /// Headless Chromium (Debian's, via Node.js and playwright-core as installed by
    /// `scripts/setup.sh`) playing the viewer page; the probe is read from each presented
    /// frame (`requestVideoFrameCallback` and a canvas).
    Chromium,
}

/// Where the measured pixels come from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum BenchSource {
    /// The synthetic source draws the scene and the probe into its own frames (no capture).
    #[default]
    Synthetic,
    /// A window on an X display (`None`: `$DISPLAY`) shows the scene and the probe
    /// (`glass_engine::capture::x11::SceneWindow`), and the share captures the whole screen
    /// with MIT-SHM and DAMAGE, as `glass share --source x11` does: the capture stage is real.
    X11 {
        /// X display name, e.g. `:99`.
        display: Option<String>,
    },
}

/// What to measure: plain data, checked by [`BenchConfig::validate`].
#[derive(Debug, Clone)]
pub struct BenchConfig {
    /// Where the pixels come from.
    pub source: BenchSource,
    /// Scene of the synthetic source (`Static` is the idle screen: only the probe changes).
    pub scene: Scene,
    /// Picture width.
    pub width: u32,
    /// Picture height.
    pub height: u32,
    /// Frame-rate cap of the sharer (and tick rate of the source).
    pub fps: u32,
    /// Seconds measured (after the warm-up).
    pub seconds: f64,
    /// Seconds streamed before measuring (first keyframe, bandwidth estimate ramp-up).
    pub warmup: f64,
    /// The receiver.
    pub viewer: ViewerKind,
    /// Fraction of datagrams lost in each direction (`0.0..=0.5`).
    pub loss: f64,
    /// One-way delay added in each direction.
    pub delay: Duration,
    /// Send the media through this TURN relay (the sharer offers its relayed candidate
    /// only), to measure what a relay adds; `None`: directly over loopback.
    pub relay: Option<glass_transport::TurnServer>,
    /// Stream the pointer beside the video (X11 source; [`ShareConfig::cursor`]). Off: what
    /// the share cost before the pointer had a stream of its own.
    pub cursor: bool,
    /// The encoder's tuning (adaptive by default, as `glass share`).
    pub content: glass_codecs::ContentPolicy,
    /// The codecs the sharer may send (`--codec`): both (auto: H.264, as every viewer here
    /// takes it), or one.
    pub codecs: glass_transport::CodecSet,
}

impl Default for BenchConfig {
    fn default() -> Self {
        BenchConfig {
            source: BenchSource::Synthetic,
            scene: Scene::Typing,
            width: 1920,
            height: 1080,
            fps: 30,
            seconds: 10.0,
            warmup: 1.5,
            viewer: ViewerKind::Native,
            loss: 0.0,
            delay: Duration::ZERO,
            relay: None,
            cursor: true,
            content: glass_codecs::ContentPolicy::Adaptive,
            codecs: glass_transport::CodecSet::ALL,
        }
    }
}

/// Why a benchmark could not run.
#[derive(Debug)]
#[non_exhaustive]
pub enum BenchError {
    /// A setting is out of range (names the field, the value and what is allowed).
    Config(String),
    /// The share did not start.
    Share(glass_agent::share::ShareError),
    /// The scene window could not be opened on the X display.
    Source(glass_engine::CaptureError),
    /// The receiver failed (signalling, decoder).
    Viewer(String),
    /// Nothing was measured (no frame decoded with a readable probe).
    NoSamples(String),
    /// The run's own measures disagree (a stage's stamps against the pipeline's counter):
    /// a timestamp is in the wrong place and no figure of the run holds.
    Inconsistent(String),
    /// The baseline file is malformed (names the field) or for other settings.
    Baseline(String),
    /// A figure exceeds the baseline by more than allowed (names it, both values, the ratio).
    Regressed(String),
}

impl fmt::Display for BenchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Config(m) => write!(f, "bad benchmark settings: {m}"),
            Self::Share(_) => write!(f, "the share did not start"),
            Self::Source(_) => write!(f, "cannot show the scene on the X display"),
            Self::Viewer(m) => write!(f, "the viewer failed: {m}"),
            Self::NoSamples(m) => write!(f, "nothing measured: {m}"),
            Self::Inconsistent(m) => write!(f, "the run is refused: {m}"),
            Self::Baseline(m) => write!(f, "bad baseline: {m}"),
            Self::Regressed(m) => write!(f, "slower than the baseline: {m}"),
        }
    }
}

impl std::error::Error for BenchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Share(e) => Some(e),
            Self::Source(e) => Some(e),
            _ => None,
        }
    }
}

impl BenchConfig {
    /// Checks ranges; the error names the field.
    pub fn validate(&self) -> Result<(), BenchError> {
        let bad = |m: String| Err(BenchError::Config(m));
        if !(self.seconds > 0.0 && self.seconds <= 3600.0) {
            return bad(format!(
                "seconds = {} (allowed 0 < s <= 3600)",
                self.seconds
            ));
        }
        if !(0.0..=60.0).contains(&self.warmup) {
            return bad(format!("warmup = {} (allowed 0..=60 s)", self.warmup));
        }
        if !(0.0..=0.5).contains(&self.loss) {
            return bad(format!("loss = {} (allowed 0.0..=0.5)", self.loss));
        }
        if self.delay > Duration::from_secs(2) {
            return bad(format!("delay = {:?} (allowed up to 2 s)", self.delay));
        }
        if Probe::default_for(self.width, self.height).is_none() {
            return bad(format!(
                "size {}x{} is too small for the latency probe",
                self.width, self.height
            ));
        }
        SyntheticConfig {
            scene: self.scene,
            width: self.width,
            height: self.height,
            fps: self.fps,
        }
        .validate()
        .map_err(|e| BenchError::Config(e.to_string()))
    }

    fn title(&self) -> String {
        let scene = match self.scene {
            Scene::Static => "idle",
            Scene::Typing => "typing",
            Scene::Scroll => "scroll",
            Scene::Video => "video",
        };
        let source = match &self.source {
            BenchSource::Synthetic => String::new(),
            BenchSource::X11 { display } => {
                format!(" on X display {}", display.as_deref().unwrap_or("$DISPLAY"))
            }
        };
        let mut t = format!(
            "glass bench: {scene}{source} {}x{} @ {} fps, {:.0} s, {} viewer over loopback",
            self.width,
            self.height,
            self.fps,
            self.seconds,
            match self.viewer {
                ViewerKind::Native => "native",
                ViewerKind::Chromium => "Chromium",
            }
        );
        if let Some(relay) = &self.relay {
            t.push_str(&format!(", relayed through TURN at {}", relay.addr));
        }
        if self.scene == Scene::Static {
            t.push_str(" (idle: nothing changes, so no latency samples; CPU and bytes only)");
        }
        if self.loss > 0.0 || !self.delay.is_zero() {
            t.push_str(&format!(
                ", {:.1} % loss and {} ms delay each way",
                self.loss * 100.0,
                self.delay.as_millis()
            ));
        }
        t
    }
}

/// POSTs a WHEP offer to the share at `addr` (HTTP/1.1, no dependencies); returns the SDP
/// answer. Benchmark harnesses use it to connect their own receivers.
pub fn whep_post(addr: SocketAddr, offer: &str) -> Result<String, BenchError> {
    let err = |e: std::io::Error| BenchError::Viewer(format!("WHEP POST to {addr}: {e}"));
    let mut s = std::net::TcpStream::connect(addr).map_err(err)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(err)?;
    write!(
        s,
        "POST /whep HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/sdp\r\nContent-Length: {}\r\n\r\n{offer}",
        offer.len()
    )
    .map_err(err)?;
    let mut reply = String::new();
    s.read_to_string(&mut reply).map_err(err)?;
    let (head, body) = reply
        .split_once("\r\n\r\n")
        .ok_or_else(|| BenchError::Viewer("malformed WHEP reply".into()))?;
    if !head.starts_with("HTTP/1.1 201") {
        return Err(BenchError::Viewer(format!(
            "WHEP answered {}",
            head.lines().next().unwrap_or("")
        )));
    }
    Ok(body.to_string())
}

fn us(d: Duration) -> u32 {
    d.as_micros().min(u128::from(u32::MAX)) as u32
}

/// `b - a`, or `None` if either is missing or `b` is earlier.
fn span(a: Option<Instant>, b: Option<Instant>) -> Option<u32> {
    Some(us(b?.checked_duration_since(a?)?))
}

/// The sharer's stages that the pipeline also counts (damage, convert, encode) from a
/// frame's stamps, each with the stamp that ends it. The samples and the
/// stamps-against-counters check both take them from here.
fn counted_spans(st: &glass_codecs::StageTimes) -> [(Option<u32>, Option<Instant>); 3] {
    [
        (span(st.captured, st.damage_done), st.damage_done),
        (span(st.damage_done, st.converted), st.converted),
        (span(st.converted, st.encoded), st.encoded),
    ]
}

/// Runs one benchmark and returns what it measured.
pub fn run(config: &BenchConfig) -> Result<BenchReport, BenchError> {
    config.validate()?;
    let synthetic = SyntheticConfig {
        scene: config.scene,
        width: config.width,
        height: config.height,
        fps: config.fps,
    };
    let epoch = Instant::now();
    let epoch_wall = std::time::SystemTime::now();
    // The idle scene measures what an unchanging screen costs: no probe (it would change
    // the screen every frame), so no latency samples, only CPU and bytes.
    let idle = config.scene == Scene::Static;
    let probe = Probe::default_for(config.width, config.height)
        .ok_or_else(|| BenchError::Config("frame too small for the probe".into()))?;
    let impairment = (config.loss > 0.0 || !config.delay.is_zero()).then_some(Impairment {
        loss: config.loss,
        delay: config.delay,
    });
    let share_config = |source| ShareConfig {
        source,
        pipeline: PipelineConfig {
            max_fps: config.fps,
            content: config.content,
            ..ShareConfig::pipeline_defaults()
        },
        listen: "127.0.0.1:0".parse().expect("literal address"),
        transport: TransportConfig {
            bind: vec![std::net::Ipv4Addr::LOCALHOST.into()],
            impairment,
            turn: config.relay.iter().cloned().collect(),
            relay_only: config.relay.is_some(),
            codecs: config.codecs,
            ..TransportConfig::default()
        },
        cursor: config.cursor,
        ..ShareConfig::default()
    };
    // Kept open (drawing) until the share has stopped.
    let mut _window = None;
    let share = match &config.source {
        BenchSource::Synthetic => {
            let mut source = SyntheticCapturer::new(synthetic.clone())
                .map_err(|e| BenchError::Config(e.to_string()))?;
            if !idle {
                source = source.with_probe(epoch);
            }
            Share::start_with_capturer(
                share_config(SourceSpec::Synthetic(synthetic)),
                Box::new(source),
            )
            .map_err(BenchError::Share)?
        }
        BenchSource::X11 { display } => {
            _window = Some(open_scene_window(display.clone(), synthetic, epoch, idle)?);
            Share::start(share_config(SourceSpec::X11 {
                display: display.clone(),
                monitor: None,
            }))
            .map_err(BenchError::Share)?
        }
    };

    let mut report = BenchReport {
        title: config.title(),
        fps_cap: config.fps,
        ..BenchReport::default()
    };
    let mut meter = Meter::default();
    match config.viewer {
        ViewerKind::Native => native(config, &share, epoch, probe, &mut meter, &mut report)?,
        ViewerKind::Chromium => chromium(
            config,
            &share,
            (epoch, epoch_wall),
            probe,
            &mut meter,
            &mut report,
        )?,
    }
    meter.finish(&share, &mut report);
    report.stage_counters = meter.counter_figures();
    let _ = share.stop();
    if report.samples.is_empty() && !idle {
        return Err(BenchError::NoSamples(format!(
            "{} frames received, {} with an unreadable probe",
            report.frames_received, report.probe_unreadable
        )));
    }
    guard::stamps_agree_with_counters(&report.stage_counters)?;
    Ok(report)
}

/// Opens the window that shows the scene (and the probe, unless idle) on an X display.
#[cfg(target_os = "linux")]
fn open_scene_window(
    display: Option<String>,
    scene: SyntheticConfig,
    epoch: Instant,
    idle: bool,
) -> Result<glass_engine::capture::x11::SceneWindow, BenchError> {
    use glass_engine::capture::x11::{SceneWindow, SceneWindowConfig};
    SceneWindow::open(SceneWindowConfig {
        display,
        scene,
        probe_epoch: (!idle).then_some(epoch),
    })
    .map_err(BenchError::Source)
}

#[cfg(not(target_os = "linux"))]
fn open_scene_window(
    _display: Option<String>,
    _scene: SyntheticConfig,
    _epoch: Instant,
    _idle: bool,
) -> Result<(), BenchError> {
    Err(BenchError::Config(
        "the x11 source needs Linux (an X display with MIT-SHM)".into(),
    ))
}

/// Sharer counters and CPU at the start of the measurement.
#[derive(Default)]
struct Meter {
    from: Option<Instant>,
    sharer_cpu: Option<Duration>,
    receiver_cpu: Option<Duration>,
    decode_cpu: Duration,
    stats: Option<glass_agent::share::ShareStats>,
    /// The end of the measurement window and the counters then (the stamps-against-counters
    /// check compares the frames whose stages ended between `from` and `to`).
    to: Option<Instant>,
    stats_end: Option<glass_agent::share::ShareStats>,
    /// Mean µs and frames of the stamped damage, convert and encode stages in that window.
    stamped: Option<[(f64, u64); 3]>,
    /// The viewer's CPU is measured (native receiver in this process).
    viewer_in_process: bool,
    /// The external viewer's process (Node.js, the root of Chromium's processes) and the
    /// tree's CPU time at the start.
    viewer_tree: Option<(u32, Duration)>,
    /// Its CPU time over the measurement (taken when it reports the end, before it exits).
    viewer_tree_cpu: Option<Duration>,
}

impl Meter {
    fn start(&mut self, share: &Share, viewer_in_process: bool) {
        self.from = Some(Instant::now());
        // The sharer's threads are all named glass-*; the native viewer is the str0m receive
        // thread ("test-viewer") plus this one, which decodes and reads the probe.
        self.sharer_cpu = crate::cpu::threads_cpu_time("glass-");
        self.receiver_cpu = crate::cpu::threads_cpu_time("test-viewer");
        self.decode_cpu = crate::cpu::thread_cpu_time();
        self.stats = share.stats();
        self.viewer_in_process = viewer_in_process;
    }

    /// The measurement window ends: the counters for the stamps-against-counters check.
    fn stop(&mut self, share: &Share) {
        if self.from.is_some() && self.to.is_none() {
            self.stats_end = share.stats();
            self.to = Some(Instant::now());
        }
    }

    /// The stamped stages against the pipeline's counters over the window (empty when the
    /// window or the counters are missing).
    fn counter_figures(&self) -> Vec<guard::CounterFigure> {
        let (Some(s0), Some(s1), Some(stamped)) = (&self.stats, &self.stats_end, self.stamped)
        else {
            return Vec::new();
        };
        let counted = guard::counter_means(&s0.pipeline, &s1.pipeline);
        guard::COUNTED_STAGES
            .iter()
            .zip(stamped.into_iter().zip(counted))
            .map(
                |(stage, ((stamped_us, stamped_n), (counted_us, counted_n)))| {
                    guard::CounterFigure {
                        stage,
                        stamped_us,
                        stamped_n,
                        counted_us,
                        counted_n,
                    }
                },
            )
            .collect()
    }

    fn finish(&self, share: &Share, report: &mut BenchReport) {
        let Some(from) = self.from else {
            return;
        };
        report.seconds = from.elapsed().as_secs_f64();
        if let Some(cpu) = self.viewer_tree_cpu {
            report.viewer_cpu_s = Some(cpu.as_secs_f64());
        }
        if self.viewer_in_process {
            let decode = crate::cpu::thread_cpu_time().saturating_sub(self.decode_cpu);
            let rx = crate::cpu::threads_cpu_time("test-viewer")
                .zip(self.receiver_cpu)
                .map(|(a, b)| a.saturating_sub(b));
            report.viewer_cpu_s = rx.map(|rx| (rx + decode).as_secs_f64());
        }
        report.sharer_cpu_s = crate::cpu::threads_cpu_time("glass-")
            .zip(self.sharer_cpu)
            .map_or(0.0, |(a, b)| a.saturating_sub(b).as_secs_f64());
        if let (Some(s), Some(s0)) = (share.stats(), &self.stats) {
            let (p, p0, t, t0) = (&s.pipeline, &s0.pipeline, &s.transport, &s0.transport);
            report.frames_encoded = p.encoded.saturating_sub(p0.encoded);
            report.frames_dropped = p.dropped_stale.saturating_sub(p0.dropped_stale)
                + t.frames_dropped_congestion
                    .saturating_sub(t0.frames_dropped_congestion)
                + t.frames_dropped_no_keyframe
                    .saturating_sub(t0.frames_dropped_no_keyframe);
            report.bytes_sent = t.bytes_sent.saturating_sub(t0.bytes_sent);
            report.mode_switches = p.mode_switches.saturating_sub(p0.mode_switches);
            report.encoder = match (&p.encoder, p.mode) {
                (Some(caps), Some(m)) => format!(
                    "{} {} {}",
                    caps.codec,
                    caps.backend,
                    glass_engine::pipeline::mode_name(&m)
                ),
                (Some(caps), None) => format!("{} {}", caps.codec, caps.backend),
                _ => String::new(),
            };
        }
    }
}

/// Records kept before old ones are dropped (an hour at 240 fps).
const MAX_RECORDS: usize = 1 << 20;

/// What the receiver saw of one frame; matched to the sharer's records at the end.
struct Seen {
    drawn: Instant,
    last_packet: Option<Instant>,
    complete: Option<Instant>,
    shown: Instant,
    /// The decoder's own time for this frame (native viewer), measured around the call.
    decoder: Option<Duration>,
}

/// The sharer's records of recent frames, by capture time.
///
/// The frame that first carried a code drawn at `t` is the first one captured at or after
/// `t`: for the synthetic source the capture is the drawing (the code is `t` rounded down to
/// the probe's 100 µs tick); for X11 the capture that follows the window's (synchronous)
/// drawing. A grab already in flight while the window draws could be matched instead of the
/// next one; capture is DAMAGE-driven, so that is rare.
#[derive(Default)]
struct Records {
    map: BTreeMap<Instant, FrameRecord>,
    /// When each frame's last packet left the pacer, by capture time.
    left: HashMap<Instant, Instant>,
}

impl Records {
    fn take_new(&mut self, share: &Share) {
        for r in share.frames().try_iter() {
            self.map.insert(r.capture_time, r);
        }
        for d in share.departures().try_iter() {
            self.left.insert(d.capture_time, d.left);
        }
        if self.left.len() > MAX_RECORDS
            && let Some(cutoff) = Instant::now().checked_sub(Duration::from_secs(60))
        {
            self.left.retain(|&k, _| k >= cutoff);
        }
        // Samples are matched at the end of the run (a record or departure may reach us a
        // moment after its frame did), so records are kept; a bound for very long runs.
        if self.map.len() > MAX_RECORDS
            && let Some(cutoff) = Instant::now().checked_sub(Duration::from_secs(60))
        {
            self.map = self.map.split_off(&cutoff);
        }
    }

    /// The record of the first frame captured at or after `drawn`; older ones are dropped
    /// (frames reach the receiver in order).
    fn take(&mut self, drawn: Instant) -> Option<FrameRecord> {
        let key = *self.map.range(drawn..).next()?.0;
        self.map = self.map.split_off(&key);
        self.map.remove(&key)
    }

    /// Mean µs and frames of the stamped damage, convert and encode stages of the frames
    /// whose stage ended in `(from, to]`: the frames the pipeline's counters saw between two
    /// snapshots (each counter is added as the stage's end is stamped). Every frame sent is
    /// here, not only those the viewer read, so the populations match but for frames
    /// processed and never sent (stale, unchanged).
    fn stamped_means(&self, from: Instant, to: Instant) -> [(f64, u64); 3] {
        let mut sums = [(0u64, 0u64); 3];
        for r in self.map.values() {
            for (sum, (stage, end)) in sums.iter_mut().zip(counted_spans(&r.stages)) {
                if let (Some(us), Some(end)) = (stage, end)
                    && end > from
                    && end <= to
                {
                    sum.0 += u64::from(us);
                    sum.1 += 1;
                }
            }
        }
        sums.map(|(sum, n)| (sum as f64 / n.max(1) as f64, n))
    }

    /// Waits a moment for the last records and departures, then turns what the receiver saw
    /// (in order) into samples; notes the stamped stages of the meter's window first.
    fn finish(
        &mut self,
        share: &Share,
        seen: Vec<Seen>,
        meter: &mut Meter,
        report: &mut BenchReport,
    ) {
        let Some(from) = meter.from else {
            return;
        };
        std::thread::sleep(Duration::from_millis(100));
        self.take_new(share);
        if let Some(to) = meter.to {
            meter.stamped = Some(self.stamped_means(from, to));
        }
        report
            .samples
            .extend(seen.into_iter().map(|s| self.sample(s, from)));
    }

    /// The sample for a frame drawn at `drawn` whose last packet arrived at `last_packet`,
    /// complete at the receiver at `complete` (when known) and decoded (or presented) at
    /// `shown`.
    fn sample(
        &mut self,
        Seen {
            drawn,
            last_packet,
            complete,
            shown,
            decoder,
        }: Seen,
        from: Instant,
    ) -> Sample {
        let rec = self.take(drawn);
        let (st, sent, left) = match &rec {
            Some(r) => (r.stages, Some(r.sent), self.left.remove(&r.capture_time)),
            None => (Default::default(), None, None),
        };
        let [damage, convert, encode] = counted_spans(&st).map(|(us, _)| us);
        Sample {
            drawn_us: drawn.saturating_duration_since(from).as_micros() as u64,
            stages: [
                span(Some(drawn), st.captured.or(Some(drawn))),
                damage,
                convert,
                encode,
                span(st.encoded, sent),
                span(sent, left),
                span(left, last_packet),
                span(last_packet, complete),
                span(complete.or(last_packet), Some(shown)),
            ],
            total_us: us(shown.saturating_duration_since(drawn)),
            decoder_us: decoder.map(us),
        }
    }
}

/// The native receiver: str0m over loopback UDP and openh264, in this process.
fn native(
    config: &BenchConfig,
    share: &Share,
    epoch: Instant,
    probe: Probe,
    meter: &mut Meter,
    report: &mut BenchReport,
) -> Result<(), BenchError> {
    // Offers both codecs, as browsers do: the sharer's `--codec` decides.
    let pending = PendingViewer::with(glass_transport::testing::ViewerOptions {
        codecs: Some(glass_transport::CodecSet::ALL),
        ..Default::default()
    })
    .map_err(|e| BenchError::Viewer(e.to_string()))?;
    let answer = whep_post(share.local_addr(), pending.offer_sdp())?;
    let viewer = pending
        .start(&answer)
        .map_err(|e| BenchError::Viewer(e.to_string()))?;
    let mut decoder = open_decoder().map_err(|e| BenchError::Viewer(e.to_string()))?;
    let mut decoder_codec = glass_transport::VideoCodec::H264;
    let mut records = Records::default();
    let mut seen = Vec::new();
    let warm_end = Instant::now() + Duration::from_secs_f64(config.warmup);
    let mut end = None;
    loop {
        let now = Instant::now();
        if end.is_none() && now >= warm_end {
            meter.start(share, true);
            end = Some(now + Duration::from_secs_f64(config.seconds));
        }
        if end.is_some_and(|e| now >= e) {
            meter.stop(share);
            break;
        }
        records.take_new(share);
        let event = match viewer.events().recv_timeout(Duration::from_millis(50)) {
            Ok(e) => e,
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => continue,
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                return Err(BenchError::Viewer("viewer thread ended".into()));
            }
        };
        let (data, at, last_packet) = match event {
            ViewerEvent::Frame {
                codec,
                data,
                at,
                last_packet,
                ..
            } => {
                if codec != decoder_codec {
                    decoder = open_decoder_for(glass_agent::share::encoder_codec(codec))
                        .map_err(|e| BenchError::Viewer(e.to_string()))?;
                    decoder_codec = codec;
                }
                (data, at, last_packet)
            }
            ViewerEvent::Closed => return Err(BenchError::Viewer("session closed".into())),
            _ => continue,
        };
        // The decoder's own time, apart from the stage stamp that follows.
        let decode_started = Instant::now();
        let picture = decoder.decode(&data);
        let decoder_time = decode_started.elapsed();
        let decoded_at = Instant::now();
        if meter.from.is_none() {
            continue;
        }
        report.frames_received += 1;
        let code = match picture {
            Ok(Some(pic)) => probe.read_frame(&pic),
            _ => None,
        };
        let Some(code) = code else {
            report.probe_unreadable += 1;
            continue;
        };
        let drawn = epoch + code.elapsed_near(decoded_at - epoch);
        seen.push(Seen {
            drawn,
            last_packet,
            complete: Some(at),
            shown: decoded_at,
            decoder: Some(decoder_time),
        });
    }
    viewer.close();
    records.finish(share, seen, meter, report);
    Ok(())
}

/// Most the page's clock may move against the system's during one run: past it, no one
/// correction fits every frame.
const MAX_SKEW_DRIFT_MS: f64 = 1.0;

/// Takes the Chromium page's clock skew (page minus system, ms, measured at the start and
/// the end of the measurement) out of every frame's Chromium timestamps, so "shown" is on
/// the system's clock like "drawn". Refuses a run whose skew moved more than
/// [`MAX_SKEW_DRIFT_MS`]; `None` skews (an older page) change nothing. Returns the skew
/// taken out.
fn correct_clock_skew(
    seen: &mut [Seen],
    start_ms: Option<f64>,
    end_ms: Option<f64>,
) -> Result<Option<f64>, BenchError> {
    let skew = match (start_ms, end_ms) {
        (Some(a), Some(b)) if (a - b).abs() > MAX_SKEW_DRIFT_MS || !(a + b).is_finite() => {
            return Err(BenchError::Viewer(format!(
                "Chromium's clock moved {:.2} ms against the system's during the run \
                 ({a:.2} ms at the start, {b:.2} ms at the end; at most {MAX_SKEW_DRIFT_MS} ms \
                 can be corrected)",
                (a - b).abs()
            )));
        }
        (Some(a), Some(b)) => (a + b) / 2.0,
        (Some(one), None) | (None, Some(one)) if one.is_finite() => one,
        _ => return Ok(None),
    };
    let shift = Duration::from_secs_f64(skew.abs() / 1000.0);
    let fix = |t: Instant| {
        if skew > 0.0 {
            t.checked_sub(shift).unwrap_or(t)
        } else {
            t + shift
        }
    };
    for s in seen.iter_mut() {
        s.shown = fix(s.shown);
        s.last_packet = s.last_packet.map(fix);
    }
    Ok(Some(skew))
}

/// The Chromium receiver: `tests/browser/bench-viewer.mjs` opens the viewer page in headless
/// Chromium and reports, per presented frame, the probe's code and when the frame arrived and
/// was presented (wallclock µs; the same clock as `epoch_wall`).
fn chromium(
    config: &BenchConfig,
    share: &Share,
    (epoch, epoch_wall): (Instant, std::time::SystemTime),
    probe: Probe,
    meter: &mut Meter,
    report: &mut BenchReport,
) -> Result<(), BenchError> {
    use std::io::BufRead;
    #[cfg(unix)]
    use std::os::unix::process::CommandExt;

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/browser");
    let script = dir.join("bench-viewer.mjs");
    if !script.exists() || !dir.join("node_modules/playwright-core").exists() {
        return Err(BenchError::Viewer(format!(
            "the Chromium viewer needs {} and its npm packages: run scripts/setup.sh",
            script.display()
        )));
    }
    let epoch_wall_us = epoch_wall
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64);
    let params = serde_json::json!({
        "epochWallUs": epoch_wall_us,
        "seconds": config.seconds,
        "warmup": config.warmup,
        "probe": {"x": probe.x, "y": probe.y, "block": probe.block},
        // The captured picture (an X11 screen may be larger than the scene).
        "width": share.source().display.width,
        "height": share.source().display.height,
    });
    let mut cmd = std::process::Command::new("node");
    cmd.arg(&script)
        .arg(format!("http://{}/", share.local_addr()))
        .arg(params.to_string())
        .current_dir(&dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit());
    // Its own process group: a Ctrl-C at the terminal reaches `glass` (which then ends the
    // run), not the driver. Chromium exits when the driver does (playwright's pipe closes).
    #[cfg(unix)]
    cmd.process_group(0);
    let mut child = cmd
        .spawn()
        .map_err(|e| BenchError::Viewer(format!("cannot run node: {e} (run scripts/setup.sh)")))?;
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, lines) = crossbeam_channel::unbounded::<serde_json::Value>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Ok(v) = serde_json::from_str(&line)
                && tx.send(v).is_err()
            {
                break;
            }
        }
    });
    let kill = |child: &mut std::process::Child| {
        let _ = child.kill();
        let _ = child.wait();
    };
    let mut records = Records::default();
    let mut seen = Vec::new();
    let wall = |us: u64| -> Instant {
        let d = us as i128 - epoch_wall_us as i128;
        if d >= 0 {
            epoch + Duration::from_micros(d as u64)
        } else {
            epoch
                .checked_sub(Duration::from_micros(d.unsigned_abs() as u64))
                .unwrap_or(epoch)
        }
    };
    let deadline = Instant::now()
        + Duration::from_secs(60)
        + Duration::from_secs_f64(config.warmup + config.seconds);
    loop {
        records.take_new(share);
        let line = match lines.recv_timeout(Duration::from_millis(100)) {
            Ok(l) => l,
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                if Instant::now() > deadline {
                    kill(&mut child);
                    return Err(BenchError::Viewer("the Chromium viewer timed out".into()));
                }
                continue;
            }
            Err(_) => {
                kill(&mut child);
                return Err(BenchError::Viewer("the Chromium viewer ended early".into()));
            }
        };
        if let Some(e) = line.get("error") {
            kill(&mut child);
            return Err(BenchError::Viewer(format!("Chromium: {e}")));
        }
        if line.get("ready").is_some() {
            if line["ready"] != true {
                kill(&mut child);
                return Err(BenchError::Viewer(format!("Chromium not ready: {line}")));
            }
            // The script measures after its own warm-up; so does the meter.
            let warm = Duration::from_secs_f64(config.warmup);
            let end = Instant::now() + warm;
            while Instant::now() < end {
                records.take_new(share);
                std::thread::sleep(Duration::from_millis(20));
            }
            meter.start(share, false);
            meter.viewer_tree =
                crate::cpu::process_tree_cpu_time(child.id()).map(|t0| (child.id(), t0));
            continue;
        }
        if let Some(f) = line.get("frame") {
            if meter.from.is_none() {
                continue;
            }
            report.frames_received += 1;
            if f.get("unreadable").is_some() {
                report.probe_unreadable += 1;
                continue;
            }
            let (Some(code), Some(presented)) = (f["code"].as_u64(), f["presentedWallUs"].as_u64())
            else {
                report.probe_unreadable += 1;
                continue;
            };
            let code = Timecode(code as u32);
            let shown = wall(presented);
            let arrived = f["receiveWallUs"].as_u64().map(wall);
            // A frame cannot be presented before its last packet arrived: if one is, a stamp
            // is in the wrong place (or on another clock) and no figure of this run holds.
            if let Some(received) = f["receiveWallUs"].as_u64()
                && presented < received
            {
                kill(&mut child);
                return Err(BenchError::Viewer(format!(
                    "Chromium presented a frame {} µs before it was received: the page's \
                     timestamps are not consistent",
                    received - presented
                )));
            }
            let drawn = epoch + code.elapsed_near(shown.saturating_duration_since(epoch));
            seen.push(Seen {
                drawn,
                last_packet: arrived,
                complete: None,
                shown,
                decoder: None,
            });
            continue;
        }
        if line.get("done").is_some() {
            meter.stop(share);
            let skew = |k: &str| line.get(k).and_then(serde_json::Value::as_f64);
            report.viewer_clock_skew_ms =
                correct_clock_skew(&mut seen, skew("clockSkewStartMs"), skew("clockSkewMs"))
                    .inspect_err(|_| kill(&mut child))?;
            // Node and every Chromium process it started.
            meter.viewer_tree_cpu = meter.viewer_tree.and_then(|(root, t0)| {
                crate::cpu::process_tree_cpu_time(root).map(|t| t.saturating_sub(t0))
            });
            break;
        }
    }
    let _ = child.wait();
    records.finish(share, seen, meter, report);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen_at(base: Instant, shown_ms: u64) -> Seen {
        Seen {
            drawn: base,
            last_packet: Some(base + Duration::from_millis(shown_ms - 1)),
            complete: None,
            shown: base + Duration::from_millis(shown_ms),
            decoder: None,
        }
    }

    #[test]
    fn the_stamped_stages_are_taken_over_the_counters_window() {
        let t = Instant::now();
        let ms = |m: u64| t + Duration::from_millis(m);
        let us = |u: u64| t + Duration::from_micros(u);
        let record = |at_ms: u64, damage_us: u64, convert_us: u64, encode_us: u64| {
            let captured = ms(at_ms);
            let damage_done = captured + Duration::from_micros(damage_us);
            let converted = damage_done + Duration::from_micros(convert_us);
            let encoded = converted + Duration::from_micros(encode_us);
            FrameRecord {
                frame_id: at_ms,
                capture_time: captured,
                stages: glass_codecs::StageTimes {
                    captured: Some(captured),
                    damage_done: Some(damage_done),
                    converted: Some(converted),
                    encoded: Some(encoded),
                },
                sent: encoded,
                bytes: 100,
                keyframe: false,
            }
        };
        let mut records = Records::default();
        for r in [
            record(0, 50, 20, 2000),  // before the window
            record(33, 60, 30, 3000), // in it
            record(66, 80, 10, 1000), // in it
            // Its encode ends after the window: counted for damage and convert only.
            record(99, 70, 20, 5000),
        ] {
            records.map.insert(r.capture_time, r);
        }
        let [damage, convert, encode] = records.stamped_means(ms(10), us(103_000));
        assert_eq!(damage, (70.0, 3));
        assert_eq!(convert, (20.0, 3));
        assert_eq!(encode, (2000.0, 2));
        // "converted" stamped at "damage done": the convert stage is 0 for every frame.
        for r in records.map.values_mut() {
            r.stages.converted = r.stages.damage_done;
        }
        let [_, convert, _] = records.stamped_means(ms(10), us(103_000));
        assert_eq!(convert, (0.0, 3));
    }

    #[test]
    fn the_pages_clock_skew_is_taken_out_or_the_run_refused() {
        let base = Instant::now();
        // The page's clock 0.7 ms ahead at the start, 0.9 ms at the end: 0.8 ms comes off.
        let mut seen = vec![seen_at(base, 20), seen_at(base, 30)];
        let skew = correct_clock_skew(&mut seen, Some(0.7), Some(0.9)).unwrap();
        assert!((skew.unwrap() - 0.8).abs() < 1e-9);
        assert_eq!(seen[0].shown - base, Duration::from_micros(19_200));
        assert_eq!(
            seen[1].last_packet.unwrap() - base,
            Duration::from_micros(28_200)
        );
        // Behind: added.
        let mut seen = vec![seen_at(base, 20)];
        correct_clock_skew(&mut seen, Some(-2.0), Some(-2.5)).unwrap();
        assert_eq!(seen[0].shown - base, Duration::from_micros(22_250));
        // Moved more than 1 ms during the run: no single correction fits; refused, naming it.
        let mut seen = vec![seen_at(base, 20)];
        let e = correct_clock_skew(&mut seen, Some(0.2), Some(1.5)).unwrap_err();
        assert!(e.to_string().contains("moved 1.30 ms"), "{e}");
        assert_eq!(seen[0].shown - base, Duration::from_millis(20), "untouched");
        // An older page reports nothing: nothing changes.
        assert_eq!(correct_clock_skew(&mut seen, None, None).unwrap(), None);
        assert!(correct_clock_skew(&mut seen, Some(f64::NAN), Some(0.0)).is_err());
        assert_eq!(seen[0].shown - base, Duration::from_millis(20));
    }
}
