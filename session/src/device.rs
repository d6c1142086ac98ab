//! Device identity: the sharer's agent holds an Ed25519 key pair made on its first run and
//! proves it to the broker at each redemption by signing the broker's sign-in challenge
//! together with the code being redeemed. The broker knows a device by the hash of its
//! public key ([`device_id`]); an administrator enrols that id.
//!
//! What the proof shows: whoever redeems this code holds the key of device X now. It cannot
//! be replayed: the code is single use and the challenge belongs to one sign-in. What it
//! does not show: that the device is healthy — that is the compliance record's job.

use aws_lc_rs::digest;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, Ed25519KeyPair, KeyPair as _};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use glass_protocol::DeviceProof;

use crate::code::Code;

/// Why a device proof was not accepted. The redemption goes on with the device treated as
/// unknown (unenrolled); the reason is counted and logged, never sent to the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofError {
    /// The key is not 32 bytes of base64url.
    #[error("device key malformed")]
    Key,
    /// The signature is not 64 bytes of base64url, or does not verify.
    #[error("device signature invalid")]
    Signature,
    /// The sign-in had no challenge (a browser session).
    #[error("no device challenge for this sign-in")]
    NoChallenge,
    /// The code does not parse (the redemption fails anyway).
    #[error("code malformed")]
    Code,
}

/// A key pair could not be made or read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("device key: {0}")]
pub struct KeyError(&'static str);

/// What is signed: a fixed label, the broker's challenge, the canonical code.
pub fn proof_message(challenge: &str, code: &Code) -> Vec<u8> {
    format!("glass-device-proof/1\n{challenge}\n{code}").into_bytes()
}

/// A device's id: the first 10 bytes of SHA-256 of its public key, as 20 lowercase hex
/// digits. Short enough to read out, long enough not to collide.
pub fn device_id(public_key: &[u8]) -> String {
    let d = digest::digest(&digest::SHA256, public_key);
    d.as_ref()[..10]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks `proof` for `challenge` and the code as typed; returns the device's id and its
/// public key (base64url).
pub fn verify_proof(
    proof: &DeviceProof,
    challenge: Option<&str>,
    code_as_typed: &str,
) -> Result<(String, String), ProofError> {
    let challenge = challenge.ok_or(ProofError::NoChallenge)?;
    let code = Code::parse(code_as_typed).map_err(|_| ProofError::Code)?;
    let key = decode_exact::<32>(&proof.key).ok_or(ProofError::Key)?;
    let sig = decode_exact::<64>(&proof.signature).ok_or(ProofError::Signature)?;
    signature::UnparsedPublicKey::new(&signature::ED25519, &key)
        .verify(&proof_message(challenge, &code), &sig)
        .map_err(|_| ProofError::Signature)?;
    Ok((device_id(&key), proof.key.clone()))
}

fn decode_exact<const N: usize>(s: &str) -> Option<[u8; N]> {
    // Bounded before decoding: base64 of N bytes is at most 4 * ceil(N / 3) characters.
    if s.len() > N.div_ceil(3) * 4 {
        return None;
    }
    URL_SAFE_NO_PAD.decode(s).ok()?.try_into().ok()
}

/// The agent's key pair (PKCS#8 v2 document, as stored on disk).
pub struct DeviceKey {
    pair: Ed25519KeyPair,
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKey")
            .field("id", &self.id())
            .finish_non_exhaustive()
    }
}

impl DeviceKey {
    /// A fresh key pair and its PKCS#8 document (to store, readable by its owner only).
    pub fn generate() -> Result<(DeviceKey, Vec<u8>), KeyError> {
        let doc = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .map_err(|_| KeyError("the OS random source failed"))?;
        let bytes = doc.as_ref().to_vec();
        Ok((DeviceKey::from_pkcs8(&bytes)?, bytes))
    }

    /// A stored key pair.
    pub fn from_pkcs8(bytes: &[u8]) -> Result<DeviceKey, KeyError> {
        Ed25519KeyPair::from_pkcs8(bytes)
            .map(|pair| DeviceKey { pair })
            .map_err(|_| KeyError("not an Ed25519 PKCS#8 document"))
    }

    /// The public key, base64url (what an administrator enrols).
    pub fn public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.pair.public_key().as_ref())
    }

    /// [`device_id`] of the public key.
    pub fn id(&self) -> String {
        device_id(self.pair.public_key().as_ref())
    }

    /// The proof for redeeming `code_as_typed` after a sign-in that gave `challenge`; `None`
    /// when the code does not parse (the broker refuses it anyway).
    pub fn prove(&self, challenge: &str, code_as_typed: &str) -> Option<DeviceProof> {
        let code = Code::parse(code_as_typed).ok()?;
        let sig = self.pair.sign(&proof_message(challenge, &code));
        Some(DeviceProof {
            key: self.public_key(),
            signature: URL_SAFE_NO_PAD.encode(sig.as_ref()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proof_verifies_for_its_challenge_and_code_only() {
        let (key, doc) = DeviceKey::generate().unwrap();
        let again = DeviceKey::from_pkcs8(&doc).unwrap();
        assert_eq!(key.id(), again.id());
        assert_eq!(key.id().len(), 20);
        let proof = key.prove("challenge-1", "4060 r0gx").unwrap();
        // The code as typed and canonical agree.
        let (id, pk) = verify_proof(&proof, Some("challenge-1"), "4060R0GX").unwrap();
        assert_eq!(
            (id.as_str(), pk.as_str()),
            (key.id().as_str(), key.public_key().as_str())
        );
        // Another challenge, another code, no challenge: refused.
        assert_eq!(
            verify_proof(&proof, Some("challenge-2"), "4060R0GX"),
            Err(ProofError::Signature)
        );
        assert_eq!(
            verify_proof(&proof, Some("challenge-1"), "4060R0GY"),
            Err(ProofError::Signature)
        );
        assert_eq!(
            verify_proof(&proof, None, "4060R0GX"),
            Err(ProofError::NoChallenge)
        );
        // Someone else's key with this signature: refused.
        let (other, _) = DeviceKey::generate().unwrap();
        let forged = DeviceProof {
            key: other.public_key(),
            ..proof.clone()
        };
        assert_eq!(
            verify_proof(&forged, Some("challenge-1"), "4060R0GX"),
            Err(ProofError::Signature)
        );
        // Malformed fields.
        for (k, s) in [
            ("", ""),
            ("AAAA", &proof.signature[..]),
            (&proof.key[..], "AAAA"),
        ] {
            let bad = DeviceProof {
                key: k.to_owned(),
                signature: s.to_owned(),
            };
            assert!(verify_proof(&bad, Some("challenge-1"), "4060R0GX").is_err());
        }
        let huge = DeviceProof {
            key: "A".repeat(100_000),
            signature: proof.signature.clone(),
        };
        assert_eq!(
            verify_proof(&huge, Some("challenge-1"), "4060R0GX"),
            Err(ProofError::Key)
        );
        assert!(DeviceKey::from_pkcs8(b"not a key").is_err());
    }
}
