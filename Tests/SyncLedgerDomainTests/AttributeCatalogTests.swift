import SyncLedgerDomain
import Testing

@Suite("Attribute catalog")
struct AttributeCatalogTests {
    func userAttribute(_ name: String) -> Attribute? {
        AttributeCatalog.attribute(named: name, for: .user)
    }

    @Test func tiers() {
        #expect(AttributeTier.basic < .limitedExtended && AttributeTier.limitedExtended < .allExtended)
        let basic = ["givenName", "surname", "displayName", "usageLocation", "userPrincipalName"]
        #expect(Set(AttributeCatalog.userAttributes(in: .basic).map(\.name)) == Set(basic))
        let limited = [
            "city", "country", "department", "faxNumber", "manager", "middleName", "mobilePhone", "officeLocation",
            "preferredLanguage", "mail", "state", "streetAddress", "businessPhones", "jobTitle", "postalCode",
        ]
        #expect(Set(AttributeCatalog.userAttributes(in: .limitedExtended).map(\.name)) == Set(limited))
        #expect(userAttribute("givenName")?.tier == .basic)
        #expect(userAttribute("department")?.tier == .limitedExtended)
        #expect(userAttribute("companyName")?.tier == .allExtended)
        #expect(userAttribute("mailNickname")?.oktaLabel == "Alias")
        #expect(userAttribute("officeLocation")?.oktaLabel == "Office")
    }

    @Test func allExtendedFamilies() {
        for n in 1...15 {
            let attribute = userAttribute("extensionAttribute\(n)")
            #expect(attribute?.tier == .allExtended, "extensionAttribute\(n)")
            #expect(attribute?.route == .graph(property: "onPremisesExtensionAttributes.extensionAttribute\(n)"))
        }
        #expect(userAttribute("extensionAttribute16") == nil)
        for n in 1...5 {
            #expect(userAttribute("msExchExtensionCustomAttribute\(n)")?.route
                == .exchange(cmdlet: "Set-Mailbox", parameter: "ExtensionCustomAttribute\(n)"))
        }
        for name in [
            "msRTCSIP-PrimaryUserAddress", "msRTCSIP-UserEnabled", "msExchLitigationHoldDate", "msExchAuditOwner",
            "msExchRetentionComment", "msDS-PhoneticDisplayName", "userSMIMECertificate", "targetAddress", "info",
            "initials", "wwwHomepage", "otherFacsimileTelephoneNumber", "employeeId",
        ] {
            #expect(userAttribute(name)?.tier == .allExtended, "\(name)")
        }
    }

    @Test func routes() {
        guard case .notWritable(let reason) = userAttribute("middleName")?.route else {
            Issue.record("middleName must not be writable")
            return
        }
        #expect(reason.contains("middleName"))
        #expect(userAttribute("proxyAddresses")?.route == .exchange(cmdlet: "Set-Mailbox", parameter: "EmailAddresses"))
        #expect(userAttribute("proxyAddresses")?.valueType == .stringList)
        #expect(userAttribute("manager")?.route == .graphReference(path: "/users/{id}/manager/$ref"))
        #expect(userAttribute("manager")?.valueType == .reference([.user]))
        #expect(userAttribute("msExchHideFromAddressLists")?.route
            == .exchange(cmdlet: "Set-Mailbox", parameter: "HiddenFromAddressListsEnabled"))
        #expect(userAttribute("msExchResourceCapacity")?.route == .exchange(cmdlet: "Set-Mailbox", parameter: "ResourceCapacity"))
        #expect(userAttribute("jobTitle")?.route == .graph(property: "jobTitle"))
        // Every Graph-routed user attribute names a property of the reference's writable list.
        let writable: Set<String> = [
            "accountEnabled", "ageGroup", "businessPhones", "city", "companyName", "country", "department",
            "displayName", "employeeId", "employeeType", "faxNumber", "givenName", "jobTitle", "mail", "mailNickname",
            "mobilePhone", "officeLocation", "onPremisesExtensionAttributes", "onPremisesImmutableId", "otherMails",
            "passwordPolicies", "postalCode", "preferredLanguage", "state", "streetAddress", "surname", "usageLocation",
            "userPrincipalName", "userType",
        ]
        for attribute in AttributeCatalog.userAttributes {
            if case .graph(let property) = attribute.route {
                let top = String(property.split(separator: ".").first!)
                #expect(writable.contains(top), "\(attribute.name) -> \(property)")
            }
        }
    }

    @Test func userPrincipalNameInProfileSync() {
        let upn = userAttribute("userPrincipalName")!
        #expect(upn.isRequired)
        #expect(upn.isReadOnlyAfterCreate(in: .profileSync))
        #expect(!upn.isReadOnlyAfterCreate(in: .userSync))
        #expect(!userAttribute("givenName")!.isReadOnlyAfterCreate(in: .profileSync))
    }

    @Test func syncedByMode() {
        #expect(userAttribute("givenName")!.isSynced(in: .profileSync))
        #expect(!userAttribute("givenName")!.isSynced(in: .licensesRoles))
        #expect(!userAttribute("department")!.isSynced(in: .profileSync))
        #expect(userAttribute("department")!.isSynced(in: .userSync))
        #expect(!userAttribute("companyName")!.isSynced(in: .userSync))
        #expect(userAttribute("companyName")!.isSynced(in: .universalSync))
        let contactName = AttributeCatalog.attribute(named: "displayName", for: .contact)!
        #expect(contactName.isSynced(in: .universalSync) && !contactName.isSynced(in: .userSync))
    }

    @Test func namesAreUniqueAndKindsMatch() {
        for kind in ObjectKind.directoryKinds {
            let attributes = AttributeCatalog.attributes(for: kind)
            #expect(!attributes.isEmpty)
            #expect(Set(attributes.map(\.name)).count == attributes.count, "\(kind)")
            for attribute in attributes {
                #expect(attribute.objectKind == kind)
                #expect((attribute.tier != nil) == (kind == .user), "\(attribute.name)")
                #expect(AttributeCatalog.attribute(named: attribute.name, for: kind) == attribute)
                #expect(!attribute.isSiteSpecific)
            }
        }
        #expect(AttributeCatalog.attributes(for: .tenant).isEmpty)
    }

    @Test func groupRoutesByKind() {
        let name = AttributeCatalog.attribute(named: "displayName", for: .group)!
        #expect(name.route(for: .security) == .graph(property: "displayName"))
        #expect(name.route(for: .distribution) == .exchange(cmdlet: "Set-DistributionGroup", parameter: "DisplayName"))
        let smtp = AttributeCatalog.attribute(named: "primarySmtpAddress", for: .group)!
        #expect(!smtp.route(for: .security).isWritable)
        #expect(smtp.route(for: .mailSecurity) == .exchange(cmdlet: "Set-DistributionGroup", parameter: "PrimarySmtpAddress"))
    }

    @Test func benchNamesAreAccepted() {
        let names: [(ObjectKind, [String])] = [
            (.user, [
                "userPrincipalName", "mail", "givenName", "surname", "displayName", "department", "jobTitle",
                "officeLocation", "usageLocation", "country", "mobilePhone", "preferredLanguage", "manager",
            ]),
            (.group, ["displayName", "mailNickname", "description"]),
            (.contact, ["displayName", "externalEmailAddress", "givenName", "surname", "companyName", "city", "country", "businessPhones"]),
            (.resource, ["displayName", "alias", "capacity"]),
        ]
        for (kind, list) in names {
            for name in list {
                #expect(AttributeCatalog.attribute(named: name, for: kind) != nil, "\(kind.rawValue).\(name)")
            }
        }
    }

    @Test func siteSpecific() {
        for kind in ObjectKind.directoryKinds {
            let attribute = AttributeCatalog.attribute(named: "x-costCenter", for: kind)
            #expect(attribute?.isSiteSpecific == true)
            #expect(attribute?.valueType == .any)
            #expect(attribute?.route.isWritable == false)
            #expect(attribute?.isSynced(in: .universalSync) == false)
        }
        #expect(AttributeCatalog.attribute(named: "x-", for: .user) == nil)
        #expect(AttributeCatalog.attribute(named: "X-costCenter", for: .user) == nil)
        #expect(AttributeCatalog.attribute(named: "fooBar", for: .user) == nil)
        #expect(AttributeCatalog.attribute(named: "x-a", for: .tenant) == nil)
    }
}
