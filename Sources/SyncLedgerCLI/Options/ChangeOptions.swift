public import ArgumentParser
public import SyncLedgerDomain
public import SyncLedgerProjection
public import SyncLedgerAudit

/// Who makes a change through a command, recorded as the event's actor.
struct ChangeOptions: ParsableArguments {
    @Option(help: "Who is making the change (recorded as the event's actor).")
    var actor: String

    @Option(help: "The source system recorded with the event.")
    var source = "syncledger"

    func validate() throws {
        if actor.isEmpty { throw ValidationError("--actor must not be empty") }
    }
}

// MARK: - Domain values as arguments

extension ProvisioningMode: ExpressibleByArgument {}
extension DirectorySyncTool: ExpressibleByArgument {}
extension DeactivationOption: ExpressibleByArgument {}
extension AttributeTier: ExpressibleByArgument {}
extension ObjectKind: ExpressibleByArgument {}
extension StateView: ExpressibleByArgument {}
extension ReportName: ExpressibleByArgument {}
