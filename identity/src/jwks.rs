//! An issuer's published keys (JWKS, RFC 7517) parsed into verification keys by `kid`.
//!
//! Only signature keys for asymmetric algorithms are kept: RSA (at least 2048 bits), EC P-256
//! and P-384, and Ed25519. Symmetric (`oct`) keys, encryption keys (`use: enc`), other curves
//! and keys that do not parse are skipped and counted, not fatal: real issuers publish
//! encryption keys next to signing keys (Keycloak), and one odd key must not cost the others.

use std::collections::HashMap;
use std::fmt;

use base64::Engine as _;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};

/// Largest JWKS body parsed (Entra's is ~10 KiB, Google's ~2 KiB).
pub const MAX_JWKS_BYTES: usize = 256 * 1024;
/// Most keys kept from one JWKS.
pub const MAX_KEYS: usize = 64;
/// Longest `kid` kept.
pub const MAX_KID_BYTES: usize = 256;
/// Smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;

/// Which kind of key, hence which algorithms it can verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// RSA: `RS256/384/512`, `PS256/384/512`.
    Rsa,
    /// EC P-256: `ES256`.
    P256,
    /// EC P-384: `ES384`.
    P384,
    /// Ed25519: `EdDSA`.
    Ed25519,
}

impl KeyKind {
    /// Whether a key of this kind verifies `alg`.
    pub fn suits(self, alg: Algorithm) -> bool {
        use Algorithm::*;
        match self {
            KeyKind::Rsa => matches!(alg, RS256 | RS384 | RS512 | PS256 | PS384 | PS512),
            KeyKind::P256 => alg == ES256,
            KeyKind::P384 => alg == ES384,
            KeyKind::Ed25519 => alg == EdDSA,
        }
    }
}

/// One verification key.
#[derive(Clone)]
pub struct Key {
    /// The key id, if the JWKS gave one.
    pub kid: Option<String>,
    /// The kind of key.
    pub kind: KeyKind,
    /// The algorithm the JWKS pins this key to (`alg`), if any.
    pub alg: Option<Algorithm>,
    pub(crate) decoding: DecodingKey,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("kid", &self.kid)
            .field("kind", &self.kind)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl Key {
    /// Whether this key may verify a token signed with `alg`.
    pub fn suits(&self, alg: Algorithm) -> bool {
        self.kind.suits(alg) && self.alg.is_none_or(|pinned| pinned == alg)
    }
}

/// The usable keys of one JWKS.
#[derive(Clone, Debug, Default)]
pub struct KeySet {
    by_kid: HashMap<String, Key>,
    without_kid: Vec<Key>,
    /// Keys in the document that were skipped (unsupported, not for signatures, malformed).
    pub skipped: usize,
}

/// Why a JWKS was not usable. The cache keeps its last good set on any of these.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwksError {
    /// Larger than [`MAX_JWKS_BYTES`].
    #[error("JWKS larger than {MAX_JWKS_BYTES} bytes")]
    TooLarge,
    /// Not a JSON object with a `keys` array.
    #[error("not a JWKS document")]
    Malformed,
    /// Parsed, but not one key is usable for ID-token signatures.
    #[error("no usable signature key ({skipped} skipped)")]
    NoUsableKeys {
        /// Keys skipped.
        skipped: usize,
    },
}

#[derive(serde::Deserialize)]
struct Document {
    keys: Vec<serde_json::Value>,
}

impl KeySet {
    /// Parses a JWKS document (the body the issuer's `jwks_uri` served).
    pub fn parse(body: &[u8]) -> Result<KeySet, JwksError> {
        if body.len() > MAX_JWKS_BYTES {
            return Err(JwksError::TooLarge);
        }
        let doc: Document = serde_json::from_slice(body).map_err(|_| JwksError::Malformed)?;
        let mut set = KeySet::default();
        for value in doc.keys {
            if set.len() >= MAX_KEYS {
                set.skipped += 1;
                continue;
            }
            match parse_key(value) {
                Some(key) => set.insert(key),
                None => set.skipped += 1,
            }
        }
        if set.is_empty() {
            return Err(JwksError::NoUsableKeys {
                skipped: set.skipped,
            });
        }
        Ok(set)
    }

    fn insert(&mut self, key: Key) {
        match &key.kid {
            // A repeated kid: the first wins (an issuer never publishes two keys under one
            // id; a document that does is not trusted to say which is meant).
            Some(kid) => {
                if self.by_kid.contains_key(kid) {
                    self.skipped += 1;
                } else {
                    self.by_kid.insert(kid.clone(), key);
                }
            }
            None => self.without_kid.push(key),
        }
    }

    /// The key with this `kid`.
    pub fn get(&self, kid: &str) -> Option<&Key> {
        self.by_kid.get(kid)
    }

    /// The key for a token header: by `kid` when it names one; a token without `kid` is
    /// accepted only when exactly one key of the set suits `alg`.
    pub fn find(&self, kid: Option<&str>, alg: Algorithm) -> Option<&Key> {
        match kid {
            Some(kid) => self.get(kid),
            None => {
                let mut suitable = self
                    .by_kid
                    .values()
                    .chain(&self.without_kid)
                    .filter(|k| k.suits(alg));
                let first = suitable.next()?;
                suitable.next().is_none().then_some(first)
            }
        }
    }

    /// Usable keys.
    pub fn len(&self) -> usize {
        self.by_kid.len() + self.without_kid.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The key ids, sorted (for logs and tests).
    pub fn kids(&self) -> Vec<&str> {
        let mut kids: Vec<&str> = self.by_kid.keys().map(String::as_str).collect();
        kids.sort_unstable();
        kids
    }
}

fn b64_len(s: &str) -> Option<usize> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .ok()
        .map(|bytes| {
            let leading = bytes.iter().take_while(|b| **b == 0).count();
            bytes.len() - leading
        })
}

fn signing_alg(alg: &KeyAlgorithm) -> Option<Algorithm> {
    Some(match alg {
        KeyAlgorithm::ES256 => Algorithm::ES256,
        KeyAlgorithm::ES384 => Algorithm::ES384,
        KeyAlgorithm::RS256 => Algorithm::RS256,
        KeyAlgorithm::RS384 => Algorithm::RS384,
        KeyAlgorithm::RS512 => Algorithm::RS512,
        KeyAlgorithm::PS256 => Algorithm::PS256,
        KeyAlgorithm::PS384 => Algorithm::PS384,
        KeyAlgorithm::PS512 => Algorithm::PS512,
        KeyAlgorithm::EdDSA => Algorithm::EdDSA,
        // HS*: never from a JWKS; encryption algorithms: not signature keys.
        _ => return None,
    })
}

fn parse_key(value: serde_json::Value) -> Option<Key> {
    // A key whose `alg` this library does not know (RSA-OAEP variants it lacks, ML-DSA...)
    // fails to parse as a `Jwk`: skipped, like any other unusable key.
    let jwk: Jwk = serde_json::from_value(value).ok()?;
    if let Some(u) = &jwk.common.public_key_use
        && *u != PublicKeyUse::Signature
    {
        return None;
    }
    let alg = match &jwk.common.key_algorithm {
        Some(a) => Some(signing_alg(a)?),
        None => None,
    };
    let kid = match &jwk.common.key_id {
        Some(k) if k.is_empty() || k.len() > MAX_KID_BYTES => return None,
        other => other.clone(),
    };
    let kind = match &jwk.algorithm {
        AlgorithmParameters::RSA(p) => {
            if b64_len(&p.n)? * 8 < MIN_RSA_BITS - 7 || b64_len(&p.e)? == 0 {
                return None;
            }
            KeyKind::Rsa
        }
        AlgorithmParameters::EllipticCurve(p) => {
            let (kind, len) = match p.curve {
                EllipticCurve::P256 => (KeyKind::P256, 32),
                EllipticCurve::P384 => (KeyKind::P384, 48),
                _ => return None,
            };
            // Coordinates of the curve's size; aws-lc checks the point is on the curve.
            let decoded = |s: &str| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(s)
                    .ok()
                    .map(|b| b.len())
            };
            if decoded(&p.x)? != len || decoded(&p.y)? != len {
                return None;
            }
            kind
        }
        AlgorithmParameters::OctetKeyPair(p) => {
            if p.curve != EllipticCurve::Ed25519 {
                return None;
            }
            let x = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(&p.x)
                .ok()?;
            if x.len() != 32 {
                return None;
            }
            KeyKind::Ed25519
        }
        // Symmetric keys have no place in a public key set: an `oct` key here would let
        // anyone who read the JWKS mint tokens.
        AlgorithmParameters::OctetKey(_) | AlgorithmParameters::Other(_) => return None,
        #[allow(unreachable_patterns)]
        _ => return None,
    };
    if let Some(alg) = alg
        && !kind.suits(alg)
    {
        return None;
    }
    let decoding = DecodingKey::from_jwk(&jwk).ok()?;
    Some(Key {
        kid,
        kind,
        alg,
        decoding,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_keys::TestKey;

    #[test]
    fn parses_rsa_ec_and_ed25519_and_skips_the_rest() {
        let rsa = TestKey::rsa("r1");
        let ec = TestKey::p256("e1");
        let ec384 = TestKey::p384("e2");
        let ed = TestKey::ed25519("d1");
        let doc = serde_json::json!({"keys": [
            rsa.jwk(), ec.jwk(), ec384.jwk(), ed.jwk(),
            {"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"},
            {"kty": "RSA", "use": "enc", "kid": "enc", "n": rsa.jwk()["n"], "e": "AQAB"},
            {"kty": "RSA", "kid": "small", "n": "AQAB", "e": "AQAB"},
            {"kty": "EC", "crv": "P-521", "kid": "p521", "x": "AA", "y": "AA"},
            {"kty": "RSA", "kid": "oaep", "alg": "RSA-OAEP", "n": rsa.jwk()["n"], "e": "AQAB"},
            {"kty": "whatever"},
            "not even an object",
        ]});
        let set = KeySet::parse(doc.to_string().as_bytes()).unwrap();
        assert_eq!(set.kids(), ["d1", "e1", "e2", "r1"]);
        assert_eq!(set.skipped, 7);
        assert_eq!(set.get("e1").unwrap().kind, KeyKind::P256);
        assert!(set.get("r1").unwrap().suits(Algorithm::RS256));
        assert!(!set.get("r1").unwrap().suits(Algorithm::HS256));
        assert!(!set.get("e1").unwrap().suits(Algorithm::ES384));
    }

    #[test]
    fn refuses_documents_without_usable_keys() {
        assert_eq!(KeySet::parse(b"<html>").unwrap_err(), JwksError::Malformed);
        assert_eq!(
            KeySet::parse(br#"{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}"#).unwrap_err(),
            JwksError::NoUsableKeys { skipped: 1 }
        );
        assert_eq!(
            KeySet::parse(&vec![b' '; MAX_JWKS_BYTES + 1]).unwrap_err(),
            JwksError::TooLarge
        );
    }

    #[test]
    fn a_token_without_kid_needs_exactly_one_suitable_key() {
        let a = TestKey::rsa("a");
        let b = TestKey::rsa("b");
        let e = TestKey::p256("e");
        let one = KeySet::parse(
            serde_json::json!({"keys": [a.jwk(), e.jwk()]})
                .to_string()
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            one.find(None, Algorithm::RS256).unwrap().kid.as_deref(),
            Some("a")
        );
        let two = KeySet::parse(
            serde_json::json!({"keys": [a.jwk(), b.jwk()]})
                .to_string()
                .as_bytes(),
        )
        .unwrap();
        assert!(two.find(None, Algorithm::RS256).is_none());
        assert!(two.find(Some("b"), Algorithm::RS256).is_some());
    }
}
