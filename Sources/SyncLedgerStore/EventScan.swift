public import SyncLedgerDomain
import GRDB
import GRDBSQLite

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

    public init(afterSeq: Int64 = 0, throughSeq: Int64? = nil, occurredBefore: Timestamp? = nil) {
        self.afterSeq = afterSeq
        self.throughSeq = throughSeq
        self.occurredBefore = occurredBefore
    }
}

enum EventScan {
    /// Calls `body` with each event of `range`, in seq order, inside the caller's transaction.
    static func run(_ db: Database, range: EventScanRange, _ body: (ScannedEvent) throws -> Void) throws {
        var sql = "SELECT seq, stream, type, schema_version, occurred_at, actor, payload FROM events WHERE seq > ?1"
        if range.throughSeq != nil { sql += " AND seq <= ?2" }
        if range.occurredBefore != nil { sql += " AND occurred_at < ?3" }
        sql += " ORDER BY seq"
        var statement: OpaquePointer?
        try check(db, sqlite3_prepare_v2(db.sqliteConnection, sql, -1, &statement, nil))
        defer { sqlite3_finalize(statement) }
        sqlite3_bind_int64(statement, 1, range.afterSeq)
        if let through = range.throughSeq { sqlite3_bind_int64(statement, 2, through) }
        if let before = range.occurredBefore {
            try check(db, sqlite3_bind_text(statement, 3, before.rfc3339, -1, SQLITE_TRANSIENT))
        }
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { try check(db, code); return }
            let payloadBytes = sqlite3_column_text(statement, 6)
            let payloadCount = Int(sqlite3_column_bytes(statement, 6))
            let event = ScannedEvent(
                seq: sqlite3_column_int64(statement, 0),
                stream: text(statement, 1),
                type: text(statement, 2),
                schemaVersion: Int(sqlite3_column_int64(statement, 3)),
                occurredAt: text(statement, 4),
                actor: text(statement, 5),
                payload: UnsafeBufferPointer(start: payloadBytes, count: payloadCount))
            try body(event)
        }
    }

    private static func text(_ statement: OpaquePointer?, _ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    private static func check(_ db: Database, _ code: Int32) throws {
        guard code != SQLITE_OK else { return }
        throw RawStatement.error(db, code)
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
