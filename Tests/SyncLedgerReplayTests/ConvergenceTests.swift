import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerReplay
import SyncLedgerSimulator
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("End to end: history → replay → simulator → ack → converged")
struct ConvergenceTests {
    static let e3 = "6fd2c87f-b296-42f0-b197-1e91e994b900"
    static let e5 = "c7df2760-2c81-4ef7-b578-5b5392b571df"
    static let helpdeskAdmin = "729827e3-9c14-49f7-bb1b-9608f156bbb8"

    /// Checks the simulator holds exactly the target state.
    func expectConverged(_ harness: ReplayHarness, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let targets = try harness.targets()
        let tenant = harness.tenant
        let targetUsers = targets.values.filter { $0.reference.kind == .user && $0.mayCreate }
        #expect(Set(tenant.users.values.map(\.userPrincipalName)) == Set(targetUsers.compactMap(\.userPrincipalName)), sourceLocation: sourceLocation)
        for target in targetUsers {
            let user = try #require(tenant.user(upn: target.userPrincipalName ?? ""), sourceLocation: sourceLocation)
            #expect(user.enabled == target.enabled, "\(target.reference) enabled", sourceLocation: sourceLocation)
            #expect(user.licenses == target.licenses, "\(target.reference) licenses", sourceLocation: sourceLocation)
            for (name, value) in target.attributes where name != "manager" {
                if case .graph(let property)? = AttributeCatalog.attribute(named: name, for: .user)?.route, !property.contains(".") {
                    #expect(user.properties[property] == value, "\(target.reference).\(name)", sourceLocation: sourceLocation)
                }
            }
            if let manager = target.attributes["manager"]?.stringValue, let managerUPN = targets[try ObjectRef(parsing: manager)]?.userPrincipalName {
                #expect(user.managerID == tenant.user(upn: managerUPN)?.id, "\(target.reference) manager", sourceLocation: sourceLocation)
            }
            let roles = Set(tenant.roleAssignments.values.filter { $0.principal == user.id }.map(\.role))
            #expect(roles == target.roles, "\(target.reference) roles", sourceLocation: sourceLocation)
        }
        let securityGroups = targets.values.filter { $0.reference.kind == .group && $0.subtype == "security" }
        #expect(Set(tenant.groups.values.map(\.uniqueName)) == Set(securityGroups.map(\.reference.anchor)), sourceLocation: sourceLocation)
        for target in securityGroups {
            let group = try #require(tenant.group(uniqueName: target.reference.anchor), sourceLocation: sourceLocation)
            let expected = Set(target.members.compactMap { member -> String? in
                guard let reference = try? ObjectRef(parsing: member), let upn = targets[reference]?.userPrincipalName else { return nil }
                return tenant.user(upn: upn)?.id
            })
            #expect(group.memberIDs == expected, "\(target.reference) members", sourceLocation: sourceLocation)
            #expect(group.properties["displayName"] == target.attributes["displayName"], sourceLocation: sourceLocation)
        }
        let recipients = targets.values.filter { $0.reference.kind == .contact || $0.reference.kind == .resource || ($0.reference.kind == .group && $0.subtype != "security") }
        #expect(tenant.recipients.count == recipients.count, sourceLocation: sourceLocation)
    }

    @Test("a profile-sync tenant converges, and a second replay emits nothing")
    func profileSync() throws {
        let harness = try ReplayHarness()
        try harness.user("U1", name: "Ann Berg")
        try harness.user("U2", name: "Seán O'Brien", extra: ["manager": "user:U1"])
        try harness.user("U3", name: "Zoë", location: nil)
        try harness.append("LicenseAssigned", Fixtures.user("U1"), ["skuId": .string(Self.e3)])
        try harness.append("LicenseAssigned", Fixtures.user("U2"), ["skuId": .string(Self.e5), "disabledPlans": ["efb87545-963c-4e0d-99df-69c6916d9eb0"]])
        try harness.append("RoleAssigned", Fixtures.user("U1"), ["roleDefinitionId": .string(Self.helpdeskAdmin)])
        try harness.append("GroupCreated", Fixtures.group("SEC"), ["kind": "security", "displayName": "Engineering", "mailNickname": "eng"])
        try harness.append("MemberAdded", Fixtures.group("SEC"), ["member": "user:U1"])
        try harness.append("MemberAdded", Fixtures.group("SEC"), ["member": "user:U2"])
        try harness.append("GroupPushEnabled", Fixtures.group("SEC"))

        let first = try harness.emit()
        #expect(first.emitted > 0)
        #expect(!first.plan.waiting.isEmpty, "memberships, roles and the manager wait for the ids the first run creates")
        try harness.simulateAndAck()
        let rounds = try harness.converge()
        #expect(rounds <= 3)
        try expectConverged(harness)
        #expect(try harness.emit().emitted == 0, "replay again with no new events emits nothing")
        #expect(try harness.replayer.plan().isEmpty)
    }

    @Test("more history (renames, deactivation, group changes, a drift) and a switch to universal-sync converge again")
    func historyAndModeSwitch() throws {
        let harness = try ReplayHarness()
        try harness.append("DeactivationPolicySet", .tenant, ["option": "block-remove-licenses"], actor: "admin")
        // A tenant this small crosses the default 10% at the first deletion; thresholds have their own tests.
        try harness.append("DestructiveThresholdSet", .tenant, ["count": 50, "percent": 100], actor: "admin")
        for index in 1...4 { try harness.user("U\(index)", name: "User \(index)") }
        try harness.append("LicenseAssigned", Fixtures.user("U3"), ["skuId": .string(Self.e3)])
        try harness.append("GroupCreated", Fixtures.group("SEC"), ["kind": "security", "displayName": "Sec", "mailNickname": "sec"])
        try harness.append("MemberAdded", Fixtures.group("SEC"), ["member": "user:U1"])
        try harness.append("GroupPushEnabled", Fixtures.group("SEC"))
        try harness.converge()
        try expectConverged(harness)

        try harness.append("UserUpdated", Fixtures.user("U1"), ["set": ["displayName": "Ann Renamed"], "unset": []])
        try harness.append("UserDeactivated", Fixtures.user("U3"))
        try harness.append("MemberAdded", Fixtures.group("SEC"), ["member": "user:U2"])
        try harness.append("MemberRemoved", Fixtures.group("SEC"), ["member": "user:U1"])
        try harness.append("UserDeleted", Fixtures.user("U4"))
        try harness.converge()
        try expectConverged(harness)
        #expect(harness.tenant.user(upn: "u3@contoso.example")?.licenses.isEmpty == true, "the deactivation policy removed the license")

        // Switch to universal-sync: contacts, lists and rooms join; the preview equals what is emitted after the switch.
        try harness.append("ContactCreated", try ObjectRef(parsing: "contact:C1"), ["displayName": "Partner O'Neil", "externalEmailAddress": "oneil@partner.example", "mailNickname": "oneil"])
        try harness.append("GroupCreated", Fixtures.group("DL"), ["kind": "distribution", "displayName": "All Staff", "mailNickname": "allstaff"])
        try harness.append("MemberAdded", Fixtures.group("DL"), ["member": "user:U2"])
        try harness.append("MemberAdded", Fixtures.group("DL"), ["member": "contact:C1"])
        try harness.append("ResourceCreated", try ObjectRef(parsing: "resource:R1"), ["kind": "room", "displayName": "Room 1", "alias": "room1", "capacity": 8])
        let preview = try harness.replayer.plan(mode: .universalSync)
        #expect(preview.isPreview)
        try harness.append("ModeChanged", .tenant, ["mode": "universal-sync"], actor: "admin")
        let after = try harness.replayer.plan()
        #expect(after.commands.map(\.id) == preview.commands.map(\.id))
        try harness.converge()
        try expectConverged(harness)
        #expect(harness.tenant.recipients["allstaff"]?.members.sorted() == ["oneil", "u2@contoso.example"])
        #expect(try harness.emit().emitted == 0)
    }
}

