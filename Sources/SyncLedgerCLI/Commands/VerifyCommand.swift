import ArgumentParser
import SyncLedgerDomain
import SyncLedgerStore

/// `syncledger verify`: recomputes the hash chain, and proves the log extends a checkpoint.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the hash chain; exit 1 naming the first bad seq.",
        discussion: """
            With --checkpoint FILE (from `syncledger checkpoint`), also checks the signature and \
            that the event at the checkpoint's seq still has the checkpointed hash: a rewritten \
            history whose hashes were all recomputed fails here. --public-key pins the signer.
            """
    )

    @OptionGroup var options: LedgerOptions

    @Option(help: ArgumentHelp("A signed checkpoint the log must extend.", valueName: "file"))
    var checkpoint: String?

    @Option(help: ArgumentHelp("With --checkpoint: the signer's public key (64 hex digits) to trust.", valueName: "hex"))
    var publicKey: String?

    func validate() throws {
        if publicKey != nil, checkpoint == nil { throw ValidationError("--public-key is an option of --checkpoint") }
    }

    func run() throws {
        try reportingFailures {
            let ledger = try options.open()
            let report = try ledger.verify()
            if let failure = report.firstBreak {
                OutputSink.standardOutput.line("FAILED at \(failure) (\(report.count) events verified before it)")
                OutputSink.standardOutput.flush()
                throw ExitCode(ExitStatus.failure)
            }
            if let checkpoint {
                let signed = try Checkpoint(json: try SecretFile.contents(of: checkpoint))
                let extended = try ledger.verify(against: signed, trustedKey: publicKey)
                OutputSink.standardOutput.line(
                    "OK \(report.count) events, head \(report.headHash); extends the checkpoint at seq \(signed.seq) (\(extended.eventsSince) events since, signed by \(signed.publicKey))"
                )
                return
            }
            OutputSink.standardOutput.line("OK \(report.count) events, head \(report.headHash)")
        }
    }
}
