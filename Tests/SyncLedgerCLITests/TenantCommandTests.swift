import Foundation
import SyncLedgerTestSupport
import Testing

@Suite("Tenant commands: modes, directory sync, deactivation, Group Push")
struct TenantCommandTests {
    func run(_ arguments: [String], in directory: TemporaryDirectory, stdin: String? = nil) throws -> SyncLedgerBinary.Result {
        try SyncLedgerBinary.run(arguments, in: directory.path, stdin: stdin)
    }

    func eventCount(_ directory: TemporaryDirectory) throws -> Int {
        Int(try SQLiteShell.run(directory.file("ledger.sqlite"), "SELECT count(*) FROM events").output.trimmingCharacters(in: .whitespacesAndNewlines))!
    }

    @Test("a refused mode change exits 1 quoting the rule, and appends nothing")
    func refusedModeChange() throws {
        let directory = TemporaryDirectory()
        let created = try run(["init", "--tenant", "contoso", "--mode", "profile-sync", "--directory-sync", "aad-connect"], in: directory)
        #expect(created.status == 0, "\(created.stderr)")
        let refused = try run(["mode", "set", "user-sync", "--actor", "admin:jdoe"], in: directory)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\"User Sync and Universal Sync cannot be used with DirSync, Azure Active Directory Sync, or Azure Active Directory Connect.\""))
        #expect(try eventCount(directory) == 1)

        #expect(try run(["directory-sync", "set", "none", "--actor", "admin:jdoe"], in: directory).status == 0)
        let chosen = try run(["mode", "set", "universal-sync", "--actor", "admin:jdoe", "--reason", "go"], in: directory)
        #expect(chosen.status == 0)
        #expect(chosen.stdout == "mode: profile-sync -> universal-sync\n")

        let back = try run(["mode", "set", "profile-sync", "--actor", "admin:jdoe"], in: directory)
        #expect(back.status == 1)
        #expect(back.stderr.contains("\"Once you select User Sync or Universal Sync, you can not modify your selection back to Profile Sync.\""))
        let tool = try run(["directory-sync", "set", "dirsync", "--actor", "admin:jdoe"], in: directory)
        #expect(tool.status == 1)
        #expect(try eventCount(directory) == 3)

        #expect(try run(["feature", "set", "graph-api-feature", "on", "--actor", "admin:jdoe"], in: directory).status == 0)
        #expect(try run(["mode", "set", "profile-sync", "--actor", "admin:jdoe"], in: directory).status == 0)
    }

    @Test("init refuses a forbidden mode and tool combination")
    func refusedInit() throws {
        let directory = TemporaryDirectory()
        let refused = try run(["init", "--tenant", "contoso", "--mode", "universal-sync", "--directory-sync", "dirsync"], in: directory)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("cannot be used with DirSync"))
    }

    @Test("mode show prints the settings and the mode's capabilities")
    func modeShow() throws {
        let directory = TemporaryDirectory()
        _ = try run(["init", "--tenant", "contoso", "--mode", "licenses-roles", "--directory-sync", "aad-connect"], in: directory)
        _ = try run(["deactivation", "set", "block-remove-licenses-after", "--grace-days", "3", "--actor", "a"], in: directory)
        let show = try run(["mode", "show"], in: directory)
        #expect(show.status == 0)
        #expect(show.stdout.contains("mode:             licenses-roles (Licenses and Roles Management Only)"))
        #expect(show.stdout.contains("deactivation:     block-remove-licenses-after, 3 grace days"))
        #expect(show.stdout.contains("[x] push licenses and roles"))
        #expect(show.stdout.contains("[ ] create user"))
        // footnote (a): no direct edits in licenses-roles while a directory-sync tool is on
        #expect(show.stdout.contains("[ ] edit user directly in Office 365"))
    }

    @Test("deactivation options check their grace days at the command line (exit 64)")
    func deactivationUsage() throws {
        let directory = TemporaryDirectory()
        _ = try run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: directory)
        #expect(try run(["deactivation", "set", "block-remove-licenses-after", "--actor", "a"], in: directory).status == 64)
        #expect(try run(["deactivation", "set", "block", "--grace-days", "3", "--actor", "a"], in: directory).status == 64)
        #expect(try run(["deactivation", "set", "block-remove-licenses-delete", "--actor", "a"], in: directory).status == 0)
    }

    @Test("Group Push: security groups only, in modes that provision users")
    func groupPush() throws {
        let directory = TemporaryDirectory()
        _ = try run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: directory)
        let groups = """
            {"type":"GroupCreated","object":"group:c2Vj","at":"2026-01-05T09:00:00Z","data":{"kind":"security","displayName":"Sec","mailNickname":"sec"}}
            {"type":"GroupCreated","object":"group:ZGw=","at":"2026-01-05T09:00:00Z","data":{"kind":"distribution","displayName":"DL","mailNickname":"dl"}}
            """
        #expect(try run(["ingest", "-"], in: directory, stdin: groups).status == 0)
        let pushed = try run(["group-push", "enable", "group:c2Vj", "--actor", "a"], in: directory)
        #expect(pushed.status == 0, "\(pushed.stderr)")
        let list = try run(["group-push", "enable", "group:ZGw=", "--actor", "a"], in: directory)
        #expect(list.status == 1)
        #expect(list.stderr.contains("Graph"))
        #expect(try run(["group-push", "enable", "user:x", "--actor", "a"], in: directory).status == 64)
        let disabled = try run(["group-push", "disable", "group:c2Vj", "--actor", "a"], in: directory)
        #expect(disabled.stdout == "group push: disabled for group:c2Vj; it stays in Office 365, unmanaged\n")
    }

    @Test("an unknown attribute exits 65 naming the line and the attribute; x- attributes are kept")
    func unknownAttribute() throws {
        let directory = TemporaryDirectory()
        _ = try run(["init", "--tenant", "contoso", "--mode", "profile-sync"], in: directory)
        let lines = """
            {"type":"UserCreated","object":"user:QUJD","at":"2026-01-05T09:00:00Z","data":{"attributes":{"userPrincipalName":"a@contoso.example","x-costCenter":"4711"}}}
            {"type":"UserUpdated","object":"user:QUJD","at":"2026-01-06T09:00:00Z","data":{"set":{"favouriteColour":"blue"},"unset":[]}}
            """
        let result = try run(["ingest", "-"], in: directory, stdin: lines)
        #expect(result.status == 65)
        #expect(result.stderr.hasPrefix("syncledger: error: <stdin>:2: field 'data.set.favouriteColour': "))
        #expect(result.stderr.contains("x-"))
        #expect(try eventCount(directory) == 1)
        let ok = try run(["ingest", "-"], in: directory, stdin: String(lines.split(separator: "\n")[0]))
        #expect(ok.status == 0)
    }

    @Test("the attribute catalog prints tiers and routes")
    func attributes() throws {
        let directory = TemporaryDirectory()
        let basic = try run(["attributes", "--tier", "basic", "--format", "csv"], in: directory)
        #expect(basic.status == 0)
        let names = basic.stdout.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",")[1] }
        #expect(Set(names) == ["givenName", "surname", "displayName", "usageLocation", "userPrincipalName"])
        let all = try run(["attributes", "--kind", "user", "--format", "json"], in: directory)
        #expect(all.stdout.contains(#""name":"middleName""#))
        #expect(all.stdout.contains(#""name":"extensionAttribute11""#))
        #expect(try run(["attributes", "--kind", "group", "--tier", "basic"], in: directory).status == 64)
    }
}
