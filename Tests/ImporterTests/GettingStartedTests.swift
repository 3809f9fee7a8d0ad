import Optimizers
import Testing

/// The snippets of Optimizers.docc/GettingStarted.md, compiled and run as an
/// importer would (only `import Optimizers`): if the article goes stale, this fails.
struct GettingStartedTests {
    /// f(x) = (1 − x₀)² + 100(x₁ − x₀²)²
    final class Rosenbrock: HessianObjective {
        let name = "my_rosenbrock"
        let dimension = 2
        var layout: ParameterLayout { .flat(2) }
        let initialPoint = [-1.2, 1.0]

        func value(at x: [Double]) throws -> Double {
            let a = 1 - x[0], b = x[1] - x[0] * x[0]
            return a * a + 100 * b * b
        }

        func gradient(at x: [Double], into g: inout [Double]) throws -> Double {
            let a = 1 - x[0], b = x[1] - x[0] * x[0]
            g = [-2 * a - 400 * x[0] * b, 200 * b]
            return a * a + 100 * b * b
        }

        func hessian(at x: [Double]) throws -> Matrix {
            Matrix([[2 - 400 * (x[1] - 3 * x[0] * x[0]), -400 * x[0]],
                    [-400 * x[0], 200]])
        }
    }

    @Test func oracleStepPathWithLBFGSNewtonAndNelderMead() throws {
        let problem = Rosenbrock()
        #expect(problem.capabilities == [.value, .gradient, .hessian])   // derived from HessianObjective
        var oracle = Oracle(problem)
        var x = problem.initialPoint
        var lbfgs = LBFGS()
        try lbfgs.prepare(RunContext(layout: problem.layout, totalSteps: 100))
        for _ in 0..<100 {
            try lbfgs.step(&x, oracle: &oracle)
        }
        #expect(try problem.value(at: x) < 1e-12)
        let c = oracle.counts
        #expect(c.gradient > 0 && c.hessian == 0 && c.hessianVector == 0)

        var newtonOracle = Oracle(problem)
        var y = problem.initialPoint
        var newton = Newton()
        for _ in 0..<50 { try newton.step(&y, oracle: &newtonOracle) }
        #expect(try problem.value(at: y) < 1e-12)
        #expect(newtonOracle.counts.hessian > 0)

        var nmOracle = Oracle(problem)
        var z = problem.initialPoint
        var nm = NelderMead()
        try nm.prepare(RunContext(layout: problem.layout, totalSteps: 2000))
        for _ in 0..<2000 { try nm.step(&z, oracle: &nmOracle) }
        #expect(try problem.value(at: z) < 1e-6)
        #expect(nmOracle.counts.gradient == 0 && nmOracle.counts.function > 0)
    }

    @Test func scheduleWithItsHorizonAndLayouts() throws {
        var params = [Double](repeating: 1, count: 2080)
        let grad = params.map { 2 * $0 }
        var opt = AdamW(lr: 1e-3, schedule: .cosine(total: 10_000, warmup: 500))
        opt.update(&params, gradient: grad)
        #expect(opt.currentLearningRate == 1e-3 / 500)
        let layout = ParameterLayout([("W", [32, 64]), ("b", [32])])
        #expect(layout.dimension == 2080)
        var adamp = AdamP(lr: 1e-3)
        adamp.update(&params, gradient: grad, layout: layout)
        let (built, _) = try OptimizerCatalog.shared.make("adam(lr=1e-2,beta1=0.95)")
        let adam = try #require(built as? Adam)
        #expect(adam.lr == 1e-2 && adam.beta1 == 0.95)
    }
}
