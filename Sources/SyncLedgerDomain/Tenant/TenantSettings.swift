/// The tenant-wide settings in force at a point of the log, folded from the `tenant` stream.
public struct TenantSettings: Sendable, Hashable {
    /// The tenant's name, from `TenantInitialized`.
    public var name: String?

    public init() {}

    /// Folds one recorded tenant event into the settings (no validation: it was checked when
    /// it was appended).
    public mutating func apply(type: String, data: JSONValue) {
        switch type {
        case "TenantInitialized":
            name = data["name"]?.stringValue
        default:
            break
        }
    }
}
