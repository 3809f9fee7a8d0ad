import OptimizationCore
import Optimizers
import Problems
import Testing

/// The undamped / unregularised limits of each Newton-type method.
private let newtonLimits = [
    "newton",
    "damped_newton(theta0=1e-30)",
    "damped_newton(rule=aicn,L=1e-30)",
    "regularized_newton(H0=1e-30,h_min=1e-30)",
    "cubic(sigma0=1e-30,sigma_min=1e-30)",
]

@Test(arguments: newtonLimits)
func firstStepSolvesQuadratic(_ spec: String) throws {
    let r = try runOptimizer(spec, on: "quadratic(d=20,cond=1000,rotate=true)", steps: 1)
    #expect(r.gaps[1] <= 1e-20 * r.gaps[0], "\(spec): gap after one step \(r.gaps[1]) from \(r.gaps[0])")
    #expect(r.counts.hessian == 1)
}

private let convergenceCases: [(String, String)] = {
    let methods = ["newton", "damped_newton", "regularized_newton", "cubic"]
    let problems = ["rosenbrock", "beale", "wood", "helical_valley"]
    return methods.flatMap { m in problems.map { (m, $0) } }
}()

@Test(arguments: convergenceCases)
func reachesMGHMinimumWithFastLocalRate(_ method: String, _ problem: String) throws {
    let r = try runOptimizer(method, on: problem, steps: 100, stopBelow: 1e-12)
    let final = r.gaps.last!
    #expect(final <= 1e-12, "\(method) on \(problem): gap \(final) after \(r.gaps.count - 1) steps")
    // Quadratic local convergence (Newton, cubic, damped with α → 1); regularised
    // Newton with λ = √(H‖g‖) is superlinear of order 3/2.
    let exponent = method == "regularized_newton" ? 1.35 : 1.7
    #expect(showsFastLocalConvergence(r.gaps, exponent: exponent), "\(method) on \(problem): gaps \(r.gaps)")
}

@Test(arguments: ["aicn", "rn", "un", "greedy", "grls", "self_concordant"])
func everyDampingRuleSolvesRosenbrock(_ rule: String) throws {
    let r = try runOptimizer("damped_newton(rule=\(rule))", on: "rosenbrock", steps: 100, stopBelow: 1e-12)
    #expect(r.gaps.last! <= 1e-12, "rule \(rule): gap \(r.gaps.last!) after \(r.gaps.count - 1) steps")
}

@Test func aicnStepOnQuadraticFollowsTheFormula() throws {
    // On a quadratic, x − αn gives g₁ = (1 − α)g₀ exactly; α = 2/(1 + √(1 + 2Lĝ)), ĝ² = g₀ᵀH⁻¹g₀.
    let problem = try catalogProblem("quadratic(d=5,cond=10)", as: (any HessianObjective).self)
    let x0 = problem.initialPoint
    let g0 = try problem.gradient(at: x0)
    let h = try problem.hessian(at: x0)
    var decrement2 = 0.0
    for i in 0..<5 { decrement2 += g0[i] * g0[i] / h[i, i] }   // diagonal Hessian
    let alpha = 2 / (1 + (1 + 2 * 3 * decrement2.squareRoot()).squareRoot())
    var opt = try OptimizerCatalog.shared.make("damped_newton(rule=aicn,L=3,backtrack=false)").0
    var oracle = Oracle(problem)
    var x = x0
    try opt.step(&x, oracle: &oracle)
    let g1 = try problem.gradient(at: x)
    #expect(abs(opt.currentLearningRate! - alpha) <= 1e-15)
    for i in 0..<5 { #expect(abs(g1[i] - (1 - alpha) * g0[i]) <= 1e-12 * abs(g0[i])) }
    #expect(oracle.counts == EvaluationCounts(gradient: 1, hessian: 1))
}

@Test func pureNewtonDivergesOnSqrtOnePlusSquare() throws {
    // Newton map x ↦ −x³: 2 → −8 → 512 → −1.3e8.
    let r = try run(Newton(lineSearch: false), on: sqrtProblem(x0: 2), steps: 3)
    #expect(abs(r.x[0] + 512.0 * 512 * 512) <= 1e-6 * 512.0 * 512 * 512)
}

@Test(arguments: ["newton", "damped_newton", "damped_newton(rule=aicn)", "damped_newton(rule=greedy)",
                  "regularized_newton", "cubic"])
func globalisedMethodsConvergeOnSqrtOnePlusSquare(_ spec: String) throws {
    let (opt, _) = try OptimizerCatalog.shared.make(spec)
    let r = try run(opt, on: sqrtProblem(x0: 2), steps: 100, stopBelow: 1e-20)
    #expect(abs(r.x[0]) <= 1e-8, "\(spec): x = \(r.x[0]) after \(r.gaps.count - 1) steps")
}

@Test func modifiedNewtonReportsTheShift() throws {
    // Rosenbrock at (0.5, 1), where ∇²f is indefinite.
    let problem = try catalogProblem("rosenbrock", as: (any HessianObjective).self)
    var opt = Newton()
    var oracle = Oracle(problem)
    var x = [0.5, 1.0]   // ∇²f₁₁ = 1200x₁² − 400x₂ + 2 = −98 < 0
    try opt.step(&x, oracle: &oracle)
    #expect(opt.lastEvent?.hasPrefix("modified_newton:mu=") == true, "event \(String(describing: opt.lastEvent))")
    #expect(try problem.value(at: x) < problem.value(at: [0.5, 1.0]))
}
