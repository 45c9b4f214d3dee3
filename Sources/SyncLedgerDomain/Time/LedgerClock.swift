#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the ledger reads the current time. Injected, so replays and tests are deterministic.
public protocol LedgerClock: Sendable {
    /// The current instant.
    func now() -> Timestamp
}

/// The machine's real-time clock.
public struct SystemClock: LedgerClock {
    public init() {}

    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(millisecondsSinceEpoch: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }
}

/// A clock that always answers the same instant: for tests and reproducible runs.
public struct FixedClock: LedgerClock {
    public var instant: Timestamp

    public init(_ instant: Timestamp) {
        self.instant = instant
    }

    public func now() -> Timestamp { instant }
}
