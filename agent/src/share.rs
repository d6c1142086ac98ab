//! Share a screen with browsers: capture → encode → WebRTC, with WHEP signalling and the
//! viewer page served from the same HTTP port.
//!
//! ```no_run
//! use glass_agent::share::{Share, ShareConfig, ShareEvent};
//!
//! let config = ShareConfig {
//!     source: "synthetic:typing:1280x720@30".parse()?,
//!     listen: "127.0.0.1:0".parse()?,
//!     ..ShareConfig::default()
//! };
//! let share = Share::start(config)?;
//! println!("open {}", share.url());
//! while let Ok(event) = share.events().recv() {
//!     match event {
//!         ShareEvent::ViewerJoined { id } => println!("{id} joined"),
//!         ShareEvent::ViewerLeft { id, reason } => { println!("{id} left: {reason}"); break; }
//!         _ => {}
//!     }
//! }
//! share.stop()?; // viewers are told "bye" first
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Design
//!
//! [`Share::start`] opens the capturer, starts the [`Pipeline`] and the
//! [`Transport`] (str0m on its own UDP thread), binds the HTTP listener and serves the WHEP
//! router plus the embedded viewer on a small tokio runtime it owns, on a thread of its own
//! (so a `Share` may be started and dropped inside a caller's async runtime). One pump thread joins the
//! two halves: encoded packets go to [`Transport::send_frame`], transport events steer the
//! encoder (a joining viewer or a lost picture asks for a keyframe; bandwidth estimates set
//! the bitrate) and are forwarded to [`Share::events`].
//!
//! # Errors and panics
//!
//! Start-up failures (bad source, port in use, bad transport config) are returned as a
//! [`ShareError`] naming what failed. Nothing a viewer sends can panic the sharer.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_channel::{Receiver, Sender, bounded, select};
use glass_codecs::Codec;
use glass_engine::capture::{self, CaptureInfo, SourceSpec};
use glass_engine::input::{ControlLevel, InjectError, Injector};
use glass_engine::pipeline::{Pipeline, PipelineConfig, StatsSnapshot};
use glass_transport::control::{ControlMessage, Level};
use glass_transport::whep::{self, Asset, WhepConfig};
use glass_transport::{
    SessionId, Transport, TransportConfig, TransportEvent, TransportStats, VideoCodec,
    VideoFrameOut,
};

use crate::clipboard::{ClipboardPolicy, ClipboardPump};
use crate::cursor::{CursorGate, CursorPump};
use crate::display::Displays;
pub use crate::input::InputSnapshot;
use crate::input::{Cmd, InputService};

/// Everything [`Share::start`] needs: plain data with [`Default`].
#[derive(Debug, Clone)]
pub struct ShareConfig {
    /// What to capture.
    pub source: SourceSpec,
    /// Encoder and frame-rate settings.
    pub pipeline: PipelineConfig,
    /// HTTP address for WHEP and the viewer page; port 0 picks a free port
    /// (see [`Share::local_addr`]).
    pub listen: SocketAddr,
    /// When set, viewers need `?token=<token>` in their URL (sent as a bearer token).
    pub token: Option<String>,
    /// WebRTC settings (UDP addresses, bitrate bounds, heartbeat).
    pub transport: TransportConfig,
    /// What viewers may do when they join: [`ControlLevel::View`] (the default) or
    /// [`ControlLevel::Full`] (mouse and keyboard are injected). Change it during the share
    /// with [`Share::set_control`] / [`Share::set_viewer_control`].
    pub control: ControlLevel,
    /// Serve WHEP and the viewer page on [`ShareConfig::listen`] (direct mode, the default).
    /// A share driven by a broker sets it to `false`: offers then come through
    /// [`Share::accept_offer`] and no port is opened.
    pub serve_http: bool,
    /// Origins whose pages may use the WHEP endpoint from elsewhere (`*`: any); empty: the
    /// embedded, same-origin viewer only.
    pub allowed_origins: Vec<String>,
    /// Stream the pointer (shape and position) on the viewers' `cursor` channel, beside the
    /// video, where the source has a pointer of its own (X11, macOS); frames are captured
    /// without it either way.
    pub cursor: bool,
    /// Viewers may ask for another display of the source (the helper's "Select monitor";
    /// X11 RandR monitors). `false` keeps the share on the display `source` names.
    pub display_switching: bool,
    /// Copy and paste with viewers that have full control (each way on its own switch).
    pub clipboard: ClipboardPolicy,
}

impl ShareConfig {
    /// The pipeline settings a share starts from: [`PipelineConfig::default`] without
    /// periodic keyframes. WebRTC viewers ask for a keyframe when they join or lose one
    /// (PLI/FIR, the `keyframe` control message), so an idle screen sends no video at all
    /// and a busy one no bitrate spikes every few seconds (`glass record` keeps them: files
    /// need them to seek).
    pub fn pipeline_defaults() -> PipelineConfig {
        PipelineConfig {
            refresh_interval: None,
            ..PipelineConfig::default()
        }
    }
}

impl Default for ShareConfig {
    fn default() -> Self {
        Self {
            source: SourceSpec::Synthetic(Default::default()),
            pipeline: Self::pipeline_defaults(),
            listen: SocketAddr::from(([0, 0, 0, 0], 8080)),
            token: None,
            transport: TransportConfig::default(),
            control: ControlLevel::View,
            serve_http: true,
            allowed_origins: Vec::new(),
            cursor: true,
            display_switching: true,
            clipboard: ClipboardPolicy::default(),
        }
    }
}

/// Why a share could not start or stop cleanly.
#[derive(Debug)]
#[non_exhaustive]
pub enum ShareError {
    /// The source could not be opened (bad spec, no display, no permission).
    Capture(glass_engine::CaptureError),
    /// The capture/encode pipeline failed to start or failed while running.
    Pipeline(glass_engine::Error),
    /// The WebRTC transport failed to start (UDP bind, config).
    Transport(glass_transport::Error),
    /// The HTTP listener could not be bound.
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// The async runtime could not be created.
    Runtime(std::io::Error),
    /// Full control was asked for but input cannot be injected (no XTEST, no macOS
    /// Accessibility permission, no injector for this source).
    Input(InjectError),
    /// No viewer with this session id.
    NoSuchViewer(String),
    /// A display switch was refused (see [`crate::display::SwitchRefused`]).
    Display(String),
}

// The cause is in `source()`, not repeated here (print the chain for the full story).
impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Capture(_) => write!(f, "cannot open the source"),
            Self::Pipeline(_) => write!(f, "the capture pipeline failed"),
            Self::Transport(_) => write!(f, "cannot start the WebRTC transport"),
            Self::Bind { addr, .. } => write!(f, "cannot listen on {addr}"),
            Self::Runtime(_) => write!(f, "cannot start the HTTP server runtime"),
            Self::Input(_) => write!(f, "cannot inject input, so full control is unavailable"),
            Self::NoSuchViewer(id) => write!(f, "no viewer with session id {id:?}"),
            Self::Display(why) => write!(f, "cannot switch display: {why}"),
        }
    }
}

impl std::error::Error for ShareError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Capture(e) => Some(e),
            Self::Pipeline(e) => Some(e),
            Self::Transport(e) => Some(e),
            Self::Bind { source, .. } | Self::Runtime(source) => Some(source),
            Self::Input(e) => Some(e),
            Self::NoSuchViewer(_) | Self::Display(_) => None,
        }
    }
}

/// What happens to a running share, from [`Share::events`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ShareEvent {
    /// A viewer connected (WebRTC is up).
    ViewerJoined {
        /// Session id (as in its WHEP resource URL).
        id: String,
    },
    /// A viewer went away.
    ViewerLeft {
        /// Session id.
        id: String,
        /// Why (bye, closed, heartbeat timeout, ...).
        reason: String,
    },
    /// A TURN relay the share used died (its server stopped answering, or the connection to
    /// it closed). The viewers that went through it leave with reason
    /// [`glass_transport::RELAY_LOST`]; with relays only, new viewers cannot connect until
    /// the share starts again. Tell the user "relay lost", not a silent freeze.
    RelayLost {
        /// The relay's server address.
        server: String,
        /// Why, in words.
        reason: String,
    },
    /// The bandwidth estimate changed; the encoder now targets this bitrate.
    TargetBitrate(u32),
    /// The stream changed codec to one every viewer can receive (a viewer that takes only
    /// VP8 joined, or the last one left); the encoder restarts with a keyframe.
    CodecChanged(Codec),
    /// A control-channel message from a viewer (ping/pong are handled by the transport).
    Control {
        /// Session id.
        id: String,
        /// The message.
        message: ControlMessage,
    },
    /// The pipeline stopped producing frames (capture or encoder failure); the share keeps
    /// serving but viewers see a frozen picture. Stop it and report.
    PipelineFailed,
    /// A viewer switched the shared display ("Select monitor"): show the user which one is
    /// shared now.
    DisplaySwitched {
        /// The viewer's session id.
        by: String,
        /// The display shared now ([`crate::display::WHOLE_SCREEN`]: all of them).
        id: String,
    },
}

/// Where one frame's time went on the sharer, from [`Share::frames`].
#[derive(Debug, Clone)]
pub struct FrameRecord {
    /// The pipeline's frame id.
    pub frame_id: u64,
    /// When the frame was captured (for the synthetic source: drawn).
    pub capture_time: std::time::Instant,
    /// Captured, damage done, converted, encoded.
    pub stages: glass_codecs::StageTimes,
    /// When the pump handed it to the transport.
    pub sent: std::time::Instant,
    /// Encoded size.
    pub bytes: usize,
    /// An IDR.
    pub keyframe: bool,
}

/// A snapshot of a share's counters.
#[derive(Debug, Clone)]
pub struct ShareStats {
    /// Capture and encode counters.
    pub pipeline: StatsSnapshot,
    /// WebRTC counters.
    pub transport: TransportStats,
    /// Viewers currently connected.
    pub viewers: usize,
    /// Remote-input counters and latency.
    pub input: InputSnapshot,
}

/// A running screen share. Dropping it stops it (like [`Share::stop`], errors ignored).
pub struct Share {
    inner: Option<Inner>,
    local_addr: SocketAddr,
    media_addrs: Vec<SocketAddr>,
    source: CaptureInfo,
    token: Option<String>,
    events: Receiver<ShareEvent>,
    frames: Receiver<FrameRecord>,
    departures: Receiver<glass_transport::FrameDeparture>,
}

struct Inner {
    pipeline: Arc<Pipeline>,
    transport: Arc<Transport>,
    http: Option<HttpServer>,
    pump_stop: Sender<()>,
    pump: JoinHandle<()>,
    input: InputService,
    /// The source whose own injector this share opened (`None`: the app gave one): opened
    /// again when full control is asked and it could not be opened at start.
    input_source: Option<SourceSpec>,
    cursor: Option<CursorPump>,
    /// Open while viewers may see the pointer (not paused).
    cursor_gate: CursorGate,
    clipboard: Option<ClipboardPump>,
    displays: Arc<Displays>,
}

/// The browser viewer (`web/`), embedded so the binary is self-contained.
pub fn viewer_assets() -> Vec<Asset> {
    const INDEX: &str = include_str!("../../web/index.html");
    let html = "text/html; charset=utf-8";
    vec![
        Asset {
            path: "/",
            content_type: html,
            body: INDEX,
        },
        Asset {
            path: "/index.html",
            content_type: html,
            body: INDEX,
        },
        Asset {
            path: "/viewer.js",
            content_type: "text/javascript; charset=utf-8",
            body: include_str!("../../web/viewer.js"),
        },
        Asset {
            path: "/input.js",
            content_type: "text/javascript; charset=utf-8",
            body: include_str!("../../web/input.js"),
        },
        Asset {
            path: "/cursor.js",
            content_type: "text/javascript; charset=utf-8",
            body: include_str!("../../web/cursor.js"),
        },
        Asset {
            path: "/lib/cursor.js",
            content_type: "text/javascript; charset=utf-8",
            body: include_str!("../../web/lib/cursor.js"),
        },
        Asset {
            path: "/wire.js",
            content_type: "text/javascript; charset=utf-8",
            body: include_str!("../../web/wire.js"),
        },
        Asset {
            path: "/style.css",
            content_type: "text/css; charset=utf-8",
            body: include_str!("../../web/style.css"),
        },
    ]
}

impl Share {
    /// Opens the source, starts encoding, WebRTC and the HTTP server. Returns once the HTTP
    /// port is bound, so [`Share::url`] is usable at once.
    ///
    /// Input goes to the injector of the source's display (XTest for `x11`, CGEvent for
    /// `macos`, a recording injector for `synthetic`). If none can be opened, the share
    /// still starts view-only, unless `config.control` is [`ControlLevel::Full`], which is
    /// then an error ([`ShareError::Input`]).
    pub fn start(config: ShareConfig) -> Result<Share, ShareError> {
        Share::start_inner(config, None, None)
    }

    /// Like [`Share::start`], with the app's own injector (an embedding app that injects
    /// input itself, or a [`glass_engine::input::recording::RecordingInjector`] in tests).
    pub fn start_with_injector(
        config: ShareConfig,
        injector: Box<dyn Injector>,
    ) -> Result<Share, ShareError> {
        Share::start_inner(config, None, Some(injector))
    }

    /// Like [`Share::start`], capturing from the app's own `capturer` instead of opening
    /// `config.source` (which still chooses the input injector). Latency harnesses use it to
    /// share a synthetic source that draws the latency probe.
    pub fn start_with_capturer(
        config: ShareConfig,
        capturer: Box<dyn capture::Capturer>,
    ) -> Result<Share, ShareError> {
        Share::start_inner(config, Some(capturer), None)
    }

    fn start_inner(
        config: ShareConfig,
        capturer: Option<Box<dyn capture::Capturer>>,
        injector: Option<Box<dyn Injector>>,
    ) -> Result<Share, ShareError> {
        // Bind first: the cheapest thing to fail, and nothing to undo if it does.
        let listener = if config.serve_http {
            let listener =
                std::net::TcpListener::bind(config.listen).map_err(|source| ShareError::Bind {
                    addr: config.listen,
                    source,
                })?;
            listener
                .set_nonblocking(true)
                .map_err(ShareError::Runtime)?;
            Some(listener)
        } else {
            None
        };
        let local_addr = match &listener {
            Some(l) => l.local_addr().map_err(ShareError::Runtime)?,
            None => config.listen,
        };

        // One selection for the capturer, the injector and the pointer: a switch of display
        // moves all three.
        let displays = Arc::new(Displays::new(&config.source, config.display_switching));
        let capturer = match capturer {
            Some(c) => c,
            None => capture::open_following(&config.source, displays.selection())
                .map_err(ShareError::Capture)?,
        };
        // After the source: a missing display is reported once, as a capture error.
        let input_source = injector.is_none().then(|| config.source.clone());
        let injector = match injector {
            Some(i) => Ok(i),
            None => match glass_engine::input::open_injector_following(
                &config.source,
                displays.selection(),
            ) {
                Err(e) if config.control == ControlLevel::Full => {
                    return Err(ShareError::Input(e));
                }
                Err(e) => {
                    tracing::warn!("remote input unavailable, viewers are view-only: {e}");
                    Err(e)
                }
                ok => ok,
            },
        };
        let source = capturer.info();
        let transport =
            Arc::new(Transport::start(config.transport.clone()).map_err(ShareError::Transport)?);
        // The stream starts in the transport's preferred codec; it tells of every change.
        let mut pipeline_config = config.pipeline.clone();
        pipeline_config.codec = encoder_codec(
            config
                .transport
                .codecs
                .preferred()
                .unwrap_or(VideoCodec::H264),
        );
        let pipeline = match Pipeline::start(capturer, pipeline_config) {
            Ok(p) => Arc::new(p),
            Err(e) => {
                shutdown_transport(transport);
                return Err(ShareError::Pipeline(e));
            }
        };
        // A backed-up pacer holds the encoder back rather than costing viewers a keyframe.
        pipeline.set_gate(transport.congestion());

        let http = match listener {
            Some(listener) => Some(serve_http(
                listener,
                transport.clone(),
                config.token.clone(),
                config.allowed_origins.clone(),
            )?),
            None => None,
        };

        // The desktop's clipboard, when either way is on and the source has one.
        let desktop_clipboard = if config.clipboard.any() {
            match glass_engine::clipboard::open(&config.source, config.clipboard.primary) {
                Ok(c) => Some(c),
                Err(e) => {
                    tracing::info!("no clipboard: {e}");
                    None
                }
            }
        } else {
            None
        };
        let (to_desktop, from_viewers) = bounded(4);
        let input = InputService::start(
            transport.clone(),
            injector,
            config.control,
            crate::input::Clipboard::new(
                config.clipboard,
                desktop_clipboard.is_some().then_some(to_desktop),
            ),
        )
        .map_err(ShareError::Runtime)?;
        let clipboard = match desktop_clipboard {
            Some(c) => Some(
                ClipboardPump::start(c, input.commands(), from_viewers)
                    .map_err(ShareError::Runtime)?,
            ),
            None => None,
        };
        let (events_tx, events) = bounded(256);
        let (frames_tx, frames) = bounded(1024);
        let (pump_stop, pump_stopped) = bounded(1);
        let pump = {
            let pipeline = pipeline.clone();
            let transport = transport.clone();
            let input = input.commands();
            let displays = displays.clone();
            std::thread::Builder::new()
                .name("glass-share-pump".into())
                .spawn(move || {
                    pump(
                        &pipeline,
                        &transport,
                        &input,
                        &displays,
                        &events_tx,
                        &frames_tx,
                        &pump_stopped,
                    )
                })
                .map_err(ShareError::Runtime)?
        };
        let cursor_gate = CursorGate::new(true);
        let cursor = match config
            .cursor
            .then(|| glass_engine::cursor::open_following(&config.source, displays.selection()))
        {
            Some(Ok(source)) => Some(
                CursorPump::start(source, transport.clone(), cursor_gate.clone())
                    .map_err(ShareError::Runtime)?,
            ),
            Some(Err(e)) => {
                tracing::info!("no pointer stream: {e}");
                None
            }
            None => None,
        };
        let media_addrs = transport.local_addrs().to_vec();
        let departures = transport.departures().clone();
        Ok(Share {
            departures,
            inner: Some(Inner {
                pipeline,
                transport,
                http,
                pump_stop,
                pump,
                input,
                input_source,
                cursor,
                cursor_gate,
                clipboard,
                displays,
            }),
            local_addr,
            media_addrs,
            source,
            token: config.token,
            events,
            frames,
        })
    }

    /// The bound HTTP address (the real port when `listen` had port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The UDP addresses WebRTC media is offered on (the ICE host candidates).
    pub fn media_addrs(&self) -> &[SocketAddr] {
        &self.media_addrs
    }

    /// What is being captured (backend, display, size).
    pub fn source(&self) -> &CaptureInfo {
        &self.source
    }

    /// The viewer URL on this machine (loopback when listening on all addresses), with the
    /// token if one is set.
    pub fn url(&self) -> String {
        let ip = match self.local_addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        self.url_for(ip)
    }

    /// Viewer URLs for every address other machines may reach: the listen address, or when
    /// listening on all addresses, loopback plus the address of the default route.
    pub fn urls(&self) -> Vec<String> {
        let ip = self.local_addr.ip();
        if !ip.is_unspecified() {
            return vec![self.url_for(ip)];
        }
        let mut urls = vec![self.url()];
        if let Some(lan) = default_route_ip(ip.is_ipv6()) {
            urls.push(self.url_for(lan));
        }
        urls
    }

    fn url_for(&self, ip: IpAddr) -> String {
        let addr = SocketAddr::new(ip, self.local_addr.port());
        match &self.token {
            Some(t) => format!("http://{addr}/?token={}", percent_encode(t)),
            None => format!("http://{addr}/"),
        }
    }

    /// Viewer and control events. Bounded: events are dropped if nobody reads them.
    pub fn events(&self) -> &Receiver<ShareEvent> {
        &self.events
    }

    /// One record per encoded frame sent to the transport, for latency harnesses. Bounded:
    /// records are dropped when nobody reads them.
    pub fn frames(&self) -> &Receiver<FrameRecord> {
        &self.frames
    }

    /// When each frame's last packet left the pacer, per viewer session (matched to
    /// [`Share::frames`] by capture time). Bounded: dropped when nobody reads them.
    pub fn departures(&self) -> &Receiver<glass_transport::FrameDeparture> {
        &self.departures
    }

    /// Current counters.
    pub fn stats(&self) -> Option<ShareStats> {
        let inner = self.inner.as_ref()?;
        Some(ShareStats {
            pipeline: inner.pipeline.stats(),
            transport: inner.transport.stats(),
            viewers: inner.transport.sessions().len(),
            input: inner.input.snapshot(),
        })
    }

    /// Pauses or resumes sharing: while paused nothing is captured or encoded and every
    /// viewer is view-only (input is dropped); resuming restores the level set before and
    /// sends a keyframe.
    pub fn set_paused(&self, paused: bool) -> Result<(), ShareError> {
        let inner = self
            .inner
            .as_ref()
            .ok_or(ShareError::Transport(glass_transport::Error::Closed))?;
        // The pointer first: nothing of the screen goes out once this returns.
        inner.cursor_gate.set_open(!paused, &inner.transport);
        inner.input.send(Cmd::Paused(paused));
        inner.pipeline.set_paused(paused);
        Ok(())
    }

    /// Whether sharing is paused.
    pub fn is_paused(&self) -> bool {
        self.inner
            .as_ref()
            .is_some_and(|inner| inner.pipeline.is_paused())
    }

    /// Answers a viewer's SDP offer that reached the sharer some other way than WHEP (a
    /// broker's signalling channel). Returns the viewer's session and the SDP answer.
    pub fn accept_offer(&self, offer_sdp: &str) -> Result<(SessionId, String), ShareError> {
        let inner = self
            .inner
            .as_ref()
            .ok_or(ShareError::Transport(glass_transport::Error::Closed))?;
        inner
            .transport
            .accept_offer(offer_sdp)
            .map_err(ShareError::Transport)
    }

    /// Ends one viewer's connection (it is told `bye`; what it held is released). Returns
    /// whether it was connected.
    pub fn close_viewer(&self, id: SessionId) -> bool {
        self.inner
            .as_ref()
            .is_some_and(|inner| inner.transport.close(id))
    }

    /// A candidate the viewer trickled after its offer (the `candidate` of an
    /// `RTCIceCandidateInit`; empty = end of candidates).
    pub fn add_remote_candidate(&self, id: SessionId, candidate: &str) -> Result<(), ShareError> {
        let inner = self
            .inner
            .as_ref()
            .ok_or(ShareError::Transport(glass_transport::Error::Closed))?;
        inner
            .transport
            .add_remote_candidate(id, candidate)
            .map_err(ShareError::Transport)
    }

    /// Sets every viewer's input permission, and that of viewers who join later. Dropping
    /// to view-only releases every key and button viewers hold. Viewers are told
    /// (a `control` message) and show it. [`ControlLevel::Full`] on a share whose own
    /// injector could not be opened at start opens it again first (on macOS, Accessibility
    /// allowed since then takes effect without a restart); if it still cannot,
    /// [`ShareError::Input`] says why.
    pub fn set_control(&self, level: ControlLevel) -> Result<(), ShareError> {
        self.set_level(None, level)
    }

    /// Sets one viewer's input permission (`id` as in [`ShareEvent::ViewerJoined`]).
    pub fn set_viewer_control(&self, id: &str, level: ControlLevel) -> Result<(), ShareError> {
        let sid: SessionId = id
            .parse()
            .map_err(|_| ShareError::NoSuchViewer(id.to_string()))?;
        self.set_level(Some(sid), level)
    }

    fn set_level(&self, id: Option<SessionId>, level: ControlLevel) -> Result<(), ShareError> {
        let inner = self
            .inner
            .as_ref()
            .ok_or(ShareError::Transport(glass_transport::Error::Closed))?;
        if level == ControlLevel::Full && !inner.input.can_inject() {
            // Opened again: on macOS an Accessibility grant made during the share takes effect
            // without a restart (the injector never prompts, so this cannot surprise anyone).
            let Some(source) = &inner.input_source else {
                return Err(ShareError::Input(InjectError::Unsupported(
                    "no input injector for this source".into(),
                )));
            };
            // Following the display selection, like the injector opened at start.
            let injector =
                glass_engine::input::open_injector_following(source, inner.displays.selection())
                    .map_err(ShareError::Input)?;
            inner.input.set_injector(injector);
        }
        inner.input.send(Cmd::SetLevel {
            id,
            level,
            from_viewer: false,
        });
        Ok(())
    }

    /// The displays of the source and the one shared now (`None`: the whole screen or the
    /// source's only picture), as viewers are told in the `displays` control message.
    pub fn displays(&self) -> ControlMessage {
        match &self.inner {
            Some(inner) => inner.displays.message(),
            None => crate::display::message(&[], None, false),
        }
    }

    /// The display shared now (`None`: the whole screen, or the source's only picture).
    pub fn current_display(&self) -> Option<String> {
        self.inner
            .as_ref()
            .and_then(|inner| inner.displays.selection().current())
    }

    /// Shares display `id` (a [`glass_engine::capture::DisplayInfo::id`], or
    /// [`crate::display::WHOLE_SCREEN`]) instead, without a new session: the picture, where
    /// clicks land and the pointer move together, and every viewer is told. Refused when the
    /// source cannot switch or has no such display.
    pub fn select_display(&self, id: &str) -> Result<(), ShareError> {
        let inner = self
            .inner
            .as_ref()
            .ok_or(ShareError::Transport(glass_transport::Error::Closed))?;
        inner
            .displays
            .select(id)
            .map_err(|e| ShareError::Display(e.to_string()))?;
        announce_displays(&inner.transport, &inner.displays, None);
        Ok(())
    }

    /// Says bye to every viewer, then stops WebRTC, the HTTP server and the pipeline.
    /// Returns the pipeline's final counters.
    pub fn stop(mut self) -> Result<StatsSnapshot, ShareError> {
        self.stop_inner()
    }

    fn stop_inner(&mut self) -> Result<StatsSnapshot, ShareError> {
        let Some(mut inner) = self.inner.take() else {
            return Err(ShareError::Transport(glass_transport::Error::Closed));
        };
        // No new viewers while stopping.
        if let Some(http) = &mut inner.http {
            let _ = http.stop.take().map(|stop| stop.send(()));
        }
        let _ = inner.pump_stop.send(());
        let _ = inner.pump.join();
        if let Some(cursor) = inner.cursor.take() {
            cursor.stop();
        }
        if let Some(clipboard) = inner.clipboard.take() {
            clipboard.stop();
        }
        // Close sessions first: each gets a `bye` and a DTLS close, so viewers show "the
        // sharer has left" at once instead of waiting for a timeout.
        for id in inner.transport.sessions() {
            inner.transport.close(id);
        }
        // Releases whatever viewers still hold, then stops injecting.
        let mut input = inner.input;
        input.stop();
        // Graceful shutdown: open requests finish, then the runtime stops (at most ~1 s
        // for in-flight blocking handlers).
        if let Some(http) = inner.http {
            let _ = http.thread.join();
        }
        shutdown_transport(inner.transport);
        match Arc::try_unwrap(inner.pipeline) {
            Ok(p) => p.stop().map_err(ShareError::Pipeline),
            Err(p) => Ok(p.stats()),
        }
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        let _ = self.stop_inner();
    }
}

/// The direct-mode HTTP server (WHEP + viewer page).
struct HttpServer {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: JoinHandle<()>,
}

/// Serves WHEP and the viewer on a thread of its own with a runtime of its own, created and
/// dropped on that thread: a `Share` can then be started and dropped anywhere, inside a
/// caller's async runtime too (dropping a runtime from async code panics).
fn serve_http(
    listener: std::net::TcpListener,
    transport: Arc<Transport>,
    token: Option<String>,
    allowed_origins: Vec<String>,
) -> Result<HttpServer, ShareError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(8)
        .thread_name("glass-http")
        .enable_all()
        .build()
        .map_err(ShareError::Runtime)?;
    let listener = {
        let _guard = runtime.enter();
        tokio::net::TcpListener::from_std(listener).map_err(ShareError::Runtime)?
    };
    let router = whep::router(
        transport,
        WhepConfig {
            token,
            assets: viewer_assets(),
            allowed_origins,
            ..WhepConfig::default()
        },
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("glass-http-main".into())
        .spawn(move || {
            runtime.block_on(async {
                let (stopping_tx, stopping) = tokio::sync::oneshot::channel::<()>();
                let task = tokio::spawn(whep::serve(listener, router, async move {
                    let _ = stopped.await;
                    let _ = stopping_tx.send(());
                }));
                let _ = stopping.await;
                // Graceful shutdown waits for open connections, 2 s at most.
                match tokio::time::timeout(Duration::from_secs(2), task).await {
                    Ok(Ok(Err(e))) => tracing::warn!("HTTP server stopped: {e}"),
                    Err(_) => tracing::debug!("HTTP connections still open after 2 s"),
                    _ => {}
                }
            });
            // In-flight blocking WHEP handlers hold transport clones; give them a moment.
            runtime.shutdown_timeout(Duration::from_secs(1));
        })
        .map_err(ShareError::Runtime)?;
    Ok(HttpServer {
        stop: Some(stop),
        thread,
    })
}

fn shutdown_transport(transport: Arc<Transport>) {
    match Arc::try_unwrap(transport) {
        Ok(t) => t.shutdown(),
        // Someone still holds a clone (a stuck request): its sessions are closed already and
        // the transport stops when the last clone drops.
        Err(t) => tracing::warn!(
            "transport still referenced at stop ({} sessions)",
            t.sessions().len()
        ),
    }
}

/// Tells viewers (`only`: that one; `None`: all) which displays there are and which is shared.
fn announce_displays(transport: &Transport, displays: &Displays, only: Option<SessionId>) {
    let message = displays.message();
    match only {
        Some(id) => {
            transport.send_control(id, message);
        }
        None => {
            for id in transport.sessions() {
                transport.send_control(id, message.clone());
            }
        }
    }
}

/// Moves packets to the transport and transport events to the encoder and the app.
fn pump(
    pipeline: &Pipeline,
    transport: &Transport,
    input: &Sender<Cmd>,
    displays: &Displays,
    events: &Sender<ShareEvent>,
    frames: &Sender<FrameRecord>,
    stop: &Receiver<()>,
) {
    let forward = |e: ShareEvent| {
        // Never block the media path on a slow or absent event reader.
        let _ = events.try_send(e);
    };
    let mut packets = pipeline.packets().clone();
    loop {
        select! {
            recv(stop) -> _ => return,
            recv(packets) -> frame => match frame {
                Ok(frame) => {
                    let record = FrameRecord {
                        frame_id: frame.packet.params.frame_id,
                        capture_time: frame.packet.params.capture_time,
                        stages: frame.stages,
                        sent: std::time::Instant::now(),
                        bytes: frame.packet.data.len(),
                        keyframe: frame.packet.keyframe,
                    };
                    // The record first, so a harness that sees the frame arrive has it.
                    let _ = frames.try_send(record);
                    let Some(codec) = wire_codec(frame.packet.codec) else {
                        continue;
                    };
                    transport.send_frame(VideoFrameOut {
                        codec,
                        data: frame.packet.data,
                        keyframe: frame.packet.keyframe,
                        capture_time: frame.packet.params.capture_time,
                        pts: frame.packet.params.pts,
                    });
                }
                Err(_) => {
                    // The pipeline ended on a failure: keep serving viewers (a frozen
                    // picture) and events until the app stops the share.
                    forward(ShareEvent::PipelineFailed);
                    packets = crossbeam_channel::never();
                }
            },
            recv(transport.events()) -> event => match event {
                Ok(TransportEvent::ViewerJoined(id)) => {
                    pipeline.request_keyframe();
                    let _ = input.try_send(Cmd::Joined(id));
                    announce_displays(transport, displays, Some(id));
                    forward(ShareEvent::ViewerJoined { id: id.to_string() });
                }
                Ok(TransportEvent::ViewerLeft { id, reason }) => {
                    forward(ShareEvent::ViewerLeft { id: id.to_string(), reason });
                }
                Ok(TransportEvent::RelayLost { server, reason }) => {
                    forward(ShareEvent::RelayLost { server: server.to_string(), reason });
                }
                Ok(TransportEvent::KeyframeRequested(_)) => pipeline.request_keyframe(),
                Ok(TransportEvent::VideoCodec(codec)) => {
                    let codec = encoder_codec(codec);
                    pipeline.set_codec(codec);
                    forward(ShareEvent::CodecChanged(codec));
                }
                Ok(TransportEvent::TargetBitrate(bps)) => {
                    tracing::debug!(bps, "target bitrate");
                    pipeline.set_bitrate(bps);
                    // A very thin link gets fewer, sharper frames (text stays legible).
                    pipeline.set_frame_rate(glass_engine::pipeline::frame_rate_for_bitrate(
                        bps,
                        pipeline.max_frame_rate(),
                    ));
                    forward(ShareEvent::TargetBitrate(bps));
                }
                Ok(TransportEvent::Control { id, message }) => {
                    match &message {
                        ControlMessage::Keyframe => pipeline.request_keyframe(),
                        // The helper's "Select monitor".
                        ControlMessage::SelectDisplay { id: want } => match displays.select(want) {
                            Ok(()) => {
                                announce_displays(transport, displays, None);
                                forward(ShareEvent::DisplaySwitched {
                                    by: id.to_string(),
                                    id: want.clone(),
                                });
                            }
                            Err(e) => {
                                tracing::info!(viewer = %id, "display switch refused: {e}");
                                announce_displays(transport, displays, Some(id));
                            }
                        },
                        // The helper gives control back.
                        ControlMessage::Control { level: Level::View } => {
                            let _ = input.send_timeout(
                                Cmd::SetLevel {
                                    id: Some(id),
                                    level: ControlLevel::View,
                                    from_viewer: true,
                                },
                                Duration::from_millis(100),
                            );
                        }
                        _ => {}
                    }
                    forward(ShareEvent::Control { id: id.to_string(), message });
                }
                Ok(_) => {}
                Err(_) => return, // transport gone
            },
        }
    }
}

/// The local address of the default route (no packet is sent: UDP connect only picks a
/// route), so a printed URL works from another machine on the LAN.
fn default_route_ip(v6: bool) -> Option<IpAddr> {
    let (bind, probe): (SocketAddr, SocketAddr) = if v6 {
        (
            (Ipv6Addr::UNSPECIFIED, 0).into(),
            "[2001:db8::1]:9".parse().ok()?,
        )
    } else {
        (
            (Ipv4Addr::UNSPECIFIED, 0).into(),
            "192.0.2.1:9".parse().ok()?,
        )
    };
    let socket = UdpSocket::bind(bind).ok()?;
    socket.connect(probe).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

/// Percent-encodes everything but unreserved URL characters.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The encoder's codec for the transport's.
pub fn encoder_codec(codec: VideoCodec) -> Codec {
    match codec {
        VideoCodec::Vp8 => Codec::Vp8,
        _ => Codec::H264,
    }
}

/// The transport's codec for the encoder's (`None`: one the transport cannot send).
pub fn wire_codec(codec: Codec) -> Option<VideoCodec> {
    match codec {
        Codec::H264 => Some(VideoCodec::H264),
        Codec::Vp8 => Some(VideoCodec::Vp8),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_url_encoded() {
        assert_eq!(percent_encode("a b/c?&=é"), "a%20b%2Fc%3F%26%3D%C3%A9");
        assert_eq!(percent_encode("AZaz09-_.~"), "AZaz09-_.~");
    }

    /// A `Share` owned by async code (the broker's or an embedding app's runtime) starts,
    /// stops and drops there without panicking: no runtime is dropped on the caller's thread.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn starts_and_drops_inside_a_runtime() {
        let config = ShareConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            transport: TransportConfig {
                bind: vec!["127.0.0.1".parse().unwrap()],
                ..TransportConfig::default()
            },
            ..ShareConfig::default()
        };
        let share = Share::start(config.clone()).expect("share starts");
        assert_ne!(share.local_addr().port(), 0);
        drop(share);
        let share = Share::start(config).expect("share starts again");
        share.stop().expect("share stops");
    }
}
