import Foundation
import Testing
import Harness
import OptimizationCore
@testable import optlab

@Suite("optlab run/compare/tune/merge: parsing in process")
struct RunCommandTests {
    @Test func parsesEveryRunFlag() throws {
        let c = try OptLab.parseAsRoot(["run", "--problem", "rosenbrock(d=4)", "--problem", "wood", "--optimizer", "adam",
                                        "--seeds", "0..4", "--steps", "50", "--max-evals", "99", "--time-limit", "2.5",
                                        "--target-gap", "1e-8", "--log-every", "3", "--jobs", "2", "--out", "x",
                                        "--resume", "--shard", "2/3", "--strict", "--quiet"])
        let o = try #require(c as? OptLab.Run).options
        #expect(o.problems == ["rosenbrock(d=4)", "wood"] && o.optimizers == ["adam"])
        #expect(o.jobs == 2 && o.out == "x" && o.resume && o.strict && o.quiet && o.shard == "2/3")
        let plan = try o.plan(base: nil)
        #expect(plan.groups.count == 1 && plan.seeds == [0, 1, 2, 3, 4] && plan.logEvery == 3)
        #expect(plan.groups[0].budget == Budget(steps: 50, evaluations: 99, seconds: 2.5, targetGap: 1e-8))
        #expect(plan.runs.count == 10)
        #expect(try o.parsedShard() == Shard(index: 2, count: 3))
    }

    @Test func defaults() throws {
        let o = try #require(try OptLab.parseAsRoot(["run", "--problem", "rosenbrock", "--optimizer", "adam"]) as? OptLab.Run).options
        let plan = try o.plan(base: nil)
        #expect(plan.seeds == [0] && plan.groups[0].budget == Budget(steps: 1000) && plan.logEvery == nil)
        #expect(o.jobs == nil && !o.resume && !o.strict && o.shard == nil)
        #expect(o.outputDirectory().hasPrefix("runs/"))
    }

    @Test("bad flags and specs are one-line errors naming the problem", arguments: [
        (["--optimizer", "adamm"], "unknown optimizer 'adamm' — did you mean 'adam'?"),
        (["--problem", "rosenbrok"], "unknown problem 'rosenbrok' — did you mean 'rosenbrock'?"),
        (["--seeds", "4..0"], "--seeds '4..0' is empty"),
        (["--seed", "1", "--seeds", "0..2"], "give --seed or --seeds, not both"),
        (["--steps=-1"], "--steps must be ≥ 0"),
        (["--jobs", "0"], "--jobs must be ≥ 1"),
        (["--resume"], "--resume needs --out DIR"),
        (["--log-every", "0"], "--log-every must be ≥ 1"),
    ])
    func badFlags(extra: [String], message: String) throws {
        var args = ["run"]
        if !extra.contains("--problem") { args += ["--problem", "rosenbrock"] }
        if !extra.contains("--optimizer") { args += ["--optimizer", "adam"] }
        let o = try #require(try OptLab.parseAsRoot(args + extra) as? OptLab.Run).options
        #expect { _ = try o.plan(base: nil) } throws: { "\($0)".contains(message) }
    }

    @Test func badShard() throws {
        let o = try #require(try OptLab.parseAsRoot(["run", "--problem", "rosenbrock", "--optimizer", "adam", "--shard", "3/2"]) as? OptLab.Run).options
        #expect(throws: HarnessError("--shard 3/2 is out of range; expected k/n with 1 ≤ k ≤ n, e.g. 1/4")) { try o.parsedShard() }
    }

    @Test func compareSuiteAndOverrides() throws {
        let c = try #require(try OptLab.parseAsRoot(["compare", "--suite", "smoke", "--steps", "20"]) as? OptLab.Compare)
        #expect(c.suite == "smoke")
        let suite = try #require(try RunSet.suite("smoke"))
        let plan = try c.options.plan(base: suite.plan)
        #expect(plan.suite == "smoke" && plan.groups.allSatisfy { $0.budget.steps == 20 })
        #expect(plan.optimizers.contains("adam(lr=0.01)") && plan.problems == ["rosenbrock", "quadratic(d=20,cond=100)"])
        for name in RunSet.suiteNames { #expect(try RunSet.suite(name) != nil) }
        #expect(try RunSet.suite("huge") == nil)
    }

    /// The demo gives zeroth-order methods 2000 evaluations: enough on the
    /// 6-D and 100-D problems, less than one simplex on the 2410-D network.
    @Test func demoLeavesZerothOrderOffProblemsLargerThanItsBudget() throws {
        let demo = try #require(try RunSet.suite("demo"))
        let zeroth = demo.plan.groups.filter { $0.optimizers.contains("cmaes") }
        #expect(!zeroth.isEmpty)
        #expect(zeroth.allSatisfy { !$0.problems.contains("mlp(data=digits)") })
        #expect(zeroth.contains { $0.problems.contains("quadratic(d=100,cond=1e4)") })
        #expect(demo.notes.contains { $0.contains("zeroth-order methods skipped on mlp(data=digits): 2000 evaluations are fewer than one simplex (n + 1 = 2411)") })
        #expect(demo.plan.groups.contains { $0.problems.contains("mlp(data=digits)") && $0.optimizers.contains("kfac") })
    }

    @Test func tuneAndMergeParse() throws {
        let t = try #require(try OptLab.parseAsRoot(["tune", "--problem", "rosenbrock", "--optimizer", "adam", "--grid", "lr=1e-4..1:17"]) as? OptLab.Tune)
        #expect(t.grid == "lr=1e-4..1:17" && t.options.optimizers == ["adam"])
        #expect(throws: (any Error).self) { try OptLab.parseAsRoot(["tune", "--problem", "rosenbrock", "--optimizer", "adam"]) }
        let m = try #require(try OptLab.parseAsRoot(["merge", "a", "b", "--out", "c"]) as? OptLab.Merge)
        #expect(m.directories == ["a", "b"] && m.out == "c")
        #expect(throws: (any Error).self) { try OptLab.parseAsRoot(["merge", "a"]) }
    }
}

@Suite("optlab run through the real binary")
struct RunBinaryTests {
    @Test("bad input: one line on stderr, exit status 2", arguments: [
        ["run", "--problem", "rosenbrock", "--optimizer", "adamm"],
        ["run", "--problem", "rosenbrock", "--optimizer", "adam", "--shard", "3/2"],
        ["run", "--problem", "rosenbrock", "--optimizer", "adam", "--seeds", "4..0"],
        ["tune", "--problem", "rosenbrock", "--optimizer", "adam", "--grid", "lr=1..0.1:3"],
        ["compare", "--suite", "huge"],
        ["merge", "/nonexistent-optlab-dir", "--out", "/tmp/optlab-never"],
    ])
    func badInput(args: [String]) throws {
        let r = try OptLabBinary.run(args)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("optlab: error: ") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
    }

    @Test("usage errors (a value that does not parse, an unknown flag or command) exit 2 and name the argument",
          arguments: [(["run", "--problem", "rosenbrock", "--optimizer", "adam", "--steps", "abc"], "--steps"),
                      (["run", "--problem", "rosenbrock", "--optimizer", "adam", "--stepz", "3"], "--stepz"),
                      (["frobnicate"], "frobnicate")])
    func usageErrors(args: [String], names: String) throws {
        let r = try OptLabBinary.run(args)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains(names) && r.stdout.isEmpty, "\(r.stderr)")
    }

    @Test("run writes the three files; --strict exits 1 when a run diverges")
    func runWritesFiles() throws {
        let dir = NSTemporaryDirectory() + "optlab-run-binary-\(getpid())"
        try? FileManager.default.removeItem(atPath: dir)
        let ok = try OptLabBinary.run(["run", "--problem", "rosenbrock", "--optimizer", "adam(lr=0.01)", "--steps", "20",
                                       "--seeds", "0..1", "--out", dir, "--quiet"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("wrote 2 runs (2 budget)"))
        for f in ["traces.csv", "summary.csv", "manifest.json"] { #expect(FileManager.default.fileExists(atPath: dir + "/" + f)) }
        // Adam with lr = 1e6 on Rosenbrock overflows to a non-finite loss.
        let bad = try OptLabBinary.run(["run", "--problem", "rosenbrock(d=4)", "--optimizer", "sgd(lr=1e6)", "--steps", "50",
                                        "--out", dir + "-bad", "--quiet", "--strict"])
        if bad.stderr.contains("unknown optimizer 'sgd'") { return }   // sgd not merged yet
        #expect(bad.status == 1 && bad.stdout.contains("diverged"), "\(bad.stdout)\(bad.stderr)")
    }
}
