public import SyncLedgerDomain
import GRDB

// MARK: - Snapshots

extension DirectoryStateWriter {
    /// The seqs of the snapshots recorded, in order.
    public func snapshotSeqs() throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT through_seq FROM directory_snapshots ORDER BY through_seq")
    }

    /// The latest snapshot recorded (nil: none yet).
    public func lastSnapshot() throws -> SnapshotMark? {
        try Row.fetchOne(
            db, sql: "SELECT through_seq, latest_occurred_at FROM directory_snapshots ORDER BY through_seq DESC LIMIT 1"
        ).map { SnapshotMark(throughSeq: $0[0], latestOccurredAt: $0[1]) }
    }

    /// The latest `occurred_at` of the objects' events (not the tenant's) after `afterSeq`
    /// up to `throughSeq` (nil: none), read from the log.
    public func latestOccurredAt(afterSeq: Int64, throughSeq: Int64) throws -> String? {
        try String.fetchOne(
            db, sql: "SELECT max(occurred_at) FROM events WHERE seq > ? AND seq <= ? AND stream <> 'tenant'",
            arguments: [afterSeq, throughSeq])
    }

    /// Records a new snapshot through `mark.throughSeq`, tied to the log by the hash of the
    /// event at that seq. Its objects follow with ``saveSnapshotObject(_:throughSeq:)``, in
    /// the same transaction. Returns false, recording nothing, when no event has that seq
    /// (a log with a hole, which `verify` reports): no snapshot is better than a wrong one.
    @discardableResult
    public func beginSnapshot(_ mark: SnapshotMark) throws -> Bool {
        try db.execute(
            sql: """
                INSERT INTO directory_snapshots (through_seq, through_hash, latest_occurred_at)
                SELECT seq, hash, ? FROM events WHERE seq = ?
                """, arguments: [mark.latestOccurredAt, mark.throughSeq])
        return db.changesCount == 1
    }

    /// Stores one object's state in the snapshot through `throughSeq`, as its canonical
    /// ``DirectoryObject/document``.
    public func saveSnapshotObject(_ object: DirectoryObject, throughSeq: Int64) throws {
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
    @discardableResult
    public func snapshotStoredState(_ mark: SnapshotMark) throws -> Bool {
        guard try beginSnapshot(mark) else { return false }
        for kind in ObjectKind.directoryKinds {
            try DirectoryRows.forEachObject(kind: kind, db: db) { try saveSnapshotObject($0, throughSeq: mark.throughSeq) }
        }
        return true
    }
}
