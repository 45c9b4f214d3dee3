/// What each event type does to its stream's lifecycle (``StreamState``).
extension EventType {
    /// The effect of an event on its stream, and what the stream must be for it.
    public enum LifecycleEffect: String, Sendable, Hashable, CaseIterable {
        /// Starts the tenant stream; only on an empty one.
        case initializesTenant = "initializes-tenant"
        /// Changes a tenant setting; the tenant must be initialised.
        case configuresTenant = "configures-tenant"
        /// Creates the object: only when it is absent or deleted; it becomes active.
        case creates
        /// Changes an existing object (active or inactive); the state stays.
        case changes
        /// Deactivates a user: only when active; it becomes inactive.
        case deactivates
        /// Reactivates a user: only when inactive; it becomes active.
        case reactivates
        /// Deletes an existing object; only a new create may follow.
        case deletes
    }

    /// The type's lifecycle effect.
    public var lifecycleEffect: LifecycleEffect {
        switch self {
        case .tenantInitialized:
            return .initializesTenant
        case .modeChanged, .directorySyncChanged, .deactivationPolicySet, .featureFlagSet, .destructiveThresholdSet,
            .destructiveChangesAllowed:
            return .configuresTenant
        case .userCreated, .groupCreated, .contactCreated, .resourceCreated:
            return .creates
        case .userDeactivated:
            return .deactivates
        case .userReactivated:
            return .reactivates
        case .userDeleted, .groupDeleted, .contactDeleted, .resourceDeleted:
            return .deletes
        case .userUpdated, .licenseAssigned, .licenseRemoved, .roleAssigned, .roleRevoked, .directEditObserved,
            .groupUpdated, .groupPushEnabled, .groupPushDisabled, .memberAdded, .memberRemoved, .contactUpdated,
            .resourceUpdated:
            return .changes
        }
    }

    /// The state a stream is in after this event, from `state`, or nil when the event does
    /// not fit `state`.
    public func nextState(after state: StreamState) -> StreamState? {
        switch lifecycleEffect {
        case .initializesTenant:
            return state == .absent ? .active : nil
        case .configuresTenant:
            return state
        case .creates:
            return state == .absent || state == .deleted ? .active : nil
        case .changes:
            return state == .active || state == .inactive ? state : nil
        case .deactivates:
            return state == .active ? .inactive : nil
        case .reactivates:
            return state == .inactive ? .active : nil
        case .deletes:
            return state == .active || state == .inactive ? .deleted : nil
        }
    }
}
