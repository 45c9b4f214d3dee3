public import SyncLedgerDomain
import Crypto

/// One Office 365 command the replayer plans: what it does to which object, why, and how
/// to undo it. Rendering to Graph or PowerShell happens at emit time.
public struct Command: Sendable, Equatable {
    /// The events that caused a command.
    public struct Causes: Sendable, Equatable {
        public var firstSeq: Int64
        public var lastSeq: Int64
        public var actors: [String]

        public init(firstSeq: Int64, lastSeq: Int64, actors: [String]) {
            self.firstSeq = firstSeq
            self.lastSeq = lastSeq
            self.actors = actors
        }
    }

    /// SHA-256 of tenant, object, operation and canonical body, in hex.
    public var id: String
    public var stream: ObjectRef
    public var operation: CommandOperation
    /// What the command sets, as canonical JSON (no secrets: the initial password of a
    /// created user is added when the batch file is written).
    public var body: JSONValue
    public var causes: Causes
    public var mode: ProvisioningMode
    /// The destructive kind this command counts against, when it is destructive.
    public var destructiveKind: String?
    /// A note for people: "reverts an edit made in Office 365", …
    public var note: String?

    public init(
        tenant: String, stream: ObjectRef, operation: CommandOperation, body: JSONValue, causes: Causes,
        mode: ProvisioningMode, destructiveKind: String? = nil, note: String? = nil
    ) {
        self.stream = stream
        self.operation = operation
        self.body = body
        self.causes = causes
        self.mode = mode
        self.destructiveKind = destructiveKind
        self.note = note
        self.id = Self.id(tenant: tenant, stream: stream, operation: operation, body: body)
    }

    /// The deterministic id: SHA-256(tenant ␟ stream ␟ operation ␟ canonical body), hex.
    public static func id(tenant: String, stream: ObjectRef, operation: CommandOperation, body: JSONValue) -> String {
        var bytes: [UInt8] = []
        for part in [tenant, stream.description, operation.rawValue] {
            bytes.append(contentsOf: part.utf8)
            bytes.append(0x1F)
        }
        body.appendCanonical(to: &bytes)
        return EventChain.hex(Array(SHA256.hash(data: bytes)))
    }

    /// Whether the command is destructive (counted against the thresholds).
    public var isDestructive: Bool { destructiveKind != nil }
}
