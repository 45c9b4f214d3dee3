import Foundation
import SyncLedgerDomain
import Testing

@Suite("InterleavedBatchHandOver: numbered batches from several producer threads to one consumer, in order, bounded")
struct InterleavedBatchHandOverTests {
    typealias Counter = BatchHandOverTests.Counter
    typealias Tracked = BatchHandOverTests.Tracked
    struct Broken: Error {}

    /// Batch `number` of 0..<`count` items cut in tens.
    static func batch(_ number: Int) -> [Int] { Array(number * 10..<number * 10 + 10) }

    @Test("batches come out in the order of their numbers, whichever producer is faster; none is made more than the capacity ahead", arguments: [1, 2, 3])
    func orderAndBound(producers: Int) throws {
        let handed = Counter()
        let handOver = InterleavedBatchHandOver<Int>(producers: producers, capacity: 3) { handOver, producer in
            for number in stride(from: producer, to: 100, by: producers) {
                // The producers run at different speeds.
                if producer == 0, number % 7 == 0 { Thread.sleep(forTimeInterval: 0.002) }
                try handOver.hand(Self.batch(number), number: number)
                handed.add(1)
            }
        }
        defer { handOver.stop() }
        var taken = 0
        var all: [Int] = []
        while let batch = try handOver.next() {
            taken += 1
            all += batch
            // Taken so far, plus the capacity, plus one being handed by each producer.
            #expect(handed.current <= taken + 3 + producers)
            if taken < 5 { Thread.sleep(forTimeInterval: 0.01) }  // a slow consumer: the producers wait
            handOver.retire(consume batch)
        }
        #expect(all == Array(0..<1_000))
        #expect(taken == 100)
    }

    @Test("the end is where the producer of the next number returned without it; empty batches count as batches")
    func endAndEmptyBatches() throws {
        let handOver = InterleavedBatchHandOver<Int>(producers: 2, capacity: 2) { handOver, producer in
            // Producer 0 makes 0, 2 (empty), 4; producer 1 makes 1, 3, and then 5 would be past the end.
            for number in stride(from: producer, to: 5, by: 2) {
                try handOver.hand(number == 2 ? [] : [number], number: number)
            }
        }
        defer { handOver.stop() }
        var batches: [[Int]] = []
        while let batch = try handOver.next() { batches.append(batch) }
        #expect(batches == [[0], [1], [], [3], [4]])

        let none = InterleavedBatchHandOver<Int>(producers: 2, capacity: 2) { _, _ in }
        defer { none.stop() }
        #expect(try none.next() == nil)
    }

    @Test("a failure partway through a batch gives the batches before it, what it made of that one, then the error; later ones never")
    func failureInBatch() throws {
        // Producer 1 fails in batch 3 after two of its items; producer 0 goes on to 8.
        let handOver = InterleavedBatchHandOver<Int>(producers: 2, capacity: 8) { handOver, producer in
            for number in stride(from: producer, to: 10, by: 2) {
                if number == 3 {
                    handOver.handLast([30, 31], number: 3, failing: Broken())
                    throw Broken()
                }
                try handOver.hand(Self.batch(number), number: number)
            }
        }
        defer { handOver.stop() }
        var all: [Int] = []
        #expect(throws: Broken.self) {
            while let batch = try handOver.next() { all += batch }
        }
        #expect(all == Array(0..<30) + [30, 31])
        // Asked again, the same error.
        #expect(throws: Broken.self) { try handOver.next() }
    }

    @Test("a failure between batches gives every batch numbered before the one it would have made, then the error")
    func failureBetweenBatches() throws {
        // Producer 1 makes 1 and 3, then fails before 5; producer 0 makes 0, 2, 4 and more.
        let handOver = InterleavedBatchHandOver<Int>(producers: 2, capacity: 8) { handOver, producer in
            for number in stride(from: producer, to: 10, by: 2) {
                if number == 5 { throw Broken() }
                try handOver.hand(Self.batch(number), number: number)
            }
        }
        defer { handOver.stop() }
        var all: [Int] = []
        #expect(throws: Broken.self) {
            while let batch = try handOver.next() { all += batch }
        }
        #expect(all == Array(0..<50))

        // A producer that fails before it hands anything (its connection would not open):
        // the error comes before any batch of its own.
        let unopened = InterleavedBatchHandOver<Int>(producers: 2, capacity: 2) { handOver, producer in
            if producer == 0 { throw Broken() }
            try handOver.hand([1], number: 1)
        }
        defer { unopened.stop() }
        #expect(throws: Broken.self) { try unopened.next() }
    }

    @Test("a consumer that stops ends every producer, even one waiting for room")
    func stopping() throws {
        let stoppedAt = Counter()
        let endless = InterleavedBatchHandOver<Int>(producers: 2, capacity: 1) { handOver, producer in
            var number = producer
            do {
                while true {
                    try handOver.hand([number], number: number)
                    number += 2
                }
            } catch {
                stoppedAt.add(1)
                throw error
            }
        }
        #expect(try endless.next() == [0])
        endless.stop()  // returns: both threads have ended
        #expect(stoppedAt.current == 2)
    }

    @Test("batches given back are freed on the thread of the producer that made them")
    func retiredOnProducers() throws {
        let freedElsewhere = Counter()
        nonisolated(unsafe) let consumer = Thread.current
        let handOver = InterleavedBatchHandOver<Tracked>(producers: 2, capacity: 2) { handOver, producer in
            for number in stride(from: producer, to: 20, by: 2) {
                try handOver.hand((0..<5).map { _ in Tracked(freedOn: freedElsewhere, consumer: consumer) }, number: number)
            }
        }
        var taken = 0
        while let batch = try handOver.next() {
            taken += batch.count
            handOver.retire(consume batch)
        }
        handOver.stop()
        #expect(taken == 100)
        #expect(freedElsewhere.current == 100)
    }
}
