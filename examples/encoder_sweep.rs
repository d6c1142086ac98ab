//! Measures the software encoders on the synthetic scenes at 1080p: wall time per frame, bytes
//! per frame and PSNR for each codec (openh264's H.264, libvpx's VP8) × content tuning ×
//! thread/slice count, and what a switch between tunings costs (opening an encoder, its first
//! keyframe), so the adaptive policy's inputs and the codec choice are numbers. A second table
//! sweeps VP8's real-time speed (`cpu-used`). `cargo run --release --example encoder_sweep [FRAMES]`

use std::time::{Duration, Instant};

use glass::codecs::{
    Codec, ContentHint, Encoder, EncoderConfig, FrameParams, FramePool, PixelFormat, Rect,
    VideoFrame, open_decoder_for, open_encoder, psnr,
};
use glass::engine::capture::synthetic::{Scene, SyntheticCapturer, SyntheticConfig};
use glass::engine::convert::Converter;

struct Run {
    ms: f64,
    bytes: f64,
    min_psnr: f64,
    key_ms: f64,
    key_bytes: usize,
}

fn run(enc: &mut dyn Encoder, codec: Codec, input: &[VideoFrame]) -> Run {
    let (mut key_t, mut key_bytes) = (Duration::ZERO, 0);
    let mut dec = open_decoder_for(codec).unwrap();
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
            // Exclude the first frame (keyframe) from time and size.
            t += t0.elapsed();
            bytes += p.data.len();
        } else {
            (key_t, key_bytes) = (t0.elapsed(), p.data.len());
        }
        let out = dec.decode(&p.data).unwrap().unwrap();
        min_q = min_q.min(psnr(f, &out, 0));
    }
    let n = (input.len() - 1) as f64;
    Run {
        ms: t.as_secs_f64() * 1000.0 / n,
        bytes: bytes as f64 / n,
        min_psnr: min_q,
        key_ms: key_t.as_secs_f64() * 1000.0,
        key_bytes,
    }
}

fn main() {
    let frames: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(60);
    let (w, h) = (1920, 1080);
    let mut scenes = Vec::new();
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
        scenes.push((scene, input));
    }
    println!(
        "| scene | codec | content | threads/slices | ms/frame (wall) | bytes/frame | PSNR-Y min dB | open ms | keyframe ms | keyframe bytes |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (scene, input) in &scenes {
        // VP8 is built on Linux only.
        let codecs: &[Codec] = if !cfg!(target_os = "linux") {
            &[Codec::H264]
        } else {
            &[Codec::H264, Codec::Vp8]
        };
        for &codec in codecs {
            for content in [ContentHint::Screen, ContentHint::Motion] {
                for threads in [1u32, 2] {
                    let mut cfg = EncoderConfig::low_latency(w, h);
                    cfg.codec = codec;
                    cfg.content = content;
                    cfg.threads = threads;
                    cfg.slices = threads;
                    let t_open = Instant::now();
                    let mut enc = open_encoder(&cfg).unwrap();
                    let open = t_open.elapsed();
                    let r = run(&mut *enc, codec, input);
                    println!(
                        "| {} | {codec} | {content:?} | {threads} | {:.2} | {:.0} | {:.1} | {:.1} | {:.1} | {} |",
                        scene.name(),
                        r.ms,
                        r.bytes,
                        r.min_psnr,
                        open.as_secs_f64() * 1000.0,
                        r.key_ms,
                        r.key_bytes
                    );
                }
            }
        }
    }
    #[cfg(target_os = "linux")]
    vp8_speeds(w, h, &scenes);
}

/// VP8's real-time speeds on the same frames.
#[cfg(target_os = "linux")]
fn vp8_speeds(w: u32, h: u32, scenes: &[(Scene, Vec<VideoFrame>)]) {
    use glass::codecs::Vp8Encoder;
    println!();
    println!(
        "VP8 real-time speed (screen content, 1 thread; negative cpu-used = fixed speed; the table \
         above uses {} for screen, {} for motion):",
        glass::codecs::VP8_CPU_USED,
        glass::codecs::VP8_CPU_USED_MOTION
    );
    println!();
    println!("| scene | cpu-used | ms/frame (wall) | bytes/frame | PSNR-Y min dB |");
    println!("|---|---|---|---|---|");
    for (scene, input) in scenes {
        for speed in [-6, -8, -10, -12, -16] {
            let mut cfg = EncoderConfig::low_latency(w, h);
            cfg.codec = Codec::Vp8;
            cfg.threads = 1;
            let mut enc = Vp8Encoder::with_speed(&cfg, speed).unwrap();
            let r = run(&mut enc, Codec::Vp8, input);
            println!(
                "| {} | {speed} | {:.2} | {:.0} | {:.1} |",
                scene.name(),
                r.ms,
                r.bytes,
                r.min_psnr
            );
        }
    }
}
