import OptimizationCore
@testable import Optimizers
import Problems
import Testing

/// Hand-checkable pieces of SOAP (its trajectories against soap.py are in
/// MatrixMethodTrajectoryTests).
struct SOAPTests {
    /// soap.py's merge_dims on a few shapes.
    @Test func mergedShapes() {
        #expect(SOAP.mergedShape([10, 64], limit: 10000) == [640])
        #expect(SOAP.mergedShape([10, 64], limit: 100) == [10, 64])
        #expect(SOAP.mergedShape([3, 4, 5], limit: 12) == [12, 5])
        #expect(SOAP.mergedShape([2000, 3], limit: 1000) == [2000, 3])
        #expect(SOAP.mergedShape([4, 2000, 3, 3], limit: 1000) == [4, 2000, 9])
    }

    /// A 1-D block without `precondition_1d`: the first call does not move θ,
    /// the second is Adam's first step in SOAP's arithmetic.
    @Test func oneDimensionalBlockIsAdamAfterASkippedStep() {
        var x = [1.0, -2.0, 0.5]
        let g = [0.3, -1.2, 2.5]
        var soap = SOAP(lr: 0.1, beta1: 0.9, beta2: 0.99, weightDecay: 0.5)
        soap.update(&x, gradient: g)
        #expect(x == [1.0, -2.0, 0.5])
        soap.update(&x, gradient: g)
        let stepSize = 0.1 * (1 - 0.99).squareRoot() / (1 - 0.9)
        let expected = zip([1.0, -2.0, 0.5], g).map { x0, gi -> Double in
            let (m, v) = (0.1 * gi, 0.01 * gi * gi)
            let moved = x0 + -stepSize * (m / (v.squareRoot() + 1e-8))
            return moved + (-0.1 * 0.5) * moved
        }
        for (a, b) in zip(x, expected) { #expect(abs(a - b) <= 1e-15 * max(1, abs(b))) }
    }

    /// A refresh costs one `hess_evals`: the first call's eigendecompositions
    /// and every `precondition_frequency`-th step's QR.
    @Test func refreshesAreCountedAsHessianEvaluations() throws {
        let (problem, _) = try ProblemCatalog.shared.make("softmax(data=digits)")
        var oracle = Oracle(problem)
        var soap = SOAP(preconditionFrequency: 10)
        var x = problem.initialPoint
        for _ in 0..<21 { try soap.step(&x, oracle: &oracle) }
        #expect(oracle.counts.gradient == 21)
        #expect(oracle.counts.hessian == 3)   // call 1, steps 10 and 20
        #expect(soap.stepCount == 20)
    }

    /// The eigenbasis makes SOAP invariant to a rotation of a full-rank
    /// factor's side: a quadratic f(W) = ½‖AW‖² on W [4, 3] (rows coupled by
    /// AᵀA) decreases monotonically at a small rate.
    @Test func decreasesAQuadraticInMatrixForm() {
        let a: [Double] = [2, 0.5, 0, 0, 0.5, 1, 0.2, 0, 0, 0.2, 3, 0.1, 0, 0, 0.1, 0.7]
        func gradient(_ w: [Double]) -> (Double, [Double]) {
            var aw = [Double](repeating: 0, count: 12)
            for i in 0..<4 { for j in 0..<3 { for k in 0..<4 { aw[i * 3 + j] += a[i * 4 + k] * w[k * 3 + j] } } }
            var g = [Double](repeating: 0, count: 12)
            for k in 0..<4 { for j in 0..<3 { for i in 0..<4 { g[k * 3 + j] += a[i * 4 + k] * aw[i * 3 + j] } } }
            return (0.5 * aw.map { $0 * $0 }.reduce(0, +), g)
        }
        let layout = ParameterLayout([("W", [4, 3])])
        var w = (0..<12).map { 1 + 0.1 * Double($0) }
        var soap = SOAP(lr: 0.03, weightDecay: 0, preconditionFrequency: 2)
        var last = gradient(w).0
        for _ in 0..<100 {
            soap.update(&w, gradient: gradient(w).1, layout: layout)
            let f = gradient(w).0
            #expect(f <= last + 1e-12)
            last = f
        }
        #expect(last < 0.5 * gradient((0..<12).map { 1 + 0.1 * Double($0) }).0)
    }
}
