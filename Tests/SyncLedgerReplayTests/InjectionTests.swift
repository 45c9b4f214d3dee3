import Foundation
import SyncLedgerDomain
import SyncLedgerReplay
import SyncLedgerTestSupport
import Testing

/// Names and attributes built to break out of quoting: the emitted PowerShell still does one
/// thing per line with the literal value, Graph urls are percent-encoded, JSON stays valid.
@Suite("Injection: hostile names and attributes in emitted commands")
struct InjectionTests {
    /// Values with every character that ends or escapes a string somewhere.
    static let hostile: [String] = [
        "O'Brien'; Remove-Mailbox -Identity * -Confirm:$false; '",
        "Ann \"The Admin\" $(Remove-Item C:\\ -Recurse) `whoami` ${env:PATH}",
        "line one\nline two\r\nline three\u{0}end",
        "50% off /users/../admin?$select=id#frag & more | Out-File x",
        "\u{202E}evil\u{202C} \u{200B}zero\u{200D}width\u{FEFF}",
        "\u{2018}typographic\u{2019} \u{201A}quotes\u{201B}",
        "=HYPERLINK(\"http://x\")",
        String(repeating: "long';$(x)", count: 2000),
    ]

    /// Anchors (no whitespace or control characters allowed) that land in Graph urls.
    static let hostileAnchors: [String] = [
        "a'b\"c$(d)`e;f%g/h?i#j", "..%2F..%2Fadmin", "\u{202E}rtl\u{200B}zw", "x'')--", "@odata?$filter=1",
    ]

    /// The text outside single-quoted literals, and the literals, of one PowerShell line.
    static func lex(_ line: String) -> (outside: String, literals: [String]) {
        let quotes: Set<Unicode.Scalar> = ["'", "\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}"]
        var outside = ""
        var literals: [String] = []
        var scalars = Array(line.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            guard quotes.contains(scalar) else {
                outside.unicodeScalars.append(scalar)
                continue
            }
            var literal = ""
            while let next = scalars.popFirst() {
                if quotes.contains(next) {
                    if let doubled = scalars.first, quotes.contains(doubled) {
                        literal.unicodeScalars.append(next)
                        scalars.removeFirst()
                        continue
                    }
                    break
                }
                literal.unicodeScalars.append(next)
            }
            literals.append(literal)
        }
        return (outside, literals)
    }

    /// Joins `'a' + [char]10 + 'b'` pieces back into the string PowerShell evaluates.
    static func evaluate(_ line: String) -> String {
        var text = ""
        let (outside, literals) = lex(line)
        _ = outside
        for literal in literals { text += literal }
        return text
    }

    @Test("PowerShell: one statement per line, every hostile value only inside literals, and exactly the value")
    func powerShell() throws {
        let harness = try ReplayHarness(mode: "universal-sync")
        for (index, value) in Self.hostile.enumerated() {
            try harness.append(
                "GroupCreated", Fixtures.group("DL\(index)"),
                ["kind": "distribution", "displayName": .string(value), "mailNickname": .string("list\(index)")])
            try harness.append(
                "ContactCreated", try ObjectRef(parsing: "contact:C\(index)"),
                ["displayName": .string(value), "externalEmailAddress": .string("p\(index)@partner.example"), "mailNickname": .string("partner\(index)")])
        }
        let report = try harness.emit()
        let script = try String(contentsOfFile: try #require(report.files.first { $0.hasSuffix("exchange.ps1") }), encoding: .utf8)
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var statements = 0
        for line in lines where line.hasPrefix("    if (") || line.hasPrefix("    New-") || line.hasPrefix("    Set-") {
            statements += 1
            let (outside, _) = Self.lex(line)
            for dangerous in [";", "`", "$(", "#", "|", "&", "\"", "\r", "\u{0}", "${"] {
                #expect(!outside.contains(dangerous), "outside the literals: \(dangerous.debugDescription) in \(line.prefix(200))")
            }
        }
        #expect(statements >= 2 * Self.hostile.count)
        // Every hostile value comes back exactly from one statement's literals (control
        // characters are `[char]N` pieces between literals).
        let rendered = lines.map { line -> String in
            var text = ""
            let pieces = line.components(separatedBy: " + ")
            for piece in pieces {
                let trimmed = piece.trimmingCharacters(in: CharacterSet(charactersIn: "()"))
                if trimmed.hasPrefix("[char]"), let code = UInt32(trimmed.dropFirst(6)), let scalar = Unicode.Scalar(code) {
                    text.unicodeScalars.append(scalar)
                } else {
                    text += Self.lex(piece).literals.joined(separator: "\u{1}")
                }
            }
            return text
        }
        for value in Self.hostile {
            #expect(rendered.contains { $0.contains(value) }, "\(value.prefix(40).debugDescription) not rendered literally")
        }
    }

    @Test("Graph: urls are percent-encoded, bodies are valid JSON holding exactly the values")
    func graph() throws {
        let harness = try ReplayHarness(mode: "universal-sync")
        for (index, value) in Self.hostile.enumerated() {
            try harness.user("U\(index)", name: value, extra: ["jobTitle": .string(value), "department": .string(value)])
        }
        for (index, anchor) in Self.hostileAnchors.enumerated() {
            try harness.append("GroupCreated", Fixtures.group(anchor), ["kind": "security", "displayName": .string(Self.hostile[index]), "mailNickname": .string("sg\(index)")])
        }
        let report = try harness.emit()
        var bodies: [JSONValue] = []
        var urls: [String] = []
        for file in report.files where file.contains("graph-batch-") {
            let batch = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
            for request in batch["requests"]?.arrayValue ?? [] {
                urls.append(try #require(request["url"]?.stringValue))
                if let body = request["body"] { bodies.append(body) }
            }
        }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~@/()=',$%".unicodeScalars)
        for url in urls {
            #expect(url.unicodeScalars.allSatisfy(allowed.contains), "unencoded character in \(url)")
            #expect(url.removingPercentEncoding != nil, "broken percent-encoding in \(url)")
        }
        for anchor in Self.hostileAnchors {
            let key = "'" + anchor.replacingOccurrences(of: "'", with: "''") + "'"
            #expect(urls.contains { $0.removingPercentEncoding?.contains("uniqueName=\(key)") == true }, "\(anchor) not in a url")
        }
        for value in Self.hostile {
            #expect(bodies.contains { $0["displayName"]?.stringValue == value && $0["jobTitle"]?.stringValue == value })
        }
        // commands.ndjson: one valid JSON object per line.
        let ndjson = try String(contentsOfFile: try #require(report.files.first { $0.hasSuffix("commands.ndjson") }), encoding: .utf8)
        let lines = ndjson.split(separator: "\n")
        #expect(lines.count == report.emitted)
        for line in lines { #expect(throws: Never.self) { try JSONParser.parse(String(line)) } }
    }
}
