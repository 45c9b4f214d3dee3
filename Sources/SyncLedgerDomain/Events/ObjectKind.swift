/// The kinds of stream in the ledger: one per directory object, plus the tenant itself.
public enum ObjectKind: String, Sendable, Hashable, CaseIterable, Codable {
    case tenant
    case user
    case group
    case contact
    case resource

    /// The kinds whose streams are directory objects (everything but the tenant).
    public static let directoryKinds: [ObjectKind] = [.user, .group, .contact, .resource]
}
