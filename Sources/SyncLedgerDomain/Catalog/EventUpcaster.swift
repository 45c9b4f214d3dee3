/// Brings event data written under an older schema version up to the type's current one.
///
/// Every version is 1 today, so upcasting is the identity. To change a payload later:
/// 1. bump the type's ``EventType/currentSchemaVersion`` (say `UserCreated` to 2);
/// 2. add a step below, `case (.userCreated, 1): data = userCreatedV1toV2(data)`, a pure
///    function of the old data (no lookups, no clock);
/// 3. keep stored v1 events as they are: readers (the Store's folds, projections) call
///    ``upcast(_:type:from:)`` with the stored `schema_version`, and ``AppendRules`` stores
///    an incoming old-version event in its current shape under the current version.
///
/// Steps run one version at a time, so v1 data reaches v3 through v2.
public enum EventUpcaster {
    /// `data` of `type` written under `version`, in the shape of the current version.
    ///
    /// - Throws: `unsupportedSchemaVersion` on `schema_version` when `version` is below 1 or
    ///   newer than this build understands.
    public static func upcast(_ data: JSONValue, type: EventType, from version: Int) throws(DomainError) -> JSONValue {
        let current = type.currentSchemaVersion
        guard version >= 1, version <= current else {
            throw DomainError(
                .unsupportedSchemaVersion, field: "schema_version",
                "\(type.rawValue) schema version \(version) is not supported: this build reads versions 1 to \(current)")
        }
        var data = data
        var version = version
        while version < current {
            data = step(data, type: type, from: version)
            version += 1
        }
        return data
    }

    /// One upcasting step, from `version` to `version + 1`. No step exists yet.
    private static func step(_ data: JSONValue, type: EventType, from version: Int) -> JSONValue {
        switch (type, version) {
        default:
            return data
        }
    }
}
