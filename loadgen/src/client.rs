//! One user's side of a session as the web app speaks it: sign in with a password (cookie),
//! then one WebSocket carrying the 500 ms heartbeat, from a source address of its own.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use glass_protocol::{ClientMessage, ServerMessage};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// Why a step failed; `kind` is what the report counts.
#[derive(Debug, Clone)]
pub struct Failure {
    /// Short stable key: `sign_in: 503`, `timeout: redeem→joined`, …
    pub kind: String,
}

impl Failure {
    pub(crate) fn new(kind: impl Into<String>) -> Failure {
        Failure { kind: kind.into() }
    }
}

/// The broker's address split out of the target URL.
#[derive(Debug, Clone)]
pub struct Target {
    /// `http://host:port` (also the Origin the web app sends).
    pub base: String,
    /// Where to connect.
    pub addr: SocketAddr,
}

impl Target {
    /// Parses `http://HOST:PORT` (no path) and resolves it once.
    pub async fn resolve(url: &str) -> Result<Target, String> {
        let rest = url
            .strip_prefix("http://")
            .ok_or("must start with http:// (the harness runs on loopback, no TLS)")?;
        let hostport = rest.trim_end_matches('/');
        if hostport.is_empty() || hostport.contains('/') {
            return Err("must be http://HOST:PORT with no path".into());
        }
        let with_port = if hostport
            .rsplit_once(':')
            .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
        {
            hostport.to_owned()
        } else {
            format!("{hostport}:80")
        };
        let addr = tokio::net::lookup_host(&with_port)
            .await
            .map_err(|e| format!("{with_port}: {e}"))?
            .next()
            .ok_or_else(|| format!("{with_port}: no address"))?;
        Ok(Target {
            base: format!("http://{hostport}"),
            addr,
        })
    }
}

/// The cookies a sign-in set (`glass_session`, and a load balancer's stickiness cookie such
/// as `GLASSLB` when it inserts one), as one `Cookie` header value.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// `name=value; name=value`.
    pub cookie: String,
    /// The load balancer's server cookie value, when one was set (which broker).
    pub balancer: Option<String>,
}

/// Signs in as the web app does (`POST /api/login`), from `source`, over a connection of its
/// own (HTTP/1.1, `Connection: close`; a plain request on a socket, so ten thousand sign-ins
/// cost the generator next to nothing). `429` and `503` are retried after their
/// `Retry-After` (at most 5 times, as a person would retry), counted in `retries`.
pub async fn sign_in(
    target: &Target,
    source: Option<IpAddr>,
    user: &str,
    password: &str,
    limit: Duration,
    retries: &mut u32,
) -> Result<SignedIn, Failure> {
    let body = serde_json::json!({ "username": user, "password": password }).to_string();
    let host = target.base.trim_start_matches("http://");
    let request = format!(
        "POST /api/login HTTP/1.1\r\nHost: {host}\r\nOrigin: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        target.base,
        body.len()
    );
    let mut attempt = 0;
    loop {
        let response = tokio::time::timeout(limit, post(target, source, request.as_bytes()))
            .await
            .map_err(|_| Failure::new("sign_in: timeout"))??;
        let head = response.split("\r\n\r\n").next().unwrap_or("");
        let mut lines = head.split("\r\n");
        let status: u16 = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| Failure::new("sign_in: bad response"))?;
        let headers: Vec<(String, &str)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim()))
            .collect();
        if (status == 429 || status == 503) && attempt < 5 {
            attempt += 1;
            *retries += 1;
            let wait = headers
                .iter()
                .find(|(k, _)| k == "retry-after")
                .and_then(|(_, v)| v.parse::<u64>().ok())
                .unwrap_or(1)
                .min(10);
            tokio::time::sleep(Duration::from_secs(wait)).await;
            continue;
        }
        if status != 200 {
            return Err(Failure::new(format!("sign_in: {status}")));
        }
        let mut cookies = Vec::new();
        let mut balancer = None;
        for (_, text) in headers.iter().filter(|(k, _)| k == "set-cookie") {
            let pair = text.split(';').next().unwrap_or("").trim();
            if let Some((name, v)) = pair.split_once('=') {
                if name != "glass_session" {
                    balancer = Some(v.to_owned());
                }
                cookies.push(pair.to_owned());
            }
        }
        if !cookies.iter().any(|c| c.starts_with("glass_session=")) {
            return Err(Failure::new("sign_in: no cookie"));
        }
        return Ok(SignedIn {
            cookie: cookies.join("; "),
            balancer,
        });
    }
}

/// Connects from `source`, writes `request`, reads the answer to the end (at most 64 KiB).
async fn post(target: &Target, source: Option<IpAddr>, request: &[u8]) -> Result<String, Failure> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = connect(target, source)
        .await
        .map_err(|f| Failure::new(f.kind.replacen("ws:", "sign_in:", 1)))?;
    stream
        .write_all(request)
        .await
        .map_err(|_| Failure::new("sign_in: write"))?;
    let mut buf = Vec::with_capacity(1024);
    (&mut stream)
        .take(64 * 1024)
        .read_to_end(&mut buf)
        .await
        .map_err(|_| Failure::new("sign_in: read"))?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// A TCP connection to the target from `source` (any port), Nagle off.
async fn connect(
    target: &Target,
    source: Option<IpAddr>,
) -> Result<tokio::net::TcpStream, Failure> {
    let socket = if target.addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()
    } else {
        tokio::net::TcpSocket::new_v6()
    }
    .map_err(|_| Failure::new("ws: socket"))?;
    if let Some(ip) = source {
        socket
            .bind(SocketAddr::new(ip, 0))
            .map_err(|_| Failure::new("ws: bind source address"))?;
    }
    let stream = socket
        .connect(target.addr)
        .await
        .map_err(|_| Failure::new("ws: connect"))?;
    let _ = stream.set_nodelay(true);
    Ok(stream)
}

/// A message from the broker and when it arrived (read off the socket).
pub type Arrival = (Instant, ServerMessage);

/// An open WebSocket with its heartbeat running.
pub struct Link {
    out: mpsc::UnboundedSender<Message>,
    incoming: mpsc::UnboundedReceiver<Arrival>,
    task: tokio::task::JoinHandle<()>,
}

impl Link {
    /// Opens `/api/ws` with the sign-in's cookies and the broker's own Origin, from `source`.
    pub async fn connect(
        target: &Target,
        source: Option<IpAddr>,
        signed_in: &SignedIn,
        ping: Duration,
        limit: Duration,
    ) -> Result<Link, Failure> {
        let url = format!("{}/api/ws", target.base.replacen("http://", "ws://", 1));
        let mut request = url
            .into_client_request()
            .map_err(|_| Failure::new("ws: request"))?;
        let headers = request.headers_mut();
        headers.insert(
            "cookie",
            signed_in
                .cookie
                .parse()
                .map_err(|_| Failure::new("ws: cookie"))?,
        );
        headers.insert(
            "origin",
            target
                .base
                .parse()
                .map_err(|_| Failure::new("ws: origin"))?,
        );
        let connect = async {
            let stream = connect(target, source).await?;
            // 4 KiB read buffers (tungstenite's default is 128 KiB, eagerly allocated: 1.3 GB
            // for 10,000 links); the broker's frames are small.
            let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
                .read_buffer_size(4 * 1024);
            tokio_tungstenite::client_async_with_config(request, stream, Some(config))
                .await
                .map_err(|e| Failure::new(format!("ws: handshake: {}", short(&e.to_string()))))
        };
        let (socket, _) = tokio::time::timeout(limit, connect)
            .await
            .map_err(|_| Failure::new("ws: timeout"))??;
        let (mut sink, mut stream) = socket.split();
        let (out, mut out_rx) = mpsc::unbounded_channel::<Message>();
        let (in_tx, incoming) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            // Heartbeats start at a random-ish phase so thousands of links do not beat as one.
            let phase = Duration::from_micros(u64::from(std::process::id() ^ nanos()) % 500_000);
            let mut beat = tokio::time::interval_at(tokio::time::Instant::now() + phase, ping);
            beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut closing = false;
            loop {
                tokio::select! {
                    _ = beat.tick(), if !closing => {
                        let m = glass_protocol::encode_client(&ClientMessage::Ping { t: 0 });
                        if sink.send(Message::Text(m.into())).await.is_err() { break; }
                    }
                    m = out_rx.recv(), if !closing => match m {
                        Some(m) => {
                            closing = matches!(m, Message::Close(_));
                            if sink.send(m).await.is_err() { break; }
                        }
                        None => {
                            closing = true;
                            let _ = sink.send(Message::Close(None)).await;
                        }
                    },
                    frame = stream.next() => match frame {
                        Some(Ok(Message::Text(t))) => {
                            let at = Instant::now();
                            match glass_protocol::decode_server(t.as_str()) {
                                Ok(ServerMessage::Pong { .. }) => {}
                                Ok(m) => { let _ = in_tx.send((at, m)); }
                                Err(_) => {
                                    let _ = in_tx.send((at, ServerMessage::error(glass_protocol::ErrorCode::Malformed)));
                                }
                            }
                        }
                        Some(Ok(_)) => {}
                        _ => break,
                    },
                }
            }
        });
        Ok(Link {
            out,
            incoming,
            task,
        })
    }

    /// Queues `m`; the instant it was queued.
    pub fn send(&self, m: &ClientMessage) -> Instant {
        let at = Instant::now();
        let _ = self
            .out
            .send(Message::Text(glass_protocol::encode_client(m).into()));
        at
    }

    /// The next message within `limit`: `Ok(None)` when the link closed.
    pub async fn next(&mut self, limit: Duration) -> Result<Option<Arrival>, ()> {
        tokio::time::timeout(limit, self.incoming.recv())
            .await
            .map_err(|_| ())
    }

    /// Sends a close frame and waits (at most `limit`) for the broker to close too; every
    /// message that still arrives is handed to `seen`.
    pub async fn close(mut self, limit: Duration, mut seen: impl FnMut(Arrival)) {
        let _ = self.out.send(Message::Close(None));
        let end = tokio::time::Instant::now() + limit;
        while let Ok(Some(a)) = tokio::time::timeout_at(end, self.incoming.recv()).await {
            seen(a);
        }
        self.task.abort();
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}

fn short(s: &str) -> String {
    s.chars().take(60).collect()
}
