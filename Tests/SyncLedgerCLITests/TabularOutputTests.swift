import Foundation
@testable import SyncLedgerCLI
import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerTestSupport
import Testing

@Suite("Tabular output: rows written on every core are the rows written one by one")
struct TabularOutputTests {
    /// What `write` sends to a sink, as text.
    func captured(_ write: (OutputSink) -> Void) throws -> String {
        let directory = TemporaryDirectory()
        let path = directory.file("out")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(descriptor >= 0)
        let sink = OutputSink(descriptor: descriptor)
        write(sink)
        sink.flush()
        close(descriptor)
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    /// Rows of every kind of cell: text needing quotes and neutralising, lists, JSON, numbers, null.
    static func rows(_ count: Int) -> [[JSONValue]] {
        (0..<count).map { index -> [JSONValue] in
            let name: JSONValue = index % 7 == 0 ? "=cmd|\"x\"" : .string("Name, \(index)")
            let licenses: [JSONValue] = index % 3 == 0 ? [] : [.string("sku-\(index)"), "sku-b"]
            let attributes: JSONValue = .object(["title": .string("T \"\(index)\""), "n": .int(Int64(index))])
            let score: JSONValue = index % 5 == 0 ? .null : .double(Double(index) / 4)
            return [.string("user:U\(index)"), name, .bool(index % 2 == 0), .array(licenses), attributes, score]
        }
    }

    @Test("csv, json and ndjson: rows(count:_:) writes the bytes row(_:) writes, across blocks", arguments: [OutputFormat.csv, .json, .ndjson])
    func sameBytes(format: OutputFormat) throws {
        let columns = ["object", "name", "enabled", "licenses", "attributes", "score"]
        for count in [0, 1, 1_023, 1_025, 20_000] {
            let rows = Self.rows(count)
            let oneByOne = try captured { sink in
                let output = TabularOutput(columns: columns, format: format, sink: sink)
                for row in rows { output.row(row) }
                output.finish()
            }
            let inBlocks = try captured { sink in
                let output = TabularOutput(columns: columns, format: format, sink: sink)
                let (first, rest) = (Array(rows.prefix(count / 3)), Array(rows.dropFirst(count / 3)))
                output.rows(count: first.count) { first[$0] }
                output.rows(count: rest.count) { rest[$0] }
                output.finish()
            }
            #expect(inBlocks == oneByOne, "\(format) with \(count) rows")
            if format == .json { #expect(try JSONParser.parse(inBlocks).arrayValue?.count == count) }
        }
    }

    @Test("the table format aligns rows given in blocks as it does rows given one by one")
    func table() throws {
        let rows = Self.rows(50)
        let columns = ["object", "name", "enabled", "licenses", "attributes", "score"]
        let oneByOne = try captured { sink in
            let output = TabularOutput(columns: columns, format: .table, sink: sink)
            for row in rows { output.row(row) }
            output.finish()
        }
        let inBlocks = try captured { sink in
            let output = TabularOutput(columns: columns, format: .table, sink: sink)
            output.rows(count: rows.count) { rows[$0] }
            output.finish()
        }
        #expect(inBlocks == oneByOne)
        #expect(oneByOne.split(separator: "\n").count == 51)
    }

    @Test("an attribute-map cell writes the bytes of its map as a JSON value, in every format", arguments: OutputFormat.allCases)
    func attributeCells(format: OutputFormat) throws {
        let columns = ["object", "name", "attributes"]
        let maps: [AttributeMap] = [
            [:], ["title": "Engineer, \"Lead\"", "n": 3, "é": "=1+1"], ["z": ["a", "b"], "A": .null, "m": ["k": true]],
        ]
        let rows = (0..<3_000).map { index -> (values: [JSONValue], cells: [StateTable.Cell]) in
            let map = maps[index % maps.count]
            let head: [JSONValue] = [.string("user:U\(index)"), index % 2 == 0 ? "=cmd" : .null]
            return (head + [map.json], head.map(StateTable.Cell.value) + [.attributes(map)])
        }
        let asValues = try captured { sink in
            let output = TabularOutput(columns: columns, format: format, sink: sink)
            for row in rows { output.row(row.values) }
            output.finish()
        }
        let asCells = try captured { sink in
            let output = TabularOutput(columns: columns, format: format, sink: sink)
            output.rows(count: rows.count) { rows[$0].cells }
            output.finish()
        }
        #expect(asCells == asValues)
    }

    @Test("a JSON row is the canonical object of its columns, in NDJSON and in a JSON array")
    func canonicalRows() throws {
        // Columns out of key order, one needing escapes: the row's members are sorted by key.
        let columns = ["zeta", "Alpha", "mid\"q", "beta"]
        let rows = Self.rows(10).map { Array($0.prefix(4)) }
        let ndjson = try captured { sink in
            let output = TabularOutput(columns: columns, format: .ndjson, sink: sink)
            output.rows(count: rows.count) { rows[$0] }
            output.finish()
        }
        let expected = rows.map { row in
            String(decoding: JSONValue.object(Dictionary(uniqueKeysWithValues: zip(columns, row))).canonicalBytes, as: UTF8.self)
        }
        #expect(ndjson.split(separator: "\n").map(String.init) == expected)
        let json = try captured { sink in
            let output = TabularOutput(columns: columns, format: .json, sink: sink)
            for row in rows { output.row(row) }
            output.finish()
        }
        #expect(json == "[\n" + expected.joined(separator: ",\n") + "\n]\n")
    }
}
