/// The user attributes (reference §2).
///
/// The msRTCSIP-* and the msExch audit / retention / litigation attributes are open-ended
/// families in Okta's list; the catalog carries the commonly used ones named below. Add a
/// name here (with its tier and route) to accept more.
extension AttributeCatalog {
    /// Every user attribute, basic first, then limited extended, then all extended.
    public static let userAttributes: [Attribute] = basicUserAttributes + limitedUserAttributes + allExtendedUserAttributes

    // MARK: - Basic (Profile Sync)

    private static let basicUserAttributes: [Attribute] = [
        user("givenName", "First name", .basic),
        user("surname", "Last name", .basic),
        user("displayName", "Display name", .basic),
        user("usageLocation", "Country code", .basic),
        Attribute(
            name: "userPrincipalName", oktaLabel: "Username", objectKind: .user, tier: .basic,
            valueType: .emailAddress, route: .graph(property: "userPrincipalName"), isRequired: true,
            isFixedAtCreationInProfileSync: true),
    ]

    // MARK: - Limited extended (User Sync)

    private static let limitedUserAttributes: [Attribute] = [
        user("city", "City", .limitedExtended),
        user("country", "Country", .limitedExtended),
        user("department", "Department", .limitedExtended),
        user("faxNumber", "Fax number", .limitedExtended),
        user(
            "manager", "Manager", .limitedExtended, .reference([.user]),
            .graphReference(path: "/users/{id}/manager/$ref")),
        user(
            "middleName", "Middle name", .limitedExtended,
            route: .notWritable(reason: "Microsoft Graph v1.0 has no middleName property")),
        user("mobilePhone", "Mobile phone", .limitedExtended),
        user("officeLocation", "Office", .limitedExtended),
        user("preferredLanguage", "Preferred Language", .limitedExtended),
        user("mail", "Primary email", .limitedExtended, .emailAddress),
        user("state", "State", .limitedExtended),
        user("streetAddress", "Street address", .limitedExtended),
        user("businessPhones", "Telephone", .limitedExtended, .stringList),
        user("jobTitle", "Title", .limitedExtended),
        user("postalCode", "Zip Code", .limitedExtended),
    ]

    // MARK: - All extended (Universal Sync)

    private static let allExtendedUserAttributes: [Attribute] =
        [
            user("companyName", "Company", .allExtended),
            user("mailNickname", "Alias", .allExtended),
            user("employeeId", "Employee ID", .allExtended),
            user("employeeType", "Employee type", .allExtended),
            user("initials", "Initials", .allExtended, route: setUser("Initials")),
            user("info", "Info", .allExtended, route: setUser("Notes")),
            user(
                "description", "Description", .allExtended,
                route: .notWritable(
                    reason: "Microsoft Graph v1.0 has no user description and no Exchange Online parameter writes it")),
            user("homePhone", "HomePhone", .allExtended, route: setUser("HomePhone")),
            user(
                "ipPhone", "IPPhone", .allExtended,
                route: .notWritable(reason: "neither Microsoft Graph v1.0 nor Exchange Online writes ipPhone")),
            user("pager", "Pager", .allExtended, route: setUser("Pager")),
            user(
                "otherMobile", nil, .allExtended, .stringList,
                .notWritable(reason: "neither Microsoft Graph v1.0 nor Exchange Online writes otherMobile")),
            user("otherTelephone", nil, .allExtended, .stringList, setUser("OtherTelephone")),
            user("otherFacsimileTelephoneNumber", nil, .allExtended, .stringList, setUser("OtherFax")),
            user("wwwHomepage", nil, .allExtended, route: setUser("WebPage")),
            user(
                "url", nil, .allExtended, .stringList,
                .notWritable(reason: "neither Microsoft Graph v1.0 nor Exchange Online writes url")),
            user("postOfficeBox", nil, .allExtended, .stringList, setUser("PostOfficeBox")),
            user(
                "proxyAddresses", nil, .allExtended, .stringList,
                .exchange(cmdlet: "Set-Mailbox", parameter: "EmailAddresses")),
            user(
                "targetAddress", nil, .allExtended,
                route: .notWritable(
                    reason: "Exchange Online sets targetAddress itself; it only serves hybrid mail routing, which these modes do not support"
                )),
        ]
        + (1...15).map { n in
            // Okta's list omits extensionAttribute11: a documentation slip, synced anyway.
            user(
                "extensionAttribute\(n)", n == 11 ? nil : "ExtensionAttribute\(n)", .allExtended,
                route: .graph(property: "onPremisesExtensionAttributes.extensionAttribute\(n)"))
        }
        + (1...5).map { n in
            user(
                "msExchExtensionCustomAttribute\(n)", "MSExchExtensionCustomAttribute\(n)", .allExtended, .stringList,
                setMailbox("ExtensionCustomAttribute\(n)"))
        }
        + [
            user(
                "msExchHideFromAddressLists", nil, .allExtended, .boolean,
                setMailbox("HiddenFromAddressListsEnabled")),
            user("msExchResourceCapacity", nil, .allExtended, .integer, setMailbox("ResourceCapacity")),
            user(
                "msExchResourceDisplay", nil, .allExtended,
                route: .notWritable(reason: "Exchange Online derives it from the mailbox type")),
            user(
                "msExchResourceMetadata", nil, .allExtended, .stringList,
                .notWritable(reason: "Exchange Online derives it from the mailbox type and resource properties")),
            user("msExchResourceSearchProperties", nil, .allExtended, .stringList, setMailbox("ResourceCustom")),
            user("msExchAssistantName", "MSExchAssistantName", .allExtended, route: setUser("AssistantName")),
            user(
                "telephoneAssistant", nil, .allExtended,
                route: .notWritable(reason: "neither Microsoft Graph v1.0 nor Exchange Online writes telephoneAssistant")),
            user(
                "msDS-PhoneticDisplayName", "MSDSPhoneticDisplayName", .allExtended,
                route: setUser("PhoneticDisplayName")),
        ]
        + sipAttributes
        + [
            user("userCertificate", nil, .allExtended, .stringList, setMailbox("UserCertificate")),
            user("userSMIMECertificate", nil, .allExtended, .stringList, setMailbox("UserSMimeCertificate")),
        ]
        + complianceAttributes

    /// The common Skype for Business (msRTCSIP-*) attributes.
    private static let sipAttributes: [Attribute] = {
        let reason = AttributeRoute.notWritable(
            reason: "a Skype for Business Server attribute: no public Office 365 API writes it")
        let list: [(String, AttributeValueType)] = [
            ("msRTCSIP-PrimaryUserAddress", .string),
            ("msRTCSIP-UserEnabled", .boolean),
            ("msRTCSIP-PrimaryHomeServer", .string),
            ("msRTCSIP-DeploymentLocator", .string),
            ("msRTCSIP-Line", .string),
            ("msRTCSIP-OptionFlags", .integer),
            ("msRTCSIP-FederationEnabled", .boolean),
            ("msRTCSIP-InternetAccessEnabled", .boolean),
        ]
        return list.map { user($0.0, nil, .allExtended, $0.1, reason) }
    }()

    /// The msExch audit, retention and litigation-hold attributes.
    private static let complianceAttributes: [Attribute] = {
        let auditMask = AttributeRoute.notWritable(
            reason: "a bit mask Exchange Online computes from the Set-Mailbox audit action lists")
        let holdStamp = AttributeRoute.notWritable(
            reason: "Exchange Online stamps it when a litigation hold is turned on (Set-Mailbox -LitigationHoldEnabled)")
        return [
            user("msExchAuditAdmin", "MSExchAuditAdmin", .allExtended, .integer, auditMask),
            user("msExchAuditDelegate", "MSExchAuditDelegate", .allExtended, .integer, auditMask),
            user("msExchAuditDelegateAdmin", "MSExchAuditDelegateAdmin", .allExtended, .integer, auditMask),
            user("msExchAuditOwner", "MSExchAuditOwner", .allExtended, .integer, auditMask),
            user("msExchMailboxAuditEnable", "MSExchMailboxAuditEnable", .allExtended, .boolean, setMailbox("AuditEnabled")),
            user(
                "msExchMailboxAuditLogAgeLimit", "MSExchMailboxAuditLogAgeLimit", .allExtended,
                route: setMailbox("AuditLogAgeLimit")),
            user(
                "msExchBypassAudit", "MSExchBypassAudit", .allExtended, .boolean,
                .exchange(cmdlet: "Set-MailboxAuditBypassAssociation", parameter: "AuditBypassEnabled")),
            user(
                "msExchElcExpirySuspensionStart", "MSExchElcExpirySuspensionStart", .allExtended,
                route: setMailbox("StartDateForRetentionHold")),
            user(
                "msExchElcExpirySuspensionEnd", "MSExchElcExpirySuspensionEnd", .allExtended,
                route: setMailbox("EndDateForRetentionHold")),
            user(
                "msExchELCMailboxFlags", "MSExchElcMailboxFlags", .allExtended, .integer,
                .notWritable(reason: "a bit mask Exchange Online maintains from the hold and retention settings")),
            user("msExchLitigationHoldDate", nil, .allExtended, route: holdStamp),
            user("msExchLitigationHoldOwner", "MSExchLitigationHoldOwner", .allExtended, route: holdStamp),
            user("msExchRetentionComment", nil, .allExtended, route: setMailbox("RetentionComment")),
            user("msExchRetentionURL", nil, .allExtended, route: setMailbox("RetentionUrl")),
        ]
    }()

    // MARK: - Builders

    /// A user attribute; the route defaults to the Graph property of the same name.
    private static func user(
        _ name: String, _ okta: String?, _ tier: AttributeTier, _ type: AttributeValueType = .string,
        _ route: AttributeRoute? = nil
    ) -> Attribute {
        Attribute(
            name: name, oktaLabel: okta, objectKind: .user, tier: tier, valueType: type,
            route: route ?? .graph(property: name))
    }

    private static func user(
        _ name: String, _ okta: String?, _ tier: AttributeTier, _ type: AttributeValueType = .string,
        route: AttributeRoute
    ) -> Attribute {
        user(name, okta, tier, type, Optional(route))
    }

    private static func setUser(_ parameter: String) -> AttributeRoute {
        .exchange(cmdlet: "Set-User", parameter: parameter)
    }

    private static func setMailbox(_ parameter: String) -> AttributeRoute {
        .exchange(cmdlet: "Set-Mailbox", parameter: parameter)
    }
}
