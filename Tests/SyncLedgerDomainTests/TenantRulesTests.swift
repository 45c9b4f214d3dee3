import SyncLedgerDomain
import Testing

@Suite("Tenant: mode and directory-sync transitions")
struct TenantRulesTests {
    static let modes = ProvisioningMode.allCases

    /// Expected outcome of `ModeChanged` from the row's mode (the tenant initialised in it,
    /// no directory-sync tool, no feature flag) to each column's mode, written from the seed:
    /// only "back to Profile Sync" after User Sync or Universal Sync is refused.
    static let withoutTool: [ProvisioningMode: [ProvisioningMode: Bool]] = [
        .licensesRoles: [.licensesRoles: true, .profileSync: true, .userSync: true, .universalSync: true],
        .profileSync: [.licensesRoles: true, .profileSync: true, .userSync: true, .universalSync: true],
        .userSync: [.licensesRoles: true, .profileSync: false, .userSync: true, .universalSync: true],
        .universalSync: [.licensesRoles: true, .profileSync: false, .userSync: true, .universalSync: true],
    ]

    @Test(arguments: modes, modes)
    func everyPairWithoutTool(from: ProvisioningMode, to: ProvisioningMode) throws {
        var ledger = MemoryLedger(mode: from)
        let refusal = ledger.refusal("ModeChanged", .tenant, ["mode": .string(to.rawValue), "reason": "test"])
        if Self.withoutTool[from]![to]! {
            #expect(refusal == nil, "\(from.rawValue) -> \(to.rawValue): \(refusal.map(String.init(describing:)) ?? "")")
            #expect(ledger.tenant.mode == to)
        } else {
            expectError(refusal, .transitionRefused, field: "data.mode")
            #expect(refusal?.message.contains("\"\(TenantRules.profileSyncRule)\"") == true)
            #expect(ledger.tenant.mode == from, "a refused change leaves the settings as they were")
        }
    }

    @Test(arguments: modes, modes)
    func everyPairWithGraphAPIFeature(from: ProvisioningMode, to: ProvisioningMode) throws {
        var ledger = MemoryLedger(mode: from)
        try ledger.append("FeatureFlagSet", .tenant, ["flag": "graph-api-feature", "enabled": true])
        #expect(ledger.refusal("ModeChanged", .tenant, ["mode": .string(to.rawValue)]) == nil)
        #expect(ledger.tenant.mode == to)
    }

    /// With a directory-sync tool on (so the tenant can only be in licenses-roles or
    /// profile-sync), user-sync and universal-sync are refused, the rest allowed.
    @Test(arguments: [DirectorySyncTool.dirsync, .aadSync, .aadConnect], [ProvisioningMode.licensesRoles, .profileSync])
    func everyTargetWithTool(tool: DirectorySyncTool, from: ProvisioningMode) throws {
        var ledger = MemoryLedger(mode: from, directorySync: tool)
        let expected: [ProvisioningMode: Bool] = [
            .licensesRoles: true, .profileSync: true, .userSync: false, .universalSync: false,
        ]
        for to in Self.modes {
            var copy = ledger
            let refusal = copy.refusal("ModeChanged", .tenant, ["mode": .string(to.rawValue)])
            if expected[to]! {
                #expect(refusal == nil, "\(tool.rawValue): \(from.rawValue) -> \(to.rawValue)")
            } else {
                expectError(refusal, .transitionRefused, field: "data.mode")
                #expect(
                    refusal?.message
                        == "refused: \"User Sync and Universal Sync cannot be used with DirSync, Azure Active Directory Sync, or Azure Active Directory Connect.\" (directory-sync tool \(tool.rawValue) is on)"
                )
            }
        }
        // The feature flag does not lift the directory-sync rule.
        try ledger.append("FeatureFlagSet", .tenant, ["flag": "graph-api-feature", "enabled": true])
        expectError(ledger.refusal("ModeChanged", .tenant, ["mode": "user-sync"]), .transitionRefused, field: "data.mode")
    }

    /// The lock survives a detour: user-sync -> licenses-roles -> profile-sync is refused.
    @Test func profileSyncLockSurvivesDetour() throws {
        var ledger = MemoryLedger(mode: .userSync)
        #expect(ledger.tenant.profileSyncLocked)
        try ledger.append("ModeChanged", .tenant, ["mode": "licenses-roles"])
        #expect(ledger.tenant.profileSyncLocked)
        expectError(ledger.refusal("ModeChanged", .tenant, ["mode": "profile-sync"]), .transitionRefused, field: "data.mode")
        try ledger.append("FeatureFlagSet", .tenant, ["flag": "graph-api-feature", "enabled": true])
        try ledger.append("ModeChanged", .tenant, ["mode": "profile-sync"])
        #expect(ledger.tenant.mode == .profileSync)
        // Turning the flag off again: the lock is back for the next change away and back.
        try ledger.append("FeatureFlagSet", .tenant, ["flag": "graph-api-feature", "enabled": false])
        try ledger.append("ModeChanged", .tenant, ["mode": "licenses-roles"])
        expectError(ledger.refusal("ModeChanged", .tenant, ["mode": "profile-sync"]), .transitionRefused, field: "data.mode")
    }

    /// The full cross product through ``TenantRules/refusal(choosing:in:)``, against the two
    /// rules stated independently.
    @Test(arguments: DirectorySyncTool.allCases, [false, true])
    func crossProduct(tool: DirectorySyncTool, graph: Bool) {
        let froms: [ProvisioningMode?] = [nil] + Self.modes
        for from in froms {
            for locked in [false, true] {
                let settings = TenantSettings(
                    name: "t", mode: from, directorySync: tool, graphAPIFeature: graph, profileSyncLocked: locked,
                    isInitialized: true)
                for to in Self.modes {
                    let refusal = TenantRules.refusal(choosing: to, in: settings)
                    let isLocked = locked || from == .userSync || from == .universalSync
                    var allowed = true
                    if to != from {
                        if (to == .userSync || to == .universalSync) && tool != .none { allowed = false }
                        if to == .profileSync && isLocked && !graph { allowed = false }
                    }
                    #expect((refusal == nil) == allowed, "\(String(describing: from)) -> \(to) tool \(tool) locked \(locked) graph \(graph)")
                }
                #expect(TenantRules.allowedModes(from: settings) == Self.modes.filter {
                    TenantRules.refusal(choosing: $0, in: settings) == nil
                })
            }
        }
    }

    @Test func sameModeIsANoOp() throws {
        var ledger = MemoryLedger(mode: .universalSync)
        let admission = try ledger.append("ModeChanged", .tenant, ["mode": "universal-sync", "reason": "confirm"])
        #expect(admission.tenant.mode == .universalSync)
    }

    // MARK: - Directory sync, the other way

    @Test(arguments: [ProvisioningMode.userSync, .universalSync], [DirectorySyncTool.dirsync, .aadSync, .aadConnect])
    func toolCannotBeTurnedOnInSourceOfTruthModes(mode: ProvisioningMode, tool: DirectorySyncTool) throws {
        var ledger = MemoryLedger(mode: mode)
        let refusal = ledger.refusal("DirectorySyncChanged", .tenant, ["tool": .string(tool.rawValue)])
        expectError(refusal, .transitionRefused, field: "data.tool")
        #expect(refusal?.message.hasPrefix("refused: \"\(TenantRules.directorySyncRule)\" (mode \(mode.rawValue) is in force") == true)
        #expect(ledger.tenant.directorySync == DirectorySyncTool.none)
        try ledger.append("DirectorySyncChanged", .tenant, ["tool": "none"])
    }

    @Test(arguments: [ProvisioningMode.licensesRoles, .profileSync], DirectorySyncTool.allCases)
    func toolCanBeTurnedOnElsewhere(mode: ProvisioningMode, tool: DirectorySyncTool) throws {
        var ledger = MemoryLedger(mode: mode)
        try ledger.append("DirectorySyncChanged", .tenant, ["tool": .string(tool.rawValue)])
        #expect(ledger.tenant.directorySync == tool)
        try ledger.append("DirectorySyncChanged", .tenant, ["tool": "none"])
        #expect(ledger.tenant.directorySync == DirectorySyncTool.none)
    }

    @Test(arguments: ProvisioningMode.allCases, DirectorySyncTool.allCases)
    func initialization(mode: ProvisioningMode, tool: DirectorySyncTool) {
        var ledger = MemoryLedger()
        let refusal = ledger.refusal(
            "TenantInitialized", .tenant,
            ["name": "contoso", "mode": .string(mode.rawValue), "directorySync": .string(tool.rawValue)])
        if mode.isSourceOfTruthSync && tool.isOn {
            expectError(refusal, .transitionRefused, field: "data.mode")
            #expect(!ledger.tenant.isInitialized)
        } else {
            #expect(refusal == nil)
            #expect(ledger.tenant.mode == mode)
            #expect(ledger.tenant.directorySync == tool)
            #expect(ledger.tenant.profileSyncLocked == mode.isSourceOfTruthSync)
            #expect(ledger.head(.tenant).state == .active)
        }
    }

    // MARK: - Tenant stream lifecycle and data

    @Test func tenantLifecycle() throws {
        var ledger = MemoryLedger()
        expectError(ledger.refusal("ModeChanged", .tenant, ["mode": "profile-sync"]), .lifecycleViolation, field: "type")
        expectError(ledger.refusal("DirectorySyncChanged", .tenant, ["tool": "none"]), .lifecycleViolation, field: "type")
        try ledger.append("TenantInitialized", .tenant, ["name": "contoso"])
        #expect(ledger.tenant.isInitialized && ledger.tenant.name == "contoso" && ledger.tenant.mode == nil)
        #expect(ledger.tenant.deactivation == .default && !ledger.tenant.graphAPIFeature)
        expectError(ledger.refusal("TenantInitialized", .tenant, ["name": "again"]), .lifecycleViolation, field: "type")
        try ledger.append("ModeChanged", .tenant, ["mode": "profile-sync"])
        #expect(ledger.tenant.mode == .profileSync)
    }

    @Test func tenantDataValidation() throws {
        var ledger = MemoryLedger()
        expectError(ledger.refusal("TenantInitialized", .tenant, [:]), .invalidData, field: "data.name")
        expectError(ledger.refusal("TenantInitialized", .tenant, ["name": ""]), .invalidData, field: "data.name")
        expectError(ledger.refusal("TenantInitialized", .tenant, ["name": "c", "mode": "hybrid"]), .invalidData, field: "data.mode")
        expectError(
            ledger.refusal("TenantInitialized", .tenant, ["name": "c", "directorySync": "adfs"]), .invalidData,
            field: "data.directorySync")
        expectError(
            ledger.refusal("TenantInitialized", .tenant, ["name": "c", "graphAPIFeature": "yes"]), .invalidData,
            field: "data.graphAPIFeature")
        expectError(ledger.refusal("TenantInitialized", .tenant, ["name": "c", "colour": "red"]), .invalidData, field: "data.colour")
        try ledger.append("TenantInitialized", .tenant, ["name": "c", "graphAPIFeature": true])
        #expect(ledger.tenant.graphAPIFeature)
        expectError(ledger.refusal("ModeChanged", .tenant, [:]), .invalidData, field: "data.mode")
        expectError(ledger.refusal("ModeChanged", .tenant, ["mode": "user-sync", "reason": 3]), .invalidData, field: "data.reason")
        expectError(ledger.refusal("ModeChanged", .tenant, ["mode": "user-sync", "why": "x"]), .invalidData, field: "data.why")
        expectError(ledger.refusal("DirectorySyncChanged", .tenant, ["tool": true]), .invalidData, field: "data.tool")
        expectError(ledger.refusal("FeatureFlagSet", .tenant, ["flag": "beta", "enabled": true]), .invalidData, field: "data.flag")
        expectError(ledger.refusal("FeatureFlagSet", .tenant, ["flag": "graph-api-feature"]), .invalidData, field: "data.enabled")
    }

    @Test func foldMatchesAdmission() throws {
        // The Store folds stored tenant events with apply(type:data:); it must land where
        // admission did.
        var ledger = MemoryLedger()
        let events: [(String, JSONValue)] = [
            ("TenantInitialized", ["name": "contoso", "mode": "profile-sync", "directorySync": "dirsync"]),
            ("DirectorySyncChanged", ["tool": "none"]),
            ("ModeChanged", ["mode": "universal-sync"]),
            ("DeactivationPolicySet", ["option": "block-remove-licenses-delete-after", "graceDays": 3]),
            ("FeatureFlagSet", ["flag": "graph-api-feature", "enabled": true]),
            ("ModeChanged", ["mode": "profile-sync"]),
        ]
        var folded = TenantSettings()
        for (type, data) in events {
            let admission = try ledger.append(type, .tenant, data)
            folded.apply(type: type, data: admission.data)
            #expect(folded == ledger.tenant, "\(type)")
        }
        #expect(folded.profileSyncLocked && folded.mode == .profileSync)
        #expect(folded.deactivation.option == .blockRemoveLicensesDeleteAfter && folded.deactivation.graceDays == 3)
    }
}
