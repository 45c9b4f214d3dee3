import SyncLedgerAudit
import SyncLedgerDomain

/// A report as one self-contained HTML page: a table, and for activity reports an inline SVG
/// bar chart. No script, no external resource; every value is escaped.
final class HTMLReport {
    private let title: String
    private let columns: [String]
    private let chart: ReportName?
    private var rows: [[JSONValue]] = []

    init(title: String, columns: [String], chart: ReportName?) {
        self.title = title
        self.columns = columns
        self.chart = chart
    }

    func row(_ values: [JSONValue]) { rows.append(values) }

    /// Escapes text for HTML element content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    func render() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>\(Self.escape(title))</title>
            <style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}svg text{font:11px sans-serif}</style>
            </head><body>
            <h1>\(Self.escape(title))</h1>
            <p>\(rows.count) rows</p>

            """
        if let chart { html += self.chart(chart) }
        html += "<table><thead><tr>" + columns.map { "<th>\(Self.escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in rows {
            html += "<tr>" + row.map { "<td>\(Self.escape(TabularOutput.plainText($0)))</td>" }.joined() + "</tr>\n"
        }
        html += "</tbody></table></body></html>\n"
        return html
    }

    /// Bars: changes per day (changes) or per actor (actors).
    private func chart(_ name: ReportName) -> String {
        var bars: [(String, Int)] = []
        if name == .changes, let at = columns.firstIndex(of: "at") {
            var perDay: [String: Int] = [:]
            for row in rows { perDay[String((row[at].stringValue ?? "").prefix(10)), default: 0] += 1 }
            bars = perDay.keys.sorted().map { ($0, perDay[$0]!) }
        } else if name == .actors, let actor = columns.firstIndex(of: "actor"), let changes = columns.firstIndex(of: "changes") {
            bars = rows.map { ($0[actor].stringValue ?? "", Int($0[changes].intValue ?? 0)) }
        }
        guard let top = bars.map(\.1).max(), top > 0 else { return "" }
        let width = max(300, bars.count * 22)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"220\" role=\"img\" aria-label=\"changes\">\n"
        for (index, bar) in bars.enumerated() {
            let height = Int(Double(bar.1) / Double(top) * 160)
            let x = index * 22 + 4
            svg += "<rect x=\"\(x)\" y=\"\(180 - height)\" width=\"18\" height=\"\(height)\" fill=\"#3b6ea8\"><title>\(Self.escape(bar.0)): \(bar.1)</title></rect>\n"
            if bars.count <= 40 || index % max(1, bars.count / 20) == 0 {
                svg += "<text x=\"\(x)\" y=\"195\" transform=\"rotate(45 \(x) 195)\">\(Self.escape(String(bar.0.suffix(10))))</text>\n"
            }
        }
        return svg + "</svg>\n"
    }
}
