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
///
/// A row is built when it is asked for, so a view of a hundred thousand objects is written
/// out without ever being held as rows; ``row(_:)`` may be called from any thread.
public struct StateTable: Sendable {
    public var columns: [String]
    /// How many rows the table has.
    public let count: Int
    private let build: @Sendable (Int) -> [JSONValue]

    init(columns: [String], count: Int, build: @escaping @Sendable (Int) -> [JSONValue]) {
        self.columns = columns
        self.count = count
        self.build = build
    }

    init(columns: [String], rows: [[JSONValue]]) {
        self.init(columns: columns, count: rows.count) { rows[$0] }
    }

    /// Row `index` (from 0): one value per column.
    public func row(_ index: Int) -> [JSONValue] { build(index) }
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
            var columns = ["object", "user_principal_name", "display_name", "enabled", "licenses", "roles", "attributes"]
            if targets != nil { columns += ["may_create", "drift", "grace_ends_at"] }
            return StateTable(columns: columns, count: references.count) { index in
                let reference = references[index]
                let object = objects[reference]!
                let t = targets?[reference]
                var row: [JSONValue] = [
                    .string(reference.description), Self.text(object.userPrincipalName), Self.text(object.displayName),
                    .bool(t?.enabled ?? object.enabled),
                    .array((t?.licenses ?? object.licenses).keys.sorted().map(JSONValue.string)),
                    .array((t?.roles ?? object.roles).sorted().map(JSONValue.string)),
                    (t?.attributes ?? object.attributes).json,
                ]
                if let t {
                    row += [.bool(t.mayCreate), .array(t.drift.map { .string($0.attribute) }), Self.text(t.graceEndsAt?.rfc3339)]
                }
                return row
            }
        case .groups:
            return StateTable(columns: ["object", "kind", "display_name", "pushed", "members", "attributes"], count: references.count) { index in
                let reference = references[index]
                let object = objects[reference]!
                let t = targets?[reference]
                return [
                    .string(reference.description), Self.text(object.subtype), Self.text(object.displayName),
                    .bool(object.pushed), .int(Int64((t?.members ?? object.members).count)),
                    (t?.attributes ?? object.attributes).json,
                ]
            }
        case .contacts, .resources:
            return StateTable(columns: ["object", "kind", "display_name", "mail", "attributes"], count: references.count) { index in
                let reference = references[index]
                let object = objects[reference]!
                let t = targets?[reference]
                return [
                    .string(reference.description), Self.text(object.subtype), Self.text(object.displayName),
                    Self.text(object.mail), (t?.attributes ?? object.attributes).json,
                ]
            }
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
