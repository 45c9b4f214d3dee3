import Foundation
import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerReplay
import SyncLedgerSimulator
import SyncLedgerStore
import SyncLedgerTestSupport

/// A ledger, a simulated Office 365, and the loop between them.
final class ReplayHarness {
    let directory = TemporaryDirectory()
    let ledger: Ledger
    let tenant = SimulatedTenant()
    var random = SeededRandom(seed: 11)
    var minute: Int64 = 0
    var runs = 0

    init(mode: String = "profile-sync") throws {
        ledger = try Fixtures.ledger(in: directory)
        try append("TenantInitialized", .tenant, ["name": "contoso", "mode": .string(mode)])
    }

    var replayer: Replayer { Replayer(ledger: ledger) }

    func append(_ type: String, _ stream: ObjectRef, _ data: JSONValue = [:], actor: String = "hr-import") throws {
        minute += 1
        let event = ProposedEvent(type: type, stream: stream, actor: actor, source: "test", occurredAt: Fixtures.at(minute), data: data)
        try ledger.append { session in try session.append(event) }
        try DirectoryProjector(ledger: ledger).catchUp()
    }

    func user(_ anchor: String, upn: String? = nil, name: String = "User", location: String? = "NO", extra: [String: JSONValue] = [:]) throws {
        var attributes: [String: JSONValue] = ["userPrincipalName": .string(upn ?? "\(anchor.lowercased())@contoso.example"), "displayName": .string(name)]
        if let location { attributes["usageLocation"] = .string(location) }
        attributes.merge(extra) { _, new in new }
        try append("UserCreated", Fixtures.user(anchor), ["attributes": .object(attributes)])
    }

    /// One replay into a fresh folder; returns the report.
    @discardableResult
    func emit(allowDestructive: Bool = false, resendPending: Bool = false, savedPlan: SavedPlan? = nil) throws -> EmitReport {
        runs += 1
        return try replayer.emit(
            to: directory.file("run\(runs)"), savedPlan: savedPlan, allowDestructive: allowDestructive, actor: "admin:ops",
            resendPending: resendPending, random: &random)
    }

    /// Runs the last emitted folder on the simulator and acks every result file.
    func simulateAndAck() throws {
        let outputs = try tenant.run(directory: directory.file("run\(runs)"))
        for output in outputs {
            _ = try replayer.ack(Array(try Data(contentsOf: URL(fileURLWithPath: output))), file: output)
        }
    }

    /// Replays, simulates and acks until nothing is left to emit; returns the rounds it took.
    @discardableResult
    func converge(maxRounds: Int = 5) throws -> Int {
        for round in 1...maxRounds {
            let report = try emit()
            if report.emitted == 0 { return round }
            try simulateAndAck()
        }
        return maxRounds + 1
    }

    /// What Office 365 must hold now.
    func targets() throws -> [ObjectRef: TargetObject] {
        try DirectoryProjector(ledger: ledger).snapshot(at: .now).targets()
    }
}
