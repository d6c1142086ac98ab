//! Who the helper is, checked on this machine rather than taken from the broker.
//!
//! When the helper signed in with an OIDC issuer, the broker passes the helper's ID token in
//! `joined`. An agent that trusts that issuer ([`HelperTrust`]: issuer URL and the broker's
//! client id, configured on this machine, never learnt from the broker) fetches the issuer's
//! published keys itself, verifies the token (signature with the advertised algorithm, `iss`,
//! `aud`, `exp`, …, through `glass-identity`), and builds the helper's card from the verified
//! claims alone. The token's nonce names the DTLS fingerprint of the helper's WebRTC
//! certificate ([`glass_identity::binding`]); the help session then answers only an offer
//! with that fingerprint, and DTLS proves the peer holds the certificate's key.
//!
//! So a lying broker can neither put another name on the card (the agent shows the issuer's,
//! and counts the broker's differing one as forged) nor put its own peer in the middle of the
//! media (its offer's fingerprint is not the bound one: no answer, no pixels, no input).
//!
//! With no issuer trusted here the card is the broker's word, and the UI says so
//! ([`HelperIdentity::BrokerVouched`]). With issuers trusted and
//! [`HelperTrust::require_verified`] set (the default once an issuer is configured), a helper
//! who cannot be verified is refused before anyone is asked anything.

use std::net::IpAddr;
use std::time::{Duration, Instant, SystemTime};

use glass_identity::{
    CacheConfig, DtlsFingerprint, IdentityMapping, IssuerPolicy, KeyCache, VerifyError,
};
use glass_protocol::Card;

/// An issuer whose helpers this agent can verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedIssuer {
    /// The issuer URL, exactly as in its tokens' `iss` (`https://login.example.com/tenant/v2.0`).
    pub issuer: String,
    /// The broker's client id at that issuer: the tokens' audience.
    pub client_id: String,
    /// The organisation's verified domain, shown when the token carries no verified e-mail.
    pub verified_domain: Option<String>,
}

/// What this agent trusts to say who a helper is: plain data, checked by
/// [`HelperTrust::validate`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelperTrust {
    /// Issuers whose helpers are verified here. Empty: the broker's card is shown as the
    /// broker's word.
    pub issuers: Vec<TrustedIssuer>,
    /// Refuse a helper who cannot be verified (no token, an issuer not trusted here, a bad or
    /// expired token, a sign-in that binds no media connection).
    pub require_verified: bool,
}

/// A trust configuration that cannot work; names the field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct TrustError {
    /// The field at fault.
    pub field: &'static str,
    /// Why.
    pub reason: String,
}

impl HelperTrust {
    /// Trust one issuer and require verification.
    pub fn issuer(issuer: &str, client_id: &str) -> HelperTrust {
        HelperTrust {
            issuers: vec![TrustedIssuer {
                issuer: issuer.to_owned(),
                client_id: client_id.to_owned(),
                verified_domain: None,
            }],
            require_verified: true,
        }
    }

    /// Checks every issuer: an `https://` URL (or `http://` on loopback, for tests and labs)
    /// and a client id.
    pub fn validate(&self) -> Result<(), TrustError> {
        if self.require_verified && self.issuers.is_empty() {
            return Err(TrustError {
                field: "helper_issuer",
                reason: "verification is required but no issuer is trusted".into(),
            });
        }
        for i in &self.issuers {
            if !url_ok(&i.issuer) {
                return Err(TrustError {
                    field: "helper_issuer",
                    reason: format!(
                        "{:?}: expected https://host/… (http only on loopback)",
                        i.issuer
                    ),
                });
            }
            if i.client_id.is_empty() || i.client_id.len() > 256 {
                return Err(TrustError {
                    field: "helper_client_id",
                    reason: "expected the broker's client id at the issuer".into(),
                });
            }
        }
        Ok(())
    }
}

fn url_ok(url: &str) -> bool {
    let Ok(u) = reqwest::Url::parse(url) else {
        return false;
    };
    match u.scheme() {
        "https" => u.host().is_some(),
        "http" => match u.host_str() {
            Some("localhost") => true,
            Some(h) => h
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
                .is_ok_and(|a| a.is_loopback()),
            None => false,
        },
        _ => false,
    }
}

/// How far the helper's identity was checked.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HelperIdentity {
    /// Verified here against the issuer's keys; the media connection is bound to
    /// `fingerprint`.
    Verified {
        /// The issuer that vouched.
        issuer: String,
        /// The helper's WebRTC certificate.
        fingerprint: DtlsFingerprint,
    },
    /// This agent trusts no issuer: the card is the broker's word.
    BrokerVouched,
    /// Could not be verified; refused when verification is required.
    Unverified {
        /// Why, in English, for the local user and the log.
        reason: String,
    },
}

impl HelperIdentity {
    /// The short word for UIs and logs: `verified`, `broker`, `unverified`.
    pub fn label(&self) -> &'static str {
        match self {
            HelperIdentity::Verified { .. } => "verified",
            HelperIdentity::BrokerVouched => "broker",
            HelperIdentity::Unverified { .. } => "unverified",
        }
    }
}

/// The card to show and how far it was checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedHelper {
    /// Built from verified claims when verified; the broker's card otherwise.
    pub card: Card,
    /// How far it was checked.
    pub identity: HelperIdentity,
}

struct IssuerState {
    trusted: TrustedIssuer,
    /// From discovery: the key set's URL and the token policy.
    discovered: Option<(String, IssuerPolicy)>,
    keys: KeyCache,
}

/// Verifies helpers' tokens for one agent; keeps each issuer's discovery and keys between
/// sessions.
pub struct HelperVerifier {
    trust: HelperTrust,
    issuers: Vec<IssuerState>,
    http: reqwest::Client,
}

impl std::fmt::Debug for HelperVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HelperVerifier")
            .field("trust", &self.trust)
            .finish()
    }
}

/// Largest discovery document or key set fetched.
const MAX_DOCUMENT: usize = glass_identity::jwks::MAX_JWKS_BYTES;

impl HelperVerifier {
    /// A verifier for `trust` (validate it first).
    pub fn new(trust: HelperTrust) -> HelperVerifier {
        let issuers = trust
            .issuers
            .iter()
            .map(|t| IssuerState {
                trusted: t.clone(),
                discovered: None,
                keys: KeyCache::new(CacheConfig::default()),
            })
            .collect();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        HelperVerifier {
            trust,
            issuers,
            http,
        }
    }

    /// Whether a helper who cannot be verified is refused.
    pub fn required(&self) -> bool {
        self.trust.require_verified
    }

    /// Checks the helper the broker announced: `token` from `joined`, `broker_card` the
    /// broker's card. Never fails: what could not be checked is [`HelperIdentity::Unverified`].
    pub async fn check(&mut self, token: Option<&str>, broker_card: &Card) -> CheckedHelper {
        let unverified = |reason: String| CheckedHelper {
            card: broker_card.clone(),
            identity: HelperIdentity::Unverified { reason },
        };
        if self.issuers.is_empty() {
            return CheckedHelper {
                card: broker_card.clone(),
                identity: HelperIdentity::BrokerVouched,
            };
        }
        let Some(token) = token else {
            return unverified(
                "the broker passed no token from the helper's identity provider".into(),
            );
        };
        let Some(iss) = claimed_issuer(token) else {
            return unverified("the helper's token is unreadable".into());
        };
        let Some(index) = self.issuers.iter().position(|i| i.trusted.issuer == iss) else {
            return unverified(
                "the helper signed in with an issuer this device does not trust".into(),
            );
        };
        match self.verify(index, token).await {
            Ok(checked) => checked,
            Err(reason) => unverified(reason),
        }
    }

    async fn verify(&mut self, index: usize, token: &str) -> Result<CheckedHelper, String> {
        self.discover(index).await?;
        let mut refreshed = false;
        loop {
            let now = Instant::now();
            if self.issuers[index].keys.poll_refresh(now) {
                self.fetch_keys(index).await;
            }
            let state = &self.issuers[index];
            let (_, policy) = state
                .discovered
                .as_ref()
                .ok_or("the helper's issuer could not be reached")?;
            let keys = state
                .keys
                .keys()
                .ok_or("the helper's issuer's keys could not be fetched")?;
            match glass_identity::verify_id_token(token, policy, keys, SystemTime::now(), None) {
                Ok(claims) => {
                    let nonce = claims
                        .all
                        .get("nonce")
                        .and_then(|n| n.as_str())
                        .unwrap_or("");
                    let fingerprint = DtlsFingerprint::from_nonce(nonce).map_err(|_| {
                        "the helper's sign-in is not bound to their connection".to_owned()
                    })?;
                    let mapping = IdentityMapping {
                        tenant: state.trusted.issuer.clone(),
                        entra_tenant_id: None,
                        verified_domain: state.trusted.verified_domain.clone(),
                    };
                    let person = glass_identity::identify(&claims, &mapping)
                        .map_err(|e| format!("the helper's token names nobody: {e}"))?;
                    return Ok(CheckedHelper {
                        card: person.card,
                        identity: HelperIdentity::Verified {
                            issuer: state.trusted.issuer.clone(),
                            fingerprint,
                        },
                    });
                }
                Err(VerifyError::UnknownKey { .. }) if !refreshed => {
                    refreshed = true;
                    self.issuers[index].keys.handle_unknown_kid(now);
                    if self.issuers[index].keys.poll_refresh(now) {
                        self.fetch_keys(index).await;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "helper's ID token refused");
                    return Err(format!("the helper's token was refused ({})", e.label()));
                }
            }
        }
    }

    async fn discover(&mut self, index: usize) -> Result<(), String> {
        if self.issuers[index].discovered.is_some() {
            return Ok(());
        }
        let issuer = self.issuers[index].trusted.issuer.clone();
        let url = format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
        );
        let body = self
            .get(&url)
            .await
            .map_err(|e| format!("the helper's issuer could not be reached ({e})"))?;
        #[derive(serde::Deserialize)]
        struct Discovery {
            issuer: String,
            jwks_uri: String,
            #[serde(default)]
            id_token_signing_alg_values_supported: Vec<String>,
        }
        let d: Discovery = serde_json::from_slice(&body)
            .map_err(|_| "the helper's issuer published no usable configuration".to_owned())?;
        // OIDC Discovery §4.3: the document's issuer is the one asked for.
        if d.issuer != issuer {
            return Err("the helper's issuer's configuration names another issuer".into());
        }
        if !url_ok(&d.jwks_uri) {
            return Err("the helper's issuer's key set URL is not https".into());
        }
        let algs = if d.id_token_signing_alg_values_supported.is_empty() {
            vec!["RS256".to_owned()]
        } else {
            d.id_token_signing_alg_values_supported
        };
        let policy =
            IssuerPolicy::new(issuer, self.issuers[index].trusted.client_id.clone(), &algs)
                .map_err(|e| format!("the helper's issuer cannot be used: {e}"))?;
        self.issuers[index].discovered = Some((d.jwks_uri, policy));
        Ok(())
    }

    async fn fetch_keys(&mut self, index: usize) {
        let Some((url, _)) = self.issuers[index].discovered.clone() else {
            return;
        };
        let result = self.get(&url).await;
        let state = &mut self.issuers[index];
        let now = Instant::now();
        match result {
            Ok(body) => {
                if let Err(e) = state.keys.handle_jwks(now, &body) {
                    tracing::warn!(error = %e, "helper's issuer served an unusable key set");
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "helper's issuer's keys not fetched");
                state.keys.handle_fetch_failed(now);
            }
        }
    }

    async fn get(&self, url: &str) -> Result<Vec<u8>, String> {
        let mut response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| e.without_url().to_string())?;
        if !response.status().is_success() {
            return Err(format!("HTTP {}", response.status().as_u16()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| e.without_url().to_string())?
        {
            if body.len() + chunk.len() > MAX_DOCUMENT {
                return Err("document too large".into());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// The `iss` a token claims, unverified: only to pick which trusted issuer verifies it.
fn claimed_issuer(token: &str) -> Option<String> {
    let claims = glass_identity::binding::unverified_claims(token)?;
    Some(claims.get("iss")?.as_str()?.to_owned())
}

/// Whether the helper's offer may be answered: with a verified helper, only an offer whose
/// DTLS fingerprint is the bound one.
pub fn offer_matches(identity: &HelperIdentity, offer_sdp: &str) -> Result<(), OfferRefused> {
    match identity {
        HelperIdentity::Verified { fingerprint, .. } => {
            match DtlsFingerprint::from_sdp(offer_sdp) {
                Ok(fp) if fp == *fingerprint => Ok(()),
                Ok(_) => Err(OfferRefused::FingerprintMismatch),
                Err(_) => Err(OfferRefused::NoFingerprint),
            }
        }
        HelperIdentity::BrokerVouched | HelperIdentity::Unverified { .. } => Ok(()),
    }
}

/// Why an offer was not answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OfferRefused {
    /// The offer's certificate is not the one the helper's sign-in bound: someone else's peer.
    #[error("the connection is not the verified helper's (DTLS fingerprint differs)")]
    FingerprintMismatch,
    /// The offer has no single fingerprint.
    #[error("the offer carries no usable DTLS fingerprint")]
    NoFingerprint,
}

#[cfg(test)]
mod tests {
    use super::*;

    const FP: &str = "sha-256 4B:F2:0A:DE:3C:91:77:05:A8:6E:1F:C4:52:9B:D0:38:E6:11:7A:C9:25:8D:F0:63:B4:1E:9C:57:0D:A2:68:F3";

    fn card(name: &str) -> Card {
        Card {
            name: name.into(),
            title: String::new(),
            company: String::new(),
            picture: None,
            domain: "example.com".into(),
            domain_verified: false,
            vouched: Default::default(),
        }
    }

    fn offer(fp: &str) -> String {
        format!(
            "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=fingerprint:{fp}\r\n"
        )
    }

    #[test]
    fn a_verified_helper_gets_only_its_own_connection_answered() {
        let verified = HelperIdentity::Verified {
            issuer: "https://issuer.example".into(),
            fingerprint: DtlsFingerprint::parse(FP).unwrap(),
        };
        assert_eq!(offer_matches(&verified, &offer(FP)), Ok(()));
        let other = FP.replace("4B:F2", "00:00");
        assert_eq!(
            offer_matches(&verified, &offer(&other)),
            Err(OfferRefused::FingerprintMismatch)
        );
        assert_eq!(
            offer_matches(&verified, "v=0\r\n"),
            Err(OfferRefused::NoFingerprint)
        );
        // Without verification there is nothing to bind to (the UI says so).
        assert_eq!(
            offer_matches(&HelperIdentity::BrokerVouched, &offer(&other)),
            Ok(())
        );
    }

    #[test]
    fn trust_is_validated_naming_the_field() {
        assert!(HelperTrust::default().validate().is_ok());
        assert!(
            HelperTrust::issuer("https://login.example.com/t/v2.0", "glass")
                .validate()
                .is_ok()
        );
        assert!(
            HelperTrust::issuer("http://127.0.0.1:9000", "glass")
                .validate()
                .is_ok()
        );
        let e = HelperTrust::issuer("http://login.example.com", "glass")
            .validate()
            .unwrap_err();
        assert_eq!(e.field, "helper_issuer");
        let e = HelperTrust::issuer("https://login.example.com", "")
            .validate()
            .unwrap_err();
        assert_eq!(e.field, "helper_client_id");
        let required_without_issuer = HelperTrust {
            issuers: vec![],
            require_verified: true,
        };
        assert_eq!(
            required_without_issuer.validate().unwrap_err().field,
            "helper_issuer"
        );
    }

    #[test]
    fn the_claimed_issuer_is_read_without_trusting_it() {
        use base64::Engine;
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let token = format!(
            "{}.{}.sig",
            b64(r#"{"alg":"RS256"}"#),
            b64(r#"{"iss":"https://issuer.example"}"#)
        );
        assert_eq!(
            claimed_issuer(&token).as_deref(),
            Some("https://issuer.example")
        );
        assert_eq!(claimed_issuer("garbage"), None);
        assert_eq!(claimed_issuer("a.!!!.c"), None);
    }

    #[tokio::test]
    async fn with_no_issuer_trusted_the_card_is_the_brokers_word() {
        let card = card("Ada");
        let mut v = HelperVerifier::new(HelperTrust::default());
        let checked = v.check(Some("x.y.z"), &card).await;
        assert_eq!(checked.identity, HelperIdentity::BrokerVouched);
        assert_eq!(checked.card, card);
    }

    #[tokio::test]
    async fn a_missing_or_foreign_token_is_unverified() {
        let card = card("Ada");
        let mut v = HelperVerifier::new(HelperTrust::issuer("https://issuer.example", "glass"));
        assert!(matches!(
            v.check(None, &card).await.identity,
            HelperIdentity::Unverified { .. }
        ));
        use base64::Engine;
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let foreign = format!(
            "{}.{}.sig",
            b64(r#"{"alg":"RS256"}"#),
            b64(r#"{"iss":"https://evil.example"}"#)
        );
        assert!(matches!(
            v.check(Some(&foreign), &card).await.identity,
            HelperIdentity::Unverified { .. }
        ));
    }
}
