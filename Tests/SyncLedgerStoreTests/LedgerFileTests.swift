import SyncLedgerDomain
@testable import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("The ledger file")
struct LedgerFileTests {
    @Test("SQLite is set up before the first connection: its memory statistics, which every allocation locked a mutex for, are off")
    func sqliteSettings() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in try session.append(Fixtures.tenantInitialized()) }
        // Every SQLite connection of this test process is opened by a `Ledger`.
        #expect(Ledger.sqliteSettings == 0)  // SQLITE_OK
        #expect(Ledger.sqliteMemoryUsed() == 0)
    }

    @Test("a new ledger is made with 8 KiB pages")
    func newLedgerPageSize() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in try session.append(Fixtures.tenantInitialized()) }
        #expect(Ledger.pageSize == 8192)
        #expect(try SQLiteShell.run(ledger.path, "PRAGMA page_size").output == "8192\n")
    }

    @Test("a file made with 4 KiB pages (an older build's) keeps them, and takes appends")
    func existingPageSizeKept() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("older.sqlite")
        let made = try SQLiteShell.run(path, "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (x); DROP TABLE t;")
        #expect(made.status == 0)
        let ledger = try Ledger(path: path, mode: .existing, clock: Fixtures.clock)
        try ledger.append { session in
            try session.append(Fixtures.tenantInitialized())
            try session.append(Fixtures.userCreated("U1", minutes: 10))
        }
        #expect(try SQLiteShell.run(path, "PRAGMA page_size").output == "4096\n")
        #expect(try SQLiteShell.run(path, "SELECT count(*) FROM events").output == "2\n")
        #expect(try SQLiteShell.run(path, "PRAGMA integrity_check").output == "ok\n")
    }
}
