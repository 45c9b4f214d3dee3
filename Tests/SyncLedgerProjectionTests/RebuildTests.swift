import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

/// Random valid histories, reproducible from a seed.
struct RandomHistory {
    var random: SeededRandom
    var users: [String: (enabled: Bool, deleted: Bool)] = [:]
    var groups: [String: (members: Set<String>, pushed: Bool, deleted: Bool)] = [:]
    var next = 0

    init(seed: UInt64) { random = SeededRandom(seed: seed) }

    mutating func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }

    /// The next event type and data, valid against what came before.
    mutating func nextEvent() -> (String, ObjectRef, JSONValue) {
        let liveUsers = users.filter { !$0.value.deleted }.keys.sorted()
        let liveGroups = groups.filter { !$0.value.deleted }.keys.sorted()
        let roll = random.next() % 100
        if liveUsers.count < 3 || roll < 12 {
            next += 1
            let anchor = "U\(next)"
            users[anchor] = (true, false)
            return ("UserCreated", Fixtures.user(anchor), ["attributes": ["userPrincipalName": .string("\(anchor.lowercased())@contoso.example"), "displayName": .string(anchor)]])
        }
        if liveGroups.count < 2 || roll < 16 {
            next += 1
            let anchor = "G\(next)"
            groups[anchor] = ([], false, false)
            return ("GroupCreated", Fixtures.group(anchor), ["kind": "security", "displayName": .string(anchor), "mailNickname": .string(anchor.lowercased())])
        }
        let user = pick(liveUsers)
        let group = pick(liveGroups)
        switch roll {
        case 16..<40:
            let attribute = pick(["jobTitle", "department", "city", "x-note"])
            if random.next() % 4 == 0 {
                return ("UserUpdated", Fixtures.user(user), ["set": [:], "unset": [.string(attribute)]])
            }
            return ("UserUpdated", Fixtures.user(user), ["set": [attribute: .string("v\(random.next() % 5)")], "unset": []])
        case 40..<48:
            return ("DirectEditObserved", Fixtures.user(user), ["set": ["jobTitle": .string("edit\(random.next() % 3)")], "unset": []])
        case 48..<56:
            let enabled = users[user]!.enabled
            users[user]!.enabled.toggle()
            return (enabled ? "UserDeactivated" : "UserReactivated", Fixtures.user(user), [:])
        case 56..<64:
            return ("LicenseAssigned", Fixtures.user(user), ["skuId": .string(pick(["c7df2760-2c81-4ef7-b578-5b5392b571df", "18181a46-0d4e-45cd-891e-60aabd171b4e"]))])
        case 64..<68:
            return ("LicenseRemoved", Fixtures.user(user), ["skuId": "c7df2760-2c81-4ef7-b578-5b5392b571df"])
        case 68..<72:
            return ("RoleAssigned", Fixtures.user(user), ["roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10"])
        case 72..<86:
            groups[group]!.members.insert("user:\(user)")
            return ("MemberAdded", Fixtures.group(group), ["member": .string("user:\(user)")])
        case 86..<92:
            guard let member = groups[group]!.members.sorted().first else { return nextEvent() }
            groups[group]!.members.remove(member)
            return ("MemberRemoved", Fixtures.group(group), ["member": .string(member)])
        case 92..<95:
            let pushed = groups[group]!.pushed
            groups[group]!.pushed.toggle()
            return (pushed ? "GroupPushDisabled" : "GroupPushEnabled", Fixtures.group(group), [:])
        case 95..<97:
            users[user]!.deleted = true
            for name in groups.keys { groups[name]!.members.remove("user:\(user)") }
            return ("UserDeleted", Fixtures.user(user), [:])
        default:
            groups[group]!.deleted = true
            return ("GroupDeleted", Fixtures.group(group), [:])
        }
    }
}

@Suite("Rebuild and incremental folding")
struct RebuildTests {
    func allObjects(_ ledger: Ledger) throws -> [DirectoryObject] {
        var objects: [DirectoryObject] = []
        for kind in ObjectKind.directoryKinds { try ledger.forEachDirectoryObject(kind: kind) { objects.append($0) } }
        return objects
    }

    @Test("rebuild gives the same rows as incremental folding, over random histories", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func rebuildEqualsIncremental(seed: UInt64) throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        try ledger.append { session in try session.append(Fixtures.tenantInitialized()) }
        var generator = RandomHistory(seed: seed)
        var random = SeededRandom(seed: seed &+ 100)
        var minute: Int64 = 0
        for _ in 0..<40 {
            let batch = Int(random.next() % 15) + 1
            try ledger.append { session in
                for _ in 0..<batch {
                    let (type, stream, data) = generator.nextEvent()
                    minute += 1
                    try session.append(ProposedEvent(type: type, stream: stream, actor: "a", source: "s", occurredAt: Fixtures.at(minute), data: data))
                }
            }
            // Small, varying pass sizes fold in several passes over stored objects.
            try DirectoryProjector(ledger: ledger, objectsPerPass: Int(random.next() % 9) + 1).catchUp()
        }
        let incremental = try allObjects(ledger)
        #expect(incremental.count > 10)
        #expect(try ledger.directoryCheckpoint() == (try ledger.head().seq))

        try DirectoryProjector(ledger: ledger, objectsPerPass: 3).rebuild()
        let rebuilt = try allObjects(ledger)
        #expect(rebuilt == incremental)

        // And both equal the in-memory fold used for point-in-time queries.
        let folded = try DirectoryProjector(ledger: ledger).snapshot(at: .seq(try ledger.head().seq))
        #expect(Set(folded.objects.values) == Set(rebuilt))

        // A fold limited to one kind holds that kind's objects, the same ones, at the same point.
        let middle = try ledger.head().seq / 2
        let all = try DirectoryProjector(ledger: ledger).snapshot(at: .seq(middle))
        let users = try DirectoryProjector(ledger: ledger).snapshot(at: .seq(middle), kinds: [.user])
        #expect(users.throughSeq == middle)
        #expect(users.throughSeq == all.throughSeq)
        #expect(users.asOf == all.asOf)
        #expect(users.tenant == all.tenant)
        #expect(!users.objects.isEmpty)
        #expect(users.objects == all.objects.filter { $0.key.kind == .user })
    }

    @Test("a 100k-event history rebuilds in passes of bounded memory, every event folded once per object")
    func largeRebuild() throws {
        let directory = TemporaryDirectory()
        let ledger = try Fixtures.ledger(in: directory)
        let users = 5_000
        try ledger.append { session in
            for index in 0..<users {
                try session.append(Fixtures.userCreated("U\(index)", minutes: Int64(index)))
            }
            for round in 0..<19 {
                for index in 0..<users {
                    try session.append(Fixtures.titleChanged("U\(index)", to: "T\(round)", minutes: Int64(users + round * users + index)))
                }
            }
        }
        #expect(try ledger.head().count == 100_000)
        try DirectoryProjector(ledger: ledger).catchUp()
        let onePass = try allObjects(ledger)
        #expect(onePass.count == users)
        var reports = 0
        var lastDone: Int64 = 0
        // 5,000 users, at most 1,000 objects a pass: five passes over the 100k events.
        let folded = try DirectoryProjector(ledger: ledger, objectsPerPass: 1_000).rebuild { done, total in
            reports += 1
            #expect(done > lastDone)
            lastDone = done
            #expect(total == 500_000)
        }
        #expect(folded == 100_000)
        #expect(reports > 5)
        #expect(lastDone == 500_000)
        #expect(try allObjects(ledger) == onePass)
        let sample = try #require(try ledger.directoryObject(Fixtures.user("U4242")))
        #expect(sample.attributes["jobTitle"] == "T18")
        #expect(sample.version == 20)
    }
}
