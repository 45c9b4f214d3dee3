public import SyncLedgerDomain

/// Which changes an audit lists. Every criterion is optional; they combine with AND.
public struct AuditQuery: Sendable, Equatable {
    public var object: ObjectRef?
    public var actor: String?
    /// Only changes of this attribute (or relationship: `enabled`, `license:<sku>`, `member:<ref>` …;
    /// a prefix such as `license:` matches them all).
    public var attribute: String?
    public var since: Timestamp?
    public var until: Timestamp?

    public init(object: ObjectRef? = nil, actor: String? = nil, attribute: String? = nil, since: Timestamp? = nil, until: Timestamp? = nil) {
        self.object = object
        self.actor = actor
        self.attribute = attribute
        self.since = since
        self.until = until
    }

    func matches(attribute name: String) -> Bool {
        guard let attribute else { return true }
        return attribute.hasSuffix(":") ? name.hasPrefix(attribute) : name == attribute
    }

    func matches(at time: Timestamp, actor: String) -> Bool {
        if let since, time < since { return false }
        if let until, time >= until { return false }
        if let wanted = self.actor, wanted != actor { return false }
        return true
    }
}
