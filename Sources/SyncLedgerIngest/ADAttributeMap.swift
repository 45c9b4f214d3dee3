import SyncLedgerDomain

/// Active Directory attribute names (what `ldifde` writes) and the catalog names they become.
///
/// Explicit renames first (`sn` → `surname`, `l` → `city`, `st` → `state`, `c` →
/// `usageLocation`, `co` → `country`, `title` → `jobTitle`, `company` → `companyName`,
/// `physicalDeliveryOfficeName` → `officeLocation`, `telephoneNumber` → `businessPhones`,
/// `mobile` → `mobilePhone`, `facsimileTelephoneNumber` → `faxNumber`, `wWWHomePage` →
/// `wwwHomepage`, `employeeID` → `employeeId`; for groups `mail` → `primarySmtpAddress` and
/// `msExchHideFromAddressLists` → `hiddenFromAddressListsEnabled`; for contacts `mail` →
/// `externalEmailAddress`; for rooms `mailNickname` → `alias`, `msExchResourceCapacity` →
/// `capacity`), then any AD name equal, ignoring case, to a catalog attribute of the kind
/// (`givenName`, `displayName`, `department`, `proxyAddresses`, `extensionAttribute1`…,
/// `msExch…`, `msRTCSIP-…`). Every other AD attribute (`whenCreated`, `objectSid`,
/// `memberOf`, `sAMAccountName`, …) is operational or not synced, and is not kept.
enum ADAttributeMap {
    /// The catalog attribute for the AD attribute `name` (any case) on `kind`, or nil.
    static func catalogName(_ name: String, kind: ObjectKind) -> String? {
        let lowered = name.lowercased()
        switch kind {
        case .user: return user[lowered]
        case .group: return group[lowered]
        case .contact: return contact[lowered]
        case .resource: return resource[lowered]
        case .tenant: return nil
        }
    }

    // MARK: - Tables (built once)

    private static let personRenames: [String: String] = [
        "sn": "surname", "l": "city", "st": "state", "co": "country", "title": "jobTitle", "company": "companyName",
        "physicaldeliveryofficename": "officeLocation", "telephonenumber": "businessPhones", "mobile": "mobilePhone",
        "facsimiletelephonenumber": "faxNumber", "wwwhomepage": "wwwHomepage", "employeeid": "employeeId",
    ]

    private static let user = table(.user, renames: personRenames.merging(["c": "usageLocation"]) { $1 })
    private static let contact = table(
        .contact,
        renames: personRenames.merging(["mail": "externalEmailAddress", "msexchhidefromaddresslists": "hiddenFromAddressListsEnabled"]) { $1 })
    private static let group = table(
        .group, renames: ["mail": "primarySmtpAddress", "msexchhidefromaddresslists": "hiddenFromAddressListsEnabled"])
    private static let resource = table(
        .resource,
        renames: [
            "mail": "primarySmtpAddress", "mailnickname": "alias", "msexchresourcecapacity": "capacity",
            "physicaldeliveryofficename": "officeLocation", "l": "city", "co": "country",
            "msexchhidefromaddresslists": "hiddenFromAddressListsEnabled",
        ])

    private static func table(_ kind: ObjectKind, renames: [String: String]) -> [String: String] {
        var table: [String: String] = [:]
        for attribute in AttributeCatalog.attributes(for: kind) { table[attribute.name.lowercased()] = attribute.name }
        for (ad, name) in renames where AttributeCatalog.attribute(named: name, for: kind) != nil { table[ad] = name }
        return table
    }
}
