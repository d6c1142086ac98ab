//! The helper's media connection, bound to the helper's sign-in.
//!
//! A helper's browser keeps one WebRTC certificate (an `RTCCertificate` stored in the
//! browser) and signs in with its fingerprint in the OIDC `nonce`. The issuer signs the nonce
//! into the ID token, so the token says "this person, and the media connection whose DTLS
//! certificate has this fingerprint". The sharer's agent verifies the token against the
//! issuer's keys and answers only an offer whose `a=fingerprint` is the bound one; DTLS (str0m
//! checks the peer's certificate against the offer's fingerprint) then proves the peer holds
//! that certificate's key. A broker that swaps in its own peer has neither.
//!
//! Nonce form: `glass-dtls1.<hash>.<digest, base64url>.<random>`, e.g.
//! `glass-dtls1.sha-256.q5jHwYVt….3e7c…`. The random part keeps the nonce a nonce: each
//! sign-in's is different, and the broker still checks it equals the one it sent.

use std::fmt;

use base64::Engine;

/// The prefix of a binding nonce.
pub const NONCE_PREFIX: &str = "glass-dtls1";

/// Longest fingerprint text accepted (`sha-512` with colons is 191 bytes).
const MAX_FINGERPRINT_TEXT: usize = 256;

/// Hash functions of a DTLS fingerprint (RFC 8122 names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FingerprintHash {
    /// `sha-256`: what browsers and str0m use.
    Sha256,
    /// `sha-384`.
    Sha384,
    /// `sha-512`.
    Sha512,
}

impl FingerprintHash {
    fn parse(name: &str) -> Option<FingerprintHash> {
        match name.to_ascii_lowercase().as_str() {
            "sha-256" => Some(FingerprintHash::Sha256),
            "sha-384" => Some(FingerprintHash::Sha384),
            "sha-512" => Some(FingerprintHash::Sha512),
            _ => None,
        }
    }

    /// The RFC 8122 name.
    pub fn name(self) -> &'static str {
        match self {
            FingerprintHash::Sha256 => "sha-256",
            FingerprintHash::Sha384 => "sha-384",
            FingerprintHash::Sha512 => "sha-512",
        }
    }

    fn len(self) -> usize {
        match self {
            FingerprintHash::Sha256 => 32,
            FingerprintHash::Sha384 => 48,
            FingerprintHash::Sha512 => 64,
        }
    }
}

/// A DTLS certificate fingerprint: hash function and digest.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DtlsFingerprint {
    hash: FingerprintHash,
    digest: Vec<u8>,
}

/// Why a fingerprint, an offer or a nonce was not usable.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BindingError {
    /// Not `<hash> XX:XX:…` with a known hash and the right length.
    #[error("not a DTLS fingerprint (expected `sha-256 AB:CD:…`)")]
    Malformed,
    /// The offer has no `a=fingerprint`.
    #[error("the offer has no DTLS fingerprint")]
    Missing,
    /// The offer's `a=fingerprint` lines disagree.
    #[error("the offer carries more than one DTLS fingerprint")]
    Ambiguous,
    /// The nonce is not a binding nonce.
    #[error("the sign-in binds no media connection")]
    NotBound,
}

impl DtlsFingerprint {
    /// Parses `sha-256 AB:CD:…` (the SDP attribute's value; hex in either case).
    pub fn parse(text: &str) -> Result<DtlsFingerprint, BindingError> {
        if text.len() > MAX_FINGERPRINT_TEXT {
            return Err(BindingError::Malformed);
        }
        let (hash, hex) = text.trim().split_once(' ').ok_or(BindingError::Malformed)?;
        let hash = FingerprintHash::parse(hash).ok_or(BindingError::Malformed)?;
        let digest = hex
            .trim()
            .split(':')
            .map(|byte| match byte.as_bytes() {
                [a, b] if a.is_ascii_hexdigit() && b.is_ascii_hexdigit() => {
                    u8::from_str_radix(byte, 16).map_err(|_| BindingError::Malformed)
                }
                _ => Err(BindingError::Malformed),
            })
            .collect::<Result<Vec<u8>, _>>()?;
        DtlsFingerprint::from_digest(hash, digest)
    }

    /// A fingerprint from its parts; the digest's length must suit the hash.
    pub fn from_digest(
        hash: FingerprintHash,
        digest: Vec<u8>,
    ) -> Result<DtlsFingerprint, BindingError> {
        if digest.len() != hash.len() {
            return Err(BindingError::Malformed);
        }
        Ok(DtlsFingerprint { hash, digest })
    }

    /// The one fingerprint of an SDP offer: every `a=fingerprint` line (session or media
    /// level) must name the same certificate.
    pub fn from_sdp(sdp: &str) -> Result<DtlsFingerprint, BindingError> {
        let mut found: Option<DtlsFingerprint> = None;
        for line in sdp.lines() {
            let Some(value) = line.trim_end_matches('\r').strip_prefix("a=fingerprint:") else {
                continue;
            };
            let fp = DtlsFingerprint::parse(value)?;
            match &found {
                Some(f) if *f != fp => return Err(BindingError::Ambiguous),
                Some(_) => {}
                None => found = Some(fp),
            }
        }
        found.ok_or(BindingError::Missing)
    }

    /// The hash function.
    pub fn hash(&self) -> FingerprintHash {
        self.hash
    }

    /// The digest bytes.
    pub fn digest(&self) -> &[u8] {
        &self.digest
    }

    /// A nonce binding this fingerprint, with `random` (URL-safe, from the relying party's
    /// random source) to keep it unique.
    pub fn nonce(&self, random: &str) -> String {
        format!(
            "{NONCE_PREFIX}.{}.{}.{random}",
            self.hash.name(),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&self.digest)
        )
    }

    /// The fingerprint a binding nonce carries.
    pub fn from_nonce(nonce: &str) -> Result<DtlsFingerprint, BindingError> {
        let mut parts = nonce.splitn(4, '.');
        let (Some(NONCE_PREFIX), Some(hash), Some(digest), Some(random)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(BindingError::NotBound);
        };
        if random.is_empty() {
            return Err(BindingError::NotBound);
        }
        let hash = FingerprintHash::parse(hash).ok_or(BindingError::NotBound)?;
        let digest = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(digest)
            .map_err(|_| BindingError::NotBound)?;
        DtlsFingerprint::from_digest(hash, digest).map_err(|_| BindingError::NotBound)
    }
}

/// The claims of a token, **unverified**: for a token this process already verified (a
/// broker reading back its own sign-in), or to pick which issuer verifies it. Checks nothing.
pub fn unverified_claims(token: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    if token.len() > crate::MAX_TOKEN_BYTES {
        return None;
    }
    let payload = token.split('.').nth(1)?;
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    serde_json::from_slice(&json).ok()
}

/// The fingerprint and expiry (Unix s) in an ID token **this process already verified** (a
/// broker reading back its own sign-in): reads the payload, checks nothing.
pub fn bound_in_verified_token(token: &str) -> Option<(DtlsFingerprint, u64)> {
    let claims = unverified_claims(token)?;
    let fp = DtlsFingerprint::from_nonce(claims.get("nonce")?.as_str()?).ok()?;
    Some((fp, claims.get("exp")?.as_u64()?))
}

impl fmt::Display for DtlsFingerprint {
    /// The SDP form: `sha-256 AB:CD:…`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ", self.hash.name())?;
        for (i, b) in self.digest.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for DtlsFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DtlsFingerprint({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FP: &str = "sha-256 4B:F2:0A:DE:3C:91:77:05:A8:6E:1F:C4:52:9B:D0:38:E6:11:7A:C9:25:8D:F0:63:B4:1E:9C:57:0D:A2:68:F3";

    #[test]
    fn parses_and_prints_the_sdp_form() {
        let fp = DtlsFingerprint::parse(FP).unwrap();
        assert_eq!(fp.hash(), FingerprintHash::Sha256);
        assert_eq!(fp.digest().len(), 32);
        assert_eq!(fp.to_string(), FP);
        assert_eq!(DtlsFingerprint::parse(&FP.to_lowercase()).unwrap(), fp);
    }

    #[test]
    fn refuses_what_is_not_a_fingerprint() {
        for bad in [
            "",
            "sha-256",
            "md5 4B:F2",
            "sha-256 4B:F2",
            "sha-256 4B:F2:0A:DE:3C:91:77:05:A8:6E:1F:C4:52:9B:D0:38:E6:11:7A:C9:25:8D:F0:63:B4:1E:9C:57:0D:A2:68:G3",
            "sha-256 4BF:2:0A:DE:3C:91:77:05:A8:6E:1F:C4:52:9B:D0:38:E6:11:7A:C9:25:8D:F0:63:B4:1E:9C:57:0D:A2:68",
            "sha-256 +B:F2:0A:DE:3C:91:77:05:A8:6E:1F:C4:52:9B:D0:38:E6:11:7A:C9:25:8D:F0:63:B4:1E:9C:57:0D:A2:68:F3",
        ] {
            assert_eq!(
                DtlsFingerprint::parse(bad),
                Err(BindingError::Malformed),
                "{bad}"
            );
        }
        assert!(DtlsFingerprint::parse(&"A".repeat(10_000)).is_err());
    }

    #[test]
    fn an_offer_has_one_fingerprint() {
        let offer = format!(
            "v=0\r\na=fingerprint:{FP}\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=fingerprint:{FP}\r\n"
        );
        assert_eq!(
            DtlsFingerprint::from_sdp(&offer).unwrap(),
            DtlsFingerprint::parse(FP).unwrap()
        );
        assert_eq!(
            DtlsFingerprint::from_sdp("v=0\r\nm=video 9 x 96\r\n"),
            Err(BindingError::Missing)
        );
        let other = FP.replace("4B:F2", "4B:F3");
        let two =
            format!("v=0\r\na=fingerprint:{FP}\r\nm=video 9 x 96\r\na=fingerprint:{other}\r\n");
        assert_eq!(
            DtlsFingerprint::from_sdp(&two),
            Err(BindingError::Ambiguous)
        );
    }

    #[test]
    fn the_nonce_round_trips_and_stays_unique() {
        let fp = DtlsFingerprint::parse(FP).unwrap();
        let a = fp.nonce("r4nd0m");
        let b = fp.nonce("0th3r");
        assert_ne!(a, b);
        assert!(a.starts_with("glass-dtls1.sha-256."));
        assert_eq!(DtlsFingerprint::from_nonce(&a).unwrap(), fp);
        assert_eq!(DtlsFingerprint::from_nonce(&b).unwrap(), fp);
    }

    #[test]
    fn ordinary_nonces_bind_nothing() {
        for nonce in [
            "",
            "kQ1x1rGJ9l4ZzR",
            "glass-dtls1.sha-256.AAAA.r",
            "glass-dtls1.sha-256.",
            "glass-dtls1.md5.q5jH.r",
            "glass-dtls2.sha-256.q5jH.r",
        ] {
            assert_eq!(
                DtlsFingerprint::from_nonce(nonce),
                Err(BindingError::NotBound),
                "{nonce}"
            );
        }
        let fp = DtlsFingerprint::parse(FP).unwrap();
        let no_random = fp.nonce("");
        assert_eq!(
            DtlsFingerprint::from_nonce(&no_random),
            Err(BindingError::NotBound)
        );
    }
}
