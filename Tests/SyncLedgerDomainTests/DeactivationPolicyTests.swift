import SyncLedgerDomain
import Testing

@Suite("Deactivation policy")
struct DeactivationPolicyTests {
    @Test func options() {
        #expect(DeactivationOption.allCases.map(\.rawValue) == [
            "block", "block-remove-licenses", "block-remove-licenses-after", "block-remove-licenses-delete",
            "block-remove-licenses-delete-after",
        ])
        #expect(DeactivationOption.allCases.filter(\.needsGraceDays) == [.blockRemoveLicensesAfter, .blockRemoveLicensesDeleteAfter])
        #expect(DeactivationPolicy.default.option == .block && DeactivationPolicy.default.graceDays == nil)
    }

    @Test(arguments: DeactivationOption.allCases)
    func graceDays(option: DeactivationOption) throws {
        if option.needsGraceDays {
            #expect(try DeactivationPolicy(option: option, graceDays: 3).graceDays == 3)
            #expect(try DeactivationPolicy(option: option, graceDays: 1).graceDays == 1)
            #expect(try DeactivationPolicy(option: option, graceDays: 365).graceDays == 365)
            for bad in [nil, 0, 366, -1] as [Int?] {
                #expect(throws: DomainError.self) { try DeactivationPolicy(option: option, graceDays: bad) }
            }
        } else {
            #expect(try DeactivationPolicy(option: option).graceDays == nil)
            #expect(throws: DomainError.self) { try DeactivationPolicy(option: option, graceDays: 3) }
        }
    }

    @Test func policyEvent() throws {
        var ledger = MemoryLedger(mode: .profileSync)
        try ledger.append("DeactivationPolicySet", .tenant, ["option": "block-remove-licenses-after", "graceDays": 3])
        #expect(ledger.tenant.deactivation == (try DeactivationPolicy(option: .blockRemoveLicensesAfter, graceDays: 3)))
        try ledger.append("DeactivationPolicySet", .tenant, ["option": "block-remove-licenses"])
        #expect(ledger.tenant.deactivation.option == .blockRemoveLicenses && ledger.tenant.deactivation.graceDays == nil)

        expectError(ledger.refusal("DeactivationPolicySet", .tenant, [:]), .invalidData, field: "data.option")
        expectError(ledger.refusal("DeactivationPolicySet", .tenant, ["option": "wipe"]), .invalidData, field: "data.option")
        expectError(
            ledger.refusal("DeactivationPolicySet", .tenant, ["option": "block-remove-licenses-delete-after"]),
            .invalidData, field: "data.graceDays")
        expectError(
            ledger.refusal("DeactivationPolicySet", .tenant, ["option": "block-remove-licenses-after", "graceDays": 0]),
            .invalidData, field: "data.graceDays")
        expectError(
            ledger.refusal("DeactivationPolicySet", .tenant, ["option": "block-remove-licenses-after", "graceDays": 2.5]),
            .invalidData, field: "data.graceDays")
        expectError(
            ledger.refusal("DeactivationPolicySet", .tenant, ["option": "block", "graceDays": 3]),
            .invalidData, field: "data.graceDays")
        #expect(ledger.tenant.deactivation.option == .blockRemoveLicenses, "refusals change nothing")
    }
}
