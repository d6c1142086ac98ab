//! Audit events: who did what, from where, when. Emitted by the cores
//! ([`crate::code::CodeBook::poll_audit`], [`crate::machine::Output::Audit`]) at the moment
//! of the change they record, so a store can write the row with the change.
//!
//! Stored kinds are identified by [`AuditKind::code`]: fixed integers, never the declaration
//! order, so adding or reordering variants never renumbers stored rows. Chat text is audited
//! only where the tenant keeps transcripts ([`AuditKind::ChatSent::text`]).

use std::net::IpAddr;

use glass_protocol::{Client, EndReason, Level, Side};

use crate::ids::{SessionId, UserId};
use crate::policy::Stage;

/// Who acted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Actor {
    /// The helper (the user who issued the code).
    Helper(UserId),
    /// The sharer, or the user trying to redeem a code.
    Sharer(UserId),
    /// The broker itself: timeouts, expiry, shutdown.
    Broker,
}

/// Why a redemption was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// Wrong, expired or used code (one answer to the client).
    Invalid,
    /// This user is locked out.
    LockedUser,
    /// This source address is locked out.
    LockedAddress,
    /// The global failure budget is spent, or the failure tracker is full.
    Busy,
}

/// What a lockout applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LockScope {
    /// One user, wherever they come from.
    User,
    /// One source address (IPv4, or an IPv6 /64), whoever signs in from it.
    Address,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuditKind {
    /// A helper got a code.
    CodeIssued {
        /// Expiry, Unix ms.
        expires_at: u64,
    },
    /// A helper's live code was replaced by a new one, or withdrawn.
    CodeRevoked,
    /// A code was redeemed: the sharer is in.
    CodeRedeemed,
    /// A redemption was refused.
    CodeRefused {
        /// Why.
        reason: Refusal,
    },
    /// Too many failures: a lockout starts.
    LockedOut {
        /// User or address.
        scope: LockScope,
        /// End of the lockout, Unix ms.
        until: u64,
    },
    /// The organisation's policy refused an action (issuing, joining, a level), or ended a
    /// session or lowered its level (see `LevelChanged` / `SessionEnded` for those).
    PolicyRefused {
        /// Where: `issue_code`, `redeem_code` or `request`.
        stage: Stage,
        /// Why ([`crate::policy::RefusalReason::name`]).
        reason: &'static str,
        /// The refusing rule's name, for `reason: "rule"`.
        rule: Option<String>,
    },
    /// The sharer joined the session.
    SharerJoined {
        /// Agent or browser.
        client: Client,
    },
    /// The helper asked for a level; the sharer was asked.
    ConsentRequested {
        /// Request id.
        id: u64,
        /// Asked for.
        level: Level,
    },
    /// The sharer allowed.
    ConsentAllowed {
        /// Request id.
        id: u64,
        /// Granted.
        level: Level,
    },
    /// The sharer declined.
    ConsentDeclined {
        /// Request id.
        id: u64,
        /// Asked for.
        level: Level,
    },
    /// Nobody answered in time: declined.
    ConsentTimedOut {
        /// Request id.
        id: u64,
        /// Asked for.
        level: Level,
    },
    /// `full` asked of a web sharer: answered `not_supported` without asking.
    ConsentNotSupported {
        /// Request id.
        id: u64,
        /// Asked for.
        level: Level,
    },
    /// The policy stopped allowing a level while its request was pending: answered
    /// `forbidden` to both sides.
    ConsentForbidden {
        /// Request id.
        id: u64,
        /// Asked for.
        level: Level,
    },
    /// The level in force changed (a grant, or the sharer taking back control).
    LevelChanged {
        /// Before (`None`: nothing was granted yet).
        from: Option<Level>,
        /// After.
        to: Level,
    },
    /// The sharer paused.
    Paused,
    /// The sharer resumed.
    Resumed,
    /// A chat line was relayed.
    ChatSent {
        /// Its `seq`.
        seq: u64,
        /// Its text (normalised, as relayed) where the tenant keeps chat transcripts
        /// (`keep_chat_transcripts`); `None` otherwise, and then the text is nowhere in the
        /// trail.
        text: Option<String>,
    },
    /// A side's link was lost with several brokers: the session waits for it to resume.
    LinkLost {
        /// Whose.
        side: Side,
    },
    /// A side is back in the session on a new link (or its broker took the session over).
    LinkResumed {
        /// Whose.
        side: Side,
    },
    /// The session ended.
    SessionEnded {
        /// Why.
        reason: EndReason,
    },
}

impl AuditKind {
    /// The stored kind: a fixed integer per variant (1xx codes, 2xx joining, 3xx consent,
    /// 4xx level and pause, 5xx chat, 9xx end). Never renumber.
    pub fn code(&self) -> u16 {
        match self {
            AuditKind::CodeIssued { .. } => 100,
            AuditKind::CodeRevoked => 101,
            AuditKind::CodeRedeemed => 102,
            AuditKind::CodeRefused { .. } => 103,
            AuditKind::LockedOut { .. } => 104,
            AuditKind::PolicyRefused { .. } => 105,
            AuditKind::SharerJoined { .. } => 200,
            AuditKind::LinkLost { .. } => 201,
            AuditKind::LinkResumed { .. } => 202,
            AuditKind::ConsentRequested { .. } => 300,
            AuditKind::ConsentAllowed { .. } => 301,
            AuditKind::ConsentDeclined { .. } => 302,
            AuditKind::ConsentTimedOut { .. } => 303,
            AuditKind::ConsentNotSupported { .. } => 304,
            AuditKind::ConsentForbidden { .. } => 305,
            AuditKind::LevelChanged { .. } => 400,
            AuditKind::Paused => 401,
            AuditKind::Resumed => 402,
            AuditKind::ChatSent { .. } => 500,
            AuditKind::SessionEnded { .. } => 900,
        }
    }

    /// A stable snake_case name for logs.
    pub fn name(&self) -> &'static str {
        match self {
            AuditKind::CodeIssued { .. } => "code_issued",
            AuditKind::CodeRevoked => "code_revoked",
            AuditKind::CodeRedeemed => "code_redeemed",
            AuditKind::CodeRefused { .. } => "code_refused",
            AuditKind::LockedOut { .. } => "locked_out",
            AuditKind::PolicyRefused { .. } => "policy_refused",
            AuditKind::SharerJoined { .. } => "sharer_joined",
            AuditKind::LinkLost { .. } => "link_lost",
            AuditKind::LinkResumed { .. } => "link_resumed",
            AuditKind::ConsentRequested { .. } => "consent_requested",
            AuditKind::ConsentAllowed { .. } => "consent_allowed",
            AuditKind::ConsentDeclined { .. } => "consent_declined",
            AuditKind::ConsentTimedOut { .. } => "consent_timed_out",
            AuditKind::ConsentNotSupported { .. } => "consent_not_supported",
            AuditKind::ConsentForbidden { .. } => "consent_forbidden",
            AuditKind::LevelChanged { .. } => "level_changed",
            AuditKind::Paused => "paused",
            AuditKind::Resumed => "resumed",
            AuditKind::ChatSent { .. } => "chat_sent",
            AuditKind::SessionEnded { .. } => "session_ended",
        }
    }
}

/// One audit row: who, from where, what, when, in which session.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AuditEvent {
    /// When, Unix ms.
    pub at: u64,
    /// Who.
    pub who: Actor,
    /// From which address, where the core knows it (code redemption).
    pub from: Option<IpAddr>,
    /// Which session, once there is one.
    pub session: Option<SessionId>,
    /// What.
    pub what: AuditKind,
}

impl AuditEvent {
    /// [`AuditKind::code`] of `what`.
    pub fn code(&self) -> u16 {
        self.what.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind() -> Vec<AuditKind> {
        let (id, level) = (1, Level::Full);
        vec![
            AuditKind::CodeIssued { expires_at: 0 },
            AuditKind::CodeRevoked,
            AuditKind::CodeRedeemed,
            AuditKind::CodeRefused {
                reason: Refusal::Busy,
            },
            AuditKind::LockedOut {
                scope: LockScope::User,
                until: 0,
            },
            AuditKind::PolicyRefused {
                stage: Stage::Request,
                reason: "rule",
                rule: Some("office".into()),
            },
            AuditKind::SharerJoined {
                client: Client::Agent,
            },
            AuditKind::LinkLost { side: Side::Helper },
            AuditKind::LinkResumed { side: Side::Sharer },
            AuditKind::ConsentRequested { id, level },
            AuditKind::ConsentAllowed { id, level },
            AuditKind::ConsentDeclined { id, level },
            AuditKind::ConsentTimedOut { id, level },
            AuditKind::ConsentNotSupported { id, level },
            AuditKind::ConsentForbidden { id, level },
            AuditKind::LevelChanged {
                from: None,
                to: level,
            },
            AuditKind::Paused,
            AuditKind::Resumed,
            AuditKind::ChatSent {
                seq: 1,
                text: Some("hi".into()),
            },
            AuditKind::SessionEnded {
                reason: EndReason::Left,
            },
        ]
    }

    /// Pinned: these numbers are stored. Changing one is a data migration.
    #[test]
    fn codes_are_pinned() {
        let got: Vec<(&str, u16)> = every_kind().iter().map(|k| (k.name(), k.code())).collect();
        assert_eq!(
            got,
            [
                ("code_issued", 100),
                ("code_revoked", 101),
                ("code_redeemed", 102),
                ("code_refused", 103),
                ("locked_out", 104),
                ("policy_refused", 105),
                ("sharer_joined", 200),
                ("link_lost", 201),
                ("link_resumed", 202),
                ("consent_requested", 300),
                ("consent_allowed", 301),
                ("consent_declined", 302),
                ("consent_timed_out", 303),
                ("consent_not_supported", 304),
                ("consent_forbidden", 305),
                ("level_changed", 400),
                ("paused", 401),
                ("resumed", 402),
                ("chat_sent", 500),
                ("session_ended", 900),
            ]
        );
        let mut codes: Vec<u16> = got.iter().map(|(_, c)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), got.len(), "codes are unique");
    }
}
