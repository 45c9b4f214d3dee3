#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files written with restricted permissions.
enum SecretFile {
    /// Why a file could not be written.
    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    /// Creates `path` with mode `mode` (never more open than 0600 for a key) and writes `bytes`.
    /// Refuses to overwrite an existing file unless `replace`.
    static func create(_ path: String, bytes: [UInt8], mode: mode_t = 0o600, replace: Bool = false) throws {
        var flags = O_WRONLY | O_CREAT | O_TRUNC
        if !replace { flags |= O_EXCL }
        let fd = open(path, flags, mode)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw WriteError(description: "cannot create \(path): \(reason)\(errno == EEXIST ? " (choose another --out, or remove it first)" : "")")
        }
        defer { close(fd) }
        _ = fchmod(fd, mode)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in write(fd, raw.baseAddress! + offset, raw.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw WriteError(description: "cannot write \(path): \(reason)")
            }
            offset += written
        }
        guard fsync(fd) == 0 else {
            throw WriteError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The bytes of `path` (at most 1 MiB: keys and checkpoints are small).
    static func contents(of path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw WriteError(description: "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { raw in read(fd, raw.baseAddress!, raw.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw WriteError(description: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return out }
            out.append(contentsOf: chunk[0..<count])
            if out.count > 1 << 20 { throw WriteError(description: "\(path) is larger than 1 MiB: not a key or checkpoint file") }
        }
    }
}
