import Crypto

/// Event identifiers: minted time-ordered (UUIDv7), or derived from an event's content.
///
/// Both kinds put the event time in the first 48 bits, so ids sort by time and new rows land
/// at the right edge of the `event_id` index instead of at random pages (a random UUIDv4 in a
/// UNIQUE index makes million-row appends about four times slower).
public enum EventID {
    /// The longest event id accepted from input, in UTF-8 bytes.
    public static let maximumLength = 128

    /// A fresh UUIDv7 for `time`, its random bits drawn from `generator`.
    public static func mint(at time: Timestamp, using generator: inout some RandomNumberGenerator) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        let random1 = generator.next()
        let random2 = generator.next()
        for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: random1 >> (8 * UInt64(i))) }
        for i in 0..<8 { bytes[8 + i] = UInt8(truncatingIfNeeded: random2 >> (8 * UInt64(i))) }
        stampTime(time, version: 7, into: &bytes)
        return format(bytes)
    }

    /// The id of an event that came without one: a UUIDv8 whose first 48 bits are the event
    /// time and whose other bits come from SHA-256 of (object, type, at, actor, source, data).
    ///
    /// The same event content always gets the same id, so ingesting a file twice appends
    /// nothing the second time. When the input gave no time (`time` is nil), the time is
    /// left out of the content and the first 48 bits are zero.
    public static func derive(
        object: ObjectRef, type: String, at time: Timestamp?, actor: String, source: String, data: JSONValue
    ) -> String {
        var content: [UInt8] = []
        content.reserveCapacity(256)
        for field in [object.description, type, time?.rfc3339 ?? "", actor, source] {
            content.append(contentsOf: field.utf8)
            content.append(0x1F)
        }
        data.appendCanonical(to: &content)
        var bytes = Array(SHA256.hash(data: content).prefix(16))
        stampTime(time ?? Timestamp(millisecondsSinceEpoch: 0), version: 8, into: &bytes)
        return format(bytes)
    }

    /// Checks an id given in input: non-empty, at most ``maximumLength`` bytes, no control
    /// characters or whitespace.
    public static func validate(_ id: String) throws(DomainError) {
        guard !id.isEmpty, id.utf8.count <= maximumLength, !ObjectRef.hasSpaceOrControl(id) else {
            throw DomainError(
                .invalidEnvelope, field: "id",
                "an event id must be 1 to \(maximumLength) bytes with no whitespace or control characters")
        }
    }

    // MARK: - Layout

    private static func stampTime(_ time: Timestamp, version: UInt8, into bytes: inout [UInt8]) {
        let millis = UInt64(bitPattern: max(0, time.millisecondsSinceEpoch))
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: millis >> (8 * UInt64(5 - i))) }
        bytes[6] = (bytes[6] & 0x0F) | (version << 4)
        bytes[8] = (bytes[8] & 0x3F) | 0x80
    }

    private static func format(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A small deterministic random generator (SplitMix64) for reproducible runs and tests.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
