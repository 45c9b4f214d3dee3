import SyncLedgerDomain

/// Renders Graph-routed commands as `$batch` requests (reference §3).
enum GraphRenderer {
    static let base = "https://graph.microsoft.com/v1.0"

    /// The request for `command`; `password` is the initial password of a created user.
    static func request(for command: Command, password: String?) -> GraphRequest {
        request(for: command, body: command.body, password: password)
    }

    /// The request for `command`, whose ``Command/body`` the caller already parsed.
    static func request(for command: Command, body: JSONValue, password: String?) -> GraphRequest {
        let address = URLComponent.pathSegment(body["address"]?.stringValue ?? command.stream.anchor)
        var request = GraphRequest(id: command.id, method: "PATCH", url: "/users/\(address)", headers: [:], body: nil, dependsOn: [])
        switch command.operation {
        case .userCreate:
            var properties = graphProperties(body["attributes"]?.objectValue ?? [:], kind: .user)
            for (name, value) in body["defaults"]?.objectValue ?? [:] where properties[name] == nil { properties[name] = value }
            properties["accountEnabled"] = body["accountEnabled"] ?? true
            properties["passwordProfile"] = ["password": .string(password ?? ""), "forceChangePasswordNextSignIn": true]
            if let immutable = body["onPremisesImmutableId"] { properties["onPremisesImmutableId"] = immutable }
            request.method = "POST"
            request.url = "/users"
            request.body = .object(properties)
        case .userUpdate:
            var properties = graphProperties(body["set"]?.objectValue ?? [:], kind: .user)
            for name in body["unset"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                merge(&properties, property(name, kind: .user), .null)
            }
            request.body = .object(properties)
        case .userBlock, .userUnblock:
            request.body = ["accountEnabled": .bool(command.operation == .userUnblock)]
        case .userManager:
            let user = URLComponent.pathSegment(body["userId"]?.stringValue ?? "")
            request.url = "/users/\(user)/manager/$ref"
            if let manager = body["managerId"]?.stringValue {
                request.method = "PUT"
                request.body = ["@odata.id": .string("\(base)/users/\(URLComponent.pathSegment(manager))")]
            } else {
                request.method = "DELETE"
            }
        case .userLicenses:
            request.method = "POST"
            request.url = "/users/\(address)/assignLicense"
            request.body = ["addLicenses": body["add"] ?? [], "removeLicenses": body["remove"] ?? []]
        case .roleAssign:
            request.method = "POST"
            request.url = "/roleManagement/directory/roleAssignments"
            request.body = [
                "roleDefinitionId": body["roleDefinitionId"] ?? .null, "principalId": body["principalId"] ?? .null,
                "directoryScopeId": "/",
            ]
        case .roleRevoke:
            request.method = "DELETE"
            request.url = "/roleManagement/directory/roleAssignments/\(URLComponent.pathSegment(body["assignmentId"]?.stringValue ?? ""))"
        case .userDelete:
            request.method = "DELETE"
        case .groupUpsert:
            var properties = graphProperties(body["attributes"]?.objectValue ?? [:], kind: .group)
            properties["mailEnabled"] = false
            properties["securityEnabled"] = true
            properties["groupTypes"] = []
            request.url = "/groups(uniqueName=\(URLComponent.odataKey(body["uniqueName"]?.stringValue ?? command.stream.anchor)))"
            request.headers["Prefer"] = "create-if-missing"
            request.body = .object(properties)
        case .memberAdd:
            request.method = "POST"
            request.url = "/groups/\(URLComponent.pathSegment(body["groupId"]?.stringValue ?? ""))/members/$ref"
            request.body = ["@odata.id": .string("\(base)/directoryObjects/\(URLComponent.pathSegment(body["memberId"]?.stringValue ?? ""))")]
        case .memberRemove:
            request.method = "DELETE"
            request.url = "/groups/\(URLComponent.pathSegment(body["groupId"]?.stringValue ?? ""))/members/\(URLComponent.pathSegment(body["memberId"]?.stringValue ?? ""))/$ref"
        case .groupDelete:
            request.method = "DELETE"
            request.url = "/groups/\(URLComponent.pathSegment(body["groupId"]?.stringValue ?? ""))"
        default:
            preconditionFailure("\(command.operation) is not a Graph command")
        }
        if request.body != nil { request.headers["Content-Type"] = "application/json" }
        return request
    }

    /// Catalog attributes as Graph properties (`onPremisesExtensionAttributes.extensionAttribute1` nests).
    static func graphProperties(_ attributes: [String: JSONValue], kind: ObjectKind) -> [String: JSONValue] {
        var properties: [String: JSONValue] = [:]
        for (name, value) in attributes { merge(&properties, property(name, kind: kind), value) }
        return properties
    }

    static func property(_ name: String, kind: ObjectKind) -> String {
        if case .graph(let property)? = AttributeCatalog.attribute(named: name, for: kind)?.route { return property }
        return name
    }

    static func merge(_ properties: inout [String: JSONValue], _ path: String, _ value: JSONValue) {
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else {
            properties[path] = value
            return
        }
        var nested = properties[parts[0]]?.objectValue ?? [:]
        merge(&nested, parts[1], value)
        properties[parts[0]] = .object(nested)
    }
}
