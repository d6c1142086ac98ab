//! End-to-end stage costs at 1080p: openh264 encode per frame for each synthetic scene with
//! Glass's settings, and what an unchanged frame costs (damage detection only: nothing is
//! converted or encoded).
//!
//! `cargo bench --bench pipeline`

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use glass::codecs::{
    DamageList, EncoderConfig, FrameParams, FramePool, PixelFormat, Rect, VideoFrame, open_encoder,
};
use glass::engine::capture::synthetic::{Scene, SyntheticCapturer, SyntheticConfig};
use glass::engine::convert::Converter;
use glass::engine::damage::DamageDetector;

const W: u32 = 1920;
const H: u32 = 1080;
const FRAMES: usize = 30;

/// The first `FRAMES` changed frames of a scene, converted to I420.
fn frames(scene: Scene) -> Vec<VideoFrame> {
    let mut src = SyntheticCapturer::new(SyntheticConfig {
        scene,
        width: W,
        height: H,
        fps: 30,
    })
    .unwrap();
    let pool = FramePool::new(PixelFormat::I420, W, H, FRAMES + 1);
    let mut conv = Converter::new();
    let mut out = Vec::new();
    let mut ticks = 0;
    while out.len() < FRAMES && ticks < 10 * FRAMES {
        ticks += 1;
        let Some(f) = src.step(Instant::now()) else {
            continue;
        };
        let full = [Rect::new(0, 0, W, H)];
        let (yuv, r) = pool.get_with(f.id, f.capture_time, |mut d, _| {
            conv.convert(&f, &mut d, &full)
        });
        r.unwrap();
        out.push(yuv);
    }
    // The static scene changes once; re-encoding its picture is what an idle refresh costs.
    while out.len() < FRAMES {
        out.push(out[0].clone());
    }
    out
}

fn encode(c: &mut Criterion) {
    let mut g = c.benchmark_group("encode_1080p");
    g.sample_size(10).measurement_time(Duration::from_secs(6));
    for scene in Scene::ALL {
        let frames = frames(scene);
        g.bench_function(scene.name(), |b| {
            b.iter_custom(|iters| {
                // A fresh encoder per measurement: the first frame (IDR) is excluded, each
                // iteration encodes the next frame of the scene in order.
                let mut enc = open_encoder(&EncoderConfig::low_latency(W, H)).unwrap();
                let start = Instant::now();
                enc.send_frame(&frames[0], FrameParams::new(0, start, Duration::ZERO))
                    .unwrap();
                enc.receive_packet().unwrap();
                let mut total = Duration::ZERO;
                for i in 0..iters {
                    let f = &frames[1 + (i as usize % (FRAMES - 1))];
                    let t = Instant::now();
                    enc.send_frame(
                        f,
                        FrameParams::new(i + 1, t, Duration::from_millis(33 * (i + 1))),
                    )
                    .unwrap();
                    std::hint::black_box(enc.receive_packet().unwrap());
                    total += t.elapsed();
                }
                total
            })
        });
    }
    g.finish();
}

fn unchanged_frame(c: &mut Criterion) {
    // The process stage on a frame identical to the previous one, with and without OS damage
    // hints: it finds nothing changed, so conversion and encoding never run.
    let mut src = SyntheticCapturer::new(SyntheticConfig {
        scene: Scene::Static,
        width: W,
        height: H,
        fps: 30,
    })
    .unwrap();
    let a = src.step(Instant::now()).unwrap();
    let mut det = DamageDetector::new(W, H);
    let mut out = DamageList::new();
    let mut g = c.benchmark_group("unchanged_frame_1080p");
    g.bench_function("no_hints_full_compare", |b| {
        b.iter(|| {
            out.clear();
            det.detect(&a, &a.clone(), None, &mut out);
            assert!(out.is_empty());
        })
    });
    let empty = DamageList::new();
    g.bench_function("empty_hints", |b| {
        b.iter(|| {
            out.clear();
            det.detect(&a, &a, Some(&empty), &mut out);
            assert!(out.is_empty());
        })
    });
    g.finish();
}

criterion_group!(benches, encode, unchanged_frame);
criterion_main!(benches);
