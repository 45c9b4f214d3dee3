// MARK: - The object as one JSON document

extension DirectoryObject {
    /// The version of ``document`` and of the fold that produces the objects it stores.
    ///
    /// A stored snapshot records it; views of the past pass over snapshots of another
    /// version. Bump it whenever the fold (``apply(type:data:seq:at:actor:)``) or the document
    /// changes what an event history yields, so no snapshot taken before gives a different
    /// answer than folding from seq 1 does now (`rebuild` takes them again).
    public static let documentFormat = 2

    /// Every field of the object but its reference, as one JSON object: what a snapshot of
    /// the directory stores, and reads back equal.
    ///
    /// Keys: `subtype` and `deactivatedAt` when set; `attributes`, `directEdits`
    /// (``directEditsDocument``), `enabled`, `deleted`, `pushed`, `leftInTarget`, `licenses`
    /// (skuId to disabled plans), `roles` and `members` (sorted), `version`, `createdSeq`,
    /// `lastSeq`, `firstSeq`, `updatedAt`; `actors` (sorted) when traced.
    public var document: JSONValue {
        var fields: [String: JSONValue] = [
            "attributes": attributes.json,
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
            "firstSeq": .int(firstSeq),
            "updatedAt": .string(updatedAt.rfc3339),
        ]
        if let actors { fields["actors"] = .array(actors.map(JSONValue.string)) }
        if let subtype { fields["subtype"] = .string(subtype) }
        if let deactivatedAt { fields["deactivatedAt"] = .string(deactivatedAt.rfc3339) }
        return .object(fields)
    }

    /// Reads back an object written as ``document``; throws naming the first field that is
    /// missing or of the wrong type.
    public init(reference: ObjectRef, document: JSONValue) throws(DomainError) {
        guard let fields = document.objectValue else { throw Self.malformed(nil) }
        var reader = DocumentReader(reference: reference)
        // In a fixed order, so a document with several bad fields always names the same one.
        for name in DocumentReader.names { if let value = fields[name] { try reader.read(name, value) } }
        self = try reader.finish()
    }

    /// Reads back an object from the UTF-8 bytes of its ``document``, field by field, without
    /// building the document as a dictionary first (a view of the past reads a hundred
    /// thousand of them). Throws as ``init(reference:document:)`` does, and on invalid JSON.
    public init(reference: ObjectRef, documentBytes: UnsafeBufferPointer<UInt8>) throws {
        var reader = DocumentReader(reference: reference)
        try JSONParser.forEachMember(in: documentBytes) { (name: String, value: inout JSONParser) in
            // The attributes go straight to their map, in the order the document lists them.
            if name == "attributes", value.isAtObject {
                let (members, ascending) = try value.readMembersInOrder()
                reader.read(attributes: AttributeMap(members: members, ascending: ascending))
            } else {
                try reader.read(name, try value.readValue())
            }
        }
        self = try reader.finish()
    }

    /// Builds an object from the fields of its document, in any order.
    private struct DocumentReader {
        /// The fields every document has, in the order a missing one is reported (the case
        /// names are the keys).
        enum Required: Int, CaseIterable {
            case attributes, directEdits, enabled, deleted, pushed, leftInTarget, licenses, roles, members, version, createdSeq
            case lastSeq, firstSeq, updatedAt

            var bit: Int { 1 << rawValue }
        }

        /// Every field's key: the optional ones, then the required ones.
        static let names = ["subtype", "deactivatedAt", "actors"] + Required.allCases.map { String(describing: $0) }

        /// A field of the document.
        enum Field {
            case subtype, deactivatedAt, actors
            case required(Required)
        }

        /// Every field by its key: one lookup per member, where a switch over the keys would
        /// compare the member's name with them one by one (a view reads 100,000 documents).
        static let fields: [String: Field] = {
            var fields: [String: Field] = ["subtype": .subtype, "deactivatedAt": .deactivatedAt, "actors": .actors]
            for field in Required.allCases { fields[String(describing: field)] = .required(field) }
            return fields
        }()

        /// Every field and its key, in canonical key order, the order a stored document lists
        /// them in.
        static let inKeyOrder: [(name: String, field: Field)] = fields
            .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { (name: $0.key, field: $0.value) }

        var object: DirectoryObject
        /// The required fields read so far, one bit each.
        var seen = 0
        /// Where the next member's key is looked for first in ``inKeyOrder``.
        var nextInKeyOrder = 0

        init(reference: ObjectRef) {
            object = DirectoryObject(reference: reference)
            object.actors = nil  // absent: not traced
        }

        /// Reads one field; names that are not fields of the document are passed over.
        mutating func read(_ name: String, _ value: JSONValue) throws(DomainError) {
            func get<T>(_ read: (JSONValue) -> T?) throws(DomainError) -> T {
                guard let result = read(value) else { throw DirectoryObject.malformed(name) }
                return result
            }
            func strings(_ value: JSONValue) throws(DomainError) -> [String] {
                guard let items = value.arrayValue else { throw DirectoryObject.malformed(name) }
                let strings = items.compactMap(\.stringValue)
                guard strings.count == items.count else { throw DirectoryObject.malformed(name) }
                return strings
            }
            func time() throws(DomainError) -> Timestamp {
                try get { $0.stringValue.flatMap(Timestamp.init(rfc3339:)) }
            }
            guard let known = field(named: name) else { return }  // not a field of the document
            let field: Required
            switch known {
            case .subtype: object.subtype = try get(\.stringValue); return
            case .deactivatedAt: object.deactivatedAt = try time(); return
            case .actors: object.actors = try strings(value).sorted(); return
            case .required(let required): field = required
            }
            switch field {
            case .attributes: object.attributes = AttributeMap(try get(\.objectValue))
            case .directEdits: object.directEdits = try DirectoryObject.directEdits(from: value)
            case .enabled: object.enabled = try get(\.boolValue)
            case .deleted: object.deleted = try get(\.boolValue)
            case .pushed: object.pushed = try get(\.boolValue)
            case .leftInTarget: object.leftInTarget = try get(\.boolValue)
            case .licenses:
                for (sku, plans) in try get(\.objectValue) { object.licenses[sku] = try strings(plans) }
            case .roles: object.roles = Set(try strings(value))
            case .members: object.members = Set(try strings(value))
            case .version: object.version = try get(\.intValue)
            case .createdSeq: object.createdSeq = try get(\.intValue)
            case .lastSeq: object.lastSeq = try get(\.intValue)
            case .firstSeq: object.firstSeq = try get(\.intValue)
            case .updatedAt: object.updatedAt = try time()
            }
            seen |= field.bit
        }

        /// The field `name` is the key of, if any. A stored document's members come in key
        /// order: its key is found among the keys after the last one found, by equality (a
        /// comparison of two short strings) rather than by hashing; others by their hash.
        mutating func field(named name: String) -> Field? {
            var position = nextInKeyOrder
            while position < Self.inKeyOrder.count {
                if Self.inKeyOrder[position].name == name {
                    nextInKeyOrder = position + 1
                    return Self.inKeyOrder[position].field
                }
                position += 1
            }
            return Self.fields[name]
        }

        /// Reads the `attributes` field, already made a map.
        mutating func read(attributes: AttributeMap) {
            object.attributes = attributes
            seen |= Required.attributes.bit
        }

        /// The object, once every required field has been read.
        func finish() throws(DomainError) -> DirectoryObject {
            if let missing = Required.allCases.first(where: { seen & $0.bit == 0 }) {
                throw DirectoryObject.malformed(String(describing: missing))
            }
            return object
        }
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

    fileprivate static func malformed(_ field: String?) -> DomainError {
        DomainError(
            .invalidData, field: field,
            field == nil ? "a stored object is not a JSON object" : "a stored object's field is missing or has the wrong type")
    }
}
