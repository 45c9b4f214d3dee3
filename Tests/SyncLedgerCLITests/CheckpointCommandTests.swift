import Foundation
import SyncLedgerTestSupport
import Testing

@Suite("keygen, checkpoint and verify --checkpoint")
struct CheckpointCommandTests {
    func run(_ arguments: [String], in directory: TemporaryDirectory) throws -> SyncLedgerBinary.Result {
        try SyncLedgerBinary.run(arguments, in: directory.path)
    }

    @Test("a key is mode 0600, a checkpoint verifies, a later append extends it, a recomputed rewrite does not")
    func endToEnd() throws {
        let directory = TemporaryDirectory()
        #expect(try run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: directory).status == 0)
        directory.write("events.ndjson", BinaryTests.events)
        #expect(try run(["ingest", "events.ndjson"], in: directory).status == 0)

        let keygen = try run(["keygen", "--out", "signing.key"], in: directory)
        #expect(keygen.status == 0, "\(keygen.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.file("signing.key"))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try run(["keygen", "--out", "signing.key"], in: directory).status == 1, "never overwrites a key")

        let checkpoint = try run(["checkpoint", "--key", "signing.key", "--out", "cp.json"], in: directory)
        #expect(checkpoint.status == 0, "\(checkpoint.stderr)")
        #expect(checkpoint.stdout.hasPrefix("checkpoint at seq 3, head "))
        let file = try String(contentsOfFile: directory.file("cp.json"), encoding: .utf8)
        #expect(file.contains("\"time\":\"2026-02-01T12:00:00.000Z\""))

        let verified = try run(["verify", "--checkpoint", "cp.json"], in: directory)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("extends the checkpoint at seq 3 (0 events since"))

        directory.write("more.ndjson", #"{"type":"UserCreated","object":"user:QkJC","actor":"hr","at":"2026-01-07T09:00:00Z","data":{"attributes":{"userPrincipalName":"bob@contoso.example","displayName":"Bob"}}}"#)
        #expect(try run(["ingest", "more.ndjson"], in: directory).status == 0)
        #expect(try run(["verify", "--checkpoint", "cp.json"], in: directory).stdout.contains("(1 events since"))

        // Another key's public key pinned: refused.
        #expect(try run(["keygen", "--out", "other.key"], in: directory).status == 0)
        let otherKey = try String(contentsOfFile: directory.file("other.key"), encoding: .utf8)
        let pinned = String(otherKey.split(separator: "\"").drop { $0 != "publicKey" }.dropFirst(2).first ?? "")
        let untrusted = try run(["verify", "--checkpoint", "cp.json", "--public-key", pinned], in: directory)
        #expect(untrusted.status == 1)
        #expect(untrusted.stderr.contains("not by the trusted key"))

        // The attacker rewrites seq 2 and recomputes every hash with the sqlite3 shell.
        let ledger = directory.file("ledger.sqlite")
        try SQLiteShell.run(ledger, "DROP TRIGGER events_refuse_update; UPDATE events SET actor = 'mallory' WHERE seq = 2")
        #expect(try run(["verify"], in: directory).status == 1)
        #expect(try Tamper.rechain(ledger).isEmpty)
        #expect(try run(["verify"], in: directory).status == 0, "the rewrite chains again")
        let caught = try run(["verify", "--checkpoint", "cp.json"], in: directory)
        #expect(caught.status == 1)
        #expect(caught.stderr.contains("the event at seq 3 does not have the checkpointed hash"))

        // A tampered checkpoint file is refused; a malformed one is bad input (65).
        try file.replacingOccurrences(of: "\"seq\":3", with: "\"seq\":2").write(toFile: directory.file("forged.json"), atomically: true, encoding: .utf8)
        let forged = try run(["verify", "--checkpoint", "forged.json"], in: directory)
        #expect(forged.status == 1)
        #expect(forged.stderr.contains("signature does not match"))
        directory.write("junk.json", "{\"format\":\"syncledger-checkpoint/1\"}")
        #expect(try run(["verify", "--checkpoint", "junk.json"], in: directory).status == 65)
    }
}
