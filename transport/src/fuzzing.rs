//! Entry points for the fuzz targets in `fuzz/` (one-liners there). Not a stable API.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Instant;

use crate::control::ControlMessage;
use crate::peer::{Peer, PeerConfig};

/// A Chromium-style recvonly offer (video + data channel), as fuzz/seeds/whep-post holds.
const OFFER: &str = "v=0\r\n\
o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n\
s=-\r\n\
t=0 0\r\n\
a=group:BUNDLE 0 1\r\n\
a=msid-semantic: WMS\r\n\
m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n\
c=IN IP4 0.0.0.0\r\n\
a=rtcp:9 IN IP4 0.0.0.0\r\n\
a=ice-ufrag:EsAw\r\n\
a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y\r\n\
a=ice-options:trickle\r\n\
a=fingerprint:sha-256 DA:7B:57:DC:28:CE:04:4F:31:79:85:C4:31:67:EB:27:58:29:ED:77:2A:0D:24:AE:ED:88:20:BB:9B:D7:4F:3E\r\n\
a=setup:actpass\r\n\
a=mid:0\r\n\
a=recvonly\r\n\
a=rtcp-mux\r\n\
a=rtcp-rsize\r\n\
a=rtpmap:96 H264/90000\r\n\
a=rtcp-fb:96 nack\r\n\
a=rtcp-fb:96 nack pli\r\n\
a=fmtp:96 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n\
a=rtpmap:97 rtx/90000\r\n\
a=fmtp:97 apt=96\r\n\
m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n\
c=IN IP4 0.0.0.0\r\n\
a=ice-ufrag:EsAw\r\n\
a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y\r\n\
a=ice-options:trickle\r\n\
a=fingerprint:sha-256 DA:7B:57:DC:28:CE:04:4F:31:79:85:C4:31:67:EB:27:58:29:ED:77:2A:0D:24:AE:ED:88:20:BB:9B:D7:4F:3E\r\n\
a=setup:actpass\r\n\
a=mid:1\r\n\
a=sctp-port:5000\r\n\
a=max-message-size:262144\r\n";

/// A viewer's SDP offer, as WHEP receives it: must give an answer or an error, never panic.
pub fn sdp_offer(data: &[u8]) {
    let Ok(sdp) = std::str::from_utf8(data) else {
        return;
    };
    let now = Instant::now();
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 5000));
    let local = [crate::LocalCandidate::host(addr, addr)];
    let _ = Peer::accept_offer(now, sdp, &local, PeerConfig::default());
}

/// One trickled ICE candidate (the `candidate` value of an `RTCIceCandidateInit`) for a session
/// made from a fixed offer: accepted, skipped or refused in plain words, never a panic.
pub fn ice_candidate(data: &[u8]) {
    let Ok(candidate) = std::str::from_utf8(data) else {
        return;
    };
    let now = Instant::now();
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, 5000));
    let local = [crate::LocalCandidate::host(addr, addr)];
    let Ok((mut peer, _)) = Peer::accept_offer(now, OFFER, &local, PeerConfig::default()) else {
        panic!("the fixed offer is accepted");
    };
    match peer.add_remote_candidate(now, candidate) {
        Ok(()) | Err(crate::Error::BadCandidate(_)) => {}
        Err(e) => panic!("unexpected error for a trickled candidate: {e}"),
    }
    let _ = peer.add_remote_candidates(now, Some("x"), &[candidate]);
}

/// One datagram from a STUN server we asked: never panics, and yields a server-reflexive
/// candidate only from a well-formed Binding success for the pending transaction.
pub fn stun_response(data: &[u8]) {
    crate::stun::fuzz_response(data);
}

/// Datagrams from a TURN server (split at `0xFF`), each answered as the driver does: the
/// relay never panics, whatever the server (or someone spoofing its address) sends.
pub fn turn_server(data: &[u8]) {
    let server = crate::TurnServer::udp(
        std::net::SocketAddr::from(([127, 0, 0, 1], 3478)),
        "1765003600:000000000000feed",
        "RttwaQfNPUdeaA/q5ULsIMT7ToU=",
    );
    let now = std::time::Instant::now();
    let mut relay = crate::turn::TurnRelay::new(
        now,
        std::net::SocketAddr::from(([127, 0, 0, 1], 40000)),
        &server,
    );
    let peer = std::net::SocketAddr::from(([127, 0, 0, 1], 50000));
    for piece in data.split(|b| *b == 0xFF) {
        while relay.poll_transmit(now).is_some() {}
        let _ = relay.handle_receive(now, server.addr, piece);
        while relay.poll_event().is_some() {}
        let _ = relay.send_to(now, peer, piece);
        relay.handle_timeout(now);
    }
}

/// Bytes from a TCP relay (after the first byte, which sets the read size): the framing
/// decoder yields the same frames whether the bytes come at once or read by read, each whole
/// and at most `MAX_FRAME` long, and a TCP relay fed the reads never panics.
pub fn turn_stream(data: &[u8]) {
    use crate::turn_stream::{FrameDecoder, MAX_FRAME};
    let Some((&size, data)) = data.split_first() else {
        return;
    };
    if data.len() > 60_000 {
        return;
    }
    let frames = |reads: &mut dyn Iterator<Item = &[u8]>| {
        let mut d = FrameDecoder::new();
        let mut out = Vec::new();
        for read in reads {
            if d.push(read).is_err() {
                return (out, true);
            }
            loop {
                match d.next_frame() {
                    Ok(Some(f)) => {
                        assert!(f.len() <= MAX_FRAME && f.len() >= 4, "{} bytes", f.len());
                        out.push(f.to_vec());
                    }
                    Ok(None) => break,
                    Err(_) => return (out, true),
                }
            }
        }
        (out, false)
    };
    let size = usize::from(size) + 1;
    let at_once = frames(&mut std::iter::once(data));
    let by_read = frames(&mut data.chunks(size));
    assert_eq!(
        at_once, by_read,
        "framing depends on how the bytes were read"
    );
    let server = crate::TurnServer {
        transport: crate::TurnTransport::Tcp,
        ..crate::TurnServer::udp(SocketAddr::from((Ipv4Addr::LOCALHOST, 3478)), "u", "p")
    };
    let now = Instant::now();
    let mut relay = crate::turn::TurnRelay::new(now, SocketAddr::from(([0, 0, 0, 0], 0)), &server);
    relay.handle_connected(SocketAddr::from((Ipv4Addr::LOCALHOST, 40000)));
    let peer = SocketAddr::from((Ipv4Addr::LOCALHOST, 50000));
    for read in data.chunks(size) {
        while relay.poll_transmit(now).is_some() {}
        relay.handle_stream(now, read);
        while relay.poll_peer_data().is_some() {}
        while relay.poll_event().is_some() {}
        let _ = relay.send_to(now, peer, read);
        relay.handle_timeout(now);
    }
}

/// One message on the control channel.
pub fn control_message(data: &[u8]) {
    if let Ok(m) = ControlMessage::decode(data) {
        // Whatever decodes must re-encode to something that decodes to the same message.
        let again = ControlMessage::decode(&m.encode()).ok();
        assert!(
            again.is_some(),
            "re-encoded control message does not decode"
        );
    }
}

/// One message on the cursor channel (what a viewer's decoder sees).
pub fn cursor_message(data: &[u8]) {
    if let Ok(m) = crate::cursor::CursorMessage::decode(data) {
        // Whatever decodes re-encodes to the same bytes (the format has one encoding).
        assert_eq!(
            m.encode(),
            data,
            "cursor message does not re-encode to its bytes"
        );
    }
}

/// A message from the viewer's `clipboard` channel: decoded, and what decodes re-encodes to
/// its bytes.
pub fn clipboard_message(data: &[u8]) {
    if let Ok(text) = crate::clipboard::decode_text(data) {
        assert_eq!(
            crate::clipboard::encode_text(text),
            data,
            "clipboard message does not re-encode to its bytes"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// H.264 packetizer round trip
// ---------------------------------------------------------------------------------------------

use str0m::format::CodecExtra;
use str0m::unversioned::{Depacketizer, H264Depacketizer, H264Packetizer, Packetizer};

const START_CODE: [u8; 4] = [0, 0, 0, 1];
const NAL_SPS: u8 = 7;
const NAL_PPS: u8 = 8;
const NAL_AUD: u8 = 9;
const NAL_IDR: u8 = 5;

/// One access unit through str0m's H.264 packetizer (what `Writer::write` uses for us) and back
/// through its depacketizer (what a receiver does), at three MTUs.
///
/// Input: a control byte, then either (even byte) a raw Annex-B stream or (odd byte) chunks
/// `[len: u16 BE][bytes]`, each made into a valid NAL unit (type 1..=23, emulation prevention
/// applied). Bits 1..8 of the control byte pick one MTU in 200..=1200; 200 and 1200 always run.
///
/// Always: no panic, no packet empty or above the MTU. When the stream is a well-formed list of
/// NAL units (non-empty, forbidden bit 0, type 1..=23, not ending in `00`), it must come back
/// exactly, up to what str0m documents it does: access unit delimiters are dropped, SPS/PPS
/// travel as one STAP-A before the next other NAL unit once both are there (and are dropped
/// when that STAP-A would not fit the MTU, or when no NAL unit follows). The keyframe flag is
/// set iff an IDR came through.
pub fn h264_packetize_roundtrip(data: &[u8]) {
    let Some((&ctl, rest)) = data.split_first() else {
        return;
    };
    let (stream, nals) = if ctl & 1 == 0 {
        (rest.to_vec(), split_annexb(rest))
    } else {
        let nals = nals_from_chunks(rest);
        let stream = annexb(&nals, rest.first().is_some_and(|b| b & 0x80 != 0));
        assert_eq!(
            split_annexb(&stream).as_ref(),
            Some(&nals),
            "harness bug: built stream does not split back"
        );
        (stream, Some(nals))
    };
    let derived = 200 + usize::from(ctl >> 1) * 1000 / 127;
    for mtu in [derived, 200, 1200] {
        packetize_roundtrip(mtu, &stream, nals.as_deref());
    }
}

fn packetize_roundtrip(mtu: usize, stream: &[u8], nals: Option<&[Vec<u8>]>) {
    let mut packetizer = H264Packetizer::default();
    let packets = match packetizer.packetize(mtu, stream) {
        Ok(p) => p,
        Err(e) => {
            assert!(
                nals.is_none(),
                "well-formed stream refused at MTU {mtu}: {e}"
            );
            return;
        }
    };
    for p in &packets {
        assert!(
            !p.is_empty() && p.len() <= mtu,
            "packet of {} bytes at MTU {mtu}",
            p.len()
        );
    }

    let mut depacketizer = H264Depacketizer::default();
    let _ = depacketizer.out_size_hint(packets.iter().map(Vec::len).sum());
    let mut out = Vec::new();
    let mut extra = CodecExtra::None;
    let mut previous: Option<&[u8]> = None;
    for (i, p) in packets.iter().enumerate() {
        let last = i + 1 == packets.len();
        let marker = packetizer.is_marker(p, previous, last);
        let result = depacketizer.depacketize(p, &mut out, &mut extra);
        if nals.is_some() {
            if let Err(e) = result {
                panic!(
                    "packet {i} of {} at MTU {mtu} does not depacketize: {e}",
                    packets.len()
                );
            }
            assert_eq!(
                marker,
                last,
                "marker bit on packet {i} of {}",
                packets.len()
            );
            assert_eq!(depacketizer.is_partition_tail(marker, p), last);
            // str0m cannot tell for a 1-byte packet (a header-only unit, e.g. end of
            // sequence) and says no; such a unit never starts a real access unit.
            if i == 0 && p.len() >= 2 {
                assert!(
                    depacketizer.is_partition_head(p),
                    "first packet is no partition head"
                );
            }
        }
        previous = Some(p);
    }

    let Some(nals) = nals else {
        return;
    };
    let want = expected_after_roundtrip(nals, mtu);
    // The depacketizer writes Annex-B with 4-byte start codes.
    let got = split_annexb(&out);
    assert_eq!(
        got.as_deref(),
        Some(&want[..]),
        "round trip at MTU {mtu} changed the NAL units ({} packets)",
        packets.len()
    );
    let keyframe = want.iter().any(|n| n[0] & 0x1f == NAL_IDR);
    match extra {
        CodecExtra::None => assert!(want.is_empty(), "no codec info for {} NALs", want.len()),
        CodecExtra::H264(h) => assert_eq!(h.is_keyframe, keyframe, "keyframe flag"),
        other => panic!("H.264 depacketizer reported {other:?}"),
    }
}

/// What str0m's packetizer keeps of `nals` at `mtu` (see [`h264_packetize_roundtrip`]).
fn expected_after_roundtrip(nals: &[Vec<u8>], mtu: usize) -> Vec<Vec<u8>> {
    let (mut sps, mut pps): (Option<&Vec<u8>>, Option<&Vec<u8>>) = (None, None);
    let mut out = Vec::new();
    for nal in nals {
        match nal[0] & 0x1f {
            NAL_AUD => {}
            NAL_SPS => sps = Some(nal),
            NAL_PPS => pps = Some(nal),
            _ => {
                // Only a complete pair is sent (and forgotten); a lone SPS or PPS waits.
                if let (Some(s), Some(p)) = (sps, pps) {
                    // STAP-A: 1-byte header, a 2-byte length before each unit.
                    if 1 + 2 + s.len() + 2 + p.len() <= mtu {
                        out.push(s.clone());
                        out.push(p.clone());
                    }
                    (sps, pps) = (None, None);
                }
                out.push(nal.clone());
            }
        }
    }
    out
}

/// The NAL units of `stream` if it is well-formed (see [`h264_packetize_roundtrip`]): it is
/// empty or starts with a 3- or 4-byte start code, and every unit is non-empty, has
/// forbidden_zero_bit 0, a type in 1..=23 (24..=31 are RTP aggregation/fragmentation types)
/// and a last byte other than `00` (trailing zeros belong to the next start code).
fn split_annexb(stream: &[u8]) -> Option<Vec<Vec<u8>>> {
    let start = if stream.is_empty() {
        return Some(Vec::new());
    } else if stream.starts_with(&START_CODE) {
        4
    } else if stream.starts_with(&START_CODE[1..]) {
        3
    } else {
        return None;
    };
    let mut nals = Vec::new();
    let mut begin = start;
    let mut i = start;
    while begin <= stream.len() {
        // Next `00 00 01` at or after `i`, or the end.
        let next = (i..stream.len().saturating_sub(2))
            .find(|&k| stream[k] == 0 && stream[k + 1] == 0 && stream[k + 2] == 1);
        let (end, after) = match next {
            // A zero before `00 00 01` is the 4-byte code's (a unit cannot end in 00).
            Some(k) if k > begin && stream[k - 1] == 0 => (k - 1, k + 3),
            Some(k) => (k, k + 3),
            None => (stream.len(), stream.len() + 1),
        };
        let nal = &stream[begin..end];
        let ok = nal
            .first()
            .is_some_and(|&h| h & 0x80 == 0 && (1..=23).contains(&(h & 0x1f)))
            && nal.last() != Some(&0);
        if !ok {
            return None;
        }
        nals.push(nal.to_vec());
        begin = after;
        i = after;
    }
    Some(nals)
}

/// Makes each `[len: u16 BE][bytes]` chunk a valid NAL unit: the first byte is the header
/// (forbidden bit cleared, type folded into 1..=23), the rest gets emulation prevention.
fn nals_from_chunks(mut rest: &[u8]) -> Vec<Vec<u8>> {
    let mut nals = Vec::new();
    while rest.len() >= 2 {
        let len = usize::from(u16::from_be_bytes([rest[0], rest[1]])).min(rest.len() - 2);
        let (chunk, tail) = rest[2..].split_at(len);
        rest = tail;
        let Some((&h, body)) = chunk.split_first() else {
            continue;
        };
        let t = h & 0x1f;
        let t = if (1..=23).contains(&t) { t } else { 1 + t % 23 };
        let mut nal = Vec::with_capacity(chunk.len() + chunk.len() / 2 + 1);
        nal.push((h & 0x60) | t);
        let mut zeros = 0;
        for &b in body {
            if zeros >= 2 && b <= 3 {
                nal.push(3);
                zeros = 0;
            }
            nal.push(b);
            zeros = if b == 0 { zeros + 1 } else { 0 };
        }
        if nal.last() == Some(&0) {
            // cabac_zero_word rule: a unit ending in 00 gets a final 03.
            nal.push(3);
        }
        nals.push(nal);
    }
    nals
}

fn annexb(nals: &[Vec<u8>], short_codes: bool) -> Vec<u8> {
    let code = if short_codes {
        &START_CODE[1..]
    } else {
        &START_CODE[..]
    };
    let mut out = Vec::new();
    for nal in nals {
        out.extend_from_slice(code);
        out.extend_from_slice(nal);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// WHEP request handling
// ---------------------------------------------------------------------------------------------

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use tower::ServiceExt;

use crate::whep::{self, Asset, WhepConfig, WhepError, WhepHandler};

const WHEP_TOKEN: &str = "fuzz-token";
/// Small, so the fuzzer reaches the `413` paths.
const WHEP_MAX_BODY: usize = 2048;

/// Parses offers with str0m's real SDP parser and answers with a canned SDP; the real
/// [`crate::Transport`] would need sockets and a driver thread per execution.
struct ParsingHandler {
    next: AtomicU64,
}

impl WhepHandler for ParsingHandler {
    fn offer(&self, sdp: &str) -> Result<(String, String), WhepError> {
        // The real handler's parsing and refusal reasons.
        crate::peer::parse_offer(sdp).map_err(|e| match e {
            crate::Error::BadOffer(reason) => WhepError::BadOffer(reason),
            other => WhepError::Internal(other.to_string()),
        })?;
        let id = format!("{:016x}", self.next.fetch_add(1, Ordering::Relaxed));
        Ok((
            id,
            "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n".into(),
        ))
    }

    fn delete(&self, id: &str) -> bool {
        // The real handler's id parsing; every well-formed id "exists".
        id.parse::<crate::SessionId>().is_ok()
    }

    fn trickle(&self, id: &str, fragment: &whep::IceFragment) -> Result<(), WhepError> {
        if id.parse::<crate::SessionId>().is_err() {
            return Err(WhepError::NotFound);
        }
        if fragment.ice_restart {
            return Err(WhepError::Unprocessable(crate::peer::ICE_RESTART.into()));
        }
        // The candidate parser the real session uses (mDNS names are skipped there).
        for c in &fragment.candidates {
            if !c.contains(".local ") && str0m::Candidate::from_sdp_string(c).is_err() {
                return Err(WhepError::BadCandidate("not an ICE candidate".into()));
            }
        }
        Ok(())
    }
}

struct WhepHarness {
    runtime: tokio::runtime::Runtime,
    open: axum::Router,
    with_token: axum::Router,
}

fn whep_harness() -> &'static WhepHarness {
    static HARNESS: OnceLock<WhepHarness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let config = |token: Option<&str>| WhepConfig {
            token: token.map(Into::into),
            max_body_bytes: WHEP_MAX_BODY,
            allowed_origins: vec!["*".into()],
            assets: vec![
                Asset {
                    path: "/",
                    content_type: "text/html; charset=utf-8",
                    body: "<!doctype html>",
                },
                Asset {
                    path: "/viewer.js",
                    content_type: "text/javascript",
                    body: "// viewer",
                },
            ],
        };
        let handler = || ParsingHandler {
            next: AtomicU64::new(1),
        };
        WhepHarness {
            // Current-thread: no worker threads to start or to race; the handlers still run
            // on tokio's blocking pool, as in production.
            runtime: tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("tokio runtime"),
            open: whep::router(handler(), config(None)),
            with_token: whep::router(handler(), config(Some(WHEP_TOKEN))),
        }
    })
}

/// Percent-encodes all but unreserved characters, so any bytes make a valid path segment.
fn path_segment(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// One HTTP request through the WHEP router (in memory, no sockets).
///
/// Input: `[method/path][flags][n][n bytes: field][body]`. The field is the fuzzed session id,
/// `Authorization`, `Content-Type` or `Content-Length` value, as the flags say.
///
/// Invariants: no panic; the status is one the router documents (200, 201, 204, 400, 401, 404,
/// 405, 413, 415; the fake handler never yields 500/503); every response has the CORS header;
/// a 400 body is one line in plain words (no parser internals such as `PointerOffset(0x…)`);
/// a session is created (201) or deleted (200 on DELETE) only with the right bearer token when
/// one is configured, and a 201 carries `Location: /whep/<id>` and an SDP body type.
pub fn whep_request(data: &[u8]) {
    let _ = whep_status(data);
}

/// [`whep_request`], returning the status (`None` if the bytes make no request).
fn whep_status(data: &[u8]) -> Option<StatusCode> {
    let [sel, flags, n, rest @ ..] = data else {
        return None;
    };
    let (field, body) = rest.split_at(usize::from(*n).min(rest.len()));
    let method = [
        Method::POST,
        Method::DELETE,
        Method::OPTIONS,
        Method::PATCH,
        Method::GET,
    ][usize::from(sel % 5)]
    .clone();
    let path = match (sel / 5) % 6 {
        0 => "/whep".to_string(),
        1 => "/whep/00000000000000a5".to_string(),
        2 => format!("/whep/{}", path_segment(field)),
        3 => "/".to_string(),
        4 => "/viewer.js".to_string(),
        _ => "/whep/a/b".to_string(),
    };
    let token_required = flags & 0x10 != 0;

    let mut request = Request::builder().method(method.clone()).uri(&path);
    let authorization = match flags & 0x0c {
        0x04 => HeaderValue::from_bytes(field).ok(),
        0x0c => Some(HeaderValue::from_static("Bearer fuzz-token")),
        _ => None,
    };
    // Deliberately looser than the router's check: without the token's bytes, no way in.
    let auth_ok = !token_required
        || authorization.as_ref().is_some_and(|v| {
            v.as_bytes()
                .windows(WHEP_TOKEN.len())
                .any(|w| w == WHEP_TOKEN.as_bytes())
        });
    if let Some(v) = authorization {
        request = request.header(header::AUTHORIZATION, v);
    }
    match flags & 0x03 {
        1 => request = request.header(header::CONTENT_TYPE, "application/sdp"),
        2 => request = request.header(header::CONTENT_TYPE, "Application/SDP; charset=utf-8"),
        3 => {
            if let Ok(v) = HeaderValue::from_bytes(field) {
                request = request.header(header::CONTENT_TYPE, v);
            }
        }
        _ => {}
    }
    if flags & 0x20 != 0 {
        request = request.header(header::CONTENT_LENGTH, body.len());
    } else if flags & 0x40 != 0
        && let Ok(v) = HeaderValue::from_bytes(field)
    {
        request = request.header(header::CONTENT_LENGTH, v);
    }
    if flags & 0x80 != 0 {
        request = request.header(header::ORIGIN, "https://viewer.example");
    }
    let request = request.body(Body::from(body.to_vec())).ok()?;

    let harness = whep_harness();
    let router = if token_required {
        harness.with_token.clone()
    } else {
        harness.open.clone()
    };
    let response = match harness.runtime.block_on(router.oneshot(request)) {
        Ok(r) => r,
        Err(never) => match never {},
    };

    let status = response.status();
    let documented = [
        StatusCode::OK,
        StatusCode::CREATED,
        StatusCode::NO_CONTENT,
        StatusCode::BAD_REQUEST,
        StatusCode::UNAUTHORIZED,
        StatusCode::NOT_FOUND,
        StatusCode::METHOD_NOT_ALLOWED,
        StatusCode::PRECONDITION_FAILED,
        StatusCode::PAYLOAD_TOO_LARGE,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        StatusCode::UNPROCESSABLE_ENTITY,
    ];
    assert!(
        documented.contains(&status),
        "{method} {path}: undocumented status {status}"
    );
    let (parts, body) = response.into_parts();
    let headers = &parts.headers;
    assert!(
        headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN),
        "{method} {path} -> {status}: no CORS header"
    );
    if status == StatusCode::CREATED {
        assert!(
            auth_ok,
            "{method} {path}: session created without the token"
        );
        assert!(
            method == Method::POST && path == whep::ENDPOINT,
            "{method} {path} -> 201"
        );
        let location = headers.get(header::LOCATION).and_then(|v| v.to_str().ok());
        assert!(
            location.is_some_and(|l| l.starts_with("/whep/")),
            "201 with Location {location:?}"
        );
        assert_eq!(
            headers.get(header::CONTENT_TYPE).map(HeaderValue::as_bytes),
            Some(&b"application/sdp"[..])
        );
    }
    if status == StatusCode::NO_CONTENT && method == Method::PATCH {
        assert!(
            auth_ok,
            "{method} {path}: candidates taken without the token"
        );
    }
    if status == StatusCode::OK && method == Method::DELETE {
        assert!(
            auth_ok,
            "{method} {path}: session deleted without the token"
        );
    }
    if status == StatusCode::BAD_REQUEST {
        let body = harness
            .runtime
            .block_on(axum::body::to_bytes(body, 64 * 1024))
            .expect("a 400 body is short text");
        let body = String::from_utf8_lossy(&body);
        assert!(
            !body.contains("0x") && !body.contains("PointerOffset") && body.lines().count() == 1,
            "{method} {path}: 400 body with parser internals: {body:?}"
        );
    }
    Some(status)
}

/// Reads `data` as a datagram for the last-packet-of-a-frame check (`peer::rtp_marker`, run
/// on every datagram the test viewer receives and the peer sends): never panics, and only a
/// 12-byte-or-longer RTP packet with the marker bit and a dynamic payload type matches.
pub fn rtp_marker(data: &[u8]) {
    if let Some((pt, ts)) = crate::peer::rtp_marker(data) {
        assert!(data.len() >= 12 && (96..=127).contains(&pt));
        assert_eq!(data[1], 0x80 | pt);
        assert_eq!(ts.to_be_bytes(), data[4..8]);
    }
}

/// A synthetic access unit with 4-byte start codes (what str0m's depacketizer emits):
/// SPS + PPS + IDR of `size` bytes for keyframes, one non-IDR slice otherwise; `seed` varies
/// the payload. No `00 00` inside NAL units (as emulation prevention guarantees). For the
/// peer's tests and the packetization benchmark.
pub fn access_unit(keyframe: bool, size: usize, seed: u8) -> Vec<u8> {
    let mut v = Vec::with_capacity(size + 24);
    if keyframe {
        v.extend_from_slice(&[0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1e, 0x8c, 0x8d, 0x40]);
        v.extend_from_slice(&[0, 0, 0, 1, 0x68, 0xce, 0x3c, 0x80]);
        v.extend_from_slice(&[0, 0, 0, 1, 0x65]);
    } else {
        v.extend_from_slice(&[0, 0, 0, 1, 0x41]);
    }
    v.extend((0..size).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) | 1));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPS: &[u8] = &[
        0x67, 0x42, 0xc0, 0x1f, 0x8c, 0x8d, 0x40, 0x50, 0x1e, 0xd0, 0x0f, 0x08, 0x84, 0x6a,
    ];
    const PPS: &[u8] = &[0x68, 0xce, 0x3c, 0x80];

    /// A slice NAL unit of `len` bytes without start-code emulation.
    fn slice(header: u8, len: usize) -> Vec<u8> {
        let mut nal = vec![header];
        nal.extend((1..len).map(|i| (i % 251) as u8 | 0x10));
        nal
    }

    fn chunks(nals: &[&[u8]]) -> Vec<u8> {
        let mut data = Vec::new();
        for nal in nals {
            data.extend_from_slice(&(nal.len() as u16).to_be_bytes());
            data.extend_from_slice(nal);
        }
        data
    }

    #[test]
    fn keyframe_round_trips_through_stap_a_and_fu_a() {
        let idr = slice(0x65, 3000); // > every MTU: FU-A
        let p_slice = slice(0x41, 150); // < every MTU: single NAL unit packet
        let nals = vec![SPS.to_vec(), PPS.to_vec(), idr.clone(), p_slice.clone()];
        let stream = annexb(&nals, false);
        assert_eq!(split_annexb(&stream).as_ref(), Some(&nals));

        let packets = H264Packetizer::default().packetize(1200, &stream).unwrap();
        let types: Vec<u8> = packets.iter().map(|p| p[0] & 0x1f).collect();
        assert_eq!(
            types,
            [24, 28, 28, 28, 1],
            "STAP-A(SPS, PPS), FU-A x3, single"
        );
        for mtu in [200, 700, 1200] {
            packetize_roundtrip(mtu, &stream, Some(&nals));
        }

        // The same through the entry point, in both input forms.
        let mut raw = vec![0x00];
        raw.extend_from_slice(&stream);
        h264_packetize_roundtrip(&raw);
        let mut chunked = vec![0x81];
        chunked.extend(chunks(&[SPS, PPS, &idr, &p_slice]));
        h264_packetize_roundtrip(&chunked);
    }

    #[test]
    fn documented_losses_are_modelled() {
        let idr = slice(0x65, 500);
        let aud = vec![0x09, 0xf0];
        let nals = vec![
            aud,
            SPS.to_vec(),
            PPS.to_vec(),
            idr.clone(),
            SPS.to_vec(),
            PPS.to_vec(),
        ];
        // AUD dropped; trailing SPS/PPS without a following unit dropped.
        assert_eq!(
            expected_after_roundtrip(&nals, 1200),
            vec![SPS.to_vec(), PPS.to_vec(), idr.clone()]
        );
        // SPS/PPS whose STAP-A would not fit the MTU are dropped.
        let big_sps = slice(0x67, 200);
        assert_eq!(
            expected_after_roundtrip(&[big_sps, PPS.to_vec(), idr.clone()], 200),
            vec![idr.clone()]
        );
        for mtu in [200, 1200] {
            packetize_roundtrip(mtu, &annexb(&nals, true), Some(&nals));
        }
    }

    #[test]
    fn arbitrary_bytes_do_not_panic() {
        for data in [
            &b""[..],
            &[0],
            &[0, 0, 0, 1],
            &[0, 0, 0, 1, 0x7c, 0x85, 1, 2], // FU-A start, never ended
            &[0, 0, 0, 1, 0x78, 0xff, 0xff], // STAP-A with a length past the end
            &[0, 0, 0, 1, 0x65, 0, 0, 0, 0, 1, 0x41],
            &[1, 0xff, 0xff, 0x00, 0x00, 0x00],
        ] {
            h264_packetize_roundtrip(data);
        }
        // fuzz/seeds/annexb-idr, a real encoder's output (its last byte is 00: "arbitrary").
        let seed = [
            0x00, 0x00, 0x00, 0x01, 0x67, 0x42, 0xc0, 0x1f, 0x8c, 0x8d, 0x40, 0x50, 0x1e, 0xd0,
            0x0f, 0x08, 0x84, 0x6a, 0x00, 0x00, 0x00, 0x01, 0x68, 0xce, 0x3c, 0x80, 0x00, 0x00,
            0x00, 0x01, 0x65, 0x88, 0x84, 0x00,
        ];
        h264_packetize_roundtrip(&seed);
    }

    /// `[method/path][flags][n][field][body]`, as [`whep_request`] reads it.
    fn req(method: u8, path: u8, flags: u8, field: &[u8], body: &[u8]) -> Vec<u8> {
        let mut d = vec![method + 5 * path, flags, field.len() as u8];
        d.extend_from_slice(field);
        d.extend_from_slice(body);
        d
    }

    /// The trickle `Content-Type`, sent through the flags' "field as Content-Type" case.
    const TRICKLE: &[u8] = b"application/trickle-ice-sdpfrag";

    #[test]
    fn trickled_candidates_and_stun_answers_never_panic() {
        for c in [
            "",
            "candidate:",
            "candidate:1 1 udp 2122260223 192.0.2.7 54321 typ host",
            "a=candidate:1 1 udp 2122260223 192.0.2.7 54321 typ host generation 0 ufrag EsAw",
            "candidate:1 1 udp 1 abcd-1234.local 5 typ host",
            "candidate:1 1 udp 99999999999 1.2.3.4 70000 typ host",
            "candidate:1 1 udp 1 0.0.0.0 5 typ host",
            "candidate:1 1 udp 1 ::1 5 typ relay raddr x rport y",
            "candidate:1 1 tcp 1 1.2.3.4 9 typ host tcptype active",
            "candidate:\u{0}\u{ffff} 1 udp",
        ] {
            ice_candidate(c.as_bytes());
        }
        for d in [
            &[][..],
            &[0; 20],
            &[0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42],
            &[1; 64],
        ] {
            stun_response(d);
            turn_server(d);
        }
        turn_server(include_bytes!("../../fuzz/seeds/turn-allocate-401"));
        for d in [&[][..], &[0], &[0, 0x40, 0, 0x20, 0], &[3, 0x80, 1, 2, 3]] {
            turn_stream(d);
        }
        turn_stream(include_bytes!("../../fuzz/seeds/turn-stream-frames"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn arbitrary_candidates_never_panic(c in "candidate:[ -~]{0,80}") {
            ice_candidate(c.as_bytes());
        }
    }

    #[test]
    fn whep_requests_get_documented_statuses() {
        let (post, delete, options, patch, get) = (0, 1, 2, 3, 4);
        let (sdp, sdp_params) = (0x01, 0x02);
        let (auth_field, auth_good, token) = (0x04, 0x0c, 0x10);
        let offer = OFFER.as_bytes();
        let too_big = [b'v'; WHEP_MAX_BODY + 1];
        let cases: &[(&str, Vec<u8>, u16)] = &[
            ("offer", req(post, 0, sdp, b"", offer), 201),
            (
                "offer, CT params + CL",
                req(post, 0, sdp_params | 0x20, b"", offer),
                201,
            ),
            (
                "offer, token",
                req(post, 0, sdp | token | auth_good, b"", offer),
                201,
            ),
            (
                "offer, no token",
                req(post, 0, sdp | token, b"", offer),
                401,
            ),
            (
                "offer, wrong token",
                req(post, 0, sdp | token | auth_field, b"Bearer nope", offer),
                401,
            ),
            ("not SDP", req(post, 0, 0, b"", offer), 415),
            ("bad SDP", req(post, 0, sdp, b"", b"v=0\r\nm=nonsense"), 400),
            ("not v=0", req(post, 0, sdp, b"", b"hello"), 400),
            (
                "declared too big",
                req(post, 0, sdp | 0x40, b"99999", offer),
                413,
            ),
            ("too big", req(post, 0, sdp, b"", &too_big), 413),
            ("GET endpoint", req(get, 0, 0, b"", b""), 405),
            ("preflight", req(options, 0, 0x80, b"", b""), 204),
            ("delete", req(delete, 1, 0, b"", b""), 200),
            ("delete, no token", req(delete, 1, token, b"", b""), 401),
            ("delete unknown", req(delete, 2, 0, b"zz", b""), 404),
            (
                "delete non-UTF-8 id",
                req(delete, 2, 0, &[0xff, 0xfe], b""),
                400,
            ),
            ("trickle, not a fragment", req(patch, 1, 0, b"", b""), 415),
            (
                "trickle",
                req(
                    patch,
                    1,
                    0x03,
                    TRICKLE,
                    b"a=candidate:1 1 udp 1 192.0.2.7 5 typ host\r\n",
                ),
                204,
            ),
            (
                "trickle, no token",
                req(patch, 1, 0x03 | token, TRICKLE, b""),
                401,
            ),
            (
                "trickle, bad candidate",
                req(patch, 1, 0x03, TRICKLE, b"a=candidate:nonsense\r\n"),
                400,
            ),
            (
                "trickle, unknown session",
                req(patch, 2, 0x03, TRICKLE, b""),
                404,
            ),
            ("viewer page", req(get, 3, 0, b"", b""), 200),
            ("viewer script", req(get, 4, 0, b"", b""), 200),
            ("POST script", req(post, 4, 0, b"", b""), 405),
            ("nested path", req(get, 5, 0, b"", b""), 404),
        ];
        for (name, data, want) in cases {
            let got = whep_status(data).map(|s| s.as_u16());
            assert_eq!(got, Some(*want), "{name}");
        }
        for data in [&[][..], &[0, 1], &[255, 255, 255, 1, 2, 3]] {
            whep_request(data);
        }
    }
}
