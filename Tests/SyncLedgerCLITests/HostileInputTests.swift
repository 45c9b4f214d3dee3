import Foundation
import SyncLedgerTestSupport
import Testing

/// Hostile input through the binary: the fuzz corpus, limits, personal data in errors, CSV
/// formula injection.
@Suite("Hostile input through the binary")
struct HostileInputTests {
    func run(_ arguments: [String], in directory: TemporaryDirectory) throws -> SyncLedgerBinary.Result {
        try SyncLedgerBinary.run(arguments, in: directory.path)
    }

    func initialised() throws -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        #expect(try run(["init", "--tenant", "contoso", "--mode", "universal-sync"], in: directory).status == 0)
        return directory
    }

    /// Runs a shell pipeline with `$BIN` set to the binary.
    func shell(_ script: String, in directory: TemporaryDirectory) throws -> SyncLedgerBinary.Result {
        try SyncLedgerBinary.run(
            ["-c", script], in: directory.path, environment: ["BIN": SyncLedgerBinary.path], executable: "/bin/sh")
    }

    @Test("every input of the fuzz corpus is a clean exit 0 or 65 with one error line, never a crash")
    func corpusThroughBinary() throws {
        let directory = try initialised()
        let root = ReadmeTests.packageRoot.appendingPathComponent("Tools/fuzz-corpus")
        var tried = 0
        for format in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            for file in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(format).path).sorted() {
                let path = root.appendingPathComponent(format).appendingPathComponent(file).path
                var arguments = ["ingest", "--dry-run", "--format", format, path]
                if format == "csv" { arguments += ["--kind", "users"] }
                let result = try run(arguments, in: directory)
                #expect(result.status == 0 || result.status == 65, "\(format)/\(file): exit \(result.status): \(result.stderr)")
                if result.status != 0 {
                    #expect(result.stderr.hasPrefix("syncledger: error: "), "\(format)/\(file): \(result.stderr)")
                    #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(format)/\(file): one line: \(result.stderr)")
                }
                tried += 1
            }
        }
        #expect(tried >= 10)
    }

    @Test("deeply nested JSON is refused with a clear error, not a stack overflow")
    func deepNesting() throws {
        let directory = try initialised()
        directory.write("deep.ndjson", #"{"type":"UserCreated","object":"user:QQ","data":"# + String(repeating: "[", count: 500_000) + "\n")
        let result = try run(["ingest", "deep.ndjson"], in: directory)
        #expect(result.status == 65)
        #expect(result.stderr.contains("deep.ndjson:1:"), "\(result.stderr)")
        #expect(result.stderr.lowercased().contains("nest") || result.stderr.contains("deep"), "\(result.stderr)")
    }

    @Test("a 64 MiB line on standard input: exit 65 naming the line, memory bounded (peak RSS under 100 MB; 1 GB and 10 GB in Tools/limits.sh)")
    func longLine() throws {
        let directory = try initialised()
        let timed = FileManager.default.isExecutableFile(atPath: "/usr/bin/time")
        let result = try shell(
            "head -c 67108864 /dev/zero | tr '\\000' 'a' | \(timed ? "/usr/bin/time -v " : "")\"$BIN\" ingest -", in: directory)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains("syncledger: error: <stdin>:1: line of 67108864 bytes is longer than the 1048576-byte limit"))
        if timed, let line = result.stderr.split(separator: "\n").first(where: { $0.contains("Maximum resident set size") }),
            let kilobytes = Int(line.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "")
        {
            #expect(kilobytes < 100_000, "peak RSS \(kilobytes) kB")
        }
    }

    @Test("error messages name fields, never the UPN or mail of the input")
    func noPersonalData() throws {
        let directory = try initialised()
        let upn = "secret.person@contoso.example"
        let cases: [(String, String, [String])] = [
            ("bad-ref.ndjson", #"{"type":"UserCreated","object":"user:\#(upn) x","data":{"attributes":{"userPrincipalName":"\#(upn)"}}}"#, []),
            ("bad-object.ndjson", #"{"type":"UserCreated","object":"\#(upn)","data":{"attributes":{"userPrincipalName":"\#(upn)"}}}"#, []),
            ("bad-attr.ndjson", #"{"type":"UserCreated","object":"user:QQ","data":{"attributes":{"userPrincipalName":"\#(upn)","mail":"\#(upn) not mail","displayName":"\#(upn)"}}}"#, []),
            ("unknown.ndjson", #"{"type":"UserCreated","object":"user:QQ","data":{"attributes":{"userPrincipalName":"\#(upn)","\#(upn)":"x"}}}"#, []),
            ("twice.ndjson", #"{"type":"UserCreated","object":"user:QQ","data":{"attributes":{"userPrincipalName":"\#(upn)"}}}"# + "\n"
                + #"{"type":"UserCreated","object":"user:QQ","data":{"attributes":{"userPrincipalName":"\#(upn)","displayName":"2"}}}"#, []),
            ("users.csv", "anchor,Email,User Name\r\nQUFB,\(upn) at work,\(upn)\r\n", ["--format", "csv", "--kind", "users"]),
            ("scim.json", #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"externalId":"QUFB","userName":"\#(upn)","active":"\#(upn)"}"#, ["--format", "scim"]),
            ("delta.json", #"{"value":"\#(upn)"}"#, ["--format", "graph-delta"]),
        ]
        for (name, text, options) in cases {
            directory.write(name, text)
            let result = try run(["ingest", name] + options, in: directory)
            #expect(result.status != 0, "\(name) was accepted")
            #expect(!result.stderr.contains("secret.person"), "\(name): \(result.stderr)")
        }
        // Nothing of the above was appended.
        #expect(try run(["verify"], in: directory).stdout.hasPrefix("OK 1 events"))
    }

    @Test("CSV output neutralises formula cells: a leading ' before =, +, -, @")
    func formulaInjection() throws {
        let directory = try initialised()
        directory.write(
            "users.ndjson",
            #"{"type":"UserCreated","object":"user:QQ","data":{"attributes":{"userPrincipalName":"ann@contoso.example","displayName":"=HYPERLINK(\"http://evil.example\",\"x\")"}}}"# + "\n"
                + #"{"type":"UserCreated","object":"user:Qg","data":{"attributes":{"userPrincipalName":"bob@contoso.example","displayName":"@SUM(1+1)*cmd|' /C calc'!A0"}}}"# + "\n"
                + #"{"type":"UserCreated","object":"user:Qw","data":{"attributes":{"userPrincipalName":"cy@contoso.example","displayName":"+47 22 00 00 00"}}}"# + "\n"
                + #"{"type":"UserCreated","object":"user:RA","data":{"attributes":{"userPrincipalName":"di@contoso.example","displayName":"-1+2"}}}"# + "\n")
        #expect(try run(["ingest", "users.ndjson"], in: directory).status == 0)
        let state = try run(["state", "users", "--format", "csv"], in: directory)
        let cells = ImportCommandTests.parseCSV(state.stdout).dropFirst().map { $0[2] }
        #expect(cells.sorted() == ["'+47 22 00 00 00", "'-1+2", "'=HYPERLINK(\"http://evil.example\",\"x\")", "'@SUM(1+1)*cmd|' /C calc'!A0"])
        // The other formats keep the value as it is.
        let json = try run(["state", "users", "--format", "ndjson"], in: directory)
        #expect(json.stdout.contains(#""display_name":"=HYPERLINK(\"http://evil.example\",\"x\")""#))
    }
}
