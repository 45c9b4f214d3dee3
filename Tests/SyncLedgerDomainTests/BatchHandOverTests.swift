import Foundation
import SyncLedgerDomain
import Testing

@Suite("BatchHandOver: batches from a producer thread to one consumer, in order, bounded")
struct BatchHandOverTests {
    /// Counts what the producer holds, from its thread and the test's.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0

        func add(_ amount: Int) {
            lock.lock()
            value += amount
            lock.unlock()
        }

        var current: Int {
            lock.lock()
            defer { lock.unlock() }
            return value
        }
    }

    /// Records the thread it is freed on.
    final class Tracked: @unchecked Sendable {
        let freedOn: Counter
        let consumer: Thread

        init(freedOn: Counter, consumer: Thread) {
            self.freedOn = freedOn
            self.consumer = consumer
        }

        deinit {
            if Thread.current != consumer { freedOn.add(1) }
        }
    }

    @Test("every batch comes out in the order handed; the producer never runs more than the capacity ahead")
    func orderAndBound() throws {
        let handed = Counter()
        let handOver = BatchHandOver<Int>(capacity: 2) { handOver in
            for start in stride(from: 0, to: 1_000, by: 10) {
                try handOver.hand(Array(start..<start + 10))
                handed.add(1)
            }
        }
        defer { handOver.stop() }
        var taken = 0
        var all: [Int] = []
        while let batch = try handOver.next() {
            taken += 1
            all += batch
            // Taken so far, plus the capacity waiting, plus the one being handed.
            #expect(handed.current <= taken + 2)
            if taken < 5 { Thread.sleep(forTimeInterval: 0.01) }  // a slow consumer: the producer waits
        }
        #expect(all == Array(0..<1_000))
        #expect(taken == 100)
    }

    @Test("the producer's error comes after the batches handed before it; a consumer that stops ends the producer")
    func endings() throws {
        struct Broken: Error {}
        let failing = BatchHandOver<Int>(capacity: 4) { handOver in
            try handOver.hand([1, 2])
            try handOver.hand([3])
            throw Broken()
        }
        defer { failing.stop() }
        #expect(try failing.next() == [1, 2])
        #expect(try failing.next() == [3])
        #expect(throws: Broken.self) { try failing.next() }

        // An endless producer, stopped by its consumer while it waits for room.
        let stoppedAt = Counter()
        let endless = BatchHandOver<Int>(capacity: 1) { handOver in
            var next = 0
            do {
                while true {
                    try handOver.hand([next])
                    next += 1
                }
            } catch {
                stoppedAt.add(next + 1)
                throw error
            }
        }
        #expect(try endless.next() == [0])
        endless.stop()  // returns: the producer's thread has ended
        #expect(stoppedAt.current > 0)
    }

    @Test("items collected in batches come out in full batches of the size, the part-full last one after; a throw hands the items before it, then itself")
    func handInBatches() throws {
        let whole = BatchHandOver<Int>(capacity: 2) { handOver in
            try handOver.handInBatches(of: 4) { add in
                for item in 0..<10 { try add(item) }
            }
        }
        defer { whole.stop() }
        var batches: [[Int]] = []
        while let batch = try whole.next() { batches.append(batch) }
        #expect(batches == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])

        struct Broken: Error {}
        let failing = BatchHandOver<Int>(capacity: 2) { handOver in
            try handOver.handInBatches(of: 2) { add in
                for item in 0..<3 { try add(item) }
                throw Broken()
            }
        }
        defer { failing.stop() }
        #expect(try failing.next() == [0, 1])
        #expect(try failing.next() == [2])
        #expect(throws: Broken.self) { try failing.next() }
    }

    @Test("batches given back are freed on the producer's thread")
    func retiredOnProducer() throws {
        let freedElsewhere = Counter()
        nonisolated(unsafe) let consumer = Thread.current
        let handOver = BatchHandOver<Tracked>(capacity: 2) { handOver in
            for _ in 0..<20 {
                try handOver.hand((0..<5).map { _ in Tracked(freedOn: freedElsewhere, consumer: consumer) })
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
