public import SyncLedgerDomain

/// The SCIM 2.0 attributes the importer reads (RFC 7643) and the catalog attributes they become.
///
/// | SCIM (User)                                                    | catalog              |
/// |----------------------------------------------------------------|----------------------|
/// | `externalId` (else `id`)                                       | the anchor           |
/// | `userName`                                                     | `userPrincipalName`  |
/// | `name.givenName` / `name.familyName` / `name.middleName`       | `givenName` / `surname` / `middleName` |
/// | `displayName`                                                  | `displayName`        |
/// | `title`                                                        | `jobTitle`           |
/// | `userType`                                                     | `employeeType`       |
/// | `preferredLanguage`                                            | `preferredLanguage`  |
/// | `emails[type eq "work"].value` (else the primary, else the only one) | `mail`         |
/// | `phoneNumbers[type eq "work"].value` (all of them)             | `businessPhones`     |
/// | `phoneNumbers[type eq "mobile"].value`                         | `mobilePhone`        |
/// | `phoneNumbers[type eq "fax"].value`                            | `faxNumber`          |
/// | `addresses[type eq "work"]` `.streetAddress` `.locality` `.region` `.postalCode` `.country` | `streetAddress` `city` `state` `postalCode` `country` |
/// | enterprise `employeeNumber`                                    | `employeeId`         |
/// | enterprise `department`                                        | `department`         |
/// | enterprise `organization`                                      | `companyName`        |
/// | enterprise `manager.value`                                     | `manager` (`user:<value>`) |
/// | `active`                                                       | `UserDeactivated` / `UserReactivated` |
/// | Group `displayName`                                            | `displayName` (and, at creation, `mailNickname`: its letters, digits, `.`, `-`, `_`) |
/// | Group `members[].value` (`type` User/Group/Contact picks the kind) | `MemberAdded` / `MemberRemoved` |
///
/// Other SCIM attributes (`nickName`, `locale`, `timezone`, `ims`, `photos`, `groups`,
/// `entitlements`, `roles`, `x509Certificates`, `password`, `meta`, …) are not kept. A
/// resource is the whole truth for the attributes of this table: one it leaves out is unset.
public enum SCIMMapping {
    /// The catalog user attributes this table manages.
    public static let userAttributes = [
        "userPrincipalName", "givenName", "surname", "middleName", "displayName", "jobTitle", "employeeType",
        "preferredLanguage", "mail", "businessPhones", "mobilePhone", "faxNumber", "streetAddress", "city", "state",
        "postalCode", "country", "employeeId", "department", "companyName", "manager",
    ]

    /// The SCIM name of each catalog attribute, for error messages.
    public static let userFieldNames: [String: String] = [
        "userPrincipalName": "userName", "givenName": "name.givenName", "surname": "name.familyName",
        "middleName": "name.middleName", "displayName": "displayName", "jobTitle": "title", "employeeType": "userType",
        "preferredLanguage": "preferredLanguage", "mail": "emails[type eq \"work\"].value",
        "businessPhones": "phoneNumbers[type eq \"work\"].value", "mobilePhone": "phoneNumbers[type eq \"mobile\"].value",
        "faxNumber": "phoneNumbers[type eq \"fax\"].value", "streetAddress": "addresses[type eq \"work\"].streetAddress",
        "city": "addresses[type eq \"work\"].locality", "state": "addresses[type eq \"work\"].region",
        "postalCode": "addresses[type eq \"work\"].postalCode", "country": "addresses[type eq \"work\"].country",
        "employeeId": "employeeNumber", "department": "department", "companyName": "organization", "manager": "manager",
        "member": "members", "kind": "schemas",
    ]

    // MARK: - SCIM to catalog

    /// The catalog values of a user resource (keys lowercased): every attribute of the table,
    /// nil when the resource has none.
    ///
    /// - Parameter manager: the object a manager `value` names.
    public static func catalogValues(
        user resource: [String: JSONValue], manager: (String) throws -> ObjectRef
    ) throws -> [String: JSONValue?] {
        var values: [String: JSONValue?] = [:]
        for name in userAttributes { values[name] = .some(nil) }
        func put(_ name: String, _ value: JSONValue?) throws(AttributeText.Mismatch) {
            guard let value, !value.isNull else { return }
            if case .string(let text) = value {
                if !text.isEmpty { values[name] = .string(text) }
                return
            }
            if case .array = value, name == "businessPhones" {
                values[name] = value
                return
            }
            throw AttributeText.Mismatch(message: "must be a string, not \(value.typeDescription)", field: userFieldNames[name] ?? name)
        }
        try put("userPrincipalName", resource["username"])
        let name = resource["name"]
        try put("givenName", name?["givenname"])
        try put("surname", name?["familyname"])
        try put("middleName", name?["middlename"])
        try put("displayName", resource["displayname"])
        try put("jobTitle", resource["title"])
        try put("employeeType", resource["usertype"])
        try put("preferredLanguage", resource["preferredlanguage"])
        try put("mail", pick(resource["emails"], type: "work")?["value"])
        let phones = elements(resource["phonenumbers"]).filter { $0["type"]?.stringValue?.lowercased() == "work" }
        let work = phones.compactMap { $0["value"]?.stringValue }.filter { !$0.isEmpty }
        if !work.isEmpty { try put("businessPhones", .array(work.map(JSONValue.string))) }
        try put("mobilePhone", pick(resource["phonenumbers"], type: "mobile", fallback: false)?["value"])
        try put("faxNumber", pick(resource["phonenumbers"], type: "fax", fallback: false)?["value"])
        let address = pick(resource["addresses"], type: "work")
        try put("streetAddress", address?["streetaddress"])
        try put("city", address?["locality"])
        try put("state", address?["region"])
        try put("postalCode", address?["postalcode"])
        try put("country", address?["country"])
        let enterprise = resource[SCIMPath.enterpriseURN]
        try put("employeeId", enterprise?["employeenumber"])
        try put("department", enterprise?["department"])
        try put("companyName", enterprise?["organization"])
        let boss = enterprise?["manager"]
        if let id = boss?["value"]?.stringValue ?? boss?.stringValue, !id.isEmpty {
            values["manager"] = .string(try manager(id).description)
        }
        return values
    }

    /// `active` as a Boolean (`true`, `false`, or the strings `"True"`/`"False"` some clients
    /// send); nil when absent.
    public static func active(_ resource: [String: JSONValue]) throws(AttributeText.Mismatch) -> Bool? {
        guard let value = resource["active"], !value.isNull else { return nil }
        if let flag = value.boolValue { return flag }
        if let text = value.stringValue, let flag = AttributeText.boolean(text) { return flag }
        throw AttributeText.Mismatch(message: "must be true or false", field: "active")
    }

    // MARK: - Catalog to SCIM

    /// A user's state as a SCIM resource (keys lowercased): what PATCH operations apply to.
    public static func resource(ofUser object: DirectoryObject) -> [String: JSONValue] {
        let a = object.attributes
        var resource: [String: JSONValue] = ["active": .bool(object.enabled)]
        func copy(_ name: String, _ key: String, into target: inout [String: JSONValue]) {
            if let value = a[name] { target[key] = value }
        }
        copy("userPrincipalName", "username", into: &resource)
        copy("displayName", "displayname", into: &resource)
        copy("jobTitle", "title", into: &resource)
        copy("employeeType", "usertype", into: &resource)
        copy("preferredLanguage", "preferredlanguage", into: &resource)
        var name: [String: JSONValue] = [:]
        copy("givenName", "givenname", into: &name)
        copy("surname", "familyname", into: &name)
        copy("middleName", "middlename", into: &name)
        if !name.isEmpty { resource["name"] = .object(name) }
        if let mail = a["mail"] { resource["emails"] = [["type": "work", "value": mail, "primary": true]] }
        var phones: [JSONValue] = (a["businessPhones"]?.arrayValue ?? []).map { ["type": "work", "value": $0] }
        if let mobile = a["mobilePhone"] { phones.append(["type": "mobile", "value": mobile]) }
        if let fax = a["faxNumber"] { phones.append(["type": "fax", "value": fax]) }
        if !phones.isEmpty { resource["phonenumbers"] = .array(phones) }
        var address: [String: JSONValue] = [:]
        copy("streetAddress", "streetaddress", into: &address)
        copy("city", "locality", into: &address)
        copy("state", "region", into: &address)
        copy("postalCode", "postalcode", into: &address)
        copy("country", "country", into: &address)
        if !address.isEmpty {
            address["type"] = "work"
            resource["addresses"] = [.object(address)]
        }
        var enterprise: [String: JSONValue] = [:]
        copy("employeeId", "employeenumber", into: &enterprise)
        copy("department", "department", into: &enterprise)
        copy("companyName", "organization", into: &enterprise)
        if let manager = a["manager"]?.stringValue, let ref = try? ObjectRef(parsing: manager) {
            enterprise["manager"] = ["value": .string(ref.anchor)]
        }
        if !enterprise.isEmpty { resource[SCIMPath.enterpriseURN] = .object(enterprise) }
        return resource
    }

    /// A group's state as a SCIM resource (keys lowercased).
    public static func resource(ofGroup object: DirectoryObject) -> [String: JSONValue] {
        var resource: [String: JSONValue] = [:]
        if let name = object.attributes["displayName"] { resource["displayname"] = name }
        resource["members"] = .array(
            object.members.sorted().compactMap { text in
                guard let ref = try? ObjectRef(parsing: text) else { return nil }
                return ["value": .string(ref.anchor), "type": .string(ref.kind.rawValue.capitalized)]
            })
        return resource
    }

    /// A mail nickname made from a group's display name: its ASCII letters, digits, `.`, `-`
    /// and `_` (Exchange's alias characters), or `fallback` when none is left.
    public static func mailNickname(from displayName: String, fallback: String) -> String {
        let kept = displayName.unicodeScalars.filter {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "." || $0 == "-" || $0 == "_"
        }
        let nickname = String(String.UnicodeScalarView(kept))
        if !nickname.isEmpty { return String(nickname.prefix(64)) }
        let safe = fallback.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
        return "group" + String(String.UnicodeScalarView(safe)).prefix(32)
    }

    // MARK: - Helpers

    /// The element of a multi-valued attribute with `type`, else (with `fallback`) the primary
    /// one, else the only one.
    static func pick(_ value: JSONValue?, type: String, fallback: Bool = true) -> JSONValue? {
        let list = elements(value)
        if let typed = list.first(where: { $0["type"]?.stringValue?.lowercased() == type }) { return typed }
        guard fallback else { return nil }
        if let primary = list.first(where: { $0["primary"]?.boolValue == true }) { return primary }
        return list.count == 1 ? list[0] : nil
    }

    static func elements(_ value: JSONValue?) -> [JSONValue] {
        value?.arrayValue ?? []
    }
}

extension String {
    /// The string with its first letter uppercased (`user` → `User`).
    fileprivate var capitalized: String {
        guard let first else { return self }
        return first.uppercased() + dropFirst()
    }
}
