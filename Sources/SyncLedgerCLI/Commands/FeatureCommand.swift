import ArgumentParser
import SyncLedgerDomain
import SyncLedgerIngest

/// `syncledger feature`: tenant feature flags.
struct FeatureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feature",
        abstract: "Turn a tenant feature flag on or off.",
        discussion: """
            graph-api-feature: the org has Okta's "Microsoft Graph API" feature, which lets it go back to \
            profile-sync after user-sync or universal-sync (the seed says never; off by default).
            """,
        subcommands: [Set.self]
    )

    /// The flags a tenant has.
    enum Flag: String, ExpressibleByArgument, CaseIterable {
        case graphAPIFeature = "graph-api-feature"
    }

    /// A flag's state.
    enum State: String, ExpressibleByArgument, CaseIterable {
        case on
        case off
    }

    /// `syncledger feature set FLAG on|off`.
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Turn a flag on or off.")
        @OptionGroup var options: LedgerOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: "graph-api-feature.") var flag: Flag
        @Argument(help: "on or off.") var state: State

        func run() throws {
            try reportingFailures {
                var admin = try options.administrator()
                try admin.setFeature(flag.rawValue, enabled: state == .on, actor: change.actor, source: change.source)
                OutputSink.standardOutput.line("\(flag.rawValue): \(state.rawValue)")
            }
        }
    }
}
