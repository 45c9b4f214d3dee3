public import SyncLedgerDomain
import GRDB

/// What checking a ledger against a checkpoint found.
public struct CheckpointReport: Sendable, Equatable {
    /// The chain as it is now.
    public var verify: VerifyReport
    /// Events appended after the checkpoint.
    public var eventsSince: Int64
}

extension Ledger {
    // MARK: - Making a checkpoint

    /// A checkpoint of the current head (seq and hash), at the ledger clock's time, signed
    /// with `key`.
    ///
    /// The chain is verified first: a checkpoint of a broken chain would vouch for it.
    ///
    /// - Throws: ``StoreError`` `.constraint` when the chain does not verify.
    public func checkpoint(signedWith key: CheckpointKey) throws -> Checkpoint {
        let report = try verify()
        if let failure = report.firstBreak {
            throw StoreError(
                .constraint, "\(path): the chain is broken at \(failure): a checkpoint would vouch for it; run `syncledger verify`")
        }
        return Checkpoint(seq: report.headSeq, headHash: report.headHash, time: clock.now(), signedWith: key)
    }

    // MARK: - Checking against a checkpoint

    /// Proves that the current log extends `checkpoint`: its signature is valid (by
    /// `trustedKey` when given), the whole chain verifies, and the event at the checkpoint's
    /// seq has exactly the checkpointed hash.
    ///
    /// A history rewritten with every hash recomputed passes ``verify()`` but not this: the
    /// event at the checkpointed seq no longer has the checkpointed hash.
    ///
    /// - Throws: ``CheckpointError`` `.badSignature`, `.untrustedKey` or `.notExtended`
    ///   (the chain broken, the log shorter than the checkpoint, or a different event there).
    public func verify(against checkpoint: Checkpoint, trustedKey: String? = nil) throws -> CheckpointReport {
        try checkpoint.verifySignature(trusting: trustedKey)
        let report = try verify()
        if let failure = report.firstBreak {
            throw CheckpointError(.notExtended, "the chain is broken at \(failure), so it cannot extend the checkpoint")
        }
        guard report.headSeq >= checkpoint.seq else {
            throw CheckpointError(
                .notExtended,
                "the log ends at seq \(report.headSeq) but the checkpoint covers seq \(checkpoint.seq): events were removed (the log was truncated)"
            )
        }
        let hash: String? =
            checkpoint.seq == 0
            ? EventChain.genesis
            : try read { db in try String.fetchOne(db, sql: "SELECT hash FROM events WHERE seq = ?", arguments: [checkpoint.seq]) }
        guard hash == checkpoint.headHash else {
            throw CheckpointError(
                .notExtended,
                "the event at seq \(checkpoint.seq) does not have the checkpointed hash: the history up to the checkpoint was rewritten"
            )
        }
        return CheckpointReport(verify: report, eventsSince: report.count - checkpoint.seq)
    }
}
