import LinearAlgebra
import OptimizationCore

/// DeepZero's layer-wise random gradient mask (spec §8.2–8.3): each prunable
/// layer l hides k_l = round(r_l·n_l) of its coordinates (nearest, ties away
/// from zero) chosen uniformly at random; everything else — biases and any
/// one-dimensional block — is always estimated. The model stays dense: the
/// sparsity is in the gradient estimate only.
///
/// Mask number k is a pure function of (seed, k): coordinate i draws the key
/// Philox4x32 uniform i of stream (step k, tag 1), and each layer hides its
/// k_l smallest keys (ties by index).
public struct SparsityMask: Sendable {
    /// The prunable layers: weight blocks (multi-dimensional), or all blocks
    /// when the layout has none.
    public let layers: [ParameterBlock]
    /// The fraction r_l of each prunable layer that is hidden.
    public let ratios: [Double]
    public let dimension: Int
    private let philox: Philox4x32

    public init(layout: ParameterLayout, ratios: [Double], seed: UInt64) {
        let weights = layout.blocks.filter(\.isMultiDimensional)
        layers = weights.isEmpty ? layout.blocks : weights
        precondition(ratios.count == layers.count, "SparsityMask: \(layers.count) prunable layers, \(ratios.count) ratios")
        precondition(ratios.allSatisfy { $0 >= 0 && $0 <= 1 }, "SparsityMask: ratios must lie in [0, 1]")
        self.ratios = ratios
        dimension = layout.dimension
        philox = Philox4x32(seed: SplitMix64.derive(seed, 0x6D61_736B))
    }

    /// The prunable layers of a layout (see ``layers``).
    public static func prunableLayers(of layout: ParameterLayout) -> [ParameterBlock] {
        let weights = layout.blocks.filter(\.isMultiDimensional)
        return weights.isEmpty ? layout.blocks : weights
    }

    /// Coordinates hidden in layer l.
    public func hiddenCount(layer l: Int) -> Int {
        Int((ratios[l] * Double(layers[l].count)).rounded(.toNearestOrAwayFromZero))
    }

    /// The estimated coordinates S of mask number `index`, ascending.
    public func coordinates(index: Int) -> [Int] {
        var hidden = [Bool](repeating: false, count: dimension)
        let step = UInt32(truncatingIfNeeded: index)
        for (l, layer) in layers.enumerated() {
            let k = hiddenCount(layer: l)
            guard k > 0 else { continue }
            let keyed: [(Double, Int)] = layer.range.map { i in
                let u = philox.uniforms(block: UInt64(i / 4), step: step, tag: 1)
                let lane = i % 4
                return (lane == 0 ? u.0 : lane == 1 ? u.1 : lane == 2 ? u.2 : u.3, i)
            }
            for (_, i) in keyed.sorted(by: { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }).prefix(k) { hidden[i] = true }
        }
        return (0..<dimension).filter { !hidden[$0] }
    }
}
