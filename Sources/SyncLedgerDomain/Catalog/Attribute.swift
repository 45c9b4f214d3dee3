/// One attribute of the catalog: its canonical name, where Okta shows it, its tier, the
/// JSON shape of its value and where it goes in Office 365.
public struct Attribute: Sendable, Hashable {
    /// The canonical name used in event data: the Graph property name where Graph has one,
    /// otherwise the AD / Exchange attribute name (reference §2).
    public let name: String
    /// The label Okta's attribute list uses, when known.
    public let oktaLabel: String?
    /// The kind of object the attribute belongs to.
    public let objectKind: ObjectKind
    /// For user attributes, the tier that syncs it. Nil for groups, contacts and resource
    /// mailboxes (synced whole in universal-sync, or through Group Push) and for site-specific
    /// `x-` attributes.
    public let tier: AttributeTier?
    /// The JSON shape of the value.
    public let valueType: AttributeValueType
    /// Where the attribute goes in Office 365. For a group, the route of a security group
    /// (Microsoft Graph); see ``exchangeRoute`` for the other group kinds.
    public let route: AttributeRoute
    /// For a group attribute, the route of a distribution list or mail-enabled security group
    /// (Exchange Online `Set-DistributionGroup`); nil for the other kinds.
    public let exchangeRoute: AttributeRoute?
    /// Whether a create must carry it and an update may not unset it.
    public let isRequired: Bool
    /// Whether Profile Sync sets it at creation only (reference §1: the UPN).
    public let isFixedAtCreationInProfileSync: Bool

    public init(
        name: String, oktaLabel: String? = nil, objectKind: ObjectKind, tier: AttributeTier?,
        valueType: AttributeValueType = .string, route: AttributeRoute, exchangeRoute: AttributeRoute? = nil,
        isRequired: Bool = false, isFixedAtCreationInProfileSync: Bool = false
    ) {
        self.name = name
        self.oktaLabel = oktaLabel
        self.objectKind = objectKind
        self.tier = tier
        self.valueType = valueType
        self.route = route
        self.exchangeRoute = exchangeRoute
        self.isRequired = isRequired
        self.isFixedAtCreationInProfileSync = isFixedAtCreationInProfileSync
    }

    // MARK: - Questions

    /// Whether this is site-specific data (`x-` prefix): kept, never pushed.
    public var isSiteSpecific: Bool { AttributeCatalog.isSiteSpecific(name) }

    /// Whether `mode` writes the attribute only when the object is created (the UPN in
    /// profile-sync: Profile Sync cannot change a username after creation).
    public func isReadOnlyAfterCreate(in mode: ProvisioningMode) -> Bool {
        isFixedAtCreationInProfileSync && mode == .profileSync
    }

    /// Whether `mode` syncs the attribute to Office 365 (before looking at its route).
    ///
    /// A user attribute is synced when its tier is within the mode's tier; the attributes of
    /// groups, contacts and resource mailboxes in universal-sync only (a security group under
    /// Group Push is the projection's business). Site-specific attributes never.
    public func isSynced(in mode: ProvisioningMode) -> Bool {
        if isSiteSpecific { return false }
        switch objectKind {
        case .user:
            guard let tier, let modeTier = mode.syncedUserTier else { return false }
            return tier <= modeTier
        case .group, .contact, .resource:
            return mode == .universalSync
        case .tenant:
            return false
        }
    }

    /// The route for a group of `kind`: Graph for a security group, Exchange Online otherwise.
    public func route(for kind: GroupKind) -> AttributeRoute {
        if kind.isWrittenByGraph { return route }
        return exchangeRoute ?? route
    }
}
