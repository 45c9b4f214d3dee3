import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Snapshots of the directory")
struct SnapshotTests {
    /// A random history of every kind of object appended in batches, some events dated
    /// earlier than the ones before them; the directory is caught up after each batch, rebuilt
    /// once on the way with a snapshot every `interval` events, and snapshotted twice at the
    /// head later. Returns the history and the time after each batch.
    static func randomHistory(seed: UInt64, interval: Int64) throws -> (History, [Timestamp]) {
        var history = try History(mode: seed % 2 == 0 ? "universal-sync" : "profile-sync")
        try history.append("DeactivationPolicySet", .tenant, ["option": "block-remove-licenses-delete-after", "graceDays": 2], actor: "admin")
        var generator = RandomHistory(seed: seed, everyKind: true)
        var random = SeededRandom(seed: seed &+ 77)
        // Passes of at most 4 objects: a rebuild folds in several passes, each taking its
        // partition's part of every snapshot.
        let projector = DirectoryProjector(ledger: history.ledger, objectsPerPass: 4, snapshotInterval: interval)
        var times: [Timestamp] = []
        for batch in 1...10 {
            if random.next() % 4 == 0 {
                // A site attribute seen cleared in Office 365 as a null.
                try? history.append("DirectEditObserved", Fixtures.user("U\(random.next() % 8)"), ["set": ["x-site": nil], "unset": []], actor: "graph-delta")
            }
            if random.next() % 3 == 0 {
                // A tenant setting dated ten hours ahead of the events around it.
                try history.append("DestructiveThresholdSet", .tenant, ["count": .int(Int64(batch)), "percent": 50], actor: "admin", minutesLater: 600)
                try history.append("DeactivationPolicySet", .tenant, ["option": "block"], actor: "admin", minutesLater: -599)
            }
            for _ in 0..<(Int(random.next() % 16) + 1) {
                let (type, stream, data) = generator.nextEvent()
                // Now and then an event dated earlier than the last one (a late import).
                let later: Int64 = random.next() % 6 == 0 ? -3 : 2
                // A few generated events break a rule the generator does not track; skip them.
                try? history.append(type, stream, data, minutesLater: later)
            }
            times.append(history.now)
            switch batch {
            case 5: try projector.rebuild()  // snapshots in the fold, at multiples of the interval
            case 7, 9: try projector.takeSnapshot()  // a snapshot of the stored tables
            default: try projector.catchUp()
            }
        }
        return (history, times)
    }

    static func expectSame(_ a: DirectorySnapshot, _ b: DirectorySnapshot, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        // The first object that differs, not two whole directories.
        let differing = Set(a.objects.keys).union(b.objects.keys).sorted().first { a.objects[$0] != b.objects[$0] }
        #expect(differing == nil, "objects, \(context): \(differing.map { "\(String(describing: a.objects[$0])) vs \(String(describing: b.objects[$0]))" } ?? "")", sourceLocation: sourceLocation)
        #expect(a.tenant == b.tenant, "tenant, \(context)", sourceLocation: sourceLocation)
        #expect(a.throughSeq == b.throughSeq, "seq, \(context)", sourceLocation: sourceLocation)
        #expect(a.asOf == b.asOf, "as of, \(context)", sourceLocation: sourceLocation)
    }

    static func snapshotSeqs(_ ledger: Ledger) throws -> [Int64] {
        try SQLiteShell.run(ledger.path, "SELECT through_seq FROM directory_snapshots ORDER BY through_seq").output
            .split(separator: "\n").compactMap { Int64($0) }
    }

    @Test("a view of the past read from the nearest snapshot equals the fold from seq 1, at every seq and at each batch's time", arguments: [1, 2, 3, 4] as [UInt64])
    func pastFromSnapshots(seed: UInt64) throws {
        let (history, times) = try Self.randomHistory(seed: seed, interval: 7)
        #expect(try Self.snapshotSeqs(history.ledger).count >= 4)
        let projector = DirectoryProjector(ledger: history.ledger)
        var fromScratch = projector
        fromScratch.readsSnapshots = false
        let head = try history.ledger.head().seq
        for seq in 1...head {
            Self.expectSame(try projector.snapshot(at: .seq(seq)), try fromScratch.snapshot(at: .seq(seq)), "seed \(seed), seq \(seq)")
            if seq % 3 == 0 {
                Self.expectSame(
                    try projector.snapshot(at: .seq(seq), kinds: [.user]), try fromScratch.snapshot(at: .seq(seq), kinds: [.user]),
                    "users only, seed \(seed), seq \(seq)")
            }
        }
        let minute = Timestamp(millisecondsSinceEpoch: 60_000)
        for time in times + times.map({ Timestamp(millisecondsSinceEpoch: $0.millisecondsSinceEpoch - minute.millisecondsSinceEpoch) }) {
            Self.expectSame(try projector.snapshot(at: .time(time)), try fromScratch.snapshot(at: .time(time)), "seed \(seed), \(time.rfc3339)")
            Self.expectSame(
                try projector.snapshot(at: .time(time), kinds: [.group, .contact]),
                try fromScratch.snapshot(at: .time(time), kinds: [.group, .contact]), "groups and contacts, seed \(seed), \(time.rfc3339)")
        }
    }

    @Test("a rebuild takes a snapshot at every multiple of the interval and again where there was one; takeSnapshot takes one at the head; a catch-up none")
    func whereSnapshotsAreTaken() throws {
        var history = try History()
        let projector = DirectoryProjector(ledger: history.ledger, snapshotInterval: 5)
        for index in 1...12 { try history.createUser("U\(index)") }
        try projector.catchUp()
        #expect(try Self.snapshotSeqs(history.ledger) == [])
        try projector.rebuild()
        #expect(try Self.snapshotSeqs(history.ledger) == [5, 10])
        // The log ends at seq 13; two more events, caught up: no snapshot.
        for index in 13...14 { try history.createUser("U\(index)") }
        try projector.catchUp()
        #expect(try Self.snapshotSeqs(history.ledger) == [5, 10])
        // One asked for: at the head (catching up first), and only once.
        try history.createUser("U15")
        #expect(try projector.takeSnapshot() == SnapshotMark(throughSeq: 16, latestOccurredAt: history.now.rfc3339))
        #expect(try projector.takeSnapshot()?.throughSeq == 16)
        #expect(try Self.snapshotSeqs(history.ledger) == [5, 10, 16])
        // Readable with plain sqlite3: one JSON document per object.
        let names = try SQLiteShell.run(
            history.ledger.path,
            "SELECT count(*), json_extract(object, '$.attributes.userPrincipalName') FROM directory_snapshot_objects WHERE through_seq = 16 AND stream = 'user:U15'"
        ).output
        #expect(names == "1|u15@contoso.example\n")
        // A rebuild takes them again where they were, with what the fold holds there.
        let before = try SQLiteShell.run(history.ledger.path, "SELECT * FROM directory_snapshot_objects ORDER BY 1, 2").output
        try DirectoryProjector(ledger: history.ledger).rebuild()
        #expect(try Self.snapshotSeqs(history.ledger) == [5, 10, 16])
        #expect(try SQLiteShell.run(history.ledger.path, "SELECT * FROM directory_snapshot_objects ORDER BY 1, 2").output == before)
    }

    @Test("a view of the past reads the snapshot's objects, and passes over a snapshot not taken from this log")
    func snapshotIsRead() throws {
        var history = try History()
        let projector = DirectoryProjector(ledger: history.ledger, snapshotInterval: 4)
        for index in 1...5 { try history.createUser("U\(index)") }
        try projector.rebuild()
        #expect(try Self.snapshotSeqs(history.ledger) == [4])
        // Change the stored snapshot behind the ledger's back: the view at seq 5 shows it.
        let edit = try SQLiteShell.run(
            history.ledger.path,
            "UPDATE directory_snapshot_objects SET object = json_set(object, '$.attributes.displayName', 'From the snapshot') WHERE stream = 'user:U1'")
        #expect(edit.status == 0, "\(edit.error)")
        #expect(try projector.snapshot(at: .seq(5)).objects[History.user("U1")]?.displayName == "From the snapshot")
        #expect(try projector.snapshot(at: .seq(3)).objects[History.user("U1")]?.displayName == "Display")
        // A snapshot whose hash is not the log's event at its seq is not used.
        let other = try SQLiteShell.run(history.ledger.path, "UPDATE directory_snapshots SET through_hash = '\(String(repeating: "0", count: 64))'")
        #expect(other.status == 0, "\(other.error)")
        #expect(try projector.snapshot(at: .seq(5)).objects[History.user("U1")]?.displayName == "Display")
    }

    @Test("a view by time starts from a snapshot only when every event up to it had occurred by then")
    func snapshotByTime() throws {
        var history = try History()
        let projector = DirectoryProjector(ledger: history.ledger, snapshotInterval: 4)
        // The tenant at minute 1 (seq 1).
        try history.createUser("U1")  // minute 2
        try history.createUser("U2")  // minute 3
        try history.createUser("U3", minutesLater: 10)  // minute 13, seq 4
        try history.createUser("U4", minutesLater: -9)  // minute 4, seq 5: dated before U3
        try projector.rebuild()
        #expect(try Self.snapshotSeqs(history.ledger) == [4])
        _ = try SQLiteShell.run(
            history.ledger.path,
            "UPDATE directory_snapshot_objects SET object = json_set(object, '$.attributes.displayName', 'From the snapshot')")
        // At minute 4, U3 (minute 13, in the snapshot) had not occurred: the fold starts at seq 1.
        let early = try projector.snapshot(at: .time(Fixtures.at(4)))
        #expect(early.objects[History.user("U3")] == nil)
        #expect(early.objects[History.user("U1")]?.displayName == "Display")
        #expect(early.objects[History.user("U4")] != nil)
        // At minute 13 every event of the snapshot had: it is used.
        #expect(try projector.snapshot(at: .time(Fixtures.at(13))).objects[History.user("U1")]?.displayName == "From the snapshot")
    }

    @Test("a tenant event dated after the events around it does not keep a view by time from using a snapshot, and is not in the view")
    func lateTenantEvent() throws {
        var history = try History()  // the tenant at minute 1 (seq 1)
        let projector = DirectoryProjector(ledger: history.ledger, snapshotInterval: 4)
        try history.createUser("U1")  // minute 2
        try history.createUser("U2")  // minute 3
        try history.append("DeactivationPolicySet", .tenant, ["option": "block"], actor: "admin", minutesLater: 600)  // minute 603, seq 4
        try history.createUser("U3", minutesLater: -599)  // minute 4, seq 5
        try projector.rebuild()
        #expect(try Self.snapshotSeqs(history.ledger) == [4])
        _ = try SQLiteShell.run(
            history.ledger.path,
            "UPDATE directory_snapshot_objects SET object = json_set(object, '$.attributes.displayName', 'From the snapshot')")
        var fromScratch = projector
        fromScratch.readsSnapshots = false
        for minute in [3, 4] as [Int64] {
            let view = try projector.snapshot(at: .time(Fixtures.at(minute)))
            let expected = try fromScratch.snapshot(at: .time(Fixtures.at(minute)))
            #expect(view.objects[History.user("U1")]?.displayName == "From the snapshot", "minute \(minute)")
            // The policy (seq 4, minute 603) is not in a view of minute 3 or 4.
            #expect(view.tenant == (try projector.snapshot(at: .seq(1))).tenant, "minute \(minute)")
            #expect(view.tenant == expected.tenant)
            // At minute 3 the last event in the view is seq 3, not the snapshot's seq 4.
            #expect(view.throughSeq == expected.throughSeq)
            #expect(view.throughSeq == (minute == 3 ? 3 : 5))
        }
    }

    @Test("snapshots of another document format are passed over; rebuild --drop-snapshots drops them; a corrupt one names the snapshot")
    func formatDropAndCorruption() throws {
        var history = try History()
        let projector = DirectoryProjector(ledger: history.ledger, snapshotInterval: 3)
        for index in 1...4 { try history.createUser("U\(index)") }
        try projector.rebuild()
        #expect(try Self.snapshotSeqs(history.ledger) == [3])
        _ = try SQLiteShell.run(
            history.ledger.path,
            "UPDATE directory_snapshot_objects SET object = json_set(object, '$.attributes.displayName', 'From the snapshot')")
        #expect(try projector.snapshot(at: .seq(4)).objects[History.user("U1")]?.displayName == "From the snapshot")
        _ = try SQLiteShell.run(history.ledger.path, "UPDATE directory_snapshots SET format = format + 1")
        #expect(try projector.snapshot(at: .seq(4)).objects[History.user("U1")]?.displayName == "Display")
        // takeSnapshot replaces a snapshot at the head that a view would not use.
        let head = try history.ledger.head().seq
        _ = try SQLiteShell.run(history.ledger.path, "UPDATE directory_snapshots SET through_seq = \(head) WHERE through_seq = 3; UPDATE directory_snapshot_objects SET through_seq = \(head)")
        #expect(try projector.takeSnapshot()?.throughSeq == head)
        #expect(try Self.snapshotSeqs(history.ledger) == [head])
        #expect(try projector.snapshot(at: .seq(head)).objects[History.user("U1")]?.displayName == "Display")

        // A stored object that cannot be read back: the view fails naming the snapshot, not the object's data.
        _ = try SQLiteShell.run(
            history.ledger.path, "UPDATE directory_snapshot_objects SET object = json_remove(object, '$.lastSeq') WHERE stream = 'user:U1'")
        #expect {
            try projector.snapshot(at: .seq(head))
        } throws: { error in
            let error = error as? StoreError
            return error?.code == .invalidSnapshot && error?.message.contains("through seq \(head)") == true
                && error?.message.contains("lastSeq") == true && error?.message.contains("u1@contoso") == false
        }
        try DirectoryProjector(ledger: history.ledger).rebuild(keepingSnapshots: false)
        #expect(try Self.snapshotSeqs(history.ledger) == [])
        #expect(try projector.snapshot(at: .seq(head)).objects[History.user("U1")]?.displayName == "Display")
    }

    @Test("no snapshot is recorded at a seq the log has no event for")
    func noEventNoSnapshot() throws {
        var history = try History()
        try history.createUser("U1")
        let (began, seqs) = try history.ledger.updateDirectoryState { writer in
            (try writer.beginSnapshot(SnapshotMark(throughSeq: 99, latestOccurredAt: "")), try writer.snapshotSeqs())
        }
        #expect(began == false)
        #expect(seqs == [])
    }

    @Test("a snapshot larger than one decoding batch reads back in order; a corrupt object in a later batch fails the view")
    func manyObjects() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        // More than one batch of 2,048 documents, and a partial last one.
        let users = 4_500
        try ledger.append { session in
            for index in 0..<users { try session.append(Fixtures.userCreated("U\(index)", minutes: Int64(index))) }
            for index in stride(from: 0, to: users, by: 3) {
                try session.append(Fixtures.titleChanged("U\(index)", to: "T\(index)", minutes: Int64(users + index)))
            }
        }
        let head = try ledger.head().seq
        let projector = DirectoryProjector(ledger: ledger, snapshotInterval: Int64(users))
        try projector.rebuild()
        #expect(try Self.snapshotSeqs(ledger) == [Int64(users)])
        var fromSeqOne = DirectoryProjector(ledger: ledger)
        fromSeqOne.readsSnapshots = false
        for seq in [Int64(users), head] {
            Self.expectSame(try projector.snapshot(at: .seq(seq)), try fromSeqOne.snapshot(at: .seq(seq)), "seq \(seq)")
        }
        let view = try projector.snapshot(at: .seq(head), kinds: [.user])
        #expect(view.existingReferences(.user) == (0..<users).map { Fixtures.user("U\($0)") }.sorted())
        #expect(view.objects[Fixtures.user("U4241")]?.attributes["jobTitle"] == nil)
        #expect(view.objects[Fixtures.user("U4242")]?.attributes["jobTitle"] == "T4242")

        // The stream order puts U4120 in the third batch; the view fails, naming the field.
        _ = try SQLiteShell.run(
            ledger.path, "UPDATE directory_snapshot_objects SET object = json_set(object, '$.version', 'seven') WHERE stream = 'user:U4120'")
        #expect {
            try projector.snapshot(at: .seq(head))
        } throws: { error in
            let error = error as? StoreError
            return error?.code == .invalidSnapshot && error?.message.contains("through seq \(users)") == true
                && error?.message.contains("version") == true
        }
    }
}
