/// What one import (CSV, SCIM, LDIF or Graph delta) did.
public struct ImportSummary: Sendable, Equatable {
    /// Events appended (or that would be, in a dry run).
    public var appended = 0
    /// Events whose id was already in the ledger.
    public var alreadyRecorded = 0
    /// Records that named no change to the directory (unchanged rows, skipped object classes).
    public var unchanged = 0
    /// Graph delta: users Office 365 reported that match no object of the ledger (not invented).
    public var unmatched = 0
    /// LDIF: records of object classes the ledger does not keep (computers, OUs, containers).
    public var skipped = 0
    /// Whether nothing was committed because it was a dry run.
    public var dryRun = false

    public init() {}
}
