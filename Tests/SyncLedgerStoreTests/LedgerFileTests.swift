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

extension LedgerFileTests {
    @Test(
        "opening a ledger another connection holds in rollback-journal mode fails as busy once the busy timeout has passed",
        arguments: [false, true])
    func openingWaitsTheBusyTimeoutOnce(writingTheFile: Bool) throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in try session.append(Fixtures.tenantInitialized()) }
        var failure: StoreError?
        var waited: Duration?
        // As a rebuild holds it: in rollback-journal mode, in a write transaction. Opening
        // switches the file to WAL, which SQLite refuses at once while the transaction only
        // holds the file for its writes; once it writes into the file (its pages spilled, or
        // its commit), SQLite waits the busy timeout to read the file at all.
        try ledger.writingPagesOnce {
            try ledger.updateDirectoryState { writer in
                try writer.setCheckpoint(1)
                if writingTheFile {
                    try writer.execute("""
                        PRAGMA cache_size = 2;
                        CREATE TABLE spilled (x);
                        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
                        INSERT INTO spilled SELECT zeroblob(8000) FROM n;
                        """)
                }
                let start = ContinuousClock.now
                do throws(StoreError) {
                    _ = try Ledger(path: ledger.path, mode: .existing, clock: Fixtures.clock, switchingToWAL: true, busyTimeout: 0.2)
                } catch {
                    failure = error
                }
                waited = ContinuousClock.now - start
            }
        }
        #expect(failure?.code == .busy)
        // The busy timeout, and a try or two after it. Tried a hundred times, opening took
        // 5 s when SQLite refused at once, 25 s when each try waited the busy timeout.
        #expect(waited.map { $0 >= .milliseconds(200) && $0 < .seconds(3) } == true)
        // The ledger opens once the transaction has ended.
        #expect(try Ledger(path: ledger.path, mode: .existing, clock: Fixtures.clock).journalMode() == "wal")
    }
}
