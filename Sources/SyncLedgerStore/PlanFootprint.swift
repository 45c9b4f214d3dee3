/// What a replay run's plan looked at, recorded with the run (`replay_run_plans`,
/// `replay_run_deferred`) so the next plan can look only at what changed since.
public struct PlanFootprint: Sendable, Equatable {
    /// Whether the plan looked at every object (otherwise only at what changed).
    public var isFull: Bool
    /// How many objects the plan looked at.
    public var objectsPlanned: Int
    /// The moment the plan evaluated its time rules (grace periods) at, RFC 3339.
    public var asOf: String
    /// Objects left waiting for an Office 365 id.
    public var waiting: Set<String>
    /// Objects with destructive commands held back by the thresholds.
    public var heldBack: Set<String>
    /// The last `command_results.result_id` recorded before the plan read the journal:
    /// results after it are news to the next plan.
    public var resultsThrough: Int64

    public init(isFull: Bool, objectsPlanned: Int, asOf: String, waiting: Set<String>, heldBack: Set<String>, resultsThrough: Int64) {
        self.isFull = isFull
        self.objectsPlanned = objectsPlanned
        self.asOf = asOf
        self.waiting = waiting
        self.heldBack = heldBack
        self.resultsThrough = resultsThrough
    }
}

/// The last replay run whose plan left a footprint, as the next plan starts from it.
public struct RecordedFootprint: Sendable, Equatable {
    public var run: ReplayRun
    public var footprint: PlanFootprint
}
