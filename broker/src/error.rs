//! The broker's errors and the one place they become HTTP responses.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use glass_protocol::{ApiErrorCode, encode_body};

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
    /// Too many failed attempts from this address (a lockout: try in a minute).
    #[error("too many attempts")]
    TooManyAttempts,
    /// Over a rate limit: the next attempt may pass after this long.
    #[error("rate limited for {0:?}")]
    RateLimited(std::time::Duration),
    /// The server is at a limit (connections).
    #[error("busy")]
    Busy,
    /// Something on our side failed (logged, not shown).
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    fn code(&self) -> ApiErrorCode {
        match self {
            ApiError::Malformed(_) => ApiErrorCode::Malformed,
            ApiError::Unauthorized => ApiErrorCode::Unauthorized,
            ApiError::Forbidden(_) => ApiErrorCode::Forbidden,
            ApiError::TooManyAttempts | ApiError::RateLimited(_) => ApiErrorCode::RateLimited,
            ApiError::Busy => ApiErrorCode::Busy,
            ApiError::Internal(_) => ApiErrorCode::Internal,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = self.code();
        match &self {
            ApiError::Internal(detail) => tracing::error!(%detail, "request failed"),
            other => tracing::debug!(error = %other, "request refused"),
        }
        // The body is the protocol's: a code and its fixed English sentence, nothing else.
        let status =
            StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            encode_body(&glass_protocol::ApiError::new(code)),
        )
            .into_response();
        let retry_after = match &self {
            // Whole seconds, rounded up: never "0" while the limit still holds.
            ApiError::RateLimited(wait) => {
                Some(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
            }
            _ if matches!(code, ApiErrorCode::RateLimited | ApiErrorCode::Busy) => Some(60),
            _ => None,
        };
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs.max(1)));
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

    #[test]
    fn a_rate_limit_says_when_to_retry() {
        let r = ApiError::RateLimited(std::time::Duration::from_millis(2100)).into_response();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()[header::RETRY_AFTER], "3");
        let r = ApiError::RateLimited(std::time::Duration::ZERO).into_response();
        assert_eq!(r.headers()[header::RETRY_AFTER], "1");
        let r = ApiError::TooManyAttempts.into_response();
        assert_eq!(r.headers()[header::RETRY_AFTER], "60");
    }
}
