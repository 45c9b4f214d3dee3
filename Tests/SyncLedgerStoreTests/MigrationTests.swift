import Foundation
@testable import SyncLedgerStore
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
