import Foundation
import OptimizationCore
@testable import Optimizers
import Testing

@Suite("Zeroth-order estimators (spec §11.1–11.2)")
struct ZerothOrderEstimatorTests {
    @Test("central CGE is bitwise ∇f on the dyadic quadratic, 2d queries, x restored")
    func centralCGE() throws {
        #expect(DyadicQuadratic.value(DyadicQuadratic.x) == 3.46875)
        var oracle = Oracle(DyadicQuadratic.objective())
        var x = DyadicQuadratic.x
        var g: [Double] = []
        let out = try CoordinateGradientEstimator(mu: 0x1p-4, scheme: .central).estimate(at: &x, into: &g, oracle: &oracle)
        #expect(g == DyadicQuadratic.gradient)
        #expect(out.queries == 6 && oracle.counts.function == 6 && out.baseValue == nil && out.isFinite)
        #expect(x == DyadicQuadratic.x)
    }

    @Test("forward CGE is bitwise ∇f + (μ/2)diag(A), d+1 queries; sparse S = {0, 2} costs 3")
    func forwardCGE() throws {
        var oracle = Oracle(DyadicQuadratic.objective())
        var x = DyadicQuadratic.x
        var g: [Double] = []
        let cge = CoordinateGradientEstimator(mu: 0x1p-4, scheme: .forward)
        let out = try cge.estimate(at: &x, into: &g, oracle: &oracle)
        #expect(g == [2.875, -3.15625, 2.8125])
        #expect(out.queries == 4 && oracle.counts.function == 4 && out.baseValue == 3.46875)
        #expect(x == DyadicQuadratic.x)
        g = [9, 9, 9]
        let sparse = try cge.estimate(at: &x, coordinates: [0, 2], into: &g, oracle: &oracle)
        #expect(g == [2.875, 0, 2.8125])
        #expect(sparse.queries == 3 && oracle.counts.function == 7)
        #expect(x == DyadicQuadratic.x)
    }

    @Test("central CGE error falls as μ², forward as μ")
    func cgeOrder() throws {
        let f: @Sendable ([Double]) -> Double = { x in exp(0.7 * x[0]) + sin(1.3 * x[1]) * x[0] + x[1] * x[1] * x[1] }
        let x0 = [0.4, -0.8]
        let exact = [0.7 * exp(0.28) + sin(-1.04), 1.3 * cos(-1.04) * 0.4 + 3 * 0.64]
        func error(_ mu: Double, _ scheme: DifferenceScheme) throws -> Double {
            var oracle = Oracle(ValueObjective("f", x0: x0, f))
            var x = x0, g: [Double] = []
            _ = try CoordinateGradientEstimator(mu: mu, scheme: scheme).estimate(at: &x, into: &g, oracle: &oracle)
            return zip(g, exact).map { abs($0 - $1) }.max()!
        }
        let central = try error(1e-2, .central) / error(0.5e-2, .central)
        let forward = try error(1e-3, .forward) / error(0.5e-3, .forward)
        #expect(central > 3.5 && central < 4.5, "central ratio \(central)")
        #expect(forward > 1.8 && forward < 2.2, "forward ratio \(forward)")
    }

    @Test("central RGE on a quadratic gives (wᵀ∇f)·w exactly; query counts q+1 and 2q")
    func rgeQuadratic() throws {
        for distribution in DirectionDistribution.allCases {
            var oracle = Oracle(DyadicQuadratic.objective())
            var rge = RandomDirectionEstimator(distribution: distribution, q: 1, mu: 0x1p-10, scheme: .central, seed: 7)
            var g: [Double] = []
            let out = try rge.estimate(at: DyadicQuadratic.x, step: 3, into: &g, oracle: &oracle)
            #expect(out.queries == 2 && oracle.counts.function == 2)
            var w = [Double](repeating: 0, count: 3)
            w.withUnsafeMutableBufferPointer { rge.direction(0, step: 3, into: $0) }
            let c = zip(w, DyadicQuadratic.gradient).map { $0 * $1 }.reduce(0, +)
            let scale = distribution == .sphere ? 3.0 : 1.0
            for i in 0..<3 { #expect(abs(g[i] - scale * c * w[i]) <= 1e-13 * max(1, abs(g[i])), "\(distribution) \(i)") }
            if distribution == .rademacher {
                #expect(w.allSatisfy { $0 == 1 || $0 == -1 })
                #expect(g == w.map { c * $0 }, "Rademacher quotient is exact")
            }
        }
        for (scheme, q, expected) in [(DifferenceScheme.forward, 5, 6), (.central, 5, 10)] {
            var oracle = Oracle(DyadicQuadratic.objective())
            var rge = RandomDirectionEstimator(distribution: .gaussian, q: q, mu: 1e-3, scheme: scheme, seed: 1)
            var g: [Double] = []
            #expect(try rge.estimate(at: DyadicQuadratic.x, step: 0, into: &g, oracle: &oracle).queries == expected)
            #expect(oracle.counts.function == expected)
        }
    }

    @Test("w = (1, −1, 1), μ = 2⁻¹⁰: the central quotient is exactly 8.75")
    func rademacherQuotient() {
        let mu = 0x1p-10, w: [Double] = [1, -1, 1]
        let plus = DyadicQuadratic.value(zip(DyadicQuadratic.x, w).map { $0 + mu * $1 })
        let minus = DyadicQuadratic.value(zip(DyadicQuadratic.x, w).map { $0 - mu * $1 })
        #expect((plus - minus) / (2 * mu) == 8.75)
    }

    @Test("Gaussian RGE is unbiased for ∇f_μ, not ∇f (Σ cos, μ = 0.5, N = 4·10⁵)")
    func smoothedUnbiased() throws {
        let x0 = [0.3, -1.2, 2.0]
        let smoothed = [-0.2607956670297916, 0.8225216064538546, -0.8024521627018069]
        let exact = x0.map { -sin($0) }
        let n = 400_000
        for scheme in DifferenceScheme.allCases {
            var oracle = Oracle(ValueObjective("cos", x0: x0) { $0.reduce(0) { $0 + cos($1) } })
            var rge = RandomDirectionEstimator(distribution: .gaussian, q: n, mu: 0.5, scheme: scheme, seed: 2024)
            var g: [Double] = []
            let out = try rge.estimate(at: x0, step: 0, into: &g, oracle: &oracle)
            #expect(out.queries == (scheme == .forward ? n + 1 : 2 * n))
            // Per-sample standard deviation ≤ 1.6 per component (second moments 6.4–7.5 over 3
            // components), so 4 s.e. ≤ 0.01; the gap to ∇f is 0.035–0.11.
            for i in 0..<3 {
                #expect(abs(g[i] - smoothed[i]) < 0.01, "\(scheme) component \(i): \(g[i]) vs \(smoothed[i])")
            }
            #expect(zip(g, exact).map { abs($0 - $1) }.max()! > 0.025, "\(scheme) must not match ∇f")
        }
    }

    @Test("second moments on a quadratic: Gaussian (d+2)‖g‖², sphere·d and Rademacher d‖g‖²")
    func secondMoments() throws {
        let g2 = DyadicQuadratic.gradient.reduce(0) { $0 + $1 * $1 }
        let d = 3.0, samples = 20_000
        for (distribution, factor) in [(DirectionDistribution.gaussian, d + 2), (.sphere, d), (.rademacher, d)] {
            var oracle = Oracle(DyadicQuadratic.objective())
            var rge = RandomDirectionEstimator(distribution: distribution, q: 1, mu: 0x1p-10, scheme: .central, seed: 99)
            var g: [Double] = []
            var sum = 0.0, sumSquares = 0.0
            for t in 0..<samples {
                _ = try rge.estimate(at: DyadicQuadratic.x, step: t, into: &g, oracle: &oracle)
                let s = g.reduce(0) { $0 + $1 * $1 }
                sum += s
                sumSquares += s * s
            }
            let mean = sum / Double(samples)
            let se = ((sumSquares / Double(samples) - mean * mean) / Double(samples)).squareRoot()
            #expect(abs(mean - factor * g2) < 4 * se, "\(distribution): \(mean) vs \(factor * g2) ± \(se)")
            #expect(oracle.counts.function == 2 * samples)
        }
    }

    @Test("common random numbers: all queries of one estimate see the same noise draw")
    func commonRandomNumbers() throws {
        let objective = ValueObjective("linear", x0: [0.5, 0.5], noise: 0.2) { 5 + $0[0] + 2 * $0[1] }
        var oracle = Oracle(objective, seed: 3)
        var x = objective.initialPoint, g: [Double] = []
        _ = try CoordinateGradientEstimator(mu: 0x1p-6, scheme: .central).estimate(at: &x, into: &g, oracle: &oracle)
        // One multiplier (1 + σu) for all four queries: the quotients keep the ratio 2 and differ from 1, 2.
        #expect(abs(g[1] / g[0] - 2) < 1e-12)
        #expect(abs(g[0] - 1) > 1e-6)
        #expect(!oracle.holdsNoise)
        // Two estimates see different draws.
        var g2: [Double] = []
        _ = try CoordinateGradientEstimator(mu: 0x1p-6, scheme: .central).estimate(at: &x, into: &g2, oracle: &oracle)
        #expect(g2[0] != g[0])
    }
}
