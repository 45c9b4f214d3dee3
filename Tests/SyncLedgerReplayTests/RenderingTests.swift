import Foundation
import SyncLedgerDomain
@testable import SyncLedgerReplay
import SyncLedgerSimulator
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Rendering: PowerShell quoting, URL encoding, $batch shape")
struct RenderingTests {
    @Test(
        "PowerShell values are single-quoted with ' doubled; $, backtick and \" stay literal; newlines stay on one line",
        arguments: [
            ("O'Brien", "'O''Brien'"), ("$(Remove-Item C:\\)", "'$(Remove-Item C:\\)'"), ("a`b", "'a`b'"),
            ("say \"hi\"", "'say \"hi\"'"), ("line1\nline2", "('line1' + [char]10 + 'line2')"), ("’quoted’", "'’’quoted’’'"),
            ("; Remove-Mailbox x", "'; Remove-Mailbox x'"), ("", "''"),
        ])
    func powershell(value: String, expected: String) {
        #expect(PowerShell.quote(value) == expected)
        #expect(!PowerShell.quote(value).contains("\n"))
    }

    @Test("guarded invocations do one thing per line")
    func guardedLine() {
        let invocation = ExchangeInvocation(
            "New-MailContact", [.init("Name", "O'Neil\n$x"), .init("ExternalEmailAddress", "o@p.example")], condition: .unlessExists,
            identity: "o'neil")
        #expect(
            PowerShell.line(invocation)
                == "if (-not (Get-Recipient -Identity 'o''neil' -ErrorAction SilentlyContinue)) { New-MailContact -Name ('O''Neil' + [char]10 + '$x') -ExternalEmailAddress 'o@p.example' }"
        )
        #expect(PowerShell.literal(["a", "b'c"]) == "'a','b''c'")
        #expect(PowerShell.literal(true) == "$true")
    }

    @Test("URL path segments are percent-encoded", arguments: [
        ("ann@contoso.example", "ann@contoso.example"), ("o'brien@x.example", "o%27brien@x.example"),
        ("a#b?c/d%e", "a%23b%3Fc%2Fd%25e"), ("zoë@x", "zo%C3%AB@x"), ("a b", "a%20b"),
    ])
    func urls(value: String, expected: String) {
        #expect(URLComponent.pathSegment(value) == expected)
    }

    @Test("OData keys double their quotes before encoding")
    func odataKey() {
        #expect(URLComponent.odataKey("it's") == "'it%27%27s'")
        #expect(URLComponent.odataKey("a+b/c==") == "'a%2Bb%2Fc%3D%3D'")
    }

    @Test("$batch files: at most 20 requests, unique ids, Content-Type with every body, relative urls, dependsOn inside the batch")
    func batchShape() throws {
        let harness = try ReplayHarness()
        for index in 1...45 { try harness.user("U\(index)", name: "Name \(index) O'Hara") }
        let report = try harness.emit()
        let batches = report.files.filter { $0.contains("graph-batch-") }
        #expect(batches.count == 3)
        var ids = Set<String>()
        for file in batches {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "batch files hold initial passwords")
            let requests = try #require(try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: file))))["requests"]?.arrayValue)
            #expect(requests.count <= 20)
            let local = Set(requests.compactMap { $0["id"]?.stringValue })
            #expect(local.count == requests.count)
            for request in requests {
                ids.insert(request["id"]!.stringValue!)
                #expect(request["url"]?.stringValue?.hasPrefix("/") == true)
                if request["body"] != nil { #expect(request["headers"]?["Content-Type"] == "application/json") }
                for dependency in request["dependsOn"]?.arrayValue ?? [] { #expect(local.contains(dependency.stringValue!)) }
            }
        }
        #expect(ids.count == 45)
        // Passwords never reach the ledger or commands.ndjson.
        let commands = try String(contentsOfFile: report.files.last!, encoding: .utf8)
        #expect(commands.contains("<set in the batch file>"))
        let ledgerBytes = try Data(contentsOf: URL(fileURLWithPath: harness.directory.file("ledger.sqlite")))
        let firstBatch = try String(contentsOfFile: batches[0], encoding: .utf8)
        let password = try #require(firstBatch.range(of: #""password":""#).map { String(firstBatch[$0.upperBound...].prefix(20)) })
        #expect(ledgerBytes.range(of: Data(password.utf8)) == nil)
    }

    @Test("the Exchange script is safe to run twice: guards, set-to-state, no failures the second time")
    func exchangeTwice() throws {
        let harness = try ReplayHarness(mode: "universal-sync")
        try harness.append("ContactCreated", try ObjectRef(parsing: "contact:C1"), ["displayName": "Partner", "externalEmailAddress": "p@partner.example", "mailNickname": "partner"])
        try harness.append("GroupCreated", Fixtures.group("DL"), ["kind": "distribution", "displayName": "List", "mailNickname": "list"])
        try harness.append("MemberAdded", Fixtures.group("DL"), ["member": "contact:C1"])
        let report = try harness.emit()
        let script = try String(contentsOfFile: try #require(report.files.first { $0.hasSuffix("exchange.ps1") }), encoding: .utf8)
        #expect(script.contains("if (-not (Get-Recipient -Identity 'partner' -ErrorAction SilentlyContinue)) { New-MailContact"))
        #expect(script.contains("Update-DistributionGroupMember -Identity 'list' -Members 'partner'"))
        let folder = harness.directory.file("run\(harness.runs)")
        _ = try harness.tenant.run(directory: folder)
        let second = try harness.tenant.run(directory: folder)
        let results = try String(contentsOfFile: try #require(second.first { $0.hasSuffix("exchange-results.ndjson") }), encoding: .utf8)
        #expect(!results.contains("failed"))
    }

    @Test("a duplicate-member 400 is acked as applied; an unknown command id in a results file is refused")
    func ackRules() throws {
        let result = Replayer.result(
            id: "x", operation: .memberAdd, status: 400,
            body: ["error": ["message": "One or more added object references already exist for the following modified properties: 'members'."]],
            headers: nil, at: "t", file: "f")
        #expect(result.status == .applied)
        #expect(Replayer.result(id: "x", operation: .userUpdate, status: 400, body: nil, headers: nil, at: "t", file: "f").status == .failed)
        #expect(Replayer.result(id: "x", operation: .userDelete, status: 404, body: nil, headers: nil, at: "t", file: "f").status == .applied)
        #expect(Replayer.result(id: "x", operation: .userCreate, status: 429, body: nil, headers: ["Retry-After": "10"], at: "t", file: "f").status == .throttled)

        let harness = try ReplayHarness()
        let error = #expect(throws: ReplayError.self) {
            try harness.replayer.ack(Array(#"{"responses":[{"id":"nope","status":204}]}"#.utf8), file: "resp.json")
        }
        #expect(error?.message == "resp.json: response 1: field 'id': names no emitted command (was the batch written by this ledger?)")
    }

    @Test("an ack reports its file's first error, unknown id or malformed result, in file order, and records none of it")
    func ackErrorsInFileOrder() throws {
        let harness = try ReplayHarness()
        try harness.user("U1")
        try harness.user("U2")
        try harness.emit()
        let ids = try harness.ledger.journal().map(\.commandID)
        let known = { (index: Int) in #"{"command":"\#(ids[index])","status":"applied"}"# }
        func ackError(_ lines: [String]) -> String? {
            let error = #expect(throws: ReplayError.self) { try harness.replayer.ack(Array(lines.joined(separator: "\n").utf8), file: "r.ndjson") }
            return error?.message
        }
        let unknown = #"{"command":"nope","status":"applied"}"#
        let malformed = #"{"command":"#
        #expect(ackError([known(0), unknown, malformed]) == "r.ndjson: line 2: field 'command': names no emitted command (was it written by this ledger?)")
        #expect(ackError([known(0), malformed, unknown]).map { $0.hasPrefix("r.ndjson: line 2: neither a $batch response body nor results NDJSON") } == true)
        #expect(ackError([known(0), #"{"command":"\#(ids[1])","status":"done"}"#]) == "r.ndjson: line 2: field 'status': must be applied, failed or throttled")
        // Within a line, the command before its status, as each line was always checked.
        #expect(ackError([#"{"command":"nope","status":"done"}"#]) == "r.ndjson: line 1: field 'command': names no emitted command (was it written by this ledger?)")
        let batch = { (responses: String) in
            #expect(throws: ReplayError.self) { try harness.replayer.ack(Array(#"{"responses":[\#(responses)]}"#.utf8), file: "b.json") }?.message
        }
        #expect(batch(#"{"id":"nope","status":204},{"id":"\#(ids[0])"}"#) == "b.json: response 1: field 'id': names no emitted command (was the batch written by this ledger?)")
        #expect(batch(#"{"id":"\#(ids[0])","status":204},{"id":"nope"}"#) == "b.json: response 2: field 'status': must be an HTTP status number")
        #expect(try harness.ledger.journal().allSatisfy { $0.result == nil }, "nothing of a refused file is recorded")

        let report = try harness.replayer.ack(Array([known(0), #"{"command":"\#(ids[1])","status":"failed","error":"x"}"#].joined(separator: "\n").utf8), file: "r.ndjson")
        #expect(report.applied == 1 && report.failed == 1)
        #expect(try harness.ledger.journal().map { $0.result?.status } == [.applied, .failed])
    }
}

@Suite("Anchors and onPremisesImmutableId")
struct ImmutableIDTests {
    @Test("an anchor with $ or _ is kept in the ledger but never sent as onPremisesImmutableId")
    func refusedCharacters() throws {
        let harness = try ReplayHarness()
        try harness.user("plain+base64==")
        try harness.user("has$dollar")
        try harness.user("has_underscore")
        let plan = try harness.replayer.plan()
        let creates = Dictionary(uniqueKeysWithValues: plan.commands.filter { $0.operation == .userCreate }.map { ($0.stream.anchor, $0.body) })
        #expect(creates["plain+base64=="]?["onPremisesImmutableId"] == "plain+base64==")
        #expect(creates["has$dollar"]?["onPremisesImmutableId"] == nil)
        #expect(creates["has_underscore"]?["onPremisesImmutableId"] == nil)
        #expect(try harness.ledger.directoryObject(Fixtures.user("has$dollar")) != nil)
    }

    @Test("a created user's mailNickname, when the source has none, is the address's local part")
    func derivedNickname() throws {
        let cases = ["jane.doe@contoso.example": "jane.doe", "a@@b": "a", "@x@y": "x", "no-at": "no-at", "": "", "zoë@x": "zoë"]
        for (address, nickname) in cases {
            #expect(Planner.localPart(of: address) == nickname, "\(address)")
        }
        let harness = try ReplayHarness()
        try harness.user("U1", upn: "first.last@contoso.example")
        let create = try #require(try harness.replayer.plan().commands.first { $0.operation == .userCreate })
        #expect(create.body["defaults"]?["mailNickname"] == "first.last")
    }
}
