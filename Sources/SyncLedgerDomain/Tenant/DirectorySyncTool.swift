/// The Microsoft directory-sync tool the tenant runs beside the ledger, if any.
///
/// The raw value is the CLI and event name (`DirectorySyncChanged {"tool": "aad-connect"}`).
public enum DirectorySyncTool: String, CaseIterable, Sendable, Hashable, Codable {
    case none
    /// Directory Synchronization (DirSync).
    case dirsync
    /// Azure Active Directory Sync.
    case aadSync = "aad-sync"
    /// Azure Active Directory Connect.
    case aadConnect = "aad-connect"

    /// Whether a directory-sync tool is running.
    public var isOn: Bool { self != .none }

    /// The tool's product name.
    public var title: String {
        switch self {
        case .none: return "none"
        case .dirsync: return "DirSync"
        case .aadSync: return "Azure Active Directory Sync"
        case .aadConnect: return "Azure Active Directory Connect"
        }
    }
}
