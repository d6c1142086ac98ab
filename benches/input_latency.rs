//! Remote-input latency: data-channel message → injected event, over loopback.
//!
//! A `Share` (synthetic static source, so the encoder is nearly idle) and the native str0m
//! viewer (`glass::transport::testing`) on real UDP sockets. The viewer stamps each message
//! with the wallclock as it writes it to the data channel; the sharer's input thread records
//! injection time minus that stamp (its `input.latency` stats). Run with
//! `cargo bench --bench input_latency`; with `Xvfb` installed it also measures the XTest
//! injector on a private X server.
//!
//! Target (issue 4): p99 under 5 ms on the 2-core development machine.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use glass::engine::input::recording::RecordingInjector;
use glass::engine::input::wire::{InputEvent, InputMessage};
use glass::engine::input::{ControlLevel, Injector, Key, Modifiers, Point};
use glass::share::{Share, ShareConfig};
use glass::transport::TransportConfig;
use glass::transport::testing::{PendingViewer, ViewerEvent};

const MESSAGES: u32 = 1000;
const RATE_HZ: u64 = 250;

fn run(name: &str, source: &str, injector: Option<Box<dyn Injector>>) {
    let config = ShareConfig {
        source: source.parse().expect("source"),
        listen: "127.0.0.1:0".parse().unwrap(),
        transport: TransportConfig {
            bind: vec![std::net::Ipv4Addr::LOCALHOST.into()],
            ..TransportConfig::default()
        },
        control: ControlLevel::Full,
        ..ShareConfig::default()
    };
    let share = match injector {
        Some(i) => Share::start_with_injector(config, i),
        None => Share::start(config),
    }
    .expect("start share");
    let pending = PendingViewer::new().unwrap();
    let answer = glass_bench::whep_post(share.local_addr(), pending.offer_sdp()).expect("WHEP");
    let viewer = pending.start(&answer).expect("viewer");
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        match viewer.events().recv_timeout(end - Instant::now()) {
            Ok(ViewerEvent::InputReady) => break,
            Ok(_) => {}
            Err(_) => panic!("input channels did not open"),
        }
    }
    std::thread::sleep(Duration::from_millis(300));
    let interval = Duration::from_micros(1_000_000 / RATE_HZ);
    let key = Key::from_code("ShiftLeft").unwrap();
    let start = Instant::now();
    for i in 0..MESSAGES {
        // Three moves (unreliable channel) to one key press or release (reliable channel).
        let event = if i % 4 == 3 {
            InputEvent::Key {
                key,
                down: (i / 4) % 2 == 0,
                modifiers: Modifiers::from_bits(if (i / 4) % 2 == 0 { 1 } else { 0 }).unwrap(),
            }
        } else {
            InputEvent::PointerMove(Point {
                x: (i * 37 % 65536) as u16,
                y: (i * 91 % 65536) as u16,
            })
        };
        let mut msg = Vec::new();
        InputMessage {
            seq: i + 1,
            timestamp_us: 0,
            event,
        }
        .encode(&mut msg);
        viewer.send_input(matches!(event, InputEvent::PointerMove(_)), msg);
        let next = start + interval * (i + 1);
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
    }
    std::thread::sleep(Duration::from_millis(500));
    let stats = share.stats().expect("stats");
    let i = stats.input;
    println!(
        "input latency ({name}): {} messages sent, {} injected, {} stale, {} dropped in transport; \
         p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (last {} of {} samples)",
        MESSAGES,
        i.stats.injected,
        i.stats.dropped_stale,
        stats.transport.input_dropped,
        f64::from(i.latency.p50_us) / 1000.0,
        f64::from(i.latency.p99_us) / 1000.0,
        f64::from(i.latency.max_us) / 1000.0,
        i.latency.samples.min(1024),
        i.latency.samples,
    );
    viewer.close();
    let _ = share.stop();
}

/// A private Xvfb for the XTest run; `None` if Xvfb is not installed.
fn xvfb() -> Option<(Child, String)> {
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x720x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut line = String::new();
    use std::io::BufRead;
    std::io::BufReader::new(child.stdout.take()?)
        .read_line(&mut line)
        .ok()?;
    Some((child, format!(":{}", line.trim())))
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing to run.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    run(
        "recording injector",
        "synthetic:static:320x240@5",
        Some(Box::new(RecordingInjector::new())),
    );
    match xvfb() {
        Some((mut x, display)) => {
            run("XTest on Xvfb", &format!("x11:{display}"), None);
            let _ = x.kill();
            let _ = x.wait();
        }
        None => println!("input latency (XTest): skipped, Xvfb not installed"),
    }
}
