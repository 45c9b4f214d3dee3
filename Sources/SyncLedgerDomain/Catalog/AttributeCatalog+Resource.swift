/// The resource-mailbox (room, equipment) attributes: Exchange Online only. `kind` is not an
/// attribute: it is fixed by `ResourceCreated`.
extension AttributeCatalog {
    public static let resourceAttributes: [Attribute] = {
        func resource(
            _ name: String, _ cmdlet: String, _ parameter: String, _ type: AttributeValueType = .string,
            required: Bool = false
        ) -> Attribute {
            Attribute(
                name: name, objectKind: .resource, tier: nil, valueType: type,
                route: .exchange(cmdlet: cmdlet, parameter: parameter), isRequired: required)
        }
        return [
            resource("displayName", "Set-Mailbox", "DisplayName", required: true),
            resource("alias", "Set-Mailbox", "Alias", required: true),
            // Exchange Online changes the primary address with -WindowsEmailAddress.
            resource("primarySmtpAddress", "Set-Mailbox", "WindowsEmailAddress", .emailAddress),
            resource("proxyAddresses", "Set-Mailbox", "EmailAddresses", .stringList),
            resource("capacity", "Set-Mailbox", "ResourceCapacity", .integer),
            resource("hiddenFromAddressListsEnabled", "Set-Mailbox", "HiddenFromAddressListsEnabled", .boolean),
            resource("officeLocation", "Set-Mailbox", "Office"),
            resource("city", "Set-User", "City"),
            resource("country", "Set-User", "CountryOrRegion"),
            resource("bookingWindowInDays", "Set-CalendarProcessing", "BookingWindowInDays", .integer),
            resource("maximumDurationInMinutes", "Set-CalendarProcessing", "MaximumDurationInMinutes", .integer),
            resource("allowConflicts", "Set-CalendarProcessing", "AllowConflicts", .boolean),
            resource("automateProcessing", "Set-CalendarProcessing", "AutomateProcessing"),
            resource("resourceDelegates", "Set-CalendarProcessing", "ResourceDelegates", .referenceList([.user])),
        ]
    }()
}
