public import SyncLedgerDomain

/// What `state` can list.
public enum StateView: String, Sendable, CaseIterable {
    case users, groups, contacts, resources, licenses, roles

    /// The object kind the view lists.
    public var kind: ObjectKind {
        switch self {
        case .users, .licenses, .roles: return .user
        case .groups: return .group
        case .contacts: return .contact
        case .resources: return .resource
        }
    }
}

/// Rows of named columns, ready for any output format.
public struct StateTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[JSONValue]]
}

extension DirectorySnapshot {
    /// The directory state (`target` nil) or the target state under a mode, as a table.
    ///
    /// - Parameter target: `.some(nil)` for the mode in force, `.some(mode)` for another mode.
    public func table(_ view: StateView, target: ProvisioningMode?? = nil) -> StateTable {
        let targets: [ObjectRef: TargetObject]? = target.map { self.targets(mode: $0) }
        var rows: [[JSONValue]] = []
        let references = existingReferences(view.kind).filter { targets == nil || targets?[$0] != nil }
        let objects = self.objects
        switch view {
        case .users:
            // Rows are built on every core: a view can list a hundred thousand users.
            rows = references.concurrentMap { reference in
                let object = objects[reference]!
                let t = targets?[reference]
                var row: [JSONValue] = [
                    .string(reference.description), Self.text(object.userPrincipalName), Self.text(object.displayName),
                    .bool(t?.enabled ?? object.enabled),
                    .array((t?.licenses ?? object.licenses).keys.sorted().map(JSONValue.string)),
                    .array((t?.roles ?? object.roles).sorted().map(JSONValue.string)),
                    .object(t?.attributes ?? object.attributes),
                ]
                if let t {
                    row += [.bool(t.mayCreate), .array(t.drift.map { .string($0.attribute) }), Self.text(t.graceEndsAt?.rfc3339)]
                }
                return row
            }
            var columns = ["object", "user_principal_name", "display_name", "enabled", "licenses", "roles", "attributes"]
            if targets != nil { columns += ["may_create", "drift", "grace_ends_at"] }
            return StateTable(columns: columns, rows: rows)
        case .groups:
            rows = references.concurrentMap { reference in
                let object = objects[reference]!
                let t = targets?[reference]
                return [
                    .string(reference.description), Self.text(object.subtype), Self.text(object.displayName),
                    .bool(object.pushed), .int(Int64((t?.members ?? object.members).count)),
                    .object(t?.attributes ?? object.attributes),
                ]
            }
            return StateTable(columns: ["object", "kind", "display_name", "pushed", "members", "attributes"], rows: rows)
        case .contacts, .resources:
            rows = references.concurrentMap { reference in
                let object = objects[reference]!
                let t = targets?[reference]
                return [
                    .string(reference.description), Self.text(object.subtype), Self.text(object.displayName),
                    Self.text(object.mail), .object(t?.attributes ?? object.attributes),
                ]
            }
            return StateTable(columns: ["object", "kind", "display_name", "mail", "attributes"], rows: rows)
        case .licenses:
            for reference in references {
                let object = objects[reference]!
                let licenses = targets?[reference]?.licenses ?? object.licenses
                for sku in licenses.keys.sorted() {
                    rows.append([
                        .string(reference.description), Self.text(object.userPrincipalName), .string(sku),
                        .array(licenses[sku]!.map(JSONValue.string)),
                    ])
                }
            }
            return StateTable(columns: ["object", "user_principal_name", "sku_id", "disabled_plans"], rows: rows)
        case .roles:
            for reference in references {
                let object = objects[reference]!
                for role in (targets?[reference]?.roles ?? object.roles).sorted() {
                    rows.append([.string(reference.description), Self.text(object.userPrincipalName), .string(role)])
                }
            }
            return StateTable(columns: ["object", "user_principal_name", "role_definition_id"], rows: rows)
        }
    }

    /// A text cell: the string, or null.
    private static func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
}
