import GRDB

// MARK: - Writing a bulk load's pages once

extension Ledger {
    /// Runs `body` with the ledger in SQLite's rollback-journal mode, then switches it back
    /// to WAL: the pages `body`'s transactions add are written once, into the file, where WAL
    /// writes every page twice (to the WAL, then into the file at the checkpoint).
    ///
    /// For a bulk load larger than the ledger it goes into (a new ledger's first ingest):
    /// almost every page it writes is new, past the end of the file, and a rollback journal
    /// copies only the pages that were there before, once each, before their first change. A
    /// 1M-event ingest took 13.51–13.72 s against 14.36–15.28 s (three alternating runs each),
    /// at 271–274 against 280–284 MiB: its 550 MB were no longer written to the WAL, read back
    /// and written again (its system time: 1.1–1.2 s against 2.2–2.9 s). A rebuild, too, when
    /// its rows go into free pages or new ones (``DirectoryStateWriter/withFoldedTablesReplaced(_:)``).
    ///
    /// The price is WAL's concurrency, for that while: other connections wait for the
    /// transaction to end (up to the busy timeout) instead of reading what was committed
    /// before it. The mode changes only when no other connection has the file open; when one
    /// has (SQLite answers busy), `body` runs in WAL mode, as every other write does. Commits
    /// are synced in full meanwhile (`synchronous = FULL`: a rollback journal must reach the
    /// disk before the file's pages change). A crash leaves a hot journal, which the next
    /// connection to open the file rolls back before it reads anything (and
    /// ``init(path:mode:clock:)`` then switches the file to WAL again).
    func writingPagesOnce<T>(_ body: () throws -> T) throws -> T {
        let switched: Bool
        do {
            // Leaving WAL takes the file for this connection alone: SQLite answers busy when
            // another has it open.
            switched = try setJournalMode("delete", synchronous: "FULL") == "delete"
        } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) {
            switched = false
        } catch {
            throw StoreError(wrapping: error, path: path)
        }
        guard switched else { return try body() }
        // Back to WAL even when `body` throws (its transaction rolled back by then). Should
        // that fail (another connection opened the file meanwhile and holds it), the file
        // stays in rollback mode until a connection opens it, as every opening switches it to
        // WAL.
        defer { _ = try? setJournalMode("wal", synchronous: "NORMAL") }
        return try body()
    }

    /// Sets the journal mode of the ledger's file (`wal`, `delete`) and, once it is set, the
    /// connection's `synchronous`; returns the mode SQLite answers (the one it kept when it
    /// could not change it).
    func setJournalMode(_ mode: String, synchronous: String) throws -> String {
        try database.inDatabase { db in
            let answer = try String.fetchOne(db, sql: "PRAGMA journal_mode = \(mode)") ?? ""
            if answer == mode { try db.execute(sql: "PRAGMA synchronous = \(synchronous)") }
            return answer
        }
    }

    /// The journal mode of this ledger's connection (`wal` but inside
    /// ``writingPagesOnce(_:)``, where it is `delete`).
    func journalMode() throws(StoreError) -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }
}
