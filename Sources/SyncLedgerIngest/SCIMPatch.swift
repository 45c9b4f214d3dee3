public import SyncLedgerDomain

/// RFC 7644 §3.5.2 PATCH operations applied to a SCIM resource held as JSON with lowercased
/// keys (SCIM attribute names are case-insensitive).
///
/// - `add`: a multi-valued attribute gets the new values appended (duplicates dropped), a
///   complex one is merged, a simple one is set; without a path, each attribute of the value
///   is added that way.
/// - `replace`: the attribute (or the matching elements, or their sub-attribute) is replaced;
///   without a path, each attribute of the value is.
/// - `remove`: the attribute, the matching elements or their sub-attribute are removed; a
///   `value` on a multi-valued attribute removes those values only (what Microsoft Entra
///   sends for `members`).
///
/// When an `add`/`replace` filter matches nothing and is a conjunction of `eq` comparisons
/// (`emails[type eq "work"].value`), the element is created from them, as Microsoft Entra
/// expects.
public enum SCIMPatch {
    /// Applies one operation to `resource`.
    public static func apply(
        op: String, path: SCIMPath?, value: JSONValue?, to resource: inout [String: JSONValue]
    ) throws(AttributeText.Mismatch) {
        let kind = op.lowercased()
        guard ["add", "replace", "remove"].contains(kind) else {
            throw AttributeText.Mismatch(message: "op must be add, replace or remove")
        }
        let value = value.map(lowercasedKeys)
        guard let path else {
            guard kind != "remove" else { throw AttributeText.Mismatch(message: "remove needs a path") }
            guard case .object(let members)? = value else {
                throw AttributeText.Mismatch(message: "without a path, the value must be an object of attributes")
            }
            for (key, member) in members { merge(&resource, key, member, appending: kind == "add") }
            return
        }
        if let container = path.container {
            var inner = resource[container]?.objectValue ?? [:]
            try apply(kind, path, value, to: &inner)
            resource[container] = .object(inner)
        } else {
            try apply(kind, path, value, to: &resource)
        }
    }

    /// `value` with every object key lowercased, recursively.
    public static func lowercasedKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members):
            var lowered: [String: JSONValue] = [:]
            for (key, member) in members { lowered[key.lowercased()] = lowercasedKeys(member) }
            return .object(lowered)
        case .array(let elements):
            return .array(elements.map(lowercasedKeys))
        default:
            return value
        }
    }

    // MARK: - Operations

    private static func apply(
        _ kind: String, _ path: SCIMPath, _ value: JSONValue?, to object: inout [String: JSONValue]
    ) throws(AttributeText.Mismatch) {
        let attribute = path.attribute
        if kind != "remove", value == nil { throw AttributeText.Mismatch(message: "\(kind) needs a value") }
        guard let filter = path.filter else {
            if let sub = path.subAttribute {
                var inner = object[attribute]?.objectValue ?? [:]
                if kind == "remove" { inner.removeValue(forKey: sub) } else { inner[sub] = value! }
                object[attribute] = .object(inner)
            } else if kind == "remove" {
                if let value, case .array(let existing)? = object[attribute] {
                    let removed = value.arrayValue ?? [value]
                    object[attribute] = .array(existing.filter { element in !removed.contains { sameValue($0, element) } })
                } else {
                    object.removeValue(forKey: attribute)
                }
            } else {
                merge(&object, attribute, value!, appending: kind == "add")
            }
            return
        }
        var elements = object[attribute]?.arrayValue ?? []
        let matching = elements.indices.filter { filter.matches(elements[$0]) }
        if kind == "remove" {
            if let sub = path.subAttribute {
                for index in matching {
                    var element = elements[index].objectValue ?? [:]
                    element.removeValue(forKey: sub)
                    elements[index] = .object(element)
                }
            } else {
                let drop = Set(matching)
                elements = elements.indices.filter { !drop.contains($0) }.map { elements[$0] }
            }
        } else if matching.isEmpty {
            guard var element = filter.template else {
                throw AttributeText.Mismatch(message: "no element matches the value filter, and the filter cannot describe a new one")
            }
            try fill(&element, sub: path.subAttribute, value!)
            elements.append(.object(element))
        } else {
            for index in matching {
                var element = elements[index].objectValue ?? [:]
                try fill(&element, sub: path.subAttribute, value!)
                elements[index] = .object(element)
            }
        }
        object[attribute] = .array(elements)
    }

    private static func fill(_ element: inout [String: JSONValue], sub: String?, _ value: JSONValue) throws(AttributeText.Mismatch) {
        if let sub {
            element[sub] = value
        } else if case .object(let members) = value {
            element.merge(members) { $1 }
        } else {
            throw AttributeText.Mismatch(message: "the value for filtered elements must be an object")
        }
    }

    /// add / replace of one attribute: lists append (add) or are replaced, objects merge.
    private static func merge(_ object: inout [String: JSONValue], _ key: String, _ value: JSONValue, appending: Bool) {
        if appending, case .array(let existing)? = object[key] {
            let added = value.arrayValue ?? [value]
            object[key] = .array(existing + added.filter { new in !existing.contains { sameValue($0, new) } })
        } else if case .object(let existing)? = object[key], case .object(let new) = value {
            object[key] = .object(existing.merging(new) { $1 })
        } else {
            object[key] = value
        }
    }

    /// Two elements of a multi-valued attribute are the same when their `value`s are.
    private static func sameValue(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a["value"], let y = b["value"] { return x == y }
        return a == b
    }
}
