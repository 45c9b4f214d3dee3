/// The data of tenant events (object `tenant`).
extension EventDataValidator {
    /// `TenantInitialized {name, mode?, directorySync?, graphAPIFeature?}`.
    static func validateTenantInitialized(_ members: [String: JSONValue]) throws(DomainError) {
        try allowOnly(members, ["name", "mode", "directorySync", "graphAPIFeature"], type: .tenantInitialized)
        let name = try requiredString(members, "name")
        guard name.utf8.count <= ProposedEvent.maximumNameLength,
            !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else {
            throw DomainError(
                .invalidData, field: "data.name",
                "must be 1 to \(ProposedEvent.maximumNameLength) bytes with no control characters")
        }
        _ = try optionalEnum(members, "mode") as ProvisioningMode?
        _ = try optionalEnum(members, "directorySync") as DirectorySyncTool?
        _ = try optionalBool(members, "graphAPIFeature")
    }

    /// `ModeChanged {mode, reason?}`.
    static func validateModeChanged(_ members: [String: JSONValue]) throws(DomainError) {
        try allowOnly(members, ["mode", "reason"], type: .modeChanged)
        _ = try requiredEnum(members, "mode") as ProvisioningMode
        _ = try optionalString(members, "reason")
    }

    /// `DirectorySyncChanged {tool}`.
    static func validateDirectorySyncChanged(_ members: [String: JSONValue]) throws(DomainError) {
        try allowOnly(members, ["tool"], type: .directorySyncChanged)
        _ = try requiredEnum(members, "tool") as DirectorySyncTool
    }

    /// `DeactivationPolicySet {option, graceDays?}`: grace days exactly for the `-after` options.
    static func validateDeactivationPolicySet(_ members: [String: JSONValue]) throws(DomainError) {
        try allowOnly(members, ["option", "graceDays"], type: .deactivationPolicySet)
        let option: DeactivationOption = try requiredEnum(members, "option")
        let days = try optionalInt(members, "graceDays")
        do {
            try DeactivationPolicy.validate(option: option, graceDays: days)
        } catch {
            var nested = error
            nested.field = error.field.map { "data.\($0)" }
            throw nested
        }
    }

    /// `DestructiveThresholdSet {count, percent}`: destructive commands of one kind above
    /// `count`, or above `percent` of the objects of that kind, are held back.
    static func validateDestructiveThresholdSet(_ members: [String: JSONValue]) throws(DomainError) {
        try allowOnly(members, ["count", "percent"], type: .destructiveThresholdSet)
        let count = try requiredInt(members, "count")
        let percent = try requiredInt(members, "percent")
        guard count >= 0 else { throw DomainError(.invalidData, field: "data.count", "must be 0 or more") }
        guard (0...100).contains(percent) else { throw DomainError(.invalidData, field: "data.percent", "must be 0 to 100") }
    }

    /// `DestructiveChangesAllowed {planHash, counts, reason?}`: someone let a plan's held-back
    /// destructive commands through.
    static func validateDestructiveChangesAllowed(_ members: [String: JSONValue]) throws(DomainError) {
        try allowOnly(members, ["planHash", "counts", "reason"], type: .destructiveChangesAllowed)
        let hash = try requiredString(members, "planHash")
        guard hash.utf8.count == 64, hash.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw DomainError(.invalidData, field: "data.planHash", "must be 64 lowercase hex digits (the plan's hash)")
        }
        if let counts = members["counts"] {
            guard case .object(let byKind) = counts, byKind.values.allSatisfy({ $0.intValue != nil }) else {
                throw DomainError(.invalidData, field: "data.counts", "must be an object of whole numbers by kind")
            }
        }
        _ = try optionalString(members, "reason")
    }

    /// `FeatureFlagSet {flag: "graph-api-feature", enabled}`.
    static func validateFeatureFlagSet(_ members: [String: JSONValue]) throws(DomainError) {
        try allowOnly(members, ["flag", "enabled"], type: .featureFlagSet)
        let flag = try requiredString(members, "flag")
        guard flag == TenantSettings.graphAPIFeatureFlag else {
            throw DomainError(
                .invalidData, field: "data.flag", "unknown feature flag; the only one is \(TenantSettings.graphAPIFeatureFlag)")
        }
        _ = try requiredBool(members, "enabled")
    }
}
