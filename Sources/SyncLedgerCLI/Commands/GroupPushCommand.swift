import ArgumentParser
import SyncLedgerDomain
import SyncLedgerIngest

/// `syncledger group-push`: Group Push for one security group.
struct GroupPushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group-push",
        abstract: "Manage a security group in Office 365 through Group Push, outside Universal Sync.",
        subcommands: [Enable.self, Disable.self]
    )

    /// `syncledger group-push enable GROUP`.
    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enable",
            abstract: "Start pushing a security group (any mode that provisions users).")

        @OptionGroup var options: LedgerOptions
        @OptionGroup var change: ChangeOptions

        @Argument(help: "The group: group:<anchor>.")
        var group: String

        func validate() throws { _ = try groupReference(group) }

        func run() throws {
            try reportingFailures {
                var admin = try options.administrator()
                try admin.setGroupPush(try groupReference(group), enabled: true, actor: change.actor, source: change.source)
                OutputSink.standardOutput.line("group push: enabled for \(group)")
            }
        }
    }

    /// `syncledger group-push disable GROUP`.
    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Stop pushing a group; it stays in Office 365 unless --delete-in-target.")

        @OptionGroup var options: LedgerOptions
        @OptionGroup var change: ChangeOptions

        @Argument(help: "The group: group:<anchor>.")
        var group: String

        @Flag(help: "Also delete the group in Office 365 (permanent for security groups).")
        var deleteInTarget = false

        func validate() throws { _ = try groupReference(group) }

        func run() throws {
            try reportingFailures {
                var admin = try options.administrator()
                try admin.setGroupPush(
                    try groupReference(group), enabled: false, deleteInTarget: deleteInTarget, actor: change.actor,
                    source: change.source)
                let fate = deleteInTarget ? "it will be deleted in Office 365" : "it stays in Office 365, unmanaged"
                OutputSink.standardOutput.line("group push: disabled for \(group); \(fate)")
            }
        }
    }
}

/// Parses a `group:<anchor>` argument.
func groupReference(_ text: String) throws -> ObjectRef {
    let reference = try parseObject(text)
    guard reference.kind == .group else { throw ValidationError("\(text) is not a group: write group:<anchor>") }
    return reference
}
