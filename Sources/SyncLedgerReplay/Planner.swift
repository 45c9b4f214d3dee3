public import SyncLedgerDomain
public import SyncLedgerProjection
import SyncLedgerStore

/// Turns the gap between the target state and what Office 365 holds (the journal) into
/// the commands that close it, in dependency order, and nothing more.
///
/// Objects are planned one at a time as ``objects`` hands them over: a full plan streams
/// the directory state from cursors and holds no object or target beyond the one it plans
/// (groups' targets wait for their memberships, planned once every member's place in the
/// target is known).
public struct Planner {
    /// Calls `body` with each directory object and its target under `policy`
    /// (``Planner/target(of:policy:)``, pure: a source may work it out on the thread that
    /// read the object), one at a time, every object once, in any order (the plan does not
    /// depend on it).
    public typealias ObjectSource = (_ policy: TargetPolicy, _ body: (DirectoryObject, TargetObject?) throws -> Void) throws -> Void

    /// The tenant's name, part of every command id.
    public var tenant: String
    /// The tenant settings in force (their mode decides unless `mode` overrides).
    public var settings: TenantSettings
    /// The last seq of the directory state planned from.
    public var throughSeq: Int64
    /// The moment time rules (grace periods) are evaluated at.
    public var asOf: Timestamp
    /// The directory objects: every one for a full plan; for an incremental one, those in
    /// ``scope`` and their members (their place in the target, their Exchange identity).
    public var objects: ObjectSource
    public var office: OfficeState
    /// The objects to plan (nil: every object handed over and every object of the journal).
    public var scope: Set<ObjectRef>?
    /// The objects per destructive kind a percentage threshold is measured against; asked
    /// only when the plan has destructive commands.
    public var population: () throws -> [String: Int]

    public init(
        tenant: String, settings: TenantSettings, throughSeq: Int64, asOf: Timestamp, office: OfficeState,
        scope: Set<ObjectRef>? = nil, population: @escaping () throws -> [String: Int], objects: @escaping ObjectSource
    ) {
        self.tenant = tenant
        self.settings = settings
        self.throughSeq = throughSeq
        self.asOf = asOf
        self.objects = objects
        self.office = office
        self.scope = scope
        self.population = population
    }

    /// A planner over the objects of `snapshot`.
    public init(
        tenant: String, snapshot: DirectorySnapshot, office: OfficeState, scope: Set<ObjectRef>? = nil,
        population: @escaping () throws -> [String: Int]
    ) {
        self.init(
            tenant: tenant, settings: snapshot.tenant, throughSeq: snapshot.throughSeq, asOf: snapshot.asOf, office: office,
            scope: scope, population: population,
            objects: { policy, body in
                for reference in snapshot.objects.keys.sorted() {
                    let object = snapshot.objects[reference]!
                    try body(object, Planner.target(of: object, policy: policy))
                }
            })
    }

    /// The rules a plan under `mode` (the mode in force when nil) applies, nil when the
    /// tenant has no mode.
    public func policy(mode: ProvisioningMode? = nil) -> TargetPolicy? {
        TargetPolicy(settings: settings, mode: mode, at: asOf)
    }

    /// The target of `object` as the planner first sees it: a group's members all kept (they
    /// are filtered once every object's place is known), no other object's members.
    public static func target(of object: DirectoryObject, policy: TargetPolicy) -> TargetObject? {
        let isGroup = object.reference.kind == .group
        return TargetProjection.target(of: object, policy: policy, memberInTarget: { _ in isGroup })
    }

    // MARK: - Planning

    /// The plan under `mode` (the mode in force when nil). `allowedPlanHash`: the hash of a
    /// plan someone allowed to go past the destructive thresholds.
    public func plan(mode: ProvisioningMode? = nil, allowedPlanHash: String? = nil) throws -> Plan {
        guard let policy = policy(mode: mode) else {
            throw ReplayError(.noMode, "the tenant has no provisioning mode: run `syncledger mode set MODE --actor A`")
        }
        var work = Work(planner: self, policy: policy)
        var planned = 0
        // What every object contributes to the others: its place in the target (groups list
        // only members Office 365 can hold) and its Exchange identity.
        var placed: Set<String> = []
        var groups: [(reference: ObjectRef, target: TargetObject, trace: Work.Trace?)] = []
        var seenInJournal: Set<ObjectRef> = []
        // Users are most of a tenant, and their places and identities are only read for the
        // members of planned groups (identities: of distribution lists). They are kept aside,
        // without a hash each, and added once the loop knows whether any group is planned.
        var usersPlaced: [ObjectRef] = []
        var userIdentities: [(reference: ObjectRef, identity: String)] = []
        var listsPlanned = false
        try objects(policy) { object, target in
            let reference = object.reference
            if let identity = Work.exchangeIdentity(of: object) {
                if reference.kind == .user {
                    userIdentities.append((reference, identity))
                } else {
                    work.identities[reference.description] = identity
                }
            }
            if !office.objects.isEmpty, office.objects[reference] != nil { seenInJournal.insert(reference) }
            switch reference.kind {
            case .group:
                if object.exists, TargetProjection.isInScope(object, policy: policy) { placed.insert(reference.description) }
            case .user:
                if target != nil { usersPlaced.append(reference) }
            default:
                if target != nil { placed.insert(reference.description) }
            }
            guard scope?.contains(reference) ?? true, target != nil || office.objects[reference] != nil else { return }
            planned += 1
            work.plan(reference, target: target, object: object)
            if reference.kind == .group, let target {
                groups.append((reference, target, work.trace))
                if target.subtype != GroupKind.security.rawValue { listsPlanned = true }
            }
        }
        if !groups.isEmpty {
            for reference in usersPlaced { placed.insert(reference.description) }
        }
        if listsPlanned {
            for (reference, identity) in userIdentities { work.identities[reference.description] = identity }
        }
        // Objects only the journal knows (none in practice: deleted objects stay in the directory state).
        // (Sorted after the filter: a full plan after runs has an office object for most of
        // its 100,000 objects, and sorting them all showed as 5% of its time.)
        let journalOnly = office.objects.keys.filter { !seenInJournal.contains($0) && (scope?.contains($0) ?? true) }
        for reference in journalOnly.sorted() {
            planned += 1
            work.plan(reference, target: nil, object: nil)
        }
        work.waiting.sort { $0.stream < $1.stream }  // stable: an object's waits keep their order
        groups.sort { $0.reference < $1.reference }
        for (reference, target, trace) in groups {
            var target = target
            target.members = target.members.filter(placed.contains)
            work.trace = trace
            work.planMemberships(reference, target: target)
        }

        // Sorted in place (a full plan's 100,000 commands are not copied); stable, so the
        // order objects came in does not matter (each one's commands were added together).
        var commands = work.commands
        work.commands = []
        commands.sort { ($0.operation.rank, $0.stream, $0.operation.rawValue) < ($1.operation.rank, $1.stream, $1.operation.rawValue) }
        var counts: [String: Int] = [:]
        for index in commands.indices { if let kind = commands[index].destructiveKind { counts[kind, default: 0] += 1 } }
        var plan = Plan(
            baseSeq: throughSeq, mode: policy.mode, isPreview: mode != nil && mode != settings.mode,
            commands: commands, heldBack: [], destructiveCounts: counts, waiting: work.waiting,
            notPushable: work.notPushable.keys.sorted { ($0.kind.rawValue, $0.attribute) < ($1.kind.rawValue, $1.attribute) }.map {
                Plan.NotPushable(kind: $0.kind, attribute: $0.attribute, reason: work.notPushable[$0]!.reason, objects: work.notPushable[$0]!.count)
            },
            retries: office.failures.isEmpty
                ? []
                : commands.compactMap { command in
                    office.failures[command.id].map { Plan.Retry(commandID: command.id, status: $0.status.rawValue, error: $0.error) }
                })
        plan.scope.objectsPlanned = planned
        plan.asOf = asOf
        let threshold = settings.destructiveThreshold
        let population = counts.isEmpty ? [:] : try population()
        let exceeded = Set(counts.filter { threshold.isExceeded(by: $0.value, of: population[$0.key] ?? 0) }.keys)
        if !exceeded.isEmpty && allowedPlanHash != plan.hash {
            plan.heldBack = commands.filter { $0.destructiveKind.map(exceeded.contains) ?? false }
            commands.removeAll { $0.destructiveKind.map(exceeded.contains) ?? false }
            plan.commands = commands
        }
        return plan
    }
}

// MARK: - Addresses

extension Planner {
    /// The mail nickname derived from `address`: what comes before its first "@" (all of it
    /// when there is none; what follows the leading ones when it starts with "@").
    static func localPart(of address: String) -> String {
        let utf8 = address.utf8
        guard let at = utf8.firstIndex(of: UInt8(ascii: "@")) else { return address }
        if at == utf8.startIndex {
            // "@x@y": split drops the empty piece and gives "x".
            return String(address.split(separator: "@").first ?? Substring(address))
        }
        return String(address[..<at])
    }
}

// MARK: - Population

extension Planner {
    /// Adds `objects` of one kind and subtype (and, for groups, their member slots: the sum
    /// of max(1, member count)) to the destructive kinds they count for.
    public static func add(kind: ObjectKind, subtype: String?, objects: Int, memberSlots: Int, to population: inout [String: Int]) {
        switch kind {
        case .user:
            for name in ["user-delete", "user-block", "license-removal", "role-removal"] { population[name, default: 0] += objects }
        case .group:
            population["membership-removal", default: 0] += memberSlots
            population[subtype == GroupKind.security.rawValue ? "group-delete" : "list-delete", default: 0] += objects
        case .contact: population["contact-delete", default: 0] += objects
        case .resource: population["mailbox-delete", default: 0] += objects
        case .tenant: break
        }
    }
}

// MARK: - Per object

/// The mutable state of one planning pass.
private struct Work {
    /// What made the object being planned, from the directory state: the events folded
    /// into it (first and last seq) and their actors.
    struct Trace {
        let stream: ObjectRef
        let firstSeq: Int64
        let lastSeq: Int64
        let actors: [String]
    }

    let planner: Planner
    let policy: TargetPolicy
    /// The trace of the object whose commands are being added, when it was traced.
    var trace: Trace?
    var commands: [Command] = []
    var waiting: [Plan.Waiting] = []
    /// How Exchange Online names each object seen so far, by `kind:anchor`.
    var identities: [String: String] = [:]
    /// Per kind and attribute: the reason (the first object's in stream order, whatever
    /// order the objects come in), how many objects, and that first object.
    var notPushable: [Pair: (reason: String, count: Int, first: ObjectRef)] = [:]

    struct Pair: Hashable {
        let kind: ObjectKind
        let attribute: String
        init(_ kind: ObjectKind, _ attribute: String) {
            self.kind = kind
            self.attribute = attribute
        }
    }

    init(planner: Planner, policy: TargetPolicy) {
        self.planner = planner
        self.policy = policy
    }

    var office: OfficeState { planner.office }

    /// Plans one object's own commands (its memberships come later).
    mutating func plan(_ stream: ObjectRef, target: TargetObject?, object: DirectoryObject?) {
        trace = object.flatMap { object in
            object.actors.map { Trace(stream: stream, firstSeq: object.firstSeq, lastSeq: object.lastSeq, actors: $0) }
        }
        switch stream.kind {
        case .user: planUser(stream, target: target, object: object)
        case .group: planGroup(stream, target: target, object: object)
        case .contact, .resource: planRecipient(stream, target: target, object: object)
        case .tenant: break
        }
    }

    /// Adds a command. Its causes are the stream's events after the last run that sent it
    /// anything: the object's trace gives them when that run sent nothing or came after
    /// every event; otherwise ``Replayer`` fills them in (`lastSeq` 0 marks them unfilled).
    mutating func add(_ stream: ObjectRef, _ operation: CommandOperation, _ body: JSONValue, destructive: String? = nil, note: String? = nil) {
        add(stream, operation, canonicalBody: body.canonicalBytes, destructive: destructive, note: note)
    }

    /// Adds a command whose body is already canonical JSON.
    mutating func add(_ stream: ObjectRef, _ operation: CommandOperation, canonicalBody: [UInt8], destructive: String? = nil, note: String? = nil) {
        let covered = office.objects.isEmpty ? 0 : office.objects[stream]?.coveredSeq ?? 0
        commands.append(
            Command(
                tenant: planner.tenant, stream: stream, operation: operation, canonicalBody: canonicalBody,
                causes: causes(of: stream, after: covered), mode: policy.mode, destructiveKind: destructive, note: note))
    }

    /// The causes of a command on `stream` whose events after `covered` are new to Office
    /// 365: from the trace, every event folded when nothing was sent before (a first plan's
    /// every command), none when nothing was folded since; else unfilled (`lastSeq` 0).
    func causes(of stream: ObjectRef, after covered: Int64) -> Command.Causes {
        if let trace, trace.stream == stream {
            if covered == 0 { return Command.Causes(firstSeq: trace.firstSeq, lastSeq: trace.lastSeq, actors: trace.actors) }
            if trace.lastSeq <= covered { return Command.Causes(firstSeq: covered, lastSeq: covered, actors: []) }
        }
        return Command.Causes(firstSeq: covered, lastSeq: 0, actors: [])
    }

    mutating func wait(_ stream: ObjectRef, _ operation: CommandOperation, _ reason: String) {
        waiting.append(Plan.Waiting(stream: stream, operation: operation, reason: reason))
    }

    mutating func markNotPushable(_ stream: ObjectRef, _ attribute: String, _ reason: String) {
        let key = Pair(stream.kind, attribute)
        guard let known = notPushable[key] else { return notPushable[key] = (reason, 1, stream) }
        notPushable[key] = stream < known.first ? (reason, known.count + 1, stream) : (known.reason, known.count + 1, known.first)
    }

    /// What Office 365 holds for an attribute: the sent value, unless an edit made there
    /// after it was sent says otherwise (drift).
    func held(_ name: String, sent: OfficeState.Object, object: DirectoryObject?) -> (value: JSONValue?, edited: Bool) {
        // Nothing sent and no edit seen (every object of a first plan): no lookup.
        let value = sent.attributes.isEmpty ? nil : sent.attributes[name]
        if let edits = object?.directEdits, !edits.isEmpty, let edit = edits[name], edit.seq > (value?.seq ?? 0) { return (edit.value, true) }
        return (value?.value, false)
    }

    /// The attributes of `target` split by route, with differences against what is held.
    mutating func attributeChanges(_ stream: ObjectRef, target: AttributeMap, sent: OfficeState.Object, create: Bool, object: DirectoryObject?)
        -> (graph: (set: AttributeMap, unset: [String]), exchange: (set: AttributeMap, unset: [String]), reverts: Bool)
    {
        // Names come in order: each set grows at its end.
        var graph: (AttributeMap, [String]) = ([:], [])
        var exchange: (AttributeMap, [String]) = ([:], [])
        var reverts = false
        // A create sets what the target holds (its members, in order, with no lookup); an
        // update also clears what was sent and is no longer wanted.
        let names = create ? [] : Set(target.keys).union(sent.attributes.keys).sorted()
        if create { graph.0.reserveCapacity(target.count) }
        for position in 0..<(create ? target.count : names.count) {
            let (name, wanted) = create ? (target[position].key, Optional(target[position].value)) : (names[position], target[names[position]])
            guard name != "manager", let attribute = AttributeCatalog.attribute(named: name, for: stream.kind), !attribute.isSiteSpecific else { continue }
            let (held, edited) = held(name, sent: sent, object: object)
            if create ? wanted == nil : wanted == held { continue }
            if !create, attribute.isReadOnlyAfterCreate(in: policy.mode) {
                markNotPushable(stream, name, "set at creation only in \(policy.mode.rawValue)")
                continue
            }
            let route = stream.kind == .group ? attribute.route(for: GroupKind(rawValue: object?.subtype ?? "") ?? .security) : attribute.route
            if edited { reverts = true }
            switch route {
            case .notWritable(let reason):
                if wanted != nil { markNotPushable(stream, name, reason) }
            case .exchange:
                if let wanted { exchange.0[name] = wanted } else { exchange.1.append(name) }
            case .graph:
                if let wanted { graph.0[name] = wanted } else { graph.1.append(name) }
            case .graphReference(let path):
                // A user's manager has its own command (planManager); a security group's owners
                // would need POST .../owners/$ref, which is not emitted: listed, never re-planned.
                if wanted != nil { markNotPushable(stream, name, "written through \(path), which syncledger does not emit yet") }
            }
        }
        return (graph, exchange, reverts)
    }

    static func changes(_ set: AttributeMap, _ unset: [String]) -> JSONValue {
        ["set": set.json, "unset": .array(unset.map(JSONValue.string))]
    }

    /// `primary` with the members of `secondary` it does not have.
    static func merged(_ primary: AttributeMap, _ secondary: AttributeMap) -> AttributeMap {
        var merged = primary
        for (name, value) in secondary where merged[name] == nil { merged[name] = value }
        return merged
    }

    // MARK: Users

    mutating func planUser(_ stream: ObjectRef, target: TargetObject?, object: DirectoryObject?) {
        let sent = office[stream]
        guard let target else {
            if sent.exists { add(stream, .userDelete, ["address": sent.address.map(JSONValue.string) ?? .null], destructive: "user-delete") }
            return
        }
        let address = target.userPrincipalName ?? stream.anchor
        var exists = sent.exists
        if !sent.exists, target.mayCreate {
            let changes = attributeChanges(stream, target: target.attributes, sent: sent, create: true, object: object)
            var attributes = changes.graph.set
            attributes["userPrincipalName"] = .string(address)
            // Graph requires these at creation; when the source has none they are derived, and
            // kept apart so the journal does not claim the source sent them.
            var defaults: AttributeMap = [:]
            if attributes["displayName"] == nil { defaults["displayName"] = .string(address) }
            if attributes["mailNickname"] == nil {
                defaults["mailNickname"] = .string(Planner.localPart(of: address))
            }
            // Every user of a first plan: written in canonical order, without a tree.
            var body = CanonicalObjectWriter()
            body.member("accountEnabled", .bool(target.enabled))
            body.member("address", .string(address))
            body.member("attributes", attributes)
            body.member("defaults", defaults)
            if Self.isValidImmutableID(stream.anchor) { body.member("onPremisesImmutableId", .string(stream.anchor)) }
            add(stream, .userCreate, canonicalBody: body.bytes)
            if !changes.exchange.set.isEmpty {
                add(stream, .userMailboxUpdate, Self.changes(changes.exchange.set, []).setting("address", .string(address)))
            }
            exists = true
        } else if sent.exists {
            let changes = attributeChanges(stream, target: target.attributes, sent: sent, create: false, object: object)
            let note = changes.reverts ? "reverts an edit made in Office 365" : nil
            if !changes.graph.set.isEmpty || !changes.graph.unset.isEmpty {
                var body = Self.changes(changes.graph.set, changes.graph.unset)
                body = body.setting("address", .string(sent.address ?? address))
                add(stream, .userUpdate, body, note: note)
            }
            if !changes.exchange.set.isEmpty || !changes.exchange.unset.isEmpty {
                add(stream, .userMailboxUpdate, Self.changes(changes.exchange.set, changes.exchange.unset).setting("address", .string(address)), note: note)
            }
            if target.enabled != sent.enabled {
                add(stream, target.enabled ? .userUnblock : .userBlock, ["address": .string(address)], destructive: target.enabled ? nil : "user-block")
            }
        } else if !target.enabled, sent.enabled {
            // licenses-roles: the user already exists in Office 365, matched by UPN.
            add(stream, .userBlock, ["address": .string(address)], destructive: "user-block")
        }
        planManager(stream, target: target, sent: sent, exists: exists, object: object)
        planLicenses(stream, target: target, sent: sent, address: address)
        planRoles(stream, target: target, sent: sent)
    }

    mutating func planManager(_ stream: ObjectRef, target: TargetObject, sent: OfficeState.Object, exists: Bool, object: DirectoryObject?) {
        guard AttributeCatalog.attribute(named: "manager", for: .user)?.isSynced(in: policy.mode) == true else { return }
        let wanted = target.attributes["manager"]
        let (held, edited) = held("manager", sent: sent, object: object)
        guard wanted != held else { return }
        guard let userID = sent.objectID else {
            if exists { wait(stream, .userManager, "the user's Office 365 id is not known yet (created in this or a pending run)") }
            return
        }
        var body: JSONValue = ["manager": wanted ?? .null, "userId": .string(userID)]
        if let manager = wanted?.stringValue, let reference = try? ObjectRef(parsing: manager) {
            guard let managerID = office.objects[reference]?.objectID else {
                wait(stream, .userManager, "the manager's Office 365 id is not known yet")
                return
            }
            body = body.setting("managerId", .string(managerID))
        }
        add(stream, .userManager, body, note: edited ? "reverts an edit made in Office 365" : nil)
    }

    mutating func planLicenses(_ stream: ObjectRef, target: TargetObject, sent: OfficeState.Object, address: String) {
        guard target.licenses != sent.licenses else { return }
        let add = target.licenses.keys.sorted().filter { target.licenses[$0] != sent.licenses[$0] }.map { sku -> JSONValue in
            ["skuId": .string(sku), "disabledPlans": .array(target.licenses[sku]!.map(JSONValue.string))]
        }
        let remove = sent.licenses.keys.sorted().filter { target.licenses[$0] == nil }.map(JSONValue.string)
        if !add.isEmpty, target.attributes["usageLocation"] == nil, sent.attributes["usageLocation"] == nil, policy.mode != .licensesRoles {
            wait(stream, .userLicenses, "usageLocation must be set before licenses are assigned")
            return
        }
        self.add(
            stream, .userLicenses, ["address": .string(sent.address ?? address), "add": .array(add), "remove": .array(remove)],
            destructive: remove.isEmpty ? nil : "license-removal")
    }

    mutating func planRoles(_ stream: ObjectRef, target: TargetObject, sent: OfficeState.Object) {
        for role in target.roles.sorted() where sent.roles[role] == nil {
            guard let principal = sent.objectID else {
                wait(stream, .roleAssign, "the user's Office 365 id is not known yet (a role assignment needs it)")
                continue
            }
            add(stream, .roleAssign, ["roleDefinitionId": .string(role), "principalId": .string(principal)])
        }
        for (role, assignment) in sent.roles.sorted(by: { $0.key < $1.key }) where !target.roles.contains(role) {
            guard let assignment = assignment ?? nil else {
                wait(stream, .roleRevoke, "the role assignment's id is not known yet")
                continue
            }
            add(stream, .roleRevoke, ["roleDefinitionId": .string(role), "assignmentId": .string(assignment)], destructive: "role-removal")
        }
    }

    // MARK: Groups

    mutating func planGroup(_ stream: ObjectRef, target: TargetObject?, object: DirectoryObject?) {
        let sent = office[stream]
        let kind = GroupKind(rawValue: target?.subtype ?? object?.subtype ?? "") ?? .security
        guard let target else {
            guard sent.exists else { return }
            if object?.exists == true, object?.leftInTarget == true { return }  // push off: left in Office 365
            if kind == .security {
                guard let id = sent.objectID else { return wait(stream, .groupDelete, "the group's Office 365 id is not known yet") }
                add(stream, .groupDelete, ["groupId": .string(id)], destructive: "group-delete")
            } else {
                add(stream, .listDelete, ["address": .string(sent.address ?? stream.anchor)], destructive: "list-delete")
            }
            return
        }
        let changes = attributeChanges(stream, target: target.attributes, sent: sent, create: !sent.exists, object: object)
        let address = target.attributes["mailNickname"]?.stringValue ?? stream.anchor
        if kind == .security {
            if !sent.exists || !changes.graph.set.isEmpty || !changes.graph.unset.isEmpty {
                // The upsert is set-to-state: it carries every managed attribute.
                let attributes = target.attributes.filter {
                    if case .graph = AttributeCatalog.attribute(named: $0.key, for: .group)?.route ?? .notWritable(reason: "") { return true }
                    return false
                }
                add(stream, .groupUpsert, ["uniqueName": .string(stream.anchor), "attributes": attributes.json, "address": .string(address)])
            }
        } else if !sent.exists {
            let attributes = Self.merged(changes.exchange.set, changes.graph.set)
            add(stream, .listCreate, ["kind": .string(kind.rawValue), "attributes": attributes.json, "address": .string(address)])
        } else if !changes.exchange.set.isEmpty || !changes.exchange.unset.isEmpty {
            add(stream, .listUpdate, Self.changes(changes.exchange.set, changes.exchange.unset).setting("address", .string(sent.address ?? address)))
        }
    }

    mutating func planMemberships(_ stream: ObjectRef, target: TargetObject?) {
        guard let target else { return }
        let sent = office[stream]
        let kind = GroupKind(rawValue: target.subtype ?? "") ?? .security
        guard target.members != sent.members else { return }
        if kind != .security {
            let known = self.identities
            let identities = target.members.sorted().compactMap { member -> JSONValue? in
                guard let reference = try? ObjectRef(parsing: member) else { return nil }
                return known[reference.description].map { ["member": .string(member), "identity": .string($0)] }
            }
            let removals = sent.members.subtracting(target.members).count
            add(
                stream, .listMembers,
                ["address": .string(sent.address ?? target.attributes["mailNickname"]?.stringValue ?? stream.anchor),
                 "members": .array(target.members.sorted().map(JSONValue.string)), "identities": .array(identities)],
                destructive: removals > 0 ? "membership-removal" : nil)
            return
        }
        for member in target.members.subtracting(sent.members).sorted() {
            guard let groupID = sent.objectID else {
                wait(stream, .memberAdd, "the group's Office 365 id is not known yet (created in this or a pending run)")
                continue
            }
            guard let reference = try? ObjectRef(parsing: member), let memberID = office.objects[reference]?.objectID else {
                wait(stream, .memberAdd, "the member's Office 365 id is not known yet")
                continue
            }
            add(stream, .memberAdd, ["member": .string(member), "groupId": .string(groupID), "memberId": .string(memberID)])
        }
        for member in sent.members.subtracting(target.members).sorted() {
            guard let groupID = sent.objectID, let reference = try? ObjectRef(parsing: member),
                let memberID = office.objects[reference]?.objectID
            else {
                wait(stream, .memberRemove, "an Office 365 id is not known yet")
                continue
            }
            add(stream, .memberRemove, ["member": .string(member), "groupId": .string(groupID), "memberId": .string(memberID)], destructive: "membership-removal")
        }
    }

    /// How Exchange Online names a recipient.
    static func exchangeIdentity(of object: DirectoryObject) -> String? {
        switch object.reference.kind {
        case .user: return object.userPrincipalName
        case .contact: return object.attributes["mailNickname"]?.stringValue ?? object.attributes["externalEmailAddress"]?.stringValue
        case .resource: return object.attributes["alias"]?.stringValue
        case .group: return object.attributes["mailNickname"]?.stringValue
        case .tenant: return nil
        }
    }

    // MARK: Contacts and resource mailboxes

    mutating func planRecipient(_ stream: ObjectRef, target: TargetObject?, object: DirectoryObject?) {
        let sent = office[stream]
        let isContact = stream.kind == .contact
        guard let target else {
            if sent.exists {
                add(stream, isContact ? .contactDelete : .resourceDelete, ["address": .string(sent.address ?? stream.anchor)],
                    destructive: isContact ? "contact-delete" : "mailbox-delete")
            }
            return
        }
        let address = object.flatMap(Self.exchangeIdentity(of:)) ?? stream.anchor
        let changes = attributeChanges(stream, target: target.attributes, sent: sent, create: !sent.exists, object: object)
        let set = Self.merged(changes.exchange.set, changes.graph.set)
        if !sent.exists {
            var body: JSONValue = ["attributes": set.json, "address": .string(address)]
            if let subtype = target.subtype { body = body.setting("kind", .string(subtype)) }
            add(stream, isContact ? .contactCreate : .resourceCreate, body)
        } else if !set.isEmpty || !changes.exchange.unset.isEmpty {
            add(stream, isContact ? .contactUpdate : .resourceUpdate,
                Self.changes(set, changes.exchange.unset + changes.graph.unset).setting("address", .string(sent.address ?? address)),
                note: changes.reverts ? "reverts an edit made in Office 365" : nil)
        }
    }

    /// Whether an anchor can be sent as `onPremisesImmutableId` ("$" and "_" are refused).
    static func isValidImmutableID(_ anchor: String) -> Bool {
        // Bytes, not Characters: one scan of the buffer, on every user of a full plan.
        var anchor = anchor
        return anchor.withUTF8 { bytes in !bytes.contains { $0 == UInt8(ascii: "$") || $0 == UInt8(ascii: "_") } }
    }
}

extension JSONValue {
    /// This object with `key` set to `value`.
    func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members[key] = value
        return .object(members)
    }
}
