/// Why an input was rejected: a matchable ``Code`` and the place (file, line, field).
///
/// Its description is `FILE:LINE: field 'F': message`, the form editors and CI logs link.
/// Messages name fields, never quote their values (they may be personal data).
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, matchable reason.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The file cannot be opened or read.
        public static let unreadableFile = Code("unreadable-file")
        /// The input is not valid UTF-8 text.
        public static let invalidEncoding = Code("invalid-encoding")
        /// A line is not valid JSON.
        public static let malformedJSON = Code("malformed-json")
        /// A line is longer than the reader's limit.
        public static let lineTooLong = Code("line-too-long")
        /// An envelope field is missing, unknown or has the wrong type.
        public static let invalidField = Code("invalid-field")
        /// The domain refused the event (see the wrapped domain code).
        public static let rejectedEvent = Code("rejected-event")
        /// The format is not one this importer reads.
        public static let unsupportedFormat = Code("unsupported-format")
    }

    public var code: Code
    /// The file, `-` for standard input.
    public var file: String?
    /// The 1-based line (or record) number.
    public var line: Int?
    /// The field at fault, as a path.
    public var field: String?
    public var message: String
    /// Whether the refusal is a business rule (exit 1) rather than malformed input (exit 65).
    public var isRuleRefusal = false

    public init(_ code: Code, file: String?, line: Int?, field: String?, _ message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var place = ""
        if let file { place = file == "-" ? "<stdin>" : file }
        if let line { place += ":\(line)" }
        var text = place.isEmpty ? "" : place + ": "
        if let field { text += "field '\(field)': " }
        return text + message
    }
}
