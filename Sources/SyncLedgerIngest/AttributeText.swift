public import SyncLedgerDomain

/// Turns the text values of flat formats (CSV cells, LDIF values) into the JSON shape the
/// catalog wants for an attribute: strings stay strings, lists split, Booleans and numbers
/// parse, references become `kind:anchor`.
///
/// No Foundation, no regex: it runs once per cell.
public enum AttributeText {
    /// Why a text does not fit its attribute (the message names no value).
    public struct Mismatch: Error, Sendable {
        public var message: String
        /// The input field at fault, when the thrower knows it.
        public var field: String?

        public init(message: String, field: String? = nil) {
            self.message = message
            self.field = field
        }
    }

    // MARK: - Values

    /// The value of attribute `name` of `kind` from `texts` (one per LDIF value, or the parts of
    /// a CSV cell already split); nil when there are none.
    ///
    /// - Parameter reference: turns one text into the object it names (an anchor, a DN).
    public static func value(
        _ texts: [String], attribute name: String, kind: ObjectKind, reference: (String) throws -> ObjectRef
    ) throws -> JSONValue? {
        let texts = texts.filter { !$0.isEmpty }
        guard !texts.isEmpty else { return nil }
        let type = AttributeCatalog.attribute(named: name, for: kind)?.valueType ?? .any
        func single() throws(Mismatch) -> String {
            guard texts.count == 1 else {
                throw Mismatch(message: "\(name) holds one value, not \(texts.count)")
            }
            return texts[0]
        }
        switch type {
        case .string, .emailAddress, .any:
            return .string(try single())
        case .stringList:
            return .array(texts.map(JSONValue.string))
        case .boolean:
            guard let flag = boolean(try single()) else {
                throw Mismatch(message: "\(name) must be true or false (also yes/no, 1/0)")
            }
            return .bool(flag)
        case .integer:
            guard let number = Int64(try single()), number >= 0 else {
                throw Mismatch(message: "\(name) must be a whole number, 0 or more")
            }
            return .int(number)
        case .reference:
            return .string(try reference(try single()).description)
        case .referenceList:
            return .array(try texts.map { .string(try reference($0).description) })
        }
    }

    /// Splits a cell on `separator`, trimming spaces and dropping empty parts.
    public static func split(_ text: String, separator: Character) -> [String] {
        text.split(separator: separator).map { trimmed(String($0)) }.filter { !$0.isEmpty }
    }

    /// Whether the attribute holds several values (a list of strings or references).
    public static func isList(_ name: String, kind: ObjectKind) -> Bool {
        switch AttributeCatalog.attribute(named: name, for: kind)?.valueType {
        case .stringList, .referenceList: return true
        default: return false
        }
    }

    // MARK: - Text

    /// `true`/`false`, `yes`/`no`, `y`/`n`, `1`/`0`, any case; nil otherwise.
    public static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "y", "1": return true
        case "false", "no", "n", "0": return false
        default: return nil
        }
    }

    /// An account status: a Boolean, or `active`/`enabled` versus `inactive`, `disabled`,
    /// `suspended`, `terminated`; nil otherwise.
    public static func status(_ text: String) -> Bool? {
        if let flag = boolean(text) { return flag }
        switch text.lowercased() {
        case "active", "enabled": return true
        case "inactive", "disabled", "suspended", "terminated", "deactivated": return false
        default: return nil
        }
    }

    /// `text` without leading and trailing spaces and tabs.
    public static func trimmed(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return slice.count == text.count ? text : String(slice)
    }

    /// `text` lowercased with spaces, `_`, `-` and `.` removed: how header names are compared.
    public static func folded(_ text: String) -> String {
        String(text.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" && $0 != "." })
    }
}
