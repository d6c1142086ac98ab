-- Version 2: the outbox batches already appended (docs/audit.md, "Written before it is
-- acted on"). A batch's id is recorded in the same transaction as its rows, so a batch
-- written by a broker that died before removing it from the outbox is never appended twice.
CREATE TABLE IF NOT EXISTS audit_outbox_done (
    id TEXT PRIMARY KEY,
    at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_outbox_done_at ON audit_outbox_done (at)
