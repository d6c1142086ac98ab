//! `GET /api/reports/sessions?format=csv|json&user=&device=&from=&to=`: the sessions report
//! for a signed-in browser allowed by [`super::ReportAccess`] (the `view_reports`
//! permission once the policy engine supplies it), always limited to the viewer's tenant.
//! Thin: parse, one call to [`super::reports::sessions`], map the error.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::reports::{self, Format, ReportFilter};
use crate::AppState;
use crate::error::ApiError;

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/api/reports/sessions", get(sessions))
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
    let (_, principal) =
        crate::http::browser_principal(&state, &headers).ok_or(ApiError::Unauthorized)?;
    // The policy's `view_reports` permission, or the embedding app's own check.
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
    if !(by_policy || (state.audit.access)(&principal)) {
        return Err(ApiError::Forbidden("view_reports"));
    }
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
    Ok(match format {
        Format::Json => (
            [(header::CONTENT_TYPE, "application/json")],
            reports::to_json(&rows),
        )
            .into_response(),
        Format::Csv => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"glass-sessions.csv\"",
                ),
            ],
            reports::to_csv(&rows),
        )
            .into_response(),
    })
}
