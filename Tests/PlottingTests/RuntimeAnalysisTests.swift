import Foundation
import Testing
@testable import Plotting

@Suite("Runtime to target: ECDF, ERT, significance sections")
struct RuntimeAnalysisTests {
    static let dir: String = {
        let d = Fixtures.temporaryDirectory("runtime")
        try! Fixtures.writeRunDirectory(d)
        return d
    }()

    @Test("51 targets, 5 per decade from 1e2 to 1e-8")
    func targets() {
        let t = RuntimeToTarget.ecdfTargets
        #expect(t.count == 51 && t.first == 100 && t.last == 1e-8 && t[5] == 10 && t[25] == 1e-3)
        #expect(abs(t[1] - pow(10, 1.8)) < 1e-9)
        #expect(zip(t, t.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test("the shared definition: first logged point whose running best ≤ level; the profiles use it")
    func sharedDefinition() {
        #expect(RuntimeToTarget.firstIndex(bestLoss: [5, 3, .nan, 0.5, 0.7], level: 1) == 3)
        #expect(RuntimeToTarget.firstIndex(bestLoss: [5, 3, .nan], level: 1) == nil)
        // A NaN after a success does not undo it; firstPassing is this at f_L + τ(f0 − f_L).
        #expect(firstPassing(bestLoss: [10, 1, 0.001, .nan], f0: 10, fL: 0, tau: 1e-3) == 2)
        var trace = RunTrace()
        trace.cost = [0, 10, 20, 30]; trace.time = [0, 0.1, 0.2, 0.3]; trace.loss = [4, 2, 1, 0.5]
        trace.bestLoss = trace.loss; trace.fEvals = [0, 4, 8, 12]; trace.step = [0, 1, 2, 3]
        #expect(RuntimeToTarget.runtime(trace, level: 1, measure: .cost, dim: 2) == 20)
        #expect(RuntimeToTarget.runtime(trace, level: 1, measure: .fEvalsPerDim, dim: 2) == 4)
        #expect(RuntimeToTarget.runtime(trace, level: 1, measure: .time, dim: 2) == 0.2)
        #expect(RuntimeToTarget.runtime(trace, level: 0.1, measure: .cost, dim: 2) == nil)
    }

    /// The closed-form runtime of a fixture run: cost at the first logged step whose loss ≤ target.
    static func expectedRuntime(problem: Fixtures.Problem, opt: Fixtures.Opt, seed: Int, target: Double) -> Double {
        let rate = opt.rate * (1 + 0.01 * Double(seed))
        for k in Fixtures.loggedSteps() {
            let loss = problem.floorLoss + (problem.f0 - problem.floorLoss) * pow(rate, Double(k))
            if loss - problem.fStar! <= target { return Double((opt.fPerStep + 2 * opt.gPerStep) * k) }
            if loss - problem.fStar! <= Fixtures.targetGap { break }  // the run stops (converged)
        }
        return .infinity
    }

    @Test("runtimes, ERT and ECDF match the fixture's closed form")
    func runtimesAndERT() throws {
        let a = RuntimeAnalysis(try RunDirectory(path: Self.dir))
        // logreg has no f*: only the two other problems count.
        #expect(a.problems == ["rosenbrock(d=2)", "quadratic(cond=100,d=20)"])
        #expect(a.tripleCount == 2 * 3 * 51)
        let quad = Fixtures.problems[1], lbfgs = Fixtures.optimizers[2], adam = Fixtures.optimizers[0]
        let t5 = try #require(a.targetIndex(1e-5))
        let cell = try #require(a.cells[quad.name]?[lbfgs.name])
        for seed in 0..<3 {
            #expect(cell.runtimes[t5][seed] == Self.expectedRuntime(problem: quad, opt: lbfgs, seed: seed, target: 1e-5))
        }
        #expect(cell.runtimes[t5].allSatisfy { $0.isFinite && $0 > 0 })
        // All solved: ERT = mean runtime.
        #expect(abs(cell.ert(t5) - cell.runtimes[t5].reduce(0, +) / 3) < 1e-9)
        // gd never reaches 1e-5 on the quadratic (50·0.97^200 ≈ 0.11): ERT = ∞.
        let gd = try #require(a.cells[quad.name]?["gd(lr=0.1)"])
        #expect(gd.successes(t5) == 0 && gd.ert(t5) == .infinity)
        // Mixed: on rosenbrock, adam reaches 1e-1 on every seed, gap 1e-8 on none.
        let adamR = try #require(a.cells[Fixtures.problems[0].name]?[adam.name])
        let t8 = try #require(a.targetIndex(1e-8))
        #expect(adamR.successes(t8) == 0 && adamR.totals.allSatisfy { $0 == 400 })
        // ERT with failures: (Σ successes + Σ totals of failures) / successes.
        let synthetic = RuntimeAnalysis.Cell(seeds: ["0", "1", "2"], runtimes: [[10, .infinity, 30]], totals: [50, 100, 60])
        #expect(synthetic.ert(0) == (10 + 100 + 30) / 2.0)
        // The ECDF's last step is the fraction of triples solved.
        let e = a.ecdf(lbfgs.name)
        let solved = a.problems.reduce(0) { n, p in n + a.cells[p]![lbfgs.name]!.runtimes.reduce(0) { $0 + $1.filter(\.isFinite).count } }
        #expect(abs(e.last!.1 - Double(solved) / 306) < 1e-12)
        #expect(zip(e, e.dropFirst()).allSatisfy { $0.0 < $1.0 && $0.1 < $1.1 })
    }

    @Test("significance: 3 seeds can never be significant; the report says so and the tests agree with the U definition")
    func significance() throws {
        let a = RuntimeAnalysis(try RunDirectory(path: Self.dir))
        let f = try #require(a.family(problem: Fixtures.problems[1].name, target: 1e-5))
        // Only lbfgs reaches 1e-5 (adam needs 212 steps, gd more): the pair
        // adam–gd (both never) carries no information and is left out.
        #expect(f.comparisons.count == 2)
        let lbfgsVsGd = try #require(f.comparisons.first { Set([$0.a, $0.b]) == ["lbfgs", "gd(lr=0.1)"] })
        let x = a.cells[Fixtures.problems[1].name]!["lbfgs"]!.runtimes[a.targetIndex(1e-5)!]
        #expect(lbfgsVsGd.test == MannWhitneyU(x, [.infinity, .infinity, .infinity]) || lbfgsVsGd.test == MannWhitneyU([.infinity, .infinity, .infinity], x))
        // Complete separation of 3 vs 3: p ≤ 0.081, yet never marked (exact floor 0.1).
        #expect(lbfgsVsGd.test.p <= 0.0809 && lbfgsVsGd.exactFloor == 0.1)
        #expect(!lbfgsVsGd.significant && lbfgsVsGd.faster == "lbfgs")
        #expect(f.smallestPossible > RuntimeAnalysis.alpha)
        #expect(RuntimeAnalysis.seedsNeeded(pairs: 1) == 4 && RuntimeAnalysis.seedsNeeded(pairs: 3) == 5)
        _ = try RunReport.write(directory: Self.dir)
        let md = try String(contentsOfFile: Self.dir + "/summary.md", encoding: .utf8)
        #expect(md.contains("3 seeds are too few to tell any two optimizers apart"))
        #expect(md.contains("exact Mann–Whitney test is 0.1;"))
        #expect(md.contains("| optimizer | ERT to 10 | ERT to 0.1 | ERT to 0.001 | ERT to 1e-5 | ERT to 1e-8 |"))
        let html = try String(contentsOfFile: Self.dir + "/report.html", encoding: .utf8)
        #expect(html.contains("3 seeds are too few") && html.contains("id=\"runtime-ecdf.svg\""))
        let sig = try String(contentsOfFile: Self.dir + "/significance.csv", encoding: .utf8)
        #expect(sig.hasPrefix("problem,target,optimizer_a,optimizer_b,n_a,n_b,median_a,median_b,u_a,p,p_holm,significant\n"))
        let ert = try String(contentsOfFile: Self.dir + "/ert.csv", encoding: .utf8)
        #expect(ert.split(separator: "\n").count == 1 + 2 * 3 * 51)
    }

    @Test("runtime in f_evals / d (COCO's unit): the same first passing point, divided by the dimension")
    func perDimension() throws {
        let dir = try RunDirectory(path: Self.dir)
        let cost = RuntimeAnalysis(dir), perDim = RuntimeAnalysis(dir, measure: .fEvalsPerDim)
        let quad = Fixtures.problems[1], t = try #require(cost.targetIndex(1e-3))
        // lbfgs: 1 f and 1 ∇f per step, cost 3k, f_evals k, d = 20.
        let c = cost.cells[quad.name]!["lbfgs"]!.runtimes[t], f = perDim.cells[quad.name]!["lbfgs"]!.runtimes[t]
        for (a, b) in zip(c, f) { #expect(abs(b - a / 3 / 20) < 1e-12) }
        // adam uses no function values: f_evals / d is 0 wherever it is solved.
        #expect(perDim.cells[quad.name]!["adam(lr=0.01)"]!.runtimes[t].allSatisfy { $0 == 0 || $0 == .infinity })
    }

    @Test("with 10 seeds a real difference is marked significant; with 3 tied seeds never, although p < 0.05")
    func marking() throws {
        let a = (1...10).map(Double.init), b = (1...10).map { Double($0 * 10 + 5) }
        let test = MannWhitneyU(a, b)
        let ten = RuntimeAnalysis.Comparison(a: "a", b: "b", medianA: sampleMedian(a), medianB: sampleMedian(b), test: test,
                                             holm: HolmBonferroni.adjust([test.p])[0], exactFloor: MannWhitneyU.smallestExactP(10, 10))
        #expect(test.p < 0.001 && ten.significant && ten.faster == "a")
        // 3 deterministic runs each: the normal approximation says 0.047, the exact floor is 0.1.
        let tied = MannWhitneyU([5, 5, 5], [.infinity, .infinity, .infinity])
        let three = RuntimeAnalysis.Comparison(a: "a", b: "b", medianA: 5, medianB: .infinity, test: tied, holm: tied.p,
                                               exactFloor: MannWhitneyU.smallestExactP(3, 3))
        #expect(tied.p < 0.05 && !three.significant)
    }
}

@Test("the AlgoPerf-style score of tuned specs is the report's performance-profile area")
func tunedScoreIsTheProfileArea() throws {
    let dir = Fixtures.temporaryDirectory("tuned-score")
    try Fixtures.writeRunDirectory(dir)
    let run = try RunDirectory(path: dir)
    let rankings = Rankings(run, profiles: ProfileData(run))
    // Each optimizer "tuned" to itself on every problem: the same instances, the same areas.
    let chosen = Fixtures.problems.flatMap { p in Fixtures.optimizers.map { (problem: p.name, optimizer: $0.name, spec: $0.name) } }
    let scores = try TunedScore.areas(directory: dir, chosen: chosen)
    #expect(scores.count == 3)
    for s in scores {
        let o = try #require(rankings.overall.first { $0.optimizer == s.optimizer })
        #expect(abs(s.area - o.areaCost) < 1e-15 && s.solved == o.solvedInstances && s.instances == 9)
    }
    #expect(scores.first { $0.optimizer == "lbfgs" }?.area == 1)
    // Only two optimizers compete: the profile is relative to them, gd's area can only rise.
    let two = try TunedScore.areas(directory: dir, chosen: chosen.filter { $0.optimizer != "lbfgs" })
    let gdAll = scores.first { $0.optimizer == "gd(lr=0.1)" }!.area, gdTwo = two.first { $0.optimizer == "gd(lr=0.1)" }!.area
    #expect(two.count == 2 && gdTwo >= gdAll)
}
