//! Help sessions through a broker: the sharer's side (`glass share --broker`).
//!
//! The agent signs in to the broker, redeems the helper's code, shows the helper's card and
//! asks its own user before anything is shared. **Consent is local**: the share's level is
//! raised only by a [`LocalAction::Answer`] from this machine's UI, which the embedding app
//! (or the CLI's prompt) sends after its user clicked Allow. Nothing the broker says — a
//! `consent_result`, a replayed answer, a `signal` before consent — raises it: those are
//! counted and ignored ([`glass_session::consent::ConsentGate`] holds the rule). Nothing is
//! captured before the first local Allow; Pause stops capture and input; Stop ends the
//! session. The broker link is watched: silence for 1.5 s ends sharing, so a helper whose
//! broker vanished holds no keys and sees no pixels. A request for full control that this
//! machine cannot grant (macOS without Accessibility, [`HelpConfig::permissions`]) is
//! declined by the agent itself, `not_supported`, and the user is told which setting to
//! switch on ([`AgentEvent::Error`] `control_unavailable`); nobody is asked.
//!
//! ```no_run
//! # async fn run() -> Result<(), glass_agent::help::HelpError> {
//! use glass_agent::help::{AgentEvent, HelpConfig, LocalAction, run};
//! let (events_tx, mut events) = tokio::sync::mpsc::channel(64);
//! let (actions, actions_rx) = tokio::sync::mpsc::channel(64);
//! let config = HelpConfig::new("http://127.0.0.1:8443", "sam", "password", "4060 R0GX");
//! let session = tokio::spawn(run(config, events_tx, actions_rx));
//! while let Some(event) = events.recv().await {
//!     if let AgentEvent::ConsentAsked { id, .. } = event {
//!         // Show the helper's card and the level; only the user's click answers.
//!         actions.send(LocalAction::Answer { id, allow: true }).await.ok();
//!     }
//! }
//! session.await.ok();
//! # Ok(()) }
//! ```

use std::fmt;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt, StreamExt};
use std::sync::Arc;

use glass_engine::capture::SourceSpec;
use glass_engine::input::{ControlLevel, Injector};
use glass_engine::permissions::{self, Grants};
use glass_protocol::{
    Card, Client, ClientMessage, ConsentReason, IceServer, Level, SdpType, ServerMessage,
    SessionDescription, Side, Signal,
};
use glass_session::consent::{ConsentGate, GateOutput};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::{self, Message};

use crate::helper_identity::{CheckedHelper, HelperIdentity, HelperTrust, HelperVerifier};
use crate::share::{Share, ShareConfig};

/// What the agent needs to join a help session.
#[derive(Clone)]
pub struct HelpConfig {
    /// The broker's base URL: `https://help.example.com` (or `http://` on a LAN / loopback).
    pub broker: String,
    /// The sharer's sign-in name.
    pub username: String,
    /// The sharer's password (never logged).
    pub password: String,
    /// The code the helper gave.
    pub code: String,
    /// What to share and how (its `serve_http` is ignored: offers come through the broker).
    pub share: ShareConfig,
    /// How long a request waits for the local user before it counts as declined.
    pub consent_timeout: Duration,
    /// The broker link is taken as lost after this long without a frame.
    pub link_timeout: Duration,
    /// Already signed in another way (`glass share --sign-in`: an OIDC issuer through the
    /// system browser): this token and card are used, `username` and `password` are not.
    pub signed_in: Option<glass_protocol::TokenResponse>,
    /// Makes the input injector (default: the source's own, as [`Share::start`] opens it).
    /// Embedding apps that inject input themselves, and tests, set it.
    pub injector: Option<InjectorFactory>,
    /// The device key this agent proves at redemption (`crate::device`); `None`: the
    /// device counts as unenrolled.
    pub device_key: Option<Arc<crate::device::DeviceKey>>,
    /// The issuers this machine trusts to say who a helper is (`crate::helper_identity`).
    /// Default: none, and the helper's card is shown as the broker's word.
    pub helper_trust: HelperTrust,
    /// Checks the OS permissions sharing `share.source` needs, without prompting (default:
    /// [`permissions::check`]). Asked when the helper requests full control: without
    /// Accessibility on macOS the agent declines it itself, `not_supported`, and tells its
    /// user what to switch on, instead of giving control whose input would be dropped. Not
    /// asked when `injector` is set (the app injects itself).
    pub permissions: PermissionCheck,
}

/// Makes an input injector each time sharing starts.
pub type InjectorFactory = Arc<dyn Fn() -> Box<dyn Injector> + Send + Sync>;

/// Checks which OS permissions sharing a source needs and has ([`HelpConfig::permissions`]).
pub type PermissionCheck = Arc<dyn Fn(&SourceSpec) -> Grants + Send + Sync>;

impl fmt::Debug for HelpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HelpConfig")
            .field("broker", &self.broker)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("code", &"<redacted>")
            .field("signed_in", &self.signed_in)
            .field("helper_trust", &self.helper_trust)
            .field("share", &self.share)
            .finish()
    }
}

impl HelpConfig {
    /// A config with the defaults (synthetic source unless changed, 60 s to answer).
    pub fn new(broker: &str, username: &str, password: &str, code: &str) -> Self {
        HelpConfig {
            broker: broker.trim_end_matches('/').to_owned(),
            username: username.to_owned(),
            password: password.to_owned(),
            code: code.to_owned(),
            share: ShareConfig::default(),
            consent_timeout: Duration::from_secs(60),
            link_timeout: Duration::from_millis(1500),
            signed_in: None,
            injector: None,
            device_key: None,
            helper_trust: HelperTrust::default(),
            permissions: Arc::new(permissions::check),
        }
    }

    /// Why full control cannot be given on this machine now, or `None` when it can.
    fn full_control_refusal(&self) -> Option<String> {
        if self.injector.is_some() {
            return None;
        }
        let grants = (self.permissions)(&self.share.source);
        permissions::macos_logic::full_control_refusal(
            grants,
            permissions::mac_version().unwrap_or(permissions::MIN_MACOS),
            &permissions::host(),
        )
    }
}

/// What the agent tells its local UI.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AgentEvent {
    /// Signed in to the broker as this card.
    SignedIn {
        /// The sharer's own card.
        me: Card,
    },
    /// The code was accepted: this is who will help.
    Joined {
        /// The helper's card: built from the claims this agent verified when `identity` is
        /// verified, the broker's word otherwise.
        helper: Card,
        /// How far the card was checked on this machine; show it with the card.
        identity: HelperIdentity,
        /// The organisation keeps this session's chat text in its audit trail: say so
        /// before the user writes.
        chat_kept: bool,
    },
    /// The helper asks for a level: show the card and Allow / Decline. Answer with
    /// [`LocalAction::Answer`] before `timeout` or it counts as declined.
    ConsentAsked {
        /// The request's id.
        id: u64,
        /// What the helper asks for.
        level: Level,
        /// Who asks.
        helper: Card,
        /// How far the card was checked on this machine; show it with the card.
        identity: HelperIdentity,
        /// How long the user has.
        timeout: Duration,
    },
    /// A question was not answered in time: declined.
    ConsentExpired {
        /// The request's id.
        id: u64,
    },
    /// What is shared now: `None` before the first Allow and after Stop.
    Sharing {
        /// The helper's level.
        level: Option<Level>,
        /// Whether sharing is paused (no pixels, no input).
        paused: bool,
    },
    /// A chat message (both sides' messages, in the broker's order).
    Chat {
        /// Order in the thread.
        seq: u64,
        /// Who wrote it.
        from: Side,
        /// Their name.
        name: String,
        /// The text (NFC).
        text: String,
        /// When, Unix ms.
        at: u64,
    },
    /// The broker refused something.
    Error {
        /// The error code (`code_invalid`, `locked_out`, …).
        code: String,
        /// English text.
        message: String,
    },
    /// The connection's state changed (several brokers): this agent's link to the broker
    /// is being resumed, or the helper's is (the share and its consent stay as they are).
    Connection {
        /// `reconnecting` (ours), `helper_away` (theirs), or `None`: all connected.
        state: Option<ConnectionState>,
    },
    /// The session is over.
    Ended {
        /// Why (`left`, `lost`, `stopped`, `broker_lost`, …).
        reason: String,
    },
    /// The displays the user may share, with what each shows now, and the one shared (or
    /// to be shared: `None` is the whole screen). Sent once a helper has joined (pick before
    /// allowing) and whenever the shared display changes (the user's
    /// [`LocalAction::SelectDisplay`] or the helper's "Select monitor"). Fewer than two: no
    /// choice to offer.
    Displays {
        /// What may be picked; thumbnails stay on this machine.
        displays: Vec<crate::display::DisplayChoice>,
        /// The display shared now (or first, before Allow).
        current: Option<String>,
    },
}

/// Whose link is being resumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionState {
    /// This agent's link to the broker was lost and is being resumed.
    Reconnecting,
    /// The helper's link was lost; the session waits for them to come back.
    HelperAway,
}

impl ConnectionState {
    /// As the local page names it.
    pub fn label(self) -> &'static str {
        match self {
            ConnectionState::Reconnecting => "reconnecting",
            ConnectionState::HelperAway => "helper_away",
        }
    }
}

/// What the local user did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalAction {
    /// Allow or decline request `id`. The only way the level goes up.
    Answer {
        /// The request's id.
        id: u64,
        /// The user's choice.
        allow: bool,
    },
    /// Pause sharing: capture stops, input is dropped.
    Pause,
    /// Resume after a pause.
    Resume,
    /// Lower full control to view only.
    TakeBackControl,
    /// End the session.
    Stop,
    /// Send a chat message.
    Chat(String),
    /// Share this display (a [`crate::display::DisplayChoice::id`]): before Allow, the one
    /// sharing starts with; while sharing, a switch without a new session.
    SelectDisplay(String),
}

/// How a help session ended, with counters.
#[derive(Debug, Clone, Default)]
pub struct HelpOutcome {
    /// Why it ended.
    pub reason: String,
    /// Broker claims that would have raised the level and were ignored.
    pub ignored_claims: u64,
    /// Offers refused because the user had not allowed sharing, or because they were not
    /// the verified helper's connection.
    pub refused_offers: u64,
    /// Offers whose DTLS fingerprint was not the one the helper's sign-in bound: a peer
    /// that is not the verified helper's browser (a man in the middle).
    pub fingerprint_mismatches: u64,
    /// Broker cards that differed from the verified one (the verified one was shown).
    pub forged_cards: u64,
    /// Times the link to the broker was lost and the session resumed on a new one.
    pub resumed: u64,
}

/// Why a help session could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HelpError {
    /// The broker URL is not usable.
    #[error("broker URL {0:?}: expected http://host[:port] or https://host[:port]")]
    BrokerUrl(String),
    /// The broker could not be reached or answered badly.
    #[error("broker: {0}")]
    Broker(String),
    /// Sign-in failed (wrong username or password, or too many attempts).
    #[error("sign-in refused: {0}")]
    SignIn(String),
    /// The configuration cannot work; names the field.
    #[error("configuration: {0}")]
    Config(String),
    /// The share could not start.
    #[error("sharing: {0}")]
    Share(#[from] crate::share::ShareError),
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn ws_url(broker: &str) -> Result<String, HelpError> {
    if let Some(rest) = broker.strip_prefix("https://") {
        Ok(format!("wss://{rest}/api/ws"))
    } else if let Some(rest) = broker.strip_prefix("http://") {
        Ok(format!("ws://{rest}/api/ws"))
    } else {
        Err(HelpError::BrokerUrl(broker.to_owned()))
    }
}

/// POSTs a JSON body to the broker (15 s timeout); the status and the body text. Errors
/// carry no URL.
pub(crate) async fn post_json(
    url: &str,
    body: String,
) -> Result<(reqwest::StatusCode, String), HelpError> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .map_err(|e| HelpError::Broker(e.to_string()))?;
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| HelpError::Broker(e.without_url().to_string()))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| HelpError::Broker(e.without_url().to_string()))?;
    Ok((status, text))
}

/// Signs in and gets an agent token.
async fn sign_in(config: &HelpConfig) -> Result<glass_protocol::TokenResponse, HelpError> {
    let (status, text) = post_json(
        &format!("{}/api/token", config.broker),
        glass_protocol::encode_body(&glass_protocol::Credentials {
            username: config.username.clone(),
            password: config.password.clone(),
        }),
    )
    .await?;
    if !status.is_success() {
        let message = glass_protocol::decode_body::<glass_protocol::ApiError>(&text)
            .map(|e| e.message)
            .unwrap_or_else(|_| status.to_string());
        return Err(if status.as_u16() == 401 || status.as_u16() == 429 {
            HelpError::SignIn(message)
        } else {
            HelpError::Broker(message)
        });
    }
    glass_protocol::decode_body(&text).map_err(|e| HelpError::Broker(format!("token: {e}")))
}

/// Whether two cards name the same person (what the user reads: name, title, company, domain).
fn same_person(a: &Card, b: &Card) -> bool {
    a.name == b.name && a.title == b.title && a.company == b.company && a.domain == b.domain
}

fn to_control(level: Option<Level>) -> ControlLevel {
    match level {
        Some(Level::Full) => ControlLevel::Full,
        _ => ControlLevel::View,
    }
}

/// The running share and the rule that says whether it may run.
struct Sharing {
    config: ShareConfig,
    injector: Option<InjectorFactory>,
    share: Option<Share>,
    /// The broker's relays, resolved when sharing starts (off this loop: a host name needs
    /// a DNS lookup, which must not stall the broker link's heartbeat).
    relays: Option<Vec<IceServer>>,
}

impl Sharing {
    /// The broker's relays (`ice_servers`) for the share's transport: the `turn:` and
    /// `turns:` URLs (UDP, TCP or TLS to the relay) with their credential; other URLs are
    /// skipped (logged). With `relay_only` the share
    /// offers relayed candidates only, and refuses to start without a usable relay.
    fn use_ice_servers(&mut self, ice_servers: &[IceServer], relay_only: bool) {
        if self.share.is_some() {
            tracing::info!("the share is running: relays apply when it starts again");
        }
        self.relays = Some(ice_servers.to_vec());
        self.config.transport.relay_only = relay_only;
    }

    /// The `turn:` and `turns:` relays of `ice_servers` (at most 4), host names resolved:
    /// blocking.
    fn resolve_relays(ice_servers: &[IceServer]) -> Vec<glass_transport::TurnServer> {
        let mut turn = Vec::new();
        for server in ice_servers {
            let (Some(user), Some(pass)) = (&server.username, &server.credential) else {
                continue;
            };
            for url in &server.urls {
                match glass_transport::TurnServer::from_url(url, user, pass) {
                    Ok(t) => turn.push(t),
                    Err(e) => tracing::info!("relay {url} not used: {e}"),
                }
            }
        }
        turn.truncate(4);
        tracing::info!(relays = turn.len(), "relays from the broker");
        turn
    }

    async fn start(&mut self, level: ControlLevel) -> Result<(), HelpError> {
        if self.share.is_none() {
            let mut config = self.config.clone();
            config.serve_http = false;
            config.control = level;
            let injector = self.injector.as_ref().map(|make| make());
            let relays = self.relays.clone();
            let share = tokio::task::spawn_blocking(move || {
                if let Some(relays) = &relays {
                    config.transport.turn = Sharing::resolve_relays(relays);
                }
                match injector {
                    Some(injector) => Share::start_with_injector(config, injector),
                    None => Share::start(config),
                }
            })
            .await
            .map_err(|e| HelpError::Broker(format!("share task: {e}")))??;
            self.share = Some(share);
        }
        if let Some(share) = &self.share {
            share.set_control(level)?;
        }
        Ok(())
    }

    /// The display shared now, or to be shared when sharing starts.
    fn current_display(&self) -> Option<String> {
        match &self.share {
            Some(share) => share.current_display(),
            None => self.config.source.display(),
        }
    }

    /// The user picked display `id`: switch now, or start with it.
    fn select_display(&mut self, id: &str) -> Result<(), HelpError> {
        if let Some(share) = &self.share {
            return share.select_display(id).map_err(HelpError::from);
        }
        let list = self.config.source.displays().unwrap_or_default();
        let target = crate::display::decide(&list, true, id)
            .map_err(|e| HelpError::from(crate::share::ShareError::Display(e.to_string())))?;
        if let Some(spec) = self.config.source.with_display(target.as_deref()) {
            self.config.source = spec;
        }
        Ok(())
    }

    async fn stop(&mut self) {
        if let Some(share) = self.share.take() {
            let _ = tokio::task::spawn_blocking(move || share.stop()).await;
        }
    }
}

/// How long a lost link is tried again (the broker waits 10 s for a side to resume).
const RESUME_WINDOW: Duration = Duration::from_secs(9);

type WsSink = futures_util::stream::SplitSink<
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    Message,
>;
type WsStream = futures_util::stream::SplitStream<
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
>;

/// Connects again (through the load balancer: any broker) and resumes the session with
/// `token`, every 300 ms until `window` has passed; the link once `resumed` arrived.
async fn reconnect(
    request: &tungstenite::handshake::client::Request,
    token: &str,
    chat_after: u64,
    window: Duration,
) -> Option<(WsSink, WsStream)> {
    let end = Instant::now() + window;
    while Instant::now() < end {
        if let Ok(Ok((socket, _))) = tokio::time::timeout(
            Duration::from_secs(2),
            tokio_tungstenite::connect_async(request.clone()),
        )
        .await
        {
            let (mut sink, mut stream) = socket.split();
            let resume = ClientMessage::Resume {
                token: token.to_owned(),
                chat_after,
            };
            if sink
                .send(Message::Text(glass_protocol::encode_client(&resume).into()))
                .await
                .is_ok()
            {
                let answer = tokio::time::timeout(Duration::from_secs(3), async {
                    while let Some(Ok(frame)) = stream.next().await {
                        if let Message::Text(t) = frame {
                            match glass_protocol::decode_server(t.as_str()) {
                                Ok(ServerMessage::Resumed { .. }) => return Some(true),
                                Ok(ServerMessage::Ended { .. }) => return Some(false),
                                // `busy`: the store is away; try again.
                                Ok(ServerMessage::Error { .. }) => return None,
                                _ => {}
                            }
                        }
                    }
                    None
                })
                .await;
                match answer {
                    Ok(Some(true)) => return Some((sink, stream)),
                    // The session is over: nothing to resume.
                    Ok(Some(false)) => return None,
                    _ => {}
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    None
}

/// Runs one help session to its end. `events` feeds the local UI; `actions` are the local
/// user's choices (the only source of consent).
pub async fn run(
    config: HelpConfig,
    events: mpsc::Sender<AgentEvent>,
    mut actions: mpsc::Receiver<LocalAction>,
) -> Result<HelpOutcome, HelpError> {
    let url = ws_url(&config.broker)?;
    config
        .helper_trust
        .validate()
        .map_err(|e| HelpError::Config(e.to_string()))?;
    let mut verifier = HelperVerifier::new(config.helper_trust.clone());
    let signed_in = match config.signed_in.clone() {
        Some(t) => t,
        None => sign_in(&config).await?,
    };
    let _ = events
        .send(AgentEvent::SignedIn {
            me: signed_in.card.clone(),
        })
        .await;
    let mut request = tungstenite::client::IntoClientRequest::into_client_request(url.as_str())
        .map_err(|e| HelpError::Broker(e.to_string()))?;
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {}", signed_in.token)
            .parse()
            .map_err(|_| HelpError::Broker("token is not a header value".into()))?,
    );
    let (socket, _) = tokio_tungstenite::connect_async(request.clone())
        .await
        .map_err(|e| HelpError::Broker(e.to_string()))?;
    let (mut sink, mut stream) = socket.split();
    // Set once both sides are in (several brokers): a lost link is resumed with it.
    let mut resume_token: Option<String> = None;
    let mut chat_seen = 0u64;
    macro_rules! send {
        ($m:expr) => {
            sink.send(Message::Text(glass_protocol::encode_client(&$m).into()))
                .await
                .map_err(|e| HelpError::Broker(e.to_string()))
        };
    }
    // Which device this is: a signature over the broker's challenge and this code.
    let device = config.device_key.as_ref().and_then(|key| {
        signed_in
            .device_challenge
            .as_deref()
            .and_then(|challenge| key.prove(challenge, &config.code))
    });
    send!(ClientMessage::Redeem {
        code: config.code.clone(),
        client: Client::Agent,
        device,
    })?;

    let mut gate = ConsentGate::new(config.consent_timeout);
    let mut sharing = Sharing {
        config: config.share.clone(),
        injector: config.injector.clone(),
        share: None,
        relays: None,
    };
    let mut outcome = HelpOutcome::default();
    let mut asking: Option<Card> = None;
    // Who the helper is, as far as this machine could check (set at `joined`).
    let mut helper: Option<CheckedHelper> = None;
    let mut viewer: Option<glass_transport::SessionId> = None;
    // What the user may share, with thumbnails (taken when the helper joins).
    let mut choices: Vec<crate::display::DisplayChoice> = Vec::new();
    let mut ping = tokio::time::interval(Duration::from_millis(500));
    let mut last_frame = Instant::now();
    let mut link_lost = false;
    let reason = loop {
        if std::mem::take(&mut link_lost) {
            // The broker (or the way to it) is gone. The share, and the consent that
            // governs it, stay as they are while the link is resumed through whichever
            // broker answers.
            let Some(token) = resume_token.clone() else {
                break "broker_lost".to_owned();
            };
            let _ = events
                .send(AgentEvent::Connection {
                    state: Some(ConnectionState::Reconnecting),
                })
                .await;
            let Some((new_sink, new_stream)) =
                reconnect(&request, &token, chat_seen, RESUME_WINDOW).await
            else {
                break "broker_lost".to_owned();
            };
            (sink, stream) = (new_sink, new_stream);
            last_frame = Instant::now();
            outcome.resumed += 1;
            tracing::info!("the link to the broker was resumed");
            let _ = events.send(AgentEvent::Connection { state: None }).await;
        }
        let deadline = gate
            .poll_timeout()
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(3600));
        // `biased`: what the broker already sent is read before a ping can find the link gone,
        // so a `resumable` sent just before the broker went is not lost to a failed write (the
        // agent then could not resume; seen under load).
        tokio::select! {
            biased;
            _ = tokio::time::sleep_until(deadline.into()) => {
                gate.handle_timeout(Instant::now());
            }
            frame = stream.next() => {
                let text = match frame {
                    Some(Ok(Message::Text(t))) => t,
                    Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {
                        last_frame = Instant::now();
                        continue;
                    }
                    Some(Ok(Message::Binary(_))) => { last_frame = Instant::now(); continue; }
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => {
                        link_lost = true;
                        continue;
                    }
                };
                last_frame = Instant::now();
                let Ok(message) = glass_protocol::decode_server(text.as_str()) else {
                    tracing::debug!("unreadable message from the broker ignored");
                    continue;
                };
                match message {
                    ServerMessage::Pong { .. } => {}
                    ServerMessage::Joined { helper: card, helper_token, chat_kept, clipboard, .. } if helper.is_none() => {
                        // The organisation's word can only narrow what this agent allows.
                        sharing.config.clipboard = sharing.config.clipboard.and(
                            crate::clipboard::ClipboardPolicy {
                                to_helper: clipboard.to_helper,
                                to_sharer: clipboard.to_sharer,
                                primary: true,
                            },
                        );
                        let checked = verifier.check(helper_token.as_deref(), &card).await;
                        if let HelperIdentity::Unverified { reason } = &checked.identity {
                            tracing::warn!("helper not verified: {reason}");
                            if verifier.required() {
                                let _ = events.send(AgentEvent::Error {
                                    code: "helper_unverified".into(),
                                    message: reason.clone(),
                                }).await;
                                let _ = send!(ClientMessage::Leave);
                                break "helper_unverified".to_owned();
                            }
                        }
                        let _ = events.send(AgentEvent::Joined {
                            helper: checked.card.clone(),
                            identity: checked.identity.clone(),
                            chat_kept,
                        }).await;
                        helper = Some(checked);
                        // The screens to choose from, before anything is shared.
                        let spec = sharing.config.source.clone();
                        choices = tokio::task::spawn_blocking(move || crate::display::choices(&spec))
                            .await
                            .unwrap_or_default();
                        let _ = events.send(AgentEvent::Displays {
                            displays: choices.clone(),
                            current: sharing.current_display(),
                        }).await;
                    }
                    // A request before `joined` (a broker skipping it) has no checked helper
                    // to show: ignored like any other claim out of turn.
                    ServerMessage::ConsentRequest { .. } if helper.is_none() => {
                        gate.handle_broker_claim();
                    }
                    ServerMessage::ConsentRequest { id, level, helper: card }
                        if gate.handle_request(Instant::now(), id, level).is_ok() =>
                    {
                        // Full control on a machine that cannot be controlled (macOS without
                        // Accessibility): the agent answers itself, nobody is asked, the helper
                        // learns why (`not_supported`) and the user what to switch on.
                        if level == Level::Full
                            && let Some(why) = config.full_control_refusal()
                        {
                            let _ = gate.handle_local_answer(Instant::now(), id, false);
                            asking = None;
                            tracing::warn!("full control declined: {why}");
                            let _ = events.send(AgentEvent::Error {
                                code: "control_unavailable".into(),
                                message: why,
                            }).await;
                            send!(ClientMessage::Consent {
                                id,
                                allow: false,
                                reason: Some(ConsentReason::NotSupported),
                            })?;
                            continue;
                        }
                        // The card on screen is the one checked at `joined`; a broker that
                        // now names someone else is counted, not believed.
                        if let Some(checked) = &helper
                            && matches!(checked.identity, HelperIdentity::Verified { .. })
                            && !same_person(&checked.card, &card)
                        {
                            outcome.forged_cards += 1;
                            tracing::warn!("the broker's card differs from the verified helper's: ignored");
                        }
                        asking = Some(card);
                    }
                    // The broker's view of consent is for the helper's UI; here it changes
                    // nothing. A claimed allow or level is counted and ignored.
                    ServerMessage::ConsentResult { id, allow, .. } => {
                        gate.handle_broker_result(Instant::now(), id, allow);
                    }
                    ServerMessage::SharerState { .. } => gate.handle_broker_claim(),
                    // The organisation's policy lowered what the helper may do: the one broker
                    // word the gate follows, since it can only take power away.
                    ServerMessage::LevelLimited { level } => {
                        gate.handle_broker_limit(Instant::now(), level);
                        if let Some(share) = &sharing.share
                            && !gate.paused()
                        {
                            share.set_control(to_control(gate.level()))?;
                        }
                        let _ = events.send(AgentEvent::Sharing { level: gate.level(), paused: gate.paused() }).await;
                    }
                    ServerMessage::Signal(Signal::Sdp(SessionDescription { kind: SdpType::Offer, sdp })) => {
                        // Only the verified helper's own browser: the offer's certificate
                        // must be the one the helper's sign-in bound.
                        if let Some(checked) = &helper
                            && let Err(refused) = crate::helper_identity::offer_matches(&checked.identity, &sdp)
                        {
                            outcome.refused_offers += 1;
                            outcome.fingerprint_mismatches += 1;
                            tracing::warn!("helper's offer refused: {refused}");
                            let _ = events.send(AgentEvent::Error {
                                code: "fingerprint_mismatch".into(),
                                message: refused.to_string(),
                            }).await;
                            // Someone is between the helper and this machine: stop here.
                            gate.stop(Instant::now());
                            sharing.stop().await;
                            let _ = send!(ClientMessage::Leave);
                            break "fingerprint_mismatch".to_owned();
                        }
                        match (&sharing.share, gate.capture_allowed()) {
                            (Some(share), true) => {
                                // One viewer per help session: a new offer (the helper's page
                                // reconnecting) replaces the old connection, so nobody the
                                // sharer did not see can watch alongside.
                                if let Some(old) = viewer.take() {
                                    share.close_viewer(old);
                                }
                                match share.accept_offer(&sdp) {
                                    Ok((id, answer)) => {
                                        viewer = Some(id);
                                        send!(ClientMessage::Signal(Signal::Sdp(SessionDescription {
                                            kind: SdpType::Answer, sdp: answer,
                                        })))?
                                    }
                                    Err(e) => tracing::warn!("helper's offer refused: {e}"),
                                }
                            }
                            _ => {
                                outcome.refused_offers += 1;
                                tracing::warn!("offer before the sharer allowed sharing: ignored");
                            }
                        }
                    }
                    // Full ICE: the helper's trickled candidates join the checks.
                    ServerMessage::Signal(Signal::Candidate(c)) => {
                        if let (Some(share), Some(id), true) = (&sharing.share, viewer, gate.capture_allowed())
                            && let Err(e) = share.add_remote_candidate(id, &c.candidate)
                        {
                            tracing::debug!("helper's candidate refused: {e}");
                        }
                    }
                    ServerMessage::Signal(_) => {}
                    ServerMessage::Resumable { token } => resume_token = Some(token),
                    ServerMessage::PeerAway => {
                        let _ = events.send(AgentEvent::Connection { state: Some(ConnectionState::HelperAway) }).await;
                    }
                    ServerMessage::PeerBack => {
                        let _ = events.send(AgentEvent::Connection { state: None }).await;
                    }
                    ServerMessage::ChatMessage { seq, .. } if seq <= chat_seen => {}
                    ServerMessage::ChatMessage { seq, from, name, text, at } => {
                        chat_seen = seq;
                        let _ = events.send(AgentEvent::Chat { seq, from, name, text, at }).await;
                    }
                    ServerMessage::Error { code, message } => {
                        let code = code.as_str().to_owned();
                        let fatal = matches!(code.as_str(), "code_invalid" | "locked_out" | "busy");
                        let _ = events.send(AgentEvent::Error { code: code.clone(), message }).await;
                        if fatal {
                            break code;
                        }
                    }
                    ServerMessage::PeerLeft { reason } | ServerMessage::Ended { reason } => {
                        break format!("{reason:?}").to_lowercase();
                    }
                    ServerMessage::IceServers { ice_servers, relay_only } => {
                        sharing.use_ice_servers(&ice_servers, relay_only);
                    }
                    _ => {}
                }
            }
            action = actions.recv() => {
                let Some(action) = action else { break "stopped".to_owned() };
                let now = Instant::now();
                match action {
                    LocalAction::Answer { id, allow } => {
                        if gate.handle_local_answer(now, id, allow).is_err() {
                            continue;
                        }
                        if allow {
                            sharing.start(to_control(gate.level())).await?;
                        }
                        send!(ClientMessage::Consent { id, allow, reason: None })?;
                    }
                    LocalAction::Pause => {
                        if gate.pause(now).is_ok() && let Some(share) = &sharing.share {
                            // Input first, then pixels: nothing of either while paused.
                            share.set_control(ControlLevel::View)?;
                            share.set_paused(true)?;
                        }
                    }
                    LocalAction::Resume => {
                        if gate.resume(now).is_ok() && let Some(share) = &sharing.share {
                            share.set_paused(false)?;
                            share.set_control(to_control(gate.level()))?;
                        }
                    }
                    LocalAction::TakeBackControl => {
                        if gate.take_back(now).is_ok() && let Some(share) = &sharing.share {
                            share.set_control(ControlLevel::View)?;
                        }
                    }
                    LocalAction::Stop => {
                        gate.stop(now);
                        sharing.stop().await;
                        let _ = send!(ClientMessage::Leave);
                        break "stopped".to_owned();
                    }
                    LocalAction::Chat(text) => {
                        send!(ClientMessage::Chat { text })?;
                        continue;
                    }
                    LocalAction::SelectDisplay(id) => {
                        if let Err(e) = sharing.select_display(&id) {
                            let _ = events.send(AgentEvent::Error {
                                code: "display".into(),
                                message: e.to_string(),
                            }).await;
                        }
                        let _ = events.send(AgentEvent::Displays {
                            displays: choices.clone(),
                            current: sharing.current_display(),
                        }).await;
                        continue;
                    }
                }
                if let Some(level) = gate.level() {
                    send!(ClientMessage::State { level, paused: gate.paused() })?;
                }
                let _ = events.send(AgentEvent::Sharing { level: gate.level(), paused: gate.paused() }).await;
            }
            _ = ping.tick() => {
                // What the share says: a relay that died is the user's to know, not a
                // silent freeze.
                if let Some(share) = &sharing.share {
                    while let Ok(event) = share.events().try_recv() {
                        match event {
                            crate::share::ShareEvent::RelayLost { server, reason } => {
                                tracing::warn!(%server, %reason, "relay lost");
                                let _ = events.send(AgentEvent::Error {
                                    code: "relay_lost".into(),
                                    message: format!("The relay {server} was lost ({reason})."),
                                }).await;
                            }
                            // The helper's "Select monitor": the user sees which screen is shared.
                            crate::share::ShareEvent::DisplaySwitched { .. } => {
                                let _ = events.send(AgentEvent::Displays {
                                    displays: choices.clone(),
                                    current: share.current_display(),
                                }).await;
                            }
                            _ => {}
                        }
                    }
                }
                let lost = last_frame.elapsed() > config.link_timeout
                    || sink
                        .send(Message::Text(
                            glass_protocol::encode_client(&ClientMessage::Ping { t: unix_ms() }).into(),
                        ))
                        .await
                        .is_err();
                if lost {
                    link_lost = true;
                    continue;
                }
            }
        }
        while let Some(output) = gate.poll_output() {
            match output {
                // A prompt the agent already answered itself is not shown.
                GateOutput::Prompt {
                    id,
                    level,
                    deadline,
                } if gate.prompt() == Some(id) => {
                    if let (Some(broker_card), Some(checked)) = (asking.take(), &helper) {
                        let timeout = deadline.saturating_duration_since(Instant::now());
                        let card = match checked.identity {
                            HelperIdentity::Verified { .. } => checked.card.clone(),
                            _ => broker_card,
                        };
                        let _ = events
                            .send(AgentEvent::ConsentAsked {
                                id,
                                level,
                                helper: card,
                                identity: checked.identity.clone(),
                                timeout,
                            })
                            .await;
                    }
                }
                GateOutput::Expired { id } | GateOutput::Withdrawn { id } => {
                    let _ = events.send(AgentEvent::ConsentExpired { id }).await;
                }
                _ => {}
            }
        }
    };
    sharing.stop().await;
    let _ = sink.close().await;
    let _ = events
        .send(AgentEvent::Ended {
            reason: reason.clone(),
        })
        .await;
    outcome.reason = reason;
    outcome.ignored_claims = gate.stats().ignored_claims;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use glass_transport::TurnTransport;

    #[test]
    fn udp_tcp_and_tls_relays_are_used_and_stun_is_skipped() {
        let servers = [
            IceServer {
                urls: vec![
                    "stun:192.0.2.1:3478".into(),
                    "turn:192.0.2.1:3478?transport=udp".into(),
                    "turn:192.0.2.1:3478?transport=tcp".into(),
                    "turns:192.0.2.1:443?transport=tcp".into(),
                    "turns:192.0.2.1:443?transport=udp".into(),
                ],
                username: Some("1765003600:000000000000feed".into()),
                credential: Some("secret".into()),
            },
            // No credential: not a relay this agent can use.
            IceServer {
                urls: vec!["turn:192.0.2.2:3478".into()],
                username: None,
                credential: None,
            },
        ];
        let relays = Sharing::resolve_relays(&servers);
        let got: Vec<(String, TurnTransport)> = relays
            .iter()
            .map(|r| (r.addr.to_string(), r.transport))
            .collect();
        assert_eq!(
            got,
            [
                ("192.0.2.1:3478".to_string(), TurnTransport::Udp),
                ("192.0.2.1:3478".to_string(), TurnTransport::Tcp),
                ("192.0.2.1:443".to_string(), TurnTransport::Tls),
            ]
        );
        assert!(relays.iter().all(|r| r.credential == "secret"));
    }
}
