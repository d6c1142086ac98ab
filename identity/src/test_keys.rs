//! Keys made in the test and a tiny JWS signer over aws-lc, so tests can sign tokens the way
//! an issuer does, and forge them the ways an attacker would.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _};
use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::jwks::KeySet;

pub const ISSUER: &str = "https://issuer.example";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

enum Kind {
    Rsa(aws_lc_rs::rsa::KeyPair),
    Ec(EcdsaKeyPair, &'static str, &'static str),
    Ed(Ed25519KeyPair),
}

pub struct TestKey {
    pub kid: String,
    kind: Kind,
}

impl TestKey {
    pub fn rsa(kid: &str) -> TestKey {
        let k = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
        TestKey {
            kid: kid.into(),
            kind: Kind::Rsa(k),
        }
    }

    pub fn p256(kid: &str) -> TestKey {
        let k = EcdsaKeyPair::generate(&signature::ECDSA_P256_SHA256_FIXED_SIGNING).unwrap();
        TestKey {
            kid: kid.into(),
            kind: Kind::Ec(k, "ES256", "P-256"),
        }
    }

    pub fn p384(kid: &str) -> TestKey {
        let k = EcdsaKeyPair::generate(&signature::ECDSA_P384_SHA384_FIXED_SIGNING).unwrap();
        TestKey {
            kid: kid.into(),
            kind: Kind::Ec(k, "ES384", "P-384"),
        }
    }

    pub fn ed25519(kid: &str) -> TestKey {
        TestKey {
            kid: kid.into(),
            kind: Kind::Ed(Ed25519KeyPair::generate().unwrap()),
        }
    }

    pub fn alg(&self) -> &'static str {
        match &self.kind {
            Kind::Rsa(_) => "RS256",
            Kind::Ec(_, alg, _) => alg,
            Kind::Ed(_) => "EdDSA",
        }
    }

    /// The public key as a JWK.
    pub fn jwk(&self) -> Value {
        match &self.kind {
            Kind::Rsa(k) => {
                let c = signature::RsaPublicKeyComponents::<Vec<u8>>::from(k.public_key());
                json!({"kty": "RSA", "kid": self.kid, "use": "sig", "alg": "RS256",
                       "n": b64(&c.n), "e": b64(&c.e)})
            }
            Kind::Ec(k, alg, crv) => {
                let point = k.public_key().as_ref();
                let n = (point.len() - 1) / 2;
                json!({"kty": "EC", "kid": self.kid, "crv": crv, "alg": alg,
                       "x": b64(&point[1..1 + n]), "y": b64(&point[1 + n..])})
            }
            Kind::Ed(k) => json!({"kty": "OKP", "kid": self.kid, "crv": "Ed25519",
                                  "x": b64(k.public_key().as_ref())}),
        }
    }

    /// Byte strings an attacker might use as an HMAC secret made from the public key.
    pub fn public_key_forms(&self) -> Vec<Vec<u8>> {
        let jwk = self.jwk();
        let mut forms = vec![jwk.to_string().into_bytes()];
        if let Kind::Rsa(k) = &self.kind {
            forms.push(k.public_key().as_ref().to_vec());
            forms.push(jwk["n"].as_str().unwrap().as_bytes().to_vec());
        }
        forms
    }

    pub fn sign(&self, claims: &Map<String, Value>) -> String {
        self.sign_with_header(claims, json!({}))
    }

    pub fn sign_with_header(&self, claims: &Map<String, Value>, extra: Value) -> String {
        let mut header = json!({"alg": self.alg(), "typ": "JWT", "kid": self.kid});
        for (k, v) in extra.as_object().unwrap() {
            header[k] = v.clone();
        }
        let input = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(Value::Object(claims.clone()).to_string().as_bytes())
        );
        let sig = match &self.kind {
            Kind::Rsa(k) => {
                let mut sig = vec![0; k.public_modulus_len()];
                k.sign(
                    &signature::RSA_PKCS1_SHA256,
                    &SystemRandom::new(),
                    input.as_bytes(),
                    &mut sig,
                )
                .unwrap();
                sig
            }
            Kind::Ec(k, ..) => k
                .sign(&SystemRandom::new(), input.as_bytes())
                .unwrap()
                .as_ref()
                .to_vec(),
            Kind::Ed(k) => k.sign(input.as_bytes()).as_ref().to_vec(),
        };
        format!("{input}.{}", b64(&sig))
    }
}

/// `alg: none`, empty signature.
pub fn unsigned(claims: &Map<String, Value>, kid: &str) -> String {
    let header = json!({"alg": "none", "kid": kid});
    format!(
        "{}.{}.",
        b64(header.to_string().as_bytes()),
        b64(Value::Object(claims.clone()).to_string().as_bytes())
    )
}

/// HS256 with `secret`.
pub fn hmac_signed(claims: &Map<String, Value>, kid: &str, secret: &[u8]) -> String {
    let header = json!({"alg": "HS256", "typ": "JWT", "kid": kid});
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(Value::Object(claims.clone()).to_string().as_bytes())
    );
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret);
    let tag = aws_lc_rs::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", b64(tag.as_ref()))
}

/// Valid claims for client `glass` at `now`, nonce `n-1`.
pub fn claims(now: SystemTime) -> Map<String, Value> {
    let t = now.duration_since(UNIX_EPOCH).unwrap().as_secs();
    json!({"iss": ISSUER, "sub": "user-1", "aud": "glass", "exp": t + 300, "iat": t,
           "nonce": "n-1"})
    .as_object()
    .unwrap()
    .clone()
}

pub fn jwks(keys: &[&TestKey]) -> Vec<u8> {
    json!({"keys": keys.iter().map(|k| k.jwk()).collect::<Vec<_>>()})
        .to_string()
        .into_bytes()
}

pub fn jwks_set(keys: &[&TestKey]) -> KeySet {
    KeySet::parse(&jwks(keys)).unwrap()
}
