/// The seed's rules on provisioning-mode and directory-sync changes.
///
/// A refusal is a ``DomainError`` with code `transitionRefused` whose message quotes the
/// seed's rule word for word, then says what in the tenant triggers it.
public enum TenantRules {
    // MARK: - The rules, as the seed words them

    /// The seed's rule on directory-sync tools.
    public static let directorySyncRule =
        "User Sync and Universal Sync cannot be used with DirSync, Azure Active Directory Sync, or Azure Active Directory Connect."
    /// The seed's rule on going back to Profile Sync.
    public static let profileSyncRule =
        "Once you select User Sync or Universal Sync, you can not modify your selection back to Profile Sync."

    // MARK: - Checks

    /// Checks choosing `mode` in a tenant whose settings are `settings`.
    ///
    /// Choosing the mode already in force is allowed (a no-op that keeps the reason on record).
    /// - Throws: `transitionRefused` on `data.mode`.
    public static func checkModeChange(to mode: ProvisioningMode, in settings: TenantSettings) throws(DomainError) {
        if let refusal = refusal(choosing: mode, in: settings) { throw refusal }
    }

    /// Checks turning the directory-sync tool to `tool`.
    ///
    /// Turning a tool off is always allowed; turning one on is refused while user-sync or
    /// universal-sync is in force.
    /// - Throws: `transitionRefused` on `data.tool`.
    public static func checkDirectorySyncChange(to tool: DirectorySyncTool, in settings: TenantSettings)
        throws(DomainError)
    {
        if tool.isOn, let mode = settings.mode, mode.isSourceOfTruthSync {
            throw DomainError(
                .transitionRefused, field: "data.tool",
                "refused: \"\(directorySyncRule)\" (mode \(mode.rawValue) is in force; directory-sync tool \(tool.rawValue) cannot be turned on)"
            )
        }
    }

    /// Checks the mode and tool a tenant is initialised with.
    /// - Throws: `transitionRefused` on `data.mode`.
    public static func checkInitialization(mode: ProvisioningMode?, directorySync: DirectorySyncTool)
        throws(DomainError)
    {
        guard let mode else { return }
        if let refusal = refusal(choosing: mode, in: TenantSettings(directorySync: directorySync)) { throw refusal }
    }

    /// Why choosing `mode` would be refused, or nil when it is allowed.
    public static func refusal(choosing mode: ProvisioningMode, in settings: TenantSettings) -> DomainError? {
        if mode == settings.mode { return nil }
        if mode.isSourceOfTruthSync, settings.directorySync.isOn {
            return DomainError(
                .transitionRefused, field: "data.mode",
                "refused: \"\(directorySyncRule)\" (directory-sync tool \(settings.directorySync.rawValue) is on)")
        }
        if mode == .profileSync, settings.profileSyncLocked, !settings.graphAPIFeature {
            return DomainError(
                .transitionRefused, field: "data.mode",
                "refused: \"\(profileSyncRule)\" (user-sync or universal-sync has been in force; only the tenant flag \(TenantSettings.graphAPIFeatureFlag) lifts this rule)"
            )
        }
        return nil
    }

    /// The modes that may be chosen from `settings` (the one in force included), in order.
    public static func allowedModes(from settings: TenantSettings) -> [ProvisioningMode] {
        ProvisioningMode.allCases.filter { refusal(choosing: $0, in: settings) == nil }
    }
}
