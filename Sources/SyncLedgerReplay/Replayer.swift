public import SyncLedgerDomain
import SyncLedgerProjection
public import SyncLedgerStore

/// Plans and emits the Office 365 commands that converge the tenant on its target state,
/// journals them, and records their results.
public struct Replayer {
    public var ledger: Ledger
    /// Up to this many objects, a plan's causes are found by one index lookup per object
    /// rather than by scanning the log.
    public var causeLookupLimit = 5_000

    public init(ledger: Ledger) {
        self.ledger = ledger
    }

    // MARK: - Planning

    /// The plan for the log as it is now, under `mode` (the mode in force when nil).
    ///
    /// After a run, the plan looks only at the objects that changed since (see
    /// ``PlanScope``): its cost grows with the change, not with the tenant. `full` looks at
    /// every object; both give the same commands.
    ///
    /// The plan reads the ledger in several read transactions. When another process moved the
    /// directory state or recorded a run meanwhile, it starts again (a few times at most).
    public func plan(mode: ProvisioningMode? = nil, allowedPlanHash: String? = nil, full: Bool = false) throws -> Plan {
        for _ in 1...Self.planAttempts {
            try DirectoryProjector(ledger: ledger).catchUp()
            let head = try ledger.directoryCheckpoint()
            let lastRun = try ledger.lastReplayRun()?.run.runID
            // Each page the plan reads is read once (a full plan's objects stream in on
            // connections of their own): a small cache reuses its memory instead of growing.
            let plan = try ledger.withPageCache(kib: Ledger.onePassCacheKiB) {
                try self.plan(at: head, mode: mode, allowedPlanHash: allowedPlanHash, full: full)
            }
            if try ledger.directoryCheckpoint() == head, try ledger.lastReplayRun()?.run.runID == lastRun { return plan }
        }
        throw ReplayError(.stalePlan, "the ledger kept changing while the plan was made (another process is appending or replaying); plan again")
    }

    /// How many times a plan starts again when the ledger changes under it.
    static let planAttempts = 5

    /// How far the reader of a full plan's groups, contacts and resources reads ahead while
    /// the planner takes the users: 32,768 objects.
    static let otherBatchesAhead = 128

    /// The plan of the directory state at `head` (caught up to it by the caller).
    private func plan(at head: Int64, mode: ProvisioningMode?, allowedPlanHash: String?, full: Bool) throws -> Plan {
        let settings = try ledger.tenantSettings()
        guard let planMode = mode ?? settings.mode else {
            throw ReplayError(.noMode, "the tenant has no provisioning mode: run `syncledger mode set MODE --actor A`")
        }
        // Time rules run at the clock's now, never before the latest change folded (a clock
        // behind the data would otherwise undo a deactivation's immediate effects).
        let asOf = max(ledger.clock.now(), try ledger.latestDirectoryUpdate() ?? Timestamp(millisecondsSinceEpoch: 0))
        // Read before the journal: a result recorded after this is news to the next plan.
        let resultsThrough = try ledger.lastResultID()
        let scope = full
            ? PlanScope.full(reason: "asked for (--full)")
            : try PlanScope.decide(ledger: ledger, mode: planMode, settings: settings, head: head, asOf: asOf)
        let allowance = try allowedPlanHash ?? latestAllowance()
        var plan: Plan
        var pipelines: [ObjectPipeline] = []
        // The reading threads are stopped on every path out.
        defer { for pipeline in pipelines { pipeline.stop() } }
        switch scope {
        case .full(let reason):
            // Every object, streamed from the directory state, read and parsed on two other
            // threads ahead of the planner: one reads the users, most of a tenant, which the
            // planner takes first; the other reads the other kinds meanwhile, far enough ahead
            // to hold them all in most tenants, for the planner to take after the users, and
            // works out their targets too (it has time to spare). The users' targets are worked
            // out by the planner: their reader is the slower side, the planner waits for it.
            let policy = TargetPolicy(settings: settings, mode: mode, at: asOf)
            let others = ObjectKind.directoryKinds.filter { $0 != .user }.sorted { $0.rawValue < $1.rawValue }
            pipelines = [
                ObjectPipeline(
                    path: ledger.path, clock: ledger.clock, throughSeq: head, kinds: [.user], policy: nil, cacheKiB: Ledger.onePassCacheKiB),
                ObjectPipeline(
                    path: ledger.path, clock: ledger.clock, throughSeq: head, kinds: others, policy: policy, cacheKiB: Ledger.onePassCacheKiB,
                    batchesAhead: Self.otherBatchesAhead),
            ]
            let office = try OfficeState.read(from: ledger, runs: try ledger.replayRuns())
            plan = try Planner(
                tenant: settings.name ?? "", settings: settings, throughSeq: head, asOf: asOf, office: office, population: population
            ) { [pipelines] policy, body in
                for pipeline in pipelines {
                    if pipeline.policy == policy {
                        try pipeline.forEach(body)
                    } else {
                        try pipeline.forEach { object, _ in try body(object, Planner.target(of: object, policy: policy)) }
                    }
                }
            }
            .plan(mode: mode, allowedPlanHash: allowance)
            plan.scope = Plan.Scope(isFull: true, objectsPlanned: plan.scope.objectsPlanned, reason: reason)
            // The pipelines opened the file by its path: they must have read the same log.
            let hash = try ledger.eventHash(at: head)
            if pipelines.contains(where: { $0.headHash != hash }) {
                throw ReplayError(.stalePlan, "\(ledger.path) was replaced while the plan was made; plan again")
            }
        case .incremental(let since, let streams):
            let (snapshot, office) = try scopedInputs(streams, settings: settings, head: head, asOf: asOf)
            plan = try Planner(tenant: settings.name ?? "", snapshot: snapshot, office: office, scope: streams, population: population)
                .plan(mode: mode, allowedPlanHash: allowance)
            plan.scope = Plan.Scope(
                isFull: false, objectsPlanned: plan.scope.objectsPlanned, sinceRun: since.run.runID,
                reason: "objects changed since run \(since.run.runID) (seq \(since.run.baseSeq)), waiting or held back by it, or with new failures")
        }
        plan.resultsThrough = resultsThrough
        try attachCauses(&plan)
        return plan
    }

    /// The snapshot and office state an incremental plan of `streams` needs: those objects,
    /// the members of those groups (their place in the target, their Exchange identity), and
    /// the Office 365 ids of their members and managers.
    private func scopedInputs(_ streams: Set<ObjectRef>, settings: TenantSettings, head: Int64, asOf: Timestamp) throws
        -> (DirectorySnapshot, OfficeState)
    {
        var objects: [ObjectRef: DirectoryObject] = [:]
        for object in try ledger.directoryObjects(streams.sorted()) { objects[object.reference] = object }
        let members = Set(objects.values.flatMap(\.members).compactMap { try? ObjectRef(parsing: $0) }).subtracting(objects.keys)
        for object in try ledger.directoryObjects(members.sorted()) { objects[object.reference] = object }

        // The Office 365 ids of members and managers: one journal read with the objects' own,
        // and a second only for members Office 365 holds that the directory no longer lists.
        var read = streams.union(members)
        for stream in streams {
            let object = objects[stream]
            for manager in [object?.attributes["manager"], object?.directEdits["manager"]?.value ?? nil] {
                if let reference = manager?.stringValue.flatMap({ try? ObjectRef(parsing: $0) }) { read.insert(reference) }
            }
        }
        let runs = try ledger.replayRuns()
        var office = try OfficeState.read(from: ledger, streams: Set(read.map(\.description)), runs: runs)
        let sentMembers = Set(streams.flatMap { office[$0].members.compactMap { try? ObjectRef(parsing: $0) } })
        if !sentMembers.isSubset(of: read) {
            office = try OfficeState.read(from: ledger, streams: Set(read.union(sentMembers).map(\.description)), runs: runs)
        }
        return (DirectorySnapshot(objects: objects, tenant: settings, throughSeq: head, asOf: asOf), office)
    }

    /// The objects per destructive kind in the directory state, for percentage thresholds.
    private func population() throws(ReplayError) -> [String: Int] {
        do {
            var population: [String: Int] = [:]
            for row in try ledger.directoryPopulation() {
                guard let kind = ObjectKind(rawValue: row.kind) else { continue }
                Planner.add(kind: kind, subtype: row.subtype, objects: row.objects, memberSlots: row.memberSlots, to: &population)
            }
            return population
        } catch let error as ReplayError {
            throw error
        } catch {
            throw ReplayError(.output, "cannot count the directory's objects for the destructive thresholds: \(error)")
        }
    }

    /// The plan hash of the last `DestructiveChangesAllowed` event.
    private func latestAllowance() throws -> String? {
        var hash: String?
        try ledger.forEachEvent(matching: EventFilter(stream: "tenant", type: EventType.destructiveChangesAllowed.rawValue)) { event in
            hash = try JSONParser.parse(event.payload)["planHash"]?.stringValue
        }
        return hash
    }

    /// Fills in the causes the objects' traces did not give (see ``Planner``): the seq
    /// range and actors of the stream's events after the last run that sent the object
    /// anything. A few objects: one index lookup each; many: one light scan of the log.
    private func attachCauses(_ plan: inout Plan) throws {
        var floor: [String: Int64] = [:]
        for list in [plan.commands, plan.heldBack] {
            // By index: each command's causes are read in place, the command not copied.
            for index in list.indices where list[index].causes.lastSeq == 0 {
                let stream = list[index].stream.description
                floor[stream] = min(floor[stream] ?? .max, list[index].causes.firstSeq)
            }
        }
        guard !floor.isEmpty else { return }
        let causes: (String) -> (first: Int64, last: Int64, actors: [String])?
        if floor.count <= causeLookupLimit {
            let found = try ledger.eventCauses(after: floor, throughSeq: plan.baseSeq)
            causes = { found[$0].map { ($0.first, $0.last, $0.actors.sorted()) } }
        } else {
            let found = try ledger.withPageCache(kib: Ledger.onePassCacheKiB) {
                try CauseScan.scan(ledger, floors: floor, throughSeq: plan.baseSeq)
            }
            causes = found.of
        }
        // Commands of one stream are mostly adjacent: their causes are looked up once.
        var last: (stream: ObjectRef, entry: (first: Int64, last: Int64, actors: [String])?)?
        func fill(_ command: inout Command) {
            guard command.causes.lastSeq == 0 else { return }
            if last?.stream != command.stream { last = (command.stream, causes(command.stream.description)) }
            self.fill(&command, last!.entry)
        }
        for index in plan.commands.indices { fill(&plan.commands[index]) }
        for index in plan.heldBack.indices { fill(&plan.heldBack[index]) }
    }

    /// Sets a command's causes: its stream's events after the floor, or none.
    private func fill(_ command: inout Command, _ entry: (first: Int64, last: Int64, actors: [String])?) {
        if let entry {
            command.causes = Command.Causes(firstSeq: entry.first, lastSeq: entry.last, actors: entry.actors)
        } else {
            // No new event: the command repairs drift or retries a failure of earlier events.
            command.causes = Command.Causes(firstSeq: command.causes.firstSeq, lastSeq: command.causes.firstSeq, actors: [])
        }
    }
}
