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

    /// How a row is updated after a cosine pre-pass (``decideBranches``).
    enum RowMode: UInt8, Sendable { case plain, fusedRow, twoPass }

    /// Per row: its update path (``decide`` marks every row `twoPass`).
    var rowMode: [RowMode] = []

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
        rowMode = [RowMode](repeating: .twoPass, count: rows.count)
        branches = [Branch](repeating: .none, count: blockRows.count)
    }

    /// The official test and projection coefficients, from the partials
    /// (all four sums of every segment): pass 1 / decide / pass 2.
    mutating func decide(delta: Double, wdRatio: Double, eps: Double) {
        for b in 0..<blockRows.count {
            let branch = testBranch(block: b, delta: delta, eps: eps)
            record(branch, block: b, wdRatio: wdRatio, fuse: false)
            fillCoefficients(block: b, eps: eps)
        }
    }

    /// The test alone, from ⟨G,W⟩, ‖G‖², ‖W‖² (components 0–2, which depend
    /// on the inputs only): what a cosine pre-pass allows. Unprojected blocks
    /// become `plain` (one fused AdamW-like pass), channel-projected blocks
    /// whose rows fit one segment become `fusedRow` (moments, ⟨W,P⟩ and the
    /// step on one cache-resident row), the rest `twoPass`; call
    /// ``fillTwoPassCoefficients(eps:)`` after their pass 1.
    mutating func decideBranches(delta: Double, wdRatio: Double, eps: Double) {
        for b in 0..<blockRows.count {
            record(testBranch(block: b, delta: delta, eps: eps), block: b, wdRatio: wdRatio, fuse: true)
        }
    }

    /// True when some row needs the global two-pass path.
    var hasTwoPassRows: Bool {
        // An index loop: the generic `contains` allocates in unoptimised builds.
        rowMode.withUnsafeBufferPointer { modes in
            for r in 0..<modes.count where modes[r] == .twoPass { return true }
            return false
        }
    }

    /// Coefficients of the `twoPass` blocks, from their complete partials.
    mutating func fillTwoPassCoefficients(eps: Double) {
        for b in 0..<blockRows.count where rowMode[blockRows[b].lowerBound] == .twoPass {
            fillCoefficients(block: b, eps: eps)
        }
    }

    private func total(_ r: Int, _ k: Int) -> Double {
        partials.withUnsafeBufferPointer { pb in
            segments.rowTotal(UnsafeMutablePointer(mutating: pb.baseAddress!), width: Self.width, row: r, component: k)
        }
    }

    private static func cosine(_ gw: Double, _ gg: Double, _ ww: Double, eps: Double) -> Double {
        Swift.abs(gw) / (Swift.max(optlab_sqrt(gg), eps) * Swift.max(optlab_sqrt(ww), eps))
    }

    /// Channel view first (every row's |cos| below δ/√rowLength), else the
    /// layer view (threshold δ/√count), else no projection.
    private func testBranch(block b: Int, delta: Double, eps: Double) -> Branch {
        var channelMax = 0.0
        var layer = (gw: 0.0, gg: 0.0, ww: 0.0)
        for r in blockRows[b] {
            let (gw, gg, ww) = (total(r, 0), total(r, 1), total(r, 2))
            channelMax = Swift.max(channelMax, Self.cosine(gw, gg, ww, eps: eps))
            layer = (layer.gw + gw, layer.gg + gg, layer.ww + ww)
        }
        if channelMax < delta / Double(blockRowLength[b]).squareRoot() { return .channel }
        if Self.cosine(layer.gw, layer.gg, layer.ww, eps: eps) < delta / Double(blockCount[b]).squareRoot() { return .layer }
        return .none
    }

    private mutating func record(_ branch: Branch, block b: Int, wdRatio: Double, fuse: Bool) {
        branches[b] = branch
        let mode: RowMode = !fuse ? .twoPass
            : branch == .none ? .plain
            : branch == .channel && blockRowLength[b] <= RowSegments.maximumSegment ? .fusedRow : .twoPass
        for r in blockRows[b] {
            rowProjected[r] = branch != .none
            rowRatio[r] = branch != .none ? wdRatio : 1
            rowCoefficient[r] = 0
            rowNormPlusEps[r] = 1
            rowMode[r] = mode
        }
    }

    /// ⟨Ŵ,P⟩ and ‖W‖ + ε per row (channel) or per block (layer), from the
    /// complete partials including ⟨W,P⟩ (component 3).
    private mutating func fillCoefficients(block b: Int, eps: Double) {
        let rows = blockRows[b]
        switch branches[b] {
        case .none:
            return
        case .channel:
            for r in rows {
                let normPlusEps = optlab_sqrt(total(r, 2)) + eps
                rowNormPlusEps[r] = normPlusEps
                rowCoefficient[r] = total(r, 3) / normPlusEps
            }
        case .layer:
            var ww = 0.0, wp = 0.0
            for r in rows { ww += total(r, 2); wp += total(r, 3) }
            let normPlusEps = optlab_sqrt(ww) + eps
            for r in rows {
                rowNormPlusEps[r] = normPlusEps
                rowCoefficient[r] = wp / normPlusEps
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
    let mode: UnsafePointer<ProjectionPlan.RowMode>
    let partials: UnsafeMutablePointer<Double>
}

extension ProjectionPlan {
    /// Pointers for pass 1 (partials) and pass 2 (row values).
    mutating func withRows<R>(_ body: (ProjectionRows) -> R) -> R {
        // Taken once per pass: the arrays are not resized during a step.
        let c = rowCoefficient, n = rowNormPlusEps, pr = rowProjected, ra = rowRatio, mo = rowMode
        return mo.withUnsafeBufferPointer { mb in c.withUnsafeBufferPointer { cb in
            n.withUnsafeBufferPointer { nb in
                pr.withUnsafeBufferPointer { pb in
                    ra.withUnsafeBufferPointer { rb in
                        partials.withUnsafeMutableBufferPointer { partb in
                            body(ProjectionRows(
                                coefficient: cb.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                normPlusEps: nb.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                projected: pb.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                ratio: rb.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                mode: mb.baseAddress ?? UnsafePointer(bitPattern: 8)!,
                                partials: partb.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!))
                        }
                    }
                }
            }
        } }
    }
}
