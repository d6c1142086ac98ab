-- Version 1 of the audit trail. One text for SQLite and PostgreSQL: only BIGINT and TEXT.
-- seq is assigned by the writer under the head lock (it is hashed, so it must be known before
-- the insert), never by the database.
CREATE TABLE IF NOT EXISTS audit_events (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    tenant TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    source TEXT,
    session TEXT,
    code BIGINT NOT NULL,
    name TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_events_at ON audit_events (at);
CREATE INDEX IF NOT EXISTS audit_events_session ON audit_events (session);
-- The last row written: one row, locked by every append so writers take turns.
CREATE TABLE IF NOT EXISTS audit_head (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
    SELECT 1, 0, '0000000000000000000000000000000000000000000000000000000000000000'
    WHERE NOT EXISTS (SELECT 1 FROM audit_head WHERE id = 1)
