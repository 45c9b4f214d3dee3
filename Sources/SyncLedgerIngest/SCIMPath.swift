public import SyncLedgerDomain

/// A SCIM PATCH path (RFC 7644 §3.5.2): `attr`, `attr.sub`, `attr[filter]`,
/// `attr[filter].sub`, optionally behind a schema URN
/// (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`).
///
/// Attribute names are case-insensitive in SCIM; the path keeps them lowercased, as the
/// importer keeps resources.
public struct SCIMPath: Sendable, Equatable {
    /// The extension object the attribute lives in (its lowercased URN), nil for the core schema.
    public var container: String?
    /// The attribute (lowercased).
    public var attribute: String
    /// The value filter selecting elements of a multi-valued attribute.
    public var filter: SCIMFilter?
    /// The sub-attribute (lowercased).
    public var subAttribute: String?

    /// The lowercased URN of the enterprise user extension.
    public static let enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user"
    /// The lowercased URN of the core user schema.
    static let coreURNs = ["urn:ietf:params:scim:schemas:core:2.0:user", "urn:ietf:params:scim:schemas:core:2.0:group"]

    /// Parses `text`; the error message says what is wrong, never quoting it.
    public init(parsing text: String) throws(AttributeText.Mismatch) {
        var rest = Substring(AttributeText.trimmed(text))
        let lowered = rest.lowercased()
        container = nil
        if lowered.hasPrefix("urn:") {
            if lowered == Self.enterpriseURN {
                container = nil
                attribute = Self.enterpriseURN
                filter = nil
                subAttribute = nil
                return
            }
            if lowered.hasPrefix(Self.enterpriseURN + ":") {
                container = Self.enterpriseURN
                rest = rest.dropFirst(Self.enterpriseURN.count + 1)
            } else if let core = Self.coreURNs.first(where: { lowered.hasPrefix($0 + ":") }) {
                rest = rest.dropFirst(core.count + 1)
            } else {
                throw AttributeText.Mismatch(message: "names a schema this importer does not read (core User, Group and the enterprise extension only)")
            }
        }
        guard let bracket = rest.firstIndex(of: "[") else {
            let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            attribute = parts[0].lowercased()
            subAttribute = parts.count > 1 ? parts[1].lowercased() : nil
            filter = nil
            guard !attribute.isEmpty, subAttribute?.isEmpty != true else {
                throw AttributeText.Mismatch(message: "is not a SCIM attribute path")
            }
            return
        }
        attribute = rest[..<bracket].lowercased()
        guard let close = rest.lastIndex(of: "]"), close > bracket, !attribute.isEmpty else {
            throw AttributeText.Mismatch(message: "has an unclosed value filter [ ]")
        }
        filter = try SCIMFilter(parsing: rest[rest.index(after: bracket)..<close])
        let after = rest[rest.index(after: close)...]
        if after.isEmpty {
            subAttribute = nil
        } else {
            guard after.first == ".", after.count > 1 else {
                throw AttributeText.Mismatch(message: "must end after the filter or with .subAttribute")
            }
            subAttribute = after.dropFirst().lowercased()
        }
    }
}

/// A SCIM value filter (RFC 7644 §3.4.2.2) as used in PATCH paths: comparisons
/// (`eq ne co sw ew pr`) joined by `and` / `or` (`and` binds tighter), no parentheses.
public struct SCIMFilter: Sendable, Equatable {
    /// One comparison.
    public struct Comparison: Sendable, Equatable {
        public var attribute: String
        public var op: String
        public var value: JSONValue?
    }

    /// Alternatives (`or`) of conjunctions (`and`).
    public var alternatives: [[Comparison]]

    init(parsing text: Substring) throws(AttributeText.Mismatch) {
        let tokens = try Self.tokens(text)
        var alternatives: [[Comparison]] = [[]]
        var index = 0
        while index < tokens.count {
            guard case .word(let attribute) = tokens[index], index + 1 < tokens.count, case .word(let op) = tokens[index + 1]
            else { throw AttributeText.Mismatch(message: "has a value filter that is not attribute op value") }
            let lowerOp = op.lowercased()
            var comparison = Comparison(attribute: attribute.lowercased(), op: lowerOp, value: nil)
            index += 2
            if lowerOp != "pr" {
                guard ["eq", "ne", "co", "sw", "ew"].contains(lowerOp), index < tokens.count else {
                    throw AttributeText.Mismatch(message: "has a value filter operator other than eq, ne, co, sw, ew, pr")
                }
                switch tokens[index] {
                case .string(let value): comparison.value = .string(value)
                case .word(let word):
                    switch word.lowercased() {
                    case "true": comparison.value = .bool(true)
                    case "false": comparison.value = .bool(false)
                    case "null": comparison.value = .null
                    default:
                        guard let number = Int64(word) else {
                            throw AttributeText.Mismatch(message: "has a filter value that is not a quoted string, a number, true, false or null")
                        }
                        comparison.value = .int(number)
                    }
                }
                index += 1
            }
            alternatives[alternatives.count - 1].append(comparison)
            if index < tokens.count {
                guard case .word(let joiner) = tokens[index], ["and", "or"].contains(joiner.lowercased()), index + 1 < tokens.count else {
                    throw AttributeText.Mismatch(message: "has a value filter whose comparisons are not joined by and / or")
                }
                if joiner.lowercased() == "or" { alternatives.append([]) }
                index += 1
            }
        }
        guard alternatives.allSatisfy({ !$0.isEmpty }) else {
            throw AttributeText.Mismatch(message: "has an empty value filter")
        }
        self.alternatives = alternatives
    }

    // MARK: - Matching

    /// Whether the element (an object with lowercased keys) matches.
    public func matches(_ element: JSONValue) -> Bool {
        alternatives.contains { all in all.allSatisfy { Self.matches($0, element) } }
    }

    /// The attribute values a new element gets from the `eq` comparisons, when the filter is
    /// a single conjunction of them (`type eq "work"`): how `add`/`replace` creates a missing
    /// element.
    public var template: [String: JSONValue]? {
        guard alternatives.count == 1 else { return nil }
        var values: [String: JSONValue] = [:]
        for comparison in alternatives[0] {
            guard comparison.op == "eq", let value = comparison.value else { return nil }
            values[comparison.attribute] = value
        }
        return values
    }

    private static func matches(_ comparison: Comparison, _ element: JSONValue) -> Bool {
        let actual = element[comparison.attribute]
        if comparison.op == "pr" { return actual != nil && actual?.isNull == false }
        guard let expected = comparison.value else { return false }
        if case .string(let wanted) = expected, case .string(let have)? = actual {
            let (a, b) = (have.lowercased(), wanted.lowercased())
            switch comparison.op {
            case "eq": return a == b
            case "ne": return a != b
            case "co": return a.contains(b)
            case "sw": return a.hasPrefix(b)
            case "ew": return a.hasSuffix(b)
            default: return false
            }
        }
        switch comparison.op {
        case "eq": return (actual ?? .null) == expected
        case "ne": return (actual ?? .null) != expected
        default: return false
        }
    }

    // MARK: - Tokens

    private enum Token {
        case word(String)
        case string(String)
    }

    private static func tokens(_ text: Substring) throws(AttributeText.Mismatch) -> [Token] {
        var tokens: [Token] = []
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == " " || character == "\t" {
                index = text.index(after: index)
            } else if character == "\"" {
                var value = ""
                var cursor = text.index(after: index)
                var closed = false
                while cursor < text.endIndex {
                    let c = text[cursor]
                    if c == "\\", text.index(after: cursor) < text.endIndex {
                        cursor = text.index(after: cursor)
                        value.append(text[cursor])
                    } else if c == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(c)
                    }
                    cursor = text.index(after: cursor)
                }
                guard closed else { throw AttributeText.Mismatch(message: "has an unclosed string in its value filter") }
                tokens.append(.string(value))
                index = text.index(after: cursor)
            } else if character == "(" || character == ")" {
                throw AttributeText.Mismatch(message: "has parentheses in its value filter, which this importer does not read")
            } else {
                var cursor = index
                while cursor < text.endIndex, text[cursor] != " ", text[cursor] != "\t" { cursor = text.index(after: cursor) }
                tokens.append(.word(String(text[index..<cursor])))
                index = cursor
            }
        }
        return tokens
    }
}
