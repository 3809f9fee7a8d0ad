import OptimizationCore
@testable import Optimizers
import Testing

/// AdaHessian's estimate and step by hand on ``SeparableQuadratic``,
/// f(x) = ½ Σ hᵢxᵢ², where H z ⊙ z = h exactly for every probe.
struct AdaHessianTests {
    @Test func firstStepByHand() throws {
        let problem = SeparableQuadratic()
        var oracle = Oracle(problem)
        var opt = AdaHessian(lr: 0.1, weightDecay: 0.01, samples: 3)
        var x = problem.initialPoint
        try opt.step(&x, oracle: &oracle)
        // D = h; m = 0.1 g; v = 0.001 h²; denominator = √v/√0.001 + ε = h + 1e-4.
        let expected = (0..<3).map { i -> Double in
            let x0 = problem.initialPoint[i], g = problem.h[i] * x0
            let m = 0.1 * g
            return x0 - 0.1 * (m / 0.1 / (problem.h[i] + 1e-4) + 0.01 * x0)
        }
        for (a, b) in zip(x, expected) { #expect(abs(a - b) <= 1e-14 * abs(b)) }
        #expect(oracle.counts.hessianVector == 3 && oracle.counts.gradient == 1)
    }

    @Test func updateEachReusesTheEstimate() throws {
        let problem = SeparableQuadratic()
        var oracle = Oracle(problem)
        var opt = AdaHessian(updateEach: 4)
        var x = problem.initialPoint
        for _ in 0..<9 { try opt.step(&x, oracle: &oracle) }
        #expect(oracle.counts.hessianVector == 3)   // steps 1, 5, 9
        #expect(oracle.counts.gradient == 9)
    }

    @Test func probesAreRademacherAndReproducible() {
        var a = RademacherProbe(), b = RademacherProbe()
        a.reseed(7)
        b.reseed(7)
        var z1 = [Double](repeating: 0, count: 1001), z2 = z1
        z1.withUnsafeMutableBufferPointer { a.fill($0, step: 3, sample: 1) }
        z2.withUnsafeMutableBufferPointer { b.fill($0, step: 3, sample: 1) }
        #expect(z1 == z2)
        #expect(z1.allSatisfy { $0 == 1 || $0 == -1 })
        let plus = z1.filter { $0 == 1 }.count
        #expect(plus > 430 && plus < 570)   // ±4.4σ of Binomial(1001, ½)
        var z3 = z1
        z3.withUnsafeMutableBufferPointer { a.fill($0, step: 4, sample: 1) }
        #expect(z3 != z1)
    }
}
