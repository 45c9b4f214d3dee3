/// What decides the target state: the mode, the tenant's settings, and the moment at which
/// time-based rules (deactivation grace periods) are evaluated.
public struct TargetPolicy: Sendable, Hashable {
    public var mode: ProvisioningMode
    public var directorySync: DirectorySyncTool
    public var deactivation: DeactivationPolicy
    /// The moment the target is computed for.
    public var at: Timestamp

    public init(mode: ProvisioningMode, directorySync: DirectorySyncTool, deactivation: DeactivationPolicy, at: Timestamp) {
        self.mode = mode
        self.directorySync = directorySync
        self.deactivation = deactivation
        self.at = at
    }

    /// The policy of `settings`, with `mode` instead of the one in force when given (a
    /// preview of a mode switch). Nil when no mode is known.
    public init?(settings: TenantSettings, mode: ProvisioningMode? = nil, at: Timestamp) {
        guard let mode = mode ?? settings.mode else { return nil }
        self.init(mode: mode, directorySync: settings.directorySync, deactivation: settings.deactivation, at: at)
    }

    /// Whether an edit made directly in Office 365 stands (footnote (a) included).
    public var allowsDirectEdits: Bool {
        CapabilityMatrix.allows(.editUserDirectly, in: mode, directorySync: directorySync)
    }
}
