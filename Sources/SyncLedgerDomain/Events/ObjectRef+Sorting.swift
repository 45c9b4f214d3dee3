// MARK: - Sorting many references

extension Sequence where Element == ObjectRef {
    /// The references in `<` order (their descriptions' UTF-8 byte order), sorted fast.
    ///
    /// Each reference gets a key of the first 16 bytes of its description, zero-padded (no
    /// description holds a zero byte, so a shorter one still sorts first). The keys sit side
    /// by side in memory and decide almost every comparison; only equal keys compare the
    /// references themselves. Comparing anchors directly reads strings scattered over the
    /// heap: sorting 100,000 references that way takes several times longer.
    public func sortedByDescription() -> [ObjectRef] {
        let references = Array(self)
        var keys = references.indices.map { index -> (high: UInt64, low: UInt64, index: Int) in
            let prefix = Self.prefix(of: references[index])
            return (prefix.high, prefix.low, index)
        }
        keys.sort { left, right in
            if left.high != right.high { return left.high < right.high }
            if left.low != right.low { return left.low < right.low }
            return references[left.index] < references[right.index]
        }
        return keys.map { references[$0.index] }
    }

    /// The first 16 bytes of `reference`'s description, big-endian, zero-padded.
    private static func prefix(of reference: ObjectRef) -> (high: UInt64, low: UInt64) {
        var key: (high: UInt64, low: UInt64) = (0, 0)
        var position = 0
        func add(_ byte: UInt8) {
            if position < 8 {
                key.high |= UInt64(byte) << (56 - 8 * position)
            } else if position < 16 {
                key.low |= UInt64(byte) << (56 - 8 * (position - 8))
            }
            position += 1
        }
        if reference.kind == .tenant {
            for byte in "tenant".utf8 { add(byte) }
            return key
        }
        for byte in reference.kind.rawValue.utf8 { add(byte) }
        add(UInt8(ascii: ":"))
        for byte in reference.anchor.utf8 {
            guard position < 16 else { break }
            add(byte)
        }
        return key
    }
}
