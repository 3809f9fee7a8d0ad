/// Holm's (1979) step-down Bonferroni correction for m simultaneous tests.
///
/// With the p-values sorted ascending, p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted value
/// of the k-th is max over j ≤ k of min(1, (m − j + 1)·p₍ⱼ₎); a hypothesis is
/// rejected at level α when its adjusted p is ≤ α. This controls the
/// family-wise error rate at α under any dependence between the tests.
/// (The adjusted values are those of `statsmodels`' `multipletests(method="holm")`.)
public enum HolmBonferroni {
    /// Adjusted p-values, in the order of `p`.
    public static func adjust(_ p: [Double]) -> [Double] {
        let m = p.count
        let order = p.indices.sorted { (p[$0], $0) < (p[$1], $1) }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 0.0
        for (rank, i) in order.enumerated() {
            running = Swift.max(running, Swift.min(1, Double(m - rank) * p[i]))
            adjusted[i] = running
        }
        return adjusted
    }
}
