//! The broker's edge against a real broker on loopback: security headers, origin and CSRF
//! checks, rate limits (sign-in, redemption, WebSocket floods), forwarded headers from
//! trusted and untrusted peers, and TLS served by the broker itself (a self-signed
//! certificate made here, HSTS, WSS, a certificate replaced on disk while running).

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use glass_broker::limits::{Rate, RateLimits};
use glass_broker::tls::TlsConfig;
use glass_broker::{Broker, BrokerConfig};
use glass_protocol::{ClientMessage, ErrorCode, ServerMessage};
use rustls::pki_types::{CertificateDer, ServerName};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::help_harness::{PASSWORD, TestBroker, Ws, accounts, login, ws_request};

fn rt_block<T>(b: &TestBroker, f: impl std::future::Future<Output = T>) -> T {
    b.rt.block_on(f)
}

/// POSTs credentials as the web app does; returns the whole response.
async fn sign_in(
    base: &str,
    user: &str,
    password: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    sign_in_with(&reqwest::Client::new(), base, user, password, extra).await
}

async fn sign_in_with(
    client: &reqwest::Client,
    base: &str,
    user: &str,
    password: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client
        .post(format!("{base}/api/login"))
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"username":"{user}","password":"{password}"}}"#
        ));
    for (k, v) in extra {
        request = request.header(*k, *v);
    }
    request.send().await.unwrap()
}

fn tight_sign_in() -> BrokerConfig {
    BrokerConfig {
        rate_limits: RateLimits {
            // 3 at once, then one every 10 s.
            sign_in_per_ip: Rate::new(6, 3),
            ..RateLimits::default()
        },
        ..BrokerConfig::default()
    }
}

#[test]
fn csp_and_security_headers_on_the_apps_and_the_api() {
    let broker = TestBroker::start(BrokerConfig::default());
    let base = broker.url();
    rt_block(&broker, async {
        for (path, status) in [("/", 200), ("/share", 200), ("/api/me", 401)] {
            let r = reqwest::get(format!("{base}{path}")).await.unwrap();
            assert_eq!(r.status(), status, "{path}");
            let csp = r.headers()["content-security-policy"].to_str().unwrap();
            assert!(
                csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
                "{path}: {csp}"
            );
            assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
            assert_eq!(r.headers()["x-content-type-options"], "nosniff");
            assert!(
                r.headers().get("strict-transport-security").is_none(),
                "{path}: no HSTS over plain HTTP"
            );
        }
    });
}

#[test]
fn a_foreign_origin_is_refused_on_sign_in_and_the_websocket() {
    let broker = TestBroker::start(BrokerConfig::default());
    let base = broker.url();
    rt_block(&broker, async {
        let r = sign_in(
            &base,
            "ada",
            PASSWORD,
            &[("origin", "https://evil.example")],
        )
        .await;
        assert_eq!(r.status(), 403);
        assert!(r.headers().get("set-cookie").is_none());

        let cookie = login(&base, "ada").await;
        let request = ws_request(&base, &cookie, "https://evil.example");
        match tokio_tungstenite::connect_async(request).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(r)) => assert_eq!(r.status(), 403),
            Err(e) => panic!("expected 403, got {e}"),
            Ok(_) => panic!("a foreign page opened the helper's WebSocket"),
        }
        // The same cookie from our own origin works.
        let _ws = Ws::connect(&base, &cookie).await;
    });
}

#[test]
fn a_state_change_without_the_csrf_token_is_refused() {
    let broker = TestBroker::start(BrokerConfig::default());
    let base = broker.url();
    rt_block(&broker, async {
        let r = sign_in(&base, "ada", PASSWORD, &[]).await;
        assert_eq!(r.status(), 200);
        let cookie = r.headers()["set-cookie"].to_str().unwrap();
        let cookie = cookie.split(';').next().unwrap().to_owned();
        let csrf = r.json::<serde_json::Value>().await.unwrap()["csrf"]
            .as_str()
            .unwrap()
            .to_owned();
        let client = reqwest::Client::new();
        let logout = |token: Option<&str>| {
            let mut rq = client
                .post(format!("{base}/api/logout"))
                .header("cookie", &cookie);
            if let Some(t) = token {
                rq = rq.header("x-csrf-token", t);
            }
            rq.send()
        };
        assert_eq!(logout(None).await.unwrap().status(), 403);
        assert_eq!(logout(Some("forged")).await.unwrap().status(), 403);
        let me = client
            .get(format!("{base}/api/me"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 200, "still signed in");
        assert_eq!(logout(Some(&csrf)).await.unwrap().status(), 204);
    });
}

#[test]
fn a_sign_in_flood_gets_429_with_retry_after() {
    let broker = TestBroker::start(tight_sign_in());
    let base = broker.url();
    rt_block(&broker, async {
        for _ in 0..3 {
            assert_eq!(sign_in(&base, "ada", "wrong", &[]).await.status(), 401);
        }
        // Now even the right password waits.
        let r = sign_in(&base, "ada", PASSWORD, &[]).await;
        assert_eq!(r.status(), 429);
        let retry: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=10).contains(&retry), "Retry-After {retry}");
        let body = r.text().await.unwrap();
        assert!(body.contains("\"rate_limited\""), "{body}");
        // Agents' sign-in shares the limit.
        let r = reqwest::Client::new()
            .post(format!("{base}/api/token"))
            .header("content-type", "application/json")
            .body(format!(r#"{{"username":"sam","password":"{PASSWORD}"}}"#))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 429);
    });
    assert_eq!(broker.stats.snapshot().sign_ins_rate_limited, 2);
}

#[test]
fn a_spoofed_forwarded_for_from_an_untrusted_peer_changes_nothing() {
    let broker = TestBroker::start(tight_sign_in());
    let base = broker.url();
    rt_block(&broker, async {
        for i in 0..3 {
            let xff = format!("198.51.100.{i}");
            let r = sign_in(&base, "ada", "wrong", &[("x-forwarded-for", &xff)]).await;
            assert_eq!(r.status(), 401);
        }
        let r = sign_in(
            &base,
            "ada",
            PASSWORD,
            &[
                ("x-forwarded-for", "198.51.100.99"),
                ("forwarded", "for=198.51.100.98"),
                ("x-forwarded-proto", "https"),
            ],
        )
        .await;
        assert_eq!(r.status(), 429, "the limiter keys on the socket peer");
        assert!(r.headers().get("strict-transport-security").is_none());
    });

    // The same requests through a trusted proxy: each forwarded client has its own bucket,
    // and the proxy's https counts.
    let broker = TestBroker::start(BrokerConfig {
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        ..tight_sign_in()
    });
    let base = broker.url();
    rt_block(&broker, async {
        for i in 0..5 {
            let xff = format!("1.2.3.4, 198.51.100.{i}");
            let r = sign_in(&base, "ada", "wrong", &[("x-forwarded-for", &xff)]).await;
            assert_eq!(r.status(), 401, "client {i}");
        }
        let r = sign_in(
            &base,
            "ada",
            PASSWORD,
            &[
                ("x-forwarded-for", "198.51.100.200"),
                ("x-forwarded-proto", "https"),
            ],
        )
        .await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["strict-transport-security"], "max-age=31536000");
        let cookie = r.headers()["set-cookie"].to_str().unwrap();
        assert!(cookie.contains("; Secure"), "{cookie}");
    });
}

#[test]
fn redemption_is_rate_limited_per_user() {
    let broker = TestBroker::start(BrokerConfig {
        rate_limits: RateLimits {
            redeem_per_user: Rate::new(1, 2),
            ..RateLimits::default()
        },
        ..BrokerConfig::default()
    });
    let base = broker.url();
    rt_block(&broker, async {
        let cookie = login(&base, "sam").await;
        let mut sam = Ws::connect(&base, &cookie).await;
        let redeem = || ClientMessage::Redeem {
            code: "ABCD-2345".into(),
            client: glass_protocol::Client::Web,
            device: None,
        };
        for _ in 0..2 {
            sam.send(redeem()).await;
            assert_ne!(sam.error().await, ErrorCode::RateLimited);
        }
        sam.send(redeem()).await;
        assert_eq!(sam.error().await, ErrorCode::RateLimited);
    });
    assert_eq!(broker.stats.snapshot().redeems_rate_limited, 1);
}

#[test]
fn a_websocket_flood_is_told_rate_limited_then_closed() {
    let broker = TestBroker::start(BrokerConfig {
        rate_limits: RateLimits {
            messages_per_link: Rate::new(60, 5),
            flood_close_after: 10,
            ..RateLimits::default()
        },
        ..BrokerConfig::default()
    });
    let base = broker.url();
    let (told, closed, pongs) = rt_block(&broker, async {
        let cookie = login(&base, "ada").await;
        let request = ws_request(&base, &cookie, &base);
        let (socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        let (mut sink, mut stream) = socket.split();
        for t in 0..60 {
            let m = glass_protocol::encode_client(&ClientMessage::Ping { t });
            if sink.send(Message::Text(m.into())).await.is_err() {
                break;
            }
        }
        let (mut told, mut closed, mut pongs) = (false, false, 0);
        // Ends at the close; the bound is for a machine loaded by other tests.
        let end = Instant::now() + Duration::from_secs(20);
        while let Ok(frame) =
            tokio::time::timeout(end.saturating_duration_since(Instant::now()), stream.next()).await
        {
            match frame {
                Some(Ok(Message::Text(t))) => match glass_protocol::decode_server(t.as_str()) {
                    Ok(ServerMessage::Error { code, .. }) => {
                        assert_eq!(code, ErrorCode::RateLimited);
                        assert!(!told, "told once");
                        told = true;
                    }
                    Ok(ServerMessage::Pong { .. }) => pongs += 1,
                    other => panic!("unexpected {other:?}"),
                },
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => {
                    closed = true;
                    break;
                }
                Some(Ok(_)) => {}
            }
        }
        (told, closed, pongs)
    });
    assert!(told, "the client was told rate_limited");
    assert!(closed, "a link that kept flooding was closed");
    assert_eq!(pongs, 5, "the burst passed, nothing after it");
    let stats = broker.stats.snapshot();
    assert_eq!(stats.links_closed_flooding, 1);
    assert!(stats.messages_rate_limited >= 11, "{stats:?}");
}

// --- TLS --------------------------------------------------------------------------------

struct Pair {
    cert_pem: String,
    key_pem: String,
    der: CertificateDer<'static>,
}

fn self_signed() -> Pair {
    let c = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    Pair {
        cert_pem: c.cert.pem(),
        key_pem: c.signing_key.serialize_pem(),
        der: c.cert.der().clone(),
    }
}

/// Writes a pair as a deployment tool does: each file replaced by a rename.
fn install(dir: &Path, cert_pem: &str, key_pem: &str) -> TlsConfig {
    let files = TlsConfig {
        cert: dir.join("fullchain.pem"),
        key: dir.join("privkey.pem"),
    };
    for (path, text) in [(&files.key, key_pem), (&files.cert, cert_pem)] {
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, path).unwrap();
    }
    files
}

fn tls_connector(trusted: &[&CertificateDer<'static>]) -> tokio_rustls::TlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    for c in trusted {
        roots.add((*c).clone()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    tokio_rustls::TlsConnector::from(Arc::new(config))
}

type Tls = tokio_rustls::client::TlsStream<tokio::net::TcpStream>;

/// A TLS connection to the broker, and the certificate it served.
async fn connect_tls(addr: SocketAddr, trusted: &[&CertificateDer<'static>]) -> (Tls, Vec<u8>) {
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let tls = tls_connector(trusted)
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .expect("a TLS handshake with a trusted certificate");
    let served = tls.get_ref().1.peer_certificates().unwrap()[0].to_vec();
    (tls, served)
}

/// The WebSocket over an established TLS connection, as the web app opens it.
async fn wss(tls: Tls, port: u16, cookie: &str) -> tokio_tungstenite::WebSocketStream<Tls> {
    let mut request = format!("wss://localhost:{port}/api/ws")
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("cookie", cookie.parse().unwrap());
    request.headers_mut().insert(
        "origin",
        format!("https://localhost:{port}").parse().unwrap(),
    );
    tokio_tungstenite::client_async(request, tls)
        .await
        .unwrap()
        .0
}

async fn ping(ws: &mut tokio_tungstenite::WebSocketStream<Tls>, t: u64) {
    let m = glass_protocol::encode_client(&ClientMessage::Ping { t });
    ws.send(Message::Text(m.into())).await.unwrap();
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(3), ws.next())
            .await
            .expect("an answer in time")
            .expect("the link is open")
            .unwrap();
        if let Message::Text(text) = frame
            && let Ok(ServerMessage::Pong { t: back }) = glass_protocol::decode_server(&text)
        {
            assert_eq!(back, t);
            return;
        }
    }
}

fn https_client(addr: SocketAddr, pem: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(pem.as_bytes()).unwrap()])
        .resolve("localhost", addr)
        .build()
        .unwrap()
}

fn tls_broker(dir: &Path, pair: &Pair) -> TestBroker {
    TestBroker::start(BrokerConfig {
        tls: Some(install(dir, &pair.cert_pem, &pair.key_pem)),
        tls_poll: Duration::from_millis(100),
        ..BrokerConfig::default()
    })
}

#[test]
fn tls_with_a_self_signed_certificate_hsts_secure_cookies_and_wss() {
    let dir = tempfile::tempdir().unwrap();
    let pair = self_signed();
    let broker = tls_broker(dir.path(), &pair);
    let port = broker.addr.port();
    let base = format!("https://localhost:{port}");
    rt_block(&broker, async {
        let client = https_client(broker.addr, &pair.cert_pem);
        let r = client.get(format!("{base}/")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["strict-transport-security"], "max-age=31536000");
        assert!(r.headers().contains_key("content-security-policy"));

        let origin = base.clone();
        let r = sign_in_with(&client, &base, "ada", PASSWORD, &[("origin", &origin)]).await;
        assert_eq!(r.status(), 200, "our own https origin signs in");
        let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
        assert!(
            cookie.contains("; Secure") && cookie.contains("HttpOnly"),
            "{cookie}"
        );
        let cookie = cookie.split(';').next().unwrap().to_owned();

        let (tls, served) = connect_tls(broker.addr, &[&pair.der]).await;
        assert_eq!(served, pair.der.to_vec());
        let mut ws = wss(tls, port, &cookie).await;
        ping(&mut ws, 42).await;

        // Plain HTTP on the TLS port gets nowhere.
        let plain = reqwest::get(format!("http://{}/healthz", broker.addr)).await;
        assert!(plain.map(|r| !r.status().is_success()).unwrap_or(true));
    });
}

#[test]
fn a_replaced_certificate_is_served_after_the_reload_without_dropping_links() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (self_signed(), self_signed(), self_signed());
    let broker = tls_broker(dir.path(), &a);
    let port = broker.addr.port();
    let trusted = [&a.der, &b.der, &c.der];
    rt_block(&broker, async {
        let client = https_client(broker.addr, &a.cert_pem);
        let base = format!("https://localhost:{port}");
        let r = sign_in_with(&client, &base, "ada", PASSWORD, &[]).await;
        let cookie = r.headers()["set-cookie"].to_str().unwrap();
        let cookie = cookie.split(';').next().unwrap().to_owned();

        let (tls, served) = connect_tls(broker.addr, &trusted).await;
        assert_eq!(served, a.der.to_vec(), "A before the change");
        let mut open = wss(tls, port, &cookie).await;
        ping(&mut open, 1).await;

        install(dir.path(), &b.cert_pem, &b.key_pem);
        let end = Instant::now() + Duration::from_secs(10);
        loop {
            let (_, served) = connect_tls(broker.addr, &trusted).await;
            if served == b.der.to_vec() {
                break;
            }
            assert!(Instant::now() < end, "B not served 10 s after the change");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        ping(&mut open, 2).await;

        // A broken pair (C's certificate with B's key) is refused; B stays.
        install(dir.path(), &c.cert_pem, &b.key_pem);
        let end = Instant::now() + Duration::from_secs(10);
        while broker.stats.snapshot().tls_reloads_refused == 0 {
            assert!(Instant::now() < end, "the broken pair was never looked at");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let (_, served) = connect_tls(broker.addr, &trusted).await;
        assert_eq!(served, b.der.to_vec(), "B stays after a broken pair");
        ping(&mut open, 3).await;
    });
    let stats = broker.stats.snapshot();
    assert_eq!((stats.tls_reloads, stats.tls_reloads_refused), (1, 1));
}

#[test]
fn a_bad_certificate_stops_the_start_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let pair = self_signed();
    let files = install(dir.path(), &pair.cert_pem, &pair.key_pem);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let start = |tls: TlsConfig| {
        rt.block_on(Broker::bind(
            BrokerConfig {
                listen: "127.0.0.1:0".parse().unwrap(),
                tls: Some(tls),
                ..BrokerConfig::default()
            },
            Arc::new(accounts()),
        ))
        .err()
        .expect("refused")
        .to_string()
    };
    let e = start(TlsConfig {
        cert: dir.path().join("missing.pem"),
        ..files.clone()
    });
    assert!(e.contains("missing.pem"), "{e}");
    let e = start(TlsConfig {
        key: files.cert.clone(),
        ..files.clone()
    });
    assert!(e.contains("TLS key") && e.contains("fullchain.pem"), "{e}");

    // The command line: both flags or neither, and a bad file is a non-zero exit.
    let glass = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_glass"))
            .args(["broker", "--demo", "--listen", "127.0.0.1:0"])
            .args(args)
            .output()
            .unwrap()
    };
    let out = glass(&["--tls-cert", files.cert.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--tls-key"), "{stderr}");
    let out = glass(&[
        "--tls-cert",
        dir.path().join("nowhere.pem").to_str().unwrap(),
        "--tls-key",
        files.key.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nowhere.pem"), "{stderr}");
    let out = glass(&["--trusted-proxy", "proxy.local"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--trusted-proxy"), "{stderr}");
}
