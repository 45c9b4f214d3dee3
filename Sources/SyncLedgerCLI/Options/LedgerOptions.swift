import ArgumentParser
import SyncLedgerDomain
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

    /// The random source for minted ids: the system's, or a seeded one when
    /// `$SYNCLEDGER_SEED` is set (for reproducible runs and tests).
    var random: any RandomNumberGenerator {
        if let text = Environment.value("SYNCLEDGER_SEED"), let seed = UInt64(text) {
            return SeededRandom(seed: seed)
        }
        return SystemRandomNumberGenerator()
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
