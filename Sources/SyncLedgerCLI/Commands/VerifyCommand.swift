import ArgumentParser
import SyncLedgerStore

/// `syncledger verify`: recomputes the hash chain.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the hash chain; exit 1 naming the first bad seq.",
    )

    @OptionGroup var options: LedgerOptions

    func run() throws {
        try reportingFailures {
            let report = try options.open().verify()
            if let failure = report.firstBreak {
                OutputSink.standardOutput.line("FAILED at \(failure) (\(report.count) events verified before it)")
                OutputSink.standardOutput.flush()
                throw ExitCode(ExitStatus.failure)
            }
            OutputSink.standardOutput.line("OK \(report.count) events, head \(report.headHash)")
        }
    }
}
