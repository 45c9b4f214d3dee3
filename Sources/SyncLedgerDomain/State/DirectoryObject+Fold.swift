// MARK: - Folding events

extension DirectoryObject {
    /// Applies one event of this object's stream.
    ///
    /// The fold is total: it never fails. Events were checked when they were appended; an
    /// event that does not apply (as can happen when a point-in-time view leaves out an
    /// event that occurred later) changes nothing but the version.
    public mutating func apply(type: EventType, data: JSONValue, seq: Int64, at: Timestamp, actor: String) {
        apply(type: type, payload: ObjectEventPayload(type: type, data: data), seq: seq, at: at, actor: actor)
    }

    /// Applies one event of this object's stream, its payload read for the fold (as
    /// ``apply(type:data:seq:at:actor:)`` does).
    public mutating func apply(type: EventType, payload: consuming ObjectEventPayload, seq: Int64, at: Timestamp, actor: String) {
        var payload = payload
        apply(type: type, taking: &payload, seq: seq, at: at, actor: actor)
    }

    /// Applies one event of this object's stream, as
    /// ``apply(type:payload:seq:at:actor:)`` does, moving the values it keeps out of
    /// `payload` instead of copying them.
    ///
    /// For a fold reading events decoded on another thread: a copied value is a reference
    /// count changed here and changed back there when the event is freed, each a cache line
    /// passed between the cores (a sixth of a 1M-event rebuild's reading thread). `payload`
    /// is left without the values taken (a create's attributes, an update's values, a
    /// subject added), its storage kept for its owner to free.
    public mutating func apply(type: EventType, taking payload: inout ObjectEventPayload, seq: Int64, at: Timestamp, actor: String) {
        version += 1
        lastSeq = seq
        updatedAt = at
        trace(seq: seq, actor: actor)
        switch type {
        case .userCreated:
            recreate(seq: seq, subtype: nil)
            swap(&attributes, &payload.attributes)
        case .groupCreated, .contactCreated, .resourceCreated:
            recreate(seq: seq, subtype: payload.kind.take())
            swap(&attributes, &payload.attributes)
        case .userUpdated, .groupUpdated, .contactUpdated, .resourceUpdated:
            applySourceChange(taking: &payload)
        case .directEditObserved:
            for (name, value) in payload.attributes {
                // A null seen in Office 365 is the attribute cleared there, as `unset` says
                // (`.none`, not the `nil` literal, which JSONValue would read as `.null`).
                directEdits[name] = DirectEdit(value: value.isNull ? JSONValue?.none : value, seq: seq, at: at, actor: actor)
            }
            for name in payload.unset {
                directEdits[name] = DirectEdit(value: nil, seq: seq, at: at, actor: actor)
            }
        case .userDeactivated:
            enabled = false
            deactivatedAt = at
        case .userReactivated:
            enabled = true
            deactivatedAt = nil
        case .userDeleted, .groupDeleted, .contactDeleted, .resourceDeleted:
            deleted = true
            pushed = false
        case .licenseAssigned:
            if let sku = payload.subject.take() {
                var plans: [String] = []
                swap(&plans, &payload.disabledPlans)
                licenses[sku] = plans
            }
        case .licenseRemoved:
            if let sku = payload.subject { licenses.removeValue(forKey: sku) }
        case .roleAssigned:
            if let role = payload.subject.take() { roles.insert(role) }
        case .roleRevoked:
            if let role = payload.subject { roles.remove(role) }
        case .groupPushEnabled:
            pushed = true
            leftInTarget = false
        case .groupPushDisabled:
            pushed = false
            leftInTarget = !payload.deleteInTarget
        case .memberAdded:
            if let member = payload.subject.take() { members.insert(member) }
        case .memberRemoved:
            if let member = payload.subject { members.remove(member) }
        case .tenantInitialized, .modeChanged, .directorySyncChanged, .deactivationPolicySet, .featureFlagSet,
            .destructiveThresholdSet, .destructiveChangesAllowed:
            break
        }
    }

    /// A create: a fresh object (a create after a delete starts over) keeping its version
    /// and what made it.
    private mutating func recreate(seq: Int64, subtype: String?) {
        let kept = (reference, version, lastSeq, updatedAt, firstSeq, actors)
        self = DirectoryObject(reference: kept.0)
        (version, lastSeq, updatedAt, firstSeq, actors) = (kept.1, kept.2, kept.3, kept.4, kept.5)
        createdSeq = seq
        self.subtype = subtype
    }

    /// Records that the event at `seq` by `actor` was folded (when the object is traced).
    private mutating func trace(seq: Int64, actor: String) {
        guard actors != nil else { return }
        if firstSeq == 0 { firstSeq = seq }
        // A few actors per object: a linear look, an insert in order.
        if actors!.contains(actor) { return }
        actors!.insert(actor, at: actors!.firstIndex { $0 > actor } ?? actors!.count)
    }

    /// A change from the source: it wins over any direct edit of the same attribute. The
    /// values set are moved out of `payload`.
    private mutating func applySourceChange(taking payload: inout ObjectEventPayload) {
        // Most objects have no direct edit: a lookup in an empty dictionary still hashes
        // the name.
        let edited = !directEdits.isEmpty
        payload.attributes.removeAllMovingValues { name, value in
            attributes[name] = value
            if edited { directEdits.removeValue(forKey: name) }
        }
        for name in payload.unset {
            attributes.removeValue(forKey: name)
            if edited { directEdits.removeValue(forKey: name) }
        }
    }

    /// Whether the object exists (created and not deleted).
    public var exists: Bool { createdSeq > 0 && !deleted }
}
