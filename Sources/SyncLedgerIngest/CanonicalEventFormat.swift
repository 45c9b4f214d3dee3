public import SyncLedgerDomain

/// The canonical NDJSON event format: one JSON object per line.
///
/// ```
/// {"id": "optional", "type": "UserCreated", "object": "user:<anchor>", "actor": "hr-import",
///  "source": "workday", "at": "2026-01-05T09:00:00Z", "expected_version": 0,
///  "schema_version": 1, "data": { ... }}
/// ```
///
/// `type` and `object` are required. `actor`, `source` and `at` default from
/// ``EventDefaults``. Without an `id`, the id is derived from the content; without an `at`,
/// that derivation leaves the time out, so re-ingesting the same file appends nothing even
/// though the clock has moved. Unknown keys are refused (a misspelt `actr` would otherwise
/// silently become the default actor).
public enum CanonicalEventFormat {
    /// The keys an event line may have.
    public static let keys: Set<String> = [
        "id", "type", "object", "actor", "source", "at", "expected_version", "schema_version", "data",
    ]

    // MARK: - Decoding

    /// Decodes one line into a proposed event.
    ///
    /// - Throws: ``IngestError`` with the field at fault (file and line are the caller's).
    public static func decode(_ line: some Collection<UInt8>, defaults: EventDefaults) throws(IngestError) -> ProposedEvent {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw IngestError(.malformedJSON, file: nil, line: nil, field: nil, error.description)
        }
        return try decode(value, defaults: defaults)
    }

    /// Decodes one parsed event object into a proposed event.
    public static func decode(_ value: JSONValue, defaults: EventDefaults) throws(IngestError) -> ProposedEvent {
        guard case .object(let fields) = value else {
            throw IngestError(.invalidField, file: nil, line: nil, field: nil, "an event line must be a JSON object, not \(value.typeDescription)")
        }
        if let unknown = fields.keys.filter({ !keys.contains($0) }).sorted().first {
            throw IngestError(
                .invalidField, file: nil, line: nil, field: unknown,
                "unknown field: an event has id, type, object, actor, source, at, expected_version, schema_version and data")
        }
        func string(_ key: String, required: Bool) throws(IngestError) -> String? {
            guard let field = fields[key], !field.isNull else {
                if required { throw IngestError(.invalidField, file: nil, line: nil, field: key, "required field is missing") }
                return nil
            }
            guard let text = field.stringValue else {
                throw IngestError(.invalidField, file: nil, line: nil, field: key, "must be a string, not \(field.typeDescription)")
            }
            return text
        }
        func integer(_ key: String) throws(IngestError) -> Int64? {
            guard let field = fields[key], !field.isNull else { return nil }
            guard case .int(let number) = field else {
                throw IngestError(.invalidField, file: nil, line: nil, field: key, "must be a whole number, not \(field.typeDescription)")
            }
            return number
        }

        let type = try string("type", required: true)!
        let objectText = try string("object", required: true)!
        let stream: ObjectRef
        do {
            stream = try ObjectRef(parsing: objectText)
        } catch {
            throw IngestError(.invalidField, file: nil, line: nil, field: "object", error.message)
        }
        let actor = try string("actor", required: false) ?? defaults.actor
        let source = try string("source", required: false) ?? defaults.source
        var occurredAt: Timestamp?
        if let text = try string("at", required: false) {
            guard let time = Timestamp(rfc3339: text) else {
                throw IngestError(
                    .invalidField, file: nil, line: nil, field: "at",
                    "not an RFC 3339 date-time (write it like 2026-01-05T09:00:00Z)")
            }
            occurredAt = time
        }
        let expectedVersion = try integer("expected_version")
        let schemaVersion = try integer("schema_version")
        if let schemaVersion, schemaVersion < 1 || schemaVersion > 1_000 {
            throw IngestError(.invalidField, file: nil, line: nil, field: "schema_version", "must be between 1 and 1000")
        }
        let data = fields["data"] ?? .object([:])
        guard case .object = data else {
            throw IngestError(.invalidField, file: nil, line: nil, field: "data", "must be a JSON object, not \(data.typeDescription)")
        }

        var event = ProposedEvent(
            id: try string("id", required: false), type: type, stream: stream, actor: actor, source: source,
            occurredAt: occurredAt ?? defaults.clock.now(), expectedVersion: expectedVersion,
            schemaVersion: schemaVersion.map(Int.init), data: data)
        if event.id == nil, occurredAt == nil {
            event.id = EventID.derive(object: stream, type: type, at: nil, actor: actor, source: source, data: data)
        }
        return event
    }

    // MARK: - Encoding

    /// The canonical NDJSON line (without newline) for a recorded event: re-ingesting it in
    /// order into an empty ledger reproduces the same ids, versions and hashes.
    public static func encode(_ event: RecordedEvent) throws(JSONParseError) -> [UInt8] {
        let object: JSONValue = .object([
            "id": .string(event.eventID),
            "type": .string(event.type),
            "object": .string(event.stream),
            "actor": .string(event.actor),
            "source": .string(event.source),
            "at": .string(event.occurredAt),
            "expected_version": .int(event.version - 1),
            "schema_version": .int(Int64(event.schemaVersion)),
            "data": try JSONParser.parse(event.payload),
        ])
        return object.canonicalBytes
    }
}
