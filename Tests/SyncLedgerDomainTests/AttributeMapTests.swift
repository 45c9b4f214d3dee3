import SyncLedgerDomain
import Testing

@Suite("Attribute maps")
struct AttributeMapTests {
    @Test("a name that is not there reads as nil, not as JSON null; null is a value like any other")
    func absentIsNotNull() {
        var map: AttributeMap = ["mail": "a@example.com", "manager": .null]
        #expect(map["displayName"] == JSONValue?.none)
        #expect(map["manager"] == JSONValue?.some(.null))
        #expect(map.removeValue(forKey: "displayName") == JSONValue?.none)
        #expect(map.removeValue(forKey: "manager") == JSONValue?.some(.null))
        #expect(map.keys == ["mail"])
    }

    @Test("setting, replacing and removing keep the names in canonical order, and the map equals the dictionary's")
    func editsFollowADictionary() {
        var map = AttributeMap()
        var dictionary: [String: JSONValue] = [:]
        var generator = SeededGenerator(seed: 7)
        let names = ["b", "a", "aa", "B", "x-é", "userPrincipalName", "preferredLanguage", "z", "ab", "a\u{0}"]
        for step in 0..<2_000 {
            let name = names.randomElement(using: &generator)!
            let value: JSONValue? = Bool.random(using: &generator) ? .int(Int64(step)) : nil
            map[name] = value
            dictionary[name] = value
            if step % 7 == 0 { #expect(map.removeValue(forKey: name) == dictionary.removeValue(forKey: name)) }
            #expect(map.keys == map.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            #expect(map.count == dictionary.count)
        }
        #expect(map == AttributeMap(dictionary))
        #expect(map.dictionary == dictionary)
        #expect(map.canonicalString == JSONValue.object(dictionary).canonicalString)
        for name in names { #expect(map[name] == dictionary[name]) }
    }

    @Test("reading JSON: members out of order are sorted; repeated names (in any spelling), non-objects and bad JSON are refused")
    func readingJSON() throws {
        let read = try AttributeMap(json: #"{"surname":"Doe","givenName":"Ann","businessPhones":["+1 1"]}"#)
        #expect(read.keys == ["businessPhones", "givenName", "surname"])
        #expect(read["givenName"] == "Ann")
        #expect(read.canonicalString == #"{"businessPhones":["+1 1"],"givenName":"Ann","surname":"Doe"}"#)
        #expect(throws: (any Error).self) { try AttributeMap(json: #"{"a":1,"a":2}"#) }
        // Two spellings of one name (composed, decomposed) count as a repeated name.
        #expect(throws: (any Error).self) { try AttributeMap(json: #"{"x-\u00e9":1,"x-e\u0301":2}"#) }
        #expect(throws: (any Error).self) { try AttributeMap(json: #"["a"]"#) }
        #expect(throws: (any Error).self) { try AttributeMap(json: #"{"a":1"#) }
        #expect(try AttributeMap(json: "{}").isEmpty)
        // In canonical order (as stored): taken as they come, and the same map.
        let stored = try AttributeMap(json: read.canonicalString)
        #expect(stored == read && stored.keys == read.keys)
    }

    @Test("members the parser saw in canonical order are taken as they are; others are sorted")
    func fromMembers() {
        let members: [AttributeMap.Element] = [("userPrincipalName", "a@x"), ("displayName", "A"), ("givenName", "Ann")]
        let sorted = AttributeMap(members: members, ascending: false)
        #expect(sorted.keys == ["displayName", "givenName", "userPrincipalName"])
        #expect(sorted == ["displayName": "A", "givenName": "Ann", "userPrincipalName": "a@x"])
        let taken = AttributeMap(members: Array(sorted), ascending: true)
        #expect(taken == sorted && taken.keys == sorted.keys && taken["userPrincipalName"] == "a@x")
    }

    @Test("a literal may list names in any order; a repeated name keeps its last value; [:] is empty")
    func literals() {
        let map: AttributeMap = ["b": 2, "a": 1, "b": 3]
        #expect(map.keys == ["a", "b"])
        #expect(map["b"] == 3)
        let empty: AttributeMap = [:]
        #expect(empty.isEmpty && empty == AttributeMap())
        var grown: AttributeMap = [:]
        grown.reserveCapacity(3)
        grown["z"] = 1
        grown["a"] = 2
        grown["m"] = 3
        #expect(grown.keys == ["a", "m", "z"])
    }

    @Test("equal maps hash alike, whatever order they were built in")
    func hashing() {
        let one: AttributeMap = ["a": 1, "b": "two", "c": ["x": true]]
        var other = AttributeMap()
        other["c"] = ["x": true]
        other["a"] = 1
        other["b"] = "two"
        #expect(one == other)
        #expect(one.hashValue == other.hashValue)
        other["b"] = "three"
        #expect(one != other)
        // Shown in canonical order, whatever order it was built in.
        #expect(AttributeMap().description == "[:]")
        #expect(other.description.hasPrefix(#"["a": "#))
        #expect(other.description.firstRange(of: #""b": "#)!.lowerBound < other.description.firstRange(of: #""c": "#)!.lowerBound)
    }
}

/// A small deterministic generator (SplitMix64), so the random edits are the same each run.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
