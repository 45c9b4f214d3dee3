import SyncLedgerDomain

/// `ingest --format scim`: SCIM 2.0 resources (RFC 7643) and operations (RFC 7644).
///
/// The file holds one of:
/// - a `User` or `Group` resource, a JSON array of them, a `ListResponse` (`Resources`), or
///   NDJSON with one resource per line: each is the current truth of its object (created when
///   absent, otherwise updated with what differs; see ``SCIMMapping`` for the attributes);
/// - NDJSON of operations `{"method": "POST|PUT|PATCH|DELETE", "path": "/Users/{id}",
///   "body": {...}}`, or a `BulkRequest` whose `Operations` carry `data`: `POST` and `PUT`
///   are upserts, `PATCH` applies a `PatchOp` (``SCIMPatch``) to the object's current state,
///   `DELETE` deletes it.
///
/// The anchor of a resource is its `externalId`, else its `id`. A `{id}` in a path is the
/// anchor, or the `id` of a resource with an `externalId` seen earlier in the invocation.
/// `active: false` deactivates, `active: true` reactivates. Groups are created as security
/// groups. Errors name the line (NDJSON) or the record number (a single document), and the
/// SCIM attribute.
public struct SCIMImporter: DirectoryImporter {
    /// SCIM ids learnt from resources that also had an `externalId`.
    private var ids: [String: ObjectRef] = [:]

    public init() {}

    // MARK: - Reading

    public mutating func read(_ path: String, into context: ImportContext) throws {
        var record = 0
        for entry in try JSONInput.read(path) {
            var items = [entry.value]
            if case .array(let elements) = entry.value {
                items = elements
            } else if let resources = entry.value["Resources"]?.arrayValue {
                items = resources
            } else if let operations = entry.value["Operations"]?.arrayValue, entry.value["method"] == nil,
                Self.hasSchema(entry.value, "urn:ietf:params:scim:api:messages:2.0:bulkrequest")
            {
                items = operations
            }
            for item in items {
                record += 1
                context.line = entry.line ?? record
                context.fieldNames = SCIMMapping.userFieldNames
                guard case .object(let fields) = item else {
                    throw context.failure(field: nil, "a SCIM record must be a JSON object, not \(item.typeDescription)")
                }
                if fields["method"] != nil {
                    try operation(fields, context: context)
                } else {
                    try upsert(fields, at: nil, context: context)
                }
            }
        }
    }

    // MARK: - Operations

    private mutating func operation(_ fields: [String: JSONValue], context: ImportContext) throws {
        if let unknown = fields.keys.filter({ !["method", "path", "body", "data", "bulkId", "version"].contains($0) }).sorted().first {
            throw context.failure(field: unknown, "unknown field: an operation has method, path and body (or data)")
        }
        guard let method = fields["method"]?.stringValue?.uppercased() else {
            throw context.failure(field: "method", "must be POST, PUT, PATCH or DELETE")
        }
        guard let pathText = fields["path"]?.stringValue else { throw context.failure(field: "path", "is required") }
        let (kind, id) = try Self.endpoint(pathText, context: context)
        let body = fields["body"] ?? fields["data"]
        switch method {
        case "POST", "PUT":
            guard case .object(let resource)? = body else { throw context.failure(field: "body", "must be a SCIM resource object") }
            let target = try id.map { try reference(kind, $0, context: context) }
            try upsert(resource, at: target, kind: kind, context: context)
        case "PATCH":
            guard let id else { throw context.failure(field: "path", "PATCH needs /Users/{id} or /Groups/{id}") }
            guard case .object(let patch)? = body, let operations = patch["Operations"]?.arrayValue else {
                throw context.failure(field: "body.Operations", "a PATCH body is a PatchOp with an Operations array")
            }
            try self.patch(try reference(kind, id, context: context), operations: operations, context: context)
        case "DELETE":
            guard let id else { throw context.failure(field: "path", "DELETE needs /Users/{id} or /Groups/{id}") }
            let target = try reference(kind, id, context: context)
            guard context.objects[target] != nil else {
                throw context.failure(field: "path", "names a \(kind.rawValue) the ledger does not hold")
            }
            if !(try context.delete(target)) { context.summary.unchanged += 1 }
        default:
            throw context.failure(field: "method", "must be POST, PUT, PATCH or DELETE")
        }
    }

    /// `/Users`, `/Users/{id}`, `/Groups/{id}` (any base URL before them).
    private static func endpoint(_ path: String, context: ImportContext) throws -> (ObjectKind, String?) {
        let segments = path.split(separator: "/").map(String.init)
        guard let index = segments.lastIndex(where: { ["users", "groups"].contains($0.lowercased()) }),
            segments.count - index <= 2
        else {
            throw context.failure(field: "path", "must be /Users, /Users/{id}, /Groups or /Groups/{id}")
        }
        let kind: ObjectKind = segments[index].lowercased() == "users" ? .user : .group
        return (kind, index + 1 < segments.count ? segments[index + 1] : nil)
    }

    private func reference(_ kind: ObjectKind, _ id: String, context: ImportContext) throws -> ObjectRef {
        if let known = ids[id], known.kind == kind { return known }
        do {
            return try ObjectRef(kind: kind, anchor: id)
        } catch {
            throw context.failure(field: "path", error.message)
        }
    }

    // MARK: - Resources

    /// A resource as the whole truth of its object.
    private mutating func upsert(
        _ raw: [String: JSONValue], at given: ObjectRef?, kind: ObjectKind? = nil, context: ImportContext
    ) throws {
        let resource = SCIMPatch.lowercasedKeys(.object(raw)).objectValue ?? [:]
        let kind = kind ?? given?.kind ?? Self.kind(of: resource)
        var reference = given
        if reference == nil {
            let anchorField = resource["externalid"] != nil ? "externalId" : "id"
            guard let anchor = (resource["externalid"] ?? resource["id"])?.stringValue, !anchor.isEmpty else {
                throw context.failure(field: "externalId", "a resource needs an externalId or an id to anchor it")
            }
            do {
                reference = try ObjectRef(kind: kind, anchor: anchor)
            } catch {
                throw context.failure(field: anchorField, error.message)
            }
        }
        let target = reference!
        if let id = resource["id"]?.stringValue, resource["externalid"] != nil { ids[id] = target }
        var changed: Bool
        if kind == .user {
            changed = try reconcileUser(target, resource, context: context)
        } else {
            changed = try reconcileGroup(target, resource, creating: true, context: context)
        }
        if changed == false { context.summary.unchanged += 1 }
    }

    private mutating func patch(_ target: ObjectRef, operations: [JSONValue], context: ImportContext) throws {
        guard let object = context.existing(target) else {
            throw context.failure(field: "path", "names a \(target.kind.rawValue) the ledger does not hold (or that was deleted)")
        }
        var resource = target.kind == .user ? SCIMMapping.resource(ofUser: object) : SCIMMapping.resource(ofGroup: object)
        for (index, operation) in operations.enumerated() {
            let field = "Operations[\(index)]"
            guard case .object(let fields) = operation, let op = fields["op"]?.stringValue else {
                throw context.failure(field: "\(field).op", "each operation needs op: add, replace or remove")
            }
            guard ["add", "replace", "remove"].contains(op.lowercased()) else {
                throw context.failure(field: "\(field).op", "must be add, replace or remove")
            }
            var path: SCIMPath?
            if let text = fields["path"]?.stringValue {
                do {
                    path = try SCIMPath(parsing: text)
                } catch {
                    throw context.failure(field: "\(field).path", error.message)
                }
            }
            do {
                try SCIMPatch.apply(op: op, path: path, value: fields["value"], to: &resource)
            } catch {
                throw context.failure(field: path == nil ? "\(field).value" : "\(field).path", error.message)
            }
        }
        let changed = target.kind == .user
            ? try reconcileUser(target, resource, context: context)
            : try reconcileGroup(target, resource, creating: false, context: context)
        if !changed { context.summary.unchanged += 1 }
    }

    private func reconcileUser(_ target: ObjectRef, _ resource: [String: JSONValue], context: ImportContext) throws -> Bool {
        context.fieldNames = SCIMMapping.userFieldNames
        let desired: [String: JSONValue?]
        let active: Bool?
        do {
            desired = try SCIMMapping.catalogValues(user: resource) { id in
                if let known = ids[id], known.kind == .user { return known }
                return try ObjectRef(kind: .user, anchor: id)
            }
            active = try SCIMMapping.active(resource)
        } catch let mismatch as AttributeText.Mismatch {
            throw context.failure(field: mismatch.field, mismatch.message)
        } catch let error as DomainError {
            throw context.failure(field: "manager", error.message)
        }
        var changed = try context.reconcile(target, subtype: nil, desired: desired)
        if let active { changed = try context.setEnabled(target, active) || changed }
        return changed
    }

    private func reconcileGroup(
        _ target: ObjectRef, _ resource: [String: JSONValue], creating: Bool, context: ImportContext
    ) throws -> Bool {
        context.fieldNames = ["displayName": "displayName", "mailNickname": "displayName", "member": "members"]
        guard let displayName = resource["displayname"]?.stringValue, !displayName.isEmpty else {
            throw context.failure(field: "displayName", "a group needs a displayName")
        }
        var desired: [String: JSONValue?] = ["displayName": .string(displayName)]
        if context.existing(target) == nil {
            desired["mailNickname"] = .string(SCIMMapping.mailNickname(from: displayName, fallback: target.anchor))
        }
        var changed = try context.reconcile(target, subtype: GroupKind.security.rawValue, desired: desired)
        if let members = resource["members"] {
            guard let list = members.arrayValue else { throw context.failure(field: "members", "must be an array") }
            var refs: [ObjectRef] = []
            for (index, element) in list.enumerated() {
                refs.append(try member(element, field: "members[\(index)].value", context: context))
            }
            let before = context.summary.appended
            try context.setMembers(of: target, to: refs)
            changed = changed || context.summary.appended > before
        }
        return changed
    }

    /// A group member: `value` (an id or anchor) and an optional `type`.
    private func member(_ element: JSONValue, field: String, context: ImportContext) throws -> ObjectRef {
        guard let value = (element["value"] ?? element["Value"])?.stringValue, !value.isEmpty else {
            throw context.failure(field: field, "a member needs a value (the member's id)")
        }
        if let known = ids[value] { return known }
        do {
            if let type = (element["type"] ?? element["Type"])?.stringValue,
                let kind = ObjectKind(rawValue: type.lowercased()), kind != .tenant
            {
                return try ObjectRef(kind: kind, anchor: value)
            }
            for kind in ObjectKind.directoryKinds {
                let candidate = try ObjectRef(kind: kind, anchor: value)
                if context.objects[candidate] != nil { return candidate }
            }
            return try ObjectRef(kind: .user, anchor: value)
        } catch {
            throw context.failure(field: field, error.message)
        }
    }

    // MARK: - Helpers

    private static func kind(of resource: [String: JSONValue]) -> ObjectKind {
        if hasSchema(.object(resource), "urn:ietf:params:scim:schemas:core:2.0:group") { return .group }
        if hasSchema(.object(resource), "urn:ietf:params:scim:schemas:core:2.0:user") { return .user }
        return resource["username"] == nil && resource["members"] != nil ? .group : .user
    }

    private static func hasSchema(_ value: JSONValue, _ urn: String) -> Bool {
        let schemas = value["schemas"]?.arrayValue ?? []
        return schemas.contains { $0.stringValue?.lowercased() == urn }
    }
}
