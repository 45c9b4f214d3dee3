public import SyncLedgerDomain
import GRDB

/// The mapping between ``DirectoryObject`` and the `directory_*` tables.
enum DirectoryRows {
    static let objectColumns = """
        stream, kind, anchor, subtype, display_name, user_principal_name, mail, enabled, deactivated_at, deleted, \
        pushed, left_in_target, attributes, direct_edits, version, created_seq, last_seq, updated_at, first_seq, actors
        """

    /// One object's row and relations, encoded for the `directory_*` tables: made on any
    /// thread, so a bulk save encodes the next objects while SQLite inserts these.
    struct Encoded: Sendable {
        var stream: String
        var kind: String
        var anchor: String
        var subtype: String?
        var displayName: String?
        var userPrincipalName: String?
        var mail: String?
        var enabled: Bool
        var deactivatedAt: String?
        var deleted: Bool
        var pushed: Bool
        var leftInTarget: Bool
        /// Canonical JSON.
        var attributes: [UInt8]
        var directEdits: String
        var version: Int64
        var createdSeq: Int64
        var lastSeq: Int64
        var updatedAt: String
        var firstSeq: Int64
        var actors: String?
        /// (sku, canonical JSON of the disabled plans), by sku; empty when encoded without
        /// relations.
        var licenses: [(sku: String, disabledPlans: String)] = []
        /// Sorted; empty when encoded without relations.
        var roles: [String] = []
        /// Sorted; empty when encoded without relations, and when there are several (then
        /// given as ``membersJSON`` only).
        var members: [String] = []
        /// The members as a canonical JSON array, when there are several (inserted by one
        /// statement).
        var membersJSON: String?

        /// `object`'s row, and its relations unless `relations` is false (a save that writes
        /// only the relations that changed).
        init(_ object: DirectoryObject, relations: Bool = true) {
            stream = object.reference.description
            kind = object.reference.kind.rawValue
            anchor = object.reference.anchor
            subtype = object.subtype
            displayName = object.displayName
            userPrincipalName = object.userPrincipalName
            mail = object.mail
            enabled = object.enabled
            deactivatedAt = object.deactivatedAt?.rfc3339
            deleted = object.deleted
            pushed = object.pushed
            leftInTarget = object.leftInTarget
            attributes = []
            attributes.reserveCapacity(512)
            object.attributes.appendCanonical(to: &attributes)
            directEdits = object.directEdits.isEmpty ? "{}" : object.directEditsDocument.canonicalString
            version = object.version
            createdSeq = object.createdSeq
            lastSeq = object.lastSeq
            updatedAt = object.updatedAt.rfc3339
            firstSeq = object.firstSeq
            actors = object.actors.map(DirectoryRows.stringArray)
            guard relations else { return }
            licenses = object.licenses.sorted { $0.key < $1.key }.map { (sku: $0.key, disabledPlans: DirectoryRows.stringArray($0.value)) }
            roles = object.roles.sorted()
            if object.members.count > 1 {
                membersJSON = DirectoryRows.stringArray(object.members.sorted())
            } else {
                members = Array(object.members)
            }
        }

        /// Binds the row's columns, in ``objectColumns``' order, to `statement`.
        func bind(to statement: RawStatement) {
            statement.bind(stream, at: 1)
            statement.bind(kind, at: 2)
            statement.bind(anchor, at: 3)
            statement.bind(subtype, at: 4)
            statement.bind(displayName, at: 5)
            statement.bind(userPrincipalName, at: 6)
            statement.bind(mail, at: 7)
            statement.bind(enabled ? 1 : 0, at: 8)
            statement.bind(deactivatedAt, at: 9)
            statement.bind(deleted ? 1 : 0, at: 10)
            statement.bind(pushed ? 1 : 0, at: 11)
            statement.bind(leftInTarget ? 1 : 0, at: 12)
            statement.bind(utf8: attributes, at: 13)
            statement.bind(directEdits, at: 14)
            statement.bind(version, at: 15)
            statement.bind(createdSeq, at: 16)
            statement.bind(lastSeq, at: 17)
            statement.bind(updatedAt, at: 18)
            statement.bind(firstSeq, at: 19)
            statement.bind(actors, at: 20)
        }
    }

    /// The canonical JSON array of `strings`, as stored for actors and disabled plans.
    static func stringArray(_ strings: [String]) -> String {
        JSONValue.array(strings.map(JSONValue.string)).canonicalString
    }

    /// The object in the current row of `statement`, which selects ``objectColumns``.
    ///
    /// Read from SQLite's buffers: the attributes are parsed from the stored bytes, with no
    /// string of the whole document made first (a full plan reads 130,000 of them).
    /// Its actors are read through `actorLists`, shared with the rows read before.
    static func object(from statement: RawStatement, actorLists: inout ActorLists) throws -> DirectoryObject {
        let reference = try ObjectRef(parsing: statement.string(at: 0) ?? "")  // stored streams were checked on append
        var object = DirectoryObject(reference: reference)
        object.subtype = statement.string(at: 3)
        object.enabled = statement.int64(at: 7) != 0
        object.deactivatedAt = statement.string(at: 8).flatMap(Timestamp.init(rfc3339:))
        object.deleted = statement.int64(at: 9) != 0
        object.pushed = statement.int64(at: 10) != 0
        object.leftInTarget = statement.int64(at: 11) != 0
        object.attributes = try AttributeMap(json: statement.utf8(at: 12))
        let edits = statement.utf8(at: 13)
        // Most objects have none: "{}" needs no parse.
        if !(edits.count == 2 && edits[0] == UInt8(ascii: "{") && edits[1] == UInt8(ascii: "}")) {
            object.directEdits = try DirectoryObject.directEdits(from: try JSONParser.parse(buffer: edits))
        }
        object.version = statement.int64(at: 14)
        object.createdSeq = statement.int64(at: 15)
        object.lastSeq = statement.int64(at: 16)
        object.updatedAt = statement.string(at: 17).flatMap(Timestamp.init(rfc3339:)) ?? Timestamp(millisecondsSinceEpoch: 0)
        object.firstSeq = statement.int64(at: 18)
        // NULL: folded by a build that did not trace actors (see migration 0006).
        if statement.isNull(at: 19) {
            object.actors = nil
        } else {
            object.actors = try actorLists.list(statement.utf8(at: 19))
        }
        return object
    }

    /// The actor lists of the rows read so far, by their stored bytes: most objects share a
    /// few lists, each parsed and sorted once and then held once.
    struct ActorLists {
        /// Stored bytes, hashed as one block (an array of bytes hashes byte by byte).
        private struct Key: Hashable {
            let bytes: [UInt8]
            func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
        }

        private var lists: [Key: [String]] = [:]
        /// The last row's list: the next row's is most often the same.
        private var last: (bytes: [UInt8], names: [String])?
        /// Distinct lists kept at most (past it, each is parsed on its own).
        private static let limit = 4_096

        /// The names of the stored JSON array `bytes`, sorted.
        mutating func list(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [String] {
            if let last, last.bytes.elementsEqual(bytes) { return last.names }
            let key = Key(bytes: Array(bytes))
            let names: [String]
            if let known = lists[key] {
                names = known
            } else {
                let items = try JSONParser.parse(buffer: bytes).arrayValue ?? [.null]
                let strings = items.compactMap(\.stringValue)
                guard strings.count == items.count else {
                    throw StoreError(.database, "directory_objects.actors of a stored object is not a JSON array of names: run `syncledger rebuild`")
                }
                names = strings.sorted()
                // The first list is kept as the last one only: one object's load makes no table.
                if last != nil, lists.count < Self.limit { lists[key] = names }
            }
            last = (key.bytes, names)
            return names
        }
    }

    /// The objects whose stream is between ?1 and ?2, in key order.
    static let objectsOfKind = "SELECT \(objectColumns) FROM directory_objects WHERE stream > ?1 AND stream < ?2 ORDER BY stream"

    /// Calls `body` with every stored object of `kind`, ordered by anchor, each read with
    /// its relations from cursors in the same order (see ``Ledger/forEachDirectoryObject(kind:_:)``).
    ///
    /// The objects of a kind are the primary key's range from `kind:` to `kind;` (`;` is the
    /// byte after `:`), in anchor order: streams are `kind:anchor`.
    static func forEachObject(kind: ObjectKind, db: Database, _ body: (DirectoryObject) throws -> Void) throws {
        let objects = try RawStatement(db, sql: objectsOfKind)
        objects.bind(kind.rawValue + ":", at: 1)
        objects.bind(kind.rawValue + ";", at: 2)
        var licenses = try RelationCursor(db, kind == .user ? "SELECT user_stream, sku_id, disabled_plans FROM directory_licenses ORDER BY user_stream" : nil)
        var roles = try RelationCursor(db, kind == .user ? "SELECT user_stream, role_definition_id, NULL FROM directory_roles ORDER BY user_stream" : nil)
        var members = try RelationCursor(db, kind == .group ? "SELECT group_stream, member, NULL FROM directory_members ORDER BY group_stream" : nil)
        var actorLists = ActorLists()
        try objects.forEachRow { row in
            var object = try Self.object(from: row, actorLists: &actorLists)
            let stream = object.reference.description
            try licenses.take(stream) { sku, plans in
                object.licenses[sku] = try JSONParser.parse(plans ?? "[]").arrayValue?.compactMap(\.stringValue) ?? []
            }
            try roles.take(stream) { role, _ in object.roles.insert(role) }
            try members.take(stream) { member, _ in object.members.insert(member) }
            try body(object)
        }
    }
}

/// The rows of one relation table (key, value, extra) in key order, read alongside objects
/// in the same order.
struct RelationCursor {
    private let cursor: RowCursor?
    private var pending: (key: String, value: String, extra: String?)?

    /// `sql` selects (key, value, extra) ordered by key; nil reads nothing.
    init(_ db: Database, _ sql: String?) throws {
        cursor = try sql.map { try Row.fetchCursor(db, sql: $0) }
        try advance()
    }

    private mutating func advance() throws {
        pending = try cursor?.next().map { (key: $0[0], value: $0[1], extra: $0[2]) }
    }

    /// Calls `each` with the rows of `key`, skipping any row of a key before it.
    mutating func take(_ key: String, _ each: (String, String?) throws -> Void) throws {
        while let row = pending {
            // Bytes, as SQLite compares them (String == would equate other normal forms).
            let order = JSONValue.utf8Compare(row.key, key)
            if order == 0 {
                try each(row.value, row.extra)
            } else if order > 0 {
                return
            }
            try advance()
        }
    }
}

extension Ledger {
    // MARK: - Reading the directory state

    /// Calls `body` with every object of `kind` in the directory state (deleted ones
    /// included), ordered by anchor, one at a time.
    ///
    /// The licenses, roles and members are read alongside, from cursors in the same order
    /// (a stream is `kind:anchor`, so anchor order is stream order): one scan per table,
    /// not two queries per object.
    public func forEachDirectoryObject(kind: ObjectKind, _ body: (DirectoryObject) throws -> Void) throws {
        try read { db in try DirectoryRows.forEachObject(kind: kind, db: db, body) }
    }

    /// Every object of the directory state (deleted ones included) by its stream text, with
    /// the name it shows: its user principal name, else its display name (objects with
    /// neither are left out). Read from the rows' columns, no object decoded.
    public func directoryObjectNames() throws -> [String: String] {
        try read { db in
            let statement = try RawStatement(
                db, sql: "SELECT stream, coalesce(user_principal_name, display_name) FROM directory_objects WHERE coalesce(user_principal_name, display_name) IS NOT NULL")
            var names: [String: String] = [:]
            try statement.forEachRow { row in
                if let stream = row.string(at: 0), let name = row.string(at: 1) { names[stream] = name }
            }
            return names
        }
    }

    /// One object of the directory state, or nil when the ledger has never seen it.
    public func directoryObject(_ stream: ObjectRef) throws -> DirectoryObject? {
        try read { db in try DirectoryStateWriter(db: db).load(stream) }
    }

    /// The last seq folded into the directory state.
    public func directoryCheckpoint() throws -> Int64 {
        try read { db in try DirectoryStateWriter(db: db).checkpoint() }
    }

    /// Objects whose user principal name or mail is `address` (case-insensitive), current
    /// values only.
    public func directoryObjects(withAddress address: String) throws -> [ObjectRef] {
        try read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT stream FROM directory_objects
                    WHERE lower(user_principal_name) = lower(?) OR lower(mail) = lower(?) ORDER BY stream
                    """, arguments: [address, address]
            ).compactMap { try? ObjectRef(parsing: $0) }
        }
    }
}
