/// One named tensor inside the flat parameter vector.
public struct ParameterBlock: Sendable, Hashable, CustomStringConvertible {
    /// A name such as `layer1.weight`.
    public let name: String
    /// Index of the block's first element in the flat vector.
    public let offset: Int
    /// The tensor shape, outermost first (a weight matrix is `[out, in]`).
    public let shape: [Int]
    /// Number of elements (stored: optimizers read it every step, and a
    /// generic `reduce` allocates in unoptimised builds).
    public let count: Int

    public init(name: String, offset: Int, shape: [Int]) {
        precondition(offset >= 0 && shape.allSatisfy { $0 >= 0 }, "invalid block \(name)")
        self.name = name
        self.offset = offset
        self.shape = shape
        self.count = shape.reduce(1, *)
    }

    /// The index range in the flat vector.
    public var range: Range<Int> { offset..<(offset + count) }
    /// Rows in the "channel" view: the first dimension (1 for a scalar block).
    public var rows: Int { shape.first ?? 1 }
    /// Elements per row in the channel view.
    public var rowLength: Int { rows == 0 ? 0 : count / rows }
    /// True for tensors with more than one dimension (AdamP projects only these).
    public var isMultiDimensional: Bool { shape.count > 1 }

    public var description: String { "\(name) [\(shape.map(String.init).joined(separator: ", "))]" }
}

/// How the flat parameter vector `[Double]` splits into named tensors.
///
/// Element-wise optimizers ignore it; per-tensor ones (AdamP's projection,
/// Cautious masks, K-FAC/MKOR per layer, DeepZero's per-layer sparsity)
/// read it. A problem without structure has one block of shape `[n]`.
public struct ParameterLayout: Sendable, Hashable, CustomStringConvertible {
    public let blocks: [ParameterBlock]
    /// Total number of parameters (stored, for the same reason as ``ParameterBlock/count``).
    public let dimension: Int

    /// Blocks must tile 0..<dimension contiguously, in order.
    public init(blocks: [ParameterBlock]) {
        var next = 0
        for b in blocks {
            precondition(b.offset == next, "layout blocks must be contiguous: \(b.name) starts at \(b.offset), expected \(next)")
            next += b.count
        }
        self.blocks = blocks
        self.dimension = next
    }

    /// Blocks from (name, shape) pairs, offsets assigned in order.
    public init(_ namedShapes: [(String, [Int])]) {
        var offset = 0
        var blocks: [ParameterBlock] = []
        for (name, shape) in namedShapes {
            let b = ParameterBlock(name: name, offset: offset, shape: shape)
            blocks.append(b)
            offset += b.count
        }
        self.init(blocks: blocks)
    }

    /// One block named `x` of shape `[n]`.
    public static func flat(_ n: Int, name: String = "x") -> ParameterLayout {
        ParameterLayout([(name, [n])])
    }

    public func block(named name: String) -> ParameterBlock? { blocks.first { $0.name == name } }

    public var description: String { blocks.map(\.description).joined(separator: ", ") }
}
