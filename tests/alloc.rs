//! No per-frame heap allocation at steady state: after warm-up, taking a changed frame through
//! damage detection, conversion into a pooled buffer, encoding and draining the packet makes
//! no Rust heap allocation on the pipeline's thread. (openh264's own C allocations are not
//! counted; it allocates at initialisation.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::{Duration, Instant};

use glass::codecs::{DamageList, EncoderConfig, FrameParams, FramePool, PixelFormat, open_encoder};
use glass::engine::capture::synthetic::{Scene, SyntheticCapturer, SyntheticConfig};
use glass::engine::convert::Converter;
use glass::engine::damage::DamageDetector;
use glass::engine::history::DamageHistory;

struct Counting;

thread_local! {
    static COUNT: Cell<Option<u64>> = const { Cell::new(None) };
}

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = COUNT.try_with(|c| c.set(c.get().map(|n| n + 1)));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = COUNT.try_with(|c| c.set(c.get().map(|n| n + 1)));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn counting<R>(f: impl FnOnce() -> R) -> (R, u64) {
    COUNT.with(|c| c.set(Some(0)));
    let r = f();
    let n = COUNT.with(|c| c.replace(None)).unwrap_or(0);
    (r, n)
}

#[test]
fn steady_state_frames_do_not_allocate() {
    let (w, h) = (640, 360);
    let mut src = SyntheticCapturer::new(SyntheticConfig {
        scene: Scene::Typing,
        width: w,
        height: h,
        fps: 30,
    })
    .unwrap();
    let mut det = DamageDetector::new(w, h);
    det.set_parallel(false);
    let mut conv = Converter::new();
    conv.set_parallel(false);
    let pool = FramePool::new(PixelFormat::I420, w, h, 4);
    let mut history = DamageHistory::new(w, h);
    let mut enc = open_encoder(&EncoderConfig::low_latency(w, h)).unwrap();
    let mut prev = None;
    let mut frames = Vec::new();
    for _ in 0..200 {
        if let Some(f) = src.step(Instant::now()) {
            frames.push(f.clone());
        }
        if frames.len() == 40 {
            break;
        }
    }
    let start = Instant::now();
    let mut step = |frame: &glass::codecs::VideoFrame| {
        let mut damage = DamageList::new();
        match &prev {
            Some(p) => det.detect(p, frame, frame.damage.as_ref(), &mut damage),
            None => damage = DamageList::full(w, h),
        }
        prev = Some(frame.clone());
        history.record(frame.id, &damage);
        let (yuv, r) = pool.get_with(frame.id, frame.capture_time, |mut dst, last| {
            conv.convert(frame, &mut dst, history.since(last).as_slice())
        });
        r.unwrap();
        let params = FrameParams::new(
            frame.id,
            frame.capture_time,
            frame.capture_time - start + Duration::ZERO,
        );
        enc.send_frame(&yuv, params).unwrap();
        let p = enc.receive_packet().unwrap().unwrap();
        p.data.len()
    };
    // Warm-up: pools fill, the encoder's output buffer reaches its working size.
    for f in &frames[..20] {
        step(f);
    }
    let (bytes, allocs) = counting(|| frames[20..].iter().map(&mut step).sum::<usize>());
    assert!(bytes > 0);
    assert_eq!(
        allocs, 0,
        "{allocs} heap allocations in 20 steady-state frames"
    );
}
