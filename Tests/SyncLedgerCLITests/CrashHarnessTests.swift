import Foundation
import SyncLedgerTestSupport
import Testing

/// The short, always-on run of `Tools/crash-harness.sh` (the long one is documented in
/// `Tools/RELIABILITY.md`): SIGKILL during ingest and replay, then verify, no partial batch,
/// projections equal a rebuild, re-running completes with nothing duplicated.
@Suite("Crash harness (short run)")
struct CrashHarnessTests {
    @Test("ingest and replay survive 12 SIGKILLs at random moments with nothing lost or duplicated")
    func shortRun() throws {
        let script = ReadmeTests.packageRoot.appendingPathComponent("Tools/crash-harness.sh").path
        let result = try SyncLedgerBinary.run(
            [script, "--kills", "12", "--events", "600", "--batches", "1", "--seconds", "240", "--seed", "12"], in: "/",
            environment: ["SYNCLEDGER_BINARY": SyncLedgerBinary.path], executable: "/bin/bash")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("crash-harness: survived 12 kills"), "\(result.stdout)\(result.stderr)")
    }
}
