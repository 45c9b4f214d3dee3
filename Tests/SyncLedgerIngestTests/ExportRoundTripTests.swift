import SyncLedgerDomain
import SyncLedgerIngest
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Export and restore")
struct ExportRoundTripTests {
    @Test("the canonical NDJSON export re-ingests into a new ledger with the same ids, versions and head hash")
    func exportReingest() throws {
        let directory = TemporaryDirectory()
        let source = try Fixtures.ledger(in: directory, name: "source.sqlite")
        try source.append { session in
            try session.append(Fixtures.tenantInitialized())
            try session.append(Fixtures.userCreated("A1", displayName: "Zoë \"Z\" O'Brien\n\u{200B}"))
            try session.append(Fixtures.userCreated("B1"))
            try session.append(Fixtures.titleChanged("A1", to: "Engineer"))
            try session.append(Fixtures.groupCreated("G1"))
            try session.append(Fixtures.memberAdded(group: "G1", user: "A1"))
        }
        var export = ""
        try source.forEachEvent { event in
            export += String(decoding: try CanonicalEventFormat.encode(event), as: UTF8.self) + "\n"
        }
        let file = directory.write("export.ndjson", export)

        let restored = try Ledger(path: directory.file("restored.sqlite"), mode: .createIfMissing, clock: FixedClock(Fixtures.at(999)))
        let summary = try EventIngestor(
            ledger: restored, defaults: EventDefaults(actor: "other", source: "other", clock: FixedClock(Fixtures.at(999)))
        ).ingestNDJSON(paths: [file])
        #expect(summary.appended == 6)

        let original = try source.events()
        let copy = try restored.events()
        #expect(copy.map(\.eventID) == original.map(\.eventID))
        #expect(copy.map(\.version) == original.map(\.version))
        #expect(copy.map(\.hash) == original.map(\.hash))
        #expect(copy.map(\.payload) == original.map(\.payload))
        #expect(try restored.head().hash == (try source.head().hash))
        #expect(try restored.verify().isIntact)
    }
}
