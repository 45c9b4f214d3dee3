/// The rules every event passes on its way into the ledger, applied by the Store inside the
/// append transaction so that no path can bypass them.
///
/// In order: the envelope; the type is in the catalog and belongs to the stream's kind; the
/// schema version is supported (older data is upcast); the data has its type's shape; the
/// event fits the stream's lifecycle; the objects it refers to exist; Group Push rules;
/// the tenant's mode and directory-sync rules. The first failure is thrown and nothing is
/// appended. It runs once per event on the ingest hot path.
public struct AppendRules: Sendable {
    public init() {}

    /// Checks `event` against the catalog, its stream's lifecycle and the tenant's rules.
    ///
    /// - Parameters:
    ///   - head: the stream's head before this event.
    ///   - tenant: the tenant settings in force before this event.
    ///   - resolve: the head of any other stream the event refers to (a member, a manager).
    /// - Returns: the data to store (normalised, at the current schema version), and the
    ///   stream head and tenant settings after the event. The Store bumps the version itself.
    ///   (The Store runs the rules in two parts, ``check(_:)`` and
    ///   ``admit(_:head:tenant:resolve:)-(CheckedEvent,_,_,_)``, with its duplicate and version
    ///   checks between them.)
    /// - Throws: ``DomainError`` (or whatever `resolve` throws).
    public func admit(
        _ event: ProposedEvent, head: StreamHead, tenant: TenantSettings, resolve: (ObjectRef) throws -> StreamHead
    ) throws -> Admission {
        try event.validateEnvelope()
        return try admit(Self.check(event), head: head, tenant: tenant, resolve: resolve)
    }

    /// The rules that need no ledger, in their order: the type is in the catalog and belongs
    /// to the stream's kind, the schema version is supported (older data is upcast), the
    /// data has its type's shape. Returns what they found, with the payload's canonical text.
    public static func check(_ event: ProposedEvent) throws(DomainError) -> CheckedEvent {
        guard let type = EventType.named(event.type) else {
            throw DomainError(
                .unknownEventType, field: "type",
                "unknown event type \"\(ObjectRef.redacted(event.type))\"; see the event catalog for the types of \(event.stream.kind.rawValue) streams"
            )
        }
        guard type.objectKind == event.stream.kind else {
            throw DomainError(
                .wrongStreamKind, field: "object",
                "\(type.rawValue) belongs to a \(type.objectKind.rawValue) stream, not to a \(event.stream.kind.rawValue) stream"
            )
        }
        let data = try EventUpcaster.upcast(
            event.data, type: type, from: event.schemaVersion ?? type.currentSchemaVersion)
        let validated = try EventDataValidator.validate(type, data: data, stream: event.stream)
        return CheckedEvent(type: type, validated: validated, payload: validated.data.canonicalString)
    }

    /// The rules that need the ledger, for an event ``check(_:)`` passed: the lifecycle of
    /// its stream (`head`), the objects it refers to (`resolve`), Group Push, the tenant.
    public func admit(
        _ checked: CheckedEvent, head: StreamHead, tenant: TenantSettings, resolve: (ObjectRef) throws -> StreamHead
    ) throws -> Admission {
        let (next, nextTenant) = try advance(checked, head: head, tenant: tenant, resolve: resolve)
        return Admission(schemaVersion: checked.type.currentSchemaVersion, data: checked.validated.data, head: next, tenant: nextTenant)
    }

    /// Runs the rules ``admit(_:head:tenant:resolve:)-(CheckedEvent,_,_,_)`` runs, and gives
    /// only the stream's head and the tenant settings after the event: for an append, which
    /// stores the checked event's own payload (the data put in an ``Admission`` is a copy,
    /// retained and released for every event of a bulk append).
    public func advance(
        _ checked: borrowing CheckedEvent, head: StreamHead, tenant: TenantSettings, resolve: (ObjectRef) throws -> StreamHead
    ) throws -> (head: StreamHead, tenant: TenantSettings) {
        let type = checked.type
        var next = try Self.nextHead(type, head: head, tenant: tenant, subtype: checked.validated.subtype)
        for reference in checked.validated.references {
            try Self.checkExists(reference, resolve(reference.target))
        }
        switch type {
        case .groupPushEnabled:
            try Self.checkGroupPush(head: head, tenant: tenant)
            next.pushed = true
        case .groupPushDisabled:
            guard head.pushed else {
                throw DomainError(
                    .lifecycleViolation, field: "type", "GroupPushDisabled needs a group that Group Push manages; this one is not pushed")
            }
            next.pushed = false
        default:
            break
        }
        var nextTenant = tenant
        if type.objectKind == .tenant {
            nextTenant = try Self.nextTenant(type, data: checked.validated.data, tenant: tenant)
        }
        return (next, nextTenant)
    }

    // MARK: - Lifecycle

    /// The head after `type`, or a `lifecycleViolation` when the event does not fit.
    static func nextHead(_ type: EventType, head: StreamHead, tenant: TenantSettings, subtype: String?)
        throws(DomainError) -> StreamHead
    {
        let effect = type.lifecycleEffect
        if effect == .configuresTenant, !tenant.isInitialized {
            throw DomainError(
                .lifecycleViolation, field: "type",
                "\(type.rawValue) needs an initialised tenant: record TenantInitialized first (syncledger init)")
        }
        if effect == .initializesTenant, head.version > 0 || tenant.isInitialized {
            throw DomainError(
                .lifecycleViolation, field: "type", "TenantInitialized is only allowed on an empty tenant stream")
        }
        guard let state = type.nextState(after: head.state) else {
            throw DomainError(.lifecycleViolation, field: "type", lifecycleMessage(type, state: head.state))
        }
        var next = head
        next.state = state
        switch effect {
        case .creates:
            next.subtype = subtype
            next.pushed = false
        case .deletes:
            next.pushed = false
        default:
            break
        }
        return next
    }

    private static func lifecycleMessage(_ type: EventType, state: StreamState) -> String {
        let kind = type.objectKind.rawValue
        switch (type.lifecycleEffect, state) {
        case (.creates, _):
            return "\(type.rawValue) needs a \(kind) that does not exist yet (or was deleted); this one exists"
        case (.deactivates, .inactive):
            return "UserDeactivated needs an active user; this one is already deactivated"
        case (.reactivates, .active):
            return "UserReactivated needs a deactivated user; this one is active"
        case (_, .deleted):
            return "\(type.rawValue) needs an existing \(kind); this one has been deleted and only a new create may follow"
        default:
            return "\(type.rawValue) needs an existing \(kind); this one has not been created"
        }
    }

    // MARK: - References

    private static func checkExists(_ reference: EventDataValidator.Reference, _ head: StreamHead) throws(DomainError) {
        if head.exists || (reference.allowsDeleted && head.state == .deleted) { return }
        let kind = reference.target.kind.rawValue
        let why = head.state == .deleted ? "has been deleted" : "does not exist"
        throw DomainError(
            .danglingReference, field: reference.field,
            "refers to a \(kind) that \(why) at this point of the log; create it first")
    }

    // MARK: - Group Push

    /// Group Push (seed note d): only security groups, and only in a mode that provisions users.
    static func checkGroupPush(head: StreamHead, tenant: TenantSettings) throws(DomainError) {
        let kind = head.subtype.flatMap(GroupKind.init(rawValue:))
        guard let kind, kind.isPushable else {
            throw DomainError(
                .groupPushRefused, field: "type",
                "refused: this group is a \(head.subtype ?? "group of unknown kind"); only security groups can be pushed: Microsoft Graph cannot write distribution lists or mail-enabled security groups"
            )
        }
        guard let mode = tenant.mode, mode.provisionsUsers else {
            let current = tenant.mode.map { "the tenant is in \($0.rawValue)" } ?? "the tenant has no mode yet"
            throw DomainError(
                .groupPushRefused, field: "type",
                "refused: Group Push needs a mode that provisions users (profile-sync, user-sync or universal-sync); \(current)"
            )
        }
        guard !head.pushed else {
            throw DomainError(.lifecycleViolation, field: "type", "GroupPushEnabled: Group Push already manages this group")
        }
    }

    // MARK: - Tenant

    /// The settings after a tenant event, refused when the seed's transition rules forbid it.
    static func nextTenant(_ type: EventType, data: JSONValue, tenant: TenantSettings) throws(DomainError)
        -> TenantSettings
    {
        var next = tenant
        next.apply(type: type.rawValue, data: data)
        switch type {
        case .tenantInitialized:
            try TenantRules.checkInitialization(mode: next.mode, directorySync: next.directorySync)
        case .modeChanged:
            if let mode = next.mode { try TenantRules.checkModeChange(to: mode, in: tenant) }
        case .directorySyncChanged:
            try TenantRules.checkDirectorySyncChange(to: next.directorySync, in: tenant)
        default:
            break
        }
        return next
    }
}

/// An event accepted by ``AppendRules``.
public struct Admission: Sendable {
    /// The schema version the data is stored under.
    public var schemaVersion: Int
    /// The data to store (canonicalised when it is encoded).
    public var data: JSONValue
    /// The stream's head after the event (the Store sets the version).
    public var head: StreamHead
    /// The tenant settings after the event.
    public var tenant: TenantSettings

    public init(schemaVersion: Int, data: JSONValue, head: StreamHead, tenant: TenantSettings) {
        self.schemaVersion = schemaVersion
        self.data = data
        self.head = head
        self.tenant = tenant
    }
}
