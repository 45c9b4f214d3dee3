public import SyncLedgerDomain

/// `ingest --format graph-delta`: pages of Microsoft Graph `GET /users/delta` (changes made
/// directly in Office 365).
///
/// The file is one page (`{"value": [...], "@odata.deltaLink": ...}`), a JSON array of pages,
/// or NDJSON with one page per line. Each user in `value` is matched to a ledger user by, in
/// order: `onPremisesImmutableId` (the anchor); the learnt Office 365 object id
/// (``officeObjectID``, and the ids of users matched earlier in the same invocation); the
/// `userPrincipalName` of an existing user (case-insensitive). A user that matches nothing is
/// counted in ``ImportSummary/unmatched`` and nothing is invented for it.
///
/// A matched user's properties become one `DirectEditObserved` holding only what differs from
/// what is already known of Office 365 (a direct edit recorded before, else the source value):
/// a property set to `null` is in `unset`; properties absent from the page are unchanged.
/// Graph property names are the catalog's (`onPremisesExtensionAttributes.extensionAttributeN`
/// becomes `extensionAttributeN`). Two facts have no catalog attribute and are kept as
/// site-specific direct edits, never pushed back:
/// - `accountEnabled` → `x-accountEnabled` (true / false);
/// - a deletion seen in Office 365 (`@removed`) → `x-deletedInOffice365` with the reason
///   (`changed`: soft-deleted, restorable for 30 days; `deleted`: gone). The ledger does not
///   record `UserDeleted` for it: the source of truth did not delete the user; the replayer
///   and reports see the drift. When the user shows up again without `@removed`, the mark is
///   unset.
///
/// Errors name the record: the user's position, from 1, across the `value` arrays of the file.
public struct GraphDeltaImporter: DirectoryImporter {
    /// The ledger user an Office 365 object id was learnt for (the replayer's journal).
    public var officeObjectID: ((String) -> ObjectRef?)?

    /// Office 365 ids matched in this invocation.
    private var learnt: [String: ObjectRef] = [:]
    /// Existing users by lowercased UPN (nil value: the UPN is not unique), built per file.
    private var byUPN: [String: ObjectRef?] = [:]

    /// The Graph user properties kept, and their catalog names.
    public static let properties: [String: String] = {
        var map: [String: String] = [:]
        for name in [
            "givenName", "surname", "displayName", "userPrincipalName", "mail", "jobTitle", "department", "city",
            "country", "state", "streetAddress", "postalCode", "officeLocation", "mobilePhone", "businessPhones",
            "faxNumber", "preferredLanguage", "usageLocation", "companyName", "employeeId", "employeeType",
            "mailNickname",
        ] {
            map[name] = name
        }
        map["accountEnabled"] = "x-accountEnabled"
        return map
    }()

    /// The site-specific attribute that marks a deletion seen in Office 365.
    public static let deletedAttribute = "x-deletedInOffice365"

    public init(officeObjectID: ((String) -> ObjectRef?)? = nil) {
        self.officeObjectID = officeObjectID
    }

    // MARK: - Reading

    public mutating func read(_ path: String, into context: ImportContext) throws {
        var record = 0
        byUPN = [:]
        for object in context.existingObjects(of: .user) {
            guard let upn = object.userPrincipalName?.lowercased() else { continue }
            byUPN[upn] = byUPN[upn] == nil ? .some(object.reference) : .some(nil)
        }
        for entry in try JSONInput.read(path) {
            let pages = entry.value.arrayValue ?? [entry.value]
            for page in pages {
                guard let users = page["value"]?.arrayValue else {
                    context.line = entry.line ?? record + 1
                    throw context.failure(field: "value", "a delta page is an object with a value array of users")
                }
                for user in users {
                    record += 1
                    context.line = record
                    context.fieldNames = [:]
                    guard case .object(let fields) = user else {
                        throw context.failure(field: "value[]", "each user must be a JSON object")
                    }
                    try observe(fields, context: context)
                }
            }
        }
    }

    // MARK: - One user

    private mutating func observe(_ fields: [String: JSONValue], context: ImportContext) throws {
        guard let target = match(fields, context: context), let object = context.existing(target) else {
            context.summary.unmatched += 1
            return
        }
        if let id = fields["id"]?.stringValue { learnt[id] = target }
        /// What Office 365 is known to hold for `name`.
        func known(_ name: String) -> JSONValue? {
            if let edit = object.directEdits[name] { return edit.value }
            if name == "x-accountEnabled" { return .bool(object.enabled) }
            return object.attributes[name]
        }
        var set: [String: JSONValue] = [:]
        var unset: [String] = []
        if let removed = fields["@removed"] {
            let reason = removed["reason"]?.stringValue ?? "deleted"
            if known(Self.deletedAttribute) != .string(reason) { set[Self.deletedAttribute] = .string(reason) }
            try context.observeDirectEdits(target, set: set, unset: unset)
            return
        }
        if known(Self.deletedAttribute) != nil { unset.append(Self.deletedAttribute) }
        var observed: [(String, JSONValue)] = []
        for (key, value) in fields {
            if let name = Self.properties[key] {
                observed.append((name, value))
            } else if key == "onPremisesExtensionAttributes", case .object(let extensions) = value {
                for (extensionKey, extensionValue) in extensions where AttributeCatalog.attribute(named: extensionKey, for: .user) != nil {
                    observed.append((extensionKey, extensionValue))
                }
            }
        }
        for (name, value) in observed {
            context.fieldNames[name] = name == "x-accountEnabled" ? "accountEnabled" : name
            let empty = value.isNull || value == .string("") || value == .array([])
            if empty {
                if known(name) != nil { unset.append(name) }
            } else if !Self.same(known(name), value, attribute: name) {
                set[name] = value
            }
        }
        if set.isEmpty && unset.isEmpty {
            context.summary.unchanged += 1
            return
        }
        try context.observeDirectEdits(target, set: set, unset: unset)
    }

    /// Whether Office 365's value is the one known; addresses compare without case.
    private static func same(_ known: JSONValue?, _ value: JSONValue, attribute: String) -> Bool {
        if attribute == "userPrincipalName" || attribute == "mail", let a = known?.stringValue, let b = value.stringValue {
            return a.lowercased() == b.lowercased()
        }
        return known == value
    }

    /// The ledger user a delta entry is about, or nil.
    private func match(_ fields: [String: JSONValue], context: ImportContext) -> ObjectRef? {
        if let anchor = fields["onPremisesImmutableId"]?.stringValue, !anchor.isEmpty,
            let reference = try? ObjectRef(kind: .user, anchor: anchor), context.existing(reference) != nil
        {
            return reference
        }
        if let id = fields["id"]?.stringValue {
            if let reference = learnt[id] ?? officeObjectID?(id), reference.kind == .user { return reference }
        }
        if let upn = fields["userPrincipalName"]?.stringValue?.lowercased(), let reference = byUPN[upn] ?? nil,
            context.existing(reference) != nil
        {
            return reference
        }
        return nil
    }
}
