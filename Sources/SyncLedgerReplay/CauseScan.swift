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
        /// The hash of the event at the scan's last seq, as the scanning connection read it.
        var headHash: String?
        fileprivate var slots: [String: Int] = [:]
        fileprivate var entries: [(floor: Int64, first: Int64, last: Int64, actors: [String])] = []

        /// The first and last seq and the actors (sorted) of `stream`'s events after its
        /// floor; nil when it has none.
        func of(_ stream: String) -> (first: Int64, last: Int64, actors: [String])? {
            guard let slot = slots[stream], entries[slot].first > 0 else { return nil }
            return (entries[slot].first, entries[slot].last, entries[slot].actors.sorted())
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
        // One dictionary lookup per event: streams index an array mutated in place. Actors
        // are few per object: a small array beats a set.
        var causes = Causes()
        causes.headHash = try ledger.eventHash(at: throughSeq)
        if !everyStream {
            for (stream, floor) in floors {
                causes.slots[stream] = causes.entries.count
                causes.entries.append((floor, 0, 0, []))
            }
        }
        // Every stream: from the start (an object the journal never covered has every event as
        // a cause); listed streams: from the lowest floor.
        try ledger.forEachEventSummary(after: everyStream ? 0 : floors.values.min() ?? 0) { seq, stream, actor in
            guard seq <= throughSeq else { return }
            let slot: Int
            if let known = causes.slots[stream] {
                slot = known
            } else {
                guard everyStream else { return }
                slot = causes.entries.count
                causes.slots[stream] = slot
                causes.entries.append((floors[stream] ?? 0, 0, 0, []))
            }
            guard seq > causes.entries[slot].floor else { return }
            if causes.entries[slot].first == 0 { causes.entries[slot].first = seq }
            causes.entries[slot].last = seq
            if !causes.entries[slot].actors.contains(actor) { causes.entries[slot].actors.append(actor) }
        }
        return causes
    }
}
