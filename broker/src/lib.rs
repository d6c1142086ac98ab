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
//! Panic policy: a panic is a bug; nothing a client sends can panic the broker. Every
//! refusal is answered with a short reason and counted.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod config_file;
pub mod devices;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
mod http;
pub mod hub;
pub mod oidc;
pub mod verifier;
pub mod web;
mod ws;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use accounts::IdentityProvider;
pub use error::ApiError;
use glass_session::policy::Policy;

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
    /// Mark cookies `Secure` (set when served over TLS, directly or behind a proxy).
    pub secure_cookies: bool,
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
    /// Who may read reports until the policy engine checks `view_reports` (default: nobody).
    pub report_access: audit::ReportAccess,
    /// Whether local accounts may sign in (`/api/login`, `/api/token`); off, they answer as
    /// for wrong credentials (`docs/identity.md`).
    pub local_accounts: bool,
    /// OIDC issuers users can sign in with.
    pub oidc: Vec<oidc::OidcIssuerConfig>,
    /// The broker's public URL (`https://help.example.com`), for the OIDC redirect URI
    /// `<public_url>/auth/oidc/callback`; default `http://<bound address>`.
    pub public_url: Option<String>,
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
            allowed_origins: Vec::new(),
            sign_in_ttl: Duration::from_secs(12 * 3600),
            max_links: 10_000,
            max_links_per_ip: 20,
            policy: Arc::new(Policy::embedded_default()),
            devices: None,
            devices_poll: Duration::from_secs(2),
            audit_db: None,
            audit_retention: Duration::from_secs(30 * 24 * 3600),
            report_access: audit::nobody,
            local_accounts: true,
            oidc: Vec::new(),
            public_url: None,
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
            "audit_retention",
            self.audit_retention,
            Duration::from_secs(3600),
            Duration::from_secs(3650 * 24 * 3600),
        )?;
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
}

/// What request handlers share: the core and its ports, nothing for handlers to reach into.
pub(crate) struct AppState {
    pub config: BrokerConfig,
    pub verifier: verifier::Verifier,
    pub credentials: Mutex<auth::Credentials>,
    pub sign_in_limiter: Mutex<auth::SignInLimiter>,
    pub hub: Arc<Mutex<hub::Hub>>,
    pub audit: audit::AuditHandle,
    pub oidc: Option<Arc<oidc::Oidc>>,
}

/// A bound broker, ready to serve.
pub struct Broker {
    listener: tokio::net::TcpListener,
    local_addr: SocketAddr,
    state: Arc<AppState>,
}

impl Broker {
    /// Validates the config and binds the listener (port 0: a free port).
    pub async fn bind(
        config: BrokerConfig,
        identity: Arc<dyn IdentityProvider>,
    ) -> Result<Broker, BrokerError> {
        config.validate()?;
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
        })
        .map_err(|e| ConfigError {
            field: "code_ttl",
            reason: e.to_string(),
        })?;
        hub.set_devices(std::time::Instant::now(), Arc::new(registry));
        let audit_url = config.audit_db.clone().map_or_else(
            || {
                tracing::warn!("audit trail in memory (set audit_db to keep it)");
                "sqlite::memory:".to_owned()
            },
            |u| u.0,
        );
        let audit =
            audit::AuditHandle::start(&audit_url, config.audit_retention, config.report_access)
                .await?;
        hub.set_audit(audit.sink.clone());
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
                format!("http://{host}")
            });
            Some(Arc::new(oidc::Oidc::new(config.oidc.clone(), &public)?))
        };
        let state = Arc::new(AppState {
            verifier,
            credentials: Mutex::new(auth::Credentials::new(config.sign_in_ttl, 100_000)),
            sign_in_limiter: Mutex::new(auth::SignInLimiter::new(
                10,
                Duration::from_secs(60),
                100_000,
            )),
            hub: Arc::new(Mutex::new(hub)),
            audit,
            oidc,
            config,
        });
        Ok(Broker {
            listener,
            local_addr,
            state,
        })
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
        let router = http::router(self.state);
        let served = axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        ticker.abort();
        if let Some(w) = watcher {
            w.abort();
        }
        pruner.abort();
        audit.flush().await;
        drivers.iter().for_each(|d| d.abort());
        served.map_err(BrokerError::Serve)
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
}

impl StatsHandle {
    /// A snapshot of the counters.
    pub fn snapshot(&self) -> hub::HubStats {
        self.hub.lock().map(|h| h.stats()).unwrap_or_default()
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
