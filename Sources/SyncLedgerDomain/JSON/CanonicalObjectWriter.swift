/// Writes one JSON object's canonical bytes member by member, for a hot path that knows its
/// keys: no dictionary is built and no key is sorted.
///
/// Members must come in canonical key order (by UTF-8 bytes), each key once; a member out
/// of order stops the program, since the bytes would not be canonical. The bytes are those
/// of the equivalent ``JSONValue/object(_:)``'s ``JSONValue/canonicalBytes``.
public struct CanonicalObjectWriter {
    private var buffer: [UInt8] = [UInt8(ascii: "{")]
    private var lastKey: String?

    public init() {
        buffer.reserveCapacity(256)
    }

    /// Adds a member.
    public mutating func member(_ key: String, _ value: JSONValue) {
        start(key)
        value.appendCanonical(to: &buffer)
    }

    /// Adds a member whose value is the object `map`.
    public mutating func member(_ key: String, _ map: AttributeMap) {
        start(key)
        map.appendCanonical(to: &buffer)
    }

    /// The object's canonical bytes.
    public var bytes: [UInt8] { buffer + [UInt8(ascii: "}")] }

    private mutating func start(_ key: String) {
        if let lastKey {
            precondition(JSONValue.utf8Precedes(lastKey, key), "canonical members come in key order, each once")
            buffer.append(UInt8(ascii: ","))
        }
        lastKey = key
        JSONValue.appendCanonicalString(key, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
    }
}
