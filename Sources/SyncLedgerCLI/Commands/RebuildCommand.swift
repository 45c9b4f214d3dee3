import ArgumentParser
import SyncLedgerProjection

/// `syncledger rebuild`: drops and rebuilds the projections from seq 1.
struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Drop every projection and fold the whole log again.",
        discussion: "Shows a progress bar on standard error when it is a terminal."
    )

    @OptionGroup var options: LedgerOptions

    func run() throws {
        try reportingFailures {
            let ledger = try options.open()
            let bar = ProgressBar(label: "rebuild")
            let folded = try DirectoryProjector(ledger: ledger).rebuild(progress: bar.update)
            bar.finish()
            OutputSink.standardOutput.line("rebuilt the directory state from \(folded) events")
        }
    }
}
