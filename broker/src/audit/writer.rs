//! The broker's writer: the hub hands rows to an [`AuditSink`] without blocking (a bounded
//! queue), one task writes them in batches, one transaction a batch.
//!
//! A database that cannot be reached (down, restarting, the network to it cut) is an outage:
//! the batch is held and retried with backoff for as long as it takes, while new rows wait in
//! the queue behind it, in order. Memory is the bound, not a retry count: an outage of any
//! length whose rows fit in the queue loses nothing. Before the queue is full,
//! [`AuditSink::has_room`] turns false (a reserve is kept for the sessions already running),
//! so the hub can refuse new sessions it could not audit. A row that still finds the queue
//! full is refused: counted (`dropped`), logged as an error with its content, and recorded in
//! the trail itself (`audit_lost`) once the database takes rows again. A database that
//! answers but refuses a batch (a constraint, a bad value) is retried a bounded number of
//! times, then its rows count as `failed`, logged and recorded the same way. Nothing is lost
//! silently. See `docs/audit.md`, "When the database is down".

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::chain::Entry;
use super::event::{ActorRef, BrokerEvent};
use super::store::{AuditStore, StoreError};

/// The writer's settings.
#[derive(Debug, Clone)]
pub struct WriterConfig {
    /// Rows queued at most; past this, rows are dropped (counted and logged).
    pub capacity: usize,
    /// Free places kept for the sessions already running: with fewer free than this,
    /// [`AuditSink::has_room`] is false and new sessions should be refused.
    pub reserve: usize,
    /// Rows per transaction at most.
    pub max_batch: usize,
    /// First wait after a failed write; doubles each time.
    pub retry_initial: Duration,
    /// Longest wait between attempts.
    pub retry_max: Duration,
    /// Attempts per batch the database refuses (it answered with an error that is not about
    /// being unreachable) before its rows count as failed. While the database cannot be
    /// reached, the batch is retried without limit.
    pub attempts: u32,
}

impl Default for WriterConfig {
    fn default() -> Self {
        WriterConfig {
            capacity: 65_536,
            // A help session writes about ten rows: 4,096 places let ~400 running sessions
            // end, audited, while new ones are refused.
            reserve: 4_096,
            max_batch: 1_000,
            retry_initial: Duration::from_millis(100),
            retry_max: Duration::from_secs(10),
            // A refused batch: 0.1 + 0.2 + … + 6.4 s, about 13 s of holding it.
            attempts: 8,
        }
    }
}

/// The writer's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditStats {
    /// Rows committed.
    pub written: u64,
    /// Rows refused at a full (or closed) queue.
    pub dropped: u64,
    /// Rows given up on after the retries.
    pub failed: u64,
    /// Failed attempts that were retried.
    pub retries: u64,
    /// Transactions committed.
    pub batches: u64,
    /// Rows waiting now: queued, and in the batch being written (a gauge).
    pub queued: u64,
    /// The database cannot be reached now: a batch is held and retried (a gauge, 0 or 1).
    pub outage: u64,
}

#[derive(Debug, Default)]
struct Counters {
    written: AtomicU64,
    dropped: AtomicU64,
    failed: AtomicU64,
    retries: AtomicU64,
    batches: AtomicU64,
    /// Rows in the batch being written.
    writing: AtomicU64,
    outage: AtomicU64,
    /// Set at shutdown when the database is still unreachable: held rows are given up
    /// (counted `failed`, each logged) instead of waited for.
    give_up: std::sync::atomic::AtomicBool,
}

#[derive(Debug)]
enum Msg {
    Row(Entry),
    Flush(oneshot::Sender<()>),
}

/// Where the hub (and the HTTP layer) put rows: cheap to clone, never blocks.
#[derive(Debug, Clone)]
pub struct AuditSink {
    tx: mpsc::Sender<Msg>,
    counters: Arc<Counters>,
    reserve: usize,
}

fn log_lost(why: &str, e: &Entry) {
    // The whole row goes to the error log: it holds no secret (rows never do), and a kept
    // chat line's text is replaced by its length (the log is not the trail).
    tracing::error!(
        target: "glass::audit",
        code = e.code, name = %e.name, at = e.at, tenant = %e.tenant,
        actor_kind = %e.actor_kind, actor_id = %e.actor_id, actor_name = %e.actor_name,
        source = ?e.source, session = ?e.session, detail = %loggable_detail(e),
        "audit row not stored: {why}"
    );
}

/// A row's detail for the log: a `chat_sent` row's kept text becomes `<N bytes kept>`.
fn loggable_detail(e: &Entry) -> std::borrow::Cow<'_, str> {
    if e.code == 500
        && let Ok(mut detail) = serde_json::from_str::<serde_json::Value>(&e.detail)
        && let Some(len) = detail.get("text").and_then(|t| t.as_str()).map(str::len)
    {
        detail["text"] = format!("<{len} bytes kept>").into();
        return std::borrow::Cow::Owned(detail.to_string());
    }
    std::borrow::Cow::Borrowed(&e.detail)
}

impl AuditSink {
    /// Queues a row. A full queue refuses it: counted (`dropped`), logged as an error with
    /// the row, and recorded as `audit_lost` once the database takes rows again.
    pub fn record(&self, entry: Entry) {
        if let Err(e) = self.tx.try_send(Msg::Row(entry)) {
            self.counters.dropped.fetch_add(1, Ordering::Relaxed);
            let (why, msg) = match e {
                mpsc::error::TrySendError::Full(m) => ("queue full", m),
                mpsc::error::TrySendError::Closed(m) => ("writer stopped", m),
            };
            if let Msg::Row(entry) = msg {
                log_lost(why, &entry);
            }
        }
    }

    /// Waits until every row queued before this call is written (or given up on). `false`:
    /// the writer is gone.
    pub async fn flush(&self) -> bool {
        let (tx, rx) = oneshot::channel();
        if self.tx.send(Msg::Flush(tx)).await.is_err() {
            return false;
        }
        rx.await.is_ok()
    }

    /// Whether a new session can be accepted: the queue has more free places than the
    /// reserve kept for the sessions already running (and the writer runs). False during a
    /// database outage long enough to fill the queue; true again as soon as it drains.
    pub fn has_room(&self) -> bool {
        !self.tx.is_closed() && self.tx.capacity() > self.reserve
    }

    /// Rows queued and not yet handed to the writer.
    fn queue_len(&self) -> u64 {
        (self.tx.max_capacity() - self.tx.capacity()) as u64
    }

    /// For shutdown: waits up to `within` for every row queued so far to be written; if the
    /// database is still unreachable then, the rows held and queued are given up (counted
    /// `failed`, each logged as an error with its content) so the broker can exit. `true`:
    /// all were written.
    pub async fn flush_for_shutdown(&self, within: Duration) -> bool {
        if let Ok(done) = tokio::time::timeout(within, self.flush()).await {
            return done && self.stats().failed == 0;
        }
        tracing::error!(target: "glass::audit", rows = self.stats().queued,
            "audit database still unreachable at shutdown: the held rows are given up");
        self.counters.give_up.store(true, Ordering::Relaxed);
        self.flush().await;
        false
    }

    /// The counters now.
    pub fn stats(&self) -> AuditStats {
        let c = &self.counters;
        AuditStats {
            written: c.written.load(Ordering::Relaxed),
            dropped: c.dropped.load(Ordering::Relaxed),
            failed: c.failed.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            batches: c.batches.load(Ordering::Relaxed),
            queued: self.queue_len() + c.writing.load(Ordering::Relaxed),
            outage: c.outage.load(Ordering::Relaxed),
        }
    }
}

/// Starts the writer task on the current runtime. It ends when every sink is dropped, after
/// writing what was queued.
pub fn spawn_writer(
    store: AuditStore,
    config: WriterConfig,
) -> (AuditSink, tokio::task::JoinHandle<()>) {
    let (tx, rx) = mpsc::channel(config.capacity.max(1));
    let counters = Arc::new(Counters::default());
    let sink = AuditSink {
        tx,
        counters: counters.clone(),
        reserve: config.reserve.min(config.capacity.saturating_sub(1)),
    };
    let task = tokio::spawn(run(store, config, rx, counters));
    (sink, task)
}

fn unix_ms_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

async fn run(
    store: AuditStore,
    config: WriterConfig,
    mut rx: mpsc::Receiver<Msg>,
    counters: Arc<Counters>,
) {
    // Losses already recorded in the trail.
    let (mut told_dropped, mut told_failed) = (0u64, 0u64);
    let max_batch = config.max_batch.max(1);
    while let Some(first) = rx.recv().await {
        let mut batch = Vec::new();
        let mut flushes = Vec::new();
        let mut next = Some(first);
        while let Some(m) = next.take() {
            match m {
                Msg::Row(e) => batch.push(e),
                Msg::Flush(done) => flushes.push(done),
            }
            if batch.len() >= max_batch {
                break;
            }
            next = rx.try_recv().ok();
        }
        let dropped = counters.dropped.load(Ordering::Relaxed);
        let failed = counters.failed.load(Ordering::Relaxed);
        let lost = (dropped > told_dropped || failed > told_failed).then(|| {
            BrokerEvent::AuditLost {
                dropped: dropped - told_dropped,
                failed: failed - told_failed,
            }
            .entry(unix_ms_now(), "", &ActorRef::broker(), None)
        });
        if let Some(lost) = &lost {
            batch.push(lost.clone());
        }
        if !batch.is_empty() {
            counters
                .writing
                .store(batch.len() as u64, Ordering::Relaxed);
            let written = write(&store, &config, &batch, &counters).await;
            counters.writing.store(0, Ordering::Relaxed);
            match written {
                Ok(()) => {
                    counters
                        .written
                        .fetch_add(batch.len() as u64, Ordering::Relaxed);
                    counters.batches.fetch_add(1, Ordering::Relaxed);
                    if lost.is_some() {
                        (told_dropped, told_failed) = (dropped, failed);
                    }
                }
                Err(e) => {
                    // The `audit_lost` row is not a lost event: it is rebuilt next time.
                    let real = batch.len() - usize::from(lost.is_some());
                    counters.failed.fetch_add(real as u64, Ordering::Relaxed);
                    tracing::error!(target: "glass::audit", error = %e, rows = real,
                        "audit batch given up after {} attempts", config.attempts);
                    for entry in &batch[..real] {
                        log_lost("database failed", entry);
                    }
                }
            }
        }
        for done in flushes {
            let _ = done.send(());
        }
    }
}

/// The longest sleep between checks of the shutdown's give-up.
const SLICE: Duration = Duration::from_millis(100);

/// Whether `e` means the database cannot be reached (down, restarting, a connection that
/// died, no connection in time) rather than that it refused the batch. An outage is waited
/// out; a refusal is retried [`WriterConfig::attempts`] times.
fn is_outage(e: &StoreError) -> bool {
    let sql = match e {
        StoreError::Database(sql) | StoreError::Unconfirmed { source: sql, .. } => sql,
        _ => return false,
    };
    match sql {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        // SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57 operator
        // intervention (admin shutdown, cannot connect now), 40 a serialisation failure or a
        // deadlock (the transaction may simply be run again).
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|c| ["08", "53", "57", "40"].iter().any(|k| c.starts_with(k))),
        _ => false,
    }
}

async fn write(
    store: &AuditStore,
    config: &WriterConfig,
    batch: &[Entry],
    counters: &Counters,
) -> Result<(), StoreError> {
    let mut wait = config.retry_initial;
    let mut refusals = 0;
    // Set when a commit's answer was lost: the batch may be stored already, right after
    // this seq; the next attempt looks before appending it again.
    let mut unconfirmed = None;
    let mut outage_since: Option<std::time::Instant> = None;
    loop {
        if counters.give_up.load(Ordering::Relaxed) && counters.outage.load(Ordering::Relaxed) == 1
        {
            // Shutting down with the database still unreachable: not tried again.
            return Err(StoreError::Abandoned);
        }
        let result = store.append_once(batch, unconfirmed).await;
        let e = match result {
            Ok(_) => {
                if let Some(since) = outage_since {
                    counters.outage.store(0, Ordering::Relaxed);
                    tracing::warn!(target: "glass::audit", rows = batch.len(),
                        "audit database back after {:?}; held rows written", since.elapsed());
                }
                return Ok(());
            }
            Err(e) => e,
        };
        if let StoreError::Unconfirmed { after, .. } = &e {
            unconfirmed = Some(*after);
        }
        if is_outage(&e) {
            if outage_since.is_none() {
                outage_since = Some(std::time::Instant::now());
                counters.outage.store(1, Ordering::Relaxed);
                tracing::error!(target: "glass::audit", error = %e, rows = batch.len(),
                    "audit database unreachable: rows held and queued until it is back");
            }
        } else {
            refusals += 1;
            if refusals >= config.attempts.max(1) {
                counters.outage.store(0, Ordering::Relaxed);
                return Err(e);
            }
        }
        counters.retries.fetch_add(1, Ordering::Relaxed);
        tracing::warn!(target: "glass::audit", error = %e, refusals,
            "audit write failed; retrying in {wait:?}");
        // In slices, so a shutdown's give-up is not kept waiting.
        let until = tokio::time::Instant::now() + wait;
        while tokio::time::Instant::now() < until && !counters.give_up.load(Ordering::Relaxed) {
            tokio::time::sleep_until(until.min(tokio::time::Instant::now() + SLICE)).await;
        }
        wait = (wait * 2).min(config.retry_max);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        BrokerEvent::SignedOut.entry(1, "local", &ActorRef::broker(), None)
    }

    #[test]
    fn a_lost_chat_rows_text_is_not_logged() {
        let mut chat = entry();
        chat.code = 500;
        chat.detail = r#"{"seq":3,"text":"hunter2"}"#.into();
        assert_eq!(
            loggable_detail(&chat),
            r#"{"seq":3,"text":"<7 bytes kept>"}"#
        );
        chat.detail = r#"{"seq":3}"#.into();
        assert_eq!(loggable_detail(&chat), r#"{"seq":3}"#);
        assert_eq!(loggable_detail(&entry()), entry().detail);
    }

    #[tokio::test]
    async fn a_full_queue_refuses_new_sessions_first_and_counts_what_it_drops() {
        // A writer stuck on an outage: nothing leaves the queue of 10.
        let (tx, _rx) = mpsc::channel(10);
        let sink = AuditSink {
            tx,
            counters: Arc::default(),
            reserve: 3,
        };
        let mut room = Vec::new();
        for _ in 0..12 {
            room.push(sink.has_room());
            sink.record(entry());
        }
        // Room for new sessions while more than the reserve is free (7 rows queued), then
        // none: the last 3 places are for the sessions already running.
        assert_eq!(room.iter().filter(|r| **r).count(), 7, "{room:?}");
        assert!(room[..7].iter().all(|r| *r) && !room[7]);
        let s = sink.stats();
        assert_eq!((s.queued, s.dropped), (10, 2), "{s:?}");
        assert!(!sink.has_room());
    }

    #[tokio::test]
    async fn a_stopped_writer_has_no_room() {
        let (tx, rx) = mpsc::channel(10);
        drop(rx);
        let sink = AuditSink {
            tx,
            counters: Arc::default(),
            reserve: 3,
        };
        assert!(!sink.has_room());
        sink.record(entry());
        assert_eq!(sink.stats().dropped, 1);
    }

    #[test]
    fn an_unreachable_database_is_an_outage_and_a_refusal_is_not() {
        let io = || std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(is_outage(&StoreError::Database(sqlx::Error::Io(io()))));
        assert!(is_outage(&StoreError::Database(sqlx::Error::PoolTimedOut)));
        assert!(is_outage(&StoreError::Unconfirmed {
            after: 3,
            source: sqlx::Error::Io(io()),
        }));
        assert!(!is_outage(&StoreError::Database(sqlx::Error::RowNotFound)));
        assert!(!is_outage(&StoreError::Corrupt {
            after: 1,
            reason: "x".into()
        }));
    }

    #[tokio::test]
    async fn rows_are_written_in_batches_and_losses_are_recorded() {
        let store = AuditStore::open("sqlite::memory:").await.unwrap();
        let (sink, task) = spawn_writer(store.clone(), WriterConfig::default());
        // Pretend two rows were dropped earlier: the next batch records it.
        sink.counters.dropped.fetch_add(2, Ordering::Relaxed);
        for _ in 0..10 {
            sink.record(entry());
        }
        assert!(sink.flush().await);
        let s = sink.stats();
        assert_eq!((s.written, s.failed), (11, 0));
        let mut names = Vec::new();
        let head = store
            .walk(|_, rows| {
                names.extend(rows.iter().map(|r| r.entry.name.clone()));
                std::ops::ControlFlow::Continue(())
            })
            .await
            .unwrap();
        assert_eq!(head.seq, 11);
        assert_eq!(names.last().map(String::as_str), Some("audit_lost"));
        assert!(store.verify(None).await.unwrap().is_ok());
        drop(sink);
        task.await.unwrap();
    }
}
