import SyncLedgerDomain
import SyncLedgerProjection
public import SyncLedgerStore

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
/// After the append, the directory state projection catches up with the new events.
public struct EventIngestor {
    public var ledger: Ledger
    public var defaults: EventDefaults

    public init(ledger: Ledger, defaults: EventDefaults) {
        self.ledger = ledger
        self.defaults = defaults
    }

    /// Ingests canonical NDJSON from `paths` (`-` is standard input).
    public func ingestNDJSON(paths: [String], dryRun: Bool = false) throws -> IngestSummary {
        var summary = IngestSummary()
        summary.dryRun = dryRun
        try DirectoryProjector(ledger: ledger).catchUp()
        try ledger.append(dryRun: dryRun) { session in
            let folder = try AppendFolder(session: session)
            defer { session.onAppend = nil }
            for path in paths {
                let reader = try LineReader(path: path)
                while let line = try Self.nextLine(reader, path: path) {
                    guard case .text(var bytes) = line else { continue }
                    if reader.lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    do {
                        let event = try CanonicalEventFormat.decode(bytes, defaults: defaults)
                        switch try session.append(event) {
                        case .appended: summary.appended += 1
                        case .alreadyRecorded: summary.alreadyRecorded += 1
                        }
                    } catch {
                        throw IngestError.wrapping(error, file: path, line: reader.lineNumber)
                    }
                }
            }
            try folder?.flush()
        }
        if !dryRun { try DirectoryProjector(ledger: ledger).catchUp() }  // no-op when the folder kept it current
        return summary
    }

    private static func nextLine(_ reader: LineReader, path: String) throws(IngestError) -> LineReader.Line? {
        let line: LineReader.Line?
        do {
            line = try reader.next()
        } catch {
            throw error.located(file: path, line: nil)
        }
        if case .tooLong(let length) = line {
            throw IngestError(
                .lineTooLong, file: path, line: reader.lineNumber, field: nil,
                "line of \(length) bytes is longer than the \(LineReader.defaultMaximumLineLength)-byte limit")
        }
        return line
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
