/// Readers for the plain (non-attribute) fields of event data; each error names `data.<key>`.
extension EventDataValidator {
    // MARK: - Keys

    /// Refuses any key outside `allowed` (the first unknown one in key order).
    static func allowOnly(_ members: [String: JSONValue], _ allowed: [String], type: EventType) throws(DomainError) {
        var unknown: String?
        for key in members.keys where !allowed.contains(key) {
            if unknown == nil || key < unknown! { unknown = key }
        }
        guard let unknown else { return }
        let expected = allowed.isEmpty ? "it takes no data" : "its fields are " + allowed.joined(separator: ", ")
        throw DomainError(
            .invalidData, field: "data.\(ObjectRef.redacted(unknown))", "is not a field of \(type.rawValue): \(expected)")
    }

    /// Refuses any data at all.
    static func expectNoFields(_ members: [String: JSONValue], type: EventType) throws(DomainError) {
        if !members.isEmpty { try allowOnly(members, [], type: type) }
    }

    // MARK: - Values

    /// A required non-empty string.
    static func requiredString(_ members: [String: JSONValue], _ key: String) throws(DomainError) -> String {
        guard let value = members[key] else { throw missing(key) }
        guard case .string(let text) = value, !text.isEmpty else {
            throw DomainError(.invalidData, field: "data.\(key)", "must be a non-empty string, not \(describe(value))")
        }
        return text
    }

    /// An optional non-empty string.
    static func optionalString(_ members: [String: JSONValue], _ key: String) throws(DomainError) -> String? {
        guard members[key] != nil else { return nil }
        return try requiredString(members, key)
    }

    /// A required Boolean.
    static func requiredBool(_ members: [String: JSONValue], _ key: String) throws(DomainError) -> Bool {
        guard let value = members[key] else { throw missing(key) }
        guard case .bool(let flag) = value else {
            throw DomainError(.invalidData, field: "data.\(key)", "must be true or false, not \(describe(value))")
        }
        return flag
    }

    /// An optional Boolean.
    static func optionalBool(_ members: [String: JSONValue], _ key: String) throws(DomainError) -> Bool? {
        guard members[key] != nil else { return nil }
        return try requiredBool(members, key)
    }

    /// An optional whole number.
    static func optionalInt(_ members: [String: JSONValue], _ key: String) throws(DomainError) -> Int? {
        guard let value = members[key] else { return nil }
        guard case .int(let number) = value else {
            throw DomainError(.invalidData, field: "data.\(key)", "must be a whole number, not \(describe(value))")
        }
        return Int(clamping: number)
    }

    /// A required whole number.
    static func requiredInt(_ members: [String: JSONValue], _ key: String) throws(DomainError) -> Int {
        guard members[key] != nil else { throw missing(key) }
        return try optionalInt(members, key)!
    }

    /// A required string naming a case of `E`.
    static func requiredEnum<E: RawRepresentable & CaseIterable>(_ members: [String: JSONValue], _ key: String)
        throws(DomainError) -> E where E.RawValue == String
    {
        let text = try requiredString(members, key)
        guard let value = E(rawValue: text) else {
            throw DomainError(
                .invalidData, field: "data.\(key)",
                "must be one of " + E.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    /// An optional string naming a case of `E`.
    static func optionalEnum<E: RawRepresentable & CaseIterable>(_ members: [String: JSONValue], _ key: String)
        throws(DomainError) -> E? where E.RawValue == String
    {
        guard members[key] != nil else { return nil }
        let value: E = try requiredEnum(members, key)
        return value
    }

    /// A required GUID, lowercased.
    static func requiredGUID(_ members: [String: JSONValue], _ key: String) throws(DomainError) -> String {
        guard let value = members[key] else { throw missing(key) }
        guard case .string(let text) = value, let guid = GUIDSyntax.normalized(text) else {
            throw DomainError(.invalidData, field: "data.\(key)", "must be a GUID (8-4-4-4-12 hex digits)")
        }
        return guid
    }

    /// A required object reference naming one of `kinds`.
    static func requiredReference(_ members: [String: JSONValue], _ key: String, kinds: [ObjectKind])
        throws(DomainError) -> ObjectRef
    {
        guard let value = members[key] else { throw missing(key) }
        return try reference(value, kinds: kinds, field: "data.\(key)")
    }

    /// `value` as an object reference naming one of `kinds`; errors on `field`.
    static func reference(_ value: JSONValue, kinds: [ObjectKind], field: String) throws(DomainError) -> ObjectRef {
        guard case .string(let text) = value else {
            throw DomainError(
                .invalidData, field: field, "must be an object reference such as user:<anchor>, not \(describe(value))")
        }
        let ref: ObjectRef
        do {
            ref = try ObjectRef(parsing: text)
        } catch {
            throw error.nested(under: field)
        }
        guard kinds.contains(ref.kind) else {
            throw DomainError(
                .invalidReference, field: field,
                "must refer to " + kinds.map { "\($0.rawValue):<anchor>" }.joined(separator: " or ")
                    + ", not to a \(ref.kind.rawValue)")
        }
        return ref
    }

    // MARK: - Errors

    static func missing(_ key: String) -> DomainError {
        DomainError(.invalidData, field: "data.\(key)", "is required")
    }

    /// The JSON type of `value` for a message (never the value itself).
    static func describe(_ value: JSONValue) -> String {
        if case .string(let text) = value, text.isEmpty { return "an empty string" }
        return value.typeDescription
    }
}
