import LinearAlgebra
import OptimizationCore

/// ZO-GraSP (DeepZero, spec §8.2): layer-wise pruning ratios at
/// initialisation from the GraSP score S = −θ ⊙ (H g), with g and H·g
/// estimated from function values only:
///
///     g₀ = RGE(θ),  g₁ = RGE(θ + μ·g₀)   (the same directions),  Hg ≈ (g₁ − g₀)/μ
///     RGE(θ) = (1/q) Σᵢ [(f(θ + μuᵢ) − f(θ))/μ]·uᵢ,  uᵢ ~ N(0, I)
///
/// This is the paper's RGE (eq. 1); the DeepZero repository normalises each
/// tensor's direction block and drops 1/μ, which rescales layers differently
/// and so biases the global ranking — the lab uses the unbiased form. The
/// repository draws fresh directions for g₁; the lab reuses g₀'s (common
/// random numbers, the spec's "cheap improvement"): on a quadratic the μ/2
/// curvature terms then cancel exactly and Hg = (1/q)Σ uuᵀ·H·g₀, whose
/// variance is O(d/q)·‖Hg₀‖² instead of O(d/q)·‖g‖²/μ². As in
/// the repository, weights are ranked globally by |S| (original GraSP removes
/// the largest *signed* scores), the fraction `sparsity` with the smallest
/// |S| is pruned, and only the resulting per-tensor ratios are kept: training
/// uses random masks with these ratios (``LayerwiseRandomMask``).
///
/// Cost: 2(q + 1) function values, once. The lab scores on the objective's
/// current batch (the repository draws 25 samples per class).
public enum ZOGraSP {
    /// The Hg estimate (g₁ − g₀)/μ; `value` is f. Directions come from
    /// SplitMix64 streams derived from `seed`.
    public static func hessianGradient(at theta: [Double], q: Int, mu: Double, seed: UInt64,
                                       value: ([Double]) throws -> Double) rethrows -> [Double] {
        let g0 = try randomGradient(at: theta, q: q, mu: mu, seed: SplitMix64.derive(seed, 0), value: value)
        var shifted = theta
        for i in shifted.indices { shifted[i] += mu * g0[i] }
        let g1 = try randomGradient(at: shifted, q: q, mu: mu, seed: SplitMix64.derive(seed, 0), value: value)
        return zip(g1, g0).map { ($0 - $1) / mu }
    }

    /// Per weight tensor (``LayerwiseRandomMask/weightBlocks(_:)``) the
    /// fraction pruned when the `sparsity` fraction of all weights with the
    /// smallest |−θ ⊙ Hg| is removed. Ties are broken by index.
    public static func layerRatios(at theta: [Double], layout: ParameterLayout, sparsity: Double, q: Int,
                                   mu: Double, seed: UInt64,
                                   value: ([Double]) throws -> Double) rethrows -> [Double] {
        let weights = LayerwiseRandomMask.weightBlocks(layout)
        guard sparsity > 0, !weights.isEmpty else { return [Double](repeating: 0, count: weights.count) }
        let hg = try hessianGradient(at: theta, q: q, mu: mu, seed: seed, value: value)
        var scored: [(score: Double, layer: Int, index: Int)] = []
        for (l, block) in weights.enumerated() {
            for i in block.range { scored.append((abs(theta[i] * hg[i]), l, i)) }
        }
        scored.sort { ($0.score, $0.index) < ($1.score, $1.index) }
        let pruned = Int((sparsity * Double(scored.count)).rounded(.toNearestOrAwayFromZero))
        var counts = [Int](repeating: 0, count: weights.count)
        for entry in scored.prefix(pruned) { counts[entry.layer] += 1 }
        return weights.indices.map { Double(counts[$0]) / Double(weights[$0].count) }
    }

    /// The paper's RGE with q Gaussian directions (q + 1 queries).
    static func randomGradient(at theta: [Double], q: Int, mu: Double, seed: UInt64,
                               value: ([Double]) throws -> Double) rethrows -> [Double] {
        let f0 = try value(theta)
        var rng = SplitMix64(seed: seed)
        var g = [Double](repeating: 0, count: theta.count)
        var u = g, probe = theta
        for _ in 0..<q {
            for i in u.indices { u[i] = rng.gaussian(); probe[i] = theta[i] + mu * u[i] }
            let scale = (try value(probe) - f0) / (mu * Double(q))
            for i in g.indices { g[i] += scale * u[i] }
        }
        return g
    }
}
