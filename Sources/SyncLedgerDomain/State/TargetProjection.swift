/// The rules that turn the directory state into the state Office 365 must hold under a mode:
/// the seed's capability matrix, attribute tiers, Group Push, the deactivation policy and
/// direct edits. Pure: the same inputs always give the same target.
public enum TargetProjection {
    /// The target for `object`, or nil when the object has no place in Office 365 under
    /// `policy` (out of the mode's scope, deleted, or deleted by the deactivation policy).
    ///
    /// - Parameter memberInTarget: whether a member reference (`kind:anchor`) is itself in
    ///   the target, so a group only lists members Office 365 can hold.
    public static func target(
        of object: DirectoryObject, policy: TargetPolicy, memberInTarget: (String) -> Bool
    ) -> TargetObject? {
        guard object.exists, isInScope(object, policy: policy) else { return nil }
        var target = TargetObject(
            reference: object.reference, subtype: object.subtype, attributes: [:],
            userPrincipalName: object.userPrincipalName, enabled: true, mayCreate: true, licenses: [:], roles: [],
            members: [], drift: [], graceEndsAt: nil)

        let kind = object.reference.kind
        let syncsAttributes: Bool
        switch kind {
        case .user: syncsAttributes = policy.mode.syncedUserTier != nil
        case .group: syncsAttributes = true
        default: syncsAttributes = policy.mode == .universalSync
        }
        if syncsAttributes {
            let synced = syncedNames(kind, policy.mode)
            target.attributes = object.attributes.filter { synced.contains($0.key) }
        }
        if kind == .user {
            applyDirectEdits(object, policy: policy, into: &target)
            target.mayCreate = policy.mode.provisionsUsers
            target.enabled = object.enabled
            target.licenses = object.licenses
            target.roles = object.roles
            if !object.enabled, let since = object.deactivatedAt {
                let option = policy.deactivation.option
                let graceEnd = since.adding(days: option.needsGraceDays ? policy.deactivation.graceDays ?? 0 : 0)
                if policy.at >= graceEnd {
                    if option.deletesUser { return nil }
                    if option.removesLicenses { target.licenses = [:] }
                } else if option.removesLicenses {
                    target.graceEndsAt = graceEnd
                }
            }
        }
        if kind == .group {
            target.members = object.members.filter(memberInTarget)
        }
        return target
    }

    /// Whether the mode puts an existing object of this kind in Office 365 at all.
    public static func isInScope(_ object: DirectoryObject, policy: TargetPolicy) -> Bool {
        switch object.reference.kind {
        case .user:
            return true
        case .group:
            if policy.mode == .universalSync { return true }
            return object.pushed && policy.mode.provisionsUsers && object.subtype == GroupKind.security.rawValue
        case .contact, .resource:
            return policy.mode == .universalSync
        case .tenant:
            return false
        }
    }

    private static func isSynced(_ name: String, kind: ObjectKind, policy: TargetPolicy) -> Bool {
        syncedNames(kind, policy.mode).contains(name)
    }

    /// The names of `kind` that `mode` syncs (an object in scope at all): catalog names, never
    /// site-specific ones; a group's all of them.
    private static func syncedNames(_ kind: ObjectKind, _ mode: ProvisioningMode) -> Set<String> {
        synced[kind]?[mode] ?? []
    }

    /// ``syncedNames(_:_:)`` for every kind and mode, worked out once from the catalog (a
    /// full plan asks for every attribute of 100,000 users).
    private static let synced: [ObjectKind: [ProvisioningMode: Set<String>]] = {
        var table: [ObjectKind: [ProvisioningMode: Set<String>]] = [:]
        for kind in ObjectKind.directoryKinds {
            for mode in ProvisioningMode.allCases {
                table[kind, default: [:]][mode] = Set(
                    AttributeCatalog.attributes(for: kind).filter { !$0.isSiteSpecific && (kind == .group || $0.isSynced(in: mode)) }.map(\.name))
            }
        }
        return table
    }()

    private static func applyDirectEdits(_ object: DirectoryObject, policy: TargetPolicy, into target: inout TargetObject) {
        for name in object.directEdits.keys.sorted() {
            let edit = object.directEdits[name]!
            // Edits to attributes the mode does not sync are Office 365's own business.
            guard isSynced(name, kind: .user, policy: policy) else { continue }
            if policy.allowsDirectEdits {
                target.attributes[name] = edit.value
            } else if edit.value != object.attributes[name] {
                target.drift.append(
                    TargetObject.Drift(
                        attribute: name, observed: edit.value, expected: object.attributes[name], seq: edit.seq,
                        actor: edit.actor))
            }
        }
    }
}
