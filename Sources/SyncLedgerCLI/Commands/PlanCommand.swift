import ArgumentParser
import Foundation
import SyncLedgerDomain
import SyncLedgerReplay

/// `syncledger plan`: what replay would send to Office 365.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the Office 365 commands that would converge the tenant, destructive ones first.",
        discussion: """
            --mode M previews a switch to M without switching. --detailed-exitcode exits 0 when \
            there is nothing to do and 2 when there are changes (like terraform). After a run, \
            the plan looks only at the objects changed since (incremental); --full looks at \
            every object and gives the same commands.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var options: LedgerOptions
    @OptionGroup var scope: PlanScopeOptions

    @Option(help: "Plan for this mode instead of the one in force (a preview).")
    var mode: ProvisioningMode?

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(help: "Also write the plan as JSON to this file, for `replay --plan`.")
    var out: String?

    @Flag(help: "Exit 0 when there is nothing to do, 2 when there are changes.")
    var detailedExitcode = false

    func run() throws {
        var changes = false
        try reportingFailures {
            let plan = try Replayer(ledger: try options.open()).plan(mode: mode, full: scope.full)
            changes = !plan.isEmpty
            if let out { try PlanFile.write(plan, to: out) }
            switch format {
            case .json:
                var stream = CanonicalJSONStream { OutputSink.standardOutput.write(bytes: $0) }
                plan.writeJSON(to: &stream)
                stream.raw([0x0A])
                stream.finish()
            case .text: PlanText.write(plan, to: OutputSink.standardOutput)
            }
            ProcessLifetime.keepUntilExit(plan)
        }
        if detailedExitcode && changes { throw ExitCode(2) }
    }
}

/// A plan's JSON in a file, for `replay --plan`, written a piece at a time.
enum PlanFile {
    static func write(_ plan: Plan, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ReplayError(.output, "cannot write \(path): check the folder's permissions and free space")
        }
        defer { try? handle.close() }
        final class Failure { var error: (any Error)? }
        let failure = Failure()
        var stream = CanonicalJSONStream { bytes in
            guard failure.error == nil else { return }
            do { try handle.write(contentsOf: bytes) } catch { failure.error = error }
        }
        plan.writeJSON(to: &stream)
        stream.raw([0x0A])
        stream.finish()
        if let error = failure.error {
            try? FileManager.default.removeItem(atPath: path)  // no half-written plan left behind
            throw ReplayError(.output, "cannot write \(path): \(error.localizedDescription); check the free space")
        }
    }
}

/// The text form of a plan: the summary, destructive commands first, then the rest.
enum PlanText {
    static func write(_ plan: Plan, to out: OutputSink) {
        if plan.isPreview { out.line("Preview of a switch to \(plan.mode.rawValue) (nothing is switched).") }
        out.line(plan.summary)
        out.line("Base: seq \(plan.baseSeq), mode \(plan.mode.rawValue), plan hash \(plan.hash)")
        let objects = plan.scope.objectsPlanned == 1 ? "1 object" : "\(plan.scope.objectsPlanned) objects"
        out.line("\(plan.scope.isFull ? "Full" : "Incremental") plan of \(objects): \(plan.scope.reason).")
        if !plan.heldBack.isEmpty {
            out.line()
            let kinds = plan.destructiveCounts.keys.sorted().map { "\($0) \(plan.destructiveCounts[$0]!)" }.joined(separator: ", ")
            out.line("HELD BACK: \(plan.heldBack.count) destructive commands exceed the threshold (\(kinds)).")
            out.line("  Review them, then run `syncledger replay --allow-destructive --actor A` to let them through.")
            for command in plan.heldBack { line(command, to: out) }
        }
        let destructive = plan.commands.filter(\.isDestructive)
        if !destructive.isEmpty {
            out.line()
            out.line("Destructive:")
            for command in destructive { line(command, to: out) }
        }
        let other = plan.commands.filter { !$0.isDestructive }
        if !other.isEmpty {
            out.line()
            out.line("Changes:")
            for command in other { line(command, to: out) }
        }
        if !plan.waiting.isEmpty {
            out.line()
            out.line("Waiting for the next run (\(plan.waiting.count)):")
            for waiting in plan.waiting { out.line("  \(waiting.operation.rawValue) \(waiting.stream): \(waiting.reason)") }
        }
        if !plan.retries.isEmpty {
            out.line()
            out.line("Planned again after a failure:")
            for retry in plan.retries { out.line("  \(retry.commandID.prefix(12)) \(retry.status): \(retry.error ?? "")") }
        }
        if !plan.notPushable.isEmpty {
            out.line()
            out.line("Not pushable (kept in the ledger, no public API writes them):")
            for item in plan.notPushable { out.line("  \(item.kind.rawValue).\(item.attribute) on \(item.objects) objects: \(item.reason)") }
        }
    }

    static func line(_ command: Command, to out: OutputSink) {
        var text = "  \(command.operation.action.padding(toLength: 8)) \(command.operation.rawValue) \(command.stream)"
        text += "  [\(command.operation.route.rawValue); \(command.operation.reversibility)]"
        if command.causes.lastSeq > 0 {
            text += " seq \(command.causes.firstSeq)-\(command.causes.lastSeq) by \(command.causes.actors.joined(separator: ","))"
        }
        if let note = command.note { text += " (\(note))" }
        out.line(text)
    }
}
