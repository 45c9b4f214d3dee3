public import SyncLedgerDomain
public import SyncLedgerStore

/// Events and ledgers that tests share.
public enum Fixtures {
    /// 2026-01-05T09:00:00Z.
    public static let epoch = Timestamp(rfc3339: "2026-01-05T09:00:00Z")!

    /// A clock fixed at ``epoch``.
    public static let clock = FixedClock(epoch)

    /// A new ledger in `directory`.
    public static func ledger(in directory: TemporaryDirectory, name: String = "ledger.sqlite") throws -> Ledger {
        try Ledger(path: directory.file(name), mode: .createIfMissing, clock: clock)
    }

    /// `TenantInitialized` for a tenant in profile-sync.
    public static func tenantInitialized(name: String = "contoso", mode: String = "profile-sync") -> ProposedEvent {
        ProposedEvent(
            id: "00000000-0000-7000-8000-000000000001", type: "TenantInitialized", stream: .tenant, actor: "admin:setup",
            source: "syncledger", occurredAt: epoch, data: ["name": .string(name), "mode": .string(mode)])
    }

    /// A user reference.
    public static func user(_ anchor: String) -> ObjectRef {
        try! ObjectRef(kind: .user, anchor: anchor)
    }

    /// A group reference.
    public static func group(_ anchor: String) -> ObjectRef {
        try! ObjectRef(kind: .group, anchor: anchor)
    }

    /// `UserCreated` for `anchor`, `minutes` after ``epoch``.
    public static func userCreated(
        _ anchor: String, upn: String? = nil, displayName: String = "Test User", minutes: Int64 = 1,
        actor: String = "hr-import", expectedVersion: Int64? = nil
    ) -> ProposedEvent {
        ProposedEvent(
            type: "UserCreated", stream: user(anchor), actor: actor, source: "workday", occurredAt: at(minutes),
            expectedVersion: expectedVersion,
            data: [
                "attributes": [
                    "userPrincipalName": .string(upn ?? "\(anchor.lowercased())@contoso.example"),
                    "displayName": .string(displayName),
                ]
            ])
    }

    /// `UserUpdated` setting `jobTitle`.
    public static func titleChanged(
        _ anchor: String, to title: String, minutes: Int64 = 2, actor: String = "hr-import",
        expectedVersion: Int64? = nil
    ) -> ProposedEvent {
        ProposedEvent(
            type: "UserUpdated", stream: user(anchor), actor: actor, source: "workday", occurredAt: at(minutes),
            expectedVersion: expectedVersion, data: ["set": ["jobTitle": .string(title)], "unset": []])
    }

    /// `GroupCreated` for a security group.
    public static func groupCreated(_ anchor: String, minutes: Int64 = 1) -> ProposedEvent {
        ProposedEvent(
            type: "GroupCreated", stream: group(anchor), actor: "hr-import", source: "ad", occurredAt: at(minutes),
            data: ["kind": "security", "displayName": .string("Group \(anchor)"), "mailNickname": .string(anchor)])
    }

    /// `MemberAdded` of a user to a group.
    public static func memberAdded(group anchor: String, user member: String, minutes: Int64 = 3) -> ProposedEvent {
        ProposedEvent(
            type: "MemberAdded", stream: group(anchor), actor: "hr-import", source: "ad", occurredAt: at(minutes),
            data: ["member": .string(user(member).description)])
    }

    /// Every object of `ledger`'s directory state, kind by kind, each kind in anchor order.
    public static func directoryObjects(of ledger: Ledger) throws -> [DirectoryObject] {
        var objects: [DirectoryObject] = []
        for kind in ObjectKind.directoryKinds { try ledger.forEachDirectoryObject(kind: kind) { objects.append($0) } }
        return objects
    }

    /// A new ledger in `directory` holding the tenant and group G1 with `members` users in it
    /// (U0, U1, …), each created and added at its own minute; its directory not folded.
    public static func groupLedger(in directory: TemporaryDirectory, members: Int) throws -> Ledger {
        let ledger = try Self.ledger(in: directory)
        try ledger.append { session in
            try session.append(tenantInitialized())
            try session.append(groupCreated("G1"))
            for index in 0..<members {
                try session.append(userCreated("U\(index)", minutes: Int64(10 + index)))
                try session.append(memberAdded(group: "G1", user: "U\(index)", minutes: Int64(10 + index)))
            }
        }
        return ledger
    }

    /// ``epoch`` plus `minutes`.
    public static func at(_ minutes: Int64) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: epoch.millisecondsSinceEpoch + minutes * 60_000)
    }
}
