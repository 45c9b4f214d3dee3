import ArgumentParser
import SyncLedgerDomain
import SyncLedgerIngest
import SyncLedgerStore

/// `syncledger init`: creates a ledger and records the tenant.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a ledger for a tenant.",
        discussion: """
            Refuses (exit 1) when the ledger already holds events, and when the mode and the \
            directory-sync tool break the seed's rules (user-sync and universal-sync cannot run \
            with DirSync, Azure AD Sync or Azure AD Connect).
            """
    )

    @OptionGroup var options: LedgerOptions

    @Option(help: "The tenant's name.")
    var tenant: String

    @Option(help: "The provisioning mode: licenses-roles, profile-sync, user-sync or universal-sync.")
    var mode: ProvisioningMode

    @Option(help: "The directory-sync tool the tenant runs: none, dirsync, aad-sync or aad-connect.")
    var directorySync: DirectorySyncTool = .none

    @Flag(help: "The org has the Microsoft Graph API feature (allows going back to profile-sync).")
    var graphAPIFeature = false

    @Option(help: "Who is doing this (recorded as the event's actor).")
    var actor = "syncledger"

    func validate() throws {
        if tenant.isEmpty { throw ValidationError("--tenant must not be empty") }
    }

    func run() throws {
        try reportingFailures {
            var admin = try options.administrator(creating: true)
            let ledger = admin.ledger
            try admin.initialize(
                tenant: tenant,
                data: [
                    "mode": .string(mode.rawValue), "directorySync": .string(directorySync.rawValue),
                    "graphAPIFeature": .bool(graphAPIFeature),
                ],
                actor: actor, source: "syncledger")
            OutputSink.standardOutput.line("Initialised tenant \(tenant) (\(mode.rawValue)) in \(ledger.path)")
        }
    }
}
