#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writing to standard output or standard error, for output of any size.
/// The CLI writes from one thread; the buffer is not shared across threads.
final class OutputSink: @unchecked Sendable {
    private let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Standard output.
    static let standardOutput = OutputSink(descriptor: 1)
    /// Standard error.
    static let standardError = OutputSink(descriptor: 2)

    /// A sink writing to `descriptor`, which stays open (the caller closes it).
    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(1 << 16)
    }

    deinit { flush() }

    /// Writes `text` followed by a newline.
    func line(_ text: String = "") {
        write(text)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes `text`.
    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes raw bytes.
    func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Sends what is buffered.
    func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                break
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Whether the descriptor is a terminal.
    var isTerminal: Bool { isatty(descriptor) != 0 }
}
