//! Shared by the help-session tests (tests/help.rs) and the help latency benchmark
//! (benches/help_latency.rs): a real broker on loopback, a web-app-like WebSocket client and
//! the agent library driven as its local user.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use glass::agent::help::{AgentEvent, HelpConfig, HelpOutcome, LocalAction};
use glass::engine::input::recording::RecordingInjector;
use glass::share::ShareConfig;
use glass::transport::TransportConfig;
use glass::transport::testing::ViewerEvent;
use glass_broker::accounts::{Account, LocalAccounts, Profile, hash_password};
use glass_broker::{Broker, BrokerConfig, PolicyHandle, StatsHandle};
use glass_protocol::{ClientMessage, ConsentReason, ErrorCode, Level, ServerMessage};
use tokio::runtime::Runtime;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

pub const PASSWORD: &str = "correct horse battery";

pub fn profile(name: &str, title: &str) -> Profile {
    Profile {
        name: name.into(),
        title: title.into(),
        company: "Contoso".into(),
        picture: None,
        domain: "contoso.com".into(),
        domain_verified: true,
    }
}

pub fn accounts() -> LocalAccounts {
    let hash = hash_password(PASSWORD).unwrap();
    let account = |username: &str, p: Profile, groups: &[&str]| Account {
        username: username.into(),
        password_hash: hash.clone(),
        profile: p,
        groups: groups.iter().map(|g| g.to_string()).collect(),
    };
    // Groups for the policy tests (the embedded default policy ignores them).
    LocalAccounts::from_accounts(vec![
        account(
            "ada",
            profile("Ada Lovelace", "IT support engineer"),
            &["helpdesk"],
        ),
        account("sam", profile("Sam Taylor", "Accountant"), &["staff"]),
        account("eve", profile("Eve Mallory", "Intruder"), &[]),
    ])
    .unwrap()
}

/// A broker on 127.0.0.1:0 in its own runtime; stopped on drop.
pub struct TestBroker {
    pub addr: SocketAddr,
    pub stats: StatsHandle,
    pub policy: PolicyHandle,
    pub audit: glass_broker::audit::AuditHandle,
    /// Where `/metrics` is served, when the config asked for it.
    pub metrics: Option<SocketAddr>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<Result<(), glass_broker::BrokerError>>>,
    pub rt: Runtime,
}

impl TestBroker {
    pub fn start(config: BrokerConfig) -> TestBroker {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let broker = rt
            .block_on(Broker::bind(
                BrokerConfig {
                    listen: "127.0.0.1:0".parse().unwrap(),
                    ..config
                },
                Arc::new(accounts()),
            ))
            .unwrap();
        let addr = broker.local_addr();
        let stats = broker.stats();
        let policy = broker.policy();
        let audit = broker.audit();
        let metrics = broker.metrics_addr();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served = rt.spawn(broker.serve(async {
            let _ = stopped.await;
        }));
        TestBroker {
            addr,
            stats,
            policy,
            audit,
            metrics,
            stop: Some(stop),
            served: Some(served),
            rt,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Asks the broker to stop, as SIGTERM does, without waiting for it.
    pub fn ask_to_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Kills the broker as SIGKILL would: no drain, no flush; what it held in memory
    /// (queued audit rows among it) is gone, its sockets close.
    pub fn crash(mut self) {
        // Neither sent nor dropped: dropping the sender would ask for a graceful stop.
        std::mem::forget(self.stop.take());
        let rt = std::mem::replace(
            &mut self.rt,
            tokio::runtime::Builder::new_current_thread()
                .build()
                .unwrap(),
        );
        rt.shutdown_background();
    }

    /// Whether the broker has stopped serving.
    pub fn stopped(&self) -> bool {
        self.served.as_ref().is_none_or(|s| s.is_finished())
    }
}

impl Drop for TestBroker {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Signs in like the web app: returns the session cookie.
pub async fn login(base: &str, user: &str) -> String {
    login_as(base, user, PASSWORD).await
}

/// [`login`] with a given password.
pub async fn login_as(base: &str, user: &str, password: &str) -> String {
    let response = post_credentials(base, "/api/login", user, password).await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    cookie.split(';').next().unwrap().to_owned()
}

/// The WebSocket upgrade request a page at `origin` makes with its sign-in `cookie`.
pub fn ws_request(
    base: &str,
    cookie: &str,
    origin: &str,
) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    let url = format!("{}/api/ws", base.replace("http://", "ws://"));
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url)
            .unwrap();
    request
        .headers_mut()
        .insert("cookie", cookie.parse().unwrap());
    request
        .headers_mut()
        .insert("origin", origin.parse().unwrap());
    request
}

/// A client of the broker's WebSocket, as the web app uses it (cookie + own origin), with
/// the 500 ms heartbeat running until [`Ws::go_silent`].
pub struct Ws {
    out: mpsc::Sender<Message>,
    incoming: mpsc::Receiver<ServerMessage>,
    silent: Arc<std::sync::atomic::AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Ws {
    pub async fn connect(base: &str, cookie: &str) -> Ws {
        Ws::open(ws_request(base, cookie, base)).await
    }

    /// Connects as the native agent does: a bearer token from `POST /api/token`, no origin.
    pub async fn connect_agent(base: &str, token: &str) -> Ws {
        let url = format!("{}/api/ws", base.replace("http://", "ws://"));
        let mut request =
            tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(url)
                .unwrap();
        request
            .headers_mut()
            .insert("authorization", format!("Bearer {token}").parse().unwrap());
        Ws::open(request).await
    }

    async fn open(request: tokio_tungstenite::tungstenite::handshake::client::Request) -> Ws {
        let (socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        let (mut sink, mut stream) = socket.split();
        let (out, mut out_rx) = mpsc::channel::<Message>(64);
        let (in_tx, incoming) = mpsc::channel(256);
        let (raw_tx, raw) = mpsc::channel(256);
        let silent = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let quiet = silent.clone();
        let task = tokio::spawn(async move {
            let mut ping = tokio::time::interval(Duration::from_millis(500));
            loop {
                tokio::select! {
                    _ = ping.tick() => {
                        if !quiet.load(std::sync::atomic::Ordering::Relaxed) {
                            let m = glass_protocol::encode_client(&ClientMessage::Ping { t: 1 });
                            if sink.send(Message::Text(m.into())).await.is_err() { break; }
                        }
                    }
                    m = out_rx.recv() => match m {
                        Some(m) => { if sink.send(m).await.is_err() { break; } }
                        None => break,
                    },
                    frame = stream.next() => match frame {
                        Some(Ok(Message::Text(t))) => {
                            let _ = raw_tx.try_send(t.to_string());
                            if let Ok(m) = glass_protocol::decode_server(t.as_str())
                                && !matches!(m, ServerMessage::Pong { .. })
                            {
                                let _ = in_tx.send(m).await;
                            }
                        }
                        Some(Ok(_)) => {}
                        _ => break,
                    },
                }
            }
        });
        drop(raw);
        Ws {
            out,
            incoming,
            silent,
            task,
        }
    }

    /// Whether the broker closes this link within `limit` (what it sends meanwhile is
    /// dropped).
    pub async fn closed_within(&mut self, limit: Duration) -> bool {
        tokio::time::timeout(limit, async {
            while self.incoming.recv().await.is_some() {}
        })
        .await
        .is_ok()
    }

    pub async fn send(&self, m: ClientMessage) {
        self.send_raw(Message::Text(glass_protocol::encode_client(&m).into()))
            .await;
    }

    pub async fn send_raw(&self, m: Message) {
        self.out.send(m).await.unwrap();
    }

    /// The next message that is not a pong, within `limit`.
    pub async fn next(&mut self, limit: Duration) -> ServerMessage {
        tokio::time::timeout(limit, self.incoming.recv())
            .await
            .expect("a message from the broker in time")
            .expect("the link is open")
    }

    /// The next message that is not a pong, if one comes within `limit`.
    pub async fn next_within(&mut self, limit: Duration) -> Option<ServerMessage> {
        tokio::time::timeout(limit, self.incoming.recv())
            .await
            .ok()
            .flatten()
    }

    /// Skips messages until one matches.
    pub async fn until(
        &mut self,
        limit: Duration,
        f: impl Fn(&ServerMessage) -> bool,
    ) -> ServerMessage {
        let end = Instant::now() + limit;
        loop {
            let m = self
                .next(end.saturating_duration_since(Instant::now()))
                .await;
            if f(&m) {
                return m;
            }
        }
    }

    pub async fn error(&mut self) -> ErrorCode {
        match self.next(Duration::from_secs(3)).await {
            ServerMessage::Error { code, .. } => code,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    /// Stops the heartbeat but keeps the TCP connection: a network that went quiet.
    pub fn go_silent(&self) {
        self.silent
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Drops the connection without a close frame: a killed tab.
    pub fn kill(self) {
        self.task.abort();
    }
}

pub async fn code_of(ws: &mut Ws) -> String {
    ws.send(ClientMessage::CreateCode).await;
    match ws.next(Duration::from_secs(3)).await {
        ServerMessage::Code { code, display, .. } => {
            assert_eq!(code.len(), 8);
            assert_eq!(display.len(), 9);
            code
        }
        other => panic!("expected a code, got {other:?}"),
    }
}

/// The agent library with a recording injector and a synthetic screen; the test is its
/// local user.
pub struct TestAgent {
    pub events: mpsc::Receiver<AgentEvent>,
    pub actions: mpsc::Sender<LocalAction>,
    pub task: tokio::task::JoinHandle<Result<HelpOutcome, glass::agent::help::HelpError>>,
    pub recorder: RecordingInjector,
}

impl TestAgent {
    pub fn start(rt: &Runtime, broker: &str, code: &str) -> TestAgent {
        TestAgent::start_with_key(rt, broker, code, None)
    }

    /// [`TestAgent::start`] proving `key` as its device.
    pub fn start_with_key(
        rt: &Runtime,
        broker: &str,
        code: &str,
        key: Option<Arc<glass::agent::device::DeviceKey>>,
    ) -> TestAgent {
        TestAgent::start_with(rt, broker, code, |c| c.device_key = key)
    }

    /// [`TestAgent::start`] with the config changed by `customise` before it runs.
    pub fn start_with(
        rt: &Runtime,
        broker: &str,
        code: &str,
        customise: impl FnOnce(&mut HelpConfig),
    ) -> TestAgent {
        let recorder = RecordingInjector::new();
        let mut config = HelpConfig::new(broker, "sam", PASSWORD, code);
        config.share = ShareConfig {
            source: "synthetic:static:320x240@10".parse().unwrap(),
            transport: TransportConfig {
                bind: vec![std::net::Ipv4Addr::LOCALHOST.into()],
                ..TransportConfig::default()
            },
            ..ShareConfig::default()
        };
        let injector = recorder.clone();
        config.injector = Some(Arc::new(move || Box::new(injector.clone())));
        customise(&mut config);
        let (events_tx, events) = mpsc::channel(64);
        let (actions, actions_rx) = mpsc::channel(64);
        let task = rt.spawn(glass::agent::help::run(config, events_tx, actions_rx));
        TestAgent {
            events,
            actions,
            task,
            recorder,
        }
    }

    pub async fn until(&mut self, limit: Duration, f: impl Fn(&AgentEvent) -> bool) -> AgentEvent {
        let end = Instant::now() + limit;
        loop {
            let e = tokio::time::timeout(
                end.saturating_duration_since(Instant::now()),
                self.events.recv(),
            )
            .await
            .expect("an agent event in time")
            .expect("the agent runs");
            if f(&e) {
                return e;
            }
        }
    }

    pub async fn asked(&mut self, level: Level) -> u64 {
        match self
            .until(Duration::from_secs(3), |e| {
                matches!(e, AgentEvent::ConsentAsked { .. })
            })
            .await
        {
            AgentEvent::ConsentAsked {
                id,
                level: asked,
                helper,
                ..
            } => {
                assert_eq!(asked, level);
                assert_eq!(helper.name, "Ada Lovelace");
                id
            }
            _ => unreachable!(),
        }
    }
}

/// The helper asks for `level`, the agent's user allows it, the helper hears so.
pub async fn allowed(helper: &mut Ws, agent: &mut TestAgent, level: Level) {
    helper.send(ClientMessage::Request { level }).await;
    let id = agent.asked(level).await;
    agent
        .actions
        .send(LocalAction::Answer { id, allow: true })
        .await
        .unwrap();
    assert_eq!(consent_result(helper).await, (true, None));
}

pub async fn consent_result(helper: &mut Ws) -> (bool, Option<ConsentReason>) {
    match helper
        .until(Duration::from_secs(5), |m| {
            matches!(m, ServerMessage::ConsentResult { .. })
        })
        .await
    {
        ServerMessage::ConsentResult { allow, reason, .. } => (allow, reason),
        _ => unreachable!(),
    }
}

pub fn wait_viewer(
    viewer: &glass::transport::testing::UdpViewer,
    limit: Duration,
    f: impl Fn(&ViewerEvent) -> bool,
) -> bool {
    let end = Instant::now() + limit;
    while let Ok(e) = viewer
        .events()
        .recv_timeout(end.saturating_duration_since(Instant::now()))
    {
        if f(&e) {
            return true;
        }
    }
    false
}

/// Frames the viewer receives within `limit`, counting up to `n`.
pub fn frames_within(
    viewer: &glass::transport::testing::UdpViewer,
    n: usize,
    limit: Duration,
) -> usize {
    let mut frames = 0;
    let end = Instant::now() + limit;
    while frames < n && Instant::now() < end {
        if let Ok(ViewerEvent::Frame { .. }) =
            viewer.events().recv_timeout(Duration::from_millis(100))
        {
            frames += 1;
        }
    }
    frames
}

/// Watches the viewer's frames for `span` on a thread of its own: the longest gap between
/// two frames (or since the last one) and how many came.
pub fn watch_frames(
    viewer: glass::transport::testing::UdpViewer,
    span: Duration,
) -> std::thread::JoinHandle<(Duration, u32)> {
    std::thread::spawn(move || {
        let mut last = Instant::now();
        let (mut gap, mut count) = (Duration::ZERO, 0u32);
        let until = Instant::now() + span;
        while Instant::now() < until {
            if let Ok(ViewerEvent::Frame { .. }) =
                viewer.events().recv_timeout(Duration::from_millis(50))
            {
                gap = gap.max(last.elapsed());
                last = Instant::now();
                count += 1;
            }
        }
        (gap.max(last.elapsed()), count)
    })
}

/// Signs in as the native agent does: the token and the device challenge.
pub async fn agent_token(base: &str, user: &str) -> glass_protocol::TokenResponse {
    let response = post_credentials(base, "/api/token", user, PASSWORD).await;
    glass_protocol::decode_body(&response.text().await.unwrap()).unwrap()
}

/// `{"username","password"}` posted to `path`; asserts 200.
async fn post_credentials(base: &str, path: &str, user: &str, password: &str) -> reqwest::Response {
    let response = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header("content-type", "application/json")
        .body(format!(
            r#"{{"username":"{user}","password":"{password}"}}"#
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response
}

/// The helper's browser side of an allowed session: a WebRTC offer through the broker, the
/// agent's answer back, and the receiver started on it.
pub fn open_viewer(rt: &Runtime, helper: &mut Ws) -> glass::transport::testing::UdpViewer {
    open_viewer_from(
        rt,
        helper,
        glass::transport::testing::PendingViewer::new().unwrap(),
    )
}

/// [`open_viewer`] with a peer made beforehand (whose certificate a sign-in bound).
pub fn open_viewer_from(
    rt: &Runtime,
    helper: &mut Ws,
    pending: glass::transport::testing::PendingViewer,
) -> glass::transport::testing::UdpViewer {
    rt.block_on(
        helper.send(ClientMessage::Signal(glass_protocol::Signal::Sdp(
            glass_protocol::SessionDescription {
                kind: glass_protocol::SdpType::Offer,
                sdp: pending.offer_sdp().to_owned(),
            },
        ))),
    );
    let answer = match rt.block_on(helper.until(Duration::from_secs(5), |m| {
        matches!(m, ServerMessage::Signal(glass_protocol::Signal::Sdp(_)))
    })) {
        ServerMessage::Signal(glass_protocol::Signal::Sdp(
            glass_protocol::SessionDescription {
                kind: glass_protocol::SdpType::Answer,
                sdp,
            },
        )) => sdp,
        other => panic!("{other:?}"),
    };
    pending.start(&answer).unwrap()
}

/// A session from the helper (cookie `helper`) to a web sharer (cookie `sharer`), view
/// allowed: both links, after the helper's `consent_result`.
pub async fn web_session_allowed(base: &str, helper: &str, sharer: &str) -> (Ws, Ws) {
    let (mut h, s, id) = web_session_asked(base, helper, sharer).await;
    s.send(ClientMessage::Consent {
        id,
        allow: true,
        reason: None,
    })
    .await;
    assert!(consent_result(&mut h).await.0, "view allowed");
    (h, s)
}

/// A session from the helper (cookie `helper`) to a web sharer (cookie `sharer`), the helper
/// asking for view: both links and the consent request's id (not answered yet).
pub async fn web_session_asked(base: &str, helper: &str, sharer: &str) -> (Ws, Ws, u64) {
    let t = Duration::from_secs(5);
    let mut h = Ws::connect(base, helper).await;
    let mut s = Ws::connect(base, sharer).await;
    let code = code_of(&mut h).await;
    s.send(ClientMessage::Redeem {
        code,
        client: glass_protocol::Client::Web,
        device: None,
    })
    .await;
    s.until(t, |m| matches!(m, ServerMessage::Joined { .. }))
        .await;
    h.until(t, |m| matches!(m, ServerMessage::SharerJoined { .. }))
        .await;
    h.send(ClientMessage::Request { level: Level::View }).await;
    match s
        .until(t, |m| matches!(m, ServerMessage::ConsentRequest { .. }))
        .await
    {
        ServerMessage::ConsentRequest { id, .. } => (h, s, id),
        _ => unreachable!(),
    }
}
