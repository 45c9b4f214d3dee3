import ArgumentParser
import SyncLedgerDomain
import SyncLedgerIngest
import SyncLedgerStore

/// `syncledger log`: lists events.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "List events, oldest first.",
        discussion: """
            --format ndjson writes the canonical event format: ingesting it into a new ledger \
            reproduces the same events and the same chain.
            """
    )

    @OptionGroup var options: LedgerOptions

    @Option(help: "Only this object (user:<anchor>, group:<anchor>, …, or tenant).")
    var object: String?

    @Option(help: "Only events of this type.")
    var type: String?

    @Option(help: "Only events by this actor.")
    var actor: String?

    @OptionGroup var window: TimeWindowOptions

    @Option(help: "Only events after this seq.")
    var after: Int64?

    @Option(help: "At most this many events.")
    var limit: Int?

    @Option(help: "Output format: table, json, ndjson or csv.")
    var format: OutputFormat = .table

    func validate() throws {
        if let object { _ = try parseObject(object) }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
        if let after, after < 0 { throw ValidationError("--after must be 0 or more") }
    }

    var filter: EventFilter {
        EventFilter(
            stream: object.flatMap { try? parseObject($0).description }, type: type, actor: actor,
            since: window.start, until: window.end,
            afterSeq: after, limit: limit)
    }

    func run() throws {
        try reportingFailures {
            let ledger = try options.open()
            if format == .ndjson {
                let sink = OutputSink.standardOutput
                try ledger.forEachEvent(matching: filter) { event in
                    sink.write(bytes: try CanonicalEventFormat.encode(event))
                    sink.write("\n")
                }
                sink.flush()
                return
            }
            let output = TabularOutput(
                columns: ["seq", "at", "object", "version", "type", "actor", "source", "id", "data"], format: format)
            try ledger.forEachEvent(matching: filter) { event in
                output.row([
                    .int(event.seq), .string(event.occurredAt), .string(event.stream), .int(event.version),
                    .string(event.type), .string(event.actor), .string(event.source), .string(event.eventID),
                    format == .table ? .string(event.payload) : try JSONParser.parse(event.payload),
                ])
            }
            output.finish()
        }
    }
}

/// Parses an object reference given on the command line.
func parseObject(_ text: String) throws -> ObjectRef {
    do {
        return try ObjectRef(parsing: text)
    } catch {
        throw ValidationError(error.message)
    }
}
