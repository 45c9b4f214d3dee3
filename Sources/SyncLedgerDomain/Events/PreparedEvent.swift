/// A proposed event with the checks that need no ledger already run: its envelope, its id,
/// and what ``AppendRules/check(_:)`` finds of its type and data, with the payload's
/// canonical text.
///
/// Made ahead of the append, on another thread (ingest decodes and prepares its input lines
/// on the second core while the first writes the ledger). The results are kept, failures
/// included, and the append uses each where the rules would have computed it, so an event
/// is refused or skipped exactly as if it had been checked in place: an already recorded id
/// is skipped before its data is looked at, and a version conflict is reported before a
/// data error.
public struct PreparedEvent: Sendable {
    // Constants: what the append stores and chains is what was checked.
    public let event: ProposedEvent
    /// ``ProposedEvent/validateEnvelope()``'s outcome.
    public let envelope: Result<Void, DomainError>
    /// ``ProposedEvent/resolvedID``.
    public let eventID: String
    /// What ``AppendRules/check(_:)`` gave; an empty stand-in when it threw (``checkFailure``).
    private let checkedEvent: CheckedEvent
    /// What ``AppendRules/check(_:)`` threw.
    private let checkFailure: DomainError?

    public init(_ event: ProposedEvent) {
        self.event = event
        envelope = Result { () throws(DomainError) in try event.validateEnvelope() }
        eventID = event.resolvedID
        do throws(DomainError) {
            checkedEvent = try AppendRules.check(event)
            checkFailure = nil
        } catch {
            checkedEvent = CheckedEvent(type: .tenantInitialized, validated: .init(data: .null, subtype: nil, references: []), payload: "")
            checkFailure = error
        }
    }

    /// Calls `body` with what ``AppendRules/check(_:)`` gave, read where it is; throws what
    /// the check threw instead.
    ///
    /// For the append of a million events: a checked event taken out of a `Result` (by a
    /// `switch`, an `if case`) is a copy, each of its strings retained, and released after.
    public func withChecked<T>(_ body: (borrowing CheckedEvent) throws -> T) throws -> T {
        if let checkFailure { throw checkFailure }
        return try body(checkedEvent)
    }
}
