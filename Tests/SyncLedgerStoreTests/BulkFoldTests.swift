import Foundation
import SyncLedgerDomain
@testable import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("What a fold of the whole log uses: indexes built after, the log read ahead")
struct BulkFoldTests {
    struct Failure: Error {}

    func ledger(_ directory: TemporaryDirectory, users: Int = 300) throws -> Ledger {
        try Fixtures.groupLedger(in: directory, members: users)
    }

    /// The schema as `sqlite3` lists it, without the pages the objects start at.
    func schema(_ path: String) throws -> String {
        try SQLiteShell.run(path, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name").output
    }

    @Test("indexes dropped for a body are created again as the migrations made them; a failing body's rollback keeps them")
    func indexesBuiltAfter() throws {
        let directory = TemporaryDirectory()
        let ledger = try ledger(directory)
        let path = directory.file("ledger.sqlite")
        let before = try schema(path)
        #expect(before.contains("directory_members_by_member") && before.contains("directory_objects_by_upn"))

        var dropped: [String] = []
        try ledger.updateDirectoryState { writer in
            try writer.withIndexesBuiltAfter {
                dropped = try writer.foldedTableIndexes().map(\.name)
                try writer.reset()
            }
        }
        // Inside the body: none (their primary keys are the tables' own).
        #expect(dropped.isEmpty)
        #expect(try schema(path) == before)
        #expect(try SQLiteShell.run(path, "PRAGMA integrity_check").output == "ok\n")

        #expect(throws: Failure.self) {
            try ledger.updateDirectoryState { writer in try writer.withIndexesBuiltAfter { throw Failure() } }
        }
        #expect(try schema(path) == before)
    }

    @Test("the log read and decoded ahead gives the events a scan gives, in order, payloads included")
    func readAheadEqualsScan() throws {
        let directory = TemporaryDirectory()
        // Several batches, the last one part full.
        let ledger = try ledger(directory, users: 1_700)
        // Ranges read by seqs as several threads cut them: whole, bounded, past the end, and
        // filtered (most batches then empty, or all after a time).
        var seen: [(stream: String, at: String)] = []
        try ledger.scanEvents(EventScanRange()) { seen.append(($0.stream, $0.occurredAt)) }
        let stream = try #require(seen.dropFirst(10).first { $0.stream != "tenant" }).stream
        let before = try #require(Timestamp(rfc3339: seen[2_600].at))
        for range in [
            EventScanRange(), EventScanRange(afterSeq: 5, throughSeq: 3_001), EventScanRange(afterSeq: 3_401),
            EventScanRange(afterSeq: 3_500), EventScanRange(stream: stream), EventScanRange(afterSeq: 100, occurredBefore: before),
        ] {
            var scanned: [String] = []
            try ledger.scanEvents(range) { scanned.append(Self.describe($0)) }
            var ahead: [String] = []
            try ledger.scanEventsReadAhead(range, decoding: Self.describe) { ahead.append($0) }
            #expect(ahead == scanned)
        }
        var all = 0
        try ledger.scanEventsReadAhead(EventScanRange(), decoding: { _ in () }) { all += 1 }
        #expect(all == 3_402)
    }

    static func describe(_ event: ScannedEvent) -> String {
        "\(event.seq) \(event.stream) \(event.type) \(event.schemaVersion) \(event.occurredAt) \(event.actor) "
            + String(decoding: event.payload, as: UTF8.self)
    }

    @Test("reading ahead stops its reader when the caller throws, and passes on the reader's error")
    func readAheadErrors() throws {
        let directory = TemporaryDirectory()
        let ledger = try ledger(directory, users: 3_000)
        var seen = 0
        #expect(throws: Failure.self) {
            try ledger.scanEventsReadAhead(EventScanRange(), decoding: { _ in () }) {
                seen += 1
                if seen == 10 { throw Failure() }
            }
        }
        #expect(seen == 10)

        // The reader opens the ledger again: gone, it reports what opening reports.
        try FileManager.default.removeItem(atPath: directory.file("ledger.sqlite"))
        let error = #expect(throws: StoreError.self) {
            try ledger.scanEventsReadAhead(EventScanRange(), decoding: { _ in () }) { Issue.record("no event can be read") }
        }
        #expect(error?.code == .ledgerNotFound)
    }

    @Test("a decoding error on the reading thread ends the scan with it, after every event before it")
    func readAheadDecodingError() throws {
        let directory = TemporaryDirectory()
        let ledger = try ledger(directory, users: 1_700)
        // Seq 2,500 cannot be decoded: the events before it come through, then its error.
        var seen: [Int64] = []
        #expect(throws: Failure.self) {
            try ledger.scanEventsReadAhead(
                EventScanRange(),
                decoding: { event in
                    if event.seq == 2_500 { throw Failure() }
                    return event.seq
                }
            ) { seen.append($0) }
        }
        #expect(seen == Array(1..<2_500))
    }

    @Test("pages freed whole are kept as they are only inside the body; the setting found is set back, after a throw too")
    func freedPagesKept() throws {
        let directory = TemporaryDirectory()
        let ledger = try ledger(directory)
        for found in [0, 1] {
            try ledger.updateDirectoryState { writer in
                try writer.setSecureDelete(found)
                try writer.withFreedPagesKept {
                    #expect(try writer.secureDelete() == 2)  // FAST
                    try writer.reset()
                }
                #expect(try writer.secureDelete() == found)
                #expect(throws: Failure.self) { try writer.withFreedPagesKept { throw Failure() } }
                #expect(try writer.secureDelete() == found)
            }
        }
    }
}

// MARK: - Tables replaced

extension BulkFoldTests {
    /// Rows of the directory tables and the schema, as `sqlite3` lists them.
    func contents(_ path: String) throws -> String {
        try SQLiteShell.run(
            path,
            """
            SELECT stream, display_name FROM directory_objects ORDER BY 1;
            SELECT group_stream, member FROM directory_members ORDER BY 1, 2;
            SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name;
            """
        ).output
    }

    @Test("tables replaced for a body come back as the schema had them, with their triggers; views name the new ones")
    func tablesReplaced() throws {
        let directory = TemporaryDirectory()
        let ledger = try ledger(directory, users: 40)
        let path = directory.file("ledger.sqlite")
        // A group and its 40 members in the directory, as a fold saves them.
        var group = DirectoryObject(reference: try ObjectRef(kind: .group, anchor: "G1"))
        let users = try (0..<40).map { DirectoryObject(reference: try ObjectRef(kind: .user, anchor: "U\($0)")) }
        group.members = Set(users.map(\.reference.description))
        try ledger.updateDirectoryState { writer in
            for object in users + [group] { try writer.save(object, original: nil) }
        }
        // What a user may add beside the schema: a trigger on a folded table, a view of one.
        let added = try SQLiteShell.run(
            path,
            """
            CREATE TABLE test_log (member TEXT);
            CREATE TRIGGER test_logged AFTER INSERT ON directory_members BEGIN INSERT INTO test_log VALUES (NEW.member); END;
            CREATE VIEW test_users AS SELECT stream FROM directory_objects WHERE kind = 'user';
            """)
        #expect(added.status == 0)
        let before = try contents(path)
        let rows = try SQLiteShell.run(path, "SELECT * FROM directory_objects ORDER BY stream").output

        var inside: [String] = []
        try ledger.updateDirectoryState { writer in
            try writer.withIndexesBuiltAfter(replacingTables: true) {
                inside = try writer.texts("SELECT name FROM sqlite_schema WHERE name LIKE '%_replaced' ORDER BY name")
                #expect(try writer.isEmpty())
                #expect(try writer.texts("SELECT count(*) FROM directory_members") == ["0"])
                // The old rows, written again by hand: the trigger fires on the new table.
                try writer.execute(
                    """
                    INSERT INTO directory_objects SELECT * FROM directory_objects_replaced;
                    INSERT INTO directory_members SELECT * FROM directory_members_replaced;
                    INSERT INTO directory_licenses SELECT * FROM directory_licenses_replaced;
                    INSERT INTO directory_roles SELECT * FROM directory_roles_replaced;
                    """)
            }
            #expect(try writer.texts("PRAGMA legacy_alter_table") == ["0"])
        }
        #expect(inside == ["directory_licenses_replaced", "directory_members_replaced", "directory_objects_replaced", "directory_roles_replaced"])
        #expect(try contents(path) == before)
        #expect(try SQLiteShell.run(path, "SELECT * FROM directory_objects ORDER BY stream").output == rows)
        #expect(try SQLiteShell.run(path, "SELECT count(*) FROM test_log; SELECT count(*) FROM test_users").output == "40\n40\n")
        #expect(try SQLiteShell.run(path, "PRAGMA integrity_check").output == "ok\n")

        // A failing body: the old tables, rows and schema stay.
        #expect(throws: Failure.self) {
            try ledger.updateDirectoryState { writer in try writer.withIndexesBuiltAfter(replacingTables: true) { throw Failure() } }
        }
        #expect(try contents(path) == before)
    }

    @Test("pages are kept in memory until the commit only inside the body; the setting found is set back, after a throw too")
    func pagesKeptUntilCommit() throws {
        let directory = TemporaryDirectory()
        let ledger = try ledger(directory)
        try ledger.updateDirectoryState { writer in
            // The pages past which SQLite spills, 0 when it does not.
            let spills: () throws -> [String] = { try writer.texts("PRAGMA cache_spill") }
            let found = try spills()
            #expect(found != ["0"])
            let inside = try writer.keepingPagesUntilCommit { try spills() }
            #expect(inside == ["0"])
            #expect(try spills() == found)
            #expect(throws: Failure.self) { try writer.keepingPagesUntilCommit { throw Failure() } }
            #expect(try spills() == found)
        }
    }
}
