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

@Test func exactCubicOnHVPOnlyProblemIsRejectedAtConstruction() throws {
    let (problem, _) = try ProblemCatalog.shared.make("mlp(hidden=4)", seed: 0)
    // solver=exact needs the dense Hessian: the catalog refuses the pair with
    // one line naming what is missing; the Lanczos solver is accepted.
    #expect {
        _ = try OptimizerCatalog.make("cubic", for: problem.capabilities, problemName: "mlp")
    } throws: { error in
        let text = "\(error)"
        return text.contains("cubic needs hessian") && text.contains("'mlp' provides")
    }
    _ = try OptimizerCatalog.make("cubic(solver=lanczos)", for: problem.capabilities, problemName: "mlp")
}
