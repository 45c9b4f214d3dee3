import SyncLedgerDomain
import Testing

@Suite("Work spread over the cores: concurrentMap and sorting references")
struct ConcurrentMapTests {
    @Test("concurrentMap returns map's results in order, whatever the size and stripe", arguments: [0, 1, 255, 256, 4_103, 100_000])
    func sameAsMap(count: Int) {
        let numbers = Array(0..<count)
        #expect(numbers.concurrentMap { $0 * 3 + 1 } == numbers.map { $0 * 3 + 1 })
        #expect(numbers.concurrentMap(minimumStripe: 1) { "n\($0)" } == numbers.map { "n\($0)" })
    }

    @Test("concurrentMap calls the transform once per element")
    func oncePerElement() {
        let strings = (0..<10_000).map { String(repeating: "x", count: $0 % 40) }
        let lengths = strings.concurrentMap(minimumStripe: 16) { $0.utf8.count }
        #expect(lengths == strings.map(\.utf8.count))
        #expect(lengths.reduce(0, +) == strings.reduce(0) { $0 + $1.utf8.count })
    }

    @Test("sortedByDescription orders references as < does: kinds, shared prefixes, short and non-ASCII anchors", arguments: [1, 2, 3] as [UInt64])
    func sortingReferences(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let kinds: [ObjectKind] = [.user, .group, .contact, .resource]
        // Anchors built from few pieces, so many share their first 16 bytes of description.
        let pieces = ["a", "b", "0123456789", "Z", "é", "日本", "~", "ab", "-", "00000000000"]
        var references: [ObjectRef] = [.tenant]
        for _ in 0..<2_000 {
            let anchor = (0..<Int.random(in: 1...5, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            references.append(try ObjectRef(kind: kinds.randomElement(using: &random)!, anchor: anchor))
        }
        references.shuffle(using: &random)
        let expected = references.sorted()
        #expect(references.sortedByDescription() == expected)
        // And the order is the descriptions' UTF-8 byte order.
        #expect(expected.map(\.description) == references.map(\.description).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }
}
