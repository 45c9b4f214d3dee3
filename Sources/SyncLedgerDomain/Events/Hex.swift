/// Lowercase hexadecimal for byte strings of any length (keys, signatures).
enum Hex {
    /// Two lowercase hex digits per byte.
    static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { encode($0) }
    }

    /// Two lowercase hex digits per byte, written straight into the string's storage (every
    /// event's hashes and every command's id go through here).
    static func encode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            let digit = digits.utf8Start
            for (index, byte) in bytes.enumerated() {
                out[2 * index] = digit[Int(byte >> 4)]
                out[2 * index + 1] = digit[Int(byte & 0x0F)]
            }
            return bytes.count * 2
        }
    }

    /// The bytes of an even-length hex string (either case); nil when it is not one.
    static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
