/// Writes canonical JSON (``JSONValue/canonicalBytes``' form) in pieces to a sink, so a
/// large document (a plan's 100,000 commands) is never built as one tree nor held whole.
///
/// The bytes written are exactly the canonical bytes of the equivalent ``JSONValue``.
public struct CanonicalJSONStream {
    private var buffer: [UInt8] = []
    private let sink: ([UInt8]) -> Void
    /// The buffer is handed to the sink once it holds this many bytes.
    private let chunk: Int

    /// - Parameters:
    ///   - chunk: the bytes gathered before they go to the sink (the last piece may be less;
    ///     an array's blocks go to it as they were made, after what was gathered).
    ///   - sink: receives the bytes, in order.
    public init(chunk: Int = 1 << 20, sink: @escaping ([UInt8]) -> Void) {
        self.sink = sink
        self.chunk = max(1, chunk)
        buffer.reserveCapacity(min(self.chunk, 1 << 20) + 4096)
    }

    /// Writes one value.
    public mutating func value(_ value: JSONValue) {
        value.appendCanonical(to: &buffer)
        flushIfFull()
    }

    /// Writes an array of `elements`, each appending its own canonical bytes (the caller
    /// keeps the form: keys in canonical order, strings through
    /// ``JSONValue/appendCanonicalString(_:to:)``), with no tree built.
    ///
    /// The elements' bytes are made on every core: a few blocks of `block` elements at a
    /// time, each into its own buffer, handed to the sink in order (a full plan writes
    /// 100,000 commands). The bytes do not depend on `block`.
    public mutating func array<Element: Sendable>(
        _ elements: [Element], block: Int = 2_048, bytes element: @escaping @Sendable (Element, inout [UInt8]) -> Void
    ) {
        buffer.append(UInt8(ascii: "["))
        let block = max(1, block)
        // Blocks per round: enough for every core, few enough to hold little.
        let round = 4 * block
        var start = 0
        while start < elements.count {
            let firsts = Array(stride(from: start, to: min(elements.count, start + round), by: block))
            let pieces = firsts.concurrentMap(minimumStripe: 1) { first in
                var out: [UInt8] = []
                out.reserveCapacity(block * 256)
                for index in first..<min(first + block, elements.count) {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    element(elements[index], &out)
                }
                return out
            }
            for piece in pieces {
                // Large pieces go to the sink as they are, after what the buffer holds.
                if !buffer.isEmpty {
                    sink(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
                sink(piece)
            }
            start += round
        }
        buffer.append(UInt8(ascii: "]"))
    }

    /// Writes an object whose members' values are written by closures, in canonical key
    /// order (each closure must write exactly one value).
    public mutating func object(_ members: [(key: String, write: (inout CanonicalJSONStream) -> Void)]) {
        buffer.append(UInt8(ascii: "{"))
        for (index, member) in members.sorted(by: { JSONValue.utf8Precedes($0.key, $1.key) }).enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            JSONValue.appendCanonicalString(member.key, to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            member.write(&self)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    /// Writes raw bytes that are not JSON (a newline between documents).
    public mutating func raw(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// Hands what is left to the sink.
    public mutating func finish() {
        if !buffer.isEmpty { sink(buffer) }
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func flushIfFull() {
        guard buffer.count >= chunk else { return }
        sink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
