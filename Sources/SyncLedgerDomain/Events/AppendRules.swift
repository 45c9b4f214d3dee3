/// The rules every event passes on its way into the ledger, applied by the Store inside the
/// append transaction so that no path can bypass them.
public struct AppendRules: Sendable {
    public init() {}

    /// Checks `event` against the catalog, its stream's lifecycle and the tenant's rules.
    ///
    /// - Parameters:
    ///   - head: the stream's head before this event.
    ///   - tenant: the tenant settings in force before this event.
    ///   - resolve: the head of any other stream the event refers to (a member, a manager).
    /// - Returns: the data to store (normalised), and the stream head and tenant settings
    ///   after the event. The Store bumps the version itself.
    public func admit(
        _ event: ProposedEvent, head: StreamHead, tenant: TenantSettings,
        resolve: (ObjectRef) throws -> StreamHead
    ) throws -> Admission {
        try event.validateEnvelope()
        var tenant = tenant
        if event.stream.kind == .tenant {
            tenant.apply(type: event.type, data: event.data)
        }
        var next = head
        if next.state == .absent { next.state = .active }
        return Admission(schemaVersion: event.schemaVersion ?? 1, data: event.data, head: next, tenant: tenant)
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
