import Foundation

/// Runs the built `syncledger` binary, as a user's shell would.
public enum SyncLedgerBinary {
    /// What a run printed and how it ended.
    public struct Result: Sendable {
        public var stdout: String
        public var stderr: String
        public var status: Int32
    }

    /// The binary next to the test bundle (both are build products), or `$SYNCLEDGER_BINARY`.
    public static var path: String {
        if let explicit = ProcessInfo.processInfo.environment["SYNCLEDGER_BINARY"] { return explicit }
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return runner.deletingLastPathComponent().appendingPathComponent("syncledger").path
    }

    /// Runs the binary with `arguments` in `directory`, with a fixed clock and seed so output
    /// is reproducible, and without the caller's `SYNCLEDGER_LEDGER`.
    @discardableResult
    public static func run(
        _ arguments: [String], in directory: String, stdin: String? = nil, environment: [String: String] = [:],
        executable: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SYNCLEDGER_LEDGER")
        env["SYNCLEDGER_NOW"] = "2026-02-01T12:00:00Z"
        env["SYNCLEDGER_SEED"] = "7"
        env["COLUMNS"] = "200"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe()
        let error = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes concurrently so a large output cannot block the child.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = error.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
            status: process.terminationStatus)
    }
}
