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
/// back to the reading thread, which frees them (``BatchHandOver``).
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

    private let handOver: BatchHandOver<Item>
    /// The head hash the reading thread records.
    private let readHashBox: HashBox

    /// Starts reading the objects of `kinds`, kind by kind, each in stream order, from the
    /// ledger at `path`, whose directory state is expected at `throughSeq`, and working out
    /// their targets under `policy` (none when nil).
    init(
        path: String, clock: any LedgerClock, throughSeq: Int64, kinds: [ObjectKind], policy: TargetPolicy?, cacheKiB: Int,
        batchesAhead: Int = batchesAhead
    ) {
        self.policy = policy
        // Recorded before any object is handed over, in a box the reading thread shares.
        let hash = HashBox()
        readHashBox = hash
        handOver = BatchHandOver(capacity: batchesAhead, stackSize: 1 << 22) { handOver in
            let reader = try Ledger(path: path, mode: .existing, clock: clock)
            hash.set(try reader.eventHash(at: throughSeq))
            try reader.withPageCache(kib: cacheKiB) {
                try handOver.handInBatches(of: Self.batchSize) { add in
                    for kind in kinds {
                        try reader.forEachDirectoryObject(kind: kind) { object in
                            try add(Item(object: object, target: policy.flatMap { Planner.target(of: object, policy: $0) }))
                        }
                    }
                }
            }
        }
    }

    /// Calls `body` with each object and its target in the order read; rethrows the
    /// reader's error. When `body` throws, the reader is stopped before the error goes on.
    func forEach(_ body: (DirectoryObject, TargetObject?) throws -> Void) throws {
        do {
            while let batch = try handOver.next() {
                // Through the buffer: the items are passed as they are, not copied out.
                try batch.withUnsafeBufferPointer { items in
                    for index in items.indices { try body(items[index].object, items[index].target) }
                }
                // Freed on the reading thread, which allocated it.
                handOver.retire(consume batch)
            }
        } catch {
            stop()
            throw error
        }
    }

    /// The hash of the event at the expected seq, as the reading connection found it (nil
    /// before it is read, or when there is no such event): the caller compares it with its
    /// own to know both read the same log.
    var headHash: String? { readHashBox.value }

    /// Stops the reader and waits for its thread to end (it reads nothing more).
    func stop() {
        handOver.stop()
    }

    /// A hash set on one thread and read on another.
    private final class HashBox: @unchecked Sendable {
        private let lock = NSLock()
        private var hash: String?

        func set(_ value: String?) {
            lock.lock()
            hash = value
            lock.unlock()
        }

        var value: String? {
            lock.lock()
            defer { lock.unlock() }
            return hash
        }
    }
}
