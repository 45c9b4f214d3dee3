import Foundation
import SyncLedgerDomain
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Reading the log")
struct ReadTests {
    func ledger(_ directory: TemporaryDirectory) throws -> Ledger {
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in
            try session.append(Fixtures.tenantInitialized())
            try session.append(Fixtures.userCreated("A1", minutes: 10))
            try session.append(Fixtures.userCreated("B1", minutes: 20, actor: "admin:jdoe"))
            try session.append(Fixtures.titleChanged("A1", to: "X", minutes: 30))
            try session.append(Fixtures.titleChanged("B1", to: "Y", minutes: 40, actor: "admin:jdoe"))
        }
        return ledger
    }

    @Test("filters combine: stream, type, actor, time window, after seq, limit")
    func filters() throws {
        let directory = TemporaryDirectory()
        let ledger = try ledger(directory)
        #expect(try ledger.events(matching: EventFilter(stream: "user:A1")).map(\.seq) == [2, 4])
        #expect(try ledger.events(matching: EventFilter(type: "UserUpdated")).map(\.seq) == [4, 5])
        #expect(try ledger.events(matching: EventFilter(actor: "admin:jdoe")).map(\.seq) == [3, 5])
        #expect(try ledger.events(matching: EventFilter(since: Fixtures.at(20), until: Fixtures.at(40))).map(\.seq) == [3, 4])
        #expect(try ledger.events(matching: EventFilter(afterSeq: 3)).map(\.seq) == [4, 5])
        #expect(try ledger.events(matching: EventFilter(afterSeq: 1, limit: 2)).map(\.seq) == [2, 3])
        #expect(try ledger.events(matching: EventFilter(stream: "user:A1", type: "UserCreated")).map(\.seq) == [2])
    }

    @Test("opening and reading a ledger writes nothing to it; a new one is in WAL mode")
    func readingWritesNothing() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.sqlite")
        do {
            _ = try ledger(directory)  // written, then closed (its WAL checkpointed into the file)
        }
        #expect(try SQLiteShell.run(path, "PRAGMA journal_mode").output == "wal\n")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            let reopened = try Ledger(path: path, clock: Fixtures.clock)
            #expect(try reopened.events(matching: EventFilter()).count == 5)
            #expect(try reopened.verify().firstBreak == nil)
        }
        // Nothing was written: not the file, and no frame to the WAL (gone, or empty).
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        #expect(wal == 0)
    }

    @Test("opening a missing ledger says how to create one; a foreign SQLite file is refused")
    func openErrors() throws {
        let directory = TemporaryDirectory()
        let missing = #expect(throws: StoreError.self) {
            try Ledger(path: directory.file("missing.sqlite"), mode: .existing)
        }
        #expect(missing?.code == .ledgerNotFound)
        #expect(missing?.message.contains("syncledger init") == true)

        try SQLiteShell.run(directory.file("other.sqlite"), "CREATE TABLE t (x)")
        let foreign = #expect(throws: StoreError.self) {
            try Ledger(path: directory.file("other.sqlite"), mode: .existing)
        }
        #expect(foreign?.code == .notALedger)
    }

    @Test("a stream's causes after a floor, up to a seq, are its events there (first, last, actors)")
    func causesAfterFloors() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        // Two users' events interleaved with each other's, by three actors.
        let actors = ["hr", "admin:jdoe", "ops"]
        try ledger.append { session in
            try session.append(Fixtures.tenantInitialized())
            try session.append(Fixtures.userCreated("A1", minutes: 1))
            try session.append(Fixtures.userCreated("B1", minutes: 2))
            for step in 0..<12 {
                let anchor = step % 3 == 0 ? "B1" : "A1"
                try session.append(Fixtures.titleChanged(anchor, to: "T\(step)", minutes: 3 + Int64(step), actor: actors[(step / 2) % actors.count]))
            }
        }
        let events = try ledger.events()
        // All streams in one call (one statement bound again for each), each with its own floor.
        for floor in Int64(0)...15 {
            for through in [Int64(3), 9, 15] {
                let floors = ["user:A1": floor, "user:B1": (floor + 5) % 16, "user:none": floor]
                let found = try ledger.eventCauses(after: floors, throughSeq: through)
                for (stream, floor) in floors {
                    let expected = events.filter { $0.stream.description == stream && $0.seq > floor && $0.seq <= through }
                    #expect(found[stream]?.first == expected.first?.seq, "\(stream) after \(floor) through \(through)")
                    #expect(found[stream]?.last == expected.last?.seq, "\(stream) after \(floor) through \(through)")
                    #expect(found[stream]?.actors == (expected.isEmpty ? nil : Set(expected.map(\.actor))), "\(stream) after \(floor) through \(through)")
                }
            }
        }
    }
}
