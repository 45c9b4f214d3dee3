import SyncLedgerDomain

/// One emitted command as the journal records it.
public struct JournalEntry: Sendable, Equatable {
    public var journalID: Int64
    public var commandID: String
    public var runID: Int64
    public var stream: String
    public var operation: String
    /// `graph` or `exchange`.
    public var target: String
    /// Canonical JSON of what the command sets.
    public var body: String
    public var firstSeq: Int64
    public var lastSeq: Int64
    public var actors: [String]
    public var mode: String
    public var reversibility: String
    public var destructive: Bool
    /// The latest result recorded for this emission; nil while pending.
    public var result: CommandResult?

    public init(
        journalID: Int64 = 0, commandID: String, runID: Int64 = 0, stream: String, operation: String, target: String,
        body: String, firstSeq: Int64, lastSeq: Int64, actors: [String], mode: String, reversibility: String,
        destructive: Bool, result: CommandResult? = nil
    ) {
        self.journalID = journalID
        self.commandID = commandID
        self.runID = runID
        self.stream = stream
        self.operation = operation
        self.target = target
        self.body = body
        self.firstSeq = firstSeq
        self.lastSeq = lastSeq
        self.actors = actors
        self.mode = mode
        self.reversibility = reversibility
        self.destructive = destructive
        self.result = result
    }
}

/// What Office 365 answered to one command.
public struct CommandResult: Sendable, Equatable {
    /// How a command ended.
    public enum Status: String, Sendable, CaseIterable {
        case applied
        case failed
        /// 429: to be planned again later.
        case throttled
    }

    public var commandID: String
    public var status: Status
    public var httpStatus: Int?
    /// The Office 365 id of an object the command created.
    public var objectID: String?
    public var error: String?
    public var recordedAt: String
    public var sourceFile: String

    public init(
        commandID: String, status: Status, httpStatus: Int? = nil, objectID: String? = nil, error: String? = nil,
        recordedAt: String = "", sourceFile: String = ""
    ) {
        self.commandID = commandID
        self.status = status
        self.httpStatus = httpStatus
        self.objectID = objectID
        self.error = error
        self.recordedAt = recordedAt
        self.sourceFile = sourceFile
    }
}

/// One replay run, as recorded with its commands.
public struct ReplayRun: Sendable, Equatable {
    public var runID: Int64
    public var baseSeq: Int64
    public var planHash: String
    public var mode: String
    public var emittedAt: String
    public var outputDirectory: String

    public init(runID: Int64 = 0, baseSeq: Int64, planHash: String, mode: String, emittedAt: String, outputDirectory: String) {
        self.runID = runID
        self.baseSeq = baseSeq
        self.planHash = planHash
        self.mode = mode
        self.emittedAt = emittedAt
        self.outputDirectory = outputDirectory
    }
}
