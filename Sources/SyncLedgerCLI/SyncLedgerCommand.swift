public import ArgumentParser

/// `syncledger`: an immutable, hash-chained ledger of directory changes, and the Office 365
/// commands that follow from them.
public struct SyncLedgerCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "syncledger",
        abstract: "Provision a directory into Microsoft 365 from a ledger you can trust.",
        discussion: """
            Exit codes: 0 ok, 1 failure (refused change, conflict, broken chain), 64 usage error, \
            65 bad input data.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self,
            IngestCommand.self,
            LogCommand.self,
            VerifyCommand.self,
            StateCommand.self,
            ShowCommand.self,
            RebuildCommand.self,
            SnapshotCommand.self,
            PlanCommand.self,
            ReplayCommand.self,
            AckCommand.self,
            AuditCommand.self,
            ReportCommand.self,
            DemoCommand.self,
            ThresholdCommand.self,
            KeygenCommand.self,
            CheckpointCommand.self,
            ModeCommand.self,
            DirectorySyncCommand.self,
            DeactivationCommand.self,
            GroupPushCommand.self,
            FeatureCommand.self,
            AttributesCommand.self,
        ]
    )

    public init() {}
}
