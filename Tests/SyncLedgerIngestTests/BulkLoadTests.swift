import SyncLedgerDomain
@testable import SyncLedgerIngest
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Ingesting a bulk load")
struct BulkLoadTests {
    let defaults = EventDefaults(actor: "cli-actor", source: "cli-source", clock: Fixtures.clock)

    func objects(_ ledger: Ledger) throws -> [DirectoryObject] {
        var objects: [DirectoryObject] = []
        try ledger.forEachDirectoryObject(kind: .user) { objects.append($0) }
        return objects
    }

    @Test("input is a bulk load from bulkLoadBytes on, when larger than the ledger; standard input never is")
    func threshold() throws {
        let directory = TemporaryDirectory()
        let file = directory.write("events.ndjson", NDJSONIngestTests.goodLines)
        let size = NDJSONIngestTests.goodLines.utf8.count
        var ingestor = EventIngestor(ledger: try Fixtures.ledger(in: directory), defaults: defaults)
        ingestor.bulkLoadBytes = size
        #expect(ingestor.isBulkLoad([file]) == false)  // the new ledger's file is larger
        // A new ledger's file is about 240 KB.
        let bigText = String(repeating: NDJSONIngestTests.goodLines + "\n", count: 1_000)
        let big = directory.write("big.ndjson", bigText)
        ingestor.bulkLoadBytes = 1 << 20
        #expect(ingestor.isBulkLoad([big]) == false)  // under the threshold
        ingestor.bulkLoadBytes = bigText.utf8.count + 1
        #expect(ingestor.isBulkLoad([big]) == false)
        ingestor.bulkLoadBytes = bigText.utf8.count
        #expect(ingestor.isBulkLoad([big]))  // the threshold itself is a bulk load
        ingestor.bulkLoadBytes = 1
        #expect(ingestor.isBulkLoad([big]))
        #expect(ingestor.isBulkLoad([big, file]))
        #expect(ingestor.isBulkLoad([big, "-"]) == false)
        #expect(ingestor.isBulkLoad([big, directory.file("missing.ndjson")]) == false)
    }

    @Test("a bulk load gives the same ledger and directory as an ingest through the WAL")
    func sameLedger() throws {
        let directory = TemporaryDirectory()
        let lines = (0..<2_000).map { index in
            #"{"type":"UserCreated","object":"user:U\#(index)","at":"2026-01-05T09:00:00Z","data":{"attributes":{"userPrincipalName":"u\#(index)@contoso.example","displayName":"User \#(index)"}}}"#
        }
        let file = directory.write("events.ndjson", NDJSONIngestTests.goodLines + "\n" + lines.joined(separator: "\n"))
        var bulk = EventIngestor(ledger: try Fixtures.ledger(in: directory, name: "bulk.sqlite"), defaults: defaults)
        bulk.bulkLoadBytes = 1
        #expect(bulk.isBulkLoad([file]))
        let summary = try bulk.ingestNDJSON(paths: [file])
        var plain = EventIngestor(ledger: try Fixtures.ledger(in: directory, name: "plain.sqlite"), defaults: defaults)
        plain.bulkLoadBytes = .max
        _ = try plain.ingestNDJSON(paths: [file])
        #expect(summary.appended == 2_003)
        #expect(try bulk.ledger.head() == plain.ledger.head())
        #expect(try objects(bulk.ledger).count == 2_001)
        #expect(try objects(bulk.ledger) == objects(plain.ledger))
        #expect(try SQLiteShell.run(bulk.ledger.path, "PRAGMA journal_mode; PRAGMA integrity_check").output == "wal\nok\n")
    }

    @Test("a bad line in a bulk load appends nothing, and the ledger is back in WAL mode")
    func badLine() throws {
        let directory = TemporaryDirectory()
        let good = directory.write("good.ndjson", String(repeating: NDJSONIngestTests.goodLines + "\n", count: 1_000))
        let bad = directory.write("bad.ndjson", #"{"type":"UserCreated","at":"2026-01-05T09:00:00Z","data":{}}"#)
        var ingestor = EventIngestor(ledger: try Fixtures.ledger(in: directory), defaults: defaults)
        ingestor.bulkLoadBytes = 1
        #expect(ingestor.isBulkLoad([good, bad]))
        let error = #expect(throws: IngestError.self) { try ingestor.ingestNDJSON(paths: [good, bad]) }
        #expect(error?.description == "\(bad):1: field 'object': required field is missing")
        #expect(try ingestor.ledger.head().count == 0)
        #expect(try SQLiteShell.run(ingestor.ledger.path, "PRAGMA journal_mode; PRAGMA integrity_check").output == "wal\nok\n")
    }

    @Test("an import of a bulk load gives the same ledger as one through the WAL")
    func importSameLedger() throws {
        let directory = TemporaryDirectory()
        let rows = (0..<3_000).map { "U\($0),First \($0),Last,u\($0)@contoso.example,u\($0)@contoso.example,Engineer,,,active," }
        let file = directory.write("users.csv", "anchor,First Name,Last Name,Email,User Name,Title,Phone,Manager,Status,x-badge\n" + rows.joined(separator: "\n"))
        var bulk = EventIngestor(ledger: try Fixtures.ledger(in: directory, name: "bulk.sqlite"), defaults: defaults)
        bulk.bulkLoadBytes = 1
        #expect(bulk.isBulkLoad([file]))
        let summary = try bulk.ingest(paths: [file], importer: CSVImporter(kind: .users))
        var plain = EventIngestor(ledger: try Fixtures.ledger(in: directory, name: "plain.sqlite"), defaults: defaults)
        plain.bulkLoadBytes = .max
        _ = try plain.ingest(paths: [file], importer: CSVImporter(kind: .users))
        #expect(summary.appended == 3_000)
        #expect(try bulk.ledger.head() == plain.ledger.head())
        #expect(try objects(bulk.ledger) == objects(plain.ledger))
        #expect(try SQLiteShell.run(bulk.ledger.path, "PRAGMA journal_mode; PRAGMA integrity_check").output == "wal\nok\n")
    }
}
