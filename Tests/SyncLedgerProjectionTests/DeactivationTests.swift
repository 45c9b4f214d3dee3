import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Deactivation policy and grace periods")
struct DeactivationTests {
    static let sku = "c7df2760-2c81-4ef7-b578-5b5392b571df"

    /// A user with a license, deactivated one minute after the policy is set.
    func deactivated(option: String, graceDays: Int? = nil) throws -> (History, deactivatedAt: Timestamp) {
        var history = try History(mode: "profile-sync")
        var policy: [String: JSONValue] = ["option": .string(option)]
        if let graceDays { policy["graceDays"] = .int(Int64(graceDays)) }
        try history.append("DeactivationPolicySet", .tenant, .object(policy))
        try history.createUser("U1")
        try history.append("LicenseAssigned", History.user("U1"), ["skuId": .string(Self.sku)])
        try history.append("UserDeactivated", History.user("U1"))
        return (history, history.now)
    }

    func target(_ history: History, at time: Timestamp) throws -> TargetObject? {
        var snapshot = try DirectoryProjector(ledger: history.ledger).snapshot(at: .now)
        snapshot.asOf = time
        return snapshot.targets()[History.user("U1")]
    }

    @Test(
        "each option without grace applies at once",
        arguments: [
            ("block", true, false), ("block-remove-licenses", false, false), ("block-remove-licenses-delete", false, true),
        ])
    func immediate(option: String, keepsLicenses: Bool, deletes: Bool) throws {
        let (history, at) = try deactivated(option: option)
        let user = try target(history, at: at)
        if deletes {
            #expect(user == nil)
        } else {
            #expect(user?.enabled == false)
            #expect((user?.licenses.isEmpty == false) == keepsLicenses)
        }
    }

    @Test("licenses go only once the grace period has passed")
    func graceBeforeAndAfter() throws {
        let (history, at) = try deactivated(option: "block-remove-licenses-after", graceDays: 3)
        let during = try #require(try target(history, at: at.adding(days: 2)))
        #expect(during.enabled == false)
        #expect(during.licenses.keys.sorted() == [Self.sku])
        #expect(during.graceEndsAt == at.adding(days: 3))
        let after = try #require(try target(history, at: at.adding(days: 3)))
        #expect(after.licenses.isEmpty)
        #expect(after.graceEndsAt == nil)
    }

    @Test("the user is deleted only once the grace period has passed")
    func deleteAfterGrace() throws {
        let (history, at) = try deactivated(option: "block-remove-licenses-delete-after", graceDays: 3)
        #expect(try target(history, at: at.adding(days: 1)) != nil)
        #expect(try target(history, at: at.adding(days: 4)) == nil)
    }

    @Test("a reactivation inside the grace period cancels the pending removal")
    func reactivationCancels() throws {
        var (history, at) = try deactivated(option: "block-remove-licenses-delete-after", graceDays: 3)
        try history.append("UserReactivated", History.user("U1"), minutesLater: 60)
        let user = try #require(try target(history, at: at.adding(days: 10)))
        #expect(user.enabled)
        #expect(user.licenses.keys.sorted() == [Self.sku])
        #expect(user.graceEndsAt == nil)
    }

    @Test("as-of a past time evaluates the grace period at that time")
    func pointInTimeGrace() throws {
        let (history, at) = try deactivated(option: "block-remove-licenses-after", graceDays: 3)
        let projector = DirectoryProjector(ledger: history.ledger)
        let early = try projector.snapshot(at: .time(at.adding(days: 1)))
        #expect(early.targets()[History.user("U1")]?.licenses.isEmpty == false)
        let late = try projector.snapshot(at: .time(at.adding(days: 5)))
        #expect(late.targets()[History.user("U1")]?.licenses.isEmpty == true)
    }
}
