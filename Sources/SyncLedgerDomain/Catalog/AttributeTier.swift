/// The user-attribute tiers of the seed: what Profile Sync, User Sync and Universal Sync
/// send. Ordered: `basic < limitedExtended < allExtended`.
public enum AttributeTier: String, CaseIterable, Sendable, Hashable, Codable, Comparable {
    /// Synced from Profile Sync up.
    case basic
    /// Synced from User Sync up.
    case limitedExtended = "limited-extended"
    /// Synced in Universal Sync only.
    case allExtended = "all-extended"

    /// The narrowest mode that syncs this tier.
    public var minimumMode: ProvisioningMode {
        switch self {
        case .basic: return .profileSync
        case .limitedExtended: return .userSync
        case .allExtended: return .universalSync
        }
    }

    private var rank: Int {
        switch self {
        case .basic: return 0
        case .limitedExtended: return 1
        case .allExtended: return 2
        }
    }

    public static func < (lhs: AttributeTier, rhs: AttributeTier) -> Bool {
        lhs.rank < rhs.rank
    }
}
