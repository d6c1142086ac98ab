//! Who and which session.

use std::fmt;

/// The broker's stable user id (for local accounts `local:<name>`). Opaque here.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserId(pub String);

impl UserId {
    /// Wraps an id.
    pub fn new(id: impl Into<String>) -> UserId {
        UserId(id.into())
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A session's id: 64 random bits, drawn when the code is issued (so ids reveal nothing
/// about how many sessions there were). Shown as 16 hex digits (`joined.session`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SessionId(pub u64);

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// What a redeemed code leads to: the helper's session.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SessionKey {
    /// The session.
    pub id: SessionId,
    /// The helper who issued the code.
    pub helper: UserId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_id_is_16_hex_digits() {
        assert_eq!(SessionId(0xab).to_string(), "00000000000000ab");
        assert_eq!(SessionId(u64::MAX).to_string(), "ffffffffffffffff");
    }
}
