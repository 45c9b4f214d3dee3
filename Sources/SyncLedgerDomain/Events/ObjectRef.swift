/// A reference to a stream: `tenant`, or `kind:anchor` for a directory object.
///
/// The anchor is the object's immutable source identity (in practice the base64 of the AD
/// objectGUID or mS-DS-ConsistencyGuid). It is opaque to the ledger: never a UPN or a name,
/// which can change. `$` and `_` are allowed here even though Office 365 refuses them in
/// `onPremisesImmutableId`; the replayer deals with that.
public struct ObjectRef: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The longest anchor accepted, in UTF-8 bytes.
    public static let maximumAnchorLength = 256

    /// The tenant's own stream.
    public static let tenant = ObjectRef(uncheckedKind: .tenant, anchor: "")

    public let kind: ObjectKind
    public let anchor: String

    private init(uncheckedKind kind: ObjectKind, anchor: String) {
        self.kind = kind
        self.anchor = anchor
    }

    /// A reference to a directory object; throws when the anchor is empty, too long or has
    /// control characters or whitespace.
    public init(kind: ObjectKind, anchor: String) throws(DomainError) {
        if kind == .tenant {
            guard anchor.isEmpty else {
                throw DomainError(.invalidReference, "the tenant stream is written \"tenant\", with no anchor")
            }
            self = .tenant
            return
        }
        guard !anchor.isEmpty else {
            throw DomainError(.invalidReference, "the anchor after \"\(kind.rawValue):\" is empty")
        }
        guard anchor.utf8.count <= Self.maximumAnchorLength else {
            throw DomainError(.invalidReference, "the anchor is longer than \(Self.maximumAnchorLength) bytes")
        }
        guard !Self.hasSpaceOrControl(anchor) else {
            throw DomainError(.invalidReference, "the anchor contains whitespace or a control character")
        }
        self.init(uncheckedKind: kind, anchor: anchor)
    }

    /// Whether `text` holds whitespace or a control character; plain ASCII is checked byte
    /// by byte (the hot path: every event names its stream), the rest by Unicode properties.
    static func hasSpaceOrControl(_ text: String) -> Bool {
        // The bytes in one buffer (`withUTF8`), not one at a time through the UTF-8 view.
        var text = text
        var ascii = true
        let found = text.withUTF8 { bytes in
            for byte in bytes {
                if byte < 0x21 || byte == 0x7F { return true }
                if byte >= 0x80 { ascii = false }
            }
            return false
        }
        return found || (!ascii && text.unicodeScalars.contains { $0.properties.isWhitespace })
    }

    /// Parses `tenant` or `kind:anchor`.
    public init(parsing text: String) throws(DomainError) {
        if text == "tenant" {
            self = .tenant
            return
        }
        // Most references are ASCII up to the colon and just after it: the colon is then the
        // first ":" Character, found with a byte scan instead of grapheme breaking (every
        // object read and every journal entry names one).
        var bytes = text
        let split: (kind: String, anchor: String)? = bytes.withUTF8 { utf8 in
            guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")), colon + 1 < utf8.count, utf8[colon + 1] < 0x80,
                !utf8[..<colon].contains(where: { $0 >= 0x80 })
            else { return nil }
            return (String(decoding: utf8[..<colon], as: UTF8.self), String(decoding: utf8[(colon + 1)...], as: UTF8.self))
        }
        if let split, let kind = ObjectKind(rawValue: split.kind), kind != .tenant {
            try self.init(kind: kind, anchor: split.anchor)
            return
        }
        guard let colon = text.firstIndex(of: ":") else {
            throw DomainError(
                .invalidReference,
                "\"\(Self.redacted(text))\" is not an object reference: write kind:anchor (user:…, group:…, contact:…, resource:…) or tenant"
            )
        }
        let kindText = String(text[..<colon])
        guard let kind = ObjectKind(rawValue: kindText), kind != .tenant else {
            throw DomainError(
                .unknownStreamKind,
                "unknown object kind \"\(Self.redacted(kindText))\": use user, group, contact, resource or tenant"
            )
        }
        try self.init(kind: kind, anchor: String(text[text.index(after: colon)...]))
    }

    /// Appends ``description`` as a canonical JSON string, without making the string.
    public func appendCanonicalString(to out: inout [UInt8]) {
        guard kind != .tenant else { return JSONValue.appendCanonicalString("tenant", to: &out) }
        // The kind and the colon need no escape; the anchor is escaped as any string is.
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: kind.rawValue.utf8)
        out.append(UInt8(ascii: ":"))
        JSONValue.appendEscaped(anchor, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// The stream name stored in the ledger: `tenant` or `kind:anchor`.
    public var description: String {
        if kind == .tenant { return "tenant" }
        // Built by appending (not interpolation): every event, row and command names one.
        var text = kind.rawValue
        text.reserveCapacity(text.utf8.count + 1 + anchor.utf8.count)
        text += ":"
        text += anchor
        return text
    }

    /// Whether both name the same stream: the same kind and the same anchor bytes, as
    /// SQLite compares the streams' text. (`String`'s `==` holds canonically equivalent
    /// text equal, "é" and "e\u{301}", which the ledger stores as two streams; it also
    /// retained both strings to compare them.)
    public static func == (lhs: ObjectRef, rhs: ObjectRef) -> Bool {
        lhs.kind == rhs.kind && JSONValue.utf8Compare(lhs.anchor, rhs.anchor) == 0
    }

    /// Hashes the kind and the anchor's bytes (what ``==(_:_:)`` compares).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        if anchor.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) != nil { return }
        var bytes = anchor
        bytes.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The order of the descriptions' UTF-8 bytes, without building them: no kind's name
    /// is a prefix of another's, so kinds order by name and one kind's objects by anchor.
    public static func < (lhs: ObjectRef, rhs: ObjectRef) -> Bool {
        if lhs.kind != rhs.kind { return JSONValue.utf8Precedes(lhs.kind.rawValue, rhs.kind.rawValue) }
        return JSONValue.utf8Precedes(lhs.anchor, rhs.anchor)
    }

    /// A short form of user text for error messages that cannot leak a long value.
    static func redacted(_ text: String) -> String {
        // A UPN or mail address put where a reference or a name belongs is personal data.
        if let at = text.firstIndex(of: "@") { return "…" + text[at...].prefix(40) }
        return text.count > 40 ? String(text.prefix(40)) + "…" : text
    }
}
