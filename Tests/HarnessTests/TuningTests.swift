import Foundation
import Testing
@testable import Harness
import OptimizationCore

@Suite("Tuning grids and selection")
struct TuningTests {
    @Test("log grid lr=1e-4..1:17 has 4 points per decade, ends exact")
    func logGrid() throws {
        let g = try TuningGrid(parsing: "lr=1e-4..1:17")
        #expect(g.key == "lr" && g.values.count == 17)
        #expect(g.values.first == "0.0001" && g.values[4] == "0.001" && g.values[8] == "0.01" && g.values.last == "1")
        #expect(g.values[1] == "0.000177827941004")
        #expect(try TuningGrid(parsing: "momentum=0,0.9,0.99").values == ["0", "0.9", "0.99"])
        #expect(try g.apply("0.01", to: "sgd(momentum=0.9,lr=1)") == "sgd(momentum=0.9,lr=0.01)")
    }

    @Test("bad grids are one-line errors", arguments: ["lr", "lr=1..0.1:5", "lr=0..1:5", "lr=1e-4..1", "lr=1e-4..1:1", "=1,2", "lr=1,,2"])
    func badGrids(text: String) {
        #expect(throws: HarnessError.self) { try TuningGrid(parsing: text) }
    }

    @Test("tune picks, per problem, the value with the lowest mean best loss; errors disqualify")
    func selection() throws {
        let grid = try TuningGrid(parsing: "lr=0.01,0.1,0.5,2.5")
        let runner = Runner(source: testSource)
        var candidates: [TuningCandidate] = []
        var specs: [String] = []
        for v in grid.values {
            let spec = try grid.apply(v, to: "gd")
            specs.append(spec)
            let ids = [UInt64(0), 1].map { runner.identify(RunSpec(problem: "bowl", optimizer: spec, seed: $0, budget: Budget(steps: 20))).runID }
            candidates.append(TuningCandidate(problem: "bowl", baseOptimizer: "gd", value: v, optimizer: spec, runIDs: ids))
        }
        let plan = RunPlan(problems: ["bowl"], optimizers: specs, seeds: [0, 1], budget: Budget(steps: 20))
        let outcomes = try RunSet.execute(plan, in: temporaryDirectory("tune"), runner: runner)
        let result = Tuning.select(candidates, key: "lr", outcomes: outcomes)
        // GD on ½‖x‖²: factor |1 − lr| per step — 0.5 is best (0.5^40), 2.5 grows (|−1.5|).
        #expect(result.choices.count == 1 && result.choices[0].tuned == "gd(lr=0.5)")
        let csv = try CSV.parse(result.csv, source: "tuning.csv")
        #expect(csv.header == Tuning.header && csv.rows.count == 4)
        #expect(csv.rows.map { $0[10] } == ["false", "false", "true", "false"])
        #expect(Double(csv.rows[2][6])! == 12.5 * pow(0.25, 20))
        #expect(Double(csv.rows[2][7])! == 12.5 * pow(0.25, 20))   // monotone: final = best
    }

    @Test("--criterion final: a value that diverges after the best start loses; both means are in tuning.csv")
    func finalCriterion() throws {
        // Value a: best 1, ends at 1e3 (diverged later); value b: best 2, ends at 2.
        let candidates = [TuningCandidate(problem: "p", baseOptimizer: "o", value: "a", optimizer: "o(lr=a)", runIDs: ["a0", "a1"]),
                          TuningCandidate(problem: "p", baseOptimizer: "o", value: "b", optimizer: "o(lr=b)", runIDs: ["b0", "b1"])]
        let outcomes = [RunOutcome(runID: "a0", status: .budget, finalLoss: 1e3, bestLoss: 1),
                        RunOutcome(runID: "a1", status: .diverged, finalLoss: .nan, bestLoss: 1),
                        RunOutcome(runID: "b0", status: .budget, finalLoss: 2, bestLoss: 2),
                        RunOutcome(runID: "b1", status: .budget, finalLoss: 2, bestLoss: 2)]
        #expect(Tuning.select(candidates, key: "lr", outcomes: outcomes).choices[0].tuned == "o(lr=a)")
        let final = Tuning.select(candidates, key: "lr", outcomes: outcomes, criterion: .final)
        #expect(final.choices[0].tuned == "o(lr=b)")
        let csv = try CSV.parse(final.csv, source: "tuning.csv")
        #expect(csv.rows.map { Array($0[6...10]) } == [["1", "inf", "1", "0", "false"], ["2", "2", "0", "0", "true"]])
    }
}
