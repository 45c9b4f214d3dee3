/// What the rules find of an event without the ledger: its type belongs to its stream's
/// kind and its data has the type's shape (``AppendRules/check(_:)``).
///
/// Made only by ``AppendRules/check(_:)``: its fields are constants, so a payload the rules
/// did not see cannot be stored in their name.
public struct CheckedEvent: Sendable {
    public let type: EventType
    /// The data validated, at the current schema version, normalised.
    public let validated: EventDataValidator.Result
    /// The canonical JSON text of the data, as it is stored and chained.
    public let payload: String
}
