import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `syncledger demo`: the first five minutes, in one command.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Tell syncledger's story on a generated tenant, end to end, against a simulated Office 365.",
        discussion: """
            In a fresh folder (default: a new temporary one, printed): generate a small tenant, start in \
            profile-sync, ingest a few months of history, plan, replay, ack through the simulator, switch \
            to universal-sync with a preview first, and answer three audit questions. Every file it writes \
            is named; the ledger re-verifies with `syncledger verify --ledger DIR/ledger.sqlite`. The \
            simulated Office 365 is never a real tenant.
            """
    )

    @Option(help: "The folder to work in (must not exist or be empty).")
    var dir: String?

    @Option(help: "The generator's seed: the same seed tells the same story.")
    var seed: UInt64 = 42

    @Option(help: "How many users the generated tenant has.")
    var users = 24

    func validate() throws {
        if users < 5 || users > 5_000 { throw ValidationError("--users must be 5 to 5000") }
        if let dir, let contents = try? FileManager.default.contentsOfDirectory(atPath: dir), !contents.isEmpty {
            throw ValidationError("\(dir) is not empty; give a new or empty folder")
        }
    }

    func run() throws {
        try reportingFailures {
            let folder = try dir ?? Self.makeTemporaryFolder()
            try DemoScript(directory: folder, seed: seed, users: users, out: OutputSink.standardOutput).run()
        }
    }

    /// A new folder `syncledger-demo-XXXXXX` in the system's temporary folder.
    static func makeTemporaryFolder() throws -> String {
        var template = Array((FileManager.default.temporaryDirectory.path + "/syncledger-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ValidationError("cannot create a temporary folder; give --dir DIR")
        }
        return String(cString: made)
    }
}
