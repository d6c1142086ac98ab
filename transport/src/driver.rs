//! The thread that owns the UDP sockets and the clock, and drives every [`Peer`].
//!
//! [`Transport`] is the handle: commands go to the driver thread over a bounded channel
//! (`accept_offer`, `close`, `sessions` and `stats` wait for a reply), events come back on
//! [`Transport::events`]. One small reader thread per socket blocks in `recv_from`, stamps
//! the arrival time (str0m's BWE wants it) and hands the datagram to the driver, so the
//! driver can wait on sockets, commands and the next peer timeout at once (`select!`)
//! without a platform poller or `unsafe`.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use crossbeam_channel::{Receiver, Sender, bounded, select};

use crate::candidate::LocalCandidate;
use crate::codec::{CodecSet, VideoCodec, stream_codec};
use crate::control::ControlMessage;
use crate::cursor::{CursorPosition, CursorShape};
use crate::error::Error;
use crate::peer::{FrameOutcome, Peer, PeerConfig, PeerEvent};
use crate::relay_stream::{SOFT_CAP, StreamEvent, StreamEventKind, StreamOut};
use crate::stun::{StunEvent, StunGatherer};
use crate::turn::{TurnFailure, TurnReceive, TurnRelay, TurnRelayEvent, TurnServer, TurnTransport};
use crate::turn_stream::TurnTls;

/// One encoded access unit to send to every connected viewer.
#[derive(Debug, Clone)]
pub struct VideoFrameOut {
    /// The codec: H.264 Annex-B (keyframes must carry SPS and PPS in front of the IDR), or one
    /// VP8 frame.
    pub codec: crate::VideoCodec,
    /// The bitstream.
    pub data: bytes::Bytes,
    /// True for IDR access units.
    pub keyframe: bool,
    /// When the picture was captured (abs-capture-time, RTCP sender reports).
    pub capture_time: Instant,
    /// Presentation time since the stream start (the RTP timestamp, 90 kHz).
    pub pts: Duration,
}

/// Opaque session id, shown as 16 hex digits (URL-safe).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId(u64);

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl FromStr for SessionId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        if s.len() != 16 {
            return Err(Error::Peer(format!("bad session id {s:?}")));
        }
        u64::from_str_radix(s, 16)
            .map(SessionId)
            .map_err(|_| Error::Peer(format!("bad session id {s:?}")))
    }
}

impl SessionId {
    fn random(seq: u64) -> SessionId {
        // RandomState is seeded from the OS: unguessable enough for a URL path element
        // that also needs the WHEP token to be used.
        let mut h = RandomState::new().build_hasher();
        h.write_u64(seq);
        SessionId(h.finish())
    }
}

/// Transport settings: plain data with [`Default`]; checked by [`TransportConfig::validate`].
#[derive(Debug, Clone)]
pub struct TransportConfig {
    /// Local addresses to bind; empty = every interface address (not link-local) plus
    /// 127.0.0.1.
    pub bind: Vec<IpAddr>,
    /// UDP port; 0 = any.
    pub port: u16,
    /// Extra candidate for a 1:1 NAT (cloud VM): the public address, same port.
    pub public_ip: Option<IpAddr>,
    /// A viewer silent for this long is dropped (`ViewerLeft { reason: "timeout" }`).
    pub heartbeat_timeout: Duration,
    /// Initial bandwidth estimate, bit/s.
    pub start_bitrate_bps: u32,
    /// Lowest target bitrate reported.
    pub min_bitrate_bps: u32,
    /// Highest target bitrate reported; BWE probes up to it.
    pub max_bitrate_bps: u32,
    /// Emulated network trouble on every datagram in both directions (benchmarks); `None`
    /// for a clean link.
    pub impairment: Option<Impairment>,
    /// Most sessions at once, connected or not; further offers are refused
    /// ([`Error::Busy`], WHEP `503`).
    pub max_peers: usize,
    /// Most sessions not yet connected (ICE + DTLS) at once: bounds what offers alone, from
    /// anyone who can reach the WHEP port, can hold.
    pub max_pending_peers: usize,
    /// Most sessions from one source address (an IPv6 /64 counts as one address), for offers
    /// that come with one ([`Transport::accept_offer_from`]; WHEP passes the TCP peer, so
    /// behind a reverse proxy every viewer shares the proxy's address).
    pub max_peers_per_ip: usize,
    /// A session not connected this long after its offer is dropped (`ViewerLeft { reason:
    /// "connect timeout" }`), even if it keeps sending datagrams.
    pub connect_timeout: Duration,
    /// STUN servers (`IP:port`, at most 8) that tell each socket its address outside the NAT:
    /// a server-reflexive candidate per socket joins the host candidates in every answer.
    /// Asked at start and every 25 s. Empty (the default): host candidates only.
    pub stun_servers: Vec<SocketAddr>,
    /// TURN relays (at most 4; [`TurnServer::from_url`] parses `turn:` and `turns:` URLs),
    /// reached over UDP, TCP or TLS (the allocation relays UDP either way): each is
    /// allocated on at start and its relayed candidate joins every answer (and running
    /// sessions, as [`TransportEvent::LocalCandidate`]). A refused credential or an
    /// unanswered relay is logged and counted ([`TransportStats::relay_error`]).
    pub turn: Vec<TurnServer>,
    /// Offer relayed candidates only, no host or server-reflexive ones: the viewer never
    /// learns an address of this machine. Needs [`TransportConfig::turn`]; then
    /// [`Transport::start`] waits until the relays answered (a few milliseconds; at most 8 s).
    pub relay_only: bool,
    /// CA certificates (DER) a `turns:` relay's certificate may chain to, besides the Web PKI
    /// roots built in: for a relay whose certificate a private CA signed. Verification itself
    /// cannot be turned off.
    pub turn_tls_roots: Vec<Vec<u8>>,
    /// The video codecs this sharer may send (not empty). With both, the stream is H.264 while
    /// every viewer takes it, else VP8 ([`crate::codec`]); [`TransportEvent::VideoCodec`]
    /// tells the encoder when that changes.
    pub codecs: CodecSet,
}

/// Most [`TransportConfig::turn`] relays.
const MAX_TURN_SERVERS: usize = 4;

/// Most [`TransportConfig::stun_servers`]: each is asked from every socket every 25 s.
const MAX_STUN_SERVERS: usize = 8;

/// An in-process impairment layer in front of the sockets: each datagram, sent or
/// received, is dropped with probability `loss` and otherwise delayed by `delay` (one way,
/// so the round trip grows by twice that). Deterministic (fixed-seed generator), so runs
/// compare. Needs no root, unlike `tc netem`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Impairment {
    /// Fraction of datagrams dropped, `0.0..=0.5`.
    pub loss: f64,
    /// One-way delay added to every datagram, at most 2 s.
    pub delay: Duration,
}

impl Default for TransportConfig {
    fn default() -> Self {
        Self {
            bind: Vec::new(),
            port: 0,
            public_ip: None,
            heartbeat_timeout: Duration::from_millis(1500),
            impairment: None,
            start_bitrate_bps: 2_000_000,
            min_bitrate_bps: 200_000,
            max_bitrate_bps: 20_000_000,
            max_peers: 8,
            max_pending_peers: 4,
            max_peers_per_ip: 4,
            connect_timeout: Duration::from_secs(10),
            stun_servers: Vec::new(),
            turn: Vec::new(),
            relay_only: false,
            turn_tls_roots: Vec::new(),
            codecs: CodecSet::ALL,
        }
    }
}

impl TransportConfig {
    /// Checks ranges; errors name the field, the value and what is allowed.
    pub fn validate(&self) -> Result<(), Error> {
        let hb = self.heartbeat_timeout;
        if hb < Duration::from_millis(600) || hb > Duration::from_secs(60) {
            return Err(Error::Config {
                field: "heartbeat_timeout",
                value: format!("{hb:?}"),
                allowed: "600 ms ..= 60 s (pings go out every 500 ms)",
            });
        }
        if self.min_bitrate_bps < 50_000 {
            return Err(Error::Config {
                field: "min_bitrate_bps",
                value: self.min_bitrate_bps.to_string(),
                allowed: ">= 50000",
            });
        }
        if self.max_bitrate_bps < self.min_bitrate_bps {
            return Err(Error::Config {
                field: "max_bitrate_bps",
                value: self.max_bitrate_bps.to_string(),
                allowed: ">= min_bitrate_bps",
            });
        }
        if !(self.min_bitrate_bps..=self.max_bitrate_bps).contains(&self.start_bitrate_bps) {
            return Err(Error::Config {
                field: "start_bitrate_bps",
                value: self.start_bitrate_bps.to_string(),
                allowed: "min_bitrate_bps ..= max_bitrate_bps",
            });
        }
        if let Some(i) = self.impairment {
            if !(0.0..=0.5).contains(&i.loss) {
                return Err(Error::Config {
                    field: "impairment.loss",
                    value: i.loss.to_string(),
                    allowed: "0.0 ..= 0.5",
                });
            }
            if i.delay > Duration::from_secs(2) {
                return Err(Error::Config {
                    field: "impairment.delay",
                    value: format!("{:?}", i.delay),
                    allowed: "<= 2 s",
                });
            }
        }
        if !(1..=1024).contains(&self.max_peers) {
            return Err(Error::Config {
                field: "max_peers",
                value: self.max_peers.to_string(),
                allowed: "1 ..= 1024",
            });
        }
        if !(1..=self.max_peers).contains(&self.max_pending_peers) {
            return Err(Error::Config {
                field: "max_pending_peers",
                value: self.max_pending_peers.to_string(),
                allowed: "1 ..= max_peers",
            });
        }
        if !(1..=self.max_peers).contains(&self.max_peers_per_ip) {
            return Err(Error::Config {
                field: "max_peers_per_ip",
                value: self.max_peers_per_ip.to_string(),
                allowed: "1 ..= max_peers",
            });
        }
        let ct = self.connect_timeout;
        if ct < Duration::from_secs(1) || ct > Duration::from_secs(60) {
            return Err(Error::Config {
                field: "connect_timeout",
                value: format!("{ct:?}"),
                allowed: "1 s ..= 60 s",
            });
        }
        for ip in &self.bind {
            if ip.is_unspecified() || ip.is_multicast() {
                return Err(Error::Config {
                    field: "bind",
                    value: ip.to_string(),
                    allowed: "unicast addresses of this host (leave empty for all)",
                });
            }
        }
        if self.stun_servers.len() > MAX_STUN_SERVERS {
            return Err(Error::Config {
                field: "stun_servers",
                value: format!("{} servers", self.stun_servers.len()),
                allowed: "at most 8 servers",
            });
        }
        for server in &self.stun_servers {
            let ip = server.ip();
            if ip.is_unspecified()
                || ip.is_multicast()
                || ip == IpAddr::V4(Ipv4Addr::BROADCAST)
                || server.port() == 0
            {
                return Err(Error::Config {
                    field: "stun_servers",
                    value: server.to_string(),
                    allowed: "unicast IP:port of a STUN server (e.g. 192.0.2.10:3478)",
                });
            }
        }
        if self.turn.len() > MAX_TURN_SERVERS {
            return Err(Error::Config {
                field: "turn",
                value: format!("{} servers", self.turn.len()),
                allowed: "at most 4 servers",
            });
        }
        for server in &self.turn {
            let ip = server.addr.ip();
            if ip.is_unspecified() || ip.is_multicast() || server.addr.port() == 0 {
                return Err(Error::Config {
                    field: "turn",
                    value: server.addr.to_string(),
                    allowed: "unicast IP:port of a TURN server",
                });
            }
        }
        if !self.turn_tls_roots.is_empty() {
            TurnTls::new(&self.turn_tls_roots)?;
        }
        if self.codecs.is_empty() {
            return Err(Error::Config {
                field: "codecs",
                value: self.codecs.to_string(),
                allowed: "H.264, VP8 or both",
            });
        }
        if self.relay_only && self.turn.is_empty() {
            return Err(Error::Config {
                field: "relay_only",
                value: "true".into(),
                allowed: "false, or true with at least one TURN server in `turn`",
            });
        }
        if let Some(ip) = self.public_ip
            && (ip.is_unspecified() || ip.is_multicast() || ip.is_loopback())
        {
            return Err(Error::Config {
                field: "public_ip",
                value: ip.to_string(),
                allowed: "a reachable unicast address",
            });
        }
        Ok(())
    }

    fn peer_config(&self, anchor: (Instant, SystemTime)) -> PeerConfig {
        PeerConfig {
            heartbeat_timeout: self.heartbeat_timeout,
            connect_timeout: self.connect_timeout,
            start_bitrate_bps: self.start_bitrate_bps,
            min_bitrate_bps: self.min_bitrate_bps,
            max_bitrate_bps: self.max_bitrate_bps,
            wallclock_anchor: anchor,
            codecs: self.codecs,
            ..PeerConfig::default()
        }
    }
}

/// What the transport tells the application.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TransportEvent {
    /// ICE + DTLS are up for this viewer.
    ViewerJoined(SessionId),
    /// The session ended (`"timeout"`, `"bye"`, `"closed"`, `"closed by viewer"`,
    /// `"message too large"`, ...).
    ViewerLeft {
        /// The session.
        id: SessionId,
        /// Why it ended.
        reason: String,
    },
    /// Encode a keyframe soon (a new viewer, PLI/FIR, loss, or a congested pacer).
    KeyframeRequested(SessionId),
    /// Encode in this codec from now on, starting with a keyframe: the codec every viewer can
    /// receive changed (a viewer that takes only VP8 joined, or the last one left; see
    /// [`crate::codec`]). Frames in the old codec are dropped for viewers without it. The
    /// stream starts in [`TransportConfig::codecs`]' preferred codec (H.264 if allowed).
    VideoCodec(VideoCodec),
    /// The encoder's target: the lowest estimate over all viewers, bit/s.
    TargetBitrate(u32),
    /// A control message from a viewer (pings and pongs are handled inside).
    Control {
        /// The session.
        id: SessionId,
        /// The message.
        message: ControlMessage,
    },
    /// A TURN relay in use died (its server stopped answering, or the connection to it
    /// closed): its relayed candidate is gone. The sessions that went through it end with
    /// [`RELAY_LOST`] as their [`TransportEvent::ViewerLeft`] reason (once the relay is known
    /// lost: within [`crate::turn::PROBE_TIMEOUT`] plus a second of silence over UDP, at once
    /// when a TCP or TLS connection closes); a relay-only transport has nothing left to offer
    /// until it is started again with a fresh allocation.
    RelayLost {
        /// The relay's server.
        server: SocketAddr,
        /// Why (`"relay allocation lost"`).
        reason: String,
    },
    /// A local candidate found after this session's answer was sent (a late STUN answer, or a
    /// NAT that changed its mapping), now in the session's ICE agent. Signalling that
    /// trickles may pass it on (`RTCPeerConnection.addIceCandidate({candidate, sdpMid: "0"})`);
    /// without it the session goes on with the candidates of its answer.
    LocalCandidate {
        /// The session.
        id: SessionId,
        /// The `candidate:` value (`candidate:... typ srflx raddr ... rport ...`).
        candidate: String,
    },
}

/// The [`TransportEvent::ViewerLeft`] reason of a session whose relay died.
pub const RELAY_LOST: &str = "relay lost";

/// [`TransportEvent::ViewerLeft`] reasons for a viewer that went silent: for a session through
/// a relay, the relay is checked before the reason is given (a dead relay makes it
/// [`RELAY_LOST`]).
const SILENCE: [&str; 2] = ["timeout", "ice disconnected"];

/// Input from a viewer for the application's input handler, in arrival order per session.
/// Kept apart from [`TransportEvent`]s so input never waits behind other events.
#[derive(Debug, Clone, PartialEq)]
pub struct InputPacket {
    /// The session.
    pub id: SessionId,
    /// What arrived.
    pub kind: InputPacketKind,
}

/// See [`InputPacket`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum InputPacketKind {
    /// One message from the `input` or `pointer` channel, undecoded.
    Data {
        /// The message.
        data: Vec<u8>,
        /// When its datagram arrived.
        received: Instant,
    },
    /// The viewer's input channel closed or the session ended: release what it holds.
    Closed,
    /// The viewer's clock minus ours, µs (for input latency across machines).
    ClockOffset(i64),
    /// Text the viewer copied ([`crate::clipboard`]), for the application to paste if this
    /// viewer may.
    Clipboard(String),
}

/// Per-session numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionStats {
    /// The session.
    pub id: SessionId,
    /// Frames handed to the packetizer.
    pub frames_sent: u64,
    /// Round-trip time.
    pub rtt: Option<Duration>,
    /// Loss reported by the viewer (0..1).
    pub loss: Option<f32>,
    /// Bandwidth estimate, bit/s.
    pub estimate_bps: Option<u32>,
}

/// Transport counters (totals include closed sessions).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TransportStats {
    /// Datagrams sent.
    pub packets_sent: u64,
    /// Bytes sent.
    pub bytes_sent: u64,
    /// Datagrams received.
    pub packets_received: u64,
    /// Per-viewer frames handed to the packetizer.
    pub frames_sent: u64,
    /// Per-viewer frames dropped because the viewer had no keyframe yet.
    pub frames_dropped_no_keyframe: u64,
    /// Per-viewer frames dropped because its pacer was backed up, plus frames dropped
    /// before reaching the driver (full frame queue).
    pub frames_dropped_congestion: u64,
    /// Malformed or oversized control messages.
    pub control_rejected: u64,
    /// Input-channel messages dropped because the input handler fell behind (full queue).
    pub input_dropped: u64,
    /// Input-channel messages refused by the transport, never handed to the input handler:
    /// text frames, and anything but a pointer move on the `pointer` channel (see
    /// [`crate::peer::PeerStats::input_rejected`]).
    pub input_rejected: u64,
    /// Messages viewers sent on the `cursor` channel (sharer → viewer only): refused.
    pub cursor_rejected: u64,
    /// Cursor messages handed to viewers' `cursor` channels (shapes and positions).
    pub cursor_sent: u64,
    /// Clipboard texts received from viewers and handed on.
    pub clipboard_received: u64,
    /// Clipboard messages refused (text frames, malformed, oversized).
    pub clipboard_rejected: u64,
    /// Sessions ended because the viewer sent a data-channel message larger than the
    /// negotiated `a=max-message-size` ([`crate::peer::MESSAGE_TOO_LARGE`]).
    pub messages_too_large: u64,
    /// Datagrams dropped on purpose by the impairment layer (benchmarks).
    pub impairment_dropped: u64,
    /// Datagrams that matched no session or were dropped on a full queue, and (relay only)
    /// datagrams to a viewer with no relay left to carry them.
    pub datagrams_dropped: u64,
    /// Sessions now open.
    pub sessions: usize,
    /// Of those, sessions not connected yet.
    pub pending: usize,
    /// Offers refused because [`TransportConfig::max_peers`] sessions were open.
    pub offers_refused_max_peers: u64,
    /// Offers refused because [`TransportConfig::max_pending_peers`] were connecting.
    pub offers_refused_max_pending: u64,
    /// Offers refused because their source had [`TransportConfig::max_peers_per_ip`]
    /// sessions.
    pub offers_refused_per_ip: u64,
    /// Remote mDNS candidates (`….local`) skipped, in offers and trickled.
    pub mdns_candidates_skipped: u64,
    /// Remote candidates added by trickle ([`Transport::add_remote_candidate`]).
    pub remote_candidates_added: u64,
    /// Remote candidates refused (malformed, unusable address, another session's ufrag, over
    /// [`crate::peer::MAX_REMOTE_CANDIDATES`]), in offers and trickled.
    pub candidates_rejected: u64,
    /// STUN Binding requests sent to [`TransportConfig::stun_servers`], retransmissions
    /// included.
    pub stun_requests_sent: u64,
    /// STUN Binding answers with a usable address.
    pub stun_responses: u64,
    /// STUN rounds that failed (no answer after every retransmission, an error answer, an
    /// unusable one).
    pub stun_failures: u64,
    /// TURN allocations made.
    pub relay_allocations: u64,
    /// TURN relays still allocating.
    pub relays_pending: usize,
    /// TURN refresh requests sent, and accepted by the server.
    pub relay_refresh_requests: u64,
    /// TURN refreshes the server accepted.
    pub relay_refreshes: u64,
    /// Payload bytes sent to viewers through a relay.
    pub relay_bytes_out: u64,
    /// Payload bytes received from viewers through a relay.
    pub relay_bytes_in: u64,
    /// TURN failures: allocations refused or lost, refused permissions, channels, refreshes.
    pub relay_failures: u64,
    /// Why the last relay failed (`"relay refused the credential (401)"`, ...).
    pub relay_error: Option<String>,
    /// Datagrams to viewers dropped because a TCP or TLS relay's connection was backed up.
    pub relay_stream_dropped: u64,
    /// Relays lost after they were allocated ([`TransportEvent::RelayLost`]).
    pub relays_lost: u64,
    /// Liveness probes sent to relays (a silent relayed path, or a session through a relay
    /// that went silent).
    pub relay_probes: u64,
    /// One entry per open session.
    pub per_session: Vec<SessionStats>,
}

impl TransportStats {
    /// Adds one session's counters to the totals.
    fn add_peer(&mut self, p: &crate::peer::PeerStats) {
        self.packets_sent += p.packets_sent;
        self.bytes_sent += p.bytes_sent;
        self.packets_received += p.packets_received;
        self.frames_sent += p.frames_sent;
        self.frames_dropped_no_keyframe += p.frames_dropped_no_keyframe;
        self.frames_dropped_congestion += p.frames_dropped_congestion;
        self.control_rejected += p.control_rejected;
        self.input_rejected += p.input_rejected;
        self.cursor_rejected += p.cursor_rejected;
        self.cursor_sent += p.cursor_sent;
        self.clipboard_received += p.clipboard_received;
        self.clipboard_rejected += p.clipboard_rejected;
        self.messages_too_large += p.messages_too_large;
        self.mdns_candidates_skipped += p.mdns_candidates_skipped;
        self.remote_candidates_added += p.remote_candidates_added;
        self.candidates_rejected += p.candidates_rejected;
    }
}

type Reply<T> = Sender<T>;

enum Command {
    Accept(
        String,
        Option<IpAddr>,
        Reply<Result<(SessionId, String), Error>>,
    ),
    Close(SessionId, Reply<bool>),
    Trickle {
        id: SessionId,
        ufrag: Option<String>,
        candidates: Vec<String>,
        reply: Reply<Result<(), Error>>,
    },
    Candidates(Reply<Vec<LocalCandidate>>),
    SendControl(SessionId, ControlMessage),
    Clipboard(SessionId, String),
    Cursor(Option<(CursorShape, CursorPosition)>),
    Sessions(Reply<Vec<SessionId>>),
    Stats(Reply<TransportStats>),
    Shutdown,
}

struct Datagram {
    at: Instant,
    socket: usize,
    source: SocketAddr,
    data: Vec<u8>,
}

struct Shared {
    stop: AtomicBool,
    /// A frame was lost between `send_frame` and the driver: every viewer needs a keyframe.
    frame_gap: AtomicBool,
    frames_lost: AtomicU64,
    datagrams_lost: AtomicU64,
    input_lost: AtomicU64,
    /// Set while a viewer's pacer holds more video than [`CONGESTED_ABOVE`]: the encoder
    /// should wait ([`Transport::congestion`]).
    congested: Arc<AtomicBool>,
}

/// Backlog in a viewer's pacer above which the encoder is asked to wait: well below the
/// 250 ms at which a delta is dropped (which costs a keyframe, and a keyframe of a page of
/// text is ~470 kB: dropping, then sending that, was a spiral on a thin link).
pub const CONGESTED_ABOVE: Duration = Duration::from_millis(100);
/// Backlog below which the encoder may go on again.
pub const CONGESTED_BELOW: Duration = Duration::from_millis(40);

/// The last packet of a frame left the pacer for one session ([`Transport::departures`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameDeparture {
    /// The session.
    pub id: SessionId,
    /// The frame's [`VideoFrameOut::capture_time`].
    pub capture_time: Instant,
    /// When its last RTP packet was handed to the socket (or the impairment layer).
    pub left: Instant,
}

/// Departures kept for a reader; beyond this they are dropped.
const DEPARTURE_QUEUE: usize = 1024;

/// The WebRTC sender: UDP sockets, one driver thread, many viewer sessions.
/// All methods take `&self`; share it with an `Arc`.
pub struct Transport {
    commands: Sender<Command>,
    frames: Sender<VideoFrameOut>,
    events: Receiver<TransportEvent>,
    input: Receiver<InputPacket>,
    departures: Receiver<FrameDeparture>,
    shared: Arc<Shared>,
    threads: Mutex<Vec<JoinHandle<()>>>,
    local: Vec<SocketAddr>,
}

/// How long a caller waits for the driver to answer.
const REPLY_TIMEOUT: Duration = Duration::from_secs(5);
/// Input messages queued for the application before new ones are dropped.
const INPUT_QUEUE: usize = 1024;
/// How long the driver may wait to hand over a session's `Closed` (its held keys must be
/// released, so it is worth a short wait when the input handler is behind).
const INPUT_CLOSE_WAIT: Duration = Duration::from_millis(50);
/// Longest driver sleep: bounds the reaction to the stop flag.
const MAX_WAIT: Duration = Duration::from_millis(50);
/// Longest wait in [`Transport::start`] for relays to allocate (relay only): the relay's own
/// allocation timeout, and a little.
const RELAY_WAIT: Duration = Duration::from_millis(8500);
/// `Retry-After` when the session or per-address limit is reached (sessions last minutes).
const RETRY_WHEN_FULL: Duration = Duration::from_secs(10);
/// `Retry-After` when too many viewers are connecting (a connect takes well under a second,
/// or is given up after the connect timeout).
const RETRY_WHEN_CONNECTING: Duration = Duration::from_secs(2);

impl Transport {
    /// Binds the sockets and starts the driver thread.
    pub fn start(config: TransportConfig) -> Result<Transport, Error> {
        config.validate()?;
        let sockets = bind_sockets(&config)?;
        let mut candidates: Vec<(SocketAddr, usize)> = sockets
            .iter()
            .enumerate()
            .map(|(i, s)| s.local_addr().map(|a| (a, i)))
            .collect::<Result<_, _>>()?;
        let mut public = None;
        if let Some(ip) = config.public_ip {
            // Same port as the first non-loopback socket: a 1:1 NAT maps it unchanged.
            let (addr, i) = candidates
                .iter()
                .copied()
                .find(|(a, _)| !a.ip().is_loopback())
                .unwrap_or(candidates[0]);
            let alias = SocketAddr::new(ip, addr.port());
            candidates.push((alias, i));
            public = Some((i, alias));
        }
        let local: Vec<SocketAddr> = candidates.iter().map(|(a, _)| *a).collect();
        // Each socket's own address (the base of every candidate on it).
        let bases: Vec<SocketAddr> = sockets
            .iter()
            .map(UdpSocket::local_addr)
            .collect::<Result<_, _>>()?;
        let indexed: Vec<(usize, SocketAddr)> = bases.iter().copied().enumerate().collect();
        let stun = StunGatherer::new(Instant::now(), &indexed, &config.stun_servers);
        if stun.is_empty() && !config.stun_servers.is_empty() {
            tracing::warn!(
                "no socket can reach the STUN servers {:?} (address family or loopback)",
                config.stun_servers
            );
        }
        let now = Instant::now();
        let tls = if config
            .turn
            .iter()
            .any(|s| s.transport == TurnTransport::Tls)
        {
            Some(TurnTls::new(&config.turn_tls_roots)?)
        } else {
            None
        };
        let relays: Vec<(RelayLink, TurnRelay)> = config
            .turn
            .iter()
            .filter_map(|server| {
                if server.transport != TurnTransport::Udp {
                    // The connection's own address is known once it is up.
                    let any = SocketAddr::new(unspecified(server.addr.ip()), 0);
                    let relay = TurnRelay::with_tls(now, any, server, tls.as_ref());
                    return Some((RelayLink::Stream(Arc::default()), relay));
                }
                let i = relay_socket(&bases, server.addr);
                if i.is_none() {
                    tracing::warn!(server = %server.addr, "no socket can reach this TURN server");
                }
                i.map(|i| (RelayLink::Udp(i), TurnRelay::new(now, bases[i], server)))
            })
            .collect();
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            frame_gap: AtomicBool::new(false),
            congested: Arc::default(),
            frames_lost: AtomicU64::new(0),
            datagrams_lost: AtomicU64::new(0),
            input_lost: AtomicU64::new(0),
        });
        let (cmd_tx, cmd_rx) = bounded(64);
        let (frame_tx, frame_rx) = bounded(4);
        let (event_tx, event_rx) = bounded(1024);
        let (input_tx, input_rx) = bounded(INPUT_QUEUE);
        let (departure_tx, departure_rx) = bounded(DEPARTURE_QUEUE);
        let (net_tx, net_rx) = bounded(8192);
        let (stream_tx, stream_rx) = bounded(256);
        let sockets: Vec<Arc<UdpSocket>> = sockets.into_iter().map(Arc::new).collect();
        let mut threads = Vec::new();
        for (i, socket) in sockets.iter().enumerate() {
            socket.set_read_timeout(Some(Duration::from_millis(100)))?;
            let socket = socket.clone();
            let tx = net_tx.clone();
            let shared = shared.clone();
            threads.push(
                std::thread::Builder::new()
                    .name(format!("glass-udp-{i}"))
                    .spawn(move || read_loop(i, &socket, &tx, &shared))?,
            );
        }
        for (r, (link, relay)) in relays.iter().enumerate() {
            let RelayLink::Stream(out) = link else {
                continue;
            };
            let (server, out, tx, shared) = (
                relay.server(),
                out.clone(),
                stream_tx.clone(),
                shared.clone(),
            );
            threads.push(
                std::thread::Builder::new()
                    .name(format!("glass-turn-{r}"))
                    .spawn(move || {
                        crate::relay_stream::run(r, server, &out, &tx, &|| {
                            shared.stop.load(Ordering::Relaxed)
                        });
                    })?,
            );
        }
        drop(stream_tx);
        let driver = Driver {
            impaired: config.impairment.map(|config| Impaired {
                config,
                rng: 0x9e37_79b9_7f4a_7c15,
                outgoing: Default::default(),
                incoming: Default::default(),
                dropped: 0,
            }),
            sockets,
            candidates,
            bases,
            stun,
            relays,
            relay_error: None,
            public,
            config: config.clone(),
            anchor: (Instant::now(), SystemTime::now()),
            peers: HashMap::new(),
            sources: HashMap::new(),
            seq: 0,
            events: event_tx,
            input: input_tx,
            departures: departure_tx,
            shared: shared.clone(),
            totals: TransportStats::default(),
            estimates: HashMap::new(),
            last_target: None,
            via: HashMap::new(),
            lost: Vec::new(),
            parked: Vec::new(),
            cursor: None,
            codec: config.codecs.preferred().unwrap_or(VideoCodec::H264),
        };
        threads.push(
            std::thread::Builder::new()
                .name("glass-transport".into())
                .spawn(move || driver.run(&cmd_rx, &frame_rx, &net_rx, &stream_rx))?,
        );
        tracing::info!("transport listening on {local:?}");
        let transport = Transport {
            commands: cmd_tx,
            frames: frame_tx,
            events: event_rx,
            input: input_rx,
            departures: departure_rx,
            shared,
            threads: Mutex::new(threads),
            local,
        };
        if config.relay_only {
            // Without a relayed candidate an answer would carry none at all.
            let end = Instant::now() + RELAY_WAIT;
            loop {
                let s = transport.stats();
                if s.relays_pending == 0 {
                    if s.relay_allocations == 0 {
                        tracing::warn!(
                            "relay only, but no relay could be allocated: {}",
                            s.relay_error.as_deref().unwrap_or("no usable TURN server")
                        );
                    }
                    break;
                }
                if Instant::now() >= end {
                    break;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        Ok(transport)
    }

    /// The advertised host candidates (bound sockets plus the public alias).
    pub fn local_addrs(&self) -> &[SocketAddr] {
        &self.local
    }

    /// WHEP: takes a viewer's SDP offer, returns the new session's id and the SDP answer.
    /// Malformed SDP is [`Error::BadOffer`]; no room for another session (see the limits in
    /// [`TransportConfig`]) is [`Error::Busy`]. Same as [`Transport::accept_offer_from`] with
    /// no source address (the per-address limit does not apply).
    pub fn accept_offer(&self, offer_sdp: &str) -> Result<(SessionId, String), Error> {
        self.accept_offer_from(offer_sdp, None)
    }

    /// [`Transport::accept_offer`] for an offer from `source` (the signalling client's
    /// address), which counts towards [`TransportConfig::max_peers_per_ip`].
    pub fn accept_offer_from(
        &self,
        offer_sdp: &str,
        source: Option<IpAddr>,
    ) -> Result<(SessionId, String), Error> {
        let (tx, rx) = bounded(1);
        self.request(Command::Accept(offer_sdp.to_string(), source, tx))?;
        rx.recv_timeout(REPLY_TIMEOUT).map_err(|_| Error::Closed)?
    }

    /// Every local candidate a new session's answer gets: the host candidates
    /// ([`Transport::local_addrs`]), then the server-reflexive ones found so far.
    pub fn local_candidates(&self) -> Vec<LocalCandidate> {
        let (tx, rx) = bounded(1);
        if self.request(Command::Candidates(tx)).is_err() {
            return Vec::new();
        }
        rx.recv_timeout(REPLY_TIMEOUT).unwrap_or_default()
    }

    /// Trickle ICE: adds a candidate of the viewer of session `id`, given as the `candidate`
    /// value of its `RTCIceCandidateInit` (`candidate:1 1 udp 2122260223 192.0.2.7 54321 typ
    /// host ...`). The empty string (end of candidates) is accepted and ignored; an mDNS
    /// candidate (`….local`) is skipped and counted ([`TransportStats::mdns_candidates_skipped`]).
    ///
    /// [`Error::BadCandidate`] for a candidate that cannot be used (see
    /// [`crate::peer::Peer::add_remote_candidate`]); [`Error::Closed`] if there is no such
    /// session (it ended) or the transport is stopped.
    pub fn add_remote_candidate(&self, id: SessionId, candidate: &str) -> Result<(), Error> {
        self.add_remote_candidates(id, None, &[candidate])
    }

    /// [`Transport::add_remote_candidate`] for several candidates that came with the viewer's
    /// ICE username fragment (`a=ice-ufrag` of a WHEP trickle PATCH). A `ufrag` other than the
    /// offer's asks for an ICE restart: [`Error::Unsupported`].
    pub fn add_remote_candidates(
        &self,
        id: SessionId,
        ufrag: Option<&str>,
        candidates: &[&str],
    ) -> Result<(), Error> {
        let (tx, rx) = bounded(1);
        self.request(Command::Trickle {
            id,
            ufrag: ufrag.map(str::to_string),
            candidates: candidates.iter().map(|c| c.to_string()).collect(),
            reply: tx,
        })?;
        rx.recv_timeout(REPLY_TIMEOUT).map_err(|_| Error::Closed)?
    }

    /// Says `bye`, closes the session and drops it; `false` if unknown.
    pub fn close(&self, id: SessionId) -> bool {
        let (tx, rx) = bounded(1);
        self.request(Command::Close(id, tx)).is_ok()
            && rx.recv_timeout(REPLY_TIMEOUT).unwrap_or(false)
    }

    /// Sends one access unit to every connected viewer. Never blocks: if the driver is
    /// behind, the frame is dropped and every viewer waits for the next keyframe (a
    /// [`TransportEvent::KeyframeRequested`] follows).
    pub fn send_frame(&self, frame: VideoFrameOut) {
        if self.frames.try_send(frame).is_err() {
            self.shared.frames_lost.fetch_add(1, Ordering::Relaxed);
            self.shared.frame_gap.store(true, Ordering::Relaxed);
        }
    }

    /// A flag set while some viewer's pacer is backed up (more than [`CONGESTED_ABOVE`] of
    /// video waiting, until it is under [`CONGESTED_BELOW`]): an encoder that waits while it
    /// is set sends its next frame as a delta covering everything since, where a frame
    /// dropped here would cost a keyframe.
    pub fn congestion(&self) -> Arc<AtomicBool> {
        self.shared.congested.clone()
    }

    /// Events from all sessions.
    pub fn events(&self) -> &Receiver<TransportEvent> {
        &self.events
    }

    /// When each frame's last packet left the pacer, per session: for latency harnesses
    /// (pacer wait and network time). Bounded: departures are dropped when nobody reads them.
    pub fn departures(&self) -> &Receiver<FrameDeparture> {
        &self.departures
    }

    /// Input from every session (see [`InputPacket`]). Bounded: when nobody reads it,
    /// messages are dropped and counted in [`TransportStats::input_dropped`].
    pub fn input(&self) -> &Receiver<InputPacket> {
        &self.input
    }

    /// Sends an application control message to one viewer, now or when its control channel
    /// opens. Never blocks; `false` if the transport is gone or too busy.
    pub fn send_control(&self, id: SessionId, message: ControlMessage) -> bool {
        self.commands
            .try_send(Command::SendControl(id, message))
            .is_ok()
    }

    /// Gives viewer `id` text copied on this side ([`crate::clipboard`]), on its
    /// `clipboard` channel. The caller decides whether this viewer may have it (full control,
    /// the organisation's setting). Never blocks; `false` if the transport is gone or busy.
    pub fn send_clipboard(&self, id: SessionId, text: String) -> bool {
        self.commands.try_send(Command::Clipboard(id, text)).is_ok()
    }

    /// Sends the pointer's shape and position to every connected viewer that opened a
    /// `cursor` channel (the shape only to those that lack its serial; see
    /// [`crate::cursor`]). The caller decides whether viewers may see the screen at all: call
    /// it only while they are being sent video (not while paused). Never blocks; `false` if
    /// the transport is gone or too busy (the update is dropped).
    /// The transport keeps the latest state for viewers that connect later, until
    /// [`Transport::forget_cursor`].
    pub fn send_cursor(&self, shape: CursorShape, position: CursorPosition) -> bool {
        self.commands
            .try_send(Command::Cursor(Some((shape, position))))
            .is_ok()
    }

    /// Forgets the cursor state kept for viewers that connect later (sharing paused: a
    /// viewer joining then must not learn where the pointer is). Ordered after every
    /// [`Transport::send_cursor`] made before it; waits for room in the command queue.
    pub fn forget_cursor(&self) -> bool {
        self.commands
            .send_timeout(Command::Cursor(None), REPLY_TIMEOUT)
            .is_ok()
    }

    /// Open sessions.
    pub fn sessions(&self) -> Vec<SessionId> {
        let (tx, rx) = bounded(1);
        if self.request(Command::Sessions(tx)).is_err() {
            return Vec::new();
        }
        rx.recv_timeout(REPLY_TIMEOUT).unwrap_or_default()
    }

    /// Counters.
    pub fn stats(&self) -> TransportStats {
        let (tx, rx) = bounded(1);
        if self.request(Command::Stats(tx)).is_err() {
            return TransportStats::default();
        }
        rx.recv_timeout(REPLY_TIMEOUT).unwrap_or_default()
    }

    /// Says `bye` to every viewer, then stops the threads.
    pub fn shutdown(self) {
        self.stop();
    }

    fn request(&self, cmd: Command) -> Result<(), Error> {
        self.commands
            .send_timeout(cmd, REPLY_TIMEOUT)
            .map_err(|_| Error::Closed)
    }

    fn stop(&self) {
        let _ = self.commands.send_timeout(Command::Shutdown, REPLY_TIMEOUT);
        let threads = std::mem::take(&mut *self.threads.lock().unwrap_or_else(|e| e.into_inner()));
        // The driver says bye before it returns; the readers only need the flag.
        let mut threads = threads.into_iter().rev();
        if let Some(driver) = threads.next() {
            let _ = driver.join();
        }
        self.shared.stop.store(true, Ordering::Relaxed);
        for t in threads {
            let _ = t.join();
        }
    }
}

impl Drop for Transport {
    fn drop(&mut self) {
        self.stop();
    }
}

fn read_loop(i: usize, socket: &UdpSocket, tx: &Sender<Datagram>, shared: &Shared) {
    let mut buf = vec![0u8; 2048];
    while !shared.stop.load(Ordering::Relaxed) {
        match socket.recv_from(&mut buf) {
            Ok((n, source)) => {
                let d = Datagram {
                    at: Instant::now(),
                    socket: i,
                    source,
                    data: buf[..n].to_vec(),
                };
                if tx.try_send(d).is_err() {
                    shared.datagrams_lost.fetch_add(1, Ordering::Relaxed);
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock
                        | std::io::ErrorKind::TimedOut
                        | std::io::ErrorKind::Interrupted
                        // ICMP port unreachable from a gone viewer surfaces here on some OSes.
                        | std::io::ErrorKind::ConnectionRefused
                        | std::io::ErrorKind::ConnectionReset
                ) => {}
            Err(e) => {
                tracing::warn!("udp receive: {e}");
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
}

/// Binds one socket per local address (so each datagram's local address is known without
/// `IP_PKTINFO`, which str0m needs as `Receive::destination`).
fn bind_sockets(config: &TransportConfig) -> Result<Vec<UdpSocket>, Error> {
    let explicit = !config.bind.is_empty();
    let ips: Vec<IpAddr> = if explicit {
        config.bind.clone()
    } else {
        usable_local_ips()
    };
    let mut sockets: Vec<UdpSocket> = Vec::new();
    let mut port = config.port;
    for ip in ips {
        // Keep one port across addresses when we can (simpler firewall rules).
        let socket = match UdpSocket::bind((ip, port)) {
            Ok(s) => s,
            Err(_) if config.port == 0 && port != 0 => match UdpSocket::bind((ip, 0)) {
                Ok(s) => s,
                Err(e) if !explicit => {
                    tracing::warn!(%ip, "skipping an address that cannot be bound: {e}");
                    continue;
                }
                Err(e) => return Err(e.into()),
            },
            // An address the user asked for must work; an enumerated one may be skipped
            // (a tentative IPv6 address, an interface going down).
            Err(e) if !explicit => {
                tracing::warn!(%ip, "skipping an address that cannot be bound: {e}");
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        if port == 0 {
            port = socket.local_addr()?.port();
        }
        sockets.push(socket);
    }
    if sockets.is_empty() {
        return Err(Error::Io(std::io::Error::other(
            "no local address could be bound for media",
        )));
    }
    Ok(sockets)
}

/// Every address a viewer could reach us on: each interface's addresses except link-local
/// ones (they need a scope and rarely route), plus IPv4 loopback for a browser on this
/// machine and for tests. Falls back to the default-route address if interfaces cannot be
/// listed.
fn usable_local_ips() -> Vec<IpAddr> {
    let mut ips: Vec<IpAddr> = match if_addrs::get_if_addrs() {
        Ok(ifs) => ifs
            .iter()
            .map(|i| i.ip())
            .filter(|ip| !ip.is_loopback() && !ip.is_unspecified() && !is_link_local(ip))
            .collect(),
        Err(e) => {
            tracing::warn!("cannot list network interfaces ({e}); using the default route only");
            default_route_ip().into_iter().collect()
        }
    };
    ips.sort();
    ips.dedup();
    ips.push(IpAddr::V4(Ipv4Addr::LOCALHOST));
    ips
}

fn is_link_local(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) == 0xfe80,
    }
}

/// The address the OS would send from to reach the internet: `connect` on UDP sends nothing.
fn default_route_ip() -> Option<IpAddr> {
    let s = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    s.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

/// The impairment layer's state: a fixed-seed generator and the datagrams held back.
struct Impaired {
    config: Impairment,
    rng: u64,
    outgoing: std::collections::VecDeque<(Instant, usize, SocketAddr, Vec<u8>)>,
    incoming: std::collections::VecDeque<(Instant, Datagram)>,
    dropped: u64,
}

impl Impaired {
    /// True if the next datagram is lost (xorshift64*).
    fn lose(&mut self) -> bool {
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        let r = self.rng.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11;
        let lost = (r as f64 / (1u64 << 53) as f64) < self.config.loss;
        self.dropped += u64::from(lost);
        lost
    }

    /// The next held-back received datagram that is due, stamped with its delayed arrival.
    fn due_incoming(&mut self, now: Instant) -> Option<Datagram> {
        if self.incoming.front().is_none_or(|(t, _)| *t > now) {
            return None;
        }
        let (t, mut d) = self.incoming.pop_front()?;
        d.at = t;
        Some(d)
    }

    fn next_due(&self) -> Option<Instant> {
        let o = self.outgoing.front().map(|(t, ..)| *t);
        let i = self.incoming.front().map(|(t, _)| *t);
        o.into_iter().chain(i).min()
    }
}

/// How the driver reaches a relay's server.
enum RelayLink {
    /// Datagrams from the UDP socket with this index.
    Udp(usize),
    /// A TCP connection (plain or TLS) of its own: what to write to it; a thread reads it
    /// ([`crate::relay_stream`]).
    Stream(Arc<StreamOut>),
}

/// The unspecified address of `ip`'s family.
fn unspecified(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => Ipv4Addr::UNSPECIFIED.into(),
        IpAddr::V6(_) => std::net::Ipv6Addr::UNSPECIFIED.into(),
    }
}

struct Driver {
    impaired: Option<Impaired>,
    sockets: Vec<Arc<UdpSocket>>,
    /// Host candidate address → socket index.
    candidates: Vec<(SocketAddr, usize)>,
    /// Each socket's bound address.
    bases: Vec<SocketAddr>,
    /// Server-reflexive candidates from the configured STUN servers.
    stun: StunGatherer,
    /// TURN relays, each with how its server is reached.
    relays: Vec<(RelayLink, TurnRelay)>,
    /// Why the last relay failed.
    relay_error: Option<String>,
    /// The socket behind the public alias, and the alias.
    public: Option<(usize, SocketAddr)>,
    config: TransportConfig,
    anchor: (Instant, SystemTime),
    peers: HashMap<SessionId, Peer>,
    /// The source of each session that has one, as [`source_key`].
    sources: HashMap<SessionId, IpAddr>,
    seq: u64,
    events: Sender<TransportEvent>,
    input: Sender<InputPacket>,
    departures: Sender<FrameDeparture>,
    shared: Arc<Shared>,
    /// Counters of closed sessions.
    totals: TransportStats,
    estimates: HashMap<SessionId, u32>,
    last_target: Option<u32>,
    /// The relay each session last sent through (index in `relays`).
    via: HashMap<SessionId, usize>,
    /// Relays lost since the last [`Driver::settle_relays`].
    lost: Vec<usize>,
    /// Sessions through a relay that ended silent, their `ViewerLeft` held while the relay is
    /// probed: (session, reason, relay, since).
    parked: Vec<(SessionId, String, usize, Instant)>,
    /// The latest cursor state, for viewers that connect later ([`Transport::send_cursor`]).
    cursor: Option<(CursorShape, CursorPosition)>,
    /// The codec the stream is in (what [`TransportEvent::VideoCodec`] last said).
    codec: VideoCodec,
}

/// Longest a silent session's `ViewerLeft` waits for its relay's probe (which gives up at
/// [`crate::turn::PROBE_TIMEOUT`]).
const PARK_AT_MOST: Duration = Duration::from_secs(5);

impl Driver {
    fn run(
        mut self,
        commands: &Receiver<Command>,
        frames: &Receiver<VideoFrameOut>,
        net: &Receiver<Datagram>,
        streams: &Receiver<StreamEvent>,
    ) {
        // A channel whose senders are all gone is always ready in `select!`: with no relay
        // over TCP or TLS (every stream sender dropped at start), or once the pipeline has
        // stopped sending frames, the loop would spin a core at 100 % (it did, from the TURN
        // over TCP change until this). Such a channel is swapped for one that never fires.
        let mut streams = streams.clone();
        let mut frames = frames.clone();
        loop {
            let now = Instant::now();
            self.release_impaired(now);
            if self.stun.poll_timeout().is_some_and(|t| t <= now) {
                self.stun.handle_timeout(now);
                self.flush_stun();
            }
            for r in 0..self.relays.len() {
                let relay = &mut self.relays[r].1;
                if relay.poll_timeout(now).is_some_and(|t| t <= now) {
                    relay.handle_timeout(now);
                }
                self.flush_relay(r);
            }
            let ids: Vec<SessionId> = self.peers.keys().copied().collect();
            for id in ids {
                if let Some(peer) = self.peers.get_mut(&id)
                    && peer.poll_timeout() <= now
                {
                    peer.handle_timeout(now);
                }
                self.flush(id);
            }
            self.settle_relays(now);
            self.update_congestion(now);
            let next = self
                .peers
                .values()
                .map(Peer::poll_timeout)
                .min()
                .unwrap_or(now + MAX_WAIT)
                .min(now + MAX_WAIT)
                .min(
                    self.impaired
                        .as_ref()
                        .and_then(Impaired::next_due)
                        .unwrap_or(now + MAX_WAIT),
                )
                .min(self.stun.poll_timeout().unwrap_or(now + MAX_WAIT))
                .min(
                    self.parked
                        .iter()
                        .map(|p| p.3 + PARK_AT_MOST)
                        .min()
                        .unwrap_or(now + MAX_WAIT),
                )
                .min(
                    self.relays
                        .iter_mut()
                        .filter_map(|(_, r)| r.poll_timeout(now))
                        .min()
                        // A floor, so a relay that keeps saying "now" cannot spin the loop.
                        .map_or(now + MAX_WAIT, |t| t.max(now + Duration::from_millis(1))),
                );
            let wait = next.saturating_duration_since(Instant::now());
            select! {
                recv(commands) -> cmd => match cmd {
                    Ok(Command::Shutdown) | Err(_) => break,
                    Ok(cmd) => self.on_command(cmd),
                },
                recv(net) -> d => {
                    if let Ok(d) = d {
                        self.on_datagram(d);
                        // Take what else has arrived before looking at timers again.
                        for d in net.try_iter().take(256) {
                            self.on_datagram(d);
                        }
                    }
                },
                recv(frames) -> f => match f {
                    Ok(f) => self.on_frame(f),
                    Err(_) => frames = crossbeam_channel::never(),
                },
                recv(streams) -> e => match e {
                    Ok(e) => {
                        self.on_stream(e);
                        for e in streams.try_iter().take(64) {
                            self.on_stream(e);
                        }
                    }
                    Err(_) => streams = crossbeam_channel::never(),
                },
                default(wait) => {},
            }
        }
        self.shutdown();
    }

    fn on_command(&mut self, cmd: Command) {
        match cmd {
            Command::Accept(sdp, source, reply) => {
                let _ = reply.send(self.accept(&sdp, source));
            }
            Command::Close(id, reply) => {
                let known = match self.peers.get_mut(&id) {
                    Some(peer) => {
                        peer.close(Instant::now(), "closed");
                        true
                    }
                    None => false,
                };
                self.flush(id);
                let _ = reply.send(known);
            }
            Command::Trickle {
                id,
                ufrag,
                candidates,
                reply,
            } => {
                let result = match self.peers.get_mut(&id) {
                    Some(peer) => {
                        let candidates: Vec<&str> = candidates.iter().map(String::as_str).collect();
                        peer.add_remote_candidates(Instant::now(), ufrag.as_deref(), &candidates)
                    }
                    None => Err(Error::Closed),
                };
                self.flush(id);
                let _ = reply.send(result);
            }
            Command::Candidates(reply) => {
                let _ = reply.send(self.local_candidates());
            }
            Command::Clipboard(id, text) => {
                if let Some(peer) = self.peers.get_mut(&id)
                    && !peer.write_clipboard(Instant::now(), &text)
                {
                    tracing::debug!(viewer = %id, bytes = text.len(), "clipboard text not sent");
                }
                self.flush(id);
            }
            Command::SendControl(id, message) => {
                if let Some(peer) = self.peers.get_mut(&id) {
                    peer.queue_control(Instant::now(), message);
                }
                self.flush(id);
            }
            Command::Cursor(None) => self.cursor = None,
            Command::Cursor(Some((shape, position))) => {
                let now = Instant::now();
                let ids: Vec<SessionId> = self.peers.keys().copied().collect();
                for id in ids {
                    if let Some(peer) = self.peers.get_mut(&id)
                        && peer.is_connected()
                    {
                        peer.write_cursor(now, &shape, position);
                        self.flush(id);
                    }
                }
                self.cursor = Some((shape, position));
            }
            Command::Sessions(reply) => {
                let mut ids: Vec<SessionId> = self.peers.keys().copied().collect();
                ids.sort();
                let _ = reply.send(ids);
            }
            Command::Stats(reply) => {
                let _ = reply.send(self.stats());
            }
            Command::Shutdown => {}
        }
    }

    fn accept(&mut self, sdp: &str, source: Option<IpAddr>) -> Result<(SessionId, String), Error> {
        // Before any work on the offer: a refused one costs no str0m instance or certificate.
        self.admit(source)?;
        let now = Instant::now();
        let candidates = self.local_candidates();
        let (peer, answer) =
            Peer::accept_offer(now, sdp, &candidates, self.config.peer_config(self.anchor))?;
        // One stream for all: the newcomer must share a codec with everyone watching.
        let watching = self
            .peers
            .values()
            .filter(|p| !p.is_closed())
            .fold(CodecSet::ALL, |acc, p| acc.intersect(p.codecs()));
        let Some(codec) = stream_codec([watching, peer.codecs()]) else {
            return Err(Error::BadOffer(format!(
                "the offer's video ({}) has no codec in common with the viewers already \
                 watching ({watching}): Glass sends one stream to all",
                peer.codecs()
            )));
        };
        self.set_codec(codec);
        self.seq += 1;
        let mut id = SessionId::random(self.seq);
        while self.peers.contains_key(&id) {
            self.seq += 1;
            id = SessionId::random(self.seq);
        }
        self.peers.insert(id, peer);
        if let Some(ip) = source {
            self.sources.insert(id, source_key(ip));
        }
        self.flush(id);
        tracing::info!("session {id}: answered offer");
        Ok((id, answer))
    }

    /// Host candidates (sockets and the public alias), then server-reflexive ones, then
    /// relayed ones; relayed ones only with [`TransportConfig::relay_only`].
    fn local_candidates(&self) -> Vec<LocalCandidate> {
        let relayed = self
            .relays
            .iter()
            .filter_map(|(_, r)| r.relayed().map(|addr| (r, addr)))
            .map(|(r, addr)| LocalCandidate {
                source: crate::CandidateSource::Relayed { server: r.server() },
                addr,
                base: r.local(),
            });
        if self.config.relay_only {
            return relayed.collect();
        }
        let mut out: Vec<LocalCandidate> = self
            .candidates
            .iter()
            .map(|&(addr, i)| LocalCandidate::host(addr, self.bases[i]))
            .collect();
        out.extend(self.stun.candidates());
        out.extend(relayed);
        out
    }

    /// Sends relay `r`'s control messages and acts on its events: a new relayed candidate goes
    /// to the running sessions (new ones get it in their answer), a failure is kept for stats.
    fn flush_relay(&mut self, r: usize) {
        let now = Instant::now();
        let (link, relay) = &mut self.relays[r];
        let server = relay.server();
        let mut events = Vec::new();
        while let Some(data) = relay.poll_transmit(now) {
            match link {
                RelayLink::Udp(socket) => {
                    send(&mut self.impaired, &self.sockets, *socket, server, data);
                }
                RelayLink::Stream(out) => {
                    if !out.push(&data) {
                        relay.handle_closed("the connection to the relay is backed up");
                    }
                }
            }
        }
        while let Some(e) = relay.poll_event() {
            events.push(e);
        }
        for e in events {
            match e {
                TurnRelayEvent::Allocated(candidate) => self.announce(now, &candidate),
                TurnRelayEvent::Failed(failure) => {
                    if let (RelayLink::Stream(out), _) = &self.relays[r] {
                        out.close();
                    }
                    tracing::warn!(%server, "TURN relay unusable: {failure}");
                    self.relay_error = Some(failure.to_string());
                    if failure == TurnFailure::Lost {
                        self.totals.relays_lost += 1;
                        self.lost.push(r);
                        self.emit(TransportEvent::RelayLost {
                            server,
                            reason: failure.to_string(),
                        });
                    }
                }
            }
        }
    }

    /// What a TCP or TLS relay's connection thread reports: the connection is up, bytes
    /// from the server (peer data goes to the sessions as received on the relayed address),
    /// or the connection is gone.
    fn on_stream(&mut self, e: StreamEvent) {
        let Some((_, relay)) = self.relays.get_mut(e.relay) else {
            return;
        };
        let mut received = Vec::new();
        match e.kind {
            StreamEventKind::Connected(local) => relay.handle_connected(local),
            StreamEventKind::Data(bytes) => {
                relay.handle_stream(e.at, &bytes);
                while let Some(d) = relay.poll_peer_data() {
                    received.push(d);
                }
            }
            StreamEventKind::Closed(reason) => relay.handle_closed(&reason),
        }
        if let Some(relayed) = relay.relayed() {
            for (peer, data) in received {
                // str0m sees it as received on the relayed candidate, from the peer.
                self.deliver(e.at, peer, relayed, &data);
            }
        }
        self.flush_relay(e.relay);
    }

    /// A new local candidate (server-reflexive or relayed) for every running session, trickled
    /// to its viewer; sessions made later get it in their answer.
    fn announce(&mut self, now: Instant, candidate: &LocalCandidate) {
        let ids: Vec<SessionId> = self.peers.keys().copied().collect();
        for id in ids {
            let line = self
                .peers
                .get_mut(&id)
                .and_then(|peer| peer.add_local_candidate(now, candidate));
            if let Some(candidate) = line {
                self.emit(TransportEvent::LocalCandidate { id, candidate });
            }
            self.flush(id);
        }
    }

    /// Sends the STUN requests due and hands new server-reflexive candidates to the running
    /// sessions (new ones get them in their answer).
    fn flush_stun(&mut self) {
        while let Some(t) = self.stun.poll_transmit() {
            send(
                &mut self.impaired,
                &self.sockets,
                t.socket,
                t.destination,
                t.contents,
            );
        }
        while let Some(event) = self.stun.poll_event() {
            let StunEvent::Mapped { candidate, .. } = event;
            self.announce(Instant::now(), &candidate);
        }
    }

    /// [`Error::Busy`] if a session from `source` would break a limit of the config; counted.
    fn admit(&mut self, source: Option<IpAddr>) -> Result<(), Error> {
        let c = &self.config;
        let pending = self.peers.values().filter(|p| !p.is_connected()).count();
        let from_source = source.map(source_key).map_or(0, |key| {
            self.sources.values().filter(|k| **k == key).count()
        });
        let (reason, retry_after, refused) = if self.peers.len() >= c.max_peers {
            (
                "too many viewers",
                RETRY_WHEN_FULL,
                &mut self.totals.offers_refused_max_peers,
            )
        } else if from_source >= c.max_peers_per_ip {
            (
                "too many viewers from this address",
                RETRY_WHEN_FULL,
                &mut self.totals.offers_refused_per_ip,
            )
        } else if pending >= c.max_pending_peers {
            (
                "too many viewers connecting",
                RETRY_WHEN_CONNECTING,
                &mut self.totals.offers_refused_max_pending,
            )
        } else {
            return Ok(());
        };
        *refused += 1;
        tracing::info!(?source, "offer refused: {reason}");
        Err(Error::Busy {
            reason,
            retry_after,
        })
    }

    fn on_datagram(&mut self, d: Datagram) {
        if let Some(imp) = &mut self.impaired {
            if !imp.lose() {
                let due = d.at + imp.config.delay;
                imp.incoming.push_back((due, d));
            }
            return;
        }
        self.receive(d);
    }

    /// Sends and delivers the impaired datagrams that are due.
    fn release_impaired(&mut self, now: Instant) {
        let Some(imp) = &mut self.impaired else {
            return;
        };
        while imp.outgoing.front().is_some_and(|(t, ..)| *t <= now) {
            if let Some((_, socket, dest, data)) = imp.outgoing.pop_front()
                && let Err(e) = self.sockets[socket].send_to(&data, dest)
            {
                tracing::debug!("send to {dest}: {e}");
            }
        }
        while let Some(d) = self.impaired.as_mut().and_then(|imp| imp.due_incoming(now)) {
            self.receive(d);
        }
    }

    fn receive(&mut self, d: Datagram) {
        // TURN servers' messages first (matched by address), then STUN servers' answers
        // (matched by transaction id), then the sessions.
        for r in 0..self.relays.len() {
            let (link, relay) = &mut self.relays[r];
            if !matches!(link, RelayLink::Udp(socket) if *socket == d.socket)
                || relay.server() != d.source
            {
                continue;
            }
            match relay.handle_receive(d.at, d.source, &d.data) {
                TurnReceive::NotMine => continue,
                TurnReceive::Handled => {}
                TurnReceive::Peer { peer, data } => {
                    // str0m sees it as received on the relayed candidate, from the peer.
                    if let Some(relayed) = relay.relayed() {
                        self.deliver(d.at, peer, relayed, &data);
                    }
                }
            }
            self.flush_relay(r);
            return;
        }
        if self.stun.handle_receive(d.at, d.socket, d.source, &d.data) {
            self.flush_stun();
            return;
        }
        let Some(local) = self.local_addr_for(&d) else {
            return;
        };
        self.deliver(d.at, d.source, local, &d.data);
    }

    /// Hands a datagram to the session it belongs to.
    fn deliver(&mut self, at: Instant, source: SocketAddr, local: SocketAddr, data: &[u8]) {
        let found = self
            .peers
            .iter()
            .find(|(_, p)| p.accepts(at, source, local, data))
            .map(|(id, _)| *id);
        match found {
            Some(id) => {
                if let Some(peer) = self.peers.get_mut(&id) {
                    peer.handle_receive(at, source, local, data);
                }
                self.flush(id);
            }
            None => self.totals.datagrams_dropped += 1,
        }
    }

    /// The candidate address the datagram was sent to. Behind a 1:1 NAT the kernel shows
    /// the private address; a viewer outside the private ranges used the public alias.
    fn local_addr_for(&self, d: &Datagram) -> Option<SocketAddr> {
        if let Some((i, alias)) = self.public
            && i == d.socket
            && !is_private(d.source.ip())
        {
            return Some(alias);
        }
        self.candidates
            .iter()
            .find(|(_, i)| *i == d.socket)
            .map(|(a, _)| *a)
    }

    fn on_frame(&mut self, frame: VideoFrameOut) {
        let now = Instant::now();
        let gap = self.shared.frame_gap.swap(false, Ordering::Relaxed);
        let ids: Vec<SessionId> = self.peers.keys().copied().collect();
        for id in ids {
            if let Some(peer) = self.peers.get_mut(&id) {
                if gap {
                    peer.resync(now);
                }
                if peer.write_frame(now, &frame) == FrameOutcome::Congested {
                    tracing::debug!("session {id}: pacer backed up, frame dropped");
                }
            }
            self.flush(id);
        }
    }

    /// Sends a peer's datagrams, forwards its events, removes it once closed.
    fn flush(&mut self, id: SessionId) {
        let Some(peer) = self.peers.get_mut(&id) else {
            return;
        };
        // Which relays carried a datagram (at most 4: `TransportConfig::validate`), as bits:
        // nothing allocated on the media path.
        let mut relayed_any = 0u32;
        while let Some(t) = peer.poll_transmit() {
            // DTLS, RTP and RTCP (RFC 7983: a first byte of 20 and up) go on the selected pair
            // only, STUN checks on every pair: the media path is where the former go.
            let media = t.contents.first().is_some_and(|b| *b >= 20);
            // str0m sends from a candidate's base: a host address (never a server-reflexive
            // one), or a relayed address, whose base is itself: the TURN client wraps those.
            // A relay that failed keeps its address here: what str0m still sends from it is
            // dropped by the relay, never sent from a host socket (a relay-only session must
            // not reveal this machine's address, not even in a goodbye).
            if let Some(r) = self
                .relays
                .iter()
                .position(|(_, r)| r.allocated() == Some(t.source))
            {
                let (link, relay) = &mut self.relays[r];
                match link {
                    RelayLink::Udp(socket) => {
                        if let Some(data) =
                            relay.send_to(Instant::now(), t.destination, &t.contents)
                        {
                            send(
                                &mut self.impaired,
                                &self.sockets,
                                *socket,
                                relay.server(),
                                data,
                            );
                        }
                    }
                    // Dropped before it is framed or encrypted: a TLS stream cannot lose
                    // part of what it carries.
                    RelayLink::Stream(out) if out.backlog() > SOFT_CAP => {
                        self.totals.relay_stream_dropped += 1;
                    }
                    RelayLink::Stream(out) => {
                        if let Some(data) =
                            relay.send_to(Instant::now(), t.destination, &t.contents)
                            && !out.push(&data)
                        {
                            relay.handle_closed("the connection to the relay is backed up");
                        }
                    }
                }
                relayed_any |= 1 << r;
                if media {
                    self.via.insert(id, r);
                }
                continue;
            }
            if media {
                self.via.remove(&id);
            }
            if self.config.relay_only {
                // Only relayed candidates were offered: nothing goes out from a host socket.
                self.totals.datagrams_dropped += 1;
                continue;
            }
            let socket = self
                .candidates
                .iter()
                .find(|(a, _)| *a == t.source)
                .map(|(_, i)| *i)
                .unwrap_or(0);
            send(
                &mut self.impaired,
                &self.sockets,
                socket,
                t.destination,
                t.contents,
            );
        }
        let mut out = Vec::new();
        let mut target_changed = false;
        while let Some(e) = peer.poll_event() {
            match e {
                PeerEvent::Connected => {
                    // Sent when its cursor channel opens (after DTLS and SCTP).
                    if let Some((shape, position)) = &self.cursor {
                        peer.write_cursor(Instant::now(), shape, *position);
                    }
                    out.push(TransportEvent::ViewerJoined(id));
                }
                PeerEvent::KeyframeRequested => out.push(TransportEvent::KeyframeRequested(id)),
                PeerEvent::TargetBitrate(bps) => {
                    self.estimates.insert(id, bps);
                    target_changed = true;
                }
                PeerEvent::Control(message) => out.push(TransportEvent::Control { id, message }),
                PeerEvent::Input(data) => {
                    let packet = InputPacket {
                        id,
                        kind: InputPacketKind::Data {
                            data,
                            received: Instant::now(),
                        },
                    };
                    if self.input.try_send(packet).is_err() {
                        self.shared.input_lost.fetch_add(1, Ordering::Relaxed);
                    }
                }
                PeerEvent::Clipboard(text) => {
                    let packet = InputPacket {
                        id,
                        kind: InputPacketKind::Clipboard(text),
                    };
                    if self.input.try_send(packet).is_err() {
                        self.shared.input_lost.fetch_add(1, Ordering::Relaxed);
                    }
                }
                PeerEvent::ClockOffset(us) => {
                    let _ = self.input.try_send(InputPacket {
                        id,
                        kind: InputPacketKind::ClockOffset(us),
                    });
                }
                PeerEvent::InputClosed => input_closed(&self.input, id),
                PeerEvent::FrameLeft { capture_time, at } => {
                    // A harness tap: when nobody reads it, departures are dropped.
                    let _ = self.departures.try_send(FrameDeparture {
                        id,
                        capture_time,
                        left: at,
                    });
                }
                PeerEvent::Closed { reason } => {
                    tracing::info!("session {id}: closed ({reason})");
                    input_closed(&self.input, id);
                    match self.via.get(&id).copied() {
                        // Silent through a relay: the relay may be what died. Told once it
                        // is probed (a live server answers in a round trip).
                        Some(r) if SILENCE.contains(&reason.as_str()) => {
                            let now = Instant::now();
                            self.relays[r].1.probe(now);
                            self.parked.push((id, reason, r, now));
                            relayed_any |= 1 << r;
                        }
                        _ => out.push(TransportEvent::ViewerLeft { id, reason }),
                    }
                }
            }
        }
        // Permission and channel requests the relayed datagrams asked for.
        for r in 0..self.relays.len() {
            if relayed_any & (1 << r) != 0 {
                self.flush_relay(r);
            }
        }
        let Some(peer) = self.peers.get_mut(&id) else {
            return;
        };
        if peer.is_closed() {
            self.totals.add_peer(peer.stats());
            self.peers.remove(&id);
            self.sources.remove(&id);
            self.via.remove(&id);
            target_changed |= self.estimates.remove(&id).is_some();
            // The one who needed the other codec may have left (none left: keep it).
            if let Some(codec) = stream_codec(self.peers.values().map(Peer::codecs)) {
                self.set_codec(codec);
            }
        }
        for e in out {
            self.emit(e);
        }
        if target_changed {
            self.update_target();
        }
    }

    /// Sets or clears the congestion flag from the largest backlog over viewers, with
    /// hysteresis.
    fn update_congestion(&mut self, now: Instant) {
        let backlog = self
            .peers
            .values_mut()
            .map(|p| p.backlog(now))
            .max()
            .unwrap_or(Duration::ZERO);
        let flag = &self.shared.congested;
        if flag.load(Ordering::Relaxed) {
            if backlog < CONGESTED_BELOW {
                flag.store(false, Ordering::Relaxed);
            }
        } else if backlog > CONGESTED_ABOVE {
            tracing::debug!(?backlog, "pacer backed up: encoder asked to wait");
            flag.store(true, Ordering::Relaxed);
        }
    }

    /// Emits the minimum estimate over viewers when it moved by 5 % or more.
    fn update_target(&mut self) {
        let Some(min) = self.estimates.values().copied().min() else {
            return;
        };
        let moved = self
            .last_target
            .is_none_or(|last| (f64::from(min) - f64::from(last)).abs() >= f64::from(last) * 0.05);
        if moved {
            self.last_target = Some(min);
            self.emit(TransportEvent::TargetBitrate(min));
        }
    }

    /// Switches the stream to `codec` (every viewer can receive it), telling the encoder.
    fn set_codec(&mut self, codec: VideoCodec) {
        if codec != self.codec {
            tracing::info!(from = %self.codec, to = %codec, "stream codec changes");
            self.codec = codec;
            self.emit(TransportEvent::VideoCodec(codec));
        }
    }

    fn emit(&self, e: TransportEvent) {
        if self.events.try_send(e).is_err() {
            tracing::debug!("transport event queue full (nobody reading?): event dropped");
        }
    }

    /// After relays failed or sessions through them went silent: the sessions still open
    /// through a lost relay end ([`RELAY_LOST`]), and each held `ViewerLeft` is told, as
    /// [`RELAY_LOST`] if its relay was lost, under its own reason if the relay answered (or
    /// after [`PARK_AT_MOST`]).
    fn settle_relays(&mut self, now: Instant) {
        // A probe that answered ends; one still unanswered for a held session goes on.
        let mut probed = 0u32;
        for (_, _, r, since) in &self.parked {
            let relay = &mut self.relays[*r].1;
            if !relay.heard_since(*since) {
                relay.probe(now);
                probed |= 1 << *r;
            }
        }
        for r in 0..self.relays.len() {
            if probed & (1 << r) != 0 {
                self.flush_relay(r);
            }
        }
        for r in std::mem::take(&mut self.lost) {
            let ids: Vec<SessionId> = self
                .via
                .iter()
                .filter(|(_, via)| **via == r)
                .map(|(id, _)| *id)
                .collect();
            for id in ids {
                if let Some(peer) = self.peers.get_mut(&id) {
                    peer.close(now, RELAY_LOST);
                }
                self.flush(id);
            }
        }
        let mut i = 0;
        while i < self.parked.len() {
            let (_, _, r, since) = self.parked[i];
            let relay = &self.relays[r].1;
            let reason = if relay.failure() == Some(&TurnFailure::Lost) {
                Some(RELAY_LOST.to_string())
            } else if relay.heard_since(since)
                || relay.failure().is_some()
                || now >= since + PARK_AT_MOST
            {
                Some(self.parked[i].1.clone())
            } else {
                None
            };
            match reason {
                Some(reason) => {
                    let (id, ..) = self.parked.swap_remove(i);
                    self.emit(TransportEvent::ViewerLeft { id, reason });
                }
                None => i += 1,
            }
        }
    }

    fn stats(&self) -> TransportStats {
        let mut s = self.totals.clone();
        s.frames_dropped_congestion += self.shared.frames_lost.load(Ordering::Relaxed);
        s.datagrams_dropped += self.shared.datagrams_lost.load(Ordering::Relaxed);
        s.input_dropped += self.shared.input_lost.load(Ordering::Relaxed);
        s.impairment_dropped = self.impaired.as_ref().map_or(0, |i| i.dropped);
        let stun = self.stun.stats();
        s.stun_requests_sent = stun.requests_sent;
        s.stun_responses = stun.responses;
        s.stun_failures = stun.failures;
        for (_, relay) in &self.relays {
            let t = relay.stats();
            s.relay_allocations += t.allocations;
            s.relay_refresh_requests += t.refresh_requests;
            s.relay_refreshes += t.refreshes;
            s.relay_bytes_out += t.bytes_relayed_out;
            s.relay_bytes_in += t.bytes_relayed_in;
            s.relay_failures += t.failures;
            s.relay_probes += t.probes;
            s.relays_pending += usize::from(relay.is_pending());
        }
        s.relay_error.clone_from(&self.relay_error);
        s.sessions = self.peers.len();
        s.pending = self.peers.values().filter(|p| !p.is_connected()).count();
        for (id, peer) in &self.peers {
            let p = peer.stats();
            s.add_peer(p);
            s.per_session.push(SessionStats {
                id: *id,
                frames_sent: p.frames_sent,
                rtt: p.rtt,
                loss: p.loss,
                estimate_bps: p.estimate_bps,
            });
        }
        s.per_session.sort_by_key(|p| p.id);
        s
    }

    fn shutdown(&mut self) {
        let now = Instant::now();
        let ids: Vec<SessionId> = self.peers.keys().copied().collect();
        for id in ids {
            if let Some(peer) = self.peers.get_mut(&id) {
                peer.close(now, "shutdown");
            }
            self.flush(id);
        }
        for (id, reason, ..) in std::mem::take(&mut self.parked) {
            self.emit(TransportEvent::ViewerLeft { id, reason });
        }
        for r in 0..self.relays.len() {
            self.relays[r].1.close(now);
            self.flush_relay(r);
        }
        self.shared.stop.store(true, Ordering::Relaxed);
    }
}

/// The socket a TURN server is reached from: the first of its address family, a loopback one
/// for a server on loopback, otherwise one that is not.
fn relay_socket(bases: &[SocketAddr], server: SocketAddr) -> Option<usize> {
    // (UDP relays only: a TCP or TLS relay has a connection of its own.)
    bases.iter().position(|b| {
        b.is_ipv4() == server.is_ipv4() && b.ip().is_loopback() == server.ip().is_loopback()
    })
}

/// Sends one datagram from socket `socket`, through the impairment layer when there is one.
fn send(
    impaired: &mut Option<Impaired>,
    sockets: &[Arc<UdpSocket>],
    socket: usize,
    destination: SocketAddr,
    contents: Vec<u8>,
) {
    match impaired {
        Some(imp) => {
            if !imp.lose() {
                let due = Instant::now() + imp.config.delay;
                imp.outgoing.push_back((due, socket, destination, contents));
            }
        }
        None => {
            if let Err(e) = sockets[socket].send_to(&contents, destination) {
                tracing::debug!("send to {destination}: {e}");
            }
        }
    }
}

fn input_closed(input: &Sender<InputPacket>, id: SessionId) {
    let packet = InputPacket {
        id,
        kind: InputPacketKind::Closed,
    };
    if input.send_timeout(packet, INPUT_CLOSE_WAIT).is_err() && input.is_full() {
        tracing::warn!("session {id}: input handler not keeping up; release not delivered");
    }
}

/// What [`TransportConfig::max_peers_per_ip`] counts by: the address, with IPv4-mapped IPv6
/// read as IPv4 (a dual-stack listener), and IPv6 cut to its /64 (one host usually holds a
/// whole /64, so per-address alone would not limit it).
fn source_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(prefix.into())
        }
        v4 => v4,
    }
}

fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_private() || v4.is_loopback() || v4.is_link_local(),
        IpAddr::V6(v6) => v6.is_loopback() || (v6.segments()[0] & 0xfe00) == 0xfc00,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::PendingViewer;

    fn loopback(config: TransportConfig) -> Transport {
        Transport::start(TransportConfig {
            bind: vec![Ipv4Addr::LOCALHOST.into()],
            ..config
        })
        .unwrap()
    }

    fn offer() -> String {
        PendingViewer::new().unwrap().offer_sdp().to_string()
    }

    fn busy(r: Result<(SessionId, String), Error>) -> (&'static str, Duration) {
        match r {
            Err(Error::Busy {
                reason,
                retry_after,
            }) => (reason, retry_after),
            other => panic!("not busy: {other:?}"),
        }
    }

    fn wait_left(t: &Transport, limit: Duration) -> (SessionId, String) {
        let end = Instant::now() + limit;
        loop {
            match t
                .events()
                .recv_timeout(end.saturating_duration_since(Instant::now()))
            {
                Ok(TransportEvent::ViewerLeft { id, reason }) => return (id, reason),
                Ok(_) => {}
                Err(_) => panic!("no viewer left within {limit:?}"),
            }
        }
    }

    #[test]
    fn offers_beyond_the_limits_are_refused_busy_and_counted() {
        let t = loopback(TransportConfig {
            max_peers: 4,
            max_pending_peers: 3,
            max_peers_per_ip: 2,
            ..TransportConfig::default()
        });
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "2001:db8::1".parse().unwrap();
        let b_too: IpAddr = "2001:db8::ffff:2".parse().unwrap();
        t.accept_offer_from(&offer(), Some(a)).unwrap();
        t.accept_offer_from(&offer(), Some(a)).unwrap();
        let (reason, retry) = busy(t.accept_offer_from(&offer(), Some(a)));
        assert_eq!(reason, "too many viewers from this address");
        assert_eq!(retry, RETRY_WHEN_FULL);
        t.accept_offer_from(&offer(), Some(b)).unwrap();
        // Two unconnected sessions from a and one from b: the pending limit.
        let (reason, retry) = busy(t.accept_offer_from(&offer(), Some(b_too)));
        assert_eq!(reason, "too many viewers connecting");
        assert_eq!(retry, RETRY_WHEN_CONNECTING);
        let s = t.stats();
        assert_eq!((s.sessions, s.pending), (3, 3));
        assert_eq!(s.offers_refused_per_ip, 1);
        assert_eq!(s.offers_refused_max_pending, 1);
        assert_eq!(s.offers_refused_max_peers, 0);

        let t = loopback(TransportConfig {
            max_peers: 2,
            max_pending_peers: 2,
            max_peers_per_ip: 2,
            ..TransportConfig::default()
        });
        t.accept_offer(&offer()).unwrap();
        t.accept_offer(&offer()).unwrap();
        let (reason, retry) = busy(t.accept_offer(&offer()));
        assert_eq!(reason, "too many viewers");
        assert_eq!(retry, RETRY_WHEN_FULL);
        assert_eq!(t.stats().offers_refused_max_peers, 1);
    }

    #[test]
    fn pending_sessions_are_reaped_and_connected_ones_free_the_pending_slot() {
        let t = loopback(TransportConfig {
            max_pending_peers: 1,
            connect_timeout: Duration::from_secs(1),
            ..TransportConfig::default()
        });
        let started = Instant::now();
        let (never, _) = t.accept_offer(&offer()).unwrap();
        busy(t.accept_offer(&offer()));
        let (id, reason) = wait_left(&t, Duration::from_secs(3));
        assert_eq!((id, reason.as_str()), (never, crate::peer::CONNECT_TIMEOUT));
        assert!(started.elapsed() >= Duration::from_secs(1));
        assert_eq!((t.stats().sessions, t.stats().pending), (0, 0));
        // A viewer that connects leaves the pending slot for the next one.
        let viewer = PendingViewer::new().unwrap();
        let (id, answer) = t.accept_offer(viewer.offer_sdp()).unwrap();
        let _viewer = viewer.start(&answer).unwrap();
        let end = Instant::now() + Duration::from_secs(5);
        while t.events().recv_timeout(Duration::from_secs(5)).ok()
            != Some(TransportEvent::ViewerJoined(id))
        {
            assert!(Instant::now() < end, "viewer did not join");
        }
        assert_eq!(t.stats().pending, 0);
        t.accept_offer(&offer()).unwrap();
        assert_eq!((t.stats().sessions, t.stats().pending), (2, 1));
    }

    #[test]
    fn limits_are_validated_with_field_names() {
        let field = |c: TransportConfig| match c.validate() {
            Err(Error::Config { field, .. }) => field,
            other => panic!("accepted: {other:?}"),
        };
        let d = TransportConfig::default;
        assert!(d().validate().is_ok());
        assert_eq!(
            field(TransportConfig {
                max_peers: 0,
                ..d()
            }),
            "max_peers"
        );
        assert_eq!(
            field(TransportConfig {
                max_pending_peers: 9,
                ..d()
            }),
            "max_pending_peers"
        );
        assert_eq!(
            field(TransportConfig {
                max_peers_per_ip: 0,
                ..d()
            }),
            "max_peers_per_ip"
        );
        assert_eq!(
            field(TransportConfig {
                connect_timeout: Duration::from_millis(100),
                ..d()
            }),
            "connect_timeout"
        );
    }

    /// Waits for `ViewerJoined(id)`, keeping the other events it passes.
    fn wait_joined(t: &Transport, id: SessionId, limit: Duration, seen: &mut Vec<TransportEvent>) {
        let end = Instant::now() + limit;
        loop {
            match t
                .events()
                .recv_timeout(end.saturating_duration_since(Instant::now()))
            {
                Ok(TransportEvent::ViewerJoined(j)) if j == id => return,
                Ok(e) => seen.push(e),
                Err(_) => panic!("viewer did not join within {limit:?}; events: {seen:?}"),
            }
        }
    }

    /// Waits until the transport knows a server-reflexive candidate.
    fn wait_srflx(t: &Transport, limit: Duration) -> LocalCandidate {
        let end = Instant::now() + limit;
        loop {
            if let Some(c) = t
                .local_candidates()
                .into_iter()
                .find(|c| c.kind() == "srflx")
            {
                return c;
            }
            assert!(
                Instant::now() < end,
                "no server-reflexive candidate within {limit:?}: {:?}",
                t.stats()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The `a=candidate` lines of an SDP.
    fn candidate_lines(sdp: &str) -> Vec<&str> {
        sdp.lines()
            .filter(|l| l.starts_with("a=candidate:"))
            .collect()
    }

    #[test]
    fn stun_answer_from_a_real_server_is_a_candidate_and_sessions_still_connect() {
        let stun = crate::testing::StunServer::start();
        let t = loopback(TransportConfig {
            stun_servers: vec![stun.addr()],
            ..TransportConfig::default()
        });
        let host = t.local_addrs()[0];
        let srflx = wait_srflx(&t, Duration::from_secs(3));
        // On loopback there is no NAT: the server sees the socket's own address.
        assert_eq!(srflx.addr, host);
        assert_eq!(srflx.base, host);
        assert_eq!(
            srflx.source,
            crate::CandidateSource::ServerReflexive {
                server: stun.addr()
            }
        );
        let s = t.stats();
        assert!(s.stun_requests_sent >= 1 && s.stun_responses >= 1, "{s:?}");
        assert_eq!(s.stun_failures, 0);
        // The server's answers were taken by the gatherer, never offered to a session.
        assert_eq!(s.datagrams_dropped, 0);
        let viewer = PendingViewer::new().unwrap();
        let (id, answer) = t.accept_offer(viewer.offer_sdp()).unwrap();
        // A reflexive address equal to a host address with the same base is redundant
        // (RFC 8445 §5.1.3): str0m keeps the host candidate only.
        let lines = candidate_lines(&answer);
        assert_eq!(lines.len(), 1, "{answer}");
        assert!(
            lines[0].contains(&format!(" {} {} typ host", host.ip(), host.port())),
            "{answer}"
        );
        let _viewer = viewer.start(&answer).unwrap();
        wait_joined(&t, id, Duration::from_secs(5), &mut Vec::new());
    }

    #[test]
    fn behind_a_nat_the_answer_carries_the_server_reflexive_candidate() {
        let stun = crate::testing::StunServer::start();
        let nat = crate::testing::UdpNat::start(stun.addr());
        let t = loopback(TransportConfig {
            stun_servers: vec![nat.inside()],
            ..TransportConfig::default()
        });
        let host = t.local_addrs()[0];
        let srflx = wait_srflx(&t, Duration::from_secs(3));
        assert_eq!(srflx.addr, nat.outside(), "what the real server saw");
        assert_eq!(srflx.base, host);
        let viewer = PendingViewer::new().unwrap();
        let (id, answer) = t.accept_offer(viewer.offer_sdp()).unwrap();
        let lines = candidate_lines(&answer);
        // str0m does not reveal the base (raddr 0.0.0.0 rport 0), as browsers do.
        let want = format!(
            " {} {} typ srflx raddr 0.0.0.0 rport 0",
            nat.outside().ip(),
            nat.outside().port(),
        );
        assert!(lines.iter().any(|l| l.contains(&want)), "{answer}");
        assert!(lines.iter().any(|l| l.contains(" typ host")), "{answer}");
        // The NAT only lets the STUN server in; the viewer connects on the host pair.
        let _viewer = viewer.start(&answer).unwrap();
        wait_joined(&t, id, Duration::from_secs(5), &mut Vec::new());
        let s = t.stats();
        assert!(s.stun_responses >= 1 && s.stun_failures == 0, "{s:?}");
    }

    #[test]
    fn a_late_stun_answer_reaches_running_sessions() {
        let stun = crate::testing::StunServer::start();
        let nat = crate::testing::UdpNat::start(stun.addr());
        nat.block(true);
        let t = loopback(TransportConfig {
            stun_servers: vec![nat.inside()],
            ..TransportConfig::default()
        });
        let viewer = PendingViewer::new().unwrap();
        let (id, answer) = t.accept_offer(viewer.offer_sdp()).unwrap();
        assert!(!answer.contains("typ srflx"), "{answer}");
        let _viewer = viewer.start(&answer).unwrap();
        let mut seen = Vec::new();
        wait_joined(&t, id, Duration::from_secs(5), &mut seen);
        // The path opens: a retransmission gets through (at 0.5, 1.5, 3.5 or 7.5 s).
        nat.block(false);
        let end = Instant::now() + Duration::from_secs(9);
        let candidate = loop {
            let e = t
                .events()
                .recv_timeout(end.saturating_duration_since(Instant::now()))
                .expect("a LocalCandidate event");
            if let TransportEvent::LocalCandidate {
                id: for_id,
                candidate,
            } = e
            {
                break (for_id, candidate);
            }
        };
        assert_eq!(candidate.0, id);
        let want = format!(" {} {} typ srflx", nat.outside().ip(), nat.outside().port());
        assert!(candidate.1.starts_with("candidate:"), "{}", candidate.1);
        assert!(candidate.1.contains(&want), "{}", candidate.1);
        // And a new session's answer has it.
        let (_, answer) = t.accept_offer(&offer()).unwrap();
        assert!(answer.contains(&want), "{answer}");
    }

    #[test]
    fn relay_only_sessions_connect_through_coturn_and_count_the_relayed_bytes() {
        let coturn =
            crate::testing::TurnRelayServer::start(&["--lt-cred-mech", "--user=glass:secret"]);
        let turn = vec![
            crate::TurnServer::from_url(
                &format!("turn:{}?transport=udp", coturn.addr()),
                "glass",
                "secret",
            )
            .unwrap(),
        ];
        // Both kinds offered by default: host first, then the relay.
        let mixed = loopback(TransportConfig {
            turn: turn.clone(),
            ..TransportConfig::default()
        });
        let end = Instant::now() + Duration::from_secs(3);
        while mixed.stats().relay_allocations == 0 {
            assert!(Instant::now() < end, "{:?}", mixed.stats());
            std::thread::sleep(Duration::from_millis(10));
        }
        let (_, answer) = mixed.accept_offer(&offer()).unwrap();
        let lines = candidate_lines(&answer);
        assert!(lines.iter().any(|l| l.contains(" typ host")), "{answer}");
        assert!(lines.iter().any(|l| l.contains(" typ relay")), "{answer}");
        drop(mixed);

        let t = loopback(TransportConfig {
            turn,
            relay_only: true,
            ..TransportConfig::default()
        });
        // `start` waited for the allocation.
        assert_eq!(t.stats().relay_allocations, 1);
        let viewer = PendingViewer::new().unwrap();
        let (id, answer) = t.accept_offer(viewer.offer_sdp()).unwrap();
        let lines = candidate_lines(&answer);
        assert_eq!(lines.len(), 1, "{answer}");
        assert!(lines[0].contains(" typ relay"), "{answer}");
        let _viewer = viewer.start(&answer).unwrap();
        wait_joined(&t, id, Duration::from_secs(5), &mut Vec::new());
        let s = t.stats();
        eprintln!("{s:?}");
        // ICE and the DTLS handshake went both ways through the relay (about a kilobyte each
        // way by the time the session counts as joined: 951 out was seen).
        assert!(s.relay_bytes_out > 500 && s.relay_bytes_in > 500, "{s:?}");
        assert_eq!((s.relay_failures, s.relay_error.as_deref()), (0, None));
        assert!(matches!(
            TransportConfig {
                relay_only: true,
                ..TransportConfig::default()
            }
            .validate(),
            Err(Error::Config {
                field: "relay_only",
                ..
            })
        ));
    }

    #[test]
    fn stun_servers_are_validated_with_the_field_name() {
        for bad in [
            "0.0.0.0:3478",
            "224.0.0.1:3478",
            "255.255.255.255:3478",
            "192.0.2.1:0",
            "[::]:3478",
        ] {
            let c = TransportConfig {
                stun_servers: vec![bad.parse().unwrap()],
                ..TransportConfig::default()
            };
            match c.validate() {
                Err(Error::Config { field, value, .. }) => {
                    assert_eq!((field, value.as_str()), ("stun_servers", bad));
                }
                other => panic!("{bad} accepted: {other:?}"),
            }
        }
        let many = TransportConfig {
            stun_servers: vec!["192.0.2.1:3478".parse().unwrap(); 9],
            ..TransportConfig::default()
        };
        assert!(matches!(
            many.validate(),
            Err(Error::Config {
                field: "stun_servers",
                ..
            })
        ));
        let ok = TransportConfig {
            stun_servers: vec![
                "192.0.2.1:3478".parse().unwrap(),
                "[2001:db8::1]:3478".parse().unwrap(),
            ],
            ..TransportConfig::default()
        };
        assert!(ok.validate().is_ok());
    }

    #[test]
    fn a_viewer_whose_offer_names_no_candidate_is_learnt_from_its_checks() {
        // A browser that POSTs before gathering, or offers only mDNS names: the sharer learns
        // its address from its first check (peer-reflexive) and takes its first DTLS packet
        // at once (not after a DTLS retransmission).
        let t = loopback(TransportConfig::default());
        let viewer = PendingViewer::with(crate::testing::ViewerOptions {
            ice_lite: false,
            trickle: true,
            ..Default::default()
        })
        .unwrap();
        let started = Instant::now();
        let (id, answer) = t.accept_offer(viewer.offer_sdp()).unwrap();
        let _viewer = viewer.start(&answer).unwrap();
        wait_joined(&t, id, Duration::from_secs(5), &mut Vec::new());
        let took = started.elapsed();
        eprintln!("joined after {took:?}");
        assert!(took < Duration::from_millis(500), "took {took:?}");
        assert_eq!(t.stats().datagrams_dropped, 0);
    }

    #[test]
    fn trickled_candidate_connects_a_viewer_the_offer_did_not_name() {
        let t = loopback(TransportConfig::default());
        // An ICE-lite viewer sends no checks and its offer names no candidate: only the
        // trickled one lets the sharer (controlling) reach it.
        let viewer = PendingViewer::with(crate::testing::ViewerOptions {
            ice_lite: true,
            trickle: true,
            ..Default::default()
        })
        .unwrap();
        assert!(!viewer.offer_sdp().contains("a=candidate:"));
        let candidate = viewer.candidate().to_string();
        let (id, answer) = t.accept_offer(viewer.offer_sdp()).unwrap();
        let _viewer = viewer.start(&answer).unwrap();
        match t.events().recv_timeout(Duration::from_millis(1500)) {
            Err(_) => {}
            Ok(e) => assert_ne!(e, TransportEvent::ViewerJoined(id), "joined untrickled"),
        }
        t.add_remote_candidate(id, "").unwrap();
        t.add_remote_candidate(
            id,
            "candidate:1 1 udp 2122260223 0f2d7b1c-5e1a.local 54321 typ host",
        )
        .unwrap();
        assert!(matches!(
            t.add_remote_candidate(id, "candidate:garbage"),
            Err(Error::BadCandidate(_))
        ));
        t.add_remote_candidate(id, &candidate).unwrap();
        wait_joined(&t, id, Duration::from_secs(5), &mut Vec::new());
        let s = t.stats();
        assert_eq!(
            (
                s.remote_candidates_added,
                s.mdns_candidates_skipped,
                s.candidates_rejected
            ),
            (1, 1, 1)
        );
        let gone: SessionId = "00000000000000ab".parse().unwrap();
        assert!(matches!(
            t.add_remote_candidate(gone, &candidate),
            Err(Error::Closed)
        ));
    }

    #[test]
    fn sources_count_by_address_and_ipv6_by_64() {
        let key = |s: &str| source_key(s.parse().unwrap());
        assert_eq!(key("192.0.2.1"), key("::ffff:192.0.2.1"));
        assert_ne!(key("192.0.2.1"), key("192.0.2.2"));
        assert_eq!(key("2001:db8::1"), key("2001:db8::ffff:1:2:3"));
        assert_eq!(key("2001:db8::1"), key("2001:db8::"));
        assert_ne!(key("2001:db8::1"), key("2001:db8:0:1::1"));
    }
}
