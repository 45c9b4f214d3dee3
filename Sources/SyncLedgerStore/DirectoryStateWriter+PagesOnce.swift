import GRDB

// MARK: - Writing a fold's pages once

extension DirectoryStateWriter {
    /// Whether this transaction writes its pages once, straight into the file: the ledger is
    /// in rollback-journal mode (``Ledger/updateDirectoryState(writingPagesOnce:_:)``), not WAL.
    ///
    /// Then no other connection reads the file while this transaction writes to it: a second
    /// connection of this process that is reading keeps this one from writing its pages
    /// (``keepingPagesUntilCommit(_:)``).
    public func writesPagesOnce() throws -> Bool {
        try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal"
    }

    /// Runs `body` with every page this transaction changes kept in memory until the commit
    /// (SQLite's `cache_spill` off), then sets back the setting it found.
    ///
    /// For a fold reading the log ahead on other connections in rollback-journal mode
    /// (``Ledger/scanEventBatchesReadAhead(_:decoding:whileStarting:_:)``): writing a page into
    /// the file takes SQLite's EXCLUSIVE lock, which waits for every reader to end, and the
    /// readers wait for the fold to take their events. Nothing that large is written while a
    /// fold reads (a few pages of schema; a rebuild's objects are saved after), and this makes
    /// sure that stays so.
    public func keepingPagesUntilCommit<T>(_ body: () throws -> T) throws -> T {
        try with("cache_spill", setTo: false, body)
    }

    /// Runs `body` with the tables a fold writes (``foldedTables``) replaced by new, empty
    /// ones, made by the SQL SQLite keeps for them, with their triggers; the tables they
    /// replace are dropped after `body`, with their indexes, in the same transaction. The
    /// caller creates the indexes again (``withIndexesBuiltAfter(replacingTables:_:)``).
    ///
    /// For a rebuild in rollback-journal mode. A rollback journal copies each page that was in
    /// the file before the transaction, once, before its first change, but not a page that was
    /// already free when the transaction began: SQLite knows it holds nothing. Emptied first,
    /// the old tables' pages would be freed by this transaction and filled again by the fold,
    /// each copied into the journal (162 MB for a 1M-event ledger). Renamed aside and dropped
    /// after, their pages are freed once the new rows are written, into the free pages a
    /// previous rebuild left or at the end of the file. Only the indexes, built after the old
    /// tables are dropped, fill pages freed by this transaction (42 MB copied). The file
    /// keeps the old tables' pages free for the next rebuild (a 1M-event ledger: 121 MB).
    ///
    /// The renames run with `legacy_alter_table` on: views and the bodies of triggers that
    /// name these tables are left as they are, and name the new tables after. A failing
    /// `body` leaves the old tables to the transaction's rollback.
    func withFoldedTablesReplaced<T>(_ body: () throws -> T) throws -> T {
        let tables = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name IN (\(Self.foldedTablesList)) ORDER BY name")
            .map { (name: $0[0] as String, sql: $0[1] as String) }
        let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name IN (\(Self.foldedTablesList)) ORDER BY name")
            .map { (name: $0[0] as String, sql: $0[1] as String) }
        let aside = tables.map { $0.name + "_replaced" }
        try with("legacy_alter_table", setTo: true) {
            for (table, name) in zip(tables, aside) {
                try db.execute(sql: "ALTER TABLE \(table.name.quotedDatabaseIdentifier) RENAME TO \(name.quotedDatabaseIdentifier)")
            }
        }
        // The triggers went with the tables renamed: made again on the new ones.
        for trigger in triggers { try db.execute(sql: "DROP TRIGGER \(trigger.name.quotedDatabaseIdentifier)") }
        for table in tables { try db.execute(sql: table.sql) }
        for trigger in triggers { try db.execute(sql: trigger.sql) }
        let result = try body()
        for name in aside { try db.execute(sql: "DROP TABLE \(name.quotedDatabaseIdentifier)") }
        return result
    }

    /// Runs `body` with the connection's boolean `pragma` set to `value`, then sets back the
    /// one it found (after a throw too).
    private func with<T>(_ pragma: String, setTo value: Bool, _ body: () throws -> T) throws -> T {
        let found = try Bool.fetchOne(db, sql: "PRAGMA \(pragma)") ?? !value
        try db.execute(sql: "PRAGMA \(pragma) = \(value ? "ON" : "OFF")")
        defer { try? db.execute(sql: "PRAGMA \(pragma) = \(found ? "ON" : "OFF")") }
        return try body()
    }
}

extension Ledger {
    /// Runs `body` in one write transaction on the directory state projection, as
    /// ``updateDirectoryState(_:)`` does; with `writingPagesOnce`, in rollback-journal mode
    /// when no other connection has the ledger open (``writingPagesOnce(_:)``), so that the
    /// pages it writes are written once, into the file.
    ///
    /// For a rebuild (``DirectoryStateWriter/withIndexesBuiltAfter(replacingTables:_:)``).
    /// Other connections wait for it meanwhile, up to the busy timeout.
    @discardableResult
    public func updateDirectoryState<T>(writingPagesOnce: Bool, _ body: (DirectoryStateWriter) throws -> T) throws -> T {
        guard writingPagesOnce else { return try updateDirectoryState(body) }
        return try self.writingPagesOnce { try updateDirectoryState(body) }
    }
}

// MARK: - Inspection

extension DirectoryStateWriter {
    /// The first column of the rows `sql` reads in this transaction, as text (for tests).
    func texts(_ sql: String) throws -> [String] {
        try String.fetchAll(db, sql: sql)
    }

    /// Runs `sql` in this transaction (for tests).
    func execute(_ sql: String) throws {
        try db.execute(sql: sql)
    }
}
