//! The broker as an OpenID Connect relying party: sign-in with any configured issuer
//! (authorization code + PKCE + nonce), for the web apps and, through a loopback redirect
//! (RFC 8252), for the native agent. `docs/identity.md` has the configuration and the
//! reasoning.
//!
//! - Discovery runs at start in a task per issuer, retried with backoff while the issuer is
//!   down; until it succeeds that issuer's button answers with the generic failure and local
//!   accounts keep working.
//! - The ID token is verified by `glass-identity` against the issuer's JWKS, which this module
//!   fetches into a [`glass_identity::KeyCache`] (hourly, on an unknown `kid` rate-limited).
//! - Tokens never reach page scripts: the browser gets the broker's own session cookie
//!   (HttpOnly), the raw ID token stays on the server attached to the principal.
//! - Every failure answers the same (a redirect to the app with `?sign_in=failed`); the
//!   reason is logged and counted ([`Oidc::failures`]). Secrets (client secret, codes,
//!   tokens, verifiers) are never logged.

pub mod pending;
pub(crate) mod routes;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use glass_identity::{CacheConfig, IdentityMapping, IssuerPolicy, KeyCache, VerifyError};
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreTokenResponse,
};
use openidconnect::url;
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
};

use crate::accounts::{Identity, Profile};
use pending::{Flow, Pending, PendingLimits, Target};

/// A secret from configuration (client secret): never printed.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    /// The secret itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// One configured issuer: plain data, checked by [`OidcIssuerConfig::validate`].
#[derive(Clone, Debug)]
pub struct OidcIssuerConfig {
    /// Short id used in URLs (`/auth/oidc/{id}/start`) and `glass share --sign-in`.
    pub id: String,
    /// What the button says: "Sign in with {display_name}".
    pub display_name: String,
    /// The issuer URL, exactly as its discovery document's `issuer`.
    pub issuer: String,
    /// Our client id at the issuer.
    pub client_id: String,
    /// Our client secret (confidential client); empty for a public client (PKCE only).
    pub client_secret: Secret,
    /// The tenant every user of this issuer belongs to.
    pub tenant: String,
    /// Entra ID: the directory (tenant) id; tokens must carry it as `tid`, users are
    /// identified by `tid` + `oid`.
    pub entra_tenant_id: Option<String>,
    /// The tenant's verified domain, shown on cards when a token has no verified e-mail.
    pub verified_domain: Option<String>,
    /// Scopes requested besides `openid`.
    pub scopes: Vec<String>,
    /// Key cache timings (defaults: hourly, unknown kid at most every 30 s).
    pub cache: CacheConfig,
}

impl OidcIssuerConfig {
    /// A config with the default scopes (`profile email`) and cache timings.
    pub fn new(
        id: impl Into<String>,
        display_name: impl Into<String>,
        issuer: impl Into<String>,
        client_id: impl Into<String>,
        tenant: impl Into<String>,
    ) -> Self {
        OidcIssuerConfig {
            id: id.into(),
            display_name: display_name.into(),
            issuer: issuer.into(),
            client_id: client_id.into(),
            client_secret: Secret::default(),
            tenant: tenant.into(),
            entra_tenant_id: None,
            verified_domain: None,
            scopes: vec!["profile".into(), "email".into()],
            cache: CacheConfig::default(),
        }
    }

    /// Checks the fields: returns the field name and what is allowed.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 32
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            return Err((
                "id",
                format!(
                    "{:?}: 1-32 characters of lowercase letters, digits and '-'",
                    self.id
                ),
            ));
        }
        if self.display_name.trim().is_empty() || self.display_name.chars().count() > 64 {
            return Err(("name", "1-64 characters".into()));
        }
        let url = url::Url::parse(&self.issuer)
            .map_err(|e| ("issuer", format!("{:?} is not a URL: {e}", self.issuer)))?;
        let loopback = matches!(url.host(), Some(url::Host::Domain("localhost")))
            || matches!(url.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback())
            || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback());
        if url.scheme() != "https" && !(url.scheme() == "http" && loopback) {
            return Err((
                "issuer",
                format!(
                    "{:?}: must be https:// (http:// only for a test issuer on localhost)",
                    self.issuer
                ),
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(("issuer", "no query or fragment".into()));
        }
        if self.client_id.is_empty() || self.client_id.len() > 256 {
            return Err(("client_id", "1-256 characters".into()));
        }
        if self.tenant.trim().is_empty() || self.tenant.len() > 128 {
            return Err(("tenant", "1-128 characters".into()));
        }
        if let Some(t) = &self.entra_tenant_id
            && (t.is_empty()
                || t.len() > 64
                || !t.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
        {
            return Err((
                "entra_tenant_id",
                format!("{t:?}: the directory (tenant) id, a GUID"),
            ));
        }
        if let Some(d) = &self.verified_domain
            && (d.is_empty()
                || d.len() > 253
                || !d.contains('.')
                || !d
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        {
            return Err((
                "verified_domain",
                format!("{d:?}: a domain like contoso.com"),
            ));
        }
        if let Some(s) = self
            .scopes
            .iter()
            .find(|s| s.is_empty() || s.len() > 128 || s.chars().any(|c| c <= ' ' || c == '"'))
        {
            return Err(("scopes", format!("{s:?}: not a scope")));
        }
        Ok(())
    }
}

/// Why a sign-in failed: for the log and the counters, never for the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Unknown issuer id in the start URL.
    UnknownIssuer,
    /// Discovery has not succeeded (yet).
    IssuerUnavailable,
    /// Too many sign-ins in progress.
    Busy,
    /// Bad start parameters (agent redirect, state, challenge).
    BadStart,
    /// The callback's state is unknown, expired or used.
    State,
    /// The callback came without the binding cookie, or with another one.
    Cookie,
    /// The issuer answered the authorization request with an error.
    IssuerError,
    /// The code exchange failed.
    Exchange,
    /// The token response had no ID token.
    NoIdToken,
    /// The ID token was refused.
    Token(VerifyError),
    /// The claims make no identity (another tenant, no oid).
    Identity(glass_identity::IdentityError),
}

impl Failure {
    /// A fixed label for counters.
    pub(crate) fn label(&self) -> &'static str {
        match self {
            Failure::UnknownIssuer => "unknown_issuer",
            Failure::IssuerUnavailable => "issuer_unavailable",
            Failure::Busy => "busy",
            Failure::BadStart => "bad_start",
            Failure::State => "state",
            Failure::Cookie => "cookie",
            Failure::IssuerError => "issuer_error",
            Failure::Exchange => "exchange",
            Failure::NoIdToken => "no_id_token",
            Failure::Token(e) => e.label(),
            Failure::Identity(e) => e.label(),
        }
    }
}

/// What discovery found, and the policy it implies.
struct Discovered {
    metadata: CoreProviderMetadata,
    policy: IssuerPolicy,
    jwks_uri: String,
}

struct IssuerState {
    discovered: Option<Arc<Discovered>>,
    keys: KeyCache,
}

/// One issuer at run time.
pub(crate) struct Issuer {
    pub(crate) config: OidcIssuerConfig,
    mapping: IdentityMapping,
    state: Mutex<IssuerState>,
    /// Woken after every key fetch, and on an unknown kid.
    keys_changed: tokio::sync::Notify,
    wake_driver: tokio::sync::Notify,
}

/// The relying party: issuers, pending sign-ins, the HTTP client.
pub(crate) struct Oidc {
    pub(crate) issuers: Vec<Arc<Issuer>>,
    http: reqwest::Client,
    pub(crate) pending: Mutex<Pending>,
    /// With several brokers: sign-ins in progress live in the store they share.
    shared: std::sync::OnceLock<crate::cluster::SharedStore>,
    redirect_uri: RedirectUrl,
    failures: Mutex<BTreeMap<&'static str, u64>>,
}

/// A transport error of the broker's HTTP client (for openidconnect).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct HttpError(String);

/// Largest response body read from an issuer.
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// One request to an issuer over reqwest 0.13; redirects are not followed (openidconnect's
/// advice: a redirect could turn a token request into a request elsewhere), bodies bounded.
async fn call(
    client: reqwest::Client,
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, HttpError> {
    let (parts, body) = request.into_parts();
    let mut response = client
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(|e| HttpError(e.without_url().to_string()))?;
    let status = response.status();
    let headers = response.headers().clone();
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| HttpError(e.without_url().to_string()))?
    {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(HttpError("response too large".into()));
        }
        body.extend_from_slice(&chunk);
    }
    let mut out = http::Response::new(body);
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    Ok(out)
}

/// What a finished callback leads to.
pub(crate) enum Finished {
    /// A browser session for this identity (and its raw ID token).
    Web {
        identity: Box<Identity>,
        id_token: String,
        app: pending::App,
    },
    /// A redirect to the agent's loopback with a one-time code.
    Agent { location: String },
}

impl Oidc {
    /// The relying party for `issuers` (validated), redirecting to `public_url`.
    pub(crate) fn new(
        issuers: Vec<OidcIssuerConfig>,
        public_url: &str,
    ) -> Result<Oidc, crate::ConfigError> {
        let redirect_uri = RedirectUrl::new(format!(
            "{}/auth/oidc/callback",
            public_url.trim_end_matches('/')
        ))
        .map_err(|e| crate::ConfigError {
            field: "public_url",
            reason: e.to_string(),
        })?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| crate::ConfigError {
                field: "oidc",
                reason: format!("HTTP client: {e}"),
            })?;
        let issuers = issuers
            .into_iter()
            .map(|config| {
                Arc::new(Issuer {
                    mapping: IdentityMapping {
                        tenant: config.tenant.clone(),
                        entra_tenant_id: config.entra_tenant_id.clone(),
                        verified_domain: config.verified_domain.clone(),
                    },
                    state: Mutex::new(IssuerState {
                        discovered: None,
                        keys: KeyCache::new(config.cache.clone()),
                    }),
                    keys_changed: tokio::sync::Notify::new(),
                    wake_driver: tokio::sync::Notify::new(),
                    config,
                })
            })
            .collect();
        Ok(Oidc {
            issuers,
            http,
            pending: Mutex::new(Pending::new(PendingLimits::default())),
            shared: std::sync::OnceLock::new(),
            redirect_uri,
            failures: Mutex::new(BTreeMap::new()),
        })
    }

    /// Counts and logs a failure; the client is told nothing more than "failed".
    pub(crate) fn failed(&self, failure: &Failure) {
        tracing::info!(reason = failure.label(), detail = ?failure, "OIDC sign-in refused");
        if let Ok(mut f) = self.failures.lock() {
            *f.entry(failure.label()).or_default() += 1;
        }
    }

    /// Failures by reason so far.
    pub(crate) fn failures(&self) -> BTreeMap<&'static str, u64> {
        self.failures.lock().map(|f| f.clone()).unwrap_or_default()
    }

    fn http_client(
        &self,
    ) -> impl Fn(
        openidconnect::HttpRequest,
    ) -> std::pin::Pin<
        Box<
            dyn std::future::Future<Output = Result<openidconnect::HttpResponse, HttpError>> + Send,
        >,
    > + Send
    + Sync
    + use<> {
        let client = self.http.clone();
        move |request| Box::pin(call(client.clone(), request))
    }

    /// The per-issuer drivers: discovery (retried with backoff), then the key cache.
    pub(crate) fn spawn_drivers(self: &Arc<Self>) -> Vec<tokio::task::JoinHandle<()>> {
        (0..self.issuers.len())
            .map(|i| tokio::spawn(self.clone().drive(i)))
            .collect()
    }

    async fn drive(self: Arc<Self>, index: usize) {
        let issuer = self.issuers[index].clone();
        let mut backoff = Duration::from_millis(500);
        loop {
            match self.discover(&issuer).await {
                Ok(d) => {
                    tracing::info!(issuer = %issuer.config.id, "OIDC issuer discovered");
                    if let Ok(mut s) = issuer.state.lock() {
                        s.discovered = Some(Arc::new(d));
                    }
                    break;
                }
                Err(e) => {
                    tracing::warn!(issuer = %issuer.config.id, error = %e, retry_in = ?backoff, "OIDC discovery failed");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(60));
                }
            }
        }
        loop {
            self.refresh_keys(&issuer).await;
            let wait = {
                let Ok(s) = issuer.state.lock() else { return };
                let now = Instant::now();
                s.keys.poll_timeout(now).saturating_duration_since(now)
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = issuer.wake_driver.notified() => {}
            }
        }
    }

    async fn discover(&self, issuer: &Issuer) -> Result<Discovered, String> {
        let url = IssuerUrl::new(issuer.config.issuer.clone()).map_err(|e| e.to_string())?;
        let http = self.http_client();
        let metadata = CoreProviderMetadata::discover_async(url, &http)
            .await
            .map_err(|e| {
                format!(
                    "{e}: {}",
                    std::error::Error::source(&e)
                        .map(|s| s.to_string())
                        .unwrap_or_default()
                )
            })?;
        let advertised: Vec<String> = metadata
            .id_token_signing_alg_values_supported()
            .iter()
            .filter_map(|a| serde_json::to_value(a).ok())
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let policy = IssuerPolicy::new(
            metadata.issuer().as_str(),
            issuer.config.client_id.clone(),
            &advertised,
        )
        .map_err(|e| e.to_string())?;
        let jwks_uri = metadata.jwks_uri().url().to_string();
        Ok(Discovered {
            metadata,
            policy,
            jwks_uri,
        })
    }

    /// Fetches the JWKS when the cache says so (at most one fetch in flight).
    async fn refresh_keys(&self, issuer: &Issuer) {
        let uri = {
            let Ok(mut s) = issuer.state.lock() else {
                return;
            };
            let Some(d) = s.discovered.clone() else {
                return;
            };
            if !s.keys.poll_refresh(Instant::now()) {
                return;
            }
            d.jwks_uri.clone()
        };
        let fetched = self
            .http
            .get(&uri)
            .header(http::header::ACCEPT, "application/json")
            .send()
            .await;
        let body = match fetched {
            Ok(r) if r.status().is_success() => match r.bytes().await {
                Ok(b) if b.len() <= glass_identity::jwks::MAX_JWKS_BYTES => Some(b),
                _ => None,
            },
            Ok(r) => {
                tracing::warn!(issuer = %issuer.config.id, status = %r.status(), "JWKS fetch failed");
                None
            }
            Err(e) => {
                tracing::warn!(issuer = %issuer.config.id, error = %e.without_url(), "JWKS fetch failed");
                None
            }
        };
        if let Ok(mut s) = issuer.state.lock() {
            let now = Instant::now();
            match body {
                Some(b) => match s.keys.handle_jwks(now, &b) {
                    Ok(n) => {
                        tracing::debug!(issuer = %issuer.config.id, keys = n, "JWKS refreshed")
                    }
                    Err(e) => {
                        tracing::warn!(issuer = %issuer.config.id, error = %e, "JWKS refused: keeping the last good set")
                    }
                },
                None => s.keys.handle_fetch_failed(now),
            }
        }
        issuer.keys_changed.notify_waiters();
    }

    fn issuer_index(&self, id: &str) -> Option<usize> {
        self.issuers.iter().position(|i| i.config.id == id)
    }

    fn client(
        &self,
        issuer: &Issuer,
        d: &Discovered,
    ) -> CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    > {
        let secret = match issuer.config.client_secret.expose() {
            "" => None,
            s => Some(ClientSecret::new(s.to_owned())),
        };
        CoreClient::from_provider_metadata(
            d.metadata.clone(),
            ClientId::new(issuer.config.client_id.clone()),
            secret,
        )
        .set_redirect_uri(self.redirect_uri.clone())
    }

    /// Starts a sign-in: records the flow and returns the issuer's authorization URL.
    #[tracing::instrument(skip_all, fields(issuer = issuer_id))]
    pub(crate) async fn start(
        &self,
        now: Instant,
        issuer_id: &str,
        binding: &str,
        target: Target,
        dtls: Option<&glass_identity::DtlsFingerprint>,
    ) -> Result<String, Failure> {
        let index = self.issuer_index(issuer_id).ok_or(Failure::UnknownIssuer)?;
        let issuer = &self.issuers[index];
        let discovered = issuer
            .state
            .lock()
            .ok()
            .and_then(|s| s.discovered.clone())
            .ok_or(Failure::IssuerUnavailable)?;
        let client = self.client(issuer, &discovered);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        // A helper's page binds its WebRTC certificate to this sign-in: the issuer signs the
        // fingerprint into the ID token, for the sharer's agent to check.
        let nonce = match dtls {
            Some(fp) => Nonce::new(fp.nonce(Nonce::new_random().secret())),
            None => Nonce::new_random(),
        };
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                move || nonce,
            )
            .set_pkce_challenge(challenge);
        for s in &issuer.config.scopes {
            request = request.add_scope(Scope::new(s.clone()));
        }
        let (url, state, nonce) = request.url();
        let flow = Flow::new(
            now,
            index,
            nonce.secret().clone(),
            verifier.secret().clone(),
            binding.to_owned(),
            target,
        );
        match self.shared.get() {
            Some(store) => pending::shared::start(
                store,
                state.secret(),
                flow,
                PendingLimits::default().flow_ttl,
            )
            .await
            .map_err(|_| Failure::Busy)?,
            None => self
                .pending
                .lock()
                .map_err(|_| Failure::Busy)?
                .start(now, state.secret().clone(), flow)
                .map_err(|_| Failure::Busy)?,
        }
        Ok(url.to_string())
    }

    /// Finishes a sign-in at the callback. `Err` carries the flow's target when one was
    /// found, so the failure goes back where the sign-in came from.
    #[tracing::instrument(skip_all)]
    pub(crate) async fn finish(
        &self,
        state: &str,
        code: Option<&str>,
        issuer_error: bool,
        binding: Option<&str>,
    ) -> Result<Finished, (Failure, Option<Target>)> {
        let flow = match self.shared.get() {
            Some(store) => pending::shared::take(store, Instant::now(), state).await,
            None => self
                .pending
                .lock()
                .ok()
                .and_then(|mut p| p.take(Instant::now(), state)),
        }
        .ok_or((Failure::State, None))?;
        let target = flow.target.clone();
        let fail = |f: Failure| (f, Some(target.clone()));
        if !binding.is_some_and(|b| flow.bound_to(b)) {
            return Err(fail(Failure::Cookie));
        }
        if issuer_error {
            return Err(fail(Failure::IssuerError));
        }
        let code = code.ok_or_else(|| fail(Failure::IssuerError))?;
        let issuer = self.issuers[flow.issuer].clone();
        let discovered = issuer
            .state
            .lock()
            .ok()
            .and_then(|s| s.discovered.clone())
            .ok_or_else(|| fail(Failure::IssuerUnavailable))?;
        let client = self.client(&issuer, &discovered);
        let http = self.http_client();
        let response: CoreTokenResponse = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|_| fail(Failure::Exchange))?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier.clone()))
            .request_async(&http)
            .await
            .map_err(|e| {
                tracing::debug!(error = %e, "code exchange failed");
                fail(Failure::Exchange)
            })?;
        let _ = response.access_token(); // not used: the ID token says who signed in
        let id_token = openidconnect::TokenResponse::id_token(&response)
            .ok_or_else(|| fail(Failure::NoIdToken))?
            .to_string();
        let identity = self
            .verify(&issuer, &discovered, &id_token, &flow.nonce)
            .await
            .map_err(fail)?;
        tracing::info!(issuer = %issuer.config.id, user = %identity.user_id, "OIDC sign-in");
        match target {
            Target::Web(app) => Ok(Finished::Web {
                identity: Box::new(identity),
                id_token,
                app,
            }),
            Target::Agent {
                redirect,
                state,
                challenge,
            } => {
                let code = match self.shared.get() {
                    Some(store) => pending::shared::issue_code(
                        store,
                        identity,
                        id_token,
                        challenge,
                        PendingLimits::default().code_ttl,
                    )
                    .await
                    .map_err(|_| (Failure::Busy, None))?,
                    None => self
                        .pending
                        .lock()
                        .map_err(|_| (Failure::Busy, None))?
                        .issue_code(Instant::now(), identity, id_token, challenge)
                        .map_err(|_| (Failure::Busy, None))?,
                };
                let mut url = url::Url::parse(&redirect).map_err(|_| (Failure::BadStart, None))?;
                url.query_pairs_mut()
                    .append_pair("code", &code)
                    .append_pair("state", &state);
                Ok(Finished::Agent {
                    location: url.to_string(),
                })
            }
        }
    }

    /// Verifies the ID token (refreshing the keys once on an unknown `kid`) and makes the
    /// identity.
    async fn verify(
        &self,
        issuer: &Issuer,
        discovered: &Discovered,
        token: &str,
        nonce: &str,
    ) -> Result<Identity, Failure> {
        let mut refreshed = false;
        loop {
            let result = {
                let s = issuer
                    .state
                    .lock()
                    .map_err(|_| Failure::IssuerUnavailable)?;
                match s.keys.keys() {
                    Some(keys) => glass_identity::verify_id_token(
                        token,
                        &discovered.policy,
                        keys,
                        SystemTime::now(),
                        Some(nonce),
                    ),
                    // No key set yet (the first fetch is under way or failed): as for a key
                    // we have not seen.
                    None => Err(VerifyError::UnknownKey { kid: None }),
                }
            };
            match result {
                Ok(claims) => {
                    let person = glass_identity::identify(&claims, &issuer.mapping)
                        .map_err(Failure::Identity)?;
                    if person.groups_incomplete {
                        tracing::warn!(issuer = %issuer.config.id, "groups claim incomplete (overage or too many): role mapping may miss some");
                    }
                    return Ok(identity_of(person));
                }
                Err(VerifyError::UnknownKey { .. }) if !refreshed => {
                    refreshed = true;
                    let changed = issuer.keys_changed.notified();
                    if let Ok(mut s) = issuer.state.lock() {
                        s.keys.handle_unknown_kid(Instant::now());
                    }
                    issuer.wake_driver.notify_one();
                    // The driver fetches when the rate limit allows; wait a little for it.
                    let _ = tokio::time::timeout(Duration::from_secs(5), changed).await;
                }
                Err(e) => return Err(Failure::Token(e)),
            }
        }
    }

    /// Redeems an agent's one-time code with its verifier.
    pub(crate) async fn redeem_agent_code(
        &self,
        now: Instant,
        code: &str,
        verifier: &str,
    ) -> Option<(Identity, String)> {
        if verifier.len() < 43 || verifier.len() > 128 {
            return None;
        }
        let challenge = PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(
            verifier.to_owned(),
        ));
        match self.shared.get() {
            Some(store) => pending::shared::redeem_code(store, code, challenge.as_str()).await,
            None => self
                .pending
                .lock()
                .ok()?
                .redeem_code(now, code, challenge.as_str()),
        }
    }

    /// Keeps sign-ins in progress in `store`, shared with the other brokers (several
    /// brokers behind a load balancer: the issuer's redirect back may reach any of them).
    pub(crate) fn share_with(&self, store: crate::cluster::SharedStore) {
        let _ = self.shared.set(store);
    }
}

fn identity_of(person: glass_identity::Person) -> Identity {
    let card = person.card;
    Identity {
        user_id: person.user_id,
        profile: Profile {
            name: card.name,
            title: card.title,
            company: card.company,
            picture: card.picture,
            domain: card.domain,
            domain_verified: card.domain_verified,
        },
        tenant: person.tenant,
        groups: person.groups,
        amr: person.amr,
        vouched: card.vouched,
    }
}

/// Whether `uri` is an acceptable agent redirect: `http://127.0.0.1:PORT/…` or
/// `http://[::1]:PORT/…` (RFC 8252 §7.3: loopback IP literals, not `localhost`), no
/// credentials, query or fragment.
pub(crate) fn loopback_redirect_ok(uri: &str) -> bool {
    let Ok(url) = url::Url::parse(uri) else {
        return false;
    };
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    uri.len() <= 256
        && url.scheme() == "http"
        && loopback
        && url.port().is_some()
        && url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_ip_redirects() {
        assert!(loopback_redirect_ok("http://127.0.0.1:53100/callback"));
        assert!(loopback_redirect_ok("http://[::1]:53100/"));
        for bad in [
            "http://localhost:53100/",
            "https://127.0.0.1:53100/",
            "http://127.0.0.1/",
            "http://evil.example:53100/",
            "http://127.0.0.1.evil.example:53100/",
            "http://user@127.0.0.1:53100/",
            "http://127.0.0.1:53100/?next=x",
            "http://127.0.0.1:53100/#x",
            "javascript:alert(1)",
            "",
        ] {
            assert!(!loopback_redirect_ok(bad), "{bad}");
        }
    }

    #[test]
    fn issuer_config_is_validated_and_the_secret_never_printed() {
        let mut c = OidcIssuerConfig::new(
            "entra",
            "Contoso",
            "https://login.example/t/v2.0",
            "app",
            "contoso",
        );
        c.client_secret = Secret::new("hunter2");
        assert!(c.validate().is_ok());
        assert!(!format!("{c:?}").contains("hunter2"));
        let mut bad = c.clone();
        bad.issuer = "http://login.example".into();
        assert_eq!(bad.validate().unwrap_err().0, "issuer");
        bad.issuer = "http://localhost:8080".into();
        assert!(bad.validate().is_ok(), "http only on loopback");
        let mut bad = c.clone();
        bad.id = "Entra ID".into();
        assert_eq!(bad.validate().unwrap_err().0, "id");
        let mut bad = c.clone();
        bad.entra_tenant_id = Some("not a guid".into());
        assert_eq!(bad.validate().unwrap_err().0, "entra_tenant_id");
    }
}
