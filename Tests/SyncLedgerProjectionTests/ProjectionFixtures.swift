import SyncLedgerDomain
import SyncLedgerStore
import SyncLedgerTestSupport

/// Builds histories for projection tests.
struct History {
    let directory = TemporaryDirectory()
    let ledger: Ledger
    private var minute: Int64 = 0

    init(mode: String = "profile-sync", directorySync: String = "none") throws {
        ledger = try Fixtures.ledger(in: directory)
        try append(
            "TenantInitialized", .tenant, ["name": "contoso", "mode": .string(mode), "directorySync": .string(directorySync)])
    }

    /// Appends one event `minute` minutes after the previous one.
    mutating func append(_ type: String, _ stream: ObjectRef, _ data: JSONValue = [:], actor: String = "hr-import", minutesLater: Int64 = 1) throws {
        minute += minutesLater
        let event = ProposedEvent(
            type: type, stream: stream, actor: actor, source: "test", occurredAt: Fixtures.at(minute), data: data)
        try ledger.append { session in try session.append(event) }
    }

    /// The time of the last event appended.
    var now: Timestamp { Fixtures.at(minute) }

    static func user(_ anchor: String) -> ObjectRef { Fixtures.user(anchor) }
    static func group(_ anchor: String) -> ObjectRef { Fixtures.group(anchor) }
    static func contact(_ anchor: String) -> ObjectRef { try! ObjectRef(kind: .contact, anchor: anchor) }
    static func resource(_ anchor: String) -> ObjectRef { try! ObjectRef(kind: .resource, anchor: anchor) }

    /// A user with a basic, a limited-extended and an all-extended attribute, and a site-specific one.
    mutating func createUser(_ anchor: String, minutesLater: Int64 = 1) throws {
        try append(
            "UserCreated", Self.user(anchor),
            [
                "attributes": [
                    "userPrincipalName": .string("\(anchor.lowercased())@contoso.example"), "displayName": "Display",
                    "department": "Engineering", "companyName": "Contoso", "x-costCenter": "4711",
                ]
            ], minutesLater: minutesLater)
    }
}
