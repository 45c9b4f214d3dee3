/// When a plan holds destructive commands back: more than `count` of one kind, or more than
/// `percent` of the objects of that kind.
public struct DestructiveThreshold: Sendable, Hashable {
    public var count: Int
    public var percent: Int

    public init(count: Int, percent: Int) {
        self.count = count
        self.percent = percent
    }

    /// 50 of any kind, or 10% of the objects of that kind.
    public static let `default` = DestructiveThreshold(count: 50, percent: 10)

    /// Whether `destructive` commands against a population of `total` objects cross the line.
    public func isExceeded(by destructive: Int, of total: Int) -> Bool {
        guard destructive > 0 else { return false }
        if destructive > count { return true }
        return total > 0 && destructive * 100 > total * percent
    }
}
