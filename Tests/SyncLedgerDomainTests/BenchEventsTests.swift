import SyncLedgerDomain
import Testing

/// Lines as `bench/to_syncledger.py` writes them (hand-written from its mapping), checked
/// through ``AppendRules`` in order, as ingest would.
@Suite("bench/to_syncledger.py output")
struct BenchEventsTests {
    static let lines = [
        #"{"id":"0190a1b2-0000-7000-8000-000000000001","type":"UserCreated","object":"user:6f1c2a9e-1b7d-4c1e-9a55-2f0b7d3c1a01","actor":"hr-import","source":"hr","at":"2024-01-01T00:00:00Z","data":{"userPrincipalName":"ann.berg0@example.com","mail":"ann.berg0@example.com","givenName":"Ann","surname":"Berg","displayName":"Ann Berg","department":"Engineering","jobTitle":"Engineer","officeLocation":"Oslo","usageLocation":"NO","country":"NO","mobilePhone":"+47 12345678","preferredLanguage":"nb-NO","x-employeeId":"E0000001","x-costCenter":"CC-0001","x-employmentType":"permanent","x-hireDate":"2019-05-03"}}"#,
        #"{"type":"UserCreated","object":"user:7a2d3b0f-2c8e-4d2f-8b66-3a1c8e4d2b02","data":{"userPrincipalName":"bo.lund1@example.com","mail":"bo.lund1@example.com","givenName":"Bo","surname":"Lund","displayName":"Bo Lund","department":"Sales","jobTitle":"Manager","officeLocation":"Bergen","usageLocation":"NO","country":"NO","mobilePhone":"+47 87654321","preferredLanguage":"nb-NO","x-employeeId":"E0000002","x-costCenter":"CC-0002","x-employmentType":"contractor","x-hireDate":"2021-11-20","manager":"user:6f1c2a9e-1b7d-4c1e-9a55-2f0b7d3c1a01"}}"#,
        #"{"type":"GroupCreated","object":"group:8b3e4c1a-3d9f-4e3a-9c77-4b2d9f5e3c03","data":{"kind":"security","displayName":"Sales Security 3","mailNickname":"sales-security-3","description":"Auto-provisioned security group for sales"}}"#,
        #"{"type":"GroupCreated","object":"group:9c4f5d2b-4e0a-4f4b-8d88-5c3e0a6f4d04","data":{"kind":"distribution","displayName":"Sales Dynamic 4","mailNickname":"sales-dynamic-4","description":"Auto-provisioned dynamic group for sales"}}"#,
        #"{"type":"ContactCreated","object":"contact:ad506e3c-5f1b-405c-9e99-6d4f1b705e05","data":{"displayName":"Cai Dahl (ext)","externalEmailAddress":"cai.dahl@partner12.example.net","givenName":"Cai","surname":"Dahl","companyName":"Partner 12 AS","city":"Oslo","country":"NO","businessPhones":["+47 11223344"],"x-hiddenFromGal":false}}"#,
        #"{"type":"ResourceCreated","object":"resource:be617f4d-6a2c-416d-8faa-7e5a2c816f06","data":{"kind":"room","displayName":"Oslo Room 6","alias":"oslo-room-6","capacity":12,"x-building":"Oslo HQ","x-floor":4,"x-bookingWindowDays":90,"x-autoAccept":true}}"#,
        #"{"type":"ResourceCreated","object":"resource:cf72805e-7b3d-427e-90bb-8f6b3d927007","data":{"kind":"equipment","displayName":"Oslo Equipment 7","alias":"oslo-equipment-7","capacity":2,"x-building":"Oslo HQ","x-floor":0,"x-bookingWindowDays":30,"x-autoAccept":false}}"#,
        #"{"type":"UserUpdated","object":"user:6f1c2a9e-1b7d-4c1e-9a55-2f0b7d3c1a01","data":{"set":{"jobTitle":"Staff Engineer","x-costCenter":"CC-0042"},"unset":[]}}"#,
        #"{"type":"UserUpdated","object":"user:7a2d3b0f-2c8e-4d2f-8b66-3a1c8e4d2b02","data":{"set":{"department":"Support","officeLocation":"Oslo","jobTitle":"Lead"},"unset":[]}}"#,
        #"{"type":"MemberAdded","object":"group:8b3e4c1a-3d9f-4e3a-9c77-4b2d9f5e3c03","data":{"member":"user:6f1c2a9e-1b7d-4c1e-9a55-2f0b7d3c1a01"}}"#,
        #"{"type":"MemberAdded","object":"group:9c4f5d2b-4e0a-4f4b-8d88-5c3e0a6f4d04","data":{"member":"user:7a2d3b0f-2c8e-4d2f-8b66-3a1c8e4d2b02"}}"#,
        #"{"type":"MemberRemoved","object":"group:8b3e4c1a-3d9f-4e3a-9c77-4b2d9f5e3c03","data":{"member":"user:6f1c2a9e-1b7d-4c1e-9a55-2f0b7d3c1a01"}}"#,
        #"{"type":"ContactUpdated","object":"contact:ad506e3c-5f1b-405c-9e99-6d4f1b705e05","data":{"set":{"businessPhones":["+46 99887766"],"city":"Stockholm","country":"SE","companyName":"Partner 7 AS"},"unset":[]}}"#,
        #"{"type":"UserDeactivated","object":"user:7a2d3b0f-2c8e-4d2f-8b66-3a1c8e4d2b02","data":{}}"#,
    ]

    @Test func everyLineIsAdmitted() throws {
        // The bench log has no tenant events: object events need no initialised tenant.
        var ledger = MemoryLedger()
        for line in Self.lines {
            let json = try JSONParser.parse(line)
            let stream = try ObjectRef(parsing: json["object"]!.stringValue!)
            let refusal = ledger.refusal(json["type"]!.stringValue!, stream, json["data"]!)
            #expect(refusal == nil, "\(json["type"]!.stringValue!): \(refusal.map(String.init(describing:)) ?? "")")
        }
        #expect(ledger.head(try ObjectRef(parsing: "user:7a2d3b0f-2c8e-4d2f-8b66-3a1c8e4d2b02")).state == .inactive)
        #expect(ledger.head(try ObjectRef(parsing: "group:9c4f5d2b-4e0a-4f4b-8d88-5c3e0a6f4d04")).subtype == "distribution")
        #expect(ledger.head(try ObjectRef(parsing: "resource:be617f4d-6a2c-416d-8faa-7e5a2c816f06")).subtype == "room")
    }

    @Test func repeatsTheConverterDropsWouldBeRefused() throws {
        var ledger = MemoryLedger()
        for line in Self.lines {
            let json = try JSONParser.parse(line)
            try ledger.append(json["type"]!.stringValue!, try ObjectRef(parsing: json["object"]!.stringValue!), json["data"]!)
        }
        // A second UserDeactivated on a deactivated user: the converter drops it.
        expectError(
            ledger.refusal("UserDeactivated", try ObjectRef(parsing: "user:7a2d3b0f-2c8e-4d2f-8b66-3a1c8e4d2b02")),
            .lifecycleViolation, field: "type")
    }
}
