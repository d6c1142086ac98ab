//! Fuzz entry points (`fuzz/fuzz_targets/id_token.rs`). Not a stable API.

use std::time::{Duration, UNIX_EPOCH};

use crate::{IdentityMapping, IssuerPolicy, KeySet, identify, verify_id_token};

/// A P-256 public key (the curve's generator: private key 1, fine for fuzzing) and a
/// 2048-bit RSA modulus that is no real key: enough to reach every check before the
/// signature, and the signature check itself.
const JWKS: &str = r#"{"keys":[
{"kty":"EC","kid":"ec","crv":"P-256","alg":"ES256","x":"axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY","y":"T-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU"},
{"kty":"RSA","kid":"rsa","n":"w8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDww","e":"AQAB"}]}"#;

/// First byte 2: the rest is an SDP offer and a nonce (split at the first NUL) for the
/// media-connection binding; other even bytes: an ID token verified against a fixed key set;
/// odd: a JWKS document. Never panics.
pub fn id_token(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    if selector == 2 {
        let text = String::from_utf8_lossy(rest);
        let (sdp, nonce) = text.split_once('\0').unwrap_or((&text, ""));
        if let Ok(fp) = crate::DtlsFingerprint::from_sdp(sdp) {
            let again = crate::DtlsFingerprint::from_nonce(&fp.nonce("r"));
            assert_eq!(again.as_ref(), Ok(&fp), "a fingerprint survives its nonce");
            let _ = crate::DtlsFingerprint::parse(&fp.to_string());
        }
        let _ = crate::DtlsFingerprint::from_nonce(nonce);
        let _ = crate::binding::bound_in_verified_token(nonce);
        return;
    }
    if selector % 2 == 1 {
        if let Ok(set) = KeySet::parse(rest) {
            let _ = set.find(None, crate::Algorithm::RS256);
        }
        return;
    }
    let Ok(token) = std::str::from_utf8(rest) else {
        return;
    };
    let Ok(keys) = KeySet::parse(JWKS.as_bytes()) else {
        return;
    };
    let Ok(policy) = IssuerPolicy::new("https://issuer.example", "glass", &["ES256", "RS256"])
    else {
        return;
    };
    let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    if let Ok(claims) = verify_id_token(token, &policy, &keys, now, Some("n")) {
        let _ = identify(&claims, &IdentityMapping::default());
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_fuzz_key_set_parses() {
        let set = crate::KeySet::parse(super::JWKS.as_bytes()).unwrap();
        assert_eq!(set.kids(), ["ec", "rsa"]);
        super::id_token(b"\x00eyJhbGciOiJFUzI1NiIsImtpZCI6ImVjIn0.e30.AAAA");
        super::id_token(b"\x01{\"keys\":[]}");
        super::id_token(include_bytes!("../../fuzz/seeds/id-token-binding"));
    }
}
