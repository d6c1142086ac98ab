//! TURN over a byte stream (TCP, or TLS over TCP): the framing of RFC 8656 §12.5 and the TLS
//! layer, both sans-IO. [`crate::turn::TurnRelay`] uses them for `turn:…?transport=tcp` and
//! `turns:` servers; the driver only moves bytes.
//!
//! Over a stream, what a UDP datagram delimits must be found in the bytes: a STUN message
//! (first two bits `00`) is its 20-byte header plus the header's length; a ChannelData
//! message (first byte `0x40`–`0x4F`) is its 4-byte header plus its length, padded to a
//! multiple of four. Anything else is not TURN, and a frame longer than any datagram the
//! relay carries ([`MAX_FRAME`]) is refused rather than buffered: the decoder never holds
//! more than one partial frame.
//!
//! Why our own decoder rather than `turn-types`' `TurnTcpBuffer`: that one (0.7.3) neither
//! skips the padding after a ChannelData message (coturn pads, as the RFC says) nor bounds
//! what it buffers when the bytes are not TURN.

use std::fmt;
use std::io::{Read, Write};
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore};

use crate::error::Error;

/// Longest frame accepted from the relay: a STUN message or a ChannelData message carrying a
/// datagram. The driver reads peer datagrams into 2 KiB buffers, str0m sends at most ~1.2 KB;
/// 4 KiB leaves room for a STUN answer with every attribute.
pub const MAX_FRAME: usize = 4096;
/// Most bytes one [`FrameDecoder::push`] may bring in on top of a partial frame: a read.
const MAX_PUSH: usize = 64 * 1024;
/// STUN's magic cookie (RFC 8489 §5).
const MAGIC_COOKIE: [u8; 4] = [0x21, 0x12, 0xa4, 0x42];

/// Why the bytes from a relay are not a TURN stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FramingError {
    /// A frame longer than [`MAX_FRAME`].
    Oversize {
        /// Its length, header included.
        len: usize,
    },
    /// A first byte that starts neither a STUN nor a ChannelData message, or a STUN header
    /// without the magic cookie or with a length that is not a multiple of four.
    NotTurn {
        /// The first byte of the frame.
        first: u8,
    },
    /// More bytes in one push than a read brings.
    TooMuch {
        /// How many.
        len: usize,
    },
}

impl fmt::Display for FramingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FramingError::Oversize { len } => {
                write!(f, "a frame of {len} bytes (at most {MAX_FRAME})")
            }
            FramingError::NotTurn { first } => {
                write!(f, "bytes that are not TURN (first byte 0x{first:02x})")
            }
            FramingError::TooMuch { len } => write!(f, "{len} bytes at once"),
        }
    }
}

/// Splits a TURN byte stream into frames: feed it with [`FrameDecoder::push`], then take
/// frames with [`FrameDecoder::next_frame`] until `Ok(None)`. After an error the stream is
/// unusable (the decoder cannot know where the next frame starts).
#[derive(Debug, Default)]
pub struct FrameDecoder {
    buf: Vec<u8>,
    /// Where the next frame starts in `buf`.
    at: usize,
}

impl FrameDecoder {
    /// An empty decoder.
    pub fn new() -> FrameDecoder {
        FrameDecoder::default()
    }

    /// Bytes read from the stream.
    pub fn push(&mut self, data: &[u8]) -> Result<(), FramingError> {
        if data.len() > MAX_PUSH {
            return Err(FramingError::TooMuch { len: data.len() });
        }
        // Drop what was taken before growing: at most one partial frame stays.
        if self.at > 0 {
            self.buf.drain(..self.at);
            self.at = 0;
        }
        self.buf.extend_from_slice(data);
        Ok(())
    }

    /// Bytes held that are not a whole frame yet.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.at
    }

    /// The next whole frame (a STUN message, or a ChannelData message without its padding),
    /// `Ok(None)` when more bytes are needed.
    pub fn next_frame(&mut self) -> Result<Option<&[u8]>, FramingError> {
        let rest = &self.buf[self.at..];
        let Some(&first) = rest.first() else {
            return Ok(None);
        };
        let (len, wire) = match first {
            0x00..=0x3f => {
                if rest.len() < 20 {
                    return Ok(None);
                }
                let body = usize::from(u16::from_be_bytes([rest[2], rest[3]]));
                if rest[4..8] != MAGIC_COOKIE || body % 4 != 0 {
                    return Err(FramingError::NotTurn { first });
                }
                (20 + body, 20 + body)
            }
            0x40..=0x4f => {
                if rest.len() < 4 {
                    return Ok(None);
                }
                let len = 4 + usize::from(u16::from_be_bytes([rest[2], rest[3]]));
                (len, len.div_ceil(4) * 4)
            }
            _ => return Err(FramingError::NotTurn { first }),
        };
        if len > MAX_FRAME {
            return Err(FramingError::Oversize { len });
        }
        if rest.len() < wire {
            return Ok(None);
        }
        let start = self.at;
        self.at += wire;
        Ok(self.buf.get(start..start + len))
    }
}

/// Pads a frame to send over a stream: a ChannelData message to a multiple of four bytes
/// (RFC 8656 §12.5); STUN messages already are.
pub fn pad_frame(frame: &mut Vec<u8>) {
    if frame.first().is_some_and(|b| (0x40..=0x4f).contains(b)) {
        let padded = frame.len().div_ceil(4) * 4;
        frame.resize(padded, 0);
    }
}

/// Which certificates a `turns:` relay may present: the Web PKI roots (Mozilla's, built in),
/// plus any roots added for a private CA. Verification is never turned off.
#[derive(Clone)]
pub struct TurnTls {
    config: Arc<ClientConfig>,
}

impl fmt::Debug for TurnTls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TurnTls").finish_non_exhaustive()
    }
}

impl TurnTls {
    /// The Web PKI roots plus `extra_roots` (DER certificates, for a relay whose certificate a
    /// private CA signed).
    pub fn new(extra_roots: &[Vec<u8>]) -> Result<TurnTls, Error> {
        let mut roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        for der in extra_roots {
            roots
                .add(CertificateDer::from(der.clone()))
                .map_err(|e| Error::Config {
                    field: "turn_tls_roots",
                    value: format!("a certificate of {} bytes: {e}", der.len()),
                    allowed: "DER-encoded CA certificates",
                })?;
        }
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Io(std::io::Error::other(format!("TLS setup: {e}"))))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(TurnTls {
            config: Arc::new(config),
        })
    }
}

impl TurnTls {
    /// The certificates of a PEM file (`-----BEGIN CERTIFICATE-----` blocks), as DER for
    /// [`TurnTls::new`] and [`crate::TransportConfig::turn_tls_roots`]; a file without one, or
    /// with one that is not a CA certificate rustls can use, is an error.
    pub fn roots_from_pem(pem: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
        use rustls::pki_types::pem::PemObject;
        let bad = |value: String| Error::Config {
            field: "turn_tls_roots",
            value,
            allowed: "PEM CERTIFICATE blocks of CA certificates",
        };
        let roots = CertificateDer::pem_slice_iter(pem)
            .map(|c| c.map(|c| c.to_vec()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad(format!("not PEM: {e}")))?;
        if roots.is_empty() {
            return Err(bad("no certificate".into()));
        }
        TurnTls::new(&roots)?;
        Ok(roots)
    }
}

/// One TLS client connection, sans-IO: ciphertext in and out, plaintext in and out.
pub(crate) struct TlsLayer {
    conn: Box<ClientConnection>,
}

impl fmt::Debug for TlsLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsLayer")
            .field("handshaking", &self.conn.is_handshaking())
            .finish()
    }
}

impl TlsLayer {
    /// Starts a handshake with `name` (a DNS name or an IP address, checked against the
    /// certificate).
    pub(crate) fn new(tls: &TurnTls, name: &str) -> Result<TlsLayer, String> {
        let name = ServerName::try_from(name.to_owned())
            .map_err(|_| format!("{name:?} is not a DNS name or an IP address"))?;
        let conn = ClientConnection::new(tls.config.clone(), name).map_err(|e| e.to_string())?;
        Ok(TlsLayer {
            conn: Box::new(conn),
        })
    }

    /// Ciphertext from the server; the plaintext it carried is appended to `plain`.
    pub(crate) fn handle_ciphertext(
        &mut self,
        mut data: &[u8],
        plain: &mut Vec<u8>,
    ) -> Result<(), String> {
        while !data.is_empty() {
            let taken = self.conn.read_tls(&mut data).map_err(|e| e.to_string())?;
            self.conn.process_new_packets().map_err(|e| e.to_string())?;
            let mut buf = [0u8; 4096];
            loop {
                match self.conn.reader().read(&mut buf) {
                    Ok(0) => return Err("the relay closed the TLS session".into()),
                    Ok(n) => plain.extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                    Err(e) => return Err(e.to_string()),
                }
            }
            if taken == 0 {
                // rustls took nothing although its buffer was just drained: never spin.
                return Err("the TLS layer stopped taking bytes".into());
            }
        }
        Ok(())
    }

    /// Plaintext to send; [`TlsLayer::write_ciphertext`] gives what to write.
    pub(crate) fn write(&mut self, plain: &[u8]) -> Result<(), String> {
        self.conn
            .writer()
            .write_all(plain)
            .map_err(|e| e.to_string())
    }

    /// Ends the session (a close_notify alert, for [`TlsLayer::write_ciphertext`]).
    pub(crate) fn close(&mut self) {
        self.conn.send_close_notify();
    }

    /// Appends to `out` the ciphertext to write to the stream (handshake records, or the
    /// plaintext written), with no buffer of its own.
    pub(crate) fn write_ciphertext(&mut self, out: &mut Vec<u8>) {
        while self.conn.wants_write() {
            if self.conn.write_tls(out).is_err() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::turn::{TurnFailure, TurnRelay, TurnRelayEvent, TurnServer};
    use std::time::Instant;

    fn stun(body: usize, tag: u8) -> Vec<u8> {
        let mut m = vec![0x01, 0x01];
        m.extend_from_slice(&(body as u16).to_be_bytes());
        m.extend_from_slice(&MAGIC_COOKIE);
        m.extend_from_slice(&[tag; 12]);
        m.extend(std::iter::repeat_n(tag, body));
        m
    }

    fn channel(payload: &[u8]) -> Vec<u8> {
        let mut m = vec![0x40, 0x01];
        m.extend_from_slice(&(payload.len() as u16).to_be_bytes());
        m.extend_from_slice(payload);
        m
    }

    fn frames(d: &mut FrameDecoder) -> Result<Vec<Vec<u8>>, FramingError> {
        let mut out = Vec::new();
        while let Some(f) = d.next_frame()? {
            out.push(f.to_vec());
        }
        Ok(out)
    }

    #[test]
    fn partial_frames_wait_for_the_rest() {
        let m = stun(8, 7);
        let mut d = FrameDecoder::new();
        for (i, b) in m.iter().enumerate() {
            d.push(&[*b]).unwrap();
            let got = frames(&mut d).unwrap();
            if i + 1 < m.len() {
                assert!(got.is_empty(), "a frame after {} bytes", i + 1);
            } else {
                assert_eq!(got, vec![m.clone()]);
            }
        }
        assert_eq!(d.buffered(), 0);
    }

    #[test]
    fn two_frames_in_one_read_and_channel_padding_is_skipped() {
        let c = channel(b"hello");
        let mut wire = c.clone();
        pad_frame(&mut wire);
        assert_eq!(wire.len(), 12, "5 bytes of payload padded to 8");
        let m = stun(4, 1);
        wire.extend_from_slice(&m);
        let mut d = FrameDecoder::new();
        d.push(&wire).unwrap();
        assert_eq!(frames(&mut d).unwrap(), vec![c, m]);
        // A frame split across reads, after a whole one.
        let (a, b) = (stun(0, 2), channel(b"abcd"));
        let mut wire = a.clone();
        wire.extend_from_slice(&b[..3]);
        d.push(&wire).unwrap();
        assert_eq!(frames(&mut d).unwrap(), vec![a]);
        assert_eq!(d.buffered(), 3);
        d.push(&b[3..]).unwrap();
        assert_eq!(frames(&mut d).unwrap(), vec![b]);
    }

    #[test]
    fn oversize_and_foreign_frames_are_refused() {
        let mut d = FrameDecoder::new();
        d.push(&[0x40, 0x00, 0x20, 0x00]).unwrap();
        assert_eq!(
            d.next_frame(),
            Err(FramingError::Oversize { len: 4 + 0x2000 })
        );
        let mut d = FrameDecoder::new();
        d.push(&stun(MAX_FRAME, 0)[..20]).unwrap();
        assert!(matches!(d.next_frame(), Err(FramingError::Oversize { .. })));
        for bad in [&[0x80u8, 0, 0, 0][..], &[0x50, 0, 0, 0]] {
            let mut d = FrameDecoder::new();
            d.push(bad).unwrap();
            assert_eq!(d.next_frame(), Err(FramingError::NotTurn { first: bad[0] }));
        }
        // A STUN-looking header without the cookie.
        let mut m = stun(0, 0);
        m[4] = 0;
        let mut d = FrameDecoder::new();
        d.push(&m).unwrap();
        assert!(matches!(d.next_frame(), Err(FramingError::NotTurn { .. })));
        assert!(d.push(&vec![0; MAX_PUSH + 1]).is_err());
        assert_eq!(
            FramingError::Oversize { len: 8196 }.to_string(),
            "a frame of 8196 bytes (at most 4096)"
        );
    }

    #[test]
    fn stun_frames_are_not_padded_again() {
        let mut m = stun(4, 3);
        pad_frame(&mut m);
        assert_eq!(m.len(), 24);
        let mut c = channel(b"abcd");
        pad_frame(&mut c);
        assert_eq!(c.len(), 8);
    }

    #[test]
    fn roots_come_from_pem_and_garbage_is_refused() {
        let (ca, pem, _, _) = test_ca_with_pem();
        assert_eq!(TurnTls::roots_from_pem(pem.as_bytes()).unwrap(), vec![ca]);
        for bad in [
            &b""[..],
            b"hello",
            b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        ] {
            assert!(
                matches!(
                    TurnTls::roots_from_pem(bad),
                    Err(Error::Config {
                        field: "turn_tls_roots",
                        ..
                    })
                ),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn a_bad_extra_root_names_the_field_and_webpki_roots_load() {
        assert!(TurnTls::new(&[]).is_ok());
        match TurnTls::new(&[vec![1, 2, 3]]) {
            Err(Error::Config { field, .. }) => assert_eq!(field, "turn_tls_roots"),
            other => panic!("{other:?}"),
        }
        assert!(TlsLayer::new(&TurnTls::new(&[]).unwrap(), "relay.example.com").is_ok());
        assert!(TlsLayer::new(&TurnTls::new(&[]).unwrap(), "bad name!").is_err());
    }

    /// A private CA and a relay certificate it signed for `localhost` and 127.0.0.1: (CA
    /// certificate DER, relay certificate PEM, relay key PEM).
    fn test_ca() -> (Vec<u8>, String, String) {
        let (ca, _, cert, key) = test_ca_with_pem();
        (ca, cert, key)
    }

    /// As [`test_ca`], with the CA certificate in PEM too (second).
    fn test_ca_with_pem() -> (Vec<u8>, String, String, String) {
        use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
        let key = KeyPair::generate().unwrap();
        let cert = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap()
            .signed_by(&key, &ca)
            .unwrap();
        (ca.der().to_vec(), ca.pem(), cert.pem(), key.serialize_pem())
    }

    /// Drives `relay` over `stream` until `done` holds or `limit` passes; returns what peers
    /// sent through the relay.
    fn pump(
        relay: &mut TurnRelay,
        stream: &mut std::net::TcpStream,
        limit: std::time::Duration,
        mut done: impl FnMut(&TurnRelay) -> bool,
    ) -> Vec<(std::net::SocketAddr, Vec<u8>)> {
        let end = Instant::now() + limit;
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while !done(relay) && Instant::now() < end {
            let now = Instant::now();
            if relay.poll_timeout(now).is_some_and(|t| t <= now) {
                relay.handle_timeout(now);
            }
            while let Some(d) = relay.poll_transmit(now) {
                stream.write_all(&d).unwrap();
            }
            match stream.read(&mut buf) {
                Ok(0) => relay.handle_closed("closed"),
                Ok(n) => relay.handle_stream(Instant::now(), &buf[..n]),
                Err(_) => {}
            }
            while let Some(d) = relay.poll_peer_data() {
                got.push(d);
            }
        }
        got
    }

    /// Allocates on `server` over a TCP connection, relays odd-sized datagrams (padded on the
    /// stream) both ways with a UDP peer, and returns how long the allocation took.
    fn allocate_and_relay(server: &TurnServer, tls: &TurnTls) -> std::time::Duration {
        let started = Instant::now();
        let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_millis(5)))
            .unwrap();
        let mut relay =
            TurnRelay::with_tls(started, "0.0.0.0:0".parse().unwrap(), server, Some(tls));
        relay.handle_connected(stream.local_addr().unwrap());
        pump(
            &mut relay,
            &mut stream,
            std::time::Duration::from_secs(5),
            |r| r.relayed().is_some() || r.failure().is_some(),
        );
        let took = started.elapsed();
        let relayed = relay.relayed().unwrap_or_else(|| panic!("{relay:?}"));
        match relay.poll_event() {
            Some(TurnRelayEvent::Allocated(c)) => {
                assert_eq!((c.addr, c.base), (relayed, stream.local_addr().unwrap()));
            }
            other => panic!("{other:?}"),
        }
        let peer = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        peer.set_read_timeout(Some(std::time::Duration::from_millis(5)))
            .unwrap();
        let peer_addr = peer.local_addr().unwrap();
        let mut received = Vec::new();
        let mut buf = [0u8; 2048];
        for i in 0..200 {
            // 5 to 7 bytes: ChannelData padded to 8 (or 12) on the stream.
            let msg = format!("out {i}");
            if let Some(d) = relay.send_to(Instant::now(), peer_addr, msg.as_bytes()) {
                stream.write_all(&d).unwrap();
            }
            pump(
                &mut relay,
                &mut stream,
                std::time::Duration::from_millis(10),
                |_| false,
            );
            if let Ok((n, from)) = peer.recv_from(&mut buf) {
                assert_eq!(from, relayed);
                received.push(String::from_utf8_lossy(&buf[..n]).to_string());
                if received.len() >= 5 {
                    break;
                }
            }
        }
        assert!(received.len() >= 5, "{received:?} {:?}", relay.stats());
        assert!(relay.stats().channels >= 1, "{:?}", relay.stats());
        // Back: odd sizes too, several in a row (more than one frame per read).
        for m in ["back", "back!", "back!!", "back!!!"] {
            peer.send_to(m.as_bytes(), relayed).unwrap();
        }
        let mut got = Vec::new();
        let end = Instant::now() + std::time::Duration::from_secs(2);
        while got.len() < 4 && Instant::now() < end {
            got.extend(pump(
                &mut relay,
                &mut stream,
                std::time::Duration::from_millis(20),
                |_| false,
            ));
        }
        let got: Vec<_> = got
            .into_iter()
            .map(|(from, d)| (from, String::from_utf8(d).unwrap()))
            .collect();
        assert_eq!(
            got,
            ["back", "back!", "back!!", "back!!!"]
                .map(|m| (peer_addr, m.to_string()))
                .to_vec()
        );
        assert_eq!(relay.stats().failures, 0, "{:?}", relay.stats());
        took
    }

    #[test]
    fn relays_over_tcp_and_tls_to_a_coturn_without_udp() {
        let (ca, cert, key) = test_ca();
        let coturn = crate::testing::TurnRelayServer::start_tls(
            &cert,
            &key,
            true,
            &["--lt-cred-mech", "--user=glass:secret"],
        );
        let tls = TurnTls::new(&[ca]).unwrap();
        let tcp = TurnServer::from_url(
            &format!("turn:{}?transport=tcp", coturn.addr()),
            "glass",
            "secret",
        )
        .unwrap();
        let took = allocate_and_relay(&tcp, &tls);
        eprintln!("allocated over TCP in {took:?}");
        let url = format!("turns:localhost:{}", coturn.tls_addr().port());
        let took = allocate_and_relay(
            &TurnServer::from_url(&url, "glass", "secret").unwrap(),
            &tls,
        );
        eprintln!("allocated over TLS in {took:?}");
        assert!(coturn.log().contains("TLS"), "{}", coturn.log());
    }

    #[test]
    fn an_untrusted_certificate_fails_and_says_so() {
        let (_, cert, key) = test_ca();
        let coturn = crate::testing::TurnRelayServer::start_tls(
            &cert,
            &key,
            true,
            &["--lt-cred-mech", "--user=glass:secret"],
        );
        let url = format!("turns:localhost:{}", coturn.tls_addr().port());
        let server = TurnServer::from_url(&url, "glass", "secret").unwrap();
        let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_millis(5)))
            .unwrap();
        // The Web PKI roots only: the test CA is not among them.
        let mut relay = TurnRelay::new(Instant::now(), "0.0.0.0:0".parse().unwrap(), &server);
        pump(
            &mut relay,
            &mut stream,
            std::time::Duration::from_secs(5),
            |r| r.failure().is_some() || r.relayed().is_some(),
        );
        let failure = relay.failure().cloned();
        assert!(
            matches!(&failure, Some(TurnFailure::Tls { reason }) if reason.contains("certificate")),
            "{failure:?}"
        );
        let said = failure.unwrap().to_string();
        eprintln!("{said}");
        assert!(said.contains("UnknownIssuer"), "{said}");
        assert_eq!(relay.stats().allocations, 0);
        assert_eq!(
            relay.poll_event(),
            Some(TurnRelayEvent::Failed(relay.failure().cloned().unwrap()))
        );
    }
}
