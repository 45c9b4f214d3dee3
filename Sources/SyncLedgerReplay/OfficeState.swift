public import SyncLedgerDomain
public import SyncLedgerStore

/// What Office 365 holds according to the journal: the commands applied, and those emitted
/// and not answered yet (pending: assumed to apply, so they are not planned twice). Failed
/// and throttled commands are left out, so the next plan sends them again.
///
/// It keeps what the commands set, not the commands: the journal is folded into it as it
/// is read (``read(from:streams:runs:)``).
public struct OfficeState: Sendable {
    /// One object as Office 365 holds it.
    public struct Object: Sendable, Equatable {
        public var exists = false
        /// Attribute values, each with the log seq the plan that sent it was based on (an
        /// edit seen in Office 365 after that seq overrides the value).
        public var attributes: [String: (value: JSONValue, seq: Int64)] = [:]
        public var enabled = true
        public var licenses: [String: [String]] = [:]
        /// Role definition id to the assignment id learnt from the result (nil until acked).
        public var roles: [String: String?] = [:]
        public var members: Set<String> = []
        /// The Office 365 object id, once a result taught it.
        public var objectID: String?
        /// The address Office 365 knows the object by (a user's UPN, an alias).
        public var address: String?
        /// The base seq of the last run that sent this object anything.
        public var coveredSeq: Int64 = 0

        public static func == (lhs: Object, rhs: Object) -> Bool {
            lhs.exists == rhs.exists && lhs.enabled == rhs.enabled && lhs.licenses == rhs.licenses
                && lhs.roles == rhs.roles && lhs.members == rhs.members && lhs.objectID == rhs.objectID
                && lhs.address == rhs.address && lhs.attributes.mapValues(\.value) == rhs.attributes.mapValues(\.value)
        }
    }

    public private(set) var objects: [ObjectRef: Object] = [:]
    /// The last result of each command id that failed or was throttled, most recent emission.
    public private(set) var failures: [String: CommandResult] = [:]
    /// The base seq of each run, by run id.
    private var baseSeqs: [Int64: Int64] = [:]

    /// Nothing sent yet, before the runs' journal is folded (``fold(_:)``).
    public init(runs: [ReplayRun] = []) {
        baseSeqs = Dictionary(uniqueKeysWithValues: runs.map { ($0.runID, $0.baseSeq) })
    }

    /// Folds the journal (in order) with the base seq of each run.
    public init(journal: [JournalEntry], runs: [ReplayRun]) {
        self.init(runs: runs)
        for entry in journal { fold(entry) }
    }

    /// What Office 365 holds according to `ledger`'s journal (of `streams` only, when given),
    /// folded as the journal is read: its entries are never all in memory at once.
    public static func read(from ledger: Ledger, streams: Set<String>? = nil, runs: [ReplayRun]) throws -> OfficeState {
        var office = OfficeState(runs: runs)
        try ledger.forEachJournalEntry(streams: streams) { office.fold($0) }
        return office
    }

    /// Folds the next emission of the journal: an applied or pending command takes effect
    /// (a pending one is assumed to apply, so it is not planned twice); a failed or throttled
    /// one is remembered, to be sent again.
    public mutating func fold(_ entry: JournalEntry) {
        guard let stream = try? ObjectRef(parsing: entry.stream),
            let operation = CommandOperation(rawValue: entry.operation),
            let body = try? JSONParser.parse(entry.body)
        else { return }
        switch entry.result?.status {
        case .failed?, .throttled?:
            failures[entry.commandID] = entry.result
            return
        case nil:
            break
        case .applied?:
            failures.removeValue(forKey: entry.commandID)
        }
        apply(operation, body: body, to: stream, seq: baseSeqs[entry.runID] ?? entry.lastSeq, result: entry.result)
    }

    /// Applies one command's effect.
    mutating func apply(_ operation: CommandOperation, body: JSONValue, to stream: ObjectRef, seq: Int64, result: CommandResult?) {
        // Moved out, not copied: a copy would share its members with the one left in the
        // dictionary, and each membership of a large group would copy them all.
        var object = objects.removeValue(forKey: stream) ?? Object()
        object.coveredSeq = max(object.coveredSeq, seq)
        if let id = result?.objectID, operation != .roleAssign { object.objectID = id }
        func set(_ changes: JSONValue?) {
            for (name, value) in changes?.objectValue ?? [:] { object.attributes[name] = (value, seq) }
        }
        func unset(_ names: JSONValue?) {
            for name in names?.arrayValue?.compactMap(\.stringValue) ?? [] { object.attributes.removeValue(forKey: name) }
        }
        switch operation {
        case .userCreate, .groupUpsert, .listCreate, .contactCreate, .resourceCreate:
            object.exists = true
            set(body["attributes"])
            if let enabled = body["accountEnabled"]?.boolValue { object.enabled = enabled }
            object.address = body["address"]?.stringValue ?? object.address
        case .userUpdate, .userMailboxUpdate, .listUpdate, .contactUpdate, .resourceUpdate:
            set(body["set"])
            unset(body["unset"])
            if let address = body["address"]?.stringValue { object.address = address }
        case .userManager:
            if let manager = body["manager"], !manager.isNull {
                object.attributes["manager"] = (manager, seq)
            } else {
                object.attributes.removeValue(forKey: "manager")
            }
        case .userBlock:
            object.enabled = false
        case .userUnblock:
            object.enabled = true
        case .userLicenses:
            for license in body["add"]?.arrayValue ?? [] {
                if let sku = license["skuId"]?.stringValue {
                    object.licenses[sku] = license["disabledPlans"]?.arrayValue?.compactMap(\.stringValue) ?? []
                }
            }
            for sku in body["remove"]?.arrayValue?.compactMap(\.stringValue) ?? [] { object.licenses.removeValue(forKey: sku) }
        case .roleAssign:
            if let role = body["roleDefinitionId"]?.stringValue { object.roles[role] = .some(result?.objectID) }
        case .roleRevoke:
            if let role = body["roleDefinitionId"]?.stringValue { object.roles.removeValue(forKey: role) }
        case .memberAdd:
            if let member = body["member"]?.stringValue { object.members.insert(member) }
        case .memberRemove:
            if let member = body["member"]?.stringValue { object.members.remove(member) }
        case .listMembers:
            object.members = Set(body["members"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        case .userDelete, .groupDelete, .listDelete, .contactDelete, .resourceDelete:
            object = Object(coveredSeq: object.coveredSeq)
        }
        objects[stream] = object
    }

    /// The object as Office 365 holds it (an empty one when it was never sent).
    public subscript(stream: ObjectRef) -> Object {
        objects[stream] ?? Object()
    }
}
