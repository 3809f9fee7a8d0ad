import Foundation
import Testing
@testable import Harness
import OptimizationCore

/// bbob in the harness: COCO's query-based target record, the bbob suites, the COCO export.
@Suite struct BBOBHarnessTests {
    @Test func queryTargetsAreLoggedWithTheirEvaluation() throws {
        let r = Runner().run(problem: "bbob(f=1,d=2)", optimizer: "nelder_mead", seed: 0,
                             budget: Budget(steps: 2000, evaluations: 400, targetGap: 1e-8))
        #expect(r.status == .converged, "\(r.reason)")
        let events = r.rows.flatMap(\.events)
        let hits = events.filter { $0.hasPrefix("query_gap:") }.map { e -> (Int, Double) in
            let p = e.split(separator: ":")
            return (Int(p[1])!, Double(p[2])!)
        }
        #expect(hits.count >= 10)
        for (a, b) in zip(hits, hits.dropFirst()) { #expect(b.0 > a.0 && b.1 < a.1) }
        // Every one of COCO's 51 targets is crossed by some logged query, the last at ≤ 1e-8.
        for t in Runner.gapTargets { #expect(hits.contains { $0.1 <= t }, "target \(t)") }
        #expect(hits.last!.1 <= 1e-8)
        // A query's evaluation number never exceeds the count at the row that logs it.
        for row in r.rows {
            for e in row.events where e.hasPrefix("query_gap:") {
                #expect(Int(e.split(separator: ":")[1])! <= row.counts.function)
            }
        }
        let best = try #require(r.rows.last?.events.first { $0.hasPrefix("query_best:") })
        #expect(Double(best.split(separator: ":")[2])! == hits.last!.1)
    }

    @Test func bbobSuites() throws {
        let small = try #require(try RunSet.suite("bbob-small", dimensions: [2, 3], evaluationsPerDimension: 100))
        #expect(small.plan.groups.count == 2)
        #expect(small.plan.groups.map(\.budget.evaluations) == [200, 300])
        #expect(small.plan.groups[0].problems.count == 24 * 5)
        #expect(small.plan.groups[1].problems.contains("bbob(d=3,f=24,instance=5)"))
        #expect(small.plan.optimizers.contains("cmaes(active=true,restarts=bipop,sigma=2)"))
        let full = try #require(try RunSet.suite("bbob"))
        #expect(full.plan.groups.allSatisfy { $0.problems.count == 24 * 15 })
        #expect(RunSet.suiteNames.contains("bbob") && RunSet.suiteNames.contains("bbob-small"))
    }

    @Test func cocoExportWritesWhatTheTraceSays() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bbob-export-\(UUID().uuidString)").path
        let plan = RunPlan(problems: ["bbob(f=1,d=2)", "bbob(f=1,d=2,instance=2)", "bbob(f=3,d=2)", "sphere"],
                           optimizers: ["nelder_mead"], budget: Budget(steps: 1000, evaluations: 300))
        _ = try RunSet.execute(plan, in: dir)
        let out = dir + "/coco"
        let result = try COCOExport.export(runSet: dir, to: out)
        #expect(result.runs == 3 && result.skippedProblems == ["sphere"])
        let info = try String(contentsOfFile: out + "/nelder_mead/bbobexp_f1.info", encoding: .utf8)
        let lines = info.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("suite = 'bbob', funcId = 1, DIM = 2, Precision = 1.000e-08, algId = 'nelder_mead'"))
        #expect(lines[2].hasPrefix("data_f1/bbobexp_f1_DIM2.dat, 1:"))
        #expect(lines[2].contains(", 2:"))
        let dat = try String(contentsOfFile: out + "/nelder_mead/data_f1/bbobexp_f1_DIM2.dat", encoding: .utf8)
        #expect(dat.components(separatedBy: "% f evaluations").count == 3)   // two runs
        #expect(dat.contains("Fopt (7.948000000000e+01)"))
        // The lab's ERT at the largest target: the first query of every run (f0 of NM's simplex < 100 away).
        let ert = try CSV.read(path: out + "/ert.csv")
        let first = ert.rows.first { $0[2] == "1" && $0[4] == "100" }!
        #expect(first[5] == "1" && first[6] == "2" && first[7] == "2")
        // Runs that never reach 1e-8 within 300 evaluations on f3: infinite ERT, 0 successes.
        let hard = ert.rows.first { $0[2] == "3" && $0[4] == "1e-8" }!
        #expect(hard[5] == "inf" && hard[6] == "0")
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test func folderNames() {
        #expect(COCOExport.folderName("cmaes(active=true,restarts=bipop,sigma=2)") == "cmaes_active-true_restarts-bipop_sigma-2")
        #expect(COCOExport.folderName("zo_adam") == "zo_adam")
    }
}
