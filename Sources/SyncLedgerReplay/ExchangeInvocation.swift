public import SyncLedgerDomain

/// One Exchange Online cmdlet call, with what makes it safe to run twice.
public struct ExchangeInvocation: Sendable, Equatable {
    /// A named parameter; a nil value is a switch (`-Room`).
    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var value: JSONValue?

        public init(_ name: String, _ value: JSONValue?) {
            self.name = name
            self.value = value
        }
    }

    /// When the call runs.
    public enum Guard: String, Sendable {
        /// Always (`Set-*` and `Update-*` are set-to-state).
        case always
        /// Only when no recipient has the identity (`New-*` fails on an existing object).
        case unlessExists = "unless-exists"
        /// Only when a recipient has the identity (`Remove-*` fails on a missing object).
        case ifExists = "if-exists"
    }

    public var cmdlet: String
    public var parameters: [Parameter]
    public var condition: Guard
    /// The identity the guard checks with `Get-Recipient`.
    public var identity: String

    public init(_ cmdlet: String, _ parameters: [Parameter], condition: Guard = .always, identity: String) {
        self.cmdlet = cmdlet
        self.parameters = parameters
        self.condition = condition
        self.identity = identity
    }

    /// The call as JSON for `commands.ndjson`.
    public var json: JSONValue {
        [
            "cmdlet": .string(cmdlet),
            "parameters": .array(parameters.map { ["name": .string($0.name), "value": $0.value ?? .null] }),
            "guard": .string(condition.rawValue), "identity": .string(identity),
        ]
    }

    /// Reads the JSON form back (the simulator runs `commands.ndjson`).
    public init?(json: JSONValue) {
        guard let cmdlet = json["cmdlet"]?.stringValue, let identity = json["identity"]?.stringValue,
            let condition = json["guard"]?.stringValue.flatMap(Guard.init(rawValue:))
        else { return nil }
        self.cmdlet = cmdlet
        self.identity = identity
        self.condition = condition
        parameters = (json["parameters"]?.arrayValue ?? []).compactMap { parameter in
            guard let name = parameter["name"]?.stringValue else { return nil }
            let value = parameter["value"]
            return Parameter(name, value?.isNull == true ? nil : value)
        }
    }

    /// The value of parameter `name`.
    public subscript(name: String) -> JSONValue? {
        parameters.first { $0.name == name }?.value
    }
}

/// PowerShell source for Exchange Online invocations.
public enum PowerShell {
    /// A value as a PowerShell literal: strings single-quoted with `'` doubled, control
    /// characters joined in as `[char]N` so one statement stays on one line, lists as
    /// `'a','b'`, Booleans as `$true`/`$false`.
    public static func literal(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return quote(text)
        case .bool(let flag): return flag ? "$true" : "$false"
        case .int(let number): return String(number)
        case .double(let number): return number.description
        case .array(let items): return items.isEmpty ? "@()" : items.map(literal).joined(separator: ",")
        case .null: return "$null"
        case .object: return quote(value.canonicalString)
        }
    }

    /// A string in single quotes, `'` doubled; control characters as `[char]N` outside quotes.
    public static func quote(_ text: String) -> String {
        var pieces: [String] = []
        var run = ""
        var hasControl = false
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                if !run.isEmpty { pieces.append("'" + run + "'") }
                run = ""
                pieces.append("[char]\(scalar.value)")
                hasControl = true
            } else if "'\u{2018}\u{2019}\u{201A}\u{201B}".unicodeScalars.contains(scalar) {
                // PowerShell also ends a single-quoted string at a typographic quote: double it too.
                run.unicodeScalars.append(scalar)
                run.unicodeScalars.append(scalar)
            } else {
                run.unicodeScalars.append(scalar)
            }
        }
        if !run.isEmpty || pieces.isEmpty { pieces.append("'" + run + "'") }
        return hasControl ? "(" + pieces.joined(separator: " + ") + ")" : pieces[0]
    }

    /// One invocation as one line of PowerShell, guarded by an existence check when needed.
    public static func line(_ invocation: ExchangeInvocation) -> String {
        var call = invocation.cmdlet
        for parameter in invocation.parameters {
            call += " -\(parameter.name)"
            if let value = parameter.value {
                if case .bool = value { call += ":" + literal(value) } else { call += " " + literal(value) }
            }
        }
        let probe = "(Get-Recipient -Identity \(quote(invocation.identity)) -ErrorAction SilentlyContinue)"
        switch invocation.condition {
        case .always: return call
        case .unlessExists: return "if (-not \(probe)) { \(call) }"
        case .ifExists: return "if (\(probe)) { \(call) }"
        }
    }
}
