public import SyncLedgerDomain
public import SyncLedgerStore

/// Which objects a plan must look at: every object, or only those whose commands can differ
/// from what the last run left in the journal.
///
/// After a run whose plan recorded its footprint, an object's commands can only change when:
/// - its stream has events after the run's base seq;
/// - the run left it waiting for an Office 365 id, or held back a destructive command of it;
/// - a failed or throttled result for it was recorded after the run (it is planned again);
/// - it is a user whose grace period may have ended since the run's plan;
/// - it is a group listing a member whose place in the target may have changed (an event
///   other than an attribute, license, role or membership change, or a grace period ending).
///
/// Anything else makes the plan full: no footprint (first plan, or a run journaled before
/// footprints), another mode (a preview), or new tenant events other than an allowance of
/// destructive changes. `plan --full` and ``Replayer/plan(mode:allowedPlanHash:full:)``
/// plan every object; the tests check both give the same plan over random histories.
public enum PlanScope: Sendable, Equatable {
    case full(reason: String)
    case incremental(since: RecordedFootprint, streams: Set<ObjectRef>)

    /// Event types that change an object without changing whether it has a place in the
    /// target (so the groups listing it keep their members).
    static let presenceNeutral: Set<String> = Set(
        [
            EventType.userUpdated, .licenseAssigned, .licenseRemoved, .roleAssigned, .roleRevoked, .directEditObserved,
            .memberAdded, .memberRemoved, .contactUpdated, .resourceUpdated,
        ].map(\.rawValue))

    /// The scope of the next plan under `mode`, from what the ledger recorded since the last
    /// run up to `head` (the directory state's checkpoint), for a plan evaluated at `asOf`.
    public static func decide(ledger: Ledger, mode: ProvisioningMode, settings: TenantSettings, head: Int64, asOf: Timestamp) throws -> PlanScope {
        guard let last = try ledger.lastReplayRun() else { return .full(reason: "no run yet") }
        guard let since = last.footprint else {
            return .full(reason: "run \(last.run.runID) was journaled before plans recorded what they looked at")
        }
        guard since.run.mode == mode.rawValue else {
            return .full(reason: "the mode (\(mode.rawValue)) differs from run \(since.run.runID)'s (\(since.run.mode))")
        }
        guard let lastAsOf = Timestamp(rfc3339: since.footprint.asOf) else {
            return .full(reason: "run \(since.run.runID)'s plan time cannot be read")
        }
        let changed = try ledger.eventTypesByStream(afterSeq: since.run.baseSeq, throughSeq: head)
        if let tenant = changed[ObjectRef.tenant.description], !tenant.isSubset(of: [EventType.destructiveChangesAllowed.rawValue]) {
            return .full(reason: "the tenant settings changed since run \(since.run.runID)")
        }
        var streams: Set<String> = []
        var placeMayChange: Set<String> = []
        for (stream, types) in changed where stream != ObjectRef.tenant.description {
            streams.insert(stream)
            if !types.isSubset(of: presenceNeutral) { placeMayChange.insert(stream) }
        }
        streams.formUnion(since.footprint.waiting)
        streams.formUnion(since.footprint.heldBack)
        streams.formUnion(try ledger.streamsWithFailures(afterResult: since.footprint.resultsThrough))
        // A grace period that ended between the last plan's time and this one's (either way:
        // a clock can go back) changes the user's target. A day's margin; users deactivated
        // earlier were past their grace at both.
        let graceDays = settings.deactivation.option.needsGraceDays ? settings.deactivation.graceDays ?? 0 : 0
        let expiring = try ledger.userStreams(deactivatedSince: min(lastAsOf, asOf).adding(days: -(graceDays + 1)).rfc3339)
        streams.formUnion(expiring)
        placeMayChange.formUnion(expiring)
        streams.formUnion(try ledger.groupStreams(containingAny: placeMayChange.sorted()))
        return .incremental(since: since, streams: Set(streams.compactMap { try? ObjectRef(parsing: $0) }))
    }
}
