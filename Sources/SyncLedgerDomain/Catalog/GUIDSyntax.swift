/// The text form of a GUID (`8-4-4-4-12` hex digits), checked and lowercased without Foundation.
enum GUIDSyntax {
    /// `text` in lowercase when it is a GUID, nil otherwise.
    static func normalized(_ text: String) -> String? {
        var hasUpper = false
        var count = 0
        for byte in text.utf8 {
            switch count {
            case 8, 13, 18, 23:
                guard byte == UInt8(ascii: "-") else { return nil }
            default:
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): break
                case UInt8(ascii: "A")...UInt8(ascii: "F"): hasUpper = true
                default: return nil
                }
            }
            count += 1
            if count > 36 { return nil }
        }
        guard count == 36 else { return nil }
        return hasUpper ? String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x46 ? $0 + 0x20 : $0 }, as: UTF8.self) : text
    }
}
