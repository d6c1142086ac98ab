//! The threaded pipeline as an embedding app sees it.

use std::time::{Duration, Instant};

use glass::codecs::{ContentHint, VideoFrame, open_decoder};
use glass::engine::CaptureError;
use glass::engine::capture::synthetic::{Scene, SyntheticCapturer, SyntheticConfig};
use glass::engine::capture::{CaptureInfo, Capturer};
use glass::engine::pipeline::{EncodedFrame, Pipeline, PipelineConfig};

fn synthetic(scene: Scene, width: u32, height: u32) -> Box<dyn Capturer> {
    Box::new(
        SyntheticCapturer::new(SyntheticConfig {
            scene,
            width,
            height,
            fps: 30,
        })
        .unwrap(),
    )
}

fn collect(p: &Pipeline, for_: Duration) -> Vec<EncodedFrame> {
    let end = Instant::now() + for_;
    let mut out = Vec::new();
    while let Some(left) = end.checked_duration_since(Instant::now()) {
        if let Ok(f) = p
            .packets()
            .recv_timeout(left.min(Duration::from_millis(50)))
        {
            out.push(f);
        }
    }
    out
}

#[test]
fn typing_stream_decodes_with_stage_timestamps() {
    let p = Pipeline::start(
        synthetic(Scene::Typing, 640, 360),
        PipelineConfig::default(),
    )
    .unwrap();
    let frames = collect(&p, Duration::from_millis(1500));
    let stats = p.stop().unwrap();
    assert!(
        frames.len() >= 10,
        "typing at 10 chars/s plus cursor: got {} frames",
        frames.len()
    );
    assert!(frames[0].packet.keyframe);
    let mut dec = open_decoder().unwrap();
    for f in &frames {
        let s = f.stages;
        let (c, d, v, e) = (
            s.captured.unwrap(),
            s.damage_done.unwrap(),
            s.converted.unwrap(),
            s.encoded.unwrap(),
        );
        assert!(
            c <= d && d <= v && v <= e,
            "stage timestamps in order: {s:?}"
        );
        let pic = dec.decode(&f.packet.data).unwrap().unwrap();
        assert_eq!((pic.width, pic.height), (640, 360));
        // Typing changes a couple of character cells, never the whole screen (except the
        // first frame).
        if !f.packet.keyframe {
            assert!(
                f.changed_pixels < 640 * 360 / 20,
                "{} changed pixels",
                f.changed_pixels
            );
        }
    }
    // Frames encoded after collection ended are counted too; nothing else goes missing.
    let accounted = frames.len() as u64 + stats.dropped_output;
    assert!(
        stats.encoded >= accounted && stats.encoded <= accounted + 2,
        "{stats}"
    );
    assert_eq!(stats.dropped_output, 0, "a prompt consumer loses nothing");
    assert_eq!(stats.encoder.as_ref().unwrap().backend, "openh264");
    assert!(stats.bytes_out > 0);
}

#[test]
#[cfg(target_os = "linux")] // no VP8 backend there
fn a_codec_switch_starts_with_a_keyframe_of_the_same_picture() {
    use glass::codecs::{Codec, open_decoder_for, psnr};
    let p = Pipeline::start(
        synthetic(Scene::Typing, 640, 360),
        PipelineConfig::default(),
    )
    .unwrap();
    let before = collect(&p, Duration::from_millis(600));
    assert!(before.iter().all(|f| f.packet.codec == Codec::H264));
    let mut h264 = open_decoder().unwrap();
    let mut last = None;
    for f in &before {
        last = h264.decode(&f.packet.data).unwrap();
    }
    let last = last.expect("H.264 pictures before the switch");
    p.set_codec(Codec::Vp8);
    let after = collect(&p, Duration::from_millis(800));
    // Frames already encoded when the switch was asked for may still be H.264; from the first
    // VP8 frame on, all are VP8, and that first one is a keyframe.
    let first = after
        .iter()
        .position(|f| f.packet.codec == Codec::Vp8)
        .expect("VP8 frames after the switch");
    assert!(after[first..].iter().all(|f| f.packet.codec == Codec::Vp8));
    assert!(
        after[first].packet.keyframe,
        "the new encoder starts with a keyframe"
    );
    let mut vp8 = open_decoder_for(Codec::Vp8).unwrap();
    let pic = vp8.decode(&after[first].packet.data).unwrap().unwrap();
    assert_eq!((pic.width, pic.height), (640, 360));
    // The same screen (typing changes a few characters in between).
    let q = psnr(&last, &pic, 0);
    assert!(
        q > 25.0,
        "VP8 keyframe vs last H.264 picture: PSNR-Y {q:.1} dB"
    );
    for f in &after[first + 1..] {
        assert!(vp8.decode(&f.packet.data).unwrap().is_some());
    }
    let stats = p.stop().unwrap();
    assert_eq!(stats.codec_switches, 1, "{stats}");
    assert_eq!(stats.encoder.as_ref().unwrap().codec, Codec::Vp8);
    assert_eq!(stats.encoder.as_ref().unwrap().backend, "libvpx");
}

#[test]
fn idle_screen_costs_nothing_but_refresh_keyframes() {
    let config = PipelineConfig {
        refresh_interval: Some(Duration::from_millis(400)),
        ..PipelineConfig::default()
    };
    let p = Pipeline::start(synthetic(Scene::Static, 640, 360), config).unwrap();
    let frames = collect(&p, Duration::from_millis(1300));
    // First frame, then only refresh keyframes (about one per 400 ms).
    assert!((2..=5).contains(&frames.len()), "{} frames", frames.len());
    assert!(frames.iter().all(|f| f.packet.keyframe));
    // A keyframe request is answered at once even though nothing changes.
    let t = Instant::now();
    p.request_keyframe();
    let f = p
        .packets()
        .recv_timeout(Duration::from_millis(300))
        .expect("keyframe on request while idle");
    assert!(f.packet.keyframe);
    assert!(t.elapsed() < Duration::from_millis(300));
    let stats = p.stop().unwrap();
    assert_eq!(
        stats.captured, 1,
        "an unchanged synthetic screen is captured once"
    );
}

/// A capturer whose frame size changes after a few frames, like a display mode switch.
struct Resizing {
    small: SyntheticCapturer,
    large: SyntheticCapturer,
    n: u32,
}

impl Capturer for Resizing {
    fn info(&self) -> CaptureInfo {
        self.small.info()
    }
    fn capture(&mut self, deadline: Instant) -> Result<Option<VideoFrame>, CaptureError> {
        self.n += 1;
        if self.n <= 5 {
            self.small.capture(deadline)
        } else {
            self.large.capture(deadline)
        }
    }
    fn request_full_frame(&mut self) {}
}

#[test]
fn resolution_change_restarts_the_encoder_with_a_keyframe() {
    let cfg = |w, h| SyntheticConfig {
        scene: Scene::Video,
        width: w,
        height: h,
        fps: 30,
    };
    let cap = Resizing {
        small: SyntheticCapturer::new(cfg(320, 240)).unwrap(),
        large: SyntheticCapturer::new(cfg(480, 270)).unwrap(),
        n: 0,
    };
    let p = Pipeline::start(Box::new(cap), PipelineConfig::default()).unwrap();
    let frames = collect(&p, Duration::from_millis(800));
    let stats = p.stop().unwrap();
    let first_large = frames
        .iter()
        .position(|f| f.width == 480)
        .expect("frames at the new size");
    assert!(
        frames[first_large].packet.keyframe,
        "the new size starts with a keyframe"
    );
    assert!(frames[..first_large].iter().all(|f| f.width == 320));
    assert_eq!(stats.encoders_opened, 2);
    let mut dec = open_decoder().unwrap();
    for f in &frames[first_large..] {
        let pic = dec.decode(&f.packet.data).unwrap().unwrap();
        assert_eq!((pic.width, pic.height), (480, 270));
    }
}

#[test]
fn a_slow_consumer_loses_packets_counted_then_gets_a_keyframe() {
    let config = PipelineConfig {
        output_capacity: 2,
        ..PipelineConfig::default()
    };
    let p = Pipeline::start(synthetic(Scene::Video, 320, 240), config).unwrap();
    std::thread::sleep(Duration::from_millis(600));
    // Two packets waited; the rest were dropped.
    let waiting: Vec<_> = p.packets().try_iter().collect();
    assert_eq!(waiting.len(), 2);
    let next = p
        .packets()
        .recv_timeout(Duration::from_millis(500))
        .unwrap();
    assert!(
        next.packet.keyframe,
        "after a loss the stream restarts at a keyframe"
    );
    let stats = p.stop().unwrap();
    assert!(stats.dropped_output > 0);
}

/// A capturer that fails like a vanished X server.
struct Failing;

impl Capturer for Failing {
    fn info(&self) -> CaptureInfo {
        unreachable!("not called by the pipeline")
    }
    fn capture(&mut self, _: Instant) -> Result<Option<VideoFrame>, CaptureError> {
        Err(CaptureError::Backend("display went away".into()))
    }
    fn request_full_frame(&mut self) {}
}

#[test]
fn capture_failure_stops_the_pipeline_with_the_error() {
    let p = Pipeline::start(Box::new(Failing), PipelineConfig::default()).unwrap();
    let end = Instant::now() + Duration::from_secs(2);
    while !p.is_failed() && Instant::now() < end {
        std::thread::sleep(Duration::from_millis(10));
    }
    let err = p.stop().unwrap_err().to_string();
    assert!(err.contains("display went away"), "{err}");
}

#[test]
fn invalid_config_names_the_field() {
    let e = Pipeline::start(
        synthetic(Scene::Static, 320, 240),
        PipelineConfig {
            max_fps: 0,
            ..PipelineConfig::default()
        },
    )
    .err()
    .unwrap()
    .to_string();
    assert!(e.contains("max_fps"), "{e}");
}

#[test]
fn a_lowered_frame_rate_caps_capture() {
    let p = Pipeline::start(synthetic(Scene::Video, 320, 240), PipelineConfig::default()).unwrap();
    let full = collect(&p, Duration::from_millis(1000)).len();
    p.set_frame_rate(5);
    assert_eq!(p.frame_rate(), 5);
    let _ = collect(&p, Duration::from_millis(300)); // frames already in flight
    let thin = collect(&p, Duration::from_millis(1000)).len();
    p.set_frame_rate(1000);
    assert_eq!(p.frame_rate(), 30, "never above the configured cap");
    p.stop().unwrap();
    assert!(full >= 20, "{full} frames/s at 30 fps");
    assert!((3..=7).contains(&thin), "{thin} frames/s at 5 fps");
}

/// Paused by the sharer: the capturer is not read, nothing is encoded; resuming starts with
/// a keyframe.
#[test]
fn paused_pipeline_captures_and_encodes_nothing() {
    let p = Pipeline::start(
        synthetic(Scene::Typing, 320, 240),
        PipelineConfig::default(),
    )
    .unwrap();
    assert!(!collect(&p, Duration::from_millis(300)).is_empty());
    p.set_paused(true);
    assert!(p.is_paused());
    // Let what was in flight drain, then nothing more.
    collect(&p, Duration::from_millis(200));
    let captured = p.stats().captured;
    let during = collect(&p, Duration::from_millis(500));
    assert!(during.is_empty(), "{} frames while paused", during.len());
    assert_eq!(
        p.stats().captured,
        captured,
        "the capturer was read while paused"
    );
    p.set_paused(false);
    let after = collect(&p, Duration::from_millis(500));
    assert!(!after.is_empty());
    assert!(after[0].packet.keyframe, "resume starts with a keyframe");
    p.stop().unwrap();
}

#[test]
fn an_adaptive_encoder_runs_the_faster_mode_and_saves_bytes_when_the_link_thins() {
    let p = Pipeline::start(
        synthetic(Scene::Scroll, 640, 360),
        PipelineConfig::default(),
    )
    .unwrap();
    let mut frames = collect(&p, Duration::from_millis(800));
    let s = p.stats();
    let calibration = s
        .calibration
        .expect("the adaptive tuning measured both modes");
    let mode = s.mode.expect("an encoder is open");
    eprintln!("calibration {calibration:?}, running {mode:?}");
    // It runs what it measured: the faster mode when there is one (the start target,
    // 1 Mbit/s, affords it), with that mode's best thread count.
    match calibration.fast() {
        Some(fast) => assert_eq!(mode, fast),
        None => assert_eq!(mode.content, ContentHint::Screen),
    }
    // The link thins to 150 kbit/s: a scrolling screen in the fast mode fills it, so the
    // encoder changes to the byte-saving mode once the fast one has run its 2 s, with a
    // keyframe, and every frame still decodes.
    p.set_bitrate(150_000);
    frames.extend(collect(&p, Duration::from_millis(3500)));
    let s = p.stop().unwrap();
    if calibration
        .fast()
        .is_some_and(|f| f.content == ContentHint::Motion)
    {
        assert_eq!(s.mode_switches, 1, "{s}");
        assert_eq!(s.mode.unwrap().content, ContentHint::Screen, "{s}");
        assert_eq!(s.encoders_opened, 2, "{s}");
        assert!(s.keyframes >= 2, "the switch starts with a keyframe: {s}");
    } else {
        assert_eq!(s.mode_switches, 0, "{s}");
    }
    let mut dec = open_decoder().unwrap();
    for f in &frames {
        dec.decode(&f.packet.data)
            .unwrap()
            .expect("every frame decodes across the switch");
    }
}

#[test]
fn a_congested_transport_holds_the_encoder_and_the_next_frame_is_a_delta() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let p = Pipeline::start(
        synthetic(Scene::Scroll, 320, 240),
        PipelineConfig::default(),
    )
    .unwrap();
    let gate = Arc::new(AtomicBool::new(false));
    p.set_gate(gate.clone());
    let mut frames = collect(&p, Duration::from_millis(600));
    assert!(frames.len() >= 10, "{} frames", frames.len());
    // The pacer backs up: nothing more is encoded while it is (the screen keeps changing).
    gate.store(true, Ordering::Relaxed);
    let _ = collect(&p, Duration::from_millis(100)); // a frame already in the encoder
    let during = collect(&p, Duration::from_millis(400));
    assert!(
        during.is_empty(),
        "{} frames encoded while held",
        during.len()
    );
    // It drains: encoding goes on with a delta (no keyframe: the viewer's decoder still has
    // its reference), and every frame decodes in order.
    gate.store(false, Ordering::Relaxed);
    let after = collect(&p, Duration::from_millis(400));
    let stats = p.stop().unwrap();
    assert!(!after.is_empty());
    assert!(
        after.iter().all(|f| !f.packet.keyframe),
        "a keyframe after the hold: {:?} {stats}",
        after.iter().map(|f| f.packet.keyframe).collect::<Vec<_>>()
    );
    assert_eq!(stats.held, 1, "{stats}");
    frames.extend(after);
    let mut dec = open_decoder().unwrap();
    for f in &frames {
        dec.decode(&f.packet.data)
            .unwrap()
            .expect("every frame decodes across the hold");
    }
}
