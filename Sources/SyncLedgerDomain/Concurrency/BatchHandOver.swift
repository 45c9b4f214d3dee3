import Foundation

/// Batches handed from a producer, on a thread of its own, to one consumer, in order, at
/// most ``capacity`` of them waiting: the producer waits for room, the consumer for a batch.
///
/// The producer ends the hand-over by returning (every batch handed) or by throwing: the
/// consumer gets the batches handed before, then the error. The consumer gives the batches
/// it is done with back (``retire(_:)``), for the producer's thread to free: memory is freed
/// fastest by the thread that allocated it. The consumer ends the hand-over with ``stop()``:
/// the producer's next ``hand(_:)`` throws ``Stopped``, and `stop()` returns once the thread
/// has ended, so nothing it holds (a connection, a file) outlives the call. Every hand-over
/// must be stopped: its thread frees the retired batches until then.
public final class BatchHandOver<Item>: @unchecked Sendable {
    /// What ``hand(_:)`` throws once the consumer has stopped: the producer lets it go up.
    public struct Stopped: Error {}

    /// The most batches waiting for the consumer.
    public let capacity: Int

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var batches: [[Item]] = []
    /// Batches the consumer is done with, for the producer's thread to free.
    private var spent: [[Item]] = []
    private var finished = false
    private var failure: (any Error)?
    private var stopped = false
    /// The producer's thread has ended.
    private var exited = false

    /// Starts `produce` on a thread of its own; it hands its batches to the hand-over it is
    /// given.
    public init(capacity: Int, stackSize: Int = 1 << 20, _ produce: @escaping @Sendable (BatchHandOver<Item>) throws -> Void) {
        self.capacity = max(1, capacity)
        let thread = Thread { [self] in
            var error: (any Error)?
            do {
                try produce(self)
            } catch is Stopped {
                error = nil
            } catch let thrown {
                error = thrown
            }
            condition.lock()
            failure = error
            finished = true
            condition.broadcast()
            condition.unlock()
            freeSpentUntilStopped()
        }
        thread.stackSize = stackSize
        thread.start()
    }

    // MARK: - Producer

    /// Called by the producer: waits for room, then queues `batch`; frees the batches retired
    /// meanwhile. Throws ``Stopped`` once the consumer has stopped.
    public func hand(_ batch: [Item]) throws {
        condition.lock()
        while batches.count >= capacity && !stopped { condition.wait() }
        if stopped {
            condition.unlock()
            throw Stopped()
        }
        batches.append(batch)
        let retired = spent
        spent = []
        condition.broadcast()
        condition.unlock()
        _ = consume retired  // freed here, outside the lock
    }

    /// Called by the producer: runs `produce` with a function that collects items into
    /// batches of `size`, handing each over (``hand(_:)``) as it fills, then hands over the
    /// last, part-full one when `produce` returns. When `produce` throws, the items it added
    /// before are handed over first, then the error goes on: the consumer gets every item
    /// before the failure, as it would one by one. `add` takes the item it is given (moved
    /// into the batch, not copied).
    @inlinable
    public func handInBatches(of size: Int, _ produce: (_ add: (consuming Item) throws -> Void) throws -> Void) throws {
        var batch: [Item] = []
        batch.reserveCapacity(size)
        do {
            try produce { (item: consuming Item) in
                batch.append(item)
                guard batch.count >= size else { return }
                try hand(batch)
                batch = []
                batch.reserveCapacity(size)
            }
        } catch let error where !(error is Stopped) {
            // Stopped meanwhile: nobody takes the rest, and the error is the one to end with.
            if !batch.isEmpty { try? hand(batch) }
            throw error
        }
        if !batch.isEmpty { try hand(batch) }
    }

    /// Called on the producer's thread once it has returned: frees the batches retired until
    /// the hand-over is stopped (those retired just before included), then records that the
    /// thread ended.
    private func freeSpentUntilStopped() {
        condition.lock()
        while !spent.isEmpty || !stopped {
            if spent.isEmpty {
                condition.wait()
                continue
            }
            let retired = spent
            spent = []
            condition.unlock()
            _ = consume retired
            condition.lock()
        }
        exited = true
        condition.broadcast()
        condition.unlock()
    }

    // MARK: - Consumer

    /// The next batch, in the order handed; nil once the producer has returned and every
    /// batch was taken. Rethrows the producer's error after the batches handed before it.
    public func next() throws -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else {
            if let failure { throw failure }
            return nil
        }
        // At most `capacity` batches: taking the first moves the others' references, not
        // their items.
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Gives back a batch the consumer is done with, for the producer's thread to free.
    public func retire(_ batch: consuming [Item]) {
        condition.lock()
        spent.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the producer and waits for its thread to end.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !exited { condition.wait() }
        condition.unlock()
    }
}
