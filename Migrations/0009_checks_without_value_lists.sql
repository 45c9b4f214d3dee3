-- 0009_checks_without_value_lists: a column checked against three values or more is checked
-- by comparisons joined with OR, not by an IN list.
-- Released: never edit this file; add a new migration instead.

-- SQLite evaluates `x IN ('a', 'b', 'c')`, a list of more than two values, by building a
-- temporary B-tree of the values, once each time a statement runs. In a CHECK constraint that
-- was a B-tree made and freed for every row a single-row INSERT wrote (85 KiB allocated, about
-- 1.4 µs): 0.15 s of a 1M-event rebuild, for its 130,000 objects. `x = 'a' OR x = 'b' OR
-- x = 'c'` allows the same values and costs a few comparisons. The lists of two values
-- (`IN (0, 1)`) are compared directly already, and are left as they are.
--
-- SQLite cannot change a table's constraints in place. Each of the three tables is made again
-- under another name, its rows copied, the old table dropped and the new one renamed; its
-- indexes and triggers, dropped with it, are made again
-- (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema Changes").
-- Nothing references these tables, and the rows keep their keys (command_results its
-- result_id and its AUTOINCREMENT sequence).

CREATE TABLE streams_0009 (
    stream   TEXT    PRIMARY KEY NOT NULL,
    version  INTEGER NOT NULL CHECK (version >= 1),
    state    TEXT    NOT NULL CHECK (state = 'absent' OR state = 'active' OR state = 'inactive' OR state = 'deleted'),
    subtype  TEXT,                                             -- group kind, resource kind
    pushed   INTEGER NOT NULL DEFAULT 0 CHECK (pushed IN (0, 1)),  -- Group Push on
    last_seq INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO streams_0009 (stream, version, state, subtype, pushed, last_seq)
    SELECT stream, version, state, subtype, pushed, last_seq FROM streams;
DROP TABLE streams;
ALTER TABLE streams_0009 RENAME TO streams;

CREATE TABLE directory_objects_0009 (
    stream          TEXT    PRIMARY KEY NOT NULL,                 -- 'kind:anchor'
    kind            TEXT    NOT NULL CHECK (kind = 'user' OR kind = 'group' OR kind = 'contact' OR kind = 'resource'),
    anchor          TEXT    NOT NULL,
    subtype         TEXT,                                         -- group kind, resource kind
    display_name    TEXT,
    user_principal_name TEXT,                                     -- users
    mail            TEXT,                                         -- mail / primary SMTP / external address
    enabled         INTEGER NOT NULL CHECK (enabled IN (0, 1)),   -- users: sign-in allowed
    deactivated_at  TEXT,                                         -- users: when the current deactivation began
    deleted         INTEGER NOT NULL CHECK (deleted IN (0, 1)),
    pushed          INTEGER NOT NULL CHECK (pushed IN (0, 1)),    -- groups: Group Push on
    left_in_target  INTEGER NOT NULL CHECK (left_in_target IN (0, 1)),  -- groups: push off, kept in Office 365
    attributes      TEXT    NOT NULL,                             -- canonical JSON: source attributes
    direct_edits    TEXT    NOT NULL,                             -- canonical JSON: edits seen in Office 365
    version         INTEGER NOT NULL,
    created_seq     INTEGER NOT NULL,
    last_seq        INTEGER NOT NULL,
    updated_at      TEXT    NOT NULL,
    first_seq       INTEGER NOT NULL DEFAULT 0,                   -- the seq of the stream's first event folded
    actors          TEXT                                          -- JSON array: every actor of the events folded, sorted, each once
) WITHOUT ROWID;
INSERT INTO directory_objects_0009 (
    stream, kind, anchor, subtype, display_name, user_principal_name, mail, enabled, deactivated_at, deleted, pushed,
    left_in_target, attributes, direct_edits, version, created_seq, last_seq, updated_at, first_seq, actors)
    SELECT
        stream, kind, anchor, subtype, display_name, user_principal_name, mail, enabled, deactivated_at, deleted, pushed,
        left_in_target, attributes, direct_edits, version, created_seq, last_seq, updated_at, first_seq, actors
    FROM directory_objects;
DROP TABLE directory_objects;
ALTER TABLE directory_objects_0009 RENAME TO directory_objects;
CREATE INDEX directory_objects_by_upn ON directory_objects (user_principal_name) WHERE user_principal_name IS NOT NULL;
CREATE INDEX directory_objects_by_deactivation ON directory_objects (deactivated_at) WHERE deactivated_at IS NOT NULL;
CREATE INDEX directory_objects_by_update ON directory_objects (updated_at);

CREATE TABLE command_results_0009 (
    result_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    journal_id   INTEGER NOT NULL REFERENCES journal_commands (journal_id),  -- the emission it answers
    command_id   TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status = 'applied' OR status = 'failed' OR status = 'throttled'),
    http_status  INTEGER,
    object_id    TEXT,                   -- the Office 365 id learnt from a create
    error        TEXT,
    recorded_at  TEXT    NOT NULL,
    source_file  TEXT    NOT NULL
);
INSERT INTO command_results_0009 (
    result_id, journal_id, command_id, status, http_status, object_id, error, recorded_at, source_file)
    SELECT result_id, journal_id, command_id, status, http_status, object_id, error, recorded_at, source_file
    FROM command_results;
-- The sequence goes on from where the old table's stood.
DELETE FROM sqlite_sequence WHERE name = 'command_results_0009';
INSERT INTO sqlite_sequence (name, seq) SELECT 'command_results_0009', seq FROM sqlite_sequence WHERE name = 'command_results';
DROP TABLE command_results;
ALTER TABLE command_results_0009 RENAME TO command_results;
CREATE INDEX command_results_by_command ON command_results (command_id);
CREATE INDEX command_results_by_journal ON command_results (journal_id);
CREATE TRIGGER command_results_refuse_update BEFORE UPDATE ON command_results
BEGIN SELECT RAISE(ABORT, 'syncledger: command results are append-only; UPDATE is refused'); END;
CREATE TRIGGER command_results_refuse_delete BEFORE DELETE ON command_results
BEGIN SELECT RAISE(ABORT, 'syncledger: command results are append-only; DELETE is refused'); END;
