import OptimizationCore

/// How a matrix method sees a parameter layout: the blocks with exactly two
/// dimensions (weight matrices, [out, in] as torch stores them), each with
/// its own workspace, and the ranges of every other block, which the method
/// hands to an element-wise optimizer (Muon's AdamW, SOAP's Adam).
///
/// Built once per layout (on the first step); the step itself allocates nothing.
struct MatrixBlockPlan<Workspace> {
    struct Entry {
        let block: ParameterBlock
        var workspace: Workspace
        var rows: Int { block.shape[0] }
        var columns: Int { block.shape[1] }
    }

    let layout: ParameterLayout
    var matrices: [Entry]
    /// Blocks that are not matrices, in layout order.
    let otherRanges: [Range<Int>]

    init(_ layout: ParameterLayout, workspace: (ParameterBlock) -> Workspace) {
        self.layout = layout
        let isMatrix = { (b: ParameterBlock) in b.shape.count == 2 && b.count > 0 }
        matrices = layout.blocks.filter(isMatrix).map { Entry(block: $0, workspace: workspace($0)) }
        otherRanges = layout.blocks.filter { !isMatrix($0) && $0.count > 0 }.map(\.range)
    }
}
