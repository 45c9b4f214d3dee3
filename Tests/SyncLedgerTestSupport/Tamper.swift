import SyncLedgerDomain
import SyncLedgerStore

/// What an attacker with write access to the ledger file does to hide an edit.
public enum Tamper {
    /// Drops the update trigger and recomputes every `prev_hash` and `hash` with the sqlite3
    /// shell, so that plain `verify` passes again over the edited rows.
    ///
    /// - Returns: the shell's error output (empty on success).
    @discardableResult
    public static func rechain(_ path: String) throws -> String {
        let events = try Ledger(path: path, clock: FixedClock(Fixtures.epoch)).events()
        var previous = [UInt8](repeating: 0, count: 32)
        var scratch: [UInt8] = []
        var sql = "DROP TRIGGER IF EXISTS events_refuse_update; BEGIN;"
        for event in events {
            let hash = EventChain.hash(event.chainFields, previous: previous, scratch: &scratch)
            sql += "UPDATE events SET prev_hash = '\(EventChain.hex(previous))', hash = '\(EventChain.hex(hash))' WHERE seq = \(event.seq);"
            previous = hash
        }
        return try SQLiteShell.run(path, sql + "COMMIT;").error
    }
}
