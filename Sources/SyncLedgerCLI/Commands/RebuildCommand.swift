import ArgumentParser
import SyncLedgerProjection

/// `syncledger rebuild`: drops and rebuilds the projections from seq 1.
struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Drop every projection and fold the whole log again.",
        discussion: """
            The snapshots of the directory are taken again where they were (unless \
            --drop-snapshots), and with --snapshot-every N at every multiple of N events, so \
            `state --as-of` and `--at-seq` fold from the nearest one instead of from the first \
            event; each costs about one more write of every object. Shows a progress bar on \
            standard error when it is a terminal.
            """
    )

    @OptionGroup var options: LedgerOptions

    @Option(help: "Also take a snapshot of the directory every N events.")
    var snapshotEvery: Int64 = 0

    @Flag(help: "Drop the snapshots of the directory instead of taking them again.")
    var dropSnapshots = false

    func validate() throws {
        if snapshotEvery < 0 { throw ValidationError("--snapshot-every takes a number of events, 0 or more") }
    }

    func run() throws {
        try reportingFailures {
            let ledger = try options.open()
            let bar = ProgressBar(label: "rebuild")
            let projector = DirectoryProjector(ledger: ledger, snapshotInterval: snapshotEvery)
            let folded = try projector.rebuild(keepingSnapshots: !dropSnapshots, progress: bar.update)
            bar.finish()
            OutputSink.standardOutput.line("rebuilt the directory state from \(folded) events")
        }
    }
}
