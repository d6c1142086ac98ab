//! What becomes a row: the session core's events ([`glass_session::audit::AuditEvent`],
//! codes 1xx–5xx and 900) and the broker's own ([`BrokerEvent`], codes 6xx identity, 7xx
//! policy and devices, 8xx the audit trail itself), with the names of the people and devices
//! they refer to copied in, so history survives the deletion of a user or a device.
//!
//! Never stored: passwords or tokens, screen content, keystrokes; chat text only where the
//! tenant keeps transcripts.

use std::collections::HashMap;
use std::net::IpAddr;

use glass_session::audit::{Actor, AuditEvent, AuditKind, LockScope, Refusal};
use serde_json::{Value, json};

use super::chain::Entry;
use crate::accounts::Identity;

/// Who acted, with the name they had at the time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorRef {
    /// `helper`, `sharer`, `user`, `device`, `admin` or `broker`.
    pub kind: &'static str,
    /// Stable id.
    pub id: String,
    /// Name at the time.
    pub name: String,
}

impl ActorRef {
    /// A signed-in user acting outside a session (sign-in, sign-out).
    pub fn user(identity: &Identity) -> ActorRef {
        ActorRef {
            kind: "user",
            id: identity.user_id.clone(),
            name: identity.profile.name.clone(),
        }
    }

    /// An administrator (a CLI or API change).
    pub fn admin(id: impl Into<String>, name: impl Into<String>) -> ActorRef {
        ActorRef {
            kind: "admin",
            id: id.into(),
            name: name.into(),
        }
    }

    /// The broker itself (timers, jobs, reloads).
    pub fn broker() -> ActorRef {
        ActorRef {
            kind: "broker",
            id: "broker".into(),
            name: "broker".into(),
        }
    }
}

/// Why a sign-in failed (one answer to the client; the trail knows more). Never the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInFailure {
    /// Unknown user or wrong password (not told apart, even here).
    BadCredentials,
    /// Too many attempts from the address.
    RateLimited,
    /// The verifier queue was full.
    Busy,
}

/// The broker's own events (not the session core's).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BrokerEvent {
    /// A user signed in.
    SignedIn {
        /// `browser` (cookie) or `agent` (bearer token).
        client: &'static str,
        /// How: `password`, or the issuer for OIDC.
        method: String,
    },
    /// A sign-in was refused. `username` is what was typed (at most 64 characters kept).
    SignInFailed {
        /// What was typed as the user name.
        username: String,
        /// Why.
        reason: SignInFailure,
    },
    /// A user signed out.
    SignedOut,
    /// The policy file was (re)loaded.
    PolicyReloaded {
        /// Where from.
        source: String,
        /// A digest or version of what is now in force.
        version: String,
    },
    /// A policy reload was refused; the previous policy stays.
    PolicyRejected {
        /// Where from.
        source: String,
        /// What is wrong (file, line, field).
        error: String,
    },
    /// A device was enrolled.
    DeviceEnrolled {
        /// Device id.
        device_id: String,
        /// Its name at the time.
        device_name: String,
    },
    /// A device was removed.
    DeviceRemoved {
        /// Device id.
        device_id: String,
        /// Its name at the time.
        device_name: String,
    },
    /// A device's compliance was recorded.
    DeviceCompliance {
        /// Device id.
        device_id: String,
        /// Its name at the time.
        device_name: String,
        /// `compliant`, `not_compliant` or `unknown`.
        state: String,
        /// Reasons when not compliant.
        reasons: Vec<String>,
    },
    /// The prune job deleted rows older than the retention (written by the store, in the
    /// same transaction as the deletion).
    AuditPruned {
        /// Rows deleted.
        count: u64,
        /// The last deleted row's seq: the chain restarts after it.
        last_seq: i64,
        /// Its hash: the next row's `prev_hash`.
        last_hash: String,
    },
    /// Events that could not be written (queue full, database down past the retries): the
    /// trail records its own gap.
    AuditLost {
        /// Dropped at the queue since the last such record.
        dropped: u64,
        /// Failed at the database since the last such record.
        failed: u64,
    },
}

impl BrokerEvent {
    /// The stored kind: fixed per variant, in ranges no session code uses. Never renumber.
    pub fn code(&self) -> u16 {
        match self {
            BrokerEvent::SignedIn { .. } => 600,
            BrokerEvent::SignInFailed { .. } => 601,
            BrokerEvent::SignedOut => 602,
            BrokerEvent::PolicyReloaded { .. } => 700,
            BrokerEvent::PolicyRejected { .. } => 701,
            BrokerEvent::DeviceEnrolled { .. } => 710,
            BrokerEvent::DeviceRemoved { .. } => 711,
            BrokerEvent::DeviceCompliance { .. } => 712,
            BrokerEvent::AuditPruned { .. } => 800,
            BrokerEvent::AuditLost { .. } => 801,
        }
    }

    /// A stable snake_case name.
    pub fn name(&self) -> &'static str {
        match self {
            BrokerEvent::SignedIn { .. } => "signed_in",
            BrokerEvent::SignInFailed { .. } => "sign_in_failed",
            BrokerEvent::SignedOut => "signed_out",
            BrokerEvent::PolicyReloaded { .. } => "policy_reloaded",
            BrokerEvent::PolicyRejected { .. } => "policy_rejected",
            BrokerEvent::DeviceEnrolled { .. } => "device_enrolled",
            BrokerEvent::DeviceRemoved { .. } => "device_removed",
            BrokerEvent::DeviceCompliance { .. } => "device_compliance",
            BrokerEvent::AuditPruned { .. } => "audit_pruned",
            BrokerEvent::AuditLost { .. } => "audit_lost",
        }
    }

    fn detail(&self) -> Value {
        match self {
            BrokerEvent::SignedIn { client, method } => json!({"client": client, "method": method}),
            BrokerEvent::SignInFailed { username, reason } => {
                let reason = match reason {
                    SignInFailure::BadCredentials => "bad_credentials",
                    SignInFailure::RateLimited => "rate_limited",
                    SignInFailure::Busy => "busy",
                };
                let username: String = username.chars().take(64).collect();
                json!({"username": username, "reason": reason})
            }
            BrokerEvent::SignedOut => json!({}),
            BrokerEvent::PolicyReloaded { source, version } => {
                json!({"source": source, "version": version})
            }
            BrokerEvent::PolicyRejected { source, error } => {
                json!({"source": source, "error": error})
            }
            BrokerEvent::DeviceEnrolled {
                device_id,
                device_name,
            }
            | BrokerEvent::DeviceRemoved {
                device_id,
                device_name,
            } => json!({"device_id": device_id, "device_name": device_name}),
            BrokerEvent::DeviceCompliance {
                device_id,
                device_name,
                state,
                reasons,
            } => json!({"device_id": device_id, "device_name": device_name,
                        "state": state, "reasons": reasons}),
            BrokerEvent::AuditPruned {
                count,
                last_seq,
                last_hash,
            } => json!({"count": count, "last_seq": last_seq, "last_hash": last_hash}),
            BrokerEvent::AuditLost { dropped, failed } => {
                json!({"dropped": dropped, "failed": failed})
            }
        }
    }

    /// The row for this event.
    pub fn entry(
        &self,
        at_ms: u64,
        tenant: &str,
        actor: &ActorRef,
        source: Option<IpAddr>,
    ) -> Entry {
        Entry {
            at: clamp(at_ms),
            tenant: tenant.to_owned(),
            actor_kind: actor.kind.to_owned(),
            actor_id: actor.id.clone(),
            actor_name: actor.name.clone(),
            source: source.map(|ip| ip.to_canonical().to_string()),
            session: None,
            code: i64::from(self.code()),
            name: self.name().to_owned(),
            detail: self.detail().to_string(),
        }
    }
}

fn clamp(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}

fn text<T: serde::Serialize>(v: T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// The fields of a session event, as the detail's JSON.
pub fn session_detail(kind: &AuditKind) -> Value {
    match kind {
        AuditKind::CodeIssued { expires_at } => json!({"expires_at": expires_at}),
        AuditKind::CodeRefused { reason } => json!({"reason": match reason {
            Refusal::Invalid => "invalid",
            Refusal::LockedUser => "locked_user",
            Refusal::LockedAddress => "locked_address",
            Refusal::Busy => "busy",
        }}),
        AuditKind::LockedOut { scope, until } => json!({
            "scope": match scope { LockScope::User => "user", LockScope::Address => "address" },
            "until": until,
        }),
        AuditKind::SharerJoined { client } => json!({"client": text(client)}),
        AuditKind::LinkLost { side } | AuditKind::LinkResumed { side } => {
            json!({"side": text(side)})
        }
        AuditKind::ConsentRequested { id, level }
        | AuditKind::ConsentAllowed { id, level }
        | AuditKind::ConsentDeclined { id, level }
        | AuditKind::ConsentTimedOut { id, level }
        | AuditKind::ConsentNotSupported { id, level } => {
            json!({"id": id, "level": text(level)})
        }
        AuditKind::LevelChanged { from, to } => json!({"from": text(from), "to": text(to)}),
        // Without a kept text the detail is what it always was (`{"seq":N}`), so rows written
        // before transcripts existed and rows of tenants that keep none read alike.
        AuditKind::ChatSent { seq, text: None } => json!({"seq": seq}),
        AuditKind::ChatSent {
            seq,
            text: Some(text),
        } => json!({"seq": seq, "text": text}),
        AuditKind::SessionEnded { reason } => json!({"reason": text(reason)}),
        // CodeRevoked, Paused, Resumed, and kinds added later: the code and name say it all.
        _ => json!({}),
    }
}

/// A device taking part in a session (the native agent's device identity), for the
/// `sharer_joined` row and the reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRef {
    /// Device id.
    pub id: String,
    /// Its name at the time.
    pub name: String,
}

#[derive(Debug)]
struct Known {
    name: String,
    tenant: String,
    links: usize,
}

/// Most sessions remembered for their tenant at once (each live session is one).
const MAX_SESSIONS: usize = 1_000_000;

/// The names and tenants the hub's links carry, kept while a link is open (and until the
/// events of its closing are recorded), so session events can copy them into rows.
#[derive(Debug, Default)]
pub struct Directory {
    users: HashMap<String, Known>,
    /// Session id → the helper's tenant, from `code_issued` to `session_ended`.
    sessions: HashMap<u64, String>,
    /// Session id → the sharer's device, from `sharer_joined` to `session_ended`.
    devices: HashMap<u64, DeviceRef>,
}

impl Directory {
    /// A link for `identity` opened.
    pub fn link_opened(&mut self, identity: &Identity) {
        let known = self
            .users
            .entry(identity.user_id.clone())
            .or_insert_with(|| Known {
                name: String::new(),
                tenant: String::new(),
                links: 0,
            });
        known.name.clone_from(&identity.profile.name);
        known.tenant.clone_from(&identity.tenant);
        known.links += 1;
    }

    /// A link for `identity` closed (call after the events of its closing were recorded).
    pub fn link_closed(&mut self, identity: &Identity) {
        if let Some(known) = self.users.get_mut(&identity.user_id) {
            known.links = known.links.saturating_sub(1);
            if known.links == 0 {
                self.users.remove(&identity.user_id);
            }
        }
    }

    /// The sharer of session `id` uses `device` (call before the session's events drain).
    pub fn session_device(&mut self, session: u64, device: DeviceRef) {
        if self.devices.len() < MAX_SESSIONS {
            self.devices.insert(session, device);
        }
    }

    /// Session `session` of `tenant` lives here now (moved from another broker).
    pub fn session_moved_in(&mut self, session: u64, tenant: &str) {
        if self.sessions.len() < MAX_SESSIONS {
            self.sessions.insert(session, tenant.to_owned());
        }
    }

    fn actor(&self, who: &Actor) -> (ActorRef, Option<&str>) {
        let (kind, id) = match who {
            Actor::Helper(u) => ("helper", &u.0),
            Actor::Sharer(u) => ("sharer", &u.0),
            Actor::Broker => return (ActorRef::broker(), None),
        };
        let known = self.users.get(id);
        (
            ActorRef {
                kind,
                id: id.clone(),
                // A user whose every link is gone: the id is still there; the name is not
                // invented.
                name: known.map(|k| k.name.clone()).unwrap_or_default(),
            },
            known.map(|k| k.tenant.as_str()),
        )
    }

    /// The row for a session core event.
    pub fn entry(&mut self, event: &AuditEvent) -> Entry {
        let session = event.session.map(|s| s.0);
        let (actor, actor_tenant) = self.actor(&event.who);
        let tenant = actor_tenant
            .map(str::to_owned)
            .or_else(|| session.and_then(|s| self.sessions.get(&s).cloned()))
            .unwrap_or_default();
        let mut detail = session_detail(&event.what);
        match (&event.what, session) {
            (AuditKind::CodeIssued { .. }, Some(s)) if self.sessions.len() < MAX_SESSIONS => {
                self.sessions.insert(s, tenant.clone());
            }
            (AuditKind::SharerJoined { .. }, Some(s)) => {
                if let (Some(d), Value::Object(map)) = (self.devices.get(&s), &mut detail) {
                    map.insert("device_id".into(), Value::String(d.id.clone()));
                    map.insert("device_name".into(), Value::String(d.name.clone()));
                }
            }
            (AuditKind::SessionEnded { .. }, Some(s)) => {
                self.sessions.remove(&s);
                self.devices.remove(&s);
            }
            _ => {}
        }
        Entry {
            at: clamp(event.at),
            tenant,
            actor_kind: actor.kind.to_owned(),
            actor_id: actor.id,
            actor_name: actor.name,
            source: event.from.map(|ip| ip.to_canonical().to_string()),
            session: event.session.map(|s| s.to_string()),
            code: i64::from(event.code()),
            name: event.what.name().to_owned(),
            detail: detail.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Profile;
    use glass_protocol::{EndReason, Level};
    use glass_session::{SessionId, UserId};

    fn every_broker_event() -> Vec<BrokerEvent> {
        let s = String::new;
        vec![
            BrokerEvent::SignedIn {
                client: "browser",
                method: s(),
            },
            BrokerEvent::SignInFailed {
                username: s(),
                reason: SignInFailure::Busy,
            },
            BrokerEvent::SignedOut,
            BrokerEvent::PolicyReloaded {
                source: s(),
                version: s(),
            },
            BrokerEvent::PolicyRejected {
                source: s(),
                error: s(),
            },
            BrokerEvent::DeviceEnrolled {
                device_id: s(),
                device_name: s(),
            },
            BrokerEvent::DeviceRemoved {
                device_id: s(),
                device_name: s(),
            },
            BrokerEvent::DeviceCompliance {
                device_id: s(),
                device_name: s(),
                state: s(),
                reasons: vec![],
            },
            BrokerEvent::AuditPruned {
                count: 0,
                last_seq: 0,
                last_hash: s(),
            },
            BrokerEvent::AuditLost {
                dropped: 0,
                failed: 0,
            },
        ]
    }

    /// Pinned: these numbers are stored. Changing one is a data migration.
    #[test]
    fn codes_are_pinned() {
        let got: Vec<(&str, u16)> = every_broker_event()
            .iter()
            .map(|e| (e.name(), e.code()))
            .collect();
        assert_eq!(
            got,
            [
                ("signed_in", 600),
                ("sign_in_failed", 601),
                ("signed_out", 602),
                ("policy_reloaded", 700),
                ("policy_rejected", 701),
                ("device_enrolled", 710),
                ("device_removed", 711),
                ("device_compliance", 712),
                ("audit_pruned", 800),
                ("audit_lost", 801),
            ]
        );
        let mut codes: Vec<u16> = got.iter().map(|(_, c)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), got.len(), "codes are unique");
        // Never in the session core's ranges (1xx–5xx, 900).
        assert!(codes.iter().all(|c| (600..900).contains(c)));
        assert_eq!(
            i64::from(
                BrokerEvent::AuditPruned {
                    count: 0,
                    last_seq: 0,
                    last_hash: String::new()
                }
                .code()
            ),
            super::super::chain::PRUNED_CODE
        );
    }

    #[test]
    fn a_failed_sign_in_keeps_the_typed_name_short_and_nothing_else() {
        let e = BrokerEvent::SignInFailed {
            username: "x".repeat(500),
            reason: SignInFailure::BadCredentials,
        };
        let entry = e.entry(1, "local", &ActorRef::broker(), None);
        let v: Value = serde_json::from_str(&entry.detail).unwrap();
        assert_eq!(v["username"].as_str().unwrap().len(), 64);
        assert_eq!(v.as_object().unwrap().len(), 2);
    }

    #[test]
    fn names_outlive_the_link_until_its_events_are_recorded() {
        let ada = Identity::local(
            "local:ada",
            Profile {
                name: "Ada Lovelace".into(),
                ..Profile::default()
            },
            vec![],
        );
        let mut d = Directory::default();
        d.link_opened(&ada);
        let issued = AuditEvent {
            at: 5,
            who: Actor::Helper(UserId::new("local:ada")),
            from: None,
            session: Some(SessionId(0xab)),
            what: AuditKind::CodeIssued { expires_at: 9 },
        };
        let e = d.entry(&issued);
        assert_eq!(
            (
                e.actor_name.as_str(),
                e.tenant.as_str(),
                e.session.as_deref()
            ),
            ("Ada Lovelace", "local", Some("00000000000000ab"))
        );
        // The broker ends the session after the helper's link is gone: tenant still known.
        d.link_closed(&ada);
        let ended = AuditEvent {
            who: Actor::Broker,
            what: AuditKind::SessionEnded {
                reason: EndReason::Stopped,
            },
            ..issued.clone()
        };
        let e = d.entry(&ended);
        assert_eq!(
            (e.actor_kind.as_str(), e.tenant.as_str()),
            ("broker", "local")
        );
        assert_eq!(e.detail, r#"{"reason":"stopped"}"#);
        assert!(d.sessions.is_empty() && d.users.is_empty());
        let asked = AuditKind::ConsentRequested {
            id: 1,
            level: Level::Full,
        };
        assert_eq!(
            session_detail(&asked).to_string(),
            r#"{"id":1,"level":"full"}"#
        );
    }

    #[test]
    fn a_chat_row_holds_its_text_only_when_kept() {
        // Not kept: byte for byte the detail rows had before transcripts existed.
        let not_kept = AuditKind::ChatSent { seq: 3, text: None };
        assert_eq!(session_detail(&not_kept).to_string(), r#"{"seq":3}"#);
        let kept = AuditKind::ChatSent {
            seq: 4,
            text: Some("مرحبا \"👋\"\n".into()),
        };
        let detail = session_detail(&kept).to_string();
        let back: Value = serde_json::from_str(&detail).unwrap();
        assert_eq!(back["text"], "مرحبا \"👋\"\n");
        assert_eq!((back["seq"].as_u64(), kept.code()), (Some(4), 500));
    }
}
