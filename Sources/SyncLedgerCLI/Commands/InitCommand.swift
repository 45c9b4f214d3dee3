import ArgumentParser
import SyncLedgerStore
import SyncLedgerIngest

/// `syncledger init`: creates a ledger and records the tenant.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a ledger for a tenant.",
        discussion: "Refuses (exit 1) when the ledger already holds events."
    )

    @OptionGroup var options: LedgerOptions

    @Option(help: "The tenant's name.")
    var tenant: String

    @Option(help: "Who is doing this (recorded as the event's actor).")
    var actor = "syncledger"

    func validate() throws {
        if tenant.isEmpty { throw ValidationError("--tenant must not be empty") }
    }

    func run() throws {
        try reportingFailures {
            let ledger = try options.openOrCreate()
            var admin = TenantAdministrator(ledger: ledger, clock: options.clock, random: options.random)
            try admin.initialize(tenant: tenant, actor: actor, source: "syncledger")
            OutputSink.standardOutput.line("Initialised tenant \(tenant) in \(ledger.path)")
        }
    }
}
