import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerIngest
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Ingesting canonical NDJSON")
struct NDJSONIngestTests {
    let defaults = EventDefaults(actor: "cli-actor", source: "cli-source", clock: Fixtures.clock)

    static let goodLines = """
        {"id":"e1","type":"TenantInitialized","object":"tenant","actor":"admin","source":"setup","at":"2026-01-01T00:00:00Z","data":{"name":"contoso","mode":"profile-sync"}}
        {"type":"UserCreated","object":"user:QUJD","actor":"hr-import","source":"workday","at":"2026-01-05T09:00:00Z","data":{"attributes":{"userPrincipalName":"ann@contoso.example","displayName":"Ann O'Brien"}}}
        {"type":"UserUpdated","object":"user:QUJD","at":"2026-01-06T10:00:00+01:00","data":{"set":{"jobTitle":"Engineer"},"unset":[]}}
        """

    func ingest(_ directory: TemporaryDirectory, _ files: [String], dryRun: Bool = false) throws -> (Ledger, IngestSummary) {
        let ledger = try Fixtures.ledger(in: directory)
        let summary = try EventIngestor(ledger: ledger, defaults: defaults).ingestNDJSON(paths: files, dryRun: dryRun)
        return (ledger, summary)
    }

    @Test("lines become events; missing actor, source and at take the defaults; blank lines are skipped")
    func defaultsApply() throws {
        let directory = TemporaryDirectory()
        let file = directory.write("events.ndjson", Self.goodLines + "\n\n   \n")
        let (ledger, summary) = try ingest(directory, [file])
        #expect(summary.appended == 3)
        let events = try ledger.events()
        #expect(events[2].actor == "cli-actor")
        #expect(events[2].source == "cli-source")
        #expect(events[2].occurredAt == "2026-01-06T09:00:00.000Z")
        #expect(events[0].eventID == "e1")
    }

    @Test("an ingest whose pages are copied from the WAL while the directory folds them gives the same ledger")
    func walCopiedBesideFold() throws {
        let directory = TemporaryDirectory()
        let file = directory.write("events.ndjson", Self.goodLines)
        func objects(_ ledger: Ledger) throws -> [DirectoryObject] {
            var objects: [DirectoryObject] = []
            try ledger.forEachDirectoryObject(kind: .user) { objects.append($0) }
            return objects
        }
        var beside = EventIngestor(ledger: try Fixtures.ledger(in: directory, name: "beside.sqlite"), defaults: defaults)
        beside.walCopiedBesideFold = 1
        let summary = try beside.ingestNDJSON(paths: [file])
        let plain = EventIngestor(ledger: try Fixtures.ledger(in: directory, name: "plain.sqlite"), defaults: defaults)
        _ = try plain.ingestNDJSON(paths: [file])
        #expect(summary.appended == 3)
        #expect(try objects(beside.ledger).map(\.attributes) == objects(plain.ledger).map(\.attributes))
        #expect(try objects(beside.ledger).count == 1)
        #expect(try beside.ledger.head().hash == plain.ledger.head().hash)
    }

    @Test("ingesting the same file twice appends nothing the second time, even without ids or times")
    func reingestIsNoOp() throws {
        let directory = TemporaryDirectory()
        let file = directory.write(
            "events.ndjson",
            Self.goodLines + "\n" + #"{"type":"UserUpdated","object":"user:QUJD","data":{"set":{"department":"R&D"},"unset":[]}}"#)
        let ledger = try Fixtures.ledger(in: directory)
        let first = try EventIngestor(ledger: ledger, defaults: defaults).ingestNDJSON(paths: [file])
        let later = EventDefaults(actor: "cli-actor", source: "cli-source", clock: FixedClock(Fixtures.at(600)))
        let second = try EventIngestor(ledger: ledger, defaults: later).ingestNDJSON(paths: [file])
        #expect(first.appended == 4)
        #expect(second.appended == 0)
        #expect(second.alreadyRecorded == 4)
    }

    @Test("a bad line exits with FILE:LINE and the field, and nothing from any file is appended")
    func badLineRollsBackEverything() throws {
        let directory = TemporaryDirectory()
        let good = directory.write("good.ndjson", Self.goodLines)
        let bad = directory.write(
            "bad.ndjson",
            """
            {"type":"UserCreated","object":"user:QkJC","at":"2026-01-05T09:00:00Z","data":{"attributes":{"userPrincipalName":"b@contoso.example"}}}

            {"type":"UserCreated","at":"2026-01-05T09:00:00Z","data":{}}
            """)
        let ledger = try Fixtures.ledger(in: directory)
        let error = #expect(throws: IngestError.self) {
            try EventIngestor(ledger: ledger, defaults: defaults).ingestNDJSON(paths: [good, bad])
        }
        #expect(error?.description == "\(bad):3: field 'object': required field is missing")
        #expect(try ledger.head().count == 0)
    }

    @Test(
        "each kind of malformed line is named precisely",
        arguments: [
            (#"{"type":"UserCreated","object":"user:A""#, "malformed-json", nil as String?),
            (#"[1,2]"#, "invalid-field", nil),
            (#"{"type":"UserCreated","object":"usr:A"}"#, "invalid-field", "object"),
            (#"{"type":"UserCreated","object":"user:"}"#, "invalid-field", "object"),
            (#"{"type":7,"object":"user:A"}"#, "invalid-field", "type"),
            (#"{"type":"UserCreated","object":"user:A","at":"yesterday"}"#, "invalid-field", "at"),
            (#"{"type":"UserCreated","object":"user:A","expected_version":"1"}"#, "invalid-field", "expected_version"),
            (#"{"type":"UserCreated","object":"user:A","data":[]}"#, "invalid-field", "data"),
            (#"{"type":"UserCreated","object":"user:A","actr":"x"}"#, "invalid-field", "actr"),
            (#"{"type":"UserCreated","type":"UserDeleted","object":"user:A"}"#, "malformed-json", nil),
        ])
    func malformedLines(line: String, code: String, field: String?) throws {
        let directory = TemporaryDirectory()
        let file = directory.write("in.ndjson", Self.goodLines + "\n" + line + "\n")
        let ledger = try Fixtures.ledger(in: directory)
        let error = #expect(throws: IngestError.self) {
            try EventIngestor(ledger: ledger, defaults: defaults).ingestNDJSON(paths: [file])
        }
        #expect(error?.code.name == code)
        #expect(error?.line == 4)
        #expect(error?.file == file)
        #expect(error?.field == field)
        #expect(try ledger.head().count == 0)
    }

    @Test("CRLF line ends and a UTF-8 byte order mark are accepted")
    func crlfAndBOM() throws {
        let directory = TemporaryDirectory()
        let text = "\u{FEFF}" + Self.goodLines.split(separator: "\n").joined(separator: "\r\n") + "\r\n"
        let file = directory.write("crlf.ndjson", text)
        let (_, summary) = try ingest(directory, [file])
        #expect(summary.appended == 3)
    }

    @Test("a line longer than the limit is reported without being buffered")
    func longLine() throws {
        let directory = TemporaryDirectory()
        let huge = #"{"type":"UserCreated","object":"user:A","data":{"x-note":""#
            + String(repeating: "a", count: LineReader.defaultMaximumLineLength + 10) + #""}}"#
        let file = directory.write("long.ndjson", Self.goodLines + "\n" + huge + "\n")
        let ledger = try Fixtures.ledger(in: directory)
        let error = #expect(throws: IngestError.self) {
            try EventIngestor(ledger: ledger, defaults: defaults).ingestNDJSON(paths: [file])
        }
        #expect(error?.code == .lineTooLong)
        #expect(error?.line == 4)
    }

    @Test("a dry run appends nothing but counts what it would append")
    func dryRun() throws {
        let directory = TemporaryDirectory()
        let file = directory.write("events.ndjson", Self.goodLines)
        let (ledger, summary) = try ingest(directory, [file], dryRun: true)
        #expect(summary.appended == 3)
        #expect(try ledger.head().count == 0)
    }

    @Test("a missing file is an unreadable-file error naming it")
    func missingFile() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        let error = #expect(throws: IngestError.self) {
            try EventIngestor(ledger: ledger, defaults: defaults).ingestNDJSON(paths: [directory.file("nope.ndjson")])
        }
        #expect(error?.code == .unreadableFile)
    }
}

@Suite("Decoding on its own thread keeps the one-thread behaviour")
struct DecodingPipelineTests {
    let defaults = EventDefaults(actor: "a", source: "s", clock: Fixtures.clock)

    /// Lines that decode, more than a few of the pipeline's batches.
    func userLines(_ count: Int, prefix: String = "P") -> [String] {
        (0..<count).map {
            #"{"type":"UserCreated","object":"user:\#(prefix)\#($0)","at":"2026-01-05T10:00:00Z","data":{"attributes":{"userPrincipalName":"p\#($0)@contoso.example"}}}"#
        }
    }

    @Test("a refused event before a malformed line is the error reported, and nothing is appended")
    func firstErrorInInputOrderWins() throws {
        let directory = TemporaryDirectory()
        var lines = userLines(5_000)
        lines[3_000] = #"{"type":"UserUpdated","object":"user:nobody","at":"2026-01-05T10:00:00Z","data":{"set":{"jobTitle":"X"},"unset":[]}}"#
        lines[4_500] = "{not json"
        let file = directory.write("events.ndjson", lines.joined(separator: "\n"))
        let ledger = try Fixtures.ledger(in: directory)
        let error = #expect(throws: IngestError.self) {
            try EventIngestor(ledger: ledger, defaults: defaults).ingestNDJSON(paths: [file])
        }
        #expect(error?.file == file)
        #expect(error?.line == 3_001)
        #expect(try ledger.head().count == 0)
    }

    @Test("a malformed line far into a file is reported at its line after valid batches, nothing appended")
    func malformedAfterManyBatches() throws {
        let directory = TemporaryDirectory()
        let first = directory.write("first.ndjson", userLines(3_000).joined(separator: "\n"))
        var lines = userLines(6_000, prefix: "Q")
        lines[5_999] = #"{"type":"UserCreated","object":"user:Z","at":"2026-01-05T10:00:00Z","data":"#
        let second = directory.write("second.ndjson", lines.joined(separator: "\n"))
        let ledger = try Fixtures.ledger(in: directory)
        let error = #expect(throws: IngestError.self) {
            try EventIngestor(ledger: ledger, defaults: defaults).ingestNDJSON(paths: [first, second])
        }
        #expect(error?.file == second)
        #expect(error?.line == 6_000)
        #expect(try ledger.head().count == 0)
    }

    @Test("checks run ahead keep their order: a known id is skipped before its data is checked, a version conflict comes before a data error")
    func checksAheadKeepTheirOrder() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        let id = "018f0000-0000-7000-8000-000000000001"
        let created = #"{"id":"\#(id)","type":"UserCreated","object":"user:K","at":"2026-01-05T10:00:00Z","data":{"attributes":{"userPrincipalName":"k@contoso.example"}}}"#
        let lines = userLines(3_000) + [created]
        let first = directory.write("first.ndjson", lines.joined(separator: "\n"))
        #expect(try EventIngestor(ledger: ledger, defaults: defaults).ingestNDJSON(paths: [first]).appended == 3_001)

        // The same id again, its data now bad (an unknown attribute): skipped, as recorded.
        let again = #"{"id":"\#(id)","type":"UserCreated","object":"user:K","at":"2026-01-05T10:00:00Z","data":{"attributes":{"notAnAttribute":1}}}"#
        let second = directory.write("second.ndjson", (userLines(2_000, prefix: "S") + [again]).joined(separator: "\n"))
        let summary = try EventIngestor(ledger: ledger, defaults: defaults).ingestNDJSON(paths: [second])
        #expect(summary.appended == 2_000 && summary.alreadyRecorded == 1)

        // A wrong expected version and bad data: the conflict is what is reported.
        let both = #"{"type":"UserUpdated","object":"user:K","at":"2026-01-05T11:00:00Z","expected_version":7,"data":{"set":{"notAnAttribute":1},"unset":[]}}"#
        let third = directory.write("third.ndjson", (userLines(2_000, prefix: "T") + [both]).joined(separator: "\n"))
        let error = #expect(throws: IngestError.self) {
            try EventIngestor(ledger: ledger, defaults: defaults).ingestNDJSON(paths: [third])
        }
        #expect(error?.field == "expected_version")
        #expect(error?.line == 2_001)
        #expect(try ledger.head().count == 5_001)
    }

    @Test("several files of many batches are appended in input order")
    func order() throws {
        let directory = TemporaryDirectory()
        let first = directory.write("first.ndjson", userLines(2_500).joined(separator: "\n"))
        let second = directory.write(
            "second.ndjson", userLines(2_500, prefix: "R").joined(separator: "\n"))
        let ledger = try Fixtures.ledger(in: directory)
        let summary = try EventIngestor(ledger: ledger, defaults: defaults).ingestNDJSON(paths: [first, second])
        #expect(summary.appended == 5_000)
        let events = try ledger.events()
        #expect(events.map(\.stream) == (0..<2_500).map { "user:P\($0)" } + (0..<2_500).map { "user:R\($0)" })
    }
}

@Suite("Ingest leaves the projection current when it returns")
struct IngestProjectionTests {
    @Test("after an ingest the directory state is current, and equals a rebuild")
    func foldedWhileAppending() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        var lines = [NDJSONIngestTests.goodLines]
        for index in 0..<300 {
            lines.append(#"{"type":"UserCreated","object":"user:U\#(index)","at":"2026-01-05T10:00:00Z","data":{"attributes":{"userPrincipalName":"u\#(index)@contoso.example"}}}"#)
            lines.append(#"{"type":"UserUpdated","object":"user:U\#(index / 2)","at":"2026-01-05T11:00:00Z","data":{"set":{"jobTitle":"T\#(index)"},"unset":[]}}"#)
        }
        let file = directory.write("events.ndjson", lines.joined(separator: "\n"))
        _ = try EventIngestor(ledger: ledger, defaults: EventDefaults(actor: "a", source: "s", clock: Fixtures.clock)).ingestNDJSON(paths: [file])
        #expect(try ledger.directoryCheckpoint() == (try ledger.lastSeq()))
        var folded: [DirectoryObject] = []
        try ledger.forEachDirectoryObject(kind: .user) { folded.append($0) }
        #expect(folded.count == 301)
        try DirectoryProjector(ledger: ledger).rebuild()
        var rebuilt: [DirectoryObject] = []
        try ledger.forEachDirectoryObject(kind: .user) { rebuilt.append($0) }
        #expect(rebuilt == folded)
    }
}
