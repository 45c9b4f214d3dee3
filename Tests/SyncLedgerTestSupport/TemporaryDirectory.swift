import Foundation

/// A fresh directory under the system's temporary folder, removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
    /// The directory's path.
    public let path: String

    public init(_ prefix: String = "syncledger-test") {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(prefix)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes `text` to a file inside the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        let file = file(name)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }
}
