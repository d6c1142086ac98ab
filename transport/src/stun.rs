//! Server-reflexive candidates: a STUN Binding request (RFC 8489) from each bound socket to each
//! configured STUN server, whose XOR-MAPPED-ADDRESS is our address as seen from outside the
//! NAT. Sans-IO like [`crate::peer::Peer`]: time is an argument, the driver owns the sockets.
//!
//! Drive it like the peer: [`StunGatherer::handle_timeout`] at
//! [`StunGatherer::poll_timeout`], [`StunGatherer::handle_receive`] for every datagram from a
//! server (it says whether the datagram was one of our responses, so the driver hands the rest
//! to the sessions), then send every [`StunGatherer::poll_transmit`] and take every
//! [`StunGatherer::poll_event`].
//!
//! Requests are retransmitted as RFC 8489 §6.2.1 says (RTO 500 ms, doubling), five sends over
//! 15.5 s, then given up until the next round. Each binding is asked again every
//! [`REFRESH`]: the answer tracks a NAT that changes its mapping, and the traffic keeps the
//! mapping alive between sessions (NATs commonly forget an idle UDP mapping after 30 s or more).
//!
//! Messages are written and read with `stun-types`: str0m exposes its STUN codec
//! (`str0m::ice::StunMessage`), but its parser refuses a Binding success response without
//! MESSAGE-INTEGRITY, and a STUN server answering an unauthenticated request sends none.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use stun_types::attribute::XorMappedAddress;
use stun_types::message::{
    BINDING, Message, MessageClass, MessageType, MessageWriteVec, TransactionId,
};
use stun_types::prelude::*;

use crate::candidate::LocalCandidate;

/// How often each binding is asked again after an answer (or after a round that got none).
pub const REFRESH: Duration = Duration::from_secs(25);
/// First retransmission timeout; doubled after each send (RFC 8489 §6.2.1).
const RTO: Duration = Duration::from_millis(500);
/// Sends per round: at 0, 0.5, 1.5, 3.5 and 7.5 s; given up 8 s after the last.
const MAX_SENDS: u32 = 5;

/// A request to send from socket `socket` (an index into the driver's sockets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StunTransmit {
    /// The socket to send from.
    pub socket: usize,
    /// The STUN server.
    pub destination: SocketAddr,
    /// The datagram.
    pub contents: Vec<u8>,
}

/// What the gatherer found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StunEvent {
    /// A server reported a mapping, new or different from the one it reported before.
    Mapped {
        /// The server-reflexive candidate.
        candidate: LocalCandidate,
        /// The address the same binding mapped to before, if any (the NAT changed it).
        previous: Option<SocketAddr>,
    },
}

/// Counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StunStats {
    /// Binding requests sent, retransmissions included.
    pub requests_sent: u64,
    /// Binding success responses that carried a usable address.
    pub responses: u64,
    /// Rounds that failed: no answer after every retransmission, an error response, or a
    /// response that does not parse or carries no usable address.
    pub failures: u64,
}

#[derive(Debug, Clone, Copy)]
enum State {
    /// The next round starts at `at`.
    Idle { at: Instant },
    /// Waiting for the answer to `tid`; `sends` requests went out, the next one (or giving up)
    /// is due at `at`.
    Waiting {
        tid: TransactionId,
        sends: u32,
        at: Instant,
    },
}

/// One socket asking one server.
#[derive(Debug)]
struct Binding {
    socket: usize,
    base: SocketAddr,
    server: SocketAddr,
    mapped: Option<SocketAddr>,
    state: State,
}

/// The server-reflexive candidates of every socket, kept current. See the module docs.
#[derive(Debug)]
pub struct StunGatherer {
    bindings: Vec<Binding>,
    transmits: VecDeque<StunTransmit>,
    events: VecDeque<StunEvent>,
    stats: StunStats,
}

impl StunGatherer {
    /// Pairs each socket `(index, bound address)` with each server of the same address family.
    /// A loopback socket only asks a loopback server and the other way round (a loopback
    /// socket cannot reach anything else, and a server on this machine sees other sockets at
    /// their own address: nothing to learn). The first round starts at `now`.
    pub fn new(now: Instant, sockets: &[(usize, SocketAddr)], servers: &[SocketAddr]) -> Self {
        let mut bindings = Vec::new();
        for &(socket, base) in sockets {
            for &server in servers {
                let same_family = base.is_ipv4() == server.is_ipv4();
                let same_scope = base.ip().is_loopback() == server.ip().is_loopback();
                if same_family && same_scope {
                    bindings.push(Binding {
                        socket,
                        base,
                        server,
                        mapped: None,
                        state: State::Idle { at: now },
                    });
                }
            }
        }
        StunGatherer {
            bindings,
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            stats: StunStats::default(),
        }
    }

    /// True if there is nothing to ask (no server, or none reachable from our sockets).
    pub fn is_empty(&self) -> bool {
        self.bindings.is_empty()
    }

    /// Starts due rounds, retransmits, gives up on unanswered ones.
    pub fn handle_timeout(&mut self, now: Instant) {
        for b in &mut self.bindings {
            match b.state {
                State::Idle { at } if now >= at => {
                    let tid = TransactionId::generate();
                    self.transmits.push_back(request(b, tid));
                    self.stats.requests_sent += 1;
                    b.state = State::Waiting {
                        tid,
                        sends: 1,
                        at: now + RTO,
                    };
                }
                State::Waiting { tid, sends, at } if now >= at => {
                    if sends < MAX_SENDS {
                        self.transmits.push_back(request(b, tid));
                        self.stats.requests_sent += 1;
                        b.state = State::Waiting {
                            tid,
                            sends: sends + 1,
                            at: now + RTO * 2u32.pow(sends),
                        };
                    } else {
                        tracing::debug!(
                            "STUN {} from {}: no answer, asking again in {REFRESH:?}",
                            b.server,
                            b.base
                        );
                        self.stats.failures += 1;
                        b.state = State::Idle { at: now + REFRESH };
                    }
                }
                _ => {}
            }
        }
    }

    /// Takes a datagram that arrived on `socket` from `source`. True if it answered one of our
    /// pending requests (matched by server, socket and transaction id): the driver must not
    /// hand it to a session. Anything else is left alone and returns false. Never panics.
    pub fn handle_receive(
        &mut self,
        now: Instant,
        socket: usize,
        source: SocketAddr,
        data: &[u8],
    ) -> bool {
        // Cheap checks first: a STUN header (RFC 7983: first byte 0..=3, the magic cookie).
        let Some(header) = data.get(..20) else {
            return false;
        };
        if header[0] > 3 || header[4..8] != [0x21, 0x12, 0xa4, 0x42] {
            return false;
        }
        let Some(b) = self.bindings.iter_mut().find(|b| {
            b.socket == socket
                && b.server == source
                && matches!(b.state, State::Waiting { tid, .. } if tid_bytes(tid) == header[8..20])
        }) else {
            return false;
        };
        let State::Waiting { tid, .. } = b.state else {
            return false;
        };
        b.state = State::Idle { at: now + REFRESH };
        match mapped_address(data, tid) {
            Ok(addr) if usable(addr, b.base) => {
                self.stats.responses += 1;
                if b.mapped != Some(addr) {
                    let previous = b.mapped.replace(addr);
                    tracing::info!(
                        "STUN {}: {} is seen as {addr}{}",
                        b.server,
                        b.base,
                        previous.map_or(String::new(), |p| format!(" (was {p})"))
                    );
                    self.events.push_back(StunEvent::Mapped {
                        candidate: LocalCandidate::server_reflexive(addr, b.base, b.server),
                        previous,
                    });
                }
            }
            Ok(addr) => {
                self.stats.failures += 1;
                tracing::debug!("STUN {}: unusable mapped address {addr}", b.server);
            }
            Err(why) => {
                self.stats.failures += 1;
                tracing::debug!("STUN {}: {why}", b.server);
            }
        }
        true
    }

    /// When [`StunGatherer::handle_timeout`] must be called next (`None`: never).
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.bindings
            .iter()
            .map(|b| match b.state {
                State::Idle { at } | State::Waiting { at, .. } => at,
            })
            .min()
    }

    /// Next request to send.
    pub fn poll_transmit(&mut self) -> Option<StunTransmit> {
        self.transmits.pop_front()
    }

    /// Next event.
    pub fn poll_event(&mut self) -> Option<StunEvent> {
        self.events.pop_front()
    }

    /// The server-reflexive candidates known now, one per socket and distinct address.
    pub fn candidates(&self) -> Vec<LocalCandidate> {
        let mut out: Vec<LocalCandidate> = Vec::new();
        for b in &self.bindings {
            if let Some(addr) = b.mapped
                && !out.iter().any(|c| c.addr == addr && c.base == b.base)
            {
                out.push(LocalCandidate::server_reflexive(addr, b.base, b.server));
            }
        }
        out
    }

    /// Counters.
    pub fn stats(&self) -> StunStats {
        self.stats
    }
}

/// A Binding request with no attributes (RFC 8489 §6.1: none are needed without credentials).
fn request(b: &Binding, tid: TransactionId) -> StunTransmit {
    let mtype = MessageType::from_class_method(MessageClass::Request, BINDING);
    StunTransmit {
        socket: b.socket,
        destination: b.server,
        contents: Message::builder(mtype, tid, MessageWriteVec::new()).finish(),
    }
}

/// The 12 bytes of a transaction id as they appear on the wire.
fn tid_bytes(tid: TransactionId) -> [u8; 12] {
    let wide = u128::from(tid).to_be_bytes();
    let mut out = [0; 12];
    out.copy_from_slice(&wide[4..]);
    out
}

/// The XOR-MAPPED-ADDRESS of a Binding success response to `tid`.
fn mapped_address(data: &[u8], tid: TransactionId) -> Result<SocketAddr, String> {
    let msg = Message::from_bytes(data).map_err(|e| format!("bad response: {e}"))?;
    if !msg.has_method(BINDING) || msg.transaction_id() != tid {
        return Err("not a Binding response".into());
    }
    match msg.class() {
        MessageClass::Success => {}
        MessageClass::Error => return Err("error response".into()),
        _ => return Err("not a response".into()),
    }
    let xor = msg
        .attribute::<XorMappedAddress>()
        .map_err(|e| format!("no XOR-MAPPED-ADDRESS: {e}"))?;
    Ok(xor.addr(tid))
}

/// A mapping we can advertise: same family as the socket, a unicast address, a real port.
fn usable(addr: SocketAddr, base: SocketAddr) -> bool {
    let ip = addr.ip();
    addr.is_ipv4() == base.is_ipv4()
        && addr.port() != 0
        && !ip.is_unspecified()
        && !ip.is_multicast()
        && ip != std::net::IpAddr::V4(std::net::Ipv4Addr::BROADCAST)
}

/// Fuzzing entry: one datagram from a server with a pending request. Never panics, and
/// anything that is not a well-formed response to the pending transaction yields no candidate.
#[doc(hidden)]
pub fn fuzz_response(data: &[u8]) {
    let now = Instant::now();
    let server: SocketAddr = "192.0.2.1:3478".parse().expect("literal");
    let base: SocketAddr = "10.0.0.1:5000".parse().expect("literal");
    let mut g = StunGatherer::new(now, &[(0, base)], &[server]);
    g.handle_timeout(now);
    let _ = g.poll_transmit();
    g.handle_receive(now, 0, server, data);
    g.handle_timeout(now + Duration::from_secs(60));
    let _ = g.candidates();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use stun_types::attribute::{ErrorCode, Software};

    const BASE: &str = "192.168.1.10:5000";
    const SERVER: &str = "198.51.100.1:3478";

    fn addr(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    fn gatherer(now: Instant) -> StunGatherer {
        StunGatherer::new(now, &[(0, addr(BASE))], &[addr(SERVER)])
    }

    /// The one pending request's transaction id.
    fn sent(g: &mut StunGatherer) -> (StunTransmit, TransactionId) {
        let t = g.poll_transmit().expect("a request");
        let tid = Message::from_bytes(&t.contents).unwrap().transaction_id();
        (t, tid)
    }

    fn success(tid: TransactionId, mapped: SocketAddr) -> Vec<u8> {
        let mtype = MessageType::from_class_method(MessageClass::Success, BINDING);
        let mut m = Message::builder(mtype, tid, MessageWriteVec::new());
        m.add_attribute(&XorMappedAddress::new(mapped, tid))
            .unwrap();
        m.add_attribute(&Software::new("test").unwrap()).unwrap();
        m.add_fingerprint().unwrap();
        m.finish()
    }

    fn error(tid: TransactionId) -> Vec<u8> {
        let mtype = MessageType::from_class_method(MessageClass::Error, BINDING);
        let mut m = Message::builder(mtype, tid, MessageWriteVec::new());
        m.add_attribute(&ErrorCode::new(400, "Bad Request").unwrap())
            .unwrap();
        m.finish()
    }

    #[test]
    fn pairs_sockets_with_servers_of_their_family_and_scope() {
        let now = Instant::now();
        let sockets = [
            (0, addr("192.168.1.10:5000")),
            (1, addr("127.0.0.1:5000")),
            (2, addr("[2001:db8::10]:5000")),
        ];
        let servers = [
            addr("198.51.100.1:3478"),
            addr("[2001:db8::1]:3478"),
            addr("127.0.0.1:3478"),
        ];
        let mut g = StunGatherer::new(now, &sockets, &servers);
        g.handle_timeout(now);
        let mut pairs: Vec<(usize, SocketAddr)> =
            std::iter::from_fn(|| g.poll_transmit().map(|t| (t.socket, t.destination))).collect();
        pairs.sort();
        assert_eq!(
            pairs,
            vec![(0, servers[0]), (1, servers[2]), (2, servers[1])]
        );
        assert_eq!(g.stats().requests_sent, 3);
        assert!(StunGatherer::new(now, &sockets, &[]).is_empty());
        assert_eq!(StunGatherer::new(now, &sockets, &[]).poll_timeout(), None);
    }

    #[test]
    fn request_is_a_bare_binding_request() {
        let now = Instant::now();
        let mut g = gatherer(now);
        assert_eq!(g.poll_timeout(), Some(now));
        g.handle_timeout(now);
        let (t, tid) = sent(&mut g);
        assert_eq!(t.contents.len(), 20);
        assert_eq!(&t.contents[..4], &[0, 1, 0, 0]);
        assert_eq!(&t.contents[8..], &tid_bytes(tid));
        let parsed = Message::from_bytes(&t.contents).unwrap();
        assert!(parsed.has_class(MessageClass::Request) && parsed.has_method(BINDING));
    }

    #[test]
    fn answer_yields_a_server_reflexive_candidate_once() {
        let now = Instant::now();
        let mut g = gatherer(now);
        g.handle_timeout(now);
        let (_, tid) = sent(&mut g);
        let mapped = addr("203.0.113.5:61000");
        assert!(g.handle_receive(now, 0, addr(SERVER), &success(tid, mapped)));
        let want = LocalCandidate::server_reflexive(mapped, addr(BASE), addr(SERVER));
        assert_eq!(
            g.poll_event(),
            Some(StunEvent::Mapped {
                candidate: want,
                previous: None
            })
        );
        assert_eq!(g.candidates(), vec![want]);
        assert_eq!(g.stats().responses, 1);
        // A duplicate (a retransmission's answer) is no longer ours.
        assert!(!g.handle_receive(now, 0, addr(SERVER), &success(tid, mapped)));
        // The refresh: same mapping, no event; a new one, an event naming the old.
        let later = now + REFRESH;
        assert_eq!(g.poll_timeout(), Some(later));
        g.handle_timeout(later);
        let (_, tid) = sent(&mut g);
        assert!(g.handle_receive(later, 0, addr(SERVER), &success(tid, mapped)));
        assert_eq!(g.poll_event(), None);
        let later = later + REFRESH;
        g.handle_timeout(later);
        let (_, tid) = sent(&mut g);
        let moved = addr("203.0.113.5:62000");
        assert!(g.handle_receive(later, 0, addr(SERVER), &success(tid, moved)));
        assert_eq!(
            g.poll_event(),
            Some(StunEvent::Mapped {
                candidate: LocalCandidate::server_reflexive(moved, addr(BASE), addr(SERVER)),
                previous: Some(mapped)
            })
        );
        assert_eq!(g.candidates().len(), 1);
        assert_eq!(g.stats().responses, 3);
    }

    #[test]
    fn only_the_pending_transaction_from_its_server_and_socket_matches() {
        let now = Instant::now();
        let mut g = gatherer(now);
        g.handle_timeout(now);
        let (_, tid) = sent(&mut g);
        let mapped = addr("203.0.113.5:61000");
        let other = TransactionId::generate();
        assert!(!g.handle_receive(now, 0, addr(SERVER), &success(other, mapped)));
        assert!(!g.handle_receive(now, 1, addr(SERVER), &success(tid, mapped)));
        assert!(!g.handle_receive(now, 0, addr("198.51.100.2:3478"), &success(tid, mapped)));
        // RTP, DTLS, garbage: not STUN.
        for d in [&[0x80u8, 96, 0, 1][..], &[22, 254, 253], &[], &[0; 19]] {
            assert!(!g.handle_receive(now, 0, addr(SERVER), d));
        }
        assert_eq!(g.poll_event(), None);
        assert!(g.handle_receive(now, 0, addr(SERVER), &success(tid, mapped)));
    }

    #[test]
    fn retransmits_with_backoff_then_gives_up_until_the_refresh() {
        let start = Instant::now();
        let mut g = gatherer(start);
        g.handle_timeout(start);
        let (_, tid) = sent(&mut g);
        let mut sends = vec![Duration::ZERO];
        let mut now = start;
        while let Some(at) = g.poll_timeout() {
            if at >= start + Duration::from_secs(20) {
                break;
            }
            now = at;
            g.handle_timeout(now);
            if let Some(t) = g.poll_transmit() {
                // Retransmissions are the same transaction.
                assert_eq!(
                    Message::from_bytes(&t.contents).unwrap().transaction_id(),
                    tid
                );
                sends.push(now - start);
            }
        }
        let ms = |v: u64| Duration::from_millis(v);
        assert_eq!(sends, vec![ms(0), ms(500), ms(1500), ms(3500), ms(7500)]);
        assert_eq!(now - start, ms(15_500), "given up 8 s after the last send");
        assert_eq!(g.stats().failures, 1);
        assert_eq!(g.stats().requests_sent, 5);
        assert_eq!(g.poll_timeout(), Some(now + REFRESH));
        // A late answer to the abandoned transaction is not ours any more.
        assert!(!g.handle_receive(now, 0, addr(SERVER), &success(tid, addr("203.0.113.5:1"))));
    }

    #[test]
    fn error_and_unusable_answers_count_as_failures() {
        let now = Instant::now();
        let mut g = gatherer(now);
        g.handle_timeout(now);
        let (_, tid) = sent(&mut g);
        assert!(g.handle_receive(now, 0, addr(SERVER), &error(tid)));
        let mut later = now;
        for bad in [
            "0.0.0.0:5",
            "224.0.0.1:5",
            "203.0.113.5:0",
            "[2001:db8::1]:5",
        ] {
            later += REFRESH;
            g.handle_timeout(later);
            let (_, tid) = sent(&mut g);
            assert!(g.handle_receive(later, 0, addr(SERVER), &success(tid, addr(bad))));
        }
        later += REFRESH;
        g.handle_timeout(later);
        let (_, tid) = sent(&mut g);
        let mut truncated = success(tid, addr("203.0.113.5:61000"));
        truncated.truncate(28);
        assert!(g.handle_receive(later, 0, addr(SERVER), &truncated));
        assert_eq!(g.stats().failures, 6);
        assert_eq!(g.stats().responses, 0);
        assert_eq!(g.poll_event(), None);
        assert!(g.candidates().is_empty());
    }

    proptest! {
        #[test]
        fn garbage_never_panics_nor_yields_a_candidate(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            fuzz_response(&data);
            let now = Instant::now();
            let mut g = gatherer(now);
            g.handle_timeout(now);
            let _ = g.poll_transmit();
            g.handle_receive(now, 0, addr(SERVER), &data);
            prop_assert!(g.candidates().is_empty());
        }

        #[test]
        fn mangled_answers_never_panic(cut in 0usize..80, flip in 0usize..80, bit in 0u8..8, len in any::<u16>()) {
            let now = Instant::now();
            let mut g = gatherer(now);
            g.handle_timeout(now);
            let (_, tid) = sent(&mut g);
            let mut d = success(tid, addr("203.0.113.5:61000"));
            if flip < d.len() && flip >= 20 {
                d[flip] ^= 1 << bit;
            }
            if cut % 3 == 0 {
                d[2..4].copy_from_slice(&len.to_be_bytes());
            }
            d.truncate(cut.max(20));
            g.handle_receive(now, 0, addr(SERVER), &d);
            for c in g.candidates() {
                prop_assert!(usable(c.addr, c.base));
            }
        }
    }
}
