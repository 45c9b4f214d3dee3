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
        var sql = "SELECT seq, stream, type, schema_version, occurred_at, actor, payload FROM events WHERE seq > ?1"
        if range.throughSeq != nil { sql += " AND seq <= ?2" }
        if range.occurredBefore != nil { sql += " AND occurred_at < ?3" }
        if range.stream != nil { sql += " AND stream = ?4" }
        sql += " ORDER BY seq"
        let statement = try RawStatement(db, sql: sql)
        statement.bind(range.afterSeq, at: 1)
        if let through = range.throughSeq { statement.bind(through, at: 2) }
        if let before = range.occurredBefore { statement.bind(before.rfc3339, at: 3) }
        if let stream = range.stream { statement.bind(stream, at: 4) }
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
}
