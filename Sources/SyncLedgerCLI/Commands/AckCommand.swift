import ArgumentParser
import Foundation
import SyncLedgerReplay

/// `syncledger ack`: records what Office 365 answered.
struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Record results: Graph $batch response bodies or Exchange results NDJSON.",
        discussion: """
            Results are appended, never overwritten. A duplicate-member 400 on a membership add \
            counts as applied; failed and throttled (429) commands are planned again.
            """
    )

    @OptionGroup var options: LedgerOptions

    @Argument(help: "Result files.")
    var files: [String]

    func run() throws {
        try reportingFailures {
            let replayer = Replayer(ledger: try options.open())
            var total = AckReport()
            for file in files {
                let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: file)))
                let report = try replayer.ack(bytes, file: file)
                total.applied += report.applied
                total.failed += report.failed
                total.throttled += report.throttled
                total.learntIDs += report.learntIDs
            }
            OutputSink.standardOutput.line(
                "recorded \(total.applied) applied, \(total.failed) failed, \(total.throttled) throttled; learnt \(total.learntIDs) Office 365 ids")
        }
    }
}
