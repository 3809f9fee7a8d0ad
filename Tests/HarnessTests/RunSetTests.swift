import Foundation
import Testing
@testable import Harness
import OptimizationCore

@Suite("Run sets: files, determinism, --jobs, resume, shards, merge")
struct RunSetTests {
    let runner = Runner(source: testSource)
    /// 2 problems × 3 optimizers × 2 seeds, one of them an error run, plus the real catalog's Adam on Rosenbrock.
    let plan = RunPlan(groups: [
        RunGroup(problems: ["bowl", "nan_bowl"], optimizers: ["gd", "gd(lr=0.3)", "thrower"], seeds: [0, 1], budget: Budget(steps: 60)),
    ])

    @Test("traces.csv and summary.csv have the exact headers; rows sorted by (run_id, step); no temporary files left")
    func files() throws {
        let dir = temporaryDirectory("files")
        let outcomes = try RunSet.execute(plan, in: dir, runner: runner)
        #expect(outcomes.count == 12 && outcomes.allSatisfy(\.executed))
        let text = try #require(readTextFile(dir + "/traces.csv"))
        #expect(text.hasPrefix("run_id,problem,optimizer,seed,step,f_evals,grad_evals,hvp_evals,hess_evals,time_s,loss,best_loss,grad_norm,gap,step_norm,lr,test_metric,event,cost\n"))
        let summary = try #require(readTextFile(dir + "/summary.csv"))
        #expect(summary.hasPrefix("run_id,problem,optimizer,seed,problem_family,optimizer_family,dim,status,reason,steps,f_evals,grad_evals,hvp_evals,hess_evals,cost,time_s,f0,final_loss,best_loss,f_star,f_star_kind,final_gap,best_gap,final_grad_norm,final_test_metric,target_gap,steps_to_target,cost_to_target,time_to_target\n"))
        let t = try CSV.parse(text, source: "traces")
        let keys = t.rows.map { ($0[0], Int($0[4])!) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) })
        let s = try CSV.parse(summary, source: "summary")
        let status = try s.column("status")
        #expect(s.rows.filter { $0[status] == "error" }.count == 4)
        #expect(s.rows.filter { $0[status] == "diverged" }.count == 4)
        #expect(s.rows.filter { $0[status] == "budget" }.count == 4)
        let all = try FileManager.default.subpathsOfDirectory(atPath: dir)
        #expect(!all.contains { $0.contains(".tmp") })
        #expect(all.filter { $0.hasPrefix("runs/") }.count == 24)
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/manifest.json"))) as? [String: Any]
        #expect(manifest?["runs"] as? Int == 12 && manifest?["lab_version"] as? String == labVersion)
        #expect(manifest?["threads_per_run"] as? Int == 1)
    }

    @Test("the manifest records the cores per run that --threads gave")
    func threadsInManifest() throws {
        let dir = temporaryDirectory("threads-manifest")
        let small = RunPlan(problems: ["bowl"], optimizers: ["gd"], seeds: [0], budget: Budget(steps: 3))
        _ = try RunSet.execute(small, in: dir, runner: Runner(source: testSource, threads: 2))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/manifest.json"))) as? [String: Any]
        #expect(manifest?["threads_per_run"] as? Int == 2)
    }

    @Test("the same plan gives byte-identical files except time_s, with --jobs 1 and --jobs 3")
    func determinismAndJobs() throws {
        let mixed = RunPlan(groups: plan.groups + [
            RunGroup(problems: ["rosenbrock(d=4)", "quadratic(d=20,cond=100)"], optimizers: ["adam(lr=0.01)"], seeds: [0, 1],
                     budget: Budget(steps: 80)),
        ])
        let source = ComponentSource(
            makeProblem: { spec, seed in try ["bowl", "nan_bowl"].contains(spec) ? testSource.makeProblem(spec, seed) : ComponentSource.catalogs.makeProblem(spec, seed) },
            makeOptimizer: { spec, p, seed in try spec.hasPrefix("adam") ? ComponentSource.catalogs.makeOptimizer(spec, p, seed) : testSource.makeOptimizer(spec, p, seed) })
        let r = Runner(source: source)
        let dirs = [("a", 1), ("b", 1), ("c", 3)].map { (temporaryDirectory($0.0), $0.1) }
        for (d, jobs) in dirs { _ = try RunSet.execute(mixed, in: d, runner: r, options: RunSetOptions(jobs: jobs)) }
        let reference = try rows(dirs[0].0 + "/traces.csv")
        #expect(reference.count > 200)
        for (d, _) in dirs.dropFirst() {
            #expect(try rows(d + "/traces.csv") == reference)
            #expect(try rows(d + "/summary.csv") == rows(dirs[0].0 + "/summary.csv"))
        }
    }

    @Test("--resume skips complete runs and redoes interrupted ones")
    func resume() throws {
        let dir = temporaryDirectory("resume")
        let first = try RunSet.execute(plan, in: dir, runner: runner)
        let reference = try rows(dir + "/traces.csv")
        let files = RunFiles(directory: dir)
        let ids = first.map(\.runID)
        // Simulate a kill: run 1 lost its trace (only the summary was renamed), run 2 has only a
        // temporary file, run 3's trace is truncated (no `final` row), the assembled files are gone.
        try FileManager.default.removeItem(atPath: files.tracePath(ids[1]))
        try FileManager.default.removeItem(atPath: files.tracePath(ids[2]))
        try FileManager.default.removeItem(atPath: files.summaryPath(ids[2]))
        try "run_id,problem\nabc".write(toFile: files.tracePath(ids[2]) + ".tmp-99999-1", atomically: false, encoding: .utf8)
        let truncated = try #require(readTextFile(files.tracePath(ids[3]))).split(separator: "\n").prefix(3).joined(separator: "\n") + "\n"
        try truncated.write(toFile: files.tracePath(ids[3]), atomically: false, encoding: .utf8)
        for f in ["traces.csv", "summary.csv"] { try FileManager.default.removeItem(atPath: dir + "/" + f) }
        #expect(!files.isComplete(ids[1]) && !files.isComplete(ids[2]) && !files.isComplete(ids[3]) && files.isComplete(ids[0]))

        let second = try RunSet.execute(plan, in: dir, runner: runner, options: RunSetOptions(resume: true))
        #expect(second.map(\.runID) == ids)
        #expect(Set(second.filter(\.executed).map(\.runID)) == Set(ids[1...3]))
        #expect(try rows(dir + "/traces.csv") == reference)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: dir + "/runs")).contains { $0.contains(".tmp") })
        // Without --resume every run is redone.
        #expect(try RunSet.execute(plan, in: dir, runner: runner).allSatisfy(\.executed))
    }

    @Test("shards 1/2 and 2/2, merged, equal the whole run set; merge dedupes by run_id")
    func shardsAndMerge() throws {
        let whole = temporaryDirectory("whole"), a = temporaryDirectory("s1"), b = temporaryDirectory("s2")
        let merged = temporaryDirectory("merged")
        _ = try RunSet.execute(plan, in: whole, runner: runner)
        let s1 = try RunSet.execute(plan, in: a, runner: runner, options: RunSetOptions(shard: Shard(index: 1, count: 2)))
        let s2 = try RunSet.execute(plan, in: b, runner: runner, options: RunSetOptions(shard: Shard(index: 2, count: 2)))
        #expect(s1.count == 6 && s2.count == 6 && Set(s1.map(\.runID)).isDisjoint(with: s2.map(\.runID)))
        // Merging a shard twice (b, then a copy of a) must not duplicate runs.
        #expect(try RunSetMerger.merge([a, b, a], into: merged, command: ["test"]) == 12)
        #expect(try rows(merged + "/traces.csv") == rows(whole + "/traces.csv"))
        #expect(try rows(merged + "/summary.csv") == rows(whole + "/summary.csv"))
        #expect(throws: HarnessError.self) { try RunSetMerger.merge([], into: merged, command: []) }
        #expect(throws: CSVError.self) { try RunSetMerger.merge([temporaryDirectory("missing")], into: merged, command: []) }
    }

    @Test("shard parsing and the round-robin split")
    func shardParsing() throws {
        #expect(try Shard(parsing: "3/8") == Shard(index: 3, count: 8))
        for bad in ["3/2", "0/2", "1/0", "1-2", "a/b", "2"] {
            #expect(throws: HarnessError.self) { try Shard(parsing: bad) }
        }
        let runs = plan.runs
        let parts = try (1...5).map { try plan.runs(shard: Shard(index: $0, count: 5)) }
        #expect(parts.map(\.count) == [3, 3, 2, 2, 2])
        #expect(Set(parts.flatMap { $0 }) == Set(runs))
    }

    @Test("seed ranges")
    func seeds() throws {
        #expect(try parseSeedRange("0..4") == [0, 1, 2, 3, 4])
        #expect(try parseSeedRange("7") == [7])
        #expect(throws: HarnessError("--seeds '4..0' is empty: the first seed must be ≤ the last, e.g. 0..4")) { try parseSeedRange("4..0") }
        #expect(throws: HarnessError.self) { try parseSeedRange("0-4") }
    }
}
