public import SyncLedgerDomain

/// Random valid histories, reproducible from a seed.
///
/// The default mix is users, security groups, memberships, licenses, a role and direct
/// edits. `everyKind` adds what a plan has to route: usage locations and managers,
/// distribution lists, contacts, resource mailboxes and role revocations.
public struct RandomHistory {
    public var random: SeededRandom
    public var users: [String: (enabled: Bool, deleted: Bool)] = [:]
    public var groups: [String: (members: Set<String>, pushed: Bool, deleted: Bool)] = [:]
    public var contacts: [String: Bool] = [:]
    public var resources: Set<String> = []
    public var everyKind: Bool
    var next = 0

    static let skus = ["c7df2760-2c81-4ef7-b578-5b5392b571df", "18181a46-0d4e-45cd-891e-60aabd171b4e"]
    static let role = "62e90394-69f5-4237-9190-012177145e10"

    public init(seed: UInt64, everyKind: Bool = false) {
        random = SeededRandom(seed: seed)
        self.everyKind = everyKind
    }

    public mutating func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }

    /// The next event type and data, valid against what came before.
    public mutating func nextEvent() -> (String, ObjectRef, JSONValue) {
        let liveUsers = users.filter { !$0.value.deleted }.keys.sorted()
        let liveGroups = groups.filter { !$0.value.deleted }.keys.sorted()
        if everyKind, random.next() % 5 == 0, let event = otherKindEvent(liveUsers: liveUsers, liveGroups: liveGroups) { return event }
        let roll = random.next() % 100
        if liveUsers.count < 3 || roll < 12 {
            next += 1
            let anchor = "U\(next)"
            users[anchor] = (true, false)
            var attributes: [String: JSONValue] = ["userPrincipalName": .string("\(anchor.lowercased())@contoso.example"), "displayName": .string(anchor)]
            if everyKind {
                if random.next() % 3 != 0 { attributes["usageLocation"] = "NO" }
                if !liveUsers.isEmpty, random.next() % 3 == 0 { attributes["manager"] = .string("user:\(pick(liveUsers))") }
            }
            return ("UserCreated", Fixtures.user(anchor), ["attributes": .object(attributes)])
        }
        if liveGroups.count < 2 || roll < 16 {
            next += 1
            let anchor = "G\(next)"
            groups[anchor] = ([], false, false)
            let kind = everyKind && random.next() % 3 == 0 ? "distribution" : "security"
            var data: [String: JSONValue] = ["kind": .string(kind), "displayName": .string(anchor), "mailNickname": .string(anchor.lowercased())]
            if everyKind, random.next() % 3 == 0, !liveUsers.isEmpty { data["managedBy"] = [.string("user:\(pick(liveUsers))")] }
            return ("GroupCreated", Fixtures.group(anchor), .object(data))
        }
        let user = pick(liveUsers)
        let group = pick(liveGroups)
        switch roll {
        case 16..<40:
            let attribute = pick(everyKind ? ["jobTitle", "department", "city", "x-note", "usageLocation", "manager"] : ["jobTitle", "department", "city", "x-note"])
            if random.next() % 4 == 0 {
                return ("UserUpdated", Fixtures.user(user), ["set": [:], "unset": [.string(attribute)]])
            }
            let value: JSONValue = switch attribute {
            case "usageLocation": .string(pick(["NO", "SE"]))
            case "manager": .string("user:\(pick(liveUsers))")
            default: .string("v\(random.next() % 5)")
            }
            return ("UserUpdated", Fixtures.user(user), ["set": [attribute: value], "unset": []])
        case 40..<48:
            return ("DirectEditObserved", Fixtures.user(user), ["set": ["jobTitle": .string("edit\(random.next() % 3)")], "unset": []])
        case 48..<56:
            let enabled = users[user]!.enabled
            users[user]!.enabled.toggle()
            return (enabled ? "UserDeactivated" : "UserReactivated", Fixtures.user(user), [:])
        case 56..<64:
            return ("LicenseAssigned", Fixtures.user(user), ["skuId": .string(pick(Self.skus))])
        case 64..<68:
            return ("LicenseRemoved", Fixtures.user(user), ["skuId": .string(Self.skus[0])])
        case 68..<72:
            if everyKind, random.next() % 2 == 0 { return ("RoleRevoked", Fixtures.user(user), ["roleDefinitionId": .string(Self.role)]) }
            return ("RoleAssigned", Fixtures.user(user), ["roleDefinitionId": .string(Self.role)])
        case 72..<86:
            let member = everyKind && random.next() % 4 == 0 ? contacts.filter(\.value).keys.sorted().first.map { "contact:\($0)" } : nil
            groups[group]!.members.insert(member ?? "user:\(user)")
            return ("MemberAdded", Fixtures.group(group), ["member": .string(member ?? "user:\(user)")])
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

    /// A contact or resource mailbox event.
    mutating func otherKindEvent(liveUsers: [String], liveGroups: [String]) -> (String, ObjectRef, JSONValue)? {
        let liveContacts = contacts.filter(\.value).keys.sorted()
        switch random.next() % 6 {
        case 0, 1:
            next += 1
            let anchor = "C\(next)"
            contacts[anchor] = true
            return ("ContactCreated", try! ObjectRef(kind: .contact, anchor: anchor),
                    ["displayName": .string(anchor), "externalEmailAddress": .string("\(anchor.lowercased())@partner.example"), "mailNickname": .string(anchor.lowercased())])
        case 2:
            guard !liveContacts.isEmpty else { return nil }
            return ("ContactUpdated", try! ObjectRef(kind: .contact, anchor: pick(liveContacts)), ["set": ["city": .string("v\(random.next() % 3)")], "unset": []])
        case 3:
            guard let anchor = liveContacts.first else { return nil }
            contacts[anchor] = false
            for name in groups.keys { groups[name]!.members.remove("contact:\(anchor)") }
            return ("ContactDeleted", try! ObjectRef(kind: .contact, anchor: anchor), [:])
        case 4:
            next += 1
            let anchor = "R\(next)"
            resources.insert(anchor)
            return ("ResourceCreated", try! ObjectRef(kind: .resource, anchor: anchor), ["kind": "room", "displayName": .string(anchor), "alias": .string(anchor.lowercased())])
        default:
            guard let anchor = resources.sorted().first else { return nil }
            return ("ResourceUpdated", try! ObjectRef(kind: .resource, anchor: anchor), ["set": ["capacity": .int(Int64(random.next() % 20) + 1)], "unset": []])
        }
    }
}
