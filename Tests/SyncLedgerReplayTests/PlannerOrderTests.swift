import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerReplay
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Planner: the plan does not depend on the order the objects come in")
struct PlannerOrderTests {
    /// A full plan reads the users first and the other kinds beside them; the plan must be the
    /// one of the objects in stream order, command for command and wait for wait.
    @Test("objects in stream order, reversed or shuffled give the same plan, over random histories with runs",
          arguments: [21, 22, 23] as [UInt64])
    func anyOrder(seed: UInt64) throws {
        let harness = try ReplayHarness(mode: "universal-sync")
        var history = RandomHistory(seed: seed, everyKind: true)
        var random = SeededRandom(seed: seed &+ 7)
        for round in 1...4 {
            for _ in 0..<30 {
                let (type, stream, data) = history.nextEvent()
                try? harness.append(type, stream, data, actor: ["hr-import", "admin:jdoe"][Int(random.next() % 2)])
            }
            let ledger = harness.ledger
            try DirectoryProjector(ledger: ledger).catchUp()
            let objects = try Fixtures.directoryObjects(of: ledger)
            let settings = try ledger.tenantSettings()
            let office = OfficeState(journal: try ledger.journal(), runs: try ledger.replayRuns())
            let head = try ledger.directoryCheckpoint()
            func plan(_ order: [DirectoryObject]) throws -> Plan {
                try Planner(
                    tenant: "order", settings: settings, throughSeq: head, asOf: ledger.clock.now(), office: office,
                    population: { ["user-delete": 10, "group-delete": 10, "list-delete": 10, "membership-removal": 10] }
                ) { policy, body in
                    for object in order { try body(object, Planner.target(of: object, policy: policy)) }
                }
                .plan()
            }
            let inOrder = try plan(objects.sorted { $0.reference < $1.reference })
            #expect(!inOrder.commands.isEmpty, "round \(round)")
            var shuffled = objects
            shuffled.shuffle(using: &random)
            for (name, order) in [("reversed", objects.sorted { $0.reference > $1.reference }), ("shuffled", shuffled)] {
                let other = try plan(order)
                let context = "seed \(seed), round \(round), \(name)"
                #expect(other.commands == inOrder.commands, "\(context)")
                #expect(other.heldBack == inOrder.heldBack, "\(context)")
                #expect(other.waiting == inOrder.waiting, "\(context)")
                #expect(other.notPushable == inOrder.notPushable, "\(context)")
                #expect(other.retries == inOrder.retries, "\(context)")
                #expect(other.destructiveCounts == inOrder.destructiveCounts, "\(context)")
                #expect(other.scope.objectsPlanned == inOrder.scope.objectsPlanned, "\(context)")
                #expect(other.hash == inOrder.hash, "\(context)")
            }
            // A run: the next round plans against a journal (ids known, members sent).
            if try harness.emit(allowDestructive: true).emitted > 0 { try harness.simulateAndAck() }
        }
    }
}
