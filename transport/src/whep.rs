//! WHEP signalling (WebRTC-HTTP Egress Protocol, the egress twin of RFC 9725) over HTTP/1.1.
//!
//! One `POST /whep` with an SDP offer creates a viewer session and answers `201 Created` with
//! the SDP answer and `Location: /whep/<id>`; `DELETE /whep/<id>` ends it.
//!
//! Trickle ICE (RFC 9725 §4.3.1): `PATCH /whep/<id>` with an `application/trickle-ice-sdpfrag`
//! body (RFC 8840) hands the viewer's `a=candidate` lines to [`WhepHandler::trickle`]; success
//! is `204`. The session runs full ICE, so trickling is optional: the candidates of the offer,
//! or the viewer's own checks (peer-reflexive discovery), are enough when the viewer can reach
//! one of our candidates. An `If-Match` other than the session's `ETag` is `412`; `If-Match: *`
//! asks for an ICE restart, which is not supported (`422`: make a new offer). A handler without
//! trickle answers `405`.
//!
//! The router is generic over [`WhepHandler`], so signalling is tested without a WebRTC stack
//! (`tests/whep.rs` uses a fake); [`crate::Transport`] implements it for real sessions. Static
//! files (the browser viewer) are passed in as [`Asset`]s so this crate carries no web files.
//!
//! A refused offer is `400` with one sentence in plain words naming what is wrong
//! (`bad offer: the offer has no video m-line`); the SDP parser's detail goes to the debug log,
//! never to the client. Failures on our side are `500` with a fixed text. An offer beyond the
//! handler's limits (too many viewers, too many connecting, too many from the client's address)
//! is `503` with `Retry-After`.
//!
//! CORS comes from an allow-list ([`WhepConfig::allowed_origins`]): a page from a listed origin
//! (or any, with `*`) gets the CORS headers on every response, errors included, so it can read
//! error bodies and the `Location` header; a page from any other origin gets none and the
//! browser keeps the answers from it. The embedded viewer is same-origin and needs no entry. Request handling never panics; a
//! panic inside a handler becomes `500`.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};

/// What the signalling server asks of the WebRTC side.
pub trait WhepHandler: Send + Sync + 'static {
    /// Accepts an SDP offer: returns the new session's id (URL-safe) and the SDP answer.
    fn offer(&self, sdp: &str) -> Result<(String, String), WhepError>;
    /// [`WhepHandler::offer`] from a client at `source` (the TCP peer when served with
    /// [`serve`]), for per-address limits. By default the source is ignored.
    fn offer_from(&self, sdp: &str, source: Option<IpAddr>) -> Result<(String, String), WhepError> {
        let _ = source;
        self.offer(sdp)
    }
    /// Ends the session `id`; `false` if there is no such session.
    fn delete(&self, id: &str) -> bool;
    /// Trickle ICE: adds the viewer's candidates in `fragment` to session `id`. By default
    /// trickle is not supported ([`WhepError::TrickleUnsupported`], `405`), which RFC 9725
    /// allows.
    fn trickle(&self, id: &str, fragment: &IceFragment) -> Result<(), WhepError> {
        let _ = (id, fragment);
        Err(WhepError::TrickleUnsupported)
    }
}

/// What a trickle `PATCH` body (`application/trickle-ice-sdpfrag`, RFC 8840) carries for the
/// handler, plus the restart request from its `If-Match` header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IceFragment {
    /// `a=ice-ufrag`, when given: the viewer's ICE username fragment.
    pub ufrag: Option<String>,
    /// Each `a=candidate` value (`candidate:...`, without `a=`).
    pub candidates: Vec<String>,
    /// `a=end-of-candidates` was present.
    pub end_of_candidates: bool,
    /// The client asked for an ICE restart (`If-Match: *`, RFC 9725 §4.3.2).
    pub ice_restart: bool,
}

impl IceFragment {
    /// Reads the lines that matter from an SDP fragment; the rest (`m=`, `a=mid`, ...) is
    /// ignored. Never fails: a fragment without candidates is an empty one.
    pub fn parse(body: &str) -> IceFragment {
        let mut f = IceFragment::default();
        for line in body.lines().map(str::trim) {
            if let Some(v) = line.strip_prefix("a=ice-ufrag:") {
                f.ufrag = Some(v.trim().to_string());
            } else if let Some(v) = line.strip_prefix("a=") {
                if v.starts_with("candidate:") {
                    f.candidates.push(v.to_string());
                } else if v == "end-of-candidates" {
                    f.end_of_candidates = true;
                }
            }
        }
        f
    }
}

impl<T: WhepHandler> WhepHandler for Arc<T> {
    fn offer(&self, sdp: &str) -> Result<(String, String), WhepError> {
        (**self).offer(sdp)
    }
    fn offer_from(&self, sdp: &str, source: Option<IpAddr>) -> Result<(String, String), WhepError> {
        (**self).offer_from(sdp, source)
    }
    fn delete(&self, id: &str) -> bool {
        (**self).delete(id)
    }
    fn trickle(&self, id: &str, fragment: &IceFragment) -> Result<(), WhepError> {
        (**self).trickle(id, fragment)
    }
}

impl WhepHandler for crate::Transport {
    fn offer(&self, sdp: &str) -> Result<(String, String), WhepError> {
        self.offer_from(sdp, None)
    }

    fn offer_from(&self, sdp: &str, source: Option<IpAddr>) -> Result<(String, String), WhepError> {
        match self.accept_offer_from(sdp, source) {
            Ok((id, answer)) => Ok((id.to_string(), answer)),
            Err(crate::Error::BadOffer(reason)) => Err(WhepError::BadOffer(reason)),
            Err(crate::Error::Busy {
                reason,
                retry_after,
            }) => Err(WhepError::Busy {
                reason: reason.into(),
                retry_after,
            }),
            Err(crate::Error::Closed) => Err(WhepError::Unavailable(
                "the sharer is stopping or busy".into(),
            )),
            Err(e) => {
                // The detail is ours to read, not the client's.
                tracing::warn!("WHEP offer failed: {e}");
                Err(WhepError::Internal("the offer could not be handled".into()))
            }
        }
    }

    fn delete(&self, id: &str) -> bool {
        id.parse::<crate::SessionId>()
            .is_ok_and(|id| self.close(id))
    }

    fn trickle(&self, id: &str, fragment: &IceFragment) -> Result<(), WhepError> {
        let Ok(id) = id.parse::<crate::SessionId>() else {
            return Err(WhepError::NotFound);
        };
        if fragment.ice_restart {
            return Err(WhepError::Unprocessable(crate::peer::ICE_RESTART.into()));
        }
        let candidates: Vec<&str> = fragment.candidates.iter().map(String::as_str).collect();
        match self.add_remote_candidates(id, fragment.ufrag.as_deref(), &candidates) {
            Ok(()) => Ok(()),
            Err(crate::Error::BadCandidate(reason)) => Err(WhepError::BadCandidate(reason)),
            Err(crate::Error::Unsupported(reason)) => Err(WhepError::Unprocessable(reason.into())),
            Err(crate::Error::Closed) => Err(WhepError::NotFound),
            Err(e) => {
                tracing::warn!("WHEP trickle failed: {e}");
                Err(WhepError::Internal(
                    "the candidates could not be handled".into(),
                ))
            }
        }
    }
}

/// Why an offer was refused, split by who is at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WhepError {
    /// The client's SDP is malformed or offers nothing we can send (`400`).
    #[error("bad offer: {0}")]
    BadOffer(String),
    /// The transport is shutting down or not answering (`503`).
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// No room for another viewer (a limit is reached): `503` with `Retry-After`.
    #[error("busy: {reason}")]
    Busy {
        /// Which limit, in plain words.
        reason: String,
        /// Sent as `Retry-After`, in whole seconds (at least 1).
        retry_after: Duration,
    },
    /// A failure on our side (`500`).
    #[error("internal error: {0}")]
    Internal(String),
    /// No such session (`404`).
    #[error("no such session")]
    NotFound,
    /// The handler does not take trickled candidates (`405`).
    #[error("trickle ICE is not supported")]
    TrickleUnsupported,
    /// A trickled candidate cannot be used (`400`), in plain words.
    #[error("bad candidate: {0}")]
    BadCandidate(String),
    /// Understood but not done, such as an ICE restart (`422`).
    #[error("unprocessable: {0}")]
    Unprocessable(String),
}

/// A static file served by the router (e.g. the viewer page).
#[derive(Debug, Clone, Copy)]
pub struct Asset {
    /// Request path, starting with `/` (`"/"` for the index).
    pub path: &'static str,
    /// `Content-Type` value.
    pub content_type: &'static str,
    /// File contents.
    pub body: &'static str,
}

/// Router settings: plain data with [`Default`].
#[derive(Debug, Clone)]
pub struct WhepConfig {
    /// When set, `POST`, `DELETE` and `PATCH` need `Authorization: Bearer <token>`.
    pub token: Option<String>,
    /// Largest accepted offer body; larger ones get `413`.
    pub max_body_bytes: usize,
    /// Files served with `GET` (the viewer). Never behind the token: the page itself holds
    /// no secret, and it reads the token from its own URL.
    pub assets: Vec<Asset>,
    /// Origins whose pages may call the endpoint from another origin
    /// (`https://player.example.com`), or `*` for any (a public endpoint behind a token).
    /// Empty: same-origin pages only (the embedded viewer).
    pub allowed_origins: Vec<String>,
}

impl Default for WhepConfig {
    fn default() -> Self {
        Self {
            token: None,
            // Browser offers are 3-8 KiB; 64 KiB leaves room for many m-lines and candidates.
            max_body_bytes: 64 * 1024,
            allowed_origins: Vec::new(),
            assets: Vec::new(),
        }
    }
}

/// The WHEP endpoint path.
pub const ENDPOINT: &str = "/whep";

struct Shared {
    handler: Arc<dyn WhepHandler>,
    config: WhepConfig,
}

/// Builds the router: `POST /whep`, `DELETE|PATCH|OPTIONS /whep/{id}`, `OPTIONS /whep`, and
/// `GET` for each asset. Serve it with `axum::serve`.
pub fn router<H: WhepHandler>(handler: H, config: WhepConfig) -> Router {
    let assets = config.assets.clone();
    let shared = Arc::new(Shared {
        handler: Arc::new(handler),
        config,
    });
    let mut router = Router::new()
        .route(ENDPOINT, any(endpoint))
        .route("/whep/{id}", any(resource));
    for asset in assets {
        router = router.route(
            asset.path,
            get(move || async move {
                (
                    [
                        (header::CONTENT_TYPE, asset.content_type),
                        (header::CACHE_CONTROL, "no-cache"),
                    ],
                    asset.body,
                )
            }),
        );
    }
    router
        .fallback(|| async { text(StatusCode::NOT_FOUND, "not found") })
        .layer(middleware::from_fn_with_state(shared.clone(), cors))
        .with_state(shared)
}

/// Serves `router` on `listener` until `shutdown` resolves, then finishes in-flight requests.
/// Each request carries its TCP peer's address, which offers pass on as their source
/// ([`WhepHandler::offer_from`]). Served another way, offers have no source.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Which `Access-Control-Allow-Origin` a request from `origin` gets: the origin itself when
/// listed (or `*` is), `*` for a request without one when `*` is listed, else none.
fn allow_origin(allowed: &[String], origin: Option<&HeaderValue>) -> Option<HeaderValue> {
    let any = allowed.iter().any(|a| a == "*");
    match origin {
        Some(o) if any || o.to_str().is_ok_and(|o| allowed.iter().any(|a| a == o)) => {
            Some(o.clone())
        }
        None if any => Some(HeaderValue::from_static("*")),
        _ => None,
    }
}

/// Adds the CORS headers to every response for allowed origins (preflights are answered by
/// the routes; their CORS headers are removed for other origins).
async fn cors(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let allowed = allow_origin(
        &shared.config.allowed_origins,
        request.headers().get(header::ORIGIN),
    );
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.append(header::VARY, HeaderValue::from_static("Origin"));
    let Some(origin) = allowed else {
        for name in [
            header::ACCESS_CONTROL_ALLOW_METHODS,
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            header::ACCESS_CONTROL_MAX_AGE,
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
        ] {
            h.remove(name);
        }
        return response;
    };
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Location, ETag, Link"),
    );
    response
}

fn text(status: StatusCode, reason: impl Into<String>) -> Response {
    let mut body = reason.into();
    body.push('\n');
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

fn preflight(allow: &'static str) -> Response {
    (
        StatusCode::NO_CONTENT,
        [
            (header::ALLOW, allow),
            (
                header::ACCESS_CONTROL_ALLOW_METHODS,
                "POST, DELETE, OPTIONS, PATCH",
            ),
            (
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                "Authorization, Content-Type, If-Match",
            ),
            (header::ACCESS_CONTROL_MAX_AGE, "86400"),
            (
                header::HeaderName::from_static("accept-post"),
                "application/sdp",
            ),
        ],
    )
        .into_response()
}

/// `None` when authorised, else the `401` to send.
fn check_auth(config: &WhepConfig, headers: &HeaderMap) -> Option<Response> {
    let token = config.token.as_deref()?;
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        });
    if presented.is_some_and(|p| constant_time_eq(p.as_bytes(), token.as_bytes())) {
        return None;
    }
    let mut response = text(
        StatusCode::UNAUTHORIZED,
        "missing or wrong bearer token (add ?token=... to the viewer URL)",
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"glass\""),
    );
    Some(response)
}

/// Compares without an early exit, so response time does not reveal the matching prefix.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn is_sdp(headers: &HeaderMap) -> bool {
    has_media_type(headers, "application/sdp")
}

/// The `Content-Type` of a trickle `PATCH` (RFC 8840 §9.1).
const TRICKLE_TYPE: &str = "application/trickle-ice-sdpfrag";

fn has_media_type(headers: &HeaderMap, want: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(want))
}

/// What `If-Match` asks of a trickle `PATCH` to the session whose `ETag` is `etag`.
#[derive(Debug, PartialEq, Eq)]
enum Precondition {
    /// No header, or it names this session's `ETag`: trickle.
    Trickle,
    /// `*`: an ICE restart (RFC 9725 §4.3.2).
    Restart,
    /// An entity tag that is not the session's (`412`).
    Failed,
}

fn precondition(headers: &HeaderMap, etag: &str) -> Precondition {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Precondition::Trickle;
    };
    let value = value.to_str().unwrap_or("");
    if value.trim() == "*" {
        return Precondition::Restart;
    }
    let strip_weak = |t: &str| t.trim().trim_start_matches("W/").to_string();
    if value.split(',').any(|t| strip_weak(t) == etag) {
        Precondition::Trickle
    } else {
        Precondition::Failed
    }
}

/// The response for a handler's error.
fn error_response(e: WhepError) -> Response {
    match e {
        WhepError::BadOffer(reason) => {
            text(StatusCode::BAD_REQUEST, format!("bad offer: {reason}"))
        }
        WhepError::BadCandidate(reason) => {
            text(StatusCode::BAD_REQUEST, format!("bad candidate: {reason}"))
        }
        WhepError::Unavailable(reason) => text(StatusCode::SERVICE_UNAVAILABLE, reason),
        WhepError::Busy {
            reason,
            retry_after,
        } => {
            let mut response = text(StatusCode::SERVICE_UNAVAILABLE, reason);
            // Whole seconds, rounded up (RFC 9110 §10.2.3).
            let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
            response
        }
        WhepError::Internal(reason) => text(StatusCode::INTERNAL_SERVER_ERROR, reason),
        WhepError::NotFound => text(StatusCode::NOT_FOUND, "no such session"),
        WhepError::TrickleUnsupported => {
            // RFC 9725 §4.3.1: a resource without trickle ICE answers 405.
            let mut r = text(
                StatusCode::METHOD_NOT_ALLOWED,
                "trickle ICE is not needed: the server learns your address from ICE checks",
            );
            r.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("DELETE, OPTIONS"));
            r
        }
        WhepError::Unprocessable(reason) => text(StatusCode::UNPROCESSABLE_ENTITY, reason),
    }
}

async fn endpoint(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    match *request.method() {
        Method::OPTIONS => preflight("POST, OPTIONS"),
        Method::POST => post_offer(shared, request).await,
        _ => {
            let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "use POST with an SDP offer");
            r.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST, OPTIONS"));
            r
        }
    }
}

async fn post_offer(shared: Arc<Shared>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if let Some(denied) = check_auth(&shared.config, &parts.headers) {
        return denied;
    }
    if !is_sdp(&parts.headers) {
        return text(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/sdp",
        );
    }
    let limit = shared.config.max_body_bytes;
    let declared_too_big = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > limit as u64);
    if declared_too_big {
        return text(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("offer larger than {limit} bytes"),
        );
    }
    let bytes = match to_bytes(body, limit).await {
        Ok(b) => b,
        Err(e) => {
            // `to_bytes` fails on the limit or on a broken connection; either way the body
            // is unusable, and only the limit case can still be answered.
            tracing::debug!("WHEP offer body: {e}");
            return text(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("offer larger than {limit} bytes or unreadable"),
            );
        }
    };
    let Ok(sdp) = String::from_utf8(bytes.to_vec()) else {
        return text(StatusCode::BAD_REQUEST, "bad offer: SDP is not UTF-8");
    };
    if !sdp.trim_start().starts_with("v=") {
        return text(
            StatusCode::BAD_REQUEST,
            "bad offer: SDP must start with v=0",
        );
    }
    let source = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    let handler = shared.handler.clone();
    // The handler may block on the transport thread: keep it off the async workers.
    let result = tokio::task::spawn_blocking(move || handler.offer_from(&sdp, source)).await;
    match result {
        Ok(Ok((id, answer))) => {
            let location = format!("{ENDPOINT}/{id}");
            let etag = format!("\"{id}\"");
            let mut response = (StatusCode::CREATED, answer).into_response();
            let h = response.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/sdp"),
            );
            match (
                HeaderValue::from_str(&location),
                HeaderValue::from_str(&etag),
            ) {
                (Ok(l), Ok(e)) => {
                    h.insert(header::LOCATION, l);
                    h.insert(header::ETAG, e);
                }
                _ => {
                    // A handler that returns an id unusable in a URL is a bug on our side;
                    // end the session rather than leave one the client cannot delete.
                    shared.handler.delete(&id);
                    return text(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "session id is not URL-safe",
                    );
                }
            }
            response
        }
        Ok(Err(e)) => error_response(e),
        Err(e) => {
            tracing::error!("WHEP offer handler failed: {e}");
            text(StatusCode::INTERNAL_SERVER_ERROR, "offer handler failed")
        }
    }
}

async fn resource(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    request: Request<Body>,
) -> Response {
    let method = request.method().clone();
    if method == Method::OPTIONS {
        return preflight("DELETE, PATCH, OPTIONS");
    }
    if (method == Method::DELETE || method == Method::PATCH)
        && let Some(denied) = check_auth(&shared.config, request.headers())
    {
        return denied;
    }
    match method {
        Method::DELETE => {
            let handler = shared.handler.clone();
            match tokio::task::spawn_blocking(move || handler.delete(&id)).await {
                Ok(true) => text(StatusCode::OK, "session ended"),
                Ok(false) => text(StatusCode::NOT_FOUND, "no such session"),
                Err(e) => {
                    tracing::error!("WHEP delete handler failed: {e}");
                    text(StatusCode::INTERNAL_SERVER_ERROR, "delete handler failed")
                }
            }
        }
        Method::PATCH => patch_trickle(shared, id, request).await,
        _ => {
            let mut r = text(
                StatusCode::METHOD_NOT_ALLOWED,
                "use DELETE to end the session",
            );
            r.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("DELETE, OPTIONS"));
            r
        }
    }
}

/// `PATCH /whep/{id}`: trickled candidates (RFC 9725 §4.3.1).
async fn patch_trickle(shared: Arc<Shared>, id: String, request: Request<Body>) -> Response {
    let (parts, body) = request.into_parts();
    let restart = match precondition(&parts.headers, &format!("\"{id}\"")) {
        Precondition::Trickle => false,
        Precondition::Restart => true,
        Precondition::Failed => {
            return text(
                StatusCode::PRECONDITION_FAILED,
                "If-Match does not name this session's ETag",
            );
        }
    };
    if !has_media_type(&parts.headers, TRICKLE_TYPE) {
        return text(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("Content-Type must be {TRICKLE_TYPE}"),
        );
    }
    let limit = shared.config.max_body_bytes;
    let Ok(bytes) = to_bytes(body, limit).await else {
        return text(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("fragment larger than {limit} bytes or unreadable"),
        );
    };
    let Ok(body) = std::str::from_utf8(&bytes) else {
        return text(
            StatusCode::BAD_REQUEST,
            "bad candidate: the fragment is not UTF-8",
        );
    };
    let fragment = IceFragment {
        ice_restart: restart,
        ..IceFragment::parse(body)
    };
    let handler = shared.handler.clone();
    match tokio::task::spawn_blocking(move || handler.trickle(&id, &fragment)).await {
        Ok(Ok(())) => StatusCode::NO_CONTENT.into_response(),
        Ok(Err(e)) => error_response(e),
        Err(e) => {
            tracing::error!("WHEP trickle handler failed: {e}");
            text(StatusCode::INTERNAL_SERVER_ERROR, "trickle handler failed")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        let config = WhepConfig {
            token: Some("s3cret".into()),
            ..WhepConfig::default()
        };
        let mut h = HeaderMap::new();
        assert!(check_auth(&config, &h).is_some());
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer s3cret"),
        );
        assert!(check_auth(&config, &h).is_none());
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic s3cret"),
        );
        assert!(check_auth(&config, &h).is_some());
        assert!(check_auth(&WhepConfig::default(), &HeaderMap::new()).is_none());
    }

    #[test]
    fn garbage_offers_get_400_in_plain_words() {
        use std::net::Ipv4Addr;
        use tower::ServiceExt;

        let transport = Arc::new(
            crate::Transport::start(crate::TransportConfig {
                bind: vec![Ipv4Addr::LOCALHOST.into()],
                ..crate::TransportConfig::default()
            })
            .unwrap(),
        );
        let router = router(transport.clone(), WhepConfig::default());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let no_mid = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n\
                      m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 H264/90000\r\n";
        for offer in ["v=0\r\nhello", "v=0\r\n", "v=0\r\no=x\r\n\u{0}", no_mid] {
            let request = Request::post(ENDPOINT)
                .header(header::CONTENT_TYPE, "application/sdp")
                .body(Body::from(offer))
                .unwrap();
            let response = runtime.block_on(router.clone().oneshot(request)).unwrap();
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{offer:?}");
            let body = runtime
                .block_on(to_bytes(response.into_body(), 4096))
                .unwrap();
            let body = String::from_utf8(body.to_vec()).unwrap();
            // One line naming the problem; before, str0m's parser error came through:
            // "SDP parse: Parse error at PointerOffset(0x7f…)\nUnexpected `h`...".
            assert!(body.starts_with("bad offer: the offer "), "{body:?}");
            assert!(crate::peer::tests::is_plain(body.trim_end()), "{body:?}");
        }
        drop(router);
        assert!(transport.sessions().is_empty());
    }

    fn loopback_transport(config: crate::TransportConfig) -> Arc<crate::Transport> {
        let config = crate::TransportConfig {
            bind: vec![std::net::Ipv4Addr::LOCALHOST.into()],
            ..config
        };
        Arc::new(crate::Transport::start(config).unwrap())
    }

    fn viewer_offer() -> String {
        crate::testing::PendingViewer::new()
            .unwrap()
            .offer_sdp()
            .to_string()
    }

    /// One `POST /whep` over a real TCP connection: (status, headers and body as text).
    fn post_over_tcp(addr: SocketAddr, sdp: &str) -> (u16, String) {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let request = format!(
            "POST {ENDPOINT} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
             Content-Type: application/sdp\r\nContent-Length: {}\r\n\r\n{sdp}",
            sdp.len()
        );
        s.write_all(request.as_bytes()).unwrap();
        let mut reply = String::new();
        s.read_to_string(&mut reply).unwrap();
        let status = reply[9..12].parse().unwrap();
        (status, reply.to_ascii_lowercase())
    }

    #[test]
    fn offers_over_a_limit_get_503_with_retry_after() {
        use tower::ServiceExt;
        // Served for real: the TCP peer's address (127.0.0.1) is the offer's source.
        let transport = loopback_transport(crate::TransportConfig {
            max_peers: 3,
            max_pending_peers: 3,
            max_peers_per_ip: 1,
            ..crate::TransportConfig::default()
        });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = router(transport.clone(), WhepConfig::default());
        runtime.spawn(serve(listener, app.clone(), async {
            let _ = stopped.await;
        }));
        let (status, _) = post_over_tcp(addr, &viewer_offer());
        assert_eq!(status, 201);
        let (status, reply) = post_over_tcp(addr, &viewer_offer());
        assert_eq!(status, 503, "{reply}");
        assert!(reply.contains("\r\nretry-after: 10\r\n"), "{reply}");
        assert!(
            reply.ends_with("too many viewers from this address\n"),
            "{reply}"
        );
        // Without a known source (not served by `serve`), only the other limits apply.
        let post = || {
            Request::post(ENDPOINT)
                .header(header::CONTENT_TYPE, "application/sdp")
                .body(Body::from(viewer_offer()))
                .unwrap()
        };
        let status = |r: Request| runtime.block_on(app.clone().oneshot(r)).unwrap();
        assert_eq!(status(post()).status(), StatusCode::CREATED);
        assert_eq!(status(post()).status(), StatusCode::CREATED);
        let full = status(post());
        assert_eq!(full.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(full.headers()[header::RETRY_AFTER], "10");
        let stats = transport.stats();
        assert_eq!((stats.sessions, stats.pending), (3, 3));
        assert_eq!(stats.offers_refused_per_ip, 1);
        assert_eq!(stats.offers_refused_max_peers, 1);
        let _ = stop.send(());
    }

    /// One request through the router in memory: (status, body).
    fn call(
        runtime: &tokio::runtime::Runtime,
        app: &Router,
        request: Request,
    ) -> (StatusCode, String) {
        use tower::ServiceExt;
        let response = runtime.block_on(app.clone().oneshot(request)).unwrap();
        let status = response.status();
        let body = runtime
            .block_on(to_bytes(response.into_body(), 64 * 1024))
            .unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    fn patch(location: &str, if_match: Option<&str>, content_type: &str, body: &str) -> Request {
        let mut r = Request::patch(location).header(header::CONTENT_TYPE, content_type);
        if let Some(m) = if_match {
            r = r.header(header::IF_MATCH, m);
        }
        r.body(Body::from(body.to_string())).unwrap()
    }

    #[test]
    fn trickle_patch_adds_candidates_to_a_real_session() {
        let transport = loopback_transport(crate::TransportConfig::default());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let app = router(transport.clone(), WhepConfig::default());
        // An ICE-lite viewer without candidates in its offer: it connects only through the
        // candidate it trickles.
        let viewer = crate::testing::PendingViewer::with(crate::testing::ViewerOptions {
            ice_lite: true,
            trickle: true,
            ..Default::default()
        })
        .unwrap();
        let candidate = viewer.candidate().to_string();
        let ufrag = viewer
            .offer_sdp()
            .lines()
            .find_map(|l| l.strip_prefix("a=ice-ufrag:"))
            .unwrap()
            .to_string();
        let post = Request::post(ENDPOINT)
            .header(header::CONTENT_TYPE, "application/sdp")
            .body(Body::from(viewer.offer_sdp().to_string()))
            .unwrap();
        use tower::ServiceExt;
        let response = runtime.block_on(app.clone().oneshot(post)).unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
        let location = response.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string();
        let etag = response.headers()[header::ETAG]
            .to_str()
            .unwrap()
            .to_string();
        let answer = runtime
            .block_on(to_bytes(response.into_body(), 64 * 1024))
            .unwrap();
        let started = viewer.start(std::str::from_utf8(&answer).unwrap()).unwrap();
        let fragment = format!(
            "a=ice-ufrag:{ufrag}\r\na=ice-pwd:not-checked\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n\
             a=mid:0\r\na={candidate}\r\na=end-of-candidates\r\n"
        );
        const FRAG: &str = "application/trickle-ice-sdpfrag";
        // Preconditions and media type first.
        let (status, _) = call(
            &runtime,
            &app,
            patch(&location, Some("\"other\""), FRAG, &fragment),
        );
        assert_eq!(status, StatusCode::PRECONDITION_FAILED);
        let (status, body) = call(&runtime, &app, patch(&location, Some("*"), FRAG, &fragment));
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body.contains("ICE restart"), "{body}");
        let (status, _) = call(
            &runtime,
            &app,
            patch(&location, None, "application/sdp", &fragment),
        );
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let (status, _) = call(
            &runtime,
            &app,
            patch("/whep/00000000000000ab", None, FRAG, &fragment),
        );
        assert_eq!(status, StatusCode::NOT_FOUND);
        let other_ufrag = fragment.replace(&format!("a=ice-ufrag:{ufrag}"), "a=ice-ufrag:zzzz");
        let (status, _) = call(
            &runtime,
            &app,
            patch(&location, Some(&etag), FRAG, &other_ufrag),
        );
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, body) = call(
            &runtime,
            &app,
            patch(&location, None, FRAG, "a=candidate:1 1 udp\r\n"),
        );
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.starts_with("bad candidate: "), "{body}");
        assert!(crate::peer::tests::is_plain(body.trim_end()), "{body}");
        // Nothing has reached the viewer yet.
        assert_eq!(transport.stats().pending, 1);
        // The real trickle.
        let (status, body) = call(
            &runtime,
            &app,
            patch(&location, Some(&etag), FRAG, &fragment),
        );
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let end = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let remaining = end.saturating_duration_since(std::time::Instant::now());
            match transport.events().recv_timeout(remaining) {
                Ok(crate::TransportEvent::ViewerJoined(_)) => break,
                Ok(_) => {}
                Err(_) => panic!("the trickled viewer did not join"),
            }
        }
        let stats = transport.stats();
        assert_eq!(
            (stats.remote_candidates_added, stats.candidates_rejected),
            (1, 1)
        );
        drop(started);
    }

    #[test]
    fn handlers_without_trickle_answer_405() {
        struct NoTrickle;
        impl WhepHandler for NoTrickle {
            fn offer(&self, _: &str) -> Result<(String, String), WhepError> {
                Err(WhepError::BadOffer("no".into()))
            }
            fn delete(&self, _: &str) -> bool {
                false
            }
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let app = router(NoTrickle, WhepConfig::default());
        let (status, _) = call(
            &runtime,
            &app,
            patch(
                "/whep/s1",
                None,
                "application/trickle-ice-sdpfrag",
                "a=candidate:1 1 udp 1 1.2.3.4 5 typ host\r\n",
            ),
        );
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    }

    #[test]
    fn fragments_and_preconditions_parse() {
        let f = IceFragment::parse(
            "a=ice-ufrag:EsAw\r\na=ice-pwd:P2uY\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n\
             a=candidate:1 1 udp 2122260223 192.0.2.1 61764 typ host generation 0\r\n\
             a=candidate:2 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active\n\
             a=end-of-candidates\r\n",
        );
        assert_eq!(f.ufrag.as_deref(), Some("EsAw"));
        assert_eq!(f.candidates.len(), 2);
        assert!(f.candidates[0].starts_with("candidate:1 1 udp"));
        assert!(f.end_of_candidates && !f.ice_restart);
        assert_eq!(IceFragment::parse(""), IceFragment::default());
        let etag = "\"00000000000000ab\"";
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::IF_MATCH, HeaderValue::from_static(v));
            precondition(&h, etag)
        };
        assert_eq!(precondition(&HeaderMap::new(), etag), Precondition::Trickle);
        assert_eq!(with("\"00000000000000ab\""), Precondition::Trickle);
        assert_eq!(with("W/\"00000000000000ab\""), Precondition::Trickle);
        assert_eq!(with("\"x\", \"00000000000000ab\""), Precondition::Trickle);
        assert_eq!(with("*"), Precondition::Restart);
        assert_eq!(with("\"x\""), Precondition::Failed);
    }

    #[test]
    fn sdp_content_type() {
        let mut h = HeaderMap::new();
        assert!(!is_sdp(&h));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("Application/SDP; charset=utf-8"),
        );
        assert!(is_sdp(&h));
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(!is_sdp(&h));
    }
}
