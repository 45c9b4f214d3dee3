import ArgumentParser
@testable import SyncLedgerCLI
import SyncLedgerDomain
import SyncLedgerStore
import Testing

@Suite("Parsing the command line (no I/O)")
struct ParsingTests {
    @Test("every command names itself: a name made from the type (`String(describing:)`) cost a command 1 ms at start")
    func commandsNameThemselves() {
        var unnamed: [String] = []
        func visit(_ command: any ParsableCommand.Type) {
            if command.configuration.commandName == nil { unnamed.append("\(command)") }
            for subcommand in command.configuration.subcommands { visit(subcommand) }
        }
        visit(SyncLedgerCommand.self)
        #expect(unnamed.isEmpty)
    }

    @Test("ingest takes files, format, actor, source and dry-run")
    func ingest() throws {
        let command = try SyncLedgerCommand.parseAsRoot(
            ["ingest", "a.ndjson", "-", "--actor", "hr", "--source", "workday", "--dry-run", "--ledger", "x.sqlite"])
        let ingest = try #require(command as? IngestCommand)
        #expect(ingest.files == ["a.ndjson", "-"])
        #expect(ingest.actor == "hr")
        #expect(ingest.source == "workday")
        #expect(ingest.dryRun)
        #expect(ingest.options.path == "x.sqlite")
    }

    @Test("plan and replay take --full; without it they plan incrementally")
    func planScope() throws {
        #expect(try #require(try SyncLedgerCommand.parseAsRoot(["plan", "--full"]) as? PlanCommand).scope.full)
        #expect(try #require(try SyncLedgerCommand.parseAsRoot(["plan"]) as? PlanCommand).scope.full == false)
        let replay = try #require(try SyncLedgerCommand.parseAsRoot(["replay", "--out", "run1", "--full"]) as? ReplayCommand)
        #expect(replay.scope.full)
        #expect(replay.out == "run1")
    }

    @Test("rebuild takes --snapshot-every (0, none, when absent), 0 or more")
    func rebuildSnapshots() throws {
        #expect(try #require(try SyncLedgerCommand.parseAsRoot(["rebuild"]) as? RebuildCommand).snapshotEvery == 0)
        #expect(try #require(try SyncLedgerCommand.parseAsRoot(["rebuild", "--snapshot-every", "250000"]) as? RebuildCommand).snapshotEvery == 250_000)
        #expect(throws: (any Error).self) { try SyncLedgerCommand.parseAsRoot(["rebuild", "--snapshot-every", "-1"]) }
    }

    @Test("ingest without files, or with stdin twice, is a usage error")
    func ingestUsage() {
        #expect(throws: (any Error).self) { try SyncLedgerCommand.parseAsRoot(["ingest"]) }
        #expect(throws: (any Error).self) { try SyncLedgerCommand.parseAsRoot(["ingest", "-", "-"]) }
        #expect(SyncLedgerCommand.exitCode(for: ValidationError("x")).rawValue == 64)
    }

    @Test("log builds its filter from the options")
    func logFilter() throws {
        let command = try SyncLedgerCommand.parseAsRoot(
            ["log", "--object", "user:QUJD", "--type", "UserUpdated", "--actor", "hr", "--since", "2026-03-01",
             "--until", "2026-04-01T00:00:00Z", "--after", "5", "--limit", "10", "--format", "csv"])
        let log = try #require(command as? LogCommand)
        let filter = log.filter
        #expect(filter.stream == "user:QUJD")
        #expect(filter.type == "UserUpdated")
        #expect(filter.actor == "hr")
        #expect(filter.since?.rfc3339 == "2026-03-01T00:00:00.000Z")
        #expect(filter.until?.rfc3339 == "2026-04-01T00:00:00.000Z")
        #expect(filter.afterSeq == 5)
        #expect(filter.limit == 10)
        #expect(log.format == .csv)
    }

    @Test("log refuses a bad object, time or format")
    func logUsage() {
        #expect(throws: (any Error).self) { try SyncLedgerCommand.parseAsRoot(["log", "--object", "usr:1"]) }
        #expect(throws: (any Error).self) { try SyncLedgerCommand.parseAsRoot(["log", "--since", "yesterday"]) }
        #expect(throws: (any Error).self) { try SyncLedgerCommand.parseAsRoot(["log", "--format", "xml"]) }
    }

    @Test("the ledger path defaults to ./ledger.sqlite")
    func defaultLedger() throws {
        let command = try SyncLedgerCommand.parseAsRoot(["verify"])
        let verify = try #require(command as? VerifyCommand)
        if Environment.value("SYNCLEDGER_LEDGER") == nil {
            #expect(verify.options.path == "./ledger.sqlite")
        }
    }
}
