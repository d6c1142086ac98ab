//! Damage detection and colour conversion on full-HD and 4K frames.
//!
//! `damage/*/memcmp` is the floor for a compare that must read both frames entirely (`a == b`
//! over the whole buffers); `damage/*/none` is that case for the detector. `serial` variants
//! run on the calling thread only.
//!
//! Run: `cargo bench -p glass-engine --bench engine -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use glass_codecs::{DamageList, FramePool, PixelFormat, Plane, Rect, VideoFrame};
use glass_engine::convert::Converter;
use glass_engine::damage::DamageDetector;

fn frame(format: PixelFormat, width: u32, height: u32, bytes: Vec<u8>) -> VideoFrame {
    VideoFrame {
        format,
        width,
        height,
        planes: [
            Plane {
                offset: 0,
                stride: width as usize * 4,
            },
            Plane::default(),
            Plane::default(),
        ],
        storage: Arc::new(bytes),
        id: 0,
        capture_time: Instant::now(),
        damage: None,
        stages: Default::default(),
    }
}

/// Desktop-like content: smooth gradients with some noise, X byte zero.
fn content(width: u32, height: u32, salt: u8) -> Vec<u8> {
    let mut v = vec![0u8; width as usize * height as usize * 4];
    for (i, px) in v.chunks_exact_mut(4).enumerate() {
        let (x, y) = (i % width as usize, i / width as usize);
        let n = (i.wrapping_mul(2_654_435_761) >> 27) as u8 & 7;
        px.copy_from_slice(&[
            (x / 8) as u8 ^ n,
            (y / 4) as u8,
            ((x + y) / 16) as u8 ^ salt,
            0,
        ]);
    }
    v
}

fn damage(c: &mut Criterion) {
    for (name, w, h) in [("1080p", 1920u32, 1080u32), ("4k", 3840, 2160)] {
        let base = content(w, h, 0);
        let prev = frame(PixelFormat::Bgrx, w, h, base.clone());
        let same = frame(PixelFormat::Bgrx, w, h, base.clone());
        let mut glyph = base.clone();
        // A 16×16 glyph change in the middle of the screen.
        for y in (h / 2)..(h / 2 + 16) {
            for x in (w / 2 + 5)..(w / 2 + 21) {
                glyph[(y * w + x) as usize * 4] ^= 0xFF;
            }
        }
        let glyph = frame(PixelFormat::Bgrx, w, h, glyph);
        let all = frame(PixelFormat::Bgrx, w, h, content(w, h, 0x55));

        let mut g = c.benchmark_group(format!("damage/{name}"));
        g.throughput(Throughput::Bytes(base.len() as u64 * 2));
        g.bench_function("memcmp", |b| {
            b.iter(|| black_box(prev.plane(0)) == black_box(same.plane(0)))
        });
        for (parallel, suffix) in [(true, ""), (false, "_serial")] {
            let mut d = DamageDetector::new(w, h);
            d.set_parallel(parallel);
            let mut out = DamageList::new();
            for (case, cur) in [("none", &same), ("small", &glyph), ("all", &all)] {
                g.bench_function(format!("{case}{suffix}"), |b| {
                    b.iter(|| {
                        d.detect(&prev, cur, None, &mut out);
                        black_box(out.len())
                    })
                });
            }
        }
        g.finish();
    }
}

fn convert(c: &mut Criterion) {
    let (w, h) = (1920u32, 1080u32);
    let src = frame(PixelFormat::Bgra, w, h, content(w, h, 0));
    let pool = FramePool::new(PixelFormat::I420, w, h, 2);
    // Three rectangles totalling 2% of the frame (41 472 px): a text line, a caret-sized
    // box, and a small window region.
    let dirty = [
        Rect::new(100, 200, 1200, 24),
        Rect::new(1500, 900, 64, 32),
        Rect::new(600, 600, 128, 83),
    ];
    let area: u64 = dirty.iter().map(Rect::area).sum();
    assert!(
        (area as f64 / (w * h) as f64 - 0.02).abs() < 0.001,
        "dirty area {area}"
    );

    let mut g = c.benchmark_group("convert/1080p");
    for (parallel, suffix) in [(true, ""), (false, "_serial")] {
        let mut conv = Converter::new();
        conv.set_parallel(parallel);
        g.throughput(Throughput::Elements(u64::from(w * h)));
        g.bench_function(format!("full{suffix}"), |b| {
            b.iter(|| {
                pool.get_with(0, src.capture_time, |mut dst, _| {
                    conv.convert_full(&src, &mut dst).unwrap()
                })
                .0
            })
        });
        g.throughput(Throughput::Elements(area));
        g.bench_function(format!("dirty_2pct{suffix}"), |b| {
            b.iter(|| {
                pool.get_with(0, src.capture_time, |mut dst, _| {
                    conv.convert(&src, &mut dst, &dirty).unwrap()
                })
                .0
            })
        });
    }
    g.finish();
}

/// Decoding one input message, and decode + gate + (recording) injection.
fn input(c: &mut Criterion) {
    use glass_engine::input::gate::{ControlLevel, InputGate};
    use glass_engine::input::recording::RecordingInjector;
    use glass_engine::input::wire::{InputEvent, InputMessage};
    use glass_engine::input::{Key, Modifiers, Point};

    let mut g = c.benchmark_group("input");
    let encode = |event| {
        let mut v = Vec::new();
        InputMessage {
            seq: 1,
            timestamp_us: 1_700_000_000_000_000,
            event,
        }
        .encode(&mut v);
        v
    };
    let moves = encode(InputEvent::PointerMove(Point { x: 100, y: 200 }));
    let key = encode(InputEvent::Key {
        key: Key::from_code("KeyA").unwrap(),
        down: true,
        modifiers: Modifiers::default(),
    });
    let text = encode(InputEvent::Text("héllo wörld ✓ 日本語のテキスト"));
    for (name, msg) in [("move", &moves), ("key", &key), ("text", &text)] {
        g.bench_function(format!("decode_{name}"), |b| {
            b.iter(|| InputMessage::decode(std::hint::black_box(msg)).unwrap())
        });
    }
    // Moves with rising sequence numbers through a full-control gate.
    let mut gate = InputGate::new(ControlLevel::Full);
    let mut inj = RecordingInjector::new();
    let mut seq = 0u32;
    let mut buf = moves.clone();
    g.bench_function("gate_move", |b| {
        b.iter(|| {
            seq = seq.wrapping_add(1);
            buf[2..6].copy_from_slice(&seq.to_le_bytes());
            gate.handle_message(std::time::Instant::now(), &buf, &mut inj)
        })
    });
    g.finish();
}

criterion_group!(benches, damage, convert, input);
criterion_main!(benches);
