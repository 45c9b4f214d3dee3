import ArgumentParser
import SyncLedgerDomain
import SyncLedgerIngest

/// `syncledger deactivation`: what happens in Office 365 when a user is deactivated.
struct DeactivationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deactivation",
        abstract: "Set what deactivating a user does in Office 365 (Okta's five options).",
        subcommands: [Set.self]
    )

    /// `syncledger deactivation set OPTION`.
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Set the deactivation policy.")

        @OptionGroup var options: LedgerOptions
        @OptionGroup var change: ChangeOptions

        @Argument(
            help: """
                block, block-remove-licenses, block-remove-licenses-after, block-remove-licenses-delete or \
                block-remove-licenses-delete-after.
                """)
        var option: DeactivationOption

        @Option(help: "Days before licenses are removed or the user deleted (the -after options only).")
        var graceDays: Int?

        func validate() throws {
            do {
                try DeactivationPolicy.validate(option: option, graceDays: graceDays)
            } catch {
                throw ValidationError(error.message.replacingOccurrences(of: "graceDays", with: "--grace-days"))
            }
        }

        func run() throws {
            try reportingFailures {
                var admin = try options.administrator()
                try admin.setDeactivation(option, graceDays: graceDays, actor: change.actor, source: change.source)
                let grace = graceDays.map { " (\($0) grace days)" } ?? ""
                OutputSink.standardOutput.line("deactivation: \(option.rawValue)\(grace)")
            }
        }
    }
}
