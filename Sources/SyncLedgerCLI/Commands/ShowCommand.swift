import ArgumentParser
import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerStore

/// `syncledger show`: one object's state and its full history.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one object's state and its history: each event, who, when, and what changed.",
    )

    @OptionGroup var options: LedgerOptions
    @OptionGroup var point: PointInTimeOptions

    @Argument(help: "The object: user:<anchor>, group:<anchor>, … (or a current UPN or mail address).")
    var object: String

    func run() throws {
        try reportingFailures {
            let ledger = try options.open()
            let projector = DirectoryProjector(ledger: ledger)
            try projector.catchUp()
            let reference = try resolveObject(object, in: ledger)
            let (state, history) = try projector.history(of: reference, at: point.point)
            let out = OutputSink.standardOutput
            out.line(reference.description)
            guard let state else {
                out.line("  (not created at that point)")
                return
            }
            if let subtype = state.subtype { out.line("  kind:       \(subtype)") }
            out.line("  exists:     \(state.exists ? "yes" : "no (deleted)")")
            if reference.kind == .user {
                out.line("  enabled:    \(state.enabled ? "yes" : "no")")
                if !state.licenses.isEmpty { out.line("  licenses:   \(state.licenses.keys.sorted().joined(separator: ", "))") }
                if !state.roles.isEmpty { out.line("  roles:      \(state.roles.sorted().joined(separator: ", "))") }
            }
            if reference.kind == .group {
                out.line("  pushed:     \(state.pushed ? "yes" : "no")")
                out.line("  members:    \(state.members.count)")
            }
            for name in state.attributes.keys.sorted() {
                out.line("  \(name): \(TabularOutput.plainText(state.attributes[name]!))")
            }
            for name in state.directEdits.keys.sorted() {
                let edit = state.directEdits[name]!
                out.line("  edited in Office 365: \(name) = \(edit.value.map(TabularOutput.plainText) ?? "(cleared)") by \(edit.actor)")
            }
            out.line()
            out.line("history:")
            for entry in history {
                out.line("  seq \(entry.seq)  \(entry.occurredAt)  \(entry.type)  by \(entry.actor) from \(entry.source)")
                for change in entry.changes {
                    let old = change.old.map(TabularOutput.plainText) ?? "(none)"
                    let new = change.new.map(TabularOutput.plainText) ?? "(none)"
                    out.line("      \(change.attribute): \(old) -> \(new)")
                }
            }
        }
    }
}

/// An object named on the command line: a reference, or a current UPN or mail address.
func resolveObject(_ text: String, in ledger: Ledger) throws -> ObjectRef {
    if text.contains("@") {
        let matches = try ledger.directoryObjects(withAddress: text)
        guard let first = matches.first else {
            throw ValidationError("no object has that user principal name or mail address")
        }
        guard matches.count == 1 else { throw ValidationError("\(matches.count) objects have that address; name one by kind:anchor") }
        return first
    }
    return try parseObject(text)
}
