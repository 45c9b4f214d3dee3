import Foundation
import SyncLedgerAudit
import SyncLedgerDomain
import SyncLedgerGenerator
import SyncLedgerIngest
import SyncLedgerProjection
import SyncLedgerReplay
import SyncLedgerSimulator
import SyncLedgerStore

/// The demo's story: each step calls the libraries and says what it did in plain words.
struct DemoScript {
    let directory: String
    let seed: UInt64
    let users: Int
    let out: OutputSink

    func run() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let generator = HistoryGenerator(seed: seed, size: .init(users: users, months: 4))
        // The demo's clock is the day after the generated history ends, so grace periods have run.
        let clock = FixedClock(generator.start.adding(days: generator.size.months * 30 + 1))
        let ledger = try Ledger(path: "\(directory)/ledger.sqlite", mode: .createIfMissing, clock: clock)
        var random = SeededRandom(seed: seed)
        var admin = TenantAdministrator(ledger: ledger, clock: FixedClock(generator.start), random: random)
        let tenant = SimulatedTenant()

        step("1. A new ledger for the tenant contoso, in profile-sync")
        try admin.initialize(tenant: "contoso", data: ["mode": "profile-sync"], actor: "admin:setup", source: "syncledger")
        try admin.setDeactivation(.blockRemoveLicensesAfter, graceDays: 3, actor: "admin:setup", source: "syncledger")
        out.line("   ledger: \(directory)/ledger.sqlite (open it with sqlite3)")
        out.line("   deactivation: block sign-in, remove licenses after a 3-day grace period")

        step("2. Four months of directory history (hires, title changes, a rename, departures, a direct edit in Office 365)")
        let historyFile = "\(directory)/history.ndjson"
        var lines: [UInt8] = []
        generator.generate { event in
            lines.append(contentsOf: ndjson(event))
            lines.append(0x0A)
        }
        try Data(lines).write(to: URL(fileURLWithPath: historyFile))
        let summary = try EventIngestor(ledger: ledger, defaults: EventDefaults(actor: "demo", source: "demo", clock: clock))
            .ingestNDJSON(paths: [historyFile])
        out.line("   ingested \(summary.appended) events from \(historyFile)")
        out.line("   chain: \(try ledger.verify().headHash.prefix(16))… (syncledger verify recomputes it)")

        step("3. The plan: what Office 365 needs")
        let replayer = Replayer(ledger: ledger)
        let first = try replayer.plan()
        out.line("   " + first.summary)
        if !first.waiting.isEmpty { out.line("   \(first.waiting.count) changes wait for Office 365 ids (memberships, roles, managers)") }
        if !first.notPushable.isEmpty { out.line("   not pushable: " + first.notPushable.map { "\($0.attribute) (\($0.reason))" }.joined(separator: "; ")) }

        step("4. Replay, run on the simulated Office 365, ack, until nothing is left")
        var run = 0
        func converge() throws {
            while true {
                run += 1
                let folder = "\(directory)/run-\(run)"
                let report = try replayer.emit(to: folder, actor: "admin:ops", random: &random)
                if report.emitted == 0 {
                    out.line("   run \(run): nothing to emit: Office 365 matches the ledger")
                    return
                }
                let results = try tenant.run(directory: folder)
                var acked = AckReport()
                for file in results {
                    let report = try replayer.ack(Array(try Data(contentsOf: URL(fileURLWithPath: file))), file: file)
                    acked.applied += report.applied
                    acked.failed += report.failed
                }
                out.line("   run \(run): emitted \(report.emitted) commands to \(folder)/ (\(report.files.map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))); \(acked.applied) applied, \(acked.failed) failed")
            }
        }
        try converge()
        out.line("   Office 365 now holds \(tenant.users.count) users and \(tenant.groups.count) pushed security group(s)")

        step("5. Switching to universal-sync: first the preview, then the switch")
        let preview = try replayer.plan(mode: .universalSync)
        out.line("   preview: " + preview.summary)
        // Decided today, after the history: the switch is dated by the demo's clock.
        var today = TenantAdministrator(ledger: ledger, clock: clock, random: random)
        try today.setMode(.universalSync, reason: "sync groups, lists, contacts and rooms too", actor: "admin:jdoe", source: "syncledger")
        let after = try replayer.plan()
        out.line("   after the switch: " + after.summary + (after.commands.map(\.id) == preview.commands.map(\.id) ? " (the same commands as the preview)" : ""))
        try converge()
        out.line("   Exchange Online now holds \(tenant.recipients.count) contacts, lists and rooms")

        step("6. Three audit questions")
        let trail = AuditTrail(ledger: ledger)
        let firstUser = try ObjectRef(kind: .user, anchor: HistoryGenerator.userAnchor(1))
        let renamed = try ObjectRef(kind: .user, anchor: HistoryGenerator.userAnchor(HistoryGenerator.renamedUser))
        var titleChanges: [AuditRow] = []
        try trail.forEachChange(matching: AuditQuery(object: firstUser, attribute: "jobTitle")) { titleChanges.append($0) }
        out.line("   Q1: who changed \(firstUser)'s job title?")
        for change in titleChanges.suffix(3) {
            out.line("       \(change.occurredAt.prefix(10)) \(change.actor) (\(change.source)): \(plain(change.old)) -> \(plain(change.new)) [\(change.status)]")
        }
        let march = try DirectoryProjector(ledger: ledger).snapshot(at: .time(Timestamp(rfc3339: "2026-03-01T00:00:00Z")!))
        out.line("   Q2: what did the tenant look like on 2026-03-01? \(march.existing(.user).count) users, \(march.existing(.user).filter { !$0.enabled }.count) deactivated, mode \(march.tenant.mode?.rawValue ?? "-")")
        var renames: [AuditRow] = []
        try trail.forEachChange(matching: AuditQuery(object: renamed, attribute: "userPrincipalName")) { renames.append($0) }
        if let rename = renames.last {
            out.line("   Q3: \(plain(rename.old)) was renamed \(plain(rename.new)) on \(rename.occurredAt.prefix(10)) by \(rename.actor); which commands carried it?")
            for command in rename.commands { out.line("       \(command.operation) \(command.id.prefix(12))…: \(command.status)") }
            let upnCommands = try ledger.journal(stream: renamed.description).filter { $0.body.contains("userPrincipalName") && $0.operation == "user.update" }
            for command in upnCommands {
                out.line("       \(command.operation) \(command.commandID.prefix(12))… in \(command.mode) set the new username: \(command.result?.status.rawValue ?? "pending")")
            }
            if upnCommands.isEmpty {
                out.line("       (the user reached Office 365 after the rename: its create carried the new username)")
            }
        }

        step("Done")
        out.line("   verify: \(try ledger.verify().count) events, chain intact")
        out.line("   try: syncledger audit --ledger \(directory)/ledger.sqlite --object \(renamed)")
        out.line("        syncledger show \(renamed) --ledger \(directory)/ledger.sqlite --as-of 2026-02-01")
        out.line("        syncledger report changes --ledger \(directory)/ledger.sqlite --format html > changes.html")
    }

    private func step(_ title: String) {
        out.line()
        out.line(title)
        out.flush()
    }

    private func plain(_ value: JSONValue?) -> String {
        value.map(TabularOutput.plainText) ?? "(none)"
    }

    private func ndjson(_ event: ProposedEvent) -> [UInt8] {
        JSONValue.object([
            "type": .string(event.type), "object": .string(event.stream.description), "actor": .string(event.actor),
            "source": .string(event.source), "at": .string(event.occurredAt.rfc3339), "data": event.data,
        ]).canonicalBytes
    }
}
