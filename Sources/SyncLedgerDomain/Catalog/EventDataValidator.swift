/// Checks the `data` of an event against its type's shape in the catalog: required fields,
/// value types, GUIDs, attribute names and values, object references.
///
/// Errors name the field as a path from the event (`data.attributes.manager`, `data.unset[0]`)
/// and never quote attribute values. When several fields are wrong, the first in key order
/// is reported. It runs once per event on the ingest hot path: no regex, no Foundation, one
/// dictionary lookup per attribute.
public enum EventDataValidator {
    /// What validation learnt about an event, for the rules that follow it.
    public struct Result: Sendable, Hashable {
        /// The data to store: the input, normalised (GUIDs lowercased, a flat `UserCreated`
        /// wrapped in `attributes`).
        public var data: JSONValue
        /// The sub-kind a create fixes: a group's or a resource's kind.
        public var subtype: String?
        /// The other objects the event refers to, which must exist.
        public var references: [Reference]
    }

    /// An object reference found in event data.
    public struct Reference: Sendable, Hashable {
        /// The field that holds it (`data.member`, `data.set.manager`).
        public var field: String
        /// The object referred to.
        public var target: ObjectRef
        /// Whether a deleted object is acceptable (removing a membership of an object that has
        /// since been deleted); otherwise the object must exist.
        public var allowsDeleted: Bool
    }

    /// The object kinds a group member may be.
    public static let memberKinds: [ObjectKind] = ObjectKind.directoryKinds

    // MARK: - Dispatch

    /// Checks `data` for an event of `type` on `stream`.
    ///
    /// - Throws: `invalidData` (wrong shape, missing or unknown field, bad value),
    ///   `unknownAttribute` (an attribute name outside the catalog without `x-`),
    ///   `invalidReference` / `unknownStreamKind` (a malformed or wrong-kind reference).
    public static func validate(_ type: EventType, data: JSONValue, stream: ObjectRef) throws(DomainError) -> Result {
        guard case .object(let members) = data else {
            throw DomainError(.invalidEnvelope, field: "data", "must be a JSON object, not \(data.typeDescription)")
        }
        var result = Result(data: data, subtype: nil, references: [])
        switch type {
        case .tenantInitialized:
            try validateTenantInitialized(members)
        case .modeChanged:
            try validateModeChanged(members)
        case .directorySyncChanged:
            try validateDirectorySyncChanged(members)
        case .deactivationPolicySet:
            try validateDeactivationPolicySet(members)
        case .featureFlagSet:
            try validateFeatureFlagSet(members)
        case .destructiveThresholdSet:
            try validateDestructiveThresholdSet(members)
        case .destructiveChangesAllowed:
            try validateDestructiveChangesAllowed(members)

        case .userCreated:
            result.data = try validateUserCreated(members, data: data, stream: stream, references: &result.references)
        case .userUpdated, .directEditObserved, .groupUpdated, .contactUpdated, .resourceUpdated:
            try validateChanges(members, type: type, stream: stream, references: &result.references)
        case .userDeactivated, .userReactivated, .userDeleted, .groupDeleted, .groupPushEnabled, .contactDeleted,
            .resourceDeleted:
            try expectNoFields(members, type: type)
        case .licenseAssigned:
            result.data = try validateLicenseAssigned(members, data: data)
        case .licenseRemoved:
            result.data = try validateSingleGUID(members, key: "skuId", type: type, data: data)
        case .roleAssigned, .roleRevoked:
            result.data = try validateSingleGUID(members, key: "roleDefinitionId", type: type, data: data)

        case .groupCreated:
            let kind: GroupKind = try requiredEnum(members, "kind")
            try validateFlatCreate(members, kind: .group, stream: stream, references: &result.references)
            result.subtype = kind.rawValue
        case .groupPushDisabled:
            try allowOnly(members, ["deleteInTarget"], type: type)
            _ = try optionalBool(members, "deleteInTarget")
        case .memberAdded, .memberRemoved:
            try allowOnly(members, ["member"], type: type)
            let member = try requiredReference(members, "member", kinds: memberKinds)
            if member == stream {
                throw DomainError(.invalidData, field: "data.member", "a group cannot be a member of itself")
            }
            result.references.append(
                Reference(field: "data.member", target: member, allowsDeleted: type == .memberRemoved))

        case .contactCreated:
            try validateFlatCreate(members, kind: .contact, stream: stream, references: &result.references)

        case .resourceCreated:
            let kind: ResourceKind = try requiredEnum(members, "kind")
            try validateFlatCreate(members, kind: .resource, stream: stream, references: &result.references)
            result.subtype = kind.rawValue
        }
        return result
    }

    // MARK: - User and license events

    /// `UserCreated {attributes: {...}}`, or the attributes flat in `data` (what
    /// `bench/to_syncledger.py` writes), which is normalised to the `attributes` form.
    private static func validateUserCreated(
        _ members: [String: JSONValue], data: JSONValue, stream: ObjectRef, references: inout [Reference]
    ) throws(DomainError) -> JSONValue {
        if let attributes = members["attributes"] {
            if members.count > 1 {
                let other = members.keys.filter { $0 != "attributes" }.min()!
                throw DomainError(
                    .invalidData, field: "data.\(ObjectRef.redacted(other))",
                    "UserCreated takes its attributes either under data.attributes or flat in data, not both")
            }
            guard case .object(let map) = attributes else {
                throw DomainError(
                    .invalidData, field: "data.attributes", "must be an object of attributes, not \(attributes.typeDescription)")
            }
            try checkAttributes(map, kind: .user, path: "data.attributes", skipping: nil, stream: stream, references: &references)
            try checkRequired(map, kind: .user, path: "data.attributes")
            return data
        }
        try checkAttributes(members, kind: .user, path: "data", skipping: nil, stream: stream, references: &references)
        try checkRequired(members, kind: .user, path: "data")
        return .object(["attributes": data])
    }

    /// `LicenseAssigned {skuId, disabledPlans?}`; GUIDs lowercased.
    private static func validateLicenseAssigned(_ members: [String: JSONValue], data: JSONValue) throws(DomainError)
        -> JSONValue
    {
        try allowOnly(members, ["skuId", "disabledPlans"], type: .licenseAssigned)
        var normalised = members
        var changed = false
        let sku = try requiredGUID(members, "skuId")
        if case .string(let given) = members["skuId"], given != sku {
            normalised["skuId"] = .string(sku)
            changed = true
        }
        if let plans = members["disabledPlans"] {
            guard case .array(let elements) = plans else {
                throw DomainError(
                    .invalidData, field: "data.disabledPlans", "must be an array of service-plan GUIDs, not \(plans.typeDescription)")
            }
            var lowered: [JSONValue] = []
            lowered.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                guard case .string(let text) = element, let guid = GUIDSyntax.normalized(text) else {
                    throw DomainError(
                        .invalidData, field: "data.disabledPlans[\(index)]",
                        "must be a GUID (8-4-4-4-12 hex digits)")
                }
                if guid != text { changed = true }
                lowered.append(.string(guid))
            }
            if changed { normalised["disabledPlans"] = .array(lowered) }
        }
        return changed ? .object(normalised) : data
    }

    /// `{key: GUID}` and nothing else; the GUID lowercased.
    private static func validateSingleGUID(
        _ members: [String: JSONValue], key: String, type: EventType, data: JSONValue
    ) throws(DomainError) -> JSONValue {
        try allowOnly(members, [key], type: type)
        let guid = try requiredGUID(members, key)
        if case .string(let given) = members[key], given == guid { return data }
        return .object([key: .string(guid)])
    }
}
