/// Attribute maps: the flat data of creates, `set` / `unset` of updates, and value checks
/// against the ``AttributeCatalog``.
extension EventDataValidator {
    // MARK: - Creates

    /// The flat data of `GroupCreated`, `ContactCreated`, `ResourceCreated`: every key but
    /// `kind` is an attribute of `kind`; the required attributes must be present.
    static func validateFlatCreate(
        _ members: [String: JSONValue], kind: ObjectKind, stream: ObjectRef, references: inout [Reference]
    ) throws(DomainError) {
        let skipping = kind == .contact ? nil : "kind"
        try checkAttributes(members, kind: kind, path: "data", skipping: skipping, stream: stream, references: &references)
        try checkRequired(members, kind: kind, path: "data")
    }

    /// Refuses a map that lacks a required attribute of `kind`.
    static func checkRequired(_ map: [String: JSONValue], kind: ObjectKind, path: String) throws(DomainError) {
        for name in requiredNames(for: kind) where map[name] == nil {
            throw DomainError(.invalidData, field: "\(path).\(name)", "is required")
        }
    }

    // MARK: - Updates

    /// `{set: {...}, unset: [names]}`: at least one change, no name both set and unset, no
    /// required attribute unset; a group's or resource's `kind` cannot change.
    static func validateChanges(
        _ members: [String: JSONValue], type: EventType, stream: ObjectRef, references: inout [Reference]
    ) throws(DomainError) {
        try allowOnly(members, ["set", "unset"], type: type)
        let kind = type.objectKind
        var setMap: [String: JSONValue] = [:]
        if let set = members["set"] {
            guard case .object(let map) = set else {
                throw DomainError(.invalidData, field: "data.set", "must be an object of attributes, not \(describe(set))")
            }
            if map["kind"] != nil, kind == .group || kind == .resource {
                throw DomainError(
                    .invalidData, field: "data.set.kind",
                    "a \(kind.rawValue)'s kind is fixed when it is created; delete it and create it again to change it")
            }
            try checkAttributes(map, kind: kind, path: "data.set", skipping: nil, stream: stream, references: &references)
            setMap = map
        }
        var unsetCount = 0
        if let unset = members["unset"] {
            guard case .array(let names) = unset else {
                throw DomainError(
                    .invalidData, field: "data.unset", "must be an array of attribute names, not \(describe(unset))")
            }
            for (index, element) in names.enumerated() {
                let field = "data.unset[\(index)]"
                guard case .string(let name) = element else {
                    throw DomainError(.invalidData, field: field, "must be an attribute name, not \(describe(element))")
                }
                if !AttributeCatalog.isSiteSpecific(name) {
                    guard let attribute = AttributeCatalog.catalogAttribute(named: name, for: kind) else {
                        throw unknownAttribute(name, kind: kind, field: field)
                    }
                    if attribute.isRequired {
                        throw DomainError(
                            .invalidData, field: field, "\(name) is required for a \(kind.rawValue) and cannot be unset")
                    }
                }
                if setMap[name] != nil {
                    throw DomainError(
                        .invalidData, field: field, "\(ObjectRef.redacted(name)) is both set and unset in one event")
                }
                for earlier in names[..<index] where earlier == element {
                    throw DomainError(.invalidData, field: field, "\(ObjectRef.redacted(name)) is unset twice")
                }
            }
            unsetCount = names.count
        }
        if setMap.isEmpty && unsetCount == 0 {
            throw DomainError(
                .invalidData, field: "data", "\(type.rawValue) needs at least one change in set or unset")
        }
    }

    // MARK: - Attribute maps

    /// Checks every `name: value` of `map` (except `skipping`) against the catalog of `kind`.
    /// `x-` names pass with any value. The first error in key order is reported.
    static func checkAttributes(
        _ map: [String: JSONValue], kind: ObjectKind, path: String, skipping: String?, stream: ObjectRef,
        references: inout [Reference]
    ) throws(DomainError) {
        do {
            for (name, value) in map {
                try checkAttribute(
                    name, value, kind: kind, path: path, skipping: skipping, stream: stream, references: &references)
            }
        } catch {
            // Report the first error in key order, whatever the dictionary's order was.
            var scratch: [Reference] = []
            for name in map.keys.sorted() {
                try checkAttribute(
                    name, map[name]!, kind: kind, path: path, skipping: skipping, stream: stream, references: &scratch)
            }
            throw error
        }
    }

    private static func checkAttribute(
        _ name: String, _ value: JSONValue, kind: ObjectKind, path: String, skipping: String?, stream: ObjectRef,
        references: inout [Reference]
    ) throws(DomainError) {
        if name == skipping || AttributeCatalog.isSiteSpecific(name) { return }
        guard let valueType = AttributeCatalog.valueType(of: name, for: kind) else {
            throw unknownAttribute(name, kind: kind, field: "\(path).\(ObjectRef.redacted(name))")
        }
        try checkValue(value, type: valueType, name: name, path: path, stream: stream, references: &references)
    }

    /// Checks a value of the attribute `name` against its type; references are collected.
    static func checkValue(
        _ value: JSONValue, type: AttributeValueType, name: String, path: String, stream: ObjectRef,
        references: inout [Reference]
    ) throws(DomainError) {
        switch (type, value) {
        case (.any, _):
            return
        case (_, .null):
            throw DomainError(
                .invalidData, field: "\(path).\(name)", "must not be null: list the attribute in unset to remove it")
        case (.string, .string(let text)) where !text.isEmpty:
            return
        case (.emailAddress, .string(let text)) where isEmailShaped(text):
            return
        case (.emailAddress, .string):
            throw DomainError(
                .invalidData, field: "\(path).\(name)", "must be shaped local@domain (one @, a dot in the domain, no spaces)")
        case (.boolean, .bool):
            return
        case (.integer, .int(let number)) where number >= 0:
            return
        case (.stringList, .array(let elements)):
            for (index, element) in elements.enumerated() {
                guard case .string(let text) = element, !text.isEmpty else {
                    throw DomainError(
                        .invalidData, field: "\(path).\(name)[\(index)]", "must be a non-empty string, not \(describe(element))")
                }
            }
        case (.reference(let kinds), _):
            let field = "\(path).\(name)"
            let target = try reference(value, kinds: kinds, field: field)
            try refuseSelfReference(target, stream: stream, name: name, field: field)
            references.append(Reference(field: field, target: target, allowsDeleted: false))
        case (.referenceList(let kinds), .array(let elements)):
            for (index, element) in elements.enumerated() {
                let field = "\(path).\(name)[\(index)]"
                let target = try reference(element, kinds: kinds, field: field)
                try refuseSelfReference(target, stream: stream, name: name, field: field)
                references.append(Reference(field: field, target: target, allowsDeleted: false))
            }
        default:
            throw DomainError(
                .invalidData, field: "\(path).\(name)", "must be \(expectation(type)), not \(describe(value))")
        }
    }

    // MARK: - Helpers

    /// Whether `text` is shaped `local@domain`: one `@` with text before it, a dot inside the
    /// domain (not first or last, never two in a row), no whitespace or control characters.
    public static func isEmailShaped(_ text: String) -> Bool {
        var at = -1
        var lastDot = -1
        var index = 0
        for byte in text.utf8 {
            if byte <= 0x20 || byte == 0x7F { return false }
            if byte == UInt8(ascii: "@") {
                if at >= 0 { return false }
                at = index
            } else if byte == UInt8(ascii: "."), at >= 0 {
                if index == at + 1 || index == lastDot + 1 { return false }
                lastDot = index
            }
            index += 1
        }
        return at > 0 && lastDot > at + 1 && lastDot < index - 1
    }

    /// The attributes of `kind` a create must carry and an update cannot unset.
    static func requiredNames(for kind: ObjectKind) -> [String] {
        switch kind {
        case .user: return requiredUserNames
        case .group: return requiredGroupNames
        case .contact: return requiredContactNames
        case .resource: return requiredResourceNames
        case .tenant: return []
        }
    }

    private static let requiredUserNames = AttributeCatalog.userAttributes.filter(\.isRequired).map(\.name)
    private static let requiredGroupNames = AttributeCatalog.groupAttributes.filter(\.isRequired).map(\.name)
    private static let requiredContactNames = AttributeCatalog.contactAttributes.filter(\.isRequired).map(\.name)
    private static let requiredResourceNames = AttributeCatalog.resourceAttributes.filter(\.isRequired).map(\.name)

    static func unknownAttribute(_ name: String, kind: ObjectKind, field: String) -> DomainError {
        // The name is input too: a mail address used as a key must not reach the message.
        let shownField = name.contains("@") && field.hasSuffix(name) ? field.dropLast(name.count) + ObjectRef.redacted(name) : field
        return DomainError(
            .unknownAttribute, field: shownField,
            "\(ObjectRef.redacted(name)) is not in the \(kind.rawValue) attribute catalog (see `syncledger attributes`); prefix site-specific data with x-"
        )
    }

    private static func refuseSelfReference(
        _ target: ObjectRef, stream: ObjectRef, name: String, field: String
    ) throws(DomainError) {
        if target == stream {
            throw DomainError(.invalidData, field: field, "a \(stream.kind.rawValue) cannot refer to itself in \(name)")
        }
    }

    private static func expectation(_ type: AttributeValueType) -> String {
        switch type {
        case .string: return "a non-empty string"
        case .emailAddress: return "a string shaped local@domain"
        case .stringList: return "an array of strings"
        case .boolean: return "true or false"
        case .integer: return "a whole number, 0 or more"
        case .reference(let kinds), .referenceList(let kinds):
            let refs = kinds.map { "\($0.rawValue):<anchor>" }.joined(separator: " or ")
            if case .referenceList = type { return "an array of references (\(refs))" }
            return "a reference (\(refs))"
        case .any: return "any JSON value"
        }
    }
}
