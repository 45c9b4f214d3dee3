import SyncLedgerDomain
import Testing

@Suite("Group Push")
struct GroupPushTests {
    @Test(arguments: [ProvisioningMode.profileSync, .userSync, .universalSync])
    func securityGroupsCanBePushedInModesThatProvisionUsers(mode: ProvisioningMode) throws {
        var ledger = MemoryLedger(mode: mode)
        try ledger.createGroup("g")
        try ledger.append("GroupPushEnabled", group("g"))
        #expect(ledger.head(group("g")).pushed)
        expectError(ledger.refusal("GroupPushEnabled", group("g")), .lifecycleViolation, field: "type")
        try ledger.append("GroupUpdated", group("g"), ["set": ["description": "d"]])
        #expect(ledger.head(group("g")).pushed, "an update keeps the push")
        try ledger.append("GroupPushDisabled", group("g"), ["deleteInTarget": false])
        #expect(!ledger.head(group("g")).pushed)
        expectError(ledger.refusal("GroupPushDisabled", group("g")), .lifecycleViolation, field: "type")
    }

    @Test(arguments: ["distribution", "mail-security"])
    func mailGroupsCannotBePushed(kind: String) throws {
        var ledger = MemoryLedger(mode: .universalSync)
        try ledger.createGroup("g", kind: kind)
        let refusal = ledger.refusal("GroupPushEnabled", group("g"))
        expectError(refusal, .groupPushRefused, field: "type")
        #expect(refusal?.message.contains("Microsoft Graph cannot write distribution lists or mail-enabled security groups") == true)
        #expect(refusal?.code.isRuleRefusal == true)
        #expect(!ledger.head(group("g")).pushed)
    }

    @Test func pushNeedsAModeThatProvisionsUsers() throws {
        var ledger = MemoryLedger(mode: .licensesRoles)
        try ledger.createGroup("g")
        let refusal = ledger.refusal("GroupPushEnabled", group("g"))
        expectError(refusal, .groupPushRefused, field: "type")
        #expect(refusal?.message.contains("licenses-roles") == true)

        var bare = MemoryLedger()
        try bare.createGroup("g")
        expectError(bare.refusal("GroupPushEnabled", group("g")), .groupPushRefused, field: "type")
    }

    @Test func pushNeedsAnExistingGroup() throws {
        var ledger = MemoryLedger(mode: .profileSync)
        expectError(ledger.refusal("GroupPushEnabled", group("g")), .lifecycleViolation, field: "type")
        try ledger.createGroup("g")
        try ledger.append("GroupPushEnabled", group("g"))
        try ledger.append("GroupDeleted", group("g"))
        #expect(!ledger.head(group("g")).pushed, "a deleted group is no longer pushed")
        expectError(ledger.refusal("GroupPushDisabled", group("g")), .lifecycleViolation, field: "type")
        try ledger.createGroup("g")
        #expect(!ledger.head(group("g")).pushed, "a re-created group starts unpushed")
    }
}
