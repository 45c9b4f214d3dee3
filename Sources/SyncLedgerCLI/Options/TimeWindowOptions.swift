import ArgumentParser
import SyncLedgerDomain

/// `--since TIME --until TIME`: a window of event times.
struct TimeWindowOptions: ParsableArguments {
    @Option(help: "From this time, included (RFC 3339 or YYYY-MM-DD).")
    var since: String?

    @Option(help: "Until this time, excluded (RFC 3339 or YYYY-MM-DD).")
    var until: String?

    func validate() throws {
        for (option, value) in [("--since", since), ("--until", until)] {
            if let value, Timestamp(userInput: value) == nil {
                throw ValidationError("\(option): not a time; write 2026-03-01 or 2026-03-01T09:00:00Z")
            }
        }
    }

    var start: Timestamp? { since.flatMap(Timestamp.init(userInput:)) }
    var end: Timestamp? { until.flatMap(Timestamp.init(userInput:)) }
}
