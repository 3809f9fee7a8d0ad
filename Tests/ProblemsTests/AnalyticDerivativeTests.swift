import LinearAlgebra
import OptimizationCore
import Testing
@testable import Problems

/// Every analytic and global problem: gradient against central finite
/// differences, Hessian against differences of the gradient, HVP against H·v.
@Suite struct AnalyticDerivativeTests {
    typealias S = AnalyticTestSupport

    @Test(arguments: S.specs)
    func gradientMatchesFiniteDifferences(_ spec: String) throws {
        let p = try S.make(spec)
        for x in [p.initialPoint, S.randomPoint(p, seed: 11)] {
            var g = [Double](repeating: 0, count: p.dimension)
            let f = try p.gradient(at: x, into: &g)
            #expect(abs(f - (try p.value(at: x))) <= 1e-13 * max(1, abs(f)), "\(spec): value from gradient pass")
            let fd = (0..<p.dimension).map { i in S.difference(x, i) { (try? p.value(at: $0)) ?? .nan } }
            let tol = 1e-6 * S.maxAbs(g) + 1e-8 * max(1, abs(f))
            let err = S.maxAbs(zip(g, fd).map { $0 - $1 })
            #expect(err <= tol, "\(spec) at \(x.prefix(4)): gradient error \(err) > \(tol)")
        }
    }

    @Test(arguments: S.specs)
    func hessianMatchesDifferencesOfTheGradient(_ spec: String) throws {
        let p = try S.make(spec)
        for x in [p.initialPoint, S.randomPoint(p, seed: 12)] {
            let h = try p.hessian(at: x)
            let n = p.dimension
            var worst = 0.0
            for j in 0..<n {
                for i in 0..<n {
                    let fd = S.difference(x, j) { (try? p.gradient(at: $0))?[i] ?? .nan }
                    worst = max(worst, abs(fd - h[i, j]))
                }
            }
            let g = try p.gradient(at: x)
            let tol = 1e-6 * S.maxAbs(h.storage) + 1e-8 * max(1, S.maxAbs(g))
            #expect(worst <= tol, "\(spec): Hessian error \(worst) > \(tol)")
            #expect(h == h.transposed, "\(spec): Hessian not symmetric")
        }
    }

    @Test(arguments: S.specs)
    func hessianVectorProductMatchesHessianTimesVector(_ spec: String) throws {
        let p = try S.make(spec)
        let x = S.randomPoint(p, seed: 13)
        var rng = SplitMix64(seed: 99)
        let v = (0..<p.dimension).map { _ in rng.gaussian() }
        let h = try p.hessian(at: x)
        var expected = [Double](repeating: 0, count: p.dimension)
        BLAS.gemv(h, v, into: &expected)
        var hv = [Double](repeating: 0, count: p.dimension)
        try p.hessianVectorProduct(at: x, v, into: &hv)
        let scale = S.maxAbs(h.storage) * S.maxAbs(v) * Double(p.dimension)
        let err = S.maxAbs(zip(hv, expected).map { $0 - $1 })
        #expect(err <= 1e-10 * max(scale, 1e-300), "\(spec): HVP error \(err), scale \(scale)")
    }

    /// The hand-written fast paths agree with the generic hyper-dual path.
    @Test(arguments: ["rosenbrock(d=9)", "quadratic(d=13,rotate=true)", "quadratic(d=13)", "rayleigh(d=11)"])
    func handWrittenDerivativesMatchTheGenericPath(_ spec: String) throws {
        let p = try S.make(spec)
        let f = p.function as! any GenericFunction
        let x = S.randomPoint(p, seed: 21)
        var rng = SplitMix64(seed: 5)
        let v = (0..<p.dimension).map { _ in rng.gaussian() }
        let n = p.dimension
        var g1 = [Double](repeating: 0, count: n), g2 = g1, hv1 = g1, hv2 = g1
        let f1 = f.gradient(x, into: &g1), f2 = f.genericGradient(x, into: &g2)
        #expect(abs(f1 - f2) <= 1e-12 * max(1, abs(f1)))
        #expect(abs(f.value(x) - f.evaluate(x)) <= 1e-12 * max(1, abs(f1)))
        #expect(S.maxAbs(zip(g1, g2).map { $0 - $1 }) <= 1e-12 * max(1, S.maxAbs(g2)))
        let h1 = f.hessian(x), h2 = f.genericHessian(x)
        #expect(S.maxAbs(zip(h1.storage, h2.storage).map { $0 - $1 }) <= 1e-12 * max(1, S.maxAbs(h2.storage)))
        f.hessianVectorProduct(x, v, into: &hv1)
        f.genericHessianVectorProduct(x, v, into: &hv2)
        #expect(S.maxAbs(zip(hv1, hv2).map { $0 - $1 }) <= 1e-11 * max(1, S.maxAbs(hv2)))
    }
}
