import OptimizationCore

/// How ``Adafactor`` cuts a layout into fixed work items, and where each
/// piece of its state lives in one flat array of doubles.
///
/// A block with ≥ 2 dimensions is a stack of matrices over its last two
/// dimensions (shape `[..., R, C]`, as torch factors it); every matrix is
/// cut into tiles of whole row pieces (at most ``maximumTileColumns``
/// columns, about ``tileElements`` elements, at most ``maximumRowChunks``
/// row chunks). A tile writes one partial sum of g² per row it covers and
/// one per column, into its own slots; a row's (column's) total is the sum
/// of its tiles' partials in tile order. Other blocks are cut into
/// segments of at most ``tileElements`` elements. Per-block sums (‖θ‖²,
/// ‖update‖²) are summed over the block's items in item order. The cut
/// depends on the layout only, never on the thread count, so results are
/// bit-identical for any number of threads. Built once per layout.
struct FactoredPlan: Sendable {
    static let tileElements = 16_384
    static let maximumTileColumns = 2_048
    static let maximumRowChunks = 64

    /// One R × C matrix of a factored block. Offsets index the state array.
    struct Matrix: Sendable {
        var offset: Int, rows: Int, cols: Int
        var rowChunks: Int, colChunks: Int
        var rowVariance: Int, colVariance: Int, rowScale: Int, colScale: Int
        /// rows × colChunks partials, then rowChunks × cols partials.
        var rowPartials: Int, colPartials: Int
    }

    /// A tile (matrix ≥ 0) or a vector segment (matrix = −1, columns unused).
    struct Item: Sendable {
        var matrix: Int, block: Int
        /// Flat index of the first element (tile: of its first row piece).
        var start: Int
        var firstRow: Int, endRow: Int, firstCol: Int, endCol: Int
        var rowChunk: Int, colChunk: Int
        /// Vector segments: length and the index of their v in the state array.
        var count: Int, variance: Int
    }

    struct Block: Sendable {
        var count: Int
        var factored: Bool
        var items: Range<Int>
        var matrices: Range<Int>
    }

    private(set) var layout: ParameterLayout?
    private(set) var matrices: [Matrix] = []
    private(set) var items: [Item] = []
    private(set) var blocks: [Block] = []
    /// Sections of the state array.
    private(set) var varianceBase = 0, varianceCount = 0
    private(set) var itemPartialBase = 0, blockCoefficientBase = 0
    private(set) var stateCount = 0
    private(set) var hasFactoredBlocks = false

    init() {}

    /// True when this plan was built for `layout` (nil or of another size:
    /// one flat block of `count`) — checked without building a layout, so
    /// a step without one allocates nothing.
    func fits(_ layout: ParameterLayout?, count: Int) -> Bool {
        guard let current = self.layout else { return false }
        if let layout, layout.dimension == count { return layout == current }
        return current.dimension == count && current.blocks.count == 1 && current.blocks[0].shape.count == 1
    }

    init(_ layout: ParameterLayout) {
        self.layout = layout
        var rowsTotal = 0, colsTotal = 0, vectorTotal = 0
        var shapes: [(offset: Int, rows: Int, cols: Int)] = []
        var matrixBlock: [Int] = []
        for (b, block) in layout.blocks.enumerated() where block.count > 0 && block.shape.count >= 2 {
            let (r, c) = (block.shape[block.shape.count - 2], block.shape[block.shape.count - 1])
            for k in 0..<(block.count / (r * c)) {
                shapes.append((block.offset + k * r * c, r, c))
                matrixBlock.append(b)
            }
            rowsTotal += block.count / c
            colsTotal += block.count / r
        }
        for block in layout.blocks where block.count > 0 && block.shape.count < 2 { vectorTotal += block.count }
        // Sections: row variances, column variances, row scales, column
        // scales, vector variances, then partials.
        let colVarianceBase = rowsTotal, rowScaleBase = rowsTotal + colsTotal
        let colScaleBase = rowScaleBase + rowsTotal
        varianceBase = colScaleBase + colsTotal
        varianceCount = vectorTotal
        var next = varianceBase + vectorTotal
        var rowCursor = 0, colCursor = 0
        for s in shapes {
            let tileCols = Swift.min(s.cols, Self.maximumTileColumns)
            let colChunks = (s.cols + tileCols - 1) / tileCols
            let tileRows = Swift.min(s.rows, Swift.max((Self.tileElements + tileCols - 1) / tileCols,
                                                      (s.rows + Self.maximumRowChunks - 1) / Self.maximumRowChunks))
            let rowChunks = (s.rows + tileRows - 1) / tileRows
            matrices.append(Matrix(offset: s.offset, rows: s.rows, cols: s.cols, rowChunks: rowChunks, colChunks: colChunks,
                                   rowVariance: rowCursor, colVariance: colVarianceBase + colCursor,
                                   rowScale: rowScaleBase + rowCursor, colScale: colScaleBase + colCursor,
                                   rowPartials: next, colPartials: next + s.rows * colChunks))
            next += s.rows * colChunks + rowChunks * s.cols
            rowCursor += s.rows
            colCursor += s.cols
        }
        var vectorCursor = varianceBase
        var m = 0
        for (b, block) in layout.blocks.enumerated() {
            let firstItem = items.count, firstMatrix = m
            if block.count > 0 && block.shape.count >= 2 {
                while m < matrices.count && matrixBlock[m] == b {
                    let mat = matrices[m]
                    let tileCols = (mat.cols + mat.colChunks - 1) / mat.colChunks
                    let tileRows = (mat.rows + mat.rowChunks - 1) / mat.rowChunks
                    for rc in 0..<mat.rowChunks {
                        for cc in 0..<mat.colChunks {
                            let (r0, c0) = (rc * tileRows, cc * tileCols)
                            items.append(Item(matrix: m, block: b, start: mat.offset + r0 * mat.cols + c0,
                                              firstRow: r0, endRow: Swift.min(mat.rows, r0 + tileRows),
                                              firstCol: c0, endCol: Swift.min(mat.cols, c0 + tileCols),
                                              rowChunk: rc, colChunk: cc, count: 0, variance: 0))
                        }
                    }
                    m += 1
                }
            } else if block.count > 0 {
                var s = 0
                while s < block.count {
                    let len = Swift.min(Self.tileElements, block.count - s)
                    items.append(Item(matrix: -1, block: b, start: block.offset + s, firstRow: 0, endRow: 0,
                                      firstCol: 0, endCol: 0, rowChunk: 0, colChunk: 0, count: len,
                                      variance: vectorCursor + s))
                    s += len
                }
                vectorCursor += block.count
            }
            blocks.append(Block(count: block.count, factored: block.shape.count >= 2, items: firstItem..<items.count,
                                matrices: firstMatrix..<m))
        }
        hasFactoredBlocks = !matrices.isEmpty
        itemPartialBase = next
        blockCoefficientBase = itemPartialBase + 2 * items.count
        stateCount = blockCoefficientBase + blocks.count
    }
}

/// The plan's tables and the state array, readable from worker threads
/// (items write disjoint slots).
struct FactoredPointers: @unchecked Sendable {
    let items: UnsafePointer<FactoredPlan.Item>
    let matrices: UnsafePointer<FactoredPlan.Matrix>
    let state: UnsafeMutablePointer<Double>
}
