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

/// A recorded event decoded once for folding.
struct FoldableEvent {
    let stream: ObjectRef
    let type: EventType
    let payload: ObjectEventPayload
    let seq: Int64
    let at: Timestamp
    let actor: String

    /// Nil for an event type this build does not know (a newer writer's): nothing to fold.
    init?(_ event: RecordedEvent) throws {
        guard let type = EventType.named(event.type) else { return nil }
        stream = try ObjectRef(parsing: event.stream)
        self.type = type
        payload = try ObjectEventPayload(type: type, schemaVersion: event.schemaVersion, json: event.payload)
        seq = event.seq
        at = Timestamp(rfc3339: event.occurredAt) ?? Timestamp(millisecondsSinceEpoch: 0)
        actor = event.actor
    }

    func apply(to object: inout DirectoryObject) {
        object.apply(type: type, payload: payload, seq: seq, at: at, actor: actor)
    }
}
