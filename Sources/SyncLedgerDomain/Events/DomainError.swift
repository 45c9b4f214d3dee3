/// Why the domain refused an event: a matchable ``Code``, the field at fault, and a message
/// that says what is wrong and how to fix it.
///
/// Messages never quote attribute values (they may be personal data); they name fields.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable, matchable reason.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        /// Whether this is a business rule refusing a well-formed change (exit 1), rather than
        /// malformed input (exit 65).
        public let isRuleRefusal: Bool

        private init(_ name: String, rule: Bool = false) {
            self.name = name
            self.isRuleRefusal = rule
        }

        public var description: String { name }

        /// A required envelope field is missing or has the wrong type.
        public static let invalidEnvelope = Code("invalid-envelope")
        /// An object reference is malformed.
        public static let invalidReference = Code("invalid-reference")
        /// The object kind of a reference is not one the ledger knows.
        public static let unknownStreamKind = Code("unknown-stream-kind")
        /// The event type is not in the catalog.
        public static let unknownEventType = Code("unknown-event-type")
        /// The event's type does not belong to the kind of object it names.
        public static let wrongStreamKind = Code("wrong-stream-kind")
        /// The event's `data` is malformed.
        public static let invalidData = Code("invalid-data")
        /// An attribute name is not in the catalog and has no `x-` prefix.
        public static let unknownAttribute = Code("unknown-attribute")
        /// The event does not fit the object's lifecycle (update before create, and so on).
        public static let lifecycleViolation = Code("lifecycle-violation")
        /// A member or attribute reference names an object that does not exist.
        public static let danglingReference = Code("dangling-reference")
        /// A provisioning-mode or directory-sync change that the seed's rules forbid.
        public static let transitionRefused = Code("transition-refused", rule: true)
        /// Group Push asked for a group that cannot be pushed, or in a mode that cannot push.
        public static let groupPushRefused = Code("group-push-refused", rule: true)
        /// The event's schema version is newer than this build understands.
        public static let unsupportedSchemaVersion = Code("unsupported-schema-version")
    }

    public var code: Code
    /// The field at fault, as a path (`data.attributes.manager`), when there is one.
    public var field: String?
    /// What is wrong and how to fix it.
    public var message: String

    public init(_ code: Code, field: String? = nil, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String {
        if let field { return "field '\(field)': \(message)" }
        return message
    }

    /// The same error with its field path prefixed by `parent` (`data` + `kind` → `data.kind`).
    public func nested(under parent: String) -> DomainError {
        var copy = self
        copy.field = field.map { "\(parent).\($0)" } ?? parent
        return copy
    }
}
