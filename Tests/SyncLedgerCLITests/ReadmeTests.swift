import Foundation
import SyncLedgerDomain
import Testing

@Suite("README")
struct ReadmeTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("the README's capability matrix is the one the code enforces (regenerate with `syncledger mode matrix`)")
    func matrixInSync() throws {
        let readme = try String(contentsOf: Self.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = try #require(readme.range(of: "<!-- capability-matrix:begin -->\n"))
        let end = try #require(readme.range(of: "<!-- capability-matrix:end -->"))
        #expect(String(readme[begin.upperBound..<end.lowerBound]) == CapabilityMatrix.markdownTable())
    }
}
