-- 0004_plan_footprints: what each run's plan looked at, so the next plan can look only at
-- what changed since (an incremental plan).
-- Released: never edit this file; add a new migration instead.

-- One row per run whose plan was recorded this way. A run without a row (journaled before
-- this migration) makes the next plan a full one.
CREATE TABLE replay_run_plans (
    run_id          INTEGER PRIMARY KEY NOT NULL REFERENCES replay_runs (run_id),
    scope           TEXT    NOT NULL CHECK (scope IN ('full', 'incremental')),
    objects_planned INTEGER NOT NULL CHECK (objects_planned >= 0),  -- objects the plan looked at
    as_of           TEXT    NOT NULL,   -- the moment its time rules (grace periods) were evaluated at
    results_through INTEGER NOT NULL    -- the last command_results.result_id recorded before it
);

-- Objects a run's plan left with work undone: a change waiting for an Office 365 id, or a
-- destructive command held back by the thresholds. The next plan looks at them again.
CREATE TABLE replay_run_deferred (
    run_id INTEGER NOT NULL REFERENCES replay_runs (run_id),
    stream TEXT    NOT NULL,                                          -- the object: 'kind:anchor'
    reason TEXT    NOT NULL CHECK (reason IN ('waiting', 'held-back')),
    PRIMARY KEY (run_id, stream, reason)
) WITHOUT ROWID;

-- Users in or past a grace period, found without reading every object.
CREATE INDEX directory_objects_by_deactivation ON directory_objects (deactivated_at) WHERE deactivated_at IS NOT NULL;

-- The time of the latest change folded (a plan evaluates grace periods no earlier than it).
CREATE INDEX directory_objects_by_update ON directory_objects (updated_at);

CREATE TRIGGER replay_run_plans_refuse_update BEFORE UPDATE ON replay_run_plans
BEGIN SELECT RAISE(ABORT, 'syncledger: replay run plans are append-only; UPDATE is refused'); END;
CREATE TRIGGER replay_run_plans_refuse_delete BEFORE DELETE ON replay_run_plans
BEGIN SELECT RAISE(ABORT, 'syncledger: replay run plans are append-only; DELETE is refused'); END;
CREATE TRIGGER replay_run_deferred_refuse_update BEFORE UPDATE ON replay_run_deferred
BEGIN SELECT RAISE(ABORT, 'syncledger: deferred objects are append-only; UPDATE is refused'); END;
CREATE TRIGGER replay_run_deferred_refuse_delete BEFORE DELETE ON replay_run_deferred
BEGIN SELECT RAISE(ABORT, 'syncledger: deferred objects are append-only; DELETE is refused'); END;
