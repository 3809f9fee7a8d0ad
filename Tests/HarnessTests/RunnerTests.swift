import Foundation
import Testing
import RealModule
@testable import Harness
import OptimizationCore

@Suite("Runner: traces, logging grid, budgets, statuses")
struct RunnerTests {
    let runner = Runner(source: testSource)

    @Test("step 0 is the initial point; loss at step k is the objective after k steps; counts never decrease")
    func traceRows() throws {
        let r = runner.run(problem: "bowl", optimizer: "gd", seed: 0, budget: Budget(steps: 30))
        #expect(r.status == .budget && r.reason == "step budget 30")
        let first = try #require(r.rows.first)
        #expect(first.step == 0 && first.loss == 12.5 && first.counts == EvaluationCounts() && first.cost == 0)
        #expect(first.gradNorm == 5 && first.stepNorm == nil && first.gap == 12.5)
        for (a, b) in zip(r.rows, r.rows.dropFirst()) {
            #expect(b.step > a.step)
            #expect(b.counts.gradient >= a.counts.gradient && b.counts.function >= a.counts.function)
            #expect(b.cost >= a.cost && b.time >= a.time && b.bestLoss <= a.bestLoss)
        }
        // GD with step 0.1 on ½‖x‖²: x_k = 0.9^k x0, f_k = 0.81^k f0, one gradient per step, cost 2 per gradient.
        for row in r.rows {
            #expect(abs(row.loss - 12.5 * Double.pow(0.81, Double(row.step))) <= 1e-13 * 12.5)
            #expect(row.counts.gradient == row.step && row.cost == Double(2 * row.step))
            #expect(row.lr == 0.1)
        }
        // ‖x_1 − x_0‖ = 0.1·‖x0‖ = 0.5.
        let row1 = try #require(r.rows.first { $0.step == 1 })
        #expect(abs(try #require(row1.stepNorm) - 0.5) < 1e-15)
        #expect(r.rows.last?.step == 30 && r.rows.last?.events.contains("final") == true)
    }

    @Test("default grid: every step to 10, then ⌈10^(j/20)⌉, plus the final step")
    func loggingGrid() {
        let r = runner.run(problem: "plain_bowl", optimizer: "gd(lr=0.001)", seed: 0, budget: Budget(steps: 1000))
        var expected = Set(0...10)
        for j in 21...60 { expected.insert(Int(Double.pow(10, Double(j) / 20).rounded(.up))) }
        expected.insert(1000)
        #expect(r.rows.map(\.step) == expected.sorted())
        #expect(r.rows.map(\.step).prefix(14) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 15])
    }

    @Test("Runner.threads is handed to ThreadedUpdate optimizers; nil keeps their own setting")
    func threadsReachOptimizer() {
        for (threads, expected) in [(nil, 1.0), (1, 1.0), (2, 2.0)] as [(Int?, Double)] {
            let r = Runner(source: testSource, threads: threads)
                .run(problem: "bowl", optimizer: "thread_probe", seed: 0, budget: Budget(steps: 3))
            #expect(r.rows.count == 4 && r.rows.allSatisfy { $0.lr == expected }, "threads \(String(describing: threads))")
        }
    }

    @Test("--threads reaches threaded optimizers (adam, deepzero) and leaves every logged loss bit-identical")
    func threadsDoNotChangeResults() throws {
        for (problem, optimizer) in [("rosenbrock(d=70000)", "adam(lr=0.01)"),   // above the 2^16 split threshold
                                     ("logreg", "deepzero(sparsity=0.5,ratios=uniform,lr=0.05)")] {
            let one = Runner(threads: 1).run(problem: problem, optimizer: optimizer, seed: 3, budget: Budget(steps: 40))
            let two = Runner(threads: 2).run(problem: problem, optimizer: optimizer, seed: 3, budget: Budget(steps: 40))
            #expect(one.status == .budget, "\(optimizer): \(one.reason)")
            #expect(one.rows.count > 10 && one.rows.map(\.loss) == two.rows.map(\.loss), "\(optimizer)")
            #expect(one.rows.last!.loss < one.rows.first!.loss, "\(optimizer) made no progress")
        }
    }

    @Test("--log-every K logs steps 0, K, 2K, … and the final step")
    func logEvery() {
        let r = Runner(source: testSource, grid: LoggingGrid(every: 7))
            .run(problem: "plain_bowl", optimizer: "gd", seed: 0, budget: Budget(steps: 20))
        #expect(r.rows.map(\.step) == [0, 7, 14, 20])
    }

    @Test("every gap-target crossing is logged at the exact step, with its event")
    func targetCrossings() throws {
        let r = Runner(source: testSource, grid: LoggingGrid(every: 1000))
            .run(problem: "bowl", optimizer: "gd", seed: 0, budget: Budget(steps: 200))
        // 12.5·0.81^k ≤ 10^e first at k = ⌈log(10^e/12.5)/log 0.81⌉.
        // COCO's 51 targets 10^(2 − j/5); the first crossed at each step is the largest.
        var expected: [Int: Double] = [0: 100]   // f0 = 12.5 ≤ 100 (and 10^1.8, …, 10^1.2) already
        for j in 5...50 {
            let t = Runner.gapTargets[j]
            #expect(abs(t - Double.pow(10, 2 - Double(j) / 5)) <= 1e-14 * t)
            let k = Int((Double.log(t / 12.5) / Double.log(0.81)).rounded(.up))
            if expected[k] == nil { expected[k] = t }
        }
        let tagged = r.rows.filter { $0.events.contains { $0.hasPrefix("target:") } }
        let first = tagged.map { ($0.step, Double($0.events.first { $0.hasPrefix("target:") }!.dropFirst(7))!) }
        #expect(Dictionary(uniqueKeysWithValues: first) == expected)
        #expect(Runner.gapTargets.count == 51 && Runner.gapTargets[5] == 10 && Runner.gapTargets[50] == 1e-8)
        for row in tagged { #expect(row.gap! <= Double(row.events[0].dropFirst(7))!) }
    }

    @Test("target gap: converged at the first step with best_loss − f* ≤ G")
    func converges() throws {
        let r = runner.run(problem: "bowl", optimizer: "gd", seed: 0, budget: Budget(steps: 1000, targetGap: 1e-6))
        #expect(r.status == .converged && r.reason == "target gap 1e-6 reached")
        // 12.5·0.81^k ≤ 1e-6 first at k = 78.
        #expect(r.rows.last?.step == 78)
        #expect(r.rows.last?.events == ["target:1e-6", "final"])
        let summary = try CSV.parse(CSV.line(RunSetWriter.summaryHeader) + RunSetWriter.summaryLine(r), source: "s")
        let row = summary.rows[0]
        #expect(row[try summary.column("steps_to_target")] == "78")
        #expect(row[try summary.column("cost_to_target")] == "156")
        #expect(row[try summary.column("status")] == "converged")
    }

    @Test("evaluation budget stops after exactly that many counted evaluations")
    func evaluationBudget() {
        let r = runner.run(problem: "bowl", optimizer: "gd", seed: 0, budget: Budget(steps: 100, evaluations: 15))
        #expect(r.status == .budget && r.reason == "evaluation budget 15")
        #expect(r.rows.last?.counts.gradient == 15 && r.rows.last?.step == 15)
        #expect(r.rows.last?.events.contains("final") == true)
    }

    @Test("time limit: status budget with its reason")
    func timeLimit() {
        let r = runner.run(problem: "bowl", optimizer: "gd", seed: 0, budget: Budget(steps: 1_000_000, seconds: 1e-12))
        #expect(r.status == .budget && r.reason == "time limit 1e-12 s")
        #expect(r.rows.last?.step == 1)   // the limit is checked after every step
    }

    @Test("a problem that returns NaN ends as diverged, trace kept, event on the last row")
    func diverges() {
        let r = runner.run(problem: "nan_bowl", optimizer: "gd", seed: 0, budget: Budget(steps: 100))
        // Step index 5 sees a NaN gradient, so x is NaN after 6 steps.
        #expect(r.status == .diverged && r.reason == "non-finite parameters at step 6")
        #expect(r.rows.map(\.step) == [0, 1, 2, 3, 4, 5, 6])
        #expect(r.rows.last?.events == ["diverged:nan", "final"])
        #expect(r.rows.last?.loss.isNaN == true)
        #expect(abs((r.rows.last?.bestLoss ?? 0) - 12.5 * Double.pow(0.81, 5)) < 1e-14)
    }

    @Test("an optimizer that throws ends as error with its message; the last completed step is logged")
    func errors() {
        let r = runner.run(problem: "bowl", optimizer: "thrower", seed: 0, budget: Budget(steps: 1000))
        #expect(r.status == .error && r.reason == "boom at step 3")
        #expect(r.rows.last?.step == 2 && r.rows.last?.events.contains("final") == true)
        // x restored to the state after step 2 even though the throwing step had moved it.
        #expect(abs((r.rows.last?.loss ?? 0) - 12.5 * 0.81 * 0.81) < 1e-13)
    }

    @Test("a spec that cannot be built is an error run with the message and no trace")
    func constructionErrors() {
        let r = runner.run(problem: "teapot", optimizer: "gd", seed: 0, budget: Budget(steps: 5))
        #expect(r.status == .error && r.reason == "no such test component" && r.rows.isEmpty)
        let c = Runner().run(problem: "rosenbrok", optimizer: "adam", seed: 0, budget: Budget(steps: 5))
        #expect(c.status == .error && c.reason.contains("did you mean 'rosenbrock'"))
    }

    @Test("run ids are stable hex hashes that change with every part of the identity")
    func runIDs() {
        let base = RunRecord.makeID(problem: "p", optimizer: "o", seed: 0, budget: Budget(steps: 10))
        #expect(base.count == 16 && base.allSatisfy(\.isHexDigit))
        #expect(base == RunRecord.makeID(problem: "p", optimizer: "o", seed: 0, budget: Budget(steps: 10)))
        let others = [
            RunRecord.makeID(problem: "q", optimizer: "o", seed: 0, budget: Budget(steps: 10)),
            RunRecord.makeID(problem: "p", optimizer: "o2", seed: 0, budget: Budget(steps: 10)),
            RunRecord.makeID(problem: "p", optimizer: "o", seed: 1, budget: Budget(steps: 10)),
            RunRecord.makeID(problem: "p", optimizer: "o", seed: 0, budget: Budget(steps: 11)),
            RunRecord.makeID(problem: "p", optimizer: "o", seed: 0, budget: Budget(steps: 10, targetGap: 1e-6)),
        ]
        #expect(Set(others + [base]).count == 6)
    }
}
