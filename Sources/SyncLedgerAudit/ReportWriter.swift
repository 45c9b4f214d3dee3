public import SyncLedgerDomain
public import SyncLedgerProjection
import SyncLedgerReplay
public import SyncLedgerStore

/// Produces reports as rows of named columns, handing them over one at a time so a large
/// export does not hold its result in memory (the current-state reports read the
/// directory tables through a cursor).
public struct ReportWriter {
    public var ledger: Ledger

    public init(ledger: Ledger) {
        self.ledger = ledger
    }

    /// Options a report may use.
    public struct Options: Sendable {
        public var point: PointInTime = .now
        /// Show the target state under this mode (users, licenses, groups, memberships,
        /// contacts, resources).
        public var mode: ProvisioningMode?
        public var since: Timestamp?
        public var until: Timestamp?

        public init(point: PointInTime = .now, mode: ProvisioningMode? = nil, since: Timestamp? = nil, until: Timestamp? = nil) {
            self.point = point
            self.mode = mode
            self.since = since
            self.until = until
        }
    }

    /// The report's columns.
    public static func columns(_ name: ReportName) -> [String] {
        switch name {
        case .users:
            return ["object", "user_principal_name", "display_name", "given_name", "surname", "department", "job_title", "usage_location", "enabled", "licenses", "roles"]
        case .licenses: return ["sku_id", "assigned", "users"]
        case .groups: return ["object", "kind", "display_name", "mail_nickname", "pushed", "members"]
        case .memberships: return ["group", "group_name", "member", "member_name"]
        case .contacts: return ["object", "display_name", "external_email_address", "company_name"]
        case .resources: return ["object", "kind", "display_name", "alias", "capacity"]
        case .changes: return ["at", "actor", "source", "object", "object_name", "action", "attribute", "old", "new", "status", "seq"]
        case .actors: return ["actor", "changes", "events", "objects", "sources", "first_at", "last_at"]
        case .commands: return ["id", "operation", "object", "target", "status", "error", "run", "first_seq", "last_seq", "actors", "destructive"]
        case .drift: return ["object", "object_name", "attribute", "observed", "source_value", "seen_seq", "actor", "outcome"]
        case .notPushable: return ["kind", "attribute", "objects", "reason"]
        }
    }

    /// Writes report `name`: `row` is called once per row, with one value per column.
    public func write(_ name: ReportName, options: Options = Options(), row: ([JSONValue]) throws -> Void) throws {
        switch name {
        case .users, .groups, .contacts, .resources, .memberships, .licenses:
            try writeState(name, options: options, row: row)
        case .changes:
            let query = AuditQuery(since: options.since, until: options.until)
            try AuditTrail(ledger: ledger).forEachChange(matching: query) { change in
                try row(Array(change.values.prefix(10)) + [.int(change.seq)])
            }
        case .actors:
            try writeActors(options: options, row: row)
        case .commands:
            // Streamed: a run of 100,000 users journals as many commands.
            try ledger.forEachJournalEntry { entry in
                try row([
                    .string(entry.commandID), .string(entry.operation), .string(entry.stream), .string(entry.target),
                    .string(entry.result?.status.rawValue ?? "pending"), entry.result?.error.map(JSONValue.string) ?? .null,
                    .int(entry.runID), .int(entry.firstSeq), .int(entry.lastSeq), .array(entry.actors.map(JSONValue.string)),
                    .bool(entry.destructive),
                ])
            }
        case .drift:
            try writeDrift(options: options, row: row)
        case .notPushable:
            let plan = try Replayer(ledger: ledger).plan(mode: options.mode)
            for item in plan.notPushable {
                try row([.string(item.kind.rawValue), .string(item.attribute), .int(Int64(item.objects)), .string(item.reason)])
            }
        }
    }

    // MARK: - State reports

    private func writeState(_ name: ReportName, options: Options, row: ([JSONValue]) throws -> Void) throws {
        let kind: ObjectKind = switch name {
        case .users, .licenses: .user
        case .groups, .memberships: .group
        case .contacts: .contact
        default: .resource
        }
        if options.point == .now, options.mode == nil {
            // Current directory state: streamed from the tables, in the same order as below
            // (a kind's key range is in anchor order), without the whole directory in memory.
            try DirectoryProjector(ledger: ledger).catchUp()
            switch name {
            case .licenses:
                var bySKU: [String: [String]] = [:]
                try ledger.forEachDirectoryObject(kind: .user) { object in
                    guard object.exists else { return }
                    for sku in object.licenses.keys { bySKU[sku, default: []].append(object.userPrincipalName ?? object.reference.description) }
                }
                try Self.writeLicenses(bySKU, row: row)
            case .memberships:
                // The members' names first (a member may be of any kind, or deleted since).
                let names = try ledger.directoryObjectNames()
                try ledger.forEachDirectoryObject(kind: .group) { group in
                    guard group.exists else { return }
                    try Self.writeMembers(of: group, group.members, names: { names[$0.description] }, row: row)
                }
            default:
                try ledger.forEachDirectoryObject(kind: kind) { object in
                    guard object.exists else { return }
                    try row(Self.values(name, object: object, target: nil))
                }
            }
            return
        }
        let snapshot = try DirectoryProjector(ledger: ledger).snapshot(at: options.point)
        let targets: [ObjectRef: TargetObject]? = options.mode.map { snapshot.targets(mode: $0) }
        let objects = snapshot.existing(kind).filter { targets == nil || targets?[$0.reference] != nil }
        switch name {
        case .licenses:
            var bySKU: [String: [String]] = [:]
            for object in objects {
                for sku in (targets?[object.reference]?.licenses ?? object.licenses).keys {
                    bySKU[sku, default: []].append(object.userPrincipalName ?? object.reference.description)
                }
            }
            try Self.writeLicenses(bySKU, row: row)
        case .memberships:
            let names = { (member: ObjectRef) in snapshot.objects[member].flatMap { $0.userPrincipalName ?? $0.displayName } }
            for group in objects {
                try Self.writeMembers(of: group, targets?[group.reference]?.members ?? group.members, names: names, row: row)
            }
        default:
            for object in objects { try row(Self.values(name, object: object, target: targets?[object.reference])) }
        }
    }

    /// The licenses report's rows: each SKU with its users, sorted.
    private static func writeLicenses(_ bySKU: [String: [String]], row: ([JSONValue]) throws -> Void) throws {
        for sku in bySKU.keys.sorted() {
            let users = bySKU[sku]!.sorted()
            try row([.string(sku), .int(Int64(users.count)), .array(users.map(JSONValue.string))])
        }
    }

    /// The memberships report's rows of one group: each member, sorted, with its name.
    private static func writeMembers(
        of group: DirectoryObject, _ members: Set<String>, names: (ObjectRef) -> String?, row: ([JSONValue]) throws -> Void
    ) throws {
        for member in members.sorted() {
            let name = (try? ObjectRef(parsing: member)).flatMap(names)
            try row([
                .string(group.reference.description), group.displayName.map(JSONValue.string) ?? .null, .string(member),
                name.map(JSONValue.string) ?? .null,
            ])
        }
    }

    static func values(_ name: ReportName, object: DirectoryObject, target: TargetObject?) -> [JSONValue] {
        func attribute(_ key: String) -> JSONValue { (target.map { $0.attributes[key] } ?? object.attributes[key]) ?? .null }
        switch name {
        case .users:
            return [
                .string(object.reference.description), object.userPrincipalName.map(JSONValue.string) ?? .null, attribute("displayName"),
                attribute("givenName"), attribute("surname"), attribute("department"), attribute("jobTitle"), attribute("usageLocation"),
                .bool(target?.enabled ?? object.enabled), .array((target?.licenses ?? object.licenses).keys.sorted().map(JSONValue.string)),
                .array((target?.roles ?? object.roles).sorted().map(JSONValue.string)),
            ]
        case .groups:
            return [
                .string(object.reference.description), object.subtype.map(JSONValue.string) ?? .null, attribute("displayName"),
                attribute("mailNickname"), .bool(object.pushed), .int(Int64((target?.members ?? object.members).count)),
            ]
        case .contacts:
            return [.string(object.reference.description), attribute("displayName"), attribute("externalEmailAddress"), attribute("companyName")]
        default:
            return [
                .string(object.reference.description), object.subtype.map(JSONValue.string) ?? .null, attribute("displayName"), attribute("alias"),
                attribute("capacity"),
            ]
        }
    }

    // MARK: - Activity reports

    private func writeActors(options: Options, row: ([JSONValue]) throws -> Void) throws {
        struct Tally {
            var changes = 0
            var events = Set<Int64>()
            var objects = Set<String>()
            var sources = Set<String>()
            var first = ""
            var last = ""

            mutating func record(_ change: AuditRow) {
                changes += 1
                events.insert(change.seq)
                objects.insert(change.object.description)
                sources.insert(change.source)
                if first.isEmpty || change.occurredAt < first { first = change.occurredAt }
                if change.occurredAt > last { last = change.occurredAt }
            }
        }
        var tallies: [String: Tally] = [:]
        try AuditTrail(ledger: ledger).forEachChange(matching: AuditQuery(since: options.since, until: options.until)) { change in
            // Changed in place: a copy taken out of the dictionary and written back shared its
            // sets with the one left in it, so every insert copied them whole (the actors of a
            // 1M log took 14 minutes).
            tallies[change.actor, default: Tally()].record(change)
        }
        for actor in tallies.keys.sorted() {
            let tally = tallies[actor]!
            try row([
                .string(actor), .int(Int64(tally.changes)), .int(Int64(tally.events.count)), .int(Int64(tally.objects.count)),
                .array(tally.sources.sorted().map(JSONValue.string)), .string(tally.first), .string(tally.last),
            ])
        }
    }

    private func writeDrift(options: Options, row: ([JSONValue]) throws -> Void) throws {
        let plan = try? Replayer(ledger: ledger).plan(mode: options.mode)
        let reverting = Set((plan?.commands ?? []).filter { $0.note == "reverts an edit made in Office 365" }.map(\.stream))
        if options.point == .now {
            // Current directory state: streamed from the tables, kind by kind in the order of
            // their names (the references' order below), without the whole directory in memory.
            try DirectoryProjector(ledger: ledger).catchUp()
            let policy = TargetPolicy(settings: try ledger.tenantSettings(), mode: options.mode, at: ledger.clock.now())
            for kind in ObjectKind.directoryKinds.sorted(by: { $0.rawValue < $1.rawValue }) {
                try ledger.forEachDirectoryObject(kind: kind) { object in
                    try Self.writeDrift(of: object, policy: policy, reverting: reverting, row: row)
                }
            }
            return
        }
        let snapshot = try DirectoryProjector(ledger: ledger).snapshot(at: options.point)
        let policy = TargetPolicy(settings: snapshot.tenant, mode: options.mode, at: snapshot.asOf)
        for object in snapshot.objects.values.sorted(by: { $0.reference < $1.reference }) {
            try Self.writeDrift(of: object, policy: policy, reverting: reverting, row: row)
        }
    }

    /// The drift report's rows of one object: each edit seen in Office 365, and what became of it.
    private static func writeDrift(
        of object: DirectoryObject, policy: TargetPolicy?, reverting: Set<ObjectRef>, row: ([JSONValue]) throws -> Void
    ) throws {
        for name in object.directEdits.keys.sorted() {
            let edit = object.directEdits[name]!
            let outcome: String
            if policy?.allowsDirectEdits == true {
                outcome = "accepted: \(policy!.mode.rawValue) lets edits in Office 365 stand"
            } else if reverting.contains(object.reference) {
                outcome = "revert planned"
            } else if edit.value == object.attributes[name] {
                outcome = "matches the source"
            } else {
                outcome = "reverted or not synced in this mode"
            }
            try row([
                .string(object.reference.description), (object.userPrincipalName ?? object.displayName).map(JSONValue.string) ?? .null,
                .string(name), edit.value ?? .null, object.attributes[name] ?? .null, .int(edit.seq), .string(edit.actor), .string(outcome),
            ])
        }
    }
}
