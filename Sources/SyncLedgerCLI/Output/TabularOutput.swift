import ArgumentParser
import SyncLedgerDomain

/// The formats of tabular output.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case ndjson
    case csv
}

/// Writes rows of named columns as an aligned table, a JSON array, NDJSON or RFC 4180 CSV.
///
/// JSON and CSV stream row by row; the table buffers, since it aligns its columns.
final class TabularOutput {
    let columns: [String]
    let format: OutputFormat
    private let sink: OutputSink
    private var tableRows: [[String]] = []
    private var rowCount = 0

    init(columns: [String], format: OutputFormat, sink: OutputSink = .standardOutput) {
        self.columns = columns
        self.format = format
        self.sink = sink
        if format == .csv { sink.line(columns.map { CSV.field($0) }.joined(separator: ",") + "\r") }
        if format == .json { sink.write("[") }
    }

    /// Adds a row: one JSON value per column (strings, numbers, null, or nested values).
    func row(_ values: [JSONValue]) {
        precondition(values.count == columns.count, "a row needs one value per column")
        switch format {
        case .table:
            tableRows.append(values.map { Self.plainText($0).replacingOccurrences(of: "\n", with: "\\n") })
        case .csv:
            sink.line(values.map { CSV.field(Self.plainText($0), neutralizingFormulas: $0.stringValue != nil) }.joined(separator: ",") + "\r")
        case .json, .ndjson:
            let object = JSONValue.object(Dictionary(uniqueKeysWithValues: zip(columns, values)))
            if format == .json { sink.write(rowCount == 0 ? "\n" : ",\n") }
            sink.write(bytes: object.canonicalBytes)
            if format == .ndjson { sink.write("\n") }
        }
        rowCount += 1
    }

    /// Writes what is buffered and closes the JSON array.
    func finish() {
        switch format {
        case .table:
            var widths = columns.map(\.count)
            for row in tableRows {
                for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
            }
            func render(_ cells: [String]) -> String {
                var line = ""
                for (index, cell) in cells.enumerated() {
                    if index > 0 { line += "  " }
                    line += index == cells.count - 1 ? cell : cell.padding(toLength: widths[index])
                }
                return line
            }
            sink.line(render(columns.map { $0.uppercased() }))
            for row in tableRows { sink.line(render(row)) }
        case .json:
            sink.line(rowCount == 0 ? "]" : "\n]")
        case .csv, .ndjson:
            break
        }
        sink.flush()
    }

    /// A value as text: strings as they are, lists of strings joined with `;`, other values
    /// as canonical JSON.
    static func plainText(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .string(let string): return string
        case .array(let items) where items.allSatisfy({ $0.stringValue != nil }):
            // Lists of names read better, and re-import (the CSV importer splits on ';').
            return items.compactMap(\.stringValue).joined(separator: ";")
        default: return value.canonicalString
        }
    }
}

extension String {
    /// The string padded with spaces to `length` characters.
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}

/// RFC 4180 fields.
enum CSV {
    /// The first characters that make a spreadsheet read a cell as a formula (`=`, `+`, `-`,
    /// `@`, and tab and CR, which some spreadsheets skip before one).
    static let formulaTriggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// One field, quoted when it holds a comma, a quote, CR or LF (quotes doubled).
    ///
    /// With `neutralizingFormulas` (every text cell: names, attributes), a cell that starts
    /// with a formula trigger gets a leading `'`, so a spreadsheet shows `=HYPERLINK(…)` as text
    /// instead of running it (OWASP's CSV injection advice). A phone number such as
    /// `+47 22 00 00 00` in its own cell is prefixed as well: it is a text cell like any
    /// other, and telling it from `+cmd|…` by its shape is how filters get bypassed. Numbers,
    /// Booleans and JSON cells (`{…}`, `[…]`) are never prefixed.
    static func field(_ text: String, neutralizingFormulas: Bool = false) -> String {
        var text = text
        if neutralizingFormulas, let first = text.first, formulaTriggers.contains(first) { text = "'" + text }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }
}

extension String {
    /// The string with every occurrence of `target` replaced.
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        // One ASCII byte (a quote, a newline): a byte loop, far cheaper than the generic search.
        if target.utf8.count == 1, let byte = target.utf8.first, byte < 0x80 {
            guard utf8.contains(byte) else { return self }
            var out: [UInt8] = []
            out.reserveCapacity(utf8.count + 8)
            for current in utf8 {
                if current == byte { out.append(contentsOf: replacement.utf8) } else { out.append(current) }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
