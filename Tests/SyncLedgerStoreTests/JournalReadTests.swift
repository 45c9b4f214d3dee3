import Foundation
import SyncLedgerDomain
@testable import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Reading the command journal")
struct JournalReadTests {
    /// A ledger with one run of three commands; the first failed, then was applied; the second
    /// was applied; the third has no result.
    func journaled() throws -> (TemporaryDirectory, Ledger, [String]) {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        let ids = ["c1", "c2", "c3"]
        let commands = ids.enumerated().map { index, id in
            JournalEntry(
                commandID: id, stream: "user:U\(index)", operation: "user.create", target: "graph", body: "{}", firstSeq: 0, lastSeq: 0,
                actors: ["hr"], mode: "profile-sync", reversibility: "reversible", destructive: false)
        }
        try ledger.recordRun(
            ReplayRun(baseSeq: 0, planHash: "h", mode: "profile-sync", emittedAt: "2026-01-01T00:00:00.000Z", outputDirectory: "run"),
            commands: commands, expectedHead: try ledger.lastSeq())
        _ = try ledger.recordResults([CommandResult(commandID: "c1", status: .failed, error: "HTTP 500")])
        _ = try ledger.recordResults([
            CommandResult(commandID: "c2", status: .applied, objectID: "o2"), CommandResult(commandID: "c1", status: .applied, objectID: "o1"),
        ])
        return (directory, ledger, ids)
    }

    @Test("each emission comes with its latest result, found through an index")
    func latestResultByIndex() throws {
        let (directory, ledger, _) = try journaled()
        let journal = try ledger.journal()
        #expect(journal.map(\.commandID) == ["c1", "c2", "c3"])
        #expect(journal.map { $0.result?.status } == [.applied, .applied, nil])
        #expect(journal.map { $0.result?.objectID } == ["o1", "o2", nil])

        let plan = try SQLiteShell.run(directory.file("ledger.sqlite"), "EXPLAIN QUERY PLAN \(Ledger.journalRows) WHERE j.stream = 'user:U0'").output
        #expect(plan.contains("SEARCH command_results USING COVERING INDEX command_results_by_journal (journal_id=?)"), "\(plan)")
    }

    @Test("the operations of the ids the journal holds, none of the others, through the command id index")
    func operationsOfIDs() throws {
        let (directory, ledger, _) = try journaled()
        #expect(try ledger.journaledOperations(of: ["c1", "c3", "nope"]) == ["c1": "user.create", "c3": "user.create"])
        #expect(try ledger.journaledOperations(of: []) == [:])

        let plan = try SQLiteShell.run(directory.file("ledger.sqlite"), "EXPLAIN QUERY PLAN \(Ledger.operationsOfCommands)").output
        #expect(plan.contains("USING INDEX journal_commands_by_command (command_id=?)"), "\(plan)")
    }

    @Test("what the body throws ends the read and comes out as it was thrown")
    func bodyErrorPassesThrough() throws {
        struct Stop: Error {}
        let (_, ledger, _) = try journaled()
        var seen: [String] = []
        #expect(throws: Stop.self) {
            try ledger.forEachJournalEntry { entry in
                seen.append(entry.commandID)
                if seen.count == 2 { throw Stop() }
            }
        }
        #expect(seen == ["c1", "c2"])
        // The ledger is usable after: the read ended.
        #expect(try ledger.journal().count == 3)
    }
}
