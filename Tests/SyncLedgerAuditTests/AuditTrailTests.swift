import Foundation
import SyncLedgerAudit
import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerReplay
import SyncLedgerSimulator
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Audit: who changed what")
struct AuditTrailTests {
    /// A ledger with one user renamed and retitled by different actors.
    func history() throws -> (TemporaryDirectory, Ledger) {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in
            try session.append(Fixtures.tenantInitialized())
            try session.append(Fixtures.userCreated("A1", upn: "ann.old@contoso.example", displayName: "Ann Old", minutes: 1))
            try session.append(Fixtures.titleChanged("A1", to: "Engineer", minutes: 2, actor: "hr-import"))
            try session.append(
                ProposedEvent(
                    type: "UserUpdated", stream: Fixtures.user("A1"), actor: "admin:jdoe", source: "okta", occurredAt: Fixtures.at(3),
                    data: ["set": ["userPrincipalName": "ann.new@contoso.example", "displayName": "Ann New"], "unset": []]))
            try session.append(Fixtures.titleChanged("A1", to: "Lead", minutes: 4, actor: "admin:mlarsen"))
            try session.append(Fixtures.userCreated("B1", minutes: 5))
        }
        try DirectoryProjector(ledger: ledger).catchUp()
        return (directory, ledger)
    }

    @Test("each changed attribute gets a row with its old and new value, the actor and the source")
    func oldAndNew() throws {
        let (_, ledger) = try history()
        var rows: [AuditRow] = []
        try AuditTrail(ledger: ledger).forEachChange(matching: AuditQuery(object: Fixtures.user("A1"), attribute: "jobTitle")) { rows.append($0) }
        #expect(rows.map(\.actor) == ["hr-import", "admin:mlarsen"])
        #expect(rows.map(\.old) == [nil, "Engineer"])
        #expect(rows.map(\.new) == ["Engineer", "Lead"])
        #expect(rows.allSatisfy { $0.status == "not sent" })
    }

    @Test("the history follows the anchor: a former UPN finds the renamed object; the rename shows old and new")
    func renameSafe() throws {
        let (_, ledger) = try history()
        let trail = AuditTrail(ledger: ledger)
        #expect(try trail.objects(everAddressed: "ANN.OLD@contoso.example") == [Fixtures.user("A1")])
        #expect(try trail.objects(everAddressed: "ann.new@contoso.example") == [Fixtures.user("A1")])
        #expect(try trail.objects(everAddressed: "nobody@contoso.example").isEmpty)
        var rows: [AuditRow] = []
        try trail.forEachChange(matching: AuditQuery(object: Fixtures.user("A1"), attribute: "userPrincipalName")) { rows.append($0) }
        #expect(rows.last?.old == "ann.old@contoso.example")
        #expect(rows.last?.new == "ann.new@contoso.example")
        #expect(rows.last?.objectName == "ann.old@contoso.example", "named as it was when the event happened")
    }

    @Test("filters: actor, time window, attribute prefix")
    func filters() throws {
        let (_, ledger) = try history()
        let trail = AuditTrail(ledger: ledger)
        var byActor: [AuditRow] = []
        try trail.forEachChange(matching: AuditQuery(actor: "admin:jdoe")) { byActor.append($0) }
        #expect(Set(byActor.map(\.attribute)) == ["userPrincipalName", "displayName"])
        // Old values come from the events the filter left out, folded all the same.
        #expect(byActor.first { $0.attribute == "userPrincipalName" }?.old == "ann.old@contoso.example")
        var window: [AuditRow] = []
        try trail.forEachChange(matching: AuditQuery(since: Fixtures.at(2), until: Fixtures.at(4))) { window.append($0) }
        #expect(Set(window.map(\.seq)) == [3, 4])
        #expect(try trail.rows(AuditQuery(attribute: "jobTitle", since: Fixtures.at(4))).map(\.old) == ["Engineer"])
    }

    @Test("commands and events link both ways, with each command's result")
    func commandLinks() throws {
        let (directory, ledger) = try history()
        var random = SeededRandom(seed: 3)
        let tenant = SimulatedTenant()
        let replayer = Replayer(ledger: ledger)
        let report = try replayer.emit(to: directory.file("run1"), random: &random)
        for file in try tenant.run(directory: directory.file("run1")) {
            _ = try replayer.ack(Array(try Data(contentsOf: URL(fileURLWithPath: file))), file: file)
        }
        let create = try #require(report.plan.commands.first { $0.stream == Fixtures.user("A1") && $0.operation == .userCreate })

        var rows: [AuditRow] = []
        try AuditTrail(ledger: ledger).forEachChange(matching: AuditQuery(object: Fixtures.user("A1"), attribute: "jobTitle")) { rows.append($0) }
        #expect(rows.last?.commands.map(\.id) == [create.id])
        #expect(rows.last?.status == "applied")

        let causes = try AuditTrail(ledger: ledger).causes(ofCommand: create.id)
        #expect(causes.count == 1)
        #expect(causes[0].events.map(\.seq) == [2, 3, 4, 5])
        #expect(Set(causes[0].events.map(\.actor)) == ["hr-import", "admin:jdoe", "admin:mlarsen"])
        #expect(causes[0].entry.result?.status == .applied)
    }

    @Test("a failed command shows as failed with its error on the rows it carried")
    func failedStatus() throws {
        let (directory, ledger) = try history()
        var random = SeededRandom(seed: 3)
        let replayer = Replayer(ledger: ledger)
        let report = try replayer.emit(to: directory.file("run1"), random: &random)
        let id = try #require(report.plan.commands.first { $0.stream == Fixtures.user("A1") }).id
        _ = try replayer.ack(Array(#"{"command":"\#(id)","status":"failed","error":"quota exceeded"}"#.utf8), file: "results.ndjson")
        var rows: [AuditRow] = []
        try AuditTrail(ledger: ledger).forEachChange(matching: AuditQuery(object: Fixtures.user("A1"), attribute: "jobTitle")) { rows.append($0) }
        #expect(rows.last?.status == "failed")
        #expect(rows.last?.commands.first?.error == "quota exceeded")
    }
}

extension AuditTrail {
    /// Every row matching `query`.
    func rows(_ query: AuditQuery) throws -> [AuditRow] {
        var rows: [AuditRow] = []
        try forEachChange(matching: query) { rows.append($0) }
        return rows
    }
}
