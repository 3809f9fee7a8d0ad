import OptimizationCore
import Optimizers
import Problems
import Testing

@Test(arguments: ["rosenbrock", "beale", "wood", "helical_valley"])
func gnsReachesMGHMinimum(_ problem: String) throws {
    let r = try runOptimizer("gns", on: problem, steps: 150, stopBelow: 1e-12)
    #expect(r.gaps.last! <= 1e-12, "gns on \(problem): gap \(r.gaps.last!) after \(r.gaps.count - 1) steps")
}

@Test func gnsOnQuadraticDoublesTheRadiusAndAcceptsByTheRule() throws {
    // Strongly convex quadratic with the exact Hessian: every trial is accepted
    // (f − f⁺ ≥ ‖g⁺‖²/(8λ) holds for any λ > 0), so γ doubles each step and λ → 0.
    let problem = try catalogProblem("quadratic(d=10,cond=100,rotate=true)", seed: 2, as: (any DifferentiableObjective).self)
    var opt = GradientNormalizedSmoothness()
    var oracle = Oracle(problem)
    var x = problem.initialPoint
    for k in 1...40 {
        let f = try problem.value(at: x)
        try opt.step(&x, oracle: &oracle)
        #expect(opt.gamma == Double.pow(2, Double(k)))
        #expect(opt.lastEvent == nil)
        let g = try problem.gradient(at: x)
        let gg = g.reduce(0) { $0 + $1 * $1 }
        #expect(f - (try problem.value(at: x)) >= gg / (8 * opt.lambda) - 1e-15 * f)
        if gg.squareRoot() < 1e-10 { break }
    }
    #expect(try problem.gradient(at: x).reduce(0) { $0 + $1 * $1 }.squareRoot() < 1e-10)
    #expect(oracle.counts.hessian <= 40)
}

/// Gauss–Newton on a zero-residual problem converges like Newton.
@Test func gnsWithGaussNewtonReachesTheRosenbrockMinimum() throws {
    let r = try runOptimizer("gns(curvature=ggn)", on: "rosenbrock(d=10)", steps: 200, stopBelow: 1e-12)
    #expect(r.gaps.last! <= 1e-12, "gap \(r.gaps.last!) after \(r.gaps.count - 1) steps")
    #expect(r.counts.hessian == r.gaps.count - 1)
}

@Test func gnsWithFisherDecreasesLogisticLoss() throws {
    let r = try runOptimizer("gns(curvature=fisher)", on: "logreg(data=breast_cancer)", steps: 20)
    #expect(r.gaps.last! < 0.1 * r.gaps.first!)
    #expect(r.counts.hessian == 20)
}

@Test func gnsRefusesACurvatureTheProblemLacks() throws {
    let problem = try catalogProblem("rosenbrock(d=4)", as: (any DifferentiableObjective).self)
    #expect(throws: SpecError.self) {
        _ = try OptimizerCatalog.make("gns(curvature=fisher)", for: problem.capabilities, problemName: "rosenbrock(d=4)")
    }
    _ = try OptimizerCatalog.make("gns(curvature=ggn)", for: problem.capabilities, problemName: "rosenbrock(d=4)")
}
