import Dispatch

/// Splits an element-wise loop over contiguous chunks, one per thread.
///
/// Element-wise updates do not depend on how the index range is cut, so the
/// result is bit-identical for every thread count. Small vectors (below
/// ``minimumParallelCount`` elements) always run on the calling thread,
/// because waking a second core costs more than the loop.
enum ParallelLoop {
    /// Below this many elements a step runs on one thread.
    static let minimumParallelCount = 1 << 16

    /// Calls `body` with disjoint ranges covering `0..<count`, on up to
    /// `threads` cores. Chunk boundaries are multiples of 8 elements (whole
    /// cache lines) except the last.
    @inline(__always)
    static func run(count: Int, threads: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let parts = threads > 1 && count >= minimumParallelCount ? threads : 1
        if parts == 1 {
            runChunk(body, 0..<count)
            return
        }
        let chunk = ((count + parts - 1) / parts + 7) & ~7
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let start = Swift.min(part * chunk, count)
            let end = Swift.min(start + chunk, count)
            if start < end { body(start..<end) }
        }
    }

    /// Calls the loop body out of line: inlined into the optimizer's `update`,
    /// LLVM left several square-root/division loops scalar (measured 2–5×
    /// slower on one thread); as a separate function they vectorize, as they
    /// do on the multi-threaded path.
    @inline(never)
    static func runChunk(_ body: @Sendable (Range<Int>) -> Void, _ range: Range<Int>) {
        body(range)
    }

    /// The single-thread path of ``forEach``, out of line for the reason given at ``runChunk``.
    @inline(never)
    static func runItems(_ body: @Sendable (Int) -> Void, _ items: Range<Int>) {
        for i in items { body(i) }
    }

    /// Runs `body(i)` for `i` in `0..<items` on up to `threads` cores
    /// (contiguous runs of items per core). Used for per-segment reductions
    /// whose partial results are combined afterwards in a fixed order.
    @inline(__always)
    static func forEach(items: Int, threads: Int, totalWork: Int, _ body: @Sendable (Int) -> Void) {
        let parts = threads > 1 && totalWork >= minimumParallelCount ? Swift.min(threads, items) : 1
        if parts <= 1 {
            runItems(body, 0..<items)
            return
        }
        let per = (items + parts - 1) / parts
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let start = Swift.min(part * per, items)
            let end = Swift.min(start + per, items)
            for i in start..<end { body(i) }
        }
    }
}

/// Unsafe pointers handed to the worker threads of one step. The chunks they
/// touch are disjoint, which is what makes sharing them sound.
struct SharedPointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
    init(_ buffer: UnsafeMutableBufferPointer<Double>) {
        base = buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!
    }
    init(_ base: UnsafeMutablePointer<Double>) { self.base = base }
    func advanced(by n: Int) -> SharedPointer { SharedPointer(base + n) }
    init(_ buffer: UnsafeBufferPointer<Double>) {
        base = UnsafeMutablePointer(mutating: buffer.baseAddress ?? UnsafePointer(bitPattern: 8)!)
    }
}

/// Takes the parameter and gradient buffers once for a whole step.
@inline(__always)
func withParameters<R>(_ x: inout [Double], _ g: [Double], _ body: (SharedPointer, SharedPointer) -> R) -> R {
    x.withUnsafeMutableBufferPointer { xb in
        g.withUnsafeBufferPointer { gb in body(SharedPointer(xb), SharedPointer(gb)) }
    }
}

/// Stops with a one-line message when the gradient does not match the
/// parameters (a programming error in the caller's loop).
@inline(__always)
func checkSizes(_ owner: String, _ x: [Double], _ g: [Double]) {
    precondition(g.count == x.count, "\(owner): gradient has \(g.count) elements, parameters \(x.count)")
}
