/// The tenant-wide settings in force at a point of the log, folded from the `tenant` stream.
///
/// Tenant events (object `tenant`) and their data:
/// - `TenantInitialized {name, mode?, directorySync?, graphAPIFeature?}`
/// - `ModeChanged {mode, reason?}`
/// - `DirectorySyncChanged {tool}`
/// - `DeactivationPolicySet {option, graceDays?}`
/// - `FeatureFlagSet {flag: "graph-api-feature", enabled}`
///
/// The rules that refuse a change live in ``TenantRules``; ``AppendRules`` applies them
/// before an event is appended, so folding here never validates.
public struct TenantSettings: Sendable, Hashable {
    /// The one feature flag the ledger knows.
    public static let graphAPIFeatureFlag = "graph-api-feature"

    /// The tenant's name, from `TenantInitialized`.
    public var name: String?
    /// The provisioning mode in force; nil until one is chosen.
    public var mode: ProvisioningMode?
    /// The directory-sync tool the tenant runs beside the ledger.
    public var directorySync: DirectorySyncTool
    /// Okta's "Microsoft Graph API" feature: when on, profile-sync may be chosen again after
    /// user-sync or universal-sync (reference §1). Off by default: the seed says never.
    public var graphAPIFeature: Bool
    /// Whether user-sync or universal-sync has ever been in force (then profile-sync is
    /// refused unless ``graphAPIFeature`` is on).
    public var profileSyncLocked: Bool
    /// What deactivating a user does in Office 365.
    public var deactivation: DeactivationPolicy
    /// Whether `TenantInitialized` has been recorded.
    public var isInitialized: Bool
    /// Above how many destructive commands of one kind a plan holds them back.
    public var destructiveThreshold = DestructiveThreshold.default

    public init(
        name: String? = nil, mode: ProvisioningMode? = nil, directorySync: DirectorySyncTool = .none,
        graphAPIFeature: Bool = false, profileSyncLocked: Bool = false,
        deactivation: DeactivationPolicy = .default, isInitialized: Bool = false
    ) {
        self.name = name
        self.mode = mode
        self.directorySync = directorySync
        self.graphAPIFeature = graphAPIFeature
        self.profileSyncLocked = profileSyncLocked || (mode?.isSourceOfTruthSync ?? false)
        self.deactivation = deactivation
        self.isInitialized = isInitialized
    }

    // MARK: - Folding

    /// Folds one recorded tenant event into the settings (no validation: it was checked when
    /// it was appended; a field that does not parse is ignored).
    public mutating func apply(type: String, data: JSONValue) {
        switch type {
        case EventType.tenantInitialized.rawValue:
            isInitialized = true
            name = data["name"]?.stringValue
            if let mode = data["mode"]?.stringValue.flatMap(ProvisioningMode.init(rawValue:)) { choose(mode) }
            if let tool = data["directorySync"]?.stringValue.flatMap(DirectorySyncTool.init(rawValue:)) {
                directorySync = tool
            }
            if let flag = data["graphAPIFeature"]?.boolValue { graphAPIFeature = flag }
        case EventType.modeChanged.rawValue:
            if let mode = data["mode"]?.stringValue.flatMap(ProvisioningMode.init(rawValue:)) { choose(mode) }
        case EventType.directorySyncChanged.rawValue:
            if let tool = data["tool"]?.stringValue.flatMap(DirectorySyncTool.init(rawValue:)) {
                directorySync = tool
            }
        case EventType.deactivationPolicySet.rawValue:
            if let option = data["option"]?.stringValue.flatMap(DeactivationOption.init(rawValue:)) {
                let days = data["graceDays"]?.intValue.map { Int(clamping: $0) }
                deactivation = DeactivationPolicy(uncheckedOption: option, graceDays: option.needsGraceDays ? days : nil)
            }
        case EventType.destructiveThresholdSet.rawValue:
            if let count = data["count"]?.intValue, let percent = data["percent"]?.intValue {
                destructiveThreshold = DestructiveThreshold(count: Int(clamping: count), percent: Int(clamping: percent))
            }
        case EventType.featureFlagSet.rawValue:
            if data["flag"]?.stringValue == Self.graphAPIFeatureFlag, let enabled = data["enabled"]?.boolValue {
                graphAPIFeature = enabled
            }
        default:
            break
        }
    }

    private mutating func choose(_ newMode: ProvisioningMode) {
        mode = newMode
        if newMode.isSourceOfTruthSync { profileSyncLocked = true }
    }
}
