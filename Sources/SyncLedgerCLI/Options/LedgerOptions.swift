import ArgumentParser
import SyncLedgerDomain
import SyncLedgerIngest
import SyncLedgerStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The options every command that touches a ledger shares.
struct LedgerOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The ledger file (default: $SYNCLEDGER_LEDGER, else ./ledger.sqlite).", valueName: "path"))
    var ledger: String?

    @Flag(name: .long, help: "Show details in messages, personal data (UPNs, mail addresses) included.")
    var verbose = false

    /// The ledger path: `--ledger`, else `$SYNCLEDGER_LEDGER`, else `./ledger.sqlite`.
    var path: String {
        if let ledger { return ledger }
        if let fromEnvironment = Environment.value("SYNCLEDGER_LEDGER"), !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "./ledger.sqlite"
    }

    /// The clock commands use: the system clock, or the fixed instant in `$SYNCLEDGER_NOW`
    /// (for reproducible runs and tests).
    var clock: any LedgerClock {
        if let text = Environment.value("SYNCLEDGER_NOW"), let instant = Timestamp(userInput: text) {
            return FixedClock(instant)
        }
        return SystemClock()
    }

    /// The random source for ids minted on `ledger`: the system's, or, when
    /// `$SYNCLEDGER_SEED` is set (reproducible runs and tests), one seeded from it and the
    /// ledger's head hash, so that successive commands under a fixed clock still mint
    /// different ids.
    func random(for ledger: Ledger) throws -> any RandomNumberGenerator {
        guard let text = Environment.value("SYNCLEDGER_SEED"), let seed = UInt64(text) else {
            return SystemRandomNumberGenerator()
        }
        let head = try ledger.head().hash
        let mixed = head.utf8.reduce(seed) { ($0 &* 0x100_0000_01B3) ^ UInt64($1) }
        return SeededRandom(seed: mixed)
    }

    /// A ``TenantAdministrator`` on the ledger (which must exist unless `creating`), with
    /// this run's clock and random source.
    func administrator(creating: Bool = false) throws -> TenantAdministrator {
        let ledger = try creating ? openOrCreate() : open()
        return TenantAdministrator(ledger: ledger, clock: clock, random: try random(for: ledger))
    }

    /// Opens the ledger, which must exist.
    func open() throws -> Ledger {
        try Ledger(path: path, mode: .existing, clock: clock)
    }

    /// Opens the ledger, creating it (schema only) when it does not exist.
    func openOrCreate() throws -> Ledger {
        try Ledger(path: path, mode: .createIfMissing, clock: clock)
    }
}

/// Process environment access.
enum Environment {
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
