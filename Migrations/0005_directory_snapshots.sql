-- 0005_directory_snapshots: the whole directory state at points of the log, so a view of the
-- past folds from the nearest snapshot instead of from seq 1.
-- Released: never edit this file; add a new migration instead.
-- Every row here can be rebuilt from `events` (`syncledger rebuild` takes them again).

-- One row per snapshot: the directory after every event up to through_seq.
CREATE TABLE directory_snapshots (
    through_seq        INTEGER PRIMARY KEY NOT NULL CHECK (through_seq > 0),
    through_hash       TEXT    NOT NULL CHECK (length(through_hash) = 64),  -- events.hash at through_seq: the log it was taken from
    format             INTEGER NOT NULL,   -- DirectoryObject.documentFormat of the build that took it
    latest_occurred_at TEXT    NOT NULL    -- the latest occurred_at of the objects' events up to through_seq
                                           -- ('' if none; the tenant's are left out: views fold them from events)
);

-- Each object of a snapshot (deleted ones included), one JSON document per object: its
-- fields as `DirectoryObject.document` writes them (README, "Snapshots").
CREATE TABLE directory_snapshot_objects (
    through_seq INTEGER NOT NULL REFERENCES directory_snapshots (through_seq),
    stream      TEXT    NOT NULL,          -- 'kind:anchor'
    object      TEXT    NOT NULL,          -- canonical JSON
    PRIMARY KEY (through_seq, stream)
) WITHOUT ROWID;
