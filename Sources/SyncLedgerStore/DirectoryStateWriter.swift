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
    private let saveStatement: RawStatement
    /// Inserts of licenses, roles and members, for the saves: prepared on first use.
    private var relationInserts: (licenses: RawStatement, roles: RawStatement, members: RawStatement)?
    /// Inserts a group's members at once, for the saves of new objects; prepared on first use.
    private var membersInsert: RawStatement?
    /// Inserts snapshot objects; prepared on first use.
    var snapshotStatement: RawStatement?

    init(db: Database) throws {
        self.db = db
        loadStatement = try RawStatement(db, sql: "SELECT \(DirectoryRows.objectColumns) FROM directory_objects WHERE stream = ?1")
        saveStatement = try RawStatement(
            db,
            sql: """
                INSERT OR REPLACE INTO directory_objects (\(DirectoryRows.objectColumns))
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
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
    ///
    /// Through SQLite's statements directly: a catch-up saves every object it folded.
    public func save(_ object: DirectoryObject, original: DirectoryObject?) throws {
        guard let original else {
            var row = DirectoryRows.Encoded(object)
            return try insert(&row)
        }
        let row = DirectoryRows.Encoded(object, relations: false)
        try insertRow(row)
        guard original.licenses != object.licenses || original.roles != object.roles || original.members != object.members else { return }
        let stream = row.stream
        let inserts = try relationInsertStatements()
        if original.licenses != object.licenses {
            let delete = try db.cachedStatement(sql: "DELETE FROM directory_licenses WHERE user_stream = ? AND sku_id = ?")
            for sku in original.licenses.keys where object.licenses[sku] == nil {
                try delete.execute(arguments: [stream, sku])
            }
            for (sku, plans) in object.licenses.sorted(by: { $0.key < $1.key }) where original.licenses[sku] != plans {
                try insertRelation(inserts.licenses, stream, sku, DirectoryRows.stringArray(plans))
            }
        }
        try writeSetDifference(
            table: "directory_roles", keyColumn: "user_stream", valueColumn: "role_definition_id", insert: inserts.roles,
            stream: stream, before: original.roles, after: object.roles)
        try writeSetDifference(
            table: "directory_members", keyColumn: "group_stream", valueColumn: "member", insert: inserts.members,
            stream: stream, before: original.members, after: object.members)
    }

    /// Stores objects the directory state does not hold, with all their relations:
    /// `objects[order[0]]`, `objects[order[1]]`, and so on (a fold from an empty directory
    /// gives them in stream order, the tables' key order). Beyond ``saveBatchSize`` objects,
    /// the rows are encoded on another thread, a batch at a time, while SQLite inserts the
    /// batches before; the objects are not copied.
    ///
    /// Small batches keep both threads busy from the start: with 1,024 objects a batch, the
    /// first 1,024 rows were encoded before the first insert, alone, and a rebuild of 1,300
    /// objects (10k events) encoded most of its rows that way.
    public func saveNew(_ objects: [DirectoryObject], order: [Int]) throws {
        guard order.count > Self.saveBatchSize else {
            for index in order {
                var row = DirectoryRows.Encoded(objects[index])
                try insert(&row)
            }
            return
        }
        let encoded = BatchHandOver<DirectoryRows.Encoded>(capacity: Self.saveBatchesAhead) { handOver in
            try handOver.handInBatches(of: Self.saveBatchSize) { add in
                for index in order { try add(DirectoryRows.Encoded(objects[index])) }
            }
        }
        defer { encoded.stop() }
        while var rows = try encoded.next() {
            for index in rows.indices { try insert(&rows[index]) }
            encoded.retire(rows)
        }
    }

    /// The rows ``saveNew(_:order:)`` encodes at a time on its other thread.
    static let saveBatchSize = 128
    /// The most batches of rows encoded ahead of the inserts.
    static let saveBatchesAhead = 8

    /// Inserts one object's row and every relation it has.
    ///
    /// `inout` only so that a row of an array is read where it is: an element read from an
    /// array is a copy, which retained each of its strings (0.09 s of a 1M-event rebuild).
    private func insert(_ row: inout DirectoryRows.Encoded) throws {
        try insertRow(row)
        guard !(row.licenses.isEmpty && row.roles.isEmpty && row.members.isEmpty && row.membersJSON == nil) else { return }
        let inserts = try relationInsertStatements()
        for license in row.licenses { try insertRelation(inserts.licenses, row.stream, license.sku, license.disabledPlans) }
        for role in row.roles { try insertRelation(inserts.roles, row.stream, role) }
        if let members = row.membersJSON {
            // One statement for all of a group's members: the 262,000 of a 1M-event rebuild
            // took 0.27 s by one statement each, 0.125 s by one per group.
            let statement = try membersInsertStatement()
            statement.bind(row.stream, at: 1)
            statement.bind(members, at: 2)
            try statement.execute()
        } else {
            for member in row.members { try insertRelation(inserts.members, row.stream, member) }
        }
    }

    /// Inserts a group's members given as a JSON array of strings, in its order; prepared on
    /// first use.
    private func membersInsertStatement() throws -> RawStatement {
        if let membersInsert { return membersInsert }
        let statement = try RawStatement(
            db, sql: "INSERT OR IGNORE INTO directory_members (group_stream, member) SELECT ?1, value FROM json_each(?2)")
        membersInsert = statement
        return statement
    }

    private func insertRow(_ row: borrowing DirectoryRows.Encoded) throws {
        row.bind(to: saveStatement)
        try saveStatement.execute()
    }

    /// The inserts of licenses, roles and members, prepared on first use.
    private func relationInsertStatements() throws -> (licenses: RawStatement, roles: RawStatement, members: RawStatement) {
        if let relationInserts { return relationInserts }
        let licenses = try RawStatement(
            db, sql: "INSERT OR REPLACE INTO directory_licenses (user_stream, sku_id, disabled_plans) VALUES (?1, ?2, ?3)")
        let roles = try RawStatement(db, sql: "INSERT OR IGNORE INTO directory_roles (user_stream, role_definition_id) VALUES (?1, ?2)")
        let members = try RawStatement(db, sql: "INSERT OR IGNORE INTO directory_members (group_stream, member) VALUES (?1, ?2)")
        let inserts = (licenses: licenses, roles: roles, members: members)
        relationInserts = inserts
        return inserts
    }

    private func insertRelation(_ statement: RawStatement, _ stream: String, _ value: String, _ extra: String? = nil) throws {
        statement.bind(stream, at: 1)
        statement.bind(value, at: 2)
        if let extra { statement.bind(extra, at: 3) }
        try statement.execute()
    }

    /// Deletes the rows of `before` not in `after` and inserts, in key order, those of
    /// `after` not in `before`.
    private func writeSetDifference(
        table: String, keyColumn: String, valueColumn: String, insert: RawStatement, stream: String,
        before: Set<String>, after: Set<String>
    ) throws {
        guard before != after else { return }
        let delete = try db.cachedStatement(sql: "DELETE FROM \(table) WHERE \(keyColumn) = ? AND \(valueColumn) = ?")
        for value in before.subtracting(after) { try delete.execute(arguments: [stream, value]) }
        for value in after.subtracting(before).sorted() { try insertRelation(insert, stream, value) }
    }

    // MARK: - Bulk writes

    /// The tables a fold writes.
    static let foldedTables = ["directory_objects", "directory_licenses", "directory_roles", "directory_members"]
    /// ``foldedTables`` as an SQL list of strings, for `IN (…)`.
    static let foldedTablesList = foldedTables.map { "'\($0)'" }.joined(separator: ", ")

    /// Runs `body` with the secondary indexes of the tables a fold writes dropped, then
    /// creates them again from the SQL SQLite keeps for them, in the same transaction.
    ///
    /// For a fold from an empty directory, which writes every row once: SQLite then builds
    /// each index by one sort, instead of one insert at a random place of every index for
    /// every row, and empties the tables by freeing their pages (in the `sqlite3` shell,
    /// emptying and writing 130,000 objects and 260,000 memberships took 7.0 s with the
    /// indexes kept, 3.7 s with them built after). The schema after is the one before, and
    /// when `body` throws the transaction's rollback restores the indexes.
    ///
    /// With `replacingTables`, `body` writes into new, empty tables, and the old ones are
    /// dropped with their indexes after it (``withFoldedTablesReplaced(_:)``): for a rebuild in
    /// rollback-journal mode.
    public func withIndexesBuiltAfter<T>(replacingTables: Bool = false, _ body: () throws -> T) throws -> T {
        let indexes = try foldedTableIndexes()
        let result: T
        if replacingTables {
            result = try withFoldedTablesReplaced(body)
        } else {
            for index in indexes {
                try db.execute(sql: "DROP INDEX \(index.name.quotedDatabaseIdentifier)")
            }
            result = try body()
        }
        // A sort is no faster with a larger cache (the 260,000 members of a 1M-event
        // ledger: 0.37 s with 2 MiB, 0.43 s with 16 MiB), and the memory may still be the
        // fold's, being freed meanwhile.
        try withPageCache(kib: Ledger.onePassCacheKiB) {
            for index in indexes { try db.execute(sql: index.sql) }
        }
        return result
    }

    /// Runs `body` with SQLite's `secure_delete` at `FAST`, then sets back the one it found:
    /// pages the body frees whole (an emptied table, a dropped index) are left as they are,
    /// while what is deleted from a page written anyway is still overwritten with zeros.
    ///
    /// For a rebuild, which frees every page of the directory state. Debian's SQLite turns
    /// `secure_delete` on, and then every freed page is zeroed and written, to the WAL and
    /// again at the checkpoint: emptying the directory tables of a 1M-event ledger took
    /// 1.25 s in the `sqlite3` shell, 0.14 s at `FAST`. What those pages held is derived
    /// from the events, which stay in the same file, so zeroing them hides nothing.
    public func withFreedPagesKept<T>(_ body: () throws -> T) throws -> T {
        let previous = try secureDelete()
        try setSecureDelete(2)
        defer { try? setSecureDelete(previous) }
        return try body()
    }

    /// SQLite's `secure_delete` on this connection: 0 off, 1 on, 2 `FAST`.
    func secureDelete() throws -> Int {
        try Int.fetchOne(db, sql: "PRAGMA secure_delete") ?? 0
    }

    /// Sets `secure_delete` to a value ``secureDelete()`` returns (by name: the pragma reads
    /// any number but 0 as on).
    func setSecureDelete(_ setting: Int) throws {
        try db.execute(sql: "PRAGMA secure_delete = \(["OFF", "ON", "FAST"][min(max(setting, 0), 2)])")
    }

    /// The indexes of ``foldedTables`` made by `CREATE INDEX` (not those SQLite makes for
    /// their keys), with that statement, by name.
    func foldedTableIndexes() throws -> [(name: String, sql: String)] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT name, sql FROM sqlite_schema
                WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (\(Self.foldedTablesList)) ORDER BY name
                """
        ).map { (name: $0[0] as String, sql: $0[1] as String) }
    }
}

extension Ledger {
    /// Runs `body` in one write transaction on the directory state projection.
    @discardableResult
    public func updateDirectoryState<T>(_ body: (DirectoryStateWriter) throws -> T) throws -> T {
        try writeImmediate { db in (try body(DirectoryStateWriter(db: db)), commit: true) }
    }
}
