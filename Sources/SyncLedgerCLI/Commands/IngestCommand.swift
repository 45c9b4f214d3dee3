import ArgumentParser
import SyncLedgerIngest

/// `syncledger ingest`: appends the events of input files, all or nothing.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Append the events of input files to the ledger, all or nothing.",
        discussion: """
            Creates the ledger when there is none at the path (this is how an exported log is \
            restored). A bad line exits 65 naming FILE:LINE and the field, and nothing from \
            any of the files is appended. Events whose id is already recorded are skipped.
            """
    )

    /// The input formats `ingest` reads.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case ndjson
    }

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("Input files; - reads standard input.", valueName: "file"))
    var files: [String]

    @Option(help: "The input format.")
    var format: Format = .ndjson

    @Option(help: "The actor for events that name none.")
    var actor = "syncledger"

    @Option(help: "The source system for events that name none.")
    var source = "syncledger"

    @Flag(help: "Check everything, then append nothing.")
    var dryRun = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one input file (or - for standard input)") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be named only once") }
    }

    func run() throws {
        try reportingFailures {
            let ledger = try options.openOrCreate()
            let ingestor = EventIngestor(
                ledger: ledger, defaults: EventDefaults(actor: actor, source: source, clock: options.clock))
            let summary = try ingestor.ingestNDJSON(paths: files, dryRun: dryRun)
            let verb = dryRun ? "would append" : "appended"
            OutputSink.standardOutput.line(
                "\(verb) \(summary.appended) events, \(summary.alreadyRecorded) already recorded")
        }
    }
}
