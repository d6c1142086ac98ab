//! HTTP bodies: sign-in, the agent's bearer token, `GET /api/me` and error answers.
//!
//! Types that hold secrets (passwords, tokens, CSRF tokens) redact them in `Debug`, so a
//! stray `{:?}` in a log line cannot leak them.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::message::Card;

/// `POST /api/login` and `POST /api/token`: `{"username":"…","password":"…"}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// The account name.
    pub username: String,
    /// The password, as typed.
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// `POST /api/login` request body.
pub type LoginRequest = Credentials;
/// `POST /api/token` request body.
pub type TokenRequest = Credentials;

/// `200` of `POST /api/login` and `GET /api/me`: `{"card":Card,"csrf":"…"}`, plus
/// `"may_view_reports":true` for a user the policy lets read reports (absent: false).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginResponse {
    /// The signed-in user's card.
    pub card: Card,
    /// Send back in `X-CSRF-Token` on state-changing requests.
    pub csrf: String,
    /// The WebRTC certificate fingerprint this sign-in binds (`sha-256 AB:…`), if the page
    /// bound one: a page whose certificate differs must sign in again before helping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dtls_fingerprint: Option<String>,
    /// When the issuer's ID token behind this sign-in expires (Unix s): after it, a sharer's
    /// agent can no longer verify who the helper is, so the page signs in again first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_expires_at: Option<u64>,
    /// The user may read reports (`view_reports`): the page shows its link. A hint for the
    /// page only; the reports API checks the permission itself on every request.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub may_view_reports: bool,
}

impl fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginResponse")
            .field("card", &self.card)
            .field("csrf", &"<redacted>")
            .field("may_view_reports", &self.may_view_reports)
            .finish()
    }
}

/// `200` of `GET /api/me` (same shape as [`LoginResponse`]).
pub type MeResponse = LoginResponse;

/// `200` of `POST /api/token`: `{"token":"…","card":Card}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenResponse {
    /// Bearer token for `Authorization: Bearer <token>` on `GET /api/ws`.
    pub token: String,
    /// The signed-in user's card.
    pub card: Card,
    /// A fresh random challenge the agent signs with its device key when it redeems a code
    /// (`DeviceProof`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_challenge: Option<String>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("token", &"<redacted>")
            .field("card", &self.card)
            .finish()
    }
}

/// The `error` field of an HTTP error body; each has one status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiErrorCode {
    /// `400`: the body could not be parsed.
    Malformed,
    /// `401`: not signed in, or bad credentials (the same answer whatever the cause).
    Unauthorized,
    /// `403`: CSRF token or `Origin` wrong.
    Forbidden,
    /// `429`: too many attempts.
    RateLimited,
    /// `503`: the broker is at a limit (sign-ins queued past it); try again later.
    Busy,
    /// `500`: the broker failed.
    Internal,
}

impl ApiErrorCode {
    /// The HTTP status that goes with the code.
    pub fn status(self) -> u16 {
        match self {
            ApiErrorCode::Malformed => 400,
            ApiErrorCode::Unauthorized => 401,
            ApiErrorCode::Forbidden => 403,
            ApiErrorCode::RateLimited => 429,
            ApiErrorCode::Busy => 503,
            ApiErrorCode::Internal => 500,
        }
    }

    /// Fixed English text for the `message` field.
    pub fn english(self) -> &'static str {
        match self {
            ApiErrorCode::Malformed => "The request could not be understood.",
            ApiErrorCode::Unauthorized => "Sign-in failed or is required.",
            ApiErrorCode::Forbidden => "This request is not allowed.",
            ApiErrorCode::RateLimited => "Too many attempts. Try again later.",
            ApiErrorCode::Busy => "The service is busy. Try again later.",
            ApiErrorCode::Internal => "Something went wrong on our side.",
        }
    }
}

/// An HTTP error body: `{"error":"<code>","message":"<English text>"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiError {
    /// What went wrong.
    pub error: ApiErrorCode,
    /// English text for people.
    pub message: String,
}

impl ApiError {
    /// The body for `code`, with its fixed English text.
    pub fn new(code: ApiErrorCode) -> ApiError {
        ApiError {
            error: code,
            message: code.english().to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> Card {
        Card {
            name: "Ada".into(),
            title: "Support".into(),
            company: "Contoso".into(),
            picture: None,
            domain: "contoso.com".into(),
            domain_verified: true,
            vouched: Default::default(),
        }
    }

    #[test]
    fn secrets_are_redacted_in_debug() {
        let c = Credentials {
            username: "ada".into(),
            password: "hunter2".into(),
        };
        let t = TokenResponse {
            token: "tok-secret".into(),
            card: card(),
            device_challenge: None,
        };
        let l = LoginResponse {
            card: card(),
            csrf: "csrf-secret".into(),
            dtls_fingerprint: None,
            identity_expires_at: None,
            may_view_reports: false,
        };
        let all = format!("{c:?}{t:?}{l:?}");
        for secret in ["hunter2", "tok-secret", "csrf-secret"] {
            assert!(!all.contains(secret), "{secret} leaked in {all}");
        }
        assert!(all.contains("ada"));
    }

    #[test]
    fn statuses() {
        assert_eq!(ApiErrorCode::Malformed.status(), 400);
        assert_eq!(ApiErrorCode::Unauthorized.status(), 401);
        assert_eq!(ApiErrorCode::Forbidden.status(), 403);
        assert_eq!(ApiErrorCode::RateLimited.status(), 429);
        assert_eq!(ApiErrorCode::Internal.status(), 500);
        let body = serde_json::to_string(&ApiError::new(ApiErrorCode::RateLimited)).unwrap();
        assert!(body.starts_with(r#"{"error":"rate_limited","message":"#));
    }
}
