public import ArgumentParser
public import SyncLedgerIngest

/// `syncledger ingest`: appends the events of input files, all or nothing.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Append the events of input files to the ledger, all or nothing.",
        discussion: """
            Creates the ledger when there is none at the path (this is how an exported log is \
            restored). A bad line exits 65 naming FILE:LINE and the field, and nothing from \
            any of the files is appended. Events whose id is already recorded are skipped.

            Formats: ndjson (the canonical events); csv (a snapshot of --kind users, groups, \
            memberships, contacts or resources, diffed against the directory: only changes are \
            appended; --full also deactivates users and deletes groups, contacts and resources \
            absent from the file; --map FILE.json maps columns); scim (SCIM 2.0 resources, \
            ListResponse, or NDJSON of POST/PUT/PATCH/DELETE operations); ldif (RFC 2849, as \
            AD's ldifde writes it); graph-delta (pages of Microsoft Graph /users/delta: \
            changes made in Office 365 become DirectEditObserved; unmatched users are counted).
            """
    )

    /// The input formats `ingest` reads.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case ndjson
        case csv
        case scim
        case ldif
        case graphDelta = "graph-delta"
    }

    @OptionGroup var options: LedgerOptions

    @Argument(help: ArgumentHelp("Input files; - reads standard input.", valueName: "file"))
    var files: [String]

    @Option(help: "The input format.")
    var format: Format = .ndjson

    @Option(help: "CSV: what the rows are (users, groups, memberships, contacts, resources).")
    var kind: CSVKind?

    @Option(name: .customLong("map"), help: ArgumentHelp("CSV: a JSON mapping of columns to catalog attributes.", valueName: "mapping"))
    var mapping: String?

    @Flag(help: "CSV: the file is the full list; objects absent from it are deactivated (users) or deleted.")
    var full = false

    @Option(help: "The actor for events that name none.")
    var actor = "syncledger"

    @Option(help: "The source system for events that name none.")
    var source = "syncledger"

    @Flag(help: "Check everything, then append nothing.")
    var dryRun = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one input file (or - for standard input)") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be named only once") }
        if format == .csv, kind == nil { throw ValidationError("--format csv needs --kind users|groups|memberships|contacts|resources") }
        if format != .csv, kind != nil || mapping != nil || full {
            throw ValidationError("--kind, --map and --full are options of --format csv")
        }
    }

    func run() throws {
        try reportingFailures {
            let ledger = try options.openOrCreate()
            let ingestor = EventIngestor(
                ledger: ledger, defaults: EventDefaults(actor: actor, source: source, clock: options.clock))
            let verb = dryRun ? "would append" : "appended"
            let out = OutputSink.standardOutput
            let summary: ImportSummary
            switch format {
            case .ndjson:
                let result = try ingestor.ingestNDJSON(paths: files, dryRun: dryRun)
                out.line("\(verb) \(result.appended) events, \(result.alreadyRecorded) already recorded")
                return
            case .csv:
                let map = try mapping.map { try CSVMapping.load(path: $0) } ?? CSVMapping()
                summary = try ingestor.ingest(
                    paths: files, importer: CSVImporter(kind: kind!, mapping: map, full: full), dryRun: dryRun)
            case .scim:
                summary = try ingestor.ingest(paths: files, importer: SCIMImporter(), dryRun: dryRun)
            case .ldif:
                summary = try ingestor.ingest(paths: files, importer: LDIFImporter(), dryRun: dryRun)
            case .graphDelta:
                // The replayer's journal will supply learnt Office 365 ids; until then, none.
                summary = try ingestor.ingest(paths: files, importer: GraphDeltaImporter(officeObjectID: nil), dryRun: dryRun)
            }
            var line = "\(verb) \(summary.appended) events, \(summary.alreadyRecorded) already recorded"
            if summary.unchanged > 0 { line += ", \(summary.unchanged) records unchanged" }
            if summary.skipped > 0 { line += ", \(summary.skipped) records skipped" }
            if format == .graphDelta { line += ", \(summary.unmatched) users unmatched" }
            out.line(line)
        }
    }
}

// MARK: - Ingest values as arguments

extension CSVKind: ExpressibleByArgument {}
