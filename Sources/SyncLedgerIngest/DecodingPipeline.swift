import Foundation
import SyncLedgerDomain

/// Reads and decodes NDJSON files on a thread of its own while the caller appends: the
/// second core parses lines while the first writes the ledger.
///
/// Items come out in input order, each with its file and line, so errors are reported
/// exactly as a one-thread reader would: the first bad line in input order wins, and
/// nothing after it is decoded. Memory is bounded by a few batches of decoded events.
final class DecodingPipeline: @unchecked Sendable {
    /// One input line's outcome.
    enum Item {
        case event(ProposedEvent, path: String, line: Int)
        case failure(any Error, path: String, line: Int?)
    }

    private let condition = NSCondition()
    private var batches: [[Item]] = []
    private var finished = false
    private var cancelled = false
    private var producerDone = false
    private let maximumBatches = 8
    private static let batchSize = 1_024

    /// Starts reading `paths` in order.
    init(paths: [String], defaults: EventDefaults) {
        let thread = Thread { [self] in
            produce(paths: paths, defaults: defaults)
            condition.lock()
            producerDone = true
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = 1 << 22
        thread.start()
    }

    /// The next batch of items in input order; nil at the end.
    func next() -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Stops the reader (after an error on the caller's side) and waits for its thread.
    func close() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !producerDone { condition.wait() }
        condition.unlock()
    }

    // MARK: - The reading thread

    private func produce(paths: [String], defaults: EventDefaults) {
        var batch: [Item] = []
        batch.reserveCapacity(Self.batchSize)
        defer { publish(batch, last: true) }
        for path in paths {
            let reader: LineReader
            do {
                reader = try LineReader(path: path)
            } catch {
                batch.append(.failure(error, path: path, line: nil))
                return
            }
            while true {
                let line: LineReader.Line?
                do {
                    line = try reader.next()
                } catch {
                    batch.append(.failure(error, path: path, line: nil))
                    return
                }
                guard let line else { break }
                switch line {
                case .tooLong(let length):
                    batch.append(.failure(
                        IngestError(
                            .lineTooLong, file: path, line: reader.lineNumber, field: nil,
                            "line of \(length) bytes is longer than the \(LineReader.defaultMaximumLineLength)-byte limit"),
                        path: path, line: reader.lineNumber))
                    return
                case .text(var bytes):
                    if reader.lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    do {
                        batch.append(.event(try CanonicalEventFormat.decode(bytes, defaults: defaults), path: path, line: reader.lineNumber))
                    } catch {
                        batch.append(.failure(error, path: path, line: reader.lineNumber))
                        return
                    }
                }
                if batch.count == Self.batchSize {
                    guard publish(batch, last: false) else { batch = []; return }
                    batch = []
                    batch.reserveCapacity(Self.batchSize)
                }
            }
        }
    }

    /// Hands a batch over, waiting while the caller is behind; false when cancelled.
    @discardableResult
    private func publish(_ batch: [Item], last: Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= maximumBatches && !cancelled { condition.wait() }
        if cancelled { return false }
        if !batch.isEmpty { batches.append(batch) }
        if last { finished = true }
        condition.broadcast()
        return true
    }
}
