public import SyncLedgerDomain

/// A plan as `plan --out` writes it, and what `replay --plan` checks of it.
public struct SavedPlan: Sendable, Equatable {
    public var baseSeq: Int64
    public var hash: String
    public var mode: ProvisioningMode

    /// Reads a plan file's JSON.
    public init(json: JSONValue) throws(ReplayError) {
        guard let baseSeq = json["baseSeq"]?.intValue, let hash = json["hash"]?.stringValue,
            let mode = json["mode"]?.stringValue.flatMap(ProvisioningMode.init(rawValue:))
        else {
            throw ReplayError(.invalidPlan, "not a plan written by `syncledger plan --out`: baseSeq, hash and mode are required")
        }
        self.baseSeq = baseSeq
        self.hash = hash
        self.mode = mode
    }
}

extension Plan {
    /// The plan as JSON: what `plan --format json` prints and `plan --out` writes.
    public var json: JSONValue {
        var members = summaryMembers
        members["commands"] = .array(commands.map(Self.json(_:)))
        members["heldBack"] = .array(heldBack.map(Self.json(_:)))
        return .object(members)
    }

    /// Writes the plan's JSON (the same bytes as `json.canonicalBytes`) one command at a
    /// time, without building the whole tree.
    public func writeJSON(to stream: inout CanonicalJSONStream) {
        var members: [(key: String, write: (inout CanonicalJSONStream) -> Void)] = summaryMembers.map { member in
            (key: member.key, write: { $0.value(member.value) })
        }
        members.append((key: "commands", write: { $0.array(commands, bytes: Self.appendJSON) }))
        members.append((key: "heldBack", write: { $0.array(heldBack, bytes: Self.appendJSON) }))
        stream.object(members)
    }

    /// Appends the canonical bytes of ``json(_:)`` for `command`, members in canonical key
    /// order, its body as it was hashed.
    static func appendJSON(_ command: Command, to out: inout [UInt8]) {
        func raw(_ text: StaticString) {
            out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        func string(_ value: String) { JSONValue.appendCanonicalString(value, to: &out) }
        raw(#"{"body":"#)
        out.append(contentsOf: command.canonicalBody)
        raw(#","causes":{"actors":["#)
        for (index, actor) in command.causes.actors.enumerated() {
            if index > 0 { raw(",") }
            string(actor)
        }
        raw(#"],"firstSeq":"#)
        JSONValue.appendInteger(command.causes.firstSeq, to: &out)
        raw(#","lastSeq":"#)
        JSONValue.appendInteger(command.causes.lastSeq, to: &out)
        raw("}")
        if let kind = command.destructiveKind {
            raw(#","destructive":"#)
            string(kind)
        }
        raw(#","id":"#)
        string(command.id)
        if let note = command.note {
            raw(#","note":"#)
            string(note)
        }
        raw(#","object":"#)
        command.stream.appendCanonicalString(to: &out)
        raw(#","operation":"#)
        string(command.operation.rawValue)
        raw(#","reversibility":"#)
        string(command.operation.reversibility)
        raw(#","target":"#)
        string(command.operation.route.rawValue)
        raw("}")
    }

    static func json(_ command: Command) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(command.id), "operation": .string(command.operation.rawValue), "object": .string(command.stream.description),
            "target": .string(command.operation.route.rawValue), "body": command.body, "reversibility": .string(command.operation.reversibility),
            "causes": ["firstSeq": .int(command.causes.firstSeq), "lastSeq": .int(command.causes.lastSeq), "actors": .array(command.causes.actors.map(JSONValue.string))],
        ]
        if let kind = command.destructiveKind { members["destructive"] = .string(kind) }
        if let note = command.note { members["note"] = .string(note) }
        return .object(members)
    }

    /// Every member but the commands.
    private var summaryMembers: [String: JSONValue] {
        [
            "baseSeq": .int(baseSeq), "mode": .string(mode.rawValue), "preview": .bool(isPreview), "hash": .string(hash),
            "summary": .string(summary),
            "destructiveCounts": .object(destructiveCounts.mapValues { .int(Int64($0)) }),
            "waiting": .array(waiting.map { ["object": .string($0.stream.description), "operation": .string($0.operation.rawValue), "reason": .string($0.reason)] }),
            "scope": [
                "full": .bool(scope.isFull), "objects": .int(Int64(scope.objectsPlanned)), "reason": .string(scope.reason),
                "sinceRun": scope.sinceRun.map(JSONValue.int) ?? .null,
            ],
            "notPushable": .array(notPushable.map { ["kind": .string($0.kind.rawValue), "attribute": .string($0.attribute), "reason": .string($0.reason), "objects": .int(Int64($0.objects))] }),
            "retries": .array(retries.map { ["id": .string($0.commandID), "status": .string($0.status), "error": $0.error.map(JSONValue.string) ?? .null] }),
        ]
    }
}
