public import SyncLedgerDomain
import SyncLedgerProjection
public import SyncLedgerStore

/// Plans and emits the Office 365 commands that converge the tenant on its target state,
/// journals them, and records their results.
public struct Replayer {
    public var ledger: Ledger

    public init(ledger: Ledger) {
        self.ledger = ledger
    }

    // MARK: - Planning

    /// The plan for the log as it is now, under `mode` (the mode in force when nil).
    public func plan(mode: ProvisioningMode? = nil, allowedPlanHash: String? = nil) throws -> Plan {
        let snapshot = try DirectoryProjector(ledger: ledger).snapshot(at: .now)
        let office = OfficeState(journal: try ledger.journal(), runs: try ledger.replayRuns())
        var plan = try Planner(tenant: snapshot.tenant.name ?? "", snapshot: snapshot, office: office)
            .plan(mode: mode, allowedPlanHash: allowedPlanHash ?? (try latestAllowance()))
        try attachCauses(&plan)
        return plan
    }

    /// The plan hash of the last `DestructiveChangesAllowed` event.
    private func latestAllowance() throws -> String? {
        var hash: String?
        try ledger.forEachEvent(matching: EventFilter(stream: "tenant", type: EventType.destructiveChangesAllowed.rawValue)) { event in
            hash = try JSONParser.parse(event.payload)["planHash"]?.stringValue
        }
        return hash
    }

    /// Fills each command's causes: the seq range and actors of its stream's events after the
    /// last run that sent the object anything. One light scan of the log.
    private func attachCauses(_ plan: inout Plan) throws {
        var floor: [String: Int64] = [:]
        for command in plan.commands + plan.heldBack {
            let stream = command.stream.description
            floor[stream] = min(floor[stream] ?? .max, command.causes.firstSeq)
        }
        guard let start = floor.values.min() else { return }
        var found: [String: (first: Int64, last: Int64, actors: Set<String>)] = [:]
        try ledger.forEachEventSummary(after: start) { seq, stream, actor in
            guard let after = floor[stream], seq > after, seq <= plan.baseSeq else { return }
            var entry = found[stream] ?? (seq, seq, [])
            entry.last = seq
            entry.actors.insert(actor)
            found[stream] = entry
        }
        func fill(_ command: inout Command) {
            if let entry = found[command.stream.description] {
                command.causes = Command.Causes(firstSeq: entry.first, lastSeq: entry.last, actors: entry.actors.sorted())
            } else {
                // No new event: the command repairs drift or retries a failure of earlier events.
                command.causes = Command.Causes(firstSeq: command.causes.firstSeq, lastSeq: command.causes.firstSeq, actors: [])
            }
        }
        for index in plan.commands.indices { fill(&plan.commands[index]) }
        for index in plan.heldBack.indices { fill(&plan.heldBack[index]) }
    }
}
