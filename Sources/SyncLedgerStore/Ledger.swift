public import SyncLedgerDomain
import CSQLiteTuning
import GRDB
import GRDBSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A syncledger ledger: one SQLite file per tenant holding the event log and what is
/// derived from it.
///
/// The Store is the only module that talks to SQLite. A `Ledger` is opened on a path,
/// brings its schema up to date from the embedded `Migrations/`, and serialises writers
/// with `BEGIN IMMEDIATE` transactions (WAL mode, so readers never wait, but for a bulk load
/// or a rebuild: ``writingPagesOnce(_:)``).
public final class Ledger: Sendable {
    /// The file path.
    public let path: String
    /// Where the ledger reads the time it stamps on `recorded_at`.
    public let clock: any LedgerClock

    let database: DatabaseQueue

    // MARK: - Opening

    /// The size of a new ledger's pages, in bytes (SQLite's default is 4 KiB). A ledger keeps
    /// the size it was made with.
    ///
    /// A rebuild writes every page of the directory state twice, to the WAL and again at the
    /// checkpoint, and reads every page of the log: on a 1M-event ledger it took 3.05 s with
    /// 8 KiB pages against 3.33 s with 4 KiB (medians of 4 alternating runs), in fewer and
    /// larger writes. 16 KiB rebuilt faster still (2.98 s), but made the 1M-event ingest
    /// slower (24–27 s against 20–21 s; likely its inserts at random places of the stream
    /// index, each dirtying a larger page).
    static let pageSize = 8192

    /// SQLite's settings for the whole process, made once, before the first connection
    /// opens (SQLite's result code; `SQLITE_MISUSE` when something in the process opened a
    /// connection before, and the settings are SQLite's defaults).
    ///
    /// Its memory statistics are off: with them on, every allocation and free SQLite makes
    /// takes one mutex for the whole process to count it (SQLite's own advice is to turn
    /// them off when they are not read; nothing here reads them). A 1M-event ingest took
    /// 18.55 s without them against 21.69 s with them (one run each), a rebuild 2.99 s
    /// against 3.07 s (medians of 6 alternating runs).
    ///
    /// A statement journal is held in memory up to ``statementJournalSpill`` bytes.
    static let sqliteSettings: Int32 = {
        let spill = csqlite_set_statement_journal_spill(statementJournalSpill)
        let statistics = csqlite_disable_memory_statistics()
        return spill != SQLITE_OK ? spill : statistics
    }()

    /// The size, in bytes, up to which SQLite holds a statement journal in memory, in one
    /// buffer, before it moves it to a temporary file (SQLite's default: 64 KiB).
    ///
    /// Every insert into `events` runs the chain trigger and checks two unique indexes, so
    /// SQLite first copies each page the statement changes into a statement journal, to undo
    /// that one statement if a check fails: about four pages, 33 KB, and now and then more when
    /// a B-tree page splits. Past 64 KiB the journal went to a temporary file and stayed there
    /// until the commit: a million events made 17 GB of write calls. With `temp_store =
    /// MEMORY` instead, each journal was held in memory in chunks of 1 KiB: about 35
    /// allocations and frees an event. Up to 120 KiB, it is one buffer, allocated once a
    /// statement. A 1M-event ingest took 12.4–13.5 s against 14.9–15.9 s (two alternating runs
    /// each).
    ///
    /// Under 128 KiB on purpose. SQLite writes a spilled journal's buffer to its file in one
    /// call, and its Unix file layer writes at most 128 KiB − 1 bytes a call: with a larger
    /// buffer the write came up short and the statement failed as "database or disk is full"
    /// (a catch-up's `CREATE INDEX`, whose journal spills). And glibc serves a request of 128
    /// KiB or more by `mmap`, one system call to get it and one to give it back.
    static let statementJournalSpill: Int32 = 120 * 1024

    /// The memory SQLite counts as in use by the process (0 with its statistics off).
    static func sqliteMemoryUsed() -> Int64 {
        sqlite3_memory_used()
    }

    /// The page cache per connection, in KiB.
    static let cacheKiB = 128 * 1024

    /// How long opening the ledger or a write waits for another connection that holds it,
    /// in seconds (SQLite's busy timeout), before it fails with ``StoreError/Code/busy``.
    @usableFromInline static let busyTimeout: Double = 30

    /// The page cache, in KiB, for one pass over the log or the directory, where each page
    /// is read once (``withPageCache(kib:_:)``): the operating system's cache serves pages
    /// read again, and memory is not filled with pages for nothing.
    public static let onePassCacheKiB = 2 * 1024

    /// How to open a ledger.
    public enum OpenMode: Sendable {
        /// The file must exist and be a ledger.
        case existing
        /// Create the file (schema only) when it does not exist.
        case createIfMissing
    }

    /// Opens the ledger at `path`.
    ///
    /// - Throws: ``StoreError`` `.ledgerNotFound` when the file is missing and `mode` is
    ///   `.existing`; `.notALedger` when the file is not a syncledger SQLite file.
    public convenience init(path: String, mode: OpenMode = .existing, clock: any LedgerClock = SystemClock()) throws(StoreError) {
        try self.init(path: path, mode: mode, clock: clock, switchingToWAL: true)
    }

    /// Opens the ledger at `path` as ``init(path:mode:clock:)`` does; with `switchingToWAL`
    /// false, leaves its journal mode as it is: for a second connection beside a write
    /// transaction of this process (``scanEventsReadAhead(_:decoding:_:)``), which finds the
    /// file in WAL mode but after a bulk load that could not switch it back
    /// (``writingPagesOnce(_:)``), where switching would wait for that transaction to end.
    ///
    /// `busyTimeout`: ``busyTimeout``, or a shorter one for a test.
    @usableFromInline
    init(
        path: String, mode: OpenMode, clock: any LedgerClock, switchingToWAL: Bool, busyTimeout: Double = Ledger.busyTimeout
    ) throws(StoreError) {
        _ = Self.sqliteSettings
        self.path = path
        self.clock = clock
        let exists = access(path, F_OK) == 0
        if !exists, case .existing = mode {
            throw StoreError(.ledgerNotFound, "no ledger at \(path): run `syncledger init --tenant NAME` first, or pass --ledger PATH")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "syncledger"
        configuration.prepareDatabase { db in
            // The page size of a file with no page written yet (a new ledger); for any other
            // file, nothing.
            try db.execute(sql: "PRAGMA page_size = \(Self.pageSize)")
            // WAL, switched on here rather than by GRDB's `journalMode = .wal`: that setting
            // also writes a table and drops it whenever the WAL file is missing or empty (for
            // a pool's readers, issue 102), so every command, a plan or a view included,
            // wrote to the ledger and synced it twice. WAL mode is stored in the file: a
            // ledger switched once stays switched, and reading it writes nothing.
            if switchingToWAL {
                let journalMode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                guard journalMode == "wal" else {
                    throw DatabaseError(message: "could not switch \(path) to WAL mode (it answered \(journalMode ?? "nothing"))")
                }
            }
            // WAL with NORMAL sync: a commit is durable against a crash of the process, and at
            // the next checkpoint against power loss (the SQLite default for WAL).
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A large batch's pages stay in memory until its commit instead of spilling to the
            // WAL again and again (the cache grows only as far as it is used).
            try db.execute(sql: "PRAGMA cache_size = -\(Self.cacheKiB)")
        }
        do {
            // A ledger created by two processes at once: SQLite answers SQLITE_BUSY without
            // waiting while the other switches the new file to WAL or runs its migrations
            // (the busy timeout does not apply there), so opening tries again, until the busy
            // timeout has passed since the first try. Not a number of tries: a busy that did
            // wait (another connection writing into the file in rollback-journal mode, a
            // rebuild or a bulk load) waited the whole timeout at each, and a hundred tries
            // would have waited 50 minutes for a process stuck holding the file.
            let deadline = ContinuousClock.now.advanced(by: .seconds(busyTimeout))
            while true {
                do {
                    let queue = try DatabaseQueue(path: path, configuration: configuration)
                    try Self.migrate(queue, path: path, isNew: !exists)
                    database = queue
                    break
                } catch let error as DatabaseError where Self.isCreationRace(error) && ContinuousClock.now < deadline {
                    usleep(50_000)
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(wrapping: error, path: path)
        }
    }

    /// Whether an error while opening comes from another process creating the same ledger at
    /// that moment: busy while it switches to WAL, or its migrations' tables half there
    /// ("no such table: grdb_migrations", "table … already exists").
    private static func isCreationRace(_ error: DatabaseError) -> Bool {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return true
        case .SQLITE_ERROR:
            let message = error.message ?? ""
            return message.contains("no such table: grdb_migrations") || message.contains("already exists")
        default:
            return false
        }
    }

    /// Whether a file exists at `path`.
    public static func fileExists(at path: String) -> Bool {
        access(path, F_OK) == 0
    }

    private static func migrate(_ database: DatabaseQueue, path: String, isNew: Bool) throws {
        var migrator = DatabaseMigrator()
        for migration in embeddedMigrations {
            let sql = migration.sql
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: sql)
            }
        }
        try database.read { db in
            if !isNew {
                let tables = try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if !tables.isEmpty, !tables.contains("grdb_migrations") {
                    throw StoreError(.notALedger, "\(path) is an SQLite file but not a syncledger ledger")
                }
            }
            if try migrator.hasBeenSuperseded(db) {
                throw StoreError(
                    .newerSchema, "\(path) was written by a newer syncledger: upgrade syncledger to read it")
            }
        }
        // Two processes may create the same ledger at once (two `ingest` runs on a new path):
        // the one that loses a migration's race sees "table … already exists"; it then retries,
        // and the migrations the winner recorded are skipped.
        var attempt = 0
        while try database.read({ db in try !migrator.hasCompletedMigrations(db) }) {
            do {
                try migrator.migrate(database)
            } catch {
                attempt += 1
                guard attempt < 20 else { throw error }
                usleep(50_000)
            }
        }
    }

    // MARK: - Summary

    /// The number of events and the hash of the last one (the genesis hash when empty).
    public func head() throws(StoreError) -> (count: Int64, seq: Int64, hash: String) {
        try read { db in
            let count = try Int64.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0
            let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
            return (count, row?[0] ?? 0, row?[1] ?? EventChain.genesis)
        }
    }

    /// The seq of the last event (0 for an empty log), without counting rows.
    public func lastSeq() throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM events") ?? 0 }
    }

    /// Runs `body` with SQLite's page cache limited to `kib` KiB, then restores the usual
    /// one: for one pass over the whole directory (a full plan), where each page is read once
    /// and the memory is better left to what the pass builds.
    public func withPageCache<T>(kib: Int, _ body: () throws -> T) throws -> T {
        let previous: Int
        do {
            previous = try database.inDatabase { db in try db.limitPageCache(kib: kib) }
        } catch {
            throw StoreError(wrapping: error, path: path)
        }
        defer { try? database.inDatabase { db in try db.restorePageCache(previous) } }
        return try body()
    }

    /// SQLite's `temp_store` on the ledger's connection: 0 the default (files), 2 memory.
    func temporaryStorage() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") ?? 0 }
    }

    // MARK: - Access

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(wrapping: error, path: path)
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction, committed when it returns `true`,
    /// rolled back when it returns `false` or throws.
    func writeImmediate<T>(_ body: (Database) throws -> (T, commit: Bool)) throws -> T {
        var result: T?
        do {
            try database.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    let (value, commit) = try body(db)
                    result = value
                    return commit ? .commit : .rollback
                }
            }
        } catch let error as DatabaseError {
            throw StoreError(wrapping: error, path: path)
        }
        return result!
    }
}

// MARK: - Error mapping

extension StoreError {
    init(wrapping error: any Error, path: String) {
        guard let error = error as? DatabaseError else {
            if let error = error as? StoreError {
                self = error
                return
            }
            self.init(.database, "\(path): \(error)")
            return
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self.init(.busy, "\(path) is locked by another writer; try again when it has finished")
        case .SQLITE_READONLY:
            self.init(.readOnly, "\(path) is read-only: nothing was written; check the permissions of the file, its -wal and -shm files and its folder")
        case .SQLITE_FULL:
            self.init(.diskFull, "the disk holding \(path) is full (or a file-size limit was reached): nothing was written; free space and run again")
        case .SQLITE_IOERR:
            self.init(
                .ioError,
                "cannot write \(path): an I/O error (the disk is full, a file-size limit was reached, or the device failed); nothing was written; free space and run again")
        case .SQLITE_NOTADB:
            self.init(.notALedger, "\(path) is not an SQLite database")
        case .SQLITE_CANTOPEN:
            self.init(.ledgerNotFound, "cannot open \(path): check that its folder exists and is writable")
        case .SQLITE_CONSTRAINT:
            self.init(.constraint, "\(path): the ledger refused the write: \(error.message ?? "constraint failed")")
        default:
            self.init(.database, "\(path): \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        }
    }
}

extension Database {
    /// Limits SQLite's page cache to `kib` KiB, freeing the pages beyond it. Returns the
    /// setting it replaced, for ``restorePageCache(_:)``.
    func limitPageCache(kib: Int) throws -> Int {
        let previous = try Int.fetchOne(self, sql: "PRAGMA cache_size") ?? -Ledger.cacheKiB
        try execute(sql: "PRAGMA cache_size = -\(kib); PRAGMA shrink_memory")
        return previous
    }

    /// Sets the page cache back to a value ``limitPageCache(kib:)`` returned.
    func restorePageCache(_ setting: Int) throws {
        try execute(sql: "PRAGMA cache_size = \(setting)")
    }
}
