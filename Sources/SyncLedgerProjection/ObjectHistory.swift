public import SyncLedgerDomain
import SyncLedgerStore

/// One event in an object's history, with what it changed.
public struct HistoryEntry: Sendable, Equatable {
    public var seq: Int64
    public var eventID: String
    public var type: String
    public var occurredAt: String
    public var actor: String
    public var source: String
    /// What the event changed, old values derived from the state just before it.
    public var changes: [AttributeChange]
}

extension DirectoryProjector {
    /// One object's state at `point` and every event of its stream up to then, each with
    /// what it changed. The object is nil when the log had not created it by then.
    public func history(of stream: ObjectRef, at point: PointInTime) throws -> (object: DirectoryObject?, entries: [HistoryEntry]) {
        var filter = EventFilter(stream: stream.description)
        switch point {
        case .now: break
        case .seq(let seq): filter.throughSeq = seq
        case .time(let time): filter.until = Timestamp(millisecondsSinceEpoch: time.millisecondsSinceEpoch + 1)
        }
        var object = DirectoryObject(reference: stream)
        var entries: [HistoryEntry] = []
        try ledger.forEachEvent(matching: filter) { event in
            guard let folded = try FoldableEvent(event) else { return }
            let before = object
            folded.apply(to: &object)
            entries.append(
                HistoryEntry(
                    seq: event.seq, eventID: event.eventID, type: event.type, occurredAt: event.occurredAt,
                    actor: event.actor, source: event.source, changes: object.changes(from: before)))
        }
        return (object.version > 0 && object.createdSeq > 0 ? object : nil, entries)
    }
}
