import Dispatch
import Foundation
import SyncLedgerDomain
import SyncLedgerProjection
@testable import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("A rebuild alone writes its pages once, in rollback-journal mode")
struct RebuildPagesOnceTests {
    func allObjects(_ ledger: Ledger) throws -> [DirectoryObject] {
        try Fixtures.directoryObjects(of: ledger)
    }

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// The directory tables' rows and the schema, as `sqlite3` lists them.
    func contents(_ path: String) throws -> String {
        try SQLiteShell.run(
            path,
            """
            SELECT * FROM directory_objects ORDER BY stream;
            SELECT * FROM directory_members ORDER BY 1, 2;
            SELECT * FROM projection_checkpoints;
            SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name;
            """
        ).output
    }

    @Test("alone, a rebuild folds through a rollback journal, into the rows a rebuild through the WAL writes", arguments: [0, Int64.max])
    func alone(readAheadEvents: Int64) throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.groupLedger(in: directory, members: 300)
        let path = directory.file("ledger.sqlite")
        try DirectoryProjector(ledger: ledger).catchUp()
        let caughtUp = try contents(path)
        var projector = DirectoryProjector(ledger: ledger)
        projector.readAheadEvents = readAheadEvents
        projector.writesPagesOnceEvents = 0

        // The last report comes inside the transaction, once the rows are written.
        var files: (journal: Bool, wal: Bool)?
        try projector.rebuild { done, total in
            if done == total { files = (Self.exists(path + "-journal"), Self.exists(path + "-wal")) }
        }
        #expect(files?.journal == true)
        #expect(files?.wal == false)
        #expect(try ledger.journalMode() == "wal")
        #expect(try contents(path) == caughtUp)
        #expect(try SQLiteShell.run(path, "PRAGMA integrity_check").output == "ok\n")

        // The old tables' pages were left free, and the next rebuild fills them: the file
        // stays as large as it is.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber).intValue
        try projector.rebuild()
        try projector.rebuild()
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber == NSNumber(value: size))
        #expect(try contents(path) == caughtUp)

        // Another connection open: the rebuild goes through the WAL, to the same rows.
        do {
            let other = try Ledger(path: path, mode: .existing, clock: Fixtures.clock)
            _ = try other.directoryCheckpoint()
            try projector.rebuild { done, total in
                if done == total { files = (Self.exists(path + "-journal"), Self.exists(path + "-wal")) }
            }
            #expect(files?.journal == false)
            #expect(files?.wal == true)
            #expect(try contents(path) == caughtUp)
        }

        // Alone, but fewer events than writesPagesOnceEvents: through the WAL too.
        projector.writesPagesOnceEvents = 603
        try projector.rebuild { done, total in
            if done == total { files = (Self.exists(path + "-journal"), Self.exists(path + "-wal")) }
        }
        #expect(files?.journal == false)
        #expect(files?.wal == true)
        projector.writesPagesOnceEvents = 602
        try projector.rebuild { done, total in
            if done == total { files = (Self.exists(path + "-journal"), Self.exists(path + "-wal")) }
        }
        #expect(files?.journal == true)
        #expect(try contents(path) == caughtUp)
    }

    @Test("a rebuild taking snapshots goes through the WAL, as the snapshots are written while the log is read")
    func snapshotsThroughWAL() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.groupLedger(in: directory, members: 300)
        let path = directory.file("ledger.sqlite")
        var projector = DirectoryProjector(ledger: ledger, snapshotInterval: 100)
        projector.readAheadEvents = 0
        projector.writesPagesOnceEvents = 0
        var journal: Bool?
        try projector.rebuild { done, total in
            if done == total { journal = Self.exists(path + "-journal") }
        }
        #expect(journal == false)
        #expect(try SQLiteShell.run(path, "SELECT count(*) FROM directory_snapshots").output == "6\n")
    }

    /// Large enough that one pass's save (25,000 users) fills more than the fold's page
    /// cache: SQLite then writes pages into the file, and holds it alone until the commit.
    static let users = 50_000

    @Test("in rollback-journal mode, the log is read ahead in the first pass only: later passes read it on the fold's connection")
    func passesInRollbackMode() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in
            try session.append(Fixtures.tenantInitialized())
            for index in 0..<Self.users { try session.append(Fixtures.userCreated("U\(index)", minutes: Int64(index))) }
        }
        // As after a bulk load whose switch back to WAL failed.
        #expect(try ledger.setJournalMode("delete", synchronous: "FULL") == "delete")
        // Read ahead in the second pass, the reader would wait for the first pass's writes to
        // be committed, and the fold for the reader: the catch-up would not end. It runs on a
        // thread of its own, so that the test fails instead of waiting with it.
        let done = DispatchSemaphore(value: 0)
        let caughtUp = CaughtUp()
        DispatchQueue.global().async {
            var projector = DirectoryProjector(ledger: ledger, objectsPerPass: Self.users / 2)
            projector.readAheadEvents = 0
            caughtUp.result = Result { try projector.catchUp() }
            done.signal()
        }
        #expect(done.wait(timeout: .now() + 120) == .success)
        #expect(try caughtUp.result?.get() == Int64(Self.users + 1))
        #expect(try ledger.journalMode() == "delete")
        #expect(try allObjects(ledger).count == Self.users)
        #expect(try ledger.directoryObject(Fixtures.user("U49999"))?.attributes["displayName"] == "Test User")
    }
}

/// What a catch-up on another thread gave: set by that thread before it signals, read after
/// the wait.
private final class CaughtUp: @unchecked Sendable {
    var result: Result<Int64, any Error>?
}
