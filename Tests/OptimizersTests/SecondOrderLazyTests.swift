import Optimizers
import Testing

@Test(arguments: [("lazy_newton(m=3)", 10, 4), ("lazy_cubic(m=4)", 10, 3), ("lazy_newton", 9, 3), ("lazy_cubic", 8, 2),
                  ("lazy_cubic(m=1)", 5, 5)])
func lazyHessianCountIsCeilingOfStepsOverM(_ spec: String, _ steps: Int, _ expected: Int) throws {
    // rosenbrock(d=4): default m = d = 4.
    let r = try runOptimizer(spec, on: "rosenbrock(d=4)", steps: steps, stopBelow: -1)
    #expect(r.gaps.count == steps + 1)
    #expect(r.counts.hessian == expected, "\(spec): \(r.counts.hessian) Hessians in \(steps) steps")
    #expect(r.events.first??.hasPrefix("hessian_refresh") == true)
}

@Test(arguments: [("lazy_cubic(m=1)", "cubic"), ("lazy_newton(m=1)", "regularized_newton(solver=eigen)")])
func lazyWithPeriodOneIsTheNonLazyMethod(_ lazy: String, _ plain: String) throws {
    for problem in ["rosenbrock(d=6)", "wood", "helical_valley"] {
        let a = try runOptimizer(lazy, on: problem, steps: 30, stopBelow: -1)
        let b = try runOptimizer(plain, on: problem, steps: 30, stopBelow: -1)
        #expect(a.iterates == b.iterates, "\(lazy) vs \(plain) on \(problem)")
        #expect(a.counts == b.counts)
    }
}

@Test func lazyNewtonEigenPathMatchesCholeskyPath() throws {
    let a = try runOptimizer("lazy_newton(m=1)", on: "rosenbrock(d=6)", steps: 20, stopBelow: -1)
    let b = try runOptimizer("regularized_newton", on: "rosenbrock(d=6)", steps: 20, stopBelow: -1)
    for (xa, xb) in zip(a.iterates, b.iterates) {
        for i in 0..<xa.count { #expect(abs(xa[i] - xb[i]) <= 1e-9 * max(1, abs(xb[i]))) }
    }
}

@Test(arguments: ["lazy_cubic(m=5,sigma0=1e-30,sigma_min=1e-30)", "lazy_newton(m=5,H0=1e-30,h_min=1e-30)"])
func lazyOnQuadraticSolvesInOneStep(_ spec: String) throws {
    // The Hessian is constant, so the lazy method is Newton's method: one step to the minimiser.
    let r = try runOptimizer(spec, on: "quadratic(d=20,cond=1000,rotate=true)", steps: 3, stopBelow: -1)
    #expect(r.gaps[1] <= 1e-20 * r.gaps[0])
    #expect(r.counts.hessian == 1)
}

@Test(arguments: ["lazy_newton", "lazy_cubic"])
func lazyMethodsReachTheMinimum(_ spec: String) throws {
    let r = try runOptimizer(spec, on: "rosenbrock(d=10)", steps: 300, stopBelow: 1e-12)
    #expect(r.gaps.last! <= 1e-12, "\(spec): gap \(r.gaps.last!) after \(r.gaps.count - 1) steps, \(r.counts.hessian) Hessians")
    #expect(r.counts.hessian == (r.gaps.count - 1 + 9) / 10)
}
