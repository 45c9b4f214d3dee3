#!/usr/bin/env python3
"""Side-by-side benchmarks of syncledger against the baselines in ../shared/bench.

Usage: python3 Tools/bench/bench.py [--sizes 10000,100000,1000000] [--runs 3] [--large-runs 1] [--python-peer] [--work DIR]

Measures, on this machine in one run, and prints as ratios (medians of --runs; ingest and
rebuild of 1M+ events --large-runs times; queries --runs times at every size, after syncing what
was written to disk):
  ingest        syncledger ingest      vs  ledger_bench append --hash --stream-index   (and es_bench app-append)
  rebuild       syncledger rebuild     vs  ledger_bench replay --mode yyjson --verify  (and es_bench app-fold)
  plan          syncledger plan on the ingested tenant, from scratch; then `replay` journals that
                plan and `ack` records a $batch response to each of its requests (one command, timed);
                then plan again after 1k new events (UserUpdated of 1k users' displayName: 1k
                commands), and `plan --full` of that same ledger (which must give the same commands)
  as-of         syncledger state users --as-of <middle of the history>; then again from snapshots,
                after `rebuild --snapshot-every N/4` (timed, with the ledger's growth)
  report/audit  syncledger report users --format csv, audit --actor admin:jdoe, report actors
  peak RSS      of each, from /usr/bin/time -f %M
  time per event  of each system's ingest and rebuild at each size, and again less its fixed
                cost: the same two commands on an empty store (--runs times, before the sizes),
                what a command costs with no events (starting the process, opening and closing
                the file, its last commit's syncs)
The same events go to every system: gen_events.py output, converted by to_syncledger.py.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")


def run(cmd, **kw):
    """Runs cmd under /usr/bin/time; returns (seconds, peak KiB, stdout).

    Its standard output goes to a file, read back once the command has ended, as a user's
    `> file` would: a pipe read while the command runs would time this script's reading
    (and decoding) beside it, on a 2-core machine (0.6 s of a full plan's 68 MB).
    """
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=out, stderr=subprocess.PIPE, text=True, **kw)
        elapsed = time.perf_counter() - start
        if p.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
        rss = int(p.stderr.strip().splitlines()[-1])
        out.seek(0)
        return elapsed, rss, out.read().decode("utf-8")


def synced_run(cmd, **kw):
    """Runs cmd as `run` does, after flushing every file written before it to disk (`sync`)."""
    os.sync()
    return run(cmd, **kw)

def median(samples):
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--large-runs", type=int, default=1, help="runs for sizes of 1M events and more")
    ap.add_argument("--python-peer", action="store_true", help="also run Python eventsourcing (pip install eventsourcing==9.5.6 in a venv)")
    ap.add_argument("--work", default=None)
    a = ap.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="syncledger-bench-")
    os.makedirs(work, exist_ok=True)

    # Build the C baseline and syncledger (release).
    cdir = os.path.join(work, "c")
    if not os.path.exists(os.path.join(cdir, "ledger_bench")):
        shutil.copytree(SHARED, cdir, dirs_exist_ok=True)
        subprocess.run(["sh", os.path.join(cdir, "build.sh")], check=True)
    # The binary a deployment runs (README, "Installing"): the Swift runtime linked in, so it
    # runs without a toolchain and starts without resolving the runtime's symbols. Built in a
    # folder of its own, so the usual `.build` is not rebuilt whenever the flag changes.
    release = ["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", os.path.join(ROOT, ".build-static")]
    subprocess.run(release + ["--product", "syncledger"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    bin_dir = subprocess.run(release + ["--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    sl = os.path.join(bin_dir, "syncledger")
    cb = os.path.join(cdir, "ledger_bench")
    py = None
    if a.python_peer:
        venv = os.path.join(work, "venv")
        if not os.path.exists(venv):
            subprocess.run([sys.executable, "-m", "venv", venv], check=True)
            subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "eventsourcing==9.5.6"], check=True)
        py = os.path.join(venv, "bin", "python")

    commands = ["c_append", "sl_ingest", "c_replay", "sl_rebuild", "py_append", "py_fold"]

    def time_systems(res, raw, ours, name):
        """Appends to `res` each system's timed append (of `raw`; syncledger's ingest of `ours`)
        into a new store named after `name`, then its replay (syncledger's rebuild) of it."""
        cdb = os.path.join(work, f"c-{name}.db")
        sdb = os.path.join(work, f"sl-{name}.sqlite")
        pdb = os.path.join(work, f"py-{name}.db")
        for f in (cdb, cdb + "-wal", cdb + "-shm", sdb, sdb + "-wal", sdb + "-shm", pdb):
            if os.path.exists(f):
                os.remove(f)
        # Each timed command starts with what the one before wrote flushed to disk: the
        # kernel's writeback of one system's file does not run during the next one's.
        res["c_append"].append(synced_run([cb, "append", raw, cdb, "--hash", "--stream-index"]))
        subprocess.run([sl, "init", "--tenant", "bench", "--mode", "profile-sync", "--ledger", sdb], check=True, capture_output=True)
        res["sl_ingest"].append(synced_run([sl, "ingest", ours, "--ledger", sdb]))
        res["c_replay"].append(synced_run([cb, "replay", cdb, "--mode", "yyjson", "--verify"]))
        res["sl_rebuild"].append(synced_run([sl, "rebuild", "--ledger", sdb]))
        if py:
            res["py_append"].append(synced_run([py, os.path.join(SHARED, "es_bench.py"), "app-append", raw, pdb, "--batch", "10000"]))
            res["py_fold"].append(synced_run([py, os.path.join(SHARED, "es_bench.py"), "app-fold", pdb]))

    # The fixed cost of each command: the same commands on an empty store, timed as the sizes'
    # are (a syncledger ledger holds its `init` event; the others nothing).
    empty_input = os.path.join(work, "empty.ndjson")
    open(empty_input, "w").close()
    fixed = {name: [] for name in commands}
    for _ in range(a.runs):
        time_systems(fixed, empty_input, empty_input, "empty")
    fixed = {k: median(v)[0] for k, v in fixed.items() if v}

    rows = []
    # The events each size holds (the converter drops a few of the generator's): time per
    # event is divided by these, not by the size asked for.
    events = {}
    raw_events = {}  # the generator's, which the C baseline and Python store
    for n in [int(x) for x in a.sizes.split(",")]:
        raw = os.path.join(work, f"events-{n}.ndjson")
        ours = os.path.join(work, f"sl-{n}.ndjson")
        if not os.path.exists(ours):
            subprocess.run([sys.executable, os.path.join(SHARED, "gen_events.py"), str(n), raw, "--uuid7"], check=True)
            subprocess.run([sys.executable, os.path.join(SHARED, "to_syncledger.py"), raw, ours], check=True, stderr=subprocess.DEVNULL)
        with open(ours, "rb") as f:
            events[n] = sum(1 for line in f if line.strip())
        with open(raw, "rb") as f:
            raw_events[n] = sum(1 for line in f if line.strip())
        res = {name: [] for name in commands}
        for _ in range(a.large_runs if n >= 1_000_000 else a.runs):
            time_systems(res, raw, ours, n)
        sdb = os.path.join(work, f"sl-{n}.sqlite")
        # Queries are short: medians of --runs at every size. What was just written is flushed
        # to disk first, so the kernel's writeback does not run during the timed reads.
        runs = a.runs
        os.sync()
        plan = [run([sl, "plan", "--format", "json", "--ledger", sdb]) for _ in range(runs)]
        middle = "2024-07-01"
        asof = [run([sl, "state", "users", "--as-of", middle, "--format", "csv", "--ledger", sdb]) for _ in range(runs)]
        # The same view from snapshots: a rebuild taking four over the history, then again.
        size = os.path.getsize(sdb)
        snap_rebuild = run([sl, "rebuild", "--snapshot-every", str(max(n // 4, 1)), "--ledger", sdb])
        # (The last connection's close checkpoints the WAL into the file.)
        snap_mb = (os.path.getsize(sdb) - size) / 1e6
        os.sync()
        asof_snap = [run([sl, "state", "users", "--as-of", middle, "--format", "csv", "--ledger", sdb]) for _ in range(runs)]
        if asof_snap[-1][2] != asof[-1][2]:
            sys.exit(f"{n}: state --as-of differs with snapshots")
        report = [run([sl, "report", "users", "--format", "csv", "--ledger", sdb]) for _ in range(runs)]
        audit = [run([sl, "audit", "--actor", "admin:jdoe", "--format", "csv", "--ledger", sdb]) for _ in range(runs)]
        actors = [run([sl, "report", "actors", "--format", "csv", "--ledger", sdb]) for _ in range(runs)]
        # Incremental plan: journal the full plan, append 1k changes, plan again.
        out = os.path.join(work, f"replay-{n}")
        shutil.rmtree(out, ignore_errors=True)
        run([sl, "replay", "--out", out, "--ledger", sdb])
        # Office 365 answers every request: a $batch response body per batch file, each create
        # 201 with the id of the object it made, anything else 204, all acked by one command
        # (as after a real run).
        answers = os.path.join(work, f"answers-{n}")
        shutil.rmtree(answers, ignore_errors=True)
        os.makedirs(answers)
        with open(os.path.join(out, "commands.ndjson")) as f:
            operations = {c["id"]: c["operation"] for c in map(json.loads, f)}
        def answer(request):
            if operations[request["id"]] in ("user.create", "group.upsert"):
                return {"id": request["id"], "status": 201, "body": {"id": "o-" + request["id"][:32]}}
            return {"id": request["id"], "status": 204}
        batches = sorted(f for f in os.listdir(out) if f.startswith("graph-batch-"))
        for name in batches:
            with open(os.path.join(out, name)) as f:
                requests = json.load(f)["requests"]
            with open(os.path.join(answers, name), "w") as f:
                json.dump({"responses": [answer(r) for r in requests]}, f)
        ack = run([sl, "ack", "--ledger", sdb] + [os.path.join(answers, name) for name in batches])
        os.sync()
        users = []
        with open(ours) as f:
            for line in f:
                if '"UserCreated"' in line:
                    users.append(json.loads(line)["object"])
                    if len(users) == 1000:
                        break
        more = os.path.join(work, f"more-{n}.ndjson")
        with open(more, "w") as f:
            for i, user in enumerate(users):
                f.write(json.dumps({"type": "UserUpdated", "object": user, "actor": "bench", "source": "bench",
                                    "at": "2025-06-01T00:00:00.000Z", "data": {"set": {"displayName": f"Bench {i}"}, "unset": []}}) + "\n")
        run([sl, "ingest", more, "--ledger", sdb])
        os.sync()
        plan_after = [run([sl, "plan", "--format", "json", "--ledger", sdb]) for _ in range(runs)]
        # The incremental plan must be the full one: same commands, same hash.
        incremental = json.loads(plan_after[-1][2])
        # The full plan of the same ledger (`plan --full`): every object again, against the
        # journal of the run; timed too, the incremental plan's other yardstick.
        plan_full = [run([sl, "plan", "--full", "--format", "json", "--ledger", sdb]) for _ in range(runs)]
        full = json.loads(plan_full[-1][2])
        if incremental["hash"] != full["hash"] or incremental["commands"] != full["commands"]:
            sys.exit(f"{n}: the incremental plan differs from the full plan")
        print(f"{n}: plan after 1k events: {len(incremental['commands'])} commands, {incremental['scope']['objects']} objects looked at "
              f"(full: {full['scope']['objects']}), same as --full", flush=True)
        m = {k: median(v) for k, v in res.items() if v}
        def ratio(a_, b_):
            return f"{m[a_][0] / m[b_][0]:.2f}x" if a_ in m and b_ in m else "-"
        rows.append((n, m, median(plan), median(asof), median(report), (median(audit), median(actors)), ratio, (median(plan_after), median(plan_full), ack, len(batches)),
                     (snap_rebuild, snap_mb, median(asof_snap))))

    print(f"\n| events | system | ingest s (ev/s) | rebuild s | peak RSS ingest / rebuild MiB |")
    print("|---|---|---|---|---|")
    for n, m, plan, asof, report, (audit, actors), ratio, (plan_after, plan_full, ack, acked_files), (snap_rebuild, snap_mb, asof_snap) in rows:
        for label, ap_, rp in [("C baseline", "c_append", "c_replay"), ("syncledger", "sl_ingest", "sl_rebuild"), ("Python eventsourcing", "py_append", "py_fold")]:
            if ap_ in m:
                print(f"| {n} | {label} | {m[ap_][0]:.2f} ({n / m[ap_][0]:,.0f}) | {m[rp][0]:.2f} | {m[ap_][1] // 1024} / {m[rp][1] // 1024} |")
        print(f"| {n} | ratios | ingest speed vs C: {m['c_append'][0] / m['sl_ingest'][0]:.2f}x; vs Python: {ratio('py_append', 'sl_ingest')} | rebuild time vs C: {m['sl_rebuild'][0] / m['c_replay'][0]:.1f}x; vs Python: {ratio('py_fold', 'sl_rebuild')} faster | |")
        print(f"| {n} | queries | plan {plan[0]:.2f} s ({plan[1] // 1024} MiB); ack of its {acked_files:,} batch responses {ack[0]:.2f} s ({ack[1] // 1024} MiB); after 1k events {plan_after[0]:.2f} s ({100 * plan_after[0] / plan[0]:.0f}%, {plan_after[1] // 1024} MiB), --full {plan_full[0]:.2f} s ({plan_full[1] // 1024} MiB; incremental {100 * plan_after[0] / plan_full[0]:.1f}% of it); state --as-of {asof[0]:.2f} s ({asof[1] // 1024} MiB), from snapshots {asof_snap[0]:.2f} s ({asof_snap[1] // 1024} MiB; rebuild taking 4: {snap_rebuild[0]:.2f} s, +{snap_mb:.0f} MB); report users {report[0]:.2f} s; audit --actor {audit[0]:.2f} s ({audit[1] // 1024} MiB); report actors {actors[0]:.2f} s ({actors[1] // 1024} MiB) | | |")
    # Time per event: each system's command time over the events it stored, whole and less
    # the command's fixed cost (on an empty store, above).
    systems = [("syncledger", "sl_ingest", "sl_rebuild", events), ("C baseline", "c_append", "c_replay", raw_events),
               ("Python eventsourcing", "py_append", "py_fold", raw_events)]
    systems = [s_ for s_ in systems if s_[1] in fixed]
    per_event = {}  # (system, command, less fixed) -> [µs per event at each size]
    for less_fixed in (False, True):
        title = "less the fixed cost" if less_fixed else "whole commands"
        print(f"\ntime per event, ingest / rebuild (µs), {title}:\n")
        print(f"| events (syncledger / the others) | {' | '.join(label for label, *_ in systems)} |")
        print(f"|---|{'---|' * len(systems)}")
        for n, m, *_ in rows:
            cells = []
            for label, ap_, rp, stored in systems:
                pair = []
                for command, key in (("ingest", ap_), ("rebuild", rp)):
                    t = m[key][0] - (fixed[key] if less_fixed else 0)
                    us = 1e6 * t / stored[n]
                    per_event.setdefault((label, command, less_fixed), []).append(us)
                    pair.append(f"{us:.2f}")
                cells.append(" / ".join(pair))
            print(f"| {n} ({events[n]:,} / {raw_events[n]:,}) | {' | '.join(cells)} |")
        if less_fixed:
            costs = "; ".join(f"{label} {1e3 * fixed[ap_]:.1f} / {1e3 * fixed[rp]:.1f} ms" for label, ap_, rp, _ in systems)
            print(f"\nfixed cost (the same commands on an empty store, medians of {a.runs}), ingest / rebuild: {costs}")
    if len(rows) > 1:
        # The scaling target: the slowest time per event over the fastest, across the sizes.
        print()
        for less_fixed, title in ((False, "whole commands"), (True, "less the fixed cost")):
            print(f"scaling (slowest time per event over the fastest), {title}: " + "; ".join(
                f"{label} ingest {max(per_event[(label, 'ingest', less_fixed)]) / min(per_event[(label, 'ingest', less_fixed)]):.2f}x, "
                f"rebuild {max(per_event[(label, 'rebuild', less_fixed)]) / min(per_event[(label, 'rebuild', less_fixed)]):.2f}x"
                for label, *_ in systems))
    print(f"\nwork folder: {work}")


if __name__ == "__main__":
    main()
