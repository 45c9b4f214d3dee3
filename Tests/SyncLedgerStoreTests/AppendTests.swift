import SyncLedgerDomain
@testable import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Appending to the event log")
struct AppendTests {
    @Test("an appended event reads back with its version, chain and canonical payload")
    func roundTrip() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        let outcomes = try ledger.append { session in
            [
                try session.append(Fixtures.tenantInitialized()),
                try session.append(Fixtures.userCreated("A1")),
                try session.append(Fixtures.titleChanged("A1", to: "Engineer")),
            ]
        }
        #expect(outcomes.count == 3)
        guard case .appended(let seq, let version, _) = outcomes[2] else {
            Issue.record("expected an append")
            return
        }
        #expect(seq == 3)
        #expect(version == 2)

        let events = try ledger.events()
        #expect(events.map(\.seq) == [1, 2, 3])
        #expect(events.map(\.stream) == ["tenant", "user:A1", "user:A1"])
        #expect(events.map(\.version) == [1, 1, 2])
        #expect(events[0].prevHash == EventChain.genesis)
        #expect(events[1].prevHash == events[0].hash)
        #expect(events[2].prevHash == events[1].hash)
        #expect(events[2].payload == #"{"set":{"jobTitle":"Engineer"},"unset":[]}"#)
        #expect(events[2].occurredAt == "2026-01-05T09:02:00.000Z")
        #expect(events[2].recordedAt == Fixtures.epoch.rfc3339)
        #expect(try ledger.head().hash == events[2].hash)
    }

    @Test("canonically equivalent anchors are two streams, as SQLite stores them: each is created once, at version 1")
    func equivalentAnchorsAreTwoStreams() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in
            try session.append(Fixtures.tenantInitialized())
            try session.append(Fixtures.userCreated("é", upn: "composed@contoso.example"))
            try session.append(Fixtures.userCreated("e\u{301}", upn: "decomposed@contoso.example"))
            try session.append(Fixtures.titleChanged("e\u{301}", to: "Engineer"))
        }
        let events = try ledger.events()
        #expect(events.map(\.version) == [1, 1, 1, 2])
        #expect(Set(events.dropFirst().map { Array($0.stream.utf8) }).count == 2)
        let streams = try SQLiteShell.run(ledger.path, "SELECT hex(stream), version FROM streams WHERE stream <> 'tenant' ORDER BY stream").output
        #expect(streams == "757365723A65CC81|2\n757365723AC3A9|1\n")
    }

    @Test("re-appending an event id is a no-op reported as already recorded")
    func idempotentReappend() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in
            try session.append(Fixtures.tenantInitialized())
            try session.append(Fixtures.userCreated("A1"))
        }
        let before = try ledger.head()
        let second = try ledger.append { session in
            let outcome = try session.append(Fixtures.userCreated("A1"))
            return (outcome, session.appendedCount, session.alreadyRecordedCount)
        }
        guard case .alreadyRecorded = second.0 else {
            Issue.record("expected already recorded, got \(second.0)")
            return
        }
        #expect(second.1 == 0)
        #expect(second.2 == 1)
        #expect(try ledger.head() == before)
    }

    @Test("the same id twice in one batch appends once")
    func duplicateInsideBatch() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        let counts = try ledger.append { session in
            try session.append(Fixtures.userCreated("A1"))
            try session.append(Fixtures.userCreated("A1"))
            return (session.appendedCount, session.alreadyRecordedCount)
        }
        #expect(counts == (1, 1))
        #expect(try ledger.head().count == 1)
    }

    @Test("an id already recorded is skipped whatever else its event carries, and nothing of it is written")
    func recordedIDSkippedBeforeChecks() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        // With an id of its own: the variants below keep it (a derived id follows the content).
        var changed = Fixtures.titleChanged("A1", to: "X")
        changed.id = "018f0000-0000-7000-8000-0000000000a1"
        try ledger.append { session in
            try session.append(Fixtures.tenantInitialized())
            try session.append(Fixtures.userCreated("A1"))
            try session.append(changed)
        }
        let before = try ledger.head()
        var badData = changed
        badData.data = .object(["set": .object(["notAnAttribute": .int(1)]), "unset": .array([])])
        var conflict = changed
        conflict.expectedVersion = 7
        var refused = changed
        refused.type = "UserCreated"  // the user exists: the lifecycle refuses it
        refused.data = .object(["attributes": .object([:])])
        var valid = changed
        valid.data = .object(["set": .object(["jobTitle": .string("Y")]), "unset": .array([])])  // passes every check
        let outcomes = try ledger.append { session in
            let outcomes = try [changed, badData, conflict, refused, valid].map { try session.append($0) }
            return (outcomes, session.appendedCount, session.alreadyRecordedCount)
        }
        #expect(outcomes.0 == Array(repeating: .alreadyRecorded(eventID: "018f0000-0000-7000-8000-0000000000a1"), count: 5))
        #expect(outcomes.1 == 0 && outcomes.2 == 5)
        #expect(try ledger.head() == before)
        #expect(try ledger.streamHead(Fixtures.user("A1")).version == 2)

        // Appended in the same session, then offered again with a change the rules accept.
        let counts = try ledger.append { session in
            var title = Fixtures.titleChanged("A1", to: "Z", minutes: 50)
            title.id = "018f0000-0000-7000-8000-0000000000a2"
            var again = title
            again.data = .object(["set": .object(["jobTitle": .string("W")]), "unset": .array([])])
            guard case .appended = try session.append(title) else { return (-1, -1) }
            guard case .alreadyRecorded = try session.append(again) else { return (-2, -2) }
            return (session.appendedCount, session.alreadyRecordedCount)
        }
        #expect(counts == (1, 1))
        #expect(try ledger.streamHead(Fixtures.user("A1")).version == 3)
        #expect(try ledger.events().last?.payload.contains("\"Z\"") == true)
    }

    @Test("an expected-version conflict rejects the whole batch and names both versions")
    func versionConflict() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in try session.append(Fixtures.userCreated("A1")) }
        let before = try ledger.head()
        let error = #expect(throws: StoreError.self) {
            try ledger.append { session in
                try session.append(Fixtures.userCreated("B1", expectedVersion: 0))
                try session.append(Fixtures.titleChanged("A1", to: "X", expectedVersion: 3))
            }
        }
        #expect(error?.code == .versionConflict)
        #expect(error?.message.contains("user:A1") == true)
        #expect(error?.message.contains("expects version 3") == true)
        #expect(error?.message.contains("at version 1") == true)
        #expect(try ledger.head() == before)
        #expect(try ledger.streamHead(Fixtures.user("B1")) == .absent)
    }

    @Test("an event prepared ahead is appended, skipped or refused as the same event checked in place")
    func preparedLikeInPlace() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        var unknownType = Fixtures.titleChanged("A1", to: "X")
        unknownType.type = "UserRenamed"
        var recorded = Fixtures.userCreated("A1")
        recorded.id = "00000000-0000-7000-8000-0000000000a1"
        var recordedAgainBadly = recorded
        recordedAgainBadly.type = "UserRenamed"
        try ledger.append { session in
            try session.append(Fixtures.tenantInitialized())
            #expect(try session.append(PreparedEvent(recorded)) == .appended(seq: 2, version: 1, eventID: recorded.resolvedID))
            // The id is looked at before the data: a recorded one is skipped, its data unread.
            #expect(try session.append(PreparedEvent(recordedAgainBadly)) == .alreadyRecorded(eventID: recorded.resolvedID))
            let inPlace = #expect(throws: DomainError.self) { try session.append(unknownType) }
            let prepared = #expect(throws: DomainError.self) { try session.append(PreparedEvent(unknownType)) }
            #expect(inPlace?.code == .unknownEventType)
            #expect(prepared == inPlace)
        }
        #expect(try ledger.head().count == 2)
    }

    @Test("a batch with one bad event appends none of it")
    func badEventRollsBackBatch() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        var bad = Fixtures.titleChanged("A1", to: "X")
        bad.actor = ""
        #expect(throws: DomainError.self) {
            try ledger.append { session in
                try session.append(Fixtures.userCreated("A1"))
                try session.append(Fixtures.userCreated("B1"))
                try session.append(bad)
            }
        }
        #expect(try ledger.head().count == 0)
        #expect(try ledger.streamHead(Fixtures.user("A1")) == .absent)
    }

    @Test("a dry run checks everything and commits nothing")
    func dryRun() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        let appended = try ledger.append(dryRun: true) { session in
            try session.append(Fixtures.userCreated("A1"))
            return session.appendedCount
        }
        #expect(appended == 1)
        #expect(try ledger.head().count == 0)
    }

    @Test("stream heads are kept in the streams table with the events")
    func streamHeads() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in
            try session.append(Fixtures.userCreated("A1"))
            try session.append(Fixtures.titleChanged("A1", to: "X"))
        }
        let head = try ledger.streamHead(Fixtures.user("A1"))
        #expect(head.version == 2)
        #expect(head.state == .active)
        let rows = try SQLiteShell.run(directory.file("ledger.sqlite"), "SELECT stream, version, state, last_seq FROM streams")
        #expect(rows.output == "user:A1|2|active|2\n")
    }
}

@Suite("Statement journals")
struct StatementJournalTests {
    @Test("an append leaves temporary files at the default: its statement journals are held in memory, under 128 KiB, by SQLite's setting")
    func appendKeepsTheDefault() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in try session.append(Fixtures.userCreated("A1")) }
        #expect(try ledger.temporaryStorage() == 0)
        #expect(Ledger.sqliteSettings == 0)  // SQLITE_OK
        #expect(Ledger.statementJournalSpill > 64 * 1024 && Ledger.statementJournalSpill < 128 * 1024)
    }

    @Test("a statement whose journal outgrows the memory it is given goes on in a temporary file")
    func spilledJournal() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        let rows = 40
        try ledger.updateDirectoryState { writer in
            try writer.execute(
                """
                CREATE TABLE scratch (n INTEGER PRIMARY KEY, body BLOB NOT NULL CHECK (length(body) > 0));
                WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < \(rows))
                INSERT INTO scratch SELECT n, zeroblob(7000) FROM i;
                """)
        }
        // Every row's page was there before the statement, so each is copied into its
        // journal first: 40 pages of 8 KiB, past the 120 KiB held in memory. The journal's
        // buffer is then written to a temporary file in one call, which SQLite's file layer
        // cut short from 128 KiB on ("database or disk is full").
        try ledger.updateDirectoryState { writer in
            try writer.execute("UPDATE scratch SET body = randomblob(7000)")
        }
        let changed = try SQLiteShell.run(ledger.path, "SELECT count(*) FROM scratch WHERE body != zeroblob(7000)")
        #expect(changed.output == "\(rows)\n")
    }
}
