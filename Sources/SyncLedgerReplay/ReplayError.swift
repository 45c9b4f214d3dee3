/// Why the replayer could not plan, emit or record: a matchable ``Code`` and a message that
/// says what went wrong and how to fix it.
public struct ReplayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, matchable reason.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        /// Whether the fault is in the input data (exit 65) rather than a refusal (exit 1).
        public let isInputError: Bool
        private init(_ name: String, input: Bool = false) {
            self.name = name
            self.isInputError = input
        }
        public var description: String { name }

        /// The tenant has no provisioning mode.
        public static let noMode = Code("no-mode")
        /// A saved plan was made before events that are now in the log.
        public static let stalePlan = Code("stale-plan")
        /// A plan file is not one `syncledger plan --out` wrote.
        public static let invalidPlan = Code("invalid-plan", input: true)
        /// A results file cannot be read as Graph `$batch` responses or results NDJSON.
        public static let invalidResults = Code("invalid-results", input: true)
        /// The output folder cannot be written.
        public static let output = Code("output")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
