import SyncLedgerDomain
import Testing

@Suite("JSON parsing and canonical form")
struct JSONTests {
    @Test("canonical form sorts keys, drops whitespace, escapes control characters, keeps UTF-8")
    func canonical() throws {
        let value = try JSONParser.parse(#" { "b" : [1, 2.5, true, null], "a": "Zoë\n\u0001\"\\", "c": {} } "#)
        #expect(value.canonicalString == #"{"a":"Zoë\n\u0001\"\\","b":[1,2.5,true,null],"c":{}}"#)
    }

    @Test("canonical keys follow their UTF-8 bytes, also past a shared first eight bytes; integers in decimal at both ends")
    func canonicalKeyOrderAndIntegers() throws {
        var random = SeededRandom(seed: 11)
        let pieces = ["x-employ", "eeId", "mentType", "a", "", "é", "e", "日", "abcdefgh", "\u{1}", "\"", "Z"]
        for _ in 0..<300 {
            var members: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                let key = (0..<Int.random(in: 1...3, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
                members[key] = .int(Int64.random(in: .min ... .max, using: &random))
            }
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            var expected = "{"
            for (index, key) in keys.enumerated() {
                if index > 0 { expected += "," }
                expected += JSONValue.string(key).canonicalString + ":" + String(members[key]!.intValue!)
            }
            expected += "}"
            #expect(JSONValue.object(members).canonicalString == expected)
            #expect(try JSONParser.parse(expected) == .object(members))
        }
        #expect(JSONValue.array([.int(.min), .int(.max), 0, -7, 10]).canonicalString == "[-9223372036854775808,9223372036854775807,0,-7,10]")
    }

    @Test("forEachMember gives an object's members in document order, as strict as parse")
    func members() throws {
        func members(_ text: String) throws -> [(String, JSONValue)] {
            var found: [(String, JSONValue)] = []
            try Array(text.utf8).withUnsafeBufferPointer { try JSONParser.forEachMember(in: $0) { found.append(($0, $1)) } }
            return found
        }
        let found = try members(#" {"b": [1, {"x": null}], "a\u00e9": "v", "c": {}} "#)
        #expect(found.map(\.0) == ["b", "aé", "c"])
        #expect(found.map(\.1) == [[1, ["x": nil]], "v", [:]])
        #expect(try members("{}").isEmpty)
        // Past 32 keys, duplicates are found through a set.
        let many = (0..<40).map { #""k\#($0)":\#($0)"# }
        #expect(try members("{" + many.joined(separator: ",") + "}").count == 40)
        #expect(throws: JSONParseError.self) { try members("{" + (many + [#""k35":0"#]).joined(separator: ",") + "}") }
        for bad in [#"{"a":1,"a":2}"#, "[1]", "{", #"{"a":1} x"#, #"{"a":1,}"#, #"{"a" 1}"#, ""] {
            #expect(throws: JSONParseError.self, "\(bad)") { try members(bad) }
        }
    }

    @Test("an array written on every core, a block at a time, has the tree's canonical bytes, whatever the block")
    func concurrentArray() throws {
        var random = SeededRandom(seed: 5)
        let pieces = ["a", "\"", "\\", "\n", "é", "日本", "x@y", "\u{1}", "userPrincipalName", ""]
        let elements: [JSONValue] = (0..<1_000).map { index in
            let text = (0..<Int.random(in: 0...4, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            return index % 3 == 0 ? .string(text) : ["n": .int(Int64(index)), "s": .string(text)]
        }
        for block in [1, 3, 64, 2_048] {
            for count in [0, 1, 999, 1_000] {
                var bytes: [UInt8] = []
                var stream = CanonicalJSONStream(chunk: 100) { bytes += $0 }
                stream.array(Array(elements.prefix(count)), block: block) { element, out in element.appendCanonical(to: &out) }
                stream.finish()
                #expect(bytes == JSONValue.array(Array(elements.prefix(count))).canonicalBytes, "block \(block), \(count) elements")
            }
        }
    }

    @Test("a reference is written as the canonical string of its name, escapes included")
    func referenceString() throws {
        let references = [
            try ObjectRef(kind: .user, anchor: "00u1"), try ObjectRef(kind: .group, anchor: #"a"b\c"#),
            try ObjectRef(kind: .contact, anchor: "Zoë日本-a-much-longer-anchor-than-fifteen-bytes"), ObjectRef.tenant,
        ]
        for reference in references {
            var out: [UInt8] = []
            reference.appendCanonicalString(to: &out)
            #expect(out == JSONValue.string(reference.description).canonicalBytes, "\(reference)")
        }
    }

    @Test("an object written member by member in key order has the canonical bytes of the same object as a tree")
    func objectWriter() throws {
        var writer = CanonicalObjectWriter()
        let map: AttributeMap = ["zeta": "Ünïcode \"q\"\n", "alpha": 1, "mid": [true, nil]]
        writer.member("a", .bool(false))
        writer.member("ab", "x@y")
        writer.member("attributes", map)
        writer.member("defaults", AttributeMap())
        writer.member("é", JSONValue.object(["nested": [1.5, "two"]]))
        let tree: JSONValue = ["a": false, "ab": "x@y", "attributes": map.json, "defaults": [:], "é": ["nested": [1.5, "two"]]]
        #expect(writer.bytes == tree.canonicalBytes)
        #expect(CanonicalObjectWriter().bytes == Array("{}".utf8))
    }

    @Test("keys in canonical order are taken without a lookup; a repeat is still found after them, however many came before")
    func duplicatesAfterCanonicalOrder() throws {
        func members(_ keys: [String]) throws -> Int {
            let text = "{" + keys.map { JSONValue.string($0).canonicalString + ":0" }.joined(separator: ",") + "}"
            var count = 0
            try Array(text.utf8).withUnsafeBufferPointer { try JSONParser.forEachMember(in: $0) { (_: String, _: JSONValue) in count += 1 } }
            return count
        }
        let ascending = (100..<140).map { "k\($0)" }  // in byte order, past the list's 32
        #expect(try members(ascending) == 40)
        #expect(try members(Array(ascending.prefix(5))) == 5)
        for repeated in [ascending + ["k100"], ascending + ["k139"], Array(ascending.prefix(5)) + ["k101"], ["a", "b", "b"], ["a", "a"]] {
            #expect(throws: JSONParseError.self, "\(repeated.suffix(2))") { try members(repeated) }
        }
        // A non-ASCII key that Swift takes as equal to an ASCII one (the Kelvin sign is K), after ascending ASCII keys.
        #expect(throws: JSONParseError.self) { try members(["A", "K", "\u{212A}"]) }
        #expect(throws: JSONParseError.self) { try members(ascending + ["K", "\u{212A}"]) }
        #expect(try members(["A", "K", "\u{212B}"]) == 3)

        // Only the last key is kept while they ascend: on the first out of order, the keys
        // before are read again from the text, past values of every shape and whitespace.
        func keys(_ text: String) throws -> [String] {
            var found: [String] = []
            try Array(text.utf8).withUnsafeBufferPointer { try JSONParser.forEachMember(in: $0) { (key: String, _: JSONValue) in found.append(key) } }
            return found
        }
        let nested = #"{ "a" : {"x": [1, {"y": "}\","}]} , "b":"\"", "c" :[ ], "a\u0062":1 , "0": null}"#
        #expect(try keys(nested) == ["a", "b", "c", "ab", "0"])
        for repeated in [
            #"{ "a" : {"x": [1, {"y": "}\","}]} , "b":"\"", "a":1}"#, #"{"b": {"k": 1}, "a": [1, 2], "b": 0}"#,
            #"{"a":1, "c":{"a":2}, "b":3, "\u0063":4}"#,
        ] {
            #expect(throws: JSONParseError.self, "\(repeated)") { try keys(repeated) }
        }

        // The same for an object read whole: the keys before come from the members read.
        func membersInOrder(_ keys: [String]) throws -> Int {
            let text = "{" + keys.map { JSONValue.string($0).canonicalString + ":{\"n\":[0]}" }.joined(separator: ",") + "}"
            return try Array(text.utf8).withUnsafeBufferPointer { try JSONParser.membersInOrder(in: $0).members.count }
        }
        #expect(try membersInOrder(ascending) == 40)
        #expect(try membersInOrder(["b", "a", "c"]) == 3)
        for repeated in [ascending + ["k100"], ascending + ["k120", "k120"], ["b", "a", "b"], Array(ascending.prefix(5)) + ["a", "k102"]] {
            #expect(throws: JSONParseError.self, "\(repeated.suffix(2))") { try membersInOrder(repeated) }
        }

        // What the parser reports of the order: canonical only when it saw it (plain ASCII keys, each after the one before).
        func ascendingOrder(_ keys: [String]) throws -> Bool {
            let text = "{" + keys.map { JSONValue.string($0).canonicalString + ":0" }.joined(separator: ",") + "}"
            return try Array(text.utf8).withUnsafeBufferPointer { try JSONParser.membersInOrder(in: $0).ascending }
        }
        #expect(try ascendingOrder(ascending))
        #expect(try ascendingOrder([]))
        #expect(try !ascendingOrder(["b", "a"]))
        #expect(try !ascendingOrder(["a", "é"]))  // in order, but not plain ASCII: the caller checks
        #expect(try !ascendingOrder(["a", "b\n"]))  // an escape
    }

    @Test("a member's value can be read as members in order, or left unread and passed over, as strictly")
    func readingMembers() throws {
        func read(_ text: String) throws -> [String: [(key: String, value: JSONValue)]] {
            var found: [String: [(key: String, value: JSONValue)]] = [:]
            try Array(text.utf8).withUnsafeBufferPointer { buffer in
                try JSONParser.forEachMember(in: buffer) { (key: String, value: inout JSONParser) in
                    if key.hasPrefix("skip") { return }
                    found[key] = value.isAtObject ? try value.readMembers() : [("value", try value.readValue())]
                }
            }
            return found
        }
        let found = try read(#"{"o":{"z":1,"a":{"b":[2]},"m":null},"skip":{"q":[1,{"r":2}]},"n":3,"skip2":"x"}"#)
        #expect(found["o"]?.map(\.key) == ["z", "a", "m"])
        #expect(found["o"]?.map(\.value) == [1, ["b": [2]], nil])
        #expect(found["n"]?.map(\.value) == [3])
        #expect(found.count == 2)
        let many = (0..<40).map { #""k\#($0)":\#($0)"# }
        #expect(try read(#"{"o":{"# + many.joined(separator: ",") + "}}")["o"]?.count == 40)
        for bad in [
            #"{"o":{"a":1,"a":2}}"#, #"{"o":{"# + (many + [#""k3":0"#]).joined(separator: ",") + "}}",
            #"{"skip":{"a":1,"a":2}}"#, #"{"skip":[1,}"#, #"{"o":{"a":1}"#, #"{"o":{"a":1,}}"#,
        ] {
            #expect(throws: JSONParseError.self, "\(bad)") { try read(bad) }
        }
    }

    @Test(
        "canonical form is a fixpoint",
        arguments: [
            #"{"x":1e2}"#, #"{"x":-0.0}"#, #"{"x":123456789012345678901234567890}"#, #"{"x":0.1}"#,
            #"{"x":"\ud83d\ude00 \u200b"}"#, #"[9223372036854775807,-9223372036854775808]"#, #"{"é":1,"e":2,"z":3}"#,
        ])
    func fixpoint(text: String) throws {
        let once = try JSONParser.parse(text).canonicalString
        let twice = try JSONParser.parse(once).canonicalString
        #expect(once == twice)
    }

    @Test(
        "strict parsing refuses what a ledger must not guess about",
        arguments: [
            (#"{"a":1,"a":2}"#, "duplicate key"), (#"{"a":{"b":1,"b":2}}"#, "duplicate key"),
            (#"{"a":{"b":{}},"c":[{"d":1,"d":1}]}"#, "duplicate key"), ("[1,]", "unexpected character"), (#"{"a":01}"#, "expected ','"),
            (#""\ud800""#, "unpaired UTF-16 surrogate"), ("\"a\u{01}b\"", "unescaped control character"),
            ("[1] 2", "unexpected text after"), ("nul", "unexpected end of input"), ("1e999", "number out of range"),
            (#"{"a" 1}"#, "expected ':'"),
        ])
    func refusals(text: String, message: String) {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test("nested objects keep their own members, the same key allowed at different levels")
    func nestedMembers() throws {
        let value = try JSONParser.parse(#"{"a":{"a":{"a":1},"b":[{"a":2},{}]},"b":"é","c":{}}"#)
        #expect(value["a"]?["a"]?["a"] == .int(1))
        #expect(value["a"]?["b"]?.arrayValue?.first?["a"] == .int(2))
        #expect(value["b"] == .string("é"))
        #expect(value["c"] == .object([:]))
        #expect(value.objectValue?.count == 3)
        #expect(value.canonicalString == #"{"a":{"a":{"a":1},"b":[{"a":2},{}]},"b":"é","c":{}}"#)
    }

    @Test("a string is read whole wherever its quote, escape, control character or non-ASCII byte falls in the eight-byte words")
    func stringsAcrossWords() throws {
        for length in 0..<20 {
            let plain = String(repeating: "a", count: length)
            #expect(try JSONParser.parse("\"" + plain + "\"") == .string(plain), "\(length)")
            #expect(try JSONParser.parse("[\"" + plain + "\",1]") == [.string(plain), 1], "\(length)")
            #expect(try JSONParser.parse("\"" + plain + #"\"q\n"# + "\"") == .string(plain + "\"q\n"), "\(length)")
            #expect(try JSONParser.parse("\"" + plain + "é~\u{7F}z" + "\"") == .string(plain + "é~\u{7F}z"), "\(length)")
            #expect(throws: JSONParseError.self, "\(length)") { try JSONParser.parse("\"" + plain + "\tz\"") }
            #expect(throws: JSONParseError.self, "\(length)") { try JSONParser.parse(Array(("\"" + plain).utf8) + [0xC3, 0x28, 0x22]) }
            #expect(throws: JSONParseError.self, "\(length)") { try JSONParser.parse("\"" + plain) }
        }
    }

    @Test("members read in order say whether the keys came in canonical order")
    func membersInOrder() throws {
        func read(_ text: String) throws -> (keys: [String], ascending: Bool) {
            var result: (keys: [String], ascending: Bool) = ([], false)
            try Array(text.utf8).withUnsafeBufferPointer { buffer in
                try JSONParser.forEachMember(in: buffer) { (_: String, value: inout JSONParser) in
                    let (members, ascending) = try value.readMembersInOrder()
                    result = (members.map(\.key), ascending)
                }
            }
            return result
        }
        #expect(try read(#"{"o":{"a":1,"b":{"z":1,"a":2},"c":[]}}"#) == (["a", "b", "c"], true))
        #expect(try read(#"{"o":{}}"#) == ([], true))
        #expect(try read(#"{"o":{"b":1,"a":2}}"#) == (["b", "a"], false))
        #expect(try read(#"{"o":{"a":1,"é":2}}"#) == (["a", "é"], false))
        #expect(throws: JSONParseError.self) { try read(#"{"o":{"a":1,"b":2,"a":3}}"#) }
    }

    @Test("invalid UTF-8 is refused")
    func invalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test("nesting is bounded so hostile input cannot exhaust the stack")
    func depthLimit() throws {
        let ok = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        _ = try JSONParser.parse(ok)
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        #expect(error?.message.contains("nested deeper") == true)
    }

    @Test("integers stay integers; fractions and exponents become doubles")
    func numbers() throws {
        #expect(try JSONParser.parse("42") == .int(42))
        #expect(try JSONParser.parse("-7") == .int(-7))
        #expect(try JSONParser.parse("4.0") == .double(4))
        #expect(try JSONParser.parse("4e0") == .double(4))
        #expect(try JSONParser.parse("4.0").intValue == 4)
    }
}
