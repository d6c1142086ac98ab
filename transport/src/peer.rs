//! Sans-IO viewer session: one browser (or test receiver) that gets our H.264 or VP8 video and
//! talks on the `control` data channel.
//!
//! [`Peer`] wraps a [`str0m::Rtc`] and adds what Glass needs on top: the payload type of each
//! codec after negotiation (the frame says which codec it is; see [`crate::codec`]), keyframe
//! gating and debouncing, pacer-backlog frame dropping, the heartbeat, and `bye`. It opens no
//! sockets and reads no clock: every call takes `now`.
//!
//! Drive it like str0m: after any `handle_*` / `write_frame` / `close` call, send every
//! [`Peer::poll_transmit`], take every [`Peer::poll_event`], and call
//! [`Peer::handle_timeout`] at [`Peer::poll_timeout`] at the latest. The str0m drain rule
//! ("poll until timeout after every mutation") is applied inside each call, so the queues
//! are complete when a call returns.

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use str0m::bwe::{Bitrate, BweKind};
use str0m::change::SdpOffer;
use str0m::channel::ChannelId;
use str0m::format::Codec;
use str0m::media::{Direction, MediaKind, MediaTime, Mid, Pt};
use str0m::net::{Protocol, Receive};
use str0m::rtp::{AbsCaptureTime, Extension};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc};

use crate::candidate::LocalCandidate;
use crate::clipboard::{self, CLIPBOARD_LABEL};
use crate::codec::{CodecSet, VideoCodec};
use crate::control::{
    CONTROL_LABEL, ControlMessage, INPUT_LABEL, POINTER_LABEL, POINTER_MOVE_TYPE, PROTOCOL_VERSION,
};
use crate::cursor::{CURSOR_LABEL, CursorMessage, CursorPosition, CursorShape, SentShapes};
use crate::driver::VideoFrameOut;
use crate::error::Error;

/// Per-session settings. Plain data; [`Default`] is what the driver uses.
#[derive(Debug, Clone)]
pub struct PeerConfig {
    /// No datagram from the viewer for this long closes the session (`"timeout"`).
    pub heartbeat_timeout: Duration,
    /// Time allowed from the answer to a working connection (ICE + DTLS): a viewer that has
    /// not connected by then is dropped ([`CONNECT_TIMEOUT`]), however many datagrams it
    /// sends, so half-open sessions cannot hold a slot.
    pub connect_timeout: Duration,
    /// Interval of `ping` on the control channel.
    pub ping_interval: Duration,
    /// Interval of `stats` on the control channel.
    pub stats_interval: Duration,
    /// At most one [`PeerEvent::KeyframeRequested`] per this interval.
    pub keyframe_debounce: Duration,
    /// A non-keyframe is dropped when the oldest unsent packet in the pacer is older.
    pub max_queue_delay: Duration,
    /// BWE start estimate.
    pub start_bitrate_bps: u32,
    /// Lower bound for [`PeerEvent::TargetBitrate`] and the padding target.
    pub min_bitrate_bps: u32,
    /// Upper bound for [`PeerEvent::TargetBitrate`]; BWE probes up to it.
    pub max_bitrate_bps: u32,
    /// One `(Instant, SystemTime)` pair read by the driver, to turn capture instants into the
    /// wallclock of the abs-capture-time extension without reading the clock here.
    pub wallclock_anchor: (Instant, SystemTime),
    /// Largest data-channel message the viewer may send, bytes, announced in the answer
    /// (`a=max-message-size`). A larger one ends the session ([`MESSAGE_TOO_LARGE`]).
    pub max_message_size: u32,
    /// The codecs this sharer may send; the answer offers those the viewer can receive.
    pub codecs: CodecSet,
}

impl Default for PeerConfig {
    fn default() -> Self {
        Self {
            heartbeat_timeout: Duration::from_millis(1500),
            connect_timeout: Duration::from_secs(10),
            ping_interval: Duration::from_millis(500),
            stats_interval: Duration::from_secs(1),
            keyframe_debounce: Duration::from_millis(300),
            max_queue_delay: Duration::from_millis(250),
            start_bitrate_bps: 2_000_000,
            min_bitrate_bps: 200_000,
            max_bitrate_bps: 20_000_000,
            wallclock_anchor: (Instant::now(), SystemTime::now()),
            max_message_size: MAX_MESSAGE_SIZE,
            codecs: CodecSet::ALL,
        }
    }
}

/// A datagram to send from the socket bound to `source`.
#[derive(Debug, Clone)]
pub struct Transmit {
    /// Local address (one of the host candidates).
    pub source: SocketAddr,
    /// Viewer address.
    pub destination: SocketAddr,
    /// Payload.
    pub contents: Vec<u8>,
}

/// What the session reports to its driver.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PeerEvent {
    /// ICE + DTLS are up.
    Connected,
    /// The encoder should produce a keyframe (debounced).
    KeyframeRequested,
    /// New send-bitrate estimate, clamped to the configured range.
    TargetBitrate(u32),
    /// A control message for the application (pings and pongs are handled here).
    Control(ControlMessage),
    /// One message from the `input` or `pointer` data channel, undecoded (the application
    /// owns the input protocol).
    Input(Vec<u8>),
    /// The viewer's `input` channel closed: whatever it holds must be released.
    InputClosed,
    /// Text the viewer copied, from its `clipboard` channel (decoded and size-checked; the
    /// application decides whether this viewer may paste).
    Clipboard(String),
    /// New estimate of the viewer's clock minus ours, µs (from `pong.clock`).
    ClockOffset(i64),
    /// The last packet of a frame left str0m's pacer (for latency harnesses: pacer wait is
    /// from [`Peer::write_frame`] to `at`).
    FrameLeft {
        /// The frame's [`VideoFrameOut::capture_time`].
        capture_time: Instant,
        /// When its last RTP packet was handed out for sending.
        at: Instant,
    },
    /// The session ended; emitted once. No more media is sent.
    Closed {
        /// `"timeout"`, `"bye"`, `"closed"`, ...
        reason: String,
    },
}

/// What [`Peer::write_frame`] did with a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameOutcome {
    /// Handed to str0m for packetization and pacing.
    Sent,
    /// Dropped: the session is not connected yet (or closed).
    NotReady,
    /// Dropped: the viewer has not had a keyframe yet (a keyframe was requested).
    WaitingForKeyframe,
    /// Dropped: the pacer is backed up (a keyframe was requested).
    Congested,
}

/// Counters of one session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeerStats {
    /// Datagrams produced for the viewer.
    pub packets_sent: u64,
    /// Bytes produced for the viewer.
    pub bytes_sent: u64,
    /// Datagrams received from the viewer.
    pub packets_received: u64,
    /// Frames handed to str0m.
    pub frames_sent: u64,
    /// Frames dropped before the viewer had a keyframe (or before it connected).
    pub frames_dropped_no_keyframe: u64,
    /// Frames dropped because the pacer was backed up.
    pub frames_dropped_congestion: u64,
    /// Malformed or oversized control messages.
    pub control_rejected: u64,
    /// Messages on the `input` or `pointer` channel refused here, never handed on: text
    /// frames (input messages are binary), and anything but a pointer move on `pointer`.
    pub input_rejected: u64,
    /// Messages the viewer sent on the `cursor` channel (sharer → viewer only): refused.
    pub cursor_rejected: u64,
    /// Cursor messages (shapes and positions) handed to the `cursor` channel.
    pub cursor_sent: u64,
    /// Clipboard texts received on the `clipboard` channel and handed on.
    pub clipboard_received: u64,
    /// Clipboard messages refused here: text frames, malformed or oversized ones.
    pub clipboard_rejected: u64,
    /// Data-channel messages larger than [`PeerConfig::max_message_size`] (each ends the
    /// session with [`MESSAGE_TOO_LARGE`]).
    pub messages_too_large: u64,
    /// Keyframe requests raised.
    pub keyframes_requested: u64,
    /// Round-trip time (ping/pong, else RTCP).
    pub rtt: Option<Duration>,
    /// Fraction of packets lost according to the viewer's receiver reports.
    pub loss: Option<f32>,
    /// Latest bandwidth estimate, bit/s.
    pub estimate_bps: Option<u32>,
    /// Remote candidates with an mDNS name (`….local`, from the offer or trickled): a browser
    /// hides its host addresses behind them, and we cannot resolve them. Skipped; the browser
    /// still reaches our candidates, and its checks tell us its address (peer-reflexive).
    pub mdns_candidates_skipped: u64,
    /// Remote candidates added by trickle ([`Peer::add_remote_candidate`]).
    pub remote_candidates_added: u64,
    /// Remote candidates refused: malformed, an unusable address, another ICE session's, or
    /// beyond [`MAX_REMOTE_CANDIDATES`] (offer and trickle).
    pub candidates_rejected: u64,
}

/// One viewer session. See the module docs for the drive loop.
pub struct Peer {
    rtc: Rtc,
    config: PeerConfig,
    created: Instant,
    mid: Option<Mid>,
    /// The payload type of the codec last written (of H.264 before any frame).
    pt: Option<Pt>,
    /// The negotiated payload type of each codec, once connected.
    pt_h264: Option<Pt>,
    pt_vp8: Option<Pt>,
    /// The codecs the answer agreed on.
    codecs: CodecSet,
    /// The codec of the last frame written: a frame in another one must be a keyframe.
    codec: Option<VideoCodec>,
    control: Option<ChannelId>,
    input: Option<ChannelId>,
    pointer: Option<ChannelId>,
    /// The viewer's `cursor` channel; a viewer that did not open one gets no cursor.
    cursor: Option<ChannelId>,
    /// The viewer's `clipboard` channel; none: no copy and paste with this viewer.
    clipboard: Option<ChannelId>,
    /// Shapes this viewer has (see [`crate::cursor`]).
    cursor_shapes: SentShapes,
    /// The newest cursor state, sent when the channel opens (or after a failed write).
    cursor_latest: Option<(CursorShape, CursorPosition)>,
    /// Application control messages waiting for the control channel to open.
    pending_control: Vec<ControlMessage>,
    /// Recent `(round trip, offset)` samples from pongs with a clock, µs.
    clock_samples: VecDeque<(u64, i64)>,
    clock_offset: Option<i64>,
    connected: bool,
    need_keyframe: bool,
    last_seen: Option<Instant>,
    next_ping: Option<Instant>,
    next_stats: Option<Instant>,
    last_keyframe_request: Option<Instant>,
    keyframe_pending: bool,
    rtc_timeout: Instant,
    transmits: VecDeque<Transmit>,
    events: VecDeque<PeerEvent>,
    closed: Option<String>,
    stats: PeerStats,
    // For the periodic `stats` message.
    window_frames: u64,
    window_bytes: u64,
    unpaced: bool,
    /// When the last frame was handed to str0m; `idle` once none came for [`IDLE_AFTER`].
    last_frame: Option<Instant>,
    idle: bool,
    /// The negotiated direction of the video media (restored when the screen changes again).
    direction: Direction,
    /// Frames written and not yet seen leaving the pacer: (RTP timestamp, capture time).
    in_flight: VecDeque<(u32, Instant)>,
    /// The viewer's ICE username fragment (from the offer): trickled candidates must match.
    remote_ufrag: Option<String>,
    /// Remote candidates given to str0m (offer and trickle), for [`MAX_REMOTE_CANDIDATES`].
    remote_candidates: usize,
    /// Addresses that sent a binding request with this session's credentials (str0m checks
    /// the ufrag and MESSAGE-INTEGRITY), newest last, a few at most. See [`Peer::accepts`].
    checked_sources: VecDeque<SocketAddr>,
}

/// Addresses remembered in `checked_sources`.
const CHECKED_SOURCES: usize = 4;

/// Most remote candidates per session (offer and trickle together). A browser offers a few
/// (one per interface and address family, plus reflexive and relay ones); every candidate
/// makes us send connectivity checks to an address the viewer chose, so a hostile offer must
/// not make us probe hundreds.
pub const MAX_REMOTE_CANDIDATES: usize = 32;

/// Frames tracked until their last packet leaves the pacer; older ones are forgotten.
const MAX_IN_FLIGHT: usize = 64;

/// The payload type and RTP timestamp of a datagram that is a non-padding RTP packet with
/// the marker bit set (the last packet of a video frame) and a dynamic payload type
/// (96..=127, which RTCP's 200..=206 never look like). The RTP header is not encrypted by
/// SRTP, so this works on what goes on the wire.
pub(crate) fn rtp_marker(datagram: &[u8]) -> Option<(u8, u32)> {
    let head = datagram.get(..12)?;
    let is_rtp = head[0] >> 6 == 2 && head[0] & 0x20 == 0 && head[1] & 0x80 != 0;
    let pt = head[1] & 0x7f;
    (is_rtp && pt >= 96).then(|| (pt, u32::from_be_bytes([head[4], head[5], head[6], head[7]])))
}

/// Default [`PeerConfig::max_message_size`]. The largest legitimate message is a 4 KiB control
/// message; 64 KiB is also what a peer assumes when the SDP does not say (RFC 8841 §6.1).
pub const MAX_MESSAGE_SIZE: u32 = 64 * 1024;

/// What str0m reassembles. Above the announced limit on purpose: a message between the two
/// reaches us, so a viewer that ignores the limit is told apart and reported
/// ([`MESSAGE_TOO_LARGE`]). Beyond this, the SCTP stack drops the association without saying
/// why, and str0m reports a plain close (`"closed by viewer"`). 1 MiB costs no memory over
/// str0m's default: its receive buffer is at least 1 MiB anyway.
const REASSEMBLY_LIMIT: u32 = 1024 * 1024;

/// [`PeerEvent::Closed`] reason when the viewer did not connect within
/// [`PeerConfig::connect_timeout`].
pub const CONNECT_TIMEOUT: &str = "connect timeout";

/// [`PeerEvent::Closed`] reason when the viewer sent a data-channel message larger than
/// [`PeerConfig::max_message_size`] (a viewer that ignores the negotiated
/// `a=max-message-size`).
pub const MESSAGE_TOO_LARGE: &str = "message too large";

/// No frame for this long: stop BWE probing and padding above str0m's floor (an unchanged
/// screen sends no video; it should not send hundreds of kbit/s of probes either).
const IDLE_AFTER: Duration = Duration::from_secs(1);

/// Pongs kept for the clock-offset estimate (the one with the shortest round trip wins).
const CLOCK_SAMPLES: usize = 16;
/// Application control messages kept until the control channel opens.
const MAX_PENDING_CONTROL: usize = 8;

/// Longest a keyframe may take to leave the pacer before it is sent unpaced.
const KEYFRAME_PACING_LIMIT: Duration = Duration::from_millis(100);

/// Local H.264 entries: packetization-mode 1 only (str0m always fragments with FU-A), the
/// two baseline flavours browsers offer. The level (5.2) is what we answer; Chromium decodes
/// any level (docs: measured-facts.md), and openh264 signals its own level in the SPS.
const H264_ENTRIES: [(u8, u8, u32); 2] = [(108, 109, 0x42e034), (127, 121, 0x420034)];

impl Peer {
    /// Builds a session from a viewer's SDP offer and returns it with the SDP answer.
    /// `candidates` are the local candidates to advertise in the answer (host, and
    /// server-reflexive when a STUN server is configured).
    ///
    /// The session runs full ICE: it checks the viewer's candidates (those in the offer and
    /// those trickled later with [`Peer::add_remote_candidate`]) itself, as the controlled
    /// side, or as the controlling side when the offer is ICE-lite. mDNS candidates in the
    /// offer are skipped and counted; at most [`MAX_REMOTE_CANDIDATES`] are used.
    ///
    /// Malformed SDP, or an offer without a receivable video m-line in a codec of
    /// [`PeerConfig::codecs`] (baseline H.264, packetization-mode 1; VP8), is
    /// [`Error::BadOffer`]; this never panics on network input.
    pub fn accept_offer(
        now: Instant,
        offer_sdp: &str,
        candidates: &[LocalCandidate],
        config: PeerConfig,
    ) -> Result<(Peer, String), Error> {
        let remote = OfferCandidates::filter(offer_sdp);
        let offer = parse_offer(&remote.sdp)?;
        let remote_ufrag = remote
            .sdp
            .lines()
            .find_map(|l| l.trim_end().strip_prefix("a=ice-ufrag:"))
            .map(str::to_string);
        let mut builder = Rtc::builder()
            // Full ICE: the sharer may sit behind a NAT and must send checks itself to open
            // its mapping towards the viewer (an ICE-lite agent only answers). Liveness still
            // comes from the heartbeat, not ICE: ICE takes ~15 s to notice a vanished peer.
            .set_ice_lite(false)
            .clear_codecs()
            .enable_bwe(Some(Bitrate::bps(u64::from(config.start_bitrate_bps))))
            .set_stats_interval(Some(Duration::from_secs(1)))
            .set_sctp_max_message_size(config.max_message_size.max(REASSEMBLY_LIMIT))
            // Not in str0m's default map: without them the answer drops them.
            .set_extension(5, Extension::PlayoutDelay)
            .set_extension(12, Extension::AbsoluteCaptureTime);
        if config.codecs.contains(VideoCodec::H264) {
            for (pt, rtx, profile) in H264_ENTRIES {
                builder
                    .codec_config()
                    .add_h264(pt.into(), Some(rtx.into()), true, profile);
            }
        }
        // After H.264: the answer lists codecs in our order, and a browser that can take both
        // decodes whichever payload type arrives.
        if config.codecs.contains(VideoCodec::Vp8) {
            builder = builder.enable_vp8(true);
        }
        let mut rtc = builder.build(now);
        for c in candidates {
            match c.to_str0m() {
                // `None`: redundant with a candidate already added (RFC 8445 §5.1.3: same
                // address and base, e.g. a server-reflexive address equal to a host address
                // when there is no NAT) or a duplicate.
                Ok(candidate) => {
                    if rtc.add_local_candidate(candidate).is_none() {
                        tracing::debug!("candidate {c} not used: redundant");
                    }
                }
                Err(e) => tracing::debug!("skipping candidate {c}: {e}"),
            }
        }
        let answer = rtc
            .sdp_api()
            .accept_offer(offer)
            .map_err(|e| {
                // str0m's wording is for us, not for the viewer (see `parse_offer`).
                tracing::debug!("offer not accepted: {e}");
                bad_offer(OFFER_NOT_NEGOTIABLE)
            })?
            .to_sdp_string();
        let codecs = sending_video_codecs(&answer);
        if codecs.is_empty() {
            let vp8 = config.codecs.contains(VideoCodec::Vp8);
            let h264 = config.codecs.contains(VideoCodec::H264);
            return Err(bad_offer(match (h264, vp8) {
                (true, false) => OFFER_NO_H264,
                (false, true) => OFFER_NO_VP8,
                _ => OFFER_NO_CODEC,
            }));
        }
        // Announce the protocol's limit, not the reassembly limit (see REASSEMBLY_LIMIT).
        let answer = answer.replace(
            &format!(
                "a=max-message-size:{}\r\n",
                config.max_message_size.max(REASSEMBLY_LIMIT)
            ),
            &format!("a=max-message-size:{}\r\n", config.max_message_size),
        );
        let mut peer = Peer {
            rtc,
            config,
            created: now,
            mid: None,
            pt: None,
            pt_h264: None,
            pt_vp8: None,
            codecs,
            codec: None,
            control: None,
            input: None,
            pointer: None,
            cursor: None,
            clipboard: None,
            cursor_shapes: SentShapes::default(),
            cursor_latest: None,
            pending_control: Vec::new(),
            clock_samples: VecDeque::with_capacity(CLOCK_SAMPLES),
            clock_offset: None,
            connected: false,
            need_keyframe: true,
            last_seen: None,
            next_ping: None,
            next_stats: None,
            last_keyframe_request: None,
            keyframe_pending: false,
            rtc_timeout: now,
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            closed: None,
            stats: PeerStats::default(),
            window_frames: 0,
            window_bytes: 0,
            unpaced: false,
            last_frame: None,
            idle: false,
            direction: Direction::SendOnly,
            in_flight: VecDeque::with_capacity(MAX_IN_FLIGHT),
            remote_ufrag,
            remote_candidates: remote.kept,
            checked_sources: VecDeque::with_capacity(CHECKED_SOURCES),
        };
        peer.stats.mdns_candidates_skipped = remote.mdns;
        peer.stats.candidates_rejected = remote.dropped;
        peer.drain(now);
        Ok((peer, answer))
    }

    /// Adds a remote candidate trickled by the viewer: the `candidate` value of an
    /// `RTCIceCandidateInit` (`candidate:1 1 udp 2122260223 192.0.2.7 54321 typ host ...`; an
    /// `a=` prefix is accepted). The empty string (end of candidates) is accepted and ignored,
    /// and so is an mDNS candidate (`….local`: skipped and counted, see
    /// [`PeerStats::mdns_candidates_skipped`]).
    ///
    /// A malformed candidate, an address nobody can send to, one whose `ufrag` is not this
    /// session's, or one beyond [`MAX_REMOTE_CANDIDATES`] is [`Error::BadCandidate`]; a closed
    /// session is [`Error::Closed`]. Never panics on network input.
    pub fn add_remote_candidate(&mut self, now: Instant, candidate: &str) -> Result<(), Error> {
        self.add_remote_candidates(now, None, &[candidate])
    }

    /// [`Peer::add_remote_candidate`] for several candidates that came with the viewer's ICE
    /// username fragment `ufrag` (a WHEP trickle PATCH carries it as `a=ice-ufrag`). A `ufrag`
    /// other than the offer's asks for an ICE restart, which Glass does not do:
    /// [`Error::Unsupported`], nothing added. Otherwise every candidate is tried; the first
    /// error is returned.
    pub fn add_remote_candidates(
        &mut self,
        now: Instant,
        ufrag: Option<&str>,
        candidates: &[&str],
    ) -> Result<(), Error> {
        if self.closed.is_some() {
            return Err(Error::Closed);
        }
        if ufrag.is_some() && ufrag != self.remote_ufrag.as_deref() {
            return Err(Error::Unsupported(ICE_RESTART));
        }
        let mut first_error = None;
        for c in candidates {
            if let Err(e) = self.add_remote(c) {
                first_error.get_or_insert(e);
            }
        }
        self.drain(now);
        first_error.map_or(Ok(()), Err)
    }

    fn add_remote(&mut self, candidate: &str) -> Result<(), Error> {
        let c = candidate.trim();
        let c = c.strip_prefix("a=").unwrap_or(c);
        if c.is_empty() || c == "end-of-candidates" {
            return Ok(());
        }
        if is_mdns(c) {
            self.stats.mdns_candidates_skipped += 1;
            return Ok(());
        }
        if c.split_whitespace().nth(1).is_some_and(|comp| comp != "1") {
            // An RTCP component (2): with rtcp-mux, which every browser offers, it is unused.
            return Ok(());
        }
        let refuse = |stats: &mut PeerStats, reason: &'static str| {
            stats.candidates_rejected += 1;
            Err(Error::BadCandidate(reason.into()))
        };
        if self.remote_candidates >= MAX_REMOTE_CANDIDATES {
            return refuse(&mut self.stats, CANDIDATE_TOO_MANY);
        }
        let parsed = match Candidate::from_sdp_string(c) {
            Ok(parsed) => parsed,
            Err(e) => {
                tracing::debug!("trickled candidate does not parse: {e}");
                return refuse(&mut self.stats, CANDIDATE_MALFORMED);
            }
        };
        if parsed
            .ufrag()
            .is_some_and(|u| Some(u) != self.remote_ufrag.as_deref())
        {
            return refuse(&mut self.stats, CANDIDATE_OTHER_SESSION);
        }
        if !reachable(parsed.addr()) {
            return refuse(&mut self.stats, CANDIDATE_BAD_ADDRESS);
        }
        self.rtc.add_remote_candidate(parsed);
        self.remote_candidates += 1;
        self.stats.remote_candidates_added += 1;
        Ok(())
    }

    /// Adds a local candidate found after the answer (a STUN answer that came late, or a NAT
    /// that changed its mapping). Returns its `candidate:` line for the viewer (to trickle
    /// through signalling), or `None` if str0m did not take it (redundant or invalid) or the
    /// session is closed.
    pub fn add_local_candidate(
        &mut self,
        now: Instant,
        candidate: &LocalCandidate,
    ) -> Option<String> {
        if self.closed.is_some() {
            return None;
        }
        let c = candidate.to_str0m().ok()?;
        let line = self.rtc.add_local_candidate(c).map(|c| c.to_sdp_string());
        self.drain(now);
        line
    }

    /// True if this datagram belongs to this session: STUN with its ICE credentials, or
    /// anything else from an address ICE has validated, or from one that sent us an
    /// authenticated binding request.
    ///
    /// The last case matters with full ICE: a viewer we know no candidate of (a browser
    /// offers none, or only mDNS names) is learnt from its check (peer-reflexive), and it
    /// starts DTLS as soon as its own check succeeds, before ours back to it has. str0m alone
    /// would not claim that first DTLS packet (its pair is not validated yet), and the
    /// handshake would wait for a retransmission. An ICE-lite agent trusted the same address
    /// at the same moment.
    pub fn accepts(
        &self,
        now: Instant,
        source: SocketAddr,
        destination: SocketAddr,
        data: &[u8],
    ) -> bool {
        if self.closed.is_some() {
            return false;
        }
        match Receive::new(Protocol::Udp, source, destination, data) {
            Ok(r) => {
                self.rtc.accepts(&Input::Receive(now, r))
                    || (!is_stun(data) && self.checked_sources.contains(&source))
            }
            Err(_) => false,
        }
    }

    /// Feeds one datagram from the viewer, received at `now` on local address `destination`.
    pub fn handle_receive(
        &mut self,
        now: Instant,
        source: SocketAddr,
        destination: SocketAddr,
        data: &[u8],
    ) {
        if self.closed.is_some() {
            return;
        }
        self.last_seen = Some(now);
        self.stats.packets_received += 1;
        if is_stun(data)
            && !self.checked_sources.contains(&source)
            && str0m::ice::StunMessage::parse(data).is_ok_and(|m| m.is_binding_request())
            && self.accepts(now, source, destination, data)
        {
            if self.checked_sources.len() == CHECKED_SOURCES {
                self.checked_sources.pop_front();
            }
            self.checked_sources.push_back(source);
        }
        let receive = match Receive::new(Protocol::Udp, source, destination, data) {
            Ok(r) => r,
            Err(e) => {
                tracing::debug!("unparseable datagram from {source}: {e}");
                return;
            }
        };
        if let Err(e) = self.rtc.handle_input(Input::Receive(now, receive)) {
            self.fail(format!("receive: {e}"));
            return;
        }
        self.drain(now);
    }

    /// Advances timers: heartbeat, pings, stats, debounced keyframe requests, str0m.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.closed.is_some() {
            return;
        }
        let (deadline, reason) = self.give_up_at();
        if now >= deadline {
            // The viewer is gone (tab killed, network lost) or never got through: nobody to
            // say bye to.
            self.close_with(now, reason, false);
            return;
        }
        if self.keyframe_pending
            && self
                .last_keyframe_request
                .is_none_or(|t| now >= t + self.config.keyframe_debounce)
        {
            self.request_keyframe(now);
        }
        if self.next_ping.is_some_and(|t| now >= t) {
            // Opaque to the viewer: microseconds since the session began.
            let t = micros(now - self.created);
            self.send_control(now, &ControlMessage::Ping { t });
            self.next_ping = Some(now + self.config.ping_interval);
        }
        if self.next_stats.is_some_and(|t| now >= t) {
            let secs = self.config.stats_interval.as_secs_f32().max(0.001);
            let msg = ControlMessage::Stats {
                fps: self.window_frames as f32 / secs,
                kbps: (self.window_bytes as f32 * 8.0 / 1000.0 / secs) as u32,
                rtt_ms: self.stats.rtt.map(|d| d.as_millis() as u32),
            };
            self.window_frames = 0;
            self.window_bytes = 0;
            self.send_control(now, &msg);
            self.next_stats = Some(now + self.config.stats_interval);
        }
        if !self.idle && self.connected && self.last_frame.is_some_and(|t| now >= t + IDLE_AFTER) {
            // Nothing to send: padding only to str0m's floor (50 kbit/s, NAT and RTX
            // state), and no probing above the current estimate.
            self.idle = true;
            let est = self
                .stats
                .estimate_bps
                .unwrap_or(self.config.start_bitrate_bps);
            self.rtc
                .bwe()
                .set_bitrate(Bitrate::ZERO, Bitrate::bps(u64::from(est)));
            // And no padding at all: str0m pads to a 50 kbit/s floor while the media is
            // sending, with no setting to turn it off, so the media is made inactive locally
            // until the next frame (no renegotiation: the SdpApi change is dropped, not
            // applied; the viewer sees a pause in RTP, as for any static screen). What is
            // left is STUN consent checks, RTCP, SCTP heartbeats and our own pings.
            if let Some(mid) = self.mid {
                self.rtc.sdp_api().set_direction(mid, Direction::Inactive);
            }
        }
        if self.closed.is_none() {
            if let Err(e) = self.rtc.handle_input(Input::Timeout(now)) {
                self.fail(format!("timeout: {e}"));
                return;
            }
            self.drain(now);
        }
    }

    /// When [`Peer::handle_timeout`] must be called next.
    pub fn poll_timeout(&self) -> Instant {
        if self.closed.is_some() {
            return self.rtc_timeout;
        }
        let mut t = self.rtc_timeout;
        t = t.min(self.give_up_at().0);
        let idle_at = (!self.idle)
            .then(|| self.last_frame.map(|t| t + IDLE_AFTER))
            .flatten();
        for next in [self.next_ping, self.next_stats, idle_at]
            .into_iter()
            .flatten()
        {
            t = t.min(next);
        }
        if self.keyframe_pending
            && let Some(last) = self.last_keyframe_request
        {
            t = t.min(last + self.config.keyframe_debounce);
        }
        t
    }

    /// When the viewer is given up, and the reason: silent for the heartbeat timeout, or not
    /// connected within the connect timeout (whichever comes first).
    fn give_up_at(&self) -> (Instant, &'static str) {
        let silent = self
            .last_seen
            .map(|t| (t + self.config.heartbeat_timeout, "timeout"));
        let unconnected = (!self.connected)
            .then(|| (self.created + self.config.connect_timeout, CONNECT_TIMEOUT));
        match (silent, unconnected) {
            (Some(s), Some(u)) if u.0 < s.0 => u,
            (Some(s), _) => s,
            (None, Some(u)) => u,
            // Unreachable (connecting takes datagrams); the connect deadline is safe.
            (None, None) => (self.created + self.config.connect_timeout, CONNECT_TIMEOUT),
        }
    }

    /// The frame with RTP timestamp `ts` has left the pacer; frames written before it that
    /// were never seen leaving (dropped from the queue) are forgotten.
    fn frame_left(&mut self, ts: u32, now: Instant) {
        if let Some(i) = self.in_flight.iter().position(|&(t, _)| t == ts) {
            let (_, capture_time) = self.in_flight[i];
            self.in_flight.drain(..=i);
            self.events.push_back(PeerEvent::FrameLeft {
                capture_time,
                at: now,
            });
        }
    }

    /// Next datagram to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// Next event for the driver.
    pub fn poll_event(&mut self) -> Option<PeerEvent> {
        self.events.pop_front()
    }

    /// Sends one access unit. A viewer waits for a keyframe before it gets anything; a
    /// backed-up pacer drops non-keyframes (latest wins). Either drop requests a keyframe.
    ///
    /// A frame in a codec this viewer did not negotiate is dropped ([`FrameOutcome::NotReady`]);
    /// the first frame in a codec other than the last one's must be a keyframe.
    pub fn write_frame(&mut self, now: Instant, frame: &VideoFrameOut) -> FrameOutcome {
        let codec_pt = match frame.codec {
            VideoCodec::H264 => self.pt_h264,
            VideoCodec::Vp8 => self.pt_vp8,
        };
        let (Some(mid), Some(pt)) = (self.mid, codec_pt) else {
            self.stats.frames_dropped_no_keyframe += 1;
            return FrameOutcome::NotReady;
        };
        if self.codec != Some(frame.codec) {
            // The viewer's decoder for the new payload type starts from nothing.
            self.need_keyframe = true;
        }
        if self.closed.is_some() || !self.connected {
            self.stats.frames_dropped_no_keyframe += 1;
            return FrameOutcome::NotReady;
        }
        if self.need_keyframe && !frame.keyframe {
            self.stats.frames_dropped_no_keyframe += 1;
            self.request_keyframe(now);
            self.drain(now);
            return FrameOutcome::WaitingForKeyframe;
        }
        if !frame.keyframe && self.queue_delay(now, mid) > self.config.max_queue_delay {
            // Sending more deltas only adds latency; a keyframe resynchronises once the
            // pacer has caught up (keyframes are always queued).
            self.stats.frames_dropped_congestion += 1;
            self.need_keyframe = true;
            self.request_keyframe(now);
            self.drain(now);
            return FrameOutcome::Congested;
        }
        // A keyframe that would take longer than KEYFRAME_PACING_LIMIT at the current
        // estimate goes out unpaced (str0m paces at ~1.1x the estimate, so a 150 KB screen
        // keyframe at the 2 Mbit/s start rate would sit ~600 ms in the queue). Deltas are
        // paced again. NACK/RTX repairs what a burst loses on a constrained link.
        let estimate = self
            .stats
            .estimate_bps
            .unwrap_or(self.config.start_bitrate_bps)
            .max(1);
        let drain = Duration::from_secs_f64(frame.data.len() as f64 * 8.0 / f64::from(estimate));
        let unpaced = frame.keyframe && drain > KEYFRAME_PACING_LIMIT;
        if unpaced != self.unpaced
            && let Some(stream) = self.rtc.direct_api().stream_tx_by_mid(mid, None)
        {
            stream.set_unpaced(unpaced);
            self.unpaced = unpaced;
        }
        self.last_frame = Some(now);
        if self.idle {
            self.idle = false;
            self.rtc.sdp_api().set_direction(mid, self.direction);
            let (min, max) = (self.config.min_bitrate_bps, self.config.max_bitrate_bps);
            self.rtc
                .bwe()
                .set_bitrate(Bitrate::bps(u64::from(min)), Bitrate::bps(u64::from(max)));
        }
        let capture = wallclock(self.config.wallclock_anchor, frame.capture_time);
        let Some(writer) = self.rtc.writer(mid) else {
            self.stats.frames_dropped_no_keyframe += 1;
            return FrameOutcome::NotReady;
        };
        let rtp_time = MediaTime::from_90khz((frame.pts.as_micros() * 9 / 100) as u64);
        let result = writer
            .playout_delay(MediaTime::from_millis(0), MediaTime::from_millis(0))
            .abs_capture_time(AbsCaptureTime {
                capture_time: capture,
                clock_offset: None,
            })
            .write(
                pt,
                frame.capture_time,
                rtp_time,
                Arc::<[u8]>::from(&frame.data[..]),
            );
        if let Err(e) = result {
            tracing::warn!("write_frame: {e}");
            self.stats.frames_dropped_congestion += 1;
            self.need_keyframe = true;
            self.request_keyframe(now);
            self.drain(now);
            return FrameOutcome::Congested;
        }
        if frame.keyframe {
            self.need_keyframe = false;
            if self.codec != Some(frame.codec) {
                self.codec = Some(frame.codec);
                self.pt = Some(pt);
            }
        }
        if self.in_flight.len() == MAX_IN_FLIGHT {
            self.in_flight.pop_front();
        }
        self.in_flight
            .push_back((rtp_time.numer() as u32, frame.capture_time));
        self.stats.frames_sent += 1;
        self.window_frames += 1;
        self.window_bytes += frame.data.len() as u64;
        // str0m packetizes only inside handle_input: the drain feeds Timeout(now).
        self.drain(now);
        FrameOutcome::Sent
    }

    /// Sends a control message if the channel is open; `false` if it was not sent.
    pub fn send_control(&mut self, now: Instant, msg: &ControlMessage) -> bool {
        let Some(id) = self.control else {
            return false;
        };
        let Some(mut ch) = self.rtc.channel(id) else {
            return false;
        };
        let ok = matches!(ch.write(false, &msg.encode()), Ok(true));
        self.drain(now);
        ok
    }

    /// Sends an application control message now, or as soon as the control channel opens
    /// (at most a few are kept; the oldest is dropped).
    pub fn queue_control(&mut self, now: Instant, msg: ControlMessage) {
        if self.closed.is_some() {
            return;
        }
        if self.control.is_some() && self.send_control(now, &msg) {
            return;
        }
        if self.pending_control.len() == MAX_PENDING_CONTROL {
            self.pending_control.remove(0);
        }
        self.pending_control.push(msg);
    }

    /// Gives the viewer the pointer's state: `shape` first when it does not have that
    /// serial yet, then `position`, on the `cursor` channel. Call it only for a viewer that
    /// may see the screen now (the driver sends only to connected viewers, and the
    /// application stops calling while paused). Kept and sent when the channel opens if it is
    /// not open yet; a viewer that never opens it gets nothing. Returns whether the position
    /// was handed to the channel.
    pub fn write_cursor(
        &mut self,
        now: Instant,
        shape: &CursorShape,
        position: CursorPosition,
    ) -> bool {
        if self.closed.is_some() || !self.connected {
            return false;
        }
        self.cursor_latest = Some((shape.clone(), position));
        let sent = self.send_cursor(shape, position);
        self.drain(now);
        sent
    }

    /// Gives the viewer text copied on the sharer's side, on its `clipboard` channel. The
    /// caller decides whether this viewer may have it. `false`: no channel (the viewer does
    /// not do clipboard), not connected, or the channel's buffer is full.
    pub fn write_clipboard(&mut self, now: Instant, text: &str) -> bool {
        if self.closed.is_some() || !self.connected || text.len() > clipboard::MAX_CLIPBOARD_TEXT {
            return false;
        }
        let Some(mut ch) = self.clipboard.and_then(|id| self.rtc.channel(id)) else {
            return false;
        };
        let sent = matches!(ch.write(true, &clipboard::encode_text(text)), Ok(true));
        self.drain(now);
        sent
    }

    fn send_cursor(&mut self, shape: &CursorShape, position: CursorPosition) -> bool {
        let Some(mut ch) = self.cursor.and_then(|id| self.rtc.channel(id)) else {
            return false;
        };
        if !self.cursor_shapes.has(shape.serial) {
            let msg = CursorMessage::Shape(shape.clone()).encode();
            if !matches!(ch.write(true, &msg), Ok(true)) {
                return false;
            }
            self.cursor_shapes.sent(shape.serial);
            self.stats.cursor_sent += 1;
        }
        let ok = matches!(
            ch.write(true, &CursorMessage::Position(position).encode()),
            Ok(true)
        );
        self.stats.cursor_sent += u64::from(ok);
        ok
    }

    /// The viewer's clock minus ours, µs, once a `pong` with a clock has arrived.
    pub fn clock_offset(&self) -> Option<i64> {
        self.clock_offset
    }

    /// Makes the viewer wait for a keyframe again (a frame it needed was lost before
    /// reaching us) and requests one.
    pub fn resync(&mut self, now: Instant) {
        if !self.need_keyframe && self.is_ready() {
            self.need_keyframe = true;
            self.request_keyframe(now);
        }
    }

    /// Says `bye` to the viewer, closes the WebRTC session (DTLS close_notify, SCTP
    /// shutdown) and stops. Emits [`PeerEvent::Closed`].
    pub fn close(&mut self, now: Instant, reason: &str) {
        self.close_with(now, reason, true);
    }

    /// True once closed: drop the peer after sending the remaining transmits.
    pub fn is_closed(&self) -> bool {
        self.closed.is_some()
    }

    /// True once ICE + DTLS are up (and ever after, until closed).
    pub fn is_connected(&self) -> bool {
        self.connected && self.closed.is_none()
    }

    /// True once ICE + DTLS are up and the video m-line is known.
    pub fn is_ready(&self) -> bool {
        self.connected && self.mid.is_some() && self.closed.is_none()
    }

    /// Counters.
    pub fn stats(&self) -> &PeerStats {
        &self.stats
    }

    /// The negotiated payload type of the video (of the codec last sent, H.264 before any
    /// frame, else VP8), once connected.
    pub fn payload_type(&self) -> Option<u8> {
        self.pt.map(|p| *p)
    }

    /// The codecs this viewer can receive (from the answer).
    pub fn codecs(&self) -> CodecSet {
        self.codecs
    }

    /// How far behind the pacer is: the age of the oldest unsent packet, or the time the
    /// queued bytes need at the current estimate, whichever is larger. (str0m's pacer speeds
    /// up to drain a long queue, so the age alone understates a sender that outruns the
    /// estimate.)
    /// How long the video waiting in the pacer would take to leave (or has waited), for
    /// backpressure before the encoder; zero before the session carries video.
    pub fn backlog(&mut self, now: Instant) -> Duration {
        match self.mid {
            Some(mid) if self.connected && self.closed.is_none() => self.queue_delay(now, mid),
            _ => Duration::ZERO,
        }
    }

    fn queue_delay(&mut self, now: Instant, mid: Mid) -> Duration {
        let estimate = self
            .stats
            .estimate_bps
            .unwrap_or(self.config.start_bitrate_bps)
            .max(1);
        let mut api = self.rtc.direct_api();
        let Some(q) = api
            .stream_tx_by_mid(mid, None)
            .and_then(|stream| stream.queue_info())
        else {
            return Duration::ZERO;
        };
        let age = q
            .first_unsent()
            .map(|t| now.saturating_duration_since(t))
            .unwrap_or(Duration::ZERO);
        let drain = Duration::from_secs_f64(q.byte_size() as f64 * 8.0 / f64::from(estimate));
        age.max(drain)
    }

    fn request_keyframe(&mut self, now: Instant) {
        let due = self
            .last_keyframe_request
            .is_none_or(|t| now >= t + self.config.keyframe_debounce);
        if due {
            self.last_keyframe_request = Some(now);
            self.keyframe_pending = false;
            self.stats.keyframes_requested += 1;
            self.events.push_back(PeerEvent::KeyframeRequested);
        } else {
            self.keyframe_pending = true;
        }
    }

    fn close_with(&mut self, now: Instant, reason: &str, notify: bool) {
        if self.closed.is_some() {
            return;
        }
        if notify {
            self.send_control(
                now,
                &ControlMessage::Bye {
                    reason: reason.to_string(),
                },
            );
            // Queues RTCP BYE, SCTP shutdown and DTLS close_notify, so a str0m viewer
            // sees Event::Closed and a browser's connection goes to "closed".
            if self.rtc.close().is_ok() {
                self.drain(now);
            }
        }
        self.rtc.disconnect();
        self.closed = Some(reason.to_string());
        self.events.push_back(PeerEvent::Closed {
            reason: reason.to_string(),
        });
    }

    fn fail(&mut self, why: String) {
        tracing::debug!("session failed: {why}");
        if self.closed.is_none() {
            self.rtc.disconnect();
            self.events.push_back(PeerEvent::Closed {
                reason: format!("error: {why}"),
            });
            self.closed = Some(why);
        }
    }

    /// str0m's drain rule: poll until `Timeout`. A timeout at or before `now` (e.g.
    /// `Reason::Packetize` right after a write) is fed back at once, a few times at most.
    fn drain(&mut self, now: Instant) {
        let mut kicks = 0;
        loop {
            match self.rtc.poll_output() {
                Ok(Output::Timeout(t)) => {
                    if t <= now && kicks < 8 && self.rtc.is_alive() {
                        kicks += 1;
                        if let Err(e) = self.rtc.handle_input(Input::Timeout(now)) {
                            self.fail(format!("timeout: {e}"));
                            return;
                        }
                        continue;
                    }
                    self.rtc_timeout = t;
                    return;
                }
                Ok(Output::Transmit(t)) => {
                    self.stats.packets_sent += 1;
                    self.stats.bytes_sent += t.contents.len() as u64;
                    if let (Some((pt, ts)), Some(ours)) = (rtp_marker(&t.contents), self.pt)
                        && pt == *ours
                    {
                        self.frame_left(ts, now);
                    }
                    self.transmits.push_back(Transmit {
                        source: t.source,
                        destination: t.destination,
                        contents: t.contents.into(),
                    });
                }
                Ok(Output::Event(e)) => self.on_event(now, e),
                Err(e) => {
                    self.fail(format!("poll: {e}"));
                    return;
                }
            }
        }
    }

    fn on_event(&mut self, now: Instant, event: Event) {
        match event {
            Event::Connected => {
                self.connected = true;
                let (min, max) = (self.config.min_bitrate_bps, self.config.max_bitrate_bps);
                // Without a realistic desired rate, large keyframes sit in the pacer for
                // hundreds of ms (str0m.md §4): probe up to the configured maximum.
                self.rtc
                    .bwe()
                    .set_bitrate(Bitrate::bps(u64::from(min)), Bitrate::bps(u64::from(max)));
                self.events.push_back(PeerEvent::Connected);
            }
            Event::MediaAdded(m) => {
                let sends = matches!(m.direction, Direction::SendOnly | Direction::SendRecv);
                if m.kind == MediaKind::Video && sends && self.mid.is_none() {
                    self.mid = Some(m.mid);
                    self.direction = m.direction;
                    self.pt_h264 = self.choose_pt(m.mid, VideoCodec::H264);
                    self.pt_vp8 = self.choose_pt(m.mid, VideoCodec::Vp8);
                    self.pt = self.pt_h264.or(self.pt_vp8);
                    if self.pt.is_none() {
                        self.fail(
                            "no H.264 packetization-mode=1 or VP8 payload type negotiated".into(),
                        );
                        return;
                    }
                    self.need_keyframe = true;
                    self.request_keyframe(now);
                }
            }
            Event::ChannelOpen(id, label) if label == CONTROL_LABEL && self.control.is_none() => {
                self.control = Some(id);
                self.send_control(
                    now,
                    &ControlMessage::Hello {
                        version: PROTOCOL_VERSION,
                    },
                );
                self.next_ping = Some(now);
                self.next_stats = Some(now + self.config.stats_interval);
                for msg in std::mem::take(&mut self.pending_control) {
                    self.send_control(now, &msg);
                }
            }
            Event::ChannelOpen(id, label) if label == INPUT_LABEL && self.input.is_none() => {
                self.input = Some(id);
            }
            Event::ChannelOpen(id, label) if label == POINTER_LABEL && self.pointer.is_none() => {
                self.pointer = Some(id);
            }
            Event::ChannelClose(id) if self.control == Some(id) => {
                self.control = None;
                self.next_ping = None;
                self.next_stats = None;
            }
            Event::ChannelClose(id) if self.input == Some(id) => {
                self.input = None;
                self.events.push_back(PeerEvent::InputClosed);
            }
            Event::ChannelOpen(id, label) if label == CURSOR_LABEL && self.cursor.is_none() => {
                self.cursor = Some(id);
                if let Some((shape, position)) = self.cursor_latest.take() {
                    self.send_cursor(&shape, position);
                    self.cursor_latest = Some((shape, position));
                }
            }
            Event::ChannelOpen(id, label)
                if label == CLIPBOARD_LABEL && self.clipboard.is_none() =>
            {
                self.clipboard = Some(id);
            }
            Event::ChannelClose(id) if self.clipboard == Some(id) => self.clipboard = None,
            Event::ChannelClose(id) if self.pointer == Some(id) => self.pointer = None,
            Event::ChannelClose(id) if self.cursor == Some(id) => {
                self.cursor = None;
                self.cursor_shapes = SentShapes::default();
            }
            Event::ChannelData(d) => {
                if d.data.len() > self.config.max_message_size as usize {
                    // The viewer ignored the a=max-message-size of our answer: it does not
                    // follow the protocol, so the session ends, under its true reason.
                    self.stats.messages_too_large += 1;
                    tracing::info!(
                        "viewer sent a {} byte data-channel message (limit {}): closing",
                        d.data.len(),
                        self.config.max_message_size
                    );
                    self.close_with(now, MESSAGE_TOO_LARGE, true);
                    return;
                }
                if self.input == Some(d.id) || self.pointer == Some(d.id) {
                    if !d.binary {
                        // Input messages are binary (docs/protocol.md): a text frame is
                        // refused even when its bytes would decode, so a client that gets
                        // the frame type wrong finds out at once, not in production.
                        self.stats.input_rejected += 1;
                        tracing::debug!("input: text frame of {} bytes rejected", d.data.len());
                        return;
                    }
                    if self.pointer == Some(d.id) && d.data.get(1) != Some(&POINTER_MOVE_TYPE) {
                        // `pointer` is unreliable and unordered: a button or key sent there
                        // could lose its release and stay held. Only moves are let through;
                        // the input handler checks the rest of the message.
                        self.stats.input_rejected += 1;
                        tracing::debug!(
                            "input: message type {:?} on the pointer channel rejected",
                            d.data.get(1)
                        );
                        return;
                    }
                    self.events.push_back(PeerEvent::Input(d.data));
                    return;
                }
                if self.clipboard == Some(d.id) {
                    match clipboard::decode_text(&d.data) {
                        Ok(text) if d.binary => {
                            self.stats.clipboard_received += 1;
                            self.events.push_back(PeerEvent::Clipboard(text.to_owned()));
                        }
                        // Never the text itself in a log: only that and why it was refused.
                        Ok(_) => {
                            self.stats.clipboard_rejected += 1;
                            tracing::debug!("clipboard: text frame refused (messages are binary)");
                        }
                        Err(e) => {
                            self.stats.clipboard_rejected += 1;
                            tracing::debug!("{e}");
                        }
                    }
                    return;
                }
                if self.cursor == Some(d.id) {
                    // Sharer → viewer only: nothing a viewer says there means anything.
                    self.stats.cursor_rejected += 1;
                    tracing::debug!(
                        "cursor: {} byte message from the viewer refused",
                        d.data.len()
                    );
                    return;
                }
                if Some(d.id) != self.control {
                    return;
                }
                match ControlMessage::decode(&d.data) {
                    Ok(msg) => self.on_control(now, msg),
                    Err(e) => {
                        self.stats.control_rejected += 1;
                        tracing::debug!("{e}");
                    }
                }
            }
            Event::KeyframeRequest(_) => self.request_keyframe(now),
            Event::EgressBitrateEstimate(
                BweKind::Twcc { estimate, .. } | BweKind::Remb { estimate, .. },
            ) => {
                let bps = estimate.as_u64().clamp(
                    u64::from(self.config.min_bitrate_bps),
                    u64::from(self.config.max_bitrate_bps),
                ) as u32;
                self.stats.estimate_bps = Some(bps);
                self.events.push_back(PeerEvent::TargetBitrate(bps));
            }
            Event::PeerStats(s) => {
                if self.stats.rtt.is_none() {
                    self.stats.rtt = s.rtt;
                }
                if s.egress_loss_fraction.is_some() {
                    self.stats.loss = s.egress_loss_fraction;
                }
            }
            Event::MediaEgressStats(s) if s.loss.is_some() => {
                self.stats.loss = s.loss;
            }
            Event::IceConnectionStateChange(IceConnectionState::Disconnected) => {
                if self.connected {
                    self.close_with(now, "ice disconnected", false);
                } else {
                    // Not yet connected: every pair so far failed (or none could be formed,
                    // e.g. only TCP or mDNS candidates), but a trickled candidate or the
                    // viewer's own check (peer-reflexive) may still come. str0m goes back to
                    // checking then; the connect timeout bounds the wait.
                    tracing::debug!("ICE: no working pair yet; waiting for more candidates");
                }
            }
            Event::Closed => self.close_with(now, "closed by viewer", false),
            _ => {}
        }
    }

    fn on_control(&mut self, now: Instant, msg: ControlMessage) {
        match msg {
            ControlMessage::Ping { t } => {
                self.send_control(now, &ControlMessage::Pong { t, clock: None });
            }
            ControlMessage::Pong { t, clock } => {
                let sent = Duration::from_micros(t);
                let elapsed = now - self.created;
                if let Some(rtt) = elapsed.checked_sub(sent) {
                    self.stats.rtt = Some(rtt);
                    if let Some(clock) = clock {
                        self.on_clock(self.created + sent + rtt / 2, rtt, clock);
                    }
                }
            }
            ControlMessage::Bye { .. } => self.close_with(now, "bye", false),
            ControlMessage::Keyframe => {
                self.request_keyframe(now);
                self.events.push_back(PeerEvent::Control(msg));
            }
            other => self.events.push_back(PeerEvent::Control(other)),
        }
    }

    /// One NTP-style sample: the viewer read `clock` (µs since the epoch) at about `mid`
    /// (halfway through the ping's round trip). The sample with the shortest round trip
    /// among the last few is the estimate.
    fn on_clock(&mut self, mid: Instant, rtt: Duration, clock: u64) {
        let Ok(ours) = wallclock(self.config.wallclock_anchor, mid).duration_since(UNIX_EPOCH)
        else {
            return;
        };
        let offset = i128::from(clock) - ours.as_micros() as i128;
        let offset = offset.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
        if self.clock_samples.len() == CLOCK_SAMPLES {
            self.clock_samples.pop_front();
        }
        self.clock_samples.push_back((micros(rtt), offset));
        let best = self
            .clock_samples
            .iter()
            .min_by_key(|(rtt, _)| *rtt)
            .map(|(_, o)| *o);
        if best.is_some() && best != self.clock_offset {
            self.clock_offset = best;
            self.events
                .push_back(PeerEvent::ClockOffset(best.unwrap_or(0)));
        }
    }

    /// Reads the negotiated PT of `codec`: browsers renumber, so never hard-code it. H.264:
    /// prefer constrained baseline, then baseline, packetization-mode 1.
    fn choose_pt(&mut self, mid: Mid, codec: VideoCodec) -> Option<Pt> {
        if !self.codecs.contains(codec) {
            return None;
        }
        let writer = self.rtc.writer(mid)?;
        let mut best: Option<(u8, Pt)> = None;
        for p in writer.payload_params() {
            let spec = p.spec();
            if codec == VideoCodec::Vp8 {
                if spec.codec == Codec::Vp8 {
                    return Some(p.pt());
                }
                continue;
            }
            if spec.codec != Codec::H264 || spec.format.packetization_mode != Some(1) {
                continue;
            }
            let rank = match spec.format.profile_level_id.map(|v| v >> 8) {
                Some(0x42e0) => 0,
                Some(0x4200) => 1,
                _ => 2,
            };
            if best.is_none_or(|(r, _)| rank < r) {
                best = Some((rank, p.pt()));
            }
        }
        best.map(|(_, pt)| pt)
    }
}

// Why an offer is refused, as the viewer reads it (the body of WHEP's 400). Fixed sentences in
// plain words: str0m's own errors carry parser internals (`Parse error at
// PointerOffset(0x7f…)`, a heap address) and are only logged, at debug.
const OFFER_EMPTY: &str = "the offer is empty";
const OFFER_NOT_SDP: &str = "the offer is not valid SDP";
const OFFER_NO_VERSION: &str = "the offer is not valid SDP: it must start with v=0";
const OFFER_BAD_LINE: &str =
    "the offer is not valid SDP: every line must be a letter, '=' and a value";
const OFFER_NO_SESSION: &str =
    "the offer is not valid SDP: the session part needs o=, s= and t= lines";
const OFFER_NO_MID: &str = "the offer has an m-line without a=mid";
const OFFER_NO_VIDEO: &str = "the offer has no video m-line";
const OFFER_NO_FINGERPRINT: &str = "the offer has no DTLS fingerprint (a=fingerprint)";
const OFFER_NO_ICE: &str = "the offer has no ICE credentials (a=ice-ufrag and a=ice-pwd)";
const OFFER_NOT_NEGOTIABLE: &str = "the offer cannot be negotiated";
const OFFER_NO_H264: &str = "the offer has no receivable H.264 video, and this sharer sends \
     H.264 only: offer a recvonly video m-line with H.264 constrained baseline (42e0xx) or \
     baseline (4200xx), packetization-mode=1";
const OFFER_NO_VP8: &str = "the offer has no receivable VP8 video, and this sharer sends VP8 \
     only: offer a recvonly video m-line with VP8";
const OFFER_NO_CODEC: &str = "the offer has no receivable H.264 or VP8 video: offer a recvonly \
     video m-line with H.264 constrained baseline (42e0xx) or baseline (4200xx), \
     packetization-mode=1, or VP8";

fn bad_offer(reason: &'static str) -> Error {
    Error::BadOffer(reason.into())
}

// Why a trickled candidate is refused (the body of WHEP's 400), in plain words.
const CANDIDATE_MALFORMED: &str = "not an ICE candidate (expected \"candidate:<foundation> 1 udp <priority> <address> <port> \
     typ <type> ...\")";
const CANDIDATE_BAD_ADDRESS: &str =
    "the candidate's address cannot be sent to (unspecified, multicast, broadcast or port 0)";
const CANDIDATE_OTHER_SESSION: &str =
    "the candidate's ufrag is not the one of this session's offer";
const CANDIDATE_TOO_MANY: &str = "too many candidates for one session";
/// [`Error::Unsupported`] for a trickle with new ICE credentials.
pub const ICE_RESTART: &str = "ICE restart is not supported: make a new offer";

/// True for an mDNS candidate: its address is a `.local` name (RFC 8839 §5.1, draft-ietf-mmusic-mdns-ice-candidates).
fn is_mdns(candidate: &str) -> bool {
    candidate
        .split_whitespace()
        .nth(4)
        // Bytes, not `str` slicing: the address may end in multi-byte characters (fuzz find).
        .is_some_and(|a| a.len() > 6 && a.as_bytes()[a.len() - 6..].eq_ignore_ascii_case(b".local"))
}

/// True for a STUN message (RFC 7983: first byte 0..=3).
fn is_stun(data: &[u8]) -> bool {
    data.first().is_some_and(|b| *b < 4)
}

/// An address a connectivity check can go to.
fn reachable(addr: SocketAddr) -> bool {
    let ip = addr.ip();
    addr.port() != 0
        && !ip.is_unspecified()
        && !ip.is_multicast()
        && ip != IpAddr::V4(Ipv4Addr::BROADCAST)
}

/// The offer with the remote candidates str0m is to use: mDNS ones skipped (str0m would
/// ignore them anyway), and at most [`MAX_REMOTE_CANDIDATES`].
struct OfferCandidates {
    sdp: String,
    kept: usize,
    mdns: u64,
    dropped: u64,
}

impl OfferCandidates {
    fn filter(sdp: &str) -> OfferCandidates {
        let mut out = OfferCandidates {
            sdp: String::with_capacity(sdp.len()),
            kept: 0,
            mdns: 0,
            dropped: 0,
        };
        for line in sdp.split_inclusive('\n') {
            if let Some(value) = line.trim_end().strip_prefix("a=")
                && value.starts_with("candidate:")
            {
                if is_mdns(value) {
                    out.mdns += 1;
                    continue;
                }
                if out.kept == MAX_REMOTE_CANDIDATES {
                    out.dropped += 1;
                    continue;
                }
                out.kept += 1;
            }
            out.sdp.push_str(line);
        }
        out
    }
}

/// Parses a viewer's offer. Errors are [`Error::BadOffer`] with a fixed reason in plain words
/// (what is wrong, never how the parser failed); the parser's detail is logged at debug.
pub(crate) fn parse_offer(sdp: &str) -> Result<SdpOffer, Error> {
    // str0m's parser is fuzzed upstream; still, network input must never take the
    // process down, so a panic in it is turned into a rejected offer.
    let owned = sdp.to_string();
    let parsed = std::panic::catch_unwind(move || SdpOffer::from_sdp_string(&owned));
    let offer = match parsed {
        Ok(Ok(offer)) => offer,
        Ok(Err(e)) => {
            tracing::debug!("offer does not parse: {e}");
            return Err(bad_offer(sdp_problem(sdp)));
        }
        Err(_) => {
            tracing::warn!("the SDP parser panicked on an offer");
            return Err(bad_offer(sdp_problem(sdp)));
        }
    };
    let lines = || sdp.lines().map(str::trim_end);
    if !lines().any(|l| l.starts_with("m=video ")) {
        return Err(bad_offer(OFFER_NO_VIDEO));
    }
    if !lines().any(|l| l.starts_with("a=fingerprint:")) {
        return Err(bad_offer(OFFER_NO_FINGERPRINT));
    }
    if !(lines().any(|l| l.starts_with("a=ice-ufrag:"))
        && lines().any(|l| l.starts_with("a=ice-pwd:")))
    {
        return Err(bad_offer(OFFER_NO_ICE));
    }
    Ok(offer)
}

/// The most likely reason an offer does not parse, from a few structural checks.
fn sdp_problem(sdp: &str) -> &'static str {
    let mut lines = sdp.lines().map(str::trim_end).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return OFFER_EMPTY;
    };
    if first != "v=0" {
        return OFFER_NO_VERSION;
    }
    let well_formed = |l: &str| {
        let b = l.as_bytes();
        b.len() >= 2 && b[0].is_ascii_lowercase() && b[1] == b'='
    };
    if !lines.clone().all(well_formed) {
        return OFFER_BAD_LINE;
    }
    let session = || lines.clone().take_while(|l| !l.starts_with("m="));
    if ["o=", "s=", "t="]
        .iter()
        .any(|p| !session().any(|l| l.starts_with(p)))
    {
        return OFFER_NO_SESSION;
    }
    // Each m-line section needs its a=mid (str0m bundles every m-line).
    let mut in_media = false;
    let mut has_mid = true;
    for line in lines {
        if line.starts_with("m=") {
            if !has_mid {
                return OFFER_NO_MID;
            }
            in_media = true;
            has_mid = false;
        } else if in_media && line.starts_with("a=mid:") {
            has_mid = true;
        }
    }
    if !has_mid {
        return OFFER_NO_MID;
    }
    OFFER_NOT_SDP
}

/// The codecs of the first video m-line with a non-zero port that we send on, from our own
/// answer (str0m answers with the offered codecs we enabled, and only those).
fn sending_video_codecs(answer: &str) -> CodecSet {
    let mut in_video = false;
    let (mut sends, mut codecs) = (false, CodecSet::NONE);
    for line in answer.lines() {
        let line = line.trim_end();
        if let Some(rest) = line.strip_prefix("m=") {
            if sends {
                break;
            }
            in_video = rest.starts_with("video ") && rest.split(' ').nth(1) != Some("0");
            codecs = CodecSet::NONE;
        } else if in_video && (line == "a=sendonly" || line == "a=sendrecv") {
            sends = true;
        } else if in_video && let Some(map) = line.strip_prefix("a=rtpmap:") {
            let name = map.split(' ').nth(1).unwrap_or_default();
            if name.eq_ignore_ascii_case("H264/90000") {
                codecs = codecs.with(VideoCodec::H264);
            } else if name.eq_ignore_ascii_case("VP8/90000") {
                codecs = codecs.with(VideoCodec::Vp8);
            }
        }
    }
    if sends { codecs } else { CodecSet::NONE }
}

fn wallclock(anchor: (Instant, SystemTime), t: Instant) -> SystemTime {
    let (ai, asys) = anchor;
    if t >= ai {
        asys + (t - ai)
    } else {
        asys.checked_sub(ai - t).unwrap_or(asys)
    }
}

fn micros(d: Duration) -> u64 {
    d.as_micros().min(u128::from(u64::MAX)) as u64
}

#[cfg(test)]
pub(crate) mod tests {
    //! Two peers on simulated time: our [`Peer`] and a plain str0m receiver acting as the
    //! browser (recvonly H.264 + a `control` channel in its offer).

    use super::*;
    use std::collections::VecDeque;
    use str0m::change::SdpAnswer;
    use str0m::media::KeyframeRequestKind;
    use str0m::{Event, RtcConfig};

    const SERVER: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)), 5000);
    const VIEWER: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)), 6000);
    /// The peer's one candidate.
    const HOST: [LocalCandidate; 1] = [LocalCandidate::host(SERVER, SERVER)];

    /// The simulated browser.
    pub(crate) struct Viewer {
        pub rtc: Rtc,
        pub mid: Mid,
        pub channel: Option<ChannelId>,
        pub input: Option<ChannelId>,
        pub pointer: Option<ChannelId>,
        pub cursor: Option<ChannelId>,
        /// Messages received on `cursor`, decoded.
        pub cursor_messages: Vec<CursorMessage>,
        /// Answer pings with this clock offset (µs added to the real wallclock).
        pub clock_skew_us: Option<i64>,
        /// The simulated instant that maps to the Unix epoch (the sim's wallclock).
        pub epoch: Instant,
        pub frames: Vec<(Instant, Vec<u8>, bool)>,
        /// The codec of each of `frames`.
        pub frame_codecs: Vec<Codec>,
        pub control: Vec<ControlMessage>,
        pub closed: bool,
        pub answer_pings: bool,
    }

    impl Viewer {
        /// Makes the viewer and its offer.
        pub fn new(
            now: Instant,
            addr: SocketAddr,
        ) -> (Viewer, String, str0m::change::SdpPendingOffer) {
            Viewer::with(now, addr, false)
        }

        /// [`Viewer::new`], ICE-lite if `ice_lite` (it then sends no checks).
        pub fn with(
            now: Instant,
            addr: SocketAddr,
            ice_lite: bool,
        ) -> (Viewer, String, str0m::change::SdpPendingOffer) {
            Viewer::with_codecs(now, addr, ice_lite, CodecSet::only(VideoCodec::H264))
        }

        /// [`Viewer::with`], offering `codecs` (Firefox without OpenH264 offers VP8 only).
        pub fn with_codecs(
            now: Instant,
            addr: SocketAddr,
            ice_lite: bool,
            codecs: CodecSet,
        ) -> (Viewer, String, str0m::change::SdpPendingOffer) {
            let mut rtc = RtcConfig::new()
                .set_ice_lite(ice_lite)
                .clear_codecs()
                .enable_h264(codecs.contains(VideoCodec::H264))
                .enable_vp8(codecs.contains(VideoCodec::Vp8))
                .set_reordering_size_video(1000)
                .build(now);
            rtc.add_local_candidate(Candidate::host(addr, "udp").unwrap());
            let mut api = rtc.sdp_api();
            let mid = api.add_media(MediaKind::Video, Direction::RecvOnly, None, None, None);
            api.add_channel(CONTROL_LABEL.into());
            api.add_channel(INPUT_LABEL.into());
            api.add_channel_with_config(str0m::channel::ChannelConfig {
                label: POINTER_LABEL.into(),
                ordered: false,
                reliability: str0m::channel::Reliability::MaxRetransmits { retransmits: 0 },
                ..Default::default()
            });
            api.add_channel(CURSOR_LABEL.into());
            let (offer, pending) = api.apply().unwrap();
            let viewer = Viewer {
                rtc,
                mid,
                channel: None,
                input: None,
                pointer: None,
                cursor: None,
                cursor_messages: Vec::new(),
                clock_skew_us: None,
                epoch: now,
                frames: Vec::new(),
                frame_codecs: Vec::new(),
                control: Vec::new(),
                closed: false,
                answer_pings: true,
            };
            (viewer, offer.to_sdp_string(), pending)
        }

        fn send(&mut self, msg: &ControlMessage) {
            let id = self.channel.expect("control channel open");
            let mut ch = self.rtc.channel(id).unwrap();
            assert!(ch.write(false, &msg.encode()).unwrap());
        }

        fn drain(&mut self, now: Instant, out: &mut VecDeque<(Instant, Vec<u8>)>) {
            loop {
                match self.rtc.poll_output() {
                    Ok(Output::Timeout(_)) | Err(_) => return,
                    Ok(Output::Transmit(t)) => out.push_back((now, t.contents.into())),
                    Ok(Output::Event(e)) => match e {
                        Event::MediaData(d) => {
                            self.frame_codecs.push(d.params.spec().codec);
                            self.frames.push((now, d.data.to_vec(), d.is_keyframe()))
                        }
                        Event::ChannelOpen(id, label) => match label.as_str() {
                            CONTROL_LABEL => self.channel = Some(id),
                            INPUT_LABEL => self.input = Some(id),
                            POINTER_LABEL => self.pointer = Some(id),
                            CURSOR_LABEL => self.cursor = Some(id),
                            _ => {}
                        },
                        Event::ChannelData(d) if Some(d.id) == self.cursor => {
                            assert!(d.binary, "cursor messages are binary");
                            self.cursor_messages
                                .push(CursorMessage::decode(&d.data).unwrap());
                        }
                        Event::ChannelData(d) => {
                            let m = ControlMessage::decode(&d.data).unwrap();
                            if let (true, ControlMessage::Ping { t }) = (self.answer_pings, &m) {
                                let t = *t;
                                // The simulated wallclock: the Unix epoch at `epoch`.
                                let clock = self.clock_skew_us.map(|skew| {
                                    let wall = (now - self.epoch).as_micros() as i64;
                                    (wall + skew) as u64
                                });
                                self.send(&ControlMessage::Pong { t, clock });
                            }
                            self.control.push(m);
                        }
                        Event::Closed => self.closed = true,
                        _ => {}
                    },
                }
            }
        }
    }

    /// Peer + viewer + a symmetric link with fixed latency, stepped in 1 ms ticks.
    pub(crate) struct Sim {
        pub now: Instant,
        pub start: Instant,
        pub peer: Peer,
        pub viewer: Viewer,
        pub events: Vec<(Instant, PeerEvent)>,
        pub latency: Duration,
        /// Drops every n-th datagram towards the viewer (0 = none).
        pub loss_every: usize,
        pub viewer_silent: bool,
        /// Only the viewer's STUN reaches the peer (a client that never completes DTLS).
        pub viewer_stun_only: bool,
        /// The peer's connectivity checks: (ICE-CONTROLLING, USE-CANDIDATE) of each request.
        pub checks: Vec<(bool, bool)>,
        /// Datagrams the peer sent to addresses other than the viewer's (other candidates).
        pub sent_elsewhere: Vec<SocketAddr>,
        to_viewer: VecDeque<(Instant, Vec<u8>)>,
        to_server: VecDeque<(Instant, Vec<u8>)>,
        sent: usize,
    }

    impl Sim {
        pub fn new() -> Sim {
            Sim::with(PeerConfig::default(), |answer| answer)
        }

        /// A sim whose peer has `config` (with the sim's wallclock anchor), and whose viewer
        /// reads the answer through `edit` (to play a viewer that ignores part of it).
        pub fn with(config: PeerConfig, edit: impl FnOnce(String) -> String) -> Sim {
            Sim::custom(config, false, |offer| offer, edit)
        }

        /// A sim whose viewer is ICE-lite if `ice_lite`, and whose offer and answer are edited
        /// on the way (`edit_offer`, `edit_answer`).
        pub fn custom(
            config: PeerConfig,
            ice_lite: bool,
            edit_offer: impl FnOnce(String) -> String,
            edit_answer: impl FnOnce(String) -> String,
        ) -> Sim {
            let codecs = CodecSet::only(VideoCodec::H264);
            Sim::custom_codecs(config, ice_lite, codecs, edit_offer, edit_answer)
        }

        /// [`Sim::custom`] with a viewer that offers `codecs`.
        pub fn custom_codecs(
            config: PeerConfig,
            ice_lite: bool,
            codecs: CodecSet,
            edit_offer: impl FnOnce(String) -> String,
            edit_answer: impl FnOnce(String) -> String,
        ) -> Sim {
            let start = Instant::now();
            let (mut viewer, offer, pending) = Viewer::with_codecs(start, VIEWER, ice_lite, codecs);
            let offer = edit_offer(offer);
            viewer.epoch = start;
            let config = PeerConfig {
                wallclock_anchor: (start, SystemTime::UNIX_EPOCH),
                ..config
            };
            let (peer, answer) = Peer::accept_offer(start, &offer, &HOST, config).unwrap();
            let answer = edit_answer(answer);
            viewer
                .rtc
                .sdp_api()
                .accept_answer(pending, SdpAnswer::from_sdp_string(&answer).unwrap())
                .unwrap();
            let mut sim = Sim {
                now: start,
                start,
                peer,
                viewer,
                events: Vec::new(),
                latency: Duration::from_millis(5),
                loss_every: 0,
                viewer_silent: false,
                viewer_stun_only: false,
                checks: Vec::new(),
                sent_elsewhere: Vec::new(),
                to_viewer: VecDeque::new(),
                to_server: VecDeque::new(),
                sent: 0,
            };
            sim.collect();
            sim
        }

        /// Runs until connected with an open control channel.
        pub fn connected() -> Sim {
            let mut sim = Sim::new();
            sim.run_until(Duration::from_secs(3), |s| {
                s.peer.is_ready() && s.viewer.channel.is_some() && s.peer.control.is_some()
            });
            sim
        }

        fn collect(&mut self) {
            while let Some(t) = self.peer.poll_transmit() {
                assert_eq!(t.source, SERVER);
                if let Ok(m) = str0m::ice::StunMessage::parse(&t.contents)
                    && m.is_binding_request()
                {
                    self.checks
                        .push((m.ice_controlling().is_some(), m.use_candidate()));
                }
                if t.destination != VIEWER {
                    // A check to another candidate of the viewer: nobody there.
                    self.sent_elsewhere.push(t.destination);
                    continue;
                }
                self.sent += 1;
                if self.loss_every > 0 && self.sent.is_multiple_of(self.loss_every) {
                    continue;
                }
                self.to_viewer.push_back((self.now, t.contents));
            }
            while let Some(e) = self.peer.poll_event() {
                self.events.push((self.now, e));
            }
        }

        pub fn step(&mut self) {
            let now = self.now;
            while self
                .to_viewer
                .front()
                .is_some_and(|(t, _)| *t + self.latency <= now)
            {
                let (_, data) = self.to_viewer.pop_front().unwrap();
                let r = Receive::new(Protocol::Udp, SERVER, VIEWER, &data).unwrap();
                let _ = self.viewer.rtc.handle_input(Input::Receive(now, r));
                let mut out = VecDeque::new();
                self.viewer.drain(now, &mut out);
                self.queue_from_viewer(out);
            }
            while self
                .to_server
                .front()
                .is_some_and(|(t, _)| *t + self.latency <= now)
            {
                let (_, data) = self.to_server.pop_front().unwrap();
                assert!(self.peer.accepts(now, VIEWER, SERVER, &data) || self.peer.is_closed());
                self.peer.handle_receive(now, VIEWER, SERVER, &data);
                self.collect();
            }
            let _ = self.viewer.rtc.handle_input(Input::Timeout(now));
            let mut out = VecDeque::new();
            self.viewer.drain(now, &mut out);
            self.queue_from_viewer(out);
            if self.peer.poll_timeout() <= now {
                self.peer.handle_timeout(now);
                self.collect();
            }
            // Ticks of 1 ms, or sooner when the peer asks (the pacer releases a burst one
            // packet per distinct `now`, as a real clock would advance).
            self.now = (now + Duration::from_millis(1)).min(
                self.peer
                    .poll_timeout()
                    .max(now + Duration::from_micros(10)),
            );
        }

        fn queue_from_viewer(&mut self, out: VecDeque<(Instant, Vec<u8>)>) {
            if self.viewer_silent {
                return;
            }
            // STUN messages start with 0b00 (RFC 7983 demultiplexing: first byte 0..=3).
            let stun_only = self.viewer_stun_only;
            self.to_server
                .extend(out.into_iter().filter(|(_, d)| !stun_only || d[0] < 4));
        }

        pub fn run_for(&mut self, d: Duration) {
            let end = self.now + d;
            while self.now < end {
                self.step();
            }
        }

        /// Steps until `cond`; panics after `limit`. Returns the elapsed simulated time.
        pub fn run_until(
            &mut self,
            limit: Duration,
            mut cond: impl FnMut(&Sim) -> bool,
        ) -> Duration {
            let begin = self.now;
            while !cond(self) {
                assert!(
                    self.now - begin < limit,
                    "condition not met within {limit:?}"
                );
                self.step();
            }
            self.now - begin
        }

        pub fn write(&mut self, frame: &VideoFrameOut) -> FrameOutcome {
            let r = self.peer.write_frame(self.now, frame);
            self.collect();
            r
        }

        pub fn frame(&self, keyframe: bool, size: usize, seed: u8) -> VideoFrameOut {
            VideoFrameOut {
                codec: VideoCodec::H264,
                data: crate::fuzzing::access_unit(keyframe, size, seed).into(),
                keyframe,
                capture_time: self.now,
                pts: self.now - self.start,
            }
        }

        /// A VP8 frame of `size` bytes: the frame tag's bit 0 says key (0) or inter (1), which
        /// is all the packetizer and depacketizer read; the rest is filler.
        pub fn vp8_frame(&self, keyframe: bool, size: usize, seed: u8) -> VideoFrameOut {
            let mut data = vec![seed; size.max(10)];
            data[..6].copy_from_slice(&[0x10 | u8::from(!keyframe), 0x02, 0x00, 0x9d, 0x01, 0x2a]);
            VideoFrameOut {
                codec: VideoCodec::Vp8,
                data: data.into(),
                keyframe,
                capture_time: self.now,
                pts: self.now - self.start,
            }
        }

        pub fn count(&self, f: impl Fn(&PeerEvent) -> bool) -> usize {
            self.events.iter().filter(|(_, e)| f(e)).count()
        }
    }

    #[test]
    fn frames_in_equal_frames_out() {
        let mut sim = Sim::connected();
        assert!(sim.count(|e| *e == PeerEvent::Connected) == 1);
        assert!(sim.count(|e| *e == PeerEvent::KeyframeRequested) >= 1);
        // Browsers renumber payload types: ours must be what the viewer offered for
        // constrained baseline, packetization-mode 1.
        let offered = sim
            .viewer
            .rtc
            .codec_config()
            .find(|p| {
                p.spec().codec == Codec::H264
                    && p.spec().format.packetization_mode == Some(1)
                    && p.spec().format.profile_level_id.map(|v| v >> 8) == Some(0x42e0)
            })
            .map(|p| *p.pt());
        assert_eq!(sim.peer.payload_type(), offered);

        // A delta before any keyframe is held back.
        let delta = sim.frame(false, 500, 1);
        assert_eq!(sim.write(&delta), FrameOutcome::WaitingForKeyframe);

        let mut sent = Vec::new();
        for i in 0..20u8 {
            let f = sim.frame(i % 10 == 0, if i % 10 == 0 { 60_000 } else { 3_000 }, i);
            assert_eq!(sim.write(&f), FrameOutcome::Sent);
            sent.push(f.data.to_vec());
            sim.run_for(Duration::from_millis(33));
        }
        sim.run_for(Duration::from_millis(200));
        let got: Vec<Vec<u8>> = sim
            .viewer
            .frames
            .iter()
            .map(|(_, d, _)| d.clone())
            .collect();
        assert_eq!(got.len(), sent.len());
        assert!(
            got == sent,
            "depacketized frames differ from the written ones"
        );
        assert!(sim.viewer.frames[0].2, "first frame is a keyframe");
        let s = sim.peer.stats();
        assert_eq!(s.frames_sent, 20);
        assert_eq!(s.frames_dropped_no_keyframe, 1);
        // Every frame was seen leaving the pacer, in order, no earlier than it was written.
        let left: Vec<(Instant, Instant)> = sim
            .events
            .iter()
            .filter_map(|(_, e)| match e {
                PeerEvent::FrameLeft { capture_time, at } => Some((*capture_time, *at)),
                _ => None,
            })
            .collect();
        assert_eq!(left.len(), 20);
        assert!(left.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(left.iter().all(|(c, at)| at >= c));
    }

    #[test]
    fn rtp_marker_reads_only_last_packets_of_dynamic_payload_types() {
        let mut p = [0u8; 20];
        p[0] = 0x80;
        p[1] = 0x80 | 102;
        p[4..8].copy_from_slice(&0x0102_0304u32.to_be_bytes());
        assert_eq!(rtp_marker(&p), Some((102, 0x0102_0304)));
        let mut no_marker = p;
        no_marker[1] = 102;
        assert_eq!(rtp_marker(&no_marker), None);
        let mut padding = p;
        padding[0] |= 0x20;
        assert_eq!(rtp_marker(&padding), None);
        let mut rtcp_sr = p;
        rtcp_sr[1] = 200;
        assert_eq!(rtp_marker(&rtcp_sr), None);
        let mut stun = p;
        stun[0] = 0x00;
        assert_eq!(rtp_marker(&stun), None);
        assert_eq!(rtp_marker(&p[..11]), None);
    }

    #[test]
    fn keyframe_is_not_held_in_the_pacer() {
        let mut sim = Sim::connected();
        // Steady 30 fps x 5 KB (1.2 Mbit/s) for 3 s, as a screen share does: BWE probes
        // towards the desired (max) rate meanwhile.
        for i in 0..90u8 {
            let f = sim.frame(i == 0, 5_000, i);
            sim.write(&f);
            sim.run_for(Duration::from_millis(33));
        }
        let estimates: Vec<u32> = sim
            .events
            .iter()
            .filter_map(|(_, e)| match e {
                PeerEvent::TargetBitrate(b) => Some(*b),
                _ => None,
            })
            .collect();
        eprintln!("estimates: {estimates:?}");
        let f = sim.frame(true, 150_000, 3);
        let t0 = sim.now;
        sim.write(&f);
        let n = sim.viewer.frames.len();
        let took = sim.run_until(Duration::from_secs(2), |s| s.viewer.frames.len() > n);
        // 150 KB at the 2 Mbit/s start estimate would be 600 ms; with set_bitrate probing
        // it goes out far faster.
        eprintln!("keyframe took {took:?}");
        assert!(
            took < Duration::from_millis(100),
            "keyframe took {took:?} (from {t0:?})"
        );
    }

    #[test]
    fn first_keyframe_is_not_held_at_the_start_rate() {
        let mut sim = Sim::connected();
        let f = sim.frame(true, 150_000, 3);
        assert_eq!(sim.write(&f), FrameOutcome::Sent);
        let took = sim.run_until(Duration::from_secs(2), |s| !s.viewer.frames.is_empty());
        eprintln!("first keyframe took {took:?}");
        assert!(
            took < Duration::from_millis(50),
            "first keyframe took {took:?}"
        );
        // Deltas after it are paced again and still arrive.
        for i in 0..5u8 {
            let f = sim.frame(false, 4_000, i);
            assert_eq!(sim.write(&f), FrameOutcome::Sent);
            sim.run_for(Duration::from_millis(33));
        }
        sim.run_for(Duration::from_millis(100));
        assert_eq!(sim.viewer.frames.len(), 6);
        assert!(!sim.peer.unpaced);
    }

    #[test]
    fn backed_up_pacer_drops_deltas_and_asks_for_a_keyframe() {
        let mut sim = Sim::connected();
        let f = sim.frame(true, 5_000, 0);
        assert_eq!(sim.write(&f), FrameOutcome::Sent);
        sim.run_for(Duration::from_millis(50));
        let before = sim.count(|e| *e == PeerEvent::KeyframeRequested);
        // 400 KB deltas at 30 fps = 96 Mbit/s, far above the estimate (capped at the
        // 20 Mbit/s maximum): the queue outgrows what the estimate drains in 250 ms.
        let mut outcomes = Vec::new();
        for i in 0..30u8 {
            let f = sim.frame(false, 400_000, i);
            outcomes.push(sim.write(&f));
            sim.run_for(Duration::from_millis(33));
        }
        let first = outcomes.iter().position(|o| *o != FrameOutcome::Sent);
        assert_eq!(
            outcomes[first.unwrap()],
            FrameOutcome::Congested,
            "{outcomes:?}"
        );
        // After a congestion drop the viewer waits for a keyframe.
        assert!(outcomes.contains(&FrameOutcome::WaitingForKeyframe));
        assert!(sim.peer.stats().frames_dropped_congestion >= 1);
        assert!(sim.count(|e| *e == PeerEvent::KeyframeRequested) > before);
        // Frames that were sent arrive intact and in order, never a broken chain.
        sim.run_for(Duration::from_secs(2));
        assert!(sim.viewer.frames.iter().all(|(_, d, _)| d.len() >= 5_000));
    }

    #[test]
    fn the_backlog_rises_before_a_delta_is_dropped_and_falls_as_the_pacer_drains() {
        let mut sim = Sim::connected();
        assert!(sim.peer.backlog(sim.now) < Duration::from_millis(40));
        let f = sim.frame(true, 5_000, 0);
        assert_eq!(sim.write(&f), FrameOutcome::Sent);
        sim.run_for(Duration::from_millis(50));
        // Deltas far above the estimate: the backlog passes the encoder's hold threshold
        // (100 ms) while every frame is still sent, i.e. before the 250 ms drop.
        let mut crossed = false;
        for i in 0..30u8 {
            let f = sim.frame(false, 400_000, i);
            let backlog = sim.peer.backlog(sim.now);
            if backlog > Duration::from_millis(100) {
                crossed = true;
                break;
            }
            assert_eq!(sim.write(&f), FrameOutcome::Sent, "dropped at {backlog:?}");
            sim.run_for(Duration::from_millis(33));
        }
        assert!(crossed, "the backlog never passed 100 ms");
        // Nothing more written (the encoder waits): the pacer drains it.
        sim.run_for(Duration::from_secs(3));
        assert!(
            sim.peer.backlog(sim.now) < Duration::from_millis(40),
            "{:?}",
            sim.peer.backlog(sim.now)
        );
    }

    #[test]
    fn pli_raises_debounced_keyframe_request() {
        let mut sim = Sim::connected();
        let f = sim.frame(true, 5_000, 1);
        sim.write(&f);
        sim.run_for(Duration::from_millis(400));
        let before = sim.count(|e| *e == PeerEvent::KeyframeRequested);
        let mid = sim.viewer.mid;
        for _ in 0..5 {
            let w = sim.viewer.rtc.writer(mid).unwrap();
            assert!(w.is_request_keyframe_possible(KeyframeRequestKind::Pli));
            sim.viewer
                .rtc
                .writer(mid)
                .unwrap()
                .request_keyframe(None, KeyframeRequestKind::Pli)
                .unwrap();
            sim.run_for(Duration::from_millis(50));
        }
        sim.run_for(Duration::from_millis(400));
        let times: Vec<Instant> = sim
            .events
            .iter()
            .filter(|(_, e)| *e == PeerEvent::KeyframeRequested)
            .map(|(t, _)| *t)
            .skip(before)
            .collect();
        // 5 PLIs over 250 ms: one at once, one deferred past the 300 ms debounce.
        assert_eq!(times.len(), 2, "{times:?}");
        assert!(times[1] - times[0] >= Duration::from_millis(300));
    }

    #[test]
    fn silent_viewer_times_out_within_heartbeat() {
        let mut sim = Sim::connected();
        let f = sim.frame(true, 5_000, 1);
        sim.write(&f);
        sim.run_for(Duration::from_secs(1));
        assert!(!sim.peer.is_closed(), "pings keep a live viewer");
        sim.viewer_silent = true;
        // The last datagram may still be in flight.
        let took = sim.run_until(Duration::from_secs(3), |s| s.peer.is_closed());
        assert!(
            took <= Duration::from_millis(1500) + sim.latency * 2,
            "{took:?}"
        );
        assert!(took >= Duration::from_millis(1400), "{took:?}");
        assert!(
            sim.events
                .iter()
                .any(|(_, e)| matches!(e, PeerEvent::Closed { reason } if reason == "timeout"))
        );
        // A closed peer sends nothing more.
        let f = sim.frame(true, 5_000, 2);
        assert_eq!(sim.write(&f), FrameOutcome::NotReady);
    }

    #[test]
    fn live_viewer_gets_pings_and_rtt_is_measured() {
        let mut sim = Sim::connected();
        sim.run_for(Duration::from_secs(3));
        assert!(!sim.peer.is_closed());
        let pings = sim
            .viewer
            .control
            .iter()
            .filter(|m| matches!(m, ControlMessage::Ping { .. }))
            .count();
        assert!((5..=8).contains(&pings), "{pings} pings in 3 s");
        assert!(sim.viewer.control.iter().any(|m| matches!(
            m,
            ControlMessage::Hello {
                version: PROTOCOL_VERSION
            }
        )));
        assert!(
            sim.viewer
                .control
                .iter()
                .any(|m| matches!(m, ControlMessage::Stats { .. }))
        );
        let rtt = sim.peer.stats().rtt.expect("rtt from pong");
        assert!(
            rtt >= Duration::from_millis(10) && rtt <= Duration::from_millis(20),
            "{rtt:?}"
        );
    }

    #[test]
    fn viewer_that_never_connects_is_dropped_at_the_connect_timeout() {
        // It answers ICE checks but never gets DTLS through: datagrams keep coming, so the
        // heartbeat (made long here) would never fire.
        let config = PeerConfig {
            heartbeat_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(2),
            ..PeerConfig::default()
        };
        let mut sim = Sim::with(config, |a| a);
        sim.viewer_stun_only = true;
        let took = sim.run_until(Duration::from_secs(5), |s| s.peer.is_closed());
        assert!(sim.peer.stats().packets_received > 0, "STUN got through");
        assert!(!sim.events.iter().any(|(_, e)| *e == PeerEvent::Connected));
        assert!(
            (Duration::from_secs(2)..Duration::from_millis(2100)).contains(&took),
            "{took:?}"
        );
        assert!(
            sim.events.iter().any(
                |(_, e)| matches!(e, PeerEvent::Closed { reason } if reason == CONNECT_TIMEOUT)
            )
        );
        // A viewer that connects is not affected once the connect timeout has passed.
        let mut sim = Sim::with(
            PeerConfig {
                connect_timeout: Duration::from_secs(1),
                ..PeerConfig::default()
            },
            |a| a,
        );
        sim.run_until(Duration::from_secs(1), |s| s.peer.is_connected());
        sim.run_for(Duration::from_secs(2));
        assert!(sim.peer.is_connected());
    }

    #[test]
    fn viewer_bye_closes_at_once() {
        let mut sim = Sim::connected();
        sim.viewer.send(&ControlMessage::Bye {
            reason: "user".into(),
        });
        let took = sim.run_until(Duration::from_secs(1), |s| s.peer.is_closed());
        assert!(took <= Duration::from_millis(20), "{took:?}");
        assert!(
            sim.events
                .iter()
                .any(|(_, e)| matches!(e, PeerEvent::Closed { reason } if reason == "bye"))
        );
    }

    #[test]
    fn close_says_bye_and_viewer_sees_closed() {
        let mut sim = Sim::connected();
        sim.peer.close(sim.now, "closed");
        sim.collect();
        assert!(sim.peer.is_closed());
        let took = sim.run_until(Duration::from_secs(1), |s| {
            s.viewer.closed
                && s.viewer
                    .control
                    .iter()
                    .any(|m| matches!(m, ControlMessage::Bye { .. }))
        });
        assert!(took <= Duration::from_millis(20), "{took:?}");
    }

    #[test]
    fn viewer_keyframe_message_and_bad_control_messages() {
        let mut sim = Sim::connected();
        sim.run_for(Duration::from_millis(400));
        let before = sim.count(|e| *e == PeerEvent::KeyframeRequested);
        sim.viewer.send(&ControlMessage::Keyframe);
        let id = sim.viewer.channel.unwrap();
        let junk = vec![b'{'; 5000];
        assert!(
            sim.viewer
                .rtc
                .channel(id)
                .unwrap()
                .write(false, b"not json")
                .unwrap()
        );
        assert!(
            sim.viewer
                .rtc
                .channel(id)
                .unwrap()
                .write(true, &junk)
                .unwrap()
        );
        sim.run_for(Duration::from_millis(50));
        assert_eq!(
            sim.count(|e| *e == PeerEvent::KeyframeRequested),
            before + 1
        );
        assert!(sim.count(|e| *e == PeerEvent::Control(ControlMessage::Keyframe)) == 1);
        assert_eq!(sim.peer.stats().control_rejected, 2);
        assert!(!sim.peer.is_closed());
    }

    #[test]
    fn idle_screen_sends_only_keepalives_and_resumes_on_change() {
        let mut sim = Sim::connected();
        for i in 0..30u8 {
            let f = sim.frame(i == 0, if i == 0 { 40_000 } else { 2_000 }, i);
            assert_eq!(sim.write(&f), FrameOutcome::Sent);
            sim.run_for(Duration::from_millis(33));
        }
        // The screen stops changing. After IDLE_AFTER, no padding or probes: only STUN,
        // RTCP, SCTP and pings (str0m alone would pad to 50 kbit/s = 37.5 KB in 6 s).
        sim.run_for(Duration::from_secs(2));
        let before = sim.peer.stats().bytes_sent;
        sim.run_for(Duration::from_secs(6));
        let idle_bytes = sim.peer.stats().bytes_sent - before;
        assert!(
            idle_bytes < 6 * 1_000,
            "{idle_bytes} bytes sent in 6 s of an idle screen"
        );
        // The next change is delivered at once, as a delta (no keyframe needed).
        let got = sim.viewer.frames.len();
        let f = sim.frame(false, 2_000, 99);
        assert_eq!(sim.write(&f), FrameOutcome::Sent);
        let took = sim.run_until(Duration::from_millis(200), |s| s.viewer.frames.len() > got);
        assert!(took < Duration::from_millis(20), "took {took:?}");
        assert_eq!(sim.viewer.frames.last().unwrap().1, f.data.to_vec());
        // And streaming goes on normally.
        for i in 0..10u8 {
            let f = sim.frame(false, 2_000, i);
            assert_eq!(sim.write(&f), FrameOutcome::Sent);
            sim.run_for(Duration::from_millis(33));
        }
        sim.run_for(Duration::from_millis(100));
        assert_eq!(sim.viewer.frames.len(), got + 11);
    }

    #[test]
    fn lossy_link_still_delivers_with_nack() {
        let mut sim = Sim::connected();
        // Counted from here, so the pattern does not depend on how many datagrams the
        // handshake took (ICE checks shift it). The 17th is inside the keyframe, not its
        // first packet: str0m's receiver emits a keyframe whose leading SPS/PPS packet was
        // lost without waiting for the retransmission (a limit of the test viewer; a
        // browser's jitter buffer orders by sequence number).
        sim.sent = 0;
        sim.loss_every = 17;
        let mut sent = Vec::new();
        for i in 0..30u8 {
            let f = sim.frame(i == 0, if i == 0 { 40_000 } else { 4_000 }, i);
            assert_eq!(sim.write(&f), FrameOutcome::Sent);
            sent.push(f.data.to_vec());
            sim.run_for(Duration::from_millis(33));
        }
        // One more frame over the clean link: a lost packet at the very tail of the last
        // lossy frame is only noticed (and NACKed) once a later packet arrives. Which packet
        // the pattern hits depends on the data-channel traffic before it (the viewer's
        // channels); the tail case is real, and the next frame is how a live stream repairs it.
        sim.loss_every = 0;
        let f = sim.frame(false, 4_000, 30);
        assert_eq!(sim.write(&f), FrameOutcome::Sent);
        sent.push(f.data.to_vec());
        sim.run_for(Duration::from_millis(500));
        let got: Vec<Vec<u8>> = sim
            .viewer
            .frames
            .iter()
            .map(|(_, d, _)| d.clone())
            .collect();
        if got != sent {
            let lens = |v: &[Vec<u8>]| v.iter().map(Vec::len).collect::<Vec<_>>();
            let first = got.iter().zip(&sent).position(|(a, b)| a != b);
            panic!(
                "RTX did not repair every loss: got {:?}, sent {:?}, first difference at {first:?}",
                lens(&got),
                lens(&sent)
            );
        }
    }

    #[test]
    fn malformed_offers_are_bad_offer_errors() {
        let now = Instant::now();
        let (_, good, _) = Viewer::new(now, VIEWER);
        let audio_only = good
            .lines()
            .take_while(|l| !l.starts_with("m="))
            .chain([
                "m=audio 9 UDP/TLS/RTP/SAVPF 111",
                "a=mid:0",
                "a=recvonly",
                "a=rtpmap:111 opus/48000/2",
            ])
            .collect::<Vec<_>>()
            .join("\r\n");
        let vp9_only = good.replace("H264/90000", "VP9/90000");
        let truncated = &good[..good.len() / 2];
        for bad in [
            "",
            "hello",
            "v=0\r\n",
            "v=0\r\nm=video",
            truncated,
            &audio_only,
            &vp9_only,
            "\u{0}\u{ffff}",
        ] {
            let r = Peer::accept_offer(now, bad, &HOST, PeerConfig::default());
            assert!(matches!(r, Err(Error::BadOffer(_))), "accepted {bad:?}");
        }
        assert!(Peer::accept_offer(now, &good, &HOST, PeerConfig::default()).is_ok());
    }

    #[test]
    fn bad_offers_are_refused_in_plain_words() {
        let now = Instant::now();
        let (_, good, _) = Viewer::new(now, VIEWER);
        let without = |prefix: &str| {
            good.lines()
                .filter(|l| !l.starts_with(prefix))
                .map(|l| format!("{l}\r\n"))
                .collect::<String>()
        };
        let cases = [
            ("", OFFER_EMPTY),
            ("hello", OFFER_NO_VERSION),
            ("v=0\r\n", OFFER_NO_SESSION),
            ("v=0\r\nfoo bar\r\n", OFFER_BAD_LINE),
            ("v=0\r\nm=video", OFFER_NO_SESSION),
            (
                "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n\
                 m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 H264/90000\r\n",
                OFFER_NO_MID,
            ),
            (&good[..good.len() / 2], OFFER_NOT_SDP),
            (&good.replace("m=video ", "m=audio "), OFFER_NO_VIDEO),
            (&without("a=fingerprint:"), OFFER_NO_FINGERPRINT),
            (&without("a=ice-pwd:"), OFFER_NO_ICE),
            (&good.replace("H264/90000", "VP9/90000"), OFFER_NO_CODEC),
        ];
        for (offer, want) in cases {
            let Err(Error::BadOffer(reason)) =
                Peer::accept_offer(now, offer, &HOST, PeerConfig::default())
            else {
                panic!("accepted {offer:?}");
            };
            assert_eq!(reason, want, "for {offer:?}");
        }
        // Whatever the garbage, the reason is one of the fixed sentences: no parser
        // internals (heap addresses, Debug output), no echo of the input.
        for offer in ["\u{0}\u{ffff}", "v=0\r\no=\r\n", "v=0\r\nx=0x7fff\r\n"] {
            let Err(Error::BadOffer(reason)) =
                Peer::accept_offer(now, offer, &HOST, PeerConfig::default())
            else {
                panic!("accepted {offer:?}");
            };
            assert!(is_plain(&reason), "{reason:?}");
        }
    }

    #[test]
    fn offers_are_answered_in_the_codecs_both_sides_have() {
        let now = Instant::now();
        let offer = |codecs| Viewer::with_codecs(now, VIEWER, false, codecs).1;
        let only = |codecs| PeerConfig {
            codecs,
            ..PeerConfig::default()
        };
        let (h264, vp8) = (
            CodecSet::only(VideoCodec::H264),
            CodecSet::only(VideoCodec::Vp8),
        );
        for (viewer, sharer, want) in [
            (CodecSet::ALL, CodecSet::ALL, Ok(CodecSet::ALL)),
            (vp8, CodecSet::ALL, Ok(vp8)),
            (h264, CodecSet::ALL, Ok(h264)),
            (CodecSet::ALL, vp8, Ok(vp8)),
            (CodecSet::ALL, h264, Ok(h264)),
            (vp8, h264, Err(OFFER_NO_H264)),
            (h264, vp8, Err(OFFER_NO_VP8)),
        ] {
            let sdp = offer(viewer);
            match (Peer::accept_offer(now, &sdp, &HOST, only(sharer)), want) {
                (Ok((peer, answer)), Ok(want)) => {
                    assert_eq!(peer.codecs(), want, "{viewer} offered, {sharer} allowed");
                    assert_eq!(answer.contains("VP8/90000"), want.contains(VideoCodec::Vp8));
                    assert_eq!(
                        answer.contains("H264/90000"),
                        want.contains(VideoCodec::H264)
                    );
                }
                (Err(Error::BadOffer(reason)), Err(want)) => assert_eq!(reason, want),
                (got, want) => panic!(
                    "{viewer} offered, {sharer} allowed: got {:?}, want {want:?}",
                    got.map(|(p, _)| p.codecs())
                ),
            }
        }
        assert!(OFFER_NO_CODEC.contains("H.264") && OFFER_NO_CODEC.contains("VP8"));
    }

    fn connected_with(codecs: CodecSet) -> Sim {
        let mut sim = Sim::custom_codecs(PeerConfig::default(), false, codecs, |o| o, |a| a);
        sim.run_until(Duration::from_secs(3), |s| {
            s.peer.is_ready() && s.viewer.channel.is_some() && s.peer.control.is_some()
        });
        sim
    }

    #[test]
    fn a_vp8_only_viewer_gets_vp8_and_no_h264() {
        let mut sim = connected_with(CodecSet::only(VideoCodec::Vp8));
        let vp8_pt = sim
            .viewer
            .rtc
            .codec_config()
            .find(|p| p.spec().codec == Codec::Vp8)
            .map(|p| *p.pt());
        assert_eq!(sim.peer.payload_type(), vp8_pt);
        let h264 = sim.frame(true, 4000, 1);
        assert_eq!(sim.write(&h264), FrameOutcome::NotReady);
        let mut sent = Vec::new();
        for i in 0..6u8 {
            let f = sim.vp8_frame(i == 0, if i == 0 { 20_000 } else { 2_000 }, i);
            assert_eq!(sim.write(&f), FrameOutcome::Sent);
            sent.push(f.data.to_vec());
            sim.run_for(Duration::from_millis(33));
        }
        sim.run_for(Duration::from_millis(200));
        let got: Vec<Vec<u8>> = sim
            .viewer
            .frames
            .iter()
            .map(|(_, d, _)| d.clone())
            .collect();
        assert_eq!(got, sent, "every VP8 frame arrives whole");
        assert!(sim.viewer.frames[0].2, "the first is a keyframe");
        assert!(sim.viewer.frame_codecs.iter().all(|c| *c == Codec::Vp8));
    }

    #[test]
    fn a_codec_switch_waits_for_a_keyframe_in_the_new_codec() {
        let mut sim = connected_with(CodecSet::ALL);
        assert_eq!(sim.peer.codecs(), CodecSet::ALL);
        for i in 0..3u8 {
            let f = sim.frame(i == 0, if i == 0 { 20_000 } else { 2_000 }, i);
            assert_eq!(sim.write(&f), FrameOutcome::Sent);
            sim.run_for(Duration::from_millis(33));
        }
        // The encoder switched: a VP8 delta cannot be decoded by a viewer that had H.264.
        let delta = sim.vp8_frame(false, 2_000, 9);
        assert_eq!(sim.write(&delta), FrameOutcome::WaitingForKeyframe);
        for i in 0..3u8 {
            let f = sim.vp8_frame(i == 0, if i == 0 { 20_000 } else { 2_000 }, i);
            assert_eq!(sim.write(&f), FrameOutcome::Sent);
            sim.run_for(Duration::from_millis(33));
        }
        sim.run_for(Duration::from_millis(200));
        let seen: Vec<(Codec, bool)> = sim
            .viewer
            .frame_codecs
            .iter()
            .zip(&sim.viewer.frames)
            .map(|(c, (_, _, key))| (*c, *key))
            .collect();
        assert_eq!(
            seen,
            [
                (Codec::H264, true),
                (Codec::H264, false),
                (Codec::H264, false),
                (Codec::Vp8, true),
                (Codec::Vp8, false),
                (Codec::Vp8, false),
            ]
        );
    }

    /// A reason fit for a client: one line, no hex, no Debug formatting.
    pub(crate) fn is_plain(reason: &str) -> bool {
        !reason.contains("0x")
            && !reason.contains("PointerOffset")
            && !reason.contains(['\n', '{', '`'])
            && !reason.is_empty()
    }

    #[test]
    fn wallclock_mapping() {
        let i = Instant::now();
        let s = SystemTime::UNIX_EPOCH + Duration::from_secs(100);
        assert_eq!(
            wallclock((i, s), i + Duration::from_secs(1)),
            s + Duration::from_secs(1)
        );
        assert_eq!(
            wallclock((i + Duration::from_secs(1), s), i),
            s - Duration::from_secs(1)
        );
    }

    #[test]
    fn input_channels_deliver_raw_messages_and_report_close() {
        let (mut sim, input, pointer) = with_input_channels();
        // Undecoded: the input handler owns the format (this key is one byte short).
        let short_key = &key_a_down(1)[..20];
        write_on(&mut sim, input, true, short_key);
        write_on(&mut sim, pointer, true, &pointer_move(2));
        sim.run_for(Duration::from_millis(50));
        let got = inputs(&sim);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got.contains(&short_key.to_vec()) && got.contains(&pointer_move(2)));
        // Input never reaches the control decoder.
        assert_eq!(sim.peer.stats().control_rejected, 0);
        sim.viewer.rtc.direct_api().close_data_channel(input);
        // The SCTP stream reset rides on str0m's timers: a few hundred ms.
        let took = sim.run_until(Duration::from_secs(2), |s| {
            s.events.iter().any(|(_, e)| *e == PeerEvent::InputClosed)
        });
        eprintln!("input channel close noticed after {took:?}");
        assert_eq!(sim.count(|e| *e == PeerEvent::InputClosed), 1);
        assert!(!sim.peer.is_closed());
    }

    /// A well-formed input message (docs/protocol.md "Input channels"): header plus `body`.
    fn input_message(kind: u8, seq: u32, body: &[u8]) -> Vec<u8> {
        let mut m = vec![1, kind];
        m.extend_from_slice(&seq.to_le_bytes());
        m.extend_from_slice(&1_700_000_000_000_000u64.to_le_bytes());
        m.extend_from_slice(body);
        m
    }

    fn pointer_move(seq: u32) -> Vec<u8> {
        input_message(1, seq, &[0x00, 0x80, 0x00, 0x40])
    }

    fn key_a_down(seq: u32) -> Vec<u8> {
        input_message(4, seq, b"\x01\x00\x04KeyA")
    }

    /// Writes `data` on the viewer's channel `id` as a binary or text frame.
    fn write_on(sim: &mut Sim, id: ChannelId, binary: bool, data: &[u8]) {
        assert!(
            sim.viewer
                .rtc
                .channel(id)
                .unwrap()
                .write(binary, data)
                .unwrap()
        );
    }

    fn inputs(sim: &Sim) -> Vec<Vec<u8>> {
        sim.events
            .iter()
            .filter_map(|(_, e)| match e {
                PeerEvent::Input(d) => Some(d.clone()),
                _ => None,
            })
            .collect()
    }

    fn with_input_channels() -> (Sim, ChannelId, ChannelId) {
        let mut sim = Sim::connected();
        sim.run_until(Duration::from_secs(2), |s| {
            s.viewer.input.is_some() && s.viewer.pointer.is_some()
        });
        let (input, pointer) = (sim.viewer.input.unwrap(), sim.viewer.pointer.unwrap());
        (sim, input, pointer)
    }

    fn cursor_shape(serial: u32) -> CursorShape {
        CursorShape {
            serial,
            width: 2,
            height: 2,
            hot_x: 1,
            hot_y: 0,
            png: bytes::Bytes::from(vec![serial as u8; 40]),
        }
    }

    fn cursor_at(serial: u32, x: i32) -> CursorPosition {
        CursorPosition {
            serial,
            x,
            y: 5,
            time_us: 1,
        }
    }

    #[test]
    fn cursor_shapes_go_once_per_serial_and_positions_every_time() {
        let mut sim = Sim::connected();
        sim.run_until(Duration::from_secs(2), |s| s.viewer.cursor.is_some());
        let (a, b) = (cursor_shape(10), cursor_shape(11));
        let now = sim.now;
        for (shape, x) in [(&a, 1), (&a, 2), (&b, 3), (&a, 4)] {
            assert!(
                sim.peer
                    .write_cursor(now, shape, cursor_at(shape.serial, x))
            );
        }
        sim.run_for(Duration::from_millis(50));
        use CursorMessage::{Position as P, Shape as S};
        assert_eq!(
            sim.viewer.cursor_messages,
            vec![
                S(a.clone()),
                P(cursor_at(10, 1)),
                P(cursor_at(10, 2)),
                S(b),
                P(cursor_at(11, 3)),
                // `a` is still in the viewer's cache: no second copy.
                P(cursor_at(10, 4)),
            ]
        );
        assert_eq!(sim.peer.stats().cursor_sent, 6);
    }

    #[test]
    fn cursor_written_before_the_channel_opens_arrives_when_it_does() {
        let mut sim = Sim::new();
        sim.run_until(Duration::from_secs(3), |s| s.peer.is_connected());
        let now = sim.now;
        assert!(sim.peer.cursor.is_none(), "the channel opens after DTLS");
        assert!(
            !sim.peer
                .write_cursor(now, &cursor_shape(3), cursor_at(3, 9))
        );
        sim.run_until(Duration::from_secs(2), |s| {
            !s.viewer.cursor_messages.is_empty()
        });
        sim.run_for(Duration::from_millis(20));
        assert_eq!(
            sim.viewer.cursor_messages,
            vec![
                CursorMessage::Shape(cursor_shape(3)),
                CursorMessage::Position(cursor_at(3, 9))
            ]
        );
    }

    #[test]
    fn anything_a_viewer_sends_on_cursor_is_refused_and_counted() {
        let mut sim = Sim::connected();
        sim.run_until(Duration::from_secs(2), |s| s.viewer.cursor.is_some());
        let id = sim.viewer.cursor.unwrap();
        let keyframes = sim.peer.stats().keyframes_requested;
        let spoof = CursorMessage::Position(cursor_at(1, 1)).encode();
        write_on(&mut sim, id, true, &spoof);
        write_on(&mut sim, id, true, &pointer_move(1));
        write_on(&mut sim, id, false, b"{\"type\":\"keyframe\"}");
        sim.run_for(Duration::from_millis(50));
        assert_eq!(sim.peer.stats().cursor_rejected, 3);
        assert_eq!(inputs(&sim), Vec::<Vec<u8>>::new());
        assert_eq!(sim.count(|e| matches!(e, PeerEvent::Control(_))), 0);
        assert_eq!(sim.peer.stats().keyframes_requested, keyframes);
        assert!(!sim.peer.is_closed());
    }

    #[test]
    fn input_sent_as_text_frames_is_rejected_and_counted() {
        let (mut sim, input, pointer) = with_input_channels();
        // Valid messages, wrong frame type: never handed to the input handler.
        write_on(&mut sim, input, false, &key_a_down(1));
        write_on(&mut sim, pointer, false, &pointer_move(2));
        sim.run_for(Duration::from_millis(50));
        assert_eq!(inputs(&sim), Vec::<Vec<u8>>::new());
        assert_eq!(sim.peer.stats().input_rejected, 2);
        // The same bytes as binary frames go through; the session is unharmed.
        write_on(&mut sim, input, true, &key_a_down(3));
        sim.run_for(Duration::from_millis(50));
        assert_eq!(inputs(&sim), vec![key_a_down(3)]);
        assert_eq!(sim.peer.stats().input_rejected, 2);
        assert_eq!(sim.peer.stats().control_rejected, 0);
        assert!(!sim.peer.is_closed());
    }

    #[test]
    fn pointer_channel_carries_only_pointer_moves() {
        let (mut sim, input, pointer) = with_input_channels();
        let button_down = input_message(2, 1, &[0, 0, 0, 0, 0, 1, 0]);
        let button_up = input_message(2, 2, &[0, 0, 0, 0, 0, 0, 0]);
        let release_all = input_message(6, 4, &[]);
        for refused in [
            &button_down[..],
            &button_up,
            &key_a_down(3),
            &release_all,
            &[1],
        ] {
            write_on(&mut sim, pointer, true, refused);
        }
        write_on(&mut sim, pointer, true, &pointer_move(5));
        // The reliable channel still carries everything else (and moves: harmless there).
        write_on(&mut sim, input, true, &button_down);
        write_on(&mut sim, input, true, &pointer_move(6));
        sim.run_for(Duration::from_millis(50));
        let got = inputs(&sim);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got.contains(&pointer_move(5)));
        assert!(got.contains(&button_down) && got.contains(&pointer_move(6)));
        assert_eq!(sim.peer.stats().input_rejected, 5);
        assert!(!sim.peer.is_closed());
    }

    #[test]
    fn answer_announces_the_message_size_limit_and_viewers_keep_to_it() {
        let mut answer = String::new();
        let mut sim = Sim::with(PeerConfig::default(), |a| {
            answer = a.clone();
            a
        });
        assert!(
            answer.contains(&format!("a=max-message-size:{MAX_MESSAGE_SIZE}\r\n")),
            "{answer}"
        );
        sim.run_until(Duration::from_secs(3), |s| s.viewer.input.is_some());
        let input = sim.viewer.input.unwrap();
        let over = vec![0u8; MAX_MESSAGE_SIZE as usize + 1];
        assert!(
            sim.viewer
                .rtc
                .channel(input)
                .unwrap()
                .write(true, &over)
                .is_err()
        );
    }

    #[test]
    fn message_over_the_limit_ends_the_session_as_message_too_large() {
        // A viewer that reads a larger limit than we announced (or ignores it).
        let mut sim = Sim::with(PeerConfig::default(), |a| {
            a.replace(
                &format!("a=max-message-size:{MAX_MESSAGE_SIZE}\r\n"),
                "a=max-message-size:262144\r\n",
            )
        });
        sim.run_until(Duration::from_secs(3), |s| {
            s.peer.is_ready() && s.viewer.input.is_some() && s.viewer.channel.is_some()
        });
        let input = sim.viewer.input.unwrap();
        // At the limit: delivered (the input handler will reject it as malformed).
        let at_limit = vec![7u8; MAX_MESSAGE_SIZE as usize];
        write_on(&mut sim, input, true, &at_limit);
        sim.run_for(Duration::from_millis(100));
        assert_eq!(inputs(&sim), vec![at_limit]);
        assert!(!sim.peer.is_closed());
        // Over it: the session ends, under its true reason.
        write_on(&mut sim, input, true, &vec![7u8; 100_000]);
        sim.run_until(Duration::from_secs(1), |s| s.peer.is_closed());
        let reasons: Vec<&str> = sim
            .events
            .iter()
            .filter_map(|(_, e)| match e {
                PeerEvent::Closed { reason } => Some(reason.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(reasons, vec![MESSAGE_TOO_LARGE]);
        assert_eq!(sim.peer.stats().messages_too_large, 1);
        assert_eq!(inputs(&sim).len(), 1);
        // The viewer is told why.
        sim.run_for(Duration::from_millis(50));
        assert!(sim.viewer.control.contains(&ControlMessage::Bye {
            reason: MESSAGE_TOO_LARGE.into()
        }));
    }

    #[test]
    fn control_messages_queued_before_the_channel_opens_are_delivered() {
        let mut sim = Sim::new();
        let level = ControlMessage::Control {
            level: crate::control::Level::Full,
        };
        sim.peer.queue_control(sim.now, level.clone());
        assert!(sim.viewer.channel.is_none());
        sim.run_until(Duration::from_secs(3), |s| {
            s.viewer.control.contains(&level)
        });
        assert!(sim.viewer.control.contains(&level));
        // Once open, sent at once.
        let view = ControlMessage::Control {
            level: crate::control::Level::View,
        };
        sim.peer.queue_control(sim.now, view.clone());
        sim.run_for(Duration::from_millis(50));
        assert!(sim.viewer.control.contains(&view));
    }

    #[test]
    fn clock_offset_is_estimated_from_pongs() {
        let mut sim = Sim::connected();
        // The viewer's clock is 25 s ahead, plus 250 µs.
        sim.viewer.clock_skew_us = Some(25_000_250);
        sim.run_for(Duration::from_secs(3));
        let offset = sim
            .peer
            .clock_offset()
            .expect("an estimate after a few pongs");
        // Symmetric 5 ms link: the midpoint rule is exact up to the 1 ms sim tick.
        assert!((offset - 25_000_250).abs() <= 1_000, "offset {offset} µs");
        assert!(sim.count(|e| matches!(e, PeerEvent::ClockOffset(_))) >= 1);
    }

    /// The viewer's host candidate line from its offer (`a=candidate:...`).
    fn offer_candidate(offer: &str) -> String {
        offer
            .lines()
            .find(|l| l.starts_with("a=candidate:"))
            .expect("the viewer offers its candidate")
            .to_string()
    }

    fn without_candidates(offer: String) -> String {
        offer
            .split_inclusive('\n')
            .filter(|l| !l.starts_with("a=candidate:"))
            .collect()
    }

    /// `extra` inserted after the offer's own candidate line.
    fn with_candidates(offer: String, extra: &[String]) -> String {
        let own = offer_candidate(&offer);
        let mut lines = own.clone() + "\r\n";
        for e in extra {
            lines += &format!("a={e}\r\n");
        }
        offer.replacen(&format!("{own}\r\n"), &lines, 1)
    }

    #[test]
    fn full_ice_peer_checks_as_the_controlled_side() {
        let mut answer = String::new();
        let mut sim = Sim::with(PeerConfig::default(), |a| {
            answer = a.clone();
            a
        });
        assert!(!answer.contains("a=ice-lite"), "{answer}");
        sim.run_until(Duration::from_secs(3), |s| s.peer.is_ready());
        // The browser offered: it controls; we still send our own checks (full ICE).
        assert!(
            !sim.checks.is_empty(),
            "the peer sent no connectivity check"
        );
        assert!(sim.checks.iter().all(|&(controlling, _)| !controlling));
        assert!(sim.checks.iter().all(|&(_, nominate)| !nominate));
    }

    #[test]
    fn ice_lite_viewer_makes_the_peer_the_controlling_side() {
        let mut sim = Sim::custom(PeerConfig::default(), true, |o| o, |a| a);
        sim.run_until(Duration::from_secs(3), |s| {
            s.peer.is_ready() && s.viewer.channel.is_some()
        });
        assert!(sim.checks.iter().all(|&(controlling, _)| controlling));
        assert!(
            sim.checks.iter().any(|&(_, nominate)| nominate),
            "the controlling side nominates"
        );
        let f = sim.frame(true, 20_000, 1);
        assert_eq!(sim.write(&f), FrameOutcome::Sent);
        sim.run_for(Duration::from_millis(100));
        assert_eq!(sim.viewer.frames.len(), 1);
    }

    #[test]
    fn trickled_candidate_is_the_only_way_to_an_ice_lite_viewer() {
        let mut candidate = String::new();
        let mut sim = Sim::custom(
            PeerConfig::default(),
            true,
            |o| {
                candidate = offer_candidate(&o);
                without_candidates(o)
            },
            |a| a,
        );
        // Nobody checks: the lite viewer never does, and we know no address of it.
        sim.run_for(Duration::from_secs(2));
        assert!(!sim.peer.is_connected());
        assert!(sim.checks.is_empty());
        assert!(
            !sim.peer.is_closed(),
            "no ICE failure before the connect timeout"
        );
        let now = sim.now;
        // End of candidates, and an mDNS name: accepted, nothing to do.
        sim.peer.add_remote_candidate(now, "").unwrap();
        sim.peer
            .add_remote_candidate(
                now,
                "candidate:9 1 udp 2122260223 4f1c-77.local 6000 typ host",
            )
            .unwrap();
        // Refused, in plain words.
        for (bad, why) in [
            ("candidate:1 1 udp", CANDIDATE_MALFORMED),
            ("hello", CANDIDATE_MALFORMED),
            (
                "candidate:1 1 udp 1 0.0.0.0 6000 typ host",
                CANDIDATE_BAD_ADDRESS,
            ),
            (
                "candidate:1 1 udp 1 224.0.0.9 6000 typ host",
                CANDIDATE_BAD_ADDRESS,
            ),
            (
                "candidate:1 1 udp 1 10.0.0.2 6000 typ host ufrag someoneelse",
                CANDIDATE_OTHER_SESSION,
            ),
        ] {
            match sim.peer.add_remote_candidate(now, bad) {
                Err(Error::BadCandidate(reason)) => {
                    assert_eq!(reason, why, "{bad}");
                    assert!(is_plain(&reason));
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
        // New credentials: an ICE restart, refused whole.
        assert!(matches!(
            sim.peer
                .add_remote_candidates(now, Some("newufrag"), &[candidate.as_str()]),
            Err(Error::Unsupported(ICE_RESTART))
        ));
        // The real one, as a browser sends it (the `a=` prefix tolerated).
        sim.peer.add_remote_candidate(now, &candidate).unwrap();
        sim.collect();
        sim.run_until(Duration::from_secs(3), |s| s.peer.is_ready());
        let st = sim.peer.stats();
        assert_eq!(st.remote_candidates_added, 1);
        assert_eq!(st.mdns_candidates_skipped, 1);
        assert_eq!(st.candidates_rejected, 5);
        assert!(sim.checks.iter().all(|&(controlling, _)| controlling));
    }

    /// A trickled candidate whose address ends in multi-byte characters (a fuzz find, kept
    /// as `fuzz/seeds/ice-candidate-multibyte-address`): refused in words, no panic.
    #[test]
    fn candidate_address_ending_in_multibyte_characters_is_refused() {
        assert!(!is_mdns("candidate:1 1 udp 1 é✓éé✓ 5000 typ host"));
        assert!(is_mdns("candidate:1 1 udp 1 abcd.LOCAL 5000 typ host"));
        crate::fuzzing::ice_candidate("a=\u{14}\u{b}cp:9\u{11}\0N IP0a2 é✓é\u{1e}".as_bytes());
        crate::fuzzing::ice_candidate(
            &std::fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../fuzz/seeds/ice-candidate-multibyte-address"
            ))
            .unwrap(),
        );
    }

    #[test]
    fn mdns_candidates_in_the_offer_are_skipped_and_counted() {
        let mdns = [
            "candidate:1 1 udp 2122260223 0b4e3c2a-1f.local 54321 typ host generation 0"
                .to_string(),
            "candidate:2 1 udp 2122194687 9d8e-4c.LOCAL 54322 typ host".to_string(),
        ];
        let mut sim = Sim::custom(
            PeerConfig::default(),
            false,
            |o| with_candidates(o, &mdns),
            |a| a,
        );
        sim.run_until(Duration::from_secs(3), |s| s.peer.is_ready());
        assert_eq!(sim.peer.stats().mdns_candidates_skipped, 2);
        assert_eq!(sim.peer.stats().candidates_rejected, 0);
        assert!(sim.sent_elsewhere.is_empty(), "{:?}", sim.sent_elsewhere);
    }

    #[test]
    fn remote_candidates_are_capped() {
        let extra: Vec<String> = (0..40)
            .map(|i| {
                format!(
                    "candidate:{i} 1 udp 1000 10.9.{}.{} 7000 typ host",
                    i / 200,
                    i % 200 + 1
                )
            })
            .collect();
        let mut sim = Sim::custom(
            PeerConfig::default(),
            false,
            |o| with_candidates(o, &extra),
            |a| a,
        );
        // The viewer's own candidate and 31 more are used; 9 are dropped.
        assert_eq!(sim.peer.stats().candidates_rejected, 9);
        sim.run_until(Duration::from_secs(3), |s| s.peer.is_ready());
        let elsewhere: std::collections::HashSet<SocketAddr> =
            sim.sent_elsewhere.iter().copied().collect();
        assert!(
            elsewhere.len() < MAX_REMOTE_CANDIDATES,
            "{}",
            elsewhere.len()
        );
        let now = sim.now;
        assert_eq!(
            sim.peer
                .add_remote_candidate(now, "candidate:99 1 udp 1 10.9.9.9 7000 typ host")
                .map_err(|e| e.to_string()),
            Err(format!("bad candidate: {CANDIDATE_TOO_MANY}"))
        );
        assert_eq!(sim.peer.stats().candidates_rejected, 10);
    }

    #[test]
    fn unusable_offer_candidates_do_not_end_the_session_before_it_connects() {
        // Only a TCP candidate: no pair can be formed, so ICE reports "disconnected" at once.
        // The viewer's own checks still reach us (peer-reflexive), and the session connects.
        let tcp = ["candidate:3 1 tcp 1518280447 10.0.0.2 9 typ host tcptype active".to_string()];
        let mut sim = Sim::custom(
            PeerConfig::default(),
            false,
            |o| {
                let own = offer_candidate(&o);
                with_candidates(o, &tcp).replacen(&format!("{own}\r\n"), "", 1)
            },
            |a| a,
        );
        sim.run_until(Duration::from_secs(3), |s| s.peer.is_ready());
        assert_eq!(sim.count(|e| matches!(e, PeerEvent::Closed { .. })), 0);
    }

    #[test]
    fn local_candidates_added_later_come_back_as_candidate_lines() {
        let mut sim = Sim::connected();
        let now = sim.now;
        let srflx = LocalCandidate::server_reflexive(
            "203.0.113.9:40000".parse().unwrap(),
            SERVER,
            "198.51.100.1:3478".parse().unwrap(),
        );
        let line = sim.peer.add_local_candidate(now, &srflx).expect("taken");
        assert!(line.starts_with("candidate:"), "{line}");
        assert!(line.contains(" 203.0.113.9 40000 typ srflx"), "{line}");
        // A duplicate, and one equal to the host candidate (redundant), are not taken.
        assert_eq!(sim.peer.add_local_candidate(now, &srflx), None);
        let same = LocalCandidate::server_reflexive(SERVER, SERVER, srflx.addr);
        assert_eq!(sim.peer.add_local_candidate(now, &same), None);
        sim.collect();
        sim.run_for(Duration::from_millis(200));
        assert!(sim.peer.is_ready());
    }
}
