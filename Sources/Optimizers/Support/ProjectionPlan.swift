import CShims
import OptimizationCore

/// The per-layout bookkeeping of AdamP/SGDP's projection (clovaai/AdamP):
/// which blocks are 1-D (never projected), the channel-view rows of the
/// others, the per-segment partial sums of a step, and the decision taken.
///
/// Pass 1 of a step writes, for every segment of every channel row, the four
/// partial sums ⟨G,W⟩, ‖G‖², ‖W‖², ⟨W,P⟩ (P = the unprojected update).
/// ``decide(delta:eps:)`` then runs the official test per block — channel
/// view first (every row's |cos| below δ/√rowLength), else the layer view
/// (one row: the whole tensor, threshold δ/√count), else no projection —
/// and records per row the projection coefficient ⟨Ŵ,P⟩ and the divisor
/// ‖W‖ + ε of Ŵ = W/(‖W‖ + ε), and per block the decay ratio.
struct ProjectionPlan: Sendable {
    static let width = 4

    private(set) var layout: ParameterLayout?
    /// Ranges of 1-D blocks: updated without projection.
    private(set) var flatRanges: [Range<Int>] = []
    /// Channel rows of the multi-dimensional blocks.
    private(set) var segments = RowSegments()
    /// For each multi-dimensional block: its rows and its row length.
    private(set) var blockRows: [Range<Int>] = []
    private(set) var blockRowLength: [Int] = []
    private(set) var blockCount: [Int] = []
    /// Partial sums, `segmentCount × width`.
    var partials: [Double] = []
    /// Per row: projection coefficient (0 when not projected), and ‖W‖ + ε.
    var rowCoefficient: [Double] = []
    var rowNormPlusEps: [Double] = []
    /// Per row: true when its block is projected.
    var rowProjected: [Bool] = []
    /// Per row: the decay ratio of its block (wd_ratio or 1).
    var rowRatio: [Double] = []
    /// The branch of each multi-dimensional block after the last step.
    private(set) var branches: [Branch] = []

    enum Branch: String, Sendable { case none, channel, layer }

    init() {}

    /// Rebuilds the plan when the layout changes (not on ordinary steps).
    mutating func prepare(_ layout: ParameterLayout) {
        guard layout != self.layout else { return }
        self.layout = layout
        flatRanges = []
        blockRows = []
        blockRowLength = []
        blockCount = []
        var rows: [(offset: Int, length: Int)] = []
        for b in layout.blocks where b.count > 0 {
            if b.isMultiDimensional {
                blockRows.append(rows.count..<(rows.count + b.rows))
                blockRowLength.append(b.rowLength)
                blockCount.append(b.count)
                for r in 0..<b.rows { rows.append((b.offset + r * b.rowLength, b.rowLength)) }
            } else {
                flatRanges.append(b.range)
            }
        }
        segments = RowSegments(rows: rows)
        partials = [Double](repeating: 0, count: segments.segmentCount * Self.width)
        rowCoefficient = [Double](repeating: 0, count: rows.count)
        rowNormPlusEps = [Double](repeating: 1, count: rows.count)
        rowProjected = [Bool](repeating: false, count: rows.count)
        rowRatio = [Double](repeating: 1, count: rows.count)
        branches = [Branch](repeating: .none, count: blockRows.count)
    }

    /// The official test and projection coefficients, from the partials.
    mutating func decide(delta: Double, wdRatio: Double, eps: Double) {
        let segs = segments
        partials.withUnsafeMutableBufferPointer { pb in
            let p = pb.baseAddress!
            func total(_ r: Int, _ k: Int) -> Double { segs.rowTotal(p, width: Self.width, row: r, component: k) }
            func cosine(_ gw: Double, _ gg: Double, _ ww: Double) -> Double {
                Swift.abs(gw) / (Swift.max(optlab_sqrt(gg), eps) * Swift.max(optlab_sqrt(ww), eps))
            }
            for b in 0..<blockRows.count {
                let rows = blockRows[b]
                var channelMax = 0.0
                var layer = (gw: 0.0, gg: 0.0, ww: 0.0, wp: 0.0)
                for r in rows {
                    let (gw, gg, ww, wp) = (total(r, 0), total(r, 1), total(r, 2), total(r, 3))
                    channelMax = Swift.max(channelMax, cosine(gw, gg, ww))
                    layer = (layer.gw + gw, layer.gg + gg, layer.ww + ww, layer.wp + wp)
                }
                var branch = Branch.none
                if channelMax < delta / Double(blockRowLength[b]).squareRoot() {
                    branch = .channel
                    for r in rows {
                        let normPlusEps = optlab_sqrt(total(r, 2)) + eps
                        rowNormPlusEps[r] = normPlusEps
                        rowCoefficient[r] = total(r, 3) / normPlusEps
                    }
                } else if cosine(layer.gw, layer.gg, layer.ww) < delta / Double(blockCount[b]).squareRoot() {
                    branch = .layer
                    let normPlusEps = optlab_sqrt(layer.ww) + eps
                    for r in rows {
                        rowNormPlusEps[r] = normPlusEps
                        rowCoefficient[r] = layer.wp / normPlusEps
                    }
                }
                branches[b] = branch
                for r in rows {
                    rowProjected[r] = branch != .none
                    rowRatio[r] = branch != .none ? wdRatio : 1
                    if branch == .none { rowCoefficient[r] = 0 }
                }
            }
        }
    }
}

/// Row-level values of a decided plan, readable from worker threads.
struct ProjectionRows: @unchecked Sendable {
    let coefficient: UnsafePointer<Double>
    let normPlusEps: UnsafePointer<Double>
    let projected: UnsafePointer<Bool>
    let ratio: UnsafePointer<Double>
    let partials: UnsafeMutablePointer<Double>
}

extension ProjectionPlan {
    /// Pointers for pass 1 (partials) and pass 2 (row values).
    mutating func withRows<R>(_ body: (ProjectionRows) -> R) -> R {
        // Taken once per pass: the arrays are not resized during a step.
        let c = rowCoefficient, n = rowNormPlusEps, pr = rowProjected, ra = rowRatio
        return c.withUnsafeBufferPointer { cb in
            n.withUnsafeBufferPointer { nb in
                pr.withUnsafeBufferPointer { pb in
                    ra.withUnsafeBufferPointer { rb in
                        partials.withUnsafeMutableBufferPointer { partb in
                            body(ProjectionRows(
                                coefficient: cb.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                normPlusEps: nb.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                projected: pb.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                ratio: rb.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                partials: partb.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!))
                        }
                    }
                }
            }
        }
    }
}
