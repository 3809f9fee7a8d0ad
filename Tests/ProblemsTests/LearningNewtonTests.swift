import LinearAlgebra
import OptimizationCore
import Problems
import Testing

/// The stored f* of the convex learning problems, recomputed by Newton's
/// method to ‖∇f‖ < 1e-12 (this is also how the constants were produced).
@Suite struct LearningNewtonTests {
    /// Damped Newton with Armijo backtracking from x0. `nullSpace`: a
    /// direction along which f is constant (softmax's common bias shift);
    /// its projector is added to the Hessian, which leaves the step on the
    /// orthogonal complement unchanged because ∇f ⊥ that direction.
    static func newton(_ p: ClassificationProblem, nullSpace: [Double]?) throws -> (f: Double, gradientNorm: Double) {
        var x = p.initialPoint
        for _ in 0..<60 {
            var g: [Double] = []
            let f = try p.gradient(at: x, into: &g)
            let gradientNorm = LearningTest.norm(g)
            if gradientNorm < 1e-12 { return (f, gradientNorm) }
            var h = try p.hessian(at: x)
            if let u = nullSpace {
                let uu = u.reduce(0) { $0 + $1 * $1 }
                for i in 0..<u.count where u[i] != 0 { for j in 0..<u.count where u[j] != 0 { h[i, j] += u[i] * u[j] / uu } }
            }
            let step = try Cholesky(h).solve(g.map { -$0 })
            let slope = zip(g, step).reduce(0) { $0 + $1.0 * $1.1 }
            // Near x* the decrease (~‖g‖²) falls below f's rounding, so
            // Armijo cannot see it: take full steps in that (quadratic) region.
            var t = 1.0
            while gradientNorm > 1e-6, t > 1e-12, try p.value(at: LearningTest.axpy(x, t, step)) > f + 1e-4 * t * slope { t /= 2 }
            x = LearningTest.axpy(x, t, step)
        }
        Issue.record("Newton did not reach ‖∇f‖ < 1e-12 on \(p.name)")
        return (.nan, .nan)
    }

    @Test func logregBreastCancerMinimum() throws {
        let p = try LearningTest.make("logreg(data=breast_cancer,l2=1e-3)")
        let (f, gradientNorm) = try Self.newton(p, nullSpace: nil)
        #expect(gradientNorm < 1e-12)
        let stored = try #require(p.knownMinimum)
        #expect(stored.kind == .global)
        #expect(abs(f - stored.value) <= 1e-12 * abs(stored.value), "Newton f* = \(f)")
    }

    @Test func softmaxDigitsMinimum() throws {
        let p = try LearningTest.make("softmax(data=digits,l2=1e-3)")
        var u = [Double](repeating: 0, count: p.dimension)
        for i in p.layout.block(named: "bias")!.range { u[i] = 1 }
        let (f, gradientNorm) = try Self.newton(p, nullSpace: u)
        #expect(gradientNorm < 1e-12)
        let stored = try #require(p.knownMinimum)
        #expect(abs(f - stored.value) <= 1e-12 * abs(stored.value), "Newton f* = \(f)")
        // The minibatch setting has the same full objective and f*.
        #expect(try LearningTest.make("softmax(batch=32)").knownMinimum == stored)
    }
}
