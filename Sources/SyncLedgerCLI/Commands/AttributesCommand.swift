import ArgumentParser
import SyncLedgerDomain

/// `syncledger attributes`: the attribute catalog.
struct AttributesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attributes",
        abstract: "List the attribute catalog: tier and Office 365 route of every attribute.",
        discussion: """
            Names starting with x- are site-specific: kept in the ledger, never pushed.
            """
    )

    @Option(help: "Only this kind of object: user, group, contact or resource.")
    var kind: ObjectKind?

    @Option(help: "Only user attributes of this tier: basic, limited-extended or all-extended.")
    var tier: AttributeTier?

    @Option(help: "Output format: table, json, ndjson or csv.")
    var format: OutputFormat = .table

    func validate() throws {
        if kind == .tenant { throw ValidationError("--kind: the tenant has no attributes; use user, group, contact or resource") }
        if tier != nil, let kind, kind != .user { throw ValidationError("--tier applies to user attributes only") }
    }

    func run() throws {
        try reportingFailures {
            let output = TabularOutput(
                columns: ["kind", "name", "tier", "okta_label", "type", "route", "exchange_route"], format: format)
            for objectKind in ObjectKind.directoryKinds where kind == nil || kind == objectKind {
                for attribute in AttributeCatalog.attributes(for: objectKind) {
                    if let tier, attribute.tier != tier { continue }
                    output.row([
                        .string(objectKind.rawValue), .string(attribute.name),
                        attribute.tier.map { .string($0.rawValue) } ?? .null,
                        attribute.oktaLabel.map { .string($0) } ?? .null,
                        .string(String(describing: attribute.valueType)),
                        .string(attribute.route.description),
                        attribute.exchangeRoute.map { .string($0.description) } ?? .null,
                    ])
                }
            }
            output.finish()
        }
    }
}
