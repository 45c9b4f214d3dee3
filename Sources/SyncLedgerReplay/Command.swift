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
    /// What the command sets, as canonical JSON bytes (no secrets: the initial password of
    /// a created user is added when the batch file is written).
    ///
    /// A plan holds the bytes its id was hashed from rather than the tree: a full plan's
    /// 100,000 bodies are written out as they are, and take a fraction of the memory.
    public let canonicalBody: [UInt8]
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
        self.init(
            tenant: tenant, stream: stream, operation: operation, canonicalBody: body.canonicalBytes, causes: causes, mode: mode,
            destructiveKind: destructiveKind, note: note)
    }

    /// A command whose body is given as its canonical JSON bytes (the planner writes a first
    /// plan's creates that way); `canonicalBody` must be canonical, as the id is its hash.
    ///
    /// The id: SHA-256(tenant ␟ stream ␟ operation ␟ canonical body), hex.
    init(
        tenant: String, stream: ObjectRef, operation: CommandOperation, canonicalBody: [UInt8], causes: Causes,
        mode: ProvisioningMode, destructiveKind: String? = nil, note: String? = nil
    ) {
        self.stream = stream
        self.operation = operation
        self.causes = causes
        self.mode = mode
        self.destructiveKind = destructiveKind
        self.note = note
        var hasher = SHA256()
        hasher.update(data: Self.idPrefix(tenant: tenant, stream: stream, operation: operation))
        hasher.update(data: canonicalBody)
        self.id = hasher.finalize().withUnsafeBytes(EventChain.hex)
        self.canonicalBody = canonicalBody
    }

    /// A command whose id was computed before (a journaled one).
    init(id: String, stream: ObjectRef, operation: CommandOperation, canonicalBody: [UInt8], causes: Causes, mode: ProvisioningMode,
         destructiveKind: String?, note: String?) {
        self.id = id
        self.stream = stream
        self.operation = operation
        self.canonicalBody = canonicalBody
        self.causes = causes
        self.mode = mode
        self.destructiveKind = destructiveKind
        self.note = note
    }

    /// What the command sets (parsed from ``canonicalBody``).
    public var body: JSONValue {
        // The bytes were written by the canonical encoder: they always parse.
        (try? JSONParser.parse(canonicalBody)) ?? .null
    }

    /// The bytes hashed before the body: tenant ␟ stream ␟ operation ␟.
    private static func idPrefix(tenant: String, stream: ObjectRef, operation: CommandOperation) -> [UInt8] {
        // Appended part by part: no `kind:anchor` string made on the way.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(tenant.utf8.count + stream.anchor.utf8.count + 48)
        bytes.append(contentsOf: tenant.utf8)
        bytes.append(0x1F)
        if stream.kind == .tenant {
            bytes.append(contentsOf: stream.description.utf8)
        } else {
            bytes.append(contentsOf: stream.kind.rawValue.utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: stream.anchor.utf8)
        }
        bytes.append(0x1F)
        bytes.append(contentsOf: operation.rawValue.utf8)
        bytes.append(0x1F)
        return bytes
    }

    /// Whether the command is destructive (counted against the thresholds).
    public var isDestructive: Bool { destructiveKind != nil }
}
