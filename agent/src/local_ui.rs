//! The sharer's approval page: a small web page on loopback that shows the helper's card, asks
//! Allow / Decline, and while a session is on shows at what level, with Pause / Resume, Take
//! back control, Stop and the chat. It is the local UI of [`crate::help::run`]: it turns
//! [`AgentEvent`]s into what the page shows and the page's clicks into [`LocalAction`]s.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use glass_agent::help::{HelpConfig, run};
//! use glass_agent::local_ui::{LocalUi, open_in_browser};
//! let (events, events_rx) = tokio::sync::mpsc::channel(64);
//! let (actions, actions_rx) = tokio::sync::mpsc::channel(64);
//! let ui = LocalUi::start(events_rx, actions)?;
//! eprintln!("Open this page to approve: {}", ui.url());
//! open_in_browser(&ui.url())?;
//! let config = HelpConfig::new("http://127.0.0.1:8443", "sam", "password", "4060 R0GX");
//! run(config, events, actions_rx).await?;
//! # Ok(()) }
//! ```
//!
//! # Security
//! This page can let someone control the machine, so nothing but the sharer's own browser tab
//! may act through it:
//! - The server listens on `127.0.0.1` only (never another address), on a port the OS picks.
//! - A 256-bit secret from the OS random source is in the URL's fragment (`#…`), which the
//!   browser never sends anywhere. The page keeps it in its tab's `sessionStorage`, removes it
//!   from the address bar, and sends it in the `X-Glass-Ui` header of every API request
//!   (`GET /api/events`, `POST /api/action`); it is never a cookie, so no other page can ride
//!   it. A custom header also means a cross-origin page cannot send the request without a
//!   CORS preflight, which is never granted. Compared in constant time.
//! - `Host` must be `127.0.0.1:PORT` (a DNS-rebinding page has its own host name), `Origin`,
//!   when present, `http://127.0.0.1:PORT`, and `Sec-Fetch-Site`, when present, `same-origin`
//!   (or `none` for the page itself, opened from outside the browser).
//! - On Linux the connecting socket must belong to this process's user (read from
//!   `/proc/net/tcp`): other local users cannot act even if they read the URL from the
//!   browser's command line.
//! - The page's files (the same as in the repository, no state) need no secret, but they are
//!   refused to other sites (`Sec-Fetch-Site`, `Cross-Origin-Resource-Policy: same-origin`).
//!   Every response carries a strict Content Security Policy (no inline script, no `eval`)
//!   and refuses framing.
//! - An answer is accepted only for the question on screen, before its deadline, once; the
//!   agent's consent gate checks again. Bodies are limited to 64 KiB; at most
//!   [`MAX_CLIENTS`] pages listen at once.
//!
//! Panic policy: a panic is a bug; nothing a request carries can panic the server.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::stream::{self, Stream, StreamExt};
use glass_protocol::{Card, Level, Side};
use include_dir::{Dir, include_dir};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use tokio::sync::{broadcast, mpsc, watch};

use crate::help::{AgentEvent, LocalAction};
use crate::helper_identity::HelperIdentity;

/// Pages that may listen to the event stream at once.
pub const MAX_CLIENTS: usize = 4;
/// Chat messages kept to replay to a page that connects (the oldest go first).
pub const MAX_CHAT_HISTORY: usize = 500;
/// Largest request body.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// The header that carries the secret.
pub const SECRET_HEADER: &str = "x-glass-ui";

/// Every response's policy: this origin's scripts and styles only, no inline code, no `eval`;
/// the helper's picture may be a `data:` or `https:` URL (as the broker vets it).
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data: https:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

static AGENT: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../web/agent");
static LIB: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../web/lib");
static I18N: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../web/i18n");
static VENDOR: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../web/vendor");

/// Why the page could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LocalUiError {
    /// [`LocalUi::start`] was called outside a Tokio runtime.
    #[error("the local approval page needs a Tokio runtime")]
    NoRuntime,
    /// The OS random source failed.
    #[error("random source: {0}")]
    Random(String),
    /// Binding 127.0.0.1 failed.
    #[error("binding 127.0.0.1: {0}")]
    Bind(#[from] io::Error),
}

/// The running page. Dropping it stops the server and ends every event stream.
pub struct LocalUi {
    addr: SocketAddr,
    secret: Secret,
    shared: Arc<Shared>,
    // Dropped with the LocalUi: the server, the event pump and every stream see it close.
    _shutdown: watch::Sender<()>,
}

impl fmt::Debug for LocalUi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalUi")
            .field("addr", &self.addr)
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl LocalUi {
    /// Binds `127.0.0.1:0` and serves the page from the current Tokio runtime. `events_in` is
    /// what the agent tells its UI; the page's clicks go to `actions_out`.
    pub fn start(
        events_in: mpsc::Receiver<AgentEvent>,
        actions_out: mpsc::Sender<LocalAction>,
    ) -> Result<LocalUi, LocalUiError> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| LocalUiError::NoRuntime)?;
        let secret = Secret::random()?;
        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (shutdown, shutdown_rx) = watch::channel(());
        let shared = Arc::new(Shared {
            addr,
            host: format!("127.0.0.1:{}", addr.port()),
            origin: format!("http://127.0.0.1:{}", addr.port()),
            secret: secret.clone(),
            model: Mutex::new(Model::default()),
            updates: broadcast::channel(64).0,
            actions: actions_out,
            clients: AtomicUsize::new(0),
            shutdown: shutdown_rx.clone(),
            #[cfg(target_os = "linux")]
            uid: peer::own_uid(),
        });
        let app = router(shared.clone());
        let _guard = runtime.enter();
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let mut stop = shutdown_rx.clone();
        runtime.spawn(async move {
            let served = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move {
                let _ = stop.changed().await;
            })
            .await;
            if let Err(e) = served {
                tracing::warn!("local approval page: {e}");
            }
        });
        runtime.spawn(pump(shared.clone(), events_in, shutdown_rx));
        Ok(LocalUi {
            addr,
            secret,
            shared,
            _shutdown: shutdown,
        })
    }

    /// The page's address with the secret in its fragment: `http://127.0.0.1:PORT/#SECRET`.
    /// Give it only to this machine's user (a terminal line, the default browser).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/#{}", self.addr.port(), self.secret.0)
    }

    /// Where the page is served.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many pages listen to the event stream now.
    pub fn clients(&self) -> usize {
        self.shared.clients.load(Ordering::Relaxed)
    }
}

/// Opens `url` in the default browser (`xdg-open`, `open`, `start`), without waiting for it.
/// The library never calls it: the embedding app or the CLI decides.
pub fn open_in_browser(url: &str) -> io::Result<()> {
    use std::process::{Command, Stdio};
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        // `start`'s first quoted argument is the window title.
        c.args(["/C", "start", ""]);
        c
    } else {
        Command::new("xdg-open")
    };
    let mut child = command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Reaped on a thread of its own: xdg-open may wait for the browser.
    std::thread::Builder::new()
        .name("glass-browser".into())
        .spawn(move || {
            let _ = child.wait();
        })?;
    Ok(())
}

// ---- The secret -------------------------------------------------------------------------------

#[derive(Clone)]
struct Secret(String);

impl Secret {
    fn random() -> Result<Secret, LocalUiError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| LocalUiError::Random(e.to_string()))?;
        Ok(Secret(bytes.iter().map(|b| format!("{b:02x}")).collect()))
    }

    fn matches(&self, given: &[u8]) -> bool {
        bool::from(self.0.as_bytes().ct_eq(given))
    }
}

// ---- What the page shows (sans-IO) ------------------------------------------------------------

/// A question on screen.
#[derive(Debug, Clone)]
struct Question {
    id: u64,
    level: Level,
    helper: Card,
    deadline: Instant,
}

/// The page's state, as the JSON of a `state` event.
#[derive(Debug, Serialize, PartialEq)]
struct StateView<'a> {
    me: Option<&'a Card>,
    helper: Option<&'a Card>,
    /// How far the helper's card was checked here: `verified` (with `issuer`), `broker`
    /// (this device trusts no issuer) or `unverified`.
    helper_identity: Option<IdentityView<'a>>,
    /// The organisation keeps this session's chat text.
    chat_kept: bool,
    question: Option<QuestionView<'a>>,
    level: Option<Level>,
    paused: bool,
    error: Option<&'a ErrorView>,
    notice: Option<&'static str>,
    /// `reconnecting` (this device's link is being resumed) or `helper_away`.
    #[serde(skip_serializing_if = "Option::is_none")]
    connection: Option<&'static str>,
    ended: Option<&'a str>,
}

#[derive(Debug, Serialize, PartialEq)]
struct IdentityView<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    issuer: Option<&'a str>,
}

impl<'a> IdentityView<'a> {
    fn of(identity: &'a HelperIdentity) -> IdentityView<'a> {
        IdentityView {
            kind: identity.label(),
            issuer: match identity {
                HelperIdentity::Verified { issuer, .. } => Some(issuer),
                _ => None,
            },
        }
    }
}

#[derive(Debug, Serialize, PartialEq)]
struct QuestionView<'a> {
    id: u64,
    level: Level,
    helper: &'a Card,
    /// Left to answer when this was sent (the page counts down from its own clock).
    remaining_ms: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
struct ErrorView {
    seq: u64,
    code: String,
    message: String,
}

/// One chat line, as the JSON of a `chat` event.
#[derive(Debug, Clone, Serialize, PartialEq)]
struct ChatView {
    seq: u64,
    from: Side,
    name: String,
    text: String,
    at: u64,
}

/// One server-sent event: its name and JSON.
#[derive(Debug, Clone, PartialEq)]
struct Update {
    event: &'static str,
    data: String,
}

/// Why an answer was not passed on.
#[derive(Debug, PartialEq, Eq)]
enum AnswerRefused {
    /// Not the question on screen (none, another id, already answered).
    NotAsked,
    /// Its time is up.
    Late,
}

#[derive(Debug, Default)]
struct Model {
    me: Option<Card>,
    helper: Option<Card>,
    helper_identity: Option<HelperIdentity>,
    chat_kept: bool,
    question: Option<Question>,
    level: Option<Level>,
    paused: bool,
    error: Option<ErrorView>,
    errors: u64,
    notice: Option<&'static str>,
    connection: Option<&'static str>,
    ended: Option<String>,
    chat: VecDeque<ChatView>,
    /// The screens to pick from and the one shared, as the JSON of a `displays` event (its
    /// thumbnails are sent once, not with every state).
    displays: Option<String>,
}

impl Model {
    fn state(&self, now: Instant) -> Update {
        let view = StateView {
            me: self.me.as_ref(),
            helper: self.helper.as_ref(),
            helper_identity: self.helper_identity.as_ref().map(IdentityView::of),
            chat_kept: self.chat_kept,
            question: self.question.as_ref().map(|q| QuestionView {
                id: q.id,
                level: q.level,
                helper: &q.helper,
                remaining_ms: q.deadline.saturating_duration_since(now).as_millis() as u64,
            }),
            level: self.level,
            paused: self.paused,
            error: self.error.as_ref(),
            notice: self.notice,
            connection: self.connection,
            ended: self.ended.as_deref(),
        };
        Update {
            event: "state",
            data: json(&view),
        }
    }

    /// Everything a page that just connected needs: the state, the screens, then the chat
    /// so far.
    fn snapshot(&self, now: Instant) -> Vec<Update> {
        let mut out = vec![self.state(now)];
        if let Some(data) = &self.displays {
            out.push(Update {
                event: "displays",
                data: data.clone(),
            });
        }
        out.extend(self.chat.iter().map(|m| Update {
            event: "chat",
            data: json(m),
        }));
        out
    }

    /// Applies what the agent said; returns what to send to the pages.
    fn handle_event(&mut self, event: AgentEvent, now: Instant) -> Vec<Update> {
        match event {
            AgentEvent::SignedIn { me } => self.me = Some(me),
            AgentEvent::Joined {
                helper,
                identity,
                chat_kept,
            } => {
                self.helper = Some(helper);
                self.helper_identity = Some(identity);
                self.chat_kept = chat_kept;
                self.error = None;
            }
            AgentEvent::ConsentAsked {
                id,
                level,
                helper,
                identity,
                timeout,
            } => {
                self.helper = Some(helper.clone());
                self.helper_identity = Some(identity);
                self.question = Some(Question {
                    id,
                    level,
                    helper,
                    deadline: now + timeout,
                });
                self.notice = None;
                self.error = None;
            }
            AgentEvent::ConsentExpired { id } => {
                if self.question.as_ref().is_some_and(|q| q.id == id) {
                    self.question = None;
                    self.notice = Some("expired");
                }
            }
            AgentEvent::Sharing { level, paused } => {
                self.level = level;
                self.paused = paused && level.is_some();
                if level.is_some() {
                    self.notice = None;
                }
            }
            AgentEvent::Chat {
                seq,
                from,
                name,
                text,
                at,
            } => {
                let message = ChatView {
                    seq,
                    from,
                    name,
                    text,
                    at,
                };
                let update = Update {
                    event: "chat",
                    data: json(&message),
                };
                if self.chat.len() == MAX_CHAT_HISTORY {
                    self.chat.pop_front();
                }
                self.chat.push_back(message);
                return vec![update];
            }
            AgentEvent::Error { code, message } => {
                self.errors += 1;
                self.error = Some(ErrorView {
                    seq: self.errors,
                    code,
                    message,
                });
            }
            AgentEvent::Connection { state } => {
                self.connection = state.map(|s| s.label());
            }
            AgentEvent::Ended { reason } => {
                self.ended = Some(reason);
                self.connection = None;
                self.question = None;
                self.level = None;
                self.paused = false;
            }
            AgentEvent::Displays { displays, current } => {
                #[derive(Serialize)]
                struct DisplaysView<'a> {
                    displays: &'a [crate::display::DisplayChoice],
                    current: &'a str,
                }
                let data = json(&DisplaysView {
                    displays: &displays,
                    current: current.as_deref().unwrap_or(crate::display::WHOLE_SCREEN),
                });
                self.displays = Some(data.clone());
                return vec![Update {
                    event: "displays",
                    data,
                }];
            }
            // Events added to the agent later: nothing to show until the page learns them.
            #[allow(unreachable_patterns)]
            _ => return Vec::new(),
        }
        vec![self.state(now)]
    }

    /// Whether an answer to `id` may be passed on now.
    fn check_answer(&self, id: u64, now: Instant) -> Result<(), AnswerRefused> {
        match &self.question {
            Some(q) if q.id == id && now < q.deadline => Ok(()),
            Some(q) if q.id == id => Err(AnswerRefused::Late),
            _ => Err(AnswerRefused::NotAsked),
        }
    }

    /// The answer was passed on: the question leaves the screen.
    fn answered(&mut self, allow: bool, now: Instant) -> Vec<Update> {
        self.question = None;
        self.notice = Some(if allow { "allowed" } else { "declined" });
        vec![self.state(now)]
    }
}

fn json<T: Serialize>(value: &T) -> String {
    // Plain data with string keys: serialising cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

// ---- The server -------------------------------------------------------------------------------

struct Shared {
    // Read by the same-user check, which exists on Linux only.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    addr: SocketAddr,
    host: String,
    origin: String,
    secret: Secret,
    model: Mutex<Model>,
    updates: broadcast::Sender<Arc<Update>>,
    actions: mpsc::Sender<LocalAction>,
    clients: AtomicUsize,
    shutdown: watch::Receiver<()>,
    #[cfg(target_os = "linux")]
    uid: Option<u32>,
}

impl Shared {
    fn model(&self) -> MutexGuard<'_, Model> {
        // A panic while holding the lock is a bug; the state is still readable.
        self.model.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends updates while the model is locked, so a page that connects sees each change
    /// exactly once: in its snapshot or after it.
    fn publish(&self, updates: Vec<Update>) {
        for update in updates {
            let _ = self.updates.send(Arc::new(update));
        }
    }
}

/// Feeds the agent's events into the model until the agent or the page goes away.
async fn pump(
    shared: Arc<Shared>,
    mut events: mpsc::Receiver<AgentEvent>,
    mut shutdown: watch::Receiver<()>,
) {
    loop {
        tokio::select! {
            event = events.recv() => {
                let Some(event) = event else { break };
                let mut model = shared.model();
                let updates = model.handle_event(event, Instant::now());
                shared.publish(updates);
            }
            _ = shutdown.changed() => break,
        }
    }
}

fn router(shared: Arc<Shared>) -> Router {
    let api = Router::new()
        .route("/api/events", get(events))
        .route("/api/action", post(action))
        .route_layer(middleware::from_fn_with_state(shared.clone(), api_guard));
    Router::new()
        .merge(api)
        .fallback(static_file)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .with_state(shared)
}

fn refuse(status: StatusCode) -> Response {
    (status, status.canonical_reason().unwrap_or("refused")).into_response()
}

/// Every request: the right `Host`, this user's socket (Linux), not from another site. Every
/// response: the security headers.
async fn guard(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = match check_request(&shared, peer, request.headers()) {
        Ok(()) => next.run(request).await,
        Err(status) => refuse(status),
    };
    security_headers(response.headers_mut());
    response
}

fn check_request(shared: &Shared, peer: SocketAddr, headers: &HeaderMap) -> Result<(), StatusCode> {
    let host = headers.get(header::HOST).map(HeaderValue::as_bytes);
    if host != Some(shared.host.as_bytes()) {
        // A DNS-rebinding page, or a name other than the one we printed.
        return Err(StatusCode::FORBIDDEN);
    }
    if !peer.ip().is_loopback() {
        return Err(StatusCode::FORBIDDEN);
    }
    #[cfg(target_os = "linux")]
    {
        let owner = peer::socket_uid(peer, shared.addr);
        if shared.uid.is_none() || owner != shared.uid {
            tracing::warn!(
                "local approval page: refused a connection from another user's process ({owner:?})"
            );
            return Err(StatusCode::FORBIDDEN);
        }
    }
    // Fetch metadata: our own page (`same-origin`) or the user opening it (`none`); never
    // another site's page, which could otherwise probe for or embed our files.
    match headers.get("sec-fetch-site").map(HeaderValue::as_bytes) {
        None | Some(b"same-origin" | b"none") => Ok(()),
        Some(_) => Err(StatusCode::FORBIDDEN),
    }
}

/// The API: the secret header, and the `Origin` (when present) is ours.
async fn api_guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    if let Some(origin) = headers.get(header::ORIGIN)
        && origin.as_bytes() != shared.origin.as_bytes()
    {
        return refuse(StatusCode::FORBIDDEN);
    }
    let secret_ok = headers
        .get(SECRET_HEADER)
        .is_some_and(|v| shared.secret.matches(v.as_bytes()));
    if !secret_ok {
        return refuse(StatusCode::FORBIDDEN);
    }
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn security_headers(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
}

/// `GET /api/events`: the state now, the chat so far, then every change, as server-sent
/// events (`state` and `chat`, JSON). A page that falls behind is cut off and reconnects.
async fn events(State(shared): State<Arc<Shared>>) -> Response {
    let Some(slot) = ClientSlot::take(&shared) else {
        return refuse(StatusCode::SERVICE_UNAVAILABLE);
    };
    let (snapshot, updates) = {
        let model = shared.model();
        (model.snapshot(Instant::now()), shared.updates.subscribe())
    };
    let head = stream::iter(snapshot.into_iter().map(|u| Ok(to_event(&u))));
    let tail = stream::unfold(
        (updates, shared.shutdown.clone(), slot),
        |(mut updates, mut shutdown, slot)| async move {
            tokio::select! {
                update = updates.recv() => match update {
                    Ok(u) => Some((Ok(to_event(&u)), (updates, shutdown, slot))),
                    // Lagged or closed: end; the page reconnects and gets a fresh snapshot.
                    Err(_) => None,
                },
                _ = shutdown.changed() => None,
            }
        },
    );
    let stream: std::pin::Pin<Box<dyn Stream<Item = Result<Event, Infallible>> + Send>> =
        Box::pin(head.chain(tail));
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

fn to_event(update: &Update) -> Event {
    Event::default().event(update.event).data(&update.data)
}

/// One of [`MAX_CLIENTS`] event streams; freed when the stream is dropped.
struct ClientSlot(Arc<Shared>);

impl ClientSlot {
    fn take(shared: &Arc<Shared>) -> Option<ClientSlot> {
        let taken = shared
            .clients
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < MAX_CLIENTS).then_some(n + 1)
            });
        taken.ok().map(|_| ClientSlot(shared.clone()))
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        self.0.clients.fetch_sub(1, Ordering::AcqRel);
    }
}

/// What the page may ask for (`POST /api/action`, JSON).
#[derive(Debug, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum ActionBody {
    Answer { id: u64, allow: bool },
    Pause,
    Resume,
    Takeback,
    Stop,
    Chat { text: String },
    Display { id: String },
}

/// `POST /api/action`: 204 when passed on to the agent.
async fn action(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().unwrap_or("").trim() == "application/json");
    if !json_body {
        return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    let Ok(body) = serde_json::from_slice::<ActionBody>(&body) else {
        return refuse(StatusCode::BAD_REQUEST);
    };
    let action = match body {
        ActionBody::Answer { id, allow } => {
            let now = Instant::now();
            let mut model = shared.model();
            if model.check_answer(id, now).is_err() {
                return refuse(StatusCode::CONFLICT);
            }
            if shared
                .actions
                .try_send(LocalAction::Answer { id, allow })
                .is_err()
            {
                return refuse(StatusCode::SERVICE_UNAVAILABLE);
            }
            let updates = model.answered(allow, now);
            shared.publish(updates);
            return StatusCode::NO_CONTENT.into_response();
        }
        ActionBody::Pause => LocalAction::Pause,
        ActionBody::Resume => LocalAction::Resume,
        ActionBody::Takeback => LocalAction::TakeBackControl,
        ActionBody::Stop => LocalAction::Stop,
        ActionBody::Chat { text } => {
            if text.trim().is_empty() {
                return refuse(StatusCode::BAD_REQUEST);
            }
            LocalAction::Chat(text)
        }
        ActionBody::Display { id } => {
            if id.is_empty() || id.len() > glass_transport::control::MAX_DISPLAY_NAME {
                return refuse(StatusCode::BAD_REQUEST);
            }
            LocalAction::SelectDisplay(id)
        }
    };
    match shared.actions.try_send(action) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(_) => refuse(StatusCode::SERVICE_UNAVAILABLE),
    }
}

/// The page's files: `/` (the page), `/agent/…`, and the shared `/lib/…`, `/vendor/…` and
/// `/i18n/…` of the web apps.
async fn static_file(method: Method, uri: axum::http::Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return refuse(StatusCode::METHOD_NOT_ALLOWED);
    }
    match asset(uri.path()) {
        Some((body, content_type)) => {
            ([(header::CONTENT_TYPE, content_type)], body).into_response()
        }
        None => refuse(StatusCode::NOT_FOUND),
    }
}

fn asset(path: &str) -> Option<(&'static [u8], &'static str)> {
    let path = path.trim_start_matches('/');
    if path.is_empty() || path == "index.html" {
        return file(&AGENT, "index.html");
    }
    let (dir, rest) = path.split_once('/')?;
    if rest
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return None;
    }
    match dir {
        "agent" => file(&AGENT, rest),
        "lib" => file(&LIB, rest),
        "i18n" => file(&I18N, rest),
        "vendor" => file(&VENDOR, rest),
        _ => None,
    }
}

fn file(dir: &'static Dir<'static>, path: &str) -> Option<(&'static [u8], &'static str)> {
    let content_type = match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "ftl" => "text/plain; charset=utf-8",
        // Tests, READMEs, licences: not part of the page.
        _ => return None,
    };
    if path.ends_with(".test.js") || path.ends_with(".test.mjs") {
        return None;
    }
    dir.get_file(path).map(|f| (f.contents(), content_type))
}

// ---- Who is connecting (Linux) ----------------------------------------------------------------

#[cfg(target_os = "linux")]
mod peer {
    //! The owner of a loopback TCP socket, from `/proc/net/tcp` (no `unsafe`, no new crates).

    use std::net::{IpAddr, SocketAddr};

    /// This process's effective user id.
    pub fn own_uid() -> Option<u32> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("Uid:"))?;
        line.split_whitespace().nth(2)?.parse().ok()
    }

    /// The user owning the socket at `peer` that is connected to our `local` address.
    pub fn socket_uid(peer: SocketAddr, local: SocketAddr) -> Option<u32> {
        let table = std::fs::read_to_string("/proc/net/tcp").ok()?;
        find_uid(&table, peer, local)
    }

    fn hex(addr: SocketAddr) -> Option<String> {
        match addr.ip() {
            // The kernel prints the address as the native-endian u32 of its network bytes.
            IpAddr::V4(ip) => Some(format!(
                "{:08X}:{:04X}",
                u32::from_ne_bytes(ip.octets()),
                addr.port()
            )),
            IpAddr::V6(_) => None,
        }
    }

    pub(super) fn find_uid(table: &str, peer: SocketAddr, local: SocketAddr) -> Option<u32> {
        let (peer, local) = (hex(peer)?, hex(local)?);
        table.lines().skip(1).find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // sl local rem st queues tr retrnsmt uid …
            (fields.len() > 7 && fields[1] == peer && fields[2] == local)
                .then(|| fields[7].parse().ok())
                .flatten()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    fn card(name: &str) -> Card {
        Card {
            name: name.into(),
            title: "Support engineer".into(),
            company: "Contoso".into(),
            picture: None,
            domain: "contoso.com".into(),
            domain_verified: true,
            vouched: Default::default(),
        }
    }

    fn asked(id: u64, level: Level) -> AgentEvent {
        AgentEvent::ConsentAsked {
            id,
            level,
            helper: card("Ada Lovelace"),
            identity: HelperIdentity::BrokerVouched,
            timeout: Duration::from_secs(60),
        }
    }

    fn state_json(model: &Model, now: Instant) -> serde_json::Value {
        serde_json::from_str(&model.state(now).data).unwrap()
    }

    #[test]
    fn the_model_follows_the_agent() {
        let t0 = Instant::now();
        let mut m = Model::default();
        m.handle_event(AgentEvent::SignedIn { me: card("Sam") }, t0);
        m.handle_event(
            AgentEvent::Joined {
                helper: card("Ada Lovelace"),
                identity: HelperIdentity::BrokerVouched,
                chat_kept: true,
            },
            t0,
        );
        let s = state_json(&m, t0);
        assert_eq!(s["me"]["name"], "Sam");
        assert_eq!(s["helper_identity"]["kind"], "broker");
        assert_eq!(s["chat_kept"], true);
        assert_eq!(s["helper"]["domain_verified"], true);
        assert!(s["question"].is_null());

        m.handle_event(asked(1, Level::Full), t0);
        let s = state_json(&m, t0 + Duration::from_secs(20));
        assert_eq!(s["question"]["id"], 1);
        assert_eq!(s["question"]["level"], "full");
        assert_eq!(s["question"]["remaining_ms"], 40_000);

        // Only the question on screen, and only in time.
        assert_eq!(m.check_answer(2, t0), Err(AnswerRefused::NotAsked));
        assert_eq!(
            m.check_answer(1, t0 + Duration::from_secs(60)),
            Err(AnswerRefused::Late)
        );
        assert_eq!(m.check_answer(1, t0 + Duration::from_secs(59)), Ok(()));
        m.answered(true, t0);
        assert_eq!(m.check_answer(1, t0), Err(AnswerRefused::NotAsked));

        m.handle_event(
            AgentEvent::Sharing {
                level: Some(Level::Full),
                paused: true,
            },
            t0,
        );
        let s = state_json(&m, t0);
        assert_eq!(
            (s["level"].as_str(), s["paused"].as_bool()),
            (Some("full"), Some(true))
        );

        // An expiry for another question changes nothing; for this one it clears it.
        m.handle_event(asked(2, Level::Full), t0);
        m.handle_event(AgentEvent::ConsentExpired { id: 1 }, t0);
        assert!(m.question.is_some());
        m.handle_event(AgentEvent::ConsentExpired { id: 2 }, t0);
        assert!(m.question.is_none());
        assert_eq!(state_json(&m, t0)["notice"], "expired");

        // Several brokers: the helper's link is resumed, then this device's; the page says so.
        use crate::help::ConnectionState;
        assert!(state_json(&m, t0).get("connection").is_none());
        m.handle_event(
            AgentEvent::Connection {
                state: Some(ConnectionState::HelperAway),
            },
            t0,
        );
        assert_eq!(state_json(&m, t0)["connection"], "helper_away");
        m.handle_event(
            AgentEvent::Connection {
                state: Some(ConnectionState::Reconnecting),
            },
            t0,
        );
        assert_eq!(state_json(&m, t0)["connection"], "reconnecting");
        m.handle_event(AgentEvent::Connection { state: None }, t0);
        assert!(state_json(&m, t0).get("connection").is_none());

        m.handle_event(
            AgentEvent::Ended {
                reason: "stopped".into(),
            },
            t0,
        );
        let s = state_json(&m, t0);
        assert_eq!(s["ended"], "stopped");
        assert!(s["level"].is_null());
    }

    #[test]
    fn chat_history_is_bounded_and_replayed_in_order() {
        let t0 = Instant::now();
        let mut m = Model::default();
        for seq in 1..=(MAX_CHAT_HISTORY as u64 + 10) {
            let out = m.handle_event(
                AgentEvent::Chat {
                    seq,
                    from: Side::Helper,
                    name: "Ada".into(),
                    text: format!("שלום {seq}"),
                    at: 1,
                },
                t0,
            );
            assert_eq!(out.len(), 1);
            assert_eq!(out[0].event, "chat");
        }
        let snapshot = m.snapshot(t0);
        assert_eq!(snapshot.len(), 1 + MAX_CHAT_HISTORY);
        assert_eq!(snapshot[0].event, "state");
        let first: serde_json::Value = serde_json::from_str(&snapshot[1].data).unwrap();
        assert_eq!(first["seq"], 11);
        assert_eq!(first["from"], "helper");
        assert_eq!(first["text"], "שלום 11");
    }

    #[test]
    fn serves_the_page_and_nothing_else() {
        assert_eq!(asset("/").unwrap().1, "text/html; charset=utf-8");
        assert!(asset("/agent/app.js").is_some());
        assert!(asset("/agent/style.css").is_some());
        assert!(asset("/lib/ui/card.js").is_some());
        assert!(asset("/lib/i18n.js").is_some());
        assert!(asset("/vendor/fluent-bundle/index.js").is_some());
        assert!(asset("/i18n/he.ftl").is_some());
        assert!(asset("/i18n/languages.json").is_some());
        assert!(asset("/lib/../agent/app.js").is_none());
        assert!(asset("/i18n//en.ftl").is_none());
        assert!(asset("/vendor/fluent-bundle/LICENSE").is_none());
        assert!(asset("/vendor/README.md").is_none());
        assert!(asset("/helper/index.html").is_none());
        assert!(asset("/Cargo.toml").is_none());
    }

    #[test]
    fn every_message_id_of_the_page_is_in_the_english_catalogue() {
        let en = I18N
            .get_file("en.ftl")
            .and_then(|f| f.contents_utf8())
            .unwrap();
        let defined = |id: &str| en.lines().any(|l| l.starts_with(&format!("{id} =")));
        let html = AGENT
            .get_file("index.html")
            .unwrap()
            .contents_utf8()
            .unwrap();
        let js = AGENT.get_file("app.js").unwrap().contents_utf8().unwrap();
        let mut checked = 0;
        for part in html.split("data-l10n-id=\"").skip(1) {
            let id = part.split('"').next().unwrap();
            assert!(defined(id), "index.html: {id}");
            checked += 1;
        }
        for part in js.split("'agent-").skip(1) {
            let id = format!("agent-{}", part.split('\'').next().unwrap());
            if id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
            {
                assert!(defined(&id), "app.js: {id}");
                checked += 1;
            }
        }
        assert!(checked > 15, "only {checked} ids found");
        // Ids built at run time.
        for reason in ["left", "lost", "stopped", "expired", "broker_lost", "other"] {
            assert!(defined(&format!("agent-ended-{reason}")), "{reason}");
        }
        for level in ["view", "full", "paused"] {
            assert!(defined(&format!("agent-banner-{level}")), "{level}");
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn finds_the_owner_of_a_loopback_socket() {
        let table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
            \x20  0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n\
            \x20  1: 0100007F:D431 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 2 1\n";
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let peer: SocketAddr = "127.0.0.1:54321".parse().unwrap();
        if cfg!(target_endian = "little") {
            assert_eq!(peer::find_uid(table, peer, local), Some(1000));
            assert_eq!(
                peer::find_uid(table, "127.0.0.1:54322".parse().unwrap(), local),
                None
            );
        }
        assert!(peer::own_uid().is_some());
    }

    // ---- Over real sockets ----

    struct Harness {
        ui: LocalUi,
        events: mpsc::Sender<AgentEvent>,
        actions: mpsc::Receiver<LocalAction>,
    }

    impl Harness {
        fn start() -> Harness {
            let (events, events_rx) = mpsc::channel(16);
            let (actions_tx, actions) = mpsc::channel(16);
            let ui = LocalUi::start(events_rx, actions_tx).unwrap();
            Harness {
                ui,
                events,
                actions,
            }
        }

        fn secret(&self) -> String {
            self.ui.url().split_once('#').unwrap().1.to_owned()
        }

        fn host(&self) -> String {
            format!("127.0.0.1:{}", self.ui.local_addr().port())
        }

        /// A raw HTTP/1.1 request; `headers` are extra lines.
        async fn request(&self, method: &str, path: &str, headers: &[String], body: &str) -> Reply {
            let mut stream = TcpStream::connect(self.ui.local_addr()).await.unwrap();
            let mut text = format!("{method} {path} HTTP/1.1\r\nconnection: close\r\n");
            for h in headers {
                text.push_str(h);
                text.push_str("\r\n");
            }
            if !body.is_empty() || method == "POST" {
                text.push_str(&format!("content-length: {}\r\n", body.len()));
            }
            text.push_str("\r\n");
            text.push_str(body);
            stream.write_all(text.as_bytes()).await.unwrap();
            let mut raw = Vec::new();
            stream.read_to_end(&mut raw).await.unwrap();
            Reply::parse(&raw)
        }

        /// A request as the page makes it: the right host and the secret.
        async fn page(&self, method: &str, path: &str, body: &str) -> Reply {
            let headers = vec![
                format!("host: {}", self.host()),
                format!("x-glass-ui: {}", self.secret()),
                format!("origin: http://{}", self.host()),
                "sec-fetch-site: same-origin".to_owned(),
                "content-type: application/json".to_owned(),
            ];
            self.request(method, path, &headers, body).await
        }

        async fn no_action(&mut self) {
            tokio::time::sleep(Duration::from_millis(50)).await;
            assert_eq!(self.actions.try_recv().ok(), None);
        }
    }

    #[derive(Debug)]
    struct Reply {
        status: u16,
        head: String,
        body: String,
    }

    impl Reply {
        fn parse(raw: &[u8]) -> Reply {
            let text = String::from_utf8_lossy(raw).into_owned();
            let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
            let status = head
                .split_whitespace()
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            Reply {
                status,
                head: head.to_ascii_lowercase(),
                body: body.to_owned(),
            }
        }
    }

    const ALLOW_1: &str = r#"{"type":"answer","id":1,"allow":true}"#;

    #[tokio::test]
    async fn refuses_requests_without_the_secret_or_from_elsewhere() {
        let mut h = Harness::start();
        assert!(h.ui.url().starts_with("http://127.0.0.1:"));
        assert_eq!(h.secret().len(), 64);
        assert!(h.ui.local_addr().ip().is_loopback());
        h.events.send(asked(1, Level::Full)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let host = format!("host: {}", h.host());
        let json = "content-type: application/json".to_owned();
        let secret = format!("x-glass-ui: {}", h.secret());

        // No secret, a wrong one, one of the wrong length, the secret as a cookie.
        for extra in [
            None,
            Some(format!("x-glass-ui: {}", "0".repeat(64))),
            Some(format!("x-glass-ui: {}", &h.secret()[..63])),
            Some(format!("cookie: x-glass-ui={}", h.secret())),
        ] {
            let mut headers = vec![host.clone(), json.clone()];
            headers.extend(extra);
            let r = h.request("POST", "/api/action", &headers, ALLOW_1).await;
            assert_eq!(r.status, 403, "{r:?}");
            let r = h.request("GET", "/api/events", &headers, "").await;
            assert_eq!(r.status, 403, "{r:?}");
        }
        // The secret in the path or the query is not the secret.
        let s = h.secret();
        for path in [
            format!("/api/action?x-glass-ui={s}"),
            format!("/{s}/api/action"),
        ] {
            let r = h
                .request("POST", &path, &[host.clone(), json.clone()], ALLOW_1)
                .await;
            assert!((403..=405).contains(&r.status), "{r:?}");
        }
        // DNS rebinding: the right secret, another host name.
        for bad_host in [
            "host: evil.example".to_owned(),
            format!("host: localhost:{}", h.ui.local_addr().port()),
            "host: 127.0.0.1".to_owned(),
            "host: 127.0.0.1:1".to_owned(),
        ] {
            let headers = vec![bad_host, secret.clone(), json.clone()];
            let r = h.request("POST", "/api/action", &headers, ALLOW_1).await;
            assert_eq!(r.status, 403, "{r:?}");
            let r = h.request("GET", "/", &headers, "").await;
            assert_eq!(r.status, 403, "{r:?}");
        }
        // Another origin, another site's page.
        for bad in [
            "origin: https://evil.example".to_owned(),
            "origin: null".to_owned(),
            format!("origin: http://localhost:{}", h.ui.local_addr().port()),
            "sec-fetch-site: cross-site".to_owned(),
            "sec-fetch-site: same-site".to_owned(),
        ] {
            let headers = vec![host.clone(), secret.clone(), json.clone(), bad];
            let r = h.request("POST", "/api/action", &headers, ALLOW_1).await;
            assert_eq!(r.status, 403, "{r:?}");
        }
        let r = h
            .request(
                "GET",
                "/agent/app.js",
                &[host.clone(), "sec-fetch-site: cross-site".into()],
                "",
            )
            .await;
        assert_eq!(r.status, 403, "{r:?}");
        // A form post (no JSON) with the secret: refused; a preflight gets no CORS answer.
        let form = vec![
            host.clone(),
            secret.clone(),
            "content-type: text/plain".to_owned(),
        ];
        let r = h.request("POST", "/api/action", &form, ALLOW_1).await;
        assert_eq!(r.status, 415, "{r:?}");
        let r = h
            .request("OPTIONS", "/api/action", std::slice::from_ref(&host), "")
            .await;
        assert!(!r.head.contains("access-control-allow"), "{r:?}");
        assert_ne!(r.status / 100, 2, "{r:?}");
        h.no_action().await;

        // Nothing happened: the right request still works.
        let r = h.page("POST", "/api/action", ALLOW_1).await;
        assert_eq!(r.status, 204, "{r:?}");
        assert_eq!(
            h.actions.recv().await,
            Some(LocalAction::Answer { id: 1, allow: true })
        );
    }

    #[tokio::test]
    async fn passes_on_one_answer_to_the_question_on_screen() {
        let mut h = Harness::start();
        // Nothing asked yet.
        let r = h.page("POST", "/api/action", ALLOW_1).await;
        assert_eq!(r.status, 409, "{r:?}");
        h.events.send(asked(1, Level::View)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        // Another id, a malformed or oversized body: nothing.
        let r = h
            .page(
                "POST",
                "/api/action",
                r#"{"type":"answer","id":2,"allow":true}"#,
            )
            .await;
        assert_eq!(r.status, 409, "{r:?}");
        for bad in [
            r#"{"type":"answer","id":1,"allow":"yes"}"#,
            r#"{"type":"answer","id":1,"allow":true,"level":"full"}"#,
            r#"{"type":"grant"}"#,
            r#"{"type":"chat","text":"   "}"#,
            "allow",
        ] {
            let r = h.page("POST", "/api/action", bad).await;
            assert_eq!(r.status, 400, "{bad}: {r:?}");
        }
        let big = format!(
            r#"{{"type":"chat","text":"{}"}}"#,
            "x".repeat(MAX_BODY_BYTES)
        );
        let r = h.page("POST", "/api/action", &big).await;
        assert_eq!(r.status, 413, "{r:?}");
        h.no_action().await;

        let r = h.page("POST", "/api/action", ALLOW_1).await;
        assert_eq!(r.status, 204, "{r:?}");
        assert_eq!(
            h.actions.recv().await,
            Some(LocalAction::Answer { id: 1, allow: true })
        );
        // Twice is once.
        let r = h.page("POST", "/api/action", ALLOW_1).await;
        assert_eq!(r.status, 409, "{r:?}");
        h.no_action().await;

        // The other actions map one to one.
        for (body, want) in [
            (r#"{"type":"pause"}"#, LocalAction::Pause),
            (r#"{"type":"resume"}"#, LocalAction::Resume),
            (r#"{"type":"takeback"}"#, LocalAction::TakeBackControl),
            (
                r#"{"type":"chat","text":"مرحبا"}"#,
                LocalAction::Chat("مرحبا".into()),
            ),
            (r#"{"type":"stop"}"#, LocalAction::Stop),
        ] {
            let r = h.page("POST", "/api/action", body).await;
            assert_eq!(r.status, 204, "{body}: {r:?}");
            assert_eq!(h.actions.recv().await, Some(want));
        }
    }

    #[tokio::test]
    async fn a_late_answer_is_not_passed_on() {
        let mut h = Harness::start();
        h.events
            .send(AgentEvent::ConsentAsked {
                id: 1,
                level: Level::Full,
                helper: card("Ada"),
                identity: HelperIdentity::BrokerVouched,
                timeout: Duration::from_millis(100),
            })
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        let r = h.page("POST", "/api/action", ALLOW_1).await;
        assert_eq!(r.status, 409, "{r:?}");
        h.no_action().await;
    }

    #[tokio::test]
    async fn serves_the_page_under_a_strict_policy() {
        let h = Harness::start();
        let r = h
            .request(
                "GET",
                "/",
                &[format!("host: {}", h.host()), "sec-fetch-site: none".into()],
                "",
            )
            .await;
        assert_eq!(r.status, 200, "{r:?}");
        assert!(
            r.head
                .contains("content-security-policy: default-src 'none'; script-src 'self';")
        );
        assert!(r.head.contains("x-frame-options: deny"));
        assert!(r.head.contains("cross-origin-resource-policy: same-origin"));
        assert!(r.body.contains("/agent/app.js"));
        assert!(!r.body.contains("<script>"), "no inline script");
        let r = h
            .request("GET", "/i18n/ar.ftl", &[format!("host: {}", h.host())], "")
            .await;
        assert_eq!(r.status, 200, "{r:?}");
        let r = h
            .request("POST", "/", &[format!("host: {}", h.host())], "x")
            .await;
        assert_eq!(r.status, 405, "{r:?}");
    }

    /// An open `GET /api/events` and everything read from it.
    struct Events {
        stream: TcpStream,
        raw: Vec<u8>,
    }

    impl Events {
        async fn open(h: &Harness) -> Events {
            let mut stream = TcpStream::connect(h.ui.local_addr()).await.unwrap();
            let head = format!(
                "GET /api/events HTTP/1.1\r\nhost: {}\r\nx-glass-ui: {}\r\nsec-fetch-site: same-origin\r\n\r\n",
                h.host(),
                h.secret()
            );
            stream.write_all(head.as_bytes()).await.unwrap();
            Events {
                stream,
                raw: Vec::new(),
            }
        }

        /// Reads until `want` events arrived since the stream opened; returns them all.
        async fn until(&mut self, want: usize) -> Vec<(String, serde_json::Value)> {
            let mut buf = [0u8; 4096];
            loop {
                let text = String::from_utf8_lossy(&self.raw).into_owned();
                let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
                // Chunk sizes sit between events on lines of their own: only `event:` and
                // `data:` lines count.
                let events: Vec<_> = body
                    .split("\n\n")
                    .filter_map(|block| {
                        let mut name = None;
                        let mut data = None;
                        for line in block.lines() {
                            if let Some(n) = line.strip_prefix("event: ") {
                                name = Some(n.to_owned());
                            } else if let Some(d) = line.strip_prefix("data: ") {
                                data = serde_json::from_str(d).ok();
                            }
                        }
                        Some((name?, data?))
                    })
                    .collect();
                if events.len() >= want {
                    return events;
                }
                let n = tokio::time::timeout(Duration::from_secs(5), self.stream.read(&mut buf))
                    .await
                    .unwrap_or_else(|_| panic!("no event {want} within 5 s: {events:?}\n{text}"))
                    .unwrap();
                assert!(n > 0, "stream closed: {text}");
                self.raw.extend_from_slice(&buf[..n]);
            }
        }
    }

    #[tokio::test]
    async fn the_event_stream_replays_the_state_then_follows_it() {
        let h = Harness::start();
        h.events
            .send(AgentEvent::SignedIn { me: card("Sam") })
            .await
            .unwrap();
        h.events.send(asked(3, Level::Full)).await.unwrap();
        for seq in 1..=2 {
            h.events
                .send(AgentEvent::Chat {
                    seq,
                    from: Side::Helper,
                    name: "Ada".into(),
                    text: format!("<b>hi</b> {seq}"),
                    at: 1_765_000_000_000,
                })
                .await
                .unwrap();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;

        let mut stream = Events::open(&h).await;
        let events = stream.until(3).await;
        assert_eq!(events[0].0, "state");
        let state = &events[0].1;
        assert_eq!(state["me"]["name"], "Sam");
        assert_eq!(state["question"]["id"], 3);
        assert_eq!(state["question"]["level"], "full");
        assert_eq!(state["question"]["helper"]["name"], "Ada Lovelace");
        assert!(state["question"]["remaining_ms"].as_u64().unwrap() > 50_000);
        assert_eq!(
            events[1],
            (
                "chat".into(),
                serde_json::json!({
                    "seq": 1, "from": "helper", "name": "Ada", "text": "<b>hi</b> 1", "at": 1_765_000_000_000u64
                })
            )
        );
        assert_eq!(events[2].1["seq"], 2);
        assert_eq!(h.ui.clients(), 1);

        // Then the changes, live.
        h.events
            .send(AgentEvent::Sharing {
                level: Some(Level::View),
                paused: false,
            })
            .await
            .unwrap();
        let events = stream.until(4).await;
        assert_eq!(events[3].0, "state");
        assert_eq!(events[3].1["level"], "view");

        // At most MAX_CLIENTS streams.
        let mut more = Vec::new();
        for _ in 1..MAX_CLIENTS {
            let mut s = Events::open(&h).await;
            s.until(1).await;
            more.push(s);
        }
        assert_eq!(h.ui.clients(), MAX_CLIENTS);
        let headers = vec![
            format!("host: {}", h.host()),
            format!("x-glass-ui: {}", h.secret()),
        ];
        let r = h.request("GET", "/api/events", &headers, "").await;
        assert_eq!(r.status, 503, "{r:?}");
        drop(more);
        drop(stream);
        let deadline = Instant::now() + Duration::from_secs(5);
        while h.ui.clients() > 0 {
            assert!(Instant::now() < deadline, "slots not freed");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    #[tokio::test]
    async fn dropping_the_page_ends_the_streams() {
        let h = Harness::start();
        let mut events = Events::open(&h).await;
        events.until(1).await;
        let addr = h.ui.local_addr();
        drop(h);
        let mut stream = events.stream;
        let mut buf = [0u8; 1024];
        let end = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(_) => continue,
                }
            }
        })
        .await;
        assert!(end.is_ok(), "the stream did not end");
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(TcpStream::connect(addr).await.is_err(), "still listening");
    }

    #[test]
    fn needs_a_runtime() {
        let (_events, events_rx) = mpsc::channel(1);
        let (actions, _actions_rx) = mpsc::channel(1);
        assert!(matches!(
            LocalUi::start(events_rx, actions),
            Err(LocalUiError::NoRuntime)
        ));
    }
}
