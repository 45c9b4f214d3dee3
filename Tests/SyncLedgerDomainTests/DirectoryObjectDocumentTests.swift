import SyncLedgerDomain
import Testing

@Suite("A directory object as one JSON document")
struct DirectoryObjectDocumentTests {
    static func fullObject() throws -> DirectoryObject {
        var object = DirectoryObject(reference: try ObjectRef(kind: .user, anchor: "AAECAw=="))
        object.subtype = "room"
        object.attributes = ["displayName": "Zoë", "x-costCenter": 4711, "proxyAddresses": ["SMTP:a@x", "smtp:b@x"]]
        object.directEdits = [
            "department": .init(value: "Sales", seq: 9, at: Timestamp(millisecondsSinceEpoch: 1_700_000_000_123), actor: "graph"),
            "jobTitle": .init(value: nil, seq: 10, at: Timestamp(millisecondsSinceEpoch: 1_700_000_000_456), actor: "graph"),
            "x-site": .init(value: ["a", nil], seq: 11, at: Timestamp(millisecondsSinceEpoch: 1_700_000_000_789), actor: "graph"),
        ]
        object.enabled = false
        object.deactivatedAt = Timestamp(millisecondsSinceEpoch: 1_700_000_001_000)
        object.deleted = true
        object.pushed = true
        object.leftInTarget = true
        object.licenses = ["sku-1": ["plan-b", "plan-a"], "sku-2": []]
        object.roles = ["role-1", "role-2"]
        object.members = ["user:A", "contact:B"]
        object.version = 12
        object.createdSeq = 3
        object.lastSeq = 40
        object.updatedAt = Timestamp(millisecondsSinceEpoch: 1_700_000_002_000)
        return object
    }

    @Test("every field reads back equal, through the canonical text")
    func roundTrip() throws {
        let object = try Self.fullObject()
        let text = object.document.canonicalString
        let back = try DirectoryObject(reference: object.reference, document: try JSONParser.parse(text))
        #expect(back == object)
        let empty = DirectoryObject(reference: object.reference)
        #expect(try DirectoryObject(reference: empty.reference, document: empty.document) == empty)
        // Read field by field from the bytes: the same objects.
        for original in [object, empty] {
            let bytes = original.document.canonicalBytes
            #expect(try bytes.withUnsafeBufferPointer { try DirectoryObject(reference: original.reference, documentBytes: $0) } == original)
        }
    }

    @Test("read from bytes: fields in any order and unknown ones passed over; a missing, mistyped or repeated field, or text that is not an object, is refused")
    func fromBytes() throws {
        let object = try Self.fullObject()
        func read(_ text: String) throws -> DirectoryObject {
            try Array(text.utf8).withUnsafeBufferPointer { try DirectoryObject(reference: object.reference, documentBytes: $0) }
        }
        var fields = object.document.objectValue!
        fields["comingLater"] = ["x": 1]
        // Keys written in reverse order, with whitespace.
        let reversed = "{ " + fields.keys.sorted(by: >).map { "\(JSONValue.string($0).canonicalString) : \(fields[$0]!.canonicalString)" }
            .joined(separator: " ,\n") + " }"
        #expect(try read(reversed) == object)
        fields["comingLater"] = nil
        fields["version"] = "12"
        #expect { try read(JSONValue.object(fields).canonicalString) } throws: { ($0 as? DomainError)?.field == "version" }
        fields["version"] = 12
        fields["members"] = nil
        #expect { try read(JSONValue.object(fields).canonicalString) } throws: { ($0 as? DomainError)?.field == "members" }
        let text = object.document.canonicalString
        #expect { try read(String(text.dropLast()) + #","pushed":true}"#) } throws: {
            ($0 as? JSONParseError)?.message == #"duplicate key "pushed""#
        }
        for bad in ["[]", "", "{", text + " {}", #"{"attributes":{"a":1,"a":2}}"#] {
            #expect(throws: JSONParseError.self, "\(bad)") { try read(bad) }
        }
        // Attributes read straight into their map: out of order they are sorted; not an
        // object, the field is named as in the dictionary form.
        var withoutAttributes = object.document.objectValue!
        withoutAttributes["attributes"] = nil
        let attributes = #"{"x-costCenter":4711,"displayName":"Zoë","proxyAddresses":["SMTP:a@x","smtp:b@x"]}"#
        let unsorted = try read(String(JSONValue.object(withoutAttributes).canonicalString.dropLast()) + #","attributes":"# + attributes + "}")
        #expect(unsorted == object)
        #expect(unsorted.attributes.keys == ["displayName", "proxyAddresses", "x-costCenter"])
        withoutAttributes["attributes"] = ["a", "b"]
        #expect { try read(JSONValue.object(withoutAttributes).canonicalString) } throws: { ($0 as? DomainError)?.field == "attributes" }
    }

    @Test("a missing or mistyped field is named")
    func malformed() throws {
        var fields = try Self.fullObject().document.objectValue!
        fields["roles"] = ["role-1", 2]
        #expect(throws: DomainError(.invalidData, field: "roles", "a stored object's field is missing or has the wrong type")) {
            try DirectoryObject(reference: .tenant, document: .object(fields))
        }
        // Two bad fields: always the same one named, whatever order the dictionary holds them in
        // (capacities lay the same keys out in other orders).
        fields["version"] = "twelve"
        for scale in 0..<8 {
            var laidOut = [String: JSONValue](minimumCapacity: 16 << scale)
            laidOut.merge(fields) { first, _ in first }
            #expect { try DirectoryObject(reference: .tenant, document: .object(laidOut)) } throws: { ($0 as? DomainError)?.field == "roles" }
        }
        fields["version"] = 12
        fields["roles"] = []
        fields["lastSeq"] = nil
        #expect { try DirectoryObject(reference: .tenant, document: .object(fields)) } throws: { ($0 as? DomainError)?.field == "lastSeq" }
        fields["lastSeq"] = 1
        fields["directEdits"] = ["department": ["value": "x", "seq": 1, "actor": "graph"]]
        #expect { try DirectoryObject(reference: .tenant, document: .object(fields)) } throws: {
            ($0 as? DomainError)?.field == "directEdits.department"
        }
    }
}
