public import SyncLedgerDomain
import GRDB

/// Reads what a view of the past starts from, in one read transaction: the nearest
/// snapshot of the directory, its objects, and the events after it. Obtain one with
/// ``Ledger/readPast(_:)``; it is valid only inside that call.
public final class PastStateReader {
    let db: Database

    init(db: Database) {
        self.db = db
    }

    // MARK: - Snapshots

    /// The latest snapshot through `seq` or before it. Snapshots not taken from this log
    /// (the event at their seq has another hash), or by a build with another
    /// ``DirectoryObject/documentFormat``, are passed over.
    public func nearestSnapshot(throughSeq seq: Int64) throws -> SnapshotMark? {
        try SnapshotQuery.nearest(db, condition: "s.through_seq <= ?", argument: seq)
    }

    /// The latest snapshot all of whose object events had occurred by `time` (their latest
    /// `occurred_at` at or before it). Snapshots are passed over as
    /// ``nearestSnapshot(throughSeq:)`` says.
    public func nearestSnapshot(occurredBy time: Timestamp) throws -> SnapshotMark? {
        try SnapshotQuery.nearest(db, condition: "s.latest_occurred_at <= ?", argument: time.rfc3339)
    }

    /// Calls `body` with each object of the snapshot through `seq` whose kind is in `kinds`
    /// (nil: every kind), kind by kind, each in stream order. Throws ``StoreError/Code/invalidSnapshot``, naming
    /// the snapshot and the field, when a stored object cannot be read back.
    ///
    /// Rows are read in batches whose documents are decoded on every core: parsing the
    /// documents is most of a view's cost from a snapshot.
    public func forEachSnapshotObject(
        throughSeq seq: Int64, kinds: Set<ObjectKind>? = nil, _ body: (consuming DirectoryObject) throws -> Void
    ) throws {
        let statement = try RawStatement(
            db, sql: "SELECT stream, object FROM directory_snapshot_objects WHERE through_seq = ?1 AND stream >= ?2 AND stream < ?3 ORDER BY stream")
        var batch = SnapshotBatch()
        for kind in ObjectKind.directoryKinds where kinds?.contains(kind) ?? true {
            // `kind:` up to `kind;` (the byte after ':'): every stream of the kind.
            statement.bind(seq, at: 1)
            statement.bind(kind.rawValue + ":", at: 2)
            statement.bind(kind.rawValue + ";", at: 3)
            try statement.forEachRow { row in
                batch.append(stream: row.string(at: 0) ?? "", document: row.utf8(at: 1))
                if batch.count == SnapshotBatch.capacity { try batch.decode(throughSeq: seq, body) }
            }
        }
        try batch.decode(throughSeq: seq, body)
    }

    // MARK: - Events

    /// The seq of the last event up to `seq` that occurred before `time` (nil: none).
    public func lastSeq(through seq: Int64, occurredBefore time: Timestamp) throws -> Int64? {
        try Int64.fetchOne(
            db, sql: "SELECT seq FROM events WHERE seq <= ? AND occurred_at < ? ORDER BY seq DESC LIMIT 1",
            arguments: [seq, time.rfc3339])
    }

    /// Calls `body` with each event of `range`, in seq order, in this transaction.
    public func scanEvents(_ range: EventScanRange, _ body: (ScannedEvent) throws -> Void) throws {
        try EventScan.run(db, range: range, body)
    }
}

extension Ledger {
    /// Runs `body` in one read transaction with a reader of snapshots and events.
    public func readPast<T>(_ body: (PastStateReader) throws -> T) throws -> T {
        try read { db in try body(PastStateReader(db: db)) }
    }
}

/// Stored snapshot objects read but not yet decoded: their streams and documents, the
/// documents back to back in one buffer.
private struct SnapshotBatch {
    static let capacity = 2_048

    private var streams: [String] = []
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    var count: Int { streams.count }

    mutating func append(stream: String, document: UnsafeBufferPointer<UInt8>) {
        streams.append(stream)
        bytes.append(contentsOf: document)
        ends.append(bytes.count)
    }

    /// Decodes the batch on every core, then calls `body` with each object in row order
    /// (the first object that cannot be read throws, as a one-thread reader would), and
    /// empties the batch.
    mutating func decode(throughSeq seq: Int64, _ body: (consuming DirectoryObject) throws -> Void) throws {
        let count = streams.count
        guard count > 0 else { return }
        let (streams, ends) = (self.streams, self.ends)
        var decoded = bytes.withUnsafeBufferPointer { bytes in
            nonisolated(unsafe) let bytes = bytes
            return Array(0..<count).concurrentMap(minimumStripe: 64) { index -> Result<DirectoryObject, any Error>? in
                Result { () throws -> DirectoryObject in
                    let start = index == 0 ? 0 : ends[index - 1]
                    let document = try JSONParser.parse(buffer: UnsafeBufferPointer(rebasing: bytes[start..<ends[index]]))
                    return try DirectoryObject(reference: try ObjectRef(parsing: streams[index]), document: document)
                }
            }
        }
        self.streams.removeAll(keepingCapacity: true)
        self.bytes.removeAll(keepingCapacity: true)
        self.ends.removeAll(keepingCapacity: true)
        for index in decoded.indices {
            let object: DirectoryObject
            do {
                // Moved out, not copied: the object's storage stays uniquely referenced.
                object = try decoded[index].take()!.get()
            } catch {
                // The error names fields, never values; the stream is an anchor, not a name.
                throw StoreError(
                    .invalidSnapshot,
                    "the snapshot through seq \(seq) holds an object that cannot be read (\(error)): run `syncledger rebuild --drop-snapshots`, then take snapshots again")
            }
            try body(object)
        }
    }
}
