import Dispatch

// MARK: - Mapping on every core

extension Array {
    /// The elements transformed by `transform`, in order, computed on every core.
    ///
    /// The array is cut into contiguous stripes of at least `minimumStripe` elements, which
    /// Dispatch runs on its worker threads and the caller's. Small arrays are mapped on the
    /// calling thread. `transform` must not touch shared mutable state: each call sees one
    /// element and returns its own result.
    public func concurrentMap<T>(minimumStripe: Int = 256, _ transform: @Sendable (Element) -> T) -> [T] {
        let stripes = Swift.min(Self.maximumStripes, count / Swift.max(minimumStripe, 1))
        guard stripes > 1 else { return map(transform) }
        let perStripe = (count + stripes - 1) / stripes
        return [T](unsafeUninitializedCapacity: count) { results, initialized in
            withUnsafeBufferPointer { elements in
                // Each stripe reads its own elements and initialises its own results.
                nonisolated(unsafe) let (elements, results) = (elements, results)
                DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
                    let start = stripe * perStripe
                    for index in start..<Swift.min(start + perStripe, elements.count) {
                        (results.baseAddress! + index).initialize(to: transform(elements[index]))
                    }
                }
            }
            initialized = count
        }
    }

    /// More stripes than cores let a fast thread take another while a slow one finishes.
    private static var maximumStripes: Int { 16 }
}
