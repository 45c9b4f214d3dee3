/// An event on its way into the ledger: parsed from input or made by a command, not yet
/// validated against the catalog nor given a stream version.
public struct ProposedEvent: Sendable, Equatable {
    /// The event id; nil means "derive it from the content" (see ``EventID/derive``).
    public var id: String?
    /// The catalog type, e.g. `UserCreated`.
    public var type: String
    /// The stream the event belongs to.
    public var stream: ObjectRef
    /// Who made the change.
    public var actor: String
    /// The system the change came from.
    public var source: String
    /// When the change happened at the source.
    public var occurredAt: Timestamp
    /// The stream version the writer expects to find before this event (0: a new stream).
    public var expectedVersion: Int64?
    /// The schema version of `data`; nil means the catalog's current one.
    public var schemaVersion: Int?
    /// The type-specific payload (a JSON object).
    public var data: JSONValue

    public init(
        id: String? = nil, type: String, stream: ObjectRef, actor: String, source: String, occurredAt: Timestamp,
        expectedVersion: Int64? = nil, schemaVersion: Int? = nil, data: JSONValue = .object([:])
    ) {
        self.id = id
        self.type = type
        self.stream = stream
        self.actor = actor
        self.source = source
        self.occurredAt = occurredAt
        self.expectedVersion = expectedVersion
        self.schemaVersion = schemaVersion
        self.data = data
    }

    /// The id this event is stored under: the given one, or the one derived from its content.
    public var resolvedID: String {
        id ?? EventID.derive(object: stream, type: type, at: occurredAt, actor: actor, source: source, data: data)
    }

    /// The longest actor or source name accepted, in UTF-8 bytes.
    public static let maximumNameLength = 256

    /// Checks the envelope fields that the chain's canonical form relies on.
    public func validateEnvelope() throws(DomainError) {
        if let id { try EventID.validate(id) }
        for (field, value) in [("type", type), ("actor", actor), ("source", source)] {
            guard !value.isEmpty, value.utf8.count <= Self.maximumNameLength else {
                throw DomainError(.invalidEnvelope, field: field, "must be 1 to \(Self.maximumNameLength) bytes long")
            }
            guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw DomainError(.invalidEnvelope, field: field, "must not contain control characters")
            }
        }
        if let expectedVersion, expectedVersion < 0 {
            throw DomainError(.invalidEnvelope, field: "expected_version", "must be 0 or more")
        }
        guard case .object = data else {
            throw DomainError(.invalidEnvelope, field: "data", "must be a JSON object, not \(data.typeDescription)")
        }
    }
}
