import SyncLedgerDomain

/// Reads, decodes and prepares NDJSON files on a thread of its own while the caller
/// appends: the second core parses lines and runs the checks that need no ledger
/// (``PreparedEvent``: the envelope, the id, the type and data, the canonical payload) while
/// the first writes the ledger.
///
/// Items come out in input order, each with its file and line, so errors are reported
/// exactly as a one-thread reader would: the first bad line in input order wins, and
/// nothing after it is decoded. Memory is bounded by a few batches of decoded events.
final class DecodingPipeline: @unchecked Sendable {
    /// One input line's outcome: its event, or what went wrong (the last item of a read).
    ///
    /// A struct, not an enum, so that the appending thread reads the event where it is in
    /// its batch (``EventIngestor`` takes each item `inout`): an enum's event is bound by a
    /// copy, which retained each of its strings (0.45 s of a 1M-event ingest).
    struct Item {
        /// The event decoded and prepared; nil for a failure.
        var event: PreparedEvent?
        /// What went wrong; nil for an event.
        var failure: (any Error)?
        var path: String
        /// The line (nil: a failure of the file as a whole).
        var line: Int?

        static func event(_ event: PreparedEvent, path: String, line: Int) -> Item {
            Item(event: event, failure: nil, path: path, line: line)
        }

        static func failure(_ error: any Error, path: String, line: Int?) -> Item {
            Item(event: nil, failure: error, path: path, line: line)
        }
    }

    private static let batchSize = 1_024
    private static let batchesAhead = 8

    private let handOver: BatchHandOver<Item>

    /// Starts reading `paths` in order.
    init(paths: [String], defaults: EventDefaults) {
        handOver = BatchHandOver(capacity: Self.batchesAhead, stackSize: 1 << 22) { handOver in
            try handOver.handInBatches(of: Self.batchSize) { add in try Self.produce(paths: paths, defaults: defaults, add: add) }
        }
    }

    /// The next batch of items in input order; nil at the end.
    func next() -> [Item]? {
        // The reader hands failures over as items: it throws nothing but the stop.
        (try? handOver.next()) ?? nil
    }

    /// Gives back a batch the caller is done with: the reading thread, which allocated its
    /// events, frees them (freed by the appending thread, each free took the lock of the
    /// reading thread's arena in glibc).
    func retire(_ batch: consuming [Item]) {
        handOver.retire(batch)
    }

    /// Stops the reader (after an error on the caller's side, or at the end) and waits for
    /// its thread.
    func close() {
        handOver.stop()
    }

    // MARK: - The reading thread

    /// Decodes the lines of `paths`, calling `add` with each item in input order; stops
    /// after the first failure, which is the last item.
    private static func produce(paths: [String], defaults: EventDefaults, add: (consuming Item) throws -> Void) throws {
        for path in paths {
            let reader: LineReader
            do {
                reader = try LineReader(path: path)
            } catch {
                try add(.failure(error, path: path, line: nil))
                return
            }
            while true {
                let line: LineReader.Line?
                do {
                    line = try reader.next()
                } catch {
                    try add(.failure(error, path: path, line: nil))
                    return
                }
                guard let line else { break }
                switch line {
                case .tooLong(let length):
                    try add(.failure(
                        IngestError(
                            .lineTooLong, file: path, line: reader.lineNumber, field: nil,
                            "line of \(length) bytes is longer than the \(LineReader.defaultMaximumLineLength)-byte limit"),
                        path: path, line: reader.lineNumber))
                    return
                case .text(var bytes):
                    if reader.lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    let event: ProposedEvent
                    do {
                        event = try CanonicalEventFormat.decode(bytes, defaults: defaults)
                    } catch {
                        try add(.failure(error, path: path, line: reader.lineNumber))
                        return
                    }
                    try add(.event(PreparedEvent(event), path: path, line: reader.lineNumber))
                }
            }
        }
    }
}
