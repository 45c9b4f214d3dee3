import SyncLedgerDomain

/// A seeded generator of malformed inputs: it takes valid documents of a format and breaks
/// them the ways hostile or broken exports do (flipped bytes, cut records, invalid UTF-8,
/// stray quotes and separators, deep nesting, huge numbers, NULs, CR without LF, …).
///
/// Deterministic for a seed, so a failing input can be regenerated from its seed alone.
public struct Mutator {
    private var random: SeededRandom
    /// The valid documents mutations start from.
    public let seeds: [[UInt8]]
    /// Tokens of the format (keys, separators, keywords) spliced in to get past shallow checks.
    public let dictionary: [[UInt8]]

    public init(seed: UInt64, seeds: [String], dictionary: [String]) {
        random = SeededRandom(seed: seed)
        self.seeds = seeds.map { Array($0.utf8) }
        self.dictionary = (dictionary + Self.hostileTokens).map { Array($0.utf8) }
    }

    /// Tokens that break parsers and quoting in any format.
    static let hostileTokens = [
        "\"", "'", "\\", "\\u0000", "\\ud800", "\u{0}", "\r", "\n", "\r\n", ",", ";", ":", "::", "=", "{", "}", "[", "]",
        "null", "true", "-0", "1e999999", "-9223372036854775809", "18446744073709551616", "0.1e-99999", "NaN",
        "$(whoami)", "`id`", "'; DROP TABLE events; --", "\u{202E}", "\u{200B}", "\u{FEFF}", "%00", "%",
        String(repeating: "A", count: 5000), String(repeating: "[", count: 200), String(repeating: "{\"a\":", count: 100),
    ]

    /// The next malformed input: a seed document with one to four mutations.
    public mutating func next() -> [UInt8] {
        var bytes = seeds[Int(random.next() % UInt64(seeds.count))]
        let rounds = 1 + Int(random.next() % 4)
        for _ in 0..<rounds { mutate(&bytes) }
        return bytes
    }

    private mutating func index(_ count: Int) -> Int {
        count == 0 ? 0 : Int(random.next() % UInt64(count))
    }

    private mutating func mutate(_ bytes: inout [UInt8]) {
        let position = index(bytes.count + 1)
        switch random.next() % 11 {
        case 0:  // flip a bit
            if !bytes.isEmpty { bytes[index(bytes.count)] ^= UInt8(1 << (random.next() % 8)) }
        case 1:  // a random byte, often outside ASCII
            bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
        case 2:  // cut the document short
            bytes.removeSubrange(position...)
        case 3:  // remove a span
            let end = min(bytes.count, position + 1 + index(64))
            if position < end { bytes.removeSubrange(position..<end) }
        case 4:  // duplicate a span
            let end = min(bytes.count, position + 1 + index(256))
            if position < end { bytes.insert(contentsOf: bytes[position..<end], at: index(bytes.count)) }
        case 5, 6:  // splice in a token
            bytes.insert(contentsOf: dictionary[index(dictionary.count)], at: position)
        case 7:  // replace a span with a token
            let end = min(bytes.count, position + index(16))
            bytes.replaceSubrange(position..<end, with: dictionary[index(dictionary.count)])
        case 8:  // invalid UTF-8 sequences
            let invalid: [[UInt8]] = [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xFF], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]]
            bytes.insert(contentsOf: invalid[index(invalid.count)], at: position)
        case 9:  // swap two lines
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            if lines.count > 1 { lines.swapAt(index(lines.count), index(lines.count)) }
            bytes = Array(lines.joined(separator: [0x0A]))
        default:  // splice a piece of another seed
            let other = seeds[index(seeds.count)]
            let start = index(other.count)
            bytes.insert(contentsOf: other[start..<min(other.count, start + index(200))], at: position)
        }
    }
}
