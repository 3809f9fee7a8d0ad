import OptimizationCore

/// Per-block counting for the Cautious masks: every block of the layout is
/// one row of a ``RowSegments`` plan; pass 1 writes each segment's count of
/// aligned coordinates, ``counts()`` sums them per block (exact: they are
/// integers), pass 2 applies the block's normalised mask.
struct BlockPlan: Sendable {
    private(set) var layout: ParameterLayout?
    private(set) var segments = RowSegments()
    private(set) var blockSizes: [Int] = []
    var partials: [Double] = []
    /// Per block: the value of an aligned coordinate's mask after normalisation.
    var maskValue: [Double] = []

    init() {}

    mutating func prepare(_ layout: ParameterLayout) {
        guard layout != self.layout else { return }
        self.layout = layout
        let blocks = layout.blocks.filter { $0.count > 0 }
        blockSizes = blocks.map(\.count)
        segments = RowSegments(rows: blocks.map { ($0.offset, $0.count) })
        partials = [Double](repeating: 0, count: segments.segmentCount)
        maskValue = [Double](repeating: 0, count: blocks.count)
    }

    /// Number of aligned coordinates per block, from the partials.
    mutating func finish(_ normalise: (_ aligned: Double, _ size: Int) -> Double) {
        let segs = segments
        partials.withUnsafeMutableBufferPointer { p in
            for b in 0..<blockSizes.count {
                let aligned = segs.rowTotal(p.baseAddress!, width: 1, row: b, component: 0)
                maskValue[b] = normalise(aligned, blockSizes[b])
            }
        }
    }

    mutating func withPointers<R>(_ body: (_ partials: SharedPointer, _ maskValue: SharedPointer) -> R) -> R {
        partials.withUnsafeMutableBufferPointer { p in
            maskValue.withUnsafeMutableBufferPointer { v in body(SharedPointer(p), SharedPointer(v)) }
        }
    }
}
