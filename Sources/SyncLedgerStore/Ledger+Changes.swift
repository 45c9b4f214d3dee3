public import SyncLedgerDomain
import GRDB

extension Ledger {
    // MARK: - The last run's footprint

    /// The last replay run, with its plan's footprint (nil for a run journaled before
    /// footprints were recorded). Nil when nothing was ever replayed.
    public func lastReplayRun() throws -> (run: ReplayRun, footprint: RecordedFootprint?)? {
        try read { db in
            guard let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT r.run_id, r.base_seq, r.plan_hash, r.mode, r.emitted_at, r.output_dir,
                           p.scope, p.objects_planned, p.as_of, p.results_through
                    FROM replay_runs r LEFT JOIN replay_run_plans p ON p.run_id = r.run_id
                    ORDER BY r.run_id DESC LIMIT 1
                    """)
            else { return nil }
            let run = ReplayRun(runID: row[0], baseSeq: row[1], planHash: row[2], mode: row[3], emittedAt: row[4], outputDirectory: row[5])
            guard let scope = row[6] as String? else { return (run, nil) }
            var waiting: Set<String> = []
            var heldBack: Set<String> = []
            for deferred in try Row.fetchAll(db, sql: "SELECT stream, reason FROM replay_run_deferred WHERE run_id = ?", arguments: [run.runID]) {
                if (deferred[1] as String) == "waiting" { waiting.insert(deferred[0]) } else { heldBack.insert(deferred[0]) }
            }
            let footprint = PlanFootprint(
                isFull: scope == "full", objectsPlanned: row[7], asOf: row[8], waiting: waiting, heldBack: heldBack, resultsThrough: row[9])
            return (run, RecordedFootprint(run: run, footprint: footprint))
        }
    }

    /// The last result recorded (0: none).
    public func lastResultID() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(result_id), 0) FROM command_results") ?? 0 }
    }

    /// The time of the latest change folded into the directory state (nil: no object).
    public func latestDirectoryUpdate() throws -> Timestamp? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT max(updated_at) FROM directory_objects").flatMap(Timestamp.init(rfc3339:))
        }
    }

    // MARK: - What changed since

    /// The streams with events in `afterSeq+1...throughSeq`, each with the types of those
    /// events (the tenant's stream included).
    public func eventTypesByStream(afterSeq: Int64, throughSeq: Int64) throws -> [String: Set<String>] {
        try read { db in
            var types: [String: Set<String>] = [:]
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT stream, type FROM events WHERE seq > ? AND seq <= ? ORDER BY seq", arguments: [afterSeq, throughSeq])
            while let row = try cursor.next() { types[row[0], default: []].insert(row[1]) }
            return types
        }
    }

    /// The objects with a failed or throttled result recorded after `resultID`.
    public func streamsWithFailures(afterResult resultID: Int64) throws -> Set<String> {
        try read { db in
            try String.fetchSet(
                db,
                sql: """
                    SELECT DISTINCT j.stream FROM command_results r JOIN journal_commands j ON j.journal_id = r.journal_id
                    WHERE r.result_id > ? AND r.status <> 'applied'
                    """, arguments: [resultID])
        }
    }

    /// The users of the directory state whose current deactivation began at or after `time`
    /// (RFC 3339), deleted ones included.
    public func userStreams(deactivatedSince time: String) throws -> Set<String> {
        try read { db in
            // Only users have a deactivation; no condition on kind, so the partial index on
            // deactivated_at is the one SQLite picks.
            try String.fetchSet(db, sql: "SELECT stream FROM directory_objects WHERE deactivated_at >= ?", arguments: [time])
        }
    }

    /// The groups of the directory state that list any of `members`.
    public func groupStreams(containingAny members: some Sequence<String>) throws -> Set<String> {
        try read { db in
            let statement = try db.makeStatement(sql: "SELECT group_stream FROM directory_members WHERE member = ?")
            var groups: Set<String> = []
            for member in members { groups.formUnion(try String.fetchSet(statement, arguments: [member])) }
            return groups
        }
    }

    /// The objects of the directory state among `streams` (those it never saw are left out).
    public func directoryObjects(_ streams: some Sequence<ObjectRef>) throws -> [DirectoryObject] {
        try read { db in
            let writer = try DirectoryStateWriter(db: db)
            return try streams.compactMap { try writer.load($0) }
        }
    }

    /// Objects per kind and subtype that exist in the directory state, and for groups the
    /// sum over groups of max(1, member count): the population a percentage threshold of
    /// destructive commands is measured against.
    public func directoryPopulation() throws -> [(kind: String, subtype: String?, objects: Int, memberSlots: Int)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT kind, subtype, count(*),
                           sum(CASE WHEN kind = 'group'
                               THEN max(1, (SELECT count(*) FROM directory_members m WHERE m.group_stream = o.stream))
                               ELSE 0 END)
                    FROM directory_objects o WHERE deleted = 0 AND created_seq > 0 GROUP BY kind, subtype
                    """
            ).map { (kind: $0[0], subtype: $0[1], objects: $0[2], memberSlots: $0[3]) }
        }
    }

    /// For each stream, the first and last seq and the actors of its events after the seq
    /// given for it, up to `throughSeq`: one index lookup per stream (the plan of a few
    /// objects need not scan the log).
    public func eventCauses(after floors: [String: Int64], throughSeq: Int64) throws -> [String: (first: Int64, last: Int64, actors: Set<String>)] {
        try read { db in
            // One statement stepped through SQLite directly: an incremental plan looks up a
            // stream per changed object.
            let statement = try RawStatement(db, sql: "SELECT seq, actor FROM events WHERE stream = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY version")
            statement.bind(throughSeq, at: 3)
            var found: [String: (first: Int64, last: Int64, actors: Set<String>)] = [:]
            for (stream, floor) in floors {
                statement.bind(stream, at: 1)
                statement.bind(floor, at: 2)
                var entry: (first: Int64, last: Int64, actors: Set<String>)?
                try statement.forEachRow { row in
                    let seq = row.int64(at: 0)
                    var current = entry ?? (seq, seq, [])
                    current.first = min(current.first, seq)
                    current.last = max(current.last, seq)
                    current.actors.insert(row.string(at: 1) ?? "")
                    entry = current
                }
                if let entry { found[stream] = entry }
            }
            return found
        }
    }
}
