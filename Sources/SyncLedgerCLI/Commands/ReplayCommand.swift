import ArgumentParser
import Foundation
import SyncLedgerDomain
import SyncLedgerReplay

/// `syncledger replay`: writes the commands and journals them.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Write the Office 365 commands (Graph $batch files, exchange.ps1, commands.ndjson) and journal them.",
        discussion: """
            Emitting again with no new events writes nothing. Commands emitted without a \
            result are not written again until --resend-pending. Initial passwords are only in \
            the batch files (mode 0600), never in the ledger.
            """
    )

    @OptionGroup var options: LedgerOptions
    @OptionGroup var scope: PlanScopeOptions

    @Option(help: "The folder to write into (must not hold an earlier replay's files).")
    var out: String

    @Option(help: "A plan written by `plan --out`; refused when the log has moved past it.")
    var plan: String?

    @Flag(help: "Let destructive commands above the threshold through (recorded as an event).")
    var allowDestructive = false

    @Option(help: "Who allows destructive commands (required with --allow-destructive).")
    var actor: String?

    @Flag(help: "Write again the commands journaled without a result.")
    var resendPending = false

    func validate() throws {
        if allowDestructive, actor?.isEmpty ?? true { throw ValidationError("--allow-destructive needs --actor: who allows it") }
    }

    func run() throws {
        try reportingFailures {
            let ledger = try options.open()
            var saved: SavedPlan?
            if let plan {
                let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: plan)))
                do {
                    saved = try SavedPlan(json: try JSONParser.parse(bytes))
                } catch let error as JSONParseError {
                    throw ReplayError(.invalidPlan, "\(plan): \(error)")
                }
            }
            var random = try options.random(for: ledger)
            let report = try Replayer(ledger: ledger).emit(
                to: out, savedPlan: saved, allowDestructive: allowDestructive, actor: actor ?? "syncledger",
                resendPending: resendPending, full: scope.full, random: &random)
            let sink = OutputSink.standardOutput
            sink.line(report.plan.summary)
            guard report.emitted > 0 else {
                sink.line("Nothing to emit.")
                return
            }
            let resent = report.resent > 0 ? " (\(report.resent) resent)" : ""
            sink.line("Emitted \(report.emitted) commands\(resent) in run \(report.runID.map(String.init) ?? "-"):")
            for file in report.files { sink.line("  \(file)") }
            if !report.plan.heldBack.isEmpty {
                sink.line("Held back \(report.plan.heldBack.count) destructive commands: see `syncledger plan`.")
            }
            if !report.plan.waiting.isEmpty {
                sink.line("\(report.plan.waiting.count) changes wait for Office 365 ids: ack the results, then replay again.")
            }
        }
    }
}
