/// The kind of a group, fixed when it is created (`GroupCreated {"kind": ...}`).
public enum GroupKind: String, CaseIterable, Sendable, Hashable, Codable {
    /// A security group (not mail-enabled): written by Microsoft Graph.
    case security
    /// A distribution list: Exchange Online only.
    case distribution
    /// A mail-enabled security group: Exchange Online only.
    case mailSecurity = "mail-security"

    /// Whether Microsoft Graph can write the group (only plain security groups).
    public var isWrittenByGraph: Bool { self == .security }

    /// Whether Group Push can manage the group: only what Graph can write.
    public var isPushable: Bool { isWrittenByGraph }
}
