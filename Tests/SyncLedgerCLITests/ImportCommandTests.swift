import Foundation
import SyncLedgerDomain
import SyncLedgerTestSupport
import Testing

@Suite("Importing with the syncledger binary")
struct ImportCommandTests {
    /// An HR export with a byte order mark, CRLF and quoted fields.
    static let snapshot = "\u{FEFF}anchor,userPrincipalName,displayName,givenName,surname,jobTitle,department,businessPhones\r\n"
        + "QUFB,ann@contoso.example,\"O'Brien, Ann\",Ann,O'Brien,\"Engineer, \"\"Senior\"\"\",R&D,+1 555 0100;+1 555 0101\r\n"
        + "QkJC,bob@contoso.example,Bob Smith,Bob,Smith,Director,Sales,\r\n"
        + "Q0ND,cy@contoso.example,\"Cy\nYoung\",Cy,Young,,,+1 555 0102\r\n"

    func run(_ arguments: [String], in directory: TemporaryDirectory) throws -> SyncLedgerBinary.Result {
        try SyncLedgerBinary.run(arguments, in: directory.path)
    }

    @Test("CSV snapshot → events → state users --format csv gives back the same data; a re-import appends nothing")
    func roundTrip() throws {
        let directory = TemporaryDirectory()
        #expect(try run(["init", "--tenant", "contoso", "--mode", "universal-sync"], in: directory).status == 0)
        directory.write("users.csv", Self.snapshot)
        let ingest = try run(["ingest", "users.csv", "--format", "csv", "--kind", "users"], in: directory)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stdout == "appended 3 events, 0 already recorded\n")

        let state = try run(["state", "users", "--format", "csv"], in: directory)
        #expect(state.status == 0)
        let output = Self.parseCSV(state.stdout)
        #expect(output.first == ["object", "user_principal_name", "display_name", "enabled", "licenses", "roles", "attributes"])
        let input = Self.parseCSV(String(Self.snapshot.dropFirst()))
        let header = input[0]
        #expect(output.count == input.count)
        // state lists users ordered by reference (UTF-8 bytes of kind:anchor).
        let rows = input.dropFirst().sorted { $0[0].utf8.lexicographicallyPrecedes($1[0].utf8) }
        for (row, exported) in zip(rows, output.dropFirst()) {
            #expect(exported[0] == "user:" + row[0])
            #expect(exported[1] == row[1])
            #expect(exported[2] == row[2])
            #expect(exported[3] == "true")
            var expected: [String: JSONValue] = [:]
            for (name, cell) in zip(header.dropFirst(), row.dropFirst()) where !cell.isEmpty {
                expected[name] = name == "businessPhones" ? .array(cell.split(separator: ";").map { .string(String($0)) }) : .string(cell)
            }
            #expect(try JSONParser.parse(exported[6]) == .object(expected))
        }

        let again = try run(["ingest", "users.csv", "--format", "csv", "--kind", "users"], in: directory)
        #expect(again.stdout == "appended 0 events, 0 already recorded, 3 records unchanged\n")
        #expect(try run(["verify"], in: directory).status == 0)
    }

    @Test("a bad cell exits 65 naming FILE:LINE and the column, without personal data; nothing is appended")
    func badCell() throws {
        let directory = TemporaryDirectory()
        _ = try run(["init", "--tenant", "contoso", "--mode", "universal-sync"], in: directory)
        directory.write("users.csv", "anchor,Email,User Name\r\nQUFB,ann@contoso.example,ann@contoso.example\r\nQkJC,bob at contoso,bob@contoso.example\r\n")
        let result = try run(["ingest", "users.csv", "--format", "csv", "--kind", "users"], in: directory)
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("syncledger: error: users.csv:3: field 'Email': "))
        #expect(!result.stderr.contains("bob"))
        #expect(try run(["log", "--format", "ndjson"], in: directory).stdout.split(separator: "\n").count == 1)
    }

    @Test("--format csv needs --kind; CSV options with another format are usage errors")
    func usage() throws {
        let directory = TemporaryDirectory()
        directory.write("x.csv", "anchor\n")
        #expect(try run(["ingest", "x.csv", "--format", "csv"], in: directory).status == 64)
        #expect(try run(["ingest", "x.csv", "--format", "ldif", "--full"], in: directory).status == 64)
    }

    @Test("graph-delta reports unmatched users on stdout")
    func graphDelta() throws {
        let directory = TemporaryDirectory()
        _ = try run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: directory)
        directory.write("delta.json", #"{"value": [{"id": "1", "userPrincipalName": "nobody@contoso.example"}], "@odata.deltaLink": "x"}"#)
        let result = try run(["ingest", "delta.json", "--format", "graph-delta"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "appended 0 events, 0 already recorded, 1 users unmatched\n")
    }

    /// RFC 4180 rows (quoted fields, doubled quotes, CRLF or LF).
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text.unicodeScalars)[...]
        while let c = characters.popFirst() {
            if quoted {
                if c == "\"" {
                    if characters.first == "\"" {
                        field.unicodeScalars.append("\"")
                        characters = characters.dropFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field)
                field = ""
            } else if c == "\r" {
                continue
            } else if c == "\n" {
                row.append(field)
                rows.append(row)
                (row, field) = ([], "")
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
