//! Glass broker: where a helper and a sharer find each other.
//!
//! The broker signs users in, hands the helper a session code, lets the sharer redeem it,
//! shows each side the other's card, relays the consent dialogue, chat and WebRTC
//! signalling over one WebSocket per client, and notices within 2 s when either side is
//! gone. Media never passes through it. The rules live in the sans-IO `glass-session`
//! crate; this crate is the thin driver that owns sockets and the clock
//! (`docs/session-protocol.md`).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use glass_broker::{Broker, BrokerConfig, accounts::LocalAccounts};
//!
//! let accounts = LocalAccounts::load("accounts.json".as_ref())?;
//! let broker = Broker::bind(BrokerConfig::default(), Arc::new(accounts)).await?;
//! println!("helpers open http://{}/", broker.local_addr());
//! broker.serve(async { let _ = tokio::signal::ctrl_c().await; }).await?;
//! # Ok(()) }
//! ```
//!
//! At the edge: HTTPS with a certificate re-read when it changes ([`tls`]), the client's
//! address behind trusted reverse proxies ([`proxy`]), and rate limits on sign-in, code
//! redemption and WebSocket messages ([`limits`]); `docs/security.md`.
//!
//! Panic policy: a panic is a bug; nothing a client sends can panic the broker. Every
//! refusal is answered with a short reason and counted.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod cluster;
pub mod config_file;
pub mod devices;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
mod http;
pub mod hub;
pub mod limits;
pub mod metrics;
pub mod oidc;
pub mod peers;
pub mod proxy;
pub mod tls;
pub mod verifier;
pub mod web;
mod ws;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use accounts::IdentityProvider;
pub use error::ApiError;
use glass_session::policy::Policy;
/// The CIDR type of [`BrokerConfig::trusted_proxies`].
pub use ipnet;

/// Everything the broker needs: plain data with [`Default`], checked by
/// [`BrokerConfig::validate`].
#[derive(Debug, Clone)]
pub struct BrokerConfig {
    /// HTTP address; port 0 picks a free port (see [`Broker::local_addr`]).
    pub listen: SocketAddr,
    /// How long a session code stays valid.
    pub code_ttl: Duration,
    /// How long the sharer has to answer a request before it counts as declined.
    pub consent_timeout: Duration,
    /// A WebSocket silent this long is taken as gone (clients ping every 500 ms).
    pub link_timeout: Duration,
    /// Whether chat is on (a tenant setting).
    pub chat: bool,
    /// Mark cookies `Secure` even on plain HTTP requests (behind a TLS-terminating proxy
    /// that is not listed in `trusted_proxies`). Requests over [`BrokerConfig::tls`], or
    /// from a trusted proxy that says `X-Forwarded-Proto: https`, get `Secure` cookies and
    /// HSTS anyway.
    pub secure_cookies: bool,
    /// Serve HTTPS with this certificate and key (re-read when they change); `None`: plain
    /// HTTP (behind a TLS-terminating proxy, or for tests).
    pub tls: Option<tls::TlsConfig>,
    /// How often the certificate and key files are checked for changes.
    pub tls_poll: Duration,
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` / `X-Forwarded-Proto` are
    /// believed ([`proxy::client`]); headers from anyone else are ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Rate limits on sign-in, code redemption and WebSocket messages.
    pub rate_limits: limits::RateLimits,
    /// Origins allowed to open the WebSocket and sign in, besides the broker's own
    /// (`http(s)://<Host>`): e.g. `https://help.example.com` behind a proxy.
    pub allowed_origins: Vec<String>,
    /// How long a sign-in lasts.
    pub sign_in_ttl: Duration,
    /// Open WebSockets at most (all clients).
    pub max_links: usize,
    /// Open WebSockets at most per source address.
    pub max_links_per_ip: usize,
    /// Who may help whom: a policy file's ([`glass_session::policy::Policy::parse`]) or the
    /// embedded default (everyone helps everyone in their own tenant). Replace it while
    /// running with [`PolicyHandle::reload`].
    pub policy: Arc<Policy>,
    /// The enrolled-devices file (`glass devices …` writes it), watched while the broker
    /// runs; `None`: no device is enrolled.
    pub devices: Option<std::path::PathBuf>,
    /// How often the devices file is checked for changes.
    pub devices_poll: Duration,
    /// Where the audit trail is stored (`sqlite://PATH?mode=rwc`, `postgres://…`). `None`:
    /// in memory, gone at exit (tests, embedding); `glass broker` defaults to a file.
    pub audit_db: Option<audit::DbUrl>,
    /// How long audit rows are kept (1 hour ..= 10 years; default 30 days).
    pub audit_retention: Duration,
    /// Rows the audit writer holds while its database is away (default 65,536), of which
    /// `audit_reserve` (default 4,096) are kept for running sessions: past that, new
    /// sessions are refused (`busy`) rather than started unaudited.
    pub audit_queue: usize,
    /// See `audit_queue`.
    pub audit_reserve: usize,
    /// A local file (SQLite) where audit rows are durable before the broker acts on them,
    /// for one broker whose trail is in PostgreSQL: rows outlive a broker crash and wait
    /// out a database outage there. With `redis`, the outbox is in Redis instead; without
    /// either, rows are committed to the trail before the messages that follow them leave
    /// (`docs/audit.md`, "Written before it is acted on").
    pub audit_spool: Option<std::path::PathBuf>,
    /// Who may read reports until the policy engine checks `view_reports` (default: nobody).
    pub report_access: audit::ReportAccess,
    /// Whether local accounts may sign in (`/api/login`, `/api/token`); off, they answer as
    /// for wrong credentials (`docs/identity.md`).
    pub local_accounts: bool,
    /// OIDC issuers users can sign in with.
    pub oidc: Vec<oidc::OidcIssuerConfig>,
    /// The broker's public URL (`https://help.example.com`), for the OIDC redirect URI
    /// `<public_url>/auth/oidc/callback`; default `http(s)://<bound address>`.
    pub public_url: Option<String>,
    /// TURN relays (coturn with `--use-auth-secret`) handed to both sides of every session;
    /// `None`: peers connect directly (host and server-reflexive candidates).
    pub turn: Option<glass_session::turn::TurnConfig>,
    /// Where to serve `GET /metrics` (Prometheus text); keep it off the public address
    /// (`127.0.0.1:9464`). `None`: not served.
    pub metrics_listen: Option<SocketAddr>,
    /// Share sessions with other brokers through this Redis (`redis://…`, `rediss://…`):
    /// codes redeemable on any of them, a sharer on one joined to a helper on another.
    /// `None`: this broker alone, everything in memory.
    pub redis: Option<cluster::RedisUrl>,
    /// The prefix of every Redis key and channel (brokers of one deployment share it).
    pub redis_prefix: String,
}

impl Default for BrokerConfig {
    fn default() -> Self {
        BrokerConfig {
            listen: SocketAddr::from(([0, 0, 0, 0], 8443)),
            code_ttl: Duration::from_secs(600),
            consent_timeout: Duration::from_secs(60),
            link_timeout: Duration::from_millis(1500),
            chat: true,
            secure_cookies: false,
            tls: None,
            tls_poll: Duration::from_secs(2),
            trusted_proxies: Vec::new(),
            rate_limits: limits::RateLimits::default(),
            allowed_origins: Vec::new(),
            sign_in_ttl: Duration::from_secs(12 * 3600),
            max_links: 10_000,
            max_links_per_ip: 20,
            policy: Arc::new(Policy::embedded_default()),
            devices: None,
            devices_poll: Duration::from_secs(2),
            audit_db: None,
            audit_retention: Duration::from_secs(30 * 24 * 3600),
            audit_queue: 65_536,
            audit_reserve: 4_096,
            audit_spool: None,
            report_access: audit::nobody,
            local_accounts: true,
            oidc: Vec::new(),
            public_url: None,
            turn: None,
            metrics_listen: None,
            redis: None,
            redis_prefix: "glass:".to_owned(),
        }
    }
}

/// A configuration value that is not acceptable: names the field and what is allowed.
#[derive(Debug, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct ConfigError {
    /// The field.
    pub field: &'static str,
    /// What is allowed.
    pub reason: String,
}

impl BrokerConfig {
    /// Checks every field once, before anything starts.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let range = |field, v: Duration, lo: Duration, hi: Duration| {
            if v < lo || v > hi {
                Err(ConfigError {
                    field,
                    reason: format!("{v:?} is outside {lo:?}..={hi:?}"),
                })
            } else {
                Ok(())
            }
        };
        range(
            "code_ttl",
            self.code_ttl,
            Duration::from_secs(30),
            Duration::from_secs(24 * 3600),
        )?;
        range(
            "consent_timeout",
            self.consent_timeout,
            Duration::from_secs(5),
            Duration::from_secs(600),
        )?;
        range(
            "link_timeout",
            self.link_timeout,
            Duration::from_millis(600),
            Duration::from_secs(60),
        )?;
        range(
            "sign_in_ttl",
            self.sign_in_ttl,
            Duration::from_secs(60),
            Duration::from_secs(30 * 24 * 3600),
        )?;
        range(
            "devices_poll",
            self.devices_poll,
            Duration::from_millis(100),
            Duration::from_secs(3600),
        )?;
        range(
            "tls_poll",
            self.tls_poll,
            Duration::from_millis(100),
            Duration::from_secs(3600),
        )?;
        self.rate_limits.validate()?;
        if let Some(turn) = &self.turn {
            turn.validate().map_err(|e| ConfigError {
                field: e.field,
                reason: format!("{:?}: expected {}", e.value, e.allowed),
            })?;
        }
        range(
            "audit_retention",
            self.audit_retention,
            Duration::from_secs(3600),
            Duration::from_secs(3650 * 24 * 3600),
        )?;
        if self.audit_queue == 0 || self.audit_reserve >= self.audit_queue {
            return Err(ConfigError {
                field: "audit_queue",
                reason: format!(
                    "{} rows with a reserve of {}: the queue must be larger than its reserve",
                    self.audit_queue, self.audit_reserve
                ),
            });
        }
        if self.max_links == 0 || self.max_links_per_ip == 0 {
            return Err(ConfigError {
                field: "max_links",
                reason: "must be at least 1".into(),
            });
        }
        for o in &self.allowed_origins {
            if !(o.starts_with("http://") || o.starts_with("https://")) || o.ends_with('/') {
                return Err(ConfigError {
                    field: "allowed_origins",
                    reason: format!("{o:?} is not an origin like https://help.example.com"),
                });
            }
        }
        if let Some(u) = &self.public_url
            && (!(u.starts_with("http://") || u.starts_with("https://")) || u.ends_with('/'))
        {
            return Err(ConfigError {
                field: "public_url",
                reason: format!("{u:?} is not a URL like https://help.example.com"),
            });
        }
        let mut ids = std::collections::HashSet::new();
        for issuer in &self.oidc {
            issuer
                .validate()
                .map_err(|(field, reason)| ConfigError { field, reason })?;
            if !ids.insert(issuer.id.as_str()) {
                return Err(ConfigError {
                    field: "id",
                    reason: format!("{:?}: two issuers with one id", issuer.id),
                });
            }
        }
        Ok(())
    }
}

/// Why the broker could not start or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BrokerError {
    /// The configuration is not acceptable.
    #[error("configuration: {0}")]
    Config(#[from] ConfigError),
    /// The devices file is not acceptable.
    #[error(transparent)]
    Devices(#[from] devices::DevicesError),
    /// The listener could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The OS error.
        source: std::io::Error,
    },
    /// Serving failed.
    #[error("server: {0}")]
    Serve(std::io::Error),
    /// The audit store could not be opened.
    #[error("{0}")]
    Audit(#[from] audit::StoreError),
    /// The TLS certificate or key cannot be used.
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
}

/// What request handlers share: the core and its ports, nothing for handlers to reach into.
pub(crate) struct AppState {
    pub config: BrokerConfig,
    pub verifier: verifier::Verifier,
    pub sign_ins: auth::SignIns,
    /// Asked to stop (several brokers): no new links; the ones open are moved away.
    pub draining: std::sync::atomic::AtomicBool,
    pub sign_in_limiter: Mutex<auth::SignInLimiter>,
    pub hub: Arc<Mutex<hub::Hub>>,
    pub audit: audit::AuditHandle,
    pub oidc: Option<Arc<oidc::Oidc>>,
    pub limits: Arc<limits::Limiters>,
    pub edge: Arc<limits::EdgeStats>,
    /// Whether the listener speaks TLS (every request came over it).
    pub tls: bool,
    /// The store shared with other brokers, and this broker's id and wake-up, when there
    /// are others.
    pub cluster: Option<(
        cluster::SharedStore,
        peers::BrokerId,
        Arc<tokio::sync::Notify>,
    )>,
}

/// A bound broker, ready to serve.
pub struct Broker {
    listener: tokio::net::TcpListener,
    local_addr: SocketAddr,
    state: Arc<AppState>,
    /// The certificate being served, swapped in place on reload.
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
    /// `GET /metrics` (Prometheus), on its own address.
    metrics: Option<(tokio::net::TcpListener, SocketAddr)>,
}

impl Broker {
    /// Validates the config and binds the listener (port 0: a free port).
    pub async fn bind(
        config: BrokerConfig,
        identity: Arc<dyn IdentityProvider>,
    ) -> Result<Broker, BrokerError> {
        config.validate()?;
        // A bad certificate stops the start, before the port is taken.
        let tls = match &config.tls {
            Some(t) => Some(axum_server::tls_rustls::RustlsConfig::from_config(
                tls::load(t)?,
            )),
            None => None,
        };
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| BrokerError::Bind {
                addr: config.listen,
                source,
            })?;
        let local_addr = listener.local_addr().map_err(BrokerError::Serve)?;
        let registry = match &config.devices {
            Some(path) => devices::DeviceRegistry::load(path)?,
            None => devices::DeviceRegistry::default(),
        };
        let mut hub = hub::Hub::new(hub::HubConfig {
            code_ttl: config.code_ttl,
            consent_timeout: config.consent_timeout,
            chat: config.chat,
            max_links: config.max_links,
            max_links_per_ip: config.max_links_per_ip,
            policy: config.policy.clone(),
            turn: config.turn.clone(),
        })
        .map_err(|e| ConfigError {
            field: "code_ttl",
            reason: e.to_string(),
        })?;
        hub.set_devices(std::time::Instant::now(), Arc::new(registry));
        // Two checks at once: ~100 sign-ins a second on two cores, the rest wait (64) or are
        // told "busy".
        let verifier =
            verifier::Verifier::new(identity.clone(), 2, 64).map_err(BrokerError::Serve)?;
        let oidc = if config.oidc.is_empty() {
            None
        } else {
            let public = config.public_url.clone().unwrap_or_else(|| {
                let host = if local_addr.ip().is_unspecified() {
                    SocketAddr::from(([127, 0, 0, 1], local_addr.port()))
                } else {
                    local_addr
                };
                let scheme = if tls.is_some() { "https" } else { "http" };
                format!("{scheme}://{host}")
            });
            Some(Arc::new(oidc::Oidc::new(config.oidc.clone(), &public)?))
        };
        let edge = Arc::new(limits::EdgeStats::default());
        let limits = Arc::new(limits::Limiters::new(
            config.rate_limits.clone(),
            edge.clone(),
        ));
        hub.set_limits(limits.clone());
        let cluster = match &config.redis {
            Some(url) => {
                let store = cluster::SharedStore::connect_redis_with(
                    url,
                    &cluster::StoreConfig::with_prefix(&config.redis_prefix),
                )
                .await
                .map_err(|e| ConfigError {
                    field: "redis",
                    reason: e.to_string(),
                })?;
                let me = peers::BrokerId::random();
                let notify = Arc::new(tokio::sync::Notify::new());
                hub.enable_cluster(me.clone(), notify.clone());
                tracing::info!(broker = %me, redis = %url, "sharing sessions with other brokers");
                Some((store, me, notify))
            }
            None => None,
        };
        let audit_url = config.audit_db.clone().map_or_else(
            || {
                tracing::warn!("audit trail in memory (set audit_db to keep it)");
                "sqlite::memory:".to_owned()
            },
            |u| u.0,
        );
        // Where rows are durable before the broker acts on them: the outbox in Redis with
        // other brokers, a local spool when configured, else the trail itself.
        let (outbox, me) = match (&cluster, &config.audit_spool) {
            (Some((cluster::SharedStore::Redis(r), me, _)), _) => (
                Some(audit::outbox::Outbox::Redis(r.clone())),
                me.to_string(),
            ),
            (_, Some(path)) => {
                let spool = audit::outbox::Spool::open(path)
                    .await
                    .map_err(|e| ConfigError {
                        field: "audit_spool",
                        reason: format!("{}: {e}", path.display()),
                    })?;
                (Some(audit::outbox::Outbox::Spool(spool)), String::new())
            }
            _ => (None, String::new()),
        };
        if outbox.is_none() && audit_url.starts_with("postgres") {
            tracing::warn!(
                "audit rows are committed to PostgreSQL before sessions act on them: while it \
                 is away, sessions wait; set audit_spool (or redis) to ride outages out"
            );
        }
        let audit = audit::AuditHandle::start_with_outbox(
            &audit_url,
            config.audit_retention,
            config.report_access,
            audit::writer::WriterConfig {
                capacity: config.audit_queue,
                reserve: config.audit_reserve,
                ..audit::writer::WriterConfig::default()
            },
            outbox,
            &me,
        )
        .await?;
        hub.set_audit(audit.sink.clone());
        if let (Some(oidc), Some((store, _, _))) = (&oidc, &cluster) {
            oidc.share_with(store.clone());
        }
        let sign_ins = match &cluster {
            Some((store, _, _)) => auth::SignIns::Shared {
                store: store.clone(),
                ttl: config.sign_in_ttl,
            },
            None => auth::SignIns::Local(Mutex::new(auth::Credentials::new(
                config.sign_in_ttl,
                100_000,
            ))),
        };
        let state = Arc::new(AppState {
            draining: std::sync::atomic::AtomicBool::new(false),
            sign_ins,
            cluster,
            limits,
            edge,
            tls: tls.is_some(),
            verifier,
            sign_in_limiter: Mutex::new(auth::SignInLimiter::new(
                http::SIGN_IN_FAILURES,
                http::SIGN_IN_WINDOW,
                100_000,
            )),
            hub: Arc::new(Mutex::new(hub)),
            audit,
            oidc,
            config,
        });
        let metrics = match state.config.metrics_listen {
            Some(addr) => {
                let l = tokio::net::TcpListener::bind(addr)
                    .await
                    .map_err(|source| BrokerError::Bind { addr, source })?;
                let a = l.local_addr().map_err(BrokerError::Serve)?;
                Some((l, a))
            }
            None => None,
        };
        Ok(Broker {
            listener,
            local_addr,
            state,
            tls,
            metrics,
        })
    }

    /// Where `GET /metrics` is served, if it is.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().map(|(_, a)| *a)
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// A handle on the counters (for tests, metrics and `glass broker` status lines).
    pub fn stats(&self) -> StatsHandle {
        StatsHandle {
            hub: self.state.hub.clone(),
            audit: self.state.audit.sink.clone(),
            oidc: self.state.oidc.clone(),
            edge: self.state.edge.clone(),
        }
    }

    /// A handle to replace the policy while the broker runs (e.g. on SIGHUP).
    pub fn policy(&self) -> PolicyHandle {
        PolicyHandle {
            hub: self.state.hub.clone(),
            audit: self.state.audit.clone(),
        }
    }

    /// The audit trail: store, writer counters, flush, prune.
    pub fn audit(&self) -> audit::AuditHandle {
        self.state.audit.clone()
    }

    /// Serves until `shutdown` resolves.
    pub async fn serve(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), BrokerError> {
        let ticker = tokio::spawn(hub::tick(self.state.hub.clone()));
        let cluster = self.state.cluster.clone().map(|(store, me, notify)| {
            tokio::spawn(cluster::drive(
                self.state.hub.clone(),
                store,
                me,
                notify,
                Some(self.state.audit.sink.clone()),
            ))
        });
        let watcher = self.state.config.devices.clone().map(|path| {
            tokio::spawn(watch_devices(
                self.state.hub.clone(),
                self.state.audit.clone(),
                path,
                self.state.config.devices_poll,
            ))
        });
        let audit = self.state.audit.clone();
        let pruner = tokio::spawn(audit::prune_job(audit.clone(), Duration::from_secs(3600)));
        let drivers = self
            .state
            .oidc
            .as_ref()
            .map(|o| o.spawn_drivers())
            .unwrap_or_default();
        let limits = self.state.limits.clone();
        let forgetter = tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(10));
            loop {
                every.tick().await;
                limits.retain_recent();
            }
        });
        let reloader = match (&self.tls, &self.state.config.tls) {
            (Some(served), Some(files)) => Some(tokio::spawn(tls::watch(
                served.clone(),
                files.clone(),
                self.state.config.tls_poll,
                self.state.edge.clone(),
            ))),
            _ => None,
        };
        let metrics = self.metrics.map(|(listener, _)| {
            let stats = StatsHandle {
                hub: self.state.hub.clone(),
                audit: self.state.audit.sink.clone(),
                oidc: self.state.oidc.clone(),
                edge: self.state.edge.clone(),
            };
            let app = axum::Router::new().route(
                "/metrics",
                axum::routing::get(move || {
                    let text = stats.prometheus();
                    async move {
                        (
                            [(
                                axum::http::header::CONTENT_TYPE,
                                "text/plain; version=0.0.4; charset=utf-8",
                            )],
                            text,
                        )
                    }
                }),
            );
            tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, app).await {
                    tracing::warn!(error = %e, "metrics listener stopped");
                }
            })
        });
        // Several brokers: on the way out, the sessions move to the others first.
        let shutdown = {
            let state = self.state.clone();
            async move {
                shutdown.await;
                if state.cluster.is_some() {
                    drain(&state, DRAIN_LIMIT).await;
                }
            }
        };
        let router = http::router(self.state);
        let app = router.into_make_service_with_connect_info::<SocketAddr>();
        let served = match self.tls {
            None => {
                // TCP_NODELAY: a relayed message is small and must leave at once. With Nagle's
                // algorithm a frame written while the previous one is unacknowledged waits for
                // the client's delayed ACK (40 ms on Linux): chat and sharer_joined took 42 ms
                // at the median in the load generator's runs before this.
                use axum::serve::ListenerExt;
                let listener = self.listener.tap_io(|tcp| {
                    let _ = tcp.set_nodelay(true);
                });
                axum::serve(listener, app)
                    .with_graceful_shutdown(shutdown)
                    .await
            }
            Some(served) => {
                let handle = axum_server::Handle::new();
                let stop = handle.clone();
                tokio::spawn(async move {
                    shutdown.await;
                    // As axum::serve: stop accepting, let requests finish, but do not wait
                    // for a WebSocket forever.
                    stop.graceful_shutdown(Some(Duration::from_secs(10)));
                });
                match self.listener.into_std() {
                    Ok(listener) => match axum_server::from_tcp_rustls(listener, served) {
                        // The handshake has 10 s (axum-server's default); a connection that
                        // then sends no request in 30 s is dropped.
                        Ok(server) => {
                            server
                                .map(|tls| {
                                    tls.acceptor(axum_server::accept::NoDelayAcceptor::new())
                                })
                                .handle(handle)
                                .first_request_timeout(Duration::from_secs(30))
                                .serve(app)
                                .await
                        }
                        Err(e) => Err(e),
                    },
                    Err(e) => Err(e),
                }
            }
        };
        forgetter.abort();
        if let Some(m) = metrics {
            m.abort();
        }
        if let Some(r) = reloader {
            r.abort();
        }
        ticker.abort();
        if let Some(c) = cluster {
            c.abort();
        }
        if let Some(w) = watcher {
            w.abort();
        }
        pruner.abort();
        audit.flush_for_shutdown().await;
        drivers.iter().for_each(|d| d.abort());
        served.map_err(BrokerError::Serve)
    }
}

/// How long a stopping broker waits for its sessions to move to the other brokers.
const DRAIN_LIMIT: Duration = Duration::from_secs(30);

/// Stops taking links (health check 503, upgrades refused), closes the open ones so that
/// their clients resume on another broker (which takes each session over), and waits until
/// no session lives here and no link is open, or `limit` has passed.
async fn drain(state: &AppState, limit: Duration) {
    let started = tokio::time::Instant::now();
    state
        .draining
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let links = match state.hub.lock() {
        Ok(mut h) => h.begin_drain(),
        Err(_) => return,
    };
    tracing::info!(
        links,
        "draining: links closed, waiting for their sessions to move"
    );
    loop {
        let (links, sessions) = match state.hub.lock() {
            Ok(h) => {
                let s = h.stats();
                (s.links, s.sessions)
            }
            Err(_) => return,
        };
        if links == 0 && sessions == 0 {
            tracing::info!(after = ?started.elapsed(), "drained: every session moved or ended");
            return;
        }
        if started.elapsed() >= limit {
            tracing::warn!(links, sessions, "drain limit reached; stopping anyway");
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Re-reads the devices file when it changes (size or modification time) and applies it to
/// live sessions. A file with an error is reported and the records in force stay.
async fn watch_devices(
    hub: Arc<Mutex<hub::Hub>>,
    audit: audit::AuditHandle,
    path: std::path::PathBuf,
    every: Duration,
) {
    let stamp = |p: &std::path::Path| {
        std::fs::metadata(p)
            .ok()
            .map(|m| (m.len(), m.modified().ok()))
    };
    let mut seen = stamp(&path);
    let mut current = devices::DeviceRegistry::load(&path).unwrap_or_default();
    let mut interval = tokio::time::interval(every);
    loop {
        interval.tick().await;
        let now_stamp = stamp(&path);
        if now_stamp == seen {
            continue;
        }
        seen = now_stamp;
        match devices::DeviceRegistry::load(&path) {
            Ok(registry) => {
                for id in current.changed(&registry) {
                    let (event, tenant) = match (current.get(&id), registry.get(&id)) {
                        (None, Some(r)) => (
                            audit::BrokerEvent::DeviceEnrolled {
                                device_id: id.clone(),
                                device_name: r.name.clone(),
                            },
                            r.tenant.clone(),
                        ),
                        (Some(r), None) => (
                            audit::BrokerEvent::DeviceRemoved {
                                device_id: id.clone(),
                                device_name: r.name.clone(),
                            },
                            r.tenant.clone(),
                        ),
                        (_, Some(r)) => (
                            audit::BrokerEvent::DeviceCompliance {
                                device_id: id.clone(),
                                device_name: r.name.clone(),
                                state: format!("{:?}", r.compliance).to_lowercase(),
                                reasons: r.reasons.clone(),
                            },
                            r.tenant.clone(),
                        ),
                        (None, None) => continue,
                    };
                    let by = audit::ActorRef::admin("devices-file", path.display().to_string());
                    audit.record(&event, &tenant, &by, None);
                }
                current = registry.clone();
                if let Ok(mut h) = hub.lock() {
                    h.set_devices(std::time::Instant::now(), Arc::new(registry));
                }
            }
            Err(e) => tracing::error!("devices file not reloaded, the records in force stay: {e}"),
        }
    }
}

/// Replaces the broker's policy while it runs.
#[derive(Clone)]
pub struct PolicyHandle {
    hub: Arc<Mutex<hub::Hub>>,
    audit: audit::AuditHandle,
}

impl PolicyHandle {
    /// Puts `policy` in force and applies it to every live session at once: a helper who
    /// lost full control drops to view, one who may no longer view is ended (`revoked`).
    /// The caller parsed and validated it; a bad file never replaces a good policy.
    pub fn reload(&self, policy: Policy) {
        self.reload_from(policy, "api");
    }

    /// [`PolicyHandle::reload`], naming where the policy came from (a file) in the audit row.
    pub fn reload_from(&self, policy: Policy, source: &str) {
        let version = self.hub.lock().ok().map(|mut hub| {
            hub.set_policy(std::time::Instant::now(), Arc::new(policy));
            hub.stats().policy_reloads
        });
        self.audit.record(
            &audit::BrokerEvent::PolicyReloaded {
                source: source.to_owned(),
                version: format!("reload {}", version.unwrap_or(0)),
            },
            "",
            &audit::ActorRef::broker(),
            None,
        );
    }

    /// Records that a policy file was refused (the policy in force stays).
    pub fn rejected(&self, source: &str, error: &str) {
        self.audit.record(
            &audit::BrokerEvent::PolicyRejected {
                source: source.to_owned(),
                error: error.to_owned(),
            },
            "",
            &audit::ActorRef::broker(),
            None,
        );
    }

    /// The policy in force.
    pub fn current(&self) -> Option<Arc<Policy>> {
        self.hub.lock().ok().map(|h| h.policy().clone())
    }
}

/// Reads the broker's counters while it runs.
#[derive(Clone)]
pub struct StatsHandle {
    hub: Arc<Mutex<hub::Hub>>,
    audit: audit::AuditSink,
    oidc: Option<Arc<oidc::Oidc>>,
    edge: Arc<limits::EdgeStats>,
}

impl StatsHandle {
    /// A snapshot of the counters.
    pub fn snapshot(&self) -> hub::HubStats {
        use std::sync::atomic::Ordering::Relaxed;
        let e = &self.edge;
        hub::HubStats {
            sign_ins_rate_limited: e.sign_ins_rate_limited.load(Relaxed),
            redeems_rate_limited: e.redeems_rate_limited.load(Relaxed),
            messages_rate_limited: e.messages_rate_limited.load(Relaxed),
            links_closed_flooding: e.links_closed_flooding.load(Relaxed),
            tls_reloads: e.tls_reloads.load(Relaxed),
            tls_reloads_refused: e.tls_reloads_refused.load(Relaxed),
            ..self.hub.lock().map(|h| h.stats()).unwrap_or_default()
        }
    }

    /// Every counter in the Prometheus text format (`metrics::render`).
    pub fn prometheus(&self) -> String {
        metrics::render(&self.snapshot(), &self.audit(), &self.sign_in_failures())
    }

    /// The audit writer's counters (written, dropped, failed).
    pub fn audit(&self) -> audit::AuditStats {
        self.audit.stats()
    }

    /// Refused OIDC sign-ins by reason (`state`, `cookie`, `wrong_tenant`, ...).
    pub fn sign_in_failures(&self) -> std::collections::BTreeMap<&'static str, u64> {
        self.oidc.as_ref().map(|o| o.failures()).unwrap_or_default()
    }
}
