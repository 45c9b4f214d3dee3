import Foundation
import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerReplay
import SyncLedgerSimulator
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Replay safety: idempotency, order, stale plans, thresholds, drift")
struct SafetyTests {
    /// A converged profile-sync tenant with `count` users.
    func converged(users count: Int, mode: String = "profile-sync") throws -> ReplayHarness {
        let harness = try ReplayHarness(mode: mode)
        for index in 1...count { try harness.user("U\(index)") }
        try harness.converge()
        return harness
    }

    @Test("command ids are deterministic: planning twice gives the same ids")
    func deterministicIDs() throws {
        let harness = try ReplayHarness()
        try harness.user("U1")
        try harness.user("U2")
        let first = try harness.replayer.plan()
        let second = try harness.replayer.plan()
        #expect(first.commands.map(\.id) == second.commands.map(\.id))
        #expect(first.hash == second.hash)
        #expect(Set(first.commands.map(\.id)).count == first.commands.count)
    }

    @Test("an emitted command without a result is not emitted again until --resend-pending")
    func pendingNotResent() throws {
        let harness = try ReplayHarness()
        try harness.user("U1")
        #expect(try harness.emit().emitted == 1)
        #expect(try harness.emit().emitted == 0, "pending: assumed to apply")
        let resend = try harness.emit(resendPending: true)
        #expect(resend.emitted == 1)
        #expect(resend.resent == 1)
        #expect(try harness.ledger.journal().count == 1, "a resent command is not journaled twice")
    }

    @Test("--resend-pending sends again only the commands with no result: not the applied, not the throttled")
    func resendOnlyPending() throws {
        let harness = try ReplayHarness()
        try harness.user("U1")
        try harness.emit()
        try harness.simulateAndAck()  // applied
        try harness.user("U2")
        try harness.emit()  // pending
        try harness.user("U3")
        try harness.user("U4")
        try harness.emit()
        harness.tenant.throttleNext = 2
        try harness.simulateAndAck()  // both throttled: U3's create is planned again as it was
        // U4 changes: its create is planned with the new name, under a new id, and the old
        // one, which has a result, is neither planned nor resent.
        try harness.append("UserUpdated", Fixtures.user("U4"), ["set": ["displayName": "Renamed"], "unset": []])
        let id = { (anchor: String) in try #require(try harness.ledger.journal(stream: "user:\(anchor)").first).commandID }
        let (applied, pending, throttled, superseded) = (try id("U1"), try id("U2"), try id("U3"), try id("U4"))

        let report = try harness.emit(resendPending: true)
        #expect(report.plan.commands.map(\.operation) == [.userCreate, .userCreate])
        #expect(report.plan.commands.map(\.id).contains(throttled))
        #expect(!report.plan.commands.map(\.id).contains(superseded))
        #expect(report.emitted == 3)
        #expect(report.resent == 1)
        let sent = try String(contentsOfFile: harness.directory.file("run4/commands.ndjson"), encoding: .utf8)
        #expect(sent.contains(pending))
        #expect(sent.contains(throttled))
        #expect(!sent.contains(applied))
        #expect(!sent.contains(superseded), "a command with a result is not resent, even when it is not planned again")
        let journal = try harness.ledger.journal().map { "\($0.runID) \($0.stream)" }
        #expect(journal == ["1 user:U1", "2 user:U2", "3 user:U3", "3 user:U4", "4 user:U3", "4 user:U4"], "the resent command is not journaled twice")
    }

    @Test("a failed command is planned again with its error; a throttled one too")
    func failuresRetried() throws {
        let harness = try ReplayHarness()
        try harness.user("U1")
        try harness.emit()
        harness.tenant.throttleNext = 1
        try harness.simulateAndAck()
        let retry = try harness.replayer.plan()
        #expect(retry.commands.count == 1)
        #expect(retry.retries.first?.status == "throttled")
        try harness.converge()
        #expect(harness.tenant.user(upn: "u1@contoso.example") != nil)
    }

    @Test("commands come in dependency order: creates, updates, licenses, memberships, removals, deletions")
    func dependencyOrder() throws {
        let harness = try converged(users: 3)
        try harness.append("DestructiveThresholdSet", .tenant, ["count": 50, "percent": 100], actor: "admin")
        try harness.user("U9")
        try harness.append("LicenseAssigned", Fixtures.user("U9"), ["skuId": "6fd2c87f-b296-42f0-b197-1e91e994b900"])
        try harness.append("UserUpdated", Fixtures.user("U1"), ["set": ["displayName": "New"], "unset": []])
        try harness.append("UserDeactivated", Fixtures.user("U2"))
        try harness.append("UserDeleted", Fixtures.user("U3"))
        let plan = try harness.replayer.plan()
        let operations = plan.commands.map(\.operation)
        #expect(operations == [.userCreate, .userUpdate, .userLicenses, .userBlock, .userDelete])
        #expect(plan.commands.map(\.operation.rank) == plan.commands.map(\.operation.rank).sorted())
        // The license of a user created in the same batch waits for it inside the batch.
        let report = try harness.emit()
        let batch = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: report.files[0]))))
        let requests = try #require(batch["requests"]?.arrayValue)
        let create = try #require(requests.first { $0["url"] == "/users" })
        let license = try #require(requests.first { $0["url"]?.stringValue?.hasSuffix("/assignLicense") == true })
        #expect(license["dependsOn"] == [create["id"]!])
    }

    @Test("a saved plan is refused once the log has moved past it (stale plan)")
    func stalePlan() throws {
        let harness = try ReplayHarness()
        try harness.user("U1")
        let plan = try harness.replayer.plan()
        let saved = try SavedPlan(json: plan.json)
        try harness.user("U2")
        let error = #expect(throws: ReplayError.self) { try harness.emit(savedPlan: saved) }
        #expect(error?.code == .stalePlan)
        #expect(error?.message.contains("stale plan") == true)
        #expect(try harness.ledger.journal().isEmpty)
        // A fresh plan goes through.
        let fresh = try SavedPlan(json: try harness.replayer.plan().json)
        #expect(try harness.emit(savedPlan: fresh).emitted == 2)
    }

    @Test("destructive commands above the threshold are held back; --allow-destructive lets them through and is recorded")
    func thresholds() throws {
        let harness = try converged(users: 30)
        for index in 1...5 { try harness.append("UserDeleted", Fixtures.user("U\(index)")) }
        // 5 of 30 users is 16%: above the default 10%.
        let held = try harness.replayer.plan()
        #expect(held.commands.isEmpty)
        #expect(held.heldBack.count == 5)
        #expect(held.destructiveCounts == ["user-delete": 5])
        #expect(try harness.emit().emitted == 0)

        let allowed = try harness.emit(allowDestructive: true)
        #expect(allowed.emitted == 5)
        let allowance = try harness.ledger.events(matching: EventFilter(type: "DestructiveChangesAllowed"))
        #expect(allowance.count == 1)
        #expect(allowance.first?.actor == "admin:ops")
        #expect(allowance.first?.payload.contains(held.hash) == true)

        // Under the threshold, destructive commands pass without an allowance.
        try harness.simulateAndAck()
        try harness.append("DestructiveThresholdSet", .tenant, ["count": 50, "percent": 100], actor: "admin")
        try harness.append("UserDeleted", Fixtures.user("U6"))
        #expect(try harness.replayer.plan().commands.map(\.operation) == [.userDelete])
    }

    @Test("an edit made in Office 365 where the mode forbids it is reverted")
    func driftRevert() throws {
        let harness = try converged(users: 1, mode: "user-sync")
        try harness.append("UserUpdated", Fixtures.user("U1"), ["set": ["jobTitle": "Engineer"], "unset": []])
        try harness.converge()
        try harness.append("DirectEditObserved", Fixtures.user("U1"), ["set": ["jobTitle": "Chief"], "unset": []], actor: "graph-delta")
        let plan = try harness.replayer.plan()
        let revert = try #require(plan.commands.first)
        #expect(revert.operation == .userUpdate)
        #expect(revert.body["set"] == ["jobTitle": "Engineer"])
        #expect(revert.note == "reverts an edit made in Office 365")
        try harness.converge()
        #expect(try harness.replayer.plan().isEmpty, "once reverted, the drift is settled")
    }

    @Test("in profile-sync the same edit stands and nothing is sent")
    func directEditStands() throws {
        let harness = try converged(users: 1)
        try harness.append("DirectEditObserved", Fixtures.user("U1"), ["set": ["displayName": "Edited"], "unset": []], actor: "graph-delta")
        #expect(try harness.replayer.plan().isEmpty)
    }

    @Test("attributes no public API writes are listed as not pushable with the reason")
    func notPushable() throws {
        let harness = try ReplayHarness(mode: "user-sync")
        try harness.user("U1", extra: ["middleName": "Q"])
        let plan = try harness.replayer.plan()
        let item = try #require(plan.notPushable.first { $0.attribute == "middleName" })
        #expect(item.objects == 1)
        #expect(!item.reason.isEmpty)
    }
}
