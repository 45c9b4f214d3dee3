import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Rebuild and incremental folding")
struct RebuildTests {
    func allObjects(_ ledger: Ledger) throws -> [DirectoryObject] {
        try Fixtures.directoryObjects(of: ledger)
    }

    /// A ledger holding group G1 with `members` users in it, its directory caught up.
    func groupLedger(_ directory: TemporaryDirectory, members: Int) throws -> Ledger {
        let ledger = try Fixtures.groupLedger(in: directory, members: members)
        try DirectoryProjector(ledger: ledger).catchUp()
        return ledger
    }

    @Test("objects read with their relations alongside equal objects read one by one", arguments: [7, 8] as [UInt64])
    func relationsReadAlongside(seed: UInt64) throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in try session.append(Fixtures.tenantInitialized(mode: "universal-sync")) }
        var generator = RandomHistory(seed: seed, everyKind: true)
        for minute in 1...400 {
            let (type, stream, data) = generator.nextEvent()
            let event = ProposedEvent(type: type, stream: stream, actor: "a", source: "test", occurredAt: Fixtures.at(Int64(minute)), data: data)
            _ = try? ledger.append { session in try session.append(event) }
        }
        try DirectoryProjector(ledger: ledger).catchUp()
        let objects = try allObjects(ledger)
        #expect(objects.contains { !$0.members.isEmpty } && objects.contains { !$0.licenses.isEmpty } && objects.contains { !$0.roles.isEmpty })
        for object in objects {
            #expect(try ledger.directoryObject(object.reference) == object, "\(object.reference)")
        }
    }

    @Test("rebuild gives the same rows as incremental folding, over random histories", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func rebuildEqualsIncremental(seed: UInt64) throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in try session.append(Fixtures.tenantInitialized()) }
        var generator = RandomHistory(seed: seed)
        var random = SeededRandom(seed: seed &+ 100)
        var minute: Int64 = 0
        for _ in 0..<40 {
            let batch = Int(random.next() % 15) + 1
            try ledger.append { session in
                for _ in 0..<batch {
                    let (type, stream, data) = generator.nextEvent()
                    minute += 1
                    try session.append(ProposedEvent(type: type, stream: stream, actor: "a", source: "s", occurredAt: Fixtures.at(minute), data: data))
                }
            }
            // Small, varying pass sizes fold in several passes over stored objects.
            try DirectoryProjector(ledger: ledger, objectsPerPass: Int(random.next() % 9) + 1).catchUp()
        }
        let incremental = try allObjects(ledger)
        #expect(incremental.count > 10)
        #expect(try ledger.directoryCheckpoint() == (try ledger.head().seq))

        try DirectoryProjector(ledger: ledger, objectsPerPass: 3).rebuild()
        let rebuilt = try allObjects(ledger)
        #expect(rebuilt == incremental)

        // And both equal the in-memory fold used for point-in-time queries.
        let folded = try DirectoryProjector(ledger: ledger).snapshot(at: .seq(try ledger.head().seq))
        #expect(Set(folded.objects.values) == Set(rebuilt))

        // A fold limited to one kind holds that kind's objects, the same ones, at the same point.
        let middle = try ledger.head().seq / 2
        let all = try DirectoryProjector(ledger: ledger).snapshot(at: .seq(middle))
        let users = try DirectoryProjector(ledger: ledger).snapshot(at: .seq(middle), kinds: [.user])
        #expect(users.throughSeq == middle)
        #expect(users.throughSeq == all.throughSeq)
        #expect(users.asOf == all.asOf)
        #expect(users.tenant == all.tenant)
        #expect(!users.objects.isEmpty)
        #expect(users.objects == all.objects.filter { $0.key.kind == .user })
    }

    @Test("folds reading the log ahead write the rows and snapshots a fold scanning it writes", arguments: [21, 22, 23] as [UInt64])
    func readAheadEqualsScan(seed: UInt64) throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        let path = directory.file("ledger.sqlite")
        try ledger.append { session in try session.append(Fixtures.tenantInitialized(mode: "universal-sync")) }
        var generator = RandomHistory(seed: seed, everyKind: true)
        var ahead = DirectoryProjector(ledger: ledger, objectsPerPass: 7, snapshotInterval: 60)
        ahead.readAheadEvents = 0
        var scanning = ahead
        scanning.readAheadEvents = .max
        // Catch-ups reading ahead (the first one from an empty directory, the others loading
        // the objects they change) along the history.
        for minute in 1...300 {
            let (type, stream, data) = generator.nextEvent()
            let event = ProposedEvent(type: type, stream: stream, actor: "a\(minute % 3)", source: "test", occurredAt: Fixtures.at(Int64(minute)), data: data)
            _ = try? ledger.append { session in try session.append(event) }
            if minute % 50 == 0 { try ahead.catchUp() }
        }
        try ahead.catchUp()
        let caughtUp = try allObjects(ledger)
        #expect(caughtUp.count > 10)
        let snapshots = {
            try SQLiteShell.run(path, "SELECT through_seq, stream, object FROM directory_snapshot_objects ORDER BY 1, 2").output
        }

        try scanning.rebuild()
        #expect(try allObjects(ledger) == caughtUp)
        let scanned = try snapshots()
        #expect(scanned.split(separator: "\n").count > 100)

        try ahead.rebuild()
        #expect(try allObjects(ledger) == caughtUp)
        #expect(try snapshots() == scanned)
    }

    @Test("a rebuild empties the directory while the log is read, ahead or not: rows the log does not give are gone", arguments: [0, Int64.max])
    func rebuildEmpties(readAheadEvents: Int64) throws {
        let directory = TemporaryDirectory()
        let ledger = try groupLedger(directory, members: 20)
        let path = directory.file("ledger.sqlite")
        let objects = try allObjects(ledger)
        let members = { try SQLiteShell.run(path, "SELECT count(*) FROM directory_members").output }
        #expect(try members() == "20\n")
        // Rows no event gives: a member, and an object's name changed.
        let tampered = try SQLiteShell.run(
            path,
            """
            INSERT INTO directory_members (group_stream, member) VALUES ('group:G1', 'user:nobody');
            UPDATE directory_objects SET display_name = 'tampered' WHERE stream = 'user:U3';
            """)
        #expect(tampered.status == 0)
        #expect(try allObjects(ledger) != objects)

        var projector = DirectoryProjector(ledger: ledger)
        projector.readAheadEvents = readAheadEvents
        try projector.rebuild()
        #expect(try allObjects(ledger) == objects)
        #expect(try members() == "20\n")
    }

    @Test(
        "a rebuild refused while it writes leaves the directory, its indexes and its checkpoint as they were",
        arguments: [0, Int64.max])
    func refusedRebuild(writesPagesOnceEvents: Int64) throws {
        let directory = TemporaryDirectory()
        // More objects than one chunk of the bulk save, so the next chunk is being encoded
        // when the insert fails.
        let ledger = try groupLedger(directory, members: 1_500)
        let path = directory.file("ledger.sqlite")
        let objects = try allObjects(ledger)
        let checkpoint = try ledger.directoryCheckpoint()
        // A trigger the rebuild's inserts run into: the group's 1,401st member is refused.
        try SQLiteShell.run(
            path,
            """
            CREATE TRIGGER test_refuse BEFORE INSERT ON directory_members WHEN NEW.member = 'user:U1400'
            BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
            """)
        let schema = { try SQLiteShell.run(path, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name").output }
        let before = try schema()
        #expect(before.contains("directory_members_by_member") && before.contains("test_refuse"))

        // With writesPagesOnceEvents at 0, into new tables, the trigger made again on them.
        var projector = DirectoryProjector(ledger: ledger)
        projector.writesPagesOnceEvents = writesPagesOnceEvents
        #expect(throws: StoreError.self) { try projector.rebuild() }
        #expect(try schema() == before)
        #expect(try ledger.directoryCheckpoint() == checkpoint)
        #expect(try allObjects(ledger) == objects)

        try SQLiteShell.run(path, "DROP TRIGGER test_refuse")
        try projector.rebuild()
        #expect(try allObjects(ledger) == objects)
    }

    @Test("a 100k-event history rebuilds in passes of bounded memory, every event folded once per object")
    func largeRebuild() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        let users = 5_000
        try ledger.append { session in
            for index in 0..<users {
                try session.append(Fixtures.userCreated("U\(index)", minutes: Int64(index)))
            }
            for round in 0..<19 {
                for index in 0..<users {
                    try session.append(Fixtures.titleChanged("U\(index)", to: "T\(round)", minutes: Int64(users + round * users + index)))
                }
            }
        }
        #expect(try ledger.head().count == 100_000)
        try DirectoryProjector(ledger: ledger).catchUp()
        let onePass = try allObjects(ledger)
        #expect(onePass.count == users)
        var reports = 0
        var lastDone: Int64 = 0
        // 5,000 users, at most 1,000 objects a pass: five passes over the 100k events.
        let folded = try DirectoryProjector(ledger: ledger, objectsPerPass: 1_000).rebuild { done, total in
            reports += 1
            #expect(done > lastDone)
            lastDone = done
            #expect(total == 500_000)
        }
        #expect(folded == 100_000)
        #expect(reports > 5)
        #expect(lastDone == 500_000)
        #expect(try allObjects(ledger) == onePass)
        let sample = try #require(try ledger.directoryObject(Fixtures.user("U4242")))
        #expect(sample.attributes["jobTitle"] == "T18")
        #expect(sample.version == 20)
    }
}
