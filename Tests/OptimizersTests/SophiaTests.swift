import OptimizationCore
@testable import Optimizers
import Testing

/// Sophia's steps by hand (its trajectories against SophiaG are in
/// MatrixMethodTrajectoryTests).
struct SophiaTests {
    /// Before the first estimate h = 0, so every step is a full sign step;
    /// after it the ratio |m|/(ρ·B·h) decides.
    @Test(arguments: Sophia.Estimator.allCases)
    func stepsByHand(_ estimator: Sophia.Estimator) throws {
        let p = SeparableQuadratic()
        var oracle = Oracle(p)
        var opt = Sophia(lr: 0.1, beta1: 0.5, beta2: 0.5, rho: 0.2, weightDecay: 0.1, k: 1, estimator: estimator)
        var x = p.initialPoint
        var m = [0.0, 0, 0], h = [0.0, 0, 0]
        var expected = x
        for _ in 0..<3 {
            let g = zip(p.h, expected).map { $0 * $1 }
            for i in 0..<3 {
                let xi = expected[i] * (1 - 0.1 * 0.1)
                m[i] = m[i] * 0.5 + 0.5 * g[i]
                let denominator = estimator == .gnb ? 0.2 * 4 * h[i] + 1e-15 : max(0.2 * h[i], 1e-15)
                let ratio = min(abs(m[i]) / denominator, 1)
                expected[i] = xi + (-0.1 * (m[i] > 0 ? 1 : -1)) * ratio
            }
            for i in 0..<3 {
                let e = estimator == .gnb ? p.s[i] * p.s[i] : p.h[i]
                h[i] = h[i] * 0.5 + 0.5 * e
            }
            try opt.step(&x, oracle: &oracle)
        }
        for (a, b) in zip(x, expected) { #expect(abs(a - b) <= 1e-15 * max(1, abs(b)), "\(x) vs \(expected)") }
        #expect(oracle.counts.gradient == (estimator == .gnb ? 6 : 3))
        #expect(oracle.counts.hessianVector == (estimator == .gnb ? 0 : 3))
    }

    @Test func estimatorDecidesTheRequirement() throws {
        let gnb = try OptimizerCatalog.shared.resolve("sophia")
        let hutchinson = try OptimizerCatalog.shared.resolve("sophia(estimator=hutchinson)")
        #expect(Sophia.descriptor.requirements(for: gnb).contains(.sampledLabels))
        #expect(Sophia.descriptor.requirements(for: hutchinson).contains(.hessianVectorProduct))
        #expect(!Sophia.descriptor.requirements(for: hutchinson).contains(.sampledLabels))
    }
}
