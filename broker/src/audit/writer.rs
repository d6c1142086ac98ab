//! The broker's writer: the hub hands rows to an [`AuditSink`] without blocking (a bounded
//! queue), one task writes them in batches, one transaction a batch. A database that fails
//! is retried with backoff while the batch is held (bounded); what cannot be written is
//! counted, logged as an error with its content, and recorded in the trail itself
//! (`audit_lost`) once the database takes rows again. Nothing is lost silently.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::chain::Entry;
use super::event::{ActorRef, BrokerEvent};
use super::store::AuditStore;

/// The writer's settings.
#[derive(Debug, Clone)]
pub struct WriterConfig {
    /// Rows queued at most; past this, rows are dropped (counted and logged).
    pub capacity: usize,
    /// Rows per transaction at most.
    pub max_batch: usize,
    /// First wait after a failed write; doubles each time.
    pub retry_initial: Duration,
    /// Longest wait between attempts.
    pub retry_max: Duration,
    /// Attempts per batch before its rows count as failed.
    pub attempts: u32,
}

impl Default for WriterConfig {
    fn default() -> Self {
        WriterConfig {
            capacity: 65_536,
            max_batch: 1_000,
            retry_initial: Duration::from_millis(100),
            retry_max: Duration::from_secs(10),
            // 0.1 + 0.2 + … + 6.4 s: about 13 s of holding one batch.
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
}

#[derive(Debug, Default)]
struct Counters {
    written: AtomicU64,
    dropped: AtomicU64,
    failed: AtomicU64,
    retries: AtomicU64,
    batches: AtomicU64,
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
    /// Queues a row. A full queue drops it: counted, logged as an error with the row.
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

    /// The counters now.
    pub fn stats(&self) -> AuditStats {
        let c = &self.counters;
        AuditStats {
            written: c.written.load(Ordering::Relaxed),
            dropped: c.dropped.load(Ordering::Relaxed),
            failed: c.failed.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            batches: c.batches.load(Ordering::Relaxed),
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
            match write(&store, &config, &batch, &counters).await {
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

async fn write(
    store: &AuditStore,
    config: &WriterConfig,
    batch: &[Entry],
    counters: &Counters,
) -> Result<(), super::store::StoreError> {
    let mut wait = config.retry_initial;
    let mut attempt = 1;
    loop {
        match store.append(batch).await {
            Ok(_) => return Ok(()),
            Err(e) if attempt >= config.attempts.max(1) => return Err(e),
            Err(e) => {
                counters.retries.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(target: "glass::audit", error = %e, attempt,
                    "audit write failed; retrying in {wait:?}");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(config.retry_max);
                attempt += 1;
            }
        }
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
    async fn a_full_queue_counts_what_it_drops() {
        let (tx, _rx) = mpsc::channel(2);
        let sink = AuditSink {
            tx,
            counters: Arc::default(),
        };
        for _ in 0..5 {
            sink.record(entry());
        }
        assert_eq!(sink.stats().dropped, 3);
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
