/// The two-sided Mann–Whitney U test (Wilcoxon rank-sum test) with the
/// normal approximation, tie correction and continuity correction: the
/// numbers of `scipy.stats.mannwhitneyu(x, y, use_continuity=True,
/// alternative="two-sided", method="asymptotic")`.
///
/// The pooled sample is ranked with ties given their average rank;
/// R₁ = Σ ranks of x, U₁ = R₁ − n₁(n₁+1)/2, U₂ = n₁n₂ − U₁, U = max(U₁, U₂),
/// z = (U − n₁n₂/2 − ½) / σ with σ² = n₁n₂/12 · ((n+1) − Σ(t³ − t)/(n(n−1)))
/// over the tie groups t, and p = min(1, 2·(1 − Φ(z))).
///
/// Infinite values are ordinary values here: the runtime comparisons give
/// unsolved runs +∞, so they rank last and tie with each other.
public struct MannWhitneyU: Sendable, Equatable {
    /// U₁, the statistic of the first sample (what scipy returns).
    public let u1: Double
    /// The standardised statistic z (of max(U₁, U₂), continuity-corrected).
    public let z: Double
    /// The two-sided p-value.
    public let p: Double

    /// The test of samples `x` and `y` (NaN is not allowed: give failures +∞).
    public init(_ x: [Double], _ y: [Double]) {
        precondition(!x.isEmpty && !y.isEmpty, "Mann–Whitney U needs two non-empty samples")
        precondition(!(x + y).contains { $0.isNaN }, "Mann–Whitney U: NaN in a sample; give failures +inf")
        let n1 = Double(x.count), n2 = Double(y.count), n = n1 + n2
        let (ranks, ties) = averageRanks(x + y)
        var r1 = 0.0
        for i in x.indices { r1 += ranks[i] }
        let u1 = r1 - n1 * (n1 + 1) / 2
        let u2 = n1 * n2 - u1
        let u = Swift.max(u1, u2)
        let tieTerm = ties.reduce(0.0) { $0 + ($1 * $1 * $1 - $1) }
        let s = (n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
        // All values tied: σ = 0 and z = −∞ (scipy's p is then 1).
        let z = (u - n1 * n2 / 2 - 0.5) / s
        self.u1 = u1
        self.z = z
        self.p = Swift.min(1, Swift.max(0, 2 * NormalDistribution.survival(z)))
    }

    /// The smallest two-sided p-value the asymptotic test gives for sample
    /// sizes n₁ and n₂ at complete separation without ties: with 3 runs
    /// against 3 it is 0.0809 (the exact test's smallest is 2/20 = 0.1).
    public static func smallestUntiedP(_ n1: Int, _ n2: Int) -> Double {
        let x = (0..<n1).map(Double.init), y = (0..<n2).map { Double(n1 + $0) }
        return MannWhitneyU(x, y).p
    }

    /// The smallest two-sided p-value the asymptotic test can give at all:
    /// complete separation with each sample's values all equal (the tie
    /// correction then shrinks σ the most). With 3 against 3 it is 0.0469 —
    /// below 0.05, where the exact test's smallest is 0.1: with heavy ties
    /// and tiny samples the normal approximation is too optimistic.
    public static func smallestP(_ n1: Int, _ n2: Int) -> Double {
        MannWhitneyU([Double](repeating: 0, count: n1), [Double](repeating: 1, count: n2)).p
    }

    /// The smallest two-sided p-value of the exact test (no ties): 2 / C(n₁+n₂, n₁).
    public static func smallestExactP(_ n1: Int, _ n2: Int) -> Double {
        var c = 1.0
        for i in 0..<Swift.min(n1, n2) { c = c * Double(n1 + n2 - i) / Double(i + 1) }
        return Swift.min(1, 2 / c)
    }
}

/// Ranks (1-based) with ties given the average of the ranks they span, and
/// the sizes of the tie groups (groups of one included, as scipy's
/// `_rankdata(..., return_ties=True)` counts them: they add t³ − t = 0).
func averageRanks(_ values: [Double]) -> (ranks: [Double], ties: [Double]) {
    let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
    var ranks = [Double](repeating: 0, count: values.count)
    var ties: [Double] = []
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
        // Positions i...j (0-based) share ranks i+1 ... j+1: their mean.
        let mean = Double(i + j + 2) / 2
        for k in i...j { ranks[order[k]] = mean }
        ties.append(Double(j - i + 1))
        i = j + 1
    }
    return (ranks, ties)
}
