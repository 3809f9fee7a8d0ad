import Testing
@testable import Plotting

@Suite("Performance and data profiles (hand-computed)")
struct ProfileTests {
    // Costs of solvers A, B, C on three instances (nil = failed):
    //   p1: A 10, B 20, C —   → ratios 1, 2, fail
    //   p2: A 30, B 15, C 60  → ratios 2, 1, 4
    //   p3: A —,  B 50, C 25  → ratios fail, 2, 1
    static let costs: [[Double?]] = [[10, 20, nil], [30, 15, 60], [nil, 50, 25]]
    static let profile = PerformanceProfile(solvers: ["A", "B", "C"], costs: costs)

    @Test func ratios() {
        let inf = Double.infinity
        #expect(Self.profile.ratios == [[1, 2, inf], [2, 1, 2], [inf, 4, 1]])
        #expect(Self.profile.failureRatio == 8)   // 2 × largest ratio 4
    }

    @Test func rhoValues() {
        let p = Self.profile
        #expect(p.rho(0, 1) == 1.0 / 3 && p.rho(0, 1.99) == 1.0 / 3 && p.rho(0, 2) == 2.0 / 3 && p.rho(0, 7.9) == 2.0 / 3)
        #expect(p.rho(1, 1) == 1.0 / 3 && p.rho(1, 2) == 1)
        #expect(p.rho(2, 1) == 1.0 / 3 && p.rho(2, 3.99) == 1.0 / 3 && p.rho(2, 4) == 2.0 / 3)
        #expect(p.steps(1).map(\.tau) == [1, 2] && p.steps(1).map(\.rho) == [1.0 / 3, 1])
        #expect(p.solved(0) == 2 && p.solved(1) == 3 && p.solved(2) == 2)
    }

    @Test func areaScoreIsExact() {
        // B = Σ max(0, 4 − r) / (3 · n_p): A (3 + 2)/9, B (3 + 2 + 2)/9, C (0 + 3)/9.
        #expect(Self.profile.areaScore(0) == 5.0 / 9)
        #expect(Self.profile.areaScore(1) == 7.0 / 9)
        #expect(Self.profile.areaScore(2) == 3.0 / 9)
        // Fastest everywhere scores 1.
        let solo = PerformanceProfile(solvers: ["X"], costs: [[3], [7]])
        #expect(solo.areaScore(0) == 1)
    }

    @Test func zeroCostsAreRaisedToTheMinimum() {
        let p = PerformanceProfile(solvers: ["A", "B"], costs: [[0, 2]], minimumCost: 1)
        #expect(p.ratios == [[1], [2]])
    }

    @Test func dataProfileSteps() {
        // dims 1, 3, 9 → n+1 = 2, 4, 10.
        let d = DataProfile(solvers: ["A", "B", "C"], costs: Self.costs, dimensions: [1, 3, 9])
        #expect(d.alphas[0] == [5, 7.5, .infinity])
        #expect(d.alphas[1] == [10, 3.75, 5])
        #expect(d.steps(1).map(\.alpha) == [3.75, 5, 10] && d.steps(1).map(\.d) == [1.0 / 3, 2.0 / 3, 1])
        #expect(d.d(0, 4.9) == 0 && d.d(0, 5) == 1.0 / 3 && d.d(0, 100) == 2.0 / 3)
        #expect(d.d(2, 2.5) == 1.0 / 3 && d.d(2, 15) == 2.0 / 3)
    }

    @Test func moreWildConvergenceTest() {
        // f0 = 10, f_L = 0, τ = 1e-3 → cutoff 0.01; best_loss passes at index 3.
        #expect(firstPassing(bestLoss: [10, 1, 0.1, 0.01, 0.001], f0: 10, fL: 0, tau: 1e-3) == 3)
        #expect(firstPassing(bestLoss: [10, 1, .nan, 0.5], f0: 10, fL: 0, tau: 1e-3) == nil)
        // f_L = 2, f0 = 12: cutoff 2 + 1e-1·10 = 3.
        #expect(firstPassing(bestLoss: [12, 3.5, 3, 2.5], f0: 12, fL: 2, tau: 0.1) == 2)
    }
}
