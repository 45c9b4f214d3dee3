import ArgumentParser
import SyncLedgerDomain
import SyncLedgerIngest

/// `syncledger threshold`: when plans hold destructive commands back.
struct ThresholdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "threshold",
        abstract: "Set when destructive commands are held back (default: 50 of a kind, or 10% of that kind's objects).",
        subcommands: [Set.self]
    )

    /// `syncledger threshold set --count N --percent P`.
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Set the destructive-change threshold.")
        @OptionGroup var options: LedgerOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: "Hold back more than this many destructive commands of one kind.") var count: Int
        @Option(help: "Hold back more than this percentage of the objects of one kind.") var percent: Int

        func validate() throws {
            if count < 0 { throw ValidationError("--count must be 0 or more") }
            if !(0...100).contains(percent) { throw ValidationError("--percent must be 0 to 100") }
        }

        func run() throws {
            try reportingFailures {
                var admin = try options.administrator()
                try admin.record(
                    type: EventType.destructiveThresholdSet.rawValue, data: ["count": .int(Int64(count)), "percent": .int(Int64(percent))],
                    actor: change.actor, source: change.source)
                OutputSink.standardOutput.line("threshold: more than \(count) of a kind, or more than \(percent)% of that kind's objects")
            }
        }
    }
}
