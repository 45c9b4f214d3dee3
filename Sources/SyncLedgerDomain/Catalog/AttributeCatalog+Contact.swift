/// The mail-contact attributes: Exchange Online only (Graph cannot write contacts);
/// mail fields through `Set-MailContact`, directory fields through `Set-Contact`.
extension AttributeCatalog {
    public static let contactAttributes: [Attribute] = {
        func contact(
            _ name: String, _ cmdlet: String, _ parameter: String, _ type: AttributeValueType = .string,
            required: Bool = false
        ) -> Attribute {
            Attribute(
                name: name, objectKind: .contact, tier: nil, valueType: type,
                route: .exchange(cmdlet: cmdlet, parameter: parameter), isRequired: required)
        }
        return [
            contact("displayName", "Set-MailContact", "DisplayName", required: true),
            contact("externalEmailAddress", "Set-MailContact", "ExternalEmailAddress", .emailAddress, required: true),
            contact("mailNickname", "Set-MailContact", "Alias"),
            contact("proxyAddresses", "Set-MailContact", "EmailAddresses", .stringList),
            contact("hiddenFromAddressListsEnabled", "Set-MailContact", "HiddenFromAddressListsEnabled", .boolean),
            contact("givenName", "Set-Contact", "FirstName"),
            contact("surname", "Set-Contact", "LastName"),
            contact("initials", "Set-Contact", "Initials"),
            contact("companyName", "Set-Contact", "Company"),
            contact("department", "Set-Contact", "Department"),
            contact("jobTitle", "Set-Contact", "Title"),
            contact("officeLocation", "Set-Contact", "Office"),
            contact("streetAddress", "Set-Contact", "StreetAddress"),
            contact("city", "Set-Contact", "City"),
            contact("state", "Set-Contact", "StateOrProvince"),
            contact("postalCode", "Set-Contact", "PostalCode"),
            contact("country", "Set-Contact", "CountryOrRegion"),
            // Set-Contact -Phone holds one number: the replayer sends the first entry.
            contact("businessPhones", "Set-Contact", "Phone", .stringList),
            contact("mobilePhone", "Set-Contact", "MobilePhone"),
            contact("homePhone", "Set-Contact", "HomePhone"),
            contact("faxNumber", "Set-Contact", "Fax"),
            contact("info", "Set-Contact", "Notes"),
        ]
    }()
}
