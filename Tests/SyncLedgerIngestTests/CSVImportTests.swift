import Foundation
import SyncLedgerDomain
import SyncLedgerIngest
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Importing CSV snapshots")
struct CSVImportTests {
    /// An HR export: a byte order mark, CRLF, quoted commas, doubled quotes, a line break in a
    /// quoted field, HR header names, a list cell, a manager defined after its report.
    static let hrExport = "\u{FEFF}anchor,First Name,Last Name,Email,User Name,Title,Phone,Manager,Status,x-badge\r\n"
        + "QUFB,Ann,\"O'Brien, Jr\",ann@contoso.example,ann@contoso.example,\"Engineer, \"\"Senior\"\"\",+1 555 0100;+1 555 0101,QkJC,active,\"12\r\n34\"\r\n"
        + "QkJC,Bob,Smith,bob@contoso.example,bob@contoso.example,Director,,,active,\r\n"

    @Test("a snapshot creates the users with their attributes; quotes, BOM, CRLF and HR headers are read")
    func createsUsers() throws {
        let bench = try ImportBench()
        let summary = try bench.run(CSVImporter(kind: .users), "users.csv", Self.hrExport)
        let events = try bench.events()
        #expect(summary.appended == 3)
        #expect(events.map(\.type) == ["UserCreated", "UserCreated", "UserUpdated"])
        let ann = events[0].data["attributes"]
        #expect(ann?["surname"] == "O'Brien, Jr")
        #expect(ann?["jobTitle"] == "Engineer, \"Senior\"")
        #expect(ann?["businessPhones"] == ["+1 555 0100", "+1 555 0101"])
        #expect(ann?["x-badge"] == "12\r\n34")
        #expect(ann?["manager"] == nil)
        #expect(events[2].data == ["set": ["manager": "user:QkJC"]])
    }

    @Test("importing the same file again appends nothing")
    func unchangedFileAppendsNothing() throws {
        let bench = try ImportBench()
        try bench.run(CSVImporter(kind: .users), "users.csv", Self.hrExport)
        let again = try bench.run(CSVImporter(kind: .users), "users.csv", Self.hrExport)
        #expect(again.appended == 0)
        #expect(again.unchanged == 2)
        #expect(try bench.events().count == 3)
    }

    @Test("one changed cell appends one UserUpdated; an emptied cell unsets")
    func oneChangedCell() throws {
        let bench = try ImportBench()
        try bench.run(CSVImporter(kind: .users), "users.csv", Self.hrExport)
        let changed = Self.hrExport.replacingFirst("Director", with: "CEO")
        let summary = try bench.run(CSVImporter(kind: .users), "users.csv", changed)
        #expect(summary.appended == 1)
        let last = try bench.events().last!
        #expect(last.type == "UserUpdated")
        #expect(last.stream == "user:QkJC")
        #expect(last.data == ["set": ["jobTitle": "CEO"]])

        let emptied = changed.replacingFirst("CEO", with: "")
        try bench.run(CSVImporter(kind: .users), "users.csv", emptied)
        #expect(try bench.events().last!.data == ["unset": ["jobTitle"]])
    }

    @Test("--full deactivates users absent from the file; a status column deactivates and reactivates")
    func fullAndStatus() throws {
        let bench = try ImportBench()
        try bench.run(CSVImporter(kind: .users), "users.csv", Self.hrExport)
        let onlyAnn = "anchor,First Name,Last Name,Email,User Name\nQUFB,Ann,\"O'Brien, Jr\",ann@contoso.example,ann@contoso.example\n"
        let summary = try bench.run(CSVImporter(kind: .users, full: true), "ann.csv", onlyAnn)
        #expect(summary.appended == 1)
        #expect(try bench.events().last!.type == "UserDeactivated")
        #expect(try bench.events().last!.stream == "user:QkJC")

        let inactive = "anchor,Status\nQUFB,terminated\n"
        try bench.run(CSVImporter(kind: .users), "status.csv", inactive)
        #expect(try bench.events().last!.type == "UserDeactivated")
        try bench.run(CSVImporter(kind: .users), "status.csv", "anchor,Status\nQUFB,active\n")
        #expect(try bench.events().last!.type == "UserReactivated")
    }

    @Test("groups, memberships and --full on memberships")
    func groupsAndMemberships() throws {
        let bench = try ImportBench()
        try bench.run(CSVImporter(kind: .users), "users.csv", Self.hrExport)
        try bench.run(
            CSVImporter(kind: .groups), "groups.csv",
            "objectGUID,displayName,mailNickname,kind,Email\nR1JQ,Engineering,eng,distribution,eng@contoso.example\n")
        let group = try bench.events().last!
        #expect(group.type == "GroupCreated")
        #expect(group.data["kind"] == "distribution")
        #expect(group.data["primarySmtpAddress"] == "eng@contoso.example")

        try bench.run(CSVImporter(kind: .memberships), "members.csv", "group,member\nR1JQ,QUFB\nR1JQ,user:QkJC\n")
        #expect(try bench.events().suffix(2).map(\.type) == ["MemberAdded", "MemberAdded"])
        let summary = try bench.run(CSVImporter(kind: .memberships), "members.csv", "group,member\nR1JQ,QUFB\n")
        #expect(summary.appended == 1)
        #expect(try bench.events().last!.type == "MemberRemoved")
        #expect(try bench.events().last!.data == ["member": "user:QkJC"])
    }

    @Test("a mapping file names the anchor and maps columns")
    func mappingFile() throws {
        let bench = try ImportBench()
        let mappingFile = bench.directory.write(
            "map.json", #"{"anchor": "Employee GUID", "columns": {"Login": "userPrincipalName", "Surname": "surname", "Notes": "ignore"}}"#)
        let mapping = try CSVMapping.load(path: mappingFile)
        try bench.run(
            CSVImporter(kind: .users, mapping: mapping), "mapped.csv",
            "Employee GUID,Login,Surname,Notes\nQ0ND,cy@contoso.example,Young,free text\n")
        let created = try bench.events().last!
        #expect(created.stream == "user:Q0ND")
        #expect(created.data == ["attributes": ["userPrincipalName": "cy@contoso.example", "surname": "Young"]])
    }

    @Test(
        "every error names the file, the line and the column, and nothing is appended",
        arguments: [
            ("anchor,Email,User Name\nQUFB,a@contoso.example,a@contoso.example\nQkJC,not-an-address,b@contoso.example\n", 3, "Email", "rejected-event"),
            ("anchor,Shoe Size\nQUFB,42\n", 1, "Shoe Size", "invalid-field"),
            ("First Name\nAnn\n", 1, "anchor", "invalid-field"),
            ("anchor,User Name\n,a@contoso.example\n", 2, "anchor", "invalid-field"),
            ("anchor,User Name\nQUFB,a@contoso.example\nQUFB,a@contoso.example\n", 3, "anchor", "invalid-field"),
            ("anchor,User Name\nQUFB,a@contoso.example,extra\n", 2, nil, "invalid-field"),
            ("anchor,User Name,Status\nQUFB,a@contoso.example,maybe\n", 2, "Status", "invalid-field"),
            ("anchor,Title,User Name\n\"QUFB\",\"multi\nline\",a@contoso.example\nQkJC,x,\n", 4, "User Name", "rejected-event"),
        ] as [(String, Int, String?, String)])
    func errors(text: String, line: Int, field: String?, code: String) throws {
        let bench = try ImportBench()
        let error = #expect(throws: IngestError.self) {
            try bench.run(CSVImporter(kind: .users), "bad.csv", text)
        }
        #expect(error?.file == bench.path("bad.csv"))
        #expect(error?.line == line)
        #expect(error?.field == field)
        #expect(error?.code.name == code)
        #expect(error?.description.contains("contoso.example") == false)
        #expect(try bench.ledger.head().count == 0)
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
