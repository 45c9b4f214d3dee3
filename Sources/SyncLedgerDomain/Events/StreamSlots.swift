/// Slots (indexes into the caller's array) found by their streams' UTF-8 bytes: a fold's
/// objects, an append's stream heads.
///
/// An open-addressing table whose entries hold a stream of up to 48 bytes whole (a
/// `kind:anchor` with a GUID anchor has 41 to 45), so finding one reads one entry of 64
/// bytes. A `[String: Int]` read its keys' array, the key's own storage and its values' array:
/// three cache misses an event, 0.36 s of a 1M-event rebuild's folding thread. (An
/// `[ObjectRef: …]` also retained each key it compared.) Longer streams are kept in a
/// dictionary. Hashing is Swift's `Hasher` (seeded per process), so streams chosen to collide
/// cannot be made in advance. Streams are told apart by their bytes, as SQLite compares
/// them (and ``ObjectRef`` does).
public struct StreamSlots: Sendable {
    /// The bytes of a stream of 1 to 48 bytes, zero-padded, in memory order.
    struct InlineKey: Equatable, Sendable {
        var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0, w4: UInt64 = 0, w5: UInt64 = 0

        static let capacity = 48

        init() {}

        /// The key of `bytes`; nil when they are empty or over ``capacity``.
        init?(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard !bytes.isEmpty, bytes.count <= Self.capacity else { return nil }
            withUnsafeMutableBytes(of: &self) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
        }

        /// The first 48 bytes of `bytes`, zero-padded.
        init(prefixOf bytes: UnsafeBufferPointer<UInt8>) {
            let prefix = UnsafeBufferPointer(rebasing: bytes.prefix(Self.capacity))
            withUnsafeMutableBytes(of: &self) { $0.copyMemory(from: UnsafeRawBufferPointer(prefix)) }
        }

        /// The key's hash, by a `Hasher` (seeded per process).
        var hash: Int {
            var hasher = Hasher()
            hasher.combine(w0)
            hasher.combine(w1)
            hasher.combine(w2)
            hasher.combine(w3)
            hasher.combine(w4)
            hasher.combine(w5)
            return hasher.finalize()
        }

        /// Whether its bytes come before `other`'s: the six words compared as big-endian
        /// integers compare as the bytes do.
        func precedes(_ other: InlineKey) -> Bool {
            if w0 != other.w0 { return UInt64(bigEndian: w0) < UInt64(bigEndian: other.w0) }
            if w1 != other.w1 { return UInt64(bigEndian: w1) < UInt64(bigEndian: other.w1) }
            if w2 != other.w2 { return UInt64(bigEndian: w2) < UInt64(bigEndian: other.w2) }
            if w3 != other.w3 { return UInt64(bigEndian: w3) < UInt64(bigEndian: other.w3) }
            if w4 != other.w4 { return UInt64(bigEndian: w4) < UInt64(bigEndian: other.w4) }
            return UInt64(bigEndian: w5) < UInt64(bigEndian: other.w5)
        }
    }

    /// One place of the table: empty when `slotPlusOne` is 0.
    private struct Entry: Sendable {
        var key = InlineKey()
        var hash = 0
        var slotPlusOne: Int32 = 0
        var count: Int32 = 0
    }

    /// Never more than half full, its size a power of two.
    private var entries = [Entry](repeating: Entry(), count: 1_024)
    private var inlineCount = 0
    /// Streams of more than 48 bytes.
    private var long: [String: Int] = [:]
    /// The bits of a key's hash the table uses: all of them, but for a test that makes
    /// every hash the same (0), so that streams are told apart by their bytes alone.
    private let hashBits: Int

    public init() {
        self.init(hashBits: ~0)
    }

    init(hashBits: Int) {
        self.hashBits = hashBits
    }

    /// How many streams it holds.
    public var count: Int { inlineCount + long.count }

    // MARK: - Finding and holding

    /// The slot of `stream`, nil when it holds none.
    public func slot(of stream: String) -> Int? {
        if let found = stream.utf8.withContiguousStorageIfAvailable({ slot(ofBytes: $0) }) { return found }
        var text = stream
        return text.withUTF8 { slot(ofBytes: $0) }
    }

    private func slot(ofBytes bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let key = InlineKey(bytes) else { return long[String(decoding: bytes, as: UTF8.self)] }
        return find(key, hash: key.hash & hashBits, count: bytes.count).slot
    }

    /// Holds `stream` at `slot`; `stream` must not be held yet.
    public mutating func insert(_ stream: String, slot: Int) {
        var text = stream
        let inline = text.withUTF8 { bytes in InlineKey(bytes).map { (key: $0, count: bytes.count) } }
        guard let inline else {
            precondition(long.updateValue(slot, forKey: stream) == nil, "a stream is held once")
            return
        }
        insert(inline.key, count: inline.count, slot: slot)
    }

    private mutating func insert(_ key: InlineKey, count: Int, slot: Int) {
        if (inlineCount + 1) * 2 > entries.count { grow() }
        let hash = key.hash & hashBits
        let found = find(key, hash: hash, count: count)
        precondition(found.slot == nil, "a stream is held once")
        entries[found.index] = Entry(key: key, hash: hash, slotPlusOne: Int32(slot + 1), count: Int32(count))
        inlineCount += 1
    }

    /// The slot of the stream `reference` names (its description's bytes), nil when it
    /// holds none; the description is made only when over 48 bytes.
    public func slot(of reference: ObjectRef) -> Int? {
        guard let key = Self.key(of: reference) else { return long[reference.description] }
        return find(key.key, hash: key.key.hash & hashBits, count: key.count).slot
    }

    /// Holds the stream `reference` names at `slot`, as ``insert(_:slot:)-(String,_)`` does.
    public mutating func insert(_ reference: ObjectRef, slot: Int) {
        guard let key = Self.key(of: reference) else { return insert(reference.description, slot: slot) }
        insert(key.key, count: key.count, slot: slot)
    }

    /// The key of `reference`'s description (`kind:anchor`, or `tenant`), built from its
    /// parts: the kind's prefix made once, the anchor's bytes copied after it; nil when it is
    /// over 48 bytes.
    private static func key(of reference: ObjectRef) -> (key: InlineKey, count: Int)? {
        let prefix = Self.prefix(of: reference.kind)
        guard reference.kind != .tenant else { return prefix }
        let count = prefix.count + reference.anchor.utf8.count
        guard count <= InlineKey.capacity else { return nil }
        var key = prefix.key
        withUnsafeMutableBytes(of: &key) { buffer in
            let tail = UnsafeMutableRawBufferPointer(rebasing: buffer[prefix.count..<count])
            if reference.anchor.utf8.withContiguousStorageIfAvailable({ tail.copyMemory(from: UnsafeRawBufferPointer($0)) }) == nil {
                for (index, byte) in reference.anchor.utf8.enumerated() { tail[index] = byte }
            }
        }
        return (key, count)
    }

    /// The key prefix of `kind`'s streams: `kind:`, or the whole of `tenant`.
    private static func prefix(of kind: ObjectKind) -> (key: InlineKey, count: Int) {
        switch kind {
        case .tenant: tenantPrefix
        case .user: userPrefix
        case .group: groupPrefix
        case .contact: contactPrefix
        case .resource: resourcePrefix
        }
    }

    private static let tenantPrefix = prefix("tenant")
    private static let userPrefix = prefix("user:")
    private static let groupPrefix = prefix("group:")
    private static let contactPrefix = prefix("contact:")
    private static let resourcePrefix = prefix("resource:")

    private static func prefix(_ text: String) -> (key: InlineKey, count: Int) {
        var text = text
        return text.withUTF8 { (InlineKey(prefixOf: $0), $0.count) }
    }

    /// The place holding `key` (and its slot), or the empty place where it would go.
    private func find(_ key: InlineKey, hash: Int, count: Int) -> (index: Int, slot: Int?) {
        let mask = entries.count - 1
        var index = hash & mask
        while true {
            let entry = entries[index]
            if entry.slotPlusOne == 0 { return (index, nil) }
            if entry.hash == hash, entry.count == count, entry.key == key { return (index, Int(entry.slotPlusOne) - 1) }
            index = (index + 1) & mask
        }
    }

    /// Doubles the table, every entry placed again by its stored hash.
    private mutating func grow() {
        let old = entries
        entries = [Entry](repeating: Entry(), count: old.count * 2)
        let mask = entries.count - 1
        for entry in old where entry.slotPlusOne != 0 {
            var index = entry.hash & mask
            while entries[index].slotPlusOne != 0 { index = (index + 1) & mask }
            entries[index] = entry
        }
    }

    // MARK: - Order

    /// Every slot held, ordered by its stream's UTF-8 bytes (SQLite's order for text keys).
    ///
    /// By the first 48 bytes, held in the table already, as six big-endian integers; then,
    /// for streams sharing them, by length or by all their bytes. (Comparing the 130,000
    /// streams of a 1M-event rebuild as `String`s took 80 ms, and `String`'s order differs
    /// from the bytes' for text not in NFC.)
    public func slotsInByteOrder() -> [Int] {
        var keyed: [(key: InlineKey, count: Int, long: String?, slot: Int)] = []
        keyed.reserveCapacity(count)
        for entry in entries where entry.slotPlusOne != 0 {
            keyed.append((entry.key, Int(entry.count), nil, Int(entry.slotPlusOne) - 1))
        }
        for (stream, slot) in long {
            var text = stream
            let key = text.withUTF8 { InlineKey(prefixOf: $0) }
            keyed.append((key, stream.utf8.count, stream, slot))
        }
        keyed.sort { a, b in
            if a.key != b.key { return a.key.precedes(b.key) }
            // The same first 48 bytes, zero-padded. Two held whole: the shorter is a prefix
            // of the other. One held whole: a prefix of the longer one. Two longer ones:
            // compared by all their bytes.
            switch (a.long, b.long) {
            case (nil, nil): return a.count < b.count
            case (nil, _): return true
            case (_, nil): return false
            case let (first?, second?): return first.utf8.lexicographicallyPrecedes(second.utf8)
            }
        }
        return keyed.map(\.slot)
    }
}
