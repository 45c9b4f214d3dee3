import SyncLedgerDomain
public import SyncLedgerStore

/// Keeps the directory state tables current: folds the events after the checkpoint, in
/// batches, each batch written with its checkpoint in one transaction.
///
/// Incremental catch-up and a rebuild from seq 1 run the same code, so they produce the same
/// rows; the cost of a catch-up is proportional to the new events, not to the log.
public struct DirectoryProjector {
    public var ledger: Ledger
    /// Events folded per transaction.
    public var batchSize: Int

    public init(ledger: Ledger, batchSize: Int = 100_000) {
        self.ledger = ledger
        self.batchSize = batchSize
    }

    /// Folds every event after the checkpoint. Calls `progress` with (folded so far, last
    /// seq of the log) after each batch. Returns the number of events folded.
    @discardableResult
    public func catchUp(progress: ((Int64, Int64) -> Void)? = nil) throws -> Int64 {
        let last = try ledger.lastSeq()
        var folded: Int64 = 0
        while true {
            let count = try ledger.updateDirectoryState { writer in try foldBatch(writer) }
            folded += count
            progress?(folded, last)
            if count < batchSize { return folded }
        }
    }

    /// Empties the directory state and folds the whole log again.
    @discardableResult
    public func rebuild(progress: ((Int64, Int64) -> Void)? = nil) throws -> Int64 {
        try ledger.updateDirectoryState { writer in try writer.reset() }
        return try catchUp(progress: progress)
    }

    /// One batch: load each touched object once, fold, save what changed.
    private func foldBatch(_ writer: DirectoryStateWriter) throws -> Int64 {
        let start = try writer.checkpoint()
        var cache = FoldCache(writer: writer)
        var count: Int64 = 0
        try writer.forEachEvent(after: start, limit: batchSize) { event in
            count += 1
            cache.lastSeq = event.seq
            guard let folded = try FoldableEvent(event), folded.stream.kind != .tenant else { return }
            try cache.fold(folded.stream) { folded.apply(to: &$0) }
        }
        try cache.flush()
        return count
    }
}

/// The objects touched by a batch: each loaded once, folded in memory, saved once with only
/// its changed relations, then the checkpoint.
struct FoldCache {
    let writer: DirectoryStateWriter
    private var originals: [ObjectRef: DirectoryObject?] = [:]
    private var current: [ObjectRef: DirectoryObject] = [:]
    private var order: [ObjectRef] = []
    /// The last seq folded (the checkpoint written by ``flush()``).
    var lastSeq: Int64 = 0

    init(writer: DirectoryStateWriter) {
        self.writer = writer
    }

    /// How many objects are held.
    var count: Int { order.count }

    /// Applies `change` to the object of `stream`, loading it on first touch.
    mutating func fold(_ stream: ObjectRef, _ change: (inout DirectoryObject) -> Void) throws {
        var object: DirectoryObject
        if let cached = current[stream] {
            object = cached
        } else {
            let loaded = try writer.load(stream)
            originals[stream] = .some(loaded)
            order.append(stream)
            object = loaded ?? DirectoryObject(reference: stream)
        }
        change(&object)
        current[stream] = object
    }

    /// Saves the touched objects and the checkpoint, and empties the cache.
    mutating func flush() throws {
        for stream in order { try writer.save(current[stream]!, original: originals[stream] ?? nil) }
        if lastSeq > 0 { try writer.setCheckpoint(lastSeq) }
        originals.removeAll(keepingCapacity: true)
        current.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
    }
}

// MARK: - Folding inside an append

/// Keeps the directory state current from inside an append transaction: it folds each
/// event as it is appended (already parsed and checked, so nothing is read back) and writes
/// the touched objects and the checkpoint every `batchSize` events and at the end, in the
/// same transaction as the events.
public final class AppendFolder {
    private var cache: FoldCache
    private let batchSize: Int

    /// Attaches to `session`. The projection must be current (see ``DirectoryProjector/catchUp(progress:)``);
    /// returns nil when it is not, and the caller catches up afterwards instead.
    public init?(session: AppendSession, batchSize: Int = 20_000) throws {
        guard let writer = session.directoryState, try writer.checkpoint() == writer.lastSeq() else { return nil }
        cache = FoldCache(writer: writer)
        self.batchSize = batchSize
        session.onAppend = { [unowned self] event in try self.fold(event) }
    }

    private func fold(_ event: AppendedEvent) throws {
        cache.lastSeq = event.seq
        guard event.stream.kind != .tenant, let type = EventType.named(event.type) else { return }
        try cache.fold(event.stream) { $0.apply(type: type, data: event.data, seq: event.seq, at: event.occurredAt, actor: event.actor) }
        if cache.count >= batchSize { try cache.flush() }
    }

    /// Writes the touched objects and the checkpoint; call before the transaction commits.
    public func flush() throws {
        try cache.flush()
    }
}

/// A recorded event decoded once for folding.
struct FoldableEvent {
    let stream: ObjectRef
    let type: EventType
    let data: JSONValue
    let seq: Int64
    let at: Timestamp
    let actor: String

    /// Nil for an event type this build does not know (a newer writer's): nothing to fold.
    init?(_ event: RecordedEvent) throws {
        guard let type = EventType.named(event.type) else { return nil }
        stream = try ObjectRef(parsing: event.stream)
        self.type = type
        data = try EventUpcaster.upcast(try JSONParser.parse(event.payload), type: type, from: event.schemaVersion)
        seq = event.seq
        at = Timestamp(rfc3339: event.occurredAt) ?? Timestamp(millisecondsSinceEpoch: 0)
        actor = event.actor
    }

    func apply(to object: inout DirectoryObject) {
        object.apply(type: type, data: data, seq: seq, at: at, actor: actor)
    }
}
