//! The audit trail: every decision the broker and the session core make, stored in a real
//! database (SQLite file by default, PostgreSQL when configured), hash-chained so that
//! `glass audit verify` finds an edited, deleted or inserted row and names it, pruned after a
//! retention by a job that records what it pruned, and reported on per help session.
//!
//! - [`chain`]: canonical encoding, hashing and verification; pure, no SQL.
//! - [`event`]: what becomes a row (session events, the broker's own 6xx–8xx events) and the
//!   names copied into it.
//! - [`store`]: the SQL store (sqlx `Any`: one code path for both databases).
//! - [`writer`]: the non-blocking sink the hub calls and the batching writer task.
//! - [`outbox`]: where rows are durable before the broker acts on them (Redis, a spool).
//! - [`reports`]: sessions derived from rows, filters, CSV and JSON; chat transcripts.
//!
//! Rows never hold a password, a token, screen content or keystrokes; chat text only where
//! the tenant keeps transcripts (`keep_chat_transcripts`).
//! Design and numbers: `docs/audit.md`.

pub mod chain;
pub mod event;
pub(crate) mod http;
pub mod outbox;
pub mod reports;
pub mod store;
pub mod writer;

use std::net::IpAddr;
use std::time::Duration;

use glass_session::audit::{AuditEvent, AuditKind};

pub use chain::{Broken, Fault, Head, Summary};
pub use event::{ActorRef, BrokerEvent, DeviceRef, SignInFailure};
pub use store::{AuditStore, Pruned, StoreError};
pub use writer::{AuditSink, AuditStats, WriterConfig};

use crate::accounts::Identity;
use crate::auth::Principal;

/// Where the trail is stored: `sqlite://PATH?mode=rwc`, `sqlite::memory:` or
/// `postgres://USER:PASSWORD@HOST:PORT/DB`. Its `Debug` hides the password.
#[derive(Clone, PartialEq, Eq)]
pub struct DbUrl(pub String);

impl std::fmt::Debug for DbUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DbUrl({:?})", store::redact(&self.0))
    }
}

impl From<&str> for DbUrl {
    fn from(s: &str) -> DbUrl {
        DbUrl(s.to_owned())
    }
}

impl From<String> for DbUrl {
    fn from(s: String) -> DbUrl {
        DbUrl(s)
    }
}

/// Who may read reports, until the policy engine decides (`view_reports`). The default
/// refuses everyone.
pub type ReportAccess = fn(&Principal) -> bool;

/// The default [`ReportAccess`]: nobody.
pub fn nobody(_: &Principal) -> bool {
    false
}

/// The hub's side of the trail: the names its links carry, and the sink. Without a sink
/// (a hub built alone, in tests and fuzzing), events only go to the log.
#[derive(Debug, Default)]
pub struct HubAudit {
    directory: event::Directory,
    sink: Option<AuditSink>,
    /// The ticket of the last row recorded.
    ticket: u64,
}

impl HubAudit {
    /// Sends rows to `sink` from now on.
    pub fn set_sink(&mut self, sink: AuditSink) {
        self.sink = Some(sink);
    }

    /// A link for `identity` opened.
    pub fn link_opened(&mut self, identity: &Identity) {
        self.directory.link_opened(identity);
    }

    /// A link for `identity` closed (after its closing's events were recorded).
    pub fn link_closed(&mut self, identity: &Identity) {
        self.directory.link_closed(identity);
    }

    /// The sharer of `session` uses `device` (record before `sharer_joined` drains).
    pub fn session_device(&mut self, session: glass_session::SessionId, device: DeviceRef) {
        self.directory.session_device(session.0, device);
    }

    /// Session `session` of `tenant` moved here from another broker (its `code_issued` row,
    /// which would have told, was written there).
    pub fn session_moved_in(&mut self, session: glass_session::SessionId, tenant: &str) {
        self.directory.session_moved_in(session.0, tenant);
    }

    /// Whether a new session can be accepted now: the trail has room for its rows
    /// ([`AuditSink::has_room`]; always, without a sink). The hub refuses a new code with
    /// `busy` when it has not, so no session starts that could not be audited.
    pub fn has_room(&self) -> bool {
        self.sink.as_ref().is_none_or(AuditSink::has_room)
    }

    /// A session core event: logged (without chat text), and queued as a row.
    pub fn record(&mut self, event: &AuditEvent) {
        let logged = without_chat_text(event);
        tracing::info!(target: "glass::audit", code = event.code(), event = ?logged, "audit");
        let entry = self.directory.entry(event);
        if let Some(sink) = &self.sink {
            self.ticket = sink.record(entry);
        }
    }

    /// The ticket of the last row recorded: what the hub sends next waits for it
    /// ([`AuditSink::durable`]); 0 without a sink.
    pub fn ticket(&self) -> u64 {
        self.ticket
    }
}

/// `event` for the log: a kept chat line's text stays in the trail (where the tenant chose to
/// keep it, under its retention and `view_reports`) and never reaches the log, which has
/// neither; the log says how long it was.
fn without_chat_text(event: &AuditEvent) -> std::borrow::Cow<'_, AuditEvent> {
    match &event.what {
        AuditKind::ChatSent {
            seq,
            text: Some(text),
        } => std::borrow::Cow::Owned(AuditEvent {
            what: AuditKind::ChatSent {
                seq: *seq,
                text: Some(format!("<{} bytes kept>", text.len())),
            },
            ..event.clone()
        }),
        _ => std::borrow::Cow::Borrowed(event),
    }
}

/// The broker's handle on the trail, for the HTTP layer, jobs and tests.
#[derive(Clone)]
pub struct AuditHandle {
    /// The store (reads, prune, verify).
    pub store: AuditStore,
    /// The writer's queue.
    pub sink: AuditSink,
    pub(crate) access: ReportAccess,
    pub(crate) retention: Duration,
}

impl std::fmt::Debug for AuditHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditHandle")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl AuditHandle {
    /// Opens the store and starts the writer (on the current runtime).
    pub async fn start(
        url: &str,
        retention: Duration,
        access: ReportAccess,
    ) -> Result<AuditHandle, StoreError> {
        AuditHandle::start_with(url, retention, access, WriterConfig::default()).await
    }

    /// [`AuditHandle::start`] with the writer's queue and reserve of one's own.
    pub async fn start_with(
        url: &str,
        retention: Duration,
        access: ReportAccess,
        writer: WriterConfig,
    ) -> Result<AuditHandle, StoreError> {
        AuditHandle::start_with_outbox(url, retention, access, writer, None, "").await
    }

    /// [`AuditHandle::start_with`], rows durable in `outbox` (drained while broker `me`
    /// holds the lease) rather than committed to the trail before they count.
    pub async fn start_with_outbox(
        url: &str,
        retention: Duration,
        access: ReportAccess,
        writer: WriterConfig,
        outbox: Option<outbox::Outbox>,
        me: &str,
    ) -> Result<AuditHandle, StoreError> {
        let store = AuditStore::open(url).await?;
        let (sink, _task) = writer::spawn_writer_with(store.clone(), writer, outbox, me);
        Ok(AuditHandle {
            store,
            sink,
            access,
            retention,
        })
    }

    /// The writer's counters.
    pub fn stats(&self) -> AuditStats {
        self.sink.stats()
    }

    /// Waits until every row queued so far is written.
    pub async fn flush(&self) -> bool {
        self.sink.flush().await
    }

    /// At shutdown: [`AuditSink::flush_for_shutdown`], waiting at most 30 s for an
    /// unreachable database before giving up what it holds (counted, logged).
    pub async fn flush_for_shutdown(&self) -> bool {
        self.sink.flush_for_shutdown(Duration::from_secs(30)).await
    }

    /// A broker event, queued; returns its ticket ([`AuditSink::durable`]).
    pub fn record(
        &self,
        event: &BrokerEvent,
        tenant: &str,
        actor: &ActorRef,
        source: Option<IpAddr>,
    ) -> u64 {
        tracing::info!(target: "glass::audit", code = event.code(), name = event.name(),
            actor = %actor.id, "audit");
        self.sink
            .record(event.entry(now_ms(), tenant, actor, source))
    }

    /// A successful sign-in; returns its ticket.
    pub fn signed_in(&self, identity: &Identity, client: &'static str, ip: IpAddr) -> u64 {
        self.record(
            &BrokerEvent::SignedIn {
                client,
                method: "password".into(),
            },
            &identity.tenant,
            &ActorRef::user(identity),
            Some(ip),
        )
    }

    /// A refused sign-in (never the password); returns its ticket.
    pub fn sign_in_failed(&self, username: &str, reason: SignInFailure, ip: IpAddr) -> u64 {
        let typed: String = username.chars().take(64).collect();
        self.record(
            &BrokerEvent::SignInFailed {
                username: typed.clone(),
                reason,
            },
            "",
            &ActorRef {
                kind: "user",
                id: String::new(),
                name: typed,
            },
            Some(ip),
        )
    }

    /// One run of the prune job at `now_ms` (the caller's clock): deletes what is older than
    /// the retention, records it, and logs the head (an anchor outside the database).
    pub async fn prune(&self, now_ms: i64) -> Result<Option<Pruned>, StoreError> {
        let pruned = self.store.prune(now_ms, self.retention).await?;
        if let Some(p) = &pruned {
            tracing::info!(target: "glass::audit", count = p.count, last_seq = p.last_seq,
                record_seq = p.record_seq, "audit pruned");
        }
        let head = self.store.head().await?;
        // Copy these lines somewhere the database's administrators cannot write:
        // `glass audit verify --expect SEQ:HASH` then proves nothing before them changed.
        tracing::info!(target: "glass::audit", head_seq = head.seq, head_hash = %head.hash,
            "audit head");
        Ok(pruned)
    }
}

/// Runs the prune job every `every` until aborted.
pub(crate) async fn prune_job(audit: AuditHandle, every: Duration) {
    let mut interval = tokio::time::interval(every);
    loop {
        interval.tick().await;
        let now = i64::try_from(now_ms()).unwrap_or(i64::MAX);
        if let Err(e) = audit.prune(now).await {
            tracing::error!(target: "glass::audit", error = %e, "audit prune failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use glass_session::audit::Actor;

    #[test]
    fn kept_chat_text_never_reaches_the_log() {
        let event = AuditEvent {
            at: 1,
            who: Actor::Broker,
            from: None,
            session: None,
            what: AuditKind::ChatSent {
                seq: 7,
                text: Some("my password is hunter2".into()),
            },
        };
        let logged = format!("{:?}", without_chat_text(&event));
        assert!(!logged.contains("hunter2"), "{logged}");
        assert!(
            logged.contains("seq: 7") && logged.contains("<22 bytes kept>"),
            "{logged}"
        );
        let not_kept = AuditEvent {
            what: AuditKind::ChatSent { seq: 8, text: None },
            ..event
        };
        assert!(matches!(
            without_chat_text(&not_kept),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
