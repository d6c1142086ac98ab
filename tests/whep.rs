//! WHEP signalling conformance against the router with a fake handler (no WebRTC stack): a
//! real HTTP/1.1 exchange over loopback, so headers are seen as a browser would see them.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use glass::transport::whep::{self, Asset, WhepConfig, WhepError, WhepHandler};

/// Accepts any offer with a video m-line; ids are `s1`, `s2`, ...
#[derive(Default)]
struct FakeHandler {
    next: AtomicU32,
    live: Mutex<HashSet<String>>,
}

impl WhepHandler for FakeHandler {
    fn offer(&self, sdp: &str) -> Result<(String, String), WhepError> {
        if !sdp.contains("\nm=video") {
            return Err(WhepError::BadOffer("no video m-line".into()));
        }
        let id = format!("s{}", self.next.fetch_add(1, Ordering::Relaxed) + 1);
        self.live.lock().unwrap().insert(id.clone());
        Ok((id, ANSWER.to_string()))
    }
    fn delete(&self, id: &str) -> bool {
        self.live.lock().unwrap().remove(id)
    }
}

const OFFER: &str = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\
a=group:BUNDLE 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n\
a=mid:0\r\na=recvonly\r\na=rtpmap:96 H264/90000\r\n";
const ANSWER: &str =
    "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";

struct Server {
    addr: SocketAddr,
    runtime: tokio::runtime::Runtime,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Server {
    fn start(config: WhepConfig) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let router = whep::router(FakeHandler::default(), config);
        runtime.spawn(whep::serve(listener, router, async {
            let _ = stopped.await;
        }));
        Self {
            addr,
            runtime,
            stop: Some(stop),
        }
    }

    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        http(self.addr, method, path, headers, body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = &self.runtime;
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A minimal HTTP/1.1 client: one request per connection, `Connection: close`.
pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    // The server may answer (413) and close before reading a large body: ignore that error.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("no HTTP header end");
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

const SDP: (&str, &str) = ("Content-Type", "application/sdp");

#[test]
fn offer_created_with_location_and_answer() {
    let server = Server::start(WhepConfig {
        allowed_origins: vec!["*".into()],
        ..WhepConfig::default()
    });
    let r = server.request("POST", "/whep", &[SDP], OFFER.as_bytes());
    assert_eq!(r.status, 201, "{r:?}");
    assert_eq!(r.header("content-type"), Some("application/sdp"));
    assert_eq!(r.header("location"), Some("/whep/s1"));
    assert_eq!(r.body, ANSWER);
    assert!(r.header("etag").is_some());
    // CORS on the real response too, so a cross-origin page can read Location.
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(
        r.header("access-control-expose-headers")
            .unwrap()
            .contains("Location")
    );

    // Content-Type parameters are allowed.
    let r = server.request(
        "POST",
        "/whep",
        &[("Content-Type", "application/sdp; charset=utf-8")],
        OFFER.as_bytes(),
    );
    assert_eq!(r.status, 201, "{r:?}");
    assert_eq!(r.header("location"), Some("/whep/s2"));
}

#[test]
fn wrong_content_type_is_415() {
    let server = Server::start(WhepConfig::default());
    let r = server.request(
        "POST",
        "/whep",
        &[("Content-Type", "application/json")],
        br#"{"type":"offer"}"#,
    );
    assert_eq!(r.status, 415, "{r:?}");
    let r = server.request("POST", "/whep", &[], OFFER.as_bytes());
    assert_eq!(r.status, 415, "{r:?}");
}

#[test]
fn malformed_sdp_is_400_with_reason() {
    let server = Server::start(WhepConfig::default());
    let r = server.request("POST", "/whep", &[SDP], b"hello");
    assert_eq!(r.status, 400, "{r:?}");
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    assert!(r.body.contains("v=0"), "{}", r.body);
    // Well-formed start, but the handler refuses it: its reason reaches the client.
    let r = server.request("POST", "/whep", &[SDP], b"v=0\r\ns=-\r\n");
    assert_eq!(r.status, 400, "{r:?}");
    assert!(r.body.contains("no video m-line"), "{}", r.body);
    let r = server.request("POST", "/whep", &[SDP], &[b'v', b'=', 0xff, 0xfe]);
    assert_eq!(r.status, 400, "{r:?}");
}

#[test]
fn bearer_token_required_when_configured() {
    let server = Server::start(WhepConfig {
        token: Some("s3cret".into()),
        ..WhepConfig::default()
    });
    let r = server.request("POST", "/whep", &[SDP], OFFER.as_bytes());
    assert_eq!(r.status, 401, "{r:?}");
    assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
    let r = server.request(
        "POST",
        "/whep",
        &[SDP, ("Authorization", "Bearer wrong")],
        OFFER.as_bytes(),
    );
    assert_eq!(r.status, 401, "{r:?}");
    let r = server.request(
        "POST",
        "/whep",
        &[SDP, ("Authorization", "Bearer s3cret")],
        OFFER.as_bytes(),
    );
    assert_eq!(r.status, 201, "{r:?}");
    let location = r.header("location").unwrap().to_string();
    let r = server.request("DELETE", &location, &[], b"");
    assert_eq!(r.status, 401, "{r:?}");
    let r = server.request(
        "DELETE",
        &location,
        &[("Authorization", "Bearer s3cret")],
        b"",
    );
    assert_eq!(r.status, 200, "{r:?}");
    // The preflight never needs the token (browsers send it without credentials).
    let r = server.request("OPTIONS", "/whep", &[("Origin", "http://x")], b"");
    assert_eq!(r.status, 204, "{r:?}");
}

#[test]
fn delete_then_404() {
    let server = Server::start(WhepConfig::default());
    let r = server.request("POST", "/whep", &[SDP], OFFER.as_bytes());
    let location = r.header("location").unwrap().to_string();
    assert_eq!(server.request("DELETE", &location, &[], b"").status, 200);
    assert_eq!(server.request("DELETE", &location, &[], b"").status, 404);
    assert_eq!(server.request("DELETE", "/whep/nope", &[], b"").status, 404);
}

#[test]
fn options_preflight_cors() {
    let server = Server::start(WhepConfig {
        allowed_origins: vec!["http://viewer.example".into()],
        ..WhepConfig::default()
    });
    for path in ["/whep", "/whep/s1"] {
        let r = server.request(
            "OPTIONS",
            path,
            &[
                ("Origin", "http://viewer.example"),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "authorization, content-type",
                ),
            ],
            b"",
        );
        assert!(r.status == 200 || r.status == 204, "{r:?}");
        let origin = r.header("access-control-allow-origin").unwrap();
        assert!(
            origin == "*" || origin == "http://viewer.example",
            "{origin}"
        );
        let methods = r.header("access-control-allow-methods").unwrap();
        for m in ["POST", "DELETE", "OPTIONS", "PATCH"] {
            assert!(methods.contains(m), "{methods}");
        }
        let allowed = r
            .header("access-control-allow-headers")
            .unwrap()
            .to_lowercase();
        assert!(allowed.contains("authorization") && allowed.contains("content-type"));
        let exposed = r.header("access-control-expose-headers").unwrap();
        for h in ["Location", "ETag", "Link"] {
            assert!(exposed.contains(h), "{exposed}");
        }
    }
    let r = server.request("OPTIONS", "/whep", &[], b"");
    assert_eq!(r.header("accept-post"), Some("application/sdp"));
    // A page from an origin not on the list gets no CORS headers: its browser keeps the
    // answer (and the Location of a session) from it.
    for (method, body) in [("OPTIONS", &b""[..]), ("POST", OFFER.as_bytes())] {
        let r = server.request(
            method,
            "/whep",
            &[("Origin", "http://evil.example"), SDP],
            body,
        );
        for h in [
            "access-control-allow-origin",
            "access-control-allow-methods",
            "access-control-expose-headers",
        ] {
            assert_eq!(
                r.header(h),
                None,
                "{method}: {h} for a foreign origin: {r:?}"
            );
        }
    }
}

#[test]
fn cors_is_off_by_default() {
    let server = Server::start(WhepConfig::default());
    let r = server.request(
        "POST",
        "/whep",
        &[("Origin", "http://viewer.example"), SDP],
        OFFER.as_bytes(),
    );
    assert_eq!(r.status, 201, "{r:?}");
    assert_eq!(r.header("access-control-allow-origin"), None);
}

#[test]
fn oversized_body_is_413() {
    let server = Server::start(WhepConfig {
        max_body_bytes: 16 * 1024,
        ..WhepConfig::default()
    });
    let mut big = OFFER.to_string();
    while big.len() <= 16 * 1024 {
        big.push_str("a=x-padding:0123456789abcdef0123456789abcdef\r\n");
    }
    let r = server.request("POST", "/whep", &[SDP], big.as_bytes());
    assert_eq!(r.status, 413, "{r:?}");
    // The default limit is 64 KiB: a 70 KiB offer is refused too.
    let server = Server::start(WhepConfig::default());
    let big = "v=0\r\n".to_string() + &"a=x:y\r\n".repeat(10_000);
    let r = server.request("POST", "/whep", &[SDP], big.as_bytes());
    assert_eq!(r.status, 413, "{r:?}");
}

#[test]
fn trickle_patch_and_other_methods_answered_politely() {
    let server = Server::start(WhepConfig::default());
    let r = server.request("POST", "/whep", &[SDP], OFFER.as_bytes());
    let location = r.header("location").unwrap().to_string();
    let r = server.request(
        "PATCH",
        &location,
        &[("Content-Type", "application/trickle-ice-sdpfrag")],
        b"a=candidate:1 1 udp 1 1.2.3.4 5 typ host\r\n",
    );
    assert_eq!(r.status, 405, "{r:?}");
    assert!(r.header("allow").is_some());
    assert_eq!(server.request("GET", "/whep", &[], b"").status, 405);
    assert_eq!(server.request("GET", "/nothing", &[], b"").status, 404);
    // Garbage never takes the server down.
    let r = server.request("POST", "/whep/%ff%fe", &[SDP], b"\0\0\0");
    assert!(r.status >= 400, "{r:?}");
    assert_eq!(
        server
            .request("POST", "/whep", &[SDP], OFFER.as_bytes())
            .status,
        201
    );
}

#[test]
fn serves_assets() {
    let server = Server::start(WhepConfig {
        assets: vec![
            Asset {
                path: "/",
                content_type: "text/html; charset=utf-8",
                body: "<!doctype html><p>viewer</p>",
            },
            Asset {
                path: "/viewer.js",
                content_type: "text/javascript; charset=utf-8",
                body: "export {};",
            },
        ],
        ..WhepConfig::default()
    });
    let r = server.request("GET", "/", &[], b"");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.body.contains("viewer"));
    let r = server.request("GET", "/viewer.js", &[], b"");
    assert!(
        r.header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
}

/// The viewer the real server embeds: the page loads the module and posts to the endpoint.
#[test]
fn embedded_viewer_assets() {
    let assets = glass::share::viewer_assets();
    let index = assets.iter().find(|a| a.path == "/").expect("index");
    assert!(index.body.contains("viewer.js"));
    let js = assets
        .iter()
        .find(|a| a.path == "/viewer.js")
        .expect("viewer.js");
    assert!(js.body.contains("createDataChannel('control')"));
    assert!(js.body.contains("application/sdp"));
    assert!(js.content_type.starts_with("text/javascript"));
    // Every module a served script imports is served too (`./x.js` next to it, `/lib/x.js`
    // from the root): a missing one breaks the page, not the build.
    let mut imports = 0;
    for a in assets.iter().filter(|a| a.path.ends_with(".js")) {
        for spec in a.body.split(" from '").skip(1) {
            let spec = &spec[..spec.find('\'').unwrap()];
            let dir = &a.path[..=a.path.rfind('/').unwrap()];
            let path = match spec.strip_prefix("./") {
                Some(rest) => format!("{dir}{rest}"),
                None => spec.to_string(),
            };
            assert!(
                assets.iter().any(|b| b.path == path),
                "{} imports {spec} ({path}), which is not served",
                a.path
            );
            imports += 1;
        }
    }
    assert!(imports >= 3, "{imports} imports found");
}
