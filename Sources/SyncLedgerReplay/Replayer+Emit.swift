public import SyncLedgerDomain
import SyncLedgerStore
import Foundation

/// What one `replay` wrote.
public struct EmitReport: Sendable {
    public var plan: Plan
    /// Commands written (the plan's, plus resent pending ones).
    public var emitted: Int
    /// Of those, pending ones written again (`--resend-pending`).
    public var resent: Int
    /// The files written, in the order to run them.
    public var files: [String]
    /// The journal's run id, when commands were journaled.
    public var runID: Int64?
}

extension Replayer {
    /// At most this many requests in one Graph `$batch`.
    public static let batchLimit = 20

    /// Plans and writes the commands to `directory`, and journals them in the same
    /// transaction as the run that is the replay's checkpoint.
    ///
    /// - Parameters:
    ///   - savedPlan: a plan from `plan --out`; refused when the log moved past it (stale)
    ///     or when today's plan differs from it.
    ///   - allowDestructive: let held-back destructive commands through; recorded as a
    ///     `DestructiveChangesAllowed` event by `actor` with the plan's hash.
    ///   - resendPending: write again the journaled commands that have no result yet.
    ///   - full: plan every object, not only those changed since the last run.
    ///   - random: the source of initial passwords and of the allowance event's id.
    public func emit(
        to directory: String, savedPlan: SavedPlan? = nil, mode: ProvisioningMode? = nil, allowDestructive: Bool = false,
        actor: String = "syncledger", resendPending: Bool = false, full: Bool = false, random: inout some RandomNumberGenerator
    ) throws -> EmitReport {
        var plan = try self.plan(mode: mode, full: full)
        if let savedPlan {
            guard savedPlan.baseSeq == plan.baseSeq else {
                throw ReplayError(
                    .stalePlan,
                    "stale plan: it was made at seq \(savedPlan.baseSeq) but the log is now at seq \(plan.baseSeq); run `syncledger plan` again")
            }
            guard savedPlan.hash == plan.hash else {
                throw ReplayError(.stalePlan, "the saved plan no longer matches the ledger's plan (hash differs); run `syncledger plan` again")
            }
        }
        if allowDestructive, !plan.heldBack.isEmpty {
            let now = ledger.clock.now()
            let event = ProposedEvent(
                id: EventID.mint(at: now, using: &random), type: EventType.destructiveChangesAllowed.rawValue, stream: .tenant,
                actor: actor, source: "syncledger", occurredAt: now,
                data: ["planHash": .string(plan.hash), "counts": .object(plan.destructiveCounts.mapValues { .int(Int64($0)) })])
            try ledger.append { session in try session.append(event) }
            let allowed = plan.hash
            plan = try self.plan(mode: mode, allowedPlanHash: allowed, full: full)
        }
        var commands = plan.commands
        var resent = 0
        if resendPending {
            // Emissions with no result yet, in journal order, unless planned again.
            let planned = Set(commands.map(\.id))
            try ledger.forEachJournalEntry { entry in
                guard entry.result == nil, !planned.contains(entry.commandID), let command = Command(journal: entry) else { return }
                commands.append(command)
                resent += 1
            }
        }
        guard !commands.isEmpty else { return EmitReport(plan: plan, emitted: 0, resent: 0, files: [], runID: nil) }

        let files = try write(commands, to: directory, random: &random)
        let newCommands = commands.prefix(commands.count - resent)
        do {
            let runID = try ledger.recordRun(
                ReplayRun(baseSeq: plan.baseSeq, planHash: plan.hash, mode: plan.mode.rawValue, emittedAt: ledger.clock.now().rfc3339, outputDirectory: directory),
                commands: newCommands.map(\.journalEntry), expectedHead: plan.baseSeq, footprint: plan.footprint)
            return EmitReport(plan: plan, emitted: commands.count, resent: resent, files: files, runID: runID)
        } catch {
            for file in files { try? FileManager.default.removeItem(atPath: file) }
            throw error
        }
    }

    // MARK: - Files

    private func write(_ commands: [Command], to directory: String, random: inout some RandomNumberGenerator) throws -> [String] {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ReplayError(.output, "cannot create \(directory): \(error.localizedDescription)")
        }
        guard !manager.fileExists(atPath: "\(directory)/commands.ndjson") else {
            throw ReplayError(.output, "\(directory) already holds a replay's files; give a new --out folder")
        }
        var files: [String] = []
        var ndjson: [UInt8] = []
        var requests: [GraphRequest] = []
        var script: [String] = []
        // The stream of each command, by id: looked up for every request (a linear search was quadratic).
        let streams = Dictionary(commands.map { ($0.id, $0.stream) }, uniquingKeysWith: { first, _ in first })
        for command in commands {
            var line: [String: JSONValue] = [
                "id": .string(command.id), "operation": .string(command.operation.rawValue), "object": .string(command.stream.description),
                "target": .string(command.operation.route.rawValue), "mode": .string(command.mode.rawValue),
                "reversibility": .string(command.operation.reversibility), "destructive": .bool(command.isDestructive),
                "causes": ["firstSeq": .int(command.causes.firstSeq), "lastSeq": .int(command.causes.lastSeq), "actors": .array(command.causes.actors.map(JSONValue.string))],
            ]
            if let note = command.note { line["note"] = .string(note) }
            switch command.operation.route {
            case .graph:
                let password = command.operation == .userCreate ? Self.password(using: &random) : nil
                let body = command.body  // parsed once from its canonical bytes, for both renderings
                var request = GraphRenderer.request(for: command, body: body, password: password)
                let recorded = GraphRenderer.request(for: command, body: body, password: password.map { _ in "<set in the batch file>" })
                line["method"] = .string(recorded.method)
                line["url"] = .string(recorded.url)
                if let body = recorded.body { line["body"] = body }
                if !recorded.headers.isEmpty { line["headers"] = .object(recorded.headers.mapValues(JSONValue.string)) }
                // dependsOn only inside a batch: an earlier request on the same object in the batch being built.
                let batchStart = requests.count - requests.count % Self.batchLimit
                if let earlier = requests[batchStart...].last(where: { $0.id != request.id && streams[$0.id] == command.stream }) {
                    request.dependsOn = [earlier.id]
                }
                requests.append(request)
            case .exchange:
                let invocations = ExchangeRenderer.invocations(for: command)
                line["invocations"] = .array(invocations.map(\.json))
                script.append(contentsOf: Self.scriptBlock(command, invocations))
            }
            ndjson.append(contentsOf: JSONValue.object(line).canonicalBytes)
            ndjson.append(0x0A)
        }
        var batchNumber = 0
        var index = 0
        while index < requests.count {
            batchNumber += 1
            let batch = requests[index..<min(index + Self.batchLimit, requests.count)]
            let name = "\(directory)/graph-batch-\(String(format: "%04d", batchNumber)).json"
            try Self.writeFile(name, JSONValue.object(["requests": .array(batch.map(\.json))]).canonicalBytes, mode: 0o600)
            files.append(name)
            index += Self.batchLimit
        }
        if !script.isEmpty {
            let name = "\(directory)/exchange.ps1"
            try Self.writeFile(name, Array((Self.scriptHeader + script).joined(separator: "\n").utf8) + [0x0A], mode: 0o644)
            files.append(name)
        }
        let name = "\(directory)/commands.ndjson"
        try Self.writeFile(name, ndjson, mode: 0o644)
        files.append(name)
        return files
    }

    static func writeFile(_ path: String, _ bytes: [UInt8], mode: Int) throws {
        let manager = FileManager.default
        guard manager.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: mode]) else {
            throw ReplayError(.output, "cannot write \(path): check the folder's permissions and free space")
        }
    }

    // MARK: - PowerShell

    static let scriptHeader = [
        "# Exchange Online commands written by syncledger. Safe to run twice: every New-* is guarded by an",
        "# existence check, every Remove-* by a presence check, and Set-*/Update-* are set-to-state.",
        "# Run in a session opened with Connect-ExchangeOnline; results go to the NDJSON file for `syncledger ack`.",
        "param([string]$ResultsPath = 'exchange-results.ndjson')",
        "$ErrorActionPreference = 'Stop'",
        "function Write-SyncLedgerResult([string]$Command, [string]$Status, [string]$Message) {",
        "    $result = [ordered]@{ command = $Command; status = $Status }",
        "    if ($Message) { $result.error = $Message }",
        "    Add-Content -Path $ResultsPath -Value ($result | ConvertTo-Json -Compress)",
        "}",
        "",
    ]

    static func scriptBlock(_ command: Command, _ invocations: [ExchangeInvocation]) -> [String] {
        var lines = ["# \(command.operation.rawValue) \(command.stream) (\(command.operation.reversibility))"]
        lines.append("try {")
        for invocation in invocations { lines.append("    " + PowerShell.line(invocation)) }
        lines.append("    Write-SyncLedgerResult \(PowerShell.quote(command.id)) 'applied'")
        lines.append("} catch {")
        lines.append("    Write-SyncLedgerResult \(PowerShell.quote(command.id)) 'failed' $_.Exception.Message")
        lines.append("}")
        lines.append("")
        return lines
    }

    // MARK: - Passwords

    /// A 20-character initial password with upper, lower, digit and symbol characters.
    static func password(using random: inout some RandomNumberGenerator) -> String {
        let classes = [
            Array("ABCDEFGHJKLMNPQRSTUVWXYZ"), Array("abcdefghijkmnopqrstuvwxyz"), Array("23456789"), Array("!#%+-=?@^_"),
        ]
        var characters = classes.map { $0[Int(random.next() % UInt64($0.count))] }
        let all = classes.flatMap { $0 }
        while characters.count < 20 { characters.append(all[Int(random.next() % UInt64(all.count))]) }
        for index in characters.indices.reversed() {
            characters.swapAt(index, Int(random.next() % UInt64(index + 1)))
        }
        return String(characters)
    }
}

// MARK: - Journal form

extension Plan {
    /// What this plan looked at and left undone, recorded with its run so the next plan can
    /// look only at what changed.
    var footprint: PlanFootprint {
        PlanFootprint(
            isFull: scope.isFull, objectsPlanned: scope.objectsPlanned, asOf: asOf.rfc3339,
            waiting: Set(waiting.map(\.stream.description)), heldBack: Set(heldBack.map(\.stream.description)),
            resultsThrough: resultsThrough)
    }
}

extension Command {
    /// The journal row for this command.
    var journalEntry: JournalEntry {
        JournalEntry(
            commandID: id, stream: stream.description, operation: operation.rawValue, target: operation.route.rawValue,
            body: String(decoding: canonicalBody, as: UTF8.self), firstSeq: causes.firstSeq, lastSeq: causes.lastSeq, actors: causes.actors,
            mode: mode.rawValue, reversibility: operation.reversibility, destructive: isDestructive)
    }

    /// A journaled command, to write it again.
    init?(journal entry: JournalEntry) {
        guard let stream = try? ObjectRef(parsing: entry.stream), let operation = CommandOperation(rawValue: entry.operation),
            let body = try? JSONParser.parse(entry.body), let mode = ProvisioningMode(rawValue: entry.mode)
        else { return nil }
        self.init(
            id: entry.commandID, stream: stream, operation: operation, canonicalBody: body.canonicalBytes,
            causes: Causes(firstSeq: entry.firstSeq, lastSeq: entry.lastSeq, actors: entry.actors), mode: mode,
            destructiveKind: entry.destructive ? "journaled" : nil, note: "resent: no result was recorded for it")
    }
}
