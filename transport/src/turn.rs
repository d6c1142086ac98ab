//! TURN relays (RFC 8656) for relayed candidates: a sans-IO wrapper around
//! `turn-client-proto`'s UDP and TCP clients, driven by the transport's own loop and clock.
//!
//! The client reaches its server over UDP, or over TCP or TLS for networks that let nothing
//! else out (a `turns:` relay on port 443 looks like HTTPS to a firewall). Either way the
//! allocation relays UDP: only the leg to the server changes, and str0m never knows it. Over
//! a stream the messages are framed and (for TLS) encrypted by [`crate::turn_stream`]; the
//! driver moves the bytes.
//!
//! One [`TurnRelay`] per configured [`TurnServer`]: it allocates with the long-term credential
//! (the TURN REST scheme's `expiry:user` and HMAC password are just that to the client),
//! refreshes the allocation before its lifetime ends (`turn-client-proto` schedules it),
//! creates a permission and then binds a channel for each peer str0m sends to, wraps what
//! str0m sends from the relayed candidate (a Send indication until the channel is bound, then
//! ChannelData) and unwraps what the server relays back. The driver owns the socket; this
//! module never reads the clock: every call takes `now`.
//!
//! Verbs: `handle_timeout` / `handle_receive` (a UDP datagram) / `handle_stream` (bytes read
//! from a TCP or TLS relay's stream) / `handle_connected` / `handle_closed` / `send_to` in,
//! `poll_transmit` / `poll_event` / `poll_peer_data` (after `handle_stream`) out,
//! `poll_timeout` says when to call `handle_timeout` again. Drain rule: after any `handle_*`
//! or `send_to`, drain `poll_transmit`, `poll_peer_data` and `poll_event` until `None`. Over
//! a stream, what `poll_transmit` and `send_to` return are bytes to write in order (never
//! drop part of it: TLS records would break), not datagrams.
//!
//! A relay that dies mid-session (the server killed, its host gone, the path to it cut) is
//! noticed in a bounded time: over TCP or TLS the connection closes; over UDP nothing says so
//! until the next refresh (minutes away), so the relay is probed: a STUN Binding request to
//! the server (every TURN server answers them) when str0m has sent through the relay for
//! [`SILENT_PROBE_AFTER`] without a byte from the server, and when the driver asks
//! ([`TurnRelay::probe`], a session through it went silent). Any answer clears it; none
//! within [`PROBE_TIMEOUT`] is [`TurnFailure::Lost`].
//!
//! Why the client's own failure signal is not enough: `turn-client-proto` 0.7.3 reports a
//! failed allocation without the server's error code, and a second `401` (a credential the
//! server refuses, such as an expired TURN REST user name) is only given up after the STUN
//! transaction times out (~40 s). So the responses from the server are also read here: the
//! error code of an Allocate answer decides at once, and the failure says why ("relay refused
//! the credential").

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::time::{Duration, Instant};

use turn_client_proto::api::{TurnConfig, TurnEvent, TurnPollRet, TurnRecvRet};
use turn_client_proto::client::TurnClient;
use turn_client_proto::prelude::*;
use turn_client_proto::stun::Instant as TurnInstant;
use turn_client_proto::stun::agent::Transmit;
use turn_client_proto::tcp::TurnClientTcp;
use turn_client_proto::types::{TransportType, TurnCredentials};
use turn_client_proto::udp::TurnClientUdp;

use crate::candidate::{CandidateSource, LocalCandidate};
use crate::error::Error;
use crate::turn_stream::{FrameDecoder, TlsLayer, TurnTls, pad_frame};

/// How the client reaches a TURN server (the allocation relays UDP whichever it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TurnTransport {
    /// UDP datagrams (`turn:…`, `turn:…?transport=udp`).
    #[default]
    Udp,
    /// A TCP connection (`turn:…?transport=tcp`), framed as RFC 8656 §12.5 says.
    Tcp,
    /// TLS over TCP (`turns:…`), the certificate checked against
    /// [`TurnServer::server_name`].
    Tls,
}

impl fmt::Display for TurnTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TurnTransport::Udp => "udp",
            TurnTransport::Tcp => "tcp",
            TurnTransport::Tls => "tls",
        })
    }
}

/// A TURN server and the credential for it, as the broker hands them out (an `RTCIceServer`).
#[derive(Clone, PartialEq, Eq)]
pub struct TurnServer {
    /// The server's address (UDP, or TCP for [`TurnTransport::Tcp`] and [`TurnTransport::Tls`]).
    pub addr: SocketAddr,
    /// How it is reached.
    pub transport: TurnTransport,
    /// The host as the URL names it: for TLS, the name (or IP address) its certificate must
    /// carry, also sent as SNI.
    pub server_name: String,
    /// The user name (TURN REST scheme: `expiry:session`).
    pub username: String,
    /// The password (TURN REST scheme: base64 HMAC-SHA1 of the user name).
    pub credential: String,
}

impl fmt::Debug for TurnServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TurnServer")
            .field("addr", &self.addr)
            .field("transport", &self.transport)
            .field("server_name", &self.server_name)
            .field("username", &self.username)
            .field("credential", &"<redacted>")
            .finish()
    }
}

impl TurnServer {
    /// A server reached over UDP at `addr`.
    pub fn udp(addr: SocketAddr, username: &str, credential: &str) -> TurnServer {
        TurnServer {
            addr,
            transport: TurnTransport::Udp,
            server_name: addr.ip().to_string(),
            username: username.to_string(),
            credential: credential.to_string(),
        }
    }

    /// Parses a TURN URL (RFC 7065): `turn:host[:port][?transport=udp]` (UDP),
    /// `turn:host[:port]?transport=tcp` (TCP), `turns:host[:port][?transport=tcp]` (TLS);
    /// the port is 3478 when absent, 5349 for `turns:` (443 is common, to pass firewalls). A
    /// host name is resolved. `turns:…?transport=udp` (DTLS) is [`Error::Unsupported`];
    /// `stun:` URLs are not TURN servers: [`Error::Unsupported`] too, so callers can skip them.
    pub fn from_url(url: &str, username: &str, credential: &str) -> Result<TurnServer, Error> {
        let bad = || Error::Config {
            field: "turn",
            value: url.to_string(),
            allowed: "turn:HOST[:PORT][?transport=udp|tcp] or turns:HOST[:PORT][?transport=tcp]",
        };
        let (secure, rest) = if let Some(rest) = url.strip_prefix("turn:") {
            (false, rest)
        } else if let Some(rest) = url.strip_prefix("turns:") {
            (true, rest)
        } else if url.starts_with("stun:") || url.starts_with("stuns:") {
            return Err(Error::Unsupported("a STUN server is not a relay"));
        } else {
            return Err(bad());
        };
        let (hostport, query) = match rest.split_once('?') {
            Some((h, q)) => (h, Some(q)),
            None => (rest, None),
        };
        let transport = match (secure, query) {
            (false, None | Some("transport=udp")) => TurnTransport::Udp,
            (false, Some("transport=tcp")) => TurnTransport::Tcp,
            (true, None | Some("transport=tcp")) => TurnTransport::Tls,
            (true, Some("transport=udp")) => {
                return Err(Error::Unsupported("TURN over DTLS (turns:…?transport=udp)"));
            }
            _ => return Err(bad()),
        };
        let default_port = if secure { 5349 } else { 3478 };
        // `[v6]:port`, `[v6]`, `host:port`, `host`.
        let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
            let (h, after) = v6.split_once(']').ok_or_else(bad)?;
            let port = match after.strip_prefix(':') {
                Some(p) => p.parse().map_err(|_| bad())?,
                None if after.is_empty() => default_port,
                None => return Err(bad()),
            };
            (h, port)
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h, p.parse().map_err(|_| bad())?),
                None => (hostport, default_port),
            }
        };
        if host.is_empty() || port == 0 {
            return Err(bad());
        }
        // A name a certificate can carry (checked now, not at the first handshake).
        if transport == TurnTransport::Tls && rustls::pki_types::ServerName::try_from(host).is_err()
        {
            return Err(bad());
        }
        let addr = match host.parse::<IpAddr>() {
            Ok(ip) => SocketAddr::new(ip, port),
            Err(_) => (host, port)
                .to_socket_addrs()
                .map_err(|_| bad())?
                .find(SocketAddr::is_ipv4)
                .ok_or_else(bad)?,
        };
        Ok(TurnServer {
            addr,
            transport,
            server_name: host.to_string(),
            username: username.to_string(),
            credential: credential.to_string(),
        })
    }
}

/// Why a relay cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TurnFailure {
    /// The server refused the credential (`401` after the challenge, `438` over and over, or
    /// `441`): a wrong or expired TURN REST user name or password.
    CredentialRefused {
        /// The server's error code.
        code: u16,
    },
    /// The server refused the allocation for another reason (quota `486`, capacity `508`…).
    Refused {
        /// The server's error code (0 when it gave none).
        code: u16,
    },
    /// No answer in time.
    Timeout,
    /// The allocation was lost after it had been made (refresh failed, server gone).
    Lost,
    /// The TCP connection to a TCP or TLS relay could not be made, or closed before the
    /// allocation was made.
    Connect {
        /// What the OS said.
        reason: String,
    },
    /// The TLS handshake with a `turns:` relay failed; an untrusted certificate ends here.
    Tls {
        /// rustls' words (`invalid peer certificate: UnknownIssuer`, ...).
        reason: String,
    },
    /// A TCP or TLS relay sent bytes that are not TURN (or a frame too long to be one).
    Malformed {
        /// What was wrong.
        reason: String,
    },
}

impl fmt::Display for TurnFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TurnFailure::CredentialRefused { code } => {
                write!(f, "relay refused the credential ({code})")
            }
            TurnFailure::Refused { code } => write!(f, "relay refused the allocation ({code})"),
            TurnFailure::Timeout => f.write_str("relay did not answer"),
            TurnFailure::Lost => f.write_str("relay allocation lost"),
            TurnFailure::Connect { reason } => write!(f, "cannot connect to the relay: {reason}"),
            TurnFailure::Tls { reason } => write!(f, "relay TLS handshake failed: {reason}"),
            TurnFailure::Malformed { reason } => write!(f, "relay sent {reason}"),
        }
    }
}

/// What a [`TurnRelay`] tells the driver.
#[derive(Debug, Clone, PartialEq)]
pub enum TurnRelayEvent {
    /// The allocation is made: offer this relayed candidate.
    Allocated(LocalCandidate),
    /// The relay cannot be used (see [`TurnFailure`]).
    Failed(TurnFailure),
}

/// Counters of one relay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TurnStats {
    /// Allocations made.
    pub allocations: u64,
    /// Refresh requests sent (retransmissions included).
    pub refresh_requests: u64,
    /// Refresh requests the server accepted.
    pub refreshes: u64,
    /// Permissions the server installed.
    pub permissions: u64,
    /// Channels the server bound.
    pub channels: u64,
    /// Payload bytes sent to peers through the relay (before TURN framing).
    pub bytes_relayed_out: u64,
    /// Payload bytes received from peers through the relay.
    pub bytes_relayed_in: u64,
    /// Datagrams str0m sent through the relay that could not go (no allocation, permission
    /// still being installed, too many peers).
    pub send_dropped: u64,
    /// Allocations refused or lost, and requests the server refused.
    pub failures: u64,
    /// Liveness probes started (STUN Binding requests to the server; see the module docs).
    pub probes: u64,
}

/// Most peers one relay creates permissions for: str0m sends to the viewer's candidates only.
const MAX_PEERS: usize = 64;
/// An allocation not made by then has failed ([`TurnFailure::Timeout`]): the STUN stack's own
/// timeout is ~40 s, too long for someone waiting for help.
const ALLOCATE_TIMEOUT: Duration = Duration::from_secs(8);
/// STUN message types (method | class bits, RFC 8489 §5) read from the server's answers.
const ALLOCATE_ERROR: u16 = 0x0113;
const REFRESH_REQUEST: u16 = 0x0004;
const REFRESH_SUCCESS: u16 = 0x0104;
const REFRESH_ERROR: u16 = 0x0114;
const BINDING_REQUEST: u16 = 0x0001;
const BINDING_SUCCESS: u16 = 0x0101;
const BINDING_ERROR: u16 = 0x0111;
/// Sending through the relay this long without a byte from its server starts a probe: a
/// relayed session hears its viewer (RTCP, consent checks, SCTP) many times a second.
pub const SILENT_PROBE_AFTER: Duration = Duration::from_secs(1);
/// A probe with no answer from the server by then (four requests: at 0, 0.25, 0.75 and
/// 1.75 s) means the relay is gone: [`TurnFailure::Lost`].
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);
/// The first retransmission of a probe; each next one waits twice as long.
const PROBE_RTO: Duration = Duration::from_millis(250);
/// STUN's magic cookie: tells a STUN message from ChannelData.
const MAGIC_COOKIE: [u8; 4] = [0x21, 0x12, 0xa4, 0x42];

#[derive(Debug)]
enum State {
    Allocating { since: Instant, challenges: u32 },
    Allocated { relayed: SocketAddr },
    Failed(TurnFailure),
}

/// A liveness probe in flight (see the module docs).
#[derive(Debug)]
struct Probe {
    /// The Binding request's transaction id.
    txid: [u8; 12],
    started: Instant,
    /// When the request is (re)sent next.
    next: Instant,
    /// The wait after that.
    rto: Duration,
    /// A request is due in [`TurnRelay::poll_transmit`].
    due: bool,
}

#[derive(Debug, Default)]
struct PeerState {
    channel_requested: bool,
}

/// The leg to a TCP or TLS relay: its framing, and its TLS session.
#[derive(Debug)]
struct Stream {
    decoder: FrameDecoder,
    tls: Option<TlsLayer>,
    /// The local address the TCP client was made with (its key for the connection); the
    /// connection's real one becomes [`TurnRelay::local`] once it is known.
    client_local: SocketAddr,
}

/// Most peer datagrams waiting in [`TurnRelay::poll_peer_data`]: one read's worth of the
/// smallest ChannelData messages.
const MAX_PEER_DATA: usize = 4096;

/// One allocation on one TURN server, over UDP from one local socket, or over a TCP or TLS
/// connection.
pub struct TurnRelay {
    client: TurnClient,
    /// Set for a TCP or TLS relay.
    stream: Option<Stream>,
    transport: TurnTransport,
    server: SocketAddr,
    local: SocketAddr,
    /// Peer data unwrapped from a stream, for [`TurnRelay::poll_peer_data`].
    peer_data: VecDeque<(SocketAddr, Vec<u8>)>,
    /// `turn-client-proto` counts time from an origin of its own; this `Instant` is it.
    origin: Instant,
    state: State,
    peers: HashMap<SocketAddr, PeerState>,
    events: VecDeque<TurnRelayEvent>,
    stats: TurnStats,
    /// When the server last sent anything.
    last_heard: Instant,
    /// The relayed address once allocated, kept after a failure.
    allocated: Option<SocketAddr>,
    probe: Option<Probe>,
}

impl fmt::Debug for TurnRelay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TurnRelay")
            .field("server", &self.server)
            .field("transport", &self.transport)
            .field("local", &self.local)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// What [`TurnRelay::handle_receive`] made of a datagram.
#[derive(Debug, PartialEq, Eq)]
pub enum TurnReceive {
    /// Not from this relay's server: someone else's.
    NotMine,
    /// A TURN control message, handled.
    Handled,
    /// Data relayed from `peer`, to hand to str0m as received on the relayed address.
    Peer {
        /// Who sent it to the relayed address.
        peer: SocketAddr,
        /// The payload.
        data: Vec<u8>,
    },
}

impl TurnRelay {
    /// Starts an allocation on `server` from the socket bound to `local` (for a TCP or TLS
    /// relay, any address of the server's family: [`TurnRelay::handle_connected`] gives the
    /// real one). A `turns:` server's certificate is checked against the Web PKI roots; see
    /// [`TurnRelay::with_tls`] for others.
    pub fn new(now: Instant, local: SocketAddr, server: &TurnServer) -> TurnRelay {
        TurnRelay::with_tls(now, local, server, None)
    }

    /// As [`TurnRelay::new`], with the roots a `turns:` server's certificate is checked
    /// against (`None`: the Web PKI roots).
    pub fn with_tls(
        now: Instant,
        local: SocketAddr,
        server: &TurnServer,
        tls: Option<&TurnTls>,
    ) -> TurnRelay {
        let config = TurnConfig::new(TurnCredentials::new(&server.username, &server.credential));
        let mut setup_error = None;
        let (client, stream) = match server.transport {
            TurnTransport::Udp => (
                TurnClient::Udp(TurnClientUdp::allocate(local, server.addr, config)),
                None,
            ),
            TurnTransport::Tcp | TurnTransport::Tls => {
                let tls = if server.transport == TurnTransport::Tls {
                    let made = match tls {
                        Some(t) => TlsLayer::new(t, &server.server_name),
                        None => TurnTls::new(&[])
                            .map_err(|e| e.to_string())
                            .and_then(|t| TlsLayer::new(&t, &server.server_name)),
                    };
                    made.map_err(|reason| setup_error = Some(reason)).ok()
                } else {
                    None
                };
                (
                    TurnClient::Tcp(TurnClientTcp::allocate(local, server.addr, config)),
                    Some(Stream {
                        decoder: FrameDecoder::new(),
                        tls,
                        client_local: local,
                    }),
                )
            }
        };
        let mut relay = TurnRelay {
            client,
            stream,
            transport: server.transport,
            server: server.addr,
            local,
            peer_data: VecDeque::new(),
            origin: now,
            state: State::Allocating {
                since: now,
                challenges: 0,
            },
            peers: HashMap::new(),
            events: VecDeque::new(),
            stats: TurnStats::default(),
            last_heard: now,
            allocated: None,
            probe: None,
        };
        if let Some(reason) = setup_error {
            relay.fail(TurnFailure::Tls { reason });
        }
        relay
    }

    /// How the server is reached.
    pub fn transport(&self) -> TurnTransport {
        self.transport
    }

    /// True for a TCP or TLS relay: the driver connects to [`TurnRelay::server`], writes what
    /// `poll_transmit` and `send_to` return to the stream and passes what it reads to
    /// [`TurnRelay::handle_stream`].
    pub fn is_stream(&self) -> bool {
        self.stream.is_some()
    }

    /// The TURN server.
    pub fn server(&self) -> SocketAddr {
        self.server
    }

    /// The local socket address the relay is reached from.
    pub fn local(&self) -> SocketAddr {
        self.local
    }

    /// The relayed address, once allocated.
    pub fn relayed(&self) -> Option<SocketAddr> {
        match self.state {
            State::Allocated { relayed } => Some(relayed),
            _ => None,
        }
    }

    /// The relayed address the allocation had, also after it was lost: what str0m may still
    /// send from (and must not go out any other way).
    pub fn allocated(&self) -> Option<SocketAddr> {
        self.allocated
    }

    /// Why the relay is unusable, if it is.
    pub fn failure(&self) -> Option<&TurnFailure> {
        match &self.state {
            State::Failed(f) => Some(f),
            _ => None,
        }
    }

    /// Still allocating.
    pub fn is_pending(&self) -> bool {
        matches!(self.state, State::Allocating { .. })
    }

    /// Counters.
    pub fn stats(&self) -> &TurnStats {
        &self.stats
    }

    fn turn_now(&self, now: Instant) -> TurnInstant {
        let nanos = now.saturating_duration_since(self.origin).as_nanos();
        TurnInstant::from_nanos(i64::try_from(nanos).unwrap_or(i64::MAX))
    }

    fn std_time(&self, t: TurnInstant) -> Instant {
        self.origin + t.saturating_duration_since(TurnInstant::ZERO)
    }

    /// When to call [`TurnRelay::handle_timeout`] next; `None` once failed.
    pub fn poll_timeout(&mut self, now: Instant) -> Option<Instant> {
        if matches!(self.state, State::Failed(_)) {
            return None;
        }
        let at = match self.client.poll(self.turn_now(now)) {
            TurnPollRet::WaitUntil(t) => self.std_time(t),
            _ => now,
        };
        let at = match &self.probe {
            Some(p) => at.min(p.next).min(p.started + PROBE_TIMEOUT),
            None => at,
        };
        Some(match self.state {
            State::Allocating { since, .. } => at.min(since + ALLOCATE_TIMEOUT),
            _ => at,
        })
    }

    /// Checks that the server is still there: a STUN Binding request now (unless a probe is
    /// already running), retransmitted; no answer within [`PROBE_TIMEOUT`] fails the relay
    /// with [`TurnFailure::Lost`]. Only an allocated relay is probed. Drain
    /// [`TurnRelay::poll_transmit`] after it.
    pub fn probe(&mut self, now: Instant) {
        if self.probe.is_some() || !matches!(self.state, State::Allocated { .. }) {
            return;
        }
        self.stats.probes += 1;
        let nanos = now.saturating_duration_since(self.origin).as_nanos() as u64;
        let mut txid = [0u8; 12];
        // Unique per probe of this relay; nothing secret rides on it.
        txid[..8].copy_from_slice(&nanos.to_be_bytes());
        txid[8..].copy_from_slice(&(self.stats.probes as u32).to_be_bytes());
        tracing::debug!(server = %self.server, "TURN: probing the relay");
        self.probe = Some(Probe {
            txid,
            started: now,
            next: now + PROBE_RTO,
            rto: PROBE_RTO * 2,
            due: true,
        });
    }

    /// Whether the server sent anything at or after `t` (an answer to a probe included).
    pub fn heard_since(&self, t: Instant) -> bool {
        self.last_heard >= t
    }

    /// A probe's Binding request, when one is due.
    fn take_probe(&mut self) -> Option<Vec<u8>> {
        let p = self.probe.as_mut().filter(|p| p.due)?;
        p.due = false;
        let mut msg = Vec::with_capacity(20);
        msg.extend_from_slice(&BINDING_REQUEST.to_be_bytes());
        msg.extend_from_slice(&0u16.to_be_bytes());
        msg.extend_from_slice(&MAGIC_COOKIE);
        msg.extend_from_slice(&p.txid);
        Some(msg)
    }

    /// Moves timers on: retransmissions, refreshes, the allocation timeout.
    pub fn handle_timeout(&mut self, now: Instant) {
        if matches!(self.state, State::Failed(_)) {
            return;
        }
        if let State::Allocating { since, .. } = self.state
            && now >= since + ALLOCATE_TIMEOUT
        {
            self.fail(TurnFailure::Timeout);
            return;
        }
        if self
            .probe
            .as_ref()
            .is_some_and(|p| now >= p.started + PROBE_TIMEOUT)
        {
            tracing::warn!(server = %self.server,
                "TURN: no answer from the relay for {PROBE_TIMEOUT:?}");
            self.fail(TurnFailure::Lost);
            return;
        }
        if let Some(p) = &mut self.probe
            && now >= p.next
        {
            p.due = true;
            p.next = now + p.rto;
            p.rto *= 2;
        }
        let t = self.turn_now(now);
        if let TurnPollRet::Closed = self.client.poll(t) {
            let failure = match self.state {
                State::Allocating { .. } => TurnFailure::Timeout,
                _ => TurnFailure::Lost,
            };
            self.take_client_events();
            self.fail(failure);
            return;
        }
        self.take_client_events();
    }

    /// A datagram that arrived on the relay's socket from `from` (a UDP relay).
    pub fn handle_receive(&mut self, now: Instant, from: SocketAddr, data: &[u8]) -> TurnReceive {
        if from != self.server || self.stream.is_some() || matches!(self.state, State::Failed(_)) {
            return TurnReceive::NotMine;
        }
        self.handle_message(now, data, TransportType::Udp, self.local)
    }

    /// The TCP connection to a TCP or TLS relay is up, from `local`.
    pub fn handle_connected(&mut self, local: SocketAddr) {
        if self.stream.is_some() {
            tracing::debug!(server = %self.server, %local, "TURN connection up");
            self.local = local;
        }
    }

    /// The TCP connection to a TCP or TLS relay could not be made, or closed.
    pub fn handle_closed(&mut self, reason: &str) {
        match self.state {
            State::Failed(_) => {}
            State::Allocating { .. } => self.fail(TurnFailure::Connect {
                reason: reason.to_string(),
            }),
            State::Allocated { .. } => {
                tracing::warn!(server = %self.server, "TURN connection closed: {reason}");
                self.fail(TurnFailure::Lost);
            }
        }
    }

    /// Bytes read from a TCP or TLS relay's stream; drain [`TurnRelay::poll_peer_data`] after.
    pub fn handle_stream(&mut self, now: Instant, data: &[u8]) {
        if matches!(self.state, State::Failed(_)) {
            return;
        }
        let Some(stream) = &mut self.stream else {
            return;
        };
        let mut plain = Vec::new();
        let bytes: &[u8] = match &mut stream.tls {
            Some(tls) => {
                if let Err(reason) = tls.handle_ciphertext(data, &mut plain) {
                    if self.relayed().is_some() {
                        // Past the handshake: the session ended (close_notify, a bad record).
                        tracing::warn!(server = %self.server, "TURN TLS session ended: {reason}");
                        self.fail(TurnFailure::Lost);
                    } else {
                        self.fail(TurnFailure::Tls { reason });
                    }
                    return;
                }
                &plain
            }
            None => data,
        };
        if let Err(e) = stream.decoder.push(bytes) {
            self.fail(TurnFailure::Malformed {
                reason: e.to_string(),
            });
            return;
        }
        let client_local = stream.client_local;
        loop {
            let Some(stream) = &mut self.stream else {
                return;
            };
            let frame = match stream.decoder.next_frame() {
                Ok(Some(frame)) => frame.to_vec(),
                Ok(None) => return,
                Err(e) => {
                    self.fail(TurnFailure::Malformed {
                        reason: e.to_string(),
                    });
                    return;
                }
            };
            if let TurnReceive::Peer { peer, data } =
                self.handle_message(now, &frame, TransportType::Tcp, client_local)
                && self.peer_data.len() < MAX_PEER_DATA
            {
                self.peer_data.push_back((peer, data));
            }
            if matches!(self.state, State::Failed(_)) {
                return;
            }
        }
    }

    /// The next datagram a peer sent through a TCP or TLS relay, as
    /// [`TurnReceive::Peer`] from a UDP one.
    pub fn poll_peer_data(&mut self) -> Option<(SocketAddr, Vec<u8>)> {
        self.peer_data.pop_front()
    }

    /// One message from the server: a datagram, or a frame from the stream.
    fn handle_message(
        &mut self,
        now: Instant,
        data: &[u8],
        transport: TransportType,
        to: SocketAddr,
    ) -> TurnReceive {
        // Anything from the server shows it is there.
        self.last_heard = now;
        let probe = self.probe.take();
        if let Some(p) = probe
            && data.len() >= 20
            && data[4..8] == MAGIC_COOKIE
            && matches!(
                u16::from_be_bytes([data[0], data[1]]),
                BINDING_SUCCESS | BINDING_ERROR
            )
            && data[8..20] == p.txid
        {
            // The probe's answer: not for the TURN client.
            return TurnReceive::Handled;
        }
        if let Some(failure) = self.inspect_response(data) {
            self.fail(failure);
            return TurnReceive::Handled;
        }
        let t = self.turn_now(now);
        let transmit = Transmit::new(data, transport, self.server, to);
        let out = match self.client.recv(transmit, t) {
            TurnRecvRet::PeerData(p) => {
                self.stats.bytes_relayed_in += p.data().len() as u64;
                TurnReceive::Peer {
                    peer: p.peer,
                    data: p.data().to_vec(),
                }
            }
            TurnRecvRet::Handled | TurnRecvRet::PeerIcmp { .. } => TurnReceive::Handled,
            // From the server's address but nothing the client expects (a late answer).
            TurnRecvRet::Ignored(_) => TurnReceive::Handled,
        };
        self.take_client_events();
        out
    }

    /// Reads the type and error code of a STUN answer from the server; a failure when the
    /// answer means the allocation cannot be made (see the module docs for why).
    fn inspect_response(&mut self, data: &[u8]) -> Option<TurnFailure> {
        if data.len() < 20 || data[4..8] != MAGIC_COOKIE {
            return None;
        }
        let kind = u16::from_be_bytes([data[0], data[1]]);
        match kind {
            REFRESH_SUCCESS => self.stats.refreshes += 1,
            REFRESH_ERROR => {
                self.stats.failures += 1;
                tracing::warn!(server = %self.server, code = ?error_code(data), "TURN refresh refused");
            }
            ALLOCATE_ERROR => {
                let code = error_code(data).unwrap_or(0);
                if let State::Allocating { challenges, .. } = &mut self.state {
                    match code {
                        // The first 401 is the challenge (realm and nonce); 438 asks again
                        // with a new nonce: the client retries both.
                        401 | 438 if *challenges < 3 && (code == 438 || *challenges == 0) => {
                            *challenges += 1;
                        }
                        401 | 438 | 441 => return Some(TurnFailure::CredentialRefused { code }),
                        // The client retries IPv6 on its own.
                        440 => {}
                        _ => return Some(TurnFailure::Refused { code }),
                    }
                }
            }
            _ => {}
        }
        None
    }

    fn fail(&mut self, failure: TurnFailure) {
        tracing::warn!(server = %self.server, "TURN: {failure}");
        self.stats.failures += 1;
        self.client.protocol_error();
        self.state = State::Failed(failure.clone());
        self.probe = None;
        self.peers.clear();
        self.peer_data.clear();
        self.events.push_back(TurnRelayEvent::Failed(failure));
    }

    fn take_client_events(&mut self) {
        while let Some(e) = self.client.poll_event() {
            match e {
                TurnEvent::AllocationCreated(TransportType::Udp, relayed) => {
                    if matches!(self.state, State::Allocating { .. }) {
                        tracing::info!(
                            server = %self.server,
                            transport = %self.transport,
                            %relayed,
                            "TURN allocation made"
                        );
                        self.stats.allocations += 1;
                        self.state = State::Allocated { relayed };
                        self.allocated = Some(relayed);
                        self.events
                            .push_back(TurnRelayEvent::Allocated(LocalCandidate {
                                source: CandidateSource::Relayed {
                                    server: self.server,
                                },
                                addr: relayed,
                                base: self.local,
                            }));
                    }
                }
                TurnEvent::AllocationCreated(..) => {}
                TurnEvent::AllocationCreateFailed(_) => {
                    if matches!(self.state, State::Allocating { .. }) {
                        self.fail(TurnFailure::Refused { code: 0 });
                    }
                }
                TurnEvent::PermissionCreated(..) => self.stats.permissions += 1,
                TurnEvent::ChannelCreated(..) => self.stats.channels += 1,
                TurnEvent::PermissionCreateFailed(_, ip) => {
                    self.stats.failures += 1;
                    tracing::warn!(server = %self.server, %ip, "TURN permission refused");
                }
                TurnEvent::ChannelCreateFailed(_, peer) => {
                    self.stats.failures += 1;
                    tracing::warn!(server = %self.server, %peer, "TURN channel refused");
                }
                TurnEvent::TcpConnected(_) | TurnEvent::TcpConnectFailed(_) => {}
            }
        }
    }

    /// Wraps a datagram str0m sends from the relayed candidate to `peer`; returns the datagram
    /// to send to [`TurnRelay::server`], or `None` when it cannot go yet (counted in
    /// [`TurnStats::send_dropped`]: ICE retransmits its checks, RTP copes with loss). The first
    /// datagram to a peer asks for its permission; the first one after that binds a channel.
    pub fn send_to(&mut self, now: Instant, peer: SocketAddr, data: &[u8]) -> Option<Vec<u8>> {
        if !matches!(self.state, State::Allocated { .. }) {
            self.stats.send_dropped += 1;
            return None;
        }
        if now.saturating_duration_since(self.last_heard) >= SILENT_PROBE_AFTER {
            self.probe(now);
        }
        let t = self.turn_now(now);
        if !self.peers.contains_key(&peer) && self.peers.len() >= MAX_PEERS {
            self.stats.send_dropped += 1;
            return None;
        }
        let state = self.peers.entry(peer).or_default();
        if !self.client.have_permission(TransportType::Udp, peer.ip()) {
            // Installing (or already asked): this one is lost.
            let _ = self
                .client
                .create_permission(TransportType::Udp, peer.ip(), t);
            self.stats.send_dropped += 1;
            self.take_client_events();
            return None;
        }
        if !state.channel_requested {
            state.channel_requested = true;
            if let Err(e) = self.client.bind_channel(TransportType::Udp, peer, t) {
                tracing::debug!(%peer, "TURN channel not bound: {e}");
            }
        }
        let out = match self.client.send_to(TransportType::Udp, peer, data, t) {
            Ok(Some(transmit)) => {
                self.stats.bytes_relayed_out += data.len() as u64;
                Some(transmit.build().data)
            }
            Ok(None) => None,
            Err(e) => {
                tracing::debug!(%peer, "TURN send: {e}");
                self.stats.send_dropped += 1;
                None
            }
        };
        self.take_client_events();
        match out {
            Some(frame) if self.stream.is_some() => self.frame_for_stream(std::iter::once(frame)),
            out => out,
        }
    }

    /// Frames to write to a stream: padded, and encrypted for TLS (with any handshake records
    /// due first). `None` if there is nothing to write or the TLS session broke.
    fn frame_for_stream(&mut self, frames: impl IntoIterator<Item = Vec<u8>>) -> Option<Vec<u8>> {
        let stream = self.stream.as_mut()?;
        let mut out = Vec::new();
        let mut broken = None;
        for mut frame in frames {
            pad_frame(&mut frame);
            match &mut stream.tls {
                Some(tls) => {
                    if let Err(reason) = tls.write(&frame) {
                        broken = Some(reason);
                        break;
                    }
                }
                None => out.extend_from_slice(&frame),
            }
        }
        if let Some(tls) = &mut stream.tls {
            tls.write_ciphertext(&mut out);
        }
        if let Some(reason) = broken {
            self.fail(TurnFailure::Tls { reason });
            return None;
        }
        (!out.is_empty()).then_some(out)
    }

    /// The next TURN control message to send to [`TurnRelay::server`]: a datagram for a UDP
    /// relay; for a TCP or TLS relay, all that is due as bytes for the stream.
    pub fn poll_transmit(&mut self, now: Instant) -> Option<Vec<u8>> {
        if matches!(self.state, State::Failed(_)) {
            return None;
        }
        let mut frames = Vec::new();
        if let Some(probe) = self.take_probe() {
            if self.stream.is_none() {
                return Some(probe);
            }
            frames.push(probe);
        }
        while let Some(t) = self.client.poll_transmit(self.turn_now(now)) {
            let data: &[u8] = t.data.as_ref();
            if data.len() >= 20 && u16::from_be_bytes([data[0], data[1]]) == REFRESH_REQUEST {
                self.stats.refresh_requests += 1;
            }
            frames.push(data.to_vec());
            if self.stream.is_none() {
                // One datagram at a time.
                return frames.pop();
            }
        }
        self.frame_for_stream(frames)
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<TurnRelayEvent> {
        self.events.pop_front()
    }

    /// Frees the allocation on the server (a Refresh with lifetime 0); drain
    /// [`TurnRelay::poll_transmit`] after it.
    pub fn close(&mut self, now: Instant) {
        if matches!(self.state, State::Allocated { .. }) {
            let t = self.turn_now(now);
            let _ = self.client.delete(t);
            // The deletion, then the end of the TLS session behind it.
            if let Some(Stream { tls: Some(tls), .. }) = &mut self.stream {
                while let Some(transmit) = self.client.poll_transmit(t) {
                    let _ = tls.write(transmit.data.as_ref());
                }
                tls.close();
            }
        }
    }
}

/// The ERROR-CODE attribute (RFC 8489 §14.8) of a STUN message, read without trusting lengths.
fn error_code(msg: &[u8]) -> Option<u16> {
    let len = usize::from(u16::from_be_bytes([*msg.get(2)?, *msg.get(3)?]));
    let body = msg.get(20..20 + len)?;
    let mut at = 0;
    while at + 4 <= body.len() {
        let kind = u16::from_be_bytes([body[at], body[at + 1]]);
        let alen = usize::from(u16::from_be_bytes([body[at + 2], body[at + 3]]));
        let value = body.get(at + 4..at + 4 + alen)?;
        if kind == 0x0009 && value.len() >= 4 {
            return Some(u16::from(value[2] & 0x07) * 100 + u16::from(value[3]));
        }
        at += 4 + alen.div_ceil(4) * 4;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_and_unsupported_ones_say_why() {
        let s = TurnServer::from_url("turn:127.0.0.1:3479?transport=udp", "u", "p").unwrap();
        assert_eq!(s.addr, "127.0.0.1:3479".parse().unwrap());
        assert_eq!(
            TurnServer::from_url("turn:192.0.2.1", "u", "p")
                .unwrap()
                .addr,
            "192.0.2.1:3478".parse().unwrap()
        );
        assert_eq!(
            TurnServer::from_url("turn:[2001:db8::1]:5000", "u", "p")
                .unwrap()
                .addr,
            "[2001:db8::1]:5000".parse().unwrap()
        );
        assert_eq!(s.transport, TurnTransport::Udp);
        let tcp = TurnServer::from_url("turn:192.0.2.1?transport=tcp", "u", "p").unwrap();
        assert_eq!(
            (tcp.addr, tcp.transport),
            ("192.0.2.1:3478".parse().unwrap(), TurnTransport::Tcp)
        );
        let tls = TurnServer::from_url("turns:192.0.2.1:443?transport=tcp", "u", "p").unwrap();
        assert_eq!(
            (tls.addr, tls.transport, tls.server_name.as_str()),
            (
                "192.0.2.1:443".parse().unwrap(),
                TurnTransport::Tls,
                "192.0.2.1"
            )
        );
        // 5349 when no port is given; the name kept for the certificate check.
        let named = TurnServer::from_url("turns:localhost", "u", "p").unwrap();
        assert_eq!(
            (named.addr.port(), named.server_name.as_str()),
            (5349, "localhost")
        );
        let v6 = TurnServer::from_url("turns:[2001:db8::1]", "u", "p").unwrap();
        assert_eq!(v6.addr, "[2001:db8::1]:5349".parse().unwrap());
        assert_eq!(v6.server_name, "2001:db8::1");
        assert!(matches!(
            TurnServer::from_url("turns:192.0.2.1?transport=udp", "u", "p"),
            Err(Error::Unsupported(_))
        ));
        assert!(matches!(
            TurnServer::from_url("stun:192.0.2.1", "u", "p"),
            Err(Error::Unsupported(_))
        ));
        for bad in [
            "http://x",
            "turn:",
            "turns:",
            "turn:1.2.3.4:x",
            "turn:1.2.3.4?foo=1",
            "turns:1.2.3.4?transport=sctp",
            "turn:1.2.3.4:0",
        ] {
            assert!(
                matches!(
                    TurnServer::from_url(bad, "u", "p"),
                    Err(Error::Config { field: "turn", .. })
                ),
                "{bad}"
            );
        }
        assert!(!format!("{s:?}").contains("\"p\""));
    }

    #[test]
    fn error_codes_are_read_without_trusting_lengths() {
        // Allocate error response, ERROR-CODE 401 "Unauthorized".
        let mut m = vec![0x01, 0x13, 0, 16, 0x21, 0x12, 0xa4, 0x42];
        m.extend_from_slice(&[0; 12]);
        m.extend_from_slice(&[0x00, 0x09, 0x00, 0x0c, 0, 0, 4, 1]);
        m.extend_from_slice(b"Unau");
        m.extend_from_slice(&[0; 4]);
        assert_eq!(error_code(&m), Some(401));
        for cut in 0..m.len() {
            let _ = error_code(&m[..cut]);
        }
        let mut lying = m.clone();
        lying[3] = 200;
        assert_eq!(error_code(&lying), None);
    }

    /// Drives `relay` on `socket` until `done` holds or `limit` passes; returns what peers
    /// sent through the relay.
    fn pump(
        relay: &mut TurnRelay,
        socket: &std::net::UdpSocket,
        limit: Duration,
        mut done: impl FnMut(&TurnRelay) -> bool,
    ) -> Vec<(SocketAddr, Vec<u8>)> {
        let end = Instant::now() + limit;
        let mut got = Vec::new();
        let mut buf = [0u8; 2048];
        while !done(relay) && Instant::now() < end {
            let now = Instant::now();
            if relay.poll_timeout(now).is_some_and(|t| t <= now) {
                relay.handle_timeout(now);
            }
            while let Some(d) = relay.poll_transmit(now) {
                socket.send_to(&d, relay.server()).unwrap();
            }
            if let Ok((n, from)) = socket.recv_from(&mut buf)
                && let TurnReceive::Peer { peer, data } =
                    relay.handle_receive(Instant::now(), from, &buf[..n])
            {
                got.push((peer, data));
            }
        }
        got
    }

    fn loopback_socket() -> std::net::UdpSocket {
        let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        s.set_read_timeout(Some(Duration::from_millis(5))).unwrap();
        s
    }

    #[test]
    fn allocates_relays_both_ways_and_refreshes_against_coturn() {
        // An 8 s lifetime: the client refreshes at half of it (4 s).
        let coturn = crate::testing::TurnRelayServer::start(&[
            "--lt-cred-mech",
            "--user=glass:secret",
            "--max-allocate-lifetime=8",
        ]);
        let socket = loopback_socket();
        let server = TurnServer::udp(coturn.addr(), "glass", "secret");
        let started = Instant::now();
        let mut relay = TurnRelay::new(started, socket.local_addr().unwrap(), &server);
        pump(&mut relay, &socket, Duration::from_secs(3), |r| {
            r.relayed().is_some() || r.failure().is_some()
        });
        let relayed = relay.relayed().unwrap_or_else(|| panic!("{relay:?}"));
        eprintln!("allocated {relayed} in {:?}", started.elapsed());
        assert_ne!(relayed, coturn.addr());
        match relay.poll_event() {
            Some(TurnRelayEvent::Allocated(c)) => {
                assert_eq!(
                    (c.addr, c.base, c.kind()),
                    (relayed, relay.local(), "relay")
                );
            }
            other => panic!("{other:?}"),
        }
        // Out: the first datagram asks for the permission; the peer gets the next ones.
        let peer = loopback_socket();
        let peer_addr = peer.local_addr().unwrap();
        let mut buf = [0u8; 2048];
        let mut received = Vec::new();
        for i in 0..100 {
            let msg = format!("out {i}");
            if let Some(d) = relay.send_to(Instant::now(), peer_addr, msg.as_bytes()) {
                socket.send_to(&d, relay.server()).unwrap();
            }
            pump(&mut relay, &socket, Duration::from_millis(20), |_| false);
            if let Ok((n, from)) = peer.recv_from(&mut buf) {
                assert_eq!(from, relayed, "the peer sees the relayed address");
                received.push(String::from_utf8_lossy(&buf[..n]).to_string());
                if received.len() >= 3 {
                    break;
                }
            }
        }
        assert!(received.len() >= 3, "{received:?} {:?}", relay.stats());
        assert!(received[0].starts_with("out "), "{received:?}");
        // In: what the peer sends to the relayed address comes out unwrapped, from the peer.
        peer.send_to(b"back", relayed).unwrap();
        let got = pump(&mut relay, &socket, Duration::from_secs(2), |_| false)
            .into_iter()
            .find(|(_, d)| d == b"back");
        assert_eq!(got, Some((peer_addr, b"back".to_vec())));
        // The refresh, before the 8 s lifetime ends.
        pump(&mut relay, &socket, Duration::from_secs(7), |r| {
            r.stats().refreshes >= 1
        });
        let s = relay.stats().clone();
        eprintln!("{s:?} after {:?}", started.elapsed());
        assert_eq!(s.allocations, 1);
        assert!(s.refresh_requests >= 1 && s.refreshes >= 1, "{s:?}");
        assert!(s.permissions >= 1, "{s:?}");
        assert!(
            s.bytes_relayed_out >= 15 && s.bytes_relayed_in == 4,
            "{s:?}"
        );
        assert_eq!(s.failures, 0, "{s:?}");
        assert!(relay.failure().is_none());
    }

    #[test]
    fn a_wrong_password_is_refused_at_once_with_the_reason() {
        let coturn =
            crate::testing::TurnRelayServer::start(&["--lt-cred-mech", "--user=glass:secret"]);
        let socket = loopback_socket();
        let server = TurnServer::udp(coturn.addr(), "glass", "wrong");
        let started = Instant::now();
        let mut relay = TurnRelay::new(started, socket.local_addr().unwrap(), &server);
        pump(&mut relay, &socket, Duration::from_secs(5), |r| {
            r.failure().is_some() || r.relayed().is_some()
        });
        let took = started.elapsed();
        assert_eq!(
            relay.failure(),
            Some(&TurnFailure::CredentialRefused { code: 401 }),
            "{relay:?}"
        );
        assert!(took < Duration::from_secs(1), "took {took:?}");
        assert_eq!(
            relay.failure().unwrap().to_string(),
            "relay refused the credential (401)"
        );
        assert_eq!(relay.stats().allocations, 0);
    }

    #[test]
    fn an_unanswered_allocation_fails_with_timeout_and_never_sends_data() {
        let t0 = Instant::now();
        let server = TurnServer::udp("192.0.2.1:3478".parse().unwrap(), "u", "p");
        let mut r = TurnRelay::new(t0, "192.0.2.2:5000".parse().unwrap(), &server);
        let mut now = t0;
        let mut sent = 0;
        while r.failure().is_none() && now < t0 + Duration::from_secs(60) {
            r.handle_timeout(now);
            while r.poll_transmit(now).is_some() {
                sent += 1;
            }
            now = r
                .poll_timeout(now)
                .unwrap_or(now)
                .max(now + Duration::from_millis(1));
        }
        assert!(sent >= 1);
        assert_eq!(r.failure(), Some(&TurnFailure::Timeout));
        assert!(
            now <= t0 + ALLOCATE_TIMEOUT + Duration::from_millis(10),
            "{now:?}"
        );
        assert_eq!(
            r.poll_event(),
            Some(TurnRelayEvent::Failed(TurnFailure::Timeout))
        );
        assert_eq!(r.send_to(now, "192.0.2.3:1".parse().unwrap(), b"x"), None);
        assert_eq!(r.stats().send_dropped, 1);
    }
}
