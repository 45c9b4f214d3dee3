import Foundation
public import SyncLedgerDomain

/// A JSON input file read whole: one document (pretty-printed or not), or NDJSON (one value
/// per line). Used by the SCIM and Graph delta importers.
///
/// The file is NDJSON when its first non-blank line is a complete JSON value by itself;
/// otherwise the whole file must be one document. Errors in NDJSON name the line; a document
/// has no lines to name, so its records are numbered instead.
public enum JSONInput {
    /// One value and where it came from: its line (NDJSON) or nil (the whole document).
    public struct Value {
        public var line: Int?
        public var value: JSONValue
    }

    /// The values of the file at `path` (`-`: standard input).
    public static func read(_ path: String) throws(IngestError) -> [Value] {
        let bytes = try contents(path)
        var lines: [(Int, ArraySlice<UInt8>)] = []
        var start = bytes.startIndex
        var number = 0
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.endIndex
            number += 1
            var line = bytes[start..<end]
            if line.last == 0x0D { line = line.dropLast() }
            if number == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { lines.append((number, line)) }
            start = end == bytes.endIndex ? end : end + 1
        }
        guard let first = lines.first else { return [] }
        if lines.count > 1, (try? JSONParser.parse(first.1)) == nil {
            var document = bytes[...]
            if document.starts(with: [0xEF, 0xBB, 0xBF]) { document = document.dropFirst(3) }
            do {
                return [Value(line: nil, value: try JSONParser.parse(document))]
            } catch {
                throw IngestError(.malformedJSON, file: path, line: nil, field: nil, error.description)
            }
        }
        var values: [Value] = []
        values.reserveCapacity(lines.count)
        for (number, line) in lines {
            do {
                values.append(Value(line: number, value: try JSONParser.parse(line)))
            } catch {
                throw IngestError(.malformedJSON, file: path, line: number, field: nil, error.description)
            }
        }
        return values
    }

    /// The bytes of `path`, or of standard input for `-`.
    static func contents(_ path: String) throws(IngestError) -> [UInt8] {
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IngestError(.unreadableFile, file: path, line: nil, field: nil, "cannot open the file")
        }
        return Array(data)
    }
}
