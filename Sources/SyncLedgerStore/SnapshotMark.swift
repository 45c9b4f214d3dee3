/// A snapshot of the directory recorded in the ledger: the state after every event up to
/// ``throughSeq``.
public struct SnapshotMark: Sendable, Equatable {
    /// The last seq the snapshot holds.
    public var throughSeq: Int64
    /// The latest `occurred_at` of the objects' events up to ``throughSeq`` (canonical RFC
    /// 3339; empty when there is none): a view of the past by time can start from the
    /// snapshot only at or after it. The tenant's events are left out: a view folds the
    /// tenant stream from the log, by time.
    public var latestOccurredAt: String

    public init(throughSeq: Int64, latestOccurredAt: String) {
        self.throughSeq = throughSeq
        self.latestOccurredAt = latestOccurredAt
    }
}
