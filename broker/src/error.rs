//! The broker's errors and the one place they become HTTP responses.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Why a request was refused. Split by who is at fault; the client gets a status, a short
/// code and an English sentence, never internals; the log gets the detail.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// The request is malformed (the client's fault).
    #[error("malformed request: {0}")]
    Malformed(&'static str),
    /// Not signed in, or the credentials are wrong (same answer whatever the cause).
    #[error("not signed in")]
    Unauthorized,
    /// Signed in, but the CSRF token or the origin is wrong.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// Too many attempts from this address.
    #[error("too many attempts")]
    TooManyAttempts,
    /// The server is at a limit (connections).
    #[error("busy")]
    Busy,
    /// Something on our side failed (logged, not shown).
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            ApiError::Malformed(_) => (
                StatusCode::BAD_REQUEST,
                "malformed",
                "The request is not valid.",
            ),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Wrong username or password, or not signed in.",
            ),
            ApiError::Forbidden(_) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "This request is not allowed from here.",
            ),
            ApiError::TooManyAttempts => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Too many attempts. Try again later.",
            ),
            ApiError::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "The service is busy. Try again later.",
            ),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Something went wrong on our side.",
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        match &self {
            ApiError::Internal(detail) => tracing::error!(%detail, "request failed"),
            other => tracing::debug!(error = %other, "request refused"),
        }
        let mut response = (
            status,
            Json(serde_json::json!({ "error": code, "message": message })),
        )
            .into_response();
        if matches!(self, ApiError::TooManyAttempts | ApiError::Busy) {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("60"),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn internal_detail_never_reaches_the_client() {
        let response = ApiError::Internal("pool at 0x7f00deadbeef".into()).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&body);
        assert!(!text.contains("0x7f"), "{text}");
        assert!(text.contains("\"internal\""), "{text}");
    }
}
