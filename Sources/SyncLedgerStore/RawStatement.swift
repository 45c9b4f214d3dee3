import GRDB
import GRDBSQLite

/// A prepared statement driven through SQLite's C API: the hot paths' way to bind and step
/// without building argument arrays or row objects for every event.
///
/// Lives inside one transaction of the connection it was prepared on; not thread-safe.
final class RawStatement {
    private let db: Database
    private let handle: OpaquePointer

    init(_ db: Database, sql: String) throws {
        self.db = db
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(db.sqliteConnection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw Self.error(db, code)
        }
        handle = statement
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: - Binding (1-based, as SQLite numbers parameters)

    func bind(_ value: String, at index: Int32) {
        // A native string's bytes where they are: `withUTF8` needs a copy of the string,
        // which retained it (0.06 s of the 2.6 million binds of a 1M-event rebuild's save).
        if value.utf8.withContiguousStorageIfAvailable({ bind(utf8: $0, at: index) }) != nil { return }
        var value = value
        value.withUTF8 { bind(utf8: $0, at: index) }
    }

    /// Binds UTF-8 bytes as text (SQLite copies them).
    func bind(utf8 bytes: UnsafeBufferPointer<UInt8>, at index: Int32) {
        _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                              Int32(bytes.count), SQLITE_TRANSIENT)
    }

    /// Binds `value`, or SQL NULL when it is nil.
    func bind(_ value: String?, at index: Int32) {
        guard let value else {
            sqlite3_bind_null(handle, index)
            return
        }
        bind(value, at: index)
    }

    /// Binds UTF-8 bytes as text.
    func bind(utf8 bytes: [UInt8], at index: Int32) {
        bytes.withUnsafeBufferPointer { bind(utf8: $0, at: index) }
    }

    func bind(_ value: Int64, at index: Int32) {
        sqlite3_bind_int64(handle, index, value)
    }

    // MARK: - Stepping

    /// Runs a statement that returns no row.
    func execute() throws {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else { throw Self.error(db, code) }
    }

    /// Runs a query and calls `row` with the statement positioned on its first row, if any.
    func first<T>(_ row: (RawStatement) throws -> T) throws -> T? {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else { throw Self.error(db, code) }
        return try row(self)
    }

    /// Runs a query and calls `row` with the statement positioned on each row in turn.
    func forEachRow(_ row: (RawStatement) throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw Self.error(db, code) }
            try row(self)
        }
    }

    // MARK: - Columns (0-based) of the current row

    func int64(at column: Int32) -> Int64 {
        sqlite3_column_int64(handle, column)
    }

    /// Whether the column is SQL NULL.
    func isNull(at column: Int32) -> Bool {
        sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    func string(at column: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }

    /// The column's text as UTF-8 bytes borrowed from SQLite: valid until the next step.
    func utf8(at column: Int32) -> UnsafeBufferPointer<UInt8> {
        let text = sqlite3_column_text(handle, column)
        return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))
    }

    /// The error SQLite reports for `code`, as GRDB reports errors (so the Store maps it
    /// like every other database error: constraint, full disk, read-only file).
    static func error(_ db: Database, _ code: Int32) -> DatabaseError {
        let extended = sqlite3_extended_errcode(db.sqliteConnection)
        return DatabaseError(
            resultCode: ResultCode(rawValue: extended != 0 ? extended : code),
            message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }
}

/// SQLite's "copy this value now" destructor (the C macro is not imported into Swift).
let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
