public import SyncLedgerDomain
import Dispatch
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

    /// Calls `body` with the stream and the object of each object of the snapshot through
    /// `seq` whose kind is in `kinds` (nil: every kind), kind by kind, each in stream order.
    /// Throws ``StoreError/Code/invalidSnapshot``, naming the snapshot and the field, when a
    /// stored object cannot be read back.
    ///
    /// Parsing the documents is most of a view's cost from a snapshot, so it runs on every
    /// core, a batch of rows at a time, while this thread reads the next batch and hands the
    /// previous one's objects to `body`.
    public func forEachSnapshotObject(
        throughSeq seq: Int64, kinds: Set<ObjectKind>? = nil, _ body: (_ stream: String, _ object: consuming DirectoryObject) throws -> Void
    ) throws {
        let statement = try RawStatement(
            db, sql: "SELECT stream, object FROM directory_snapshot_objects WHERE through_seq = ?1 AND stream >= ?2 AND stream < ?3 ORDER BY stream")
        var batch = SnapshotBatch()
        var decoding: SnapshotBatch.Decoding?
        func handOver() throws {
            let next = batch.startDecoding()
            batch = SnapshotBatch()
            try decoding?.deliver(throughSeq: seq, body)
            decoding = next
        }
        for kind in ObjectKind.directoryKinds where kinds?.contains(kind) ?? true {
            // `kind:` up to `kind;` (the byte after ':'): every stream of the kind.
            statement.bind(seq, at: 1)
            statement.bind(kind.rawValue + ":", at: 2)
            statement.bind(kind.rawValue + ";", at: 3)
            try statement.forEachRow { row in
                batch.append(stream: row.string(at: 0) ?? "", document: row.utf8(at: 1))
                if batch.count == SnapshotBatch.capacity { try handOver() }
            }
        }
        try handOver()
        try decoding?.deliver(throughSeq: seq, body)
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
private struct SnapshotBatch: Sendable {
    static let capacity = 2_048

    private var streams: [String] = []
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    init() {
        streams.reserveCapacity(Self.capacity)
        ends.reserveCapacity(Self.capacity)
    }

    var count: Int { streams.count }

    mutating func append(stream: String, document: UnsafeBufferPointer<UInt8>) {
        streams.append(stream)
        bytes.append(contentsOf: document)
        ends.append(bytes.count)
    }

    /// The batch being decoded on every core, in the background.
    final class Decoding: @unchecked Sendable {
        private let done = DispatchGroup()
        /// Written by the decoding task before `done` is left; read after waiting on it.
        fileprivate var objects: [Result<DirectoryObject, any Error>?] = []
        private let streams: [String]

        /// Waits for the batch, then calls `body` with each object in row order; the first
        /// object that cannot be read throws, as a one-thread reader would.
        func deliver(throughSeq seq: Int64, _ body: (String, consuming DirectoryObject) throws -> Void) throws {
            done.wait()
            for index in objects.indices {
                let object: DirectoryObject
                do {
                    // Moved out, not copied: the object's storage stays uniquely referenced.
                    object = try objects[index].take()!.get()
                } catch {
                    // The error names fields, never values; the stream is an anchor, not a name.
                    throw StoreError(
                        .invalidSnapshot,
                        "the snapshot through seq \(seq) holds an object that cannot be read (\(error)): run `syncledger rebuild --drop-snapshots`, then take snapshots again")
                }
                try body(streams[index], object)
            }
        }

        fileprivate init(_ batch: SnapshotBatch) {
            streams = batch.streams
            done.enter()
            DispatchQueue.global().async { [self] in
                objects = batch.decode()
                done.leave()
            }
        }
    }

    /// Starts decoding the batch in the background (nil when it is empty).
    func startDecoding() -> Decoding? {
        streams.isEmpty ? nil : Decoding(self)
    }

    /// Each document decoded, in order, on every core.
    private func decode() -> [Result<DirectoryObject, any Error>?] {
        bytes.withUnsafeBufferPointer { bytes in
            nonisolated(unsafe) let bytes = bytes
            return Array(streams.indices).concurrentMap(minimumStripe: 64) { [streams, ends] index in
                Result { () throws -> DirectoryObject in
                    let start = index == 0 ? 0 : ends[index - 1]
                    return try DirectoryObject(
                        reference: try ObjectRef(parsing: streams[index]),
                        documentBytes: UnsafeBufferPointer(rebasing: bytes[start..<ends[index]]))
                }
            }
        }
    }
}
