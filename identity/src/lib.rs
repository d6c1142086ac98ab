//! Glass identity: who signed in, proven by an OpenID Connect issuer's signature.
//!
//! Sans-IO: nothing here opens a socket or reads the clock. The broker (and next, the
//! sharer's agent, which checks the helper's token itself instead of trusting the broker)
//! fetches the issuer's JWKS when [`KeyCache::poll_refresh`] says so, feeds the body to
//! [`KeyCache::handle_jwks`], and verifies tokens against the cached set with `now`.
//!
//! ```no_run
//! use std::time::{Instant, SystemTime};
//! use glass_identity::{CacheConfig, IdentityMapping, IssuerPolicy, KeyCache, VerifyError};
//!
//! # fn fetch(_: &str) -> Result<Vec<u8>, ()> { Ok(Vec::new()) }
//! # fn run(id_token: &str, nonce: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let policy = IssuerPolicy::new("https://login.example.com", "glass", &["RS256"])?;
//! let mapping = IdentityMapping { tenant: "example".into(), ..Default::default() };
//! let mut cache = KeyCache::new(CacheConfig::default());
//! for _attempt in 0..2 {
//!     let now = Instant::now();
//!     while cache.poll_refresh(now) {
//!         match fetch("https://login.example.com/jwks") {
//!             Ok(body) => { let _ = cache.handle_jwks(now, &body); }
//!             Err(()) => cache.handle_fetch_failed(now),
//!         }
//!     }
//!     let Some(keys) = cache.keys() else { break };
//!     match glass_identity::verify_id_token(id_token, &policy, keys, SystemTime::now(), Some(nonce)) {
//!         Ok(claims) => {
//!             let person = glass_identity::identify(&claims, &mapping)?;
//!             println!("{} ({})", person.card.name, person.user_id);
//!             break;
//!         }
//!         // A key we have not seen: refresh (rate-limited) and try once more.
//!         Err(VerifyError::UnknownKey { .. }) => cache.handle_unknown_kid(now),
//!         Err(e) => return Err(e.into()),
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! ## Design
//! - [`jwks`]: a JWKS document → verification keys by `kid` (RSA ≥ 2048 bits, P-256, P-384,
//!   Ed25519; never symmetric keys).
//! - [`cache`]: when to fetch; rotation survives, the last good set is kept while the issuer
//!   is down or serves garbage, unknown `kid`s refetch at most every 30 s.
//! - [`verify`]: signature with `alg` pinned to what the issuer advertises, `iss`, `aud`,
//!   `azp`, `exp`/`nbf`/`iat` with 60 s leeway, `nonce`; a typed error names the failed check.
//! - [`binding`]: the helper's DTLS fingerprint in the sign-in's nonce, so a verified token
//!   names the one media connection the sharer's agent may answer.
//! - [`person`]: claims → stable id (issuer + subject; Entra `tid` + `oid`), tenant, groups,
//!   `amr` and the card with "vouched by the issuer" marks.
//!
//! Rationale and configuration: `docs/identity.md`.
//!
//! ## Errors and panics
//! Every refusal is a typed error for the log; callers answer clients with one generic
//! failure. A panic is a bug: no token, JWKS or claim value can cause one (fuzzed:
//! `fuzz/fuzz_targets/id_token.rs`). Inputs are bounded before they are parsed.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod binding;
pub mod cache;
#[doc(hidden)]
pub mod fuzzing;
pub mod jwks;
pub mod person;
pub mod verify;

#[cfg(test)]
mod test_keys;

pub use binding::{BindingError, DtlsFingerprint, FingerprintHash};
pub use cache::{CacheConfig, KeyCache};
pub use jsonwebtoken::Algorithm;
pub use jwks::{JwksError, Key, KeyKind, KeySet};
pub use person::{IdentityError, IdentityMapping, Person, identify};
pub use verify::{
    IssuerPolicy, MAX_TOKEN_BYTES, PolicyError, VerifiedClaims, VerifyError, verify_id_token,
};

/// Any refusal of this crate, split by module.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The issuer's key set was not usable.
    #[error("JWKS: {0}")]
    Jwks(#[from] JwksError),
    /// The token was refused.
    #[error("ID token: {0}")]
    Token(#[from] VerifyError),
    /// The claims make no identity here.
    #[error("identity: {0}")]
    Identity(#[from] IdentityError),
    /// The issuer's configuration cannot verify tokens.
    #[error("issuer policy: {0}")]
    Policy(#[from] PolicyError),
}
