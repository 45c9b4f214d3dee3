import SyncLedgerDomain
import Testing

@Suite("Lifecycle, references and catalog checks")
struct LifecycleTests {
    @Test func updateBeforeCreate() {
        var ledger = MemoryLedger(mode: .universalSync)
        for (type, data) in [
            ("UserUpdated", ["set": ["city": "Oslo"]]), ("UserDeactivated", [:]), ("UserReactivated", [:]),
            ("UserDeleted", [:]), ("LicenseRemoved", ["skuId": "c7df2760-2c81-4ef7-b578-5b5392b571df"]),
            ("DirectEditObserved", ["unset": ["city"]]),
        ] as [(String, JSONValue)] {
            let refusal = ledger.refusal(type, user("u"), data)
            expectError(refusal, .lifecycleViolation, field: "type")
            #expect(refusal?.message.contains("has not been created") == true, "\(type)")
        }
        expectError(ledger.refusal("MemberAdded", group("g"), ["member": "user:u"]), .lifecycleViolation, field: "type")
        expectError(ledger.refusal("ContactUpdated", contact("c"), ["set": ["city": "Oslo"]]), .lifecycleViolation, field: "type")
        expectError(ledger.refusal("ResourceDeleted", resource("r")), .lifecycleViolation, field: "type")
        #expect(ledger.head(user("u")) == .absent)
    }

    @Test func userLifecycle() throws {
        var ledger = MemoryLedger(mode: .universalSync)
        try ledger.createUser("u")
        #expect(ledger.head(user("u")).state == .active)
        expectError(ledger.refusal("UserCreated", user("u"), ["userPrincipalName": "u@c.com"]), .lifecycleViolation, field: "type")
        expectError(ledger.refusal("UserReactivated", user("u")), .lifecycleViolation, field: "type")
        try ledger.append("UserDeactivated", user("u"))
        #expect(ledger.head(user("u")).state == .inactive)
        expectError(ledger.refusal("UserDeactivated", user("u")), .lifecycleViolation, field: "type")
        try ledger.append("UserUpdated", user("u"), ["set": ["jobTitle": "x"]])
        try ledger.append("UserReactivated", user("u"))
        #expect(ledger.head(user("u")).state == .active)
        try ledger.append("UserDeactivated", user("u"))
        try ledger.append("UserDeleted", user("u"))
        #expect(ledger.head(user("u")).state == .deleted)
        for type in ["UserUpdated", "UserDeleted", "UserReactivated", "LicenseAssigned"] {
            let refusal = ledger.refusal(type, user("u"), type == "UserUpdated" ? ["set": ["city": "x"]] : [:])
            #expect(refusal?.code == .lifecycleViolation || refusal?.code == .invalidData, "\(type)")
        }
        expectError(ledger.refusal("UserUpdated", user("u"), ["set": ["city": "x"]]), .lifecycleViolation, field: "type")
        #expect(ledger.refusal("UserUpdated", user("u"), ["set": ["city": "x"]])?.message.contains("deleted") == true)
        // Nothing after delete except a new create.
        try ledger.createUser("u")
        #expect(ledger.head(user("u")).state == .active)
        #expect(ledger.head(user("u")).version == 7)
    }

    @Test func groupAndResourceSubtypes() throws {
        var ledger = MemoryLedger(mode: .universalSync)
        try ledger.createGroup("g", kind: "distribution")
        #expect(ledger.head(group("g")).subtype == "distribution")
        try ledger.append("GroupDeleted", group("g"))
        try ledger.createGroup("g", kind: "security")
        #expect(ledger.head(group("g")) == StreamHead(version: 3, state: .active, subtype: "security", pushed: false))
        try ledger.append("ResourceCreated", resource("r"), ["kind": "equipment", "displayName": "P", "alias": "p"])
        #expect(ledger.head(resource("r")).subtype == "equipment")
        #expect(ledger.head(contact("none")).subtype == nil)
    }

    @Test func danglingMembers() throws {
        var ledger = MemoryLedger(mode: .universalSync)
        try ledger.createGroup("g")
        try ledger.createGroup("h")
        try ledger.createUser("u")
        expectError(ledger.refusal("MemberAdded", group("g"), ["member": "user:nobody"]), .danglingReference, field: "data.member")
        try ledger.append("MemberAdded", group("g"), ["member": "user:u"])
        try ledger.append("MemberAdded", group("g"), ["member": "group:h"])
        try ledger.append("UserDeleted", user("u"))
        expectError(ledger.refusal("MemberAdded", group("h"), ["member": "user:u"]), .danglingReference, field: "data.member")
        // Removing a membership of an object deleted since is allowed; of one never created, not.
        try ledger.append("MemberRemoved", group("g"), ["member": "user:u"])
        expectError(ledger.refusal("MemberRemoved", group("g"), ["member": "contact:x"]), .danglingReference, field: "data.member")
        try ledger.append("GroupDeleted", group("h"))
        expectError(ledger.refusal("UserCreated", user("v"), ["userPrincipalName": "v@c.com", "manager": "user:u"]), .danglingReference,
            field: "data.manager")
    }

    @Test func envelopeTypeAndKind() {
        var ledger = MemoryLedger(mode: .universalSync)
        expectError(ledger.refusal("UserInvented", user("u")), .unknownEventType, field: "type")
        expectError(ledger.refusal("userCreated", user("u")), .unknownEventType, field: "type")
        expectError(ledger.refusal("UserCreated", group("g"), ["userPrincipalName": "u@c.com"]), .wrongStreamKind, field: "object")
        expectError(ledger.refusal("ModeChanged", user("u"), ["mode": "user-sync"]), .wrongStreamKind, field: "object")
        expectError(ledger.refusal("GroupCreated", .tenant, [:]), .wrongStreamKind, field: "object")
        expectError(ledger.refusal("UserDeleted", user("u"), "oops"), .invalidEnvelope, field: "data")
    }

    @Test func schemaVersions() throws {
        var ledger = MemoryLedger(mode: .universalSync)
        expectError(ledger.refusal("UserCreated", user("u"), ["userPrincipalName": "u@c.com"], schemaVersion: 2),
            .unsupportedSchemaVersion, field: "schema_version")
        expectError(ledger.refusal("UserCreated", user("u"), ["userPrincipalName": "u@c.com"], schemaVersion: 0),
            .unsupportedSchemaVersion, field: "schema_version")
        let admission = try ledger.append("UserCreated", user("u"), ["userPrincipalName": "u@c.com"], schemaVersion: 1)
        #expect(admission.schemaVersion == 1)
        for type in EventType.allCases {
            #expect(type.currentSchemaVersion == 1)
            let data: JSONValue = ["a": 1]
            #expect(try EventUpcaster.upcast(data, type: type, from: 1) == data)
        }
    }

    @Test func catalogFacts() {
        #expect(EventType.allCases.count == 30)
        #expect(EventType.types(for: .tenant).map(\.rawValue) == [
            "TenantInitialized", "ModeChanged", "DirectorySyncChanged", "DeactivationPolicySet", "FeatureFlagSet",
            "DestructiveThresholdSet", "DestructiveChangesAllowed",
        ])
        #expect(EventType.types(for: .group).count == 7)
        for type in EventType.allCases {
            #expect(EventType.named(type.rawValue) == type)
        }
        #expect(EventType.named("Nope") == nil)
        #expect(EventType.userDeactivated.nextState(after: .active) == .inactive)
        #expect(EventType.userCreated.nextState(after: .deleted) == .active)
        #expect(EventType.userCreated.nextState(after: .inactive) == nil)
        #expect(EventType.memberAdded.nextState(after: .inactive) == .inactive)
    }
}
