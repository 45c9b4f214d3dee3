/// Why the Store could not do what was asked: a matchable ``Code`` and a message that says
/// what went wrong and how to fix it.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, matchable reason.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// There is no ledger at the path.
        public static let ledgerNotFound = Code("ledger-not-found")
        /// The file exists but is not a syncledger ledger.
        public static let notALedger = Code("not-a-ledger")
        /// The ledger was written by a newer syncledger with migrations this build lacks.
        public static let newerSchema = Code("newer-schema")
        /// `init` on a ledger that already holds events.
        public static let alreadyInitialized = Code("already-initialized")
        /// An expected stream version did not match; the batch was rejected.
        public static let versionConflict = Code("version-conflict")
        /// Another process held the write lock for longer than the busy timeout.
        public static let busy = Code("busy")
        /// The file or its folder is read-only.
        public static let readOnly = Code("read-only")
        /// The disk is full.
        public static let diskFull = Code("disk-full")
        /// Reading or writing the file failed (an I/O error, a file-size limit).
        public static let ioError = Code("io-error")
        /// A schema invariant refused the write (a trigger, a UNIQUE or CHECK constraint).
        public static let constraint = Code("constraint")
        /// A stored snapshot of the directory cannot be read back.
        public static let invalidSnapshot = Code("invalid-snapshot")
        /// Any other SQLite failure.
        public static let database = Code("database")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
