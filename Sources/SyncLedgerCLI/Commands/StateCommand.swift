import ArgumentParser
import SyncLedgerDomain
import SyncLedgerProjection

/// `syncledger state`: the directory state, or what Office 365 must hold, at any point.
struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "List the state of users, groups, contacts, resources, licenses or roles.",
        discussion: """
            Without --mode or --target: the directory as the source says it is. With --target: \
            what Office 365 must hold under the mode in force; with --mode M: what it would hold \
            under M (a preview, nothing is switched). --as-of and --at-seq look at the past, the \
            mode in force then included.
            """
    )

    @OptionGroup var options: LedgerOptions
    @OptionGroup var point: PointInTimeOptions

    @Argument(help: "users, groups, contacts, resources, licenses or roles.")
    var view: StateView

    @Option(help: "Show the target state under this mode.")
    var mode: ProvisioningMode?

    @Flag(help: "Show the target state under the mode in force.")
    var target = false

    @Option(help: "Output format: table, json, ndjson or csv.")
    var format: OutputFormat = .table

    func validate() throws {
        if mode != nil, target { throw ValidationError("give --mode or --target, not both") }
    }

    func run() throws {
        try reportingFailures {
            // A target view needs every kind (group targets place members); a source view one.
            let kinds: Set<ObjectKind>? = mode == nil && !target ? [view.kind] : nil
            let snapshot = try DirectoryProjector(ledger: try options.open()).snapshot(at: point.point, kinds: kinds)
            let table = snapshot.table(view, target: mode != nil ? .some(mode) : target ? .some(nil) : nil)
            let output = TabularOutput(columns: table.columns, format: format)
            output.rows(count: table.count, table.cells)
            output.finish()
            ProcessLifetime.keepUntilExit(snapshot)
        }
    }
}

