import ArgumentParser
import SyncLedgerDomain

/// `syncledger keygen`: makes the Ed25519 key that signs checkpoints.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make an Ed25519 key for signing checkpoints (file mode 0600).",
        discussion: """
            Keep the key away from the ledger: whoever can write the ledger and holds the key \
            can sign a checkpoint of a rewritten history. Refuses to overwrite a file.
            """
    )

    @Option(help: ArgumentHelp("The key file to create.", valueName: "keyfile"))
    var out: String

    func run() throws {
        try reportingFailures {
            let key = CheckpointKey()
            try SecretFile.create(out, bytes: key.json.canonicalBytes + [0x0A])
            OutputSink.standardOutput.line("wrote \(out) (public key \(key.publicKeyHex))")
        }
    }
}
