import Dispatch
import SyncLedgerDomain
public import SyncLedgerStore

#if canImport(CGlibcMalloc)
import CGlibcMalloc
#endif

/// Keeps the directory state tables current: folds the events after the checkpoint and
/// writes each touched object once, with the new checkpoint, in one transaction.
///
/// Incremental catch-up and a rebuild from seq 1 run the same code, so they produce the same
/// rows; the cost of a catch-up is proportional to the new events, not to the log. Memory is
/// bounded by ``objectsPerPass``: when more streams changed than that, the events are
/// scanned once per partition of the streams, each pass holding one partition's objects.
public struct DirectoryProjector {
    public var ledger: Ledger
    /// The most objects one pass of a fold holds in memory (a user with sixteen attributes
    /// takes about 1.5 KiB: the 130,000 objects of a 100,000-user tenant fold in one pass,
    /// in about 260 MiB with the cache and the tool itself).
    public var objectsPerPass: Int
    /// SQLite's page cache while folding, in KiB: the scan reads the log once in order (on a
    /// connection of its own when it reads ahead) and the saves insert in key order, so
    /// neither gains from a larger one; the memory goes to the objects. (A 1M-event rebuild
    /// with 32 MiB: no faster than with 16, and 17 MiB more at its peak; with 4 MiB, no
    /// slower than with 16 (2.95 against 2.98 s, medians of 5), and 8 MiB less.)
    static let foldCacheKiB = 4 * 1024
    /// Events between two snapshots a ``rebuild()`` takes (0: none but the ones kept).
    ///
    /// Snapshots are never taken by a catch-up: one costs a second write of every object
    /// (5–7 s and 120 MB for 130,000 objects), as much as a rebuild's own writes. They
    /// are taken when asked: ``takeSnapshot()`` at the head, or a rebuild over the history.
    public var snapshotInterval: Int64
    /// Whether views of the past start from the nearest snapshot (false: always from seq 1).
    public var readsSnapshots = true
    /// The fewest events a fold reads and decodes ahead on other connections and threads
    /// (``Ledger/scanEventsReadAhead(_:decoding:_:)``); fewer are scanned on the fold's own.
    /// Opening a second connection takes about a millisecond: a rebuild of 2,500 events
    /// was 2 ms faster reading ahead (32 against 34 ms), one of 9,913 events 5 ms (44.5
    /// against 49.5 ms).
    public var readAheadEvents: Int64 = 2_000
    /// The fewest events a ``rebuild()`` folds with its pages written once, in
    /// rollback-journal mode when it can (``Ledger/updateDirectoryState(writingPagesOnce:_:)``).
    /// Leaving WAL and coming back are two commits of their own, each synced: a rebuild of
    /// 9,914 events was 2 ms slower for them (39.2 against 37.4 ms, medians of 20 alternating
    /// runs), one of 100,000 events 34 ms faster (243 against 277 ms, medians of 8).
    public var writesPagesOnceEvents: Int64 = 50_000

    public init(ledger: Ledger, objectsPerPass: Int = 150_000, snapshotInterval: Int64 = 0) {
        self.ledger = ledger
        self.objectsPerPass = max(1, objectsPerPass)
        self.snapshotInterval = max(0, snapshotInterval)
    }

    /// Folds every event after the checkpoint. Calls `progress` with (work done, work to
    /// do), in events, as the fold goes. Returns the number of events folded.
    @discardableResult
    public func catchUp(progress: ((Int64, Int64) -> Void)? = nil) throws -> Int64 {
        try ledger.updateDirectoryState { writer in
            // A first fold (a new ledger's first ingest) writes every row once.
            let first = try writer.isEmpty() && writer.checkpoint() < writer.lastSeq()
            return try fold(writer, snapshots: [], buildingIndexesAfter: first, progress: progress)
        }
    }

    /// Empties the directory state and its snapshots and folds the whole log again, in one
    /// transaction. The snapshots are taken again where they were (unless
    /// `keepingSnapshots` is false), and at every multiple of ``snapshotInterval``.
    ///
    /// A rebuild of ``writesPagesOnceEvents`` or more with no snapshot to take, in one pass,
    /// writes its pages once: in rollback-journal mode when no other connection has the
    /// ledger open, into new tables that replace the old ones
    /// (``DirectoryStateWriter/withIndexesBuiltAfter(replacingTables:_:)``). A 1M-event
    /// rebuild took 2.25–2.59 s against 2.73–3.45 s through the WAL (five alternating runs
    /// each), its 157 MB no longer written to the WAL and copied into the file. Snapshots are
    /// written while the log is read, which rollback-journal mode keeps a second connection
    /// from doing: those rebuilds go through the WAL as before.
    @discardableResult
    public func rebuild(keepingSnapshots: Bool = true, progress: ((Int64, Int64) -> Void)? = nil) throws -> Int64 {
        let onePassAlone = try ledger.updateDirectoryState { writer in
            try writer.lastSeq() >= writesPagesOnceEvents && snapshotsToTake(writer, keeping: keepingSnapshots).isEmpty
                && writer.streamCount(changedAfter: 0) <= objectsPerPass
        }
        return try ledger.updateDirectoryState(writingPagesOnce: onePassAlone) { writer in
            let snapshots = try snapshotsToTake(writer, keeping: keepingSnapshots)
            let replacing = try snapshots.isEmpty && writer.writesPagesOnce()
            // Every page of the directory state is freed, and written again by the fold.
            return try writer.withFreedPagesKept {
                try fold(
                    writer, snapshots: snapshots, buildingIndexesAfter: true, replacingTables: replacing, progress: progress,
                    emptying: writer.reset)
            }
        }
    }

    /// The seqs a rebuild takes snapshots at, in order: those there now (when `keeping`),
    /// and every multiple of ``snapshotInterval``.
    private func snapshotsToTake(_ writer: DirectoryStateWriter, keeping: Bool) throws -> [Int64] {
        var snapshots = keeping ? Set(try writer.snapshotSeqs()) : []
        if snapshotInterval > 0 {
            snapshots.formUnion(stride(from: snapshotInterval, through: try writer.lastSeq(), by: Int(snapshotInterval)))
        }
        return snapshots.sorted()
    }

    /// Catches up, then takes a snapshot of the directory at the checkpoint (the log's last
    /// event), unless there is one there already. Returns it (nil: the log is empty).
    @discardableResult
    public func takeSnapshot() throws -> SnapshotMark? {
        try ledger.updateDirectoryState { writer in
            _ = try fold(writer, snapshots: [], buildingIndexesAfter: false, progress: nil)
            let seq = try writer.checkpoint()
            guard seq > 0 else { return nil }
            // The last snapshot a view would use (this log's, this format's): there already,
            // or where the latest time of the events before it is known.
            let last = try writer.lastSnapshot()
            if let last, last.throughSeq == seq { return last }
            try writer.dropSnapshot(throughSeq: seq)  // one of another log or format
            let since = try writer.latestOccurredAt(afterSeq: last?.throughSeq ?? 0, throughSeq: seq)
            let mark = SnapshotMark(
                throughSeq: seq, latestOccurredAt: [last?.latestOccurredAt, since].compactMap { $0 }.max() ?? "")
            return try writer.snapshotStoredState(mark) ? mark : nil
        }
    }

    /// Folds the events after the checkpoint; `snapshots` are the seqs to take a snapshot at
    /// on the way (only from an empty directory, whose fold holds every object).
    ///
    /// `buildingIndexesAfter`: the fold writes every row of the directory tables (a
    /// rebuild, or the first fold), so their indexes are dropped before it and built after,
    /// with the fold's page cache (see ``DirectoryStateWriter/withIndexesBuiltAfter(replacingTables:_:)``).
    /// `emptying` (a rebuild's): empties the directory state; the fold then reads the log
    /// from seq 1, and runs it once the log's reading has begun (``foldPasses``).
    /// `replacingTables` (with `buildingIndexesAfter`): the fold writes into new tables.
    private func fold(
        _ writer: DirectoryStateWriter, snapshots: [Int64], buildingIndexesAfter: Bool, replacingTables: Bool = false,
        progress: ((Int64, Int64) -> Void)?, emptying: (() throws -> Void)? = nil
    ) throws -> Int64 {
        try writer.withPageCache(kib: Self.foldCacheKiB) {
            guard buildingIndexesAfter else {
                try emptying?()
                return try foldPasses(writer, snapshots: snapshots, progress: progress)
            }
            // The last pass's objects are freed on another thread while SQLite builds the
            // indexes on this one (about 0.2 s each for a 1M-event rebuild); the call
            // returns once both are done.
            let freeing = DispatchGroup()
            defer { freeing.wait() }
            return try writer.withIndexesBuiltAfter(replacingTables: replacingTables) {
                try foldPasses(writer, snapshots: snapshots, progress: progress, freeing: freeing, emptying: emptying)
            }
        }
    }

    /// Frees `fold`'s objects on a thread of Dispatch's, then hands the memory back to the
    /// system (``returnFreedMemory()``); `group` is left when both are done.
    private static func free(_ fold: consuming DirectoryFold, in group: DispatchGroup) {
        let held = HeldFold(fold)
        DispatchQueue.global().async(group: group) {
            held.drop()
            returnFreedMemory()
        }
    }

    /// Hands memory freed but kept by glibc's arenas back to the system. After a fold, the
    /// memory of its objects, before SQLite's sorts take theirs: glibc keeps freed memory for
    /// the next allocation, and a sort's large buffers come from new pages, so a rebuild's
    /// peak would add the two.
    private static func returnFreedMemory() {
        #if canImport(CGlibcMalloc)
        _ = malloc_trim(0)
        #endif
    }

    /// Folds the events after the checkpoint, in as many passes as ``objectsPerPass`` asks.
    /// With `freeing`, the last pass's objects are freed in that group once saved
    /// (``free(_:in:)``), while the caller goes on.
    ///
    /// With `emptying`, the directory is emptied first, as far as the fold can tell (from seq
    /// 1, nothing to load), and `emptying` runs once the first pass's reading has begun: a
    /// 1M-event rebuild's reading threads start while its tables are emptied.
    private func foldPasses(
        _ writer: DirectoryStateWriter, snapshots: [Int64], progress: ((Int64, Int64) -> Void)?, freeing: DispatchGroup? = nil,
        emptying: (() throws -> Void)? = nil
    ) throws -> Int64 {
        let start = emptying == nil ? try writer.checkpoint() : 0
        let end = try writer.lastSeq()
        guard end > start else {
            try emptying?()
            return 0
        }
        let range = EventScanRange(afterSeq: start, throughSeq: end)
        let events = end - start
        let changed = events <= Int64(objectsPerPass) ? Int(events) : try writer.streamCount(changedAfter: start)
        let passes = max(1, (changed + objectsPerPass - 1) / objectsPerPass)
        // A new or rebuilt directory has nothing to load: every object starts from nothing,
        // so the fold holds the whole directory and can take snapshots as it goes.
        let fromEmpty = try emptying != nil || writer.isEmpty()
        let load: ((ObjectRef) throws -> DirectoryObject?)? = fromEmpty ? nil : writer.load
        precondition(snapshots.isEmpty || (fromEmpty && start == 0), "snapshots are taken by a fold from seq 1")
        let boundaries = snapshots.filter { $0 > start && $0 <= end }
        let total = events * Int64(passes)
        // A long fold's payloads are decoded, their values allocated, by the reading threads,
        // from arenas of their own: the memory this process freed before (a bulk append's
        // page cache) waits in this thread's arena, for allocations that no longer come.
        // Handed back first, it is not counted twice (a 1M-event ingest peaked at 352 MiB).
        if events >= readAheadEvents { Self.returnFreedMemory() }
        // In rollback-journal mode, a connection reading the log keeps this one from writing
        // into the file: the log is read ahead only while nothing is written, in the first
        // pass (later ones come after a save) and without snapshots (written as the log is read).
        // Asked only of a fold long enough to read ahead: a plan's catch-up is often none.
        let writesPagesOnce = try events >= readAheadEvents && writer.writesPagesOnce()
        var skipped: Set<Int64> = []
        for pass in 0..<passes {
            var fold = DirectoryFold()
            var scanned: Int64 = 0
            var next = 0
            // The latest time of the objects' events so far (the tenant's are folded apart).
            var latest: Timestamp?
            // Every object of this pass's partition, as it stood after the event at `seq`.
            func snapshot(through seq: Int64) throws {
                if pass == 0, try !writer.beginSnapshot(SnapshotMark(throughSeq: seq, latestOccurredAt: latest?.rfc3339 ?? "")) {
                    skipped.insert(seq)
                }
                if !skipped.contains(seq) { try fold.saveSnapshot(through: seq, to: writer) }
            }
            // Whether this pass folds the events of `stream`.
            let folds: @Sendable (String) -> Bool = { passes == 1 || DirectoryFold.partition(of: $0, among: passes) == pass }
            // An event decoded for this pass (its payload read only when the pass folds it).
            let decode: @Sendable (ScannedEvent) throws -> FoldEvent = { event in
                let stream = event.stream
                return try FoldEvent(event, stream: stream, decodingPayload: folds(stream))
            }
            func apply(_ event: inout FoldEvent) throws {
                scanned += 1
                if let progress, scanned & 0xFFFF == 0 { progress(Int64(pass) * events + scanned, total) }
                while next < boundaries.count, event.seq > boundaries[next] {
                    try snapshot(through: boundaries[next])
                    next += 1
                }
                if !boundaries.isEmpty, event.stream != DirectoryFold.tenantStream, latest.map({ event.at > $0 }) ?? true {
                    latest = event.at
                }
                if !event.inPass { return }
                try fold.apply(&event, load: load)
            }
            // The directory emptied before the first event is applied (a rebuild's).
            let whileStarting = pass == 0 ? emptying ?? {} : {}
            // A long scan reads and decodes ahead on the other core (the events are
            // committed: a fold writes the directory state, never the log).
            func readAhead() throws {
                try ledger.scanEventBatchesReadAhead(range, decoding: decode, whileStarting: whileStarting) { events in
                    for index in events.indices { try apply(&events[index]) }
                }
            }
            if events >= readAheadEvents, !writesPagesOnce {
                try readAhead()
            } else if events >= readAheadEvents, pass == 0, boundaries.isEmpty {
                try writer.keepingPagesUntilCommit(readAhead)
            } else {
                try whileStarting()
                try writer.scanEvents(range) { event in
                    var decoded = try decode(event)
                    try apply(&decoded)
                }
            }
            for boundary in boundaries[next...] { try snapshot(through: boundary) }
            try fold.save(to: writer)
            if let freeing, pass == passes - 1 {
                // Moved out, not copied: with a copy left here, this thread's release came
                // last whenever the other thread's came first, and freed the objects itself
                // (0.08 s of a 1M-event rebuild, before its indexes were built).
                var last = DirectoryFold()
                swap(&last, &fold)
                Self.free(consume last, in: freeing)
            }
        }
        try writer.setCheckpoint(end)
        progress?(total, total)
        return events
    }
}

/// A fold handed to another thread, to be freed there.
private final class HeldFold: @unchecked Sendable {
    // Set by `init`, emptied by `drop()` on the thread that frees it, never touched by the
    // thread that handed it over.
    private var fold: DirectoryFold?

    init(_ fold: consuming DirectoryFold) { self.fold = fold }

    /// Frees the fold's objects, on the calling thread.
    func drop() { fold = nil }
}
