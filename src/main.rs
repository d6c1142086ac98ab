//! The `glass` command-line tool.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use glass::codecs::{ContentHint, ContentPolicy, EncoderPreference};
use glass::engine::capture::{self, SourceSpec};
use glass::engine::pipeline::{Pipeline, PipelineConfig};

mod audit_cli;
mod help_cli;
mod preflight_cli;

#[derive(Parser)]
#[command(
    name = "glass",
    version,
    about = "Glass: low-latency screen streaming for remote assistance"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Capture the screen and write an H.264 Annex-B stream (any player opens it).
    Record(RecordArgs),
    /// List the displays each capture backend can see.
    Displays,
    /// Share the screen with browsers: prints a viewer URL, streams over WebRTC (WHEP) until
    /// Ctrl-C.
    Share(Box<ShareArgs>),
    /// Measure glass-to-glass latency per stage: a synthetic screen with a timecode probe,
    /// streamed over loopback WebRTC to a receiver that reads the code from decoded pixels.
    Bench(BenchArgs),
    /// Show a synthetic scene with the latency probe in a window on an X display, until
    /// killed (for measuring other screen sharers: benches/peers.sh).
    SceneWindow(SceneWindowArgs),
    /// Run the help broker: sign-in, session codes, consent, chat and signalling, and the
    /// helper's and sharer's web apps. `glass broker --demo` runs with two demo accounts.
    Broker(Box<help_cli::BrokerArgs>),
    /// Enrol devices and record their compliance in the broker's devices file (which the
    /// broker watches): `glass devices enroll --public-key KEY --name NAME --tenant T`.
    Devices(help_cli::DevicesArgs),
    /// Check and report on the broker's audit trail: `glass audit verify --db URL`,
    /// `glass audit report --db URL --format csv`.
    Audit(audit_cli::AuditArgs),
    /// Read latency probes from raw BGRx/BGRA frames on stdin (e.g. a GStreamer receiver's
    /// `fdsink`) and print glass-to-glass latency as JSON.
    ProbeRead(ProbeReadArgs),
}

/// Which way `glass share` lets clipboard text go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ClipboardArg {
    /// Both ways.
    Both,
    /// Only what the sharer copies, to the helper.
    ToHelper,
    /// Only what the helper copies, to the sharer's machine.
    ToSharer,
    /// Neither way.
    Off,
}

/// The measured scene, for `bench` and `scene-window`.
#[derive(clap::Args)]
struct SceneArgs {
    /// What changes on screen: typing, scroll, video, or idle (only the probe changes).
    #[arg(long, default_value = "typing", value_parser = ["typing", "scroll", "video", "idle"])]
    scene: String,
    /// Picture size, WIDTHxHEIGHT (e.g. 1280x720, 1920x1080, 3840x2160); a scene window is
    /// placed at the top-left corner of the screen.
    #[arg(long, default_value = "1920x1080")]
    size: String,
    /// Frame rate: the share's cap, and how often the scene changes.
    #[arg(long, default_value_t = 30)]
    fps: u32,
}

#[derive(clap::Args)]
struct SceneWindowArgs {
    /// X display (default: $DISPLAY).
    #[arg(long)]
    display: Option<String>,
    #[command(flatten)]
    scene: SceneArgs,
    /// The probe's epoch, microseconds since the Unix epoch (default: now); give the same
    /// value to the reader.
    #[arg(long, value_name = "US")]
    epoch_unix_us: Option<u64>,
}

#[derive(clap::Args)]
struct ProbeReadArgs {
    /// Size of each raw frame on stdin, WIDTHxHEIGHT (4 bytes per pixel, B G R x).
    #[arg(long)]
    size: String,
    /// Where the probe is in those frames and its block size: X,Y,BLOCK.
    #[arg(long, value_name = "X,Y,BLOCK")]
    probe: String,
    /// The probe's epoch, microseconds since the Unix epoch (as given to scene-window).
    #[arg(long, value_name = "US")]
    epoch_unix_us: u64,
    /// Seconds to discard first.
    #[arg(long, default_value_t = 1.5)]
    warmup: f64,
    /// Seconds to measure; stops earlier at the end of the input.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
}

#[derive(clap::Args)]
struct BenchArgs {
    /// Where the pixels come from: synthetic (drawn by the source itself, no capture) or
    /// x11[:DISPLAY] (a window showing the scene on the X display, captured like `share`).
    #[arg(
        long,
        default_value = "synthetic",
        value_name = "synthetic|x11[:DISPLAY]"
    )]
    source: String,
    #[command(flatten)]
    scene: SceneArgs,
    /// Seconds to measure (after a 1.5 s warm-up).
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// The receiver: native (str0m + openh264 in this process) or chromium (headless
    /// Chromium playing the viewer page; needs scripts/setup.sh's Node.js packages).
    #[arg(long, default_value = "native", value_parser = ["native", "chromium"])]
    viewer: String,
    /// Encoder tuning: auto (measured at start, switched between the two as the link allows),
    /// screen (text, UI: fewer bytes, more time) or motion (video: less time, more bytes).
    #[arg(long, default_value = "auto", value_parser = ["auto", "screen", "motion"])]
    content: String,
    /// Video codec: auto (H.264, which the viewer here always takes), h264 or vp8.
    #[arg(long, default_value = "auto", value_parser = ["auto", "h264", "vp8"])]
    codec: String,
    /// Datagrams lost in each direction, percent (0..=50).
    #[arg(long, default_value_t = 0.0, value_name = "PCT")]
    loss: f64,
    /// One-way delay added in each direction, milliseconds (0..=2000).
    #[arg(long, default_value_t = 0, value_name = "MS")]
    delay: u64,
    /// Send the media through this TURN relay (relayed candidates only), to measure what a
    /// relay adds: turn:HOST:PORT[?transport=udp|tcp] or turns:HOST:PORT.
    #[arg(long, value_name = "URL", requires = "relay_user")]
    relay: Option<String>,
    /// The relay's user name (coturn --user, or a TURN REST `expiry:name`).
    #[arg(long, value_name = "NAME")]
    relay_user: Option<String>,
    /// The relay's password.
    #[arg(
        long,
        value_name = "PASSWORD",
        env = "GLASS_BENCH_RELAY_PASSWORD",
        hide_env_values = true
    )]
    relay_password: Option<String>,
    /// Do not stream the pointer beside the video (an X11 source streams it by default):
    /// to measure what it costs.
    #[arg(long)]
    no_cursor: bool,
    /// Write the summary and every sample as JSON.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Draw the latency distribution and time series as SVG.
    #[arg(long, value_name = "FILE.svg")]
    plot: Option<PathBuf>,
    /// Compare the run's p50 figures with a committed baseline (e.g. bench/baseline.json)
    /// and exit non-zero when one is over --max-ratio × and --slack-ms above it. The run
    /// takes its settings (scene, size, fps, seconds) from the file.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// With --baseline: how many times the baseline a figure may be.
    #[arg(long, value_name = "RATIO", default_value_t = glass_bench::guard::Tolerance::default().max_ratio)]
    max_ratio: f64,
    /// With --baseline: how many ms above the baseline any figure may be, whatever the ratio.
    #[arg(long, value_name = "MS", default_value_t = glass_bench::guard::Tolerance::default().slack_ms)]
    slack_ms: f64,
    /// Write this run's p50 figures as a baseline (synthetic source, native viewer, no
    /// impairment or relay).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ShareArgs {
    /// What to share: x11[:DISPLAY[@MONITOR]], wayland[:mutter[@CONNECTOR]] (GNOME, no
    /// dialog), wayland:portal (any desktop with xdg-desktop-portal: the sharer approves in
    /// its dialog; where the portal can remember that, its restore token is kept in
    /// $XDG_STATE_HOME/glass/portal-restore-token, readable by you only, and the next share
    /// asks no more; see docs/wayland.md), synthetic[:SCENE[:WxH[@FPS]]], macos[:ID],
    /// windows[:dxgi|wgc][:DISPLAYn] (see docs/windows.md).
    #[arg(long, default_value = if cfg!(target_os = "macos") {
        "macos"
    } else if cfg!(windows) {
        "windows"
    } else {
        "x11"
    })]
    source: String,
    /// X display for an x11 source (e.g. :0); overrides the one in --source.
    #[arg(long)]
    display: Option<String>,
    /// HTTP address for the viewer page and WHEP signalling.
    #[arg(long, default_value = "0.0.0.0:8080")]
    listen: std::net::SocketAddr,
    /// Require this token from viewers (it is put into the printed URL).
    #[arg(long)]
    token: Option<String>,
    /// Let pages from this origin use the WHEP endpoint (repeatable; `*` for any, e.g. a
    /// public endpoint behind --token). The embedded viewer needs none.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    allow_origin: Vec<String>,
    /// Keep the share on the display --source names: viewers cannot switch to another
    /// (the helper's "Select monitor"). `glass displays` lists them.
    #[arg(long)]
    fixed_display: bool,
    /// Copy and paste with a helper who has full control: both ways, one way, or off (the
    /// organisation's setting can narrow it further). Never with a view-only helper.
    #[arg(long, value_enum, default_value = "both")]
    clipboard: ClipboardArg,
    /// On X11, text from the helper also goes to the primary selection (middle-click paste).
    #[arg(long)]
    clipboard_primary: bool,
    /// Local IP address to offer WebRTC media on (repeatable; default: the default-route
    /// address and loopback).
    #[arg(long = "bind", value_name = "IP")]
    bind: Vec<std::net::IpAddr>,
    /// Public address of a 1:1 NAT (cloud VM) to offer as well.
    #[arg(long, value_name = "IP")]
    public_ip: Option<std::net::IpAddr>,
    /// STUN server (IP:PORT, repeatable) to learn this machine's public address from
    /// (server-reflexive candidates), for a sharer behind NAT.
    #[arg(long = "stun", value_name = "IP:PORT")]
    stun: Vec<std::net::SocketAddr>,
    /// A CA certificate (PEM file, repeatable) that a `turns:` relay's certificate may chain
    /// to, besides the public roots: for a relay whose certificate a private CA signed.
    #[arg(long = "turn-ca", value_name = "FILE")]
    turn_ca: Vec<std::path::PathBuf>,
    /// UDP port for WebRTC media (0: any free port).
    #[arg(long, default_value_t = 0)]
    udp_port: u16,
    /// Frame-rate cap.
    #[arg(long, default_value_t = 30)]
    fps: u32,
    /// Highest video bitrate in kbit/s (the bandwidth estimate steers below it).
    #[arg(long, default_value_t = 8000)]
    max_bitrate_kbps: u32,
    /// Encoder tuning: auto (measured at start, switched between the two as the link allows),
    /// screen (text, UI: fewer bytes, more time) or motion (video: less time, more bytes).
    #[arg(long, default_value = "auto", value_parser = ["auto", "screen", "motion"])]
    content: String,
    /// Video codec: auto (H.264 while every viewer takes it, VP8 when one takes only VP8,
    /// as Firefox without its OpenH264 plugin), h264 or vp8 (viewers that cannot receive it
    /// are refused).
    #[arg(long, default_value = "auto", value_parser = ["auto", "h264", "vp8"])]
    codec: String,
    /// What viewers may do: view (input is dropped) or full (mouse and keyboard are
    /// injected into the shared display).
    #[arg(long, default_value = "view", value_name = "view|full")]
    control: glass::engine::input::ControlLevel,
    /// Join a help session through this broker (http[s]://host[:port]) instead of serving
    /// viewers directly: sign in, enter the helper's code, allow or decline here.
    #[arg(long, value_name = "URL")]
    broker: Option<String>,
    /// Broker sign-in name (asked when missing); the password comes from $GLASS_PASSWORD or
    /// standard input.
    #[arg(long, requires = "broker")]
    user: Option<String>,
    /// Sign in with this OIDC issuer of the broker (its id, as in the broker's config)
    /// through the system browser instead of a password; the address is printed too.
    #[arg(
        long,
        value_name = "ISSUER",
        requires = "broker",
        conflicts_with = "user"
    )]
    sign_in: Option<String>,
    /// The helper's session code (asked when missing).
    #[arg(long, requires = "broker")]
    code: Option<String>,
    /// Where to answer the helper's requests: browser (a page served on 127.0.0.1 only and
    /// opened in the default browser; the terminal still stops with Ctrl-C or /stop) or
    /// terminal (type y to allow). Default: browser when there is a display ($DISPLAY,
    /// $WAYLAND_DISPLAY, macOS, Windows) and standard input is a terminal, else terminal.
    #[arg(long, value_name = "browser|terminal", requires = "broker")]
    approve_in: Option<help_cli::ApproveIn>,
    /// This device's key (made on first use, readable by you only), proven to the broker so
    /// an enrolled device is recognised. Default: glass/device.key in your configuration
    /// directory.
    #[arg(long, value_name = "FILE", requires = "broker")]
    device_key: Option<PathBuf>,
    /// Check the helper's identity on this computer: the OIDC issuer (URL, exactly as in its
    /// tokens) whose helpers are verified here, and refused when they cannot be. Without it
    /// the helper's card is the broker's word, and shown as such.
    #[arg(long, value_name = "URL", requires_all = ["broker", "helper_client_id"])]
    helper_issuer: Option<String>,
    /// The broker's client id at --helper-issuer (the helper's token's audience).
    #[arg(long, value_name = "ID", requires = "helper_issuer")]
    helper_client_id: Option<String>,
    /// With --helper-issuer: show a helper who cannot be verified (marked so) instead of
    /// refusing them.
    #[arg(long, requires = "helper_issuer")]
    allow_unverified_helper: bool,
    /// wayland:portal: forget the portal's stored restore token first, so its dialog asks
    /// again (the grant it remembered is not used).
    #[arg(long)]
    forget_portal_token: bool,
    /// macOS: when Screen Recording or Accessibility is not allowed, do not open System
    /// Settings at its pane (what to switch on is still printed).
    #[arg(long)]
    no_open_settings: bool,
    /// macOS: show the system's own request for each missing permission (and list Glass in
    /// its pane) instead of opening System Settings.
    #[arg(long, conflicts_with = "no_open_settings")]
    request_access: bool,
}

#[derive(clap::Args)]
struct RecordArgs {
    /// What to capture: synthetic[:SCENE[:WxH[@FPS]]] (scenes: static, typing, scroll, video),
    /// x11[:DISPLAY[@MONITOR]], macos[:DISPLAY_ID], windows[:dxgi|wgc][:DISPLAYn].
    #[arg(long, default_value = "synthetic:typing")]
    source: String,
    /// How long to record, in seconds.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Output file: an H.264 Annex-B elementary stream, or IVF for `--codec vp8`.
    #[arg(long)]
    out: PathBuf,
    /// Frame-rate cap.
    #[arg(long, default_value_t = 30)]
    fps: u32,
    /// Target bitrate in kbit/s (default: from the frame size).
    #[arg(long)]
    bitrate_kbps: Option<u32>,
    /// Encoder: auto (hardware if present), hardware, software.
    #[arg(long, default_value = "auto", value_parser = ["auto", "hardware", "software"])]
    encoder: String,
    /// Encoder tuning: auto (measured at start, switched between the two as the link allows),
    /// screen (text, UI: fewer bytes, more time) or motion (video: less time, more bytes).
    #[arg(long, default_value = "auto", value_parser = ["auto", "screen", "motion"])]
    content: String,
    /// Video codec: auto or h264 (an H.264 Annex-B file), or vp8 (an IVF file).
    #[arg(long, default_value = "auto", value_parser = ["auto", "h264", "vp8"])]
    codec: String,
    /// Encoder threads (0: auto).
    #[arg(long, default_value_t = 0)]
    threads: u32,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("GLASS_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(), // --help, --version
        Err(e) => {
            // One line naming the problem (clap adds usage lines; `--help` has them).
            let text = e.to_string();
            let problem: Vec<&str> = text
                .lines()
                .take_while(|l| !l.is_empty() && !l.starts_with("Usage:"))
                .map(str::trim)
                .collect();
            eprintln!(
                "glass: {} (see glass --help)",
                problem.join(" ").trim_start_matches("error: ")
            );
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Record(args) => record(args),
        Command::Displays => displays(),
        Command::Share(args) => share(*args),
        Command::Bench(args) => bench(args),
        Command::SceneWindow(args) => scene_window(args),
        Command::ProbeRead(args) => probe_read(args),
        Command::Broker(args) => help_cli::broker(*args),
        Command::Devices(args) => help_cli::devices(args),
        Command::Audit(args) => audit_cli::audit(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line naming the problem and its causes.
            let mut msg = format!("glass: {e}");
            for cause in e.chain().skip(1) {
                msg.push_str(&format!(": {cause}"));
            }
            eprintln!("{msg}");
            ExitCode::FAILURE
        }
    }
}

fn displays() -> anyhow::Result<()> {
    let (found, failed) = capture::displays();
    let mut out = std::io::stdout().lock();
    for d in &found {
        writeln!(
            out,
            "{:<18} {:<12} {:>5}x{:<5} at {:>5},{:<5} {}{}",
            d.backend,
            d.id,
            d.width,
            d.height,
            d.x,
            d.y,
            d.name,
            if d.primary { " (primary)" } else { "" }
        )?;
    }
    for (backend, e) in &failed {
        writeln!(out, "{backend:<18} unavailable: {e}")?;
    }
    Ok(())
}

fn record(args: RecordArgs) -> anyhow::Result<()> {
    if !(args.seconds > 0.0 && args.seconds <= 86_400.0) {
        bail!(
            "--seconds must be between 0 and 86400, got {}",
            args.seconds
        );
    }
    let spec: SourceSpec = args.source.parse().context("--source")?;
    let config = PipelineConfig {
        max_fps: args.fps,
        bitrate_bps: args.bitrate_kbps.map(|k| k.saturating_mul(1000)),
        encoder: match args.encoder.as_str() {
            "hardware" => EncoderPreference::Hardware,
            "software" => EncoderPreference::Software,
            _ => EncoderPreference::Auto,
        },
        content: content_policy(&args.content),
        encoder_threads: args.threads,
        codec: if args.codec == "vp8" {
            glass::codecs::Codec::Vp8
        } else {
            glass::codecs::Codec::H264
        },
        ..PipelineConfig::default()
    };
    let ivf = config.codec == glass::codecs::Codec::Vp8;
    config.validate()?;
    // Open the source first: a missing X server or permission leaves no empty file behind.
    let capturer = capture::open(&spec)?;
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(&args.out)
            .with_context(|| format!("cannot create {}", args.out.display()))?,
    );
    if ivf {
        // The size is patched in once the first frame is known; the count at the end.
        file.write_all(&ivf_header(0, 0, 0))
            .with_context(|| format!("writing {}", args.out.display()))?;
    }
    let info = capturer.info();
    eprintln!(
        "glass: recording {} ({}x{}, {}) for {} s to {}",
        info.display.name,
        info.display.width,
        info.display.height,
        info.backend,
        args.seconds,
        args.out.display()
    );
    let cpu0 = glass_bench::cpu::process_cpu_time();
    let t0 = Instant::now();
    let pipeline = Pipeline::start(capturer, config)?;
    let end = t0 + Duration::from_secs_f64(args.seconds);
    let mut frames = 0u64;
    let mut bytes = 0u64;
    let mut size = None;
    while Instant::now() < end && !pipeline.is_failed() {
        let wait = end
            .saturating_duration_since(Instant::now())
            .min(Duration::from_millis(100));
        if let Ok(f) = pipeline.packets().recv_timeout(wait) {
            // A recording always starts at a keyframe.
            if frames == 0 && !f.packet.keyframe {
                continue;
            }
            if ivf {
                let pts = f.packet.params.pts.as_millis() as u64;
                let mut head = [0u8; 12];
                head[..4].copy_from_slice(&(f.packet.data.len() as u32).to_le_bytes());
                head[4..].copy_from_slice(&pts.to_le_bytes());
                file.write_all(&head)
                    .with_context(|| format!("writing {}", args.out.display()))?;
            }
            file.write_all(&f.packet.data)
                .with_context(|| format!("writing {}", args.out.display()))?;
            frames += 1;
            bytes += f.packet.data.len() as u64;
            size = Some((f.width, f.height));
        }
    }
    let stats = pipeline.stop()?;
    if ivf && let Some((w, h)) = size {
        use std::io::{Seek, SeekFrom};
        file.seek(SeekFrom::Start(0))
            .and_then(|_| file.write_all(&ivf_header(w, h, frames as u32)))
            .with_context(|| format!("writing {}", args.out.display()))?;
    }
    file.flush()
        .with_context(|| format!("writing {}", args.out.display()))?;
    let wall = t0.elapsed();
    let cpu = glass_bench::cpu::process_cpu_time().saturating_sub(cpu0);
    let (w, h) = size.unwrap_or((0, 0));
    eprintln!(
        "glass: wrote {frames} frames ({w}x{h}), {:.1} kB, {:.0} kbit/s; CPU {:.0} ms per second of stream",
        bytes as f64 / 1000.0,
        bytes as f64 * 8.0 / 1000.0 / wall.as_secs_f64(),
        cpu.as_secs_f64() * 1000.0 / wall.as_secs_f64()
    );
    eprintln!("glass: {stats}");
    if frames == 0 {
        bail!("no frame was encoded (is the source producing anything?)");
    }
    Ok(())
}

/// An IVF file header (the container `vpxdec` and ffmpeg read VP8 from): VP80, a millisecond
/// time base, `frames` frames of `w`×`h`.
fn ivf_header(w: u32, h: u32, frames: u32) -> [u8; 32] {
    let mut b = [0u8; 32];
    b[..4].copy_from_slice(b"DKIF");
    b[6..8].copy_from_slice(&32u16.to_le_bytes());
    b[8..12].copy_from_slice(b"VP80");
    b[12..14].copy_from_slice(&(w as u16).to_le_bytes());
    b[14..16].copy_from_slice(&(h as u16).to_le_bytes());
    b[16..20].copy_from_slice(&1000u32.to_le_bytes());
    b[20..24].copy_from_slice(&1u32.to_le_bytes());
    b[24..28].copy_from_slice(&frames.to_le_bytes());
    b
}

/// `--codec`, already limited by clap to auto, h264 or vp8: the codecs the sharer may send.
fn codec_set(arg: &str) -> glass::transport::CodecSet {
    use glass::transport::{CodecSet, VideoCodec};
    match arg {
        "h264" => CodecSet::only(VideoCodec::H264),
        "vp8" => CodecSet::only(VideoCodec::Vp8),
        _ => CodecSet::ALL,
    }
}

/// `--content`, already limited by clap to auto, screen or motion.
fn content_policy(arg: &str) -> ContentPolicy {
    match arg {
        "screen" => ContentPolicy::Fixed(ContentHint::Screen),
        "motion" => ContentPolicy::Fixed(ContentHint::Motion),
        _ => ContentPolicy::Adaptive,
    }
}

fn bench(args: BenchArgs) -> anyhow::Result<()> {
    use glass_bench::{BenchConfig, BenchSource, ViewerKind};

    let scene = parse_scene(&args.scene.scene);
    let (w, h) = parse_size("--size", &args.scene.size)?;
    if !(0.0..=50.0).contains(&args.loss) {
        bail!("--loss {}: expected a percentage from 0 to 50", args.loss);
    }
    if args.delay > 2000 {
        bail!("--delay {}: expected 0 to 2000 ms", args.delay);
    }
    let source = match args.source.split_once(':') {
        None if args.source == "synthetic" => BenchSource::Synthetic,
        None if args.source == "x11" => BenchSource::X11 { display: None },
        Some(("x11", d)) if !d.is_empty() => BenchSource::X11 {
            display: Some(format!(":{}", d.trim_start_matches(':'))),
        },
        _ => bail!(
            "--source {:?}: expected synthetic, x11 or x11:DISPLAY (e.g. x11:99)",
            args.source
        ),
    };
    let tolerance = glass_bench::guard::Tolerance {
        max_ratio: args.max_ratio,
        slack_ms: args.slack_ms,
    };
    if !(args.max_ratio.is_finite() && (1.0..=1000.0).contains(&args.max_ratio)) {
        bail!("--max-ratio {}: expected 1 to 1000", args.max_ratio);
    }
    if !(args.slack_ms.is_finite() && (0.0..=10_000.0).contains(&args.slack_ms)) {
        bail!("--slack-ms {}: expected 0 to 10000 ms", args.slack_ms);
    }
    let baseline = match &args.baseline {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("--baseline: cannot read {}", path.display()))?;
            Some(
                glass_bench::guard::Baseline::parse(&text)
                    .with_context(|| format!("--baseline {}", path.display()))?,
            )
        }
        None => None,
    };
    let mut config = BenchConfig {
        source,
        scene,
        width: w,
        height: h,
        fps: args.scene.fps,
        seconds: args.seconds,
        viewer: if args.viewer == "chromium" {
            ViewerKind::Chromium
        } else {
            ViewerKind::Native
        },
        loss: args.loss / 100.0,
        delay: Duration::from_millis(args.delay),
        content: content_policy(&args.content),
        codecs: codec_set(&args.codec),
        relay: match &args.relay {
            Some(url) => {
                let Some(password) = &args.relay_password else {
                    bail!(
                        "--relay: give the relay's password in $GLASS_BENCH_RELAY_PASSWORD (or --relay-password)"
                    );
                };
                let user = args.relay_user.as_deref().unwrap_or_default();
                Some(
                    glass::transport::TurnServer::from_url(url, user, password)
                        .map_err(|e| anyhow::anyhow!("--relay {url:?}: {e}"))?,
                )
            }
            None => None,
        },
        cursor: !args.no_cursor,
        ..BenchConfig::default()
    };
    if let Some(b) = &baseline {
        // The baseline's settings, so that the figures compare; other flags that change what
        // is measured (source, viewer, impairment) are refused by check_config.
        let from_file = b.config();
        config.scene = from_file.scene;
        (config.width, config.height, config.fps) =
            (from_file.width, from_file.height, from_file.fps);
        (config.seconds, config.warmup) = (from_file.seconds, from_file.warmup);
        config.content = from_file.content;
        b.check_config(&config)?;
    }
    config.validate()?;
    #[cfg(target_os = "linux")]
    if let BenchSource::X11 { display } = &config.source {
        // Fail before the "measuring" line if the X display is not there.
        glass::engine::capture::x11::displays(display.as_deref())?;
    }
    for path in [&args.json, &args.plot, &args.write_baseline]
        .into_iter()
        .flatten()
    {
        // Fail before a long run, not after it.
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!(
        "glass: measuring for {:.0} s after a warm-up…",
        config.seconds
    );
    let report = glass_bench::run(&config)?;
    print!("{}", report.table());
    if !report.stage_counters.is_empty() {
        println!(
            "{}",
            glass_bench::guard::counters_line(&report.stage_counters)
        );
    }
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_vec_pretty(&report.json())?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.plot {
        std::fs::write(path, report.svg())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.write_baseline {
        let command: Vec<String> = std::env::args().skip(1).collect();
        let produced_by = format!(
            "glass {} ({} build), {} cores, {}",
            command.join(" "),
            if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            },
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            report.title
        );
        let b = glass_bench::guard::Baseline::from_run(&config, &report, &produced_by)?;
        std::fs::write(path, serde_json::to_string_pretty(&b.json())? + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(b) = &baseline {
        let comparison = glass_bench::guard::Comparison::new(b, &report, tolerance);
        print!("{}", comparison.table());
        comparison.verdict()?;
    }
    Ok(())
}

fn parse_scene(name: &str) -> glass::engine::capture::synthetic::Scene {
    use glass::engine::capture::synthetic::Scene;
    match name {
        "idle" => Scene::Static,
        "scroll" => Scene::Scroll,
        "video" => Scene::Video,
        _ => Scene::Typing,
    }
}

fn parse_size(flag: &str, size: &str) -> anyhow::Result<(u32, u32)> {
    size.split_once('x')
        .and_then(|(w, h)| Some((w.parse::<u32>().ok()?, h.parse::<u32>().ok()?)))
        .filter(|&(w, h)| w > 0 && h > 0)
        .with_context(|| format!("{flag} {size:?}: expected WIDTHxHEIGHT, e.g. 1920x1080"))
}

/// The `Instant` that is `unix_us` on the wallclock.
fn epoch_from_unix_us(unix_us: u64) -> anyhow::Result<std::time::Instant> {
    let wall = std::time::SystemTime::UNIX_EPOCH + Duration::from_micros(unix_us);
    let ago = std::time::SystemTime::now()
        .duration_since(wall)
        .map_err(|_| anyhow::anyhow!("--epoch-unix-us {unix_us} is in the future"))?;
    std::time::Instant::now()
        .checked_sub(ago)
        .with_context(|| format!("--epoch-unix-us {unix_us} is too far in the past"))
}

#[cfg(target_os = "linux")]
fn scene_window(args: SceneWindowArgs) -> anyhow::Result<()> {
    use glass::engine::capture::synthetic::{Scene, SyntheticConfig};
    use glass::engine::capture::x11::{SceneWindow, SceneWindowConfig};

    let (width, height) = parse_size("--size", &args.scene.size)?;
    let scene = parse_scene(&args.scene.scene);
    let unix_us = match args.epoch_unix_us {
        Some(us) => us,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_micros() as u64,
    };
    let epoch = epoch_from_unix_us(unix_us)?;
    let window = SceneWindow::open(SceneWindowConfig {
        display: args.display,
        scene: SyntheticConfig {
            scene,
            width,
            height,
            fps: args.scene.fps,
        },
        probe_epoch: (scene != Scene::Static).then_some(epoch),
    })?;
    let probe = window
        .probe()
        .map(|p| serde_json::json!({"x": p.x, "y": p.y, "block": p.block}));
    println!(
        "{}",
        serde_json::json!({"ready": true, "probe": probe, "epochUnixUs": unix_us,
                           "width": width, "height": height})
    );
    std::io::Write::flush(&mut std::io::stdout())?;
    // Until killed (the X connection goes with the process, and the window with it), or
    // until drawing fails.
    loop {
        std::thread::sleep(Duration::from_millis(500));
        if window.is_finished() {
            return window.close().map_err(Into::into);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn scene_window(_args: SceneWindowArgs) -> anyhow::Result<()> {
    bail!("scene-window needs Linux (an X display with MIT-SHM)")
}

fn probe_read(args: ProbeReadArgs) -> anyhow::Result<()> {
    use glass::engine::probe::Probe;
    use glass_bench::Percentiles;
    use std::io::Read;

    let (w, h) = parse_size("--size", &args.size)?;
    let nums: Vec<u32> = args
        .probe
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()
        .filter(|v: &Vec<u32>| v.len() == 3)
        .with_context(|| format!("--probe {:?}: expected X,Y,BLOCK", args.probe))?;
    let probe = Probe::new(nums[0], nums[1], nums[2]);
    if !probe.fits(w, h) {
        bail!("--probe {}: does not fit a {w}x{h} frame", args.probe);
    }
    let epoch = epoch_from_unix_us(args.epoch_unix_us)?;
    let stride = w as usize * 4;
    let mut frame = vec![0u8; stride * h as usize];
    let mut stdin = std::io::stdin().lock();
    let start = std::time::Instant::now();
    let from = start + Duration::from_secs_f64(args.warmup);
    let end = from + Duration::from_secs_f64(args.seconds);
    let (mut lat, mut frames, mut unreadable) = (Vec::new(), 0u64, 0u64);
    let mut first: Option<std::time::Instant> = None;
    loop {
        if stdin.read_exact(&mut frame).is_err() {
            break; // end of input
        }
        let now = std::time::Instant::now();
        if now >= end {
            break;
        }
        if now < from {
            continue;
        }
        first.get_or_insert(now);
        frames += 1;
        match probe.read_bgra(&frame, stride) {
            Some(code) => lat.push(code_latency_us(code, epoch, now)),
            None => unreadable += 1,
        }
    }
    let secs = first.map_or(0.0, |f| f.elapsed().as_secs_f64()).max(1e-9);
    let p = Percentiles::of(&mut lat);
    let ms = |us: u32| f64::from(us) / 1000.0;
    println!(
        "{}",
        serde_json::json!({
            "frames": frames, "unreadable": unreadable, "fps": frames as f64 / secs,
            "p50_ms": ms(p.p50), "p95_ms": ms(p.p95), "p99_ms": ms(p.p99), "max_ms": ms(p.max),
        })
    );
    if p.n == 0 {
        bail!("no readable probe in {frames} frames");
    }
    Ok(())
}

fn code_latency_us(
    code: glass::engine::probe::Timecode,
    epoch: std::time::Instant,
    now: std::time::Instant,
) -> u32 {
    code.latency(epoch, now)
        .as_micros()
        .min(u128::from(u32::MAX)) as u32
}

/// Removes the xdg-desktop-portal restore token `wayland:portal` keeps (never printed).
#[cfg(target_os = "linux")]
fn forget_portal_token() -> anyhow::Result<()> {
    use glass::engine::wayland::portal;
    let Some(path) = portal::default_token_path() else {
        bail!("--forget-portal-token: neither XDG_STATE_HOME nor HOME is set");
    };
    let had = portal::forget_token(&path)
        .with_context(|| format!("--forget-portal-token: {}", path.display()))?;
    eprintln!(
        "{} {}",
        if had {
            "Forgot the portal's restore token:"
        } else {
            "No portal restore token to forget at"
        },
        path.display()
    );
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn forget_portal_token() -> anyhow::Result<()> {
    bail!("--forget-portal-token applies to wayland:portal sources (Linux) only")
}

fn share(args: ShareArgs) -> anyhow::Result<()> {
    use glass::share::{Share, ShareConfig, ShareEvent};

    let mut source: SourceSpec = args.source.parse().context("--source")?;
    if let Some(d) = args.display {
        match &mut source {
            SourceSpec::X11 { display, .. } => {
                *display = Some(if d.contains(':') { d } else { format!(":{d}") });
            }
            _ => bail!(
                "--display applies to x11 sources only (got --source {})",
                args.source
            ),
        }
    }
    if args.forget_portal_token {
        forget_portal_token()?;
    }
    let pipeline = PipelineConfig {
        max_fps: args.fps,
        content: content_policy(&args.content),
        ..ShareConfig::pipeline_defaults()
    };
    pipeline.validate()?;
    let max_bps = args.max_bitrate_kbps.saturating_mul(1000);
    let mut turn_tls_roots = Vec::new();
    for path in &args.turn_ca {
        let pem = std::fs::read(path).with_context(|| format!("--turn-ca {}", path.display()))?;
        turn_tls_roots.extend(
            glass::transport::TurnTls::roots_from_pem(&pem)
                .with_context(|| format!("--turn-ca {}", path.display()))?,
        );
    }
    let defaults = glass::transport::TransportConfig::default();
    let transport = glass::transport::TransportConfig {
        turn_tls_roots,
        bind: args.bind,
        port: args.udp_port,
        public_ip: args.public_ip,
        stun_servers: args.stun,
        max_bitrate_bps: max_bps,
        start_bitrate_bps: defaults.start_bitrate_bps.min(max_bps),
        min_bitrate_bps: defaults.min_bitrate_bps.min(max_bps),
        codecs: codec_set(&args.codec),
        ..defaults
    };
    transport.validate().context("transport")?;
    // Before anything is shared: what macOS does not allow yet, what to switch on and where.
    // Through a broker the helper asks later; a full-control request is then declined by the
    // agent with the reason if Accessibility is still off.
    let wanted = if args.broker.is_some() {
        glass::engine::input::ControlLevel::View
    } else {
        args.control
    };
    let plan = preflight_cli::run(
        &source,
        wanted,
        &preflight_cli::Ask {
            open_settings: !args.no_open_settings,
            request_access: args.request_access,
        },
    );
    let mut watcher = preflight_cli::Watcher::new(&source, &plan);
    let config = ShareConfig {
        source,
        pipeline,
        listen: args.listen,
        token: args.token,
        transport,
        // Full control without Accessibility: view only (said above) rather than refusing.
        control: plan.level,
        serve_http: args.broker.is_none(),
        allowed_origins: args.allow_origin,
        cursor: true,
        display_switching: !args.fixed_display,
        clipboard: glass::agent::clipboard::ClipboardPolicy {
            to_helper: matches!(args.clipboard, ClipboardArg::Both | ClipboardArg::ToHelper),
            to_sharer: matches!(args.clipboard, ClipboardArg::Both | ClipboardArg::ToSharer),
            primary: args.clipboard_primary,
        },
    };
    if let Some(broker) = args.broker {
        if args.control != glass::engine::input::ControlLevel::View {
            bail!("--control: with --broker the sharer allows control when the helper asks");
        }
        return help_cli::share_via_broker(
            help_cli::HelpArgs {
                broker,
                user: args.user,
                sign_in: args.sign_in,
                code: args.code,
                approve_in: args.approve_in.unwrap_or_else(help_cli::ApproveIn::detect),
                device_key: args.device_key,
                helper_trust: match (args.helper_issuer, args.helper_client_id) {
                    (Some(issuer), Some(client_id)) => {
                        let mut trust =
                            glass::agent::helper_identity::HelperTrust::issuer(&issuer, &client_id);
                        trust.require_verified = !args.allow_unverified_helper;
                        trust.validate().map_err(|e| {
                            anyhow::anyhow!("--{}: {}", e.field.replace('_', "-"), e.reason)
                        })?;
                        trust
                    }
                    _ => Default::default(),
                },
            },
            config,
        );
    }
    let share = Share::start(config)?;
    let info = share.source();
    eprintln!(
        "glass: sharing {} ({}x{}, {}); media on {}",
        info.display.name,
        info.display.width,
        info.display.height,
        info.backend,
        share
            .media_addrs()
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    {
        let mut out = std::io::stdout().lock();
        for url in share.urls() {
            writeln!(out, "{url}")?;
        }
        out.flush()?;
    }
    if let Some(s) = share.stats() {
        eprintln!(
            "glass: viewers get {} control (input injector: {})",
            s.input.default_level.as_str(),
            s.input.injector
        );
    }
    eprintln!("glass: open the URL in a browser; Ctrl-C stops sharing");

    // Ctrl-C or SIGTERM ends the share; a small runtime thread turns the signal into a message.
    let (stop_tx, stop_rx) = crossbeam_channel::bounded::<()>(1);
    let signals = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("signal handler")?;
    std::thread::Builder::new()
        .name("glass-signals".into())
        .spawn(move || {
            signals.block_on(async {
                #[cfg(unix)]
                {
                    use tokio::signal::unix::{SignalKind, signal};
                    match signal(SignalKind::terminate()) {
                        Ok(mut term) => tokio::select! {
                            _ = tokio::signal::ctrl_c() => {}
                            _ = term.recv() => {}
                        },
                        Err(_) => {
                            let _ = tokio::signal::ctrl_c().await;
                        }
                    }
                }
                #[cfg(not(unix))]
                let _ = tokio::signal::ctrl_c().await;
            });
            let _ = stop_tx.send(());
        })
        .context("signal handler")?;
    // Input and control counters, live: a line whenever they changed (at most every 5 s).
    let status_tick = crossbeam_channel::tick(Duration::from_secs(5));
    let permission_tick = crossbeam_channel::tick(Duration::from_secs(1));
    let mut last_status = String::new();
    loop {
        crossbeam_channel::select! {
            recv(stop_rx) -> _ => break,
            recv(permission_tick) -> _ => {
                // Accessibility granted while sharing: the full control asked for, now.
                let changes = watcher.poll(Instant::now());
                if args.control == glass::engine::input::ControlLevel::Full
                    && preflight_cli::control_granted(&changes)
                {
                    match share.set_control(args.control) {
                        Ok(()) => eprintln!("glass: viewers get full control now"),
                        Err(e) => eprintln!("glass: full control still unavailable: {e:#}"),
                    }
                }
            }
            recv(status_tick) -> _ => {
                if let Some(s) = share.stats() {
                    let i = &s.input.stats;
                    let line = format!(
                        "glass: {} viewers; input {} received, {} injected, {} rejected \
                         (+{} on the wrong channel or as text), {} view-only, {} rate-limited; \
                         {} control messages rejected",
                        s.viewers,
                        i.received,
                        i.injected,
                        i.rejected,
                        s.transport.input_rejected,
                        i.dropped_view_only,
                        i.rate_limited,
                        s.transport.control_rejected,
                    );
                    if line != last_status {
                        eprintln!("{line}");
                        last_status = line;
                    }
                }
            }
            recv(share.events()) -> event => match event {
                Ok(ShareEvent::ViewerJoined { id }) => eprintln!("glass: viewer {id} joined"),
                Ok(ShareEvent::CodecChanged(codec)) => {
                    eprintln!("glass: video now in {codec}, which every viewer can receive");
                }
                Ok(ShareEvent::ViewerLeft { id, reason }) => {
                    eprintln!("glass: viewer {id} left ({reason})");
                }
                Ok(ShareEvent::PipelineFailed) => {
                    eprintln!("glass: capture stopped; ending the share");
                    break;
                }
                Ok(_) => {}
                Err(_) => break,
            },
        }
    }
    eprintln!("glass: stopping");
    if let Some(s) = share.stats() {
        let i = s.input;
        eprintln!(
            "glass: input: {} received, {} injected, {} rejected, {} view-only, {} stale, \
             {} rate-limited, {} failed, {} released; latency p50 {:.1} ms, p99 {:.1} ms \
             ({} samples); transport dropped {}",
            i.stats.received,
            i.stats.injected,
            i.stats.rejected,
            i.stats.dropped_view_only,
            i.stats.dropped_stale,
            i.stats.rate_limited,
            i.stats.inject_failed,
            i.stats.released,
            f64::from(i.latency.p50_us) / 1000.0,
            f64::from(i.latency.p99_us) / 1000.0,
            i.latency.samples,
            s.transport.input_dropped,
        );
    }
    let stats = share.stop()?;
    eprintln!("glass: {stats}");
    Ok(())
}
