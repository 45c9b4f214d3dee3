import Foundation
import SyncLedgerDomain
@testable import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Pages left in the WAL, and copied beside other work")
struct WALTests {
    /// The size of the database file, the WAL apart.
    static func fileSize(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
    }

    /// A ledger whose every commit is copied into the file at once (SQLite's automatic
    /// checkpoint past one page), holding the tenant's first event.
    static func eagerLedger(in directory: TemporaryDirectory) throws -> Ledger {
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.setAutomaticCheckpoint(1)
        try ledger.append { session in try session.append(Fixtures.tenantInitialized()) }
        return ledger
    }

    static func appendUsers(_ ledger: Ledger, leavingWAL: Bool) throws {
        try ledger.append(leavingWAL: leavingWAL) { session in
            for index in 0..<200 { try session.append(Fixtures.userCreated("U\(index)", minutes: Int64(index + 1))) }
        }
    }

    @Test("an append that leaves the WAL commits without copying its pages into the file; copyingWAL copies them")
    func leftThenCopied() throws {
        let directory = TemporaryDirectory()
        let ledger = try Self.eagerLedger(in: directory)
        let before = try Self.fileSize(ledger.path)
        try Self.appendUsers(ledger, leavingWAL: true)
        #expect(try Self.fileSize(ledger.path) == before)
        // The automatic checkpoint is set back for the commits after.
        #expect(try ledger.automaticCheckpoint() == 1)
        // Committed: another connection reads every event.
        let other = try Ledger(path: ledger.path, mode: .existing, clock: Fixtures.clock)
        #expect(try other.head().count == 201)

        let answer = try ledger.copyingWAL { 42 }
        #expect(answer == 42)
        #expect(try Self.fileSize(ledger.path) > before)
        #expect(try SQLiteShell.run(ledger.path, "PRAGMA integrity_check").output == "ok\n")
    }

    @Test("an append that does not leave the WAL is copied into the file by its commit, as SQLite does")
    func copiedByTheCommit() throws {
        let directory = TemporaryDirectory()
        let ledger = try Self.eagerLedger(in: directory)
        let before = try Self.fileSize(ledger.path)
        try Self.appendUsers(ledger, leavingWAL: false)
        #expect(try Self.fileSize(ledger.path) > before)
    }

    @Test("copyingWAL waits for the copy, and rethrows what its body throws")
    func bodyErrorsPassThrough() throws {
        struct Refused: Error {}
        let directory = TemporaryDirectory()
        let ledger = try Self.eagerLedger(in: directory)
        let before = try Self.fileSize(ledger.path)
        try Self.appendUsers(ledger, leavingWAL: true)
        #expect(throws: Refused.self) { try ledger.copyingWAL { throw Refused() } }
        #expect(try Self.fileSize(ledger.path) > before)
    }

    @Test("a write beside the copy is committed after the pages being copied, and both are kept")
    func writeBesideTheCopy() throws {
        let directory = TemporaryDirectory()
        let ledger = try Self.eagerLedger(in: directory)
        try Self.appendUsers(ledger, leavingWAL: true)
        try ledger.copyingWAL {
            try ledger.append { session in try session.append(Fixtures.titleChanged("U7", to: "Engineer", minutes: 500)) }
        }
        let other = try Ledger(path: ledger.path, mode: .existing, clock: Fixtures.clock)
        #expect(try other.head().count == 202)
        #expect(try other.verify().firstBreak == nil)
        #expect(try SQLiteShell.run(ledger.path, "PRAGMA integrity_check").output == "ok\n")
    }
}
