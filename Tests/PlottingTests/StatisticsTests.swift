import Foundation
import LinearAlgebra
import Testing
@testable import Plotting

@Suite("Significance: Mann–Whitney U, Holm–Bonferroni, bootstrap")
struct StatisticsTests {
    @Test("p-values equal scipy.stats.mannwhitneyu (asymptotic, tie- and continuity-corrected) to 1e-12")
    func mannWhitneyMatchesScipy() {
        #expect(MannWhitneyReference.cases.count == 60)
        for (i, c) in MannWhitneyReference.cases.enumerated() {
            let t = MannWhitneyU(c.x, c.y)
            #expect(t.u1 == c.u1, "case \(i): U1 \(t.u1) vs \(c.u1)")
            #expect(abs(t.p - c.p) <= 1e-12, "case \(i): p \(t.p) vs scipy \(c.p)")
        }
    }

    @Test("ties get average ranks; unsolved (+inf) rank last and tie")
    func ranks() {
        let (r, t) = averageRanks([3, .infinity, 1, 3, .infinity, 2])
        #expect(r == [3.5, 5.5, 1, 3.5, 5.5, 2])
        #expect(t.sorted() == [1, 1, 2, 2])
    }

    @Test("3 seeds against 3: the smallest asymptotic p is 0.0809 (scipy: 0.08085559837005224), the exact one 0.1")
    func threeSeedsAreTooFew() {
        #expect(abs(MannWhitneyU.smallestUntiedP(3, 3) - 0.08085559837005224) < 1e-12)
        // Each sample tied: scipy gives 0.04685417760387376, below α where the exact test's floor is 0.1.
        #expect(abs(MannWhitneyU.smallestP(3, 3) - 0.04685417760387376) < 1e-12)
        #expect(abs(MannWhitneyU.smallestExactP(3, 3) - 0.1) < 1e-15)
        #expect(MannWhitneyU.smallestUntiedP(5, 5) < 0.05 && MannWhitneyU.smallestExactP(5, 5) < 0.05)
        // All tied: σ = 0, p = 1 (as scipy).
        #expect(MannWhitneyU([1, 1, 1], [1, 1]).p == 1)
    }

    @Test("Holm–Bonferroni: step-down adjusted p-values, monotone, capped at 1")
    func holm() {
        // Sorted 0.01, 0.02, 0.03, 0.04 with m = 4: 0.04, 0.06, 0.06, 0.06.
        let adj = HolmBonferroni.adjust([0.03, 0.01, 0.04, 0.02])
        let expected = [0.06, 0.04, 0.06, 0.06]
        for (a, e) in zip(adj, expected) { #expect(abs(a - e) < 1e-15) }
        #expect(HolmBonferroni.adjust([0.5, 0.6]) == [1, 1])
        #expect(HolmBonferroni.adjust([]) == [])
    }

    @Test("percentile bootstrap of the median: reproducible, brackets the median, handles unsolved runs")
    func bootstrap() {
        let sample: [Double] = [12, 15, 9, 30, 22, 18, 11, 14, 25, 16]
        let a = BootstrapInterval(sample), b = BootstrapInterval(sample)
        #expect(a == b)
        #expect(a.median == 15.5)
        #expect(a.lower <= a.median && a.median <= a.upper)
        #expect(a.lower >= 11 && a.upper <= 25 && a.lower < a.upper)
        // Another seed gives (in general) another interval: the seed is used.
        let c = BootstrapInterval(sample, seed: 1)
        #expect(c.median == a.median)
        // A constant sample has a degenerate interval.
        let d = BootstrapInterval([4, 4, 4])
        #expect(d.lower == 4 && d.upper == 4)
        // Two of three unsolved: median and upper end are "not reached".
        let e = BootstrapInterval([10, .infinity, .infinity])
        #expect(e.median == .infinity && e.upper == .infinity && e.lower == 10)
    }

    /// Runtimes of one optimizer: log-normal, unsolved (+inf) with probability 0.2.
    static func runtimes(_ rng: inout SplitMix64, n: Int, shift: Double = 0) -> [Double] {
        (0..<n).map { _ in rng.uniform() < 0.2 ? .infinity : 100 * exp(rng.gaussian() + shift) }
    }

    @Test("1,000 comparisons of identical optimizers: false-positive rate ≤ α; a real difference is found")
    func falsePositiveRate() {
        var rng = SplitMix64(seed: 7)
        let alpha = 0.05
        var single = 0, familyWise = 0
        for _ in 0..<1000 {
            // One pair, 10 seeds each.
            if MannWhitneyU(Self.runtimes(&rng, n: 10), Self.runtimes(&rng, n: 10)).p <= alpha { single += 1 }
            // Four identical optimizers, 6 pairs, Holm across pairs.
            let groups = (0..<4).map { _ in Self.runtimes(&rng, n: 10) }
            var p: [Double] = []
            for i in 0..<4 { for j in (i + 1)..<4 { p.append(MannWhitneyU(groups[i], groups[j]).p) } }
            if HolmBonferroni.adjust(p).contains(where: { $0 <= alpha }) { familyWise += 1 }
        }
        #expect(Double(single) / 1000 <= alpha, "single-pair false positives: \(single)/1000")
        #expect(Double(familyWise) / 1000 <= alpha, "family-wise false positives: \(familyWise)/1000")
        // The test is not vacuous: it does reject when one optimizer is 10× faster (shift ln 10).
        var power = 0
        for _ in 0..<200 where MannWhitneyU(Self.runtimes(&rng, n: 10), Self.runtimes(&rng, n: 10, shift: log(10))).p <= alpha {
            power += 1
        }
        #expect(power >= 100, "power \(power)/200")
    }
}
