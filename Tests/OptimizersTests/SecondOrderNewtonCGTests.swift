import OptimizationCore
import Problems
import Optimizers
import Testing

// Wood takes 196 steps: a long phase of negative curvature, where CG returns −g
// (a known weakness of line-search truncated Newton).
@Test(arguments: ["rosenbrock", "beale", "wood", "helical_valley", "rosenbrock(d=20)"])
func newtonCGReachesMGHMinimum(_ problem: String) throws {
    let r = try runOptimizer("newton_cg", on: problem, steps: 250, stopBelow: 1e-12)
    #expect(r.gaps.last! <= 1e-12, "newton_cg on \(problem): gap \(r.gaps.last!) after \(r.gaps.count - 1) steps")
    #expect(r.counts.hessian == 0 && r.counts.hessianVector > 0)
}

@Test func newtonCGSolvesAQuadraticWithinDProducts() throws {
    // CG on the exact Hessian of a d = 20 quadratic: while ‖g‖ is large the forcing term
    // η = 0.5 truncates CG; once ‖g‖ < 1, η = √‖g‖ gives superlinear convergence to round-off.
    // At most d products per step (CG is exact after d).
    let r = try runOptimizer("newton_cg(max_cg=20)", on: "quadratic(d=20,cond=1000,rotate=true)", steps: 30, stopBelow: 1e-20)
    #expect(r.gaps.last! <= 1e-20 * r.gaps[0], "gaps \(r.gaps)")
    #expect(r.counts.hessianVector <= 20 * (r.gaps.count - 1))
}

@Test func newtonCGTrainsTheMLP() throws {
    // No dense Hessian on mlp: the catalog accepts newton_cg (hvp only) and refuses newton.
    let spec = "mlp(hidden=8)"
    let (problem, _) = try ProblemCatalog.shared.make(spec, seed: 3)
    #expect(throws: (any Error).self) { try OptimizerCatalog.make("newton", for: problem.capabilities, problemName: spec) }
    let (opt, _) = try OptimizerCatalog.make("newton_cg(max_cg=20)", for: problem.capabilities, problemName: spec)
    let r = try run(opt, on: problem, steps: 15)
    #expect(r.gaps.last! < 0.25 * r.gaps[0], "loss \(r.gaps.first!) → \(r.gaps.last!)")
    #expect(r.counts.hessian == 0 && r.counts.hessianVector > 15)
}
