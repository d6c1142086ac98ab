//! A minimal native viewer (str0m receiver on a UDP socket, own thread) for tests of the
//! real [`crate::Transport`] over loopback. Not a stable API.

use std::collections::VecDeque;
use std::net::{Ipv4Addr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crossbeam_channel::{Receiver, Sender, unbounded};
use str0m::change::{SdpAnswer, SdpPendingOffer};
use str0m::channel::{ChannelConfig, ChannelId, Reliability};
use str0m::media::{Direction, KeyframeRequestKind, MediaKind, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, Input, Output, Rtc, RtcConfig};

use crate::clipboard::{self, CLIPBOARD_LABEL};
use crate::control::{CONTROL_LABEL, ControlMessage, INPUT_LABEL, POINTER_LABEL};
use crate::cursor::{CURSOR_LABEL, CursorMessage};
use crate::error::Error;

/// The test viewer's UDP receive buffer, bytes (as a browser's, big enough for a keyframe).
const VIEWER_RECV_BUFFER: usize = 4 << 20;
/// What the viewer saw.
#[derive(Debug, Clone, PartialEq)]
pub enum ViewerEvent {
    /// ICE + DTLS up.
    Connected,
    /// One reassembled access unit (H.264: Annex-B; VP8: one frame).
    Frame {
        /// Its codec (from the payload type).
        codec: crate::VideoCodec,
        /// The bytes.
        data: Vec<u8>,
        /// Contains an IDR.
        keyframe: bool,
        /// No gap before it.
        contiguous: bool,
        /// Reassembled (str0m emitted it).
        at: Instant,
        /// When the frame's last RTP packet (marker bit) first arrived, if it was seen.
        last_packet: Option<Instant>,
    },
    /// A control message from the sharer.
    Control(ControlMessage),
    /// The session closed (DTLS close_notify / SCTP shutdown from the sharer).
    Closed,
    /// ICE lost the path to the sharer (no answer to its checks): the connection ended
    /// without a goodbye.
    Disconnected,
    /// The `input` and `pointer` channels are open.
    InputReady,
    /// A message on the `cursor` channel, decoded.
    Cursor(CursorMessage),
    /// Text the sharer copied, from the `clipboard` channel (`Err`: it did not decode).
    Clipboard(Result<String, Vec<u8>>),
    /// Something on the `cursor` channel that does not decode (a sharer bug).
    BadCursor(Vec<u8>),
}

/// A viewer that has made its offer and waits for the answer.
pub struct PendingViewer {
    rtc: Rtc,
    socket: UdpSocket,
    mid: Mid,
    pending: SdpPendingOffer,
    offer: String,
    candidate: String,
}

/// How a [`PendingViewer`] offers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ViewerOptions {
    /// An ICE-lite viewer (as a server-side receiver would be): it sends no connectivity
    /// checks, so the sharer is the controlling side and must reach the viewer's candidate.
    pub ice_lite: bool,
    /// Leave the viewer's candidate out of the offer, for the test to trickle it
    /// ([`PendingViewer::candidate`]).
    pub trickle: bool,
    /// The video codecs to offer; `None`: H.264 only, as before VP8 existed.
    pub codecs: Option<crate::CodecSet>,
}

const RUN: u8 = 0;
const KILL: u8 = 1;
const CLOSE: u8 = 2;
const BYE: u8 = 3;

/// A running viewer.
pub struct UdpViewer {
    events: Receiver<ViewerEvent>,
    input: Sender<Outgoing>,
    state: Arc<AtomicU8>,
    thread: Option<JoinHandle<()>>,
}

impl PendingViewer {
    /// Binds 127.0.0.1:0 and makes a browser-like offer: recvonly H.264, `control`, and the
    /// `input` (reliable) and `pointer` (unordered, no retransmits) channels, and `cursor`.
    pub fn new() -> Result<PendingViewer, Error> {
        PendingViewer::with(ViewerOptions::default())
    }

    /// [`PendingViewer::new`] with options.
    pub fn with(options: ViewerOptions) -> Result<PendingViewer, Error> {
        let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
        // A browser's receive buffer holds a keyframe's burst; Linux's default (212 KB) does
        // not: a 1080p keyframe sent unpaced (KEYFRAME_PACING_LIMIT) lost thousands of
        // datagrams a run here, the loss-based estimate fell to 250 kbit/s and every frame
        // after queued behind the pacer (scroll p50 200 ms). Chromium, fed the same stream,
        // lost none. The kernel caps the size at `net.core.rmem_max`.
        let _ = socket2::SockRef::from(&socket).set_recv_buffer_size(VIEWER_RECV_BUFFER);
        let local = socket.local_addr()?;
        let now = Instant::now();
        let codecs = options
            .codecs
            .unwrap_or(crate::CodecSet::only(crate::VideoCodec::H264));
        let mut rtc = RtcConfig::new()
            .set_ice_lite(options.ice_lite)
            .clear_codecs()
            .enable_h264(codecs.contains(crate::VideoCodec::H264))
            .enable_vp8(codecs.contains(crate::VideoCodec::Vp8))
            .set_reordering_size_video(2000)
            .build(now);
        let c = Candidate::host(local, "udp").map_err(|e| Error::Peer(e.to_string()))?;
        let candidate = rtc
            .add_local_candidate(c)
            .map(Candidate::to_sdp_string)
            .ok_or_else(|| Error::Peer("candidate refused".into()))?;
        let mut api = rtc.sdp_api();
        let mid = api.add_media(MediaKind::Video, Direction::RecvOnly, None, None, None);
        api.add_channel(CONTROL_LABEL.into());
        api.add_channel(INPUT_LABEL.into());
        api.add_channel_with_config(ChannelConfig {
            label: POINTER_LABEL.into(),
            ordered: false,
            reliability: Reliability::MaxRetransmits { retransmits: 0 },
            ..ChannelConfig::default()
        });
        api.add_channel(CURSOR_LABEL.into());
        api.add_channel(CLIPBOARD_LABEL.into());
        let (offer, pending) = api.apply().ok_or_else(|| Error::Peer("no offer".into()))?;
        let mut offer = offer.to_sdp_string();
        if options.trickle {
            offer = offer
                .split_inclusive('\n')
                .filter(|l| !l.starts_with("a=candidate:"))
                .collect();
        }
        Ok(PendingViewer {
            rtc,
            socket,
            mid,
            pending,
            offer,
            candidate,
        })
    }

    /// The SDP offer to POST.
    pub fn offer_sdp(&self) -> &str {
        &self.offer
    }

    /// The viewer's host candidate (`candidate:...`, as `RTCIceCandidate.candidate`).
    pub fn candidate(&self) -> &str {
        &self.candidate
    }

    /// Applies the answer and starts the viewer thread.
    pub fn start(mut self, answer_sdp: &str) -> Result<UdpViewer, Error> {
        let answer =
            SdpAnswer::from_sdp_string(answer_sdp).map_err(|e| Error::Peer(e.to_string()))?;
        self.rtc
            .sdp_api()
            .accept_answer(self.pending, answer)
            .map_err(|e| Error::Peer(e.to_string()))?;
        let (tx, rx) = unbounded();
        let (input_tx, input_rx) = unbounded();
        let state = Arc::new(AtomicU8::new(RUN));
        let st = state.clone();
        let (rtc, socket, mid) = (self.rtc, self.socket, self.mid);
        let thread = std::thread::Builder::new()
            .name("test-viewer".into())
            .spawn(move || run(rtc, socket, mid, &tx, &input_rx, &st))?;
        Ok(UdpViewer {
            events: rx,
            input: input_tx,
            state,
            thread: Some(thread),
        })
    }
}

impl UdpViewer {
    /// Everything the viewer saw.
    pub fn events(&self) -> &Receiver<ViewerEvent> {
        &self.events
    }

    /// Sends one input-protocol message on `pointer` (`unordered`) or `input`. If it has a
    /// valid 14-byte header, its timestamp is set to the wallclock at the moment it is
    /// written to the channel (so latency figures start at the send).
    pub fn send_input(&self, unordered: bool, message: Vec<u8>) {
        let _ = self.input.send(Outgoing::Input(unordered, message));
    }

    /// Sends `text` on the `clipboard` channel, as a helper's copy.
    pub fn send_clipboard(&self, text: &str) {
        let _ = self
            .input
            .send(Outgoing::Clipboard(clipboard::encode_text(text)));
    }

    /// Sends a control message on the `control` channel.
    pub fn send_control(&self, message: ControlMessage) {
        let _ = self.input.send(Outgoing::Control(message));
    }

    /// Stops dead, as a killed tab: no bye, no close_notify.
    pub fn kill(mut self) {
        self.stop(KILL);
    }

    /// Sends `bye` on the control channel, then stops without closing DTLS.
    pub fn bye(mut self) {
        self.stop(BYE);
    }

    /// Closes like `pc.close()`: DTLS close_notify.
    pub fn close(mut self) {
        self.stop(CLOSE);
    }

    fn stop(&mut self, how: u8) {
        self.state.store(how, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for UdpViewer {
    fn drop(&mut self) {
        self.stop(KILL);
    }
}

fn wallclock_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// What the test asks the viewer thread to send.
enum Outgoing {
    Input(bool, Vec<u8>),
    Control(ControlMessage),
    Clipboard(Vec<u8>),
}

/// Channel ids of the viewer's data channels.
#[derive(Default)]
struct Channels {
    control: Option<ChannelId>,
    input: Option<ChannelId>,
    pointer: Option<ChannelId>,
    cursor: Option<ChannelId>,
    clipboard: Option<ChannelId>,
    ready_sent: bool,
    /// First arrivals of frames' last packets: (RTP timestamp, when), newest last.
    last_packets: VecDeque<(u32, Instant)>,
}

/// Last-packet arrivals remembered for frames not yet reassembled.
const LAST_PACKETS: usize = 64;

fn run(
    mut rtc: Rtc,
    socket: UdpSocket,
    mid: Mid,
    tx: &Sender<ViewerEvent>,
    input: &Receiver<Outgoing>,
    state: &AtomicU8,
) {
    let local = socket.local_addr().expect("bound");
    let mut buf = vec![0u8; 2048];
    let mut channel = Channels::default();
    let mut last_fir: Option<Instant> = None;
    loop {
        let now = Instant::now();
        let mut wrote = false;
        for out in input.try_iter() {
            let (unordered, mut msg) = match out {
                Outgoing::Input(u, m) => (u, m),
                Outgoing::Control(c) => {
                    if let Some(mut ch) = channel.control.and_then(|id| rtc.channel(id)) {
                        let _ = ch.write(false, &c.encode());
                        wrote = true;
                    }
                    continue;
                }
                Outgoing::Clipboard(bytes) => {
                    if let Some(mut ch) = channel.clipboard.and_then(|id| rtc.channel(id)) {
                        let _ = ch.write(true, &bytes);
                        wrote = true;
                    }
                    continue;
                }
            };
            let id = if unordered {
                channel.pointer
            } else {
                channel.input
            };
            if let Some(mut ch) = id.and_then(|id| rtc.channel(id)) {
                if msg.len() >= 14 {
                    msg[6..14].copy_from_slice(&wallclock_us().to_le_bytes());
                }
                let _ = ch.write(true, &msg);
                wrote = true;
            }
        }
        if wrote {
            let _ = rtc.handle_input(Input::Timeout(Instant::now()));
        }
        match state.load(Ordering::Relaxed) {
            KILL => return,
            BYE => {
                if let Some(mut ch) = channel.control.and_then(|id| rtc.channel(id)) {
                    let bye = ControlMessage::Bye {
                        reason: "viewer left".into(),
                    };
                    let _ = ch.write(false, &bye.encode());
                }
                drain(&mut rtc, &socket, mid, tx, &mut channel, &mut last_fir);
                return;
            }
            CLOSE => {
                let _ = rtc.close();
                drain(&mut rtc, &socket, mid, tx, &mut channel, &mut last_fir);
                return;
            }
            _ => {}
        }
        let deadline = drain(&mut rtc, &socket, mid, tx, &mut channel, &mut last_fir);
        let Some(deadline) = deadline else { return };
        // Short waits: input to send is picked up at the next turn.
        let wait = deadline
            .saturating_duration_since(now)
            .clamp(Duration::from_micros(200), Duration::from_millis(1));
        let _ = socket.set_read_timeout(Some(wait));
        let input_ok = match socket.recv_from(&mut buf) {
            Ok((n, source)) => match Receive::new(Protocol::Udp, source, local, &buf[..n]) {
                Ok(r) => {
                    let now = Instant::now();
                    if let Some((_, ts)) = crate::peer::rtp_marker(&buf[..n])
                        && !channel.last_packets.iter().any(|&(t, _)| t == ts)
                    {
                        if channel.last_packets.len() == LAST_PACKETS {
                            channel.last_packets.pop_front();
                        }
                        channel.last_packets.push_back((ts, now));
                    }
                    rtc.handle_input(Input::Receive(now, r)).is_ok()
                }
                Err(_) => true,
            },
            Err(_) => rtc.handle_input(Input::Timeout(Instant::now())).is_ok(),
        };
        if !input_ok {
            let _ = tx.send(ViewerEvent::Closed);
            return;
        }
    }
}

/// Polls until timeout; `None` once the Rtc is dead.
fn drain(
    rtc: &mut Rtc,
    socket: &UdpSocket,
    mid: Mid,
    tx: &Sender<ViewerEvent>,
    channel: &mut Channels,
    last_fir: &mut Option<Instant>,
) -> Option<Instant> {
    loop {
        let out = match rtc.poll_output() {
            Ok(o) => o,
            Err(_) => return None,
        };
        match out {
            Output::Timeout(t) => return rtc.is_alive().then_some(t),
            Output::Transmit(t) => {
                let _ = socket.send_to(&t.contents, t.destination);
            }
            Output::Event(e) => match e {
                Event::Connected => {
                    let _ = tx.send(ViewerEvent::Connected);
                }
                Event::MediaData(d) => {
                    if !d.contiguous
                        && last_fir.is_none_or(|t| t.elapsed() > Duration::from_secs(1))
                    {
                        *last_fir = Some(Instant::now());
                        if let Some(mut w) = rtc.writer(mid) {
                            let _ = w.request_keyframe(None, KeyframeRequestKind::Pli);
                        }
                    }
                    let ts = d.time.numer() as u32;
                    let last_packet = channel
                        .last_packets
                        .iter()
                        .find(|&&(t, _)| t == ts)
                        .map(|&(_, at)| at);
                    let codec = match d.params.spec().codec {
                        str0m::format::Codec::Vp8 => crate::VideoCodec::Vp8,
                        _ => crate::VideoCodec::H264,
                    };
                    let _ = tx.send(ViewerEvent::Frame {
                        codec,
                        keyframe: d.is_keyframe(),
                        contiguous: d.contiguous,
                        data: d.data.to_vec(),
                        at: Instant::now(),
                        last_packet,
                    });
                }
                Event::ChannelOpen(id, label) => {
                    match label.as_str() {
                        CONTROL_LABEL => channel.control = Some(id),
                        INPUT_LABEL => channel.input = Some(id),
                        POINTER_LABEL => channel.pointer = Some(id),
                        CURSOR_LABEL => channel.cursor = Some(id),
                        CLIPBOARD_LABEL => channel.clipboard = Some(id),
                        _ => {}
                    }
                    if channel.input.is_some() && channel.pointer.is_some() && !channel.ready_sent {
                        channel.ready_sent = true;
                        let _ = tx.send(ViewerEvent::InputReady);
                    }
                }
                Event::ChannelData(d) if Some(d.id) == channel.clipboard => {
                    let _ = tx.send(ViewerEvent::Clipboard(
                        clipboard::decode_text(&d.data)
                            .map(str::to_owned)
                            .map_err(|_| d.data.to_vec()),
                    ));
                }
                Event::ChannelData(d) if Some(d.id) == channel.cursor => {
                    let _ = tx.send(match CursorMessage::decode(&d.data) {
                        Ok(m) => ViewerEvent::Cursor(m),
                        Err(_) => ViewerEvent::BadCursor(d.data.to_vec()),
                    });
                }
                Event::ChannelData(d) => {
                    if let Ok(m) = ControlMessage::decode(&d.data) {
                        if let ControlMessage::Ping { t } = m
                            && let Some(mut ch) = channel.control.and_then(|id| rtc.channel(id))
                        {
                            let pong = ControlMessage::Pong {
                                t,
                                clock: Some(wallclock_us()),
                            };
                            let _ = ch.write(false, &pong.encode());
                        }
                        let _ = tx.send(ViewerEvent::Control(m));
                    }
                }
                Event::Closed => {
                    let _ = tx.send(ViewerEvent::Closed);
                }
                Event::IceConnectionStateChange(str0m::IceConnectionState::Disconnected) => {
                    let _ = tx.send(ViewerEvent::Disconnected);
                }
                _ => {}
            },
        }
    }
}

/// coturn's `turnserver` on a free loopback port, killed (and its files removed) when dropped.
struct Coturn {
    child: std::process::Child,
    addr: std::net::SocketAddr,
    /// The TLS listener, when it has one.
    tls_addr: Option<std::net::SocketAddr>,
    /// Its user database, pid file and log (then its certificate and key, if any).
    files: Vec<std::path::PathBuf>,
}

/// How coturn listens, besides UDP and TCP on its main port.
#[derive(Clone, Copy, Default)]
struct Listen<'a> {
    /// A certificate chain and key (PEM) for a TLS listener on a port of its own.
    tls: Option<(&'a str, &'a str)>,
    /// No UDP listener: clients must come over TCP or TLS (the relay still relays UDP).
    no_udp: bool,
}

impl Coturn {
    /// Starts `turnserver` with `args` and waits until it answers a Binding request. A free
    /// port found by binding and releasing it can be taken again before coturn binds it (tests
    /// run in parallel, and coturn also binds the next port for RFC 5780): a server that does
    /// not answer within 4 s is replaced on another port, three times at most.
    ///
    /// # Panics
    /// If `turnserver` is not installed (with the install hint), or it never answers.
    fn start(args: &[&str], listen: Listen<'_>) -> Coturn {
        for _ in 0..3 {
            if let Some(server) = Self::try_start(args, listen, Duration::from_secs(4)) {
                return server;
            }
        }
        panic!("turnserver did not answer on three ports in a row");
    }

    fn try_start(args: &[&str], listen: Listen<'_>, wait: Duration) -> Option<Coturn> {
        use std::process::{Command, Stdio};
        let port = free_udp_port();
        let addr = std::net::SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let tmp = |ext: &str| {
            let name = format!("glass-coturn-{}-{port}.{ext}", std::process::id());
            std::env::temp_dir().join(name)
        };
        let (db, pidfile, log) = (tmp("db"), tmp("pid"), tmp("log"));
        let log_file = std::fs::File::create(&log).expect("coturn log file");
        let mut files = vec![db.clone(), pidfile.clone(), log];
        let mut more: Vec<String> = Vec::new();
        let mut tls_addr = None;
        match listen.tls {
            Some((cert, key)) => {
                let (cert_file, key_file) = (tmp("crt"), tmp("key"));
                std::fs::write(&cert_file, cert).expect("coturn certificate file");
                std::fs::write(&key_file, key).expect("coturn key file");
                let tls_port = free_tcp_port();
                tls_addr = Some(std::net::SocketAddr::from((Ipv4Addr::LOCALHOST, tls_port)));
                more.push(format!("--tls-listening-port={tls_port}"));
                more.push(format!("--cert={}", cert_file.display()));
                more.push(format!("--pkey={}", key_file.display()));
                files.extend([cert_file, key_file]);
            }
            None => more.push("--no-tls".into()),
        }
        if listen.no_udp {
            more.push("--no-udp".into());
        }
        let spawned = Command::new("turnserver")
            .args([
                "-n",
                "--listening-ip=127.0.0.1",
                &format!("--listening-port={port}"),
                "--no-cli",
                "--no-dtls",
                "--log-file=stdout",
                "--simple-log",
                &format!("--userdb={}", db.display()),
                &format!("--pidfile={}", pidfile.display()),
            ])
            .args(&more)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::from(log_file))
            .stderr(Stdio::null())
            .spawn();
        let child = match spawned {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
                "turnserver (coturn) is not installed: `apt-get install -y coturn` \
                 (scripts/setup.sh installs it)"
            ),
            Err(e) => panic!("cannot start turnserver: {e}"),
        };
        let server = Coturn {
            child,
            addr,
            tls_addr,
            files,
        };
        if listen.no_udp {
            return server.answers_over_tcp(wait).then_some(server);
        }
        // Ready once it answers.
        let probe = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("probe socket");
        probe
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("timeout");
        let request = [
            0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
        ];
        let end = Instant::now() + wait;
        let mut buf = [0u8; 512];
        while Instant::now() < end {
            let _ = probe.send_to(&request, addr);
            if let Ok((n, from)) = probe.recv_from(&mut buf)
                && from == addr
                && n >= 20
                && buf[8..20] == request[8..20]
            {
                return Some(server);
            }
        }
        // Dropping it kills the process and removes its files.
        None
    }

    /// It answers a Binding request over TCP on its main port within `wait`.
    fn answers_over_tcp(&self, wait: Duration) -> bool {
        use std::io::{Read, Write};
        let request = [
            0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
        ];
        let end = Instant::now() + wait;
        while Instant::now() < end {
            if let Ok(mut s) =
                std::net::TcpStream::connect_timeout(&self.addr, Duration::from_millis(200))
            {
                let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
                let mut head = [0u8; 20];
                if s.write_all(&request).is_ok()
                    && s.read_exact(&mut head).is_ok()
                    && head[8..20] == request[8..20]
                {
                    return true;
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }
}

impl Drop for Coturn {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for f in &self.files {
            let _ = std::fs::remove_file(f);
        }
    }
}

/// A real STUN server for tests: coturn in STUN-only mode on a free loopback port.
pub struct StunServer(Coturn);

impl StunServer {
    /// Starts it and waits until it answers (see `Coturn::start`).
    ///
    /// # Panics
    /// If `turnserver` is not installed (with the install hint), or it never answers.
    pub fn start() -> StunServer {
        StunServer(Coturn::start(&["--stun-only"], Listen::default()))
    }

    /// Where it listens (UDP).
    pub fn addr(&self) -> std::net::SocketAddr {
        self.0.addr
    }
}

/// coturn in TURN mode on 127.0.0.1, for relay tests: `--allow-loopback-peers` (every peer here
/// is 127.x), `--fingerprint`, realm `glass.test`, and the authentication the caller passes
/// (`--use-auth-secret --static-auth-secret=S` for the TURN REST scheme, or `--lt-cred-mech
/// --user=u:p`). Its log (`--simple-log`) goes to a file that [`TurnRelayServer::log`] reads.
pub struct TurnRelayServer(Coturn);

impl TurnRelayServer {
    /// Starts `turnserver` with `args` added and waits until it answers a Binding request (on
    /// another port, three times at most, as [`StunServer::start`]).
    ///
    /// # Panics
    /// If `turnserver` is not installed or never answers.
    pub fn start(args: &[&str]) -> TurnRelayServer {
        TurnRelayServer::start_with(args, Listen::default())
    }

    /// As [`TurnRelayServer::start`], also listening for TLS (on [`TurnRelayServer::tls_addr`])
    /// with the certificate chain `cert` and its key `key` (PEM); with `no_udp`, only over TCP
    /// and TLS (as a relay on port 443 behind a firewall that lets nothing else through).
    ///
    /// # Panics
    /// If `turnserver` is not installed or never answers.
    pub fn start_tls(cert: &str, key: &str, no_udp: bool, args: &[&str]) -> TurnRelayServer {
        let listen = Listen {
            tls: Some((cert, key)),
            no_udp,
        };
        TurnRelayServer::start_with(args, listen)
    }

    fn start_with(args: &[&str], listen: Listen<'_>) -> TurnRelayServer {
        let mut all = vec![
            "--relay-ip=127.0.0.1",
            "--min-port=49152",
            "--max-port=65535",
            "--realm=glass.test",
            "--fingerprint",
            "--no-tcp-relay",
            "--allow-loopback-peers",
        ];
        all.extend_from_slice(args);
        TurnRelayServer(Coturn::start(&all, listen))
    }

    /// Where it listens: UDP (unless started without) and TCP.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.0.addr
    }

    /// Where it listens for TLS ([`TurnRelayServer::start_tls`]).
    ///
    /// # Panics
    /// If it was started without TLS.
    pub fn tls_addr(&self) -> std::net::SocketAddr {
        self.0.tls_addr.expect("coturn started with start_tls")
    }

    /// Its log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.0.files[2]).unwrap_or_default()
    }

    /// Kills it dead (SIGKILL), as a crashed relay: no goodbye to anyone, its allocations
    /// and their ports gone. Its files stay until it is dropped.
    pub fn kill(&mut self) {
        let _ = self.0.child.kill();
        let _ = self.0.child.wait();
    }
}

/// A free TCP port on 127.0.0.1 (as [`free_udp_port`]).
fn free_tcp_port() -> u16 {
    std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|s| s.local_addr())
        .map(|a| a.port())
        .expect("a free TCP port")
}

/// A free UDP port on 127.0.0.1 (bound, read, released: another process could take it in
/// between, which is fine for tests).
fn free_udp_port() -> u16 {
    UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|s| s.local_addr())
        .map(|a| a.port())
        .expect("a free UDP port")
}

/// A port-mapping NAT in front of one UDP server, for tests on loopback: a client sends to
/// [`UdpNat::inside`], the NAT forwards from its own outside socket, so the server sees
/// [`UdpNat::outside`] (a STUN server reports that address, as behind a real NAT); answers
/// go back to the client. Only the server's answers are let in. [`UdpNat::block`] drops
/// everything, as a NAT whose path is down.
pub struct UdpNat {
    inside: std::net::SocketAddr,
    outside: std::net::SocketAddr,
    blocked: Arc<std::sync::atomic::AtomicBool>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl UdpNat {
    /// Starts the NAT towards `server`.
    pub fn start(server: std::net::SocketAddr) -> UdpNat {
        use std::sync::atomic::AtomicBool;
        let inside = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("inside socket");
        let outside = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).expect("outside socket");
        for s in [&inside, &outside] {
            s.set_read_timeout(Some(Duration::from_millis(5)))
                .expect("timeout");
        }
        let (inside_addr, outside_addr) = (
            inside.local_addr().expect("bound"),
            outside.local_addr().expect("bound"),
        );
        let blocked = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let (b, st) = (blocked.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name("test-nat".into())
            .spawn(move || {
                let mut client = None;
                let mut buf = vec![0u8; 2048];
                while !st.load(Ordering::Relaxed) {
                    if let Ok((n, from)) = inside.recv_from(&mut buf)
                        && !b.load(Ordering::Relaxed)
                    {
                        client = Some(from);
                        let _ = outside.send_to(&buf[..n], server);
                    }
                    if let Ok((n, from)) = outside.recv_from(&mut buf)
                        && from == server
                        && !b.load(Ordering::Relaxed)
                        && let Some(client) = client
                    {
                        let _ = inside.send_to(&buf[..n], client);
                    }
                }
            })
            .expect("NAT thread");
        UdpNat {
            inside: inside_addr,
            outside: outside_addr,
            blocked,
            stop,
            thread: Some(thread),
        }
    }

    /// The address clients send to (in place of the server's).
    pub fn inside(&self) -> std::net::SocketAddr {
        self.inside
    }

    /// The address the server sees (the "public" mapping).
    pub fn outside(&self) -> std::net::SocketAddr {
        self.outside
    }

    /// Drops every datagram while `true`.
    pub fn block(&self, blocked: bool) {
        self.blocked.store(blocked, Ordering::Relaxed);
    }
}

impl Drop for UdpNat {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
