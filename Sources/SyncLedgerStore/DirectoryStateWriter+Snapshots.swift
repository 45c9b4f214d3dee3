package import SyncLedgerDomain
import GRDB

// MARK: - Snapshots

extension DirectoryStateWriter {
    /// The seqs of the snapshots recorded, in order.
    public func snapshotSeqs() throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT through_seq FROM directory_snapshots ORDER BY through_seq")
    }

    /// The latest snapshot a view of the past would use: taken from this log (the hash of
    /// the event at its seq matches) by a build with this document format. Nil: none.
    public func lastSnapshot() throws -> SnapshotMark? {
        try SnapshotQuery.nearest(db, condition: "s.through_seq <= ?", argument: Int64.max)
    }

    /// Deletes the snapshot through `seq`, if there is one, with its objects.
    public func dropSnapshot(throughSeq seq: Int64) throws {
        try db.execute(sql: "DELETE FROM directory_snapshot_objects WHERE through_seq = ?", arguments: [seq])
        try db.execute(sql: "DELETE FROM directory_snapshots WHERE through_seq = ?", arguments: [seq])
    }

    /// The latest `occurred_at` of the objects' events (not the tenant's) after `afterSeq`
    /// up to `throughSeq` (nil: none), read from the log.
    public func latestOccurredAt(afterSeq: Int64, throughSeq: Int64) throws -> String? {
        try String.fetchOne(
            db, sql: "SELECT max(occurred_at) FROM events WHERE seq > ? AND seq <= ? AND stream <> 'tenant'",
            arguments: [afterSeq, throughSeq])
    }

    /// Records a new snapshot through `mark.throughSeq`, tied to the log by the hash of the
    /// event at that seq and to this build by ``DirectoryObject/documentFormat``. Every
    /// object follows with ``saveSnapshotObject(_:throughSeq:)`` in the same transaction:
    /// a view reads an object missing from it as one not yet created. Returns false,
    /// recording nothing, when no event has that seq (a log with a hole, which `verify`
    /// reports): no snapshot is better than a wrong one.
    package func beginSnapshot(_ mark: SnapshotMark) throws -> Bool {
        try db.execute(
            sql: """
                INSERT INTO directory_snapshots (through_seq, through_hash, format, latest_occurred_at)
                SELECT seq, hash, ?, ? FROM events WHERE seq = ?
                """, arguments: [DirectoryObject.documentFormat, mark.latestOccurredAt, mark.throughSeq])
        return db.changesCount == 1
    }

    /// Stores one object's state in the snapshot through `throughSeq`, as its canonical
    /// ``DirectoryObject/document``.
    package func saveSnapshotObject(_ object: DirectoryObject, throughSeq: Int64) throws {
        if snapshotStatement == nil {
            snapshotStatement = try RawStatement(
                db, sql: "INSERT INTO directory_snapshot_objects (through_seq, stream, object) VALUES (?1, ?2, ?3)")
        }
        let statement = snapshotStatement!
        statement.bind(throughSeq, at: 1)
        statement.bind(object.reference.description, at: 2)
        statement.bind(utf8: object.document.canonicalBytes, at: 3)
        try statement.execute()
    }

    /// Takes a snapshot of the stored directory state as it is (every object the tables
    /// hold), through `mark.throughSeq`: the caller's checkpoint. Returns false as
    /// ``beginSnapshot(_:)`` does.
    public func snapshotStoredState(_ mark: SnapshotMark) throws -> Bool {
        guard try beginSnapshot(mark) else { return false }
        for kind in ObjectKind.directoryKinds {
            try DirectoryRows.forEachObject(kind: kind, db: db) { try saveSnapshotObject($0, throughSeq: mark.throughSeq) }
        }
        return true
    }
}

/// The query that finds the snapshot a view starts from, shared by the writer and the reader.
enum SnapshotQuery {
    /// The latest snapshot meeting `condition` (SQL over `s`, the snapshot row, with one
    /// `?` for `argument`) that was taken from this log by a build with this document format.
    static func nearest(_ db: Database, condition: String, argument: some DatabaseValueConvertible) throws -> SnapshotMark? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT s.through_seq, s.latest_occurred_at FROM directory_snapshots s
                JOIN events e ON e.seq = s.through_seq AND e.hash = s.through_hash
                WHERE s.format = ? AND \(condition) ORDER BY s.through_seq DESC LIMIT 1
                """, arguments: [DirectoryObject.documentFormat, argument]
        ).map { SnapshotMark(throughSeq: $0[0], latestOccurredAt: $0[1]) }
    }
}
