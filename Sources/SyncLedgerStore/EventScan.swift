public import SyncLedgerDomain
import GRDB

/// One event as a fold reads it, straight from SQLite's row: its stream, time, actor and
/// payload are borrowed, valid only inside the callback that receives it.
///
/// The hot path of rebuilds, catch-ups and point-in-time views: no row object, no string
/// made for a column the reader does not ask for, one prepared statement stepped with the C
/// API.
public struct ScannedEvent {
    public var seq: Int64
    /// The stream's UTF-8 bytes (`tenant` or `kind:anchor`), borrowed from SQLite.
    public var streamUTF8: UnsafeBufferPointer<UInt8>
    public var type: String
    public var schemaVersion: Int
    /// The canonical RFC 3339 text of when it occurred, as UTF-8 bytes borrowed from SQLite.
    public var occurredAtUTF8: UnsafeBufferPointer<UInt8>
    /// The actor's UTF-8 bytes, borrowed from SQLite.
    public var actorUTF8: UnsafeBufferPointer<UInt8>
    /// The canonical JSON payload's UTF-8 bytes, borrowed from SQLite.
    public var payload: UnsafeBufferPointer<UInt8>

    /// `tenant` or `kind:anchor` (a string made at each call).
    public var stream: String { String(decoding: streamUTF8, as: UTF8.self) }
    /// Canonical RFC 3339 text (a string made at each call).
    public var occurredAt: String { String(decoding: occurredAtUTF8, as: UTF8.self) }
    /// Who made the change (a string made at each call).
    public var actor: String { String(decoding: actorUTF8, as: UTF8.self) }
}

/// The bounds of an event scan, in seq order.
public struct EventScanRange: Sendable, Equatable {
    /// Events after this seq.
    public var afterSeq: Int64
    /// Events up to and including this seq (nil: to the end).
    public var throughSeq: Int64?
    /// Only events that occurred before this time.
    public var occurredBefore: Timestamp?
    /// Only the events of this stream (`tenant` or `kind:anchor`).
    public var stream: String?

    public init(afterSeq: Int64 = 0, throughSeq: Int64? = nil, occurredBefore: Timestamp? = nil, stream: String? = nil) {
        self.afterSeq = afterSeq
        self.throughSeq = throughSeq
        self.occurredBefore = occurredBefore
        self.stream = stream
    }
}

enum EventScan {
    /// Calls `body` with each event of `range`, in seq order, inside the caller's transaction.
    static func run(_ db: Database, range: EventScanRange, _ body: (ScannedEvent) throws -> Void) throws {
        let statement = try prepare(db, range: range, bounded: range.throughSeq != nil)
        statement.bind(range.afterSeq, at: 1)
        if let through = range.throughSeq { statement.bind(through, at: 2) }
        try step(statement, body)
    }

    /// Calls `body` with the batches numbered `first`, `first + step`, … of `range` cut into
    /// ranges of `size` seqs (batch `k`: the events after `range.afterSeq + k × size`, up to
    /// `size` seqs further), each with its number and a function that scans its events, in
    /// seq order; ends at the first batch past the range's end (`throughSeq`, or the last
    /// seq). Inside the caller's transaction, with one statement.
    static func batches(
        _ db: Database, range: EventScanRange, size: Int64, first: Int, step: Int,
        _ body: (_ number: Int, _ scan: ((ScannedEvent) throws -> Void) throws -> Void) throws -> Void
    ) throws {
        let end = try range.throughSeq ?? Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM events") ?? 0
        let statement = try prepare(db, range: range, bounded: true)
        for number in stride(from: first, to: Int.max, by: step) {
            let after = range.afterSeq + Int64(number) * size
            guard after < end else { return }
            try body(number) { scanned in
                statement.bind(after, at: 1)
                statement.bind(min(after + size, end), at: 2)
                try Self.step(statement, scanned)
            }
        }
    }

    /// The scan of `range`'s events, its bounds left to bind: `?1` the seq after which it
    /// starts, and `?2` (when `bounded`) the last seq.
    private static func prepare(_ db: Database, range: EventScanRange, bounded: Bool) throws -> RawStatement {
        var sql = "SELECT seq, stream, type, schema_version, occurred_at, actor, payload FROM events WHERE seq > ?1"
        if bounded { sql += " AND seq <= ?2" }
        if range.occurredBefore != nil { sql += " AND occurred_at < ?3" }
        if range.stream != nil { sql += " AND stream = ?4" }
        sql += " ORDER BY seq"
        let statement = try RawStatement(db, sql: sql)
        if let before = range.occurredBefore { statement.bind(before.rfc3339, at: 3) }
        if let stream = range.stream { statement.bind(stream, at: 4) }
        return statement
    }

    private static func step(_ statement: RawStatement, _ body: (ScannedEvent) throws -> Void) throws {
        try statement.forEachRow { row in
            try body(
                ScannedEvent(
                    seq: row.int64(at: 0), streamUTF8: row.utf8(at: 1), type: row.string(at: 2) ?? "",
                    schemaVersion: Int(row.int64(at: 3)), occurredAtUTF8: row.utf8(at: 4), actorUTF8: row.utf8(at: 5),
                    payload: row.utf8(at: 6)))
        }
    }
}

extension DirectoryStateWriter {
    /// Calls `body` with each event of `range`, in seq order, in this transaction.
    public func scanEvents(_ range: EventScanRange, _ body: (ScannedEvent) throws -> Void) throws {
        try EventScan.run(db, range: range, body)
    }
}

extension Ledger {
    /// Calls `body` with each event of `range`, in seq order, in one read transaction.
    public func scanEvents(_ range: EventScanRange, _ body: (ScannedEvent) throws -> Void) throws {
        try read { db in try EventScan.run(db, range: range, body) }
    }

    /// Calls `body` with batches of `range`'s events cut by seq, as
    /// ``EventScan/batches(_:range:size:first:step:_:)`` gives them, in one read transaction.
    @usableFromInline
    func scanEventBatches(
        _ range: EventScanRange, size: Int64, first: Int, step: Int,
        _ body: (_ number: Int, _ scan: ((ScannedEvent) throws -> Void) throws -> Void) throws -> Void
    ) throws {
        try read { db in try EventScan.batches(db, range: range, size: size, first: first, step: step, body) }
    }
}
