//! The crate's one error type, split by who is at fault.

/// Everything that can go wrong in the transport, split by fault:
/// malformed input from the network ([`Error::BadOffer`], [`Error::BadCandidate`]), a request
/// we do not serve ([`Error::Unsupported`]), a misbehaving peer ([`Error::Peer`]), a configured
/// limit reached ([`Error::Busy`]), API misuse ([`Error::Config`]), the OS ([`Error::Io`]) and a
/// stopped transport or session ([`Error::Closed`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Malformed or unusable SDP offer from the network (an HTTP `400` in WHEP).
    #[error("bad offer: {0}")]
    BadOffer(String),
    /// A trickled ICE candidate that cannot be used: malformed, an address nobody can send to,
    /// from another ICE session (`ufrag`), or one too many (an HTTP `400` in WHEP). One sentence
    /// in plain words; never the parser's detail.
    #[error("bad candidate: {0}")]
    BadCandidate(String),
    /// Something the viewer asked for that Glass does not do, such as an ICE restart (an HTTP
    /// `422` in WHEP): make a new offer instead.
    #[error("unsupported: {0}")]
    Unsupported(&'static str),
    /// The peer broke the protocol (bad control message, WebRTC failure caused by its input).
    #[error("peer error: {0}")]
    Peer(String),
    /// No room for another viewer: a limit of [`crate::TransportConfig`] is reached (an HTTP
    /// `503` with `Retry-After` in WHEP).
    #[error("busy: {reason}")]
    Busy {
        /// Which limit, in plain words (`"too many viewers"`, ...).
        reason: &'static str,
        /// When trying again makes sense.
        retry_after: std::time::Duration,
    },
    /// A configuration value out of range.
    #[error("invalid config: {field} = {value} (allowed: {allowed})")]
    Config {
        /// The field's name.
        field: &'static str,
        /// The rejected value.
        value: String,
        /// What would have been accepted.
        allowed: &'static str,
    },
    /// A socket or thread failure.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The transport (or the session) is shut down.
    #[error("transport closed")]
    Closed,
}
