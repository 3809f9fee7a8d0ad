import OptimizationCore

/// Distributed Shampoo's split of a parameter into preconditioner blocks:
/// small adjacent dimensions merged (`merge_small_dims` with target
/// dimensionality 1), then every dimension cut into chunks of at most
/// `limit` (`multi_dim_split`), blocks in row-major order of their chunks.
///
/// So at limit 1024 a 10 × 64 weight becomes one 640-vector (one 640 × 640
/// factor, exponent −1/2), a 32 × 64 weight stays a 32 × 64 matrix (2048 > 1024),
/// and at limit 20 a 32 × 64 weight becomes 2 × 4 blocks of up to 20 × 20.
public enum TensorBlocking {
    /// One block: its (merged-space) shape and where its elements live.
    struct Block {
        let shape: [Int]
        let view: BlockView
    }

    /// `merge_small_dims(shape, threshold: limit, target_tensor_dimensionality: 1)`:
    /// sides of 1 dropped, then from the last side backwards each side joins
    /// the current one while their product stays ≤ `limit`.
    static func mergedShape(_ shape: [Int], limit: Int) -> [Int] {
        if shape.contains(0) { return [0] }
        let squeezed = shape.reversed().filter { $0 != 1 }
        guard let first = squeezed.first else { return [1] }
        var merged = [first]
        for side in squeezed.dropFirst() {
            // With target dimensionality 1 the "more dimensions than the target" test always holds.
            if merged[merged.count - 1] * side <= limit {
                merged[merged.count - 1] *= side
            } else {
                merged.append(side)
            }
        }
        return merged.reversed()
    }

    /// The shapes of the blocks of a parameter of shape `shape` (what
    /// `optlab bench curvature --floors` prices; the same split as `blocks(of:limit:)`).
    public static func blockShapes(_ shape: [Int], limit: Int) -> [[Int]] {
        blocks(of: ParameterBlock(name: "", offset: 0, shape: shape), limit: limit).map(\.shape)
    }

    /// The blocks of one parameter (empty for an empty one).
    static func blocks(of parameter: ParameterBlock, limit: Int) -> [Block] {
        guard parameter.count > 0 else { return [] }
        let shape = mergedShape(parameter.shape.isEmpty ? [1] : parameter.shape, limit: limit)
        var chunks: [[(origin: Int, extent: Int)]] = [[]]
        for side in shape {
            let pieces = stride(from: 0, to: side, by: limit).map { ($0, min(limit, side - $0)) }
            chunks = chunks.flatMap { prefix in pieces.map { prefix + [$0] } }
        }
        return chunks.map { chunk in
            let extent = chunk.map(\.extent)
            return Block(shape: extent, view: BlockView(base: parameter.offset, shape: shape,
                                                        origin: chunk.map(\.origin), extent: extent))
        }
    }
}
