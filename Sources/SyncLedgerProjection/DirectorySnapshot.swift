public import SyncLedgerDomain
import SyncLedgerStore

/// The directory and tenant settings at one point of the log, and the targets derived from
/// them.
public struct DirectorySnapshot: Sendable {
    /// Every object the log had created by then (deleted ones included).
    public var objects: [ObjectRef: DirectoryObject]
    /// The tenant settings in force then (the mode included).
    public var tenant: TenantSettings
    /// The last seq the snapshot includes.
    public var throughSeq: Int64
    /// The moment time-based rules (grace periods) are evaluated at.
    public var asOf: Timestamp

    public init(objects: [ObjectRef: DirectoryObject], tenant: TenantSettings, throughSeq: Int64, asOf: Timestamp) {
        self.objects = objects
        self.tenant = tenant
        self.throughSeq = throughSeq
        self.asOf = asOf
    }

    /// The objects of one kind that exist, ordered by anchor.
    public func existing(_ kind: ObjectKind) -> [DirectoryObject] {
        existingReferences(kind).map { objects[$0]! }
    }

    /// The references of the objects of one kind that exist, ordered by anchor.
    public func existingReferences(_ kind: ObjectKind) -> [ObjectRef] {
        // Sort the references, not the objects (large values to move around); read each
        // object in place through its index, not copied out of the dictionary.
        var references: [ObjectRef] = []
        var index = objects.startIndex
        while index != objects.endIndex {
            if objects.keys[index].kind == kind, objects.values[index].exists { references.append(objects.keys[index]) }
            objects.formIndex(after: &index)
        }
        return references.sortedByDescription()
    }

    /// What Office 365 must hold under `mode` (the mode in force when nil), by object.
    /// Empty when no mode is known.
    public func targets(mode: ProvisioningMode? = nil) -> [ObjectRef: TargetObject] {
        guard let policy = TargetPolicy(settings: tenant, mode: mode, at: asOf) else { return [:] }
        var targets: [ObjectRef: TargetObject] = [:]
        for object in objects.values where object.reference.kind != .group {
            if let target = TargetProjection.target(of: object, policy: policy, memberInTarget: { _ in false }) {
                targets[object.reference] = target
            }
        }
        let groupsInScope = Set(
            objects.values.filter { $0.reference.kind == .group && $0.exists && TargetProjection.isInScope($0, policy: policy) }
                .map { $0.reference.description })
        let placed = Set(targets.keys.map(\.description)).union(groupsInScope)
        for object in objects.values where object.reference.kind == .group {
            if let target = TargetProjection.target(of: object, policy: policy, memberInTarget: placed.contains) {
                targets[object.reference] = target
            }
        }
        return targets
    }
}

/// A point of the log to look at.
public enum PointInTime: Sendable, Equatable {
    /// The whole log, grace periods evaluated at the clock's now.
    case now
    /// The log up to and including this seq, evaluated at that event's time.
    case seq(Int64)
    /// The events that had occurred by this time (occurred_at at or before it), folded in log
    /// order, evaluated at that time.
    case time(Timestamp)
}

extension DirectoryProjector {
    /// The directory at `point`.
    ///
    /// `.now` reads the directory state tables (after catching them up) and evaluates time
    /// rules at the clock's now (or the last event's time, if later). A past point starts
    /// from the nearest snapshot recorded before it (``takeSnapshot()``, ``rebuild()``; seq 1
    /// when there is none, or with ``readsSnapshots`` off) and folds the events after it in
    /// memory, one at a time from a cursor (events are not held; the objects are). Its cost
    /// is the snapshot's objects plus the events after it. A point by time starts from a
    /// snapshot only when every object event up to it had occurred by then.
    ///
    /// `kinds` limits a past point's fold to those kinds of objects (the tenant settings are
    /// always folded): `state users --as-of` need not decode every group's memberships. The
    /// targets of a limited snapshot are only right for views of those kinds alone.
    public func snapshot(at point: PointInTime, kinds: Set<ObjectKind>? = nil) throws -> DirectorySnapshot {
        switch point {
        case .now:
            try catchUp()
            var objects: [ObjectRef: DirectoryObject] = [:]
            for kind in ObjectKind.directoryKinds where kinds?.contains(kind) ?? true {
                try ledger.forEachDirectoryObject(kind: kind) { objects[$0.reference] = $0 }
            }
            // Time rules are evaluated now, and never before the last event folded in (a clock
            // behind the data would otherwise undo a deactivation's immediate effects).
            let latest = objects.values.map(\.updatedAt).max() ?? Timestamp(millisecondsSinceEpoch: 0)
            return DirectorySnapshot(
                objects: objects, tenant: try ledger.tenantSettings(), throughSeq: try ledger.directoryCheckpoint(),
                asOf: max(ledger.clock.now(), latest))
        case .seq(let seq):
            return try fold(EventScanRange(throughSeq: seq), asOf: nil, kinds: kinds)
        case .time(let time):
            return try fold(EventScanRange(occurredBefore: Timestamp(millisecondsSinceEpoch: time.millisecondsSinceEpoch + 1)), asOf: time, kinds: kinds)
        }
    }

    private func fold(_ range: EventScanRange, asOf: Timestamp?, kinds: Set<ObjectKind>?) throws -> DirectorySnapshot {
        // One pass over a snapshot and the events after it: each page is read once.
        try ledger.withPageCache(kib: Ledger.onePassCacheKiB) {
            try ledger.readPast { reader in try fold(range, asOf: asOf, kinds: kinds, reading: reader) }
        }
    }

    /// The view of `range`, read with `reader` (one read transaction).
    private func fold(
        _ range: EventScanRange, asOf: Timestamp?, kinds: Set<ObjectKind>?, reading reader: PastStateReader
    ) throws -> DirectorySnapshot {
        var fold = DirectoryFold()
        var range = range
        // The point is the last event scanned, whether or not its kind was folded.
        var lastSeq: Int64 = 0
        var lastSkippedTime = Timestamp(millisecondsSinceEpoch: 0)
        let mark: SnapshotMark?
        if !readsSnapshots {
            mark = nil
        } else if let asOf {
            mark = try reader.nearestSnapshot(occurredBy: asOf)
        } else {
            mark = try reader.nearestSnapshot(throughSeq: range.throughSeq ?? .max)
        }
        if let mark {
            // Every object event up to the snapshot is in the view: start from its objects,
            // and from the tenant settings the tenant's events up to then (and by the
            // view's time) give.
            try reader.forEachSnapshotObject(throughSeq: mark.throughSeq, kinds: kinds) { fold.hold($1, stream: $0) }
            let tenantEvents = EventScanRange(
                throughSeq: mark.throughSeq, occurredBefore: range.occurredBefore, stream: DirectoryFold.tenantStream)
            try reader.scanEvents(tenantEvents) {
                try fold.apply($0)
            }
            // The event at the snapshot's seq may be the tenant's, dated after the view.
            lastSeq = try range.occurredBefore.map { try reader.lastSeq(through: mark.throughSeq, occurredBefore: $0) ?? 0 }
                ?? mark.throughSeq
            lastSkippedTime = Timestamp(rfc3339: mark.latestOccurredAt) ?? lastSkippedTime
            range.afterSeq = mark.throughSeq
        }
        let prefixes = kinds.map { $0.map { $0.rawValue + ":" } }
        try reader.scanEvents(range) { event in
            lastSeq = event.seq
            let stream = event.stream
            if let prefixes, !prefixes.contains(where: stream.hasPrefix), stream != DirectoryFold.tenantStream {
                if asOf == nil, let at = Timestamp(rfc3339UTF8: event.occurredAtUTF8) { lastSkippedTime = max(lastSkippedTime, at) }
                return
            }
            var decoded = try FoldEvent(event, stream: stream)
            try fold.apply(&decoded)
        }
        return DirectorySnapshot(
            objects: fold.takeObjectsByReference(), tenant: fold.tenant, throughSeq: lastSeq,
            asOf: asOf ?? max(fold.lastTime, lastSkippedTime))
    }
}
