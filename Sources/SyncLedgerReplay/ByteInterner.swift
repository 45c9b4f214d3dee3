import Foundation

/// Gives each distinct UTF-8 byte string a number, in the order first seen, looked up from
/// borrowed bytes: a scan of a million events finds its stream and actor without making a
/// `String` or hashing one for each.
///
/// An open-addressing table over one arena of the strings' bytes.
struct ByteInterner {
    /// Per bucket: the string's hash in the high 32 bits, its number + 1 in the low 32 (0:
    /// empty), so a probe reads one word and compares bytes only on a likely match. The
    /// count is a power of two, at least twice the strings'.
    private var buckets: [UInt64]
    /// Each string's start in `arena`, by number, and the arena's end last.
    private var starts: [Int] = [0]
    private var arena: [UInt8] = []

    init(capacity: Int = 1024) {
        var count = 16
        while count < capacity * 2 { count *= 2 }
        buckets = Array(repeating: 0, count: count)
    }

    /// How many distinct strings were seen.
    var count: Int { starts.count - 1 }

    /// The number of `bytes`, given now when they are new.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> (number: Int, isNew: Bool) {
        let hash = Self.hash(bytes)
        let bucket = find(bytes, hash: hash)
        if buckets[bucket] != 0 { return (Int(truncatingIfNeeded: buckets[bucket] & 0xFFFF_FFFF) - 1, false) }
        let number = count
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        buckets[bucket] = Self.word(hash: hash, number: number)
        if count * 2 > buckets.count { grow() }
        return (number, true)
    }

    /// The number of `bytes`, nil when they were never seen.
    func number(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let bucket = find(bytes, hash: Self.hash(bytes))
        return buckets[bucket] == 0 ? nil : Int(truncatingIfNeeded: buckets[bucket] & 0xFFFF_FFFF) - 1
    }

    /// The number of `text`'s UTF-8 bytes, nil when they were never seen.
    func number(of text: String) -> Int? {
        var text = text
        return text.withUTF8 { number(of: $0) }
    }

    /// The string numbered `number`.
    func string(_ number: Int) -> String {
        String(decoding: arena[starts[number]..<starts[number + 1]], as: UTF8.self)
    }

    // MARK: - Table

    /// The bucket that holds `bytes`, or the empty one where they would go.
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int {
        let mask = buckets.count - 1
        let tag = hash >> 32
        var bucket = Int(truncatingIfNeeded: hash) & mask
        while buckets[bucket] != 0 {
            let word = buckets[bucket]
            if word >> 32 == tag, equals(Int(truncatingIfNeeded: word & 0xFFFF_FFFF) - 1, bytes) { return bucket }
            bucket = (bucket + 1) & mask
        }
        return bucket
    }

    private func equals(_ number: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[number]
        guard starts[number + 1] - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { arena in
            bytes.isEmpty || memcmp(arena.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    private mutating func grow() {
        buckets = Array(repeating: 0, count: buckets.count * 2)
        let mask = buckets.count - 1
        arena.withUnsafeBufferPointer { arena in
            for number in 0..<count {
                let hash = Self.hash(UnsafeBufferPointer(rebasing: arena[starts[number]..<starts[number + 1]]))
                var bucket = Int(truncatingIfNeeded: hash) & mask
                while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
                buckets[bucket] = Self.word(hash: hash, number: number)
            }
        }
    }

    private static func word(hash: UInt64, number: Int) -> UInt64 {
        (hash >> 32) << 32 | UInt64(number + 1)
    }

    /// A 64-bit hash of `bytes`, eight at a time (a multiply-xorshift mix per word and
    /// MurmurHash3's finaliser): streams are about forty bytes, hashed once per event.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let raw = UnsafeRawBufferPointer(bytes)
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(raw.count)
        var offset = 0
        while offset + 8 <= raw.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < raw.count {
            tail |= UInt64(raw[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        hash ^= hash >> 33
        hash = hash &* 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        return hash
    }
}
