import Foundation
import SyncLedgerStore

/// Traces, on a thread of its own and a second connection to the ledger, the events behind
/// every object: for each stream, the first and last seq and the actors of its events after
/// the seq the journal last covered it at, up to the plan's base seq.
///
/// A full plan starts it before reading the directory, so the scan of the log runs on the
/// second core while the objects are planned; ``result()`` waits for it.
final class CauseScan: @unchecked Sendable {
    /// The causes found, by stream.
    struct Causes {
        /// One stream's events after its floor (`first` 0: none); actors by their number.
        fileprivate struct Entry {
            var floor: Int64
            var first: Int64 = 0
            var last: Int64 = 0
            var actors: [Int32] = []
        }

        /// The hash of the event at the scan's last seq, as the scanning connection read it.
        var headHash: String?
        fileprivate var streams = ByteInterner(capacity: 1 << 16)
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

    private let condition = NSCondition()
    private var outcome: Result<Causes, any Error>?

    /// Starts scanning `ledger`'s log for events after each stream's floor (0 when the
    /// stream is not in `floors`) up to `throughSeq`.
    init(ledger: Ledger, floors: [String: Int64], throughSeq: Int64, cacheKiB: Int) {
        let path = ledger.path
        let clock = ledger.clock
        let thread = Thread { [self] in
            let result = Result { () throws -> Causes in
                let reader = try Ledger(path: path, mode: .existing, clock: clock)
                return try reader.withPageCache(kib: cacheKiB) {
                    try Self.scan(reader, floors: floors, everyStream: true, throughSeq: throughSeq)
                }
            }
            condition.lock()
            outcome = result
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = 1 << 22
        thread.start()
    }

    /// The causes by stream, once the scan ends (rethrows its error).
    func result() throws -> Causes {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil { condition.wait() }
        return try outcome!.get()
    }

    /// Scans the log on the calling thread: the causes of the streams of `floors`, or of
    /// every stream (`everyStream`, a stream not in `floors` having floor 0).
    static func scan(_ ledger: Ledger, floors: [String: Int64], everyStream: Bool, throughSeq: Int64) throws -> Causes {
        // Streams and actors are found by their bytes as SQLite hands them over (no String
        // per event); entries are indexed by stream number and mutated in place. Actors are
        // few per object: a small array of numbers beats a set.
        var causes = Causes()
        causes.headHash = try ledger.eventHash(at: throughSeq)
        if !everyStream {
            for (stream, floor) in floors {
                var stream = stream
                _ = stream.withUTF8 { causes.streams.intern($0) }
                causes.entries.append(Causes.Entry(floor: floor))
            }
        }
        // Every stream: from the start (an object the journal never covered has every event as
        // a cause); listed streams: from the lowest floor.
        try ledger.forEachEventSummary(after: everyStream ? 0 : floors.values.min() ?? 0, through: throughSeq) { seq, stream, actor in
            let number: Int
            if everyStream {
                let (found, isNew) = causes.streams.intern(stream)
                if isNew {
                    let floor = floors.isEmpty ? 0 : floors[String(decoding: stream, as: UTF8.self)] ?? 0
                    causes.entries.append(Causes.Entry(floor: floor))
                }
                number = found
            } else {
                guard let found = causes.streams.number(of: stream) else { return }
                number = found
            }
            guard seq > causes.entries[number].floor else { return }
            let actor = Int32(causes.actors.intern(actor).number)
            if causes.entries[number].first == 0 { causes.entries[number].first = seq }
            causes.entries[number].last = seq
            if !causes.entries[number].actors.contains(actor) { causes.entries[number].actors.append(actor) }
        }
        return causes
    }
}
