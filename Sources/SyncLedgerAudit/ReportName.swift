/// The reports `syncledger report` writes.
public enum ReportName: String, Sendable, CaseIterable {
    case users, licenses, groups, memberships, contacts, resources
    case changes, actors, commands, drift
    case notPushable = "not-pushable"

    /// Whether the report has a chart of changes in its HTML form.
    public var hasChart: Bool { self == .changes || self == .actors }
}
