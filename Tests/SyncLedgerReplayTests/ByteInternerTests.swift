@testable import SyncLedgerReplay
import Testing

@Suite("ByteInterner: numbers for byte strings, found again from borrowed bytes")
struct ByteInternerTests {
    @Test("each distinct string keeps the number it was first given, past many growths; unseen ones are not found")
    func numbers() {
        var interner = ByteInterner(capacity: 1)
        let strings = (0..<5_000).map { "user:\($0 * 7919)" } + ["", "é", "e\u{301}"]
        func intern(_ text: String) -> (number: Int, isNew: Bool) {
            var text = text
            return text.withUTF8 { interner.intern($0) }
        }
        for (index, text) in strings.enumerated() {
            #expect(intern(text) == (index, true))
        }
        for (index, text) in strings.enumerated().reversed() {
            #expect(intern(text) == (index, false))
            #expect(interner.number(of: text) == index)
            #expect(interner.string(index) == text)
        }
        #expect(interner.count == strings.count)
        // Bytes, not Swift's string equality: two spellings of é are two strings.
        #expect(interner.number(of: "é") != interner.number(of: "e\u{301}"))
        #expect(interner.number(of: "user:7") == nil)
        #expect(interner.number(of: "user:791") == nil)
    }
}
