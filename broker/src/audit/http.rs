//! `GET /api/reports/sessions?format=csv|json&user=&device=&from=&to=`: the sessions report,
//! and `GET /api/reports/sessions/{id}/transcript?format=json|csv`: one session's chat
//! transcript (lines listed always, their text where the tenant keeps transcripts), for a
//! signed-in browser the policy's `view_reports` permission (or the embedding app's
//! [`super::ReportAccess`]) allows, always limited to the viewer's tenant.
//! Thin: parse, one call into [`super::reports`], map the error.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::reports::{self, Format, ReportFilter};
use crate::AppState;
use crate::auth::Principal;
use crate::error::ApiError;

/// Reports name people and may hold what they wrote: no browser or proxy keeps a copy.
const NO_STORE: &str = "no-store";

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/reports/sessions", get(sessions))
        .route("/api/reports/sessions/{id}/transcript", get(transcript))
}

/// Whether `principal` may read reports: the policy's `view_reports` permission, or the
/// embedding app's own check. Also what `/api/me` tells the page (`may_view_reports`).
pub(crate) fn may_view_reports(state: &AppState, principal: &Principal) -> bool {
    let by_policy = state.hub.lock().is_ok_and(|hub| {
        let who = &principal.identity;
        hub.policy()
            .may_view_reports(&glass_session::policy::Subject {
                user_id: &who.user_id,
                tenant: &who.tenant,
                groups: &who.groups,
                amr: &who.amr,
                addr: std::net::IpAddr::from([0, 0, 0, 0]),
            })
    });
    by_policy || (state.audit.access)(principal)
}

/// A report in `format`: JSON, or CSV as a download (`disposition`); never cached.
fn answer(
    format: Format,
    json: impl FnOnce() -> String,
    csv: impl FnOnce() -> String,
    disposition: &'static str,
) -> Response {
    match format {
        Format::Json => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, NO_STORE),
            ],
            json(),
        )
            .into_response(),
        Format::Csv => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CACHE_CONTROL, NO_STORE),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            csv(),
        )
            .into_response(),
    }
}

/// The signed-in viewer allowed to read reports: 401 without a sign-in, 403 without the
/// permission.
async fn viewer(state: &AppState, headers: &HeaderMap) -> Result<Principal, ApiError> {
    let (_, principal) = crate::http::browser_principal(state, headers)
        .await
        .ok_or(ApiError::Unauthorized)?;
    if !may_view_reports(state, &principal) {
        return Err(ApiError::Forbidden("view_reports"));
    }
    Ok(principal)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportQuery {
    format: Option<String>,
    user: Option<String>,
    device: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

#[tracing::instrument(skip_all)]
async fn sessions(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    let principal = viewer(&state, &headers).await?;
    let axum::extract::Query(q) = axum::extract::Query::<ReportQuery>::try_from_uri(&uri)
        .map_err(|_| ApiError::Malformed("query: format, user, device, from, to"))?;
    let format = Format::parse(q.format.as_deref().unwrap_or("json"))
        .map_err(|e| ApiError::Malformed(e.field))?;
    let mut filter = ReportFilter::parse(
        q.user.as_deref(),
        q.device.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
    )
    .map_err(|e| ApiError::Malformed(e.field))?;
    filter.tenant = Some(principal.identity.tenant.clone());
    let rows = reports::sessions(&state.audit.store, &filter)
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(answer(
        format,
        || reports::to_json(&rows),
        || reports::to_csv(&rows),
        "attachment; filename=\"glass-sessions.csv\"",
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TranscriptQuery {
    format: Option<String>,
}

#[tracing::instrument(skip_all)]
async fn transcript(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, ApiError> {
    let principal = viewer(&state, &headers).await?;
    let axum::extract::Query(q) = axum::extract::Query::<TranscriptQuery>::try_from_uri(&uri)
        .map_err(|_| ApiError::Malformed("query: format"))?;
    let format = Format::parse(q.format.as_deref().unwrap_or("json"))
        .map_err(|e| ApiError::Malformed(e.field))?;
    if !reports::is_session_id(&id) {
        return Err(ApiError::Malformed("session: 16 hex digits"));
    }
    // Another tenant's session answers as an unknown one: an empty transcript.
    let t = reports::session_transcript(
        &state.audit.store,
        &id,
        Some(principal.identity.tenant.as_str()),
    )
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(answer(
        format,
        || reports::transcript_to_json(&t),
        || reports::transcript_to_csv(&t),
        "attachment; filename=\"glass-transcript.csv\"",
    ))
}
