/// An event as stored in the ledger, with its place in the global order and in the chain.
public struct RecordedEvent: Sendable, Equatable {
    /// Global order, 1-based, never reused.
    public var seq: Int64
    public var eventID: String
    /// `tenant` or `kind:anchor`.
    public var stream: String
    /// 1-based position in the stream.
    public var version: Int64
    public var type: String
    public var schemaVersion: Int
    public var actor: String
    public var source: String
    /// Canonical RFC 3339 text (see ``Timestamp``).
    public var occurredAt: String
    /// When this ledger stored the event; not covered by the chain.
    public var recordedAt: String
    /// Canonical JSON of the event data.
    public var payload: String
    public var prevHash: String
    public var hash: String

    public init(
        seq: Int64, eventID: String, stream: String, version: Int64, type: String, schemaVersion: Int, actor: String,
        source: String, occurredAt: String, recordedAt: String, payload: String, prevHash: String, hash: String
    ) {
        self.seq = seq
        self.eventID = eventID
        self.stream = stream
        self.version = version
        self.type = type
        self.schemaVersion = schemaVersion
        self.actor = actor
        self.source = source
        self.occurredAt = occurredAt
        self.recordedAt = recordedAt
        self.payload = payload
        self.prevHash = prevHash
        self.hash = hash
    }

    /// The fields the hash chain covers.
    public var chainFields: EventChain.Fields {
        EventChain.Fields(
            eventID: eventID, stream: stream, version: version, type: type, schemaVersion: schemaVersion, actor: actor,
            source: source, occurredAt: occurredAt, payload: payload)
    }
}
