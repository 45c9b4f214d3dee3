// MARK: - The object as one JSON document

extension DirectoryObject {
    /// The version of ``document`` and of the fold that produces the objects it stores.
    ///
    /// A stored snapshot records it; views of the past pass over snapshots of another
    /// version. Bump it whenever the fold (``apply(type:data:seq:at:actor:)``) or the document
    /// changes what an event history yields, so no snapshot taken before gives a different
    /// answer than folding from seq 1 does now (`rebuild` takes them again).
    public static let documentFormat = 1

    /// Every field of the object but its reference, as one JSON object: what a snapshot of
    /// the directory stores, and reads back equal.
    ///
    /// Keys: `subtype` and `deactivatedAt` when set; `attributes`, `directEdits`
    /// (``directEditsDocument``), `enabled`, `deleted`, `pushed`, `leftInTarget`, `licenses`
    /// (skuId to disabled plans), `roles` and `members` (sorted), `version`, `createdSeq`,
    /// `lastSeq`, `updatedAt`.
    public var document: JSONValue {
        var fields: [String: JSONValue] = [
            "attributes": .object(attributes),
            "directEdits": directEditsDocument,
            "enabled": .bool(enabled),
            "deleted": .bool(deleted),
            "pushed": .bool(pushed),
            "leftInTarget": .bool(leftInTarget),
            "licenses": .object(licenses.mapValues { .array($0.map(JSONValue.string)) }),
            "roles": .array(roles.sorted().map(JSONValue.string)),
            "members": .array(members.sorted().map(JSONValue.string)),
            "version": .int(version),
            "createdSeq": .int(createdSeq),
            "lastSeq": .int(lastSeq),
            "updatedAt": .string(updatedAt.rfc3339),
        ]
        if let subtype { fields["subtype"] = .string(subtype) }
        if let deactivatedAt { fields["deactivatedAt"] = .string(deactivatedAt.rfc3339) }
        return .object(fields)
    }

    /// Reads back an object written as ``document``; throws naming the first field that is
    /// missing or of the wrong type.
    public init(reference: ObjectRef, document: JSONValue) throws(DomainError) {
        guard let fields = document.objectValue else { throw Self.malformed(nil) }
        func field<T>(_ name: String, _ read: (JSONValue) -> T?) throws(DomainError) -> T {
            guard let value = fields[name].flatMap(read) else { throw Self.malformed(name) }
            return value
        }
        func time(_ name: String) throws(DomainError) -> Timestamp {
            try field(name) { $0.stringValue.flatMap(Timestamp.init(rfc3339:)) }
        }
        func strings(_ value: JSONValue) -> [String]? {
            guard let items = value.arrayValue else { return nil }
            let strings = items.compactMap(\.stringValue)
            return strings.count == items.count ? strings : nil
        }
        self.init(reference: reference)
        if fields["subtype"] != nil { subtype = try field("subtype", \.stringValue) }
        if fields["deactivatedAt"] != nil { deactivatedAt = try time("deactivatedAt") }
        attributes = try field("attributes", \.objectValue)
        directEdits = try Self.directEdits(from: try field("directEdits") { $0 })
        enabled = try field("enabled", \.boolValue)
        deleted = try field("deleted", \.boolValue)
        pushed = try field("pushed", \.boolValue)
        leftInTarget = try field("leftInTarget", \.boolValue)
        for (sku, plans) in try field("licenses", \.objectValue) {
            guard let plans = strings(plans) else { throw Self.malformed("licenses") }
            licenses[sku] = plans
        }
        roles = Set(try field("roles", strings))
        members = Set(try field("members", strings))
        version = try field("version", \.intValue)
        createdSeq = try field("createdSeq", \.intValue)
        lastSeq = try field("lastSeq", \.intValue)
        updatedAt = try time("updatedAt")
    }

    /// The changes seen in Office 365, by attribute: `{"value", "seq", "at", "actor"}` each
    /// (`value` null when the attribute was cleared there).
    public var directEditsDocument: JSONValue {
        var edits: [String: JSONValue] = [:]
        for (name, edit) in directEdits {
            edits[name] = [
                "value": edit.value ?? .null, "seq": .int(edit.seq), "at": .string(edit.at.rfc3339),
                "actor": .string(edit.actor),
            ]
        }
        return .object(edits)
    }

    /// Reads back ``directEditsDocument``.
    public static func directEdits(from document: JSONValue) throws(DomainError) -> [String: DirectEdit] {
        guard let edits = document.objectValue else { throw malformed("directEdits") }
        var result: [String: DirectEdit] = [:]
        for (name, edit) in edits {
            guard let seq = edit["seq"]?.intValue, let at = edit["at"]?.stringValue.flatMap(Timestamp.init(rfc3339:)),
                let actor = edit["actor"]?.stringValue
            else { throw malformed("directEdits.\(name)") }
            // A cleared value is written as null and read back as nil (not as `.null`).
            var value: JSONValue? = edit["value"]
            if value?.isNull == true { value = .none }
            result[name] = DirectEdit(value: value, seq: seq, at: at, actor: actor)
        }
        return result
    }

    private static func malformed(_ field: String?) -> DomainError {
        DomainError(
            .invalidData, field: field,
            field == nil ? "a stored object is not a JSON object" : "a stored object's field is missing or has the wrong type")
    }
}
