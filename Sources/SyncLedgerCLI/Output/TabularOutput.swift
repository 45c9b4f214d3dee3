import ArgumentParser
import SyncLedgerDomain
import SyncLedgerProjection

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
    /// The columns' indices in canonical key order: a JSON row's members are written in it.
    private let canonicalOrder: [Int]

    init(columns: [String], format: OutputFormat, sink: OutputSink = .standardOutput) {
        self.columns = columns
        self.format = format
        self.sink = sink
        let isJSON = format == .json || format == .ndjson
        precondition(!isJSON || Set(columns).count == columns.count, "a column name is a JSON row's key: each once")
        canonicalOrder = columns.indices.sorted { columns[$0].utf8.lexicographicallyPrecedes(columns[$1].utf8) }
        if format == .csv { sink.line(columns.map { CSV.field($0) }.joined(separator: ",") + "\r") }
        if format == .json { sink.write("[") }
    }

    /// Adds a row: one JSON value per column (strings, numbers, null, or nested values).
    func row(_ values: [JSONValue]) {
        add(values)
    }

    /// Adds a row of cells, one per column.
    private func add(_ values: [some TabularCell]) {
        precondition(values.count == columns.count, "a row needs one value per column")
        if format == .table {
            tableRows.append(values.map { Self.plainText($0.value).replacingOccurrences(of: "\n", with: "\\n") })
        } else {
            line.removeAll(keepingCapacity: true)
            Self.append(values, columns: columns, order: canonicalOrder, format: format, isFirst: rowCount == 0, to: &line)
            sink.write(bytes: line)
        }
        rowCount += 1
    }

    /// Adds `count` rows in order, as ``row(_:)`` adds one, row `index` being `row(index)`.
    /// In CSV and JSON the rows are built and written on every core, a block at a time, so
    /// they are never all held at once.
    func rows<Cell: TabularCell>(count: Int, _ row: @Sendable (Int) -> [Cell]) {
        guard format != .table else {
            for index in 0..<count { add(row(index)) }
            return
        }
        let (columns, order, format) = (columns, canonicalOrder, format)
        var start = 0
        while start < count {
            let end = min(start + Self.rowsPerBlock * Self.blocksAtOnce, count)
            let blocks = Array(stride(from: start, to: end, by: Self.rowsPerBlock))
            let firstInBlocks = rowCount - start
            let written = blocks.concurrentMap(minimumStripe: 1) { blockStart in
                var bytes: [UInt8] = []
                for index in blockStart..<min(blockStart + Self.rowsPerBlock, end) {
                    let values = row(index)
                    precondition(values.count == columns.count, "a row needs one value per column")
                    Self.append(
                        values, columns: columns, order: order, format: format, isFirst: firstInBlocks + index == 0, to: &bytes)
                }
                return bytes
            }
            for bytes in written { sink.write(bytes: bytes) }
            rowCount += end - start
            start = end
        }
    }

    private static let rowsPerBlock = 1_024
    private static let blocksAtOnce = 16

    /// Appends one row's line in a streaming format (CSV, JSON, NDJSON). A JSON row is the
    /// canonical object of the columns, its members written in `order` (the columns' indices
    /// in canonical key order): the bytes of the row as a dictionary, without one.
    private static func append(
        _ values: [some TabularCell], columns: [String], order: [Int], format: OutputFormat, isFirst: Bool,
        to line: inout [UInt8]
    ) {
        switch format {
        case .table:
            preconditionFailure("the table is aligned in finish()")
        case .csv:
            for (index, value) in values.enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                value.appendCSVField(to: &line)
            }
            line.append(0x0D)
            line.append(0x0A)
        case .json, .ndjson:
            if format == .json { line.append(contentsOf: (isFirst ? "\n" : ",\n").utf8) }
            line.append(UInt8(ascii: "{"))
            for (position, index) in order.enumerated() {
                if position > 0 { line.append(UInt8(ascii: ",")) }
                JSONValue.appendCanonicalString(columns[index], to: &line)
                line.append(UInt8(ascii: ":"))
                values[index].appendCanonical(to: &line)
            }
            line.append(UInt8(ascii: "}"))
            if format == .ndjson { line.append(0x0A) }
        }
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
        // Other values (numbers, lists, JSON) are written in place, then quoted if need be.
        let start = out.count
        TabularOutput.appendPlainText(value, to: &out)
        quote(&out, from: start)
    }

    /// Appends an attribute map as a field: its canonical JSON (the plain text of the map
    /// as a JSON object), quoted if need be.
    static func appendField(attributes map: AttributeMap, to out: inout [UInt8]) {
        let start = out.count
        map.appendCanonical(to: &out)
        quote(&out, from: start)
    }

    /// Appends the UTF-8 `text` as one field, working on bytes (every byte the rules look
    /// at is ASCII, and no byte of a multi-byte character is).
    static func appendField(_ text: some Collection<UInt8>, neutralizingFormulas: Bool, to out: inout [UInt8]) {
        let start = out.count
        if neutralizingFormulas, let first = text.first, formulaTriggers.contains(first) { out.append(UInt8(ascii: "'")) }
        out.append(contentsOf: text)
        quote(&out, from: start)
    }

    /// Quotes the field that starts at `start` and runs to the end of `out`, in place, when
    /// it holds a comma, a quote, CR or LF: quotes around it, and each quote in it doubled.
    private static func quote(_ out: inout [UInt8], from start: Int) {
        let end = out.count
        // A JSON cell holds a quote every few bytes: they are counted eight bytes at a time.
        let (quotes, needsQuotes) = out.withUnsafeBufferPointer { buffer -> (Int, Bool) in
            guard let base = buffer.baseAddress, end > start else { return (0, false) }
            var quotes = 0
            var breaks: UInt64 = 0
            var offset = start
            while end - offset >= 8 {
                let word = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
                quotes += zeroBytes(word ^ repeated(UInt8(ascii: "\""))).nonzeroBitCount
                breaks |= zeroBytes(word ^ repeated(UInt8(ascii: ",")))
                breaks |= zeroBytes(word ^ repeated(0x0A)) | zeroBytes(word ^ repeated(0x0D))
                offset += 8
            }
            var needsQuotes = breaks != 0
            for byte in UnsafeBufferPointer(rebasing: buffer[offset..<end]) {
                switch byte {
                case UInt8(ascii: "\""): quotes += 1
                case UInt8(ascii: ","), 0x0A, 0x0D: needsQuotes = true
                default: break
                }
            }
            return (quotes, needsQuotes || quotes > 0)
        }
        guard needsQuotes else { return }
        out.append(contentsOf: repeatElement(UInt8(ascii: "\""), count: quotes + 2))
        out.withUnsafeMutableBufferPointer { bytes in
            // From the back: each byte moves right by the quotes before it, plus one.
            let base = bytes.baseAddress!
            var write = bytes.count - 2
            var read = end - 1
            while read >= start {
                let byte = base[read]
                base[write] = byte
                write -= 1
                if byte == UInt8(ascii: "\"") {
                    base[write] = byte
                    write -= 1
                }
                read -= 1
            }
            base[write] = UInt8(ascii: "\"")
        }
    }

    /// `byte` in each of a word's eight bytes.
    @inline(__always)
    private static func repeated(_ byte: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(byte) }

    /// The high bit of each zero byte of `word`, and no other bit: exact, so its bits count
    /// the zero bytes.
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((word & lows) &+ lows) | word | lows)
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

// MARK: - Cells

/// A value a row of ``TabularOutput`` holds: written as CSV, as JSON, or (``value``) as text.
protocol TabularCell: Sendable {
    /// The cell as a JSON value.
    var value: JSONValue { get }
    /// Appends the cell's canonical JSON.
    func appendCanonical(to out: inout [UInt8])
    /// Appends the cell as one CSV field.
    func appendCSVField(to out: inout [UInt8])
}

extension JSONValue: TabularCell {
    var value: JSONValue { self }

    func appendCSVField(to out: inout [UInt8]) {
        CSV.appendField(self, to: &out)
    }
}

extension StateTable.Cell: TabularCell {
    func appendCSVField(to out: inout [UInt8]) {
        switch self {
        case .value(let value): CSV.appendField(value, to: &out)
        case .attributes(let map): CSV.appendField(attributes: map, to: &out)
        }
    }
}
