import SyncLedgerDomain

/// What an Office 365 command does. Each operation has one route (Graph or Exchange
/// Online), a place in the dependency order, and a reversibility label (reference §6).
public enum CommandOperation: String, Sendable, CaseIterable, Codable {
    case userCreate = "user.create"
    case userUpdate = "user.update"
    case userMailboxUpdate = "user.mailbox.update"
    case userUnblock = "user.unblock"
    case userManager = "user.manager"
    case userLicenses = "user.licenses"
    case roleAssign = "user.role.assign"
    case userBlock = "user.block"
    case roleRevoke = "user.role.revoke"
    case userDelete = "user.delete"
    case groupUpsert = "group.upsert"
    case memberAdd = "group.member.add"
    case memberRemove = "group.member.remove"
    case groupDelete = "group.delete"
    case listCreate = "list.create"
    case listUpdate = "list.update"
    case listMembers = "list.members"
    case listDelete = "list.delete"
    case contactCreate = "contact.create"
    case contactUpdate = "contact.update"
    case contactDelete = "contact.delete"
    case resourceCreate = "resource.create"
    case resourceUpdate = "resource.update"
    case resourceDelete = "resource.delete"

    /// Where the command goes.
    public enum Route: String, Sendable { case graph, exchange }

    public var route: Route {
        switch self {
        case .userCreate, .userUpdate, .userUnblock, .userManager, .userLicenses, .roleAssign, .userBlock, .roleRevoke,
            .userDelete, .groupUpsert, .memberAdd, .memberRemove, .groupDelete:
            return .graph
        default:
            return .exchange
        }
    }

    /// The dependency order (reference §4): objects exist before their attributes, usage
    /// location before licenses, principals before role assignments, groups and members
    /// before memberships; removals after additions; deletions last.
    public var rank: Int {
        switch self {
        case .userCreate, .groupUpsert, .listCreate, .contactCreate, .resourceCreate: return 0
        case .userUpdate, .userMailboxUpdate, .userUnblock, .listUpdate, .contactUpdate, .resourceUpdate: return 1
        case .userLicenses, .roleAssign, .userManager: return 2
        case .memberAdd, .listMembers: return 3
        case .memberRemove, .roleRevoke, .userBlock: return 4
        case .userDelete, .groupDelete, .listDelete, .contactDelete, .resourceDelete: return 5
        }
    }

    /// How the summary counts it.
    public var action: String {
        switch self {
        case .userCreate, .listCreate, .contactCreate, .resourceCreate: return "create"
        case .groupUpsert: return "create or update"
        case .userBlock: return "block"
        case .userDelete, .groupDelete, .listDelete, .contactDelete, .resourceDelete: return "delete"
        default: return "update"
        }
    }

    /// How to undo it (reference §6).
    public var reversibility: String {
        switch self {
        case .userDelete: return "restorable for 30 days (POST /directory/deletedItems/{id}/restore)"
        case .groupDelete: return "permanent: security groups cannot be restored"
        case .listDelete: return "permanent: distribution lists cannot be restored"
        case .contactDelete: return "permanent: the mail contact must be created again"
        case .resourceDelete: return "soft-deleted mailbox, restorable for 30 days"
        case .userLicenses: return "reversible; removed licenses keep mailbox and OneDrive data for 30 days"
        case .userBlock, .userUnblock: return "reversible by the opposite command"
        case .roleAssign, .roleRevoke, .memberAdd, .memberRemove, .listMembers: return "reversible by the opposite command"
        default: return "reversible: set the previous values again"
        }
    }

    /// Whether the deletion cannot be undone.
    public var isPermanent: Bool {
        self == .groupDelete || self == .listDelete || self == .contactDelete
    }
}
