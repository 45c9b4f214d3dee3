public import SyncLedgerDomain
import SyncLedgerStore

/// The working state of one import: the directory as of the events appended so far, the place
/// being read, and the single append session every change goes through.
///
/// Importers describe what the directory should be; the context turns that into the smallest
/// set of catalog events (nothing at all when the input matches the state), appends them and
/// keeps its copy of the state current. Every error it throws is an ``IngestError`` placed at
/// ``file``:``line`` with the input's own field name when ``fieldNames`` knows it.
///
/// Events are stamped with one time for the whole invocation (the defaults' clock) and carry
/// the stream version they follow (`expected_version`). Their id is derived from their content
/// and that version, so the same change undone and redone in one file gets distinct ids, and
/// importing the same input again finds nothing to change (the diff is empty) rather than
/// relying on ids.
public final class ImportContext {
    /// A reference attribute or membership whose target did not exist yet when it was read:
    /// applied after the whole input has been read, so input order does not matter.
    private struct Deferred {
        enum Change {
            case attribute(String, JSONValue)
            case member(ObjectRef)
        }

        var stream: ObjectRef
        var change: Change
        var file: String
        var line: Int?
        var fieldNames: [String: String]
    }

    // MARK: - Place

    /// The file being read (`-` is standard input).
    public private(set) var file = "-"
    /// The line (or record number) of the record being read; nil before the first.
    public var line: Int?
    /// Input field names by catalog attribute (and `kind`, `member`, `anchor`), used to name
    /// the input's field when the domain refuses a value.
    public var fieldNames: [String: String] = [:]

    // MARK: - State

    /// Every object the ledger holds (deleted ones included), as of the events appended so far.
    public private(set) var objects: [ObjectRef: DirectoryObject]
    /// What the import did so far.
    public internal(set) var summary = ImportSummary()
    /// The time of every event of the invocation.
    public let at: Timestamp

    private let session: AppendSession
    private let defaults: EventDefaults
    private var deferred: [Deferred] = []
    private var flushing = false

    init(session: AppendSession, objects: [ObjectRef: DirectoryObject], defaults: EventDefaults) {
        self.session = session
        self.objects = objects
        self.defaults = defaults
        at = defaults.clock.now()
    }

    /// Starts reading `file`.
    func begin(file: String) {
        self.file = file
        line = nil
        fieldNames = [:]
    }

    // MARK: - Reading the state

    /// The object `reference` when it exists (created and not deleted).
    public func existing(_ reference: ObjectRef) -> DirectoryObject? {
        guard let object = objects[reference], object.exists else { return nil }
        return object
    }

    /// The existing objects of `kind`, ordered by reference.
    public func existingObjects(of kind: ObjectKind) -> [DirectoryObject] {
        objects.values.filter { $0.reference.kind == kind && $0.exists }.sorted { $0.reference < $1.reference }
    }

    // MARK: - Errors

    /// An error at the current place.
    public func failure(_ code: IngestError.Code = .invalidField, field: String?, _ message: String) -> IngestError {
        IngestError(code, file: file, line: line, field: field, message)
    }

    // MARK: - Objects

    /// Brings `reference` to `desired`: creates it when it is absent or deleted, otherwise
    /// updates the attributes whose value differs. Nothing is appended when nothing differs.
    ///
    /// - Parameters:
    ///   - subtype: a group's or resource's kind: needed to create one; on an existing object it
    ///     must be the kind it was created with (nil: not checked).
    ///   - desired: catalog attribute to value, or to nil for "has none" (unset when present).
    ///     Attributes not named are left as they are.
    /// - Returns: whether an event was appended.
    @discardableResult
    public func reconcile(_ reference: ObjectRef, subtype: String?, desired: [String: JSONValue?]) throws -> Bool {
        var desired = desired
        deferUnresolvedReferences(of: reference, in: &desired)
        if let object = existing(reference) {
            if let subtype, reference.kind == .group || reference.kind == .resource, object.subtype != subtype {
                throw failure(
                    field: fieldNames["kind"] ?? "kind",
                    "a \(reference.kind.rawValue)'s kind is fixed when it is created (this one is \(object.subtype ?? "unknown")); delete it and create it again to change it"
                )
            }
            var set: [String: JSONValue] = [:]
            var unset: [String] = []
            for (name, value) in desired {
                if let value {
                    if object.attributes[name] != value { set[name] = value }
                } else if object.attributes[name] != nil {
                    unset.append(name)
                }
            }
            guard !set.isEmpty || !unset.isEmpty else { return false }
            var data: [String: JSONValue] = [:]
            if !set.isEmpty { data["set"] = .object(set) }
            if !unset.isEmpty { data["unset"] = .array(unset.sorted().map(JSONValue.string)) }
            try append(Self.updateType(reference.kind), reference, data)
            return true
        }
        var attributes = desired.compactMapValues { $0 }
        switch reference.kind {
        case .user:
            try append(.userCreated, reference, ["attributes": .object(attributes)])
        case .group, .resource:
            guard let subtype else {
                throw failure(field: fieldNames["kind"] ?? "kind", "the kind is needed to create a \(reference.kind.rawValue)")
            }
            attributes["kind"] = .string(subtype)
            try append(reference.kind == .group ? .groupCreated : .resourceCreated, reference, attributes)
        case .contact:
            try append(.contactCreated, reference, attributes)
        case .tenant:
            throw failure(field: "object", "the tenant is not a directory object")
        }
        return true
    }

    /// Deactivates (`false`) or reactivates (`true`) an existing user; nothing when it already is.
    @discardableResult
    public func setEnabled(_ user: ObjectRef, _ enabled: Bool) throws -> Bool {
        guard let object = existing(user), user.kind == .user, object.enabled != enabled else { return false }
        try append(enabled ? .userReactivated : .userDeactivated, user, [:])
        return true
    }

    /// Deletes an existing object; nothing when it is absent or already deleted.
    @discardableResult
    public func delete(_ reference: ObjectRef) throws -> Bool {
        guard existing(reference) != nil else { return false }
        let type: EventType
        switch reference.kind {
        case .user: type = .userDeleted
        case .group: type = .groupDeleted
        case .contact: type = .contactDeleted
        case .resource: type = .resourceDeleted
        case .tenant: return false
        }
        try append(type, reference, [:])
        return true
    }

    // MARK: - Memberships

    /// Adds `member` to `group` unless it is already a member. A member that does not exist yet
    /// is added after the whole input has been read.
    @discardableResult
    public func addMember(_ member: ObjectRef, to group: ObjectRef) throws -> Bool {
        if existing(group)?.members.contains(member.description) == true { return false }
        if !flushing, existing(member) == nil {
            deferred.append(Deferred(stream: group, change: .member(member), file: file, line: line, fieldNames: fieldNames))
            return false
        }
        try append(.memberAdded, group, ["member": .string(member.description)])
        return true
    }

    /// Removes `member` from `group` when it is a member.
    @discardableResult
    public func removeMember(_ member: ObjectRef, from group: ObjectRef) throws -> Bool {
        guard existing(group)?.members.contains(member.description) == true else { return false }
        try append(.memberRemoved, group, ["member": .string(member.description)])
        return true
    }

    /// Makes `members` the whole membership of `group`: additions first, then removals.
    public func setMembers(of group: ObjectRef, to members: [ObjectRef]) throws {
        let wanted = Set(members.map(\.description))
        for member in members { try addMember(member, to: group) }
        let current = existing(group)?.members ?? []
        for member in current.subtracting(wanted).sorted() {
            try removeMember(try ObjectRef(parsing: member), from: group)
        }
        deferred.removeAll { entry in
            guard entry.stream == group, case .member(let member) = entry.change else { return false }
            return !wanted.contains(member.description)
        }
    }

    // MARK: - Direct edits

    /// Records changes seen in Office 365 (`DirectEditObserved`); nothing when both are empty.
    public func observeDirectEdits(_ user: ObjectRef, set: [String: JSONValue], unset: [String]) throws {
        guard !set.isEmpty || !unset.isEmpty else { return }
        var data: [String: JSONValue] = [:]
        if !set.isEmpty { data["set"] = .object(set) }
        if !unset.isEmpty { data["unset"] = .array(unset.sorted().map(JSONValue.string)) }
        try append(.directEditObserved, user, data)
    }

    // MARK: - Deferred references

    /// Moves the reference attributes whose target does not exist yet out of `desired`.
    private func deferUnresolvedReferences(of stream: ObjectRef, in desired: inout [String: JSONValue?]) {
        guard !flushing else { return }
        for (name, value) in desired {
            guard let value, let type = AttributeCatalog.attribute(named: name, for: stream.kind)?.valueType else { continue }
            let targets: [JSONValue]
            switch type {
            case .reference: targets = [value]
            case .referenceList: targets = value.arrayValue ?? []
            default: continue
            }
            let missing = targets.contains { target in
                guard let text = target.stringValue, let ref = try? ObjectRef(parsing: text) else { return false }
                return ref != stream && existing(ref) == nil
            }
            if missing {
                desired.removeValue(forKey: name)
                deferred.append(
                    Deferred(stream: stream, change: .attribute(name, value), file: file, line: line, fieldNames: fieldNames))
            }
        }
    }

    /// Applies what was deferred, each at the place it was read; a target still missing is an
    /// error there.
    func flushDeferred() throws {
        flushing = true
        defer { flushing = false }
        let entries = deferred
        deferred = []
        let (savedFile, savedLine, savedNames) = (file, line, fieldNames)
        for entry in entries {
            (file, line, fieldNames) = (entry.file, entry.line, entry.fieldNames)
            switch entry.change {
            case .attribute(let name, let value):
                try reconcile(entry.stream, subtype: nil, desired: [name: value])
            case .member(let member):
                try addMember(member, to: entry.stream)
            }
        }
        (file, line, fieldNames) = (savedFile, savedLine, savedNames)
    }

    // MARK: - Appending

    /// Appends one event on top of the working state and folds it in.
    private func append(_ type: EventType, _ stream: ObjectRef, _ data: [String: JSONValue]) throws {
        let version = objects[stream]?.version ?? 0
        let payload = JSONValue.object(data)
        let id = EventID.derive(
            object: stream, type: type.rawValue, at: at, actor: defaults.actor, source: defaults.source,
            data: ["data": payload, "expected_version": .int(version)])
        let event = ProposedEvent(
            id: id, type: type.rawValue, stream: stream, actor: defaults.actor, source: defaults.source, occurredAt: at,
            expectedVersion: version, data: payload)
        let outcome: AppendOutcome
        do {
            outcome = try session.append(event)
        } catch {
            throw placed(error)
        }
        switch outcome {
        case .appended(let seq, _, _):
            summary.appended += 1
            // Moved out, not copied (a copy would copy a large group's members for each one added).
            var object = objects.removeValue(forKey: stream) ?? DirectoryObject(reference: stream)
            object.apply(type: type, data: payload, seq: seq, at: at, actor: defaults.actor)
            objects[stream] = object
        case .alreadyRecorded:
            summary.alreadyRecorded += 1
        }
    }

    /// An error from the session, placed here and named with the input's field.
    private func placed(_ error: any Error) -> any Error {
        switch error {
        case let error as IngestError:
            return error.located(file: file, line: line)
        case let error as DomainError:
            var wrapped = IngestError(.rejectedEvent, file: file, line: line, field: inputField(error.field), error.message)
            wrapped.isRuleRefusal = error.code.isRuleRefusal
            return wrapped
        case let error as StoreError where error.code == .versionConflict:
            var wrapped = IngestError(
                .rejectedEvent, file: file, line: line, field: "expected_version",
                "the ledger changed while this import was reading it; run the import again. \(error.message)")
            wrapped.isRuleRefusal = true
            return wrapped
        default:
            return error
        }
    }

    /// `data.attributes.mail`, `data.set.manager`, `data.member` → the input's name for it.
    private func inputField(_ field: String?) -> String? {
        guard var path = field?[...] else { return nil }
        guard path.hasPrefix("data.") else { return String(path) }
        path = path.dropFirst(5)
        for prefix in ["attributes.", "set."] where path.hasPrefix(prefix) { path = path.dropFirst(prefix.count) }
        let name = String(path.prefix { $0 != "[" })
        return fieldNames[name] ?? name
    }

    private static func updateType(_ kind: ObjectKind) -> EventType {
        switch kind {
        case .group: return .groupUpdated
        case .contact: return .contactUpdated
        case .resource: return .resourceUpdated
        case .user, .tenant: return .userUpdated
        }
    }
}
