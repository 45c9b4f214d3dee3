import CSV
import Foundation
import SyncLedgerDomain

/// `ingest --format csv`: a CSV snapshot of users, groups, memberships, contacts or resources.
///
/// A CSV is a snapshot, not a change list: each row says what one object is now, and only the
/// differences from the directory state are appended (a create, one update with the changed
/// attributes, a deactivation or reactivation). An empty cell means "has none" (the attribute
/// is unset when the object has it); a column absent from the file leaves its attribute
/// alone. Importing the same file again appends nothing, because nothing differs.
///
/// - Users: an `enabled`/`status` column deactivates or reactivates. With `--full`, users
///   absent from the file are deactivated (the tenant's deactivation policy then decides what
///   Office 365 does, under the replayer's destructive thresholds), and users present in it
///   but deactivated are reactivated when the file has no status column.
/// - Groups, contacts, resources: a `kind` column (`security`, `distribution`,
///   `mail-security`; `room`, `equipment`) fixes the kind at creation (default `security`,
///   `room`). With `--full`, objects absent from the file are deleted.
/// - Memberships: rows of (group, member); a member is an anchor (a user) or `kind:anchor`.
///   Each group named in the file gets exactly the members listed; with `--full`, groups not
///   named lose all their members.
///
/// Parsing is yaslab/CSV.swift: RFC 4180 quoting (commas, quotes, line breaks in quoted
/// fields), UTF-8 with or without a byte order mark, CRLF or LF. Errors name the physical line
/// where the row starts and the column.
public struct CSVImporter: DirectoryImporter {
    public var kind: CSVKind
    public var mapping: CSVMapping
    public var full: Bool

    /// Objects (or, for memberships, groups) named by the files read so far.
    private var seen: Set<ObjectRef> = []

    public init(kind: CSVKind, mapping: CSVMapping = CSVMapping(), full: Bool = false) {
        self.kind = kind
        self.mapping = mapping
        self.full = full
    }

    // MARK: - Reading

    public mutating func read(_ path: String, into context: ImportContext) throws {
        let reader = try Self.open(path)
        guard var header = reader.headerRow else {
            throw IngestError(.invalidField, file: path, line: 1, field: nil, "the file has no header row")
        }
        if let first = header.first, first.hasPrefix("\u{FEFF}") { header[0] = String(first.dropFirst()) }
        header = header.map(AttributeText.trimmed)
        context.line = 1
        let targets: [CSVMapping.Target]
        do {
            targets = try mapping.targets(for: header, kind: kind)
        } catch {
            throw error.located(file: path, line: 1)
        }
        let layout = Layout(header: header, targets: targets)
        var nextLine = 2 + Self.lineBreaks(in: header)
        var firstLines: [ObjectRef: Int] = [:]
        var listed: [ObjectRef: Set<String>] = [:]
        var groupOrder: [(ObjectRef, Int)] = []
        while let row = reader.next() {
            let line = nextLine
            nextLine += 1 + Self.lineBreaks(in: row)
            if row.count == 1, row[0].isEmpty { continue }
            context.line = line
            context.fieldNames = layout.fieldNames
            guard row.count == header.count else {
                throw context.failure(field: nil, "the row has \(row.count) fields; the header has \(header.count)")
            }
            if kind == .memberships {
                let (group, member) = try membership(row, layout: layout, context: context)
                if listed[group] == nil { groupOrder.append((group, line)) }
                listed[group, default: []].insert(member.description)
                seen.insert(group)
                try context.addMember(member, to: group)
                continue
            }
            let reference = try anchor(row, layout: layout, context: context)
            if let first = firstLines[reference] {
                throw context.failure(field: layout.anchorColumn, "the same anchor is on line \(first) too")
            }
            firstLines[reference] = line
            seen.insert(reference)
            try apply(row, to: reference, layout: layout, context: context)
        }
        // CSV.swift also reports `cannotReadFile` at a normal end of file; only a decoding
        // error means the input was bad.
        if case CSVError.unicodeDecoding? = reader.error {
            throw IngestError(
                .invalidEncoding, file: path, line: nextLine, field: nil, "the file is not valid UTF-8 text: export it as UTF-8 (with or without a BOM)")
        }
        for (group, line) in groupOrder {
            context.line = line
            guard let members = context.existing(group)?.members else { continue }
            for member in members.subtracting(listed[group] ?? []).sorted() {
                try context.removeMember(try ObjectRef(parsing: member), from: group)
            }
        }
    }

    public mutating func finish(into context: ImportContext) throws {
        guard full else { return }
        for object in context.existingObjects(of: kind.objectKind) where !seen.contains(object.reference) {
            switch kind {
            case .users:
                try context.setEnabled(object.reference, false)
            case .memberships:
                for member in object.members.sorted() {
                    try context.removeMember(try ObjectRef(parsing: member), from: object.reference)
                }
            case .groups, .contacts, .resources:
                try context.delete(object.reference)
            }
        }
    }

    // MARK: - Rows

    /// Where each target is in the header.
    private struct Layout {
        var attributes: [(index: Int, name: String, column: String)] = []
        var anchorIndex: Int?
        var kindIndex: Int?
        var enabledIndex: Int?
        var groupIndex: Int?
        var memberIndex: Int?
        var header: [String]
        var fieldNames: [String: String] = [:]

        init(header: [String], targets: [CSVMapping.Target]) {
            self.header = header
            for (index, target) in targets.enumerated() {
                switch target {
                case .anchor: anchorIndex = index
                case .kind: kindIndex = index
                case .enabled: enabledIndex = index
                case .group: groupIndex = index
                case .member: memberIndex = index
                case .ignore: break
                case .attribute(let name):
                    attributes.append((index, name, header[index]))
                    fieldNames[name] = header[index]
                }
            }
            if let kindIndex { fieldNames["kind"] = header[kindIndex] }
            if let memberIndex { fieldNames["member"] = header[memberIndex] }
        }

        var anchorColumn: String { anchorIndex.map { header[$0] } ?? "anchor" }
    }

    private func anchor(_ row: [String], layout: Layout, context: ImportContext) throws -> ObjectRef {
        let index = layout.anchorIndex!
        let text = AttributeText.trimmed(row[index])
        guard !text.isEmpty else { throw context.failure(field: layout.anchorColumn, "is empty: every row needs an anchor") }
        do {
            return try ObjectRef(kind: kind.objectKind, anchor: text)
        } catch {
            throw context.failure(field: layout.anchorColumn, error.message)
        }
    }

    /// A row of a snapshot of users, groups, contacts or resources.
    private func apply(_ row: [String], to reference: ObjectRef, layout: Layout, context: ImportContext) throws {
        var desired: [String: JSONValue?] = [:]
        for (index, name, column) in layout.attributes {
            let text = AttributeText.trimmed(row[index])
            let parts = AttributeText.isList(name, kind: reference.kind) ? AttributeText.split(text, separator: mapping.listSeparator) : [text]
            do {
                desired[name] = try AttributeText.value(parts, attribute: name, kind: reference.kind) { text in
                    try Self.reference(text, defaultKind: .user)
                }
            } catch let mismatch as AttributeText.Mismatch {
                throw context.failure(field: column, mismatch.message)
            } catch let error as DomainError {
                throw context.failure(field: column, error.message)
            }
        }
        var subtype = context.existing(reference)?.subtype ?? kind.defaultSubtype
        if let index = layout.kindIndex, case let text = AttributeText.trimmed(row[index]), !text.isEmpty {
            subtype = try Self.subtype(text, kind: kind, column: layout.header[index], context: context)
        }
        var changed = try context.reconcile(reference, subtype: subtype, desired: desired)
        if kind == .users {
            if let index = layout.enabledIndex, case let text = AttributeText.trimmed(row[index]), !text.isEmpty {
                guard let enabled = AttributeText.status(text) else {
                    throw context.failure(
                        field: layout.header[index], "must be an account status: true/false, yes/no, active/inactive, enabled/disabled")
                }
                changed = try context.setEnabled(reference, enabled) || changed
            } else if full, layout.enabledIndex == nil {
                changed = try context.setEnabled(reference, true) || changed
            }
        }
        if !changed { context.summary.unchanged += 1 }
    }

    /// A row of a memberships file: (group, member).
    private func membership(_ row: [String], layout: Layout, context: ImportContext) throws -> (ObjectRef, ObjectRef) {
        func cell(_ index: Int) throws -> String {
            let text = AttributeText.trimmed(row[index])
            guard !text.isEmpty else { throw context.failure(field: layout.header[index], "is empty") }
            return text
        }
        let groupIndex = layout.groupIndex!
        let memberIndex = layout.memberIndex!
        var memberKind = ObjectKind.user
        if let index = layout.kindIndex, case let text = AttributeText.trimmed(row[index]), !text.isEmpty {
            guard let kind = ObjectKind(rawValue: text.lowercased()), kind != .tenant else {
                throw context.failure(field: layout.header[index], "must be user, group, contact or resource")
            }
            memberKind = kind
        }
        let group: ObjectRef
        let member: ObjectRef
        do {
            group = try Self.reference(try cell(groupIndex), defaultKind: .group)
        } catch let error as DomainError {
            throw context.failure(field: layout.header[groupIndex], error.message)
        }
        guard group.kind == .group else { throw context.failure(field: layout.header[groupIndex], "must name a group") }
        do {
            member = try Self.reference(try cell(memberIndex), defaultKind: memberKind)
        } catch let error as DomainError {
            throw context.failure(field: layout.header[memberIndex], error.message)
        }
        guard context.existing(group) != nil else {
            throw context.failure(field: layout.header[groupIndex], "names a group that does not exist in the ledger")
        }
        return (group, member)
    }

    // MARK: - Helpers

    /// `kind:anchor`, or a bare anchor of `defaultKind`.
    static func reference(_ text: String, defaultKind: ObjectKind) throws(DomainError) -> ObjectRef {
        if let colon = text.firstIndex(of: ":"), ObjectKind(rawValue: String(text[..<colon])) != nil {
            return try ObjectRef(parsing: text)
        }
        return try ObjectRef(kind: defaultKind, anchor: text)
    }

    private static func subtype(_ text: String, kind: CSVKind, column: String, context: ImportContext) throws -> String {
        let folded = AttributeText.folded(text)
        switch kind {
        case .groups:
            switch folded {
            case "security", "securitygroup": return GroupKind.security.rawValue
            case "distribution", "distributionlist", "distributiongroup", "dl": return GroupKind.distribution.rawValue
            case "mailsecurity", "mailenabledsecurity", "mailenabledsecuritygroup": return GroupKind.mailSecurity.rawValue
            default: throw context.failure(field: column, "must be security, distribution or mail-security")
            }
        case .resources:
            switch folded {
            case "room", "roommailbox": return ResourceKind.room.rawValue
            case "equipment", "equipmentmailbox": return ResourceKind.equipment.rawValue
            default: throw context.failure(field: column, "must be room or equipment")
            }
        case .users, .contacts, .memberships:
            return text
        }
    }

    /// The line breaks inside quoted fields, so errors name physical lines.
    private static func lineBreaks(in fields: [String]) -> Int {
        var count = 0
        for field in fields {
            var previous: UInt8 = 0
            for byte in field.utf8 {
                if byte == 0x0A, previous != 0x0D { count += 1 } else if byte == 0x0D { count += 1 }
                previous = byte
            }
        }
        return count
    }

    /// A reader over `path` (`-`: standard input) that expects a header row.
    private static func open(_ path: String) throws -> CSVReader {
        let filePath = path == "-" ? "/dev/stdin" : path
        guard FileManager.default.isReadableFile(atPath: filePath), let stream = InputStream(fileAtPath: filePath) else {
            throw IngestError(.unreadableFile, file: path, line: nil, field: nil, "cannot open the file")
        }
        do {
            return try CSVReader(stream: stream, hasHeaderRow: true)
        } catch {
            throw IngestError(.invalidField, file: path, line: 1, field: nil, "cannot read the header row (is the file empty, or not UTF-8?)")
        }
    }
}
