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
/// out without ever being held as rows; ``cells(_:)`` may be called from any thread.
public struct StateTable: Sendable {
    /// One value of a row.
    public enum Cell: Sendable {
        /// A value as it is.
        case value(JSONValue)
        /// A JSON object held as an attribute map: its canonical JSON is written from the map
        /// in one walk, with no dictionary built and no key sorted (every row of a view has one).
        case attributes(AttributeMap)

        /// The cell as a JSON value.
        public var value: JSONValue {
            switch self {
            case .value(let value): return value
            case .attributes(let map): return map.json
            }
        }

        /// Appends the cell's canonical JSON: the bytes of ``value``'s.
        public func appendCanonical(to out: inout [UInt8]) {
            switch self {
            case .value(let value): value.appendCanonical(to: &out)
            case .attributes(let map): map.appendCanonical(to: &out)
            }
        }
    }

    public var columns: [String]
    /// How many rows the table has.
    public let count: Int
    private let build: @Sendable (Int) -> [Cell]

    init(columns: [String], count: Int, build: @escaping @Sendable (Int) -> [Cell]) {
        self.columns = columns
        self.count = count
        self.build = build
    }

    init(columns: [String], rows: [[JSONValue]]) {
        self.init(columns: columns, count: rows.count) { rows[$0].map(Cell.value) }
    }

    /// Row `index` (from 0): one cell per column.
    public func cells(_ index: Int) -> [Cell] { build(index) }
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
                var row: [StateTable.Cell] = [
                    .value(.string(reference.description)), Self.textCell(object.userPrincipalName),
                    Self.textCell(object.displayName), .value(.bool(t?.enabled ?? object.enabled)),
                    .value(.array((t?.licenses ?? object.licenses).keys.sorted().map(JSONValue.string))),
                    .value(.array((t?.roles ?? object.roles).sorted().map(JSONValue.string))),
                    .attributes(t?.attributes ?? object.attributes),
                ]
                if let t {
                    row += [
                        .value(.bool(t.mayCreate)), .value(.array(t.drift.map { .string($0.attribute) })),
                        Self.textCell(t.graceEndsAt?.rfc3339),
                    ]
                }
                return row
            }
        case .groups:
            return StateTable(columns: ["object", "kind", "display_name", "pushed", "members", "attributes"], count: references.count) { index in
                let reference = references[index]
                let object = objects[reference]!
                let t = targets?[reference]
                return [
                    .value(.string(reference.description)), Self.textCell(object.subtype), Self.textCell(object.displayName),
                    .value(.bool(object.pushed)), .value(.int(Int64((t?.members ?? object.members).count))),
                    .attributes(t?.attributes ?? object.attributes),
                ]
            }
        case .contacts, .resources:
            return StateTable(columns: ["object", "kind", "display_name", "mail", "attributes"], count: references.count) { index in
                let reference = references[index]
                let object = objects[reference]!
                let t = targets?[reference]
                return [
                    .value(.string(reference.description)), Self.textCell(object.subtype), Self.textCell(object.displayName),
                    Self.textCell(object.mail), .attributes(t?.attributes ?? object.attributes),
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

    /// A text cell of a row of cells.
    private static func textCell(_ value: String?) -> StateTable.Cell { .value(text(value)) }
}
