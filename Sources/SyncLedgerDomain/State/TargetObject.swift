/// What Office 365 must hold for one directory object under a ``TargetPolicy``.
public struct TargetObject: Sendable, Hashable {
    /// An edit made in Office 365 that the mode does not let stand: the replayer reverts it.
    public struct Drift: Sendable, Hashable {
        public var attribute: String
        /// The value seen in Office 365 (nil: cleared there).
        public var observed: JSONValue?
        /// The source value the target keeps (nil: the source has none).
        public var expected: JSONValue?
        public var seq: Int64
        public var actor: String
    }

    public var reference: ObjectRef
    public var subtype: String?
    /// Attributes Office 365 must hold: within the mode's tiers, direct edits applied where
    /// the mode lets them stand, site-specific (`x-`) data left out.
    public var attributes: AttributeMap
    /// Users: the user principal name, also when the mode syncs no attribute (licenses-roles
    /// matches existing Office 365 users by it).
    public var userPrincipalName: String?
    /// Users: sign-in allowed.
    public var enabled: Bool
    /// Users: whether the mode may create the user (false in licenses-roles: it manages
    /// licenses and roles of users that already exist in Office 365).
    public var mayCreate: Bool
    public var licenses: [String: [String]]
    public var roles: Set<String>
    /// Groups: members that are themselves in the target.
    public var members: Set<String>
    /// Direct edits the mode does not let stand.
    public var drift: [Drift]
    /// Users: when a deactivation's grace period ends and licenses go (or the user is
    /// deleted), while it has not ended yet.
    public var graceEndsAt: Timestamp?
}
