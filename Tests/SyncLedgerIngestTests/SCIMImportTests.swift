import SyncLedgerDomain
import SyncLedgerIngest
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Importing SCIM 2.0")
struct SCIMImportTests {
    /// RFC 7643 §8.3's enterprise user, trimmed.
    static let babs = """
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
          "id": "2819c223-7f76-453a-919d-413861904646",
          "externalId": "YmpAZXhhbXBsZQ==",
          "userName": "bjensen@example.com",
          "name": {"formatted": "Ms. Barbara J Jensen, III", "familyName": "Jensen", "givenName": "Barbara",
                   "middleName": "Jane"},
          "displayName": "Babs Jensen",
          "emails": [{"value": "bjensen@example.com", "type": "work", "primary": true},
                     {"value": "babs@jensen.org", "type": "home"}],
          "addresses": [{"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood",
                         "region": "CA", "postalCode": "91608", "country": "USA", "primary": true}],
          "phoneNumbers": [{"value": "555-555-5555", "type": "work"}, {"value": "555-555-4444", "type": "mobile"}],
          "userType": "Employee",
          "title": "Tour Guide",
          "preferredLanguage": "en-US",
          "active": true,
          "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
            "employeeNumber": "701984", "organization": "Universal Studios", "department": "Tour Operations"
          },
          "meta": {"resourceType": "User", "version": "W/\\"3694e05e9dff591\\""}
        }
        """

    @Test("an RFC 7643 user becomes UserCreated with the catalog attributes of the table")
    func userResource() throws {
        let bench = try ImportBench()
        try bench.run(SCIMImporter(), "babs.json", Self.babs)
        let events = try bench.events()
        #expect(events.map(\.type) == ["UserCreated"])
        #expect(events[0].stream == "user:YmpAZXhhbXBsZQ==")
        #expect(
            events[0].data["attributes"]
                == [
                    "userPrincipalName": "bjensen@example.com", "givenName": "Barbara", "surname": "Jensen",
                    "middleName": "Jane", "displayName": "Babs Jensen", "mail": "bjensen@example.com",
                    "streetAddress": "100 Universal City Plaza", "city": "Hollywood", "state": "CA", "postalCode": "91608",
                    "country": "USA", "businessPhones": ["555-555-5555"], "mobilePhone": "555-555-4444",
                    "employeeType": "Employee", "jobTitle": "Tour Guide", "preferredLanguage": "en-US",
                    "employeeId": "701984", "companyName": "Universal Studios", "department": "Tour Operations",
                ])
        let again = try bench.run(SCIMImporter(), "babs.json", Self.babs)
        #expect(again.appended == 0)
    }

    @Test("PATCH with filter paths, a URN path, active false and a members removal filter")
    func patchOperations() throws {
        let bench = try ImportBench()
        let operations = #"""
            {"method":"POST","path":"/Users","body":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"externalId":"QUFB","userName":"ann@contoso.example","displayName":"Ann","emails":[{"type":"work","value":"ann@contoso.example"}]}}
            {"method":"POST","path":"/Users","body":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"externalId":"QkJC","userName":"bob@contoso.example","displayName":"Bob"}}
            {"method":"POST","path":"/Groups","body":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"externalId":"R1JQ","displayName":"Tour Guides","members":[{"value":"QUFB"},{"value":"QkJC","type":"User"}]}}
            {"method":"PATCH","path":"/Users/QUFB","body":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"emails[type eq \"work\"].value","value":"ann.new@contoso.example"},{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department","value":"Sales"},{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":{"value":"QkJC"}}]}}
            {"method":"PATCH","path":"/Users/QkJC","body":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}}
            {"method":"PATCH","path":"/Groups/R1JQ","body":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"remove","path":"members[value eq \"QkJC\"]"}]}}
            {"method":"DELETE","path":"/Users/QkJC"}
            """#
        try bench.run(SCIMImporter(), "ops.ndjson", operations)
        let events = try bench.events()
        #expect(
            events.map(\.type) == [
                "UserCreated", "UserCreated", "GroupCreated", "MemberAdded", "MemberAdded", "UserUpdated", "UserDeactivated",
                "MemberRemoved", "UserDeleted",
            ])
        #expect(events[2].data == ["kind": "security", "displayName": "Tour Guides", "mailNickname": "TourGuides"])
        #expect(events[5].data == ["set": ["mail": "ann.new@contoso.example", "department": "Sales", "manager": "user:QkJC"]])
        #expect(events[7].data == ["member": "user:QkJC"])
        let again = try bench.run(SCIMImporter(), "ops.ndjson", operations)
        #expect(again.appended > 0, "POST after DELETE recreates: an operation log is not a snapshot")
    }

    @Test("a ListResponse imports each resource; remove of a sub-attribute unsets it")
    func listResponse() throws {
        let bench = try ImportBench()
        let list = """
            {"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":2,"Resources":[
              {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"QUFB","userName":"ann@contoso.example","name":{"givenName":"Ann"}},
              {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"QkJC","userName":"bob@contoso.example","active":false}
            ]}
            """
        let summary = try bench.run(SCIMImporter(), "list.json", list)
        #expect(summary.appended == 3)
        try bench.run(
            SCIMImporter(), "patch.ndjson",
            #"{"method":"PATCH","path":"/Users/QUFB","body":{"Operations":[{"op":"remove","path":"name.givenName"}]}}"#)
        #expect(try bench.events().last!.data == ["unset": ["givenName"]])
    }

    @Test(
        "errors name the line (or record) and the SCIM field; nothing is appended",
        arguments: [
            (#"{"method":"FETCH","path":"/Users/QUFB"}"#, 2, "method"),
            (#"{"method":"PATCH","path":"/Users/QUFB","body":{"Operations":[{"op":"replace","path":"emails[type eq \"work\".value","value":"x@y.example"}]}}"#, 2, "Operations[0].path"),
            (#"{"method":"PATCH","path":"/Users/QUFB","body":{"Operations":[{"op":"merge","path":"title","value":"x"}]}}"#, 2, "Operations[0].op"),
            (#"{"method":"PATCH","path":"/Users/Tk9ORQ==","body":{"Operations":[]}}"#, 2, "path"),
            (#"{"method":"POST","path":"/Users","body":{"externalId":"QkJC","userName":"not-mail"}}"#, 2, "userName"),
            (#"{"method":"POST","path":"/Users","body":{"userName":"c@contoso.example"}}"#, 2, "externalId"),
            (#"{"method":"POST","path":"/Users","body":{"externalId":"Q0ND","userName":"c@contoso.example","active":"sometimes"}}"#, 2, "active"),
            (#"{"method":"PATCH","path":"/Users/QUFB","oops":1}"#, 2, "oops"),
        ] as [(String, Int, String?)])
    func errors(line: String, number: Int, field: String?) throws {
        let bench = try ImportBench()
        let first = #"{"method":"POST","path":"/Users","body":{"externalId":"QUFB","userName":"ann@contoso.example"}}"#
        let error = #expect(throws: IngestError.self) {
            try bench.run(SCIMImporter(), "bad.ndjson", first + "\n" + line + "\n")
        }
        #expect(error?.file == bench.path("bad.ndjson"))
        #expect(error?.line == number)
        #expect(error?.field == field)
        #expect(error?.description.contains("contoso.example") == false)
        #expect(try bench.ledger.head().count == 0)
    }
}
