-- 0003_command_journal: the Office 365 commands the replayer emitted, and their results.
-- Released: never edit this file; add a new migration instead.
-- Both tables are append-only: a result is never overwritten, a later one is added.

-- One row per replay run that emitted commands.
CREATE TABLE replay_runs (
    run_id      INTEGER PRIMARY KEY AUTOINCREMENT,
    base_seq    INTEGER NOT NULL,        -- the last event seq the plan was computed from
    plan_hash   TEXT    NOT NULL,        -- SHA-256 of the plan's commands, hex
    mode        TEXT    NOT NULL,        -- the provisioning mode in force
    emitted_at  TEXT    NOT NULL,
    output_dir  TEXT    NOT NULL
);

-- Every emitted command. The same command_id may appear again in a later run: a retry
-- after a failure, or a value that went away and came back.
CREATE TABLE journal_commands (
    journal_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    command_id    TEXT    NOT NULL,      -- SHA-256 of tenant, object, operation, canonical body
    run_id        INTEGER NOT NULL REFERENCES replay_runs (run_id),
    stream        TEXT    NOT NULL,      -- the object: 'kind:anchor'
    operation     TEXT    NOT NULL,      -- e.g. 'user.create', 'group.member.add'
    target        TEXT    NOT NULL CHECK (target IN ('graph', 'exchange')),
    body          TEXT    NOT NULL,      -- canonical JSON of what the command sets
    first_seq     INTEGER NOT NULL,      -- the events that caused it
    last_seq      INTEGER NOT NULL,
    actors        TEXT    NOT NULL,      -- canonical JSON array
    mode          TEXT    NOT NULL,
    reversibility TEXT    NOT NULL,
    destructive   INTEGER NOT NULL CHECK (destructive IN (0, 1))
);

CREATE INDEX journal_commands_by_command ON journal_commands (command_id);
CREATE INDEX journal_commands_by_stream ON journal_commands (stream);

-- Results reported by `syncledger ack`, in the order they were recorded.
CREATE TABLE command_results (
    result_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    journal_id   INTEGER NOT NULL REFERENCES journal_commands (journal_id),  -- the emission it answers
    command_id   TEXT    NOT NULL,
    status       TEXT    NOT NULL CHECK (status IN ('applied', 'failed', 'throttled')),
    http_status  INTEGER,
    object_id    TEXT,                   -- the Office 365 id learnt from a create
    error        TEXT,
    recorded_at  TEXT    NOT NULL,
    source_file  TEXT    NOT NULL
);

CREATE INDEX command_results_by_command ON command_results (command_id);

CREATE TRIGGER journal_commands_refuse_update BEFORE UPDATE ON journal_commands
BEGIN SELECT RAISE(ABORT, 'syncledger: the command journal is append-only; UPDATE is refused'); END;
CREATE TRIGGER journal_commands_refuse_delete BEFORE DELETE ON journal_commands
BEGIN SELECT RAISE(ABORT, 'syncledger: the command journal is append-only; DELETE is refused'); END;
CREATE TRIGGER command_results_refuse_update BEFORE UPDATE ON command_results
BEGIN SELECT RAISE(ABORT, 'syncledger: command results are append-only; UPDATE is refused'); END;
CREATE TRIGGER command_results_refuse_delete BEFORE DELETE ON command_results
BEGIN SELECT RAISE(ABORT, 'syncledger: command results are append-only; DELETE is refused'); END;
CREATE TRIGGER replay_runs_refuse_update BEFORE UPDATE ON replay_runs
BEGIN SELECT RAISE(ABORT, 'syncledger: replay runs are append-only; UPDATE is refused'); END;
