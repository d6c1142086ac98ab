//! Embeds Glass in an application: shares a source with browsers and logs viewers.
//!
//! `cargo run --release --example share [SOURCE] [SECONDS]`, e.g.
//! `cargo run --release --example share synthetic:typing:1280x720@30 60`, then open the
//! printed URL. The share stops after SECONDS (default 60) or when the first viewer leaves.

use std::time::{Duration, Instant};

use glass::share::{Share, ShareConfig, ShareEvent};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let source = args
        .next()
        .unwrap_or_else(|| "synthetic:typing:1280x720@30".into());
    let seconds: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(60);

    let share = Share::start(ShareConfig {
        source: source.parse()?,
        listen: "127.0.0.1:8080".parse()?,
        ..ShareConfig::default()
    })?;
    println!("sharing {source}: open {}", share.url());

    let end = Instant::now() + Duration::from_secs(seconds);
    let mut last_stats = Instant::now();
    while Instant::now() < end {
        match share.events().recv_timeout(Duration::from_millis(200)) {
            Ok(ShareEvent::ViewerJoined { id }) => println!("viewer {id} joined"),
            Ok(ShareEvent::ViewerLeft { id, reason }) => {
                println!("viewer {id} left ({reason})");
                break;
            }
            Ok(ShareEvent::TargetBitrate(bps)) => println!("bitrate target {} kbit/s", bps / 1000),
            Ok(ShareEvent::Control { id, message }) => println!("viewer {id}: {message:?}"),
            Ok(_) | Err(_) => {}
        }
        if last_stats.elapsed() >= Duration::from_secs(5) {
            last_stats = Instant::now();
            if let Some(stats) = share.stats() {
                println!(
                    "{} viewer(s), {} frames sent, {} kB",
                    stats.viewers,
                    stats.transport.frames_sent,
                    stats.transport.bytes_sent / 1000
                );
            }
        }
    }
    // Viewers are told "bye" and show "the sharer has left" at once.
    println!("{}", share.stop()?);
    Ok(())
}
