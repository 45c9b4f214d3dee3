public import SyncLedgerDomain
import SyncLedgerProjection
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

    /// Appends one event made by a command (a tenant event unless `stream` says otherwise);
    /// the domain's rules check it like any other.
    @discardableResult
    public mutating func record(
        type: String, stream: ObjectRef = .tenant, data: [String: JSONValue], actor: String, source: String
    ) throws -> AppendOutcome {
        let event = mintEvent(type: type, stream: stream, data: .object(data), actor: actor, source: source)
        let outcome = try ledger.append { session in try session.append(event) }
        if case .alreadyRecorded(let id) = outcome {
            // A freshly minted id cannot be in the log unless the random source repeated itself.
            throw StoreError(.constraint, "minted event id \(id) is already recorded: the random source repeated; nothing was appended")
        }
        try DirectoryProjector(ledger: ledger).catchUp()
        return outcome
    }

    // MARK: - Tenant settings

    /// Chooses the provisioning mode (`ModeChanged`); refused when the seed's rules forbid it.
    @discardableResult
    public mutating func setMode(_ mode: ProvisioningMode, reason: String?, actor: String, source: String) throws -> AppendOutcome {
        var data: [String: JSONValue] = ["mode": .string(mode.rawValue)]
        if let reason { data["reason"] = .string(reason) }
        return try record(type: "ModeChanged", data: data, actor: actor, source: source)
    }

    /// Records the directory-sync tool the tenant runs (`DirectorySyncChanged`).
    @discardableResult
    public mutating func setDirectorySync(_ tool: DirectorySyncTool, actor: String, source: String) throws -> AppendOutcome {
        try record(type: "DirectorySyncChanged", data: ["tool": .string(tool.rawValue)], actor: actor, source: source)
    }

    /// Sets the deactivation policy (`DeactivationPolicySet`).
    @discardableResult
    public mutating func setDeactivation(
        _ option: DeactivationOption, graceDays: Int?, actor: String, source: String
    ) throws -> AppendOutcome {
        var data: [String: JSONValue] = ["option": .string(option.rawValue)]
        if let graceDays { data["graceDays"] = .int(Int64(graceDays)) }
        return try record(type: "DeactivationPolicySet", data: data, actor: actor, source: source)
    }

    /// Turns a tenant feature flag on or off (`FeatureFlagSet`).
    @discardableResult
    public mutating func setFeature(_ flag: String, enabled: Bool, actor: String, source: String) throws -> AppendOutcome {
        try record(type: "FeatureFlagSet", data: ["flag": .string(flag), "enabled": .bool(enabled)], actor: actor, source: source)
    }

    /// Starts or stops managing a security group through Group Push.
    @discardableResult
    public mutating func setGroupPush(
        _ group: ObjectRef, enabled: Bool, deleteInTarget: Bool = false, actor: String, source: String
    ) throws -> AppendOutcome {
        if enabled {
            return try record(type: "GroupPushEnabled", stream: group, data: [:], actor: actor, source: source)
        }
        return try record(
            type: "GroupPushDisabled", stream: group, data: ["deleteInTarget": .bool(deleteInTarget)], actor: actor,
            source: source)
    }

    /// A tenant event with a fresh time-ordered id.
    public mutating func mintEvent(type: String, stream: ObjectRef = .tenant, data: JSONValue, actor: String, source: String) -> ProposedEvent {
        let now = clock.now()
        let id = EventID.mint(at: now, using: &random)
        return ProposedEvent(id: id, type: type, stream: stream, actor: actor, source: source, occurredAt: now, data: data)
    }
}
