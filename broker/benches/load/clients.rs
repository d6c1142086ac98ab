//! The client process: helpers and sharers as the web apps drive the broker (cookie
//! sign-in, same-origin WebSocket, a ping every 500 ms).

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt, stream};
use glass_protocol::{Client, ClientMessage, ServerMessage, decode_server, encode_client};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use super::{PASSWORD, Result, SHARERS_PER_ACCOUNT, helper_name, sharer_accounts, sharer_name};

/// Sign-ins in flight: argon2 keeps one core busy per sign-in.
const LOGINS_IN_FLIGHT: usize = 2;
/// WebSocket handshakes in flight.
const CONNECTS_IN_FLIGHT: usize = 32;
/// Longest wait for one answer from the broker.
const ANSWER: Duration = Duration::from_secs(10);

pub fn run(args: &[String]) -> Result<()> {
    let value = |name: &str| -> Result<String> {
        let i = args
            .iter()
            .position(|a| a == name)
            .ok_or(format!("{name} missing"))?;
        Ok(args
            .get(i + 1)
            .ok_or(format!("{name} needs a value"))?
            .clone())
    };
    let addr: std::net::SocketAddr = value("--addr")?.parse()?;
    if !addr.ip().is_loopback() {
        return Err(format!("{addr}: load goes to loopback only").into());
    }
    let pairs: usize = value("--pairs")?.parse()?;
    let deadline = Duration::from_secs(value("--deadline")?.parse()?);
    // The client process ends by itself even if the broker process never closes stdin.
    std::thread::spawn(move || {
        std::thread::sleep(deadline);
        eprintln!("load clients: deadline of {deadline:?} reached, exiting");
        std::process::exit(3);
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("glass-load-client")
        .build()?;
    let mut state = State {
        base: format!("http://{addr}"),
        pairs,
        http: reqwest::Client::new(),
        helper_cookies: Vec::new(),
        sharer_cookies: Vec::new(),
        helpers: Vec::new(),
        sharers: Vec::new(),
        codes: Vec::new(),
        chat_sent: Vec::new(),
        chat_next: 0,
        totals: Arc::new(Totals::default()),
    };
    let mut out = std::io::stdout().lock();
    for line in std::io::stdin().lines() {
        let line = line?;
        let quit = line == "quit";
        let mut answer = match rt.block_on(state.handle(&line)) {
            Ok(v) => v,
            Err(e) => json!({ "error": e.to_string() }),
        };
        answer["rss"] = json!(super::proc::rss_bytes());
        writeln!(out, "{answer}")?;
        out.flush()?;
        if quit {
            break;
        }
    }
    // Dropping the links closes them; the runtime ends with them.
    drop(state);
    rt.shutdown_timeout(Duration::from_secs(2));
    Ok(())
}

/// Counts over all links.
#[derive(Default)]
struct Totals {
    errors: AtomicU64,
    closed: AtomicU64,
    unexpected: AtomicU64,
    undecodable: AtomicU64,
}

/// What the controller waits for.
#[derive(Debug)]
enum Event {
    Code(String),
    Joined,
    SharerJoined,
    Error(glass_protocol::ErrorCode),
}

/// One open WebSocket.
struct Link {
    out: mpsc::Sender<String>,
    events: mpsc::Receiver<Event>,
    chat: Arc<AtomicCounter>,
}

impl Link {
    async fn connect(base: &str, cookie: &str, totals: Arc<Totals>) -> Result<Link> {
        let url = format!("{}/api/ws", base.replace("http://", "ws://"));
        let mut request = url.into_client_request()?;
        request.headers_mut().insert("cookie", cookie.parse()?);
        request.headers_mut().insert("origin", base.parse()?);
        let (socket, _) = tokio::time::timeout(ANSWER, tokio_tungstenite::connect_async(request))
            .await
            .map_err(|_| "WebSocket handshake timed out")??;
        let (mut sink, mut stream) = socket.split();
        let (out, mut out_rx) = mpsc::channel::<String>(64);
        let (events_tx, events) = mpsc::channel(8);
        let chat = Arc::new(AtomicCounter::default());
        let counter = chat.clone();
        tokio::spawn(async move {
            let mut ping = tokio::time::interval(Duration::from_millis(500));
            ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let (mut t, mut last_seq) = (0u64, 0u64);
            loop {
                tokio::select! {
                    _ = ping.tick() => {
                        t += 1;
                        let m = encode_client(&ClientMessage::Ping { t });
                        if sink.send(Message::Text(m.into())).await.is_err() {
                            totals.closed.fetch_add(1, Ordering::Relaxed);
                            return;
                        }
                    }
                    m = out_rx.recv() => match m {
                        Some(m) => {
                            if sink.send(Message::Text(m.into())).await.is_err() {
                                totals.closed.fetch_add(1, Ordering::Relaxed);
                                return;
                            }
                        }
                        // The controller let go of the link: close it, not a loss.
                        None => {
                            let _ = sink.close().await;
                            return;
                        }
                    },
                    frame = stream.next() => match frame {
                        Some(Ok(Message::Text(text))) => {
                            let event = match decode_server(text.as_str()) {
                                Ok(ServerMessage::Pong { .. }) => None,
                                Ok(ServerMessage::ChatMessage { seq, .. }) => {
                                    counter.add(seq != last_seq + 1);
                                    last_seq = seq;
                                    None
                                }
                                Ok(ServerMessage::Code { code, .. }) => Some(Event::Code(code)),
                                Ok(ServerMessage::Joined { .. }) => Some(Event::Joined),
                                Ok(ServerMessage::SharerJoined { .. }) => {
                                    Some(Event::SharerJoined)
                                }
                                Ok(ServerMessage::Error { code, .. }) => {
                                    totals.errors.fetch_add(1, Ordering::Relaxed);
                                    Some(Event::Error(code))
                                }
                                Ok(_) => {
                                    totals.unexpected.fetch_add(1, Ordering::Relaxed);
                                    None
                                }
                                Err(_) => {
                                    totals.undecodable.fetch_add(1, Ordering::Relaxed);
                                    None
                                }
                            };
                            if let Some(e) = event {
                                let _ = events_tx.try_send(e);
                            }
                        }
                        Some(Ok(_)) => {}
                        Some(Err(_)) | None => {
                            totals.closed.fetch_add(1, Ordering::Relaxed);
                            return;
                        }
                    },
                }
            }
        });
        Ok(Link { out, events, chat })
    }

    async fn send(&self, m: &ClientMessage) -> Result<()> {
        self.out
            .send(encode_client(m))
            .await
            .map_err(|_| "link closed".into())
    }

    /// The next event, which must be the one `want` accepts.
    async fn expect<T>(&mut self, what: &str, want: impl Fn(Event) -> Option<T>) -> Result<T> {
        let e = tokio::time::timeout(ANSWER, self.events.recv())
            .await
            .map_err(|_| format!("no {what} within {ANSWER:?}"))?
            .ok_or_else(|| format!("link closed waiting for {what}"))?;
        match e {
            Event::Error(code) => Err(format!("broker answered {code:?} instead of {what}").into()),
            e => want(e).ok_or_else(|| format!("expected {what}").into()),
        }
    }
}

struct State {
    base: String,
    pairs: usize,
    http: reqwest::Client,
    helper_cookies: Vec<String>,
    sharer_cookies: Vec<String>,
    helpers: Vec<Link>,
    sharers: Vec<Link>,
    codes: Vec<String>,
    /// Chat lines sent so far, per pair (over every `chat` command).
    chat_sent: Vec<u64>,
    /// The next chat line's number: picks its pair and side.
    chat_next: usize,
    totals: Arc<Totals>,
}

impl State {
    async fn handle(&mut self, line: &str) -> Result<Value> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let number =
            |i: usize| -> Result<usize> { Ok(words.get(i).ok_or("missing number")?.parse()?) };
        match words.first().copied() {
            Some("login") => self.login().await,
            Some("helpers") => self.open_helpers(number(1)?).await,
            Some("sharers") => self.open_sharers(number(1)?).await,
            Some("chat") => self.chat(number(1)?, number(2)?).await,
            Some("quit") => Ok(json!({})),
            _ => Err(format!("unknown command {line:?}").into()),
        }
    }

    /// Signs in every helper and sharer: their session cookies.
    async fn login(&mut self) -> Result<Value> {
        let names: Vec<String> = (0..self.pairs)
            .map(helper_name)
            .chain((0..sharer_accounts(self.pairs)).map(sharer_name))
            .collect();
        let (http, base) = (&self.http, &self.base);
        let cookies: Vec<Result<String>> = stream::iter(names)
            .map(|user| async move {
                let response = http
                    .post(format!("{base}/api/login"))
                    .header("content-type", "application/json")
                    .body(format!(
                        r#"{{"username":"{user}","password":"{PASSWORD}"}}"#
                    ))
                    .send()
                    .await?;
                if response.status() != 200 {
                    return Err(format!("sign-in {user}: {}", response.status()).into());
                }
                let cookie = response
                    .headers()
                    .get("set-cookie")
                    .ok_or("no cookie")?
                    .to_str()?;
                Ok(cookie.split(';').next().unwrap_or_default().to_owned())
            })
            .buffered(LOGINS_IN_FLIGHT)
            .collect()
            .await;
        let mut cookies = cookies.into_iter();
        for c in cookies.by_ref().take(self.pairs) {
            self.helper_cookies.push(c?);
        }
        for c in cookies {
            let c = c?;
            for _ in 0..SHARERS_PER_ACCOUNT {
                self.sharer_cookies.push(c.clone());
            }
        }
        self.sharer_cookies.truncate(self.pairs);
        Ok(json!({ "signed_in": self.helper_cookies.len() + self.sharer_cookies.len() }))
    }

    /// Helpers up to `k` open their link and make a code: idle sessions.
    async fn open_helpers(&mut self, k: usize) -> Result<Value> {
        let from = self.helpers.len();
        let cookies = self
            .helper_cookies
            .get(from..k)
            .ok_or("more helpers than signed in")?;
        let (base, totals) = (&self.base, &self.totals);
        let opened: Vec<Result<(Link, String)>> = stream::iter(cookies)
            .map(|cookie| async move {
                let mut link = Link::connect(base, cookie, totals.clone()).await?;
                link.send(&ClientMessage::CreateCode).await?;
                let code = link
                    .expect("code", |e| match e {
                        Event::Code(c) => Some(c),
                        _ => None,
                    })
                    .await?;
                Ok((link, code))
            })
            .buffered(CONNECTS_IN_FLIGHT)
            .collect()
            .await;
        for o in opened {
            let (link, code) = o?;
            self.helpers.push(link);
            self.codes.push(code);
        }
        Ok(json!({ "helpers": self.helpers.len() }))
    }

    /// Sharers up to `k` open their link and redeem their helper's code: pairs.
    async fn open_sharers(&mut self, k: usize) -> Result<Value> {
        let from = self.sharers.len();
        let cookies = self
            .sharer_cookies
            .get(from..k)
            .ok_or("more sharers than signed in")?;
        let codes = self.codes.get(from..k).ok_or("more sharers than codes")?;
        let (base, totals) = (&self.base, &self.totals);
        let opened: Vec<Result<Link>> = stream::iter(cookies.iter().zip(codes))
            .map(|(cookie, code)| async move {
                let mut link = Link::connect(base, cookie, totals.clone()).await?;
                link.send(&ClientMessage::Redeem {
                    code: code.clone(),
                    client: Client::Web,
                    device: None,
                })
                .await?;
                link.expect("joined", |e| matches!(e, Event::Joined).then_some(()))
                    .await?;
                Ok(link)
            })
            .buffered(CONNECTS_IN_FLIGHT)
            .collect()
            .await;
        for o in opened {
            self.sharers.push(o?);
        }
        for helper in &mut self.helpers[from..k] {
            helper
                .expect("sharer_joined", |e| {
                    matches!(e, Event::SharerJoined).then_some(())
                })
                .await?;
        }
        Ok(json!({ "sharers": self.sharers.len() }))
    }

    /// Sends `count` chat lines over the pairs at `rate` per second, alternating sides,
    /// and waits until both sides of every pair have received every line.
    async fn chat(&mut self, count: usize, rate: usize) -> Result<Value> {
        let pairs = self.sharers.len();
        if pairs == 0 {
            return Err("no pairs".into());
        }
        self.chat_sent.resize(pairs, 0);
        let start = Instant::now();
        let mut tick = tokio::time::interval(Duration::from_millis(10));
        let per_tick = rate as f64 / 100.0;
        let (mut budget, end) = (0.0, self.chat_next + count);
        while self.chat_next < end {
            tick.tick().await;
            budget += per_tick;
            while budget >= 1.0 && self.chat_next < end {
                let i = self.chat_next;
                let pair = i % pairs;
                // Helpers and sharers take turns, a round over all pairs each.
                let link = if (i / pairs).is_multiple_of(2) {
                    &self.helpers[pair]
                } else {
                    &self.sharers[pair]
                };
                let text = format!("Line {i}: could you open Settings, then Network?");
                link.send(&ClientMessage::Chat { text }).await?;
                self.chat_sent[pair] += 1;
                self.chat_next += 1;
                budget -= 1.0;
            }
        }
        let send_s = start.elapsed().as_secs_f64();
        let received = |links: &[Link]| links[..pairs].iter().map(|l| l.chat.count()).sum::<u64>();
        let want: u64 = self.chat_sent.iter().sum();
        let deadline = Instant::now() + Duration::from_secs(20);
        while (received(&self.helpers) < want || received(&self.sharers) < want)
            && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let delivered_s = start.elapsed().as_secs_f64();
        let sent = &self.chat_sent;
        let incomplete = (0..pairs)
            .filter(|&p| {
                self.helpers[p].chat.count() != sent[p] || self.sharers[p].chat.count() != sent[p]
            })
            .count();
        let gaps: u64 = self.helpers[..pairs]
            .iter()
            .chain(&self.sharers)
            .map(|l| l.chat.gaps())
            .sum();
        let t = &self.totals;
        let unexpected =
            t.unexpected.load(Ordering::Relaxed) + t.undecodable.load(Ordering::Relaxed);
        // Counts are totals over every `chat` command so far.
        Ok(json!({
            "sent": want,
            "send_seconds": send_s,
            "delivered_seconds": delivered_s,
            "helper_received": received(&self.helpers),
            "sharer_received": received(&self.sharers),
            "incomplete_pairs": incomplete,
            "seq_gaps": gaps,
            "errors": t.errors.load(Ordering::Relaxed),
            "closed": t.closed.load(Ordering::Relaxed),
            "unexpected": unexpected,
        }))
    }
}

/// Chat lines a link received, and how many arrived out of `seq` order.
#[derive(Default)]
struct AtomicCounter {
    count: AtomicU64,
    gaps: AtomicU64,
}

impl AtomicCounter {
    fn add(&self, gap: bool) {
        self.count.fetch_add(1, Ordering::Relaxed);
        if gap {
            self.gaps.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    fn gaps(&self) -> u64 {
        self.gaps.load(Ordering::Relaxed)
    }
}
