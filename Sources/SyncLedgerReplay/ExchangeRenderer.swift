import SyncLedgerDomain

/// Renders Exchange-routed commands as cmdlet invocations (reference §3).
enum ExchangeRenderer {
    static func invocations(for command: Command) -> [ExchangeInvocation] {
        let body = command.body
        let identity = body["address"]?.stringValue ?? command.stream.anchor
        let kind = command.stream.kind
        typealias P = ExchangeInvocation.Parameter
        switch command.operation {
        case .userMailboxUpdate, .listUpdate, .contactUpdate, .resourceUpdate:
            var set = body["set"]?.objectValue ?? [:]
            for name in body["unset"]?.arrayValue?.compactMap(\.stringValue) ?? [] { set[name] = .null }
            return setters(set, kind: kind, identity: identity, subtype: command.stream.kind == .group ? "distribution" : nil)
        case .listCreate:
            var attributes = body["attributes"]?.objectValue ?? [:]
            let name = attributes.removeValue(forKey: "displayName") ?? .string(identity)
            attributes.removeValue(forKey: "mailNickname")
            var parameters = [P("Name", name), P("DisplayName", name), P("Alias", .string(identity))]
            if let address = attributes.removeValue(forKey: "primarySmtpAddress") { parameters.append(P("PrimarySmtpAddress", address)) }
            parameters.append(P("Type", .string(body["kind"]?.stringValue == GroupKind.mailSecurity.rawValue ? "Security" : "Distribution")))
            return [ExchangeInvocation("New-DistributionGroup", parameters, condition: .unlessExists, identity: identity)]
                + setters(attributes, kind: .group, identity: identity, subtype: "distribution")
        case .listMembers:
            let members = (body["identities"]?.arrayValue ?? []).compactMap { $0["identity"] }
            return [
                ExchangeInvocation(
                    "Update-DistributionGroupMember",
                    [P("Identity", .string(identity)), P("Members", .array(members)), P("BypassSecurityGroupManagerCheck", nil), P("Confirm", false)],
                    identity: identity)
            ]
        case .listDelete:
            return [ExchangeInvocation("Remove-DistributionGroup", [P("Identity", .string(identity)), P("BypassSecurityGroupManagerCheck", nil), P("Confirm", false)], condition: .ifExists, identity: identity)]
        case .contactCreate:
            var attributes = body["attributes"]?.objectValue ?? [:]
            let name = attributes.removeValue(forKey: "displayName") ?? .string(identity)
            var parameters = [P("Name", name), P("DisplayName", name)]
            parameters.append(P("ExternalEmailAddress", attributes.removeValue(forKey: "externalEmailAddress") ?? .string(identity)))
            if let alias = attributes.removeValue(forKey: "mailNickname") { parameters.append(P("Alias", alias)) }
            if let first = attributes.removeValue(forKey: "givenName") { parameters.append(P("FirstName", first)) }
            if let last = attributes.removeValue(forKey: "surname") { parameters.append(P("LastName", last)) }
            return [ExchangeInvocation("New-MailContact", parameters, condition: .unlessExists, identity: identity)]
                + setters(attributes, kind: .contact, identity: identity, subtype: nil)
        case .contactDelete:
            return [ExchangeInvocation("Remove-MailContact", [P("Identity", .string(identity)), P("Confirm", false)], condition: .ifExists, identity: identity)]
        case .resourceCreate:
            var attributes = body["attributes"]?.objectValue ?? [:]
            let name = attributes.removeValue(forKey: "displayName") ?? .string(identity)
            attributes.removeValue(forKey: "alias")
            var parameters = [P("Name", name), P("DisplayName", name), P("Alias", .string(identity))]
            parameters.append(P(body["kind"]?.stringValue == ResourceKind.equipment.rawValue ? "Equipment" : "Room", nil))
            if let address = attributes.removeValue(forKey: "primarySmtpAddress") { parameters.append(P("PrimarySmtpAddress", address)) }
            if let capacity = attributes.removeValue(forKey: "capacity") { parameters.append(P("ResourceCapacity", capacity)) }
            return [ExchangeInvocation("New-Mailbox", parameters, condition: .unlessExists, identity: identity)]
                + setters(attributes, kind: .resource, identity: identity, subtype: nil)
        case .resourceDelete:
            return [ExchangeInvocation("Remove-Mailbox", [P("Identity", .string(identity)), P("Confirm", false)], condition: .ifExists, identity: identity)]
        default:
            preconditionFailure("\(command.operation) is not an Exchange command")
        }
    }

    /// `Set-*` calls for attributes, one per cmdlet their routes name (set-to-state).
    static func setters(_ attributes: [String: JSONValue], kind: ObjectKind, identity: String, subtype: String?) -> [ExchangeInvocation] {
        var byCmdlet: [String: [ExchangeInvocation.Parameter]] = [:]
        for name in attributes.keys.sorted() {
            guard let attribute = AttributeCatalog.attribute(named: name, for: kind) else { continue }
            let route = subtype.flatMap(GroupKind.init(rawValue:)).map(attribute.route(for:)) ?? attribute.exchangeRoute ?? attribute.route
            guard case .exchange(let cmdlet, let parameter) = route else { continue }
            byCmdlet[cmdlet, default: []].append(ExchangeInvocation.Parameter(parameter, attributes[name]!))
        }
        return byCmdlet.keys.sorted().map { cmdlet in
            ExchangeInvocation(cmdlet, [ExchangeInvocation.Parameter("Identity", .string(identity))] + byCmdlet[cmdlet]!, identity: identity)
        }
    }
}
