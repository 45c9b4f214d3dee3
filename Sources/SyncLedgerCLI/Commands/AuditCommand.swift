import ArgumentParser
import SyncLedgerAudit
import SyncLedgerDomain
import SyncLedgerStore

/// `syncledger audit`: who changed what, and which Office 365 commands carried it.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List every changed attribute: when, who, from which source, old -> new, and the Office 365 commands that carried it.",
        discussion: """
            Rows follow Entra's provisioning log: an action, a modified property with its old and new \
            value, and a status (applied, failed, pending, not sent). --object takes kind:anchor or \
            any current or former user principal name or mail: the history follows the anchor. \
            --command ID goes from a command back to the events and actors that caused it.
            """
    )

    @OptionGroup var options: LedgerOptions

    @Option(help: "Only this object: kind:anchor, or a current or former UPN or mail address.")
    var object: String?

    @Option(help: "Only changes by this actor.")
    var actor: String?

    @Option(help: "Only this attribute (or a prefix ending in ':', e.g. license:).")
    var attribute: String?

    @OptionGroup var window: TimeWindowOptions

    @Option(help: "Show the events and actors behind this command id instead.")
    var command: String?

    @Option(help: "Output format: table, json, ndjson or csv.")
    var format: OutputFormat = .table

    func validate() throws {
        if command != nil, object != nil || actor != nil || attribute != nil {
            throw ValidationError("--command lists one command's causes; it does not combine with the other filters")
        }
    }

    func run() throws {
        try reportingFailures {
            let ledger = try options.open()
            let trail = AuditTrail(ledger: ledger)
            if let command {
                try writeCauses(of: command, trail: trail)
                return
            }
            var reference: ObjectRef?
            if let object {
                if object.contains("@") {
                    let matches = try trail.objects(everAddressed: object)
                    guard matches.count == 1 else {
                        throw ValidationError(matches.isEmpty ? "no object ever had that address" : "\(matches.count) objects had that address; name one by kind:anchor")
                    }
                    reference = matches[0]
                } else {
                    reference = try parseObject(object)
                }
            }
            let query = AuditQuery(
                object: reference, actor: actor, attribute: attribute, since: window.start, until: window.end)
            let output = TabularOutput(columns: AuditRow.columns, format: format)
            try trail.forEachChange(matching: query) { output.row($0.values) }
            output.finish()
        }
    }

    private func writeCauses(of id: String, trail: AuditTrail) throws {
        let emissions = try trail.causes(ofCommand: id)
        guard !emissions.isEmpty else { throw ValidationError("no command with id \(id) was emitted") }
        let output = TabularOutput(
            columns: ["command", "operation", "object", "run", "status", "error", "seq", "at", "type", "actor", "source"], format: format)
        for emission in emissions {
            let entry = emission.entry
            let head: [JSONValue] = [
                .string(entry.commandID), .string(entry.operation), .string(entry.stream), .int(entry.runID),
                .string(entry.result?.status.rawValue ?? "pending"), entry.result?.error.map(JSONValue.string) ?? .null,
            ]
            if emission.events.isEmpty { output.row(head + [.null, .null, .null, .null, .null]) }
            for event in emission.events {
                output.row(head + [.int(event.seq), .string(event.occurredAt), .string(event.type), .string(event.actor), .string(event.source)])
            }
        }
        output.finish()
    }
}
