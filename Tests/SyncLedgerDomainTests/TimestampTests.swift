import SyncLedgerDomain
import Testing

@Suite("Timestamps")
struct TimestampTests {
    @Test(
        "RFC 3339 input becomes one canonical UTC form",
        arguments: [
            ("2026-01-05T09:00:00Z", "2026-01-05T09:00:00.000Z"),
            ("2026-01-05t09:00:00z", "2026-01-05T09:00:00.000Z"),
            ("2026-01-05T10:30:00+01:30", "2026-01-05T09:00:00.000Z"),
            ("2026-01-05T00:00:00-05:00", "2026-01-05T05:00:00.000Z"),
            ("2026-01-05T09:00:00.5Z", "2026-01-05T09:00:00.500Z"),
            ("2026-01-05T09:00:00.123456789Z", "2026-01-05T09:00:00.123Z"),
            ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59.000Z"),
            ("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
            ("2000-03-01T00:00:00Z", "2000-03-01T00:00:00.000Z"),
        ])
    func canonicalForm(input: String, expected: String) throws {
        let time = try #require(Timestamp(rfc3339: input))
        #expect(time.rfc3339 == expected)
        #expect(Timestamp(rfc3339: expected) == time)
    }

    @Test(
        "malformed or impossible times are refused",
        arguments: [
            "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-05T24:00:00Z",
            "2026-01-05T09:00:00", "2026-01-05", "2026-01-05T09:00Z", "yesterday", "", "2026-01-05T09:00:00.Z",
            "2026-01-05T09:00:00+0100",
        ])
    func refusals(input: String) {
        #expect(Timestamp(rfc3339: input) == nil)
    }

    @Test("user input also takes a bare date, meaning its first millisecond in UTC")
    func userInput() {
        #expect(Timestamp(userInput: "2026-03-01")?.rfc3339 == "2026-03-01T00:00:00.000Z")
        #expect(Timestamp(userInput: "2026-03-01T12:00:00Z")?.rfc3339 == "2026-03-01T12:00:00.000Z")
    }

    @Test("text order is time order across a year of days")
    func ordering() {
        var previous = Timestamp(rfc3339: "2025-12-31T23:59:59.999Z")!
        for day in 0..<400 {
            let time = Timestamp(millisecondsSinceEpoch: Timestamp(rfc3339: "2026-01-01T00:00:00Z")!.millisecondsSinceEpoch + Int64(day) * 86_400_000 + 1)
            #expect(previous.rfc3339 < time.rfc3339)
            #expect(Timestamp(rfc3339: time.rfc3339) == time)
            previous = time
        }
    }
}
