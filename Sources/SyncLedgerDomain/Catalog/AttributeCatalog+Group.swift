/// The group attributes. A security group is written by Microsoft Graph (``Attribute/route``);
/// a distribution list or mail-enabled security group by Exchange Online
/// `Set-DistributionGroup` (``Attribute/exchangeRoute``). `kind` is not an attribute: it is
/// fixed by `GroupCreated`.
extension AttributeCatalog {
    public static let groupAttributes: [Attribute] = {
        let notMailEnabled = AttributeRoute.notWritable(reason: "a security group is not mail-enabled")
        func group(
            _ name: String, _ type: AttributeValueType = .string, graph: AttributeRoute, exchange parameter: String,
            required: Bool = false
        ) -> Attribute {
            Attribute(
                name: name, objectKind: .group, tier: nil, valueType: type, route: graph,
                exchangeRoute: .exchange(cmdlet: "Set-DistributionGroup", parameter: parameter), isRequired: required)
        }
        return [
            group("displayName", graph: .graph(property: "displayName"), exchange: "DisplayName", required: true),
            group("mailNickname", graph: .graph(property: "mailNickname"), exchange: "Alias", required: true),
            group("description", graph: .graph(property: "description"), exchange: "Description"),
            group("primarySmtpAddress", .emailAddress, graph: notMailEnabled, exchange: "PrimarySmtpAddress"),
            group("proxyAddresses", .stringList, graph: notMailEnabled, exchange: "EmailAddresses"),
            group("hiddenFromAddressListsEnabled", .boolean, graph: notMailEnabled, exchange: "HiddenFromAddressListsEnabled"),
            group(
                "requireSenderAuthenticationEnabled", .boolean, graph: notMailEnabled,
                exchange: "RequireSenderAuthenticationEnabled"),
            group(
                "managedBy", .referenceList([.user]), graph: .graphReference(path: "/groups/{id}/owners/$ref"),
                exchange: "ManagedBy"),
        ]
    }()
}
