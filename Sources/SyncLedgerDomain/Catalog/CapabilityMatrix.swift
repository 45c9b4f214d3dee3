/// The seed's matrix: which ``Capability`` each ``ProvisioningMode`` has.
public enum CapabilityMatrix {
    /// One cell of the matrix.
    public enum Cell: String, Sendable, Hashable, CaseIterable {
        /// Supported.
        case yes = "Y"
        /// Not supported.
        case no = "N"
        /// Supported unless the tenant runs a directory-sync tool (footnote a).
        case yesUnlessDirectorySync = "Y (a)"
        /// Not supported: the source of truth wins, an edit in Office 365 is drift (footnote b).
        case noSourceOfTruth = "N (b)"

        /// Whether the cell allows the capability, given whether a directory-sync tool is on.
        public func allows(directorySyncOn: Bool) -> Bool {
            switch self {
            case .yes: return true
            case .yesUnlessDirectorySync: return !directorySyncOn
            case .no, .noSourceOfTruth: return false
            }
        }
    }

    /// Footnote (a), as DESIGN.md words it.
    public static let footnoteA = "(a) not when the tenant also runs DirSync / Azure AD Sync / Azure AD Connect."
    /// Footnote (b), as DESIGN.md words it.
    public static let footnoteB =
        "(b) Office 365 is no longer a place to edit: the source of truth wins, an edit made there is drift."

    // MARK: - Lookup

    /// The cell for `capability` under `mode`.
    public static func cell(_ capability: Capability, in mode: ProvisioningMode) -> Cell {
        switch capability {
        case .pushLicensesAndRoles, .deactivateUser:
            return .yes
        case .createUser, .syncBasicAttributes:
            return mode == .licensesRoles ? .no : .yes
        case .editUserDirectly:
            switch mode {
            case .licensesRoles: return .yesUnlessDirectorySync
            case .profileSync: return .yes
            case .userSync, .universalSync: return .noSourceOfTruth
            }
        case .syncLimitedExtendedAttributes:
            return mode.isSourceOfTruthSync ? .yes : .no
        case .syncAllExtendedAttributes, .syncSecurityGroups, .syncContacts, .syncDistributionLists,
            .syncResourceMailboxes:
            return mode == .universalSync ? .yes : .no
        }
    }

    /// Whether `mode` has `capability` while `directorySync` runs (footnote a: direct edits
    /// are not available in licenses-roles while a directory-sync tool is on).
    public static func allows(
        _ capability: Capability, in mode: ProvisioningMode, directorySync: DirectorySyncTool = .none
    ) -> Bool {
        cell(capability, in: mode).allows(directorySyncOn: directorySync.isOn)
    }

    // MARK: - Rendering

    /// The rows of the rendered table: a label and the capabilities it stands for (the four
    /// object kinds of note d share one row; their cells are equal).
    public static let tableRows: [(label: String, capabilities: [Capability])] = [
        ("push licenses and roles", [.pushLicensesAndRoles]),
        ("create user", [.createUser]),
        ("deactivate user", [.deactivateUser]),
        ("edit user directly in Office 365", [.editUserDirectly]),
        ("sync basic profile attributes", [.syncBasicAttributes]),
        ("sync limited extended attributes", [.syncLimitedExtendedAttributes]),
        ("sync all extended attributes", [.syncAllExtendedAttributes]),
        (
            "sync security groups, contacts, distribution lists, resource mailboxes",
            [.syncSecurityGroups, .syncContacts, .syncDistributionLists, .syncResourceMailboxes]
        ),
    ]

    /// The matrix as the Markdown table of DESIGN.md, then a blank line and footnotes (a)
    /// and (b); every line ends with a newline.
    public static func markdownTable() -> String {
        var lines: [String] = []
        lines.append("| capability | " + ProvisioningMode.allCases.map(\.rawValue).joined(separator: " | ") + " |")
        lines.append("|---|" + String(repeating: "---|", count: ProvisioningMode.allCases.count))
        for row in tableRows {
            let cells = ProvisioningMode.allCases.map { cell(row.capabilities[0], in: $0).rawValue }
            lines.append("| \(row.label) | " + cells.joined(separator: " | ") + " |")
        }
        lines.append("")
        lines.append(footnoteA)
        lines.append(footnoteB)
        return lines.joined(separator: "\n") + "\n"
    }
}
