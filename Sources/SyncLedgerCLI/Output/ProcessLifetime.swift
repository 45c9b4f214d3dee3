/// Keeps a command's large results until the process exits.
///
/// Freeing a view of 100,000 objects, or a plan of 100,000 commands, one allocation at a
/// time takes a few hundred milliseconds after the output is written, which the user waits
/// for; the exit returns that memory at once (as compilers skip freeing their trees before
/// they exit). Only for a value the command is done with, at its end: the memory stays
/// taken until the exit, never more than the command's peak.
enum ProcessLifetime {
    /// Keeps `value` alive, unreleased, until the process exits.
    static func keepUntilExit<T>(_ value: T) {
        _ = Unmanaged.passRetained(Kept(value))
    }

    private final class Kept<T> {
        let value: T
        init(_ value: T) { self.value = value }
    }
}
