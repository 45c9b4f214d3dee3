/// The tenant's deactivation policy: one ``DeactivationOption`` and, for the options that
/// wait, the number of grace days.
public struct DeactivationPolicy: Sendable, Hashable {
    /// The grace periods accepted, in days.
    public static let graceDaysRange: ClosedRange<Int> = 1...365

    /// The policy of a new tenant: block sign-in only.
    public static let `default` = DeactivationPolicy(uncheckedOption: .block, graceDays: nil)

    public private(set) var option: DeactivationOption
    /// The grace period in days; set exactly when `option.needsGraceDays`.
    public private(set) var graceDays: Int?

    /// A validated policy.
    ///
    /// - Throws: `invalidData` on `graceDays` when it is missing for an `-after` option, given
    ///   for another option, or outside ``graceDaysRange``.
    public init(option: DeactivationOption, graceDays: Int? = nil) throws(DomainError) {
        try Self.validate(option: option, graceDays: graceDays)
        self.init(uncheckedOption: option, graceDays: graceDays)
    }

    init(uncheckedOption option: DeactivationOption, graceDays: Int?) {
        self.option = option
        self.graceDays = graceDays
    }

    /// Checks an option and grace period; the error's field is `graceDays`.
    public static func validate(option: DeactivationOption, graceDays: Int?) throws(DomainError) {
        if option.needsGraceDays {
            guard let graceDays else {
                throw DomainError(
                    .invalidData, field: "graceDays",
                    "\(option.rawValue) needs a grace period: give graceDays (\(graceDaysRange.lowerBound) to \(graceDaysRange.upperBound))"
                )
            }
            guard graceDaysRange.contains(graceDays) else {
                throw DomainError(
                    .invalidData, field: "graceDays",
                    "must be \(graceDaysRange.lowerBound) to \(graceDaysRange.upperBound) days")
            }
        } else if graceDays != nil {
            throw DomainError(
                .invalidData, field: "graceDays",
                "\(option.rawValue) takes no grace period; only block-remove-licenses-after and block-remove-licenses-delete-after do"
            )
        }
    }
}
