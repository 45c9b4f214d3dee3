public import SyncLedgerDomain
import GRDB

/// One event as a fold reads it, straight from SQLite's row: the payload is borrowed, valid
/// only inside the callback that receives it.
///
/// The hot path of rebuilds, catch-ups and point-in-time views: no row object, no payload
/// string, one prepared statement stepped with the C API.
public struct ScannedEvent {
    public var seq: Int64
    /// `tenant` or `kind:anchor`.
    public var stream: String
    public var type: String
    public var schemaVersion: Int
    /// Canonical RFC 3339 text.
    public var occurredAt: String
    public var actor: String
    /// The canonical JSON payload's UTF-8 bytes, borrowed from SQLite.
    public var payload: UnsafeBufferPointer<UInt8>
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
                    seq: row.int64(at: 0), stream: row.string(at: 1) ?? "", type: row.string(at: 2) ?? "",
                    schemaVersion: Int(row.int64(at: 3)), occurredAt: row.string(at: 4) ?? "",
                    actor: row.string(at: 5) ?? "", payload: row.utf8(at: 6)))
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
