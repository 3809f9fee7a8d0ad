/// The per-parameter buffers of an optimizer (m, v, …) stored back to back in
/// one array, so a step takes a single `withUnsafeMutableBufferPointer` for
/// all of them. Buffer k occupies `k·count ..< (k+1)·count`.
struct StateSlab: Sendable {
    private(set) var storage: [Double] = []
    private(set) var count = 0
    let buffers: Int

    init(buffers: Int) { self.buffers = buffers }

    /// Zero-filled buffers for `count` parameters; returns true when they
    /// were (re)created, i.e. on the first step or after the size changed.
    mutating func prepare(count: Int) -> Bool {
        guard count != self.count || storage.isEmpty && buffers > 0 && count > 0 else { return false }
        self.count = count
        storage = [Double](repeating: 0, count: count * buffers)
        return true
    }

    /// A copy of buffer k (for inspection and tests; empty before the first step).
    func buffer(_ k: Int) -> [Double] {
        storage.isEmpty ? [] : Array(storage[(k * count)..<((k + 1) * count)])
    }

    /// Runs `body` with a pointer to the start of each buffer (buffer k at
    /// `pointers(k)`); no allocation.
    mutating func withPointers<R>(_ body: (_ buffer: (Int) -> SharedPointer) -> R) -> R {
        let n = count
        return storage.withUnsafeMutableBufferPointer { all in
            let base = SharedPointer(all)
            return body { k in base.advanced(by: k * n) }
        }
    }
}
