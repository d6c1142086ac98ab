//! OIDC routes. Thin: parse, one call into [`super::Oidc`], answer.
//!
//! | route | what |
//! |---|---|
//! | `GET /api/auth/providers` | `{"local":bool,"providers":[{"id","name"}]}` |
//! | `GET /auth/oidc/{id}/start?app=helper\|sharer` | 303 to the issuer; binding cookie |
//! | `GET /auth/oidc/{id}/start?agent_redirect=…&agent_state=…&agent_challenge=…` | same, for a native agent |
//! | `GET /auth/oidc/callback?code=…&state=…` | 303 to the app with the session cookie, or to the agent's loopback with a one-time code |
//! | `POST /api/token/oidc` `{"code","verifier"}` | the agent's bearer token (`TokenResponse`) |

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{Extension, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use glass_protocol::encode_body;

use super::pending::{App, Target};
use super::{Failure, Finished, loopback_redirect_ok};
use crate::AppState;
use crate::auth::cookie_value;
use crate::error::ApiError;

/// The cookie binding a sign-in in progress to the browser that started it.
pub const FLOW_COOKIE: &str = "glass_oidc";

pub(crate) fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/auth/providers", get(providers))
        .route("/auth/oidc/{id}/start", get(start))
        .route("/auth/oidc/callback", get(callback))
        .route("/api/token/oidc", post(agent_token))
}

#[derive(serde::Serialize)]
struct Provider<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(serde::Serialize)]
struct Providers<'a> {
    local: bool,
    providers: Vec<Provider<'a>>,
}

async fn providers(State(state): State<Arc<AppState>>) -> Response {
    let providers = state
        .oidc
        .as_ref()
        .map(|o| {
            o.issuers
                .iter()
                .map(|i| Provider {
                    id: &i.config.id,
                    name: &i.config.display_name,
                })
                .collect()
        })
        .unwrap_or_default();
    let body = serde_json::to_string(&Providers {
        local: state.config.local_accounts,
        providers,
    })
    .unwrap_or_else(|_| "{}".into());
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

fn redirect(location: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The one answer to any failed sign-in: back to where it came from, "failed".
fn failed(state: &AppState, failure: Failure, target: Option<Target>) -> Response {
    if let Some(oidc) = &state.oidc {
        oidc.failed(&failure);
    }
    match target {
        Some(Target::Agent {
            redirect: to,
            state,
            ..
        }) => {
            let mut url = match openidconnect::url::Url::parse(&to) {
                Ok(u) => u,
                Err(_) => return redirect("/?sign_in=failed"),
            };
            url.query_pairs_mut()
                .append_pair("error", "access_denied")
                .append_pair("state", &state);
            redirect(url.as_str())
        }
        Some(Target::Web(App::Sharer)) => redirect("/share?sign_in=failed"),
        _ => redirect("/?sign_in=failed"),
    }
}

fn is_token(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' || b == b'~')
}

fn flow_cookie(headers: &HeaderMap) -> Option<&str> {
    let cookies = headers.get(header::COOKIE)?.to_str().ok()?;
    cookie_value(cookies, FLOW_COOKIE).filter(|v| is_token(v, 43, 43))
}

async fn start(
    State(state): State<Arc<AppState>>,
    Extension(client): Extension<crate::proxy::Client>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(wait) = state.limits.sign_in(client.ip, None) {
        return ApiError::RateLimited(wait).into_response();
    }
    let Some(oidc) = state.oidc.clone() else {
        return failed(&state, Failure::UnknownIssuer, None);
    };
    let target = match (
        q.get("agent_redirect"),
        q.get("agent_state"),
        q.get("agent_challenge"),
    ) {
        (None, None, None) => Target::Web(match q.get("app").map(String::as_str) {
            Some("sharer") => App::Sharer,
            _ => App::Helper,
        }),
        (Some(r), Some(s), Some(c))
            if loopback_redirect_ok(r) && is_token(s, 16, 128) && is_token(c, 43, 43) =>
        {
            Target::Agent {
                redirect: r.clone(),
                state: s.clone(),
                challenge: c.clone(),
            }
        }
        // Never redirect to an agent URI we did not accept.
        _ => return failed(&state, Failure::BadStart, None),
    };
    let web_target = matches!(target, Target::Web(_)).then(|| target.clone());
    // The helper's page may bind its WebRTC certificate (`docs/identity.md`).
    let dtls = match (q.get("dtls"), &target) {
        (None, _) => None,
        (Some(fp), Target::Web(App::Helper)) => match glass_identity::DtlsFingerprint::parse(fp) {
            Ok(fp) => Some(fp),
            Err(_) => return failed(&state, Failure::BadStart, web_target),
        },
        (Some(_), _) => return failed(&state, Failure::BadStart, web_target),
    };
    // One binding per browser: a second tab's sign-in reuses it instead of breaking the
    // first one's.
    let binding = flow_cookie(&headers)
        .map(str::to_owned)
        .unwrap_or_else(crate::auth::random_token);
    match oidc
        .start(Instant::now(), &id, &binding, target, dtls.as_ref())
        .await
    {
        Ok(location) => {
            let mut r = redirect(&location);
            let secure = if crate::http::secure_cookies(&state, &client) {
                "; Secure"
            } else {
                ""
            };
            // Lax: the issuer's redirect back is a cross-site top-level navigation.
            let cookie = format!(
                "{FLOW_COOKIE}={binding}; HttpOnly; SameSite=Lax; Path=/auth/oidc; Max-Age=600{secure}"
            );
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                r.headers_mut().append(header::SET_COOKIE, v);
            }
            r
        }
        Err(f) => failed(&state, f, web_target),
    }
}

async fn callback(
    State(state): State<Arc<AppState>>,
    Extension(client): Extension<crate::proxy::Client>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let Some(oidc) = state.oidc.clone() else {
        return failed(&state, Failure::State, None);
    };
    let Some(flow_state) = q.get("state").filter(|s| s.len() <= 256) else {
        return failed(&state, Failure::State, None);
    };
    let code = q.get("code").filter(|c| !c.is_empty() && c.len() <= 4096);
    let outcome = oidc
        .finish(
            flow_state,
            code.map(String::as_str),
            q.contains_key("error"),
            flow_cookie(&headers),
        )
        .await;
    match outcome {
        Ok(Finished::Web {
            identity,
            id_token,
            app,
        }) => {
            signed_in(&state, &identity, "web", client.ip).await;
            match crate::http::browser_session(&state, &client, *identity, Some(id_token)).await {
                Ok((cookie, _)) => {
                    let mut r = redirect(app.path());
                    r.headers_mut().append(header::SET_COOKIE, cookie);
                    r
                }
                Err(e) => e.into_response(),
            }
        }
        Ok(Finished::Agent { location }) => redirect(&location),
        Err((failure, target)) => failed(&state, failure, target),
    }
}

/// Records an OIDC sign-in (`signed_in`, method `oidc`) and waits for the row to be durable
/// before the sign-in is handed out.
async fn signed_in(
    state: &AppState,
    identity: &crate::accounts::Identity,
    client: &'static str,
    ip: std::net::IpAddr,
) {
    use crate::audit::{ActorRef, BrokerEvent};
    let ticket = state.audit.record(
        &BrokerEvent::SignedIn {
            client,
            method: "oidc".into(),
        },
        &identity.tenant,
        &ActorRef::user(identity),
        Some(ip),
    );
    state.audit.sink.durable(ticket).await;
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeExchange {
    code: String,
    verifier: String,
}

/// The agent exchanges its one-time code (and the verifier behind the challenge it sent at
/// start) for a bearer token, the same kind `/api/token` issues.
async fn agent_token(
    State(state): State<Arc<AppState>>,
    Extension(client): Extension<crate::proxy::Client>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    if headers.contains_key(header::ORIGIN) {
        // Agent tokens are for native agents, never for pages.
        return Err(ApiError::Forbidden("origin"));
    }
    // A sign-in like /api/token: the one-time code is guessed here if anywhere.
    state
        .limits
        .sign_in(client.ip, None)
        .map_err(ApiError::RateLimited)?;
    let oidc = state.oidc.clone().ok_or(ApiError::Unauthorized)?;
    let exchange: CodeExchange = serde_json::from_slice(&body)
        .map_err(|_| ApiError::Malformed("expected {code, verifier}"))?;
    let Some((identity, id_token)) = oidc
        .redeem_agent_code(Instant::now(), &exchange.code, &exchange.verifier)
        .await
    else {
        oidc.failed(&Failure::State);
        return Err(ApiError::Unauthorized);
    };
    signed_in(&state, &identity, "agent", client.ip).await;
    let body = crate::http::agent_session(&state, identity, Some(id_token)).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        encode_body(&body),
    )
        .into_response())
}
