import SyncLedgerAudit
import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerReplay
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Reports")
struct ReportTests {
    func ledger() throws -> (TemporaryDirectory, Ledger) {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in
            try session.append(Fixtures.tenantInitialized())
            try session.append(Fixtures.userCreated("A1", displayName: "Ann, \"the\" Engineer", minutes: 1))
            try session.append(Fixtures.userCreated("B1", minutes: 2, actor: "admin:jdoe"))
            try session.append(ProposedEvent(type: "LicenseAssigned", stream: Fixtures.user("A1"), actor: "hr-import", source: "workday", occurredAt: Fixtures.at(3), data: ["skuId": "6fd2c87f-b296-42f0-b197-1e91e994b900"]))
            try session.append(ProposedEvent(type: "LicenseAssigned", stream: Fixtures.user("B1"), actor: "hr-import", source: "workday", occurredAt: Fixtures.at(3), data: ["skuId": "6fd2c87f-b296-42f0-b197-1e91e994b900"]))
            try session.append(Fixtures.groupCreated("G1", minutes: 4))
            try session.append(Fixtures.memberAdded(group: "G1", user: "A1", minutes: 5))
            try session.append(Fixtures.titleChanged("B1", to: "Lead", minutes: 60 * 24 * 2, actor: "admin:jdoe"))
        }
        try DirectoryProjector(ledger: ledger).catchUp()
        return (directory, ledger)
    }

    func rows(_ name: ReportName, _ ledger: Ledger, _ options: ReportWriter.Options = .init()) throws -> [[JSONValue]] {
        var rows: [[JSONValue]] = []
        try ReportWriter(ledger: ledger).write(name, options: options) { rows.append($0) }
        for row in rows { #expect(row.count == ReportWriter.columns(name).count, "\(name): one value per column") }
        return rows
    }

    @Test("state reports list what exists, with their columns")
    func stateReports() throws {
        let (_, ledger) = try ledger()
        let users = try rows(.users, ledger)
        #expect(users.map { $0[0] } == ["user:A1", "user:B1"])
        #expect(users[0][2] == "Ann, \"the\" Engineer")
        #expect(users[1][6] == "Lead")
        #expect(try rows(.licenses, ledger) == [["6fd2c87f-b296-42f0-b197-1e91e994b900", 2, ["a1@contoso.example", "b1@contoso.example"]]])
        #expect(try rows(.groups, ledger).first?[5] == 1)
        #expect(try rows(.memberships, ledger) == [["group:G1", "Group G1", "user:A1", "a1@contoso.example"]])
    }

    @Test("changes and actors cover a time window")
    func activity() throws {
        let (_, ledger) = try ledger()
        let all = try rows(.changes, ledger)
        #expect(all.count > 5)
        let late = try rows(.changes, ledger, .init(since: Fixtures.at(60)))
        #expect(late.map { $0[6] } == ["jobTitle"])
        let actors = try rows(.actors, ledger)
        #expect(actors.map { $0[0] } == ["admin:jdoe", "hr-import"])
    }

    @Test("as-of and --mode views of the state")
    func pointAndMode() throws {
        let (_, ledger) = try ledger()
        #expect(try rows(.users, ledger, .init(point: .seq(2))).count == 1)
        // licenses-roles still manages both users' licenses; universal-sync shows the pushed group too.
        #expect(try rows(.users, ledger, .init(mode: .licensesRoles)).count == 2)
        #expect(try rows(.groups, ledger, .init(mode: .profileSync)).isEmpty, "not pushed: out of profile-sync's scope")
        #expect(try rows(.groups, ledger, .init(mode: .universalSync)).count == 1)
    }

    @Test(
        "the current state's reports, streamed from the tables, equal the same reports folded from the log",
        arguments: [1, 2, 3] as [UInt64])
    func streamedEqualsFolded(seed: UInt64) throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        var generator = RandomHistory(seed: seed, everyKind: true)
        try ledger.append { session in try session.append(Fixtures.tenantInitialized()) }
        for minute in 1...300 {
            let (type, stream, data) = generator.nextEvent()
            let event = ProposedEvent(type: type, stream: stream, actor: "hr-import", source: "test", occurredAt: Fixtures.at(Int64(minute)), data: data)
            // A few generated events break a rule the generator does not track; skip them.
            _ = try? ledger.append { session in try session.append(event) }
        }
        try DirectoryProjector(ledger: ledger).catchUp()
        let last = try ledger.lastSeq()
        for name in [ReportName.users, .licenses, .groups, .memberships, .contacts, .resources, .drift] {
            let streamed = try rows(name, ledger)
            #expect(streamed == (try rows(name, ledger, .init(point: .seq(last)))), "\(name), seed \(seed)")
            #expect(!streamed.isEmpty || [.contacts, .resources].contains(name), "\(name), seed \(seed): the history has some")
        }
        // The drift report under a mode that lets edits in Office 365 stand, and one that does not.
        for mode in [ProvisioningMode.licensesRoles, .universalSync] {
            let streamed = try rows(.drift, ledger, .init(mode: mode))
            #expect(streamed == (try rows(.drift, ledger, .init(point: .seq(last), mode: mode))), "drift under \(mode), seed \(seed)")
        }
    }

    @Test("the commands report lists every emission in journal order, with its latest result")
    func commandsReport() throws {
        let (directory, ledger) = try ledger()
        var random = SeededRandom(seed: 5)
        let replayer = Replayer(ledger: ledger)
        let report = try replayer.emit(to: directory.file("run1"), random: &random)
        let failed = try #require(report.plan.commands.first).id
        _ = try replayer.ack(Array(#"{"command":"\#(failed)","status":"failed","error":"quota exceeded"}"#.utf8), file: "results.ndjson")
        let rows = try rows(.commands, ledger)
        let journal = try ledger.journal()
        #expect(rows.map { $0[0] } == journal.map { .string($0.commandID) })
        #expect(rows.count == report.plan.commands.count)
        #expect(rows.first.map { [$0[4], $0[5]] } == ["failed", "quota exceeded"])
        #expect(rows.dropFirst().allSatisfy { $0[4] == "pending" && $0[5] == .null })
    }

    @Test("each actor's tally is the changes report's rows counted by actor", arguments: [1, 2] as [UInt64])
    func actorTallies(seed: UInt64) throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        var generator = RandomHistory(seed: seed, everyKind: true)
        try ledger.append { session in try session.append(Fixtures.tenantInitialized()) }
        let actors = ["hr-import", "admin:jdoe", "a-long-actor-name-of-a-sync"]
        for minute in 1...200 {
            let (type, stream, data) = generator.nextEvent()
            let event = ProposedEvent(
                type: type, stream: stream, actor: actors[minute % actors.count], source: minute % 2 == 0 ? "workday" : "ad",
                occurredAt: Fixtures.at(Int64(minute)), data: data)
            _ = try? ledger.append { session in try session.append(event) }
        }
        // Columns of changes: at, actor, source, object, …, seq (last).
        let changes = try rows(.changes, ledger)
        var expected: [[JSONValue]] = []
        for actor in Set(changes.map { $0[1].stringValue! }).sorted() {
            let mine = changes.filter { $0[1].stringValue == actor }
            let times = mine.map { $0[0].stringValue! }
            expected.append([
                .string(actor), .int(Int64(mine.count)), .int(Int64(Set(mine.map { $0[10] }).count)), .int(Int64(Set(mine.map { $0[3] }).count)),
                .array(Set(mine.map { $0[2].stringValue! }).sorted().map(JSONValue.string)), .string(times.min()!), .string(times.max()!),
            ])
        }
        #expect(expected.count == actors.count)
        #expect(try rows(.actors, ledger) == expected)
    }
}
