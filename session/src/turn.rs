//! Relays for a session: short-lived TURN credentials in the TURN REST API scheme that
//! coturn's `--use-auth-secret` implements (draft-uberti-behave-turn-rest): the user name is
//! `<expiry, Unix s>:<session id>`, the password `base64(HMAC-SHA1(secret, user name))`.
//! coturn recomputes the password from its copy of the secret and refuses a user name whose
//! expiry has passed, so the broker and the relays share nothing but the secret and a clock,
//! and a credential is good for one session's name until its expiry.

use std::fmt;
use std::time::Duration;

use base64::Engine;
use glass_protocol::IceServer;

use crate::ConfigError;

/// The shared secret (coturn's `static-auth-secret`); never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct TurnSecret(String);

impl TurnSecret {
    /// A secret from its text (a file's content or an environment variable, trimmed).
    pub fn new(secret: impl Into<String>) -> TurnSecret {
        TurnSecret(secret.into().trim().to_owned())
    }
}

impl fmt::Debug for TurnSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TurnSecret(<redacted>)")
    }
}

/// Relays offered to both sides of every session: plain data, checked by
/// [`TurnConfig::validate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TurnConfig {
    /// `turn:host:3478?transport=udp`, `turns:host:443?transport=tcp`, `stun:host:3478`.
    pub urls: Vec<String>,
    /// The secret shared with the relays.
    pub secret: TurnSecret,
    /// How long a credential stays valid (it should outlast a help session).
    pub ttl: Duration,
    /// Tell both sides to use relayed candidates only (neither side's address reaches the
    /// other).
    pub relay_only: bool,
}

/// Shortest and longest credential lifetime accepted.
const TTL_RANGE: (Duration, Duration) = (Duration::from_secs(60), Duration::from_secs(24 * 3600));
/// Shortest secret accepted, in bytes.
const MIN_SECRET: usize = 16;

impl TurnConfig {
    /// Checks every field; the error names it.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.urls.is_empty() {
            return Err(ConfigError::new(
                "turn.urls",
                "[]".into(),
                "at least one turn:, turns: or stun: URL",
            ));
        }
        for url in &self.urls {
            if !url_ok(url) {
                return Err(ConfigError::new(
                    "turn.urls",
                    url.clone(),
                    "turn:HOST[:PORT][?transport=udp|tcp], turns:HOST[:PORT][?transport=tcp] or stun:HOST[:PORT]",
                ));
            }
        }
        if self.secret.0.len() < MIN_SECRET {
            return Err(ConfigError::new(
                "turn.secret",
                "<redacted>".into(),
                "at least 16 bytes (coturn's static-auth-secret)",
            ));
        }
        if self.ttl < TTL_RANGE.0 || self.ttl > TTL_RANGE.1 {
            return Err(ConfigError::new(
                "turn.ttl",
                format!("{:?}", self.ttl),
                "between 60 s and 24 h",
            ));
        }
        Ok(())
    }

    /// The servers for session `session` at wall time `now_unix_s`: TURN URLs carry a
    /// credential valid until `now + ttl`; STUN URLs none.
    pub fn ice_servers(&self, session: &str, now_unix_s: u64) -> Vec<IceServer> {
        let (turn, stun): (Vec<&String>, Vec<&String>) =
            self.urls.iter().partition(|u| !u.starts_with("stun:"));
        let mut out = Vec::new();
        if !turn.is_empty() {
            let username = format!("{}:{session}", now_unix_s + self.ttl.as_secs());
            out.push(IceServer {
                urls: turn.into_iter().cloned().collect(),
                credential: Some(password(&self.secret, &username)),
                username: Some(username),
            });
        }
        if !stun.is_empty() {
            out.push(IceServer {
                urls: stun.into_iter().cloned().collect(),
                username: None,
                credential: None,
            });
        }
        out
    }
}

/// `base64(HMAC-SHA1(secret, username))`: what coturn computes for `--use-auth-secret`.
pub fn password(secret: &TurnSecret, username: &str) -> String {
    use aws_lc_rs::hmac;
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret.0.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(hmac::sign(&key, username.as_bytes()))
}

fn url_ok(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once(':') else {
        return false;
    };
    let (hostport, query) = rest.split_once('?').unwrap_or((rest, ""));
    let transport_ok = matches!(
        (scheme, query),
        (_, "") | ("turn", "transport=udp" | "transport=tcp") | ("turns", "transport=tcp")
    );
    let host_ok = !hostport.is_empty()
        && hostport.len() <= 255
        && hostport
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    matches!(scheme, "turn" | "turns" | "stun") && transport_ok && host_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> TurnConfig {
        TurnConfig {
            urls: vec![
                "turn:relay.example.com:3478?transport=udp".into(),
                "turns:relay.example.com:443?transport=tcp".into(),
                "stun:relay.example.com:3478".into(),
            ],
            secret: TurnSecret::new("north-wind-0123456789"),
            ttl: Duration::from_secs(3600),
            relay_only: false,
        }
    }

    #[test]
    fn credentials_follow_the_turn_rest_scheme() {
        let servers = config().ice_servers("000000000000feed", 1_765_000_000);
        assert_eq!(servers.len(), 2);
        assert_eq!(
            servers[0].username.as_deref(),
            Some("1765003600:000000000000feed")
        );
        // Computed independently: printf '1765003600:000000000000feed' |
        //   openssl dgst -sha1 -hmac north-wind-0123456789 -binary | base64
        assert_eq!(
            servers[0].credential.as_deref(),
            Some("RttwaQfNPUdeaA/q5ULsIMT7ToU=")
        );
        assert_eq!(servers[0].urls.len(), 2);
        assert_eq!(servers[1].urls, ["stun:relay.example.com:3478"]);
        assert_eq!(servers[1].credential, None);
    }

    #[test]
    fn the_password_is_hmac_sha1_base64() {
        // RFC 2202 test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            password(&TurnSecret::new("Jefe"), "what do ya want for nothing?"),
            "7/zfauXrL6LSdBbV8YTfnCWafHk="
        );
    }

    #[test]
    fn each_session_gets_its_own_credential() {
        let c = config();
        let a = c.ice_servers("000000000000000a", 1_765_000_000);
        let b = c.ice_servers("000000000000000b", 1_765_000_000);
        assert_ne!(a[0].credential, b[0].credential);
    }

    #[test]
    fn bad_config_names_the_field() {
        let mut c = config();
        c.urls = vec!["http://relay.example.com".into()];
        assert_eq!(c.validate().unwrap_err().field, "turn.urls");
        let mut c = config();
        c.urls = vec!["turns:relay.example.com?transport=udp".into()];
        assert_eq!(c.validate().unwrap_err().field, "turn.urls");
        let mut c = config();
        c.urls.clear();
        assert_eq!(c.validate().unwrap_err().field, "turn.urls");
        let mut c = config();
        c.secret = TurnSecret::new("short");
        let e = c.validate().unwrap_err();
        assert_eq!(e.field, "turn.secret");
        assert!(!e.to_string().contains("short"), "the secret is not echoed");
        let mut c = config();
        c.ttl = Duration::from_secs(5);
        assert_eq!(c.validate().unwrap_err().field, "turn.ttl");
        assert!(config().validate().is_ok());
        assert!(!format!("{:?}", config()).contains("north-wind"));
    }
}
