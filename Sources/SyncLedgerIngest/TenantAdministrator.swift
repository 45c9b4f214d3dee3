public import SyncLedgerDomain
public import SyncLedgerStore

/// Appends the tenant-wide events that commands make (init, mode and policy changes), with
/// ids minted from the injected clock and random source.
public struct TenantAdministrator {
    public var ledger: Ledger
    public var clock: any LedgerClock
    public var random: any RandomNumberGenerator

    public init(ledger: Ledger, clock: any LedgerClock, random: any RandomNumberGenerator) {
        self.ledger = ledger
        self.clock = clock
        self.random = random
    }

    /// Starts a tenant's log with `TenantInitialized`.
    ///
    /// - Throws: ``StoreError`` `.alreadyInitialized` when the ledger already holds events.
    @discardableResult
    public mutating func initialize(tenant name: String, data extra: [String: JSONValue] = [:], actor: String, source: String) throws -> AppendOutcome {
        var data = extra
        data["name"] = .string(name)
        let event = mintEvent(type: "TenantInitialized", data: .object(data), actor: actor, source: source)
        let ledger = ledger
        return try ledger.append { session in
            if !session.logWasEmpty {
                throw StoreError(.alreadyInitialized, "\(ledger.path) already holds events; it was initialised before")
            }
            return try session.append(event)
        }
    }

    /// Appends one tenant event made by a command.
    @discardableResult
    public mutating func record(type: String, data: [String: JSONValue], actor: String, source: String) throws -> AppendOutcome {
        let event = mintEvent(type: type, data: .object(data), actor: actor, source: source)
        return try ledger.append { session in try session.append(event) }
    }

    /// A tenant event with a fresh time-ordered id.
    public mutating func mintEvent(type: String, stream: ObjectRef = .tenant, data: JSONValue, actor: String, source: String) -> ProposedEvent {
        let now = clock.now()
        let id = EventID.mint(at: now, using: &random)
        return ProposedEvent(id: id, type: type, stream: stream, actor: actor, source: source, occurredAt: now, data: data)
    }
}
