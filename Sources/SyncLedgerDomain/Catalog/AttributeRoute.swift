/// Where an attribute goes in Office 365 (reference §2, §3).
public enum AttributeRoute: Sendable, Hashable {
    /// A Microsoft Graph property written by PATCH (a dotted path for a nested one:
    /// `onPremisesExtensionAttributes.extensionAttribute1`).
    case graph(property: String)
    /// A Graph reference written with its own request (`/users/{id}/manager/$ref`).
    case graphReference(path: String)
    /// An Exchange Online PowerShell cmdlet parameter (`Set-Mailbox -EmailAddresses`).
    case exchange(cmdlet: String, parameter: String)
    /// No public API writes it: kept in the ledger, shown in state and reports, listed by the
    /// plan as not pushable with this reason.
    case notWritable(reason: String)

    /// Whether the replayer can push the attribute.
    public var isWritable: Bool {
        if case .notWritable = self { return false }
        return true
    }

    /// A one-line description for listings (`graph givenName`, `exchange Set-Mailbox -EmailAddresses`).
    public var description: String {
        switch self {
        case .graph(let property): return "graph \(property)"
        case .graphReference(let path): return "graph \(path)"
        case .exchange(let cmdlet, let parameter): return "exchange \(cmdlet) -\(parameter)"
        case .notWritable(let reason): return "not writable: \(reason)"
        }
    }
}
