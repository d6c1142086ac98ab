//! The crate's error type, split by who is at fault.

/// Errors from encoders, decoders and bitstream parsers.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A configuration value is out of range (API misuse, caught when the config is built).
    #[error("invalid encoder config: {field} = {value} ({allowed})")]
    InvalidConfig {
        /// The field's name.
        field: &'static str,
        /// The value given.
        value: String,
        /// What is allowed.
        allowed: &'static str,
    },
    /// A frame or call does not fit the codec's state (API misuse).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A bitstream that came from outside (network, file) is malformed.
    #[error("malformed bitstream: {0}")]
    Malformed(&'static str),
    /// The requested backend does not exist on this machine (no hardware encoder, wrong OS).
    #[error("{backend} unavailable: {reason}")]
    Unavailable {
        /// Backend name.
        backend: &'static str,
        /// Why.
        reason: String,
    },
    /// The backend (library or OS framework) reported a failure.
    #[error("{backend} failed: {message}")]
    Backend {
        /// Backend name.
        backend: &'static str,
        /// What it said.
        message: String,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
