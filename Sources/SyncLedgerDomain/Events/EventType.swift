/// Every event type of the catalog: the `type` of the NDJSON format.
///
/// The raw value is the type's name. Each type belongs to one object kind, carries a schema
/// version (older versions are brought up to date by ``EventUpcaster``) and has one
/// ``LifecycleEffect`` on its stream.
public enum EventType: String, CaseIterable, Sendable, Hashable, Codable {
    // MARK: Tenant
    case tenantInitialized = "TenantInitialized"
    case modeChanged = "ModeChanged"
    case directorySyncChanged = "DirectorySyncChanged"
    case deactivationPolicySet = "DeactivationPolicySet"
    case featureFlagSet = "FeatureFlagSet"
    case destructiveThresholdSet = "DestructiveThresholdSet"
    case destructiveChangesAllowed = "DestructiveChangesAllowed"

    // MARK: User
    case userCreated = "UserCreated"
    case userUpdated = "UserUpdated"
    case userDeactivated = "UserDeactivated"
    case userReactivated = "UserReactivated"
    case userDeleted = "UserDeleted"
    case licenseAssigned = "LicenseAssigned"
    case licenseRemoved = "LicenseRemoved"
    case roleAssigned = "RoleAssigned"
    case roleRevoked = "RoleRevoked"
    case directEditObserved = "DirectEditObserved"

    // MARK: Group
    case groupCreated = "GroupCreated"
    case groupUpdated = "GroupUpdated"
    case groupDeleted = "GroupDeleted"
    case groupPushEnabled = "GroupPushEnabled"
    case groupPushDisabled = "GroupPushDisabled"
    case memberAdded = "MemberAdded"
    case memberRemoved = "MemberRemoved"

    // MARK: Contact
    case contactCreated = "ContactCreated"
    case contactUpdated = "ContactUpdated"
    case contactDeleted = "ContactDeleted"

    // MARK: Resource mailbox
    case resourceCreated = "ResourceCreated"
    case resourceUpdated = "ResourceUpdated"
    case resourceDeleted = "ResourceDeleted"

    // MARK: - Lookup

    /// The type named `name`, by one dictionary lookup (the append hot path).
    public static func named(_ name: String) -> EventType? {
        byName[name]
    }

    private static let byName: [String: EventType] = Dictionary(
        uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })

    // MARK: - Catalog facts

    /// The kind of stream the type belongs to.
    public var objectKind: ObjectKind {
        switch self {
        case .tenantInitialized, .modeChanged, .directorySyncChanged, .deactivationPolicySet, .featureFlagSet,
            .destructiveThresholdSet, .destructiveChangesAllowed:
            return .tenant
        case .userCreated, .userUpdated, .userDeactivated, .userReactivated, .userDeleted, .licenseAssigned,
            .licenseRemoved, .roleAssigned, .roleRevoked, .directEditObserved:
            return .user
        case .groupCreated, .groupUpdated, .groupDeleted, .groupPushEnabled, .groupPushDisabled, .memberAdded,
            .memberRemoved:
            return .group
        case .contactCreated, .contactUpdated, .contactDeleted:
            return .contact
        case .resourceCreated, .resourceUpdated, .resourceDeleted:
            return .resource
        }
    }

    /// The schema version this build writes; older ones go through ``EventUpcaster``.
    public var currentSchemaVersion: Int {
        1
    }

    /// The types of one object kind, in catalog order.
    public static func types(for kind: ObjectKind) -> [EventType] {
        allCases.filter { $0.objectKind == kind }
    }
}
