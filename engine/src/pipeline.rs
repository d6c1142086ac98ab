//! The media pipeline: capture → damage + conversion → encode, on three threads joined by
//! one-slot "latest wins" channels.
//!
//! ```text
//!  capture thread          process thread                    encode thread
//!  Capturer::capture ──▶ [slot] ──▶ DamageDetector + Converter ──▶ [slot] ──▶ Encoder ──▶ packets
//!  (waits for change,            (skips unchanged frames,          (keyframes on request,
//!   fps cap)                      converts dirty rects only)        refresh on idle)
//! ```
//!
//! A slot holds one item; a newer item replaces an unconsumed older one, which is counted as
//! dropped. A capture frame replaced this way passes its damage hints on to the newer one, so
//! nothing that changed is lost. The output channel is bounded too: a consumer that falls
//! behind loses packets (counted) and the encoder restarts with a keyframe, never a growing
//! queue.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TryRecvError, TrySendError, bounded};
pub use glass_codecs::Codec;
use glass_codecs::mode::{Calibration, ModeCost, ModePolicy, ModePolicyConfig, calibrate};
use glass_codecs::{
    ContentHint, ContentPolicy, DamageList, Encoder, EncoderCaps, EncoderConfig, EncoderPreference,
    FrameParams, FramePool, Packet, PixelFormat, StageTimes, VideoFrame, open_encoder,
};

use crate::capture::Capturer;
use crate::convert::Converter;
use crate::damage::DamageDetector;
use crate::error::Error;
use crate::history::DamageHistory;

/// Pipeline settings: plain data, validated by [`Pipeline::start`].
#[derive(Debug, Clone, PartialEq)]
pub struct PipelineConfig {
    /// Maximum frames per second (a cap, not a clock: frames follow screen changes).
    pub max_fps: u32,
    /// Target bitrate; `None` picks one from the frame size.
    pub bitrate_bps: Option<u32>,
    /// Hardware or software encoder.
    pub encoder: EncoderPreference,
    /// The codec to start with; [`Pipeline::set_codec`] changes it while running (a new
    /// encoder, starting with a keyframe).
    pub codec: Codec,
    /// Content tuning: adaptive (measured at start-up, switched as the link allows; see
    /// [`glass_codecs::mode`]) or fixed.
    pub content: ContentPolicy,
    /// Encoder threads (0: auto); adaptive tuning measures its own.
    pub encoder_threads: u32,
    /// Encoder slices per frame (0: one per thread); adaptive tuning measures its own.
    pub encoder_slices: u32,
    /// Send a keyframe at least this often, even when the screen is idle.
    pub refresh_interval: Option<Duration>,
    /// Encoded packets buffered for a slow consumer before packets are dropped.
    pub output_capacity: usize,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        Self {
            max_fps: 30,
            bitrate_bps: None,
            encoder: EncoderPreference::Auto,
            codec: Codec::H264,
            content: ContentPolicy::Adaptive,
            encoder_threads: 0,
            encoder_slices: 0,
            refresh_interval: Some(Duration::from_secs(10)),
            output_capacity: 16,
        }
    }
}

impl PipelineConfig {
    /// Checks every field.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |field, value: String, allowed| {
            Err(Error::InvalidConfig {
                field,
                value,
                allowed,
            })
        };
        if !(1..=240).contains(&self.max_fps) {
            return bad("max_fps", self.max_fps.to_string(), "1 to 240");
        }
        if self.output_capacity == 0 || self.output_capacity > 1024 {
            return bad(
                "output_capacity",
                self.output_capacity.to_string(),
                "1 to 1024",
            );
        }
        if self
            .refresh_interval
            .is_some_and(|d| d < Duration::from_millis(100))
        {
            return bad(
                "refresh_interval",
                format!("{:?}", self.refresh_interval),
                "at least 100 ms, or None",
            );
        }
        Ok(())
    }

    fn encoder_config(&self, width: u32, height: u32) -> EncoderConfig {
        let mut c = EncoderConfig::low_latency(width, height);
        c.codec = self.codec;
        if let Some(b) = self.bitrate_bps {
            c.bitrate_bps = b;
        }
        c.max_fps = self.max_fps as f32;
        c.preference = self.encoder;
        c.content = match self.content {
            ContentPolicy::Fixed(hint) => hint,
            ContentPolicy::Adaptive => ContentHint::Screen,
        };
        c.threads = self.encoder_threads;
        c.slices = self.encoder_slices;
        c.keyframe_interval = self.refresh_interval;
        c
    }
}

/// One encoded frame and where its time went.
#[derive(Debug, Clone)]
pub struct EncodedFrame {
    /// The packet (H.264 Annex-B or a VP8 frame, keyframe flag, frame id, capture time).
    pub packet: Packet,
    /// Stage timestamps: captured, damage done, converted, encoded.
    pub stages: StageTimes,
    /// Frame width.
    pub width: u32,
    /// Frame height.
    pub height: u32,
    /// Pixels that changed in this frame (area of its damage rectangles).
    pub changed_pixels: u64,
}

/// Counters of everything the pipeline did and dropped.
#[derive(Debug, Default)]
pub struct Stats {
    /// Frames the capturer returned.
    pub captured: AtomicU64,
    /// Frames with no changed pixel, neither converted nor encoded.
    pub skipped_unchanged: AtomicU64,
    /// Frames replaced in a slot by a newer one before being processed.
    pub dropped_stale: AtomicU64,
    /// Frames encoded.
    pub encoded: AtomicU64,
    /// Keyframes among them.
    pub keyframes: AtomicU64,
    /// Packets the consumer was too slow to take.
    pub dropped_output: AtomicU64,
    /// Encoded bytes handed to the consumer.
    pub bytes_out: AtomicU64,
    /// Encoders opened (more than one: resolution changes or recovery).
    pub encoders_opened: AtomicU64,
    /// Capture errors that were retried.
    pub capture_errors: AtomicU64,
    /// Frames the capture backend dropped itself (buffers busy, OS queue full).
    pub capture_dropped: AtomicU64,
    /// Frames the encoder backend dropped itself.
    pub encoder_dropped: AtomicU64,
    /// Frames handed to the encoder as native surfaces, without colour conversion.
    pub zero_copy_frames: AtomicU64,
    /// Sum of capture→encoded latency in microseconds (divide by `encoded`).
    pub latency_us_sum: AtomicU64,
    /// Worst capture→encoded latency in microseconds.
    pub latency_us_max: AtomicU64,
    /// Time spent detecting damage, microseconds.
    pub damage_us: AtomicU64,
    /// Time spent converting colour, microseconds.
    pub convert_us: AtomicU64,
    /// Time spent encoding, microseconds.
    pub encode_us: AtomicU64,
    /// Encoder mode switches made by the adaptive policy (each a new encoder and keyframe).
    pub mode_switches: AtomicU64,
    /// Codec changes ([`Pipeline::set_codec`]; each a new encoder and keyframe).
    pub codec_switches: AtomicU64,
    /// Captured frames the encode thread finished with (encoded, or dropped there).
    finished: AtomicU64,
    /// Times the encoder waited because the transport was backed up ([`Pipeline::set_gate`]).
    pub held: AtomicU64,
}

impl Stats {
    /// Whether every captured frame has been dealt with: skipped as unchanged, replaced by a
    /// newer one, or encoded. Then a capture now is encoded at once.
    fn idle(&self) -> bool {
        let l = |a: &AtomicU64| a.load(Ordering::Acquire);
        // Read the finishing counters before `captured`: a frame captured in between makes
        // the sum fall short, never look idle when it is not.
        let done = l(&self.finished) + l(&self.dropped_stale) + l(&self.skipped_unchanged);
        done >= l(&self.captured)
    }
}

/// A copy of [`Stats`] at one moment, plus the encoder in use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatsSnapshot {
    /// See [`Stats::captured`].
    pub captured: u64,
    /// See [`Stats::skipped_unchanged`].
    pub skipped_unchanged: u64,
    /// See [`Stats::dropped_stale`].
    pub dropped_stale: u64,
    /// See [`Stats::encoded`].
    pub encoded: u64,
    /// See [`Stats::keyframes`].
    pub keyframes: u64,
    /// See [`Stats::dropped_output`].
    pub dropped_output: u64,
    /// See [`Stats::bytes_out`].
    pub bytes_out: u64,
    /// See [`Stats::encoders_opened`].
    pub encoders_opened: u64,
    /// See [`Stats::capture_errors`].
    pub capture_errors: u64,
    /// See [`Stats::capture_dropped`].
    pub capture_dropped: u64,
    /// See [`Stats::encoder_dropped`].
    pub encoder_dropped: u64,
    /// See [`Stats::zero_copy_frames`].
    pub zero_copy_frames: u64,
    /// Mean capture→encoded latency, microseconds.
    pub latency_us_mean: u64,
    /// Worst capture→encoded latency, microseconds.
    pub latency_us_max: u64,
    /// Mean damage detection time per processed frame, microseconds.
    pub damage_us_mean: u64,
    /// Mean conversion time per converted frame, microseconds.
    pub convert_us_mean: u64,
    /// Mean encode time per encoded frame, microseconds.
    pub encode_us_mean: u64,
    /// The encoder backend, once one is open.
    pub encoder: Option<EncoderCaps>,
    /// The content tuning and thread count in use, once an encoder is open.
    pub mode: Option<ModeCost>,
    /// See [`Stats::mode_switches`].
    pub mode_switches: u64,
    /// See [`Stats::codec_switches`].
    pub codec_switches: u64,
    /// What the adaptive tuning measured at start-up (`None`: fixed tuning or hardware).
    pub calibration: Option<Calibration>,
    /// See [`Stats::held`].
    pub held: u64,
}

impl std::fmt::Display for StatsSnapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "captured {} (backend drops {}) · unchanged {} · stale {} · encoded {} ({} keyframes, encoder drops {}) · \
             output drops {} · {} bytes · \
             latency mean {:.1} ms max {:.1} ms (damage {:.2} ms, convert {:.2} ms, encode {:.2} ms) · encoder {}{}{} ({} mode switches, {} codec switches)",
            self.captured,
            self.capture_dropped,
            self.skipped_unchanged,
            self.dropped_stale,
            self.encoded,
            self.keyframes,
            self.encoder_dropped,
            self.dropped_output,
            self.bytes_out,
            self.latency_us_mean as f64 / 1000.0,
            self.latency_us_max as f64 / 1000.0,
            self.damage_us_mean as f64 / 1000.0,
            self.convert_us_mean as f64 / 1000.0,
            self.encode_us_mean as f64 / 1000.0,
            self.encoder.as_ref().map_or("none", |c| c.backend),
            self.encoder
                .as_ref()
                .map_or(String::new(), |c| format!(" {}", c.codec)),
            self.mode
                .map_or(String::new(), |m| format!(" {}", mode_name(&m))),
            self.mode_switches,
            self.codec_switches,
        )
    }
}

/// `screen` or `motion`, as the CLI and the stats spell them.
pub fn content_name(c: ContentHint) -> &'static str {
    match c {
        ContentHint::Screen => "screen",
        ContentHint::Motion => "motion",
    }
}

/// A tuning as the stats and `glass bench` show it: `motion ×1`, `screen ×2 medium`.
pub fn mode_name(m: &ModeCost) -> String {
    let effort = match m.complexity {
        glass_codecs::Complexity::Low => "",
        glass_codecs::Complexity::Medium => " medium",
    };
    format!("{} ×{}{effort}", content_name(m.content), m.threads)
}

/// A one-item channel where a newer item replaces an unconsumed older one.
struct LatestSender<T> {
    tx: Sender<T>,
    rx: Receiver<T>,
}

impl<T> LatestSender<T> {
    fn pair() -> (Self, Receiver<T>) {
        let (tx, rx) = bounded(1);
        (Self { tx, rx: rx.clone() }, rx)
    }

    /// Sends `item`, first taking out an unconsumed older item and merging it into the new one
    /// with `merge`. Returns how many items were replaced, or `Err` when the receiver is gone.
    fn send(&self, mut item: T, mut merge: impl FnMut(T, &mut T)) -> Result<u64, ()> {
        let mut replaced = 0;
        loop {
            match self.tx.try_send(item) {
                Ok(()) => return Ok(replaced),
                Err(TrySendError::Disconnected(_)) => return Err(()),
                Err(TrySendError::Full(back)) => {
                    item = back;
                    if let Ok(old) = self.rx.try_recv() {
                        merge(old, &mut item);
                        replaced += 1;
                    }
                }
            }
        }
    }
}

enum Control {
    Keyframe,
    Codec(Codec),
    Bitrate(u32),
    FrameRate(u32),
    Gate(Arc<AtomicBool>),
}

/// The longest the encoder waits on a backed-up transport before it encodes anyway.
const MAX_HOLD: Duration = Duration::from_secs(1);

struct Shared {
    stats: Stats,
    stop: AtomicBool,
    error: Mutex<Option<Error>>,
    encoder: Mutex<Option<EncoderCaps>>,
    /// The tuning of the open encoder, and what the adaptive policy measured.
    mode: Mutex<(Option<ModeCost>, Option<Calibration>)>,
    /// The open encoder takes native surfaces (VideoToolbox): skip conversion for them.
    native_input: AtomicBool,
    /// The current frame-rate cap (≤ the configured one; lowered on very low bandwidth).
    fps: AtomicU32,
    /// Paused by the sharer: nothing is captured (so nothing is converted or encoded).
    paused: AtomicBool,
}

impl Shared {
    fn fail(&self, e: Error) {
        tracing::error!(error = %e, "pipeline stopping");
        let mut slot = self.error.lock().unwrap_or_else(|p| p.into_inner());
        slot.get_or_insert(e);
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// A running pipeline. Dropping it stops the threads.
pub struct Pipeline {
    shared: Arc<Shared>,
    control: Sender<Control>,
    packets: Receiver<EncodedFrame>,
    threads: Vec<(&'static str, JoinHandle<()>)>,
    max_fps: u32,
}

impl Pipeline {
    /// Starts capturing from `capturer` and encoding.
    pub fn start(capturer: Box<dyn Capturer>, config: PipelineConfig) -> Result<Self, Error> {
        config.validate()?;
        let shared = Arc::new(Shared {
            stats: Stats::default(),
            stop: AtomicBool::new(false),
            error: Mutex::new(None),
            encoder: Mutex::new(None),
            mode: Mutex::new((None, None)),
            native_input: AtomicBool::new(false),
            fps: AtomicU32::new(config.max_fps),
            paused: AtomicBool::new(false),
        });
        let (raw_tx, raw_rx) = LatestSender::pair();
        let (yuv_tx, yuv_rx) = LatestSender::pair();
        let (out_tx, out_rx) = bounded(config.output_capacity);
        let (ctl_tx, ctl_rx) = bounded(64);
        let mut threads = Vec::new();
        let spawn = |name: &'static str, f: Box<dyn FnOnce() + Send>| {
            std::thread::Builder::new()
                .name(format!("glass-{name}"))
                .spawn(f)
                .map(|h| (name, h))
        };
        let s = shared.clone();
        threads.push(
            spawn(
                "capture",
                Box::new(move || capture_loop(capturer, raw_tx, &s)),
            )
            .map_err(|e| Error::Capture(crate::CaptureError::Backend(e.to_string())))?,
        );
        let s = shared.clone();
        threads.push(
            spawn(
                "process",
                Box::new(move || process_loop(raw_rx, yuv_tx, &s)),
            )
            .map_err(|e| Error::Capture(crate::CaptureError::Backend(e.to_string())))?,
        );
        let s = shared.clone();
        let cfg = config.clone();
        threads.push(
            spawn(
                "encode",
                Box::new(move || encode_loop(yuv_rx, ctl_rx, out_tx, &cfg, &s)),
            )
            .map_err(|e| Error::Capture(crate::CaptureError::Backend(e.to_string())))?,
        );
        Ok(Self {
            shared,
            control: ctl_tx,
            packets: out_rx,
            threads,
            max_fps: config.max_fps,
        })
    }

    /// Encoded frames, in order. Bounded: take them promptly.
    pub fn packets(&self) -> &Receiver<EncodedFrame> {
        &self.packets
    }

    /// Pauses or resumes capture. While paused the capturer is not called at all (no screen
    /// content is read); on resume the next frame is a keyframe.
    pub fn set_paused(&self, paused: bool) {
        if self.shared.paused.swap(paused, Ordering::SeqCst) && !paused {
            self.request_keyframe();
        }
    }

    /// Whether capture is paused.
    pub fn is_paused(&self) -> bool {
        self.shared.paused.load(Ordering::SeqCst)
    }

    /// Makes the next encoded frame a keyframe (a new viewer, a decoder that lost its place).
    pub fn request_keyframe(&self) {
        let _ = self.control.try_send(Control::Keyframe);
    }

    /// Encodes in `codec` from the next frame on: the encoder is replaced (the adaptive
    /// tuning, [`glass_codecs::mode`], is H.264's and pauses under another codec) and the
    /// first frame is a keyframe. The same codec again does nothing.
    pub fn set_codec(&self, codec: Codec) {
        let _ = self.control.try_send(Control::Codec(codec));
    }

    /// Changes the encoder's target bitrate (from bandwidth estimation).
    pub fn set_bitrate(&self, bps: u32) {
        let _ = self.control.try_send(Control::Bitrate(bps));
    }

    /// Backpressure from the transport: while `gate` is set (a viewer's pacer is backed up),
    /// the encoder waits with the newest frame, up to a second, and encodes it once the gate
    /// clears: a delta that covers everything since, where a frame dropped after encoding
    /// would cost every viewer a keyframe.
    pub fn set_gate(&self, gate: Arc<AtomicBool>) {
        let _ = self.control.try_send(Control::Gate(gate));
    }

    /// Changes the encoder's frame-rate cap hint (very low bandwidth).
    pub fn set_frame_rate(&self, fps: u32) {
        let fps = fps.clamp(1, self.max_fps);
        if self.shared.fps.swap(fps, Ordering::Relaxed) != fps {
            let _ = self.control.try_send(Control::FrameRate(fps));
        }
    }

    /// The current frame-rate cap.
    pub fn frame_rate(&self) -> u32 {
        self.shared.fps.load(Ordering::Relaxed)
    }

    /// The configured frame-rate cap (`PipelineConfig::max_fps`).
    pub fn max_frame_rate(&self) -> u32 {
        self.max_fps
    }

    /// Current counters.
    pub fn stats(&self) -> StatsSnapshot {
        let s = &self.shared.stats;
        let l = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let per = |sum: &AtomicU64, n: u64| l(sum).checked_div(n).unwrap_or(0);
        let encoded = l(&s.encoded);
        let processed = l(&s.captured).saturating_sub(l(&s.dropped_stale));
        let converted = processed.saturating_sub(l(&s.skipped_unchanged));
        let (mode, calibration) = *self.shared.mode.lock().unwrap_or_else(|p| p.into_inner());
        StatsSnapshot {
            captured: l(&s.captured),
            skipped_unchanged: l(&s.skipped_unchanged),
            dropped_stale: l(&s.dropped_stale),
            encoded,
            keyframes: l(&s.keyframes),
            dropped_output: l(&s.dropped_output),
            bytes_out: l(&s.bytes_out),
            encoders_opened: l(&s.encoders_opened),
            capture_errors: l(&s.capture_errors),
            capture_dropped: l(&s.capture_dropped),
            encoder_dropped: l(&s.encoder_dropped),
            zero_copy_frames: l(&s.zero_copy_frames),
            latency_us_mean: per(&s.latency_us_sum, encoded),
            latency_us_max: l(&s.latency_us_max),
            damage_us_mean: per(&s.damage_us, processed),
            convert_us_mean: per(&s.convert_us, converted),
            encode_us_mean: per(&s.encode_us, encoded),
            encoder: self
                .shared
                .encoder
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
            mode,
            mode_switches: l(&s.mode_switches),
            codec_switches: l(&s.codec_switches),
            calibration,
            held: l(&s.held),
        }
    }

    /// Whether a thread has stopped on an error (see [`Pipeline::stop`] for it).
    pub fn is_failed(&self) -> bool {
        self.shared
            .error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    /// Stops every thread and returns the final counters, or the error that stopped the
    /// pipeline early.
    pub fn stop(mut self) -> Result<StatsSnapshot, Error> {
        self.shutdown()?;
        let err = self
            .shared
            .error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        match err {
            Some(e) => Err(e),
            None => Ok(self.stats()),
        }
    }

    fn shutdown(&mut self) -> Result<(), Error> {
        self.shared.stop.store(true, Ordering::SeqCst);
        let mut panicked = None;
        for (name, h) in self.threads.drain(..) {
            // Unblock an encoder waiting on a full output channel.
            while !h.is_finished() {
                while self.packets.try_recv().is_ok() {}
                std::thread::sleep(Duration::from_millis(1));
            }
            if h.join().is_err() {
                panicked = Some(name);
            }
        }
        match panicked {
            Some(name) => Err(Error::ThreadPanicked(name)),
            None => Ok(()),
        }
    }
}

impl Drop for Pipeline {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

fn merge_hints(old: VideoFrame, new: &mut VideoFrame) {
    // The dropped frame's changes are part of what changed since the last processed frame.
    new.damage = match (old.damage, new.damage) {
        (Some(mut a), Some(b)) if old.width == new.width && old.height == new.height => {
            a.extend(&b);
            Some(a)
        }
        _ => None,
    };
}

/// The frame rate to use at a bandwidth estimate: screen content needs enough bits per frame
/// to keep text legible, so on a very thin link fewer, sharper frames beat many blurred ones.
/// Full rate from 600 kbit/s; 15 fps from 300; 10 from 150; 5 below.
pub fn frame_rate_for_bitrate(bps: u32, max_fps: u32) -> u32 {
    let fps = match bps {
        600_000.. => max_fps,
        300_000..600_000 => 15,
        150_000..300_000 => 10,
        _ => 5,
    };
    fps.clamp(1, max_fps.max(1))
}

fn capture_loop(mut capturer: Box<dyn Capturer>, out: LatestSender<VideoFrame>, s: &Shared) {
    let mut limiter = RateLimiter::new();
    let mut consecutive_errors = 0u32;
    while !s.stop.load(Ordering::Relaxed) {
        if s.paused.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(20));
            continue;
        }
        // The fps cap. A change reported while over it is captured the moment the limiter
        // allows, not at the next tick of a fixed clock.
        let fps = s.fps.load(Ordering::Relaxed).max(1);
        // Polled in short steps: the pipeline going idle mid-wait ends it. Meanwhile the
        // capturer watches for the change, so the limiter learns when it was ready.
        let mut ready = None;
        let mut watch = true;
        while let Some(wait) = limiter.wait(Instant::now(), s.stats.idle()) {
            let until = Instant::now() + wait.min(Duration::from_millis(2));
            if watch && ready.is_none() {
                match capturer.wait_change(until) {
                    Ok(r) => ready = r,
                    // `capture` reports the error; until then, plain sleeps.
                    Err(_) => watch = false,
                }
            } else if let Some(d) = until.checked_duration_since(Instant::now()) {
                std::thread::sleep(d);
            }
        }
        // Short deadlines keep the stop flag responsive; an idle capturer costs nothing here.
        let deadline = Instant::now() + Duration::from_millis(50);
        let result = capturer.capture(deadline);
        s.stats
            .capture_dropped
            .store(capturer.dropped_frames(), Ordering::Relaxed);
        match result {
            Ok(Some(mut frame)) => {
                consecutive_errors = 0;
                let now = Instant::now();
                limiter.take(now, ready, fps);
                frame.stages.captured.get_or_insert(now);
                s.stats.captured.fetch_add(1, Ordering::Release);
                match out.send(frame, merge_hints) {
                    Ok(n) => {
                        s.stats.dropped_stale.fetch_add(n, Ordering::Relaxed);
                    }
                    Err(()) => return,
                }
            }
            Ok(None) => {}
            Err(e) => {
                s.stats.capture_errors.fetch_add(1, Ordering::Relaxed);
                consecutive_errors += 1;
                tracing::warn!(error = %e, "capture failed");
                if consecutive_errors >= 5 {
                    s.fail(e.into());
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

/// The capture frame-rate cap: a schedule that advances one period per capture, as
/// libwebrtc's `FramerateController` does.
///
/// After a capture at `c` the next may start at `max(slot, c + gap)`, where `slot` is the
/// previous slot plus one period (or `c` itself when the source had been quiet for longer):
/// captures never outrun the cap on average (each takes a slot one period after the last),
/// and a source that changes at the cap's own rate is captured the moment it changes. `gap`
/// is half a period while frames are still in the pipeline (tolerance for a source's jitter)
/// and nothing when the pipeline is idle: a keystroke right after a cursor blink's capture
/// is captured and encoded at once instead of waiting up to half a period (16.7 ms at 30
/// fps), at the price of at most one frame early after each quiet spell.
///
/// **Phase.** A schedule that got ahead of such a source (two unrelated changes close
/// together at the start of a run are enough) would stay ahead for good: every change waits
/// the same part of a period for its slot (measured: a whole `glass bench` run at 11–17 ms
/// in the capture stage, about one run in five). So when a change waited for its slot, was
/// first seen at least half a period after the previous capture (it is not a continuous
/// source's next change) and a period (±5 %) after the previous change seen, the schedule
/// moves towards it, at most an eighth of a period per capture: a stuck phase is gone
/// within four frames, and no source is captured faster than 8/7 of the cap even if it
/// looks periodic on purpose. Continuous and faster sources never meet the conditions and
/// are held to the cap exactly.
///
/// The rule it replaces, "one period after the previous capture finished", drifts against
/// such a source: each capture comes a grab's duration later than the last, so the wait
/// slides through the whole period (measured on a 30 fps X11 window: capture stage p50
/// 18 ms, p95 33 ms; a token bucket instead only made the lag neutral, 10 ms at 30 fps and
/// 16 ms at 60 fps, not zero).
struct RateLimiter {
    next: Option<Schedule>,
}

#[derive(Clone, Copy)]
struct Schedule {
    /// The slot the last capture took.
    slot: Instant,
    /// The last capture.
    last: Instant,
    /// When the change it captured was first seen.
    ready: Instant,
    /// The period in force then.
    period: Duration,
}

impl RateLimiter {
    fn new() -> Self {
        Self { next: None }
    }

    /// How long to wait before a capture may start (`None`: at once), given whether the
    /// pipeline is idle.
    fn wait(&self, now: Instant, idle: bool) -> Option<Duration> {
        let n = self.next?;
        let gap = if idle { Duration::ZERO } else { n.period / 2 };
        n.slot
            .max(n.last + gap)
            .checked_duration_since(now)
            .filter(|d| !d.is_zero())
    }

    /// A frame was captured at `at`; the change in it was first seen at `ready` (`None`:
    /// not known, taken as `at`).
    fn take(&mut self, at: Instant, ready: Option<Instant>, fps: u32) {
        let period = Duration::from_secs(1) / fps.max(1);
        let ready = ready.map_or(at, |r| r.min(at));
        let slot = match self.next {
            None => at,
            Some(n) => {
                let earned = (n.slot + period).max(at);
                let waited = at.saturating_duration_since(ready);
                let quiet = ready.saturating_duration_since(n.last) >= period / 2;
                let periodic =
                    ready.saturating_duration_since(n.ready).abs_diff(period) <= period / 20;
                if !waited.is_zero() && quiet && periodic {
                    // Towards the source's phase, at most an eighth of a period.
                    earned
                        .checked_sub(waited.min(period / 8))
                        .unwrap_or(earned)
                        .max(n.slot)
                } else {
                    earned
                }
            }
        };
        self.next = Some(Schedule {
            slot,
            last: at,
            ready,
            period,
        });
    }
}

/// Damage + conversion state for one frame size.
struct Process {
    width: u32,
    height: u32,
    detector: DamageDetector,
    converter: Converter,
    pool: FramePool,
    history: DamageHistory,
    prev: Option<VideoFrame>,
}

impl Process {
    fn new(width: u32, height: u32) -> Self {
        Self {
            width,
            height,
            detector: DamageDetector::new(width, height),
            converter: Converter::new(),
            pool: FramePool::new(PixelFormat::I420, width, height, 6),
            history: DamageHistory::new(width, height),
            prev: None,
        }
    }

    /// Finds what changed, converts it, and returns the I420 frame (None when unchanged).
    fn handle_frame(
        &mut self,
        frame: &VideoFrame,
        s: &Shared,
    ) -> Result<Option<VideoFrame>, Error> {
        let t0 = Instant::now();
        let mut damage = DamageList::new();
        match &self.prev {
            Some(prev) => self
                .detector
                .detect(prev, frame, frame.damage.as_ref(), &mut damage),
            None => damage = DamageList::full(self.width, self.height),
        }
        let damage_done = Instant::now();
        s.stats
            .damage_us
            .fetch_add((damage_done - t0).as_micros() as u64, Ordering::Relaxed);
        self.prev = Some(frame.clone());
        if damage.is_empty() {
            s.stats.skipped_unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(None);
        }
        self.history.record(frame.id, &damage);
        if frame.storage.is_native_surface() && s.native_input.load(Ordering::Relaxed) {
            // The encoder converts on its own hardware from the OS surface: hand it over as
            // it is. The history above keeps the I420 buffers patchable should the encoder
            // change to one that needs them.
            s.stats.zero_copy_frames.fetch_add(1, Ordering::Relaxed);
            let mut out = frame.clone();
            out.damage = Some(damage);
            out.stages = StageTimes {
                damage_done: Some(damage_done),
                converted: Some(damage_done),
                ..frame.stages
            };
            return Ok(Some(out));
        }
        let (history, converter) = (&self.history, &mut self.converter);
        let (mut out, result) =
            self.pool
                .get_with(frame.id, frame.capture_time, |mut dst, last| {
                    // Bring the recycled buffer up to date: everything changed since it was written.
                    let todo = history.since(last);
                    converter.convert(frame, &mut dst, todo.as_slice())
                });
        result?;
        let converted = Instant::now();
        s.stats.convert_us.fetch_add(
            (converted - damage_done).as_micros() as u64,
            Ordering::Relaxed,
        );
        out.damage = Some(damage);
        out.stages = StageTimes {
            damage_done: Some(damage_done),
            converted: Some(converted),
            ..frame.stages
        };
        Ok(Some(out))
    }
}

fn process_loop(input: Receiver<VideoFrame>, out: LatestSender<VideoFrame>, s: &Shared) {
    let mut state: Option<Process> = None;
    while !s.stop.load(Ordering::Relaxed) {
        let frame = match input.recv_timeout(Duration::from_millis(50)) {
            Ok(f) => f,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if !frame.format.is_rgb() {
            s.fail(Error::Codec(glass_codecs::Error::InvalidInput(format!(
                "the CPU pipeline takes BGRA/BGRX frames, the capturer gave {:?}",
                frame.format
            ))));
            return;
        }
        if !frame.width.is_multiple_of(2) || !frame.height.is_multiple_of(2) {
            s.fail(Error::Codec(glass_codecs::Error::InvalidInput(format!(
                "odd frame size {}x{} (H.264 4:2:0 needs even sizes)",
                frame.width, frame.height
            ))));
            return;
        }
        let p = match &mut state {
            Some(p) if p.width == frame.width && p.height == frame.height => p,
            _ => {
                tracing::info!(width = frame.width, height = frame.height, "new frame size");
                state.insert(Process::new(frame.width, frame.height))
            }
        };
        match p.handle_frame(&frame, s) {
            Ok(Some(yuv)) => match out.send(yuv, |_, _| {}) {
                Ok(n) => {
                    s.stats.dropped_stale.fetch_add(n, Ordering::Relaxed);
                }
                Err(()) => return,
            },
            Ok(None) => {}
            Err(e) => {
                s.fail(e);
                return;
            }
        }
    }
}

/// Whether `preference` opens openh264 here (macOS prefers VideoToolbox and Windows a Media
/// Foundation MFT, which have no such tunings to measure).
fn runs_software(preference: EncoderPreference) -> bool {
    match preference {
        EncoderPreference::Software => true,
        EncoderPreference::Auto => !cfg!(any(target_os = "macos", windows)),
        EncoderPreference::Hardware => false,
    }
}

/// Measured encoder settings per frame size, shared by every pipeline of the process (a
/// calibration takes 0.2–0.4 s at 1080p; a second share or a new viewer should not pay again).
static CALIBRATIONS: Mutex<Vec<((u32, u32), Calibration)>> = Mutex::new(Vec::new());

/// The adaptive policy for a new encoder of `cfg`'s size, calibrated on `frame` (I420) the
/// first time this size is seen. `None` (fixed screen tuning) when calibration fails.
fn adaptive_policy(cfg: &EncoderConfig, frame: &VideoFrame) -> Option<ModePolicy> {
    let key = (cfg.width, cfg.height);
    let cached = CALIBRATIONS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, c)| *c);
    let calibration = match cached {
        Some(c) => c,
        None => {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            let t0 = Instant::now();
            let mut probe = cfg.clone();
            probe.preference = EncoderPreference::Software;
            match calibrate(&probe, frame, cores) {
                Ok(c) => {
                    tracing::info!(
                        width = cfg.width,
                        height = cfg.height,
                        ms = t0.elapsed().as_millis() as u64,
                        screen_us = c.screen.frame_us,
                        screen_threads = c.screen.threads,
                        motion_us = c.motion.frame_us,
                        motion_threads = c.motion.threads,
                        "encoder calibrated"
                    );
                    let mut all = CALIBRATIONS.lock().unwrap_or_else(|p| p.into_inner());
                    if all.len() >= 8 {
                        all.remove(0);
                    }
                    all.push((key, c));
                    c
                }
                Err(e) => {
                    tracing::warn!(error = %e, "encoder calibration failed; screen tuning fixed");
                    return None;
                }
            }
        }
    };
    Some(ModePolicy::new(
        ModePolicyConfig::default(),
        calibration,
        cfg.bitrate_bps,
        Instant::now(),
    ))
}

struct Encoding {
    encoder: Box<dyn Encoder>,
    width: u32,
    height: u32,
}

/// Whether an encoder error mid-stream means "hardware gone, use software"
/// ([`glass_codecs::Error::Unavailable`], as VideoToolbox returns after repeated failures) and
/// software is allowed. The reopened encoder's caps (backend, `hardware: false`) show in the
/// stats.
fn falls_back(err: &glass_codecs::Error, config: &PipelineConfig) -> bool {
    matches!(err, glass_codecs::Error::Unavailable { .. })
        && config.encoder != EncoderPreference::Hardware
}

fn encode_loop(
    input: Receiver<VideoFrame>,
    control: Receiver<Control>,
    out: Sender<EncodedFrame>,
    config: &PipelineConfig,
    s: &Shared,
) {
    let mut enc: Option<Encoding> = None;
    let mut last: Option<VideoFrame> = None;
    let mut last_keyframe = Instant::now();
    let mut want_keyframe = false;
    let mut bitrate = config.bitrate_bps;
    let mut fps = config.max_fps;
    let mut codec = config.codec;
    // Set when the hardware encoder failed mid-stream: reopen with software from then on.
    let mut software = false;
    // The adaptive tuning of the open encoder (None: fixed, or a hardware encoder).
    let mut policy: Option<ModePolicy> = None;
    // Backpressure: the transport's congestion flag, the frame waiting on it, and since when.
    let mut gate: Option<Arc<AtomicBool>> = None;
    let mut held: Option<VideoFrame> = None;
    let mut held_since: Option<Instant> = None;
    let start = Instant::now();
    while !s.stop.load(Ordering::Relaxed) {
        loop {
            match control.try_recv() {
                Ok(Control::Keyframe) => want_keyframe = true,
                Ok(Control::Codec(c)) => codec = c,
                Ok(Control::Bitrate(b)) => {
                    bitrate = Some(b);
                    if let Some(p) = &mut policy {
                        p.handle_target(b);
                    }
                    if let Some(e) = &mut enc
                        && let Err(err) = e.encoder.set_bitrate(b)
                    {
                        tracing::warn!(error = %err, bps = b, "bitrate change refused");
                    }
                }
                Ok(Control::Gate(g)) => gate = Some(g),
                Ok(Control::FrameRate(f)) => {
                    fps = f.clamp(1, 240);
                    if let Some(e) = &mut enc
                        && let Err(err) = e.encoder.set_frame_rate(fps as f32)
                    {
                        tracing::warn!(error = %err, fps, "frame-rate change refused");
                    }
                }
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        let mut from_capture = true;
        let wait = if held.is_some() {
            Duration::from_millis(2)
        } else {
            Duration::from_millis(50)
        };
        let frame = match input.recv_timeout(wait) {
            Ok(f) => {
                if held.take().is_some() {
                    // A newer picture replaces the one waiting: it holds every change.
                    s.stats.dropped_stale.fetch_add(1, Ordering::Release);
                }
                f
            }
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) if held.is_some() => held.take().expect("checked"),
            Err(RecvTimeoutError::Timeout) => {
                from_capture = false;
                // Idle screen: re-send the last picture as a keyframe now and then, or at
                // once when one was requested, so late or broken viewers recover.
                let refresh = config
                    .refresh_interval
                    .is_some_and(|i| last_keyframe.elapsed() >= i);
                match (&last, want_keyframe || refresh) {
                    (Some(f), true) => {
                        let mut f = f.clone();
                        f.damage = None;
                        f
                    }
                    _ => continue,
                }
            }
        };
        // Backpressure: wait with the newest frame while a viewer's pacer is backed up; after
        // MAX_HOLD one frame goes anyway (then the transport's own dropping takes over).
        let congested = gate.as_ref().is_some_and(|g| g.load(Ordering::Relaxed));
        if !congested {
            held_since = None;
        } else if enc.is_some() {
            let since = *held_since.get_or_insert_with(|| {
                s.stats.held.fetch_add(1, Ordering::Relaxed);
                Instant::now()
            });
            if since.elapsed() < MAX_HOLD {
                if from_capture {
                    held = Some(frame);
                }
                continue;
            }
            held_since = None;
        }
        let size_changed = enc
            .as_ref()
            .is_none_or(|e| (e.width, e.height) != (frame.width, frame.height));
        let codec_changed = enc
            .as_ref()
            .is_some_and(|e| e.encoder.caps().codec != codec);
        let mut cfg = config.encoder_config(frame.width, frame.height);
        cfg.codec = codec;
        if let Some(b) = bitrate {
            cfg.bitrate_bps = b;
        }
        cfg.max_fps = fps as f32;
        if software {
            cfg.preference = EncoderPreference::Software;
        }
        let mut reopen = size_changed || codec_changed;
        if size_changed || codec_changed {
            policy = None;
        }
        if codec_changed {
            tracing::info!(%codec, "encoder codec switch");
            s.stats.codec_switches.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(p) = &mut policy
            && !reopen
            && let Some(switch) = p.poll_switch(Instant::now())
        {
            tracing::info!(
                to = content_name(switch.to.content),
                threads = switch.to.threads,
                reason = ?switch.reason,
                "encoder mode switch"
            );
            s.stats.mode_switches.fetch_add(1, Ordering::Relaxed);
            reopen = true;
        }
        if reopen {
            if (size_changed || codec_changed)
                && codec == Codec::H264
                && config.content == ContentPolicy::Adaptive
                && runs_software(cfg.preference)
                && frame.format == PixelFormat::I420
            {
                policy = adaptive_policy(&cfg, &frame);
            }
            if let Some(p) = &policy {
                let m = p.current();
                (cfg.content, cfg.threads, cfg.slices, cfg.complexity) =
                    (m.content, m.threads, m.threads, m.complexity);
            }
            match open_encoder(&cfg) {
                Ok(e) => {
                    let caps = e.caps();
                    tracing::info!(
                        backend = caps.backend,
                        hardware = caps.hardware,
                        codec = %caps.codec,
                        width = frame.width,
                        height = frame.height,
                        "encoder opened"
                    );
                    s.native_input
                        .store(caps.zero_copy_input, Ordering::Relaxed);
                    if caps.hardware {
                        // Hardware has no such modes to choose between.
                        policy = None;
                    }
                    *s.mode.lock().unwrap_or_else(|p| p.into_inner()) = (
                        Some(policy.as_ref().map_or(
                            ModeCost {
                                content: cfg.content,
                                threads: cfg.threads,
                                complexity: cfg.complexity,
                                frame_us: 0,
                            },
                            ModePolicy::current,
                        )),
                        policy.as_ref().map(ModePolicy::calibration),
                    );
                    *s.encoder.lock().unwrap_or_else(|p| p.into_inner()) = Some(caps);
                    s.stats.encoders_opened.fetch_add(1, Ordering::Relaxed);
                    enc = Some(Encoding {
                        encoder: e,
                        width: frame.width,
                        height: frame.height,
                    });
                    want_keyframe = true;
                }
                Err(e) => {
                    s.fail(e.into());
                    return;
                }
            }
        }
        let Some(e) = &mut enc else { continue };
        if frame.format.is_rgb() && !e.encoder.caps().zero_copy_input {
            // A native frame that was in flight when the encoder changed to one that needs
            // I420: skip it; the next frames come converted and start with a keyframe.
            s.stats.dropped_stale.fetch_add(1, Ordering::Relaxed);
            want_keyframe = true;
            continue;
        }
        let mut params = FrameParams::new(
            frame.id,
            frame.capture_time,
            frame.capture_time.saturating_duration_since(start),
        );
        params.force_keyframe = std::mem::take(&mut want_keyframe)
            || config
                .refresh_interval
                .is_some_and(|i| last_keyframe.elapsed() >= i);
        let t0 = Instant::now();
        let sent = e.encoder.send_frame(&frame, params);
        s.stats
            .encoder_dropped
            .store(e.encoder.dropped_frames(), Ordering::Relaxed);
        if let Err(err) = sent {
            if falls_back(&err, config) {
                tracing::warn!(error = %err, "hardware encoder failed; reopening with software");
                (software, enc, want_keyframe) = (true, None, true);
                if from_capture {
                    s.stats.finished.fetch_add(1, Ordering::Release);
                }
                continue;
            }
            s.fail(err.into());
            return;
        }
        loop {
            let packet = match e.encoder.receive_packet() {
                Ok(Some(p)) => p,
                Ok(None) => break,
                Err(err) if falls_back(&err, config) => {
                    tracing::warn!(error = %err, "hardware encoder failed; reopening with software");
                    (software, want_keyframe) = (true, true);
                    break;
                }
                Err(err) => {
                    s.fail(err.into());
                    return;
                }
            };
            let now = Instant::now();
            s.stats
                .encode_us
                .fetch_add((now - t0).as_micros() as u64, Ordering::Relaxed);
            if packet.keyframe {
                last_keyframe = now;
                s.stats.keyframes.fetch_add(1, Ordering::Relaxed);
            }
            let latency = now
                .saturating_duration_since(packet.params.capture_time)
                .as_micros() as u64;
            s.stats.latency_us_sum.fetch_add(latency, Ordering::Relaxed);
            s.stats.latency_us_max.fetch_max(latency, Ordering::Relaxed);
            s.stats.encoded.fetch_add(1, Ordering::Relaxed);
            let len = packet.data.len() as u64;
            if let Some(p) = &mut policy {
                p.handle_frame(now, packet.data.len(), packet.keyframe);
            }
            let item = EncodedFrame {
                stages: StageTimes {
                    encoded: Some(now),
                    ..frame.stages
                },
                width: frame.width,
                height: frame.height,
                changed_pixels: frame
                    .damage
                    .as_ref()
                    .map_or(frame.width as u64 * frame.height as u64, |d| d.area()),
                packet,
            };
            match out.try_send(item) {
                Ok(()) => {
                    s.stats.bytes_out.fetch_add(len, Ordering::Relaxed);
                }
                Err(TrySendError::Full(_)) => {
                    // The consumer lost a packet, so its decoder lost its reference: restart
                    // the stream with a keyframe rather than queueing without bound.
                    s.stats.dropped_output.fetch_add(1, Ordering::Relaxed);
                    want_keyframe = true;
                }
                Err(TrySendError::Disconnected(_)) => return,
            }
        }
        if from_capture {
            s.stats.finished.fetch_add(1, Ordering::Release);
        }
        if software && e.encoder.caps().hardware {
            // Opened again, as software, with the next frame.
            enc = None;
        }
        last = Some(frame);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Simulates the capture loop against a source that changes every `source_period`,
    /// with grabs taking `grab`, the pipeline always busy or always idle; returns (captures,
    /// worst wait from change to capture).
    fn simulate_with(
        fps: u32,
        source_period: Duration,
        grab: Duration,
        secs: u64,
        idle: bool,
    ) -> (u32, Duration) {
        let r = Sim {
            fps,
            source_period,
            phase: Duration::ZERO,
            grab,
            secs,
            idle,
            early: &[],
        }
        .run();
        (r.captures, r.worst)
    }

    /// A simulated run (see `simulate_with`), optionally with unrelated changes captured at
    /// `early` (after the start) before the source's first change at `phase`.
    struct Sim<'a> {
        fps: u32,
        source_period: Duration,
        phase: Duration,
        grab: Duration,
        secs: u64,
        idle: bool,
        early: &'a [Duration],
    }

    struct SimResult {
        captures: u32,
        worst: Duration,
        /// Worst wait over the run's second half.
        worst_late: Duration,
    }

    impl Sim<'_> {
        fn run(&self) -> SimResult {
            let t0 = Instant::now();
            let mut limiter = RateLimiter::new();
            for &e in self.early {
                limiter.take(t0 + e, None, self.fps);
            }
            let start = t0 + self.phase;
            let mut now = t0 + self.early.last().copied().unwrap_or_default();
            // What the last capture saw: changes up to this instant.
            let mut seen: Option<Instant> = None;
            let (mut captures, mut worst, mut worst_late) = (0, Duration::ZERO, Duration::ZERO);
            let end = t0 + Duration::from_secs(self.secs);
            let half = t0 + Duration::from_secs(self.secs) / 2;
            while now < end {
                let wait_began = now;
                if let Some(w) = limiter.wait(now, self.idle) {
                    now += w;
                }
                // The first change the last capture did not see. If it came before the cap
                // let the capture start, the capturer saw it while waiting (or, when it came
                // during the last grab, when the wait began); otherwise the capture blocks
                // until it comes.
                let k = match seen {
                    Some(t) if t >= start => {
                        (t - start).as_nanos() / self.source_period.as_nanos() + 1
                    }
                    _ => 0,
                };
                let change = start + self.source_period * k as u32;
                let (grab_at, ready) = if change <= now {
                    (now, Some(change.max(wait_began)))
                } else {
                    (change, None)
                };
                seen = Some(grab_at);
                now = grab_at + self.grab;
                if now > end {
                    break;
                }
                let lag = grab_at - change;
                worst = worst.max(lag);
                if now > half {
                    worst_late = worst_late.max(lag);
                }
                limiter.take(now, ready, self.fps);
                captures += 1;
            }
            SimResult {
                captures,
                worst,
                worst_late,
            }
        }
    }

    fn simulate(fps: u32, source_period: Duration, grab: Duration, secs: u64) -> (u32, Duration) {
        let busy = simulate_with(fps, source_period, grab, secs, false);
        let idle = simulate_with(fps, source_period, grab, secs, true);
        // An idle pipeline never makes a capture wait longer, nor the rate higher by more
        // than the one early frame after the start.
        assert!(
            idle.1 <= busy.1 + Duration::from_micros(1),
            "idle {idle:?} busy {busy:?}"
        );
        assert!(idle.0 <= busy.0 + 1, "idle {idle:?} busy {busy:?}");
        busy
    }

    #[test]
    fn an_idle_pipeline_captures_a_change_right_after_the_last_capture() {
        let fps = 30;
        let t0 = Instant::now();
        let mut limiter = RateLimiter::new();
        // A quiet screen, then one change (a cursor blink) captured at t0.
        limiter.take(t0, None, fps);
        let soon = t0 + Duration::from_millis(2);
        // A keystroke 2 ms later: with the blink's frame still in the pipeline it waits half
        // a period; once the pipeline is idle, not at all.
        assert_eq!(
            limiter.wait(soon, false),
            Some(Duration::from_secs(1) / fps / 2 - Duration::from_millis(2))
        );
        assert_eq!(limiter.wait(soon, true), None);
        // Taken at once, it uses the next slot: the one after waits a whole period, so a
        // quiet spell buys one early frame, not a higher rate.
        limiter.take(soon, None, fps);
        let wait = limiter.wait(soon, true).unwrap();
        assert!(
            wait >= Duration::from_secs(1) / fps - Duration::from_millis(3),
            "{wait:?}"
        );
    }

    #[test]
    fn capture_cap_locks_to_a_source_at_the_same_rate() {
        // 30 and 60 fps sources at the same cap, 1 ms grabs: each change is captured at once
        // (the old rule slid through the whole period, up to 33 ms late).
        for fps in [30, 60] {
            let period = Duration::from_secs(1) / fps;
            let (n, worst) = simulate(fps, period, Duration::from_millis(1), 10);
            assert!(
                worst < Duration::from_millis(1),
                "worst wait {worst:?} at {fps} fps"
            );
            assert!(
                n.abs_diff(fps * 10) <= 1,
                "{n} captures in 10 s at {fps} fps"
            );
        }
        // A slightly slower source (29 fps under a 30 cap) is never held back either.
        let (_, worst) = simulate(
            30,
            Duration::from_secs(1) / 29,
            Duration::from_millis(1),
            10,
        );
        assert!(worst < Duration::from_millis(1), "worst wait {worst:?}");
    }

    #[test]
    fn capture_cap_finds_the_phase_of_a_same_rate_source_it_got_ahead_of() {
        // Two unrelated changes half a period apart put the schedule ahead of a 30 fps
        // source: without the phase rule each change then waits 0.4 of a period (13 ms),
        // for the whole run.
        let period = Duration::from_secs(1) / 30;
        let r = Sim {
            fps: 30,
            source_period: period,
            phase: period * 6 / 10,
            grab: Duration::from_millis(1),
            secs: 10,
            idle: false,
            early: &[Duration::ZERO, period / 2],
        }
        .run();
        assert!(r.worst >= period / 3, "the run starts stuck: {:?}", r.worst);
        assert!(
            r.worst_late < Duration::from_millis(1),
            "still {:?} late at the end",
            r.worst_late
        );
        assert!(r.captures <= 30 * 10, "{} captures", r.captures);
    }

    #[test]
    fn capture_cap_is_not_outrun_by_sources_near_or_above_its_rate() {
        // Sources from 3.3 times the cap to just under it, busy and idle: held to the cap
        // (the phase rule never applies to a source faster than 5 % above it); those within
        // 5 % of the cap are captured at their own rate, never above 8/7 of the cap.
        let fps = 30;
        let period = Duration::from_secs(1) / fps;
        for percent in (30..=125).step_by(1) {
            let source_period = period * percent / 100;
            for idle in [false, true] {
                let (n, _) = simulate_with(fps, source_period, Duration::from_millis(1), 10, idle);
                let limit = if percent >= 95 {
                    fps * 10 * 8 / 7
                } else {
                    fps * 10 + 1
                };
                assert!(
                    n <= limit,
                    "{n} captures in 10 s of a source at {percent} % of the period (idle {idle})"
                );
            }
        }
    }

    #[test]
    fn capture_cap_holds_the_average_rate() {
        // A source changing at 1 kHz is captured at the cap on average, never faster.
        for fps in [5, 30, 60] {
            let (n, _) = simulate(
                fps,
                Duration::from_millis(1),
                Duration::from_micros(200),
                10,
            );
            assert!(n <= fps * 10 + 1, "{n} captures in 10 s at a cap of {fps}");
            assert!(n >= fps * 10 - 1, "{n} captures in 10 s at a cap of {fps}");
        }
    }
    use glass_codecs::Rect;

    fn frame(id: u64, damage: Option<Rect>) -> VideoFrame {
        let pool = FramePool::new(PixelFormat::Bgra, 64, 64, 4);
        let (mut f, ()) = pool.get_with(id, Instant::now(), |_, _| {});
        f.damage = damage.map(|r| {
            let mut d = DamageList::new();
            d.push(r);
            d
        });
        f
    }

    #[test]
    fn thin_links_get_fewer_sharper_frames() {
        assert_eq!(frame_rate_for_bitrate(4_000_000, 30), 30);
        assert_eq!(frame_rate_for_bitrate(600_000, 60), 60);
        assert_eq!(frame_rate_for_bitrate(400_000, 30), 15);
        assert_eq!(frame_rate_for_bitrate(200_000, 30), 10);
        assert_eq!(frame_rate_for_bitrate(50_000, 30), 5);
        assert_eq!(
            frame_rate_for_bitrate(400_000, 12),
            12,
            "never above the configured cap"
        );
    }

    #[test]
    fn a_replaced_frame_passes_its_damage_on() {
        let (tx, rx) = LatestSender::pair();
        assert_eq!(
            tx.send(frame(1, Some(Rect::new(0, 0, 8, 8))), merge_hints),
            Ok(0)
        );
        assert_eq!(
            tx.send(frame(2, Some(Rect::new(32, 32, 8, 8))), merge_hints),
            Ok(1)
        );
        let got = rx.try_recv().unwrap();
        assert_eq!(got.id, 2, "latest wins");
        let d = got.damage.unwrap();
        assert!(
            d.as_slice().contains(&Rect::new(0, 0, 8, 8))
                && d.as_slice().contains(&Rect::new(32, 32, 8, 8))
        );
        // Unknown damage on either side means "compare everything".
        tx.send(frame(3, None), merge_hints).unwrap();
        tx.send(frame(4, Some(Rect::new(1, 1, 1, 1))), merge_hints)
            .unwrap();
        assert_eq!(rx.try_recv().unwrap().damage, None);
        assert!(rx.try_recv().is_err(), "one slot, never a queue");
    }
}
