/// The four provisioning modes of the seed, from the narrowest to the widest.
///
/// The raw value is the mode's CLI and event name (`ModeChanged {"mode": "user-sync"}`).
public enum ProvisioningMode: String, CaseIterable, Sendable, Hashable, Codable {
    /// Only licenses and admin roles are pushed; users are not created.
    case licensesRoles = "licenses-roles"
    /// Users are created with the basic profile attributes.
    case profileSync = "profile-sync"
    /// Users are created with the basic and a limited set of extended attributes.
    case userSync = "user-sync"
    /// Users with all extended attributes, plus groups, contacts and resource mailboxes.
    case universalSync = "universal-sync"

    // MARK: - Presentation

    /// The mode's name as the seed writes it ("Licenses and Roles Management Only", ...).
    public var title: String {
        switch self {
        case .licensesRoles: return "Licenses and Roles Management Only"
        case .profileSync: return "Profile Sync"
        case .userSync: return "User Sync"
        case .universalSync: return "Universal Sync"
        }
    }

    // MARK: - Rules

    /// Whether the mode creates users in Office 365 (every mode but licenses-roles), and so
    /// whether Group Push can be used in it.
    public var provisionsUsers: Bool {
        self != .licensesRoles
    }

    /// Whether the mode makes Office 365 a copy of the source (user-sync, universal-sync):
    /// such a mode cannot run beside a directory-sync tool, and once it has been chosen
    /// profile-sync can never be chosen again (unless the tenant has `graph-api-feature`).
    public var isSourceOfTruthSync: Bool {
        self == .userSync || self == .universalSync
    }

    /// The widest user-attribute tier the mode syncs, or nil when it syncs no profile attribute.
    public var syncedUserTier: AttributeTier? {
        switch self {
        case .licensesRoles: return nil
        case .profileSync: return .basic
        case .userSync: return .limitedExtended
        case .universalSync: return .allExtended
        }
    }
}
