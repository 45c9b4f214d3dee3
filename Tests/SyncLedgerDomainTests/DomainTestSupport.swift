import SyncLedgerDomain
import Testing

/// A stand-in for the Store's append session: heads and tenant settings in memory, every
/// event passed through ``AppendRules`` exactly as `AppendSession` does.
struct MemoryLedger {
    var heads: [ObjectRef: StreamHead] = [:]
    var tenant = TenantSettings()
    let rules = AppendRules()

    /// A ledger whose tenant is initialised in `mode` (nil: no tenant event at all).
    init(mode: ProvisioningMode? = nil, directorySync: DirectorySyncTool = .none) {
        guard let mode else { return }
        var data: [String: JSONValue] = ["name": "contoso", "mode": .string(mode.rawValue)]
        if directorySync.isOn { data["directorySync"] = .string(directorySync.rawValue) }
        try! append("TenantInitialized", .tenant, .object(data))
    }

    func head(_ stream: ObjectRef) -> StreamHead {
        heads[stream] ?? .absent
    }

    /// Admits and "stores" one event; returns the admission.
    @discardableResult
    mutating func append(_ type: String, _ stream: ObjectRef, _ data: JSONValue = [:], schemaVersion: Int? = nil)
        throws -> Admission
    {
        let event = ProposedEvent(
            type: type, stream: stream, actor: "alice", source: "test",
            occurredAt: Timestamp(millisecondsSinceEpoch: 1_700_000_000_000), schemaVersion: schemaVersion, data: data)
        let current = head(stream)
        let heads = self.heads
        let admission = try rules.admit(event, head: current, tenant: tenant) { heads[$0] ?? .absent }
        var next = admission.head
        next.version = current.version + 1
        self.heads[stream] = next
        tenant = admission.tenant
        return admission
    }

    /// The DomainError thrown by appending, or nil when the event is admitted.
    mutating func refusal(_ type: String, _ stream: ObjectRef, _ data: JSONValue = [:], schemaVersion: Int? = nil)
        -> DomainError?
    {
        do {
            try append(type, stream, data, schemaVersion: schemaVersion)
            return nil
        } catch let error as DomainError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    /// Creates a user with the given anchor.
    mutating func createUser(_ anchor: String) throws {
        try append("UserCreated", user(anchor), ["attributes": ["userPrincipalName": .string("\(anchor)@contoso.com")]])
    }

    /// Creates a group of `kind`.
    mutating func createGroup(_ anchor: String, kind: String = "security") throws {
        try append(
            "GroupCreated", group(anchor),
            ["kind": .string(kind), "displayName": "Team", "mailNickname": .string("team-\(anchor)")])
    }
}

func user(_ anchor: String) -> ObjectRef { try! ObjectRef(kind: .user, anchor: anchor) }
func group(_ anchor: String) -> ObjectRef { try! ObjectRef(kind: .group, anchor: anchor) }
func contact(_ anchor: String) -> ObjectRef { try! ObjectRef(kind: .contact, anchor: anchor) }
func resource(_ anchor: String) -> ObjectRef { try! ObjectRef(kind: .resource, anchor: anchor) }

/// Expects `error` to be `code` on `field`.
func expectError(
    _ error: DomainError?, _ code: DomainError.Code, field: String?, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let error else {
        Issue.record("expected \(code) on \(field ?? "no field"), but the event was admitted", sourceLocation: sourceLocation)
        return
    }
    #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
}
