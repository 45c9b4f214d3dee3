/// Where an object's lifecycle stands.
public enum StreamState: String, Sendable, Hashable, CaseIterable {
    /// No event yet, or only events that do not create the object.
    case absent
    /// Created (and, for users, enabled).
    case active
    /// A user that is deactivated (blocked) but not deleted.
    case inactive
    /// Deleted; only a new create may follow.
    case deleted
}

/// What the ledger knows of a stream when an event is appended to it: enough for the
/// lifecycle rules, kept by the Store in the `streams` table in the same transaction as
/// the events.
public struct StreamHead: Sendable, Hashable {
    /// The stream's last version (0 when it has no event).
    public var version: Int64
    public var state: StreamState
    /// The object's sub-kind when it has one: a group's kind (`security`, `distribution`,
    /// `mail-security`), a resource's kind (`room`, `equipment`).
    public var subtype: String?
    /// Whether Group Push manages this group.
    public var pushed: Bool

    public init(version: Int64, state: StreamState, subtype: String? = nil, pushed: Bool = false) {
        self.version = version
        self.state = state
        self.subtype = subtype
        self.pushed = pushed
    }

    /// The head of a stream with no events.
    public static let absent = StreamHead(version: 0, state: .absent)

    /// Whether the object exists at this point (created and not deleted).
    public var exists: Bool { state == .active || state == .inactive }
}
