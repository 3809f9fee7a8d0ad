import OptimizationCore
import Optimizers
import Problems
import Testing

@Test(arguments: ["rosenbrock", "beale", "wood", "helical_valley", "quadratic(d=20,cond=1000,rotate=true)"])
func cubicLanczosReachesTheMinimumWithoutDenseHessians(_ problem: String) throws {
    let r = try runOptimizer("cubic(solver=lanczos)", on: problem, steps: 100, stopBelow: 1e-12)
    #expect(r.gaps.last! <= 1e-12, "cubic(solver=lanczos) on \(problem): gap \(r.gaps.last!) after \(r.gaps.count - 1) steps")
    #expect(r.counts.hessian == 0 && r.counts.hessianVector > 0)
}

@Test func cubicLanczosTrainsTheMLP() throws {
    let spec = "mlp(hidden=8)"
    let (problem, _) = try ProblemCatalog.shared.make(spec, seed: 3)
    let (opt, _) = try OptimizerCatalog.make("cubic(solver=lanczos,lanczos_max=10)", for: problem.capabilities, problemName: spec)
    let r = try run(opt, on: problem, steps: 10)
    #expect(r.gaps.last! < 0.5 * r.gaps[0], "loss \(r.gaps.first!) → \(r.gaps.last!)")
    #expect(r.counts.hessian == 0)
    #expect(r.counts.hessianVector <= 10 * 10)
}

@Test func exactCubicOnHVPOnlyProblemFailsWithOneLine() throws {
    let (problem, _) = try ProblemCatalog.shared.make("mlp(hidden=4)", seed: 0)
    var opt = try OptimizerCatalog.make("cubic", for: problem.capabilities, problemName: "mlp").0
    var oracle = Oracle(problem)
    var x = problem.initialPoint
    #expect(throws: (any Error).self) { try opt.step(&x, oracle: &oracle) }
}
