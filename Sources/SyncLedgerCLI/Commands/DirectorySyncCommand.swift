import ArgumentParser
import SyncLedgerDomain
import SyncLedgerIngest

/// `syncledger directory-sync`: the directory-sync tool the tenant runs.
struct DirectorySyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory-sync",
        abstract: "Record the directory-sync tool (DirSync, Azure AD Sync, Azure AD Connect) the tenant runs.",
        subcommands: [Set.self]
    )

    /// `syncledger directory-sync set TOOL`.
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set the tool (refused, exit 1, while user-sync or universal-sync is in force).")

        @OptionGroup var options: LedgerOptions
        @OptionGroup var change: ChangeOptions

        @Argument(help: "none, dirsync, aad-sync or aad-connect.")
        var tool: DirectorySyncTool

        func run() throws {
            try reportingFailures {
                var admin = try options.administrator()
                try admin.setDirectorySync(tool, actor: change.actor, source: change.source)
                OutputSink.standardOutput.line("directory sync: \(tool.rawValue)")
            }
        }
    }
}
