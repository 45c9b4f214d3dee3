/// The kind of a resource mailbox, fixed when it is created (`ResourceCreated {"kind": ...}`).
public enum ResourceKind: String, CaseIterable, Sendable, Hashable, Codable {
    /// A meeting room (`New-Mailbox -Room`).
    case room
    /// Equipment (`New-Mailbox -Equipment`).
    case equipment
}
