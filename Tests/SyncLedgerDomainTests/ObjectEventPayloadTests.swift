import SyncLedgerDomain
import Testing

@Suite("Object event payloads: read from bytes as from the parsed value")
struct ObjectEventPayloadTests {
    /// Payloads of every shape the fold reads, canonical or not, and the odd ones a
    /// validator would refuse (the readers must still agree on them).
    static let payloads = [
        #"{"attributes":{"businessPhones":["+1 1"],"displayName":"Ann","mail":"ann@example.com","x-é":1}}"#,
        #"{"attributes":{"surname":"Doe","givenName":"Ann","userPrincipalName":"ann@example.com"}}"#,
        #"{"attributes":"not an object","set":{"a":1}}"#,
        #"{"displayName":"Sales","kind":"security","mail":"sales@example.com","members":{"x":[1,{"y":null}]}}"#,
        #"{"mailNickname":"room","kind":"room","displayName":"Room 1"}"#,
        #"{"kind":7,"displayName":"Kind not a string"}"#,
        #"{"displayName":"No kind"}"#,
        #"{"set":{"department":"Sales","jobTitle":null,"userPrincipalName":"b@example.com"},"unset":["city","office",3]}"#,
        #"{"unset":["b","a"],"set":{"z":true,"a":{"nested":{"k":"v"}}}}"#,
        #"{"set":[1,2],"unset":"city"}"#,
        #"{"disabledPlans":["b-plan","a-plan",null],"skuId":"sku-1"}"#,
        #"{"skuId":42}"#,
        #"{"roleDefinitionId":"role-1","note":"ignored"}"#,
        #"{"member":"user:u-1"}"#,
        #"{"deleteInTarget":true}"#,
        #"{"deleteInTarget":"yes"}"#,
        #"{}"#,
        #"  {"member" : "user:u-2" , "set" : {"a":1}}  "#,
        #"["an array"]"#,
        #""a string""#,
        #"null"#,
    ]

    @Test("every event type reads the same payload from the bytes and from the parsed JSON")
    func bytesMatchValue() throws {
        for type in EventType.allCases {
            for text in Self.payloads {
                let fromValue = ObjectEventPayload(type: type, data: try JSONParser.parse(text))
                let fromBytes = try Self.read(type, text)
                #expect(fromBytes == fromValue, "\(type.rawValue) \(text)")
            }
        }
    }

    @Test("the fields each type reads")
    func fields() throws {
        let created = try Self.read(.groupCreated, Self.payloads[3])
        #expect(created.kind == "security")
        #expect(created.attributes.keys == ["displayName", "mail", "members"])
        let update = try Self.read(.userUpdated, Self.payloads[7])
        #expect(update.attributes.keys == ["department", "jobTitle", "userPrincipalName"])
        #expect(update.attributes["jobTitle"] == JSONValue?.some(.null))
        #expect(update.unset == ["city", "office"])
        let license = try Self.read(.licenseAssigned, Self.payloads[10])
        #expect(license.subject == "sku-1" && license.disabledPlans == ["a-plan", "b-plan"])
        #expect(try Self.read(.roleRevoked, Self.payloads[12]).subject == "role-1")
        #expect(try Self.read(.memberRemoved, Self.payloads[17]).subject == "user:u-2")
        #expect(try Self.read(.memberRemoved, Self.payloads[17]).attributes.isEmpty)
        #expect(try Self.read(.groupPushDisabled, Self.payloads[14]).deleteInTarget)
        #expect(try !Self.read(.groupPushDisabled, Self.payloads[15]).deleteInTarget)
        // A member's value of another type is not read as it: `member` of a license event.
        #expect(try Self.read(.licenseAssigned, Self.payloads[13]) == ObjectEventPayload())
    }

    @Test("bad JSON and repeated keys are refused, as the parser refuses them")
    func strict() {
        for text in [#"{"set":{"a":1,"a":2}}"#, #"{"member":"a","member":"b"}"#, #"{"set":{"a":1}"#, #"{"a":1} x"#, "", "[1,"] {
            #expect(throws: (any Error).self, "\(text)") { try Self.read(.userUpdated, text) }
            #expect(throws: (any Error).self, "\(text)") { try Self.read(.groupCreated, text) }
            #expect(throws: (any Error).self, "\(text)") { try JSONParser.parse(text) }
        }
    }

    @Test("applying a payload read from bytes folds the object the parsed JSON folds")
    func foldsAlike() throws {
        let reference = try ObjectRef(parsing: "group:g-1")
        var fromValue = DirectoryObject(reference: reference)
        var fromBytes = DirectoryObject(reference: reference)
        let events: [(EventType, String)] = [
            // Payload 8 sets `a` and unsets it: unset wins, as in an update.
            (.groupCreated, Self.payloads[3]), (.memberAdded, Self.payloads[13]), (.groupUpdated, Self.payloads[8]),
            (.directEditObserved, Self.payloads[7]), (.groupUpdated, Self.payloads[7]), (.groupPushEnabled, "{}"),
            (.groupPushDisabled, Self.payloads[14]), (.memberRemoved, Self.payloads[13]),
        ]
        for (seq, (type, text)) in events.enumerated() {
            let at = Timestamp(millisecondsSinceEpoch: Int64(seq) * 60_000)
            fromValue.apply(type: type, data: try JSONParser.parse(text), seq: Int64(seq + 1), at: at, actor: "hr-import")
            fromBytes.apply(type: type, payload: try Self.read(type, text), seq: Int64(seq + 1), at: at, actor: "hr-import")
            #expect(fromBytes == fromValue)
        }
        #expect(fromBytes.attributes.keys == ["department", "displayName", "jobTitle", "mail", "members", "userPrincipalName", "z"])
        #expect(fromBytes.members.isEmpty && !fromBytes.pushed && !fromBytes.leftInTarget)
    }

    @Test("applying a payload in place moves what the object keeps out of it, and folds the same object")
    func appliedInPlace() throws {
        let at = Timestamp(millisecondsSinceEpoch: 0)
        var object = DirectoryObject(reference: try ObjectRef(parsing: "user:u-1"))
        var created = try Self.read(.userCreated, Self.payloads[0])
        let attributes = created.attributes
        object.apply(type: .userCreated, taking: &created, seq: 1, at: at, actor: "hr-import")
        #expect(object.attributes == attributes)
        #expect(created.attributes.isEmpty)

        object.apply(type: .directEditObserved, payload: try Self.read(.directEditObserved, #"{"set":{"mail":"x@example.com"}}"#), seq: 2, at: at, actor: "o365")
        var updated = try Self.read(.userUpdated, #"{"set":{"displayName":"Ann Lee","mail":"lee@example.com"},"unset":["x-é"]}"#)
        object.apply(type: .userUpdated, taking: &updated, seq: 3, at: at, actor: "hr-import")
        #expect(object.attributes["displayName"] == .string("Ann Lee"))
        #expect(object.attributes["mail"] == .string("lee@example.com"))
        #expect(object.attributes.keys == ["businessPhones", "displayName", "mail"])
        #expect(object.directEdits.isEmpty)
        #expect(updated.attributes.isEmpty)

        for (type, text) in [(EventType.licenseAssigned, Self.payloads[10]), (.roleAssigned, Self.payloads[12])] {
            var payload = try Self.read(type, text)
            object.apply(type: type, taking: &payload, seq: 4, at: at, actor: "hr-import")
            #expect(payload.subject == nil && payload.disabledPlans.isEmpty)
        }
        #expect(object.licenses == ["sku-1": ["a-plan", "b-plan"]])
        #expect(object.roles == ["role-1"])

        var group = DirectoryObject(reference: try ObjectRef(parsing: "group:g-1"))
        var groupCreated = try Self.read(.groupCreated, Self.payloads[3])
        group.apply(type: .groupCreated, taking: &groupCreated, seq: 1, at: at, actor: "hr-import")
        var added = try Self.read(.memberAdded, Self.payloads[13])
        group.apply(type: .memberAdded, taking: &added, seq: 2, at: at, actor: "hr-import")
        #expect(group.subtype == "security" && groupCreated.kind == nil)
        #expect(group.members == ["user:u-1"] && added.subject == nil)
    }

    static func read(_ type: EventType, _ text: String) throws -> ObjectEventPayload {
        var text = text
        return try text.withUTF8 { try ObjectEventPayload(type: type, json: $0) }
    }
}
