import SyncLedgerDomain
import SyncLedgerIngest
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Importing Microsoft Graph user delta pages")
struct GraphDeltaImportTests {
    static let users = """
        anchor,User Name,Display Name,Title
        QUFB,ann@contoso.example,Ann,Engineer
        QkJC,bob@contoso.example,Bob,Director
        """

    /// Shaped like Microsoft's documented `GET /users/delta` response.
    static let page = """
        {
          "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(displayName,jobTitle,mobilePhone)",
          "@odata.nextLink": "https://graph.microsoft.com/v1.0/users/delta?$skiptoken=pqwSUjGYvb3jQpbwVAwEL7yuI3dU1LecfkkfLPtnIjsXoYQp_dpA3cNJWc",
          "value": [
            {"id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd", "onPremisesImmutableId": "QUFB",
             "displayName": "Ann O.", "jobTitle": "Engineer", "mobilePhone": null, "accountEnabled": false},
            {"id": "6e03a2db-564a-47ec-ba51-d8ac7b1b6c8c", "userPrincipalName": "BOB@contoso.example",
             "businessPhones": ["+1 425 555 0109"],
             "onPremisesExtensionAttributes": {"extensionAttribute1": "cost-42", "extensionAttribute2": null}},
            {"id": "0a1b2c3d-0000-0000-0000-000000000000", "userPrincipalName": "stranger@contoso.example",
             "displayName": "Someone Else"}
          ]
        }
        """

    @Test("matched users become DirectEditObserved with what differs; unmatched users are counted")
    func observe() throws {
        let bench = try ImportBench()
        try bench.run(CSVImporter(kind: .users), "users.csv", Self.users)
        let summary = try bench.run(GraphDeltaImporter(), "delta.json", Self.page)
        #expect(summary.unmatched == 1)
        #expect(summary.appended == 2)
        let events = try bench.events(after: 2)
        #expect(events.map(\.type) == ["DirectEditObserved", "DirectEditObserved"])
        #expect(events[0].stream == "user:QUFB")
        #expect(events[0].data == ["set": ["displayName": "Ann O.", "x-accountEnabled": false]])
        #expect(events[1].stream == "user:QkJC")
        #expect(events[1].data == ["set": ["businessPhones": ["+1 425 555 0109"], "extensionAttribute1": "cost-42"]])

        let again = try bench.run(GraphDeltaImporter(), "delta.json", Self.page)
        #expect(again.appended == 0)
        #expect(again.unmatched == 1)
    }

    @Test("@removed is a deletion seen in Office 365, matched by the learnt Office 365 id; NDJSON pages")
    func removed() throws {
        let bench = try ImportBench()
        try bench.run(CSVImporter(kind: .users), "users.csv", Self.users)
        let pages = """
            {"value": [{"id": "6e03a2db", "@removed": {"reason": "changed"}}], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users/delta?$skiptoken=a"}
            {"value": [{"id": "87d349ed", "@removed": {"reason": "deleted"}}], "@odata.deltaLink": "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=b"}
            """
        let ids: [String: ObjectRef] = ["6e03a2db": Fixtures.user("QkJC")]
        let summary = try bench.run(GraphDeltaImporter(officeObjectID: { ids[$0] }), "pages.ndjson", pages)
        #expect(summary.unmatched == 1)
        let last = try bench.events().last!
        #expect(last.type == "DirectEditObserved")
        #expect(last.stream == "user:QkJC")
        #expect(last.data == ["set": ["x-deletedInOffice365": "changed"]])
    }

    @Test("a bad value names the record and the property; a page without value names it; nothing is appended")
    func errors() throws {
        let bench = try ImportBench()
        try bench.run(CSVImporter(kind: .users), "users.csv", Self.users)
        let bad = #"{"value": [{"onPremisesImmutableId": "QkJC"}, {"onPremisesImmutableId": "QUFB", "mail": "not-an-address"}]}"#
        let error = #expect(throws: IngestError.self) {
            try bench.run(GraphDeltaImporter(), "bad.json", bad)
        }
        #expect(error?.line == 2)
        #expect(error?.field == "mail")
        #expect(error?.file == bench.path("bad.json"))
        let noValue = #expect(throws: IngestError.self) {
            try bench.run(GraphDeltaImporter(), "page.json", #"{"@odata.deltaLink": "x"}"#)
        }
        #expect(noValue?.field == "value")
        #expect(try bench.ledger.head().count == 2)
    }
}
