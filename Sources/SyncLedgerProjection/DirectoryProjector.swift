import SyncLedgerDomain
public import SyncLedgerStore

/// Keeps the directory state tables current: folds the events after the checkpoint and
/// writes each touched object once, with the new checkpoint, in one transaction.
///
/// Incremental catch-up and a rebuild from seq 1 run the same code, so they produce the same
/// rows; the cost of a catch-up is proportional to the new events, not to the log. Memory is
/// bounded by ``objectsPerPass``: when more streams changed than that, the events are
/// scanned once per partition of the streams, each pass holding one partition's objects.
public struct DirectoryProjector {
    public var ledger: Ledger
    /// The most objects one pass of a fold holds in memory (a user with a dozen attributes
    /// takes about 2.5 KiB: 100,000 objects stay near 250 MiB with the cache).
    public var objectsPerPass: Int
    /// SQLite's page cache while folding, in KiB: the scan reads the log once in order and
    /// gains nothing from a larger one; the memory goes to the objects.
    static let foldCacheKiB = 32 * 1024

    public init(ledger: Ledger, objectsPerPass: Int = 100_000) {
        self.ledger = ledger
        self.objectsPerPass = max(1, objectsPerPass)
    }

    /// Folds every event after the checkpoint. Calls `progress` with (work done, work to
    /// do), in events, as the fold goes. Returns the number of events folded.
    @discardableResult
    public func catchUp(progress: ((Int64, Int64) -> Void)? = nil) throws -> Int64 {
        try ledger.updateDirectoryState { writer in try fold(writer, progress: progress) }
    }

    /// Empties the directory state and folds the whole log again, in one transaction.
    @discardableResult
    public func rebuild(progress: ((Int64, Int64) -> Void)? = nil) throws -> Int64 {
        try ledger.updateDirectoryState { writer in
            try writer.reset()
            return try fold(writer, progress: progress)
        }
    }

    private func fold(_ writer: DirectoryStateWriter, progress: ((Int64, Int64) -> Void)?) throws -> Int64 {
        try writer.withPageCache(kib: Self.foldCacheKiB) { try foldPasses(writer, progress: progress) }
    }

    private func foldPasses(_ writer: DirectoryStateWriter, progress: ((Int64, Int64) -> Void)?) throws -> Int64 {
        let start = try writer.checkpoint()
        let end = try writer.lastSeq()
        guard end > start else { return 0 }
        let range = EventScanRange(afterSeq: start, throughSeq: end)
        let events = end - start
        let changed = events <= Int64(objectsPerPass) ? Int(events) : try writer.streamCount(changedAfter: start)
        let passes = max(1, (changed + objectsPerPass - 1) / objectsPerPass)
        // A new or rebuilt directory has nothing to load: every object starts from nothing.
        let load: ((ObjectRef) throws -> DirectoryObject?)? = try writer.isEmpty() ? nil : writer.load
        let total = events * Int64(passes)
        for pass in 0..<passes {
            var fold = DirectoryFold()
            var scanned: Int64 = 0
            try writer.scanEvents(range) { event in
                scanned += 1
                if let progress, scanned & 0xFFFF == 0 { progress(Int64(pass) * events + scanned, total) }
                if passes > 1, DirectoryFold.partition(of: event.stream, among: passes) != pass { return }
                try fold.apply(event, load: load)
            }
            try fold.save(to: writer)
        }
        try writer.setCheckpoint(end)
        progress?(total, total)
        return events
    }
}

