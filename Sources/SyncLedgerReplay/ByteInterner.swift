import Foundation

/// Gives each distinct UTF-8 byte string a number, in the order first seen, looked up from
/// borrowed bytes: a scan of a million events finds its stream and actor without making a
/// `String` or hashing one for each.
///
/// An open-addressing table of FNV-1a hashes over one arena of the strings' bytes.
struct ByteInterner {
    /// Number + 1 per bucket; 0 is empty. The count is a power of two, at least twice the
    /// strings'.
    private var buckets: [Int32]
    /// Each string's hash, by number.
    private var hashes: [UInt64] = []
    /// Each string's start in `arena`, by number, and the arena's end last.
    private var starts: [Int] = [0]
    private var arena: [UInt8] = []

    init(capacity: Int = 1024) {
        var count = 16
        while count < capacity * 2 { count *= 2 }
        buckets = Array(repeating: 0, count: count)
    }

    /// How many distinct strings were seen.
    var count: Int { hashes.count }

    /// The number of `bytes`, given now when they are new.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> (number: Int, isNew: Bool) {
        let hash = Self.hash(bytes)
        let bucket = find(bytes, hash: hash)
        if buckets[bucket] != 0 { return (Int(buckets[bucket] - 1), false) }
        let number = hashes.count
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        starts.append(arena.count)
        buckets[bucket] = Int32(number + 1)
        if hashes.count * 2 > buckets.count { grow() }
        return (number, true)
    }

    /// The number of `bytes`, nil when they were never seen.
    func number(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let bucket = find(bytes, hash: Self.hash(bytes))
        return buckets[bucket] == 0 ? nil : Int(buckets[bucket] - 1)
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
        var bucket = Int(truncatingIfNeeded: hash) & mask
        while buckets[bucket] != 0 {
            let number = Int(buckets[bucket] - 1)
            if hashes[number] == hash, equals(number, bytes) { return bucket }
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
        for (number, hash) in hashes.enumerated() {
            var bucket = Int(truncatingIfNeeded: hash) & mask
            while buckets[bucket] != 0 { bucket = (bucket + 1) & mask }
            buckets[bucket] = Int32(number + 1)
        }
    }

    /// FNV-1a, 64 bits.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
