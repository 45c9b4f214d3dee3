import SyncLedgerDomain

/// `ingest --format ldif`: LDIF (RFC 2849) as Active Directory's `ldifde` writes it.
///
/// - The anchor is `objectGUID::` (its base64, as written: the `onPremisesImmutableId`).
/// - `objectClass` picks the kind: `group`; `contact`; `user` / `person` / `inetOrgPerson`,
///   which is a resource mailbox when `msExchRecipientTypeDetails` is 16 (room) or 32
///   (equipment) or `msExchResourceMetadata` says `ResourceType:Room|Equipment`. Computers,
///   OUs and containers are skipped (counted).
/// - A group's kind comes from `groupType` (security bit set: `security`, or `mail-security`
///   when it has `mail`; otherwise `distribution`). When `displayName` / `mailNickname` (or a
///   room's `alias`) are missing at creation, `cn` and `sAMAccountName` stand in.
/// - `userAccountControl` with the ACCOUNTDISABLE bit (2) deactivates, without it reactivates.
/// - `member`, `manager`, `managedBy` are DNs: they resolve to the anchors of objects of the
///   same file (any order) or of the ledger; an unknown DN is an error naming its line. The DN
///   of each object is kept as the site-specific attribute `x-distinguishedName` (never
///   pushed), which is how later files find ledger objects by DN; `modrdn` updates it.
/// - Content records and `changetype: add` set the attributes they carry (an export may
///   leave attributes out, so absence unsets nothing) and, for groups with `member`, the
///   whole membership. `modify` blocks add, delete or replace values; `delete` deletes.
///
/// AD names map to catalog names through ``ADAttributeMap``.
public struct LDIFImporter: DirectoryImporter {
    /// The site-specific attribute that keeps an object's DN.
    public static let dnAttribute = "x-distinguishedName"

    /// Objects by normalised DN.
    private var dns: [String: ObjectRef] = [:]
    private var loadedLedger = false

    public init() {}

    // MARK: - Reading

    public mutating func read(_ path: String, into context: ImportContext) throws {
        if !loadedLedger {
            for object in context.objects.values where object.exists {
                if let dn = object.attributes[Self.dnAttribute]?.stringValue { dns[Self.normalised(dn)] = object.reference }
            }
            loadedLedger = true
        }
        let records = try LDIFParser().records(path)
        for record in records {
            guard case .content(let values, _) = record.change, let kind = try? Self.kind(of: values, known: nil),
                let anchor = Self.anchor(values), let reference = try? ObjectRef(kind: kind, anchor: anchor)
            else { continue }
            dns[Self.normalised(record.dn)] = reference
        }
        for record in records {
            context.line = record.line
            context.fieldNames = [:]
            switch record.change {
            case .content(let values, _):
                try content(record, values, context: context)
            case .modify(let modifications):
                try modify(record, modifications, context: context)
            case .delete:
                let target = try known(record.dn, context: context)
                if !(try context.delete(target)) { context.summary.unchanged += 1 }
            case .modRDN(let newRDN, _, let superior):
                let target = try known(record.dn, context: context)
                guard let parent = superior ?? Self.parent(of: record.dn) else {
                    throw context.failure(field: "newrdn", "the entry has no parent DN; give newsuperior")
                }
                let newDN = parent.isEmpty ? newRDN : newRDN + "," + parent
                dns.removeValue(forKey: Self.normalised(record.dn))
                dns[Self.normalised(newDN)] = target
                if !(try context.reconcile(target, subtype: nil, desired: [Self.dnAttribute: .string(newDN)])) {
                    context.summary.unchanged += 1
                }
            }
        }
    }

    // MARK: - Records

    private mutating func content(_ record: LDIFRecord, _ values: [LDIFRecord.Value], context: ImportContext) throws {
        let existingRef = dns[Self.normalised(record.dn)]
        let found: ObjectKind?
        do {
            found = try Self.kind(of: values, known: existingRef?.kind)
        } catch {
            throw context.failure(field: "objectClass", error.message)
        }
        guard let kind = found else {
            context.summary.skipped += 1
            return
        }
        let reference: ObjectRef
        if let anchor = Self.anchor(values) {
            do {
                reference = try ObjectRef(kind: kind, anchor: anchor)
            } catch {
                throw context.failure(field: "objectGUID", error.message)
            }
        } else if let existingRef, existingRef.kind == kind {
            reference = existingRef
        } else {
            throw context.failure(field: "objectGUID", "is needed to anchor a new object (ldifde writes it as objectGUID::)")
        }
        dns[Self.normalised(record.dn)] = reference
        let grouped = Self.grouped(values)
        var desired: [String: JSONValue?] = [Self.dnAttribute: .string(record.dn)]
        var names: [String: String] = [:]
        for (name, list) in grouped {
            guard let catalog = ADAttributeMap.catalogName(name, kind: kind) else { continue }
            if kind == .contact, catalog == "externalEmailAddress", name.lowercased() == "targetaddress" { continue }
            desired[catalog] = try value(list, catalog: catalog, kind: kind, context: context)
            names[catalog] = list[0].name
        }
        context.line = record.line
        context.fieldNames = names
        let creating = context.existing(reference) == nil
        var subtype: String?
        switch kind {
        case .group:
            let type = grouped["grouptype"].flatMap { Int64($0[0].text) }
            if creating || type != nil {
                let security = type.map { $0 & 0x8000_0000 != 0 } ?? true
                subtype = !security ? GroupKind.distribution.rawValue
                    : grouped["mail"] != nil ? GroupKind.mailSecurity.rawValue : GroupKind.security.rawValue
            }
            if creating {
                fill(&desired, "displayName", from: ["displayname", "cn", "name", "samaccountname"], grouped)
                fill(&desired, "mailNickname", from: ["mailnickname", "samaccountname", "cn"], grouped)
            }
        case .resource:
            subtype = Self.resourceKind(grouped)?.rawValue
            if creating {
                fill(&desired, "displayName", from: ["displayname", "cn", "name"], grouped)
                fill(&desired, "alias", from: ["mailnickname", "samaccountname", "cn"], grouped)
            }
        case .contact:
            if desired["externalEmailAddress"] == nil, let target = grouped["targetaddress"]?.first?.text {
                let address = target.lowercased().hasPrefix("smtp:") ? String(target.dropFirst(5)) : target
                desired["externalEmailAddress"] = .string(address)
            }
            if creating { fill(&desired, "displayName", from: ["displayname", "cn", "name"], grouped) }
        case .user, .tenant:
            break
        }
        var changed = try context.reconcile(reference, subtype: subtype, desired: desired)
        if kind == .user, let flags = grouped["useraccountcontrol"]?.first {
            guard let number = Int64(flags.text) else {
                context.line = flags.line
                throw context.failure(field: flags.name, "must be a whole number (the AD account flags)")
            }
            changed = try context.setEnabled(reference, number & 2 == 0) || changed
        }
        if kind == .group, let members = grouped["member"] {
            context.fieldNames = ["member": "member"]
            var refs: [ObjectRef] = []
            for member in members { refs.append(try resolve(member, context: context)) }
            context.line = record.line
            let before = context.summary.appended
            try context.setMembers(of: reference, to: refs)
            changed = changed || context.summary.appended > before
        }
        if !changed { context.summary.unchanged += 1 }
    }

    private mutating func modify(_ record: LDIFRecord, _ modifications: [LDIFRecord.Modification], context: ImportContext) throws {
        let reference = try known(record.dn, context: context)
        guard let object = context.existing(reference) else {
            throw context.failure(field: "dn", "names a \(reference.kind.rawValue) that has been deleted")
        }
        let kind = reference.kind
        var attributes = object.attributes
        var desired: [String: JSONValue?] = [:]
        var names: [String: String] = [:]
        var enabled: Bool?
        var memberChanges: [(LDIFRecord.Modification, [ObjectRef])] = []
        for modification in modifications {
            context.line = modification.line
            let name = modification.attribute.lowercased()
            if name == "member", kind == .group {
                var refs: [ObjectRef] = []
                for value in modification.values { refs.append(try resolve(value, context: context)) }
                memberChanges.append((modification, refs))
                continue
            }
            if name == "useraccountcontrol", kind == .user {
                guard modification.kind != .delete, let text = modification.values.first?.text, let number = Int64(text) else {
                    throw context.failure(field: modification.attribute, "must be replaced with a whole number (the AD account flags)")
                }
                enabled = number & 2 == 0
                continue
            }
            guard let catalog = ADAttributeMap.catalogName(name, kind: kind) else { continue }
            names[catalog] = modification.attribute
            let given = try value(modification.values, catalog: catalog, kind: kind, context: context)
            let isList = AttributeText.isList(catalog, kind: kind)
            var result: JSONValue?
            switch modification.kind {
            case .replace:
                result = given
            case .add:
                if isList, let current = attributes[catalog]?.arrayValue, let added = given?.arrayValue {
                    result = .array(current + added.filter { !current.contains($0) })
                } else {
                    result = given
                }
            case .delete:
                if isList, let current = attributes[catalog]?.arrayValue, let removed = given?.arrayValue {
                    let left = current.filter { !removed.contains($0) }
                    result = left.isEmpty ? nil : .array(left)
                } else {
                    result = nil
                }
            }
            attributes[catalog] = result
            desired[catalog] = .some(result)
        }
        context.line = record.line
        context.fieldNames = names
        var changed = try context.reconcile(reference, subtype: nil, desired: desired)
        if let enabled { changed = try context.setEnabled(reference, enabled) || changed }
        let before = context.summary.appended
        for (modification, refs) in memberChanges {
            context.line = modification.line
            context.fieldNames = ["member": modification.attribute]
            switch modification.kind {
            case .add:
                for ref in refs { try context.addMember(ref, to: reference) }
            case .delete:
                let victims = refs.isEmpty ? (context.existing(reference)?.members ?? []).compactMap { try? ObjectRef(parsing: $0) } : refs
                for ref in victims { try context.removeMember(ref, from: reference) }
            case .replace:
                try context.setMembers(of: reference, to: refs)
            }
        }
        changed = changed || context.summary.appended > before
        if !changed { context.summary.unchanged += 1 }
    }

    // MARK: - Values

    private func value(
        _ values: [LDIFRecord.Value], catalog: String, kind: ObjectKind, context: ImportContext
    ) throws -> JSONValue? {
        do {
            return try AttributeText.value(values.map(\.text), attribute: catalog, kind: kind) { dn in
                guard let target = dns[Self.normalised(dn)] else { throw AttributeText.Mismatch(message: "names a DN that is neither in this file nor in the ledger") }
                return target
            }
        } catch let mismatch as AttributeText.Mismatch {
            context.line = values.first?.line ?? context.line
            throw context.failure(field: values.first?.name ?? catalog, mismatch.message)
        }
    }

    /// A DN value (a member) resolved, or an error at its line.
    private func resolve(_ value: LDIFRecord.Value, context: ImportContext) throws -> ObjectRef {
        guard let target = dns[Self.normalised(value.text)] else {
            context.line = value.line
            throw context.failure(field: value.name, "names a DN that is neither in this file nor in the ledger")
        }
        return target
    }

    /// The object a record's DN names, or an error at the record.
    private func known(_ dn: String, context: ImportContext) throws -> ObjectRef {
        guard let target = dns[Self.normalised(dn)] else {
            throw context.failure(field: "dn", "names an object that is neither in this file nor in the ledger")
        }
        return target
    }

    private func fill(_ desired: inout [String: JSONValue?], _ name: String, from candidates: [String], _ grouped: [String: [LDIFRecord.Value]]) {
        if let value = desired[name], value != nil { return }
        for candidate in candidates {
            if let text = grouped[candidate]?.first?.text, !text.isEmpty {
                desired[name] = .string(text)
                return
            }
        }
    }

    // MARK: - Helpers

    /// The kind `objectClass` says, nil for classes the ledger does not keep.
    static func kind(of values: [LDIFRecord.Value], known: ObjectKind?) throws(AttributeText.Mismatch) -> ObjectKind? {
        let classes = Set(values.filter { $0.name.lowercased() == "objectclass" }.map { $0.text.lowercased() })
        if classes.isEmpty {
            guard let known else { throw AttributeText.Mismatch(message: "is needed to know what kind of object a new entry is") }
            return known
        }
        if classes.contains("computer") { return nil }
        if classes.contains("group") { return .group }
        if classes.contains("contact") { return .contact }
        guard !classes.isDisjoint(with: ["user", "person", "inetorgperson", "organizationalperson"]) else { return nil }
        return resourceKind(grouped(values)) == nil ? .user : .resource
    }

    static func resourceKind(_ grouped: [String: [LDIFRecord.Value]]) -> ResourceKind? {
        switch grouped["msexchrecipienttypedetails"]?.first?.text {
        case "16": return .room
        case "32": return .equipment
        default: break
        }
        for value in grouped["msexchresourcemetadata"] ?? [] {
            switch value.text.lowercased() {
            case "resourcetype:room": return .room
            case "resourcetype:equipment": return .equipment
            default: continue
            }
        }
        return nil
    }

    static func anchor(_ values: [LDIFRecord.Value]) -> String? {
        guard let guid = values.first(where: { $0.name.lowercased() == "objectguid" }) else { return nil }
        return guid.base64 ?? guid.text
    }

    static func grouped(_ values: [LDIFRecord.Value]) -> [String: [LDIFRecord.Value]] {
        Dictionary(grouping: values, by: { $0.name.lowercased() })
    }

    /// A DN compared without case and without spaces around `,` and `=`.
    static func normalised(_ dn: String) -> String {
        rdns(dn).map { rdn in
            guard let equals = rdn.firstIndex(of: "=") else { return rdn.lowercased() }
            return AttributeText.trimmed(String(rdn[..<equals])).lowercased() + "="
                + AttributeText.trimmed(String(rdn[rdn.index(after: equals)...])).lowercased()
        }.joined(separator: ",")
    }

    /// The DN of the parent entry, nil for a single RDN.
    static func parent(of dn: String) -> String? {
        let parts = rdns(dn)
        guard parts.count > 1 else { return nil }
        return parts.dropFirst().map(AttributeText.trimmed).joined(separator: ",")
    }

    /// The RDNs of a DN: split on commas that are not escaped with `\`.
    private static func rdns(_ dn: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for character in dn {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                current.append(character)
                escaped = true
            } else if character == "," {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }
}
