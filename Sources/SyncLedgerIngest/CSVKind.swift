public import SyncLedgerDomain

/// What the rows of a CSV snapshot are (`--kind`).
public enum CSVKind: String, Sendable, CaseIterable {
    case users, groups, memberships, contacts, resources

    /// The kind of object one row describes (for memberships: the group).
    public var objectKind: ObjectKind {
        switch self {
        case .users: return .user
        case .groups, .memberships: return .group
        case .contacts: return .contact
        case .resources: return .resource
        }
    }

    /// The sub-kind an object gets when the file has no kind column.
    var defaultSubtype: String? {
        switch self {
        case .groups: return GroupKind.security.rawValue
        case .resources: return ResourceKind.room.rawValue
        case .users, .memberships, .contacts: return nil
        }
    }
}
