/// Zero-initialised Double and Int32 buffers that live as long as the pool:
/// the workload problems allocate every workspace once, at construction (or
/// on the first Hessian-vector product), and never per call.
final class BufferPool {
    private var doubles: [UnsafeMutablePointer<Double>] = []
    private var indices: [UnsafeMutablePointer<Int32>] = []

    /// `count` zeros (at least one element, so that empty layers stay valid pointers).
    func doubles(_ count: Int) -> UnsafeMutablePointer<Double> {
        let p = UnsafeMutablePointer<Double>.allocate(capacity: max(1, count))
        p.initialize(repeating: 0, count: max(1, count))
        doubles.append(p)
        return p
    }

    func indices(_ count: Int) -> UnsafeMutablePointer<Int32> {
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, count))
        p.initialize(repeating: 0, count: max(1, count))
        indices.append(p)
        return p
    }

    deinit {
        for p in doubles { p.deallocate() }
        for p in indices { p.deallocate() }
    }
}
