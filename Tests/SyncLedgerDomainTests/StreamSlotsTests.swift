@testable import SyncLedgerDomain
import Testing

@Suite("StreamSlots: a fold's objects found by their streams' bytes")
struct StreamSlotsTests {
    /// Streams of every length around the 48 bytes held whole, sharing long prefixes.
    static let streams: [String] = {
        var streams: [String] = []
        let prefix = String(repeating: "p", count: 44)
        for length in [1, 2, 15, 16, 17, 40, 47, 48, 49, 50, 64, 100] {
            streams.append(String(repeating: "a", count: length))
        }
        for suffix in ["", "a", "ab", "abc", "abcd", "abcde", "b", "bcd"] { streams.append(prefix + suffix) }
        streams += ["user:é", "user:e\u{301}", "user:日本", "group:Zoë", "tenant"]
        return streams
    }()

    @Test(
        "each stream is found at the slot it was held at, long or short; a stream not held is not found; with every hash the same too",
        arguments: [~0, 0])
    func findsWhatItHolds(hashBits: Int) {
        var slots = StreamSlots(hashBits: hashBits)
        for (slot, stream) in Self.streams.enumerated() {
            #expect(slots.slot(of: stream) == nil)
            slots.insert(stream, slot: slot)
        }
        #expect(slots.count == Self.streams.count)
        for (slot, stream) in Self.streams.enumerated() {
            #expect(slots.slot(of: stream) == slot, "\(stream)")
        }
        // Sharing every byte but the last, or one byte longer or shorter: not held.
        for stream in Self.streams {
            #expect(slots.slot(of: stream + "z") == nil)
            #expect(slots.slot(of: String(stream.dropLast()) + "\u{1}") == nil)
        }
        #expect(slots.slot(of: "") == nil)
    }

    @Test("a reference is found as its description is, short or long, the tenant's too, with every hash the same too", arguments: [~0, 0])
    func references(hashBits: Int) throws {
        let references = try [
            ObjectRef.tenant, ObjectRef(kind: .user, anchor: "é"), ObjectRef(kind: .user, anchor: "e\u{301}"),
            ObjectRef(kind: .group, anchor: String(repeating: "g", count: 42)),  // 48 bytes with "group:"
            ObjectRef(kind: .group, anchor: String(repeating: "g", count: 43)),  // 49
            ObjectRef(kind: .contact, anchor: "0007e71d-106b-4bdc-adbc-ffa0b8fd2166"),
            ObjectRef(kind: .resource, anchor: String(repeating: "r", count: 200)),
        ]
        // Held by reference, found by description; held by description, found by reference.
        var byReference = StreamSlots(hashBits: hashBits)
        var byDescription = StreamSlots(hashBits: hashBits)
        for (slot, reference) in references.enumerated() {
            byReference.insert(reference, slot: slot)
            byDescription.insert(reference.description, slot: slot)
        }
        for (slot, reference) in references.enumerated() {
            #expect(byReference.slot(of: reference.description) == slot, "\(reference)")
            #expect(byDescription.slot(of: reference) == slot, "\(reference)")
            #expect(byReference.slot(of: reference) == slot, "\(reference)")
        }
        #expect(byReference.slot(of: try ObjectRef(kind: .user, anchor: "e")) == nil)
        #expect(byReference.slotsInByteOrder() == byDescription.slotsInByteOrder())
    }

    @Test("the table grows past its first size and every stream is still found")
    func grows() {
        var slots = StreamSlots()
        let streams = (0..<5_000).map { "user:\($0)-\(String(repeating: "x", count: $0 % 60))" }
        for (slot, stream) in streams.enumerated() { slots.insert(stream, slot: slot) }
        #expect(slots.count == streams.count)
        #expect(streams.enumerated().allSatisfy { slots.slot(of: $0.element) == $0.offset })
        #expect(slots.slot(of: "user:5000-") == nil)
    }

    @Test("slots come out in their streams' UTF-8 byte order, past 48-byte prefixes and lengths, whatever order they were held in")
    func byteOrder() {
        let orders = [
            Self.streams, Self.streams.reversed(),
            Self.streams.enumerated().sorted { ($0.offset % 3, $0.offset) < ($1.offset % 3, $1.offset) }.map(\.element),
        ]
        for held in orders {
            var slots = StreamSlots()
            for (slot, stream) in held.enumerated() { slots.insert(stream, slot: slot) }
            let expected = held.indices.sorted { held[$0].utf8.lexicographicallyPrecedes(held[$1].utf8) }
            #expect(slots.slotsInByteOrder() == expected)
        }
    }
}
