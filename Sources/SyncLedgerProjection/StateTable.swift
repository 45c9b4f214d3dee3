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
        let objects = existing(view.kind).filter { targets == nil || targets?[$0.reference] != nil }
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        switch view {
        case .users:
            for object in objects {
                let t = targets?[object.reference]
                var row: [JSONValue] = [
                    .string(object.reference.description), text(object.userPrincipalName), text(object.displayName),
                    .bool(t?.enabled ?? object.enabled),
                    .array((t?.licenses ?? object.licenses).keys.sorted().map(JSONValue.string)),
                    .array((t?.roles ?? object.roles).sorted().map(JSONValue.string)),
                    .object(t?.attributes ?? object.attributes),
                ]
                if let t {
                    row += [.bool(t.mayCreate), .array(t.drift.map { .string($0.attribute) }), text(t.graceEndsAt?.rfc3339)]
                }
                rows.append(row)
            }
            var columns = ["object", "user_principal_name", "display_name", "enabled", "licenses", "roles", "attributes"]
            if targets != nil { columns += ["may_create", "drift", "grace_ends_at"] }
            return StateTable(columns: columns, rows: rows)
        case .groups:
            for object in objects {
                let t = targets?[object.reference]
                rows.append([
                    .string(object.reference.description), text(object.subtype), text(object.displayName),
                    .bool(object.pushed), .int(Int64((t?.members ?? object.members).count)),
                    .object(t?.attributes ?? object.attributes),
                ])
            }
            return StateTable(columns: ["object", "kind", "display_name", "pushed", "members", "attributes"], rows: rows)
        case .contacts, .resources:
            for object in objects {
                let t = targets?[object.reference]
                rows.append([
                    .string(object.reference.description), text(object.subtype), text(object.displayName), text(object.mail),
                    .object(t?.attributes ?? object.attributes),
                ])
            }
            return StateTable(columns: ["object", "kind", "display_name", "mail", "attributes"], rows: rows)
        case .licenses:
            for object in objects {
                let licenses = targets?[object.reference]?.licenses ?? object.licenses
                for sku in licenses.keys.sorted() {
                    rows.append([
                        .string(object.reference.description), text(object.userPrincipalName), .string(sku),
                        .array(licenses[sku]!.map(JSONValue.string)),
                    ])
                }
            }
            return StateTable(columns: ["object", "user_principal_name", "sku_id", "disabled_plans"], rows: rows)
        case .roles:
            for object in objects {
                for role in (targets?[object.reference]?.roles ?? object.roles).sorted() {
                    rows.append([.string(object.reference.description), text(object.userPrincipalName), .string(role)])
                }
            }
            return StateTable(columns: ["object", "user_principal_name", "role_definition_id"], rows: rows)
        }
    }
}
