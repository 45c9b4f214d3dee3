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
