public import SyncLedgerDomain

/// Generates a realistic directory history, deterministic for a seed: hires with licenses,
/// security groups, a distribution list, mail contacts and meeting rooms, then months of
/// title and department changes, a rename, departures, group changes and a direct edit seen
/// in Office 365. Used by `syncledger demo` and the benchmarks (`Tools/bench`).
public struct HistoryGenerator {
    /// How big a history to make.
    public struct Size: Sendable {
        public var users: Int
        public var months: Int
        /// Attribute changes per user per month, on average.
        public var changesPerUserPerMonth: Double

        public init(users: Int, months: Int = 4, changesPerUserPerMonth: Double = 0.5) {
            self.users = users
            self.months = months
            self.changesPerUserPerMonth = changesPerUserPerMonth
        }

        /// About `events` events in total.
        public static func events(_ events: Int) -> Size {
            Size(users: max(10, events / 10), months: 12, changesPerUserPerMonth: 0.62)
        }
    }

    /// Office 365 E3 and E5 SKU ids.
    public static let e3 = "6fd2c87f-b296-42f0-b197-1e91e994b900"
    public static let e5 = "c7df2760-2c81-4ef7-b578-5b5392b571df"
    /// The Helpdesk Administrator role definition.
    public static let helpdeskAdministrator = "729827e3-9c14-49f7-bb1b-9608f156bbb8"

    static let given = ["Anna", "Bjørn", "Chloé", "David", "Elif", "Fatima", "Georg", "Hana", "Ivan", "Júlia", "Kenji", "Lena", "Mateo",
        "Nora", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tariq", "Ursula", "Vikram", "Wen", "Xavier", "Yara", "Zoë", "Seán"]
    static let surnames = ["Andersson", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Hansen", "Ivanova", "Jensen",
        "Kowalski", "Larsen", "Müller", "Nakamura", "O'Brien", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka"]
    static let departments = ["Engineering", "Finance", "Human Resources", "Legal", "Marketing", "Operations", "Sales"]
    static let titles = ["Engineer", "Senior Engineer", "Accountant", "HR Partner", "Counsel", "Marketing Manager", "Analyst",
        "Account Executive", "Team Lead", "Director"]
    static let offices = [("Oslo", "NO"), ("Berlin", "DE"), ("Paris", "FR"), ("Madrid", "ES"), ("London", "GB"), ("Toronto", "CA")]

    public var seed: UInt64
    public var size: Size
    public var domain: String
    /// The first event's time; later events follow, a few minutes apart within each day.
    public var start: Timestamp

    public init(seed: UInt64, size: Size, domain: String = "contoso.example", start: Timestamp = Timestamp(rfc3339: "2026-01-05T08:00:00Z")!) {
        self.seed = seed
        self.size = size
        self.domain = domain
        self.start = start
    }

    /// The 1-based number of the user the history renames.
    public static let renamedUser = 2

    /// The anchor of user `index` (base64 of a stable source id, as an objectGUID would be).
    public static func userAnchor(_ index: Int) -> String { base64("user-\(String(format4: index))") }

    /// Calls `emit` with each event, in time order.
    public func generate(_ emit: (ProposedEvent) throws -> Void) rethrows {
        var random = SeededRandom(seed: seed)
        var clock = start.millisecondsSinceEpoch
        func next(minutes: Int64 = 1) -> Timestamp {
            clock += minutes * 60_000
            return Timestamp(millisecondsSinceEpoch: clock)
        }
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        func event(_ type: String, _ stream: ObjectRef, _ data: JSONValue, actor: String, source: String, at: Timestamp) -> ProposedEvent {
            ProposedEvent(type: type, stream: stream, actor: actor, source: source, occurredAt: at, data: data)
        }
        let users = (0..<size.users).map { try! ObjectRef(kind: .user, anchor: Self.userAnchor($0 + 1)) }
        var upns: [String] = []
        var departmentOf: [Int] = []

        // Hires.
        for (index, user) in users.enumerated() {
            let given = pick(Self.given)
            let surname = pick(Self.surnames)
            let (city, country) = pick(Self.offices)
            let department = pick(Self.departments)
            departmentOf.append(Self.departments.firstIndex(of: department)!)
            let upn = "\(Self.slug(given)).\(Self.slug(surname))\(index + 1)@\(domain)"
            upns.append(upn)
            var attributes: [String: JSONValue] = [
                "userPrincipalName": .string(upn), "mail": .string(upn), "givenName": .string(given), "surname": .string(surname),
                "displayName": .string("\(given) \(surname)"), "department": .string(department), "jobTitle": .string(pick(Self.titles)),
                "city": .string(city), "country": .string(country), "usageLocation": .string(country),
                "companyName": "Contoso", "x-employeeId": .string("E\(String(format4: index + 1))"),
            ]
            if index > 0 { attributes["manager"] = .string(users[Int(random.next() % UInt64(min(index, 5)))].description) }
            let at = next()
            try emit(event("UserCreated", user, ["attributes": .object(attributes)], actor: "hr-import", source: "workday", at: at))
            try emit(event("LicenseAssigned", user, ["skuId": .string(index % 7 == 0 ? Self.e5 : Self.e3)], actor: "hr-import", source: "workday", at: at))
        }
        try emit(event("RoleAssigned", users[0], ["roleDefinitionId": .string(Self.helpdeskAdministrator)], actor: "admin:jdoe", source: "okta", at: next()))

        // Groups, a distribution list, contacts and rooms.
        let groups = ["Engineering", "Finance", "Sales"].map { try! ObjectRef(kind: .group, anchor: Self.base64("group-\($0.lowercased())")) }
        for (index, group) in groups.enumerated() {
            let name = ["Engineering", "Finance", "Sales"][index]
            try emit(event("GroupCreated", group, ["kind": "security", "displayName": .string("\(name) (all)"), "mailNickname": .string("\(name.lowercased())-all")], actor: "hr-import", source: "ad", at: next()))
        }
        let allStaff = try! ObjectRef(kind: .group, anchor: Self.base64("list-all-staff"))
        try emit(event("GroupCreated", allStaff, ["kind": "distribution", "displayName": "All Staff", "mailNickname": "allstaff", "primarySmtpAddress": .string("allstaff@\(domain)")], actor: "hr-import", source: "ad", at: next()))
        for (index, user) in users.enumerated() {
            let department = departmentOf[index]
            if department < groups.count {
                try emit(event("MemberAdded", groups[department], ["member": .string(user.description)], actor: "hr-import", source: "ad", at: next(minutes: 0)))
            }
            if index < 50 {
                try emit(event("MemberAdded", allStaff, ["member": .string(user.description)], actor: "hr-import", source: "ad", at: next(minutes: 0)))
            }
        }
        try emit(event("GroupPushEnabled", groups[0], [:], actor: "admin:jdoe", source: "okta", at: next()))
        let contacts = ["Fabrikam Support", "Northwind Sales", "Tailspin O'Hara"]
        for (index, name) in contacts.enumerated() {
            let contact = try! ObjectRef(kind: .contact, anchor: Self.base64("contact-\(index + 1)"))
            let alias = Self.slug(name.replacingOccurrences(of: " ", with: "."))
            try emit(event("ContactCreated", contact, ["displayName": .string(name), "externalEmailAddress": .string("\(alias)@partner.example"), "mailNickname": .string(alias), "companyName": .string(String(name.split(separator: " ")[0]))], actor: "hr-import", source: "ad", at: next()))
        }
        for (index, room) in [("Fjord Room", 12), ("Lab Bench 3", 0)].enumerated() {
            let resource = try! ObjectRef(kind: .resource, anchor: Self.base64("resource-\(index + 1)"))
            var data: JSONValue = ["kind": index == 0 ? "room" : "equipment", "displayName": .string(room.0), "alias": .string(Self.slug(room.0.replacingOccurrences(of: " ", with: "")))]
            if room.1 > 0 { data = data.with("capacity", .int(Int64(room.1))) }
            try emit(event("ResourceCreated", resource, data, actor: "facilities", source: "ad", at: next()))
        }

        // Months of changes.
        let days = size.months * 30
        let changes = Int(Double(size.users * size.months) * size.changesPerUserPerMonth)
        let perDay = max(1, changes / max(1, days))
        var departed = Set<Int>()
        let renamed = Self.renamedUser - 1
        for day in 0..<days {
            clock = start.millisecondsSinceEpoch + Int64(day + 1) * 86_400_000 + 9 * 3_600_000
            for _ in 0..<perDay {
                let index = Int(random.next() % UInt64(users.count))
                guard !departed.contains(index) else { continue }
                let roll = random.next() % 10
                let actor = roll < 6 ? "hr-import" : roll < 8 ? "admin:jdoe" : "admin:mlarsen"
                let set: JSONValue = roll < 6 ? ["jobTitle": .string(pick(Self.titles))] : ["department": .string(pick(Self.departments))]
                try emit(event("UserUpdated", users[index], ["set": set, "unset": []], actor: actor, source: actor == "hr-import" ? "workday" : "okta", at: next(minutes: 3)))
            }
            if day == 20, users.count > 2 {
                // A rename: marriage, new surname and username.
                let first = String(upns[renamed].split(separator: ".")[0])
                let upn = "\(first).berg\(renamed + 1)@\(domain)"
                let display = first.prefix(1).uppercased() + first.dropFirst()
                try emit(event("UserUpdated", users[renamed], ["set": ["surname": "Berg", "displayName": .string("\(display) Berg"), "userPrincipalName": .string(upn), "mail": .string(upn)], "unset": []], actor: "hr-import", source: "workday", at: next()))
                upns[renamed] = upn
            }
            if day == 35, users.count > 3 {
                try emit(event("DirectEditObserved", users[2], ["set": ["jobTitle": "Acting Director"], "unset": []], actor: "graph-delta", source: "office365", at: next()))
            }
            if day == 50, users.count > 4, departmentOf[3] != 0 {
                try emit(event("MemberAdded", groups[0], ["member": .string(users[3].description)], actor: "admin:jdoe", source: "okta", at: next()))
            }
            if day % 45 == 44, users.count > 10 {
                // A departure.
                let index = users.count - 1 - departed.count
                departed.insert(index)
                try emit(event("UserDeactivated", users[index], [:], actor: "lifecycle-policy", source: "workday", at: next()))
            }
        }
    }

    // MARK: - Text helpers

    static func slug(_ text: String) -> String {
        let map: [Character: String] = ["ø": "o", "é": "e", "ú": "u", "ë": "e", "á": "a", "ü": "u", "í": "i", "'": "", "’": ""]
        return text.lowercased().map { map[$0] ?? String($0) }.joined()
    }

    static func base64(_ text: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let bytes = Array(text.utf8)
        var out = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for position in 0..<4 {
                out.append(position <= chunk.count ? alphabet[(value >> (18 - 6 * position)) & 63] : "=")
            }
            index += 3
        }
        return out
    }
}

extension String {
    /// A number with at least four digits.
    init(format4 number: Int) {
        let digits = number.description
        self.init(repeating: "0", count: Swift.max(0, 4 - digits.count))
        self += digits
    }

    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

extension JSONValue {
    func with(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members[key] = value
        return .object(members)
    }
}
