import ArgumentParser
import SyncLedgerDomain
import SyncLedgerIngest
import SyncLedgerStore

/// `syncledger mode`: the tenant's provisioning mode.
struct ModeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mode",
        abstract: "Show or change the tenant's provisioning mode.",
        subcommands: [Show.self, Set.self, Matrix.self],
        defaultSubcommand: Show.self
    )

    /// `syncledger mode show`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show the mode in force, the tenant settings and what the mode allows.")

        @OptionGroup var options: LedgerOptions

        func run() throws {
            try reportingFailures {
                let settings = try options.open().tenantSettings()
                let out = OutputSink.standardOutput
                out.line("tenant:           \(settings.name ?? "(not initialised)")")
                out.line("mode:             \(settings.mode.map { "\($0.rawValue) (\($0.title))" } ?? "(none)")")
                out.line("directory sync:   \(settings.directorySync.rawValue)")
                let grace = settings.deactivation.graceDays.map { ", \($0) grace days" } ?? ""
                out.line("deactivation:     \(settings.deactivation.option.rawValue)\(grace)")
                out.line("graph-api-feature: \(settings.graphAPIFeature ? "on" : "off")")
                out.line("profile-sync:     \(settings.profileSyncLocked && !settings.graphAPIFeature ? "locked (user-sync or universal-sync was chosen)" : "available")")
                if let mode = settings.mode {
                    out.line()
                    out.line("capabilities of \(mode.rawValue):")
                    for capability in Capability.allCases {
                        let allowed = CapabilityMatrix.allows(capability, in: mode, directorySync: settings.directorySync)
                        out.line("  [\(allowed ? "x" : " ")] \(capability.label)")
                    }
                }
            }
        }
    }

    /// `syncledger mode matrix`.
    struct Matrix: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "matrix",
            abstract: "Print the capability matrix of the four modes (Markdown, as in the README).")

        func run() throws {
            OutputSink.standardOutput.write(CapabilityMatrix.markdownTable())
            OutputSink.standardOutput.flush()
        }
    }

    /// `syncledger mode set MODE`.
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Choose the provisioning mode (refused, exit 1, when the rules forbid it).")

        @OptionGroup var options: LedgerOptions
        @OptionGroup var change: ChangeOptions

        @Argument(help: "licenses-roles, profile-sync, user-sync or universal-sync.")
        var mode: ProvisioningMode

        @Option(help: "Why (recorded with the event).")
        var reason: String?

        func run() throws {
            try reportingFailures {
                var admin = try options.administrator()
                let before = try admin.ledger.tenantSettings().mode
                try admin.setMode(mode, reason: reason, actor: change.actor, source: change.source)
                OutputSink.standardOutput.line("mode: \(before?.rawValue ?? "(none)") -> \(mode.rawValue)")
            }
        }
    }
}
