import Harness
import LinearAlgebra
import OptimizationCore
import Optimizers
import Problems
import Testing

/// The harness judges an optimizer at its evaluation point (Schedule-Free:
/// x = lerp(y, z, 1 − 1/β), not the iterate y), and counts mars(approx=false)'s
/// second gradient.
@Suite("Runner: evaluation point and two-gradient steps")
struct EvaluationPointTests {
    /// Replays `steps` steps of a first-order optimizer by hand: (y, x) after each step.
    static func replay(_ spec: String, problem: any DifferentiableObjective, steps: Int) throws -> [(y: [Double], x: [Double])] {
        var opt = try #require(try OptimizerCatalog.shared.make(spec).0 as? any GradientOptimizer)
        var y = problem.initialPoint
        var out: [(y: [Double], x: [Double])] = [(y, y)]
        for _ in 0..<steps {
            var g: [Double] = []
            _ = try problem.gradient(at: y, into: &g)
            opt.update(&y, gradient: g, layout: problem.layout)
            out.append((y, opt.evaluationPoint(y)))
        }
        return out
    }

    @Test("schedulefree and asgd runs log loss, best_loss, gap, ‖∇f‖ at x — not at the iterate y")
    func scheduleFreeIsJudgedAtX() throws {
        // asgd with t0 = −1 averages from step 2 on (its x is the average ax).
        for spec in ["schedulefree_sgd(lr=0.0005)", "schedulefree_adamw(lr=0.01)", "asgd(lr=0.0005,t0=-1)"] {
            let problem = try #require(try ProblemCatalog.shared.make("rosenbrock(d=6)", seed: 0).0 as? any DifferentiableObjective)
            let record = Runner().run(problem: "rosenbrock(d=6)", optimizer: spec, seed: 0, budget: Budget(steps: 20))
            #expect(record.status == .budget, "\(spec): \(record.reason)")
            let points = try Self.replay(spec, problem: problem, steps: 20)
            var best = Double.infinity
            var atXDiffersFromY = 0
            for row in record.rows {
                let (y, x) = points[row.step]
                let fx = try problem.fullValue(at: x), fy = try problem.fullValue(at: y)
                best = min(best, fx)
                #expect(row.loss == fx, "\(spec) step \(row.step): logged \(row.loss), f(x) = \(fx), f(y) = \(fy)")
                #expect(row.bestLoss == best)
                #expect(row.gap == fx - 0)
                #expect(row.gradNorm == BLAS.nrm2(try problem.gradient(at: x)))
                if fx != fy { atXDiffersFromY += 1 }
            }
            #expect(atXDiffersFromY >= 15, "\(spec): x and y should differ after the first step")
        }
    }

    @Test("the test metric is taken at x too")
    func testMetricAtX() throws {
        let spec = "schedulefree_sgd(lr=0.5,momentum=0.5)"
        let problem = try #require(try ProblemCatalog.shared.make("softmax", seed: 0).0 as? any DifferentiableObjective)
        let record = Runner().run(problem: "softmax", optimizer: spec, seed: 0, budget: Budget(steps: 5))
        let points = try Self.replay(spec, problem: problem, steps: 5)
        for row in record.rows {
            let x = points[row.step].x
            #expect(row.testMetric == problem.testMetric(at: x))
            let loss = try problem.fullValue(at: x)
            #expect(row.loss == loss)
        }
    }

    @Test("an ordinary optimizer's evaluation point is its iterate, with no copy")
    func ordinaryOptimizersAnswerWithTheirIterate() {
        var point: [Double] = []
        #expect(Adam().evaluationPoint([1, 2], into: &point) == false && point.isEmpty)
        #expect(Adam().evaluationPoint([1, 2]) == [1, 2])
        var sf = ScheduleFreeSGD(lr: 0.1)
        #expect(sf.evaluationPoint([1, 2]) == [1, 2])                  // before the first step x = y
        var y = [1.0, 2.0]
        sf.update(&y, gradient: [1, -1])
        // z = (0.9, 2.1); y = lerp(y0, z, 1) − 0.1·(0.9·0 − 1)… c = 1 at step 1: y = z + 0.1·(−1)·g = (0.8, 2.2)?
        // Reference arithmetic: y ← z₀ + η(β(1−1) − 1)g = y₀ − ηg = (0.9, 2.1); z ← y₀ − ηg = (0.9, 2.1): x = y.
        #expect(y == [0.9, 2.1] && sf.z == [0.9, 2.1] && sf.evaluationPoint(y) == [0.9, 2.1])
        sf.update(&y, gradient: [1, -1])
        // Step 2: c = ½; y ← lerp(y, z, ½) + 0.1(0.9·½ − 1)·g = y − 0.055g; z ← z − 0.1g.
        #expect(maxRelativeError(y, [0.845, 2.155]) < 1e-15 && maxRelativeError(sf.z, [0.8, 2.2]) < 1e-15)
        // x = lerp(y, z, 1 − 1/0.9) = y + (−1/9)(z − y) = (0.85, 2.15): the average of z₁, z₂.
        #expect(maxRelativeError(sf.evaluationPoint(y), [0.85, 2.15]) < 1e-14)
    }

    @Test("mars(approx=false) takes ∇f at the previous point on the current minibatch: 2 gradients per step")
    func marsExactCountsTwoGradients() throws {
        let problemSpec = "softmax(batch=64)"
        let steps = 6
        let exact = Runner().run(problem: problemSpec, optimizer: "mars(approx=false,lr=0.01)", seed: 1,
                                 budget: Budget(steps: steps))
        let approx = Runner().run(problem: problemSpec, optimizer: "mars(lr=0.01)", seed: 1, budget: Budget(steps: steps))
        #expect(exact.status == .budget && approx.status == .budget)
        for row in exact.rows { #expect(row.counts.gradient == max(0, 2 * row.step - 1)) }
        for row in approx.rows { #expect(row.counts.gradient == row.step) }
        // The importer path by hand: g and g₋ on the same batch.
        let problem = try #require(try ProblemCatalog.shared.make(problemSpec, seed: 1).0 as? any DifferentiableObjective)
        var opt = MARS(lr: 0.01, approx: false)
        var x = problem.initialPoint
        var previous: [Double]?
        for k in 0..<steps {
            problem.beginStep(k)
            var g: [Double] = [], gPrevious: [Double] = []
            _ = try problem.gradient(at: x, into: &g)
            let before = x
            if let previous {
                _ = try problem.gradient(at: previous, into: &gPrevious)
                opt.update(&x, gradient: g, previousGradient: gPrevious, layout: problem.layout)
            } else {
                opt.update(&x, gradient: g, layout: problem.layout)
            }
            previous = before
        }
        let last = try #require(exact.rows.last)
        let finalLoss = try problem.fullValue(at: x)
        #expect(last.step == steps && last.loss == finalLoss)
        #expect(last.loss != approx.rows.last?.loss, "on minibatches the exact and approximate corrections differ")
    }
}

private func maxRelativeError(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1) / max(abs($1.0), abs($1.1))) }
}
