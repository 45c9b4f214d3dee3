import Foundation

/// Reads LDIF (RFC 2849) into records: `version:`, comments, folded lines (a line starting
/// with one space continues the previous one), base64 values (`::`), content records and
/// change records (`changetype: add|modify|delete|modrdn|moddn`, with `add:` / `delete:` /
/// `replace:` blocks ended by `-`).
///
/// Values given by URL (`:<`) and `control:` lines are refused: the importer only reads what
/// is in the file. Errors name the line and the attribute.
public struct LDIFParser {
    /// One logical line: unfolded text and the physical line it starts on.
    private struct Line {
        var text: String
        var number: Int
    }

    public init() {}

    /// The records of the file at `path` (`-`: standard input).
    public func records(_ path: String) throws(IngestError) -> [LDIFRecord] {
        try records(bytes: JSONInput.contents(path), file: path)
    }

    /// The records of `bytes`.
    public func records(bytes: [UInt8], file: String) throws(IngestError) -> [LDIFRecord] {
        var records: [LDIFRecord] = []
        var block: [Line] = []
        for line in Self.logicalLines(bytes) {
            if line.text.isEmpty {
                if !block.isEmpty, let record = try record(block, file: file) { records.append(record) }
                block = []
            } else {
                block.append(line)
            }
        }
        if !block.isEmpty, let record = try record(block, file: file) { records.append(record) }
        return records
    }

    // MARK: - Lines

    /// Physical lines unfolded, comments dropped (with their continuations), CRLF accepted.
    private static func logicalLines(_ bytes: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var number = 0
        var inComment = false
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            number += 1
            var slice = bytes[start..<end]
            if slice.last == 0x0D { slice = slice.dropLast() }
            start = end + 1
            if slice.first == 0x20 {
                if inComment { continue }
                if !lines.isEmpty, !lines[lines.count - 1].text.isEmpty {
                    lines[lines.count - 1].text += String(decoding: slice.dropFirst(), as: UTF8.self)
                    continue
                }
            }
            inComment = slice.first == UInt8(ascii: "#")
            if inComment { continue }
            lines.append(Line(text: String(decoding: slice, as: UTF8.self), number: number))
        }
        return lines
    }

    // MARK: - Records

    /// One record; nil for a block that is only the `version:` line.
    private func record(_ block: [Line], file: String) throws(IngestError) -> LDIFRecord? {
        var values: [LDIFRecord.Value] = []
        for line in block {
            values.append(try Self.value(line, file: file))
        }
        if values.first?.name.lowercased() == "version" { values.removeFirst() }
        if values.isEmpty { return nil }
        guard let dn = values.first, dn.name.lowercased() == "dn" else {
            throw IngestError(.invalidField, file: file, line: block.first?.number, field: "dn", "a record must start with dn:")
        }
        var rest = Array(values.dropFirst())
        if let control = rest.first(where: { $0.name.lowercased() == "control" }) {
            throw IngestError(.unsupportedFormat, file: file, line: control.line, field: "control", "LDAP controls are not read")
        }
        guard let first = rest.first, first.name.lowercased() == "changetype" else {
            return LDIFRecord(dn: dn.text, line: dn.line, change: .content(rest, isAdd: false))
        }
        rest.removeFirst()
        func fail(_ value: LDIFRecord.Value?, _ field: String, _ message: String) -> IngestError {
            IngestError(.invalidField, file: file, line: value?.line ?? first.line, field: field, message)
        }
        switch first.text.lowercased() {
        case "add":
            return LDIFRecord(dn: dn.text, line: dn.line, change: .content(rest, isAdd: true))
        case "delete":
            if let extra = rest.first { throw fail(extra, extra.name, "a delete record has nothing after changetype") }
            return LDIFRecord(dn: dn.text, line: dn.line, change: .delete)
        case "modrdn", "moddn":
            var newRDN: String?
            var deleteOld = true
            var superior: String?
            for value in rest {
                switch value.name.lowercased() {
                case "newrdn": newRDN = value.text
                case "deleteoldrdn":
                    guard value.text == "0" || value.text == "1" else { throw fail(value, "deleteoldrdn", "must be 0 or 1") }
                    deleteOld = value.text == "1"
                case "newsuperior": superior = value.text
                default: throw fail(value, value.name, "a modrdn record has newrdn, deleteoldrdn and newsuperior only")
                }
            }
            guard let newRDN, !newRDN.isEmpty else { throw fail(nil, "newrdn", "a modrdn record needs newrdn") }
            return LDIFRecord(dn: dn.text, line: dn.line, change: .modRDN(newRDN: newRDN, deleteOldRDN: deleteOld, newSuperior: superior))
        case "modify":
            var modifications: [LDIFRecord.Modification] = []
            var current: LDIFRecord.Modification?
            for value in rest {
                if value.name == "-" {
                    guard let done = current else { throw fail(value, "-", "a - separator must close an add:, delete: or replace: block") }
                    modifications.append(done)
                    current = nil
                } else if let open = current {
                    guard value.name.lowercased() == open.attribute.lowercased() else {
                        throw fail(value, value.name, "a value inside a \(open.kind.rawValue): block must be of its attribute; close the block with -")
                    }
                    current!.values.append(value)
                } else {
                    guard let kind = LDIFRecord.Modification.Kind(rawValue: value.name.lowercased()) else {
                        throw fail(value, value.name, "a modify record is made of add:, delete: and replace: blocks")
                    }
                    current = LDIFRecord.Modification(kind: kind, attribute: value.text, values: [], line: value.line)
                }
            }
            if let open = current { modifications.append(open) }
            return LDIFRecord(dn: dn.text, line: dn.line, change: .modify(modifications))
        default:
            throw fail(first, "changetype", "must be add, modify, delete, modrdn or moddn")
        }
    }

    /// `name: value`, `name:: base64`, or `-`.
    private static func value(_ line: Line, file: String) throws(IngestError) -> LDIFRecord.Value {
        if line.text == "-" { return LDIFRecord.Value(name: "-", text: "", base64: nil, line: line.number) }
        guard let colon = line.text.firstIndex(of: ":") else {
            throw IngestError(.invalidField, file: file, line: line.number, field: nil, "a line must be name: value")
        }
        var name = String(line.text[..<colon])
        if let semicolon = name.firstIndex(of: ";") { name = String(name[..<semicolon]) }
        var rest = line.text[line.text.index(after: colon)...]
        if rest.first == ":" {
            rest = rest.dropFirst()
            let encoded = String(rest.filter { $0 != " " })
            guard let data = Data(base64Encoded: encoded) else {
                throw IngestError(.invalidField, file: file, line: line.number, field: name, "the base64 value (::) does not decode")
            }
            return LDIFRecord.Value(
                name: name, text: String(decoding: data, as: UTF8.self), base64: encoded, line: line.number)
        }
        if rest.first == "<" {
            throw IngestError(.unsupportedFormat, file: file, line: line.number, field: name, "values by URL (:<) are not read")
        }
        while rest.first == " " { rest = rest.dropFirst() }
        return LDIFRecord.Value(name: name, text: String(rest), base64: nil, line: line.number)
    }
}
