import SyncLedgerDomain
import SyncLedgerStore

/// One event as a fold applies it: its type known, its time read, its payload parsed and
/// brought to the current schema.
///
/// Decoding is the larger half of folding an event, and needs nothing of the fold: a long
/// fold decodes on the thread that reads the log ahead
/// (``Ledger/scanEventsReadAhead(_:decoding:_:)``), while its own thread applies the
/// events before.
struct FoldEvent: Sendable {
    var seq: Int64
    /// `tenant` or `kind:anchor`.
    var stream: String
    /// nil: a type this build does not know (a newer writer's), which folds nothing.
    var type: EventType?
    /// When it occurred (stored as canonical RFC 3339 text, which `at.rfc3339` gives back).
    var at: Timestamp
    var actor: String
    /// What an object's event says; nil for the tenant's, for an unknown type, and for an
    /// event not decoded (``init(_:decodingPayload:)``).
    var payload: ObjectEventPayload?
    /// A tenant event's payload, at the current schema version.
    var tenantData: JSONValue?
    /// Whether it was decoded: the fold's pass folds its stream.
    var inPass: Bool

    /// Decodes `event`; with `decodingPayload` false, leaves its payload unread (an event a
    /// fold passes over: one of another pass's streams).
    init(_ event: ScannedEvent, decodingPayload: Bool = true) throws {
        try self.init(event, stream: event.stream, decodingPayload: decodingPayload)
    }

    /// Decodes `event` as ``init(_:decodingPayload:)`` does, its stream (`stream`) read
    /// already.
    init(_ event: ScannedEvent, stream: String, decodingPayload: Bool = true) throws {
        seq = event.seq
        self.stream = stream
        inPass = decodingPayload
        type = EventType.named(event.type)
        at = Timestamp(rfc3339UTF8: event.occurredAtUTF8) ?? Timestamp(millisecondsSinceEpoch: 0)
        actor = event.actor
        guard decodingPayload, let type else { return }
        guard stream == DirectoryFold.tenantStream else {
            payload = try ObjectEventPayload(type: type, schemaVersion: event.schemaVersion, json: event.payload)
            return
        }
        tenantData = try EventUpcaster.upcast(try JSONParser.parse(buffer: event.payload), type: type, from: event.schemaVersion)
    }
}
