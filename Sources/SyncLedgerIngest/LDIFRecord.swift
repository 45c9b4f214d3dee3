/// One LDIF record (RFC 2849): a content record, or a change record.
public struct LDIFRecord: Sendable, Equatable {
    /// One `name: value` line (after unfolding), with the line it starts on.
    public struct Value: Sendable, Equatable {
        /// The attribute name as written, options (`;binary`) removed.
        public var name: String
        /// The value: UTF-8 text, or for `::` the decoded bytes as text.
        public var text: String
        /// For `::` values, the base64 as written (an objectGUID anchor is kept in this form).
        public var base64: String?
        public var line: Int
    }

    /// One `add:` / `delete:` / `replace:` block of a modify record.
    public struct Modification: Sendable, Equatable {
        public enum Kind: String, Sendable { case add, delete, replace }
        public var kind: Kind
        public var attribute: String
        public var values: [Value]
        public var line: Int
    }

    /// What the record does.
    public enum Change: Sendable, Equatable {
        /// A content record or `changetype: add`: the object's attributes.
        case content([Value], isAdd: Bool)
        case modify([Modification])
        case delete
        /// `modrdn`/`moddn`: the new RDN, whether the old one is dropped, the new parent.
        case modRDN(newRDN: String, deleteOldRDN: Bool, newSuperior: String?)
    }

    public var dn: String
    /// The line of `dn:`.
    public var line: Int
    public var change: Change
}
