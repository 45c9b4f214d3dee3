import SyncLedgerDomain
import SyncLedgerStore

/// The objects one fold holds in memory: each found by its stream text once, every event
/// applied in place (no copy of the object per event).
///
/// The hot path of rebuilds, catch-ups and point-in-time views; it reads ``ScannedEvent``s
/// (payload bytes parsed straight from SQLite's row), or ``FoldEvent``s decoded on the
/// thread that read them.
struct DirectoryFold {
    /// The objects' slots, by stream.
    private var slots = StreamSlots()
    /// The objects, in the order they were first seen.
    private(set) var objects: [DirectoryObject] = []
    /// The stored state of objects loaded before their first event here, by slot: a save
    /// writes only the relations (licenses, roles, members) that differ from it.
    private var originals: [Int: DirectoryObject] = [:]
    /// The tenant settings after the tenant events folded.
    private(set) var tenant = TenantSettings()
    /// The seq and time of the last event folded.
    private(set) var lastSeq: Int64 = 0
    private(set) var lastTime = Timestamp(millisecondsSinceEpoch: 0)
    /// One copy of each of the objects' lists of actors and long actor names.
    private var actors = SharedActors()

    static let tenantStream = ObjectRef.tenant.description

    /// Applies one event. `load` gives the stored state of an object seen for the first
    /// time (nil: start from nothing, as a rebuild or a point-in-time view does).
    mutating func apply(_ event: ScannedEvent, load: ((ObjectRef) throws -> DirectoryObject?)? = nil) throws {
        var decoded = try FoldEvent(event)
        try apply(&decoded, load: load)
    }

    /// Applies one decoded event, as ``apply(_:load:)-(ScannedEvent,_)`` does, moving the
    /// values the objects keep out of its payload
    /// (``SharedActors/apply(_:taking:seq:at:actor:to:)``): the event is left to be freed
    /// by the thread that decoded it.
    mutating func apply(_ event: inout FoldEvent, load: ((ObjectRef) throws -> DirectoryObject?)? = nil) throws {
        lastSeq = event.seq
        lastTime = max(lastTime, event.at)
        // An event type this build does not know (a newer writer's): nothing to fold.
        guard let type = event.type else { return }
        if let data = event.tenantData { tenant.apply(type: type.rawValue, data: data) }
        // Matched in place: `payload != nil` copied the payload, each of its values retained
        // and released again.
        if case .none = event.payload { return }
        let slot: Int
        if let found = slots.slot(of: event.stream) {
            slot = found
        } else {
            let reference = try ObjectRef(parsing: event.stream)
            slot = objects.count
            slots.insert(event.stream, slot: slot)
            if let stored = try load?(reference) {
                originals[slot] = stored
                objects.append(stored)
            } else {
                objects.append(DirectoryObject(reference: reference))
            }
        }
        let (seq, at, actor) = (event.seq, event.at, event.actor)
        actors.apply(type, taking: &event.payload!, seq: seq, at: at, actor: actor, to: &objects[slot])
    }

    /// Starts holding `object` as it stands (read from a snapshot), before any event;
    /// `stream` is its reference's description.
    mutating func hold(_ object: consuming DirectoryObject, stream: String) {
        actors.share(&object)
        slots.insert(stream, slot: objects.count)
        objects.append(object)
    }

    /// Writes every object held to the snapshot through `seq`, in stream order.
    func saveSnapshot(through seq: Int64, to writer: DirectoryStateWriter) throws {
        for slot in slotsInStreamOrder() {
            try writer.saveSnapshotObject(objects[slot], throughSeq: seq)
        }
    }

    /// Writes every object held, each once, with only its changed relations, in stream
    /// order (the tables' key order, so the B-trees grow at their right edge).
    func save(to writer: DirectoryStateWriter) throws {
        // None loaded (a fold from an empty directory): every object is new.
        guard !originals.isEmpty else { return try writer.saveNew(objects, order: slotsInStreamOrder()) }
        for slot in slotsInStreamOrder() {
            try writer.save(objects[slot], original: originals[slot])
        }
    }

    /// The slots of the objects held, ordered by their streams' UTF-8 bytes (SQLite's order
    /// for the tables' keys).
    func slotsInStreamOrder() -> [Int] {
        slots.slotsInByteOrder()
    }

    /// The objects by reference, moved out of the fold (which holds none after).
    mutating func takeObjectsByReference() -> [ObjectRef: DirectoryObject] {
        var result: [ObjectRef: DirectoryObject] = [:]
        result.reserveCapacity(objects.count)
        while let object = objects.popLast() { result[object.reference] = object }
        slots = StreamSlots()
        originals = [:]
        return result
    }

    /// A stable partition number of `stream` among `count` (FNV-1a of its bytes), so a
    /// fold too large for memory can run in passes that each hold one partition's objects.
    static func partition(of stream: String, among count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in stream.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return Int(hash % UInt64(count))
    }
}
