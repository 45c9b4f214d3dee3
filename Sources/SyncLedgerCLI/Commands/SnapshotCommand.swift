import ArgumentParser
import SyncLedgerProjection
import SyncLedgerStore

/// `syncledger snapshot`: records the whole directory as it stands, for views of the past.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Record a snapshot of the directory at the last event.",
        discussion: """
            `state --as-of` and `--at-seq` start from the nearest snapshot before their point \
            and fold only the events after it. Run this after an ingest now and then (for \
            example every few hundred thousand events); `rebuild --snapshot-every N` takes them \
            over a whole history. Each snapshot stores every object once more (about 1 KB per \
            user).
            """
    )

    @OptionGroup var options: LedgerOptions

    func run() throws {
        try reportingFailures {
            let projector = DirectoryProjector(ledger: try options.open())
            if let mark = try projector.takeSnapshot() {
                OutputSink.standardOutput.line("snapshot of the directory through seq \(mark.throughSeq)")
            } else {
                OutputSink.standardOutput.line("no snapshot taken: the log is empty")
            }
        }
    }
}
