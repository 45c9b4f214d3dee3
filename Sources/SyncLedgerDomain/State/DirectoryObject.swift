/// One directory object as the source says it is: the fold of its stream's events.
///
/// Users, groups, contacts and resource mailboxes share this shape; the parts that do not
/// apply to a kind stay empty (a contact has no licenses, a user no members).
public struct DirectoryObject: Sendable, Hashable {
    /// A change made directly in Office 365 (`DirectEditObserved`) to one attribute.
    public struct DirectEdit: Sendable, Hashable {
        /// The value seen in Office 365; nil when the attribute was cleared there.
        public var value: JSONValue?
        /// The event that reported it.
        public var seq: Int64
        public var at: Timestamp
        public var actor: String

        public init(value: JSONValue?, seq: Int64, at: Timestamp, actor: String) {
            self.value = value
            self.seq = seq
            self.at = at
            self.actor = actor
        }
    }

    public var reference: ObjectRef
    /// The sub-kind: a group's kind, a resource's kind.
    public var subtype: String?
    /// Source attributes by canonical name (site-specific `x-` names included).
    public var attributes: AttributeMap
    /// Changes seen in Office 365 that the source has not overwritten since, by attribute.
    public var directEdits: [String: DirectEdit]
    /// Users: sign-in allowed.
    public var enabled: Bool
    /// Users: when the current deactivation happened (nil while active).
    public var deactivatedAt: Timestamp?
    public var deleted: Bool
    /// Groups: managed through Group Push.
    public var pushed: Bool
    /// Groups: Group Push was turned off without deleting the group in Office 365: it stays
    /// there, no longer managed (Okta's "leave the group in the target app").
    public var leftInTarget: Bool
    /// Users: assigned licenses, skuId to disabled plans (sorted).
    public var licenses: [String: [String]]
    /// Users: assigned admin role definition ids.
    public var roles: Set<String>
    /// Groups: member references (`kind:anchor`).
    public var members: Set<String>
    /// The stream version folded so far.
    public var version: Int64
    public var createdSeq: Int64
    public var lastSeq: Int64
    /// The seq of the stream's first event folded (0: none yet, or not traced).
    public var firstSeq: Int64
    /// Everyone whose events were folded into the object, sorted, each once: with
    /// ``firstSeq`` and ``lastSeq``, the causes of a command for an object never sent. Nil
    /// when the state was folded without tracing them (by a build before the ledger's
    /// migration 0006); a rebuild traces them again.
    public var actors: [String]?
    /// When the last event folded occurred.
    public var updatedAt: Timestamp

    public init(reference: ObjectRef) {
        self.reference = reference
        subtype = nil
        attributes = [:]
        directEdits = [:]
        enabled = true
        deactivatedAt = nil
        deleted = false
        pushed = false
        leftInTarget = false
        licenses = [:]
        roles = []
        members = []
        version = 0
        createdSeq = 0
        lastSeq = 0
        firstSeq = 0
        actors = []
        updatedAt = Timestamp(millisecondsSinceEpoch: 0)
    }

    /// The display name, when the object has one.
    public var displayName: String? { attributes["displayName"]?.stringValue }

    /// Users: the user principal name.
    public var userPrincipalName: String? { attributes["userPrincipalName"]?.stringValue }

    /// The primary mail address, whatever the kind calls it.
    public var mail: String? {
        (attributes["mail"] ?? attributes["primarySmtpAddress"] ?? attributes["externalEmailAddress"])?.stringValue
    }
}
