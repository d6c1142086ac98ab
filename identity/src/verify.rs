//! ID-token verification (OpenID Connect Core 1.0 §3.1.3.7), against an issuer's key set.
//!
//! Why `jsonwebtoken` and not `openidconnect`'s verifier: the sharer's agent verifies the
//! helper's token too, and needs only this, not an OAuth client stack; `jsonwebtoken` 12 takes
//! the keys as we cache them, refuses an algorithm outside the list we give it before looking
//! at the signature, and refuses a key of the wrong family for the algorithm (an RSA key
//! never verifies an HMAC). What it does not do is done here: its `exp`/`nbf` checks read
//! the system clock, so they are off and ours take `now`; `iat`, `azp`, `nonce` and the
//! tenant are OIDC's, not JWT's. Checks that need no key (size, header, `alg`) come first,
//! so garbage costs no signature verification.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use jsonwebtoken::{Algorithm, Validation};
use serde_json::{Map, Value};
use subtle::ConstantTimeEq;

use crate::jwks::KeySet;

/// Largest token accepted, in bytes: checked before anything is decoded. Entra ID tokens
/// with many groups reach ~6 KiB; beyond 200 groups Entra sends an overage claim instead.
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;
/// Default clock-skew allowance for `exp`, `nbf` and `iat`.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);
/// Longest `sub` (OIDC Core: at most 255 ASCII characters).
pub const MAX_SUBJECT_BYTES: usize = 255;

/// What one issuer's tokens must satisfy. Built once from configuration and discovery.
#[derive(Clone, Debug)]
pub struct IssuerPolicy {
    /// The exact `iss` (as discovery published it: no normalisation).
    pub issuer: String,
    /// Our client id: must be in `aud` (and be `azp` when there are several audiences).
    pub client_id: String,
    /// Signature algorithms accepted: what the issuer advertises in
    /// `id_token_signing_alg_values_supported`, asymmetric ones only.
    pub algorithms: Vec<Algorithm>,
    /// Clock-skew allowance.
    pub leeway: Duration,
}

/// An issuer policy that cannot verify anything.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PolicyError {
    /// The issuer advertises no asymmetric algorithm we support (only `none`, HS*, ...).
    #[error("the issuer advertises no supported signature algorithm (got {advertised:?})")]
    NoAlgorithm {
        /// What it advertised.
        advertised: Vec<String>,
    },
    /// Empty issuer or client id.
    #[error("{0} must not be empty")]
    Empty(&'static str),
}

/// Maps an advertised algorithm name to one we accept: asymmetric only.
pub fn asymmetric_algorithm(name: &str) -> Option<Algorithm> {
    Some(match name {
        "RS256" => Algorithm::RS256,
        "RS384" => Algorithm::RS384,
        "RS512" => Algorithm::RS512,
        "PS256" => Algorithm::PS256,
        "PS384" => Algorithm::PS384,
        "PS512" => Algorithm::PS512,
        "ES256" => Algorithm::ES256,
        "ES384" => Algorithm::ES384,
        "EdDSA" | "Ed25519" => Algorithm::EdDSA,
        _ => return None,
    })
}

impl IssuerPolicy {
    /// A policy for `issuer`'s tokens to `client_id`, accepting the advertised algorithms we
    /// support (`none` and HS* are never accepted, whatever the issuer says). Discovery makes
    /// `id_token_signing_alg_values_supported` required; when it is missing, pass `["RS256"]`,
    /// the one OIDC requires every issuer to support.
    pub fn new(
        issuer: impl Into<String>,
        client_id: impl Into<String>,
        advertised: &[impl AsRef<str>],
    ) -> Result<IssuerPolicy, PolicyError> {
        let (issuer, client_id) = (issuer.into(), client_id.into());
        if issuer.is_empty() {
            return Err(PolicyError::Empty("issuer"));
        }
        if client_id.is_empty() {
            return Err(PolicyError::Empty("client_id"));
        }
        let mut algorithms: Vec<Algorithm> = advertised
            .iter()
            .filter_map(|a| asymmetric_algorithm(a.as_ref()))
            .collect();
        algorithms.dedup();
        if algorithms.is_empty() {
            return Err(PolicyError::NoAlgorithm {
                advertised: advertised.iter().map(|a| a.as_ref().to_owned()).collect(),
            });
        }
        Ok(IssuerPolicy {
            issuer,
            client_id,
            algorithms,
            leeway: DEFAULT_LEEWAY,
        })
    }
}

/// Why a token was refused: which check failed. `Display` is for logs; clients get one
/// generic answer whatever the variant.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// Longer than [`MAX_TOKEN_BYTES`].
    #[error("token too large")]
    TooLarge,
    /// Not a compact JWS, or a part is not base64url JSON.
    #[error("malformed token")]
    Malformed,
    /// `alg: none`: an unsigned token.
    #[error("unsigned token (alg none)")]
    Unsigned,
    /// An HMAC algorithm: never accepted from an issuer (a token "signed" with the public key
    /// as an HMAC secret lands here).
    #[error("symmetric algorithm {0} refused")]
    SymmetricAlgorithm(String),
    /// An algorithm this issuer does not advertise.
    #[error("algorithm {0} not advertised by the issuer")]
    AlgorithmNotAllowed(String),
    /// The header has `crit` extensions (none are understood).
    #[error("critical header extensions")]
    CriticalHeader,
    /// No key with this `kid` in the set: refresh the set (rate-limited) and try again.
    #[error("unknown key id")]
    UnknownKey {
        /// The `kid` (None: the token had none and no single key fits).
        kid: Option<String>,
    },
    /// The key named by `kid` is not for this algorithm.
    #[error("key does not suit the algorithm")]
    KeyMismatch,
    /// The signature does not verify.
    #[error("bad signature")]
    BadSignature,
    /// `iss` is not the issuer's.
    #[error("wrong issuer")]
    WrongIssuer,
    /// `aud` does not contain our client id.
    #[error("wrong audience")]
    WrongAudience,
    /// `azp` is not our client id (or missing with several audiences).
    #[error("wrong authorized party")]
    WrongAuthorizedParty,
    /// A required claim (`iss`, `sub`, `aud`, `exp`, `iat`) is missing or of the wrong type.
    #[error("missing or malformed claim {0}")]
    MissingClaim(&'static str),
    /// `exp` is past (beyond the leeway).
    #[error("expired")]
    Expired,
    /// `nbf` is ahead (beyond the leeway).
    #[error("not yet valid")]
    NotYetValid,
    /// `iat` is ahead (beyond the leeway).
    #[error("issued in the future")]
    IssuedInFuture,
    /// `nonce` differs from the one this sign-in sent (or is missing).
    #[error("wrong nonce")]
    WrongNonce,
}

impl VerifyError {
    /// A short fixed label for counters and logs.
    pub fn label(&self) -> &'static str {
        match self {
            VerifyError::TooLarge => "too_large",
            VerifyError::Malformed => "malformed",
            VerifyError::Unsigned => "alg_none",
            VerifyError::SymmetricAlgorithm(_) => "alg_symmetric",
            VerifyError::AlgorithmNotAllowed(_) => "alg_not_allowed",
            VerifyError::CriticalHeader => "crit",
            VerifyError::UnknownKey { .. } => "unknown_kid",
            VerifyError::KeyMismatch => "key_mismatch",
            VerifyError::BadSignature => "bad_signature",
            VerifyError::WrongIssuer => "wrong_issuer",
            VerifyError::WrongAudience => "wrong_audience",
            VerifyError::WrongAuthorizedParty => "wrong_azp",
            VerifyError::MissingClaim(_) => "missing_claim",
            VerifyError::Expired => "expired",
            VerifyError::NotYetValid => "not_yet_valid",
            VerifyError::IssuedInFuture => "issued_in_future",
            VerifyError::WrongNonce => "wrong_nonce",
        }
    }
}

/// The claims of a verified token.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedClaims {
    /// `iss`.
    pub issuer: String,
    /// `sub`.
    pub subject: String,
    /// `exp` (Unix seconds).
    pub expires_at: u64,
    /// `iat` (Unix seconds).
    pub issued_at: u64,
    /// The algorithm that signed it.
    pub algorithm: Algorithm,
    /// The key that verified it.
    pub kid: Option<String>,
    /// Every claim, as signed (what [`crate::identify`] reads the card from).
    pub all: Map<String, Value>,
}

#[derive(serde::Deserialize)]
struct RawHeader {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
    #[serde(default)]
    crit: Option<Value>,
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A NumericDate: a non-negative integer, or a finite non-negative number (rounded down).
fn numeric_date(v: Option<&Value>, name: &'static str) -> Result<Option<u64>, VerifyError> {
    match v {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite() && *f >= 0.0 && *f < 1e15)
                    .map(|f| f as u64)
            })
            .map(Some)
            .ok_or(VerifyError::MissingClaim(name)),
        Some(_) => Err(VerifyError::MissingClaim(name)),
    }
}

/// Verifies an ID token: size, header, `alg` (pinned to `policy.algorithms`; never `none`,
/// never HS*), key by `kid`, signature, `iss` exact, `aud` contains the client id (and `azp`
/// when there are several audiences or `azp` is present), `exp`, `nbf`, `iat` with the
/// policy's leeway, and `nonce` when one is expected (always, for a sign-in we started).
///
/// [`VerifyError::UnknownKey`] means: tell the key cache ([`crate::KeyCache::handle_unknown_kid`])
/// and try again once it has refreshed.
pub fn verify_id_token(
    token: &str,
    policy: &IssuerPolicy,
    keys: &KeySet,
    now: SystemTime,
    expected_nonce: Option<&str>,
) -> Result<VerifiedClaims, VerifyError> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(VerifyError::TooLarge);
    }
    let mut parts = token.split('.');
    let (Some(header_b64), Some(_), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(VerifyError::Malformed);
    };
    let header_json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header_b64)
        .map_err(|_| VerifyError::Malformed)?;
    let header: RawHeader =
        serde_json::from_slice(&header_json).map_err(|_| VerifyError::Malformed)?;
    if header.alg.eq_ignore_ascii_case("none") {
        return Err(VerifyError::Unsigned);
    }
    if header.alg.starts_with("HS") {
        return Err(VerifyError::SymmetricAlgorithm(truncate(&header.alg)));
    }
    let alg = asymmetric_algorithm(&header.alg)
        .filter(|a| policy.algorithms.contains(a))
        .ok_or_else(|| VerifyError::AlgorithmNotAllowed(truncate(&header.alg)))?;
    if header.crit.is_some() {
        return Err(VerifyError::CriticalHeader);
    }
    let key = keys
        .find(header.kid.as_deref(), alg)
        .ok_or_else(|| VerifyError::UnknownKey {
            kid: header.kid.as_deref().map(truncate),
        })?;
    if !key.suits(alg) {
        return Err(VerifyError::KeyMismatch);
    }

    let mut validation = Validation::new(alg);
    validation.algorithms = vec![alg];
    // Time checks are ours (they take `now`); jsonwebtoken's read the system clock.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.required_spec_claims = ["iss", "sub", "aud"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    validation.set_issuer(&[&policy.issuer]);
    validation.set_audience(&[&policy.client_id]);
    let data = jsonwebtoken::decode::<Map<String, Value>>(token, &key.decoding, &validation)
        .map_err(|e| {
            use jsonwebtoken::errors::ErrorKind as K;
            match e.kind() {
                K::InvalidSignature => VerifyError::BadSignature,
                K::InvalidIssuer => VerifyError::WrongIssuer,
                K::InvalidAudience => VerifyError::WrongAudience,
                K::MissingRequiredClaim(c) if c == "iss" => VerifyError::MissingClaim("iss"),
                K::MissingRequiredClaim(c) if c == "aud" => VerifyError::MissingClaim("aud"),
                K::MissingRequiredClaim(_) => VerifyError::MissingClaim("sub"),
                K::InvalidClaimFormat(_) => VerifyError::MissingClaim("aud"),
                K::InvalidAlgorithm => VerifyError::KeyMismatch,
                _ => VerifyError::Malformed,
            }
        })?;
    let all = data.claims;

    // jsonwebtoken accepted `iss` as one of a list; OIDC wants exactly one string.
    let issuer = match all.get("iss") {
        Some(Value::String(s)) if *s == policy.issuer => s.clone(),
        Some(Value::String(_)) => return Err(VerifyError::WrongIssuer),
        _ => return Err(VerifyError::MissingClaim("iss")),
    };
    let subject = match all.get("sub") {
        Some(Value::String(s)) if !s.is_empty() && s.len() <= MAX_SUBJECT_BYTES => s.clone(),
        _ => return Err(VerifyError::MissingClaim("sub")),
    };
    let several_audiences = matches!(all.get("aud"), Some(Value::Array(a)) if a.len() > 1);
    match all.get("azp") {
        Some(Value::String(azp)) if *azp == policy.client_id => {}
        None if !several_audiences => {}
        _ => return Err(VerifyError::WrongAuthorizedParty),
    }

    let now = unix(now);
    let leeway = policy.leeway.as_secs();
    let exp = numeric_date(all.get("exp"), "exp")?.ok_or(VerifyError::MissingClaim("exp"))?;
    if now > exp.saturating_add(leeway) {
        return Err(VerifyError::Expired);
    }
    if let Some(nbf) = numeric_date(all.get("nbf"), "nbf")?
        && nbf > now.saturating_add(leeway)
    {
        return Err(VerifyError::NotYetValid);
    }
    let iat = numeric_date(all.get("iat"), "iat")?.ok_or(VerifyError::MissingClaim("iat"))?;
    if iat > now.saturating_add(leeway) {
        return Err(VerifyError::IssuedInFuture);
    }
    if let Some(expected) = expected_nonce {
        let ok = match all.get("nonce") {
            Some(Value::String(n)) => bool::from(n.as_bytes().ct_eq(expected.as_bytes())),
            _ => false,
        };
        if !ok {
            return Err(VerifyError::WrongNonce);
        }
    }
    Ok(VerifiedClaims {
        issuer,
        subject,
        expires_at: exp,
        issued_at: iat,
        algorithm: alg,
        kid: key.kid.clone(),
        all,
    })
}

/// A header value echoed into an error (logs only), cut short.
fn truncate(s: &str) -> String {
    s.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_keys::{ISSUER, TestKey, claims, jwks_set};

    fn policy() -> IssuerPolicy {
        IssuerPolicy::new(
            ISSUER,
            "glass",
            &["RS256", "ES256", "EdDSA", "none", "HS256"],
        )
        .unwrap()
    }

    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }

    #[test]
    fn accepts_rsa_ec_and_ed25519_tokens() {
        let keys = [TestKey::rsa("r"), TestKey::p256("e"), TestKey::ed25519("d")];
        let set = jwks_set(&keys.iter().collect::<Vec<_>>());
        for k in &keys {
            let token = k.sign(&claims(now()));
            let c = verify_id_token(&token, &policy(), &set, now(), Some("n-1")).unwrap();
            assert_eq!(c.subject, "user-1");
            assert_eq!(c.kid.as_deref(), Some(k.kid.as_str()));
        }
    }

    #[test]
    fn refuses_each_failed_check_by_name() {
        let k = TestKey::rsa("r");
        let other = TestKey::rsa("r");
        let set = jwks_set(&[&k]);
        let p = policy();
        let t = now();
        let check = |token: String, nonce: Option<&str>| {
            verify_id_token(&token, &p, &set, t, nonce).unwrap_err()
        };
        let with = |f: &dyn Fn(&mut Map<String, Value>)| {
            let mut c = claims(t);
            f(&mut c);
            k.sign(&c)
        };
        assert_eq!(
            check(
                with(&|c| {
                    c.insert("aud".into(), "someone-else".into());
                }),
                None
            ),
            VerifyError::WrongAudience
        );
        assert_eq!(
            check(
                with(&|c| {
                    c.insert("iss".into(), "https://evil.example".into());
                }),
                None
            ),
            VerifyError::WrongIssuer
        );
        assert_eq!(
            check(
                with(&|c| {
                    c.insert("iss".into(), serde_json::json!([ISSUER, "x"]));
                }),
                None
            ),
            VerifyError::MissingClaim("iss")
        );
        let exp = 1_800_000_000 - 61;
        assert_eq!(
            check(
                with(&|c| {
                    c.insert("exp".into(), exp.into());
                }),
                None
            ),
            VerifyError::Expired
        );
        // Within the leeway: accepted.
        let token = with(&|c| {
            c.insert("exp".into(), (1_800_000_000 - 59).into());
        });
        assert!(verify_id_token(&token, &p, &set, t, None).is_ok());
        assert_eq!(
            check(
                with(&|c| {
                    c.insert("nbf".into(), (1_800_000_000 + 120).into());
                }),
                None
            ),
            VerifyError::NotYetValid
        );
        assert_eq!(
            check(
                with(&|c| {
                    c.insert("iat".into(), (1_800_000_000 + 120).into());
                }),
                None
            ),
            VerifyError::IssuedInFuture
        );
        assert_eq!(
            check(
                with(&|c| {
                    c.remove("exp");
                }),
                None
            ),
            VerifyError::MissingClaim("exp")
        );
        assert_eq!(
            check(
                with(&|c| {
                    c.insert("exp".into(), "soon".into());
                }),
                None
            ),
            VerifyError::MissingClaim("exp")
        );
        assert_eq!(
            check(k.sign(&claims(t)), Some("n-2")),
            VerifyError::WrongNonce
        );
        assert_eq!(
            check(
                with(&|c| {
                    c.remove("nonce");
                }),
                Some("n-1")
            ),
            VerifyError::WrongNonce
        );
        assert_eq!(
            check(
                with(&|c| {
                    c.insert("aud".into(), serde_json::json!(["glass", "other"]));
                }),
                None
            ),
            VerifyError::WrongAuthorizedParty
        );
        let token = with(&|c| {
            c.insert("aud".into(), serde_json::json!(["glass", "other"]));
            c.insert("azp".into(), "glass".into());
        });
        assert!(verify_id_token(&token, &p, &set, t, None).is_ok());
        assert_eq!(
            check(
                with(&|c| {
                    c.insert("azp".into(), "other".into());
                }),
                None
            ),
            VerifyError::WrongAuthorizedParty
        );
        // Signed by another key under the same kid.
        assert_eq!(
            check(other.sign(&claims(t)), None),
            VerifyError::BadSignature
        );
        // A flipped payload byte.
        let token = k.sign(&claims(t));
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(serde_json::to_vec(&serde_json::json!({"sub": "admin"})).unwrap());
        parts[1] = &forged;
        assert_eq!(check(parts.join("."), None), VerifyError::BadSignature);
        assert_eq!(
            check(TestKey::rsa("unknown").sign(&claims(t)), None),
            VerifyError::UnknownKey {
                kid: Some("unknown".into())
            }
        );
        assert_eq!(check("a.b".into(), None), VerifyError::Malformed);
        assert_eq!(check("a.b.c.d".into(), None), VerifyError::Malformed);
        assert_eq!(
            check("x".repeat(MAX_TOKEN_BYTES + 1), None),
            VerifyError::TooLarge
        );
    }

    #[test]
    fn refuses_alg_none_and_hmac_with_the_public_key() {
        let k = TestKey::rsa("r");
        let set = jwks_set(&[&k]);
        let t = now();
        let none = crate::test_keys::unsigned(&claims(t), "r");
        assert_eq!(
            verify_id_token(&none, &policy(), &set, t, None).unwrap_err(),
            VerifyError::Unsigned
        );
        // The classic confusion attack: HS256 with the issuer's public key as the secret, in
        // every form an attacker might guess (JWKS modulus, DER).
        for secret in k.public_key_forms() {
            let token = crate::test_keys::hmac_signed(&claims(t), "r", &secret);
            assert_eq!(
                verify_id_token(&token, &policy(), &set, t, None).unwrap_err(),
                VerifyError::SymmetricAlgorithm("HS256".into())
            );
        }
    }

    #[test]
    fn algorithm_is_pinned_to_what_the_issuer_advertises() {
        let ec = TestKey::p256("e");
        let set = jwks_set(&[&ec]);
        let rs_only = IssuerPolicy::new(ISSUER, "glass", &["RS256"]).unwrap();
        assert_eq!(
            verify_id_token(&ec.sign(&claims(now())), &rs_only, &set, now(), None).unwrap_err(),
            VerifyError::AlgorithmNotAllowed("ES256".into())
        );
        assert!(matches!(
            IssuerPolicy::new(ISSUER, "glass", &["none", "HS256"]),
            Err(PolicyError::NoAlgorithm { .. })
        ));
        // A token claiming RS256 under an EC key's kid.
        let rsa = TestKey::rsa("e");
        assert_eq!(
            verify_id_token(&rsa.sign(&claims(now())), &policy(), &set, now(), None).unwrap_err(),
            VerifyError::KeyMismatch
        );
    }

    #[test]
    fn crit_headers_are_refused() {
        let k = TestKey::p256("e");
        let set = jwks_set(&[&k]);
        let token = k.sign_with_header(&claims(now()), serde_json::json!({"crit": ["b64"]}));
        assert_eq!(
            verify_id_token(&token, &policy(), &set, now(), None).unwrap_err(),
            VerifyError::CriticalHeader
        );
    }

    #[test]
    fn rotation_survives_and_the_last_good_set_outlives_an_outage() {
        use crate::cache::{CacheConfig, KeyCache};
        use crate::test_keys::jwks;
        use std::time::Instant;
        let t0 = Instant::now();
        let old = TestKey::rsa("2026-01");
        let new = TestKey::p256("2026-02");
        let mut cache = KeyCache::new(CacheConfig::default());
        assert!(cache.poll_refresh(t0));
        cache.handle_jwks(t0, &jwks(&[&old])).unwrap();
        let verify = |cache: &KeyCache, token: &str| {
            verify_id_token(token, &policy(), cache.keys().unwrap(), now(), None)
        };
        // The issuer rotates: tokens signed with the new key name a kid we do not have.
        let fresh = new.sign(&claims(now()));
        assert_eq!(
            verify(&cache, &fresh).unwrap_err(),
            VerifyError::UnknownKey {
                kid: Some("2026-02".into())
            }
        );
        let t1 = t0 + Duration::from_secs(31);
        cache.handle_unknown_kid(t1);
        assert!(cache.poll_refresh(t1));
        cache.handle_jwks(t1, &jwks(&[&old, &new])).unwrap();
        assert!(
            verify(&cache, &fresh).is_ok(),
            "new key accepted after refresh"
        );
        assert!(
            verify(&cache, &old.sign(&claims(now()))).is_ok(),
            "old key accepted while still published"
        );
        // The issuer goes down, then serves garbage: the last good set keeps working.
        let t2 = t1 + Duration::from_secs(3600);
        assert!(cache.poll_refresh(t2));
        cache.handle_fetch_failed(t2);
        let t3 = cache.poll_timeout(t2);
        assert!(cache.poll_refresh(t3));
        assert!(cache.handle_jwks(t3, b"{\"keys\": []}").is_err());
        assert!(verify(&cache, &fresh).is_ok(), "last good set kept");
        // The issuer drops the old key: so do we.
        let t4 = cache.poll_timeout(t3);
        assert!(cache.poll_refresh(t4));
        cache.handle_jwks(t4, &jwks(&[&new])).unwrap();
        assert!(matches!(
            verify(&cache, &old.sign(&claims(now()))),
            Err(VerifyError::UnknownKey { .. })
        ));
    }
}
