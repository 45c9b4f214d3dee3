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

    public init(ledger: Ledger, batchSize: Int = 20_000) {
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
        var originals: [ObjectRef: DirectoryObject?] = [:]
        var current: [ObjectRef: DirectoryObject] = [:]
        var order: [ObjectRef] = []
        var lastSeq = start
        var count: Int64 = 0
        try writer.forEachEvent(after: start, limit: batchSize) { event in
            count += 1
            lastSeq = event.seq
            guard let folded = try FoldableEvent(event), folded.stream.kind != .tenant else { return }
            var object: DirectoryObject
            if let cached = current[folded.stream] {
                object = cached
            } else {
                let loaded = try writer.load(folded.stream)
                originals[folded.stream] = .some(loaded)
                order.append(folded.stream)
                object = loaded ?? DirectoryObject(reference: folded.stream)
            }
            folded.apply(to: &object)
            current[folded.stream] = object
        }
        for stream in order {
            try writer.save(current[stream]!, original: originals[stream] ?? nil)
        }
        if count > 0 { try writer.setCheckpoint(lastSeq) }
        return count
    }
}

// MARK: - Folding inside an append

/// Keeps the directory state current from inside an append transaction: it folds each
/// event as it is appended (already parsed and checked, so nothing is read back) and writes
/// the touched objects and the checkpoint every `batchSize` events and at the end, in the
/// same transaction as the events.
public final class AppendFolder {
    private let writer: DirectoryStateWriter
    private let batchSize: Int
    private var originals: [ObjectRef: DirectoryObject?] = [:]
    private var current: [ObjectRef: DirectoryObject] = [:]
    private var order: [ObjectRef] = []
    private var lastSeq: Int64 = 0

    /// Attaches to `session`. The projection must be current (see ``DirectoryProjector/catchUp(progress:)``);
    /// returns nil when it is not, and the caller catches up afterwards instead.
    public init?(session: AppendSession, batchSize: Int = 20_000) throws {
        guard let writer = session.directoryState, try writer.checkpoint() == writer.lastSeq() else { return nil }
        self.writer = writer
        self.batchSize = batchSize
        session.onAppend = { [unowned self] event in try self.fold(event) }
    }

    private func fold(_ event: AppendedEvent) throws {
        lastSeq = event.seq
        guard event.stream.kind != .tenant, let type = EventType.named(event.type) else { return }
        var object: DirectoryObject
        if let cached = current[event.stream] {
            object = cached
        } else {
            let loaded = try writer.load(event.stream)
            originals[event.stream] = .some(loaded)
            order.append(event.stream)
            object = loaded ?? DirectoryObject(reference: event.stream)
        }
        object.apply(type: type, data: event.data, seq: event.seq, at: event.occurredAt, actor: event.actor)
        current[event.stream] = object
        if order.count >= batchSize { try flush() }
    }

    /// Writes the touched objects and the checkpoint; call before the transaction commits.
    public func flush() throws {
        for stream in order { try writer.save(current[stream]!, original: originals[stream] ?? nil) }
        if lastSeq > 0 { try writer.setCheckpoint(lastSeq) }
        originals.removeAll(keepingCapacity: true)
        current.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
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
