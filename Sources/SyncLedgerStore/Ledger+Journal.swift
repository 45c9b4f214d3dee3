import SyncLedgerDomain
import GRDB

extension Ledger {
    // MARK: - Writing the journal

    /// Records a replay run and its commands in one transaction (the run is the replay's
    /// checkpoint). Returns the run id.
    ///
    /// - Parameters:
    ///   - expectedHead: the log's last seq the plan was made from; when the log has moved
    ///     past it, nothing is recorded and a `.versionConflict` error says the plan is stale.
    ///   - footprint: what the plan looked at and left undone, so the next plan can be
    ///     incremental (nil: the next plan is a full one).
    @discardableResult
    public func recordRun(_ run: ReplayRun, commands: [JournalEntry], expectedHead: Int64, footprint: PlanFootprint? = nil) throws -> Int64 {
        try writeImmediate { db in
            let head = try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM events") ?? 0
            guard head == expectedHead else {
                throw StoreError(
                    .versionConflict,
                    "stale plan: it was made at seq \(expectedHead) but the log is at seq \(head); plan again")
            }
            try db.execute(
                sql: "INSERT INTO replay_runs (base_seq, plan_hash, mode, emitted_at, output_dir) VALUES (?, ?, ?, ?, ?)",
                arguments: [run.baseSeq, run.planHash, run.mode, run.emittedAt, run.outputDirectory])
            let runID = db.lastInsertedRowID
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO journal_commands (command_id, run_id, stream, operation, target, body, first_seq,
                        last_seq, actors, mode, reversibility, destructive)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for command in commands {
                try insert.execute(arguments: [
                    command.commandID, runID, command.stream, command.operation, command.target, command.body,
                    command.firstSeq, command.lastSeq, JSONValue.array(command.actors.map(JSONValue.string)).canonicalString,
                    command.mode, command.reversibility, command.destructive ? 1 : 0,
                ])
            }
            if let footprint { try Self.record(footprint, runID: runID, db: db) }
            return (runID, commit: true)
        }
    }

    private static func record(_ footprint: PlanFootprint, runID: Int64, db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO replay_run_plans (run_id, scope, objects_planned, as_of, results_through)
                VALUES (?, ?, ?, ?, ?)
                """,
            arguments: [runID, footprint.isFull ? "full" : "incremental", footprint.objectsPlanned, footprint.asOf, footprint.resultsThrough])
        let insert = try db.makeStatement(sql: "INSERT INTO replay_run_deferred (run_id, stream, reason) VALUES (?, ?, ?)")
        for stream in footprint.waiting.sorted() { try insert.execute(arguments: [runID, stream, "waiting"]) }
        for stream in footprint.heldBack.sorted() { try insert.execute(arguments: [runID, stream, "held-back"]) }
    }

    /// Records results, each against the latest emission of its command, in one transaction.
    ///
    /// - Returns: the ids of commands that were never emitted (their results are not recorded).
    public func recordResults(_ results: [CommandResult]) throws -> [String] {
        try writeImmediate { db in
            var unknown: [String] = []
            let latest = try db.makeStatement(
                sql: "SELECT max(journal_id) FROM journal_commands WHERE command_id = ?")
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO command_results (journal_id, command_id, status, http_status, object_id, error,
                        recorded_at, source_file)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for result in results {
                guard let journalID = try Int64.fetchOne(latest, arguments: [result.commandID]) else {
                    unknown.append(result.commandID)
                    continue
                }
                try insert.execute(arguments: [
                    journalID, result.commandID, result.status.rawValue, result.httpStatus, result.objectID, result.error,
                    result.recordedAt, result.sourceFile,
                ])
            }
            return (unknown, commit: true)
        }
    }

    // MARK: - Reading the journal

    /// Every emission in journal order, each with its latest result; only those of
    /// `stream`, of one of `streams`, or of `commandID` when given.
    public func journal(stream: String? = nil, streams: Set<String>? = nil, commandID: String? = nil) throws -> [JournalEntry] {
        var entries: [JournalEntry] = []
        try forEachJournalEntry(stream: stream, streams: streams, commandID: commandID) { entries.append($0) }
        return entries
    }

    /// The journal's emissions, each joined to its latest result (found through
    /// `command_results_by_journal`, migration 0008), before any filter or order.
    static let journalRows = """
        SELECT j.journal_id, j.command_id, j.run_id, j.stream, j.operation, j.target, j.body, j.first_seq,
               j.last_seq, j.actors, j.mode, j.reversibility, j.destructive,
               r.status, r.http_status, r.object_id, r.error, r.recorded_at, r.source_file
        FROM journal_commands j
        LEFT JOIN command_results r ON r.result_id =
            (SELECT max(result_id) FROM command_results WHERE journal_id = j.journal_id)
        """

    /// Calls `body` with every emission in journal order, each with its latest result, one
    /// at a time (none is kept); only those of `stream`, of one of `streams`, or of
    /// `commandID` when given.
    ///
    /// A full plan after runs reads one row per command ever journaled: folded as they are
    /// read, they are never all in memory at once. `body` runs inside the read, so it must
    /// not use the ledger; what it throws ends the read and comes out as it was thrown.
    public func forEachJournalEntry(
        stream: String? = nil, streams: Set<String>? = nil, commandID: String? = nil, _ body: (JournalEntry) throws -> Void
    ) throws {
        // A read reports what its body throws as the ledger's error: the caller's own is
        // kept aside and thrown as it is.
        var bodyError: (any Error)?
        do {
            try readJournal(stream: stream, streams: streams, commandID: commandID) { entry in
                do { try body(entry) } catch {
                    bodyError = error
                    throw error
                }
            }
        } catch {
            throw bodyError ?? error
        }
    }

    /// The read behind ``forEachJournalEntry(stream:streams:commandID:_:)``, which reports its
    /// body's errors as the ledger's.
    private func readJournal(stream: String?, streams: Set<String>?, commandID: String?, _ body: (JournalEntry) throws -> Void) throws {
        try read { db in
            var sql = Self.journalRows
            // Read through SQLite's statement directly: a full plan after runs reads a row per
            // command ever journaled, an incremental one a row per changed object.
            var clauses: [String] = []
            var bindings: [String] = []
            if let stream {
                bindings.append(stream)
                clauses.append("j.stream = ?\(bindings.count)")
            }
            if let streams {
                // One query for any number of streams: the set goes in as a JSON array.
                bindings.append(JSONValue.array(streams.sorted().map(JSONValue.string)).canonicalString)
                clauses.append("j.stream IN (SELECT value FROM json_each(?\(bindings.count)))")
            }
            if let commandID {
                bindings.append(commandID)
                clauses.append("j.command_id = ?\(bindings.count)")
            }
            if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
            sql += " ORDER BY j.journal_id"
            let statement = try RawStatement(db, sql: sql)
            for (index, value) in bindings.enumerated() { statement.bind(value, at: Int32(index + 1)) }
            try statement.forEachRow { row in
                let actors = (try? JSONParser.parse(buffer: row.utf8(at: 9)))?.arrayValue?.compactMap(\.stringValue) ?? []
                var entry = JournalEntry(
                    journalID: row.int64(at: 0), commandID: row.string(at: 1) ?? "", runID: row.int64(at: 2), stream: row.string(at: 3) ?? "",
                    operation: row.string(at: 4) ?? "", target: row.string(at: 5) ?? "", body: row.string(at: 6) ?? "",
                    firstSeq: row.int64(at: 7), lastSeq: row.int64(at: 8), actors: actors, mode: row.string(at: 10) ?? "",
                    reversibility: row.string(at: 11) ?? "", destructive: row.int64(at: 12) != 0)
                if let status = row.string(at: 13).flatMap(CommandResult.Status.init(rawValue:)) {
                    entry.result = CommandResult(
                        commandID: entry.commandID, status: status, httpStatus: row.isNull(at: 14) ? nil : Int(row.int64(at: 14)),
                        objectID: row.string(at: 15), error: row.string(at: 16), recordedAt: row.string(at: 17) ?? "",
                        sourceFile: row.string(at: 18) ?? "")
                }
                try body(entry)
            }
        }
    }

    /// The operation of each of `commandIDs` the journal holds (ids it does not hold are
    /// left out), in one query through the command id index.
    public func journaledOperations(of commandIDs: Set<String>) throws -> [String: String] {
        guard !commandIDs.isEmpty else { return [:] }
        return try read { db in
            let statement = try RawStatement(db, sql: Self.operationsOfCommands)
            statement.bind(JSONValue.array(commandIDs.sorted().map(JSONValue.string)).canonicalString, at: 1)
            var operations: [String: String] = [:]
            try statement.forEachRow { row in
                if let id = row.string(at: 0), let operation = row.string(at: 1) { operations[id] = operation }
            }
            return operations
        }
    }

    /// The operation of each command id in the JSON array `?1`.
    static let operationsOfCommands = "SELECT command_id, operation FROM journal_commands WHERE command_id IN (SELECT value FROM json_each(?1))"

    /// The replay runs, oldest first.
    public func replayRuns() throws -> [ReplayRun] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT run_id, base_seq, plan_hash, mode, emitted_at, output_dir FROM replay_runs ORDER BY run_id")
                .map { ReplayRun(runID: $0[0], baseSeq: $0[1], planHash: $0[2], mode: $0[3], emittedAt: $0[4], outputDirectory: $0[5]) }
        }
    }
}
