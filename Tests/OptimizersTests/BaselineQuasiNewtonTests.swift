import Optimizers
import Testing

@Test(arguments: [("lbfgs", "rosenbrock", 100), ("lbfgs", "beale", 100), ("lbfgs", "wood", 200), ("lbfgs", "helical_valley", 100),
                  ("bfgs", "rosenbrock", 100), ("bfgs", "beale", 100), ("bfgs", "wood", 200), ("bfgs", "helical_valley", 100),
                  ("lbfgs", "rosenbrock(d=20)", 300)])
func quasiNewtonReachesMGHMinimum(_ method: String, _ problem: String, _ steps: Int) throws {
    let r = try runOptimizer(method, on: problem, steps: steps, stopBelow: 1e-12)
    #expect(r.gaps.last! <= 1e-12, "\(method) on \(problem): gap \(r.gaps.last!) after \(r.gaps.count - 1) steps")
    #expect(r.counts.hessian == 0 && r.counts.hessianVector == 0)
    #expect(r.counts.gradient >= r.gaps.count - 1)
}

@Test(arguments: ["bfgs(c2=0.01)", "lbfgs(c2=0.01)"])
func quasiNewtonWithNearExactLineSearchTerminatesOnQuadratic(_ spec: String) throws {
    // With (near) exact line searches BFGS on a d-dimensional quadratic terminates in about d steps
    // (L-BFGS too while m ≥ steps); with c2 = 0.9 it does not (the loose search leaves H₀'s scaling).
    let r = try runOptimizer(spec, on: "quadratic(d=10,cond=100,rotate=true)", steps: 12, stopBelow: 0)
    #expect(r.gaps.last! <= 1e-20 * r.gaps[0], "\(spec): gap \(r.gaps.last!) after \(r.gaps.count - 1) steps")
}
