public import SyncLedgerDomain

/// An Office 365 command that carried a change, and how it ended.
public struct CommandLink: Sendable, Equatable {
    public var id: String
    public var operation: String
    /// `applied`, `failed`, `throttled` or `pending`.
    public var status: String
    public var error: String?

    /// As JSON, for the `commands` column.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["id": .string(id), "operation": .string(operation), "status": .string(status)]
        if let error { members["error"] = .string(error) }
        return .object(members)
    }
}

/// One changed attribute or relationship, shaped like an entry of Entra's provisioning log
/// (an action, a modified property with its old and new value, a status).
public struct AuditRow: Sendable, Equatable {
    public var seq: Int64
    public var eventID: String
    public var occurredAt: String
    public var actor: String
    public var source: String
    public var object: ObjectRef
    /// The user principal name (or mail) of the object when the event happened.
    public var objectName: String?
    /// `Create`, `Update`, `Disable`, `Enable`, `Delete`, or the event type for the rest.
    public var action: String
    public var eventType: String
    public var attribute: String
    public var old: JSONValue?
    public var new: JSONValue?
    /// The commands that carried this event to Office 365.
    public var commands: [CommandLink]

    /// `applied` when every command applied, `failed`/`pending` when one did, `not sent`
    /// when no command carried the event (the mode does not sync it, or no replay ran yet).
    public var status: String {
        if commands.isEmpty { return "not sent" }
        if commands.contains(where: { $0.status == "failed" }) { return "failed" }
        if commands.contains(where: { $0.status == "pending" || $0.status == "throttled" }) { return "pending" }
        return "applied"
    }

    public static let columns = [
        "at", "actor", "source", "object", "object_name", "action", "attribute", "old", "new", "status", "seq", "event_id",
        "commands",
    ]

    /// The row's values, in ``columns`` order.
    public var values: [JSONValue] {
        [
            .string(occurredAt), .string(actor), .string(source), .string(object.description), objectName.map(JSONValue.string) ?? .null,
            .string(action), .string(attribute), old ?? .null, new ?? .null, .string(status), .int(seq), .string(eventID),
            .array(commands.map(\.json)),
        ]
    }
}
