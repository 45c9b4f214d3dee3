import ArgumentParser
import SyncLedgerDomain
import SyncLedgerProjection

/// `--as-of TIME | --at-seq N`: which point of the log a state query looks at.
struct PointInTimeOptions: ParsableArguments {
    @Option(help: "The state as it was at this time (RFC 3339 or YYYY-MM-DD): the events that had occurred by then.")
    var asOf: String?

    @Option(help: "The state just after this seq.")
    var atSeq: Int64?

    func validate() throws {
        if asOf != nil, atSeq != nil { throw ValidationError("give --as-of or --at-seq, not both") }
        if let asOf, Timestamp(userInput: asOf) == nil {
            throw ValidationError("--as-of: not a time; write 2026-03-01 or 2026-03-01T09:00:00Z")
        }
        if let atSeq, atSeq < 0 { throw ValidationError("--at-seq must be 0 or more") }
    }

    var point: PointInTime {
        if let atSeq { return .seq(atSeq) }
        if let asOf, let time = Timestamp(userInput: asOf) { return .time(time) }
        return .now
    }
}
