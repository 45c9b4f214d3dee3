import SyncLedgerDomain
import GRDB

/// The result of recomputing the hash chain.
public struct VerifyReport: Sendable, Equatable {
    /// Where the chain first fails, and why.
    public struct Break: Sendable, Equatable, CustomStringConvertible {
        /// The first seq that is wrong (or missing).
        public var seq: Int64
        public var reason: String
        public var description: String { "seq \(seq): \(reason)" }
    }

    /// Events read.
    public var count: Int64
    /// The hash of the last event read (the genesis hash for an empty log).
    public var headHash: String
    /// The last seq read.
    public var headSeq: Int64
    /// The first break in the chain; nil when the chain is intact.
    public var firstBreak: Break?

    public var isIntact: Bool { firstBreak == nil }
}

extension Ledger {
    /// Recomputes the hash chain from the first event and names the first bad seq.
    ///
    /// Catches an edited row (its hash no longer matches its content), an edited hash (the
    /// next row's `prev_hash` no longer matches), a deleted row (a gap in seq), and a
    /// truncated tail (the AUTOINCREMENT counter is past the last row).
    public func verify() throws(StoreError) -> VerifyReport {
        try read { db in
            var report = VerifyReport(count: 0, headHash: EventChain.genesis, headSeq: 0, firstBreak: nil)
            var previousHex = EventChain.genesis
            var previous = [UInt8](repeating: 0, count: 32)
            var expectedSeq: Int64 = 1
            var scratch: [UInt8] = []
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(Self.eventColumns) FROM events ORDER BY seq")
            while let row = try cursor.next() {
                let event = Self.event(from: row)
                if event.seq != expectedSeq {
                    report.firstBreak = .init(seq: expectedSeq, reason: "missing: the event with this seq was removed")
                    return report
                }
                if event.prevHash != previousHex {
                    report.firstBreak = .init(
                        seq: event.seq, reason: "prev_hash does not match the hash of the event before it")
                    return report
                }
                let computed = EventChain.hash(event.chainFields, previous: previous, scratch: &scratch)
                let computedHex = EventChain.hex(computed)
                if computedHex != event.hash {
                    report.firstBreak = .init(
                        seq: event.seq, reason: "hash does not match the event's content (the row was altered)")
                    return report
                }
                previous = computed
                previousHex = computedHex
                report.count += 1
                report.headSeq = event.seq
                report.headHash = computedHex
                expectedSeq += 1
            }
            let issued = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'events'") ?? 0
            if issued > report.headSeq {
                report.firstBreak = .init(
                    seq: report.headSeq + 1, reason: "missing: the log ends at seq \(report.headSeq) but seq \(issued) was issued")
            }
            return report
        }
    }
}
