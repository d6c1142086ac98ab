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
//!
//! Every row accepted gets a ticket (1, 2, 3… in queue order), and the writer publishes the
//! highest ticket that is durable: committed to the trail, or, with an [`Outbox`], in the
//! outbox. The hub's messages carry the ticket of the last row recorded before them and
//! wait for it ([`AuditSink::durable`]): a decision takes effect (the peer learns of it) only
//! once its row cannot be lost, even if the broker is killed the next instant. With an
//! outbox, a second task moves the outbox into the trail ([`super::outbox`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::{Notify, mpsc, oneshot, watch};

use super::chain::Entry;
use super::event::{ActorRef, BrokerEvent};
use super::outbox::{Outbox, OutboxError, Stored};
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
    /// Rows in the outbox, durable and not yet in the trail (every broker's, as last seen;
    /// a gauge; 0 without an outbox).
    pub backlog: u64,
    /// Rows accepted (the last ticket handed out).
    pub accepted: u64,
    /// Rows durable (the last durable ticket).
    pub durable: u64,
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
    backlog: AtomicU64,
    /// Set at shutdown when the database is still unreachable: held rows are given up
    /// (counted `failed`, each logged) instead of waited for.
    give_up: std::sync::atomic::AtomicBool,
    /// Set at shutdown once everything is durable: the drainer finishes its batch, gives
    /// its lease up and ends.
    stop_draining: std::sync::atomic::AtomicBool,
}

// Rows are nearly every message: boxing them would allocate once more per row to make the
// rare flush smaller.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
enum Msg {
    /// A row and its ticket.
    Row(u64, Entry),
    /// Answer once every row queued before is in the trail (`stored`), or durable.
    Flush {
        done: oneshot::Sender<()>,
        stored: bool,
    },
}

/// Where the hub (and the HTTP layer) put rows: cheap to clone, never blocks.
#[derive(Debug, Clone)]
pub struct AuditSink {
    tx: mpsc::Sender<Msg>,
    counters: Arc<Counters>,
    reserve: usize,
    capacity: usize,
    /// The last ticket handed out; held while a row is queued so tickets follow the queue.
    tickets: Arc<std::sync::Mutex<u64>>,
    /// The last durable ticket.
    durable: watch::Receiver<u64>,
    /// Wakes the drainer (with an outbox); `stopped` is notified when it has stopped.
    wake: Arc<Notify>,
    stopped: Arc<Notify>,
    drainer: bool,
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
    /// Queues a row; returns the ticket to wait for ([`AuditSink::durable`]) before acting
    /// on it: the row's, or the last one's if this one was refused. A full queue refuses it:
    /// counted (`dropped`), logged as an error with the row, and recorded as `audit_lost`
    /// once the database takes rows again.
    pub fn record(&self, entry: Entry) -> u64 {
        let Ok(mut last) = self.tickets.lock() else {
            return 0;
        };
        match self.tx.try_send(Msg::Row(*last + 1, entry)) {
            Ok(()) => *last += 1,
            Err(e) => {
                self.counters.dropped.fetch_add(1, Ordering::Relaxed);
                let (why, msg) = match e {
                    mpsc::error::TrySendError::Full(m) => ("queue full", m),
                    mpsc::error::TrySendError::Closed(m) => ("writer stopped", m),
                };
                if let Msg::Row(_, entry) = msg {
                    log_lost(why, &entry);
                }
            }
        }
        *last
    }

    /// The ticket of the last row accepted.
    pub fn ticket(&self) -> u64 {
        self.tickets.lock().map_or(0, |t| *t)
    }

    /// Whether the row with `ticket`, and every one before it, is durable.
    pub fn is_durable(&self, ticket: u64) -> bool {
        *self.durable.borrow() >= ticket
    }

    /// Waits until the row with `ticket`, and every one before it, is durable: committed
    /// to the trail, or in the outbox. Returns at once if the writer is gone (the broker is
    /// stopping; what it held was counted and logged).
    pub async fn durable(&self, ticket: u64) {
        let mut rx = self.durable.clone();
        let _ = rx.wait_for(|d| *d >= ticket).await;
    }

    /// Waits until every row queued before this call is in the trail (or given up on).
    /// `false`: the writer is gone.
    pub async fn flush(&self) -> bool {
        self.flush_to(true).await
    }

    async fn flush_to(&self, stored: bool) -> bool {
        let (tx, rx) = oneshot::channel();
        if self.tx.send(Msg::Flush { done: tx, stored }).await.is_err() {
            return false;
        }
        rx.await.is_ok()
    }

    /// Whether a new session can be accepted: the queue, and the outbox's backlog, leave
    /// more free places than the reserve kept for the sessions already running (and the
    /// writer runs). False during a database outage long enough to fill them; true again
    /// as soon as they drain.
    pub fn has_room(&self) -> bool {
        let backlog = self.counters.backlog.load(Ordering::Relaxed);
        !self.tx.is_closed()
            && self.tx.capacity() > self.reserve
            && backlog.saturating_add(self.reserve as u64) < self.capacity as u64
    }

    /// Rows queued and not yet handed to the writer.
    fn queue_len(&self) -> u64 {
        (self.tx.max_capacity() - self.tx.capacity()) as u64
    }

    /// For shutdown: waits up to `within` for every row queued so far to be durable
    /// (written, or in the outbox, where another broker or the next run takes it); if the
    /// database (or the outbox) is still unreachable then, the rows held and queued are
    /// given up (counted `failed`, each logged as an error with its content) so the broker
    /// can exit. `true`: all were kept.
    pub async fn flush_for_shutdown(&self, within: Duration) -> bool {
        if let Ok(done) = tokio::time::timeout(within, self.flush_to(false)).await {
            self.stop_draining().await;
            return done && self.stats().failed == 0;
        }
        tracing::error!(target: "glass::audit", rows = self.stats().queued,
            "audit database still unreachable at shutdown: the held rows are given up");
        self.counters.give_up.store(true, Ordering::Relaxed);
        self.flush().await;
        false
    }

    /// Asks the drainer (if any) to finish its batch and give its lease up, so another
    /// broker drains at once; waits for it a second at most.
    async fn stop_draining(&self) {
        if !self.drainer {
            return;
        }
        let stopped = self.stopped.notified();
        self.counters.stop_draining.store(true, Ordering::Relaxed);
        self.wake.notify_one();
        let _ = tokio::time::timeout(Duration::from_secs(1), stopped).await;
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
            backlog: c.backlog.load(Ordering::Relaxed),
            accepted: self.ticket(),
            durable: *self.durable.borrow(),
        }
    }

    /// A sink with no writer behind it (tests): a queue of `capacity`, nothing durable.
    #[cfg(test)]
    fn detached(capacity: usize, reserve: usize) -> (AuditSink, mpsc::Receiver<Msg>) {
        let (tx, rx) = mpsc::channel(capacity);
        let (_, durable) = watch::channel(0);
        let sink = AuditSink {
            tx,
            counters: Arc::default(),
            reserve,
            capacity,
            tickets: Arc::default(),
            durable,
            wake: Arc::default(),
            stopped: Arc::default(),
            drainer: false,
        };
        (sink, rx)
    }
}

/// Starts the writer task on the current runtime, committing rows to the trail before they
/// count as durable. It ends when every sink is dropped, after writing what was queued.
pub fn spawn_writer(
    store: AuditStore,
    config: WriterConfig,
) -> (AuditSink, tokio::task::JoinHandle<()>) {
    spawn_writer_with(store, config, None, "")
}

/// [`spawn_writer`] with an outbox: rows are durable once in `outbox`, and a second task
/// (aborted with the first) moves the outbox into the trail while broker `me` holds the
/// drainer's lease.
pub fn spawn_writer_with(
    store: AuditStore,
    config: WriterConfig,
    outbox: Option<Outbox>,
    me: &str,
) -> (AuditSink, tokio::task::JoinHandle<()>) {
    let capacity = config.capacity.max(1);
    let (tx, rx) = mpsc::channel(capacity);
    let (durable_tx, durable) = watch::channel(0);
    let counters = Arc::new(Counters::default());
    let wake = Arc::new(Notify::new());
    let stopped = Arc::new(Notify::new());
    let sink = AuditSink {
        tx,
        counters: counters.clone(),
        reserve: config.reserve.min(capacity.saturating_sub(1)),
        capacity,
        tickets: Arc::default(),
        durable,
        wake: wake.clone(),
        stopped: stopped.clone(),
        drainer: outbox.is_some(),
    };
    let drainer = outbox.clone().map(|o| {
        AbortOnDrop(tokio::spawn(drain(
            store.clone(),
            config.clone(),
            o,
            counters.clone(),
            me.to_owned(),
            (wake.clone(), stopped),
        )))
    });
    let task = tokio::spawn(async move {
        let _drainer = drainer;
        run(store, config, rx, counters, durable_tx, outbox, wake).await;
    });
    (sink, task)
}

/// Aborts a task when dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
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
    durable: watch::Sender<u64>,
    outbox: Option<Outbox>,
    wake: Arc<Notify>,
) {
    // Losses already recorded in the trail.
    let (mut told_dropped, mut told_failed) = (0u64, 0u64);
    let max_batch = config.max_batch.max(1);
    // The outbox key of the last batch pushed.
    let mut last_pushed: Option<String> = None;
    while let Some(first) = rx.recv().await {
        let mut batch = Vec::new();
        let mut flushes = Vec::new();
        let mut last_ticket = None;
        let mut next = Some(first);
        while let Some(m) = next.take() {
            match m {
                Msg::Row(ticket, e) => {
                    batch.push(e);
                    last_ticket = Some(ticket);
                }
                Msg::Flush { done, stored } => flushes.push((done, stored)),
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
            let kept = match &outbox {
                None => write(&store, &config, &batch, &counters)
                    .await
                    .map_err(|e| e.to_string())
                    .map(|()| {
                        counters
                            .written
                            .fetch_add(batch.len() as u64, Ordering::Relaxed);
                        counters.batches.fetch_add(1, Ordering::Relaxed);
                    }),
                Some(o) => push(o, &config, &batch, &counters)
                    .await
                    .map_err(|e| e.to_string())
                    .map(|key| {
                        counters
                            .backlog
                            .fetch_add(batch.len() as u64, Ordering::Relaxed);
                        last_pushed = Some(key);
                        wake.notify_one();
                    }),
            };
            counters.writing.store(0, Ordering::Relaxed);
            match kept {
                Ok(()) => {
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
                    let why = if outbox.is_some() {
                        "outbox failed"
                    } else {
                        "database failed"
                    };
                    for entry in &batch[..real] {
                        log_lost(why, entry);
                    }
                }
            }
        }
        // Kept, or given up on (counted, logged): either way nothing waits for these.
        if let Some(t) = last_ticket {
            durable.send_replace(t);
        }
        for (done, stored) in flushes {
            match (&outbox, &last_pushed) {
                (Some(o), Some(key)) if stored => {
                    let (o, key) = (o.clone(), key.clone());
                    tokio::spawn(async move {
                        // Until drained, or the caller stopped waiting.
                        while !done.is_closed() && !o.drained(&key).await.unwrap_or(false) {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                        let _ = done.send(());
                    });
                }
                _ => {
                    let _ = done.send(());
                }
            }
        }
    }
}

/// Pushes `batch` to the outbox, waiting out an outbox that cannot be reached (as
/// [`write`] waits out the database) and retrying a refusal [`WriterConfig::attempts`] times.
async fn push(
    outbox: &Outbox,
    config: &WriterConfig,
    batch: &[Entry],
    counters: &Counters,
) -> Result<String, OutboxError> {
    let mut wait = config.retry_initial;
    let mut refusals = 0;
    loop {
        let e = match outbox.push(batch).await {
            Ok(key) => {
                counters.outage.store(0, Ordering::Relaxed);
                return Ok(key);
            }
            Err(e) => e,
        };
        if counters.give_up.load(Ordering::Relaxed) {
            return Err(e);
        }
        if e.is_outage() {
            if counters.outage.swap(1, Ordering::Relaxed) == 0 {
                tracing::error!(target: "glass::audit", error = %e, rows = batch.len(),
                    "audit outbox unreachable: rows held and queued until it is back");
            }
        } else {
            refusals += 1;
            if refusals >= config.attempts.max(1) {
                return Err(e);
            }
        }
        counters.retries.fetch_add(1, Ordering::Relaxed);
        let until = tokio::time::Instant::now() + wait;
        while tokio::time::Instant::now() < until && !counters.give_up.load(Ordering::Relaxed) {
            tokio::time::sleep_until(until.min(tokio::time::Instant::now() + SLICE)).await;
        }
        wait = (wait * 2).min(config.retry_max);
    }
}

/// Batches read from the outbox at a time.
const DRAIN_BATCHES: usize = 64;
/// How often an idle drainer looks at the outbox (other brokers' batches do not wake it).
const DRAIN_IDLE: Duration = Duration::from_millis(100);

/// Moves the outbox into the trail, in order, while this broker holds the lease: read the
/// oldest batches, append them (skipping any already appended) in one transaction, then
/// remove them. A batch that cannot be read, or that the database refuses after the
/// retries, is counted `failed`, logged row by row, recorded (`audit_lost`) and removed,
/// so it never blocks the ones behind it.
async fn drain(
    store: AuditStore,
    config: WriterConfig,
    outbox: Outbox,
    counters: Arc<Counters>,
    me: String,
    (wake, stopped): (Arc<Notify>, Arc<Notify>),
) {
    loop {
        if counters.stop_draining.load(Ordering::Relaxed) {
            if let Err(e) = outbox.release(&me).await {
                tracing::warn!(target: "glass::audit", error = %e,
                    "the outbox lease was not given up (it expires by itself)");
            }
            stopped.notify_one();
            return;
        }
        if let Ok(n) = outbox.backlog().await {
            counters.backlog.store(n, Ordering::Relaxed);
        }
        let stored = match outbox.lead(&me).await {
            Ok(true) => outbox.read(DRAIN_BATCHES).await,
            Ok(false) => Ok(Vec::new()),
            Err(e) => Err(e),
        };
        let stored = match stored {
            Ok(s) if !s.is_empty() => s,
            Ok(_) => {
                let _ = tokio::time::timeout(DRAIN_IDLE, wake.notified()).await;
                continue;
            }
            Err(e) => {
                tracing::warn!(target: "glass::audit", error = %e, "audit outbox not read; retrying");
                tokio::time::sleep(config.retry_initial.max(DRAIN_IDLE)).await;
                continue;
            }
        };
        let mut batches = Vec::with_capacity(stored.len());
        for s in &stored {
            match &s.entries {
                Ok(rows) => batches.push((s.id.clone(), rows.clone())),
                Err(why) => {
                    counters.failed.fetch_add(s.rows.max(1), Ordering::Relaxed);
                    tracing::error!(target: "glass::audit", batch = %s.id, rows = s.rows,
                        error = %why, "audit outbox batch unreadable: not stored");
                }
            }
        }
        let rows: usize = batches.iter().map(|(_, r)| r.len()).sum();
        counters.writing.store(rows as u64, Ordering::Relaxed);
        let written = retrying(&config, &counters, rows, |_| {
            store.append_outboxed(&batches, unix_ms_now() as i64)
        })
        .await;
        counters.writing.store(0, Ordering::Relaxed);
        match written {
            Ok(n) => {
                counters.written.fetch_add(n as u64, Ordering::Relaxed);
                counters.batches.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                counters.failed.fetch_add(rows as u64, Ordering::Relaxed);
                tracing::error!(target: "glass::audit", error = %e, rows,
                    "audit outbox batches given up after {} attempts", config.attempts);
                for (_, entries) in &batches {
                    for entry in entries {
                        log_lost("database failed", entry);
                    }
                }
            }
        }
        ack(&outbox, &stored).await;
    }
}

/// Removes written batches; one that stays (the outbox away) is read again and skipped.
async fn ack(outbox: &Outbox, stored: &[Stored]) {
    for _ in 0..3 {
        match outbox.ack(stored).await {
            Ok(()) => return,
            Err(e) => {
                tracing::warn!(target: "glass::audit", error = %e, "audit outbox batches not removed yet");
                tokio::time::sleep(DRAIN_IDLE).await;
            }
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
    retrying(config, counters, batch.len(), |unconfirmed| {
        store.append_once(batch, unconfirmed)
    })
    .await
    .map(drop)
}

/// Runs `attempt` until it succeeds: an unreachable database is waited out without limit,
/// a refusal is retried [`WriterConfig::attempts`] times. `attempt` gets the seq a commit
/// whose answer was lost had chained after.
async fn retrying<T, F, Fut>(
    config: &WriterConfig,
    counters: &Counters,
    rows: usize,
    mut attempt: F,
) -> Result<T, StoreError>
where
    F: FnMut(Option<i64>) -> Fut,
    Fut: std::future::Future<Output = Result<T, StoreError>>,
{
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
        let result = attempt(unconfirmed).await;
        let e = match result {
            Ok(v) => {
                if let Some(since) = outage_since {
                    counters.outage.store(0, Ordering::Relaxed);
                    tracing::warn!(target: "glass::audit", rows,
                        "audit database back after {:?}; held rows written", since.elapsed());
                }
                return Ok(v);
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
                tracing::error!(target: "glass::audit", error = %e, rows,
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
        let (sink, _rx) = AuditSink::detached(10, 3);
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
        let (sink, rx) = AuditSink::detached(10, 3);
        drop(rx);
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
