import SyncLedgerDomain
import Testing

/// One event offered to a prepared ledger, and what should happen.
struct ValidationCase: CustomTestStringConvertible, Sendable {
    let type: EventType
    let data: JSONValue
    /// nil: admitted.
    let code: DomainError.Code?
    let field: String?

    static func ok(_ type: EventType, _ data: JSONValue) -> ValidationCase {
        ValidationCase(type: type, data: data, code: nil, field: nil)
    }

    static func bad(_ type: EventType, _ data: JSONValue, _ code: DomainError.Code, _ field: String?) -> ValidationCase {
        ValidationCase(type: type, data: data, code: code, field: field)
    }

    var testDescription: String { "\(type.rawValue) \(field ?? "valid")" }
}

@Suite("Event data validation")
struct EventDataValidationTests {
    static let sku = "c7df2760-2c81-4ef7-b578-5b5392b571df"
    static let plan = "113feb6c-3fe4-4440-bddc-54d774bf0318"
    static let role = "62e90394-69f5-4237-9190-012177145e10"

    static let cases: [ValidationCase] = [
        // MARK: User
        .ok(.userCreated, ["attributes": ["userPrincipalName": "ann@contoso.com", "givenName": "Ann", "manager": "user:m1"]]),
        .ok(.userCreated, ["userPrincipalName": "ann@contoso.com", "x-costCenter": "CC-1"]),
        .ok(.userCreated, ["attributes": ["userPrincipalName": "ann@contoso.com", "businessPhones": ["+47 1"],
            "msExchHideFromAddressLists": true, "msExchResourceCapacity": 4, "x-anything": ["nested": [1, nil]]]]),
        .bad(.userCreated, ["attributes": ["givenName": "Ann"]], .invalidData, "data.attributes.userPrincipalName"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "ann"]], .invalidData, "data.attributes.userPrincipalName"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "ann@localhost"]], .invalidData, "data.attributes.userPrincipalName"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "a b@c.com"]], .invalidData, "data.attributes.userPrincipalName"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "a@b@c.com"]], .invalidData, "data.attributes.userPrincipalName"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "ann@contoso.com", "fooBar": "x"]], .unknownAttribute, "data.attributes.fooBar"),
        .bad(.userCreated, ["userPrincipalName": "ann@contoso.com", "fooBar": "x"], .unknownAttribute, "data.fooBar"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "ann@contoso.com"], "extra": 1], .invalidData, "data.extra"),
        .bad(.userCreated, ["attributes": "ann"], .invalidData, "data.attributes"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "ann@contoso.com", "givenName": 3]], .invalidData, "data.attributes.givenName"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "ann@contoso.com", "givenName": ""]], .invalidData, "data.attributes.givenName"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "ann@contoso.com", "givenName": nil]], .invalidData, "data.attributes.givenName"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "ann@contoso.com", "businessPhones": "+47 1"]], .invalidData, "data.attributes.businessPhones"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "ann@contoso.com", "businessPhones": ["+47 1", 2]]], .invalidData, "data.attributes.businessPhones[1]"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "ann@contoso.com", "msExchHideFromAddressLists": "true"]], .invalidData, "data.attributes.msExchHideFromAddressLists"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "ann@contoso.com", "msExchResourceCapacity": -1]], .invalidData, "data.attributes.msExchResourceCapacity"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "ann@contoso.com", "manager": "m1"]], .invalidReference, "data.attributes.manager"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "ann@contoso.com", "manager": "group:g"]], .invalidReference, "data.attributes.manager"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "ann@contoso.com", "manager": "robot:1"]], .unknownStreamKind, "data.attributes.manager"),
        .bad(.userCreated, ["attributes": ["userPrincipalName": "ann@contoso.com", "manager": "user:ghost"]], .danglingReference, "data.attributes.manager"),

        .ok(.userUpdated, ["set": ["jobTitle": "CTO", "x-costCenter": "CC-2"], "unset": ["middleName"]]),
        .ok(.userUpdated, ["unset": ["x-old"]]),
        .ok(.userUpdated, ["set": ["manager": "user:m1"]]),
        .bad(.userUpdated, [:], .invalidData, "data"),
        .bad(.userUpdated, ["set": [:], "unset": []], .invalidData, "data"),
        .bad(.userUpdated, ["set": ["jobTitle": "CTO"], "unset": ["jobTitle"]], .invalidData, "data.unset[0]"),
        .bad(.userUpdated, ["set": ["fooBar": 1]], .unknownAttribute, "data.set.fooBar"),
        .bad(.userUpdated, ["unset": ["city", "fooBar"]], .unknownAttribute, "data.unset[1]"),
        .bad(.userUpdated, ["unset": ["userPrincipalName"]], .invalidData, "data.unset[0]"),
        .bad(.userUpdated, ["unset": ["city", "city"]], .invalidData, "data.unset[1]"),
        .bad(.userUpdated, ["unset": "city"], .invalidData, "data.unset"),
        .bad(.userUpdated, ["set": ["jobTitle"]], .invalidData, "data.set"),
        .bad(.userUpdated, ["set": ["jobTitle": "CTO"], "reason": "x"], .invalidData, "data.reason"),
        .bad(.userUpdated, ["set": ["manager": "user:u"]], .invalidData, "data.set.manager"),
        .bad(.userUpdated, ["set": ["manager": "user:gone"]], .danglingReference, "data.set.manager"),

        .ok(.directEditObserved, ["set": ["mobilePhone": "+47 2"], "unset": []]),
        .bad(.directEditObserved, ["set": ["mobile": "+47 2"]], .unknownAttribute, "data.set.mobile"),

        .ok(.userDeactivated, [:]),
        .bad(.userDeactivated, ["reason": "leaver"], .invalidData, "data.reason"),
        .ok(.userReactivated, [:]),
        .bad(.userReactivated, ["x": 1], .invalidData, "data.x"),
        .ok(.userDeleted, [:]),
        .bad(.userDeleted, ["hard": true], .invalidData, "data.hard"),

        .ok(.licenseAssigned, ["skuId": .string(sku)]),
        .ok(.licenseAssigned, ["skuId": .string(sku.uppercased()), "disabledPlans": [.string(plan)]]),
        .ok(.licenseAssigned, ["skuId": .string(sku), "disabledPlans": []]),
        .bad(.licenseAssigned, [:], .invalidData, "data.skuId"),
        .bad(.licenseAssigned, ["skuId": "E5"], .invalidData, "data.skuId"),
        .bad(.licenseAssigned, ["skuId": "c7df2760-2c81-4ef7-b578-5b5392b571dg"], .invalidData, "data.skuId"),
        .bad(.licenseAssigned, ["skuId": "c7df27602c814ef7b5785b5392b571df"], .invalidData, "data.skuId"),
        .bad(.licenseAssigned, ["skuId": .string(sku), "disabledPlans": ["x"]], .invalidData, "data.disabledPlans[0]"),
        .bad(.licenseAssigned, ["skuId": .string(sku), "disabledPlans": .string(plan)], .invalidData, "data.disabledPlans"),
        .bad(.licenseAssigned, ["skuId": .string(sku), "plans": []], .invalidData, "data.plans"),
        .ok(.licenseRemoved, ["skuId": .string(sku)]),
        .bad(.licenseRemoved, ["skuId": .string(sku), "disabledPlans": []], .invalidData, "data.disabledPlans"),
        .bad(.licenseRemoved, ["skuId": 5], .invalidData, "data.skuId"),

        .ok(.roleAssigned, ["roleDefinitionId": .string(role)]),
        .bad(.roleAssigned, ["roleDefinitionId": "Global Administrator"], .invalidData, "data.roleDefinitionId"),
        .bad(.roleAssigned, [:], .invalidData, "data.roleDefinitionId"),
        .ok(.roleRevoked, ["roleDefinitionId": .string(role)]),
        .bad(.roleRevoked, ["roleDefinitionId": .string(role), "scope": "/"], .invalidData, "data.scope"),

        // MARK: Group
        .ok(.groupCreated, ["kind": "security", "displayName": "Eng", "mailNickname": "eng", "description": "All"]),
        .ok(.groupCreated, ["kind": "mail-security", "displayName": "Eng", "mailNickname": "eng",
            "primarySmtpAddress": "eng@contoso.com", "managedBy": ["user:m1"], "x-source": "hr"]),
        .ok(.groupCreated, ["kind": "distribution", "displayName": "All", "mailNickname": "all", "hiddenFromAddressListsEnabled": false]),
        .bad(.groupCreated, ["displayName": "Eng", "mailNickname": "eng"], .invalidData, "data.kind"),
        .bad(.groupCreated, ["kind": "m365", "displayName": "Eng", "mailNickname": "eng"], .invalidData, "data.kind"),
        .bad(.groupCreated, ["kind": "security", "mailNickname": "eng"], .invalidData, "data.displayName"),
        .bad(.groupCreated, ["kind": "security", "displayName": "Eng"], .invalidData, "data.mailNickname"),
        .bad(.groupCreated, ["kind": "security", "displayName": "Eng", "mailNickname": "eng", "visibility": "private"], .unknownAttribute, "data.visibility"),
        .bad(.groupCreated, ["kind": "security", "displayName": "Eng", "mailNickname": "eng", "managedBy": ["contact:c1"]], .invalidReference, "data.managedBy[0]"),
        .bad(.groupCreated, ["kind": "security", "displayName": "Eng", "mailNickname": "eng", "managedBy": ["user:nobody"]], .danglingReference, "data.managedBy[0]"),
        .ok(.groupUpdated, ["set": ["description": "New"], "unset": []]),
        .bad(.groupUpdated, ["set": ["kind": "distribution"]], .invalidData, "data.set.kind"),
        .bad(.groupUpdated, ["unset": ["displayName"]], .invalidData, "data.unset[0]"),
        .bad(.groupUpdated, ["set": ["owner": "user:m1"]], .unknownAttribute, "data.set.owner"),
        .ok(.groupDeleted, [:]),
        .bad(.groupDeleted, ["deleteInTarget": true], .invalidData, "data.deleteInTarget"),
        .ok(.groupPushEnabled, [:]),
        .bad(.groupPushEnabled, ["deleteInTarget": true], .invalidData, "data.deleteInTarget"),
        .ok(.groupPushDisabled, ["deleteInTarget": true]),
        .ok(.groupPushDisabled, [:]),
        .bad(.groupPushDisabled, ["deleteInTarget": "yes"], .invalidData, "data.deleteInTarget"),
        .ok(.memberAdded, ["member": "user:m1"]),
        .ok(.memberAdded, ["member": "contact:c1"]),
        .bad(.memberAdded, [:], .invalidData, "data.member"),
        .bad(.memberAdded, ["member": "m1"], .invalidReference, "data.member"),
        .bad(.memberAdded, ["member": "tenant"], .invalidReference, "data.member"),
        .bad(.memberAdded, ["member": "user:"], .invalidReference, "data.member"),
        .bad(.memberAdded, ["member": "group:g"], .invalidData, "data.member"),
        .bad(.memberAdded, ["member": "user:ghost"], .danglingReference, "data.member"),
        .bad(.memberAdded, ["member": "user:m1", "role": "owner"], .invalidData, "data.role"),
        .ok(.memberRemoved, ["member": "user:m1"]),
        .bad(.memberRemoved, ["member": ["user:m1"]], .invalidData, "data.member"),
        .bad(.memberRemoved, ["member": "user:ghost"], .danglingReference, "data.member"),

        // MARK: Contact
        .ok(.contactCreated, ["displayName": "Bo (ext)", "externalEmailAddress": "bo@partner.example.net",
            "businessPhones": ["+47 3"], "x-hiddenFromGal": true]),
        .bad(.contactCreated, ["displayName": "Bo"], .invalidData, "data.externalEmailAddress"),
        .bad(.contactCreated, ["externalEmailAddress": "bo@partner.example.net"], .invalidData, "data.displayName"),
        .bad(.contactCreated, ["displayName": "Bo", "externalEmailAddress": "bo"], .invalidData, "data.externalEmailAddress"),
        .bad(.contactCreated, ["displayName": "Bo", "externalEmailAddress": "bo@p.net", "kind": "mail"], .unknownAttribute, "data.kind"),
        .bad(.contactCreated, ["displayName": "Bo", "externalEmailAddress": "bo@p.net", "attributes": [:]], .unknownAttribute, "data.attributes"),
        .ok(.contactUpdated, ["set": ["city": "Oslo", "businessPhones": ["+47 4"]], "unset": []]),
        .bad(.contactUpdated, ["set": ["phone": "+47 4"]], .unknownAttribute, "data.set.phone"),
        .bad(.contactUpdated, ["unset": ["externalEmailAddress"]], .invalidData, "data.unset[0]"),
        .ok(.contactDeleted, [:]),
        .bad(.contactDeleted, ["now": true], .invalidData, "data.now"),

        // MARK: Resource
        .ok(.resourceCreated, ["kind": "room", "displayName": "Oslo Room 1", "alias": "oslo-room-1", "capacity": 8, "x-floor": 3]),
        .ok(.resourceCreated, ["kind": "equipment", "displayName": "Projector", "alias": "projector-1"]),
        .bad(.resourceCreated, ["kind": "desk", "displayName": "D", "alias": "d"], .invalidData, "data.kind"),
        .bad(.resourceCreated, ["kind": "room", "alias": "d"], .invalidData, "data.displayName"),
        .bad(.resourceCreated, ["kind": "room", "displayName": "D"], .invalidData, "data.alias"),
        .bad(.resourceCreated, ["kind": "room", "displayName": "D", "alias": "d", "capacity": "8"], .invalidData, "data.capacity"),
        .bad(.resourceCreated, ["kind": "room", "displayName": "D", "alias": "d", "capacity": 2.5], .invalidData, "data.capacity"),
        .bad(.resourceCreated, ["kind": "room", "displayName": "D", "alias": "d", "building": "HQ"], .unknownAttribute, "data.building"),
        .ok(.resourceUpdated, ["set": ["capacity": 10, "bookingWindowInDays": 90, "resourceDelegates": ["user:m1"]]]),
        .bad(.resourceUpdated, ["set": ["kind": "equipment"]], .invalidData, "data.set.kind"),
        .bad(.resourceUpdated, ["unset": ["alias"]], .invalidData, "data.unset[0]"),
        .ok(.resourceDeleted, [:]),
        .bad(.resourceDeleted, ["x": nil], .invalidData, "data.x"),

        // MARK: Tenant (initialised tenant in profile-sync)
        .ok(.modeChanged, ["mode": "user-sync", "reason": "rollout"]),
        .bad(.modeChanged, ["mode": "everything"], .invalidData, "data.mode"),
        .ok(.directorySyncChanged, ["tool": "aad-connect"]),
        .bad(.directorySyncChanged, ["tool": "adfs"], .invalidData, "data.tool"),
        .ok(.deactivationPolicySet, ["option": "block-remove-licenses-delete-after", "graceDays": 3]),
        .bad(.deactivationPolicySet, ["option": "block-remove-licenses-delete-after"], .invalidData, "data.graceDays"),
        .ok(.featureFlagSet, ["flag": "graph-api-feature", "enabled": true]),
        .bad(.featureFlagSet, ["flag": "graph-api-feature", "enabled": 1], .invalidData, "data.enabled"),
        .ok(.destructiveThresholdSet, ["count": 20, "percent": 5]),
        .bad(.destructiveThresholdSet, ["count": 20, "percent": 101], .invalidData, "data.percent"),
        .bad(.destructiveThresholdSet, ["count": -1, "percent": 5], .invalidData, "data.count"),
        .bad(.destructiveThresholdSet, ["percent": 5], .invalidData, "data.count"),
        .ok(.destructiveChangesAllowed, ["planHash": .string(String(repeating: "ab", count: 32)), "counts": ["user-delete": 3]]),
        .bad(.destructiveChangesAllowed, ["planHash": "xyz"], .invalidData, "data.planHash"),
        .bad(.destructiveChangesAllowed, ["planHash": .string(String(repeating: "ab", count: 32)), "counts": ["user-delete": "3"]], .invalidData, "data.counts"),
    ]

    /// A ledger (universal-sync; profile-sync for tenant events) where the event's stream is
    /// in the state its type needs, and that stream. Existing: user m1, contact c1; deleted: user gone.
    static func ledger(for type: EventType) throws -> (MemoryLedger, ObjectRef) {
        var ledger = MemoryLedger(mode: type.objectKind == .tenant ? .profileSync : .universalSync)
        try ledger.createUser("m1")
        try ledger.append("ContactCreated", contact("c1"), ["displayName": "C", "externalEmailAddress": "c@p.net"])
        try ledger.createUser("gone")
        try ledger.append("UserDeleted", user("gone"))
        let isCreate = type.lifecycleEffect == .creates
        switch type.objectKind {
        case .tenant:
            return (ledger, .tenant)
        case .user:
            if !isCreate {
                try ledger.createUser("u")
                if type == .userReactivated { try ledger.append("UserDeactivated", user("u")) }
            }
            return (ledger, user(isCreate ? "new" : "u"))
        case .group:
            if !isCreate {
                try ledger.createGroup("g")
                if type == .groupPushDisabled { try ledger.append("GroupPushEnabled", group("g")) }
                if type == .memberRemoved { try ledger.append("MemberAdded", group("g"), ["member": "user:m1"]) }
            }
            return (ledger, group(isCreate ? "new" : "g"))
        case .contact:
            if !isCreate {
                try ledger.append("ContactCreated", contact("k"), ["displayName": "K", "externalEmailAddress": "k@p.net"])
            }
            return (ledger, contact(isCreate ? "new" : "k"))
        case .resource:
            if !isCreate {
                try ledger.append("ResourceCreated", resource("r"), ["kind": "room", "displayName": "R", "alias": "r"])
            }
            return (ledger, resource(isCreate ? "new" : "r"))
        }
    }

    @Test(arguments: cases)
    func validation(_ c: ValidationCase) throws {
        var (ledger, stream) = try Self.ledger(for: c.type)
        let refusal = ledger.refusal(c.type.rawValue, stream, c.data)
        if let code = c.code {
            expectError(refusal, code, field: c.field)
            if let message = refusal?.message {
                // Messages never quote attribute values.
                for value in ["Ann", "ann@contoso.com", "CTO", "+47", "Oslo", "Global Administrator", "ghost"] {
                    #expect(!message.contains(value), "\(message)")
                }
            }
        } else {
            #expect(refusal == nil, "\(refusal.map(String.init(describing:)) ?? "")")
        }
    }

    @Test func everyTypeHasValidAndInvalidCases() {
        for type in EventType.allCases where type != .tenantInitialized {
            #expect(Self.cases.contains { $0.type == type && $0.code == nil }, "\(type.rawValue) valid")
            #expect(Self.cases.contains { $0.type == type && $0.code != nil }, "\(type.rawValue) invalid")
        }
    }

    // MARK: - Normalisation

    @Test func flatUserCreatedIsWrapped() throws {
        var (ledger, stream) = try Self.ledger(for: .userCreated)
        let flat: JSONValue = ["userPrincipalName": "ann@contoso.com", "x-hireDate": "2020-01-01"]
        let admission = try ledger.append("UserCreated", stream, flat)
        #expect(admission.data == ["attributes": flat])
    }

    @Test func guidsAreLowercased() throws {
        var (ledger, stream) = try Self.ledger(for: .licenseAssigned)
        let admission = try ledger.append(
            "LicenseAssigned", stream, ["skuId": .string(Self.sku.uppercased()), "disabledPlans": [.string(Self.plan.uppercased())]])
        #expect(admission.data == ["skuId": .string(Self.sku), "disabledPlans": [.string(Self.plan)]])
        let same: JSONValue = ["skuId": .string(Self.sku)]
        #expect(try ledger.append("LicenseRemoved", stream, same).data == same)
    }

    @Test func firstErrorInKeyOrder() throws {
        var (ledger, stream) = try Self.ledger(for: .userUpdated)
        for _ in 0..<5 {
            expectError(
                ledger.refusal("UserUpdated", stream, ["set": ["zzz": 1, "aaa": 2, "city": 3, "mmm": 4]]),
                .unknownAttribute, field: "data.set.aaa")
        }
    }

    @Test func emailShape() {
        for good in ["a@b.co", "first.last@sub.example.org", "æ@ø.no"] {
            #expect(EventDataValidator.isEmailShaped(good), "\(good)")
        }
        for bad in ["", "@b.co", "a@", "a@b", "a@.b", "a@b.", "a@b..c", "a b@c.d", "a@b@c.d"] {
            #expect(!EventDataValidator.isEmailShaped(bad), "\(bad)")
        }
    }
}
