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
    /// The line being built (CSV, JSON), reused from row to row.
    private var line: [UInt8] = []

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
            line.removeAll(keepingCapacity: true)
            for (index, value) in values.enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                CSV.appendField(value, to: &line)
            }
            line.append(0x0D)
            line.append(0x0A)
            sink.write(bytes: line)
        case .json, .ndjson:
            line.removeAll(keepingCapacity: true)
            if format == .json { line.append(contentsOf: (rowCount == 0 ? "\n" : ",\n").utf8) }
            JSONValue.object(Dictionary(uniqueKeysWithValues: zip(columns, values))).appendCanonical(to: &line)
            if format == .ndjson { line.append(0x0A) }
            sink.write(bytes: line)
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
        if case .string(let string) = value { return string }
        var out: [UInt8] = []
        appendPlainText(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``plainText(_:)``'s UTF-8 bytes to `out`.
    static func appendPlainText(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .null:
            return
        case .string(let string):
            out.append(contentsOf: string.utf8)
        case .array(let items) where items.allSatisfy({ $0.stringValue != nil }):
            // Lists of names read better, and re-import (the CSV importer splits on ';').
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ";")) }
                out.append(contentsOf: item.stringValue!.utf8)
            }
        default:
            value.appendCanonical(to: &out)
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
    /// The first bytes that make a spreadsheet read a cell as a formula (`=`, `+`, `-`, `@`,
    /// and tab and CR, which some spreadsheets skip before one).
    static let formulaTriggers: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D,
    ]

    /// One field, quoted when it holds a comma, a quote, CR or LF (quotes doubled).
    ///
    /// With `neutralizingFormulas` (every text cell: names, attributes), a cell that starts
    /// with a formula trigger gets a leading `'`, so a spreadsheet shows `=HYPERLINK(…)` as text
    /// instead of running it (OWASP's CSV injection advice). A phone number such as
    /// `+47 22 00 00 00` in its own cell is prefixed as well: it is a text cell like any
    /// other, and telling it from `+cmd|…` by its shape is how filters get bypassed. Numbers,
    /// Booleans and JSON cells (`{…}`, `[…]`) are never prefixed.
    static func field(_ text: String, neutralizingFormulas: Bool = false) -> String {
        var out: [UInt8] = []
        appendField(text.utf8, neutralizingFormulas: neutralizingFormulas, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends a row value as a field: its ``TabularOutput/plainText(_:)``, text cells
    /// (strings) neutralized as ``field(_:neutralizingFormulas:)`` says.
    static func appendField(_ value: JSONValue, to out: inout [UInt8]) {
        if case .string(let string) = value {
            appendField(string.utf8, neutralizingFormulas: true, to: &out)
            return
        }
        var text: [UInt8] = []
        TabularOutput.appendPlainText(value, to: &text)
        appendField(text, neutralizingFormulas: false, to: &out)
    }

    /// Appends the UTF-8 `text` as one field, working on bytes (every byte the rules look
    /// at is ASCII, and no byte of a multi-byte character is).
    static func appendField(_ text: some Collection<UInt8>, neutralizingFormulas: Bool, to out: inout [UInt8]) {
        let quoted = text.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        if quoted { out.append(UInt8(ascii: "\"")) }
        if neutralizingFormulas, let first = text.first, formulaTriggers.contains(first) { out.append(UInt8(ascii: "'")) }
        if quoted {
            for byte in text {
                if byte == UInt8(ascii: "\"") { out.append(byte) }
                out.append(byte)
            }
            out.append(UInt8(ascii: "\""))
        } else {
            out.append(contentsOf: text)
        }
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
