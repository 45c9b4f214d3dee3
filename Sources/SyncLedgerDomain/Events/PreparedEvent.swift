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
    /// ``AppendRules/check(_:)``'s outcome.
    public let checked: Result<CheckedEvent, DomainError>

    public init(_ event: ProposedEvent) {
        self.event = event
        envelope = Result { () throws(DomainError) in try event.validateEnvelope() }
        eventID = event.resolvedID
        checked = Result { () throws(DomainError) in try AppendRules.check(event) }
    }
}
