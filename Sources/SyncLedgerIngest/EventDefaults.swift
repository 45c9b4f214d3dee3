public import SyncLedgerDomain

/// What an input line that leaves out `actor`, `source` or `at` gets instead.
public struct EventDefaults: Sendable {
    /// The actor for events that name none (the CLI's `--actor`).
    public var actor: String
    /// The source system for events that name none (the CLI's `--source`).
    public var source: String
    /// The clock that supplies `at` for events that name no time.
    public var clock: any LedgerClock

    public init(actor: String, source: String, clock: any LedgerClock) {
        self.actor = actor
        self.source = source
        self.clock = clock
    }
}
