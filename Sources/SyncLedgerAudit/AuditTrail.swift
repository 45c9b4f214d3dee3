public import SyncLedgerDomain
public import SyncLedgerStore

/// Answers "who changed what": every changed attribute, its old and new value (folded from
/// the state just before the event), and the Office 365 commands that carried it.
public struct AuditTrail {
    public var ledger: Ledger

    public init(ledger: Ledger) {
        self.ledger = ledger
    }

    /// Calls `body` with each change that matches `query`, in log order.
    ///
    /// Old values need every earlier event of the object, so the log is folded from seq 1
    /// (one object's stream only when the query names an object); rows are produced one at
    /// a time. An event the query does not select is folded in place; only a selected one
    /// keeps a copy of the object before it, to compare.
    public func forEachChange(matching query: AuditQuery, _ body: (AuditRow) throws -> Void) throws {
        // One pass over the log: each page is read once, and the memory is better left to the
        // objects than to SQLite's cache (a whole 1M log would fill its 128 MiB).
        try ledger.withPageCache(kib: Ledger.onePassCacheKiB) { try foldChanges(matching: query, body) }
    }

    private func foldChanges(matching query: AuditQuery, _ body: (AuditRow) throws -> Void) throws {
        let links = try commandLinks(stream: query.object?.description)
        var objects: [String: DirectoryObject] = [:]
        // Every object keeps its actors, one copy of each list, as a fold's do.
        var actors = SharedActors()
        try ledger.forEachEvent(matching: EventFilter(stream: query.object?.description)) { event in
            guard let type = EventType.named(event.type), event.stream != Self.tenantStream else { return }
            if objects[event.stream] == nil {
                guard let reference = try? ObjectRef(parsing: event.stream) else { return }
                objects[event.stream] = DirectoryObject(reference: reference)
            }
            let at = Timestamp(rfc3339: event.occurredAt) ?? Timestamp(millisecondsSinceEpoch: 0)
            let payload = try ObjectEventPayload(type: type, schemaVersion: event.schemaVersion, json: event.payload)
            guard query.matches(at: at, actor: event.actor) else {
                actors.apply(type, payload, seq: event.seq, at: at, actor: event.actor, to: &objects[event.stream]!)
                return
            }
            let before = objects[event.stream]!
            var after = before
            actors.apply(type, payload, seq: event.seq, at: at, actor: event.actor, to: &after)
            objects[event.stream] = after
            let stream = after.reference
            let carried = links[event.stream]?.filter { $0.range.contains(event.seq) }.map(\.link) ?? []
            for change in after.changes(from: before) where query.matches(attribute: change.attribute) {
                try body(
                    AuditRow(
                        seq: event.seq, eventID: event.eventID, occurredAt: event.occurredAt, actor: event.actor, source: event.source,
                        object: stream, objectName: before.userPrincipalName ?? after.userPrincipalName ?? after.mail,
                        action: Self.action(type), eventType: event.type, attribute: change.attribute, old: change.old, new: change.new,
                        commands: carried))
            }
        }
    }

    private static let tenantStream = ObjectRef.tenant.description

    /// The Entra-style action of an event type.
    static func action(_ type: EventType) -> String {
        switch type {
        case .userCreated, .groupCreated, .contactCreated, .resourceCreated: return "Create"
        case .userDeactivated: return "Disable"
        case .userReactivated: return "Enable"
        case .userDeleted, .groupDeleted, .contactDeleted, .resourceDeleted: return "Delete"
        case .directEditObserved: return "Observed in Office 365"
        default: return "Update"
        }
    }

    /// The journal's commands by stream, with the seq range of the events that caused them.
    private func commandLinks(stream: String?) throws -> [String: [(range: ClosedRange<Int64>, link: CommandLink)]] {
        var links: [String: [(range: ClosedRange<Int64>, link: CommandLink)]] = [:]
        // Streamed: after a first run, the journal holds a command per user.
        try ledger.forEachJournalEntry(stream: stream) { entry in
            guard entry.lastSeq >= entry.firstSeq && entry.lastSeq > 0 else { return }
            let link = CommandLink(
                id: entry.commandID, operation: entry.operation, status: entry.result?.status.rawValue ?? "pending",
                error: entry.result?.error)
            links[entry.stream, default: []].append((entry.firstSeq...entry.lastSeq, link))
        }
        return links
    }

    // MARK: - From a command back to its causes

    /// A journaled command and the events that caused it.
    public struct CommandCauses: Sendable {
        public var entry: JournalEntry
        public var events: [RecordedEvent]
    }

    /// Every emission of command `id` with the events (and so the actors) that caused it.
    public func causes(ofCommand id: String) throws -> [CommandCauses] {
        try ledger.journal(commandID: id).map { entry in
            let events = entry.lastSeq > 0
                ? try ledger.events(matching: EventFilter(stream: entry.stream, afterSeq: entry.firstSeq - 1, throughSeq: entry.lastSeq))
                : []
            return CommandCauses(entry: entry, events: events)
        }
    }

    // MARK: - Finding objects by former names

    /// The objects that have, or ever had, `address` as user principal name or mail
    /// (case-insensitive): the history follows the anchor, so a rename does not split it.
    public func objects(everAddressed address: String) throws -> [ObjectRef] {
        try ledger.streams(everHavingAttributeValue: address, attributes: ["userPrincipalName", "mail", "primarySmtpAddress", "externalEmailAddress"])
            .compactMap { try? ObjectRef(parsing: $0) }
    }
}
