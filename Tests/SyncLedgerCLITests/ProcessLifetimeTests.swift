@testable import SyncLedgerCLI
import Testing

@Suite("ProcessLifetime: a command's large result is left to the process's exit")
struct ProcessLifetimeTests {
    final class Tracked {
        let onDeinit: () -> Void
        init(onDeinit: @escaping () -> Void) { self.onDeinit = onDeinit }
        deinit { onDeinit() }
    }

    @Test("a kept value is never released; one not kept is")
    func kept() {
        var released: [String] = []
        do {
            let kept = Tracked { released.append("kept") }
            let dropped = Tracked { released.append("dropped") }
            ProcessLifetime.keepUntilExit([kept])
            _ = dropped
        }
        #expect(released == ["dropped"])
    }
}
