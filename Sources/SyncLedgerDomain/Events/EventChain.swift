import Crypto

/// The hash chain that makes the event log tamper-evident.
///
/// ## Canonical form
///
/// `hash = SHA-256(prev ‖ C)` where `prev` is the 32 raw bytes of the previous event's hash
/// (32 zero bytes for the first event) and `C` is the UTF-8 of these fields, each followed
/// by the unit separator 0x1F except the last:
///
/// ```
/// event_id 0x1F stream 0x1F version 0x1F type 0x1F schema_version 0x1F actor 0x1F source 0x1F occurred_at 0x1F payload
/// ```
///
/// - `version` and `schema_version` in decimal ASCII; `occurred_at` in the canonical
///   ``Timestamp`` form; `payload` is the canonical JSON of the event data
///   (`JSONValue+Canonical.swift`), exactly the text stored in the `payload` column.
/// - No field can contain 0x1F: envelope fields refuse control characters, and canonical
///   JSON escapes them, so the encoding is unambiguous.
/// - `seq` and `recorded_at` are not covered: they say where and when this ledger stored the
///   event, so an exported log re-ingested elsewhere keeps the same chain.
/// - Hashes are stored as 64 lowercase hex digits.
public enum EventChain {
    /// The `prev_hash` of the first event: 64 zeros.
    public static let genesis = String(repeating: "0", count: 64)

    /// The fields of an event that the chain covers.
    public struct Fields: Sendable {
        public var eventID: String
        public var stream: String
        public var version: Int64
        public var type: String
        public var schemaVersion: Int
        public var actor: String
        public var source: String
        public var occurredAt: String
        public var payload: String

        public init(
            eventID: String, stream: String, version: Int64, type: String, schemaVersion: Int, actor: String,
            source: String, occurredAt: String, payload: String
        ) {
            self.eventID = eventID
            self.stream = stream
            self.version = version
            self.type = type
            self.schemaVersion = schemaVersion
            self.actor = actor
            self.source = source
            self.occurredAt = occurredAt
            self.payload = payload
        }
    }

    /// The hash of an event chained after `previous` (raw 32 bytes).
    public static func hash(_ fields: Fields, previous: [UInt8], scratch: inout [UInt8]) -> [UInt8] {
        hash(
            eventID: fields.eventID, stream: fields.stream, version: fields.version, type: fields.type,
            schemaVersion: fields.schemaVersion, actor: fields.actor, source: fields.source, occurredAt: fields.occurredAt,
            payload: fields.payload, previous: previous, scratch: &scratch)
    }

    /// The hash of an event chained after `previous` (raw 32 bytes), its fields given one by
    /// one: an append reads them where they are (a ``Fields`` made for the call retained each
    /// of its strings, and released them after, for every event of a bulk append).
    public static func hash(
        eventID: String, stream: String, version: Int64, type: String, schemaVersion: Int, actor: String, source: String,
        occurredAt: String, payload: String, previous: [UInt8], scratch: inout [UInt8]
    ) -> [UInt8] {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: previous)
        scratch.append(contentsOf: eventID.utf8); scratch.append(0x1F)
        scratch.append(contentsOf: stream.utf8); scratch.append(0x1F)
        scratch.append(contentsOf: String(version).utf8); scratch.append(0x1F)
        scratch.append(contentsOf: type.utf8); scratch.append(0x1F)
        scratch.append(contentsOf: String(schemaVersion).utf8); scratch.append(0x1F)
        scratch.append(contentsOf: actor.utf8); scratch.append(0x1F)
        scratch.append(contentsOf: source.utf8); scratch.append(0x1F)
        scratch.append(contentsOf: occurredAt.utf8); scratch.append(0x1F)
        scratch.append(contentsOf: payload.utf8)
        return Array(SHA256.hash(data: scratch))
    }

    // MARK: - Hex

    /// 64 lowercase hex digits for 32 bytes.
    public static func hex(_ bytes: [UInt8]) -> String {
        Hex.encode(bytes)
    }

    /// `bytes` in lowercase hex, read in place (a digest's, with no array made of it first).
    public static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        Hex.encode(bytes.assumingMemoryBound(to: UInt8.self))
    }

    /// The bytes of a hex string, or nil when it is not 64 hex digits.
    public static func bytes(hex: String) -> [UInt8]? {
        guard hex.utf8.count == 64 else { return nil }
        return Hex.decode(hex)
    }
}
