@testable import SyncLedgerCLI
import SyncLedgerDomain
import Testing

@Suite("CSV fields (RFC 4180, formula cells neutralised)")
struct CSVTests {
    func field(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        CSV.appendField(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test("quotes a field with a comma, quote, CR or LF, doubling quotes; leaves others bare")
    func quoting() {
        #expect(field("plain") == "plain")
        #expect(field("a,b") == "\"a,b\"")
        #expect(field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(field("two\nlines") == "\"two\nlines\"")
        #expect(field("cr\r") == "\"cr\r\"")
        #expect(field("Zoë, Åsa") == "\"Zoë, Åsa\"")
        #expect(field(nil) == "")
        #expect(field(["k": "a\"\"b,c"]) == #""{""k"":""a\""\""b,c""}""#)
        #expect(field(["\"": "\""]) == #""{""\"""":""\""""}""#)
        // A field appended after others is quoted in place, the bytes before it untouched.
        var out = Array("a,\"b\",".utf8)
        CSV.appendField(["x": "y,z"], to: &out)
        CSV.appendField("q\"", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"a,"b","{""x"":""y,z""}""q""""#)
    }

    @Test("a comma, quote, CR or LF is found wherever it falls in the eight-byte words the field is scanned in")
    func quotingAcrossWords() {
        for length in 0..<24 {
            for special in ["\"", ",", "\n", "\r", "é", "x"] {
                for position in 0...length {
                    var text = String(repeating: "a", count: length)
                    text.insert(contentsOf: special, at: text.index(text.startIndex, offsetBy: position))
                    // RFC 4180, written the simple way.
                    let expected = text.contains(where: { "\",\n\r".contains($0) })
                        ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
                    var out = Array("p,".utf8)
                    CSV.appendField(text.utf8, neutralizingFormulas: false, to: &out)
                    #expect(String(decoding: out, as: UTF8.self) == "p," + expected, "\(length) \(position) \(special.debugDescription)")
                }
            }
        }
        // Quotes past the first word, several to a word.
        #expect(field(.string(String(repeating: "\"\"a", count: 9))) == "\"" + String(repeating: "\"\"\"\"a", count: 9) + "\"")
    }

    @Test("a text cell starting with =, +, -, @, tab or CR gets a leading '; numbers, Booleans, lists and JSON never do")
    func formulas() {
        #expect(field("=1+1") == "'=1+1")
        #expect(field("+47 22 00 00 00") == "'+47 22 00 00 00")
        #expect(field("-x") == "'-x")
        #expect(field("@SUM(A1)") == "'@SUM(A1)")
        #expect(field("\tx") == "'\tx")
        #expect(field("\r\n=x") == "\"'\r\n=x\"")
        #expect(field("=a,b") == "\"'=a,b\"")
        // A trigger followed by a combining mark is still a trigger byte first.
        #expect(field("=\u{301}x") == "'=\u{301}x")
        #expect(field(-5) == "-5")
        #expect(field(true) == "true")
        #expect(field(["-a", "b"]) == "-a;b")
        #expect(field(["k": "=v"]) == "\"{\"\"k\"\":\"\"=v\"\"}\"")
        #expect(CSV.field("-header", neutralizingFormulas: true) == "'-header")
        #expect(CSV.field("-header") == "-header")
    }

    @Test("a cell is what plainText says, quoted and neutralised")
    func sameTextAsTables() {
        let values: [JSONValue] = ["x", ["a", "b"], [1, "a"], ["k": 1], 2.5, nil, false]
        for value in values {
            var expected = TabularOutput.plainText(value)
            if value.stringValue != nil, let first = expected.utf8.first, CSV.formulaTriggers.contains(first) { expected = "'" + expected }
            if expected.contains(where: { ",\"\r\n".contains($0) }) { expected = "\"" + expected.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            #expect(field(value) == expected, "\(value)")
        }
    }
}
