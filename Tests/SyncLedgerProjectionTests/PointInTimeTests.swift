import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Point in time")
struct PointInTimeTests {
    @Test("the state at a seq or a time before a mode change uses the mode in force then")
    func acrossModeChange() throws {
        var history = try History(mode: "profile-sync")
        try history.createUser("U1")
        let beforeSwitch = history.now
        let seqBefore = try history.ledger.head().seq
        try history.append("ModeChanged", .tenant, ["mode": "universal-sync"], actor: "admin", minutesLater: 60)
        try history.append("UserUpdated", History.user("U1"), ["set": ["companyName": "Fabrikam"], "unset": []])

        let projector = DirectoryProjector(ledger: history.ledger)
        for point in [PointInTime.seq(seqBefore), .time(beforeSwitch)] {
            let then = try projector.snapshot(at: point)
            #expect(then.tenant.mode == .profileSync)
            #expect(then.targets()[History.user("U1")]?.attributes["companyName"] == nil)
            #expect(then.objects[History.user("U1")]?.attributes["companyName"] == "Contoso")
        }
        let now = try projector.snapshot(at: .now)
        #expect(now.tenant.mode == .universalSync)
        #expect(now.targets()[History.user("U1")]?.attributes["companyName"] == "Fabrikam")
    }

    @Test("an object created after the point is not in the state at that point")
    func notYetCreated() throws {
        var history = try History()
        try history.createUser("U1")
        let seq = try history.ledger.head().seq
        try history.createUser("U2")
        let then = try DirectoryProjector(ledger: history.ledger).snapshot(at: .seq(seq))
        #expect(then.existing(.user).map(\.reference) == [History.user("U1")])
        #expect(then.throughSeq == seq)
    }

    @Test("show: an object's history names each change from what to what")
    func history() throws {
        var history = try History()
        try history.createUser("U1")
        try history.append("UserUpdated", History.user("U1"), ["set": ["department": "Sales"], "unset": ["companyName"]], actor: "admin:jdoe")
        let (object, entries) = try DirectoryProjector(ledger: history.ledger).history(of: History.user("U1"), at: .now)
        #expect(object?.attributes["department"] == "Sales")
        #expect(entries.count == 2)
        #expect(entries[1].actor == "admin:jdoe")
        #expect(
            entries[1].changes == [
                AttributeChange(attribute: "companyName", old: "Contoso", new: nil),
                AttributeChange(attribute: "department", old: "Engineering", new: "Sales"),
            ])
    }
}
