import Foundation
import SyncLedgerDomain
import SyncLedgerStore

/// Reads a full plan's directory objects on a thread of its own and a second connection to
/// the ledger, a batch at a time, so the SQLite reads, the parsing of each object's stored
/// attributes and its target under the plan's policy run on the other core while the
/// planner plans the batch before.
///
/// At most `batchesAhead` batches wait to be planned: the memory stays that of a bounded
/// number of objects, however large the directory. The batches the planner is done with go
/// back to the reading thread, which frees them: the planner is the slower of the two.
final class ObjectPipeline: @unchecked Sendable {
    /// Objects handed over at once.
    static let batchSize = 256
    /// Batches read ahead of the planner at most, by default.
    static let batchesAhead = 4

    /// An object and its target (``Planner/target(of:policy:)``).
    struct Item {
        var object: DirectoryObject
        var target: TargetObject?
    }

    /// The policy the targets are worked out under (nil: none is).
    let policy: TargetPolicy?
    /// Batches read ahead of the planner at most.
    private let batchesAhead: Int

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var batches: [[Item]] = []
    /// Batches planned, for the reading thread to free.
    private var spent: [[Item]] = []
    /// Every object was handed over, or reading failed.
    private var finished = false
    private var failure: (any Error)?
    private var stopped = false
    /// The reading thread has ended.
    private var exited = false
    private var readHash: String?

    /// Starts reading the objects of `kinds`, kind by kind, each in stream order, from the
    /// ledger at `path`, whose directory state is expected at `throughSeq`, and working out
    /// their targets under `policy` (none when nil).
    init(
        path: String, clock: any LedgerClock, throughSeq: Int64, kinds: [ObjectKind], policy: TargetPolicy?, cacheKiB: Int,
        batchesAhead: Int = batchesAhead
    ) {
        self.batchesAhead = max(1, batchesAhead)
        self.policy = policy
        let thread = Thread { [self] in
            do {
                let reader = try Ledger(path: path, mode: .existing, clock: clock)
                let hash = try reader.eventHash(at: throughSeq)
                condition.lock()
                readHash = hash
                condition.unlock()
                try reader.withPageCache(kib: cacheKiB) {
                    var batch: [Item] = []
                    batch.reserveCapacity(Self.batchSize)
                    for kind in kinds {
                        try reader.forEachDirectoryObject(kind: kind) { object in
                            batch.append(Item(object: object, target: policy.flatMap { Planner.target(of: object, policy: $0) }))
                            guard batch.count == Self.batchSize else { return }
                            try hand(batch)
                            batch = []
                            batch.reserveCapacity(Self.batchSize)
                        }
                    }
                    if !batch.isEmpty { try hand(batch) }
                }
                end(nil)
            } catch {
                end(error)
            }
            freeSpentUntilStopped()
        }
        thread.stackSize = 1 << 22
        thread.start()
    }

    /// Calls `body` with each object and its target in the order read; rethrows the
    /// reader's error. When `body` throws, the reader is stopped before the error goes on.
    func forEach(_ body: (DirectoryObject, TargetObject?) throws -> Void) throws {
        do {
            while let batch = try take() {
                // Through the buffer: the items are passed as they are, not copied out.
                try batch.withUnsafeBufferPointer { items in
                    for index in items.indices { try body(items[index].object, items[index].target) }
                }
                retire(batch)
            }
        } catch {
            stop()
            throw error
        }
    }

    /// The hash of the event at the expected seq, as the reading connection found it (nil
    /// before it is read, or when there is no such event): the caller compares it with its
    /// own to know both read the same log.
    var headHash: String? {
        condition.lock()
        defer { condition.unlock() }
        return readHash
    }

    /// Stops the reader and waits for its thread to end (it reads nothing more).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !exited { condition.wait() }
        condition.unlock()
    }

    // MARK: - Hand-over

    /// The stop of the reader asked by the planner, thrown on its thread.
    private struct Stopped: Error {}

    /// Called on the reader's thread: waits for room, then queues `batch`; frees the batches
    /// planned meanwhile.
    private func hand(_ batch: [Item]) throws {
        condition.lock()
        while batches.count >= batchesAhead && !stopped { condition.wait() }
        if stopped {
            condition.unlock()
            throw Stopped()
        }
        batches.append(batch)
        let planned = spent
        spent = []
        condition.broadcast()
        condition.unlock()
        _ = consume planned  // freed here, outside the lock
    }

    /// Called on the planner's thread: gives a planned batch back to be freed.
    private func retire(_ batch: consuming [Item]) {
        condition.lock()
        spent.append(batch)
        condition.broadcast()
        condition.unlock()
    }

    /// Called on the reader's thread once it has read everything: frees the batches planned
    /// until the pipeline is stopped, then records that the thread ended.
    private func freeSpentUntilStopped() {
        condition.lock()
        while !stopped {
            if spent.isEmpty {
                condition.wait()
                continue
            }
            let planned = spent
            spent = []
            condition.unlock()
            _ = consume planned
            condition.lock()
        }
        exited = true
        condition.broadcast()
        condition.unlock()
    }

    private func end(_ error: (any Error)?) {
        condition.lock()
        failure = error is Stopped ? nil : error
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, nil once every object was handed over.
    private func take() throws -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else {
            if let failure { throw failure }
            return nil
        }
        // At most `batchesAhead` batches: taking the first moves the others' references, not
        // their objects.
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }
}
