public import SyncLedgerDomain
import GRDB

extension Ledger {
    // MARK: - Reading events

    /// Calls `body` with each event that matches `filter`, in seq order, without holding the
    /// whole result in memory (a row cursor over one read transaction).
    public func forEachEvent(matching filter: EventFilter = EventFilter(), _ body: (RecordedEvent) throws -> Void) throws {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let stream = filter.stream {
            clauses.append("stream = ?")
            _ = arguments.append(contentsOf: [stream])
        }
        if let type = filter.type {
            clauses.append("type = ?")
            _ = arguments.append(contentsOf: [type])
        }
        if let actor = filter.actor {
            clauses.append("actor = ?")
            _ = arguments.append(contentsOf: [actor])
        }
        if let since = filter.since {
            clauses.append("occurred_at >= ?")
            _ = arguments.append(contentsOf: [since.rfc3339])
        }
        if let until = filter.until {
            clauses.append("occurred_at < ?")
            _ = arguments.append(contentsOf: [until.rfc3339])
        }
        if let after = filter.afterSeq {
            clauses.append("seq > ?")
            _ = arguments.append(contentsOf: [after])
        }
        if let through = filter.throughSeq {
            clauses.append("seq <= ?")
            _ = arguments.append(contentsOf: [through])
        }
        var sql = "SELECT \(Self.eventColumns) FROM events"
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        sql += " ORDER BY seq"
        if let limit = filter.limit {
            sql += " LIMIT ?"
            _ = arguments.append(contentsOf: [limit])
        }
        let finalArguments = arguments
        try read { db in
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: finalArguments)
            while let row = try cursor.next() {
                try body(Self.event(from: row))
            }
        }
    }

    /// The events that match `filter`, in seq order. For large logs prefer ``forEachEvent``.
    public func events(matching filter: EventFilter = EventFilter()) throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        try forEachEvent(matching: filter) { events.append($0) }
        return events
    }

    /// The hash of the event at `seq` (nil when there is none): two connections that agree
    /// on it read the same log up to there.
    public func eventHash(at seq: Int64) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT hash FROM events WHERE seq = ?", arguments: [seq]) }
    }

    /// The head of every stream, as the `streams` table holds it.
    public func streamHead(_ stream: ObjectRef) throws(StoreError) -> StreamHead {
        try read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT version, state, subtype, pushed FROM streams WHERE stream = ?",
                arguments: [stream.description])
            else { return .absent }
            return StreamHead(
                version: row[0], state: StreamState(rawValue: row[1]) ?? .absent, subtype: row[2],
                pushed: (row[3] as Int64) != 0)
        }
    }

    /// The tenant settings in force after the last event.
    public func tenantSettings() throws(StoreError) -> TenantSettings {
        var settings = TenantSettings()
        do {
            try forEachEvent(matching: EventFilter(stream: ObjectRef.tenant.description)) { event in
                settings.apply(type: event.type, data: try JSONParser.parse(event.payload))
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "\(path): a tenant event's payload is not valid JSON: \(error)")
        }
        return settings
    }

    // MARK: - Rows

    static let eventColumns =
        "seq, event_id, stream, version, type, schema_version, actor, source, occurred_at, recorded_at, payload, prev_hash, hash"

    static func event(from row: Row) -> RecordedEvent {
        RecordedEvent(
            seq: row[0], eventID: row[1], stream: row[2], version: row[3], type: row[4], schemaVersion: row[5],
            actor: row[6], source: row[7], occurredAt: row[8], recordedAt: row[9], payload: row[10],
            prevHash: row[11], hash: row[12])
    }
}

extension Ledger {
    /// Calls `body` with the seq, stream and actor of every event after `seq` up to
    /// `last`, in order: a light scan (no payload) for tracing commands back to their events.
    ///
    /// The stream and actor are UTF-8 bytes borrowed from SQLite, valid only during the call:
    /// a scan of a million events makes no string for each.
    public func forEachEventSummary(
        after seq: Int64, through last: Int64, _ body: (Int64, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws {
        try read { db in
            let statement = try RawStatement(db, sql: "SELECT seq, stream, actor FROM events WHERE seq > ?1 AND seq <= ?2 ORDER BY seq")
            statement.bind(seq, at: 1)
            statement.bind(last, at: 2)
            try statement.forEachRow { row in try body(row.int64(at: 0), row.utf8(at: 1), row.utf8(at: 2)) }
        }
    }
}

extension Ledger {
    /// The streams whose events ever set one of `attributes` to `value` (case-insensitive),
    /// in a create's attributes, a flat create, or an update's `set`.
    public func streams(everHavingAttributeValue value: String, attributes: [String]) throws -> [String] {
        var paths: [String] = []
        for attribute in attributes {
            let key = "\"\(attribute)\""
            paths += ["$.attributes.\(key)", "$.set.\(key)", "$.\(key)"]
        }
        let condition = paths.map { "lower(json_extract(payload, '\($0)')) = lower(?)" }.joined(separator: " OR ")
        let arguments = StatementArguments(Array(repeating: value, count: paths.count))
        return try read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT stream FROM events WHERE \(condition) ORDER BY stream", arguments: arguments)
        }
    }
}
