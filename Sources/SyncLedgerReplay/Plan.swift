public import SyncLedgerDomain
import Crypto

/// The commands that converge Office 365 on the target state, and what the plan could not
/// do yet.
public struct Plan: Sendable {
    /// A change that needs an Office 365 object id the journal does not know yet.
    public struct Waiting: Sendable, Equatable {
        public var stream: ObjectRef
        public var operation: CommandOperation
        public var reason: String
    }

    /// An attribute kept in the ledger that no public API can write.
    public struct NotPushable: Sendable, Equatable {
        public var kind: ObjectKind
        public var attribute: String
        public var reason: String
        /// How many objects in the target hold it.
        public var objects: Int
    }

    /// A command planned again after a failure, with the error Office 365 gave.
    public struct Retry: Sendable, Equatable {
        public var commandID: String
        public var status: String
        public var error: String?
    }

    /// Which objects a plan looked at: every one, or those that changed since a run.
    public struct Scope: Sendable, Equatable {
        /// Whether the plan looked at every object.
        public var isFull: Bool
        /// How many objects it looked at.
        public var objectsPlanned: Int
        /// The run an incremental plan continues from.
        public var sinceRun: Int64?
        /// Why the plan is full, or what an incremental one looked at.
        public var reason: String

        public init(isFull: Bool, objectsPlanned: Int = 0, sinceRun: Int64? = nil, reason: String) {
            self.isFull = isFull
            self.objectsPlanned = objectsPlanned
            self.sinceRun = sinceRun
            self.reason = reason
        }
    }

    /// The last event seq the plan was made from.
    public var baseSeq: Int64
    /// The mode the plan converges on (a preview when it is not the mode in force).
    public var mode: ProvisioningMode
    /// Whether `mode` is a preview of a mode switch.
    public var isPreview: Bool
    /// The commands to emit, in dependency order.
    public var commands: [Command]
    /// Destructive commands held back by the thresholds.
    public var heldBack: [Command]
    /// Destructive commands per kind (emitted and held back together).
    public var destructiveCounts: [String: Int]
    public var waiting: [Waiting]
    public var notPushable: [NotPushable]
    public var retries: [Retry]
    /// Which objects the plan looked at.
    public var scope = Scope(isFull: true, reason: "every object")
    /// The moment the plan evaluated time rules (grace periods) at.
    public var asOf = Timestamp(millisecondsSinceEpoch: 0)
    /// The last command result recorded when the plan read the journal.
    public var resultsThrough: Int64 = 0

    /// SHA-256 of the mode and every command id (held back ones included), hex. The base
    /// seq is not part of it: an allowance event moves the log without changing the plan.
    public var hash: String {
        // Hashed in one pass, the two lists not joined into a copy, the ids gathered into
        // pieces of 64 KiB (one update per id costs more than the hashing).
        var hasher = SHA256()
        hasher.update(data: Array(mode.rawValue.utf8))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 16 + 256)
        for list in [commands, heldBack] {
            // By index: each id is read in place, the command not copied.
            for index in list.indices {
                bytes.append(0x1F)
                bytes.append(contentsOf: list[index].id.utf8)
                if bytes.count >= 1 << 16 {
                    hasher.update(data: bytes)
                    bytes.removeAll(keepingCapacity: true)
                }
            }
        }
        hasher.update(data: bytes)
        return hasher.finalize().withUnsafeBytes(EventChain.hex)
    }

    /// Whether there is nothing to do.
    public var isEmpty: Bool { commands.isEmpty && heldBack.isEmpty }

    /// "Plan: 12 to create, 40 to update, 3 to block, 1 to delete (permanent)".
    public var summary: String {
        guard !isEmpty else { return "Plan: no changes. Office 365 matches the ledger." }
        // Counted per operation in one pass (a full plan has 100,000 commands), then per action.
        var counts: [CommandOperation: Int] = [:]
        for list in [commands, heldBack] {
            for index in list.indices { counts[list[index].operation, default: 0] += 1 }
        }
        var parts: [String] = []
        for action in ["create", "create or update", "update", "block", "delete"] {
            let matching = counts.filter { $0.key.action == action }
            let total = matching.values.reduce(0, +)
            guard total > 0 else { continue }
            let permanent = matching.filter(\.key.isPermanent).values.reduce(0, +)
            parts.append("\(total) to \(action)" + (permanent > 0 ? " (\(permanent) permanent)" : ""))
        }
        return "Plan: " + parts.joined(separator: ", ")
    }
}
