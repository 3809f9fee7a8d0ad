import OptimizationCore

/// ZO-GraSP (DeepZero, spec §8.2): layer-wise pruning ratios at
/// initialisation from a zeroth-order GraSP score.
///
///     g₀ ← RGE(θ),  g₁ ← RGE(θ + μ·g₀)          (forward Gaussian, q directions each, fresh draws)
///     Hg ← (g₁ − g₀)/μ;   score ← −θ ⊙ Hg
///     hide the fraction s of prunable coordinates with the smallest |score| (global ranking)
///     r_l ← fraction hidden in layer l           (the LPR that training uses)
///
/// Choices, stated: the estimator is the paper's RGE (eq. 1: Gaussian, 1/μ,
/// scale 1/q), not the repository's per-tensor-normalised form; ranking by
/// |score| follows the repository (original GraSP removes the largest signed
/// scores). Queries: 2(q + 1), through the oracle.
public enum ZOGraSP {
    /// The ratios r_l for the prunable layers of `layout` (``SparsityMask/prunableLayers(of:)``).
    public static func layerRatios(at x: [Double], layout: ParameterLayout, sparsity: Double, q: Int, mu: Double,
                                   seed: UInt64, oracle: inout Oracle) throws -> [Double] {
        precondition(sparsity >= 0 && sparsity <= 1, "ZO-GraSP: sparsity must lie in [0, 1]")
        let layers = SparsityMask.prunableLayers(of: layout)
        var rge = RandomDirectionEstimator(distribution: .gaussian, q: q, mu: mu, scheme: .forward, seed: seed)
        var g0: [Double] = [], g1: [Double] = []
        let first = try rge.estimate(at: x, step: 0, into: &g0, oracle: &oracle)
        let shifted = zip(x, g0).map { $0 + mu * $1 }
        let second = try rge.estimate(at: shifted, step: 1, into: &g1, oracle: &oracle)
        guard first.isFinite && second.isFinite else {
            throw ObjectiveError.failed("deepzero: ZO-GraSP met a non-finite loss at the initial point")
        }
        var scored: [(Double, Int, Int)] = []   // (|score|, coordinate, layer)
        for (l, layer) in layers.enumerated() {
            for i in layer.range {
                let hg = (g1[i] - g0[i]) / mu
                scored.append((abs(-x[i] * hg), i, l))
            }
        }
        let hide = Int((sparsity * Double(scored.count)).rounded(.toNearestOrAwayFromZero))
        scored.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var hidden = [Int](repeating: 0, count: layers.count)
        for (_, _, l) in scored.prefix(hide) { hidden[l] += 1 }
        return layers.indices.map { Double(hidden[$0]) / Double(layers[$0].count) }
    }
}
