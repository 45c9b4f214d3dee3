import Foundation
import SyncLedgerDomain
import SyncLedgerReplay
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Causes from the directory state: each object's first and last seq and actors, kept as it is folded")
struct CauseTraceTests {
    /// The stored trace of every object, as `sqlite3` shows it.
    func storedTraces(_ ledger: Ledger) throws -> String {
        try SQLiteShell.run(ledger.path, "SELECT stream, first_seq, last_seq, actors FROM directory_objects ORDER BY stream").output
    }

    @Test("a fold traces every object; objects left untraced by an older build are planned with causes from the log, and migration 0006 traces them as the fold does")
    func untracedObjects() throws {
        let harness = try ReplayHarness()
        try harness.user("U1")
        try harness.append("UserUpdated", Fixtures.user("U1"), ["set": ["jobTitle": "Lead"], "unset": []], actor: "admin:jdoe")
        try harness.user("U2")
        try harness.append("UserDeleted", Fixtures.user("U2"), actor: "lifecycle-policy")
        try harness.append("UserCreated", Fixtures.user("U2"), ["attributes": ["userPrincipalName": "u2@contoso.example", "displayName": "Back"]], actor: "scim-sync")
        let traced = try harness.replayer.plan(full: true)
        let u1 = try #require(try harness.ledger.directoryObject(Fixtures.user("U1")))
        #expect(u1.actors == ["admin:jdoe", "hr-import"])
        // A create after a delete starts the object over, not its trace.
        let u2 = try #require(try harness.ledger.directoryObject(Fixtures.user("U2")))
        #expect(u2.actors == ["hr-import", "lifecycle-policy", "scim-sync"] && u2.firstSeq < u2.createdSeq)
        #expect(traced.commands.first { $0.stream == Fixtures.user("U2") }?.causes.actors == ["hr-import", "lifecycle-policy", "scim-sync"])
        let stored = try storedTraces(harness.ledger)

        // What a build before migration 0006 leaves (it writes no trace).
        _ = try SQLiteShell.run(harness.ledger.path, "UPDATE directory_objects SET first_seq = 0, actors = NULL")
        #expect(try harness.ledger.directoryObject(Fixtures.user("U1"))?.actors == nil)
        var byScan = harness.replayer
        byScan.causeLookupLimit = 0
        for replayer in [harness.replayer, byScan] {
            #expect(try replayer.plan(full: true).commands == traced.commands)
        }

        // The migration traces them from the events folded into each object.
        let migration = try String(contentsOfFile: Self.migrations + "/0006_directory_object_causes.sql", encoding: .utf8)
        let update = String(migration[try #require(migration.range(of: "UPDATE directory_objects")).lowerBound...])
        #expect(try SQLiteShell.run(harness.ledger.path, update).status == 0)
        #expect(try storedTraces(harness.ledger) == stored)

        // A trace that is not a list of names is refused, naming the column.
        _ = try SQLiteShell.run(harness.ledger.path, #"UPDATE directory_objects SET actors = '["hr-import", 7]' WHERE stream = 'user:U1'"#)
        #expect {
            try harness.ledger.directoryObject(Fixtures.user("U1"))
        } throws: { error in
            (error as? StoreError)?.message.contains("directory_objects.actors") == true
        }
    }

    static let migrations = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Migrations").path
}
