import SyncLedgerDomain
import SyncLedgerIngest
import SyncLedgerStore
import SyncLedgerTestSupport

/// A ledger in a temporary directory that importers run against.
struct ImportBench {
    let directory = TemporaryDirectory()
    let ledger: Ledger
    let defaults = EventDefaults(actor: "importer", source: "hr", clock: Fixtures.clock)

    init() throws {
        ledger = try Fixtures.ledger(in: directory)
    }

    /// Writes `text` to `name` and imports it with `importer`.
    @discardableResult
    func run(_ importer: some DirectoryImporter, _ name: String, _ text: String) throws -> ImportSummary {
        let file = directory.write(name, text)
        return try EventIngestor(ledger: ledger, defaults: defaults).ingest(paths: [file], importer: importer)
    }

    /// The path a file written by ``run`` has.
    func path(_ name: String) -> String { directory.file(name) }

    /// Every event: (type, stream, payload).
    func events() throws -> [(type: String, stream: String, data: JSONValue)] {
        try ledger.events().map { ($0.type, $0.stream, try JSONParser.parse($0.payload)) }
    }

    /// The events after the first `count`.
    func events(after count: Int) throws -> [(type: String, stream: String, data: JSONValue)] {
        Array(try events().dropFirst(count))
    }
}
