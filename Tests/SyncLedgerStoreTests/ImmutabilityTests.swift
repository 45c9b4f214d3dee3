import SyncLedgerDomain
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("The event log refuses changes and catches tampering")
struct ImmutabilityTests {
    /// A ledger with four chained events.
    func populatedLedger(_ directory: TemporaryDirectory) throws -> (Ledger, String) {
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in
            try session.append(Fixtures.tenantInitialized())
            try session.append(Fixtures.userCreated("A1"))
            try session.append(Fixtures.userCreated("B1"))
            try session.append(Fixtures.titleChanged("A1", to: "Engineer"))
        }
        return (ledger, directory.file("ledger.sqlite"))
    }

    @Test("UPDATE and DELETE on events are refused by triggers with a clear message")
    func triggersRefuse() throws {
        let directory = TemporaryDirectory()
        let (ledger, path) = try populatedLedger(directory)
        let update = try SQLiteShell.run(path, "UPDATE events SET actor = 'mallory' WHERE seq = 2")
        #expect(update.status != 0)
        #expect(update.error.contains("events are immutable; UPDATE is refused"))
        let delete = try SQLiteShell.run(path, "DELETE FROM events WHERE seq = 4")
        #expect(delete.status != 0)
        #expect(delete.error.contains("events are immutable; DELETE is refused"))
        #expect(try ledger.verify().isIntact)
        #expect(try ledger.head().count == 4)
    }

    @Test("an insert that does not chain to the last event is refused")
    func chainTrigger() throws {
        let directory = TemporaryDirectory()
        let (_, path) = try populatedLedger(directory)
        let insert = try SQLiteShell.run(
            path,
            """
            INSERT INTO events (event_id, stream, version, type, schema_version, actor, source, occurred_at,
              recorded_at, payload, prev_hash, hash)
            VALUES ('x', 'user:Z', 1, 'UserDeleted', 1, 'm', 'm', 't', 't', '{}',
              '\(String(repeating: "1", count: 64))', '\(String(repeating: "2", count: 64))')
            """)
        #expect(insert.status != 0)
        #expect(insert.error.contains("prev_hash does not match"))
    }

    @Test("verify passes on an intact log and reports count and head")
    func verifyIntact() throws {
        let directory = TemporaryDirectory()
        let (ledger, _) = try populatedLedger(directory)
        let report = try ledger.verify()
        #expect(report.isIntact)
        #expect(report.count == 4)
        #expect(report.headHash == (try ledger.head().hash))
    }

    @Test("verify names the first bad seq of an edited payload")
    func editedPayload() throws {
        let directory = TemporaryDirectory()
        let (ledger, path) = try populatedLedger(directory)
        try SQLiteShell.run(
            path,
            "DROP TRIGGER events_refuse_update; UPDATE events SET payload = '{\"set\":{\"jobTitle\":\"CEO\"},\"unset\":[]}' WHERE seq = 4")
        let report = try ledger.verify()
        #expect(report.firstBreak?.seq == 4)
        #expect(report.firstBreak?.reason.contains("altered") == true)
        #expect(report.count == 3)
    }

    @Test("verify names the first bad seq of an edited hash")
    func editedHash() throws {
        let directory = TemporaryDirectory()
        let (ledger, path) = try populatedLedger(directory)
        try SQLiteShell.run(
            path, "DROP TRIGGER events_refuse_update; UPDATE events SET hash = '\(String(repeating: "a", count: 64))' WHERE seq = 2")
        let report = try ledger.verify()
        #expect(report.firstBreak?.seq == 2)
    }

    @Test("verify names a deleted row in the middle and a truncated tail")
    func deletedRows() throws {
        let directory = TemporaryDirectory()
        let (ledger, path) = try populatedLedger(directory)
        try SQLiteShell.run(path, "DROP TRIGGER events_refuse_delete; DELETE FROM events WHERE seq = 2")
        #expect(try ledger.verify().firstBreak?.seq == 2)

        let other = TemporaryDirectory()
        let (truncated, otherPath) = try populatedLedger(other)
        try SQLiteShell.run(otherPath, "DROP TRIGGER events_refuse_delete; DELETE FROM events WHERE seq = 4")
        let report = try truncated.verify()
        #expect(report.firstBreak?.seq == 4)
        #expect(report.firstBreak?.reason.contains("missing") == true)
    }

    @Test("the ledger is readable with plain sqlite3: clear table and column names")
    func plainSQLite() throws {
        let directory = TemporaryDirectory()
        let (_, path) = try populatedLedger(directory)
        let result = try SQLiteShell.run(path, "SELECT seq, stream, type, actor FROM events WHERE type = 'UserCreated' ORDER BY seq")
        #expect(result.output == "2|user:A1|UserCreated|hr-import\n3|user:B1|UserCreated|hr-import\n")
        let mode = try SQLiteShell.run(path, "PRAGMA journal_mode")
        #expect(mode.output == "wal\n")
    }
}
