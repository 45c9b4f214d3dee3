import Foundation

/// Runs SQL against a ledger file with the plain `sqlite3` shell, as an attacker or an
/// admin with file access would.
public enum SQLiteShell {
    /// Runs `sql` on `path`; returns standard output, standard error and the exit status.
    @discardableResult
    public static func run(_ path: String, _ sql: String) throws -> (output: String, error: String, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path, sql]
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self), process.terminationStatus)
    }
}
