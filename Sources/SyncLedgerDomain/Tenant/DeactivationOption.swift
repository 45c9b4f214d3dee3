/// What happens in Office 365 when a user is deactivated: Okta's five deprovisioning options
/// (reference §5).
public enum DeactivationOption: String, CaseIterable, Sendable, Hashable, Codable {
    /// Block sign-in.
    case block
    /// Block sign-in and remove licenses.
    case blockRemoveLicenses = "block-remove-licenses"
    /// Block sign-in, remove licenses after a grace period.
    case blockRemoveLicensesAfter = "block-remove-licenses-after"
    /// Block sign-in, remove licenses and delete the user.
    case blockRemoveLicensesDelete = "block-remove-licenses-delete"
    /// Block sign-in, remove licenses and delete the user after a grace period.
    case blockRemoveLicensesDeleteAfter = "block-remove-licenses-delete-after"

    /// Whether the option waits a number of grace days (and so needs `graceDays`).
    public var needsGraceDays: Bool {
        self == .blockRemoveLicensesAfter || self == .blockRemoveLicensesDeleteAfter
    }

    /// Whether the option removes the user's licenses.
    public var removesLicenses: Bool { self != .block }

    /// Whether the option deletes the user.
    public var deletesUser: Bool {
        self == .blockRemoveLicensesDelete || self == .blockRemoveLicensesDeleteAfter
    }

    /// A one-line description for listings.
    public var title: String {
        switch self {
        case .block: return "Block sign-in"
        case .blockRemoveLicenses: return "Block sign-in and remove licenses"
        case .blockRemoveLicensesAfter: return "Block sign-in, remove licenses after a grace period"
        case .blockRemoveLicensesDelete: return "Block sign-in, remove licenses and delete the user"
        case .blockRemoveLicensesDeleteAfter:
            return "Block sign-in, remove licenses and delete the user after a grace period"
        }
    }
}
