import SyncLedgerDomain
import Testing

@Suite("Capability matrix")
struct CapabilityMatrixTests {
    /// The seed's matrix, typed from its text: row label, then the cells for
    /// Licenses and Roles Management Only, Profile Sync, User Sync, Universal Sync.
    static let seed: [(String, [String])] = [
        ("Push licenses and roles", ["Y", "Y", "Y", "Y"]),
        ("Create user", ["N", "Y", "Y", "Y"]),
        ("Deactivate user", ["Y", "Y", "Y", "Y"]),
        ("Edit user directly from within Office 365", ["Y(a)", "Y", "N(b)", "N(b)"]),
        ("Sync basic user profile attributes", ["N", "Y", "Y", "Y"]),
        ("Sync limited number of extended attributes in addition to the basic attributes", ["N", "N", "Y", "Y"]),
        ("Sync all extended attributes", ["N", "N", "N", "Y"]),
        ("Sync security groups", ["N", "N", "N", "Y"]),
        ("Sync contacts", ["N", "N", "N", "Y"]),
        ("Sync distribution lists", ["N", "N", "N", "Y"]),
        ("Sync resource mailboxes", ["N", "N", "N", "Y"]),
    ]

    @Test func everyCapabilityIsASeedRow() {
        #expect(Capability.allCases.map(\.seedLabel) == Self.seed.map(\.0))
    }

    @Test func modesAreTheSeedColumns() {
        #expect(ProvisioningMode.allCases.map(\.title) == [
            "Licenses and Roles Management Only", "Profile Sync", "User Sync", "Universal Sync",
        ])
        #expect(ProvisioningMode.allCases.map(\.rawValue) == ["licenses-roles", "profile-sync", "user-sync", "universal-sync"])
    }

    @Test func matrixEqualsTheSeedCellByCell() {
        for (label, cells) in Self.seed {
            let capability = Capability.allCases.first { $0.seedLabel == label }!
            for (mode, seedCell) in zip(ProvisioningMode.allCases, cells) {
                let code = String(CapabilityMatrix.cell(capability, in: mode).rawValue.filter { $0 != " " })
                #expect(code == seedCell, "\(label) / \(mode.rawValue)")
                // allows(): Y and Y(a) without a directory-sync tool; N and N(b) never.
                #expect(
                    CapabilityMatrix.allows(capability, in: mode) == seedCell.hasPrefix("Y"), "\(label) / \(mode.rawValue)")
            }
        }
    }

    @Test(arguments: DirectorySyncTool.allCases)
    func footnoteAWithDirectorySync(tool: DirectorySyncTool) {
        #expect(CapabilityMatrix.allows(.editUserDirectly, in: .licensesRoles, directorySync: tool) == !tool.isOn)
        #expect(CapabilityMatrix.allows(.editUserDirectly, in: .profileSync, directorySync: tool))
        #expect(!CapabilityMatrix.allows(.editUserDirectly, in: .userSync, directorySync: tool))
        #expect(CapabilityMatrix.allows(.pushLicensesAndRoles, in: .licensesRoles, directorySync: tool))
    }

    @Test func markdownTableIsDesignTable() {
        let expected = """
            | capability | licenses-roles | profile-sync | user-sync | universal-sync |
            |---|---|---|---|---|
            | push licenses and roles | Y | Y | Y | Y |
            | create user | N | Y | Y | Y |
            | deactivate user | Y | Y | Y | Y |
            | edit user directly in Office 365 | Y (a) | Y | N (b) | N (b) |
            | sync basic profile attributes | N | Y | Y | Y |
            | sync limited extended attributes | N | N | Y | Y |
            | sync all extended attributes | N | N | N | Y |
            | sync security groups, contacts, distribution lists, resource mailboxes | N | N | N | Y |

            (a) not when the tenant also runs DirSync / Azure AD Sync / Azure AD Connect.
            (b) Office 365 is no longer a place to edit: the source of truth wins, an edit made there is drift.

            """
        #expect(CapabilityMatrix.markdownTable() == expected)
    }

    @Test func combinedRowHasEqualCells() {
        for row in CapabilityMatrix.tableRows {
            for mode in ProvisioningMode.allCases {
                let cells = Set(row.capabilities.map { CapabilityMatrix.cell($0, in: mode) })
                #expect(cells.count == 1, "\(row.label)")
            }
        }
        #expect(Set(CapabilityMatrix.tableRows.flatMap(\.capabilities)) == Set(Capability.allCases))
    }
}
