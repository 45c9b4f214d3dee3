public import SyncLedgerDomain

/// Which events to read from the log. Every criterion is optional; they combine with AND.
public struct EventFilter: Sendable, Equatable {
    /// Only this stream (`tenant` or `kind:anchor`).
    public var stream: String?
    /// Only events of this type.
    public var type: String?
    /// Only events by this actor.
    public var actor: String?
    /// Only events that occurred at or after this instant.
    public var since: Timestamp?
    /// Only events that occurred before this instant.
    public var until: Timestamp?
    /// Only events with a seq greater than this.
    public var afterSeq: Int64?
    /// Only events with a seq up to and including this.
    public var throughSeq: Int64?
    /// At most this many events.
    public var limit: Int?

    public init(
        stream: String? = nil, type: String? = nil, actor: String? = nil, since: Timestamp? = nil,
        until: Timestamp? = nil, afterSeq: Int64? = nil, throughSeq: Int64? = nil, limit: Int? = nil
    ) {
        self.stream = stream
        self.type = type
        self.actor = actor
        self.since = since
        self.until = until
        self.afterSeq = afterSeq
        self.throughSeq = throughSeq
        self.limit = limit
    }
}
