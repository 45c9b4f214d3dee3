import SyncLedgerDomain
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Signed checkpoints catch rewritten histories that still chain")
struct CheckpointTests {
    /// A ledger with four chained events, its file, and a checkpoint of it.
    func checkpointedLedger(_ directory: TemporaryDirectory, key: CheckpointKey) throws -> (Ledger, String, Checkpoint) {
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in
            try session.append(Fixtures.tenantInitialized())
            try session.append(Fixtures.userCreated("A1"))
            try session.append(Fixtures.userCreated("B1"))
            try session.append(Fixtures.titleChanged("A1", to: "Engineer"))
        }
        return (ledger, directory.file("ledger.sqlite"), try ledger.checkpoint(signedWith: key))
    }

    func rechain(_ path: String) throws {
        let error = try Tamper.rechain(path)
        #expect(error.isEmpty, "\(error)")
    }

    func expectNotExtended(_ ledger: Ledger, _ checkpoint: Checkpoint, mentioning text: String) {
        #expect {
            try ledger.verify(against: checkpoint)
        } throws: { error in
            guard let error = error as? CheckpointError else { return false }
            return error.code == .notExtended && error.message.contains(text)
        }
    }

    @Test("a checkpoint round-trips through its file form and its signature verifies")
    func roundTrip() throws {
        let directory = TemporaryDirectory()
        let key = CheckpointKey()
        let (ledger, _, checkpoint) = try checkpointedLedger(directory, key: key)
        #expect(checkpoint.seq == 4)
        #expect(checkpoint.headHash == (try ledger.head().hash))
        #expect(checkpoint.time == Fixtures.epoch)
        #expect(checkpoint.publicKey == key.publicKeyHex)
        let read = try Checkpoint(json: checkpoint.json.canonicalBytes)
        #expect(read == checkpoint)
        try read.verifySignature(trusting: key.publicKeyHex)
        let reloaded = try CheckpointKey(json: key.json.canonicalBytes)
        #expect(reloaded.publicKeyHex == key.publicKeyHex)
    }

    @Test("an edited checkpoint, or one signed by another key, is refused")
    func forgedCheckpoint() throws {
        let directory = TemporaryDirectory()
        let (ledger, _, checkpoint) = try checkpointedLedger(directory, key: CheckpointKey())
        var moved = checkpoint
        moved.seq = 3
        #expect(throws: CheckpointError.self) { try ledger.verify(against: moved) }
        #expect((try? moved.verifySignature()) == nil)
        let other = CheckpointKey()
        #expect {
            try checkpoint.verifySignature(trusting: other.publicKeyHex)
        } throws: { ($0 as? CheckpointError)?.code == .untrustedKey }
        #expect {
            try Checkpoint(json: Array(#"{"format":"syncledger-checkpoint/1","seq":"4"}"#.utf8))
        } throws: { ($0 as? CheckpointError)?.code == .invalidCheckpoint }
    }

    @Test("a valid extension: events appended after the checkpoint pass")
    func validExtension() throws {
        let directory = TemporaryDirectory()
        let (ledger, _, checkpoint) = try checkpointedLedger(directory, key: CheckpointKey())
        try ledger.append { session in try session.append(Fixtures.userCreated("C1")) }
        let report = try ledger.verify(against: checkpoint)
        #expect(report.eventsSince == 1)
        #expect(report.verify.count == 5)
    }

    @Test("an edited payload: plain verify and the checkpoint both fail")
    func editedPayload() throws {
        let directory = TemporaryDirectory()
        let (ledger, path, checkpoint) = try checkpointedLedger(directory, key: CheckpointKey())
        try SQLiteShell.run(
            path, "DROP TRIGGER events_refuse_update; UPDATE events SET actor = 'mallory' WHERE seq = 2")
        #expect(try ledger.verify().firstBreak?.seq == 2)
        expectNotExtended(ledger, checkpoint, mentioning: "chain is broken at seq 2")
    }

    @Test("a recomputed chain: the edit passes plain verify but not the checkpoint")
    func recomputedChain() throws {
        let directory = TemporaryDirectory()
        let (ledger, path, checkpoint) = try checkpointedLedger(directory, key: CheckpointKey())
        try SQLiteShell.run(
            path,
            "DROP TRIGGER events_refuse_update; UPDATE events SET payload = '{\"set\":{\"jobTitle\":\"CEO\"},\"unset\":[]}' WHERE seq = 4")
        try rechain(path)
        #expect(try ledger.verify().isIntact)
        expectNotExtended(ledger, checkpoint, mentioning: "does not have the checkpointed hash")
    }

    @Test("a truncated log, its sequence counter reset to hide it: plain verify passes, the checkpoint fails")
    func truncatedLog() throws {
        let directory = TemporaryDirectory()
        let (ledger, path, checkpoint) = try checkpointedLedger(directory, key: CheckpointKey())
        try SQLiteShell.run(
            path, "DROP TRIGGER events_refuse_delete; DELETE FROM events WHERE seq >= 3; UPDATE sqlite_sequence SET seq = 2 WHERE name = 'events'")
        #expect(try ledger.verify().isIntact)
        expectNotExtended(ledger, checkpoint, mentioning: "truncated")
    }

    @Test("reordered rows, the chain recomputed: plain verify passes, the checkpoint fails")
    func reorderedRows() throws {
        let directory = TemporaryDirectory()
        let (ledger, path, checkpoint) = try checkpointedLedger(directory, key: CheckpointKey())
        try SQLiteShell.run(
            path,
            "DROP TRIGGER events_refuse_update; UPDATE events SET seq = 100 WHERE seq = 2; UPDATE events SET seq = 2 WHERE seq = 3; UPDATE events SET seq = 3 WHERE seq = 100")
        try rechain(path)
        #expect(try ledger.verify().isIntact)
        expectNotExtended(ledger, checkpoint, mentioning: "does not have the checkpointed hash")
    }

    @Test("an empty log can be checkpointed and extended")
    func emptyLog() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        let checkpoint = try ledger.checkpoint(signedWith: CheckpointKey())
        #expect(checkpoint.seq == 0)
        try ledger.append { session in try session.append(Fixtures.tenantInitialized()) }
        #expect(try ledger.verify(against: checkpoint).eventsSince == 1)
    }
}
