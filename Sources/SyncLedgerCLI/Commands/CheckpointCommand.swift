import ArgumentParser
import SyncLedgerDomain
import SyncLedgerStore

/// `syncledger checkpoint`: signs where the log stands, for safekeeping outside the ledger.
struct CheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Write a signed checkpoint (seq, head hash, time, public key) of the log.",
        discussion: """
            Keep checkpoints outside the ledger (another machine, a ticket, a WORM bucket). \
            `syncledger verify --checkpoint FILE` then proves the log still extends it: a \
            history rewritten with every hash recomputed passes plain `verify` but not that.
            """
    )

    @OptionGroup var options: LedgerOptions

    @Option(help: ArgumentHelp("The signing key (from `syncledger keygen`).", valueName: "keyfile"))
    var key: String

    @Option(help: ArgumentHelp("The checkpoint file to write (mode 0644; refuses to overwrite).", valueName: "file"))
    var out: String

    func run() throws {
        try reportingFailures {
            let signingKey = try CheckpointKey(json: try SecretFile.contents(of: key))
            let checkpoint = try options.open().checkpoint(signedWith: signingKey)
            try SecretFile.create(out, bytes: checkpoint.json.canonicalBytes + [0x0A], mode: 0o644)
            OutputSink.standardOutput.line("checkpoint at seq \(checkpoint.seq), head \(checkpoint.headHash), written to \(out)")
        }
    }
}
