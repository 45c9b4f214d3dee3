/// The attributes the ledger accepts, per object kind, with their tiers and Office 365 routes.
///
/// Names outside the catalog are refused unless they start with `x-`: site-specific data,
/// accepted for any kind with any JSON value, kept in the ledger and never pushed.
public enum AttributeCatalog {
    /// The prefix of site-specific attribute names.
    public static let siteSpecificPrefix = "x-"

    /// The reason given for site-specific attributes.
    public static let siteSpecificReason = "site-specific (x-) data is kept in the ledger and never pushed"

    // MARK: - Lookup

    /// The catalog's attributes for `kind`, in the order of the reference (empty for the tenant).
    public static func attributes(for kind: ObjectKind) -> [Attribute] {
        switch kind {
        case .user: return userAttributes
        case .group: return groupAttributes
        case .contact: return contactAttributes
        case .resource: return resourceAttributes
        case .tenant: return []
        }
    }

    /// The attribute `name` of `kind`: from the catalog, or a site-specific one for an `x-`
    /// name; nil when the name is unknown.
    public static func attribute(named name: String, for kind: ObjectKind) -> Attribute? {
        if let attribute = catalogAttribute(named: name, for: kind) { return attribute }
        guard kind != .tenant, isSiteSpecific(name) else { return nil }
        return Attribute(
            name: name, objectKind: kind, tier: nil, valueType: .any,
            route: .notWritable(reason: siteSpecificReason))
    }

    /// Whether `name` is a site-specific name: `x-` followed by at least one character.
    public static func isSiteSpecific(_ name: String) -> Bool {
        var utf8 = name.utf8.makeIterator()
        return utf8.next() == UInt8(ascii: "x") && utf8.next() == UInt8(ascii: "-") && utf8.next() != nil
    }

    /// The user attributes of `tier` exactly.
    public static func userAttributes(in tier: AttributeTier) -> [Attribute] {
        userAttributes.filter { $0.tier == tier }
    }

    // MARK: - Indexes (built once)

    /// A catalog attribute (never a site-specific one), by one dictionary lookup.
    static func catalogAttribute(named name: String, for kind: ObjectKind) -> Attribute? {
        switch kind {
        case .user: return userIndex[name]
        case .group: return groupIndex[name]
        case .contact: return contactIndex[name]
        case .resource: return resourceIndex[name]
        case .tenant: return nil
        }
    }

    /// The value type of the catalog attribute `name` (never a site-specific one): the
    /// validation hot path, which needs no more than that.
    static func valueType(of name: String, for kind: ObjectKind) -> AttributeValueType? {
        switch kind {
        case .user: return userTypes[name]
        case .group: return groupTypes[name]
        case .contact: return contactTypes[name]
        case .resource: return resourceTypes[name]
        case .tenant: return nil
        }
    }

    private static let userTypes = userIndex.mapValues(\.valueType)
    private static let groupTypes = groupIndex.mapValues(\.valueType)
    private static let contactTypes = contactIndex.mapValues(\.valueType)
    private static let resourceTypes = resourceIndex.mapValues(\.valueType)

    private static let userIndex = index(userAttributes)
    private static let groupIndex = index(groupAttributes)
    private static let contactIndex = index(contactAttributes)
    private static let resourceIndex = index(resourceAttributes)

    private static func index(_ attributes: [Attribute]) -> [String: Attribute] {
        Dictionary(attributes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
