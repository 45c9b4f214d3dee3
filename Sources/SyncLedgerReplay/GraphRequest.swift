public import SyncLedgerDomain

/// One request of a Microsoft Graph JSON `$batch`.
public struct GraphRequest: Sendable, Equatable {
    /// The command id.
    public var id: String
    public var method: String
    /// Relative to `https://graph.microsoft.com/v1.0`, path segments percent-encoded.
    public var url: String
    public var headers: [String: String]
    public var body: JSONValue?
    /// Ids of earlier requests in the same batch this one waits for.
    public var dependsOn: [String]

    /// The request as it goes in a `$batch` body.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["id": .string(id), "method": .string(method), "url": .string(url)]
        if !headers.isEmpty { members["headers"] = .object(headers.mapValues(JSONValue.string)) }
        if let body { members["body"] = body }
        if !dependsOn.isEmpty { members["dependsOn"] = .array(dependsOn.map(JSONValue.string)) }
        return .object(members)
    }
}

/// Percent-encoding for the parts of a Graph URL.
public enum URLComponent {
    /// Encodes a path segment: everything but unreserved characters (RFC 3986) and `@`.
    public static func pathSegment(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "@"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    /// An OData string literal for a key (`'` doubled), percent-encoded for a path.
    public static func odataKey(_ text: String) -> String {
        "'" + pathSegment(text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''")) + "'"
    }
}
