//! The audit outbox: where a row is durable before the broker acts on the decision it
//! records. The hub's messages wait for it (see [`super::AuditSink::durable`]), so a broker
//! killed between a decision and the trail's write loses no row: the row is in the outbox,
//! and the outbox is moved into the trail by whichever broker drains it, now or after a
//! restart.
//!
//! - [`Outbox::Redis`] with several brokers (`--redis`): one stream for all brokers
//!   (`{prefix}audit:outbox`); one broker at a time drains it, in order, holding a lease
//!   (`{prefix}audit:drainer`, 5 s) so a dead drainer is replaced within seconds.
//! - [`Outbox::Spool`] for one broker whose trail is in a database that can be away
//!   (PostgreSQL): a local SQLite file (`audit_spool`), fsynced at every batch, drained by
//!   the same broker (after a restart too).
//!
//! A batch is moved into the trail in the same transaction as its id is recorded
//! (`audit_outbox_done`), and removed from the outbox afterwards: a drainer that dies in
//! between leaves a batch the next one finds already written and skips. Exactly once.
//!
//! Without an outbox (the trail in SQLite, a local file that is never away), rows are
//! committed to the trail itself before the messages that follow them leave.

use std::path::Path;
use std::time::Duration;

use sqlx::Row as _;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use super::chain::Entry;
use crate::cluster::{RedisStore, StoreError as SharedError};

/// How long the drainer's lease lasts without renewal.
pub const LEASE: Duration = Duration::from_secs(5);

/// Rows a batch may hold when read back: more is not a batch this broker wrote.
pub const MAX_BATCH_ROWS: usize = 10_000;

/// Where rows wait for the trail.
#[derive(Clone)]
pub enum Outbox {
    /// The stream shared by every broker on this Redis.
    Redis(RedisStore),
    /// A local file.
    Spool(Spool),
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outbox::Redis(r) => f.debug_tuple("Outbox::Redis").field(r).finish(),
            Outbox::Spool(s) => f.debug_tuple("Outbox::Spool").field(&s.path).finish(),
        }
    }
}

/// Why the outbox failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutboxError {
    /// Redis failed or refused.
    #[error("audit outbox: {0}")]
    Shared(#[from] SharedError),
    /// The spool file failed.
    #[error("audit spool: {0}")]
    Spool(#[from] sqlx::Error),
}

impl OutboxError {
    /// Whether the outbox cannot be reached now (waited out) rather than refusing.
    pub fn is_outage(&self) -> bool {
        match self {
            OutboxError::Shared(e) => matches!(e, SharedError::Unavailable { .. }),
            // A local file: busy or out of space is worth waiting for; nothing else is
            // expected, and retrying costs nothing but time.
            OutboxError::Spool(_) => true,
        }
    }
}

/// A batch as read back from the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The outbox's own id (a stream id, a spool row id).
    pub key: String,
    /// The id it is remembered by in the trail (`audit_outbox_done`): unique across
    /// outboxes.
    pub id: String,
    /// Rows it holds, as counted when pushed.
    pub rows: u64,
    /// Its rows, or why they could not be read.
    pub entries: Result<Vec<Entry>, String>,
}

/// A batch as stored in the outbox.
pub fn encode_batch(rows: &[Entry]) -> Vec<u8> {
    serde_json::to_vec(rows).unwrap_or_default()
}

/// A batch read back from the outbox (written by some broker: checked, never trusted):
/// 1 to [`MAX_BATCH_ROWS`] rows of the row's shape.
pub fn decode_batch(bytes: &[u8]) -> Result<Vec<Entry>, String> {
    let rows: Vec<Entry> = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if rows.is_empty() || rows.len() > MAX_BATCH_ROWS {
        return Err(format!("{} rows: 1 to {MAX_BATCH_ROWS}", rows.len()));
    }
    Ok(rows)
}

impl Outbox {
    /// Appends `rows` as one batch, durably; returns its key.
    pub async fn push(&self, rows: &[Entry]) -> Result<String, OutboxError> {
        let bytes = encode_batch(rows);
        match self {
            Outbox::Redis(r) => Ok(r.outbox_push(rows.len() as u64, &bytes).await?),
            Outbox::Spool(s) => s.push(rows.len() as u64, &bytes).await,
        }
    }

    /// The oldest `max` batches, oldest first.
    pub async fn read(&self, max: usize) -> Result<Vec<Stored>, OutboxError> {
        match self {
            Outbox::Redis(r) => Ok(r
                .outbox_read(max)
                .await?
                .into_iter()
                .map(|e| {
                    let (rows, entries) = match e.batch {
                        Some((n, bytes)) => (n, decode_batch(&bytes)),
                        None => (0, Err("an entry without `n` and `r`".to_owned())),
                    };
                    Stored {
                        id: format!("r:{}:{}", r.prefix(), e.id),
                        key: e.id,
                        rows,
                        entries,
                    }
                })
                .collect()),
            Outbox::Spool(s) => s.read(max).await,
        }
    }

    /// Removes batches written to the trail.
    pub async fn ack(&self, done: &[Stored]) -> Result<(), OutboxError> {
        match self {
            Outbox::Redis(r) => {
                let done: Vec<(String, u64)> =
                    done.iter().map(|s| (s.key.clone(), s.rows)).collect();
                r.outbox_ack(&done).await?;
                Ok(())
            }
            Outbox::Spool(s) => s.ack(done).await,
        }
    }

    /// Whether the batch `key` and every one before it are gone from the outbox (written).
    pub async fn drained(&self, key: &str) -> Result<bool, OutboxError> {
        match self {
            Outbox::Redis(r) => Ok(r.outbox_drained(key).await?),
            Outbox::Spool(s) => s.drained(key).await,
        }
    }

    /// Rows waiting in the outbox (every broker's).
    pub async fn backlog(&self) -> Result<u64, OutboxError> {
        match self {
            Outbox::Redis(r) => Ok(r.outbox_backlog().await?),
            Outbox::Spool(s) => s.backlog().await,
        }
    }

    /// Gives up the lease if `me` holds it.
    pub async fn release(&self, me: &str) -> Result<(), OutboxError> {
        match self {
            Outbox::Redis(r) => Ok(r.outbox_unlead(me).await?),
            Outbox::Spool(_) => Ok(()),
        }
    }

    /// Whether broker `me` is the one draining now (taking or renewing the lease).
    pub async fn lead(&self, me: &str) -> Result<bool, OutboxError> {
        match self {
            Outbox::Redis(r) => Ok(r.outbox_lead(me, LEASE).await?),
            Outbox::Spool(_) => Ok(true),
        }
    }
}

/// The local spool: a SQLite file of batches.
#[derive(Clone)]
pub struct Spool {
    pool: SqlitePool,
    /// Names this file's batches in the trail (random, made with the file).
    nonce: String,
    path: String,
}

impl Spool {
    /// Opens `path`, creating it; batches left by an earlier run are kept (and drained).
    pub async fn open(path: &Path) -> Result<Spool, OutboxError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // A batch is on disk when its insert returns: a crash of the broker, or of the
            // machine, loses none.
            .synchronous(SqliteSynchronous::Full);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS spool \
             (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER NOT NULL, r BLOB NOT NULL); \
             CREATE TABLE IF NOT EXISTS spool_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)",
        )
        .execute(&pool)
        .await?;
        let mut b = [0u8; 8];
        let _ = getrandom::fill(&mut b);
        let fresh: String = b.iter().map(|x| format!("{x:02x}")).collect();
        sqlx::query("INSERT OR IGNORE INTO spool_meta (k, v) VALUES ('nonce', $1)")
            .bind(fresh)
            .execute(&pool)
            .await?;
        let nonce: String = sqlx::query_scalar("SELECT v FROM spool_meta WHERE k = 'nonce'")
            .fetch_one(&pool)
            .await?;
        Ok(Spool {
            pool,
            nonce,
            path: path.display().to_string(),
        })
    }

    async fn push(&self, rows: u64, bytes: &[u8]) -> Result<String, OutboxError> {
        let id: i64 = sqlx::query_scalar("INSERT INTO spool (n, r) VALUES ($1, $2) RETURNING id")
            .bind(i64::try_from(rows).unwrap_or(i64::MAX))
            .bind(bytes)
            .fetch_one(&self.pool)
            .await?;
        Ok(id.to_string())
    }

    async fn read(&self, max: usize) -> Result<Vec<Stored>, OutboxError> {
        let rows = sqlx::query("SELECT id, n, r FROM spool ORDER BY id LIMIT $1")
            .bind(i64::try_from(max.max(1)).unwrap_or(1))
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.try_get("id")?;
            let n: i64 = r.try_get("n")?;
            let bytes: Vec<u8> = r.try_get("r")?;
            out.push(Stored {
                key: id.to_string(),
                id: format!("s:{}:{id}", self.nonce),
                rows: u64::try_from(n).unwrap_or(0),
                entries: decode_batch(&bytes),
            });
        }
        Ok(out)
    }

    async fn ack(&self, done: &[Stored]) -> Result<(), OutboxError> {
        let mut tx = self.pool.begin().await?;
        for s in done {
            if let Ok(id) = s.key.parse::<i64>() {
                sqlx::query("DELETE FROM spool WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn drained(&self, key: &str) -> Result<bool, OutboxError> {
        let Ok(id) = key.parse::<i64>() else {
            return Ok(true);
        };
        let left: Option<i64> = sqlx::query_scalar("SELECT id FROM spool WHERE id <= $1 LIMIT 1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(left.is_none())
    }

    async fn backlog(&self) -> Result<u64, OutboxError> {
        let n: i64 = sqlx::query_scalar("SELECT COALESCE(SUM(n), 0) FROM spool")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{ActorRef, BrokerEvent};

    fn row(i: u64) -> Entry {
        BrokerEvent::SignedOut.entry(i, "local", &ActorRef::broker(), None)
    }

    #[test]
    fn batches_round_trip_and_hostile_ones_are_refused() {
        let rows = vec![row(1), row(2)];
        assert_eq!(decode_batch(&encode_batch(&rows)).unwrap(), rows);
        assert!(decode_batch(b"[]").is_err());
        assert!(decode_batch(b"{").is_err());
        assert!(decode_batch(br#"[{"at":1}]"#).is_err());
        let many = vec![row(1); MAX_BATCH_ROWS + 1];
        assert!(decode_batch(&encode_batch(&many)).is_err());
    }

    #[tokio::test]
    async fn the_spool_keeps_batches_across_a_restart_until_acknowledged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spool.db");
        let spool = Outbox::Spool(Spool::open(&path).await.unwrap());
        let a = spool.push(&[row(1), row(2)]).await.unwrap();
        let b = spool.push(&[row(3)]).await.unwrap();
        assert_eq!(spool.backlog().await.unwrap(), 3);
        assert!(!spool.drained(&a).await.unwrap());
        let first_ids: Vec<String> = spool
            .read(10)
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.id)
            .collect();
        drop(spool);
        // The broker stops (or dies) here; the next run finds both batches, same ids.
        let spool = Outbox::Spool(Spool::open(&path).await.unwrap());
        let read = spool.read(10).await.unwrap();
        assert_eq!(
            read.iter().map(|s| s.id.clone()).collect::<Vec<_>>(),
            first_ids
        );
        assert_eq!(read[0].entries.as_ref().unwrap(), &vec![row(1), row(2)]);
        assert_eq!(read[1].key, b);
        spool.ack(&read[..1]).await.unwrap();
        assert!(spool.drained(&a).await.unwrap());
        assert!(!spool.drained(&b).await.unwrap());
        assert_eq!(spool.backlog().await.unwrap(), 1);
        assert!(spool.lead("anyone").await.unwrap());
    }
}
