//! HTTP routes: sign-in, sign-out, who am I, agent tokens, the WebSocket and the web apps.
//! Handlers are thin: parse, one call into the state, map the error. One middleware, the
//! edge, decides who is asking ([`crate::proxy::Client`]: address and TLS, behind trusted
//! proxies) for every handler, and adds the security headers (HSTS over TLS) to every
//! response.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Extension, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use glass_protocol::{Credentials, LoginResponse, TokenResponse, decode_body, encode_body};

use crate::AppState;
use crate::auth::{COOKIE, CredentialKind, Principal, cookie_value};
use crate::error::ApiError;
use crate::hub::card_of;
use crate::proxy::Client;

/// `ok`, or 503 `draining` once the broker was asked to stop: the load balancer's health
/// check then sends new connections to the other brokers.
async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    if state.draining.load(std::sync::atomic::Ordering::Relaxed) {
        (StatusCode::SERVICE_UNAVAILABLE, "draining").into_response()
    } else {
        "ok".into_response()
    }
}

pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/login", post(login))
        .route("/api/logout", post(logout))
        .route("/api/me", get(me))
        .route("/api/token", post(token))
        .route("/api/ws", get(crate::ws::upgrade))
        .route("/healthz", get(healthz))
        .merge(crate::audit::http::routes())
        .merge(crate::oidc::routes::router())
        .fallback(get(static_file))
        .layer(DefaultBodyLimit::max(16 * 1024))
        .layer(middleware::from_fn_with_state(state.clone(), edge))
        .with_state(state)
}

/// A protocol body as a JSON response.
fn json<T: serde::Serialize>(body: &T) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        encode_body(body),
    )
        .into_response()
}

/// Who is asking, for every handler (`Extension<Client>`), and the security headers on every
/// answer: HSTS only when the client reached us over TLS (ours, or a trusted proxy's).
async fn edge(State(state): State<Arc<AppState>>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(std::net::Ipv4Addr::UNSPECIFIED.into(), |c| c.0.ip());
    let client = crate::proxy::client(
        peer,
        state.tls,
        request.headers(),
        &state.config.trusted_proxies,
    );
    request.extensions_mut().insert(client);
    let mut response = next.run(request).await;
    crate::web::security_headers(response.headers_mut());
    if client.https {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(crate::web::HSTS),
        );
    }
    response
}

/// Whether cookies set for this client are `Secure`.
pub(crate) fn secure_cookies(state: &AppState, client: &Client) -> bool {
    client.https || state.config.secure_cookies
}

async fn static_file(uri: axum::http::Uri) -> Response {
    crate::web::serve(uri.path())
}

/// Whether the request's `Origin` (when a browser sent one) is the broker's own or an
/// allowed one. Requests without `Origin` are not from a cross-site page.
pub(crate) fn origin_allowed(state: &AppState, client: &Client, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if state.config.allowed_origins.iter().any(|o| o == origin) {
        return true;
    }
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let scheme = if secure_cookies(state, client) {
        "https"
    } else {
        "http"
    };
    origin == format!("{scheme}://{host}")
}

fn parse_credentials(body: &[u8]) -> Result<Credentials, ApiError> {
    let c: Credentials = std::str::from_utf8(body)
        .ok()
        .and_then(|text| decode_body(text).ok())
        .ok_or(ApiError::Malformed("expected {username, password}"))?;
    if c.username.is_empty() || c.username.len() > 256 || c.password.len() > 1024 {
        return Err(ApiError::Malformed("username or password length"));
    }
    Ok(c)
}

/// Checks credentials on the verifier pool (argon2 is deliberately slow), with the
/// per-address failure limit. One answer for every failure cause.
#[tracing::instrument(skip_all, fields(ip = %ip))]
async fn authenticate(
    state: &Arc<AppState>,
    ip: std::net::IpAddr,
    c: Credentials,
    client: &'static str,
) -> Result<crate::accounts::Identity, ApiError> {
    use crate::audit::SignInFailure;
    let username = c.username.clone();
    let result = match state.limits.sign_in(ip, Some(&username)) {
        Ok(()) => authenticate_inner(state, ip, c).await,
        Err(wait) => Err(ApiError::RateLimited(wait)),
    };
    let ticket = match &result {
        Ok(identity) => state.audit.signed_in(identity, client, ip),
        Err(e) => {
            let reason = match e {
                ApiError::TooManyAttempts | ApiError::RateLimited(_) => SignInFailure::RateLimited,
                ApiError::Busy => SignInFailure::Busy,
                _ => SignInFailure::BadCredentials,
            };
            state.audit.sign_in_failed(&username, reason, ip)
        }
    };
    // The answer (a sign-in's cookie or token) leaves once its row cannot be lost.
    state.audit.sink.durable(ticket).await;
    result
}

async fn authenticate_inner(
    state: &Arc<AppState>,
    ip: std::net::IpAddr,
    c: Credentials,
) -> Result<crate::accounts::Identity, ApiError> {
    if !sign_in_allowed(state, ip).await? {
        return Err(ApiError::TooManyAttempts);
    }
    let result = state
        .verifier
        .verify(c.username, c.password)
        .await
        .map_err(|_| ApiError::Busy)?;
    match result {
        Ok(identity) => {
            sign_in_counted(state, ip, true).await?;
            Ok(identity)
        }
        Err(_) => {
            sign_in_counted(state, ip, false).await?;
            Err(ApiError::Unauthorized)
        }
    }
}

/// Failed sign-ins from one address that refuse it, and for how long (the window opens at
/// the first failure).
pub(crate) const SIGN_IN_FAILURES: u32 = 10;
pub(crate) const SIGN_IN_WINDOW: Duration = Duration::from_secs(60);

/// The shared store's counter of failed sign-ins from `ip`.
fn sign_in_counter(ip: std::net::IpAddr) -> String {
    format!("signin-addr:{ip}")
}

/// Whether `ip` may try a password now: this broker's limiter alone, or with many brokers
/// the counter they share (a store that does not answer refuses: fail closed).
async fn sign_in_allowed(state: &AppState, ip: std::net::IpAddr) -> Result<bool, ApiError> {
    if let Some((store, _, _)) = &state.cluster {
        let failures = store
            .failures(&sign_in_counter(ip))
            .await
            .map_err(|_| ApiError::Busy)?;
        return Ok(failures < u64::from(SIGN_IN_FAILURES));
    }
    Ok(state
        .sign_in_limiter
        .lock()
        .map_err(|_| ApiError::Internal("limiter lock".into()))?
        .allowed(Instant::now(), ip))
}

/// Counts a sign-in from `ip`: a failure adds to its counter, a success clears it.
async fn sign_in_counted(state: &AppState, ip: std::net::IpAddr, ok: bool) -> Result<(), ApiError> {
    if let Some((store, _, _)) = &state.cluster {
        let counted = if ok {
            store.clear_failures(&sign_in_counter(ip)).await
        } else {
            store
                .count_failure(&sign_in_counter(ip), SIGN_IN_WINDOW)
                .await
                .map(drop)
        };
        if let Err(e) = counted {
            tracing::warn!("a sign-in was not counted: {e}");
        }
        return Ok(());
    }
    let mut limiter = state
        .sign_in_limiter
        .lock()
        .map_err(|_| ApiError::Internal("limiter lock".into()))?;
    if ok {
        limiter.succeeded(ip);
    } else {
        limiter.failed(Instant::now(), ip);
    }
    Ok(())
}

fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    // A cross-site form cannot send this content type without a CORS preflight, which the
    // broker never grants.
    let ok = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if ok {
        Ok(())
    } else {
        Err(ApiError::Malformed("Content-Type must be application/json"))
    }
}

async fn login(
    State(state): State<Arc<AppState>>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    if !origin_allowed(&state, &client, &headers) {
        return Err(ApiError::Forbidden("origin"));
    }
    if !state.config.local_accounts {
        // Local accounts are off: the same answer as wrong credentials.
        return Err(ApiError::Unauthorized);
    }
    let identity = authenticate(&state, client.ip, parse_credentials(&body)?, "browser").await?;
    let (cookie, body) = browser_session(&state, &client, identity, None).await?;
    let mut response = json(&body);
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// Issues a native agent's bearer token (local or OIDC sign-in) with its card and the device
/// challenge its device proof will sign.
pub(crate) async fn agent_session(
    state: &AppState,
    identity: crate::accounts::Identity,
    id_token: Option<String>,
) -> Result<TokenResponse, ApiError> {
    let card = card_of(&identity);
    let (token, principal) = state
        .sign_ins
        .issue(identity, CredentialKind::Agent, id_token)
        .await
        .map_err(|_| ApiError::Busy)?;
    Ok(TokenResponse {
        token,
        card,
        device_challenge: principal.device_challenge().map(str::to_owned),
    })
}

/// Issues a browser session (local or OIDC sign-in): the `glass_session` cookie and the
/// body `/api/login` answers with.
pub(crate) async fn browser_session(
    state: &AppState,
    client: &Client,
    identity: crate::accounts::Identity,
    id_token: Option<String>,
) -> Result<(HeaderValue, LoginResponse), ApiError> {
    let card = card_of(&identity);
    let bound = id_token.as_deref().and_then(binding_of);
    let (token, principal) = state
        .sign_ins
        .issue(identity, CredentialKind::Browser, id_token)
        .await
        .map_err(|_| ApiError::Busy)?;
    let principal = Some(principal);
    let may_view_reports = principal
        .as_ref()
        .is_some_and(|p| crate::audit::http::may_view_reports(state, p));
    let csrf = principal.map(|p| p.csrf().to_owned()).unwrap_or_default();
    let secure = if secure_cookies(state, client) {
        "; Secure"
    } else {
        ""
    };
    let max_age = state.config.sign_in_ttl.as_secs();
    let cookie =
        format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}");
    let cookie = HeaderValue::from_str(&cookie).map_err(|_| ApiError::Internal("cookie".into()))?;
    Ok((
        cookie,
        LoginResponse {
            card,
            csrf,
            dtls_fingerprint: bound.as_ref().map(|b| b.0.clone()),
            identity_expires_at: bound.map(|b| b.1),
            may_view_reports,
        },
    ))
}

/// The WebRTC fingerprint a sign-in's ID token binds, and when the token expires.
fn binding_of(id_token: &str) -> Option<(String, u64)> {
    glass_identity::binding::bound_in_verified_token(id_token)
        .map(|(fp, exp)| (fp.to_string(), exp))
}

/// The browser principal behind the request's cookie.
pub(crate) async fn browser_principal(
    state: &AppState,
    headers: &HeaderMap,
) -> Option<(String, Principal)> {
    let cookies = headers.get(header::COOKIE)?.to_str().ok()?;
    let token = cookie_value(cookies, COOKIE)?;
    let p = state
        .sign_ins
        .lookup(token, CredentialKind::Browser)
        .await?;
    Some((token.to_owned(), p))
}

/// The agent principal behind the request's bearer token.
pub(crate) async fn agent_principal(state: &AppState, headers: &HeaderMap) -> Option<Principal> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ")?;
    state.sign_ins.lookup(token, CredentialKind::Agent).await
}

async fn logout(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (token, principal) = browser_principal(&state, &headers)
        .await
        .ok_or(ApiError::Unauthorized)?;
    let presented = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !principal.csrf_matches(presented) {
        return Err(ApiError::Forbidden("csrf"));
    }
    state
        .sign_ins
        .revoke(&token)
        .await
        .map_err(|_| ApiError::Busy)?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("glass_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    Ok(response)
}

async fn me(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (_, p) = browser_principal(&state, &headers)
        .await
        .ok_or(ApiError::Unauthorized)?;
    let bound = p.id_token().and_then(binding_of);
    Ok(json(&LoginResponse {
        card: card_of(&p.identity),
        csrf: p.csrf().to_owned(),
        dtls_fingerprint: bound.as_ref().map(|b| b.0.clone()),
        identity_expires_at: bound.map(|b| b.1),
        may_view_reports: crate::audit::http::may_view_reports(&state, &p),
    }))
}

async fn token(
    State(state): State<Arc<AppState>>,
    Extension(client): Extension<Client>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    if headers.contains_key(header::ORIGIN) {
        // Agent tokens are for native agents, never for pages.
        return Err(ApiError::Forbidden("origin"));
    }
    if !state.config.local_accounts {
        return Err(ApiError::Unauthorized);
    }
    let identity = authenticate(&state, client.ip, parse_credentials(&body)?, "agent").await?;
    Ok(json(&agent_session(&state, identity, None).await?))
}
