/// One row of the seed's matrix of provisioning options ("Operations supported").
public enum Capability: String, CaseIterable, Sendable, Hashable, Codable {
    case pushLicensesAndRoles = "push-licenses-and-roles"
    case createUser = "create-user"
    case deactivateUser = "deactivate-user"
    case editUserDirectly = "edit-user-directly"
    case syncBasicAttributes = "sync-basic-attributes"
    case syncLimitedExtendedAttributes = "sync-limited-extended-attributes"
    case syncAllExtendedAttributes = "sync-all-extended-attributes"
    case syncSecurityGroups = "sync-security-groups"
    case syncContacts = "sync-contacts"
    case syncDistributionLists = "sync-distribution-lists"
    case syncResourceMailboxes = "sync-resource-mailboxes"

    /// The row's label as the seed writes it.
    public var seedLabel: String {
        switch self {
        case .pushLicensesAndRoles: return "Push licenses and roles"
        case .createUser: return "Create user"
        case .deactivateUser: return "Deactivate user"
        case .editUserDirectly: return "Edit user directly from within Office 365"
        case .syncBasicAttributes: return "Sync basic user profile attributes"
        case .syncLimitedExtendedAttributes:
            return "Sync limited number of extended attributes in addition to the basic attributes"
        case .syncAllExtendedAttributes: return "Sync all extended attributes"
        case .syncSecurityGroups: return "Sync security groups"
        case .syncContacts: return "Sync contacts"
        case .syncDistributionLists: return "Sync distribution lists"
        case .syncResourceMailboxes: return "Sync resource mailboxes"
        }
    }

    /// The row's short label in DESIGN.md and the README.
    public var label: String {
        switch self {
        case .pushLicensesAndRoles: return "push licenses and roles"
        case .createUser: return "create user"
        case .deactivateUser: return "deactivate user"
        case .editUserDirectly: return "edit user directly in Office 365"
        case .syncBasicAttributes: return "sync basic profile attributes"
        case .syncLimitedExtendedAttributes: return "sync limited extended attributes"
        case .syncAllExtendedAttributes: return "sync all extended attributes"
        case .syncSecurityGroups: return "sync security groups"
        case .syncContacts: return "sync contacts"
        case .syncDistributionLists: return "sync distribution lists"
        case .syncResourceMailboxes: return "sync resource mailboxes"
        }
    }
}
