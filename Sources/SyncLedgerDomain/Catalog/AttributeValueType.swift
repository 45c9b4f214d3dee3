/// The JSON shape an attribute's value must have in event data.
public enum AttributeValueType: Sendable, Hashable {
    /// A non-empty string.
    case string
    /// A string shaped `local@domain` (one `@`, a dot in the domain, no whitespace).
    case emailAddress
    /// An array of non-empty strings (may be empty).
    case stringList
    /// `true` or `false`.
    case boolean
    /// A whole number, 0 or more.
    case integer
    /// An object reference (`user:<anchor>`) naming one of the kinds.
    case reference([ObjectKind])
    /// An array of object references naming the kinds.
    case referenceList([ObjectKind])
    /// Any JSON value (site-specific `x-` attributes only).
    case any

    /// A short description for listings and messages ("a string", "a reference to a user").
    public var description: String {
        switch self {
        case .string: return "string"
        case .emailAddress: return "email address"
        case .stringList: return "list of strings"
        case .boolean: return "boolean"
        case .integer: return "integer"
        case .reference(let kinds): return "reference to " + kinds.map(\.rawValue).joined(separator: "|")
        case .referenceList(let kinds): return "list of references to " + kinds.map(\.rawValue).joined(separator: "|")
        case .any: return "any JSON value"
        }
    }
}
