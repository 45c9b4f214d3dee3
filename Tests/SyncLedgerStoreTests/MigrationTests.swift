import Foundation
import SyncLedgerDomain
@testable import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Migrations")
struct MigrationTests {
    /// The package's root folder, from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("the embedded schema equals Migrations/*.sql (run Tools/embed-migrations.sh after editing)")
    func embeddedMatchesFiles() throws {
        let folder = Self.packageRoot.appendingPathComponent("Migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files.map { String($0.dropLast(4)) } == embeddedMigrations.map(\.identifier))
        for (file, migration) in zip(files, embeddedMigrations) {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(text == migration.sql + "\n", "\(file) differs from the embedded copy")
        }
    }

    @Test("migration identifiers are numbered in order")
    func numbering() {
        for (index, migration) in embeddedMigrations.enumerated() {
            #expect(migration.identifier.hasPrefix(String(format: "%04d_", index + 1)))
        }
    }
}

@Suite("Migration 0009: checks against three values or more, without value lists")
struct ValueListCheckTests {
    /// A ledger as a build before migration 0009 left it: the first eight migrations, and rows
    /// in each table 0009 makes again; the sequence of `command_results` stands past its last row.
    static func ledgerBefore0009(in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("before-0009.sqlite")
        let applied = embeddedMigrations.prefix(8)
        #expect(applied.last?.identifier == "0008_command_results_by_journal")
        var sql = """
            PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; BEGIN;
            CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);

            """
        for migration in applied {
            sql += migration.sql + "\nINSERT INTO grdb_migrations VALUES ('\(migration.identifier)');\n"
        }
        sql += """
            INSERT INTO streams VALUES ('user:U1', 2, 'active', NULL, 0, 3), ('group:G1', 1, 'deleted', 'security', 1, 4);
            INSERT INTO directory_objects VALUES
                ('user:U1', 'user', 'U1', NULL, 'Ada', 'ada@contoso.example', 'ada@contoso.example', 1, NULL, 0, 0, 0,
                 '{"givenName":"Ada"}', '{}', 2, 1, 3, '2026-01-01T00:00:03.000Z', 1, '["hr-import"]'),
                ('group:G1', 'group', 'G1', 'security', 'Ops', NULL, NULL, 0, NULL, 1, 1, 0, '{}', '{}', 1, 4, 4,
                 '2026-01-01T00:00:04.000Z', 4, NULL);
            INSERT INTO replay_runs VALUES (1, 4, '\(String(repeating: "a", count: 64))', 'user-sync', '2026-01-01T00:00:05.000Z', 'out');
            INSERT INTO journal_commands VALUES
                (1, 'c1', 1, 'user:U1', 'user.create', 'graph', '{}', 1, 3, '["hr-import"]', 'user-sync', 'reversible', 0);
            INSERT INTO command_results VALUES
                (1, 1, 'c1', 'throttled', 429, NULL, 'Too Many Requests', '2026-01-01T00:00:06.000Z', 'responses-1.json'),
                (2, 1, 'c1', 'applied', 201, 'oid-1', NULL, '2026-01-01T00:00:07.000Z', 'responses-2.json');
            UPDATE sqlite_sequence SET seq = 5 WHERE name = 'command_results';
            COMMIT;
            """
        let made = try SQLiteShell.run(path, sql)
        #expect(made.status == 0, "\(made.error)")
        return path
    }

    /// The rows of the tables 0009 makes again, the sequences, and the indexes and triggers.
    static func contents(_ path: String) throws -> String {
        try SQLiteShell.run(
            path,
            """
            SELECT * FROM streams ORDER BY stream; SELECT * FROM directory_objects ORDER BY stream;
            SELECT * FROM command_results ORDER BY result_id; SELECT * FROM sqlite_sequence ORDER BY name;
            SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger') ORDER BY name;
            """
        ).output
    }

    @Test("an older ledger keeps every row, index and trigger of the tables made again, and command_results its sequence")
    func upgradeKeepsEverything() throws {
        let directory = TemporaryDirectory()
        let path = try Self.ledgerBefore0009(in: directory)
        let before = try Self.contents(path)
        #expect(before.contains("command_results|5") && before.contains("command_results_refuse_delete"))

        let ledger = try Ledger(path: path, mode: .existing, clock: Fixtures.clock)
        #expect(try Self.contents(path) == before)
        #expect(try SQLiteShell.run(path, "PRAGMA integrity_check; PRAGMA foreign_key_check").output == "ok\n")
        #expect(try SQLiteShell.run(path, "SELECT sql FROM sqlite_schema WHERE name = 'streams'").output.contains("state = 'absent' OR"))
        // The checks allow what they allowed, and refuse the rest.
        for (statement, allowed) in [
            ("UPDATE streams SET state = 'inactive' WHERE stream = 'user:U1'", true),
            ("UPDATE streams SET state = 'gone' WHERE stream = 'user:U1'", false),
            ("UPDATE directory_objects SET kind = 'contact' WHERE stream = 'user:U1'", true),
            ("UPDATE directory_objects SET kind = 'printer' WHERE stream = 'user:U1'", false),
            ("INSERT INTO command_results (journal_id, command_id, status, recorded_at, source_file) VALUES (1, 'c1', 'lost', 'x', 'y')", false),
        ] {
            #expect(try (SQLiteShell.run(path, statement).status == 0) == allowed, "\(statement)")
        }
        // The triggers still refuse, and the sequence goes on from 5.
        #expect(try SQLiteShell.run(path, "DELETE FROM command_results").error.contains("append-only"))
        let added = try SQLiteShell.run(
            path,
            "INSERT INTO command_results (journal_id, command_id, status, recorded_at, source_file) VALUES (1, 'c1', 'failed', 'x', 'y') RETURNING result_id")
        #expect(added.output == "6\n")
        #expect(try ledger.head().count == 0)
    }

    @Test("no single-row insert of the schema builds a temporary B-tree: no CHECK lists three values or more")
    func noValueListBuiltPerRow() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        let tables = try SQLiteShell.run(
            ledger.path, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ).output.split(separator: "\n")
        #expect(tables.contains("directory_objects") && tables.contains("streams") && tables.contains("command_results"))
        for table in tables {
            let columns = try SQLiteShell.run(ledger.path, "SELECT name FROM pragma_table_info('\(table)')").output.split(separator: "\n")
            let insert = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
            let program = try SQLiteShell.run(ledger.path, "EXPLAIN \(insert);")
            // The shell shows the program as a table: one opcode a line (`Insert`, `IdxInsert`
            // for a table without rowid).
            #expect(program.status == 0 && program.output.contains("Insert "), "\(table)")
            #expect(!program.output.contains("OpenEphemeral"), "\(table): \(insert)")
        }
    }
}
