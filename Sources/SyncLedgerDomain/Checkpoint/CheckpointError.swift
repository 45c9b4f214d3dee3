/// Why a checkpoint or a signing key could not be used: a matchable ``Code`` and a message
/// that says what is wrong and how to fix it.
public struct CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, matchable reason.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        /// Whether the input file itself is malformed (exit 65), rather than a failed check (exit 1).
        public let isInputError: Bool

        private init(_ name: String, input: Bool = false) {
            self.name = name
            self.isInputError = input
        }

        public var description: String { name }

        /// The checkpoint file is not a syncledger checkpoint (bad JSON, a missing field).
        public static let invalidCheckpoint = Code("invalid-checkpoint", input: true)
        /// The key file is not a syncledger Ed25519 key.
        public static let invalidKey = Code("invalid-key", input: true)
        /// The checkpoint's signature does not match its content and public key.
        public static let badSignature = Code("bad-signature")
        /// The checkpoint was signed by another key than the one the caller trusts.
        public static let untrustedKey = Code("untrusted-key")
        /// The current log does not extend the checkpointed log: history was rewritten or cut.
        public static let notExtended = Code("not-extended")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
