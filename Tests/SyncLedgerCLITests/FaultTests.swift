import Foundation
import SyncLedgerTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Faults a ledger meets in production: a full disk, a read-only file, a second writer.
@Suite("Faults: disk full, read-only ledger, concurrent writers")
struct FaultTests {
    /// `count` UserCreated events for anchors `<prefix>0…`, one per line.
    static func users(_ prefix: String, _ range: Range<Int>) -> String {
        range.map { index in
            #"{"type":"UserCreated","object":"user:\#(prefix)\#(index)","actor":"hr-import","source":"workday","at":"2026-01-05T09:00:00Z","data":{"attributes":{"userPrincipalName":"\#(prefix.lowercased())\#(index)@contoso.example","displayName":"User \#(index) with a name long enough to fill pages","jobTitle":"Engineer"}}}"#
        }.joined(separator: "\n") + "\n"
    }

    /// A ledger in profile-sync with 10 users; returns the directory.
    func seededLedger() throws -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        #expect(try run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: directory.path).status == 0)
        directory.write("seed.ndjson", Self.users("SEED", 0..<10))
        #expect(try run(["ingest", "seed.ndjson"], in: directory.path).status == 0)
        return directory
    }

    func run(_ arguments: [String], in path: String, environment: [String: String] = [:]) throws -> SyncLedgerBinary.Result {
        try SyncLedgerBinary.run(arguments, in: path, environment: environment)
    }

    /// Runs the binary through `sh -c` after `setup` (a trap, a ulimit), under `wrapper` (setpriv).
    func runShell(_ setup: String, wrapper: String = "", _ arguments: [String], in path: String) throws -> SyncLedgerBinary.Result {
        let quoted = ([SyncLedgerBinary.path] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        return try SyncLedgerBinary.run(["-c", "\(setup) exec \(wrapper) \(quoted)"], in: path, executable: "/bin/sh")
    }

    /// Runs the binary once per argument list, all at the same time; nil for a run that could not start.
    static func concurrently(_ runs: [[String]], in path: String) -> [SyncLedgerBinary.Result?] {
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var values: [SyncLedgerBinary.Result?]
            init(_ count: Int) { values = Array(repeating: nil, count: count) }
        }
        let results = Results(runs.count)
        DispatchQueue.concurrentPerform(iterations: runs.count) { index in
            let result = try? SyncLedgerBinary.run(runs[index], in: path)
            results.lock.withLock { results.values[index] = result }
        }
        return results.values
    }

    /// The events table's count and head, read with the sqlite3 shell.
    func head(_ ledger: String) throws -> String {
        try SQLiteShell.run(ledger, "SELECT count(*), max(seq), (SELECT hash FROM events ORDER BY seq DESC LIMIT 1) FROM events").output
    }

    /// Checks a failed write: exit 1, one clear line on stderr, the ledger unchanged and intact.
    func expectCleanFailure(
        _ result: SyncLedgerBinary.Result, mentioning text: String, ledger: String, before: String, in directory: String
    ) throws {
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("syncledger: error: "), "\(result.stderr)")
        #expect(result.stderr.contains(text), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
        #expect(try head(ledger) == before)
        let verify = try run(["verify"], in: directory)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test("disk full (a file-size limit, SIGXFSZ ignored): exit 1, a clear error, the ledger unchanged")
    func fileSizeLimit() throws {
        let directory = try seededLedger()
        let ledger = directory.file("ledger.sqlite")
        // Fold the WAL into the file so the limit sits just above what exists.
        try SQLiteShell.run(ledger, "PRAGMA wal_checkpoint(TRUNCATE)")
        let before = try head(ledger)
        directory.write("big.ndjson", Self.users("BIG", 0..<3000))
        // 512-byte blocks: writes past ~1 MiB fail with EFBIG instead of killing the process.
        let result = try runShell("trap '' XFSZ; ulimit -f 2048;", ["ingest", "big.ndjson"], in: directory.path)
        try expectCleanFailure(result, mentioning: "disk", ledger: ledger, before: before, in: directory.path)
        #expect(result.stderr.contains("nothing was written"))
        // Without the limit, the same command succeeds.
        #expect(try run(["ingest", "big.ndjson"], in: directory.path).stdout == "appended 3000 events, 0 already recorded\n")
    }

    @Test(
        "disk full (a 1 MiB tmpfs): exit 1, a clear error, the ledger unchanged",
        .enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func tmpfsFull() throws {
        let mountPoint = TemporaryDirectory("syncledger-tmpfs")
        let mounted = try SyncLedgerBinary.run(
            ["-c", "mount -t tmpfs -o size=1m tmpfs '\(mountPoint.path)'"], in: "/", executable: "/bin/sh")
        guard mounted.status == 0 else { return }  // no CAP_SYS_ADMIN here: the ulimit test covers it
        defer { _ = try? SyncLedgerBinary.run(["-c", "umount '\(mountPoint.path)'"], in: "/", executable: "/bin/sh") }
        #expect(try run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: mountPoint.path).status == 0)
        let ledger = mountPoint.file("ledger.sqlite")
        let before = try head(ledger)
        let input = TemporaryDirectory()
        let big = input.write("big.ndjson", Self.users("BIG", 0..<6000))
        let result = try run(["ingest", big], in: mountPoint.path)
        try expectCleanFailure(result, mentioning: "disk", ledger: ledger, before: before, in: mountPoint.path)
    }

    @Test("a read-only ledger file or folder: exit 1, a clear error, the ledger unchanged")
    func readOnly() throws {
        let directory = try seededLedger()
        let ledger = directory.file("ledger.sqlite")
        try SQLiteShell.run(ledger, "PRAGMA wal_checkpoint(TRUNCATE)")
        let before = try head(ledger)
        directory.write("more.ndjson", Self.users("MORE", 0..<5))
        // Root ignores file modes: run as nobody then.
        let asUser = getuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups" : ""
        let manager = FileManager.default
        try manager.setAttributes([.posixPermissions: 0o444], ofItemAtPath: ledger)
        for suffix in ["-wal", "-shm"] where manager.fileExists(atPath: ledger + suffix) {
            try manager.setAttributes([.posixPermissions: 0o444], ofItemAtPath: ledger + suffix)
        }
        let file = try runShell("", wrapper: asUser, ["ingest", "more.ndjson"], in: directory.path)
        try expectCleanFailure(file, mentioning: "read-only", ledger: ledger, before: before, in: directory.path)

        // The folder read-only too (no -wal/-shm can be created), the file writable.
        try manager.setAttributes([.posixPermissions: 0o644], ofItemAtPath: ledger)
        for suffix in ["-wal", "-shm"] { try? manager.removeItem(atPath: ledger + suffix) }
        try manager.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
        defer { try? manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path) }
        let folder = try runShell("", wrapper: asUser, ["ingest", "more.ndjson"], in: directory.path)
        #expect(folder.status == 1, "\(folder.stderr)")
        #expect(folder.stderr.contains("read-only") || folder.stderr.contains("writable"), "\(folder.stderr)")
        #expect(try head(ledger) == before)
    }

    @Test("two concurrent ingests on one ledger both finish; their union is appended once, one chain")
    func concurrentWriters() throws {
        let directory = try seededLedger()
        // Overlapping inputs: 0..<1500 and 1000..<2500, so 500 events are offered twice.
        directory.write("a.ndjson", Self.users("CC", 0..<1500))
        directory.write("b.ndjson", Self.users("CC", 1000..<2500))
        let results = Self.concurrently([["ingest", "a.ndjson"], ["ingest", "b.ndjson"]], in: directory.path)
        for result in results {
            #expect(result?.status == 0, "\(result?.stderr ?? "did not run")")
        }
        let appended = results.compactMap { $0?.stdout }.joined()
        #expect(appended.contains("appended 1500 events, 0 already recorded"))
        #expect(appended.contains("appended 1000 events, 500 already recorded"), "the later writer sees the first's events")
        let ledger = directory.file("ledger.sqlite")
        let counts = try SQLiteShell.run(ledger, "SELECT count(*), count(DISTINCT event_id), max(seq) FROM events").output
        #expect(counts == "2511|2511|2511\n")
        let verify = try run(["verify"], in: directory.path)
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("OK 2511 events"))
    }

    @Test("two ingests that both create the ledger at once: both finish, one schema, one chain")
    func concurrentCreation() throws {
        let directory = TemporaryDirectory()
        directory.write("a.ndjson", Self.users("CA", 0..<200))
        directory.write("b.ndjson", Self.users("CB", 0..<200))
        directory.write("tenant.ndjson", #"{"id":"t0","type":"TenantInitialized","object":"tenant","actor":"admin","at":"2026-01-05T08:00:00Z","data":{"name":"contoso","mode":"profile-sync"}}"# + "\n")
        let results = Self.concurrently(
            [["ingest", "tenant.ndjson", "a.ndjson"], ["ingest", "tenant.ndjson", "b.ndjson"]], in: directory.path)
        for result in results { #expect(result?.status == 0, "\(result?.stderr ?? "did not run")") }
        #expect(try run(["verify"], in: directory.path).stdout.hasPrefix("OK 401 events"))
    }
}
