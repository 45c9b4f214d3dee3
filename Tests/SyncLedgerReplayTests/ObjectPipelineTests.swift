import SyncLedgerDomain
import SyncLedgerProjection
@testable import SyncLedgerReplay
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("ObjectPipeline: a full plan's objects read on a second connection, a batch ahead")
struct ObjectPipelineTests {
    /// A ledger with more users than the pipeline holds ahead, and a few groups.
    func ledger(in directory: TemporaryDirectory) throws -> Ledger {
        let ledger = try Fixtures.ledger(in: directory)
        let users = ObjectPipeline.batchSize * (ObjectPipeline.batchesAhead + 2) + 17
        try ledger.append { session in
            for index in 0..<users { try session.append(Fixtures.userCreated("U\(index)", minutes: Int64(index))) }
            for index in 0..<3 { try session.append(Fixtures.groupCreated("G\(index)", minutes: Int64(users + index))) }
        }
        try DirectoryProjector(ledger: ledger).catchUp()
        return ledger
    }

    static let kinds = ObjectKind.directoryKinds.sorted { $0.rawValue < $1.rawValue }

    @Test("every object comes once, kind by kind, in the order one connection reads them, however far it reads ahead",
          arguments: [1, ObjectPipeline.batchesAhead, 1_000])
    func order(batchesAhead: Int) throws {
        let directory = TemporaryDirectory()
        let ledger = try ledger(in: directory)
        var expected: [DirectoryObject] = []
        for kind in Self.kinds { try ledger.forEachDirectoryObject(kind: kind) { expected.append($0) } }
        var found: [DirectoryObject] = []
        let pipeline = ObjectPipeline(
            path: ledger.path, clock: ledger.clock, throughSeq: try ledger.head().seq, kinds: Self.kinds, policy: nil, cacheKiB: 256,
            batchesAhead: batchesAhead)
        try pipeline.forEach { object, target in
            #expect(target == nil)
            found.append(object)
        }
        pipeline.stop()
        // The caller compares it with its own: both connections read the same log.
        #expect(pipeline.headHash != nil)
        #expect(pipeline.headHash == (try ledger.eventHash(at: try ledger.head().seq)))
        #expect(found.count == expected.count)
        #expect(found == expected)
        #expect(found.first?.reference.kind == .group)
    }

    @Test("with a policy, each object comes with the target the planner would work out for it")
    func targets() throws {
        let directory = TemporaryDirectory()
        let ledger = try ledger(in: directory)
        let policy = try #require(TargetPolicy(settings: try ledger.tenantSettings(), mode: .universalSync, at: ledger.clock.now()))
        let pipeline = ObjectPipeline(
            path: ledger.path, clock: ledger.clock, throughSeq: try ledger.head().seq, kinds: Self.kinds, policy: policy, cacheKiB: 256)
        var withTargets = 0
        try pipeline.forEach { object, target in
            #expect(target == Planner.target(of: object, policy: policy), "\(object.reference)")
            if target != nil { withTargets += 1 }
        }
        pipeline.stop()
        #expect(pipeline.policy == policy)
        #expect(withTargets > ObjectPipeline.batchSize)
    }

    @Test("the planner's error stops the reader and goes on; the reader's error reaches the planner after the objects before it")
    func errors() throws {
        struct PlannerFailure: Error {}
        let directory = TemporaryDirectory()
        let ledger = try ledger(in: directory)
        // The planner fails on the first object, while the reader waits for room.
        let pipeline = ObjectPipeline(path: ledger.path, clock: ledger.clock, throughSeq: try ledger.head().seq, kinds: Self.kinds, policy: nil, cacheKiB: 256)
        #expect(throws: PlannerFailure.self) { try pipeline.forEach { _, _ in throw PlannerFailure() } }
        pipeline.stop()  // returns: the reader has ended

        // A stored object that cannot be read, past the first batches.
        _ = try SQLiteShell.run(ledger.path, "UPDATE directory_objects SET attributes = '{' WHERE stream = 'user:U999'")
        var read: [String] = []
        let broken = ObjectPipeline(path: ledger.path, clock: ledger.clock, throughSeq: try ledger.head().seq, kinds: Self.kinds, policy: nil, cacheKiB: 256)
        #expect(throws: (any Error).self) { try broken.forEach { object, _ in read.append(object.reference.anchor) } }
        #expect(read.count > ObjectPipeline.batchSize)
        #expect(!read.contains("U999"))
        #expect(read.last.map { $0 < "U999" } == true)

        // A ledger that is not there.
        let missing = ObjectPipeline(path: directory.file("missing.sqlite"), clock: ledger.clock, throughSeq: 1, kinds: Self.kinds, policy: nil, cacheKiB: 256)
        #expect(throws: (any Error).self) { try missing.forEach { _, _ in } }
    }
}
