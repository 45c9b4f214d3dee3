import Dispatch
import GRDB

// MARK: - Copying the WAL into the file beside other work

extension Ledger {
    /// Runs `body` with SQLite's automatic checkpoint off on this ledger's connection, then
    /// sets back the one it found: the pages `body`'s transactions commit stay in the WAL,
    /// for ``copyingWAL(_:)`` to copy into the file while the caller goes on.
    ///
    /// After a commit that leaves more than a thousand pages in the WAL, SQLite copies them
    /// into the file in the committing thread (a checkpoint), before the commit returns. A
    /// 1M-event ingest's append leaves about 550 MB there: the copy took about 1.5 s of one
    /// thread while the other core waited, before the directory's fold could begin. Nothing
    /// is lost while the pages wait: they are committed (and synced at the next checkpoint,
    /// as with SQLite's own), and the ledger is never read from the file alone. The next
    /// commit of this connection that finds the WAL past the setting, or closing the last
    /// connection, copies what is left.
    func leavingWAL<T>(_ body: () throws -> T) throws -> T {
        let previous = try automaticCheckpoint()
        try setAutomaticCheckpoint(0)
        defer { try? setAutomaticCheckpoint(previous) }
        return try body()
    }

    /// SQLite's automatic checkpoint on this ledger's connection: the size of the WAL, in
    /// pages, past which a commit copies it into the file (0: never; SQLite's default is
    /// 1,000).
    func automaticCheckpoint() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? 1_000 }
    }

    /// Sets ``automaticCheckpoint()``.
    func setAutomaticCheckpoint(_ pages: Int) throws(StoreError) {
        do {
            try database.inDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(max(0, pages))") }
        } catch {
            throw StoreError(wrapping: error, path: path)
        }
    }

    /// Runs `body` while a second connection, on a thread of its own, copies the pages
    /// committed to the WAL into the database file (a passive checkpoint, which waits for no
    /// reader and no writer); returns once both are done.
    ///
    /// For a caller that left a large commit in the WAL (``append(dryRun:leavingWAL:bulk:_:)``)
    /// and has other work: a 1M-event ingest folds the directory while its 550 MB are
    /// copied. What `body` commits meanwhile goes after them in the WAL, copied by a later
    /// checkpoint. A checkpoint that fails (the disk full as the file grows) is not this
    /// call's failure, as it is not a commit's when SQLite's own fails: the pages stay in
    /// the WAL, committed, for the next checkpoint to copy.
    @discardableResult
    public func copyingWAL<T>(_ body: () throws -> T) throws -> T {
        let copied = DispatchGroup()
        let (path, clock) = (path, clock)
        DispatchQueue.global().async(group: copied) {
            guard let other = try? Ledger(path: path, mode: .existing, clock: clock) else { return }
            try? other.database.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
        }
        defer { copied.wait() }
        return try body()
    }
}
