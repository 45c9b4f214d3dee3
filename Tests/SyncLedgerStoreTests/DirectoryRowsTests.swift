import Foundation
import SyncLedgerDomain
@testable import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Reading the directory state by kind")
struct DirectoryRowsTests {
    @Test("a kind's objects are its key range, in anchor order, none of another kind; no index of their own")
    func objectsOfOneKind() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        // Anchors that sort around the range's ends: ':' and ';' inside them, and bytes
        // below and above both.
        let anchors = ["a", "a:b", "a;b", "0", "~", ":", ";", "Z9", "é"]
        var expected: [ObjectKind: [String]] = [:]
        try ledger.updateDirectoryState { writer in
            for kind in ObjectKind.directoryKinds {
                for anchor in anchors {
                    try writer.save(DirectoryObject(reference: ObjectRef(kind: kind, anchor: anchor)), original: nil)
                }
                expected[kind] = anchors.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            }
        }
        for kind in ObjectKind.directoryKinds {
            var read: [ObjectRef] = []
            try ledger.forEachDirectoryObject(kind: kind) { read.append($0.reference) }
            #expect(read.allSatisfy { $0.kind == kind })
            #expect(read.map(\.anchor) == expected[kind])
        }

        let path = directory.file("ledger.sqlite")
        let indexes = try SQLiteShell.run(path, "SELECT name FROM sqlite_schema WHERE tbl_name = 'directory_objects' AND type = 'index'").output
        #expect(!indexes.contains("directory_objects_by_kind"))
        let plan = try SQLiteShell.run(path, "EXPLAIN QUERY PLAN \(DirectoryRows.objectsOfKind)").output
        #expect(plan.contains("SEARCH directory_objects USING PRIMARY KEY (stream>? AND stream<?)"), "\(plan)")
    }

    @Test("a new group's members are saved whole, one or many, whatever their anchors hold")
    func newGroupMembers() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        // Characters JSON escapes, non-ASCII, and a member that looks like JSON.
        let anchors = [#"q"uote"#, #"back\slash"#, "é日本", "[1]", #"{"a":1}"#, #"u\u0041"#, "plain"]
        var group = DirectoryObject(reference: try ObjectRef(kind: .group, anchor: "many"))
        group.members = Set(try anchors.map { try ObjectRef(kind: .user, anchor: $0).description })
        var single = DirectoryObject(reference: try ObjectRef(kind: .group, anchor: "one"))
        single.members = [try ObjectRef(kind: .contact, anchor: #"a"b"#).description]
        let empty = DirectoryObject(reference: try ObjectRef(kind: .group, anchor: "none"))
        try ledger.updateDirectoryState { writer in
            try writer.saveNew([group, single, empty], order: [2, 0, 1])
        }
        for saved in [group, single, empty] {
            let read = try ledger.updateDirectoryState { try $0.load(saved.reference) }
            #expect(read?.members == saved.members, "\(saved.reference)")
        }
    }
}

