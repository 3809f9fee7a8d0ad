/// A deterministic, parallel plan for per-row reductions over a flat vector.
///
/// Rows (a tensor's channel-view rows for AdamP/SGDP, whole tensors for the
/// Cautious masks) are cut into segments of at most ``maximumSegment``
/// elements; each segment's partial sums go to their own slots, and a row's
/// total is the sum of its segments' partials in segment order. Segments are
/// grouped into work items of roughly equal size for the cores, but the
/// grouping never changes a partial, so totals are bit-identical for every
/// thread count. Built once per layout; a step allocates nothing.
struct RowSegments: Sendable {
    static let maximumSegment = 16_384

    /// Segment s covers `start[s] ..< end[s]` of the flat vector and belongs to row `row[s]`.
    private(set) var start: [Int] = []
    private(set) var end: [Int] = []
    private(set) var row: [Int] = []
    /// First segment of each row, plus a sentinel.
    private(set) var rowFirstSegment: [Int] = [0]
    /// First segment of each work item, plus a sentinel.
    private(set) var workFirstSegment: [Int] = [0]
    private(set) var elementCount = 0

    var rowCount: Int { rowFirstSegment.count - 1 }
    var segmentCount: Int { start.count }

    init() {}

    /// Rows given as (offset, length) in the flat vector, in increasing order.
    init(rows: [(offset: Int, length: Int)]) {
        for (r, spec) in rows.enumerated() {
            var s = spec.offset
            let stop = spec.offset + spec.length
            repeat {
                let e = Swift.min(stop, s + Self.maximumSegment)
                start.append(s)
                end.append(e)
                row.append(r)
                s = e
            } while s < stop
            rowFirstSegment.append(start.count)
            elementCount += spec.length
        }
        var work = 0
        for s in 0..<start.count {
            work += end[s] - start[s]
            if work >= Self.maximumSegment || s == start.count - 1 {
                workFirstSegment.append(s + 1)
                work = 0
            }
        }
    }

    /// Runs `body(segment, start, end, row)` for every segment, spread over
    /// up to `threads` cores by work item.
    func forEachSegment(threads: Int, _ body: @Sendable (_ segment: Int, _ start: Int, _ end: Int, _ row: Int) -> Void) {
        start.withUnsafeBufferPointer { sp in
            end.withUnsafeBufferPointer { ep in
                row.withUnsafeBufferPointer { rp in
                    workFirstSegment.withUnsafeBufferPointer { wp in
                        let plan = SegmentPointers(start: sp.baseAddress, end: ep.baseAddress, row: rp.baseAddress,
                                                   work: wp.baseAddress)
                        ParallelLoop.forEach(items: wp.count - 1, threads: threads, totalWork: elementCount) { w in
                            for s in plan.work![w]..<plan.work![w + 1] {
                                body(s, plan.start![s], plan.end![s], plan.row![s])
                            }
                        }
                    }
                }
            }
        }
    }

    /// Σ over the segments of row r of `partials[s·width + k]`, in segment order.
    @inline(__always)
    func rowTotal(_ partials: UnsafeMutablePointer<Double>, width: Int, row r: Int, component k: Int) -> Double {
        var total = 0.0
        for s in rowFirstSegment[r]..<rowFirstSegment[r + 1] { total += partials[s * width + k] }
        return total
    }
}

private struct SegmentPointers: @unchecked Sendable {
    let start: UnsafePointer<Int>?
    let end: UnsafePointer<Int>?
    let row: UnsafePointer<Int>?
    let work: UnsafePointer<Int>?
}
