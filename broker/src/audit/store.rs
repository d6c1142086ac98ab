//! The audit store: rows in SQLite (a file by default, embedded) or PostgreSQL, through
//! sqlx's `Any` driver so both run the same statements.
//!
//! `Any` was enough: the schema uses only `BIGINT` and `TEXT`, placeholders are `$N` for
//! both (sqlx's SQLite driver accepts them), and the two places where the dialects differ are
//! how a writer takes the head lock (PostgreSQL: `SELECT … FOR UPDATE`; SQLite:
//! `BEGIN IMMEDIATE`, the database's one write lock) and how a reader gets one snapshot.
//!
//! Appends serialise on the one-row `audit_head` table, locked in the same transaction as the
//! inserts, so several brokers can share one PostgreSQL and still build one chain.

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, AssertSqlSafe, Row as _};

use super::chain::{self, Entry, Head, Row};
use super::event::{ActorRef, BrokerEvent};

/// Schema versions, applied in order at start; a version is never edited once released.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("migrations/0001_audit.sql")),
    (2, include_str!("migrations/0002_outbox.sql")),
];

/// How long the ids of appended outbox batches are remembered: far longer than a batch can
/// wait between being written and being removed from the outbox (seconds, or a broker's
/// restart).
pub const OUTBOX_DONE_KEPT: Duration = Duration::from_secs(7 * 24 * 3600);

/// Rows per `INSERT` statement (13 parameters a row, well under both databases' limits).
const ROWS_PER_INSERT: usize = 200;

/// Rows read per page when walking the trail.
const PAGE: i64 = 2_000;

const COLUMNS: &str = "seq, at, tenant, actor_kind, actor_id, actor_name, source, session, \
                       code, name, detail, prev_hash, hash";

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite (a file, or memory for tests).
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// Why the store failed, split by who is at fault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The URL is not one the store accepts (the operator's fault).
    #[error("audit_db: {0}")]
    Url(String),
    /// The database failed or refused (the backend's fault; retried by the writer).
    #[error("audit database: {0}")]
    Database(#[from] sqlx::Error),
    /// The connection failed while committing: the rows may be stored or not. They were
    /// chained right after seq `after`; [`AuditStore::append_once`] with it finds out.
    #[error("audit database: commit unconfirmed: {source}")]
    Unconfirmed {
        /// The head's seq the rows were chained after.
        after: i64,
        /// What the connection said.
        source: sqlx::Error,
    },
    /// The broker stopped while the database was unreachable: the rows were not written.
    #[error("audit database unreachable at shutdown")]
    Abandoned,
    /// A stored value cannot be read as a row (the data's fault: tampering or another
    /// program's rows).
    #[error("audit database: row after seq {after}: {reason}")]
    Corrupt {
        /// The last good seq before it.
        after: i64,
        /// What is wrong.
        reason: String,
    },
}

/// What the prune job did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pruned {
    /// Rows deleted.
    pub count: u64,
    /// The last deleted row's seq.
    pub last_seq: i64,
    /// The `audit_pruned` row's seq.
    pub record_seq: i64,
}

/// The audit store.
#[derive(Clone)]
pub struct AuditStore {
    pool: AnyPool,
    dialect: Dialect,
    url: String,
}

impl std::fmt::Debug for AuditStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditStore")
            .field("url", &self.url)
            .field("dialect", &self.dialect)
            .finish_non_exhaustive()
    }
}

/// The URL without its password, for logs and errors.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

fn dialect_of(url: &str) -> Result<Dialect, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Dialect::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Dialect::Postgres)
    } else {
        Err(StoreError::Url(format!(
            "{} is not sqlite://PATH?mode=rwc, sqlite::memory: or postgres://USER@HOST:PORT/DB",
            redact(url)
        )))
    }
}

fn text(row: &AnyRow, col: &str) -> Result<String, sqlx::Error> {
    row.try_get::<String, _>(col)
}

/// Rows read for a report: one that cannot be read is [`StoreError::Corrupt`].
fn read_rows(rows: &[AnyRow]) -> Result<Vec<Row>, StoreError> {
    rows.iter()
        .map(|r| {
            read_row(r).map_err(|e| StoreError::Corrupt {
                after: -1,
                reason: e.to_string(),
            })
        })
        .collect()
}

fn read_row(r: &AnyRow) -> Result<Row, sqlx::Error> {
    Ok(Row {
        seq: r.try_get("seq")?,
        entry: Entry {
            at: r.try_get("at")?,
            tenant: text(r, "tenant")?,
            actor_kind: text(r, "actor_kind")?,
            actor_id: text(r, "actor_id")?,
            actor_name: text(r, "actor_name")?,
            source: r.try_get::<Option<String>, _>("source")?,
            session: r.try_get::<Option<String>, _>("session")?,
            code: r.try_get("code")?,
            name: text(r, "name")?,
            detail: text(r, "detail")?,
        },
        prev_hash: text(r, "prev_hash")?,
        hash: text(r, "hash")?,
    })
}

/// Seals `entries` after `head` into `rows`, moving `head` along.
fn seal_after(head: &mut Head, entries: &[Entry], rows: &mut Vec<Row>) {
    for e in entries {
        let row = chain::seal(head, e.clone());
        *head = Head {
            seq: row.seq,
            hash: row.hash.clone(),
        };
        rows.push(row);
    }
}

impl AuditStore {
    /// Opens (creating a SQLite file when the URL says `mode=rwc`) and migrates the schema.
    /// `sqlite::memory:` is one connection that lives as long as the store.
    pub async fn open(url: &str) -> Result<AuditStore, StoreError> {
        let dialect = dialect_of(url)?;
        sqlx::any::install_default_drivers();
        let memory = url.contains(":memory:") || url.contains("mode=memory");
        let options = AnyPoolOptions::new();
        let options = match (dialect, memory) {
            // An in-memory database lives in its one connection: never let it go.
            (Dialect::Sqlite, true) => options
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None),
            (Dialect::Sqlite, false) => options.max_connections(4).after_connect(|conn, _| {
                Box::pin(async move {
                    // Readers (verify, reports) do not wait for the writer.
                    sqlx::raw_sql("PRAGMA journal_mode = WAL")
                        .execute(&mut *conn)
                        .await?;
                    Ok(())
                })
            }),
            (Dialect::Postgres, _) => options.max_connections(4),
        };
        let pool = options
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        let store = AuditStore {
            pool,
            dialect,
            url: redact(url),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// The database behind the store.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Applies the migrations not applied yet, one transaction each, under a lock so two
    /// brokers starting together do not race.
    async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS audit_schema \
             (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        )
        .execute(&self.pool)
        .await?;
        for (version, sql) in MIGRATIONS {
            let mut tx = self.begin_write().await?;
            if self.dialect == Dialect::Postgres {
                // Any fixed key: the migrations of every broker queue here.
                sqlx::query("SELECT pg_advisory_xact_lock(7467732)")
                    .execute(&mut *tx)
                    .await?;
            }
            let done: Option<i64> =
                sqlx::query_scalar("SELECT version FROM audit_schema WHERE version = $1")
                    .bind(*version)
                    .fetch_optional(&mut *tx)
                    .await?;
            if done.is_some() {
                continue;
            }
            sqlx::raw_sql(*sql).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO audit_schema (version, applied_at) VALUES ($1, $2)")
                .bind(*version)
                .bind(unix_ms_now())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            tracing::info!(target: "glass::audit", store = %self.url, version, "audit schema migrated");
        }
        Ok(())
    }

    /// A transaction holding the write lock (SQLite) or ready to take the head's row lock
    /// (PostgreSQL).
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.dialect {
            Dialect::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Dialect::Postgres => self.pool.begin().await,
        }
    }

    /// A transaction that sees one snapshot for all its reads.
    async fn begin_read(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.dialect {
            Dialect::Sqlite => self.pool.begin().await,
            Dialect::Postgres => {
                self.pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await
            }
        }
    }

    async fn lock_head(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ) -> Result<Head, sqlx::Error> {
        let sql = match self.dialect {
            Dialect::Sqlite => "SELECT seq, hash FROM audit_head WHERE id = 1",
            Dialect::Postgres => "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
        };
        let row = sqlx::query(sql).fetch_one(&mut **tx).await?;
        Ok(Head {
            seq: row.try_get("seq")?,
            hash: row.try_get("hash")?,
        })
    }

    async fn insert(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        rows: &[Row],
    ) -> Result<(), sqlx::Error> {
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let mut sql = format!("INSERT INTO audit_events ({COLUMNS}) VALUES ");
            for i in 0..chunk.len() {
                let b = i * 13;
                if i > 0 {
                    sql.push(',');
                }
                sql.push('(');
                for k in 1..=13 {
                    if k > 1 {
                        sql.push(',');
                    }
                    sql.push('$');
                    sql.push_str(&(b + k).to_string());
                }
                sql.push(')');
            }
            // Only placeholders are generated: no value is ever spliced into the text.
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for r in chunk {
                let e = &r.entry;
                q = q
                    .bind(r.seq)
                    .bind(e.at)
                    .bind(e.tenant.clone())
                    .bind(e.actor_kind.clone())
                    .bind(e.actor_id.clone())
                    .bind(e.actor_name.clone())
                    .bind(e.source.clone())
                    .bind(e.session.clone())
                    .bind(e.code)
                    .bind(e.name.clone())
                    .bind(e.detail.clone())
                    .bind(r.prev_hash.clone())
                    .bind(r.hash.clone());
            }
            q.execute(&mut **tx).await?;
        }
        Ok(())
    }

    async fn set_head(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        head: &Head,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(head.seq)
            .bind(head.hash.clone())
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Appends `entries` in one transaction, chained after the current head; returns the
    /// new head. All or nothing.
    pub async fn append(&self, entries: &[Entry]) -> Result<Head, StoreError> {
        self.append_once(entries, None).await
    }

    /// [`AuditStore::append`], for a retry after [`StoreError::Unconfirmed`] `{ after }`:
    /// when the rows right after seq `after` are `entries` (that commit went through), they
    /// are not appended again. The head's row lock was held from reading `after` to the
    /// commit, so a committed batch is exactly there. Exactly once, across lost answers.
    pub async fn append_once(
        &self,
        entries: &[Entry],
        unconfirmed: Option<i64>,
    ) -> Result<Head, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut head = self.lock_head(&mut tx).await?;
        if entries.is_empty() {
            return Ok(head);
        }
        if let Some(after) = unconfirmed
            && head.seq >= after + entries.len() as i64
            && self.stored_after(&mut tx, after, entries).await?
        {
            tracing::warn!(target: "glass::audit", after, rows = entries.len(),
                "an unconfirmed audit commit had gone through: not appended again");
            return Ok(head);
        }
        let mut rows = Vec::with_capacity(entries.len());
        let after = head.seq;
        seal_after(&mut head, entries, &mut rows);
        Self::insert(&mut tx, &rows).await?;
        Self::set_head(&mut tx, &head).await?;
        tx.commit()
            .await
            .map_err(|source| StoreError::Unconfirmed { after, source })?;
        Ok(head)
    }

    /// Appends the outbox batches `batches` (id, rows) in one transaction, skipping every
    /// batch whose id was appended before (a broker that wrote it died before removing it
    /// from the outbox): exactly once, whoever drains. Returns how many rows were appended.
    pub async fn append_outboxed(
        &self,
        batches: &[(String, Vec<Entry>)],
        now_ms: i64,
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin_write().await?;
        let mut head = self.lock_head(&mut tx).await?;
        if batches.is_empty() {
            return Ok(0);
        }
        let mut done = std::collections::HashSet::new();
        for chunk in batches.chunks(ROWS_PER_INSERT) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            // Only placeholders are generated: no value is spliced into the text.
            let sql = format!(
                "SELECT id FROM audit_outbox_done WHERE id IN ({})",
                marks.join(",")
            );
            let mut q = sqlx::query_scalar::<_, String>(AssertSqlSafe(sql));
            for (id, _) in chunk {
                q = q.bind(id.clone());
            }
            done.extend(q.fetch_all(&mut *tx).await?);
        }
        let mut rows = Vec::new();
        let mut fresh = Vec::new();
        for (id, entries) in batches {
            if done.contains(id) || fresh.contains(&id) {
                continue;
            }
            fresh.push(id);
            seal_after(&mut head, entries, &mut rows);
        }
        if !done.is_empty() {
            tracing::warn!(target: "glass::audit", batches = done.len(),
                "outbox batches already in the trail (their writer stopped before removing them): not appended again");
        }
        if fresh.is_empty() {
            return Ok(0);
        }
        Self::insert(&mut tx, &rows).await?;
        for chunk in fresh.chunks(ROWS_PER_INSERT) {
            let marks: Vec<String> = (0..chunk.len())
                .map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2))
                .collect();
            // Only placeholders are generated: no value is spliced into the text.
            let sql = format!(
                "INSERT INTO audit_outbox_done (id, at) VALUES {}",
                marks.join(",")
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind((*id).clone()).bind(now_ms);
            }
            q.execute(&mut *tx).await?;
        }
        Self::set_head(&mut tx, &head).await?;
        tx.commit().await?;
        Ok(rows.len())
    }

    /// Whether the rows right after seq `after` hold `entries`, in order.
    async fn stored_after(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        after: i64,
        entries: &[Entry],
    ) -> Result<bool, StoreError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM audit_events WHERE seq > $1 AND seq <= $2 ORDER BY seq"
        )))
        .bind(after)
        .bind(after + entries.len() as i64)
        .fetch_all(&mut **tx)
        .await?;
        let rows = read_rows(&rows)?;
        Ok(rows.len() == entries.len() && rows.iter().zip(entries).all(|(r, e)| &r.entry == e))
    }

    /// The head recorded by the last append.
    pub async fn head(&self) -> Result<Head, StoreError> {
        let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(Head {
            seq: row.try_get("seq")?,
            hash: row.try_get("hash")?,
        })
    }

    /// Deletes the rows older than `retention` at `now_ms` (Unix ms; the caller's clock, so
    /// tests can move it) and records what it deleted as an `audit_pruned` row, in one
    /// transaction. Deletes a prefix of the chain: everything before the oldest row still
    /// within retention, so the trail never gets holes. `None`: nothing to delete.
    pub async fn prune(
        &self,
        now_ms: i64,
        retention: Duration,
    ) -> Result<Option<Pruned>, StoreError> {
        let keep_ms = i64::try_from(retention.as_millis()).unwrap_or(i64::MAX);
        let cutoff = now_ms.saturating_sub(keep_ms);
        let mut tx = self.begin_write().await?;
        let head = self.lock_head(&mut tx).await?;
        let done_kept = i64::try_from(OUTBOX_DONE_KEPT.as_millis()).unwrap_or(i64::MAX);
        sqlx::query("DELETE FROM audit_outbox_done WHERE at < $1")
            .bind(now_ms.saturating_sub(done_kept))
            .execute(&mut *tx)
            .await?;
        let first_kept: Option<i64> =
            sqlx::query_scalar("SELECT MIN(seq) FROM audit_events WHERE at >= $1")
                .bind(cutoff)
                .fetch_one(&mut *tx)
                .await?;
        let last_pruned = first_kept.map_or(head.seq, |s| s - 1);
        let found =
            sqlx::query("SELECT COUNT(*) AS n, MAX(seq) AS last FROM audit_events WHERE seq <= $1")
                .bind(last_pruned)
                .fetch_one(&mut *tx)
                .await?;
        let count: i64 = found.try_get("n")?;
        let Some(last_seq) = found.try_get::<Option<i64>, _>("last")? else {
            tx.commit().await?;
            return Ok(None);
        };
        if count == 0 {
            tx.commit().await?;
            return Ok(None);
        }
        let last_hash: String = sqlx::query_scalar("SELECT hash FROM audit_events WHERE seq = $1")
            .bind(last_seq)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM audit_events WHERE seq <= $1")
            .bind(last_seq)
            .execute(&mut *tx)
            .await?;
        let entry = BrokerEvent::AuditPruned {
            count: u64::try_from(count).unwrap_or(0),
            last_seq,
            last_hash,
        }
        .entry(
            u64::try_from(now_ms).unwrap_or(0),
            "",
            &ActorRef::broker(),
            None,
        );
        let row = chain::seal(&head, entry);
        let new_head = Head {
            seq: row.seq,
            hash: row.hash.clone(),
        };
        Self::insert(&mut tx, std::slice::from_ref(&row)).await?;
        Self::set_head(&mut tx, &new_head).await?;
        tx.commit().await?;
        Ok(Some(Pruned {
            count: u64::try_from(count).unwrap_or(0),
            last_seq,
            record_seq: row.seq,
        }))
    }

    /// Walks the whole trail in seq order within one snapshot, page by page, handing the
    /// head recorded in that snapshot and each page to `visit`; returns that head.
    pub async fn walk(
        &self,
        mut visit: impl FnMut(&Head, &[Row]) -> std::ops::ControlFlow<()>,
    ) -> Result<Head, StoreError> {
        let mut tx = self.begin_read().await?;
        let h = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?;
        let head = Head {
            seq: h.try_get("seq")?,
            hash: h.try_get("hash")?,
        };
        let mut after = i64::MIN;
        loop {
            let page = sqlx::query(AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2"
            )))
            .bind(after)
            .bind(PAGE)
            .fetch_all(&mut *tx)
            .await?;
            let mut rows = Vec::with_capacity(page.len());
            for r in &page {
                rows.push(read_row(r).map_err(|e| StoreError::Corrupt {
                    after,
                    reason: e.to_string(),
                })?);
            }
            let Some(last) = rows.last() else { break };
            after = last.seq;
            if visit(&head, &rows).is_break() || rows.len() < PAGE as usize {
                break;
            }
        }
        tx.commit().await?;
        Ok(head)
    }

    /// Verifies the chain against the head recorded in the same snapshot; `anchor` is a
    /// (seq, hash) recorded outside the database. `Ok(Err(_))`: the trail is readable and
    /// broken at the named row.
    pub async fn verify(
        &self,
        anchor: Option<Head>,
    ) -> Result<Result<chain::Summary, chain::Broken>, StoreError> {
        let mut anchor = anchor;
        let mut verifier: Option<chain::Verifier> = None;
        let mut broken = None;
        let head = self
            .walk(|head, rows| {
                let v = verifier
                    .get_or_insert_with(|| chain::Verifier::new(head.clone(), anchor.take()));
                for r in rows {
                    if let Err(b) = v.push(r) {
                        broken = Some(b);
                        return std::ops::ControlFlow::Break(());
                    }
                }
                std::ops::ControlFlow::Continue(())
            })
            .await?;
        if let Some(b) = broken {
            return Ok(Err(b));
        }
        Ok(verifier
            .unwrap_or_else(|| chain::Verifier::new(head, anchor))
            .finish())
    }

    /// Rows whose time is at or after `from_ms`, in seq order (for reports).
    pub async fn rows_since(&self, from_ms: i64) -> Result<Vec<Row>, StoreError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM audit_events WHERE at >= $1 AND session IS NOT NULL \
             ORDER BY seq"
        )))
        .bind(from_ms)
        .fetch_all(&self.pool)
        .await?;
        read_rows(&rows)
    }

    /// One session's rows (16 hex digits, as stored), in seq order (for transcripts; the
    /// `session` index finds them).
    pub async fn session_rows(&self, session: &str) -> Result<Vec<Row>, StoreError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM audit_events WHERE session = $1 ORDER BY seq"
        )))
        .bind(session)
        .fetch_all(&self.pool)
        .await?;
        read_rows(&rows)
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The URL, password redacted.
    pub fn url(&self) -> &str {
        &self.url
    }
}

fn unix_ms_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_leave_the_url() {
        assert_eq!(
            redact("postgres://glass:s3cret@db:5432/audit"),
            "postgres://glass:***@db:5432/audit"
        );
        assert_eq!(redact("sqlite://a.db?mode=rwc"), "sqlite://a.db?mode=rwc");
        let e = dialect_of("mysql://u:pw@h/db").unwrap_err().to_string();
        assert!(e.starts_with("audit_db:") && !e.contains("pw"), "{e}");
    }

    #[tokio::test]
    async fn an_outbox_batch_is_appended_once_whoever_drains_it_again() {
        let store = AuditStore::open("sqlite::memory:").await.unwrap();
        let row = |i: u64| BrokerEvent::SignedOut.entry(i, "local", &ActorRef::broker(), None);
        let first = vec![("r:1-0".to_owned(), vec![row(1), row(2)])];
        assert_eq!(store.append_outboxed(&first, 10).await.unwrap(), 2);
        // The drainer died before removing it; the next one reads it again, with a newer one
        // (and the same id twice in one read).
        let again = vec![
            ("r:1-0".to_owned(), vec![row(1), row(2)]),
            ("r:2-0".to_owned(), vec![row(3)]),
            ("r:2-0".to_owned(), vec![row(3)]),
        ];
        assert_eq!(store.append_outboxed(&again, 20).await.unwrap(), 1);
        assert_eq!(store.append_outboxed(&again, 30).await.unwrap(), 0);
        assert_eq!(store.head().await.unwrap().seq, 3);
        assert!(store.verify(None).await.unwrap().is_ok());
        // The ids are forgotten long after (by the prune job), not before.
        let week = i64::try_from(OUTBOX_DONE_KEPT.as_millis()).unwrap();
        store
            .prune(week, Duration::from_secs(3600 * 24 * 365))
            .await
            .unwrap();
        assert_eq!(store.append_outboxed(&again[..1], 40).await.unwrap(), 0);
        store
            .prune(week + 11, Duration::from_secs(3600 * 24 * 365))
            .await
            .unwrap();
        assert_eq!(store.append_outboxed(&again[..1], 50).await.unwrap(), 2);
    }
}
