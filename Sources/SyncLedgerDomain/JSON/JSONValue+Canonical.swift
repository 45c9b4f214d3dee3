// MARK: - Canonical serialisation

/// The canonical JSON form used for stored payloads and hashing.
///
/// - No insignificant whitespace.
/// - Object keys sorted by their UTF-8 bytes.
/// - Strings: `"` and `\` escaped, U+0000...U+001F escaped (`\b \f \n \r \t`, otherwise `\u00XX`
///   in lowercase hex), every other character written as raw UTF-8 (no `\u` for non-ASCII).
/// - Integers in decimal; other numbers as Swift's shortest round-trip `Double.description`,
///   which parses back to the same value and the same text, so the form is a fixpoint:
///   `canonical(parse(canonical(x))) == canonical(x)`.
extension JSONValue {
    /// The canonical bytes of this value.
    public var canonicalBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        appendCanonical(to: &out)
        return out
    }

    /// The canonical text of this value.
    public var canonicalString: String {
        String(decoding: canonicalBytes, as: UTF8.self)
    }

    /// Appends the canonical bytes of this value to `out`.
    public func appendCanonical(to out: inout [UInt8]) {
        switch self {
        case .null:
            Self.appendLiteral("null", to: &out)
        case .bool(let value):
            Self.appendLiteral(value ? "true" : "false", to: &out)
        case .int(let value):
            Self.appendInteger(value, to: &out)
        case .double(let value):
            if value.isFinite {
                out.append(contentsOf: value.description.utf8)
            } else {
                Self.appendLiteral("null", to: &out)
            }
        case .string(let value):
            Self.appendCanonicalString(value, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                element.appendCanonical(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            var first = true
            Self.forEachInKeyOrder(members) { index in
                let (key, value) = members[index]
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                Self.appendCanonicalString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                value.appendCanonical(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Calls `body` with the index of each member of `members`, in canonical key order.
    ///
    /// The keys are ordered by their first eight bytes, held side by side with the indexes in
    /// a temporary buffer, and compared in full only when those are equal: no array of
    /// members is built and no value is copied to sort them.
    static func forEachInKeyOrder(
        _ members: [String: JSONValue], _ body: (Dictionary<String, JSONValue>.Index) -> Void
    ) {
        typealias Entry = (prefix: UInt64, index: Dictionary<String, JSONValue>.Index)
        withUnsafeTemporaryAllocation(of: Entry.self, capacity: members.count) { entries in
            var count = 0
            var index = members.startIndex
            while index != members.endIndex {
                (entries.baseAddress! + count).initialize(to: (keyPrefix(members.keys[index]), index))
                count += 1
                index = members.index(after: index)
            }
            var sorted = UnsafeMutableBufferPointer(rebasing: entries[0..<count])
            sorted.sort { left, right in
                if left.prefix != right.prefix { return left.prefix < right.prefix }
                return utf8Precedes(members.keys[left.index], members.keys[right.index])
            }
            for entry in sorted { body(entry.index) }
            _ = sorted.deinitialize()
        }
    }

    /// The first eight UTF-8 bytes of `key`, big-endian, zero-padded: the same order as the
    /// bytes when they differ.
    private static func keyPrefix(_ key: String) -> UInt64 {
        func prefix(_ bytes: some Collection<UInt8>) -> UInt64 {
            var prefix: UInt64 = 0
            var shift: UInt64 = 56
            for byte in bytes.prefix(8) {
                prefix |= UInt64(byte) << shift
                shift &-= 8
            }
            return prefix
        }
        return key.utf8.withContiguousStorageIfAvailable(prefix) ?? prefix(key.utf8)
    }

    /// Appends `value` in decimal (its canonical form).
    public static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        // The magnitude as unsigned, so Int64.min has one too.
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }

    /// Appends `value` as a canonical JSON string literal.
    public static func appendCanonicalString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendEscaped(value, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends what goes between the quotes of `value`'s canonical JSON string literal.
    static func appendEscaped(_ value: String, to out: inout [UInt8]) {
        // Fast path: nothing to escape, the bytes go as they are. `withUTF8` also gives the
        // bytes of a small string (up to 15 bytes, kept inline), which
        // `withContiguousStorageIfAvailable` does not.
        var value = value
        let copied = value.withUTF8 { bytes -> Bool in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            out.append(contentsOf: bytes)
            return true
        }
        if copied { return }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default:
                out.append(byte)
            }
        }
    }

    private static func appendLiteral(_ literal: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Whether `a` sorts before `b` by their UTF-8 bytes (the canonical key order).
    static func utf8Precedes(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { left in
            b.utf8.withContiguousStorageIfAvailable { right -> Bool in
                let count = min(left.count, right.count)
                for offset in 0..<count where left[offset] != right[offset] { return left[offset] < right[offset] }
                return left.count < right.count
            }
        }
        if let fast, let result = fast { return result }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}

extension JSONValue {
    /// Compares `a` and `b` by their UTF-8 bytes: negative when `a` comes first in the
    /// canonical key order, zero when the bytes are the same, positive otherwise.
    public static func utf8Compare(_ a: String, _ b: String) -> Int {
        let fast = a.utf8.withContiguousStorageIfAvailable { left in
            b.utf8.withContiguousStorageIfAvailable { right -> Int in
                let count = min(left.count, right.count)
                for offset in 0..<count where left[offset] != right[offset] {
                    return Int(left[offset]) - Int(right[offset])
                }
                return left.count - right.count
            }
        }
        if let fast, let result = fast { return result }
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }
}
