import SyncLedgerDomain
import SyncLedgerStore

/// What one `ack` recorded.
public struct AckReport: Sendable, Equatable {
    public var applied = 0
    public var failed = 0
    public var throttled = 0
    /// Office 365 object ids learnt from creates.
    public var learntIDs = 0

    public init() {}
}

extension Replayer {
    /// Records the results in `bytes` (from `file`): a Graph `$batch` response body
    /// (`{"responses": [...]}`) or results NDJSON (`{"command", "status", "objectId"?, "error"?}`).
    /// All or nothing: a malformed response or an unknown command id records none of the file.
    ///
    /// The file is read first, then its command ids are looked up in the journal in one
    /// query: the first run of a 100,000-user tenant is 5,000 batch files, and each file's ack
    /// reads its own 20 ids, not the whole journal. Errors come in file order either way.
    public func ack(_ bytes: [UInt8], file: String) throws -> AckReport {
        var received: [ReceivedResult] = []
        var malformed: (any Error)?
        do { try Self.readResults(bytes, file: file, into: &received) } catch { malformed = error }
        let operations = try ledger.journaledOperations(of: Set(received.map(\.id)))
        let now = ledger.clock.now().rfc3339
        var results: [CommandResult] = []
        for item in received {
            guard let operation = operations[item.id].flatMap(CommandOperation.init(rawValue:)) else {
                switch item.answer {
                case .response:
                    throw IngestLikeError.at(file, item.place, "id", "names no emitted command (was the batch written by this ledger?)")
                case .line:
                    throw IngestLikeError.at(file, item.place, "command", "names no emitted command (was it written by this ledger?)")
                }
            }
            switch item.answer {
            case .response(let status, let body, let headers):
                results.append(Self.result(id: item.id, operation: operation, status: status, body: body, headers: headers, at: now, file: file))
            case .line(let status, let objectID, let error):
                // Checked after the id, as a line's fields always were.
                guard let status = status.flatMap(CommandResult.Status.init(rawValue:)) else {
                    throw IngestLikeError.at(file, item.place, "status", "must be applied, failed or throttled")
                }
                results.append(
                    CommandResult(commandID: item.id, status: status, objectID: objectID, error: error, recordedAt: now, sourceFile: file))
            }
        }
        if let malformed { throw malformed }
        _ = try ledger.recordResults(results)
        var report = AckReport()
        for result in results {
            switch result.status {
            case .applied: report.applied += 1
            case .failed: report.failed += 1
            case .throttled: report.throttled += 1
            }
            if result.objectID != nil { report.learntIDs += 1 }
        }
        return report
    }

    /// One result as the file gives it, before its command is looked up.
    struct ReceivedResult {
        enum Answer {
            /// A `$batch` response: its HTTP status, body and headers.
            case response(status: Int, body: JSONValue?, headers: JSONValue?)
            /// A results NDJSON line (its status as written: checked once its command is known).
            case line(status: String?, objectID: String?, error: String?)
        }

        let id: String
        /// Where the file gives it: `response N` or `line N`.
        let place: String
        let answer: Answer
    }

    /// Reads the results of `bytes` into `received`, in file order, up to the first malformed one
    /// (thrown: the results before it are kept, so an unknown id before it is reported first).
    static func readResults(_ bytes: [UInt8], file: String, into received: inout [ReceivedResult]) throws {
        if let document = try? JSONParser.parse(bytes), let responses = document["responses"] {
            guard let responses = responses.arrayValue else {
                throw IngestLikeError.at(file, nil, "responses", "must be an array of $batch responses")
            }
            for (index, response) in responses.enumerated() {
                let place = "response \(index + 1)"
                guard let id = response["id"]?.stringValue else { throw IngestLikeError.at(file, place, "id", "is missing") }
                guard let status = response["status"]?.intValue else { throw IngestLikeError.at(file, place, "status", "must be an HTTP status number") }
                received.append(ReceivedResult(id: id, place: place, answer: .response(status: Int(status), body: response["body"], headers: response["headers"])))
            }
            return
        }
        var lineNumber = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            let place = "line \(lineNumber)"
            let value: JSONValue
            do { value = try JSONParser.parse(line) } catch {
                throw IngestLikeError.at(file, place, nil, "neither a $batch response body nor results NDJSON: \(error)")
            }
            guard let id = value["command"]?.stringValue else { throw IngestLikeError.at(file, place, "command", "is missing") }
            received.append(
                ReceivedResult(
                    id: id, place: place,
                    answer: .line(status: value["status"]?.stringValue, objectID: value["objectId"]?.stringValue, error: value["error"]?.stringValue)))
        }
    }

    /// How a Graph response ends a command (reference §3, §4).
    static func result(id: String, operation: CommandOperation, status: Int, body: JSONValue?, headers: JSONValue?, at: String, file: String) -> CommandResult {
        let message = body?["error"]?["message"]?.stringValue
        var result = CommandResult(commandID: id, status: .applied, httpStatus: status, recordedAt: at, sourceFile: file)
        switch status {
        case 200..<300:
            if let objectID = body?["id"]?.stringValue { result.objectID = objectID }
        case 400 where operation == .memberAdd && (message ?? "").contains("One or more added object references already exist"):
            result.error = "already a member"
        case 404 where [.userDelete, .groupDelete, .memberRemove, .roleRevoke].contains(operation):
            result.error = "already gone"
        case 429:
            result.status = .throttled
            result.error = "throttled; retry after \(headers?["Retry-After"]?.stringValue ?? "a while") seconds"
        default:
            result.status = .failed
            result.error = message.map { "\(status): \($0)" } ?? "HTTP \(status)"
        }
        return result
    }
}

/// Errors in a results file, placed like input errors: FILE: place: field.
enum IngestLikeError {
    static func at(_ file: String, _ place: String?, _ field: String?, _ message: String) -> ReplayError {
        var text = file
        if let place { text += ": \(place)" }
        if let field { text += ": field '\(field)'" }
        return ReplayError(.invalidResults, text + ": " + message)
    }
}
