#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file (or standard input) line by line with bounded memory.
///
/// A line longer than ``maximumLineLength`` is reported, not buffered: a 1 GB line costs
/// one megabyte. Lines end at `\n`; a `\r` before it is dropped (CRLF files).
public final class LineReader {
    /// The longest line kept, in bytes.
    public static let defaultMaximumLineLength = 1 << 20

    /// One line read.
    public enum Line {
        /// The line's bytes, without its terminator.
        case text(ArraySlice<UInt8>)
        /// The line was longer than the limit; its bytes were skipped.
        case tooLong(length: Int)
    }

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let maximumLineLength: Int
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var atEOF = false
    /// Where the search for the next newline resumes: bytes before it hold none, so each byte
    /// is scanned once however many reads a long line takes.
    private var scanned = 0
    /// The 1-based number of the last line returned.
    public private(set) var lineNumber = 0

    /// Opens `path`, or standard input when `path` is `-`.
    public init(path: String, maximumLineLength: Int = LineReader.defaultMaximumLineLength) throws(IngestError) {
        if path == "-" {
            descriptor = 0
            ownsDescriptor = false
        } else {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                let reason = String(cString: strerror(errno))
                throw IngestError(.unreadableFile, file: path, line: nil, field: nil, "cannot open the file: \(reason)")
            }
            descriptor = fd
            ownsDescriptor = true
        }
        self.maximumLineLength = maximumLineLength
        buffer = [UInt8](repeating: 0, count: 1 << 16)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// The index of the first newline in the unscanned bytes, found with `memchr`; marks
    /// everything up to `end` scanned when there is none.
    private func newlineIndex() -> Int? {
        let from = max(start, scanned)
        guard from < end else { return nil }
        let found = buffer.withUnsafeBytes { raw -> Int? in
            guard let hit = memchr(raw.baseAddress! + from, 0x0A, end - from) else { return nil }
            return raw.baseAddress!.distance(to: UnsafeRawPointer(hit))
        }
        if found == nil { scanned = end }
        return found
    }

    /// The next line, or nil at the end of the input.
    public func next() throws(IngestError) -> Line? {
        var skipping = 0
        while true {
            if let newline = newlineIndex() {
                let lineStart = start
                start = newline + 1
                scanned = start
                lineNumber += 1
                if skipping > 0 || newline - lineStart > maximumLineLength {
                    return .tooLong(length: skipping + newline - lineStart)
                }
                var lineEnd = newline
                if lineEnd > lineStart, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                return .text(buffer[lineStart..<lineEnd])
            }
            if atEOF {
                guard start < end || skipping > 0 else { return nil }
                let lineStart = start
                start = end
                scanned = end
                lineNumber += 1
                if skipping > 0 || end - lineStart > maximumLineLength {
                    return .tooLong(length: skipping + end - lineStart)
                }
                var lineEnd = end
                if buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                return .text(buffer[lineStart..<lineEnd])
            }
            // Make room: move the partial line to the front, grow up to the limit, or skip.
            if start > 0 {
                buffer.replaceSubrange(0..<(end - start), with: buffer[start..<end])
                end -= start
                scanned -= start
                start = 0
            }
            if end > maximumLineLength {
                skipping += end
                end = 0
                scanned = 0
            } else if end == buffer.count {
                buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
            }
            let count = buffer.withUnsafeMutableBytes { raw in
                read(descriptor, raw.baseAddress! + end, raw.count - end)
            }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw IngestError(.unreadableFile, file: nil, line: lineNumber + 1, field: nil, "read failed: \(reason)")
            }
            if count == 0 { atEOF = true } else { end += count }
        }
    }
}
