/// One changed attribute or relationship of an object, from one value to another.
public struct AttributeChange: Sendable, Hashable {
    /// The attribute (`jobTitle`), or a relationship (`enabled`, `deleted`, `license:<skuId>`,
    /// `role:<id>`, `member:<kind:anchor>`, `pushed`, `directEdit:<attribute>`).
    public var attribute: String
    /// The value before; nil when there was none.
    public var old: JSONValue?
    /// The value after; nil when there is none.
    public var new: JSONValue?

    public init(attribute: String, old: JSONValue?, new: JSONValue?) {
        self.attribute = attribute
        self.old = old
        self.new = new
    }
}

// MARK: - Differences

extension DirectoryObject {
    /// What differs from `before` to this state, sorted by attribute name.
    public func changes(from before: DirectoryObject) -> [AttributeChange] {
        var changes: [AttributeChange] = []
        func compare(_ name: String, _ old: JSONValue?, _ new: JSONValue?) {
            if old != new { changes.append(AttributeChange(attribute: name, old: old, new: new)) }
        }
        for name in Set(before.attributes.keys).union(attributes.keys) {
            compare(name, before.attributes[name], attributes[name])
        }
        for name in Set(before.directEdits.keys).union(directEdits.keys) {
            compare("directEdit:\(name)", before.directEdits[name].map(Self.describe), directEdits[name].map(Self.describe))
        }
        if before.exists != exists { compare("exists", .bool(before.exists), .bool(exists)) }
        if reference.kind == .user { compare("enabled", .bool(before.enabled), .bool(enabled)) }
        if reference.kind == .group {
            compare("pushed", .bool(before.pushed), .bool(pushed))
            compare("leftInTarget", .bool(before.leftInTarget), .bool(leftInTarget))
        }
        if before.subtype != subtype { compare("kind", before.subtype.map(JSONValue.string), subtype.map(JSONValue.string)) }
        for sku in Set(before.licenses.keys).union(licenses.keys) {
            compare("license:\(sku)", before.licenses[sku].map(Self.plans), licenses[sku].map(Self.plans))
        }
        for role in before.roles.symmetricDifference(roles) {
            compare("role:\(role)", before.roles.contains(role) ? .bool(true) : nil, roles.contains(role) ? .bool(true) : nil)
        }
        for member in before.members.symmetricDifference(members) {
            compare(
                "member:\(member)", before.members.contains(member) ? .bool(true) : nil,
                members.contains(member) ? .bool(true) : nil)
        }
        return changes.sorted { $0.attribute.utf8.lexicographicallyPrecedes($1.attribute.utf8) }
    }

    private static func describe(_ edit: DirectEdit) -> JSONValue {
        edit.value ?? .null
    }

    private static func plans(_ disabled: [String]) -> JSONValue {
        ["disabledPlans": .array(disabled.map(JSONValue.string))]
    }
}
