#!/usr/bin/env bash
# Crash harness: runs `syncledger ingest` and `syncledger replay` on large inputs and kills
# them with SIGKILL at random moments; after every kill it checks that
#   - `syncledger verify` passes (one unbroken chain),
#   - no partial batch is visible (the event count is the count before or after the whole file;
#     every journaled run has all of its commands),
#   - the projections equal a rebuild (every row of the directory tables, caught up by
#     `syncledger state users`, is identical after `syncledger rebuild`),
# and that re-running the interrupted command completes with no duplicate events (the final
# count is exactly the events generated) and no duplicate journaled commands.
#
# Usage: Tools/crash-harness.sh [--kills N] [--events N] [--batches N] [--seconds S] [--seed N]
#   --kills    kills to survive (default 200)
#   --events   events per input file (default 20000)
#   --batches  input files per run; a run is a fresh ledger (default 2)
#   --seconds  time budget; stops early (and fails) when it is exhausted (default 1500)
#   --seed     seed for $RANDOM, to replay a failing sequence (default: the PID)
# The binary is $SYNCLEDGER_BINARY, else the debug build (built when missing).
# Needs bash, awk, coreutils and sqlite3. Prints "survived N kills" and exits 0 on success.
set -euo pipefail

kills=200
events=20000
batches=2
seconds=1500
seed=$$
while [ $# -gt 0 ]; do
    case "$1" in
        --kills) kills="$2"; shift 2 ;;
        --events) events="$2"; shift 2 ;;
        --batches) batches="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        *) echo "usage: $0 [--kills N] [--events N] [--batches N] [--seconds S] [--seed N]" >&2; exit 64 ;;
    esac
done
RANDOM=$seed

root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${SYNCLEDGER_BINARY:-}"
if [ -z "$bin" ]; then
    (cd "$root" && swift build --product syncledger >/dev/null)
    bin="$(cd "$root" && swift build --show-bin-path)/syncledger"
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/syncledger-crash.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export SYNCLEDGER_NOW=2026-02-01T12:00:00Z
export SYNCLEDGER_SEED=7
unset SYNCLEDGER_LEDGER
deadline=$(($(date +%s) + seconds))

fail() {
    echo "crash-harness: FAILED after $survived kills (seed $seed): $*" >&2
    exit 1
}

# generate RUN BATCH: one NDJSON file of $events events: users created, a fifth of them
# updated, groups with members (the projection's three tables are all touched).
generate() {
    awk -v run="$1" -v batch="$2" -v n="$events" 'BEGIN {
        users = int(n * 0.7); updates = int(n * 0.14); groups = int(n * 0.02); members = n - users - updates - groups
        for (i = 1; i <= users; i++)
            printf "{\"type\":\"UserCreated\",\"object\":\"user:r%db%du%d\",\"actor\":\"hr-import\",\"source\":\"workday\",\"at\":\"2026-01-05T09:00:00Z\",\"data\":{\"attributes\":{\"userPrincipalName\":\"u%d.b%d.r%d@contoso.example\",\"displayName\":\"User %d\",\"usageLocation\":\"NO\",\"jobTitle\":\"Engineer\"}}}\n", run, batch, i, i, batch, run, i
        for (i = 1; i <= updates; i++)
            printf "{\"type\":\"UserUpdated\",\"object\":\"user:r%db%du%d\",\"actor\":\"hr-import\",\"source\":\"workday\",\"at\":\"2026-01-06T09:00:00Z\",\"data\":{\"set\":{\"jobTitle\":\"Senior Engineer %d\"},\"unset\":[]}}\n", run, batch, i, i
        for (g = 1; g <= groups; g++)
            printf "{\"type\":\"GroupCreated\",\"object\":\"group:r%db%dg%d\",\"actor\":\"hr-import\",\"source\":\"ad\",\"at\":\"2026-01-05T09:05:00Z\",\"data\":{\"kind\":\"security\",\"displayName\":\"Group %d\",\"mailNickname\":\"r%db%dg%d\"}}\n", run, batch, g, g, run, batch, g
        for (i = 1; i <= members; i++)
            printf "{\"type\":\"MemberAdded\",\"object\":\"group:r%db%dg%d\",\"actor\":\"hr-import\",\"source\":\"ad\",\"at\":\"2026-01-05T09:06:00Z\",\"data\":{\"member\":\"user:r%db%du%d\"}}\n", run, batch, (i % groups) + 1, run, batch, i
    }'
}

sql() { sqlite3 "$ledger" "$1"; }

# dump: every row of the directory projection's tables, sorted (row order is not state).
dump() {
    local table
    for table in directory_objects directory_licenses directory_roles directory_members; do
        echo "== $table"
        sql "SELECT * FROM $table" | sort
    done
}

# check LABEL: the invariants every kill must leave intact.
check() {
    "$bin" verify --ledger "$ledger" >"$work/verify.out" 2>&1 || fail "$1: verify failed: $(cat "$work/verify.out")"
    # `state` catches the projection up from its checkpoint (the recovery path after a kill).
    "$bin" state users --ledger "$ledger" --format csv >"$work/users.csv" 2>"$work/err" || fail "$1: state users: $(cat "$work/err")"
    dump >"$work/projection.before"
    "$bin" rebuild --ledger "$ledger" >/dev/null 2>"$work/err" || fail "$1: rebuild: $(cat "$work/err")"
    dump >"$work/projection.after"
    cmp -s "$work/projection.before" "$work/projection.after" || fail "$1: the projection differs from a rebuild: $(diff "$work/projection.before" "$work/projection.after" | head -5)"
    local duplicates incomplete
    duplicates=$(sql "SELECT count(*) - count(DISTINCT command_id) FROM journal_commands")
    [ "$duplicates" = 0 ] || fail "$1: $duplicates duplicate journaled commands"
    incomplete=$(sql "SELECT count(*) FROM replay_runs r WHERE NOT EXISTS (SELECT 1 FROM journal_commands j WHERE j.run_id = r.run_id)")
    [ "$incomplete" = 0 ] || fail "$1: $incomplete journaled runs without their commands"
}

# kill_at COMMAND...: runs the command, SIGKILLs it after a random delay in [0, window) ms;
# returns 0 when it was killed, 1 when it finished first (its status must then be 0).
kill_at() {
    local delay=$((RANDOM % window))
    "$@" >"$work/run.out" 2>"$work/run.err" &
    local pid=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    if kill -KILL "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null || true
        return 0
    fi
    wait "$pid" || fail "the command finished without a kill but failed: $(cat "$work/run.err")"
    return 1
}

survived=0
ingest_kills=0
replay_kills=0
replay_window=1000
completed=0
run=0
window=1000
started=$(date +%s)
while [ "$survived" -lt "$kills" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "time budget of $seconds s exhausted"
    run=$((run + 1))
    ledger="$work/run$run.sqlite"
    "$bin" init --ledger "$ledger" --tenant contoso --mode profile-sync --actor admin:setup >/dev/null
    expected=1
    for batch in $(seq 1 "$batches"); do
        generate "$run" "$batch" >"$work/batch.ndjson"
        # The window is the time of an uninterrupted ingest of this size, measured once.
        if [ "$run" = 1 ] && [ "$batch" = 1 ]; then
            probe="$work/probe.sqlite"
            "$bin" init --ledger "$probe" --tenant contoso --mode profile-sync --actor admin:setup >/dev/null
            t0=$(date +%s%N)
            "$bin" ingest --ledger "$probe" "$work/batch.ndjson" >/dev/null
            window=$(( ($(date +%s%N) - t0) / 1000000 * 11 / 10 + 1 ))
            t0=$(date +%s%N)
            "$bin" replay --ledger "$probe" --out "$work/probe-out" >/dev/null
            replay_window=$(( ($(date +%s%N) - t0) / 1000000 * 11 / 10 + 1 ))
            rm -rf "$probe" "$probe-wal" "$probe-shm" "$work/probe-out"
            echo "crash-harness: ingesting $events events takes ~$((window * 10 / 11)) ms, replaying them ~$((replay_window * 10 / 11)) ms" >&2
        fi
        before=$(sql "SELECT count(*) FROM events")
        while true; do
            if kill_at "$bin" ingest --ledger "$ledger" "$work/batch.ndjson"; then
                survived=$((survived + 1))
                ingest_kills=$((ingest_kills + 1))
                now=$(sql "SELECT count(*) FROM events")
                [ "$now" = "$before" ] || [ "$now" = $((before + events)) ] \
                    || fail "ingest kill: a partial batch is visible ($now events; $before before, $((before + events)) after)"
                check "ingest kill $survived"
                [ "$survived" -lt "$kills" ] || break
                [ "$(date +%s)" -lt "$deadline" ] || fail "time budget of $seconds s exhausted"
            else
                completed=$((completed + 1))
                break
            fi
        done
        # Re-running the interrupted command completes and appends what is missing, once.
        "$bin" ingest --ledger "$ledger" "$work/batch.ndjson" >"$work/run.out" 2>"$work/run.err" \
            || fail "re-running ingest failed: $(cat "$work/run.err")"
        expected=$((expected + events))
        now=$(sql "SELECT count(*) FROM events")
        [ "$now" = "$expected" ] || fail "after re-running ingest: $now events, expected $expected (duplicates or losses)"
        [ "$survived" -lt "$kills" ] || break
    done
    check "run $run ingested"

    # Replay: kill it while it plans, writes files and journals; re-run into a fresh folder.
    attempt=0
    while [ "$survived" -lt "$kills" ]; do
        attempt=$((attempt + 1))
        runs_before=$(sql "SELECT count(*) FROM replay_runs")
        saved_window=$window
        window=$replay_window
        if kill_at "$bin" replay --ledger "$ledger" --out "$work/out$run-$attempt"; then
            window=$saved_window
            survived=$((survived + 1))
            replay_kills=$((replay_kills + 1))
            runs_now=$(sql "SELECT count(*) FROM replay_runs")
            [ "$runs_now" = "$runs_before" ] || [ "$runs_now" = $((runs_before + 1)) ] || fail "replay kill: $runs_now runs"
            check "replay kill $survived"
            [ "$(date +%s)" -lt "$deadline" ] || fail "time budget of $seconds s exhausted"
        else
            window=$saved_window
            completed=$((completed + 1))
            break
        fi
        # Three kills per run are enough to reach every phase; then let it finish.
        [ "$attempt" -lt 3 ] || break
    done
    "$bin" replay --ledger "$ledger" --out "$work/final$run" >"$work/run.out" 2>"$work/run.err" \
        || fail "re-running replay failed: $(cat "$work/run.err")"
    "$bin" replay --ledger "$ledger" --out "$work/again$run" >"$work/run.out" 2>"$work/run.err" \
        || fail "replaying again failed: $(cat "$work/run.err")"
    grep -q "Nothing to emit" "$work/run.out" || fail "replaying again emitted commands: $(cat "$work/run.out")"
    journaled=$(sql "SELECT count(DISTINCT command_id) FROM journal_commands")
    users=$(sql "SELECT count(*) FROM directory_objects WHERE kind = 'user'")
    [ "$journaled" -ge "$users" ] || fail "run $run: $journaled commands journaled for $users users"
    check "run $run replayed"
    [ "$(sql "SELECT count(*) FROM events")" = "$expected" ] || fail "run $run: events lost or duplicated"
    rm -rf "$work"/out* "$work"/final* "$work"/again* "$ledger" "$ledger-wal" "$ledger-shm"
done
elapsed=$(($(date +%s) - started))
echo "crash-harness: survived $survived kills ($ingest_kills during ingest, $replay_kills during replay; $completed commands finished before their kill) over $run runs of $batches x $events events in ${elapsed}s; nothing lost, nothing duplicated"
