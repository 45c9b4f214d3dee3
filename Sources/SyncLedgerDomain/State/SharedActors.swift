/// One copy of each actor list and of each long actor name, for a fold that holds many
/// objects.
///
/// Every object keeps its actors. Most objects share a few lists (all made by `hr-import`,
/// say), which then cost them no memory of their own; and a name too long to be stored inline
/// in a String would otherwise be one allocation per object (130,000 copies of
/// `lifecycle-policy`).
public struct SharedActors: Sendable {
    private var names: Set<String> = []
    private var lists: Set<[String]> = []

    public init() {}

    /// Applies one event to `object`, as ``DirectoryObject/apply(type:payload:seq:at:actor:)``
    /// does, with the shared copy of `actor` and of the object's list of actors after it.
    public mutating func apply(
        _ type: EventType, _ payload: consuming ObjectEventPayload, seq: Int64, at: Timestamp, actor: String, to object: inout DirectoryObject
    ) {
        var payload = payload
        apply(type, taking: &payload, seq: seq, at: at, actor: actor, to: &object)
    }

    /// Applies one event to `object` as ``apply(_:_:seq:at:actor:to:)`` does, moving the
    /// values it keeps out of `payload`
    /// (``DirectoryObject/apply(type:taking:seq:at:actor:)``).
    public mutating func apply(
        _ type: EventType, taking payload: inout ObjectEventPayload, seq: Int64, at: Timestamp, actor: String,
        to object: inout DirectoryObject
    ) {
        let count = object.actors?.count
        object.apply(type: type, taking: &payload, seq: seq, at: at, actor: name(actor))
        if let list = object.actors, list.count != count { object.actors = lists.insert(list).memberAfterInsert }
    }

    /// Gives `object` (read as it stands, before any event) the shared copy of its actor list.
    public mutating func share(_ object: inout DirectoryObject) {
        if let list = object.actors { object.actors = lists.insert(list).memberAfterInsert }
    }

    /// The one copy of `actor`, when it is longer than a String stores inline.
    private mutating func name(_ actor: String) -> String {
        guard actor.utf8.count > 15 else { return actor }
        return names.insert(actor).memberAfterInsert
    }
}
