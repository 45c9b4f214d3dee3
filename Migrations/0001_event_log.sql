-- 0001_event_log: the immutable, hash-chained event log and the stream heads.
-- Released: never edit this file; add a new migration instead.

-- Every directory change, in global order. Rows are never updated or deleted.
CREATE TABLE events (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,         -- global order, never reused
    event_id       TEXT    NOT NULL UNIQUE,                   -- appending the same id twice is a no-op
    stream         TEXT    NOT NULL,                          -- 'tenant' or 'kind:anchor'
    version        INTEGER NOT NULL CHECK (version >= 1),     -- 1-based position in the stream
    type           TEXT    NOT NULL,                          -- catalog type, e.g. 'UserCreated'
    schema_version INTEGER NOT NULL CHECK (schema_version >= 1),
    actor          TEXT    NOT NULL,                          -- who made the change
    source         TEXT    NOT NULL,                          -- the system it came from
    occurred_at    TEXT    NOT NULL,                          -- RFC 3339 UTC, YYYY-MM-DDTHH:MM:SS.mmmZ
    recorded_at    TEXT    NOT NULL,                          -- when this ledger stored it (not chained)
    payload        TEXT    NOT NULL,                          -- canonical JSON of the event data
    prev_hash      TEXT    NOT NULL CHECK (length(prev_hash) = 64),
    hash           TEXT    NOT NULL CHECK (length(hash) = 64),  -- SHA-256(prev_hash || canonical event), hex
    UNIQUE (stream, version)
);

CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'syncledger: events are immutable; UPDATE is refused (append a correcting event instead)');
END;

CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'syncledger: events are immutable; DELETE is refused (append a deleting event instead)');
END;

-- A new row must chain to the last one: its prev_hash is the hash of the row before it.
CREATE TRIGGER events_require_chain BEFORE INSERT ON events
WHEN NEW.prev_hash IS NOT coalesce(
    (SELECT hash FROM events ORDER BY seq DESC LIMIT 1),
    '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN
    SELECT RAISE(ABORT, 'syncledger: prev_hash does not match the hash of the last event; the chain would break');
END;

-- Where each stream stands, written in the same transaction as its events.
CREATE TABLE streams (
    stream   TEXT    PRIMARY KEY NOT NULL,
    version  INTEGER NOT NULL CHECK (version >= 1),
    state    TEXT    NOT NULL CHECK (state IN ('absent', 'active', 'inactive', 'deleted')),
    subtype  TEXT,                                             -- group kind, resource kind
    pushed   INTEGER NOT NULL DEFAULT 0 CHECK (pushed IN (0, 1)),  -- Group Push on
    last_seq INTEGER NOT NULL
) WITHOUT ROWID;
