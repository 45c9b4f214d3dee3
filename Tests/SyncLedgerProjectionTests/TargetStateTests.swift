import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Target state per mode")
struct TargetStateTests {
    /// One history with every kind of object, a pushed security group and licenses.
    func history() throws -> History {
        var history = try History(mode: "profile-sync")
        try history.createUser("U1")
        try history.createUser("U2")
        try history.append("LicenseAssigned", History.user("U1"), ["skuId": "c7df2760-2c81-4ef7-b578-5b5392b571df"])
        try history.append("GroupCreated", History.group("SEC"), ["kind": "security", "displayName": "Sec", "mailNickname": "sec"])
        try history.append("GroupCreated", History.group("PUSH"), ["kind": "security", "displayName": "Pushed", "mailNickname": "push"])
        try history.append("GroupCreated", History.group("DL"), ["kind": "distribution", "displayName": "DL", "mailNickname": "dl"])
        try history.append("MemberAdded", History.group("PUSH"), ["member": "user:U1"])
        try history.append("GroupPushEnabled", History.group("PUSH"))
        try history.append(
            "ContactCreated", History.contact("C1"), ["displayName": "Partner", "externalEmailAddress": "p@partner.example"])
        try history.append("ResourceCreated", History.resource("R1"), ["kind": "room", "displayName": "Room 1", "alias": "room1"])
        return history
    }

    @Test("each mode's target differs exactly as the capability matrix says")
    func modesFollowTheMatrix() throws {
        let history = try history()
        let snapshot = try DirectoryProjector(ledger: history.ledger).snapshot(at: .now)
        let u1 = History.user("U1")

        let byMode = Dictionary(uniqueKeysWithValues: ProvisioningMode.allCases.map { ($0, snapshot.targets(mode: $0)) })

        // Users are in every mode (deactivate and licenses everywhere); only licenses-roles may not create them.
        for mode in ProvisioningMode.allCases {
            let user = try #require(byMode[mode]?[u1])
            #expect(user.mayCreate == CapabilityMatrix.allows(.createUser, in: mode))
            #expect(user.licenses.keys.sorted() == ["c7df2760-2c81-4ef7-b578-5b5392b571df"])
            #expect(user.attributes["x-costCenter"] == nil, "site-specific data is never pushed")
            #expect((user.attributes["displayName"] != nil) == CapabilityMatrix.allows(.syncBasicAttributes, in: mode))
            #expect((user.attributes["department"] != nil) == CapabilityMatrix.allows(.syncLimitedExtendedAttributes, in: mode))
            #expect((user.attributes["companyName"] != nil) == CapabilityMatrix.allows(.syncAllExtendedAttributes, in: mode))
            #expect(user.userPrincipalName == "u1@contoso.example", "licenses-roles still matches by UPN")
        }
        // Groups, contacts, lists and rooms: universal-sync only, except a pushed security group.
        for mode in ProvisioningMode.allCases {
            let targets = byMode[mode]!
            #expect((targets[History.group("SEC")] != nil) == CapabilityMatrix.allows(.syncSecurityGroups, in: mode))
            #expect((targets[History.group("DL")] != nil) == CapabilityMatrix.allows(.syncDistributionLists, in: mode))
            #expect((targets[History.contact("C1")] != nil) == CapabilityMatrix.allows(.syncContacts, in: mode))
            #expect((targets[History.resource("R1")] != nil) == CapabilityMatrix.allows(.syncResourceMailboxes, in: mode))
            #expect((targets[History.group("PUSH")] != nil) == mode.provisionsUsers, "Group Push works in modes that provision users")
        }
        #expect(byMode[.profileSync]?[History.group("PUSH")]?.members == ["user:U1"])
    }

    @Test("a member outside the target is left out of its group's target")
    func membersInScope() throws {
        var history = try history()
        try history.append("MemberAdded", History.group("PUSH"), ["member": "contact:C1"])
        let snapshot = try DirectoryProjector(ledger: history.ledger).snapshot(at: .now)
        #expect(snapshot.targets(mode: .profileSync)[History.group("PUSH")]?.members == ["user:U1"])
        #expect(snapshot.targets(mode: .universalSync)[History.group("PUSH")]?.members == ["user:U1", "contact:C1"])
    }

    @Test("a deleted object leaves the target; its row stays in the directory state")
    func deletion() throws {
        var history = try history()
        try history.append("UserDeleted", History.user("U2"))
        let snapshot = try DirectoryProjector(ledger: history.ledger).snapshot(at: .now)
        #expect(snapshot.targets()[History.user("U2")] == nil)
        #expect(snapshot.objects[History.user("U2")]?.deleted == true)
    }
}
