import ArgumentParser
import SyncLedgerAudit
import SyncLedgerDomain

/// `syncledger report`: tenant reports for people and spreadsheets.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a report: users, licenses, groups, memberships, contacts, resources, changes, actors, commands, drift, not-pushable.",
        discussion: """
            CSV follows RFC 4180; JSON is an array of objects with stable keys; html is one \
            self-contained file (no network) with the table and, for changes and actors, a chart. \
            Current-state reports stream (a 100k-user export does not hold the result in memory); \
            --as-of and --mode fold the log in memory first.
            """
    )

    @OptionGroup var options: LedgerOptions
    @OptionGroup var point: PointInTimeOptions

    @Argument(help: "The report.")
    var name: ReportName

    @Option(help: "Show what Office 365 must hold under this mode.")
    var mode: ProvisioningMode?

    @OptionGroup(title: "changes and actors") var window: TimeWindowOptions

    @Option(help: "Output format: table, json, csv or html.")
    var format: ReportFormat = .table

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case table, json, ndjson, csv, html }

    func run() throws {
        try reportingFailures {
            let writer = ReportWriter(ledger: try options.open())
            let columns = ReportWriter.columns(name)
            let reportOptions = ReportWriter.Options(
                point: point.point, mode: mode, since: window.start, until: window.end)
            if format == .html {
                let html = HTMLReport(title: "syncledger report: \(name.rawValue)", columns: columns, chart: name.hasChart ? name : nil)
                try writer.write(name, options: reportOptions) { html.row($0) }
                OutputSink.standardOutput.write(html.render())
                OutputSink.standardOutput.flush()
                return
            }
            let output = TabularOutput(columns: columns, format: OutputFormat(rawValue: format.rawValue)!)
            try writer.write(name, options: reportOptions) { output.row($0) }
            output.finish()
        }
    }
}

