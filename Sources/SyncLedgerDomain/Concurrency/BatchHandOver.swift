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
///
/// The one-producer case of ``InterleavedBatchHandOver``, its batches numbered as handed.
public final class BatchHandOver<Item>: @unchecked Sendable {
    /// What ``hand(_:)`` throws once the consumer has stopped: the producer lets it go up.
    public typealias Stopped = InterleavedBatchHandOver<Item>.Stopped

    /// The most batches waiting for the consumer.
    public var capacity: Int { handOver.capacity }

    /// The hand-over of one producer, whose batches are numbered in the order handed.
    private let handOver: InterleavedBatchHandOver<Item>
    /// The number of the next batch handed; only the producer's side (its own instance, used
    /// on its thread alone) counts.
    private var handed = 0

    /// Starts `produce` on a thread of its own; it hands its batches to the hand-over it is
    /// given.
    public init(capacity: Int, stackSize: Int = 1 << 20, _ produce: @escaping @Sendable (BatchHandOver<Item>) throws -> Void) {
        handOver = InterleavedBatchHandOver(producers: 1, capacity: capacity, stackSize: stackSize) { handOver, _ in
            try produce(BatchHandOver(producing: handOver))
        }
    }

    /// The producer's side of `handOver`.
    private init(producing handOver: InterleavedBatchHandOver<Item>) {
        self.handOver = handOver
    }

    // MARK: - Producer

    /// Called by the producer: waits for room, then queues `batch`; frees the batches retired
    /// meanwhile. Throws ``Stopped`` once the consumer has stopped.
    public func hand(_ batch: [Item]) throws {
        try handOver.hand(batch, number: handed)
        handed += 1
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

    // MARK: - Consumer

    /// The next batch, in the order handed; nil once the producer has returned and every
    /// batch was taken. Rethrows the producer's error after the batches handed before it.
    public func next() throws -> [Item]? {
        try handOver.next()
    }

    /// Gives back a batch the consumer is done with, for the producer's thread to free.
    public func retire(_ batch: consuming [Item]) {
        handOver.retire(batch)
    }

    /// Stops the producer and waits for its thread to end.
    public func stop() {
        handOver.stop()
    }
}
