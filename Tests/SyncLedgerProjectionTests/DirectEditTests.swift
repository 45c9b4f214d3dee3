import SyncLedgerDomain
import SyncLedgerProjection
import SyncLedgerStore
import SyncLedgerTestSupport
import Testing

@Suite("Direct edits in Office 365: accepted or drift, per mode")
struct DirectEditTests {
    func edited(mode: String, directorySync: String = "none") throws -> History {
        var history = try History(mode: mode, directorySync: directorySync)
        try history.createUser("U1")
        try history.append(
            "DirectEditObserved", History.user("U1"), ["set": ["displayName": "Edited in O365"], "unset": []],
            actor: "graph-delta")
        return history
    }

    @Test("where editing in Office 365 is allowed, the edit becomes the target; elsewhere it is drift")
    func perMode() throws {
        let cases: [(String, String, Bool)] = [
            ("profile-sync", "none", true), ("licenses-roles", "none", true), ("user-sync", "none", false),
            ("universal-sync", "none", false), ("licenses-roles", "aad-connect", false),
        ]
        for (mode, tool, accepted) in cases {
            let history = try edited(mode: mode, directorySync: tool)
            let snapshot = try DirectoryProjector(ledger: history.ledger).snapshot(at: .now)
            let user = try #require(snapshot.targets()[History.user("U1")])
            let policy = try #require(TargetPolicy(settings: snapshot.tenant, at: snapshot.asOf))
            #expect(policy.allowsDirectEdits == accepted, "\(mode) with \(tool)")
            if mode == "licenses-roles" {
                // licenses-roles syncs no attribute: an edit there is Office 365's business, never drift.
                #expect(user.drift.isEmpty)
                continue
            }
            if accepted {
                #expect(user.attributes["displayName"] == "Edited in O365", "\(mode)")
                #expect(user.drift.isEmpty)
            } else {
                #expect(user.attributes["displayName"] == "Display", "\(mode): the source value stays")
                #expect(user.drift.map(\.attribute) == ["displayName"])
                #expect(user.drift.first?.observed == "Edited in O365")
                #expect(user.drift.first?.actor == "graph-delta")
            }
        }
    }

    @Test("the source changing the attribute again wins over the edit (last writer wins)")
    func sourceWinsAfterwards() throws {
        var history = try edited(mode: "profile-sync")
        try history.append("UserUpdated", History.user("U1"), ["set": ["displayName": "From HR"], "unset": []])
        let snapshot = try DirectoryProjector(ledger: history.ledger).snapshot(at: .now)
        #expect(snapshot.targets()[History.user("U1")]?.attributes["displayName"] == "From HR")
        #expect(snapshot.objects[History.user("U1")]?.directEdits.isEmpty == true)
    }

    @Test("an attribute cleared in Office 365 reads back from the state tables as cleared (nil), as the fold holds it")
    func clearedEditReadBack() throws {
        var history = try History(mode: "user-sync")
        try history.createUser("U1")
        try history.append(
            "DirectEditObserved", History.user("U1"), ["set": [:], "unset": ["department"]], actor: "graph-delta")
        let folded = try DirectoryProjector(ledger: history.ledger).snapshot(at: .seq(3)).objects[History.user("U1")]
        let stored = try DirectoryProjector(ledger: history.ledger).snapshot(at: .now).objects[History.user("U1")]
        let edit = try #require(stored?.directEdits["department"])
        #expect(edit.value == nil)
        #expect(stored == folded)
    }
}
