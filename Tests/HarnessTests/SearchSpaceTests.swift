import Foundation
import Testing
@testable import Harness
import OptimizationCore

@Suite("Tuning search: Halton, random, search spaces")
struct SearchSpaceTests {
    @Test("Halton points equal scipy.stats.qmc.Halton(scramble=False) from index 1, bit for bit")
    func haltonMatchesScipy() {
        #expect(HaltonReference.points.count == 64)
        for (i, expected) in HaltonReference.points.enumerated() {
            let p = Halton.point(i + 1, dimensions: 6)
            #expect(p == expected, "point \(i + 1): \(p) vs scipy \(expected)")
        }
        #expect(Halton.radicalInverse(0, base: 2) == 0 && Halton.radicalInverse(6, base: 2) == 0.375)
    }

    static let text = "lr=log:1e-5..1,weight_decay=log:1e-4..1,beta2=lin:0.9..0.999"

    @Test("a space parses, maps unit points log- and linearly, and applies to a spec")
    func space() throws {
        let s = try SearchSpace(parsing: Self.text)
        #expect(s.keys == ["lr", "weight_decay", "beta2"])
        #expect(s.description == "lr=log:1e-5..1,weight_decay=log:0.0001..1,beta2=lin:0.9..0.999")
        #expect(abs(s.dimensions[0].value(0.5) - pow(10, -2.5)) < 1e-15)
        #expect(abs(s.dimensions[2].value(0.5) - 0.9495) < 1e-15)
        // Halton trial 1 is the point (1/2, 1/3, 1/5).
        let first = s.trials(.halton, count: 3, seed: 0)[0]
        #expect(Double(first[0])! == Double(String(format: "%.12g", pow(10, -2.5)))!)
        #expect(Double(first[1])! == Double(String(format: "%.12g", pow(10, -4 + 4.0 / 3)))!)
        #expect(Double(first[2])! == Double(String(format: "%.12g", 0.9 + 0.2 * 0.099))!)
        #expect(try s.apply(["0.01", "0.1", "0.95"], to: "adamw(lr=1,eps=1e-6)") == "adamw(eps=1e-6,lr=0.01,weight_decay=0.1,beta2=0.95)")
    }

    @Test("random search: from the seed, reproducible, inside the box, log-uniform on log keys")
    func random() throws {
        let s = try SearchSpace(parsing: Self.text)
        let a = s.unitPoints(.random, count: 400, seed: 3), b = s.unitPoints(.random, count: 400, seed: 3)
        #expect(a == b && a != s.unitPoints(.random, count: 400, seed: 4))
        #expect(a.allSatisfy { $0.count == 3 && $0.allSatisfy { $0 >= 0 && $0 < 1 } })
        let lrs = s.trials(.random, count: 400, seed: 3).map { Double($0[0])! }
        #expect(lrs.allSatisfy { $0 >= 1e-5 && $0 <= 1 })
        // Log-uniform: about a fifth of the draws per decade, so ~40 % below 1e-3.
        let below = Double(lrs.filter { $0 < 1e-3 }.count) / 400
        #expect(below > 0.3 && below < 0.5)
    }

    @Test("bad spaces are one-line errors", arguments: ["lr", "lr=1e-5..1", "lr=exp:1e-5..1", "lr=log:0..1", "lr=lin:1..0.5",
                                                        "lr=log:1e-5..1,lr=log:1e-3..1", "=log:1..2", "lr=log:a..b"])
    func badSpaces(text: String) {
        #expect(throws: HarnessError.self) { try SearchSpace(parsing: text) }
    }

    @Test("tuning.csv of a search: one row per trial with a trial column and one column per key")
    func searchColumns() throws {
        let c = [TuningCandidate(problem: "p", baseOptimizer: "o", value: "0.1;0.9", optimizer: "o(lr=0.1,beta2=0.9)", runIDs: ["a"]),
                 TuningCandidate(problem: "p", baseOptimizer: "o", value: "0.01;0.95", optimizer: "o(lr=0.01,beta2=0.95)", runIDs: ["b"])]
        let outcomes = [RunOutcome(runID: "a", status: .budget, finalLoss: 2, bestLoss: 2),
                        RunOutcome(runID: "b", status: .budget, finalLoss: 1, bestLoss: 1)]
        let r = Tuning.select(c, key: "lr;beta2", outcomes: outcomes, searchKeys: ["lr", "beta2"])
        let csv = try CSV.parse(r.csv, source: "tuning.csv")
        #expect(csv.header == Tuning.header + ["trial", "lr", "beta2"])
        #expect(csv.rows.map { Array($0[10...]) } == [["false", "1", "0.1", "0.9"], ["true", "2", "0.01", "0.95"]])
        #expect(r.choices[0].tuned == "o(lr=0.01,beta2=0.95)")
    }
}
