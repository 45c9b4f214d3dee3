import Foundation
import SyncLedgerDomain
import SyncLedgerReplay
import SyncLedgerSimulator
import SyncLedgerTestSupport
import Testing

/// Hostile input for `ack`: seeded mutations of real `$batch` responses and Exchange results.
///
/// Always on: 300 inputs; `Tools/fuzz.sh SECONDS` runs it for a time budget
/// (`$SYNCLEDGER_FUZZ_SECONDS`) from a chosen seed (`$SYNCLEDGER_FUZZ_SEED`).
@Suite("Fuzzing the ack parser")
struct AckFuzzTests {
    @Test("mutated results never crash, hang or throw an untyped error; a rejection is an input error")
    func mutations() throws {
        let environment = ProcessInfo.processInfo.environment
        let budget = environment["SYNCLEDGER_FUZZ_SECONDS"].flatMap(Double.init)
        let seed = environment["SYNCLEDGER_FUZZ_SEED"].flatMap(UInt64.init) ?? 9
        let harness = try ReplayHarness(mode: "universal-sync")
        try harness.user("U1")
        try harness.append("GroupCreated", Fixtures.group("DL"), ["kind": "distribution", "displayName": "List", "mailNickname": "list"])
        let report = try harness.emit()
        let outputs = try harness.tenant.run(directory: harness.directory.file("run\(harness.runs)"))
        let seeds = try outputs.map { try String(contentsOfFile: $0, encoding: .utf8) }
        #expect(seeds.count == 2, "a $batch response and Exchange results")
        let ids = report.plan.commands.map(\.id)
        var mutator = Mutator(
            seed: seed, seeds: seeds,
            dictionary: ids + ["\"responses\"", "\"status\"", "\"body\"", "\"error\"", "\"command\"", "applied", "failed", "throttled", "\"Retry-After\"", "429", "201"])
        let start = DispatchTime.now().uptimeNanoseconds
        var executions = 0
        var rejected = 0
        var slowest = 0.0
        while budget.map({ Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < $0 }) ?? (executions < 300) {
            let input = mutator.next()
            let began = DispatchTime.now().uptimeNanoseconds
            do {
                _ = try harness.replayer.ack(input, file: "results.json")
            } catch let error as ReplayError {
                rejected += 1
                #expect(error.code.isInputError, "\(error)")
            } catch {
                Issue.record("input \(executions) (seed \(seed)): an untyped error: \(type(of: error)): \(error)")
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
            slowest = max(slowest, seconds)
            #expect(seconds < 5, "input \(executions) (seed \(seed)) took \(seconds) s")
            executions += 1
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print("fuzz ack: \(executions) executions in \(String(format: "%.1f", seconds)) s, \(rejected) rejected with a typed error, slowest \(String(format: "%.3f", slowest)) s")
    }
}
