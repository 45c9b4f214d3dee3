import Foundation
import SyncLedgerTestSupport
import Testing

@Suite("Running the syncledger binary")
struct BinaryTests {
    static let events = """
        {"type":"UserCreated","object":"user:QUJD","actor":"hr-import","source":"workday","at":"2026-01-05T09:00:00Z","data":{"attributes":{"userPrincipalName":"ann@contoso.example","displayName":"Ann"}}}
        {"type":"UserUpdated","object":"user:QUJD","actor":"admin:jdoe","at":"2026-01-06T09:00:00Z","data":{"set":{"jobTitle":"Engineer"},"unset":[]}}
        """

    func run(_ arguments: [String], in directory: TemporaryDirectory, stdin: String? = nil) throws -> SyncLedgerBinary.Result {
        try SyncLedgerBinary.run(arguments, in: directory.path, stdin: stdin)
    }

    @Test("init, ingest, log, verify: stdout and exit codes")
    func happyPath() throws {
        let directory = TemporaryDirectory()
        let initialised = try run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: directory)
        #expect(initialised.status == 0, "\(initialised.stderr)")
        #expect(initialised.stdout == "Initialised tenant contoso (profile-sync) in ./ledger.sqlite\n")

        directory.write("events.ndjson", Self.events)
        let ingest = try run(["ingest", "events.ndjson"], in: directory)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stdout == "appended 2 events, 0 already recorded\n")

        let again = try run(["ingest", "events.ndjson"], in: directory)
        #expect(again.stdout == "appended 0 events, 2 already recorded\n")

        let log = try run(["log", "--object", "user:QUJD", "--format", "csv"], in: directory)
        #expect(log.status == 0)
        let lines = log.stdout.split(separator: "\r\n", omittingEmptySubsequences: true)
        #expect(lines.first == "seq,at,object,version,type,actor,source,id,data")
        #expect(lines.count == 3)
        #expect(lines[2].hasPrefix("3,2026-01-06T09:00:00.000Z,user:QUJD,2,UserUpdated,admin:jdoe,syncledger,"))

        let verify = try run(["verify"], in: directory)
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("OK 3 events, head "))
    }

    @Test("rebuild --snapshot-every and snapshot take snapshots a view of the past reads; state --at-seq prints the same rows with and without them")
    func snapshots() throws {
        let directory = TemporaryDirectory()
        _ = try run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: directory)
        directory.write("events.ndjson", Self.events)
        _ = try run(["ingest", "events.ndjson"], in: directory)
        let before = try run(["state", "users", "--at-seq", "3", "--format", "csv"], in: directory)
        #expect(before.status == 0, "\(before.stderr)")
        let rebuilt = try run(["rebuild", "--snapshot-every", "2"], in: directory)
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.stdout == "rebuilt the directory state from 3 events\n")
        let rows = try SQLiteShell.run(
            directory.file("ledger.sqlite"),
            "SELECT s.through_seq, o.stream, json_extract(o.object, '$.attributes.displayName') FROM directory_snapshots s JOIN directory_snapshot_objects o USING (through_seq)")
        #expect(rows.output == "2|user:QUJD|Ann\n")
        let after = try run(["state", "users", "--at-seq", "3", "--format", "csv"], in: directory)
        #expect(after.stdout == before.stdout)
        #expect(after.stdout.contains("Engineer"))
        // `snapshot` takes one at the last event; a rebuild takes both again.
        let taken = try run(["snapshot"], in: directory)
        #expect(taken.status == 0, "\(taken.stderr)")
        #expect(taken.stdout == "snapshot of the directory through seq 3\n")
        _ = try run(["rebuild"], in: directory)
        let seqs = try SQLiteShell.run(directory.file("ledger.sqlite"), "SELECT group_concat(through_seq) FROM directory_snapshots")
        #expect(seqs.output == "2,3\n")
        let usage = try run(["rebuild", "--snapshot-every", "-5"], in: directory)
        #expect(usage.status == 64)
    }

    @Test("a malformed line exits 65 with FILE:LINE and the field; nothing is appended")
    func badInput() throws {
        let directory = TemporaryDirectory()
        _ = try run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: directory)
        directory.write("bad.ndjson", Self.events + "\n" + #"{"type":"UserUpdated","object":"user:QUJD","at":"soon"}"#)
        let result = try run(["ingest", "bad.ndjson"], in: directory)
        #expect(result.status == 65)
        #expect(result.stderr == "syncledger: error: bad.ndjson:3: field 'at': not an RFC 3339 date-time (write it like 2026-01-05T09:00:00Z)\n")
        #expect(try run(["log", "--format", "ndjson"], in: directory).stdout.split(separator: "\n").count == 1)
    }

    @Test("usage errors exit 64; init on a ledger with events exits 1; a missing ledger exits 1")
    func exitCodes() throws {
        let directory = TemporaryDirectory()
        #expect(try run(["log", "--limit", "-3"], in: directory).status == 64)
        #expect(try run(["frobnicate"], in: directory).status == 64)
        let missing = try run(["verify"], in: directory)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no ledger at ./ledger.sqlite"))
        _ = try run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: directory)
        let twice = try run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: directory)
        #expect(twice.status == 1)
        #expect(twice.stderr.contains("already holds events"))
    }

    @Test("verify exits 1 naming the first bad seq after a row is edited with plain SQL")
    func verifyCatchesEdit() throws {
        let directory = TemporaryDirectory()
        _ = try run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: directory)
        _ = try run(["ingest", "-"], in: directory, stdin: Self.events)
        try SQLiteShell.run(
            directory.file("ledger.sqlite"),
            "DROP TRIGGER events_refuse_update; UPDATE events SET actor = 'mallory' WHERE seq = 2")
        let verify = try run(["verify"], in: directory)
        #expect(verify.status == 1)
        #expect(verify.stdout.hasPrefix("FAILED at seq 2: hash does not match"))
    }

    @Test("log --format ndjson restores into a new ledger with the same chain")
    func exportRestore() throws {
        let directory = TemporaryDirectory()
        _ = try run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: directory)
        _ = try run(["ingest", "-"], in: directory, stdin: Self.events)
        let export = try run(["log", "--format", "ndjson"], in: directory)
        directory.write("export.ndjson", export.stdout)
        let restore = try run(["ingest", "--ledger", "restored.sqlite", "export.ndjson"], in: directory)
        #expect(restore.status == 0, "\(restore.stderr)")
        let original = try run(["verify"], in: directory)
        let copy = try run(["verify", "--ledger", "restored.sqlite"], in: directory)
        #expect(copy.stdout == original.stdout)
        #expect(try run(["log", "--format", "ndjson", "--ledger", "restored.sqlite"], in: directory).stdout == export.stdout)
    }

    @Test("the binary runs when copied elsewhere (its schema is embedded, no resource bundle)")
    func copiedBinary() throws {
        let directory = TemporaryDirectory()
        let copy = directory.file("bin-copy/syncledger")
        try FileManager.default.createDirectory(atPath: directory.file("bin-copy"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: SyncLedgerBinary.path, toPath: copy)
        let work = TemporaryDirectory()
        let result = try SyncLedgerBinary.run(
            ["init", "--tenant", "contoso", "--mode", "profile-sync", "--ledger", work.file("l.sqlite")], in: "/",
            executable: copy)
        #expect(result.status == 0, "\(result.stderr)")
        let verify = try SyncLedgerBinary.run(["verify", "--ledger", work.file("l.sqlite")], in: "/", executable: copy)
        #expect(verify.stdout.hasPrefix("OK 1 events"))
    }
}
