import Foundation
import SyncLedgerTestSupport
import Testing

@Suite("plan, replay, ack, audit, report and demo from the command line")
struct ReplayCommandTests {
    static let history = """
        {"type":"UserCreated","object":"user:QUJD","actor":"hr-import","source":"workday","at":"2026-01-05T09:00:00Z","data":{"attributes":{"userPrincipalName":"ann@contoso.example","displayName":"Ann, \\"the\\" Engineer","usageLocation":"NO"}}}
        {"type":"UserCreated","object":"user:QkJC","actor":"hr-import","source":"workday","at":"2026-01-05T09:01:00Z","data":{"attributes":{"userPrincipalName":"bob@contoso.example","displayName":"=cmd|' /C calc'!A0","usageLocation":"NO"}}}
        """

    func run(_ arguments: [String], in directory: TemporaryDirectory, stdin: String? = nil) throws -> SyncLedgerBinary.Result {
        try SyncLedgerBinary.run(arguments, in: directory.path, stdin: stdin)
    }

    func prepared() throws -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        _ = try run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: directory)
        #expect(try run(["ingest", "-"], in: directory, stdin: Self.history).status == 0)
        return directory
    }

    @Test("plan --detailed-exitcode exits 2 with changes and 0 once replayed; replay twice writes nothing the second time")
    func planAndReplay() throws {
        let directory = try prepared()
        let plan = try run(["plan", "--detailed-exitcode"], in: directory)
        #expect(plan.status == 2)
        #expect(plan.stdout.hasPrefix("Plan: 2 to create\n"))
        #expect(plan.stdout.contains("\nFull plan of 2 objects: no run yet.\n"))
        let replay = try run(["replay", "--out", "run1"], in: directory)
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout.contains("Emitted 2 commands in run 1:"))
        #expect(FileManager.default.fileExists(atPath: directory.file("run1/graph-batch-0001.json")))
        #expect(try run(["plan", "--detailed-exitcode"], in: directory).status == 0)
        let again = try run(["replay", "--out", "run2"], in: directory)
        #expect(again.stdout.hasSuffix("Nothing to emit.\n"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("run2/commands.ndjson")))

        // After the run, a change is planned alone; --full looks at every object for the same commands.
        _ = try run(["ingest", "-"], in: directory, stdin: #"{"type":"UserUpdated","object":"user:QkJC","at":"2026-01-06T09:00:00Z","data":{"set":{"displayName":"Bob"},"unset":[]}}"#)
        let incremental = try run(["plan"], in: directory)
        #expect(incremental.stdout.hasPrefix("Plan: 1 to update\n"), "\(incremental.stdout)")
        #expect(incremental.stdout.contains("\nIncremental plan of 1 object: objects changed since run 1 (seq 3)"))
        let full = try run(["plan", "--full"], in: directory)
        #expect(full.stdout.contains("\nFull plan of 2 objects: asked for (--full).\n"))
        let json = try run(["plan", "--format", "json"], in: directory).stdout
        #expect(json.contains(#""scope":{"full":false,"objects":1,"reason":"#))
    }

    @Test("replay --plan refuses a stale plan (exit 1) and appends nothing to the journal")
    func stalePlan() throws {
        let directory = try prepared()
        #expect(try run(["plan", "--out", "plan.json"], in: directory).status == 0)
        _ = try run(["ingest", "-"], in: directory, stdin: #"{"type":"UserUpdated","object":"user:QUJD","at":"2026-01-06T09:00:00Z","data":{"set":{"jobTitle":"Lead"},"unset":[]}}"#)
        let replay = try run(["replay", "--out", "run1", "--plan", "plan.json"], in: directory)
        #expect(replay.status == 1)
        #expect(replay.stderr.contains("stale plan"))
        #expect(try SQLiteShell.run(directory.file("ledger.sqlite"), "SELECT count(*) FROM journal_commands").output == "0\n")
    }

    @Test("ack refuses a malformed results file with exit 65, naming the file, the response and the field")
    func badAck() throws {
        let directory = try prepared()
        directory.write("responses.json", #"{"responses":[{"id":"nope","status":201}]}"#)
        let ack = try run(["ack", "responses.json"], in: directory)
        #expect(ack.status == 65)
        #expect(ack.stderr == "syncledger: error: responses.json: response 1: field 'id': names no emitted command (was the batch written by this ledger?)\n")
    }

    @Test("audit and report: CSV quoting and formula cells, and the audit's columns")
    func auditAndReport() throws {
        let directory = try prepared()
        let audit = try run(["audit", "--object", "ann@contoso.example", "--attribute", "displayName", "--format", "csv"], in: directory)
        #expect(audit.status == 0, "\(audit.stderr)")
        let lines = audit.stdout.components(separatedBy: "\r\n")
        #expect(lines[0] == "at,actor,source,object,object_name,action,attribute,old,new,status,seq,event_id,commands")
        #expect(lines[1].hasPrefix("2026-01-05T09:00:00.000Z,hr-import,workday,user:QUJD,ann@contoso.example,Create,displayName,,\"Ann, \"\"the\"\" Engineer\",not sent,"))
        let report = try run(["report", "users", "--format", "csv"], in: directory)
        #expect(report.status == 0)
        #expect(report.stdout.components(separatedBy: "\r\n")[0] == "object,user_principal_name,display_name,given_name,surname,department,job_title,usage_location,enabled,licenses,roles")
        #expect(report.stdout.contains("\"Ann, \"\"the\"\" Engineer\""))
        let html = try run(["report", "changes", "--format", "html"], in: directory)
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(html.stdout.contains("<svg"))
        #expect(!html.stdout.contains("<script"))
        #expect(html.stdout.contains("Ann, &quot;the&quot; Engineer"))
    }

    @Test("the demo runs end to end and its ledger re-verifies")
    func demo() throws {
        let directory = TemporaryDirectory()
        let demo = try run(["demo", "--dir", "story", "--users", "8", "--seed", "7"], in: directory)
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("run 3: nothing to emit: Office 365 matches the ledger") || demo.stdout.contains("nothing to emit"))
        #expect(demo.stdout.contains("Q1:"))
        #expect(demo.stdout.contains("Q2:"))
        #expect(demo.stdout.contains("Q3:"))
        let verify = try run(["verify", "--ledger", "story/ledger.sqlite"], in: directory)
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("OK "))
        // The same seed tells the same story.
        let again = try run(["demo", "--dir", "story2", "--users", "8", "--seed", "7"], in: directory)
        #expect(again.stdout.replacingOccurrences(of: "story2", with: "story") == demo.stdout)
    }
}

@Suite("Golden report")
struct GoldenReportTests {
    @Test("report users --format csv is byte for byte what a spreadsheet expects")
    func goldenUsersCSV() throws {
        let directory = TemporaryDirectory()
        _ = try SyncLedgerBinary.run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: directory.path)
        let history = """
            {"type":"UserCreated","object":"user:QUJD","at":"2026-01-05T09:00:00Z","data":{"attributes":{"userPrincipalName":"ann@contoso.example","displayName":"Berg, Ann","givenName":"Ann","surname":"Berg","department":"R&D","jobTitle":"Lead \\"Platform\\"","usageLocation":"NO"}}}
            {"type":"LicenseAssigned","object":"user:QUJD","at":"2026-01-05T09:01:00Z","data":{"skuId":"6fd2c87f-b296-42f0-b197-1e91e994b900"}}
            {"type":"UserCreated","object":"user:QkJC","at":"2026-01-05T09:02:00Z","data":{"attributes":{"userPrincipalName":"bob@contoso.example","displayName":"Bob\\nNewline"}}}
            {"type":"UserDeactivated","object":"user:QkJC","at":"2026-01-06T09:00:00Z","data":{}}
            """
        #expect(try SyncLedgerBinary.run(["ingest", "-"], in: directory.path, stdin: history).status == 0)
        let report = try SyncLedgerBinary.run(["report", "users", "--format", "csv"], in: directory.path)
        let golden = [
            "object,user_principal_name,display_name,given_name,surname,department,job_title,usage_location,enabled,licenses,roles",
            "user:QUJD,ann@contoso.example,\"Berg, Ann\",Ann,Berg,R&D,\"Lead \"\"Platform\"\"\",NO,true,6fd2c87f-b296-42f0-b197-1e91e994b900,",
            "user:QkJC,bob@contoso.example,\"Bob\nNewline\",,,,,,false,,",
            "",
        ].joined(separator: "\r\n")
        #expect(report.stdout == golden)
    }
}
