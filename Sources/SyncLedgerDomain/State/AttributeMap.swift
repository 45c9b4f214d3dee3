/// A directory object's attribute values by name, held as one array in canonical key order.
///
/// A directory holds a hundred thousand objects of a dozen or more attributes each, and a
/// fold, a snapshot or a view of the past holds them all. A dictionary of sixteen values
/// takes 32 buckets of key and value; this takes sixteen entries, and its canonical JSON is
/// written in one walk, with no sort. Names are ordered and compared by their UTF-8 bytes,
/// the order of canonical JSON. (A dictionary would take two spellings of a name that
/// Unicode holds equivalent for one; names come from parsed JSON, whose parser refuses such
/// a pair in one object, so a map never holds both.)
///
/// Lookups are binary searches; an insert moves the entries after it. Both are cheap at the
/// sizes attributes come in (tens, not thousands).
public struct AttributeMap: Sendable {
    public typealias Element = (key: String, value: JSONValue)

    private var entries: [Element]

    // MARK: - Creating

    public init() {
        entries = []
    }

    /// The members of a JSON object.
    public init(_ members: [String: JSONValue]) {
        entries = []
        entries.reserveCapacity(members.count)
        JSONValue.forEachInKeyOrder(members) { index in
            let (name, value) = members[index]
            entries.append((Self.shared(name), value))
        }
    }

    /// Builds a map from `(name, value)` pairs given in canonical key order, as a canonical
    /// document lists them; pairs out of order are sorted, and a repeated name keeps its
    /// last value.
    public init(ordered members: some Sequence<Element>) {
        entries = []
        entries.reserveCapacity(members.underestimatedCount)
        var inOrder = true
        for member in members {
            if let last = entries.last, inOrder, !JSONValue.utf8Precedes(last.key, member.key) { inOrder = false }
            entries.append((Self.shared(member.key), member.value))
        }
        if !inOrder { self = AttributeMap(Dictionary(entries, uniquingKeysWith: { _, last in last })) }
    }

    /// Builds a map from the members of a JSON object read by ``JSONParser/readMembersInOrder()``:
    /// adopted as they are when the parser saw them in canonical order, sorted otherwise.
    ///
    /// - Parameter ascending: the parser's answer, passed as it is: true promises canonical
    ///   order, each name once (the map's lookups rely on it); false has the order checked.
    public init(members: [Element], ascending: Bool) {
        // Not known to be in order (a key not plain ASCII, or out of order): checked, and
        // sorted if need be, member by member.
        guard ascending else {
            self.init(ordered: members)
            return
        }
        self.init()
        entries = members
        // The catalog's copies of the long names (one string for every object, not one each).
        for index in entries.indices where entries[index].key.utf8.count > 15 {
            entries[index].key = Self.shared(entries[index].key)
        }
    }

    /// Reads the JSON object in `bytes` (canonical or not) member by member, with no
    /// dictionary built on the way; throws on invalid JSON, a repeated name or a non-object.
    public init(json bytes: UnsafeBufferPointer<UInt8>) throws {
        // The members come in one array of their exact size, taken as the entries when they
        // are in order (a canonical document's are).
        let (members, ascending) = try JSONParser.membersInOrder(in: bytes)
        self.init(members: members, ascending: ascending)
    }

    /// Reads the JSON object `text`, as ``init(json:)-(UnsafeBufferPointer<UInt8>)`` does.
    public init(json text: String) throws {
        var text = text
        self = try text.withUTF8 { bytes in try AttributeMap(json: bytes) }
    }

    // MARK: - Reading and changing

    /// The value of `name`; setting nil removes it.
    public subscript(name: String) -> JSONValue? {
        get {
            let (index, found) = position(of: name)
            // Not `found ? value : nil`: JSONValue takes the nil literal as `.null`.
            guard found else { return JSONValue?.none }
            return entries[index].value
        }
        set {
            // A map filled in canonical order (most are): each name goes at the end.
            if let value = newValue, entries.isEmpty || JSONValue.utf8Precedes(entries[entries.count - 1].key, name) {
                entries.append((Self.shared(name), value))
                return
            }
            let (index, found) = position(of: name)
            switch (found, newValue) {
            case (true, let value?): entries[index].value = value
            case (true, .none): entries.remove(at: index)
            case (false, let value?): entries.insert((Self.shared(name), value), at: index)
            case (false, .none): break
            }
        }
    }

    /// Removes `name`, returning the value it had.
    @discardableResult
    public mutating func removeValue(forKey name: String) -> JSONValue? {
        let (index, found) = position(of: name)
        guard found else { return JSONValue?.none }
        return entries.remove(at: index).value
    }

    /// Calls `body` with each name and its value, in canonical order, each value moved out
    /// of the map (not copied), then removes every entry, keeping the storage: the map's
    /// owner frees it, on its own thread.
    public mutating func removeAllMovingValues(_ body: (String, consuming JSONValue) -> Void) {
        for index in entries.indices {
            var value = JSONValue.null
            swap(&value, &entries[index].value)
            body(entries[index].key, value)
        }
        entries.removeAll(keepingCapacity: true)
    }

    /// The entries `isIncluded` keeps, in the same order (no lookup, no sort).
    public func filter(_ isIncluded: (Element) throws -> Bool) rethrows -> AttributeMap {
        var kept = AttributeMap()
        kept.entries = try entries.filter(isIncluded)
        return kept
    }

    /// The names, in canonical order.
    public var keys: [String] { entries.map(\.key) }

    /// Makes room for `count` members, so a map filled member by member grows once.
    public mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
    }

    /// The same values as a dictionary (for a JSON object built around them).
    public var dictionary: [String: JSONValue] {
        Dictionary(entries.lazy.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The values as a JSON object.
    public var json: JSONValue { .object(dictionary) }

    /// Appends the canonical JSON object of the values: the same bytes as ``json``'s.
    public func appendCanonical(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (offset, entry) in entries.enumerated() {
            if offset > 0 { out.append(UInt8(ascii: ",")) }
            JSONValue.appendCanonicalString(entry.key, to: &out)
            out.append(UInt8(ascii: ":"))
            entry.value.appendCanonical(to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The canonical JSON text of the values.
    public var canonicalString: String {
        var out: [UInt8] = []
        appendCanonical(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The catalog's copy of `name`, when it is a catalog name too long to be stored inline
    /// (past 15 bytes, like `userPrincipalName`): the catalog's is a literal, stored once
    /// for the process, where a name read from JSON is an allocation for every object.
    static func shared(_ name: String) -> String {
        let length = name.utf8.count
        guard length > 15, length < catalogNames.count else { return name }
        // A few names of each length: compared, not hashed (a map is read per object).
        for candidate in catalogNames[length] where candidate == name { return candidate }
        return name
    }

    /// The catalog's names longer than 15 bytes, by their length in bytes.
    private static let catalogNames: [[String]] = {
        var names: [[String]] = []
        for kind in ObjectKind.directoryKinds {
            for attribute in AttributeCatalog.attributes(for: kind) where attribute.name.utf8.count > 15 {
                let length = attribute.name.utf8.count
                if names.count <= length { names += Array(repeating: [], count: length + 1 - names.count) }
                if !names[length].contains(attribute.name) { names[length].append(attribute.name) }
            }
        }
        return names
    }()

    /// Where `name` is, or would go.
    private func position(of name: String) -> (index: Int, found: Bool) {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            let order = JSONValue.utf8Compare(entries[middle].key, name)
            if order == 0 { return (middle, true) }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return (low, false)
    }
}

// MARK: - Collection

extension AttributeMap: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }
    public subscript(position: Int) -> Element { entries[position] }
}

// MARK: - Literals, equality

extension AttributeMap: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        // `[:]` is most literals (a map filled afterwards): no dictionary, no sort.
        self.init(ordered: elements.lazy.map { (key: $0.0, value: $0.1) })
    }
}

extension AttributeMap: Hashable {
    public static func == (lhs: AttributeMap, rhs: AttributeMap) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { left, right in
                left.key.utf8.elementsEqual(right.key.utf8) && left.value == right.value
            }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for entry in entries {
            hasher.combine(entry.key)
            hasher.combine(entry.value)
        }
    }
}

extension AttributeMap: CustomStringConvertible {
    /// The names and values in canonical order, as a dictionary literal would show them.
    public var description: String {
        entries.isEmpty ? "[:]" : "[" + entries.map { "\($0.key.debugDescription): \($0.value)" }.joined(separator: ", ") + "]"
    }
}
