import SyncLedgerDomain
import Testing

@Suite("Event ids and the hash chain")
struct EventIdentityTests {
    let time = Timestamp(rfc3339: "2026-01-05T09:00:00Z")!
    let user = try! ObjectRef(parsing: "user:QUJD")

    @Test("minted ids are UUIDv7, time-ordered, and reproducible from a seed")
    func minted() {
        var random = SeededRandom(seed: 1)
        let first = EventID.mint(at: time, using: &random)
        let second = EventID.mint(at: time.adding(days: 1), using: &random)
        #expect(first.count == 36)
        #expect(Array(first)[14] == "7")
        #expect(first < second)
        var again = SeededRandom(seed: 1)
        #expect(EventID.mint(at: time, using: &again) == first)
    }

    @Test("derived ids depend on every content field and start with the time")
    func derived() {
        let data: JSONValue = ["set": ["jobTitle": "Engineer"]]
        let base = EventID.derive(object: user, type: "UserUpdated", at: time, actor: "hr", source: "wd", data: data)
        #expect(base == EventID.derive(object: user, type: "UserUpdated", at: time, actor: "hr", source: "wd", data: data))
        #expect(Array(base)[14] == "8")
        #expect(base.hasPrefix("019b8d62-7a80"))
        let variants = [
            EventID.derive(object: try! ObjectRef(parsing: "user:X"), type: "UserUpdated", at: time, actor: "hr", source: "wd", data: data),
            EventID.derive(object: user, type: "UserCreated", at: time, actor: "hr", source: "wd", data: data),
            EventID.derive(object: user, type: "UserUpdated", at: time.adding(days: 1), actor: "hr", source: "wd", data: data),
            EventID.derive(object: user, type: "UserUpdated", at: time, actor: "hr2", source: "wd", data: data),
            EventID.derive(object: user, type: "UserUpdated", at: time, actor: "hr", source: "wd2", data: data),
            EventID.derive(object: user, type: "UserUpdated", at: time, actor: "hr", source: "wd", data: ["set": ["jobTitle": "CEO"]]),
            EventID.derive(object: user, type: "UserUpdated", at: nil, actor: "hr", source: "wd", data: data),
        ]
        #expect(Set(variants + [base]).count == variants.count + 1)
    }

    @Test("object references parse kind and anchor and refuse the rest")
    func references() throws {
        #expect(try ObjectRef(parsing: "tenant") == .tenant)
        let group = try ObjectRef(parsing: "group:a$b_c==")
        #expect(group.kind == .group)
        #expect(group.anchor == "a$b_c==")
        let bad = [
            "usr:1", "user:", "user", "user:a b", "user:\u{7}", "tenant:x", "user:" + String(repeating: "a", count: 300),
            "user:ab\u{7F}", "user:é\u{A0}x", "user:\u{3000}", "user:long-anchor-past-fifteen-bytes\t",
        ]
        for bad in bad {
            #expect(throws: DomainError.self) { try ObjectRef(parsing: bad) }
        }
        // Non-ASCII that is neither whitespace nor a control character is an anchor like any other.
        #expect(try ObjectRef(parsing: "user:Zoë-日本").anchor == "Zoë-日本")
        #expect(try ObjectRef(parsing: "contact:a:b") == ObjectRef(kind: .contact, anchor: "a:b"))
        // A colon with a combining mark after it is one Character, not the separator.
        #expect(throws: DomainError.self) { try ObjectRef(parsing: "user:\u{301}abc") }
        #expect(try ObjectRef(parsing: "user:a\u{301}").anchor == "a\u{301}")
    }

    @Test("references are equal, hash and order by their bytes, as SQLite compares streams: canonically equivalent anchors are two streams")
    func referencesByBytes() throws {
        let composed = try ObjectRef(kind: .user, anchor: "é")
        let decomposed = try ObjectRef(kind: .user, anchor: "e\u{301}")
        #expect(composed.anchor == decomposed.anchor)  // String's equality: canonical equivalence
        #expect(composed != decomposed)
        #expect((composed < decomposed) != (decomposed < composed))
        #expect(Set([composed, decomposed, try ObjectRef(parsing: "user:é")]).count == 2)
        var heads: [ObjectRef: Int] = [composed: 1]
        heads[decomposed] = 2
        let composedAgain = try ObjectRef(parsing: "user:é")
        let decomposedAgain = try ObjectRef(parsing: "user:e\u{301}")
        #expect(heads[composedAgain] == 1 && heads[decomposedAgain] == 2)
        // The same bytes made two ways (a literal, a parsed substring): equal, one hash.
        let parsed = try ObjectRef(parsing: "group:anchor-longer-than-fifteen-bytes")
        let made = try ObjectRef(kind: .group, anchor: "anchor-longer-than-" + "fifteen-bytes")
        #expect(parsed == made && parsed.hashValue == made.hashValue)
        #expect(parsed != (try ObjectRef(kind: .user, anchor: made.anchor)))
    }

    @Test("the chain hash covers every canonical field and the previous hash")
    func chain() {
        let fields = EventChain.Fields(
            eventID: "e1", stream: "user:QUJD", version: 1, type: "UserCreated", schemaVersion: 1, actor: "hr",
            source: "wd", occurredAt: "2026-01-05T09:00:00.000Z", payload: "{}")
        var scratch: [UInt8] = []
        let genesis = [UInt8](repeating: 0, count: 32)
        let hash = EventChain.hash(fields, previous: genesis, scratch: &scratch)
        #expect(EventChain.hex(hash).count == 64)
        #expect(EventChain.bytes(hex: EventChain.hex(hash)) == hash)
        // Pinned, computed independently with Python's hashlib over the documented canonical form:
        // a change to that form must be deliberate (it breaks every existing chain).
        #expect(EventChain.hex(hash) == "17837197eabbcc7d267b35fb951fd2219bcdbcfdf9cac17f53abcb98386dac12")
        #expect(hash.withUnsafeBytes(EventChain.hex) == EventChain.hex(hash))
        #expect(EventChain.hex([0x00, 0x0f, 0xf0, 0xff, 0x5a]) == "000ff0ff5a")
        #expect(EventChain.hex([]) == "")
        var changed: [EventChain.Fields] = []
        for index in 0..<9 {
            var copy = fields
            switch index {
            case 0: copy.eventID = "e2"
            case 1: copy.stream = "user:X"
            case 2: copy.version = 2
            case 3: copy.type = "UserDeleted"
            case 4: copy.schemaVersion = 2
            case 5: copy.actor = "hr2"
            case 6: copy.source = "wd2"
            case 7: copy.occurredAt = "2026-01-05T09:00:00.001Z"
            default: copy.payload = #"{"a":1}"#
            }
            changed.append(copy)
        }
        let hashes = Set(changed.map { EventChain.hex(EventChain.hash($0, previous: genesis, scratch: &scratch)) })
        #expect(hashes.count == 9)
        #expect(!hashes.contains(EventChain.hex(hash)))
        let otherPrevious = [UInt8](repeating: 1, count: 32)
        #expect(EventChain.hash(fields, previous: otherPrevious, scratch: &scratch) != hash)
    }
}
