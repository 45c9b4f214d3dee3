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

    @Test("new objects beyond one batch are saved as one by one, every one, whatever the order given")
    func newObjectsInBatches() throws {
        let directory = TemporaryDirectory()
        let batched = try Fixtures.ledger(in: directory, name: "batched.sqlite")
        let oneByOne = try Fixtures.ledger(in: directory, name: "one-by-one.sqlite")
        // Seven full batches and a part-full one, with every kind of relation.
        let count = 7 * DirectoryStateWriter.saveBatchSize + 5
        var objects: [DirectoryObject] = []
        for index in 0..<count {
            let kind = ObjectKind.directoryKinds[index % 4]
            var object = DirectoryObject(reference: try ObjectRef(kind: kind, anchor: "o\(index)"))
            object.attributes = AttributeMap(["displayName": .string("Object \(index)"), "rank": .int(Int64(index))])
            object.version = Int64(index + 1)
            if kind == .user {
                object.licenses = ["sku-\(index % 3)": index % 2 == 0 ? [] : ["plan-a", "plan-b"]]
                object.roles = ["role-\(index % 5)"]
            }
            if kind == .group { object.members = Set((0..<(index % 7)).map { "user:o\($0 * 4)" }) }
            objects.append(object)
        }
        // Not the streams' order: each row is inserted where its key goes.
        let order = Array((0..<count).reversed())
        try batched.updateDirectoryState { try $0.saveNew(objects, order: order) }
        try oneByOne.updateDirectoryState { writer in
            for object in objects { try writer.save(object, original: nil) }
        }
        let saved = try Fixtures.directoryObjects(of: batched)
        #expect(saved.count == count)
        #expect(saved == (try Fixtures.directoryObjects(of: oneByOne)))
    }

    @Test("a row that fails partway through the batches fails the save, and leaves nothing")
    func newObjectsFailing() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        var objects = try (0..<(20 * DirectoryStateWriter.saveBatchSize)).map {
            DirectoryObject(reference: try ObjectRef(kind: .user, anchor: "u\($0)"))
        }
        // The tenant is not a directory object: `directory_objects` refuses its kind.
        objects[3 * DirectoryStateWriter.saveBatchSize + 7] = DirectoryObject(reference: .tenant)
        #expect(throws: (any Error).self) {
            try ledger.updateDirectoryState { try $0.saveNew(objects, order: Array(objects.indices)) }
        }
        #expect(try Fixtures.directoryObjects(of: ledger).isEmpty)
    }
}
