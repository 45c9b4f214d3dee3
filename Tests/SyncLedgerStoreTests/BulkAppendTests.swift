import Foundation
import SyncLedgerDomain
@testable import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("A bulk append writes its pages once, in rollback-journal mode")
struct BulkAppendTests {
    /// A ledger holding the tenant's first event.
    static func ledger(in directory: TemporaryDirectory) throws -> Ledger {
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in try session.append(Fixtures.tenantInitialized()) }
        return ledger
    }

    static func appendUsers(_ session: AppendSession, count: Int = 200) throws {
        for index in 0..<count { try session.append(Fixtures.userCreated("U\(index)", minutes: Int64(index + 1))) }
    }

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    @Test("a bulk append writes through a rollback journal, not the WAL, and leaves the ledger in WAL mode")
    func journalledThenBackToWAL() throws {
        let directory = TemporaryDirectory()
        let ledger = try Self.ledger(in: directory)
        var inside: (wal: Bool, journal: Bool)?
        try ledger.append(bulk: true) { session in
            try Self.appendUsers(session)
            inside = (Self.exists(ledger.path + "-wal"), Self.exists(ledger.path + "-journal"))
        }
        #expect(inside?.wal == false)
        #expect(inside?.journal == true)
        #expect(try ledger.journalMode() == "wal")
        #expect(!Self.exists(ledger.path + "-journal"))
        // Committed, chained, and read by another connection.
        let other = try Ledger(path: ledger.path, mode: .existing, clock: Fixtures.clock)
        #expect(try other.head().count == 201)
        #expect(try other.verify().firstBreak == nil)
        #expect(try SQLiteShell.run(ledger.path, "PRAGMA journal_mode; PRAGMA integrity_check").output == "wal\nok\n")
    }

    @Test("a bulk append is the same ledger as an append through the WAL")
    func sameLedger() throws {
        let directory = TemporaryDirectory()
        let bulk = try Fixtures.ledger(in: directory, name: "bulk.sqlite")
        let plain = try Fixtures.ledger(in: directory, name: "plain.sqlite")
        for (ledger, isBulk) in [(bulk, true), (plain, false)] {
            try ledger.append(bulk: isBulk) { session in
                try session.append(Fixtures.tenantInitialized())
                try Self.appendUsers(session)
            }
        }
        #expect(try bulk.head() == plain.head())
    }

    @Test("with another connection open, a bulk append runs in WAL mode, as any append")
    func otherConnectionKeepsWAL() throws {
        let directory = TemporaryDirectory()
        let ledger = try Self.ledger(in: directory)
        let other = try Ledger(path: ledger.path, mode: .existing, clock: Fixtures.clock)
        _ = try other.head()
        var journal: Bool?
        try ledger.append(bulk: true) { session in
            try Self.appendUsers(session)
            journal = Self.exists(ledger.path + "-journal")
        }
        #expect(journal == false)
        #expect(try ledger.journalMode() == "wal")
        #expect(try other.head().count == 201)
    }

    @Test("a bulk append whose body throws appends nothing, and the ledger is back in WAL mode")
    func failureRollsBack() throws {
        struct Refused: Error {}
        let directory = TemporaryDirectory()
        let ledger = try Self.ledger(in: directory)
        let before = try ledger.head()
        #expect(throws: Refused.self) {
            try ledger.append(bulk: true) { session in
                try Self.appendUsers(session)
                throw Refused()
            }
        }
        #expect(try ledger.head() == before)
        #expect(try ledger.journalMode() == "wal")
        #expect(!Self.exists(ledger.path + "-journal"))
        #expect(try SQLiteShell.run(ledger.path, "PRAGMA integrity_check").output == "ok\n")
    }

    @Test("a bulk dry run appends nothing")
    func dryRun() throws {
        let directory = TemporaryDirectory()
        let ledger = try Self.ledger(in: directory)
        let before = try ledger.head()
        let appended = try ledger.append(dryRun: true, bulk: true) { session in
            try Self.appendUsers(session, count: 3)
            return session.appendedCount
        }
        #expect(appended == 3)
        #expect(try ledger.head() == before)
        #expect(try ledger.journalMode() == "wal")
    }
}

extension BulkAppendTests {
    @Test("a read ahead beside a write transaction in rollback-journal mode reads the file as it is")
    func readAheadInRollbackMode() throws {
        let directory = TemporaryDirectory()
        let ledger = try Self.ledger(in: directory)
        try ledger.append { session in try Self.appendUsers(session, count: 50) }
        // As after a bulk load whose switch back to WAL failed.
        #expect(try ledger.setJournalMode("delete", synchronous: "FULL") == "delete")
        #expect(try ledger.journalMode() == "delete")
        var seqs: [Int64] = []
        try ledger.updateDirectoryState { _ in
            try ledger.scanEventsReadAhead(EventScanRange(afterSeq: 0), decoding: { $0.seq }) { seqs.append($0) }
        }
        #expect(seqs == Array(1...51))
        #expect(try ledger.journalMode() == "delete")
    }
}
