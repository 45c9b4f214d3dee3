/// A one-line progress bar on standard error, drawn only when it is a terminal.
final class ProgressBar {
    private let label: String
    private let sink = OutputSink.standardError
    private let enabled: Bool
    private var drawn = false

    init(label: String) {
        self.label = label
        enabled = OutputSink.standardError.isTerminal
    }

    /// Redraws the bar for `done` of `total`.
    func update(_ done: Int64, _ total: Int64) {
        guard enabled, total > 0 else { return }
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        sink.write("\r\(label) [\(String(repeating: "#", count: filled))\(String(repeating: " ", count: width - filled))] \(done)/\(total)")
        sink.flush()
        drawn = true
    }

    /// Ends the bar's line.
    func finish() {
        guard drawn else { return }
        sink.line()
        sink.flush()
    }
}
