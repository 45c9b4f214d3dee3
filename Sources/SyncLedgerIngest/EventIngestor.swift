import Foundation
import SyncLedgerDomain
import SyncLedgerProjection
public import SyncLedgerStore

#if canImport(CGlibcMalloc)
import CGlibcMalloc
#endif

/// What one ingest did.
public struct IngestSummary: Sendable, Equatable {
    /// Events appended (or that would be, in a dry run).
    public var appended = 0
    /// Events whose id was already in the ledger.
    public var alreadyRecorded = 0
    /// Whether nothing was committed because it was a dry run.
    public var dryRun = false

    public init() {}
}

/// Reads input files and appends their events to a ledger, all or nothing.
///
/// Every file of one call is appended in a single transaction: a bad line anywhere means
/// nothing from any of the files is appended, and the error names the file, the line and
/// the field. Files are streamed line by line, so memory does not grow with their size.
/// After the append commits, the directory state projection catches up with the new events
/// in the same command (a crash in between leaves it behind its checkpoint, and the next
/// command that reads it catches up).
public struct EventIngestor {
    public var ledger: Ledger
    public var defaults: EventDefaults
    /// The fewest events appended whose pages are copied from the WAL into the file while the
    /// directory folds them (``Ledger/copyingWAL(_:)``; a 1M-event ingest: 12.90–13.12 s
    /// against 13.45–13.70 s, three alternating runs each). Below, the fold's commit copies
    /// them, as the append's would have: a second connection and thread cost about a
    /// millisecond.
    public var walCopiedBesideFold = 10_000
    /// The least input, in bytes, ingested as a bulk load when it is also larger than the
    /// ledger: its append writes its pages once, straight into the file, the ledger kept
    /// from other connections meanwhile (``Ledger/append(dryRun:leavingWAL:bulk:_:)``).
    public var bulkLoadBytes = 1 << 20

    public init(ledger: Ledger, defaults: EventDefaults) {
        self.ledger = ledger
        self.defaults = defaults
    }

    /// Ingests canonical NDJSON from `paths` (`-` is standard input).
    public func ingestNDJSON(paths: [String], dryRun: Bool = false) throws -> IngestSummary {
        var summary = IngestSummary()
        summary.dryRun = dryRun
        try DirectoryProjector(ledger: ledger).catchUp()
        let pipeline = DecodingPipeline(paths: paths, defaults: defaults)
        defer { pipeline.close() }
        let bulk = !dryRun && isBulkLoad(paths)
        try ledger.append(dryRun: dryRun, leavingWAL: !bulk, bulk: bulk) { session in
            while var batch = pipeline.next() {
                for index in batch.indices { try Self.append(&batch[index], to: session, summary: &summary) }
                pipeline.retire(batch)
            }
        }
        // The new events are folded in a pass of their own: each touched object is loaded and
        // saved once however many events it got, in memory bounded by the projector.
        if !dryRun {
            Self.returnFreedMemory()
            try catchUp(leftInWAL: bulk ? 0 : summary.appended)
        }
        return summary
    }

    /// Whether `paths` hold a bulk load: at least ``bulkLoadBytes``, and more than the
    /// ledger's file (most of the pages the append writes are then new ones). Standard
    /// input, whose size is not known ahead, never is one.
    func isBulkLoad(_ paths: [String]) -> Bool {
        func size(_ path: String) -> Int? {
            (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        }
        var input = 0
        for path in paths {
            guard path != "-", let bytes = size(path) else { return false }
            input += bytes
        }
        return input >= bulkLoadBytes && input > size(ledger.path) ?? 0
    }

    /// Folds the events just appended, copying the `leftInWAL` of them that an append left in
    /// the WAL (``Ledger/append(dryRun:leavingWAL:bulk:_:)``) into the file meanwhile when
    /// there are many (a bulk load leaves none there).
    func catchUp(leftInWAL: Int) throws {
        let projector = DirectoryProjector(ledger: ledger)
        guard leftInWAL >= walCopiedBesideFold else {
            try projector.catchUp()
            return
        }
        try ledger.copyingWAL { try projector.catchUp() }
    }

    /// Appends the event of `item`, or throws its failure, placed at its file and line.
    /// (`inout` only so that the event is read where it is in its batch, not copied.)
    private static func append(_ item: inout DecodingPipeline.Item, to session: AppendSession, summary: inout IngestSummary) throws {
        if let failure = item.failure {
            if let error = failure as? IngestError { throw error.located(file: item.path, line: item.line) }
            throw item.line.map { IngestError.wrapping(failure, file: item.path, line: $0) } ?? failure
        }
        do {
            switch try session.append(item.event!) {
            case .appended: summary.appended += 1
            case .alreadyRecorded: summary.alreadyRecorded += 1
            }
        } catch {
            throw IngestError.wrapping(error, file: item.path, line: item.line ?? 0)
        }
    }

    /// Hands the memory the append freed back to the system before the fold takes its own.
    ///
    /// glibc keeps what a thread freed in that thread's arena, for its next allocations: the
    /// decoding thread's, which has ended, would otherwise add to the fold's (a million
    /// events: 323 MiB instead of 290 MiB, measured before attribute names were shared). A
    /// long fold hands back what its own page cache frees too
    /// (``DirectoryProjector``, before it reads ahead).
    private static func returnFreedMemory() {
        #if canImport(CGlibcMalloc)
        _ = malloc_trim(0)
        #endif
    }
}

// MARK: - Locating errors

extension IngestError {
    /// The same error, placed at `file`/`line` when it has no place yet.
    func located(file: String?, line: Int?) -> IngestError {
        var copy = self
        if copy.file == nil { copy.file = file }
        if copy.line == nil { copy.line = line }
        return copy
    }

    /// An error from any layer, placed at `file`/`line`. Store errors other than conflicts
    /// pass through unchanged (they are not the input's fault).
    static func wrapping(_ error: any Error, file: String, line: Int) -> any Error {
        switch error {
        case let error as IngestError:
            return error.located(file: file, line: line)
        case let error as DomainError:
            var wrapped = IngestError(.rejectedEvent, file: file, line: line, field: error.field, error.message)
            wrapped.isRuleRefusal = error.code.isRuleRefusal
            return wrapped
        case let error as StoreError where error.code == .versionConflict:
            var wrapped = IngestError(.rejectedEvent, file: file, line: line, field: "expected_version", error.message)
            wrapped.isRuleRefusal = true
            return wrapped
        default:
            return error
        }
    }
}
