import Foundation
import Testing
import Harness
import OptimizationCore
import Optimizers

/// f(x) = ½‖x‖², optionally returning NaN after some calls.
final class Bowl: Objective {
    let nanAfter: Int?
    var calls = 0
    init(nanAfter: Int? = nil) { self.nanAfter = nanAfter }
    var name: String { nanAfter == nil ? "bowl" : "nan_bowl" }
    var dimension: Int { 2 }
    var layout: ParameterLayout { .flat(2) }
    var capabilities: Capabilities { [.value, .gradient, .knownMinimum] }
    var initialPoint: [Double] { [3, -4] }
    var knownMinimum: KnownMinimum? { KnownMinimum(value: 0, point: [0, 0]) }
    func value(at x: [Double]) throws -> Double { 0.5 * (x[0] * x[0] + x[1] * x[1]) }
    func gradient(at x: [Double], into g: inout [Double]) throws -> Double {
        calls += 1
        if let n = nanAfter, calls > n { g = [.nan, .nan] } else { g = x }
        return try value(at: x)
    }
}

/// Gradient descent with a fixed step, or one that throws at a given step.
struct FixedStep: GradientOptimizer {
    static let descriptor = OptimizerDescriptor(name: "gd", family: .firstOrder, summary: "", reference: "",
                                                hyperparameters: [], requires: [.gradient])
    var lr = 0.5
    var throwAt: Int?
    var taken = 0
    struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
    mutating func update(_ x: inout [Double], gradient: [Double], layout: ParameterLayout?) {
        for i in x.indices { x[i] -= lr * gradient[i] }
    }
    mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        taken += 1
        if let t = throwAt, taken >= t { throw Boom() }
        let (_, g) = try oracle.gradient(at: x)
        update(&x, gradient: g, layout: nil)
    }
    var currentLearningRate: Double? { lr }
}

let testSource = ComponentSource(
    makeProblem: { spec, _ in (spec == "nan_bowl" ? Bowl(nanAfter: 5) : Bowl(), spec, "test") },
    makeOptimizer: { spec, _, _ in
        switch spec {
        case "thrower": return (FixedStep(throwAt: 3), spec, "first")
        case "gd_slow": return (FixedStep(lr: 0.1), spec, "first")
        default: return (FixedStep(), spec, "first")
        }
    })

@Suite("Runner and run-set files")
struct RunnerTests {
    let runner = Runner(source: testSource)

    @Test("trace: step 0 is the initial point, counts never decrease, loss is the objective after k steps")
    func traceRows() throws {
        let r = runner.run(problem: "bowl", optimizer: "gd_slow", seed: 0, budget: Budget(steps: 30))
        #expect(r.status == .budget)
        #expect(r.rows.first?.step == 0 && r.rows.first?.loss == 12.5 && r.rows.first?.counts == EvaluationCounts())
        for (a, b) in zip(r.rows, r.rows.dropFirst()) {
            #expect(b.step > a.step)
            #expect(b.counts.gradient >= a.counts.gradient && b.time >= a.time && b.bestLoss <= a.bestLoss)
        }
        // GD with step 0.1 on ½‖x‖²: x_k = 0.9^k x0, f_k = 0.81^k f0.
        for row in r.rows {
            #expect(abs(row.loss - 12.5 * Double.pow(0.81, Double(row.step))) <= 1e-12 * 12.5)
            #expect(row.counts.gradient == row.step)
        }
        // Default grid: steps 0…10, then 20 per decade, then the final step.
        #expect(r.rows.map(\.step).prefix(11) == ArraySlice(0...10))
        #expect(r.rows.map(\.step).contains(12) && !r.rows.map(\.step).contains(11))
        #expect(r.rows.last?.step == 30 && r.rows.last?.events.contains("final") == true)
    }

    @Test func logEvery() {
        let r = Runner(source: testSource, grid: LoggingGrid(every: 7)).run(problem: "bowl", optimizer: "gd_slow", seed: 0, budget: Budget(steps: 20))
        #expect(r.rows.map(\.step) == [0, 7, 14, 20])
    }

    @Test("target gap stops the run as converged at the exact crossing")
    func converges() {
        let r = runner.run(problem: "bowl", optimizer: "gd_slow", seed: 0, budget: Budget(steps: 1000, targetGap: 1e-6))
        #expect(r.status == .converged)
        // 12.5·0.81^k ≤ 1e-6 first at k = 78.
        #expect(r.rows.last?.step == 78)
        #expect(r.rows.last?.events.contains("target:1e-6") == true)
    }

    @Test("a problem that returns NaN ends as diverged, trace kept")
    func diverges() {
        let r = runner.run(problem: "nan_bowl", optimizer: "gd", seed: 0, budget: Budget(steps: 100))
        #expect(r.status == .diverged)
        // Gradient calls: 1 for the step-0 log, then 2 per step (optimizer + the
        // logged grad_norm); call 6 is the optimizer's at step 3 and gives NaN.
        #expect(r.rows.last?.step == 3)
        #expect(r.rows.last?.events.contains("diverged:nan") == true)
        #expect(r.rows.count == 4)
    }

    @Test("an optimizer that throws ends as error with its message; others go on")
    func errors() {
        let plan = RunPlan(problems: ["bowl"], optimizers: ["thrower", "gd"], budget: Budget(steps: 10))
        let records = RunSet.execute(plan, runner: runner)
        #expect(records.map(\.status) == [.error, .budget])
        #expect(records[0].reason == "boom")
        #expect(records[0].rows.last?.step == 2)
    }

    @Test("evaluation budget")
    func evaluationBudget() {
        let r = runner.run(problem: "bowl", optimizer: "gd_slow", seed: 0, budget: Budget(steps: 100, evaluations: 15))
        #expect(r.status == .budget && r.rows.last?.counts.gradient == 15)
    }

    @Test("files: exact headers, and the same command gives identical files except time_s")
    func filesAreDeterministic() throws {
        let plan = RunPlan(problems: ["rosenbrock(d=6)", "quadratic(d=20,cond=1000)"], optimizers: ["adam(lr=0.01)"],
                           seeds: [0, 1], budget: Budget(steps: 50))
        let dirs = (0..<2).map { NSTemporaryDirectory() + "optlab-det-\($0)-\(getpid())" }
        for d in dirs {
            try RunSetWriter.write(RunSet.execute(plan), plan: plan, command: ["test"], to: d)
        }
        let a = try String(contentsOfFile: dirs[0] + "/traces.csv", encoding: .utf8)
        let b = try String(contentsOfFile: dirs[1] + "/traces.csv", encoding: .utf8)
        #expect(a.hasPrefix("run_id,problem,optimizer,seed,step,f_evals,grad_evals,hvp_evals,hess_evals,time_s,loss,best_loss,grad_norm,gap,step_norm,lr,test_metric,event,cost\n"))
        func dropTime(_ s: String) throws -> [[String]] {
            let t = try CSV.parse(s, source: "t")
            let c = try t.column("time_s")
            return t.rows.map { var r = $0; r[c] = ""; return r }
        }
        #expect(try dropTime(a) == dropTime(b))
        #expect(try CSV.parse(a, source: "a").rows.count > 20)
        let summary = try CSV.read(path: dirs[0] + "/summary.csv")
        #expect(summary.header == RunSetWriter.summaryHeader && summary.rows.count == 4)
        #expect(FileManager.default.fileExists(atPath: dirs[0] + "/manifest.json"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dirs[0]).filter { $0.contains(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func unknownSpecsBecomeErrorRuns() {
        let r = Runner().run(problem: "rosenbrok", optimizer: "adam", seed: 0, budget: Budget(steps: 5))
        #expect(r.status == .error && r.reason.contains("did you mean 'rosenbrock'"))
    }
}

import RealModule
