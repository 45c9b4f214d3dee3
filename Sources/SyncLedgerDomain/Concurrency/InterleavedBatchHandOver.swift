import Foundation

/// Numbered batches made by several producers, each on a thread of its own, handed to one
/// consumer in the order of their numbers: producer `p` of `n` makes batches `p`, `p + n`,
/// `p + 2n`, …, and none is made more than ``capacity`` batches ahead of the consumer.
///
/// For work that splits by batch, such as reading a log by ranges of seqs, each producer on
/// its own connection: the producers' work runs side by side, and the consumer still takes
/// it in order. A producer ends by returning, once the numbers left to it are past the end
/// of the work, or by throwing: the consumer then gets every batch numbered before the one
/// it failed in, then the error; batches numbered after it are never given. A producer that
/// fails partway through a batch can give what it made of it with the error
/// (``handLast(_:number:failing:)``): the consumer gets that batch, then the error.
///
/// As with ``BatchHandOver``, the consumer gives back each batch it is done with
/// (``retire(_:)``), to be freed by the thread of the producer that made it, and ends the
/// hand-over with ``stop()``, which returns once every producer's thread has ended.
public final class InterleavedBatchHandOver<Item>: @unchecked Sendable {
    /// What ``hand(_:number:)`` throws once the consumer has stopped: the producer lets it
    /// go up.
    public struct Stopped: Error {}

    /// The producers, each on its own thread.
    public let producers: Int
    /// How far ahead of the consumer a batch may be made: batch `k` waits while the consumer
    /// has not yet taken batch `k - capacity`.
    public let capacity: Int

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var ready: [Int: [Item]] = [:]
    /// The number of the next batch the consumer takes.
    private var nextNumber = 0
    /// The numbers of the batches taken and not yet retired, in the order taken.
    private var taken: [Int] = []
    /// For each producer, the number of the last batch it handed.
    private var lastHanded: [Int?]
    /// For each producer that returned: the number of the first batch it did not make.
    private var ends: [Int: Int] = [:]
    /// The failure with the lowest batch number: batches up to `number` are given, then `error`
    /// (`number` is the batch a producer failed in, less one; or that batch, handed with the
    /// error by ``handLast(_:number:failing:)``).
    private var failure: (number: Int, error: any Error)?
    /// Batches the consumer is done with, for each producer's thread to free.
    private var spent: [[[Item]]]
    private var stopped = false
    /// The producers' threads that have ended.
    private var exited = 0

    /// Starts `produce` on `producers` threads, with each one's number (`0..<producers`);
    /// it hands its batches to the hand-over it is given.
    public init(
        producers: Int, capacity: Int, stackSize: Int = 1 << 20,
        _ produce: @escaping @Sendable (InterleavedBatchHandOver<Item>, _ producer: Int) throws -> Void
    ) {
        self.producers = max(1, producers)
        self.capacity = max(1, capacity)
        spent = Array(repeating: [], count: self.producers)
        lastHanded = Array(repeating: nil, count: self.producers)
        for producer in 0..<self.producers {
            let thread = Thread { [self] in
                var error: (any Error)?
                do {
                    try produce(self, producer)
                } catch is Stopped {
                    error = nil
                } catch let thrown {
                    error = thrown
                }
                condition.lock()
                // The batch after the last it handed (`producer`: none handed).
                let unmade = (lastHanded[producer] ?? producer - self.producers) + self.producers
                if let error {
                    // It failed in that batch: the ones before it are given.
                    record(error, after: unmade - 1)
                } else {
                    ends[producer] = unmade
                }
                condition.broadcast()
                condition.unlock()
                freeSpentUntilStopped(by: producer)
            }
            thread.stackSize = stackSize
            thread.start()
        }
    }

    // MARK: - Producer

    /// Called by a producer: waits until batch `number` is within ``capacity`` of the
    /// consumer, then queues `batch` under it; frees the batches of this producer retired
    /// meanwhile. Throws ``Stopped`` once the consumer has stopped.
    public func hand(_ batch: [Item], number: Int) throws {
        let producer = number % producers
        condition.lock()
        while number >= nextNumber + capacity && !stopped { condition.wait() }
        if stopped {
            condition.unlock()
            throw Stopped()
        }
        ready[number] = batch
        lastHanded[producer] = number
        let retired = spent[producer]
        spent[producer] = []
        condition.broadcast()
        condition.unlock()
        _ = consume retired  // freed here, outside the lock
    }

    /// Called by a producer that failed partway through batch `number`: queues what it made of
    /// it, as ``hand(_:number:)`` does, with `error`, which the consumer gets once it has
    /// taken that batch. Nothing numbered after it is given. The producer then throws.
    public func handLast(_ batch: [Item], number: Int, failing error: any Error) {
        condition.lock()
        while number >= nextNumber + capacity && !stopped { condition.wait() }
        if !stopped {
            ready[number] = batch
            lastHanded[number % producers] = number
            record(error, after: number)
        }
        condition.broadcast()
        condition.unlock()
    }

    /// Records `error` as the end of the batches, after batch `number`, unless a failure
    /// ends them sooner. Called with `condition` locked.
    private func record(_ error: any Error, after number: Int) {
        if failure.map({ number < $0.number }) ?? true { failure = (number, error) }
    }

    /// Called on a producer's thread once it has returned: frees its batches retired until
    /// the hand-over is stopped, then records that the thread ended.
    private func freeSpentUntilStopped(by producer: Int) {
        condition.lock()
        while !spent[producer].isEmpty || !stopped {
            if spent[producer].isEmpty {
                condition.wait()
                continue
            }
            let retired = spent[producer]
            spent[producer] = []
            condition.unlock()
            _ = consume retired
            condition.lock()
        }
        exited += 1
        condition.broadcast()
        condition.unlock()
    }

    // MARK: - Consumer

    /// The next batch, in the order of the numbers; nil once the producer of that number has
    /// returned without making it. Rethrows a producer's error after the batches numbered up
    /// to the one it failed in.
    public func next() throws -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let failure, nextNumber > failure.number { throw failure.error }
            if let batch = ready.removeValue(forKey: nextNumber) {
                taken.append(nextNumber)
                nextNumber += 1
                condition.broadcast()
                return batch
            }
            if let end = ends[nextNumber % producers], nextNumber >= end { return nil }
            condition.wait()
        }
    }

    /// Gives back a batch the consumer is done with (the oldest taken and not yet given
    /// back), for the thread of the producer that made it to free.
    public func retire(_ batch: consuming [Item]) {
        condition.lock()
        if !taken.isEmpty { spent[taken.removeFirst() % producers].append(batch) }
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the producers and waits for their threads to end.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while exited < producers { condition.wait() }
        condition.unlock()
    }
}
