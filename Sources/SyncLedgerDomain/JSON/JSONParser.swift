/// A strict RFC 8259 parser over UTF-8 bytes, producing ``JSONValue``.
///
/// Strict where lenient parsers are dangerous for a ledger: duplicate object keys are an
/// error (two readers could otherwise disagree on the value), invalid UTF-8 is an error,
/// nesting deeper than ``maximumDepth`` is an error (bounded stack on hostile input), and
/// nothing but whitespace may follow the value.
public struct JSONParser {
    /// How deep arrays and objects may nest.
    public static let maximumDepth = 64

    /// Parses one JSON document from `bytes`.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        if let contiguous = bytes.withContiguousStorageIfAvailable({ buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer: buffer) }
        }) {
            return try contiguous.get()
        }
        let array = Array(bytes)
        return try array.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer: buffer) }
        }.get()
    }

    /// Parses one JSON document from `text`.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { buffer in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer: buffer) }
        }.get()
    }

    /// Parses one JSON document from a buffer of UTF-8 bytes.
    public static func parse(buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: buffer)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == buffer.count else {
            throw parser.error("unexpected text after the JSON value")
        }
        return value
    }

    /// Parses one JSON object from `buffer` and calls `member` with each key and value in
    /// document order, without building the object's dictionary: for readers that know the
    /// fields they want and turn them into their own type. As strict as ``parse(buffer:)``:
    /// a duplicate key is an error (reported before `member` sees it twice).
    public static func forEachMember(
        in buffer: UnsafeBufferPointer<UInt8>, _ member: (String, JSONValue) throws -> Void
    ) throws {
        try forEachMember(in: buffer) { (key: String, value: inout JSONParser) in try member(key, try value.readValue()) }
    }

    /// Parses one JSON object from `buffer` and calls `member` with each key in document
    /// order and the parser standing at its value, to read it with ``readValue()`` or, for an
    /// object, ``readMembers()``; a value `member` does not read is parsed and passed over.
    /// As strict as ``parse(buffer:)``.
    public static func forEachMember(
        in buffer: UnsafeBufferPointer<UInt8>, _ member: (String, inout JSONParser) throws -> Void
    ) throws {
        var parser = JSONParser(bytes: buffer)
        var keys = SeenKeys()
        parser.skipWhitespace()
        guard parser.index < buffer.count, buffer[parser.index] == UInt8(ascii: "{") else {
            throw parser.error("expected a JSON object")
        }
        let objectStart = parser.index
        parser.index += 1
        parser.skipWhitespace()
        if parser.index < buffer.count, buffer[parser.index] == UInt8(ascii: "}") {
            parser.index += 1
        } else {
            while true {
                parser.skipWhitespace()
                guard parser.index < buffer.count else { throw parser.error("unexpected end of input in an object") }
                guard buffer[parser.index] == UInt8(ascii: "\"") else { throw parser.error("expected a string key in an object") }
                let keyOffset = parser.index
                let key = try parser.parseString()
                let isNew = try keys.insert(key, isASCII: parser.lastStringIsPlainASCII) { () throws(JSONParseError) in
                    try Self.objectKeys(in: buffer, objectAt: objectStart, before: keyOffset)
                }
                if !isNew { throw JSONParseError(message: "duplicate key \"\(key)\"", offset: keyOffset) }
                parser.skipWhitespace()
                guard parser.index < buffer.count, buffer[parser.index] == UInt8(ascii: ":") else {
                    throw parser.error("expected ':' after an object key")
                }
                parser.index += 1
                parser.skipWhitespace()
                let valueOffset = parser.index
                try member(key, &parser)
                if parser.index == valueOffset { _ = try parser.parseValue(depth: 1) }
                parser.skipWhitespace()
                guard parser.index < buffer.count else { throw parser.error("unexpected end of input in an object") }
                if buffer[parser.index] == UInt8(ascii: ",") {
                    parser.index += 1
                } else if buffer[parser.index] == UInt8(ascii: "}") {
                    parser.index += 1
                    break
                } else {
                    throw parser.error("expected ',' or '}' in an object")
                }
            }
        }
        parser.skipWhitespace()
        guard parser.index == buffer.count else { throw parser.error("unexpected text after the JSON value") }
    }

    /// Whether the parser stands at an object (what ``readMembers()`` reads).
    public var isAtObject: Bool { index < bytes.count && bytes[index] == UInt8(ascii: "{") }

    /// Reads the value the parser stands at (in ``forEachMember(in:_:)-(_,(String,inout JSONParser)->Void)``).
    public mutating func readValue() throws(JSONParseError) -> JSONValue {
        try parseValue(depth: 1)
    }

    /// Reads the object the parser stands at as its members in document order, without
    /// building a dictionary; a duplicate key is an error, as in ``parse(buffer:)``.
    public mutating func readMembers() throws(JSONParseError) -> [(key: String, value: JSONValue)] {
        try readMembersInOrder().members
    }

    /// Reads the object the parser stands at as ``readMembers()`` does, and says whether its
    /// keys came in canonical order, as the check for repeats saw (false when it could not
    /// tell cheaply: a key not plain ASCII).
    public mutating func readMembersInOrder() throws(JSONParseError) -> (members: [(key: String, value: JSONValue)], ascending: Bool) {
        try readMembersInOrder(depth: 2)
    }

    /// Parses the JSON object in `buffer` (nothing but whitespace around it) into its members
    /// in document order, as ``readMembersInOrder()`` reads a member's object: one array of
    /// the exact size, no dictionary.
    public static func membersInOrder(
        in buffer: UnsafeBufferPointer<UInt8>
    ) throws(JSONParseError) -> (members: [(key: String, value: JSONValue)], ascending: Bool) {
        var parser = JSONParser(bytes: buffer)
        parser.skipWhitespace()
        let result = try parser.readMembersInOrder(depth: 1)
        parser.skipWhitespace()
        guard parser.index == buffer.count else { throw parser.error("unexpected text after the JSON value") }
        return result
    }

    private mutating func readMembersInOrder(
        depth: Int
    ) throws(JSONParseError) -> (members: [(key: String, value: JSONValue)], ascending: Bool) {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw error("expected a JSON object") }
        let base = pending.count
        defer { pending.removeSubrange(base...) }
        try parseMembers(depth: depth)
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(pending.count - base)
        var keys = SeenKeys()
        for position in base..<pending.count {
            let (key, value, offset, isASCII) = pending[position]
            let isNew = keys.insert(key, isASCII: isASCII) { pending[base..<position].map(\.0) }
            if !isNew { throw JSONParseError(message: "duplicate key \"\(key)\"", offset: offset) }
            members.append((key, value))
        }
        return (members, keys.ascending)
    }

    /// The keys of the object at `start` in `buffer` whose members begin before `end`, in
    /// document order (what ``SeenKeys`` asks for when the keys stop being in canonical
    /// order). Those members were parsed before, so they parse again.
    private static func objectKeys(
        in buffer: UnsafeBufferPointer<UInt8>, objectAt start: Int, before end: Int
    ) throws(JSONParseError) -> [String] {
        var parser = JSONParser(bytes: buffer)
        parser.index = start + 1
        var keys: [String] = []
        while true {
            parser.skipWhitespace()
            guard parser.index < end, buffer[parser.index] == UInt8(ascii: "\"") else { return keys }
            keys.append(try parser.parseString())
            parser.skipWhitespace()
            parser.index += 1  // the ':'
            parser.skipWhitespace()
            _ = try parser.parseValue(depth: 1)
            parser.skipWhitespace()
            if parser.index < end, buffer[parser.index] == UInt8(ascii: ",") { parser.index += 1 }
        }
    }

    /// The keys of one object seen so far, for readers that do not build its dictionary.
    ///
    /// While the keys are ASCII and each comes after the one before in byte order (canonical
    /// JSON's order, every stored object's), none can repeat and none is looked up: only the
    /// last is kept, and nothing is allocated. Past that, the keys before are asked for once,
    /// then a few are compared in a list and many go to a set, with Swift's string equality
    /// (two spellings of one name are one key, as in a dictionary: hence ASCII only in the
    /// fast case, since a non-ASCII name, the Kelvin sign, can equal an ASCII one).
    struct SeenKeys {
        /// The last key, while ``ascending``.
        private var last: String?
        private var list: [String] = []
        private var set: Set<String> = []
        /// Whether every key so far was plain ASCII and came after the one before (in
        /// canonical order).
        private(set) var ascending = true

        /// Records `key`; false when it was seen before. `isASCII`: the parser saw only ASCII
        /// in it (false is always safe: the key is then checked by equality). `earlier`
        /// gives every key recorded before, in order; it is called at most once, when the
        /// keys stop being in canonical order.
        mutating func insert<Failure: Error>(
            _ key: String, isASCII: Bool, earlier: () throws(Failure) -> [String]
        ) throws(Failure) -> Bool {
            if ascending {
                if isASCII, last.map({ JSONValue.utf8Precedes($0, key) }) ?? true {
                    last = key
                    return true
                }
                ascending = false
                last = nil
                list = try earlier()
                if list.count >= 32 { set = Set(list) }
            }
            guard list.count >= 32 else {
                if list.contains(key) { return false }
                list.append(key)
                if list.count == 32 { set = Set(list) }
                return true
            }
            return set.insert(key).inserted
        }
    }

    // MARK: - State

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// The members of the objects being parsed, innermost last: key, value, key offset, and
    /// whether the key was plain ASCII (see ``SeenKeys``).
    private var pending: [(String, JSONValue, Int, Bool)] = []
    /// Whether the last string parsed was ASCII with no escape (its check for duplicate keys
    /// is then the cheapest).
    private var lastStringIsPlainASCII = false

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private func error(_ message: String) -> JSONParseError {
        JSONParseError(message: message, offset: index)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw error("unexpected end of input") }
        let start = literal.utf8Start
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw error("invalid literal")
        }
        index += count
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        // Members collect on a stack shared by every nesting level, then become one
        // dictionary of the exact size (no growing and rehashing per member).
        let base = pending.count
        defer { pending.removeSubrange(base...) }
        try parseMembers(depth: depth)
        var members = [String: JSONValue](minimumCapacity: pending.count - base)
        for (key, value, offset, _) in pending[base...] where members.updateValue(value, forKey: key) != nil {
            throw JSONParseError(message: "duplicate key \"\(key)\"", offset: offset)
        }
        return .object(members)
    }

    /// Parses the object at `index` and pushes its members on ``pending``, in order.
    private mutating func parseMembers(depth: Int) throws(JSONParseError) {
        guard depth <= Self.maximumDepth else { throw error("JSON nested deeper than \(Self.maximumDepth) levels") }
        // A parser lives for one document: the stack is grown at most twice, not at 1, 2, 4
        // and 8. Sixteen members fit in under 1 KiB, which glibc hands out from its
        // per-thread cache; a larger block first merges every small one freed (an event's
        // changed attributes are usually a few).
        if pending.capacity == 0 { pending.reserveCapacity(16) }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in an object") }
            guard bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key in an object") }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after an object key") }
            index += 1
            skipWhitespace()
            let isASCII = lastStringIsPlainASCII
            let value = try parseValue(depth: depth)
            pending.append((key, value, keyOffset, isASCII))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in an object") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return
            default: throw error("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw error("JSON nested deeper than \(Self.maximumDepth) levels") }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input in an array") }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw error("expected ',' or ']' in an array")
            }
        }
    }

    // MARK: - Strings

    /// Whether any of the eight bytes in `word` is a quote, a backslash, below 0x20 or past
    /// 0x7F. May say yes for a byte that follows one of those (the borrow of the test runs
    /// on), never no for one that is: a yes sends the bytes to the byte loop.
    @inline(__always)
    private static func needsLook(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // A byte is zero when (byte - 1) borrows into its high bit while its own is clear.
        func hasZero(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        let quote = hasZero(word ^ (ones &* 0x22))
        let backslash = hasZero(word ^ (ones &* 0x5C))
        let control = (word &- ones &* 0x20) & ~word & highs
        return (quote | backslash | control | (word & highs)) != 0
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes. Eight bytes at a time while none of them ends the string or
        // needs a look (a quote, a backslash, a control character, a byte past ASCII); the
        // byte loop below then finds which one it was.
        if let base = bytes.baseAddress {
            while bytes.count - index >= 8 {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                guard !Self.needsLook(word) else { break }
                index += 8
            }
        }
        var isASCII = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                // ASCII needs no validation (and takes the standard library's fastest path).
                lastStringIsPlainASCII = isASCII
                if isASCII { return String(decoding: slice, as: UTF8.self) }
                guard let string = String(validating: slice, as: UTF8.self) else {
                    throw JSONParseError(message: "invalid UTF-8 in a string", offset: start)
                }
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("unescaped control character in a string") }
            if byte >= 0x80 { isASCII = false }
            index += 1
        }
        lastStringIsPlainASCII = false
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let string = String(validating: buffer, as: UTF8.self) else {
                    throw JSONParseError(message: "invalid UTF-8 in a string", offset: start)
                }
                return string
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw error("unexpected end of input in a string") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""): buffer.append(0x22)
                case UInt8(ascii: "\\"): buffer.append(0x5C)
                case UInt8(ascii: "/"): buffer.append(0x2F)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired UTF-16 surrogate in a string")
                        }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired UTF-16 surrogate in a string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw error("unpaired UTF-16 surrogate in a string")
                    }
                    buffer.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
                default:
                    throw error("invalid escape in a string")
                }
            default:
                if byte < 0x20 { throw error("unescaped control character in a string") }
                buffer.append(byte)
                index += 1
            }
        }
        throw error("unterminated string")
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw error("unexpected end of input in a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in a \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    // MARK: - Numbers

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw error("unexpected end of input in a number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(bytes[index]) {
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        } else {
            throw error("invalid number")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            let digits = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > digits else { throw error("invalid number: digits expected after '.'") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digits = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > digits else { throw error("invalid number: digits expected in the exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let value = Int64(text) {
            return .int(value)
        }
        guard let value = Double(text), value.isFinite else {
            throw JSONParseError(message: "number out of range", offset: start)
        }
        return .double(value)
    }
}

/// Why a JSON document could not be parsed, and where.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in words.
    public var message: String
    /// The byte offset in the document where the problem was found.
    public var offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "invalid JSON at byte \(offset + 1): \(message)" }
}
