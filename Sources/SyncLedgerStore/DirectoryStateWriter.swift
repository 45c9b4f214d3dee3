public import SyncLedgerDomain
import GRDB

/// Writes the directory state projection inside one write transaction, together with its
/// checkpoint. Obtain one with ``Ledger/updateDirectoryState(_:)``.
public final class DirectoryStateWriter {
    /// The name of the directory projection's checkpoint.
    public static let projection = "directory"

    let db: Database
    private let loadStatement: RawStatement
    /// An object's licenses, roles and members, for ``load(_:)``: prepared on first use.
    private var relationStatements: (licenses: RawStatement, roles: RawStatement, members: RawStatement)?
    /// The actor lists loaded objects had so far (most share a few).
    private var actorLists = DirectoryRows.ActorLists()
    private let saveStatement: Statement
    /// Inserts snapshot objects; prepared on first use.
    var snapshotStatement: RawStatement?

    init(db: Database) throws {
        self.db = db
        loadStatement = try RawStatement(db, sql: "SELECT \(DirectoryRows.objectColumns) FROM directory_objects WHERE stream = ?1")
        saveStatement = try db.makeStatement(
            sql: """
                INSERT OR REPLACE INTO directory_objects (\(DirectoryRows.objectColumns))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
    }

    // MARK: - Checkpoint

    /// The last seq folded into the directory state (0: nothing yet).
    public func checkpoint() throws -> Int64 {
        try Int64.fetchOne(
            db, sql: "SELECT last_seq FROM projection_checkpoints WHERE projection = ?", arguments: [Self.projection]) ?? 0
    }

    /// The seq of the last event in the log.
    public func lastSeq() throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM events") ?? 0
    }

    /// Records that the directory state holds every event up to `seq`.
    public func setCheckpoint(_ seq: Int64) throws {
        try db.execute(
            sql: """
                INSERT INTO projection_checkpoints (projection, last_seq) VALUES (?, ?)
                ON CONFLICT (projection) DO UPDATE SET last_seq = excluded.last_seq
                """, arguments: [Self.projection, seq])
    }

    /// How many streams have an event after `seq` (a bound on the objects a catch-up from
    /// `seq` touches).
    public func streamCount(changedAfter seq: Int64) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM streams WHERE last_seq > ? AND stream <> 'tenant'", arguments: [seq]) ?? 0
    }

    /// Whether the directory state holds no object (a rebuild's start, or a new ledger).
    public func isEmpty() throws -> Bool {
        try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM directory_objects)") ?? false)
    }

    /// Runs `body` with SQLite's page cache limited to `kib` KiB (its pages beyond that
    /// freed first), then restores the cache it found: a fold's objects take the
    /// memory a bulk append gave the cache.
    public func withPageCache<T>(kib: Int, _ body: () throws -> T) throws -> T {
        let previous = try db.limitPageCache(kib: kib)
        defer { try? db.restorePageCache(previous) }
        return try body()
    }

    /// Empties the directory state, its snapshots and its checkpoint (before a rebuild).
    public func reset() throws {
        try db.execute(
            sql: """
                DELETE FROM directory_objects; DELETE FROM directory_licenses; DELETE FROM directory_roles;
                DELETE FROM directory_members; DELETE FROM projection_checkpoints WHERE projection = 'directory';
                DELETE FROM directory_snapshot_objects; DELETE FROM directory_snapshots;
                """)
    }

    // MARK: - Objects

    /// The stored state of one object, with its licenses, roles and members.
    public func load(_ stream: ObjectRef) throws -> DirectoryObject? {
        let name = stream.description
        loadStatement.bind(name, at: 1)
        guard var object = try loadStatement.first({ try DirectoryRows.object(from: $0, actorLists: &actorLists) }) else { return nil }
        // Through SQLite's statements directly: an incremental plan loads an object per
        // changed stream, and a catch-up one per object it folds.
        let relations = try relationStatements ?? (
            licenses: RawStatement(db, sql: "SELECT sku_id, disabled_plans FROM directory_licenses WHERE user_stream = ?1"),
            roles: RawStatement(db, sql: "SELECT role_definition_id FROM directory_roles WHERE user_stream = ?1"),
            members: RawStatement(db, sql: "SELECT member FROM directory_members WHERE group_stream = ?1"))
        relationStatements = relations
        switch stream.kind {
        case .user:
            relations.licenses.bind(name, at: 1)
            try relations.licenses.forEachRow { row in
                let plans = try JSONParser.parse(row.string(at: 1) ?? "[]").arrayValue?.compactMap(\.stringValue) ?? []
                object.licenses[row.string(at: 0) ?? ""] = plans
            }
            relations.roles.bind(name, at: 1)
            try relations.roles.forEachRow { row in object.roles.insert(row.string(at: 0) ?? "") }
        case .group:
            relations.members.bind(name, at: 1)
            try relations.members.forEachRow { row in object.members.insert(row.string(at: 0) ?? "") }
        default:
            break
        }
        return object
    }

    /// Stores `object`, writing only the licenses, roles and members that differ from
    /// `original` (the state loaded before the fold; nil for a new object).
    public func save(_ object: DirectoryObject, original: DirectoryObject?) throws {
        try saveStatement.execute(arguments: DirectoryRows.arguments(for: object))
        let stream = object.reference.description
        let before = original ?? DirectoryObject(reference: object.reference)
        if before.licenses != object.licenses {
            let delete = try db.cachedStatement(sql: "DELETE FROM directory_licenses WHERE user_stream = ? AND sku_id = ?")
            for sku in before.licenses.keys where object.licenses[sku] == nil {
                try delete.execute(arguments: [stream, sku])
            }
            let upsert = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO directory_licenses (user_stream, sku_id, disabled_plans) VALUES (?, ?, ?)")
            for (sku, plans) in object.licenses where before.licenses[sku] != plans {
                try upsert.execute(arguments: [stream, sku, JSONValue.array(plans.map(JSONValue.string)).canonicalString])
            }
        }
        try writeSetDifference(
            table: "directory_roles", keyColumn: "user_stream", valueColumn: "role_definition_id", stream: stream,
            before: before.roles, after: object.roles)
        try writeSetDifference(
            table: "directory_members", keyColumn: "group_stream", valueColumn: "member", stream: stream,
            before: before.members, after: object.members)
    }

    private func writeSetDifference(
        table: String, keyColumn: String, valueColumn: String, stream: String, before: Set<String>, after: Set<String>
    ) throws {
        guard before != after else { return }
        if !before.isEmpty {
            let delete = try db.cachedStatement(sql: "DELETE FROM \(table) WHERE \(keyColumn) = ? AND \(valueColumn) = ?")
            for value in before.subtracting(after) { try delete.execute(arguments: [stream, value]) }
        }
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO \(table) (\(keyColumn), \(valueColumn)) VALUES (?, ?)")
        for value in after.subtracting(before).sorted() { try insert.execute(arguments: [stream, value]) }
    }
}

extension Ledger {
    /// Runs `body` in one write transaction on the directory state projection.
    @discardableResult
    public func updateDirectoryState<T>(_ body: (DirectoryStateWriter) throws -> T) throws -> T {
        try writeImmediate { db in (try body(DirectoryStateWriter(db: db)), commit: true) }
    }
}
