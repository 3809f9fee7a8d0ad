import LinearAlgebra
import OptimizationCore

/// DeepZero's gradient sparsity: per weight tensor l, a uniformly random mask
/// that hides exactly `round(r_l · n_l)` of its n_l coordinates (rounded half
/// away from zero), re-drawn on demand. The coordinates that stay queried,
/// S, are the unmasked weights plus every coordinate outside the weight
/// tensors (biases).
///
/// Reproducible from (seed, period, tag 1): the draw for tensor l in mask
/// period p uses a SplitMix64 stream derived from those numbers only, so a
/// re-run, a resumed run or another thread count gets the same S.
public struct LayerwiseRandomMask: Sendable, Equatable {
    /// The counter tag of mask draws (spec §6.7: 0 directions, 1 masks, 2 rounding).
    public static let tag: UInt64 = 1

    /// The weight tensors (multi-dimensional blocks of the layout) and their pruning ratios.
    public let weights: [ParameterBlock]
    public let ratios: [Double]
    public let dimension: Int

    public init(layout: ParameterLayout, ratios: [Double]) {
        weights = Self.weightBlocks(layout)
        precondition(ratios.count == weights.count, "one ratio per weight tensor")
        self.ratios = ratios
        dimension = layout.dimension
    }

    /// The tensors DeepZero prunes: conv and linear weights, i.e. the blocks
    /// with more than one dimension.
    public static func weightBlocks(_ layout: ParameterLayout) -> [ParameterBlock] {
        layout.blocks.filter(\.isMultiDimensional)
    }

    /// How many coordinates of tensor `l` are masked.
    public func maskedCount(_ l: Int) -> Int {
        Int((ratios[l] * Double(weights[l].count)).rounded(.toNearestOrAwayFromZero))
    }

    /// The sorted coordinates queried during mask period `period`.
    public func queried(seed: UInt64, period: Int) -> [Int] {
        var hidden = [Bool](repeating: false, count: dimension)
        for (l, block) in weights.enumerated() {
            let k = maskedCount(l)
            guard k > 0 else { continue }
            var rng = SplitMix64(seed: SplitMix64.derive(
                SplitMix64.derive(seed, UInt64(period) << 8 | Self.tag), UInt64(l)))
            // Partial Fisher–Yates: the first k entries of a random permutation.
            var order = Array(0..<block.count)
            for i in 0..<k {
                let j = i + rng.integer(below: block.count - i)
                order.swapAt(i, j)
                hidden[block.offset + order[i]] = true
            }
        }
        return (0..<dimension).filter { !hidden[$0] }
    }
}
