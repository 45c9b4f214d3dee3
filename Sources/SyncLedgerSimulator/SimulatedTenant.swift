public import SyncLedgerDomain
public import SyncLedgerReplay
import Foundation

/// An in-memory Office 365 that runs the files `syncledger replay` writes, with the
/// documented semantics (reference §3): 201 on create and 204 on update, a second user
/// create with the same UPN fails, the duplicate-member 400, 404 on unknown ids, upsert of
/// security groups by uniqueName, permanent group delete; Exchange cmdlets that fail on an
/// existing object (`New-*`) or a missing one (`Remove-*`).
///
/// For tests and `syncledger demo` only: it is never a target for real commands.
public final class SimulatedTenant {
    /// A user as Graph holds it.
    public struct User: Equatable, Sendable {
        public var id: String
        public var properties: [String: JSONValue]
        public var licenses: [String: [String]] = [:]
        public var managerID: String?
        /// Exchange-side mailbox settings (`Set-Mailbox`, `Set-User`).
        public var mailbox: [String: JSONValue] = [:]
        public var userPrincipalName: String { properties["userPrincipalName"]?.stringValue ?? "" }
        public var enabled: Bool { properties["accountEnabled"]?.boolValue ?? true }
    }

    /// A security group as Graph holds it.
    public struct Group: Equatable, Sendable {
        public var id: String
        public var uniqueName: String
        public var properties: [String: JSONValue]
        public var memberIDs: Set<String> = []
    }

    /// An Exchange recipient: a mail contact, a distribution list or a resource mailbox.
    public struct Recipient: Equatable, Sendable {
        public var kind: String
        public var parameters: [String: JSONValue]
        public var members: [String] = []
    }

    public private(set) var users: [String: User] = [:]
    public private(set) var groups: [String: Group] = [:]
    /// Role assignment id to (principal id, role definition id).
    public private(set) var roleAssignments: [String: (principal: String, role: String)] = [:]
    /// Exchange recipients by identity (alias, address or name).
    public private(set) var recipients: [String: Recipient] = [:]
    /// How many requests answered 429 before running normally (to test throttling).
    public var throttleNext = 0
    private var nextID = 0

    public init() {}

    // MARK: - Lookups

    /// The user whose UPN is `upn`.
    public func user(upn: String) -> User? {
        users.values.first { $0.userPrincipalName.lowercased() == upn.lowercased() }
    }

    /// The security group whose uniqueName is `name`.
    public func group(uniqueName name: String) -> Group? {
        groups.values.first { $0.uniqueName == name }
    }

    private func mintID() -> String {
        nextID += 1
        let hex = String(nextID, radix: 16)
        let padded = String(repeating: "0", count: max(0, 12 - hex.count)) + hex
        return "00000000-0000-4000-8000-\(padded)"
    }

    // MARK: - Running a replay's folder

    /// Runs every `graph-batch-NNNN.json` in `directory` in order, then the Exchange commands of
    /// `commands.ndjson`; writes `graph-responses-NNNN.json` and `exchange-results.ndjson`
    /// beside them and returns their paths, ready for `syncledger ack`.
    public func run(directory: String) throws -> [String] {
        let manager = FileManager.default
        let names = try manager.contentsOfDirectory(atPath: directory).sorted()
        var outputs: [String] = []
        for name in names where name.hasPrefix("graph-batch-") && name.hasSuffix(".json") {
            let batch = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(name)"))))
            let responses = execute(batch: batch)
            let output = "\(directory)/" + name.replacingOccurrences(of: "graph-batch-", with: "graph-responses-")
            try Data(responses.canonicalBytes).write(to: URL(fileURLWithPath: output))
            outputs.append(output)
        }
        let commandsFile = "\(directory)/commands.ndjson"
        if manager.fileExists(atPath: commandsFile) {
            var results: [UInt8] = []
            let text = try Data(contentsOf: URL(fileURLWithPath: commandsFile))
            for line in Array(text).split(separator: 0x0A) {
                let command = try JSONParser.parse(line)
                guard command["target"]?.stringValue == "exchange", let id = command["id"]?.stringValue else { continue }
                let invocations = (command["invocations"]?.arrayValue ?? []).compactMap(ExchangeInvocation.init(json:))
                var result: [String: JSONValue] = ["command": .string(id), "status": "applied"]
                do {
                    for invocation in invocations { try execute(invocation) }
                } catch {
                    result["status"] = "failed"
                    result["error"] = .string("\(error)")
                }
                results.append(contentsOf: JSONValue.object(result).canonicalBytes)
                results.append(0x0A)
            }
            if !results.isEmpty {
                let output = "\(directory)/exchange-results.ndjson"
                try Data(results).write(to: URL(fileURLWithPath: output))
                outputs.append(output)
            }
        }
        return outputs
    }

    // MARK: - Graph

    /// Runs a `$batch` request body and returns the response body. Requests run in order;
    /// one whose dependency failed gets 424.
    public func execute(batch: JSONValue) -> JSONValue {
        var responses: [JSONValue] = []
        var statuses: [String: Int] = [:]
        for request in batch["requests"]?.arrayValue ?? [] {
            let id = request["id"]?.stringValue ?? ""
            var response: (Int, JSONValue?)
            if let dependencies = request["dependsOn"]?.arrayValue?.compactMap(\.stringValue),
                dependencies.contains(where: { (statuses[$0] ?? 500) >= 400 })
            {
                response = (424, Self.error("Failed dependency"))
            } else if throttleNext > 0 {
                throttleNext -= 1
                response = (429, Self.error("Too many requests"))
            } else {
                response = execute(
                    method: request["method"]?.stringValue ?? "", url: request["url"]?.stringValue ?? "", body: request["body"],
                    headers: request["headers"])
            }
            statuses[id] = response.0
            var members: [String: JSONValue] = ["id": .string(id), "status": .int(Int64(response.0))]
            if let body = response.1 { members["body"] = body }
            if response.0 == 429 { members["headers"] = ["Retry-After": "10"] }
            responses.append(.object(members))
        }
        // $batch responses may come back in any order: reverse them to keep readers honest.
        return ["responses": .array(responses.reversed())]
    }

    static func error(_ message: String) -> JSONValue {
        ["error": ["code": "Request_BadRequest", "message": .string(message)]]
    }

    private func execute(method: String, url: String, body: JSONValue?, headers: JSONValue?) -> (Int, JSONValue?) {
        let path = url.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        switch (method, path.count) {
        case ("POST", 1) where path[0] == "users":
            var properties = body?.objectValue ?? [:]
            properties.removeValue(forKey: "passwordProfile")
            let upn = properties["userPrincipalName"]?.stringValue ?? ""
            guard !upn.isEmpty, body?["passwordProfile"]?["password"]?.stringValue?.isEmpty == false else {
                return (400, Self.error("userPrincipalName and passwordProfile are required"))
            }
            guard user(upn: upn) == nil else {
                return (400, Self.error("Another object with the same value for property userPrincipalName already exists."))
            }
            let id = mintID()
            properties["id"] = .string(id)
            users[id] = User(id: id, properties: properties)
            return (201, .object(properties))
        case ("PATCH", 2) where path[0] == "users":
            guard var user = findUser(path[1]) else { return (404, Self.error("Resource does not exist")) }
            for (key, value) in body?.objectValue ?? [:] {
                if case .object(let nested) = value, case .object(var existing)? = user.properties[key] {
                    for (inner, innerValue) in nested { existing[inner] = innerValue }
                    user.properties[key] = .object(existing)
                } else if value.isNull {
                    user.properties.removeValue(forKey: key)
                } else {
                    user.properties[key] = value
                }
            }
            users[user.id] = user
            return (204, nil)
        case ("DELETE", 2) where path[0] == "users":
            guard let user = findUser(path[1]) else { return (404, Self.error("Resource does not exist")) }
            users.removeValue(forKey: user.id)
            for key in groups.keys { groups[key]!.memberIDs.remove(user.id) }
            return (204, nil)
        case ("POST", 3) where path[0] == "users" && path[2] == "assignLicense":
            guard var user = findUser(path[1]) else { return (404, Self.error("Resource does not exist")) }
            if !(body?["addLicenses"]?.arrayValue ?? []).isEmpty, user.properties["usageLocation"] == nil {
                return (400, Self.error("License assignment failed because service plans require a usage location."))
            }
            for license in body?["addLicenses"]?.arrayValue ?? [] {
                if let sku = license["skuId"]?.stringValue {
                    user.licenses[sku] = license["disabledPlans"]?.arrayValue?.compactMap(\.stringValue) ?? []
                }
            }
            for sku in body?["removeLicenses"]?.arrayValue?.compactMap(\.stringValue) ?? [] { user.licenses.removeValue(forKey: sku) }
            users[user.id] = user
            return (200, .object(user.properties))
        case ("PUT", 4) where path[0] == "users" && path[2] == "manager":
            guard var user = users[path[1]] else { return (404, Self.error("Resource does not exist")) }
            guard let reference = body?["@odata.id"]?.stringValue, let managerID = reference.split(separator: "/").last.map(String.init),
                users[managerID] != nil
            else { return (404, Self.error("Manager does not exist")) }
            user.managerID = managerID
            users[user.id] = user
            return (204, nil)
        case ("DELETE", 4) where path[0] == "users" && path[2] == "manager":
            guard users[path[1]] != nil else { return (404, Self.error("Resource does not exist")) }
            users[path[1]]!.managerID = nil
            return (204, nil)
        case ("POST", 3) where path == ["roleManagement", "directory", "roleAssignments"]:
            guard let principal = body?["principalId"]?.stringValue, users[principal] != nil,
                let role = body?["roleDefinitionId"]?.stringValue
            else { return (400, Self.error("Invalid principal")) }
            if roleAssignments.values.contains(where: { $0.principal == principal && $0.role == role }) {
                return (400, Self.error("A conflicting object with one or more of the specified property values is present in the directory."))
            }
            let id = mintID()
            roleAssignments[id] = (principal, role)
            return (201, ["id": .string(id), "principalId": .string(principal), "roleDefinitionId": .string(role)])
        case ("DELETE", 4) where path[0] == "roleManagement":
            guard roleAssignments.removeValue(forKey: path[3]) != nil else { return (404, Self.error("Resource does not exist")) }
            return (204, nil)
        case ("PATCH", 1) where path[0].hasPrefix("groups(uniqueName="):
            let key = String(path[0].dropFirst("groups(uniqueName='".count).dropLast(2)).replacingOccurrences(of: "''", with: "'")
            var properties = body?.objectValue ?? [:]
            if var existing = group(uniqueName: key) {
                for (name, value) in properties { existing.properties[name] = value }
                groups[existing.id] = existing
                return (204, nil)
            }
            guard headers?["Prefer"]?.stringValue == "create-if-missing" else { return (404, Self.error("Resource does not exist")) }
            let id = mintID()
            properties["id"] = .string(id)
            groups[id] = Group(id: id, uniqueName: key, properties: properties)
            return (201, .object(properties))
        case ("POST", 4) where path[0] == "groups" && path[2] == "members" && path[3] == "$ref":
            guard var group = groups[path[1]] else { return (404, Self.error("Resource does not exist")) }
            guard let memberID = body?["@odata.id"]?.stringValue?.split(separator: "/").last.map(String.init),
                users[memberID] != nil || groups[memberID] != nil
            else { return (404, Self.error("Member does not exist")) }
            guard !group.memberIDs.contains(memberID) else {
                return (400, Self.error("One or more added object references already exist for the following modified properties: 'members'."))
            }
            group.memberIDs.insert(memberID)
            groups[group.id] = group
            return (204, nil)
        case ("DELETE", 5) where path[0] == "groups" && path[2] == "members" && path[4] == "$ref":
            guard groups[path[1]]?.memberIDs.remove(path[3]) != nil else { return (404, Self.error("Resource does not exist")) }
            return (204, nil)
        case ("DELETE", 2) where path[0] == "groups":
            guard groups.removeValue(forKey: path[1]) != nil else { return (404, Self.error("Resource does not exist")) }
            return (204, nil)
        default:
            return (400, Self.error("the simulator does not know \(method) \(url)"))
        }
    }

    private func findUser(_ key: String) -> User? {
        users[key] ?? user(upn: key)
    }

    // MARK: - Exchange Online

    /// An Exchange cmdlet failed.
    public struct ExchangeFailure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs one invocation, honouring its existence guard.
    public func execute(_ invocation: ExchangeInvocation) throws {
        let exists = recipients[invocation.identity] != nil || user(upn: invocation.identity) != nil
        switch invocation.condition {
        case .unlessExists where exists, .ifExists where !exists: return
        default: break
        }
        let identity = invocation["Identity"]?.stringValue ?? invocation.identity
        var parameters: [String: JSONValue] = [:]
        for parameter in invocation.parameters where parameter.name != "Identity" && parameter.name != "Confirm" {
            parameters[parameter.name] = parameter.value ?? true
        }
        switch invocation.cmdlet {
        case "New-MailContact", "New-DistributionGroup", "New-Mailbox":
            guard recipients[invocation.identity] == nil else {
                throw ExchangeFailure(description: "The proxy address is already being used (\(invocation.cmdlet))")
            }
            let kind = invocation.cmdlet == "New-MailContact" ? "contact" : invocation.cmdlet == "New-Mailbox" ? (parameters["Equipment"] != nil ? "equipment" : "room") : "list"
            recipients[invocation.identity] = Recipient(kind: kind, parameters: parameters)
        case "Remove-MailContact", "Remove-DistributionGroup", "Remove-Mailbox":
            guard recipients.removeValue(forKey: identity) != nil else {
                throw ExchangeFailure(description: "ManagementObjectNotFoundException: \(invocation.cmdlet)")
            }
        case "Update-DistributionGroupMember":
            guard recipients[identity] != nil else { throw ExchangeFailure(description: "ManagementObjectNotFoundException") }
            recipients[identity]!.members = (parameters["Members"]?.arrayValue ?? []).compactMap(\.stringValue)
        case let cmdlet where cmdlet.hasPrefix("Set-"):
            if recipients[identity] != nil {
                for (name, value) in parameters { recipients[identity]!.parameters[name] = value }
            } else if let user = user(upn: identity) {
                for (name, value) in parameters { users[user.id]!.mailbox[name] = value }
            } else {
                throw ExchangeFailure(description: "ManagementObjectNotFoundException: \(invocation.cmdlet)")
            }
        default:
            throw ExchangeFailure(description: "the simulator does not know \(invocation.cmdlet)")
        }
    }
}
