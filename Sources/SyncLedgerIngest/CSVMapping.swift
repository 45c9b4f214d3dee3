import Foundation
public import SyncLedgerDomain

/// Which CSV column is the anchor and which catalog attribute each other column fills.
///
/// A mapping file (`--map FILE`) is JSON:
///
/// ```json
/// {"anchor": "Employee GUID",
///  "columns": {"First Name": "givenName", "Status": "enabled", "Badge": "x-badge", "Notes": "ignore"},
///  "listSeparator": ";"}
/// ```
///
/// A column's target is a catalog attribute of the kind, an `x-` name, or one of the words
/// `anchor`, `kind` (a group's or resource's kind; for memberships the member's kind),
/// `enabled` (users: an account status), `group` and `member` (memberships), `ignore`.
/// Columns the mapping does not name are recognised as without a mapping: `anchor`,
/// `objectGUID`, `immutableId` (or `onPremisesImmutableId`, `mS-DS-ConsistencyGuid`) is the
/// anchor, a column named like a catalog attribute maps to it (case, spaces, `-`, `_`
/// ignored), common HR headers (`First Name`, `Last Name`, `Email`, `Title`, `Phone`, …)
/// are recognised, and an `x-` column is site-specific data. Any other column is an error
/// naming it: map it, or `ignore` it. YAML mappings are not read (no YAML parser offline);
/// write the same keys as JSON.
public struct CSVMapping: Sendable, Equatable {
    /// What a column feeds.
    public enum Target: Sendable, Hashable {
        case anchor, kind, enabled, group, member, ignore
        case attribute(String)
    }

    /// Targets by exact header text.
    public var columns: [String: Target]
    /// The separator of list values in one cell (`businessPhones`, `proxyAddresses`).
    public var listSeparator: Character

    public init(columns: [String: Target] = [:], listSeparator: Character = ";") {
        self.columns = columns
        self.listSeparator = listSeparator
    }

    // MARK: - Loading

    /// Reads a JSON mapping file.
    public static func load(path: String) throws(IngestError) -> CSVMapping {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IngestError(.unreadableFile, file: path, line: nil, field: nil, "cannot read the mapping file")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(data))
        } catch {
            throw IngestError(
                .malformedJSON, file: path, line: nil, field: nil, "the mapping must be JSON (\(error.description))")
        }
        return try parse(value, file: path)
    }

    /// A mapping from its JSON form.
    public static func parse(_ value: JSONValue, file: String) throws(IngestError) -> CSVMapping {
        func fail(_ field: String, _ message: String) -> IngestError {
            IngestError(.invalidField, file: file, line: nil, field: field, message)
        }
        guard let fields = value.objectValue else { throw fail("mapping", "must be a JSON object") }
        if let unknown = fields.keys.filter({ !["anchor", "columns", "listSeparator"].contains($0) }).sorted().first {
            throw fail(unknown, "unknown key: a mapping has anchor, columns and listSeparator")
        }
        var mapping = CSVMapping()
        if let columns = fields["columns"] {
            guard let map = columns.objectValue else { throw fail("columns", "must be an object of column: target") }
            for (column, target) in map {
                guard let name = target.stringValue, !name.isEmpty else {
                    throw fail("columns.\(column)", "must be a catalog attribute name or anchor, kind, enabled, group, member, ignore")
                }
                mapping.columns[column] = Self.target(named: name)
            }
        }
        if let anchor = fields["anchor"] {
            guard let column = anchor.stringValue, !column.isEmpty else { throw fail("anchor", "must be a column name") }
            mapping.columns[column] = .anchor
        }
        if let separator = fields["listSeparator"] {
            guard let text = separator.stringValue, text.count == 1 else {
                throw fail("listSeparator", "must be one character")
            }
            mapping.listSeparator = text.first!
        }
        return mapping
    }

    private static func target(named name: String) -> Target {
        switch name {
        case "anchor": return .anchor
        case "kind": return .kind
        case "enabled": return .enabled
        case "group": return .group
        case "member": return .member
        case "ignore": return .ignore
        default: return .attribute(name)
        }
    }

    // MARK: - Resolving a header

    /// The target of every column of `header`, for rows of `kind`.
    ///
    /// - Throws: an error naming the first column that maps to nothing (or to an attribute
    ///   the kind does not have), or the missing anchor / group / member column.
    public func targets(for header: [String], kind: CSVKind) throws(IngestError) -> [Target] {
        var targets: [Target] = []
        for column in header {
            let target = columns[column] ?? Self.recognise(column, kind: kind)
            guard let target else {
                throw IngestError(
                    .invalidField, file: nil, line: 1, field: column,
                    "is neither a \(kind.objectKind.rawValue) attribute of the catalog nor a known header: map it with --map (or to ignore), or name it x-…"
                )
            }
            if case .attribute(let name) = target {
                guard kind != .memberships, AttributeCatalog.attribute(named: name, for: kind.objectKind) != nil else {
                    throw IngestError(
                        .invalidField, file: nil, line: 1, field: column,
                        "maps to \(name), which is not a \(kind.objectKind.rawValue) attribute of the catalog")
                }
            }
            if targets.contains(target), target != .ignore {
                throw IngestError(.invalidField, file: nil, line: 1, field: column, "another column already maps to the same target")
            }
            targets.append(target)
        }
        let needed: [Target] = kind == .memberships ? [.group, .member] : [.anchor]
        for target in needed where !targets.contains(target) {
            throw IngestError(
                .invalidField, file: nil, line: 1, field: "\(target)",
                target == .anchor
                    ? "no column is the anchor: name one anchor, objectGUID or immutableId (or map one with --map)"
                    : "a memberships file needs a group column and a member column (or map them with --map)")
        }
        return targets
    }

    /// The target of a column without a mapping, or nil.
    static func recognise(_ column: String, kind: CSVKind) -> Target? {
        if AttributeCatalog.isSiteSpecific(column) { return .attribute(column) }
        let folded = AttributeText.folded(column)
        if anchorHeaders.contains(folded) { return kind == .memberships ? nil : .anchor }
        switch kind {
        case .memberships:
            if ["group", "groupanchor", "groupid", "groupobjectguid"].contains(folded) { return .group }
            if ["member", "memberanchor", "memberid", "user", "useranchor", "memberobjectguid"].contains(folded) { return .member }
            if ["membertype", "memberkind", "kind"].contains(folded) { return .kind }
            return nil
        case .users:
            if ["status", "active", "enabled", "accountenabled", "accountstatus"].contains(folded) { return .enabled }
        case .groups, .resources:
            if ["kind", "type", "grouptype", "resourcetype"].contains(folded) { return .kind }
        case .contacts:
            break
        }
        let objectKind = kind.objectKind
        if let name = hrHeaders(kind)[folded] ?? hrHeaders(.users)[folded],
            AttributeCatalog.attribute(named: name, for: objectKind) != nil
        {
            return .attribute(name)
        }
        if let attribute = AttributeCatalog.attributes(for: objectKind).first(where: { AttributeText.folded($0.name) == folded }) {
            return .attribute(attribute.name)
        }
        return nil
    }

    private static let anchorHeaders: Set<String> = [
        "anchor", "objectguid", "immutableid", "onpremisesimmutableid", "msdsconsistencyguid", "sourceanchor",
    ]

    /// Common HR and admin header names (folded) and the attribute they mean, per kind.
    private static func hrHeaders(_ kind: CSVKind) -> [String: String] {
        switch kind {
        case .users, .memberships: return userHeaders
        case .groups:
            return ["email": "primarySmtpAddress", "mail": "primarySmtpAddress", "emailaddress": "primarySmtpAddress",
                "alias": "mailNickname", "name": "displayName", "groupname": "displayName", "owner": "managedBy",
                "owners": "managedBy"]
        case .contacts:
            return ["email": "externalEmailAddress", "mail": "externalEmailAddress", "emailaddress": "externalEmailAddress",
                "externalemail": "externalEmailAddress", "targetaddress": "externalEmailAddress", "alias": "mailNickname",
                "name": "displayName"]
        case .resources:
            return ["email": "primarySmtpAddress", "mail": "primarySmtpAddress", "emailaddress": "primarySmtpAddress",
                "alias": "alias", "mailnickname": "alias", "name": "displayName", "roomname": "displayName",
                "seats": "capacity", "resourcecapacity": "capacity", "delegates": "resourceDelegates"]
        }
    }

    private static let userHeaders: [String: String] = [
        "firstname": "givenName", "forename": "givenName", "lastname": "surname", "familyname": "surname", "sn": "surname",
        "name": "displayName", "fullname": "displayName", "email": "mail", "emailaddress": "mail", "workemail": "mail",
        "primaryemail": "mail", "username": "userPrincipalName", "upn": "userPrincipalName", "login": "userPrincipalName",
        "title": "jobTitle", "position": "jobTitle", "phone": "businessPhones", "workphone": "businessPhones",
        "telephone": "businessPhones", "telephonenumber": "businessPhones", "officephone": "businessPhones",
        "businessphone": "businessPhones", "mobile": "mobilePhone", "cellphone": "mobilePhone", "cell": "mobilePhone",
        "fax": "faxNumber", "employeenumber": "employeeId", "empid": "employeeId", "office": "officeLocation",
        "location": "officeLocation", "company": "companyName", "street": "streetAddress", "address": "streetAddress",
        "town": "city", "l": "city", "province": "state", "region": "state", "st": "state", "zip": "postalCode",
        "zipcode": "postalCode", "postcode": "postalCode", "countrycode": "usageLocation", "manageranchor": "manager",
        "managerid": "manager", "language": "preferredLanguage", "alias": "mailNickname", "phone2": "otherTelephone",
        "homephone": "homePhone", "pager": "pager", "website": "wwwHomepage", "notes": "info",
    ]
}
