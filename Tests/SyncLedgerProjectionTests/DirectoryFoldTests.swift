import SyncLedgerDomain
@testable import SyncLedgerProjection
import Testing

@Suite("DirectoryFold: the objects held, saved in the tables' key order")
struct DirectoryFoldTests {
    @Test("objects come out in their streams' UTF-8 byte order, past shared prefixes, long streams and non-ASCII anchors")
    func streamOrder() throws {
        let anchors = [
            "b", "a", "ab", "a-shared-prefix-0001", "a-shared-prefix-0000", "a-shared-prefix-000", "a-shared-prefix-00010",
            "é-after-every-ascii", "f", "Zoë日本", "Zoe", "zz", "00u1", "00u10", "00u1-",
            // Past the 48 bytes held whole: sharing them, and one byte either side.
            String(repeating: "q", count: 42), String(repeating: "q", count: 43), String(repeating: "q", count: 44),
            String(repeating: "q", count: 60) + "b", String(repeating: "q", count: 60) + "a", String(repeating: "q", count: 60),
        ]
        var streams: [String] = []
        var fold = DirectoryFold()
        for kind in [ObjectKind.user, .group, .contact, .resource] {
            for anchor in anchors {
                let reference = try ObjectRef(kind: kind, anchor: anchor)
                streams.append(reference.description)
                fold.hold(DirectoryObject(reference: reference), stream: reference.description)
            }
        }
        let expected = streams.indices.sorted { streams[$0].utf8.lexicographicallyPrecedes(streams[$1].utf8) }
        #expect(fold.slotsInStreamOrder() == expected)
        // Byte order, not String's: "é" (0xC3) sorts after every ASCII byte.
        #expect(streams[fold.slotsInStreamOrder().last!] == "user:é-after-every-ascii")
    }
}
