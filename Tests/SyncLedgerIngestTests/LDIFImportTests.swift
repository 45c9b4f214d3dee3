import SyncLedgerDomain
import SyncLedgerIngest
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Importing LDIF")
struct LDIFImportTests {
    /// What `ldifde -f export.ldf` writes, trimmed: a group before its members (forward DNs),
    /// a folded line, base64 values, comments, a disabled account, a room, a computer.
    static let export = """
        version: 1

        # Groups first: members are resolved across the whole file.
        dn:: Q049R3VpZGVzLE9VPUdyb3VwcyxEQz1jb250b3NvLERDPWV4YW1wbGU=
        changetype: add
        objectClass: top
        objectClass: group
        cn: Guides
        sAMAccountName: guides
        groupType: -2147483646
        member: CN=Asa Oberg,OU=People,DC=contoso,DC=example
        member: CN=Bob Smith,OU=People,
         DC=contoso,DC=example
        objectGUID:: eFY0EquQ780SNFZ4kKvNAA==

        dn: CN=Asa Oberg,OU=People,DC=contoso,DC=example
        changetype: add
        objectClass: top
        objectClass: person
        objectClass: organizationalPerson
        objectClass: user
        givenName:: w4VzYQ==
        sn: Oberg
        displayName:: w4VzYSDDlmJlcmc=
        userPrincipalName: asa@contoso.example
        mail: asa@contoso.example
        title: Tour Guide
        l: Stockholm
        telephoneNumber: +46 8 555 0100
        manager: CN=Bob Smith,OU=People,DC=contoso,DC=example
        userAccountControl: 512
        whenCreated: 20260105090000.0Z
        objectGUID:: eFY0EquQ780SNFZ4kKvNAQ==

        dn: CN=Bob Smith,OU=People,DC=contoso,DC=example
        changetype: add
        objectClass: user
        sn: Smith
        userPrincipalName: bob@contoso.example
        description: A long description that ldifde folded because it is longer than se
         venty-six characters
        userAccountControl: 514
        objectGUID:: eFY0EquQ780SNFZ4kKvNAg==

        dn: CN=Room 1,OU=Rooms,DC=contoso,DC=example
        objectClass: user
        displayName: Room 1
        mailNickname: room1
        msExchRecipientTypeDetails: 16
        msExchResourceCapacity: 12
        objectGUID:: eFY0EquQ780SNFZ4kKvNAw==

        dn: CN=Partner,OU=Contacts,DC=contoso,DC=example
        objectClass: contact
        cn: Partner
        targetAddress: SMTP:partner@fabrikam.example
        objectGUID:: eFY0EquQ780SNFZ4kKvNBA==

        dn: CN=WS01,OU=Computers,DC=contoso,DC=example
        objectClass: computer
        objectGUID:: eFY0EquQ780SNFZ4kKvNBQ==

        """

    @Test("an ldifde export: kinds, anchors, AD names, folded lines, base64, forward member DNs")
    func export() throws {
        let bench = try ImportBench()
        let summary = try bench.run(LDIFImporter(), "export.ldf", Self.export)
        #expect(summary.skipped == 1)
        let events = try bench.events()
        let asa = try #require(events.first { $0.stream == "user:eFY0EquQ780SNFZ4kKvNAQ==" && $0.type == "UserCreated" })
        let attributes = asa.data["attributes"]
        #expect(attributes?["givenName"] == "Åsa")
        #expect(attributes?["displayName"] == "Åsa Öberg")
        #expect(attributes?["surname"] == "Oberg")
        #expect(attributes?["jobTitle"] == "Tour Guide")
        #expect(attributes?["city"] == "Stockholm")
        #expect(attributes?["businessPhones"] == ["+46 8 555 0100"])
        #expect(attributes?["x-distinguishedName"] == "CN=Asa Oberg,OU=People,DC=contoso,DC=example")
        let bob = try #require(events.first { $0.stream == "user:eFY0EquQ780SNFZ4kKvNAg==" && $0.type == "UserCreated" })
        #expect(bob.data["attributes"]?["description"] == "A long description that ldifde folded because it is longer than seventy-six characters")
        #expect(events.contains { $0.stream == "user:eFY0EquQ780SNFZ4kKvNAg==" && $0.type == "UserDeactivated" })
        #expect(events.contains { $0.type == "UserUpdated" && $0.data == ["set": ["manager": "user:eFY0EquQ780SNFZ4kKvNAg=="]] })
        let group = try #require(events.first { $0.type == "GroupCreated" })
        #expect(group.data["kind"] == "security")
        #expect(group.data["displayName"] == "Guides")
        #expect(group.data["mailNickname"] == "guides")
        #expect(events.filter { $0.type == "MemberAdded" }.count == 2)
        let room = try #require(events.first { $0.type == "ResourceCreated" })
        #expect(room.data["kind"] == "room")
        #expect(room.data["capacity"] == 12)
        #expect(room.data["alias"] == "room1")
        let contact = try #require(events.first { $0.type == "ContactCreated" })
        #expect(contact.data["externalEmailAddress"] == "partner@fabrikam.example")

        let again = try bench.run(LDIFImporter(), "export.ldf", Self.export)
        #expect(again.appended == 0)
    }

    @Test("change records: modify with - separators, member by DN from the ledger, modrdn, delete")
    func changeRecords() throws {
        let bench = try ImportBench()
        try bench.run(LDIFImporter(), "export.ldf", Self.export)
        let before = try bench.events().count
        let changes = """
            dn: CN=Asa Oberg,OU=People,DC=contoso,DC=example
            changetype: modify
            replace: title
            title: Senior Guide
            -
            add: telephoneNumber
            telephoneNumber: +46 8 555 0199
            -
            delete: l
            -

            dn: cn=guides, ou=groups, dc=contoso, dc=example
            changetype: modify
            delete: member
            member: CN=Bob Smith,OU=People,DC=contoso,DC=example
            -

            dn: CN=Bob Smith,OU=People,DC=contoso,DC=example
            changetype: modrdn
            newrdn: CN=Robert Smith
            deleteoldrdn: 1

            dn: CN=Robert Smith,OU=People,DC=contoso,DC=example
            changetype: delete

            """
        try bench.run(LDIFImporter(), "changes.ldf", changes)
        let events = try bench.events(after: before)
        #expect(events.map(\.type) == ["UserUpdated", "MemberRemoved", "UserUpdated", "UserDeleted"])
        #expect(
            events[0].data == [
                "set": ["jobTitle": "Senior Guide", "businessPhones": ["+46 8 555 0100", "+46 8 555 0199"]], "unset": ["city"],
            ])
        #expect(events[2].data == ["set": ["x-distinguishedName": "CN=Robert Smith,OU=People,DC=contoso,DC=example"]])
    }

    @Test(
        "errors name the line and the attribute; nothing is appended",
        arguments: [
            ("dn: CN=G,DC=x\nobjectClass: group\ncn: G\nobjectGUID:: eFY0EquQ780SNFZ4kKvNAA==\nmember: CN=Nobody,DC=x\n", 5, "member"),
            ("dn: CN=U,DC=x\nobjectClass: user\nuserPrincipalName: u@contoso.example\n", 1, "objectGUID"),
            ("dn: CN=U,DC=x\nobjectClass: user\nobjectGUID:: not*base64\n", 3, "objectGUID"),
            ("dn: CN=U,DC=x\nchangetype: modify\nreplace: title\ntitle: x\n-\n", 1, "dn"),
            ("dn: CN=U,DC=x\nchangetype: rename\n", 2, "changetype"),
            ("dn: CN=U,DC=x\nobjectClass: user\nobjectGUID:: eFY0EquQ780SNFZ4kKvNAQ==\nuserPrincipalName: not-mail\n", 1, "userPrincipalName"),
            ("objectClass: user\n", 1, "dn"),
            ("dn: CN=U,DC=x\nobjectClass: user\nobjectGUID:: eFY0EquQ780SNFZ4kKvNAQ==\nuserPrincipalName: u@contoso.example\nmsExchResourceCapacity: many\n", 5, "msExchResourceCapacity"),
        ] as [(String, Int, String)])
    func errors(text: String, line: Int, field: String) throws {
        let bench = try ImportBench()
        let error = #expect(throws: IngestError.self) {
            try bench.run(LDIFImporter(), "bad.ldf", text)
        }
        #expect(error?.file == bench.path("bad.ldf"))
        #expect(error?.line == line)
        #expect(error?.field == field)
        #expect(error?.description.contains("contoso.example") == false)
        #expect(try bench.ledger.head().count == 0)
    }
}
