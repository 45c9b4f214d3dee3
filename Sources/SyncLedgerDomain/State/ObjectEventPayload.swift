/// What one event of an object's stream says, as a fold reads it: the fields
/// ``DirectoryObject/apply(type:payload:seq:at:actor:)`` uses.
///
/// Read from a ``JSONValue``, or straight from the payload's bytes with no dictionary
/// built: a fold of a million events spent a fifth of its time hashing every key of every
/// payload into dictionaries to look up one or two of them. Read from bytes, the
/// attributes keep the order canonical JSON gives them, the order an ``AttributeMap``
/// holds. Both readers give the same payload for the same JSON.
public struct ObjectEventPayload: Sendable, Hashable {
    /// A create's attributes (a group's, contact's or resource's: its members but `kind`);
    /// the attributes an update or a direct edit sets (`set`).
    public var attributes: AttributeMap = [:]
    /// The attributes an update or a direct edit unsets (the strings of `unset`).
    public var unset: [String] = []
    /// A group's, contact's or resource's create: its `kind`, when a string.
    public var kind: String?
    /// What a license, role or membership event is about: its `skuId`,
    /// `roleDefinitionId` or `member`, when a string.
    public var subject: String?
    /// A license assignment's `disabledPlans` (its strings), sorted.
    public var disabledPlans: [String] = []
    /// Group Push turned off: `deleteInTarget` is true.
    public var deleteInTarget = false

    public init() {}

    // MARK: - Reading

    /// Reads what an event of `type` uses of `data`, its parsed payload.
    public init(type: EventType, data: JSONValue) {
        switch type {
        case .userCreated:
            attributes = AttributeMap(data["attributes"]?.objectValue ?? [:])
        case .groupCreated, .contactCreated, .resourceCreated:
            var flat = data.objectValue ?? [:]
            kind = flat.removeValue(forKey: "kind")?.stringValue
            attributes = AttributeMap(flat)
        case .userUpdated, .groupUpdated, .contactUpdated, .resourceUpdated, .directEditObserved:
            attributes = AttributeMap(data["set"]?.objectValue ?? [:])
            unset = Self.strings(data["unset"])
        case .licenseAssigned:
            subject = data[Self.subjectKey(type)!]?.stringValue
            disabledPlans = Self.strings(data["disabledPlans"]).sorted()
        case .licenseRemoved, .roleAssigned, .roleRevoked, .memberAdded, .memberRemoved:
            subject = data[Self.subjectKey(type)!]?.stringValue
        case .groupPushDisabled:
            deleteInTarget = data["deleteInTarget"]?.boolValue == true
        default:
            break
        }
    }

    /// Reads what an event of `type` uses of the JSON payload in `bytes`, member by member,
    /// as strict as ``JSONParser/parse(buffer:)`` (invalid JSON, a repeated key, throw).
    public init(type: EventType, json bytes: UnsafeBufferPointer<UInt8>) throws {
        // Not an object (no event's payload is one): nothing to read, as from its value.
        guard Self.isObject(bytes) else {
            _ = try JSONParser.parse(buffer: bytes)
            return
        }
        switch type {
        case .groupCreated, .contactCreated, .resourceCreated:
            var members: [AttributeMap.Element] = []
            try JSONParser.forEachMember(in: bytes) { (key: String, value: JSONValue) in
                if key == "kind" { kind = value.stringValue } else { members.append((key, value)) }
            }
            attributes = AttributeMap(ordered: members)
        default:
            // The one object member a type keeps whole; every member not read is parsed and
            // passed over.
            let attributesKey = type == .userCreated ? "attributes" : Self.hasUnset(type) ? "set" : nil
            let subjectKey = Self.subjectKey(type)
            try JSONParser.forEachMember(in: bytes) { (key: String, value: inout JSONParser) in
                switch key {
                case attributesKey where value.isAtObject:
                    let (members, ascending) = try value.readMembersInOrder()
                    attributes = AttributeMap(members: members, ascending: ascending)
                case "unset" where Self.hasUnset(type):
                    unset = Self.strings(try value.readValue())
                case subjectKey:
                    subject = try value.readValue().stringValue
                case "disabledPlans" where type == .licenseAssigned:
                    disabledPlans = Self.strings(try value.readValue()).sorted()
                case "deleteInTarget" where type == .groupPushDisabled:
                    deleteInTarget = try value.readValue().boolValue == true
                default:
                    break
                }
            }
        }
    }

    /// Reads the payload of an event stored at `schemaVersion`: from the bytes at the
    /// current version, through ``EventUpcaster`` from an older one.
    public init(type: EventType, schemaVersion: Int, json bytes: UnsafeBufferPointer<UInt8>) throws {
        guard schemaVersion == type.currentSchemaVersion else {
            self.init(type: type, data: try EventUpcaster.upcast(try JSONParser.parse(buffer: bytes), type: type, from: schemaVersion))
            return
        }
        try self.init(type: type, json: bytes)
    }

    /// Reads the payload text of an event stored at `schemaVersion`, as
    /// ``init(type:schemaVersion:json:)-(_,_,UnsafeBufferPointer<UInt8>)`` does.
    public init(type: EventType, schemaVersion: Int, json text: String) throws {
        var text = text
        self = try text.withUTF8 { try ObjectEventPayload(type: type, schemaVersion: schemaVersion, json: $0) }
    }

    // MARK: - Fields by type

    /// The member a license, role or membership event is about.
    private static func subjectKey(_ type: EventType) -> String? {
        switch type {
        case .licenseAssigned, .licenseRemoved: "skuId"
        case .roleAssigned, .roleRevoked: "roleDefinitionId"
        case .memberAdded, .memberRemoved: "member"
        default: nil
        }
    }

    /// Whether `type` reads `set` and `unset`.
    private static func hasUnset(_ type: EventType) -> Bool {
        switch type {
        case .userUpdated, .groupUpdated, .contactUpdated, .resourceUpdated, .directEditObserved: true
        default: false
        }
    }

    private static func strings(_ value: JSONValue?) -> [String] {
        value?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Whether the first byte past leading whitespace opens an object.
    private static func isObject(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            default: return byte == UInt8(ascii: "{")
            }
        }
        return false
    }
}
