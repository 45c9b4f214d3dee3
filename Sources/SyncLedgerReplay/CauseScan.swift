import SyncLedgerStore

/// Traces, in one light scan of the log, the events behind many objects' commands: for each
/// stream, the first and last seq and the actors of its events after the seq the journal
/// last covered it at, up to the plan's base seq.
///
/// A plan needs it only for the objects their traces in the directory state do not answer
/// (sent before and changed since), when they are too many for one index lookup each.
enum CauseScan {
    /// The causes found, by stream.
    struct Causes {
        /// One stream's events after its floor (`first` 0: none); actors by their number.
        fileprivate struct Entry {
            var floor: Int64
            var first: Int64 = 0
            var last: Int64 = 0
            var actors: [Int32] = []
        }

        fileprivate var streams = ByteInterner(capacity: 1 << 10)
        fileprivate var actors = ByteInterner(capacity: 64)
        /// By stream number.
        fileprivate var entries: [Entry] = []

        /// The first and last seq and the actors (sorted) of `stream`'s events after its
        /// floor; nil when it has none.
        func of(_ stream: String) -> (first: Int64, last: Int64, actors: [String])? {
            guard let number = streams.number(of: stream), entries[number].first > 0 else { return nil }
            let entry = entries[number]
            return (entry.first, entry.last, entry.actors.map { actors.string(Int($0)) }.sorted())
        }
    }

    /// Scans the log on the calling thread for the causes of the streams of `floors`, from
    /// the lowest floor up to `throughSeq`.
    static func scan(_ ledger: Ledger, floors: [String: Int64], throughSeq: Int64) throws -> Causes {
        // Streams and actors are found by their bytes as SQLite hands them over (no String
        // per event); entries are indexed by stream number and mutated in place. Actors are
        // few per object: a small array of numbers beats a set.
        var causes = Causes()
        for (stream, floor) in floors {
            var stream = stream
            _ = stream.withUTF8 { causes.streams.intern($0) }
            causes.entries.append(Causes.Entry(floor: floor))
        }
        try ledger.forEachEventSummary(after: floors.values.min() ?? 0, through: throughSeq) { seq, stream, actor in
            guard let number = causes.streams.number(of: stream), seq > causes.entries[number].floor else { return }
            let actor = Int32(causes.actors.intern(actor).number)
            if causes.entries[number].first == 0 { causes.entries[number].first = seq }
            causes.entries[number].last = seq
            if !causes.entries[number].actors.contains(actor) { causes.entries[number].actors.append(actor) }
        }
        return causes
    }
}
