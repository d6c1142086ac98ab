//! The crate's one error type, composed of the module errors and split by who is at fault.

use glass_protocol::ErrorCode;

use crate::chat::ChatError;
use crate::code::{IssueError, RedeemError};
use crate::consent::GateError;
use crate::machine::SessionError;

/// A configuration value out of range (API misuse, found once at construction).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid config: {field} = {value} (allowed: {allowed})")]
pub struct ConfigError {
    /// The field's name.
    pub field: &'static str,
    /// The rejected value.
    pub value: String,
    /// What would have been accepted.
    pub allowed: &'static str,
}

impl ConfigError {
    pub(crate) fn new(field: &'static str, value: String, allowed: &'static str) -> Self {
        ConfigError {
            field,
            value,
            allowed,
        }
    }
}

/// Everything that can go wrong in this crate, by fault:
/// - the remote user or their client: [`Error::Redeem`] (wrong code, lockouts, budget),
///   [`Error::Session`] (wrong state or role: a misbehaving or racing peer),
///   [`Error::Chat`] (malformed chat text);
/// - capacity or the OS: [`Error::Issue`];
/// - the local caller: [`Error::Gate`] (a local action that does not apply now),
///   [`Error::Config`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A redemption was refused.
    #[error(transparent)]
    Redeem(#[from] RedeemError),
    /// A session event was refused.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// Chat text was refused.
    #[error(transparent)]
    Chat(#[from] ChatError),
    /// A code could not be issued.
    #[error(transparent)]
    Issue(#[from] IssueError),
    /// A local consent-gate action does not apply now.
    #[error(transparent)]
    Gate(#[from] GateError),
    /// A configuration value is out of range.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

impl Error {
    /// The `error` code to send to the client, for the errors a client caused or must hear
    /// about; `None` for local ones (gate, config).
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Error::Redeem(e) => Some(e.code()),
            Error::Session(e) => Some(e.code()),
            Error::Chat(e) => Some(e.code()),
            Error::Issue(e) => Some(e.code()),
            Error::Gate(_) | Error::Config(_) => None,
        }
    }
}
