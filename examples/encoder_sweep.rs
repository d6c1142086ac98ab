//! Measures openh264 settings on the synthetic scenes at 1080p: wall time per frame, bytes per
//! frame and PSNR for each content tuning × thread/slice count, and what a switch between
//! tunings costs (opening an encoder, its first keyframe), so the adaptive policy's inputs are
//! numbers. `cargo run --release --example encoder_sweep [FRAMES]`

use std::time::{Duration, Instant};

use glass::codecs::{
    ContentHint, EncoderConfig, FrameParams, FramePool, PixelFormat, Rect, open_decoder,
    open_encoder, psnr,
};
use glass::engine::capture::synthetic::{Scene, SyntheticCapturer, SyntheticConfig};
use glass::engine::convert::Converter;

fn main() {
    let frames: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(60);
    let (w, h) = (1920, 1080);
    println!(
        "| scene | content | threads/slices | ms/frame (wall) | bytes/frame | PSNR-Y min dB | open ms | keyframe ms | keyframe bytes |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for scene in [Scene::Typing, Scene::Scroll, Scene::Video] {
        // The changed frames of the scene, converted once.
        let mut src = SyntheticCapturer::new(SyntheticConfig {
            scene,
            width: w,
            height: h,
            fps: 30,
        })
        .unwrap();
        let pool = FramePool::new(PixelFormat::I420, w, h, frames + 1);
        let mut conv = Converter::new();
        let mut input = Vec::new();
        while input.len() < frames {
            if let Some(f) = src.step(Instant::now()) {
                let full = [Rect::new(0, 0, w, h)];
                let (y, r) = pool.get_with(f.id, f.capture_time, |mut d, _| {
                    conv.convert(&f, &mut d, &full)
                });
                r.unwrap();
                input.push(y);
            }
        }
        for content in [ContentHint::Screen, ContentHint::Motion] {
            for threads in [1u32, 2] {
                let mut cfg = EncoderConfig::low_latency(w, h);
                cfg.content = content;
                cfg.threads = threads;
                cfg.slices = threads;
                let t_open = Instant::now();
                let mut enc = open_encoder(&cfg).unwrap();
                let open = t_open.elapsed();
                let (mut key_t, mut key_bytes) = (Duration::ZERO, 0);
                let mut dec = open_decoder().unwrap();
                let (mut t, mut bytes, mut min_q) = (Duration::ZERO, 0usize, f64::MAX);
                for (i, f) in input.iter().enumerate() {
                    let t0 = Instant::now();
                    enc.send_frame(
                        f,
                        FrameParams::new(i as u64, t0, Duration::from_millis(33 * i as u64)),
                    )
                    .unwrap();
                    let p = enc.receive_packet().unwrap().unwrap();
                    if i > 0 {
                        // Exclude the first frame (IDR) from time and size.
                        t += t0.elapsed();
                        bytes += p.data.len();
                    } else {
                        (key_t, key_bytes) = (t0.elapsed(), p.data.len());
                    }
                    let out = dec.decode(&p.data).unwrap().unwrap();
                    min_q = min_q.min(psnr(f, &out, 0));
                }
                let n = (input.len() - 1) as f64;
                println!(
                    "| {} | {:?} | {threads} | {:.2} | {:.0} | {:.1} | {:.1} | {:.1} | {} |",
                    scene.name(),
                    content,
                    t.as_secs_f64() * 1000.0 / n,
                    bytes as f64 / n,
                    min_q,
                    open.as_secs_f64() * 1000.0,
                    key_t.as_secs_f64() * 1000.0,
                    key_bytes
                );
            }
        }
    }
}
