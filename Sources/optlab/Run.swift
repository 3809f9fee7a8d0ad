import ArgumentParser
import Benchmarks
import Foundation
import Harness
import OptimizationCore
import Optimizers
import Problems

/// Flags shared by `run`, `compare` and `tune`.
struct RunOptions: ParsableArguments {
    @Option(name: .customLong("problem"), help: "A problem spec (repeatable), e.g. 'rosenbrock(d=6)'.")
    var problems: [String] = []

    @Option(name: .customLong("optimizer"), help: "An optimizer spec (repeatable), e.g. 'adam(lr=1e-3)'.")
    var optimizers: [String] = []

    @Option(help: "One seed (default 0).")
    var seed: UInt64?

    @Option(help: "A range of seeds, inclusive, e.g. 0..4.")
    var seeds: String?

    @Option(help: "Step budget per run (default 1000).")
    var steps: Int?

    @Option(name: .customLong("max-evals"), help: "Evaluation budget per run (f + ∇f + HVP + Hessian calls, counted by the oracle).")
    var maxEvals: Int?

    @Option(name: .customLong("max-evals-per-dim"), help: "Evaluation budget per run as K·d (COCO's convention); d is each problem's dimension.")
    var maxEvalsPerDim: Int?

    @Option(name: .customLong("time-limit"), help: "Optimizer seconds per run (logging excluded).")
    var timeLimit: Double?

    @Option(name: .customLong("target-gap"), help: "Stop a run as converged when best_loss − f* ≤ G (problems with a known f*).")
    var targetGap: Double?

    @Option(name: .customLong("log-every"), help: "Log every K-th step (default: every step to 10, then 20 per decade, target crossings, the final step).")
    var logEvery: Int?

    @Option(help: "Runs executed at once (default: the number of cores divided by --threads). Results do not depend on it.")
    var jobs: Int?

    @Option(help: "Cores inside one run: first-order updates and deepzero's coordinate queries (default 1). Results do not depend on it.")
    var threads: Int?

    @Option(help: "Output directory (default: a fresh runs/<date-time>, printed at the end).")
    var out: String?

    @Flag(help: "Skip runs whose files in DIR/runs/ are complete; redo the rest.")
    var resume = false

    @Flag(help: "Write into an --out that holds another run set: first remove the lab's files there (traces.csv, summary.csv, manifest.json, report.html, summary.md, tuning.csv, plots/, runs/).")
    var force = false

    @Option(help: "Run only part k of n of the run set (1 ≤ k ≤ n), e.g. 3/8 for a Slurm array task.")
    var shard: String?

    @Flag(help: "Exit with status 1 also when a run diverges (a run that ends in error always gives status 1).")
    var strict = false

    @Flag(help: "No progress line on stderr.")
    var quiet = false

    /// Seeds from --seed / --seeds (nil when neither is given).
    func seedList() throws -> [UInt64]? {
        if seed != nil && seeds != nil { throw HarnessError("give --seed or --seeds, not both") }
        if let seeds { return try parseSeedRange(seeds) }
        return seed.map { [$0] }
    }

    func budgetChecks() throws {
        if let steps, steps < 0 { throw HarnessError("--steps must be ≥ 0, got \(steps)") }
        if let maxEvals, maxEvals < 1 { throw HarnessError("--max-evals must be ≥ 1, got \(maxEvals)") }
        if let maxEvalsPerDim, maxEvalsPerDim < 1 { throw HarnessError("--max-evals-per-dim must be ≥ 1, got \(maxEvalsPerDim)") }
        if maxEvals != nil && maxEvalsPerDim != nil { throw HarnessError("give --max-evals or --max-evals-per-dim, not both") }
        if let timeLimit, !(timeLimit > 0 && timeLimit.isFinite) { throw HarnessError("--time-limit must be a positive number of seconds") }
        if let targetGap, !(targetGap >= 0 && targetGap.isFinite) { throw HarnessError("--target-gap must be a finite number ≥ 0") }
        if let logEvery, logEvery < 1 { throw HarnessError("--log-every must be ≥ 1, got \(logEvery)") }
        if let jobs, jobs < 1 { throw HarnessError("--jobs must be ≥ 1, got \(jobs)") }
        if let threads, !(1...256).contains(threads) { throw HarnessError("--threads must be in 1...256, got \(threads)") }
        if resume && out == nil { throw HarnessError("--resume needs --out DIR, the directory of the interrupted run set") }
        if force && out == nil { throw HarnessError("--force needs --out DIR, the directory to clear and write") }
        if force && resume { throw HarnessError("give --resume (continue the run set in --out) or --force (start over there), not both") }
    }

    /// The plan: `base` (a suite) with the explicit flags applied, or the flags alone.
    func plan(base: RunPlan?) throws -> RunPlan {
        try budgetChecks()
        var plan = base ?? RunPlan(problems: [], optimizers: [])
        let seedList = try seedList()
        plan.updateGroups { g in
            if !problems.isEmpty { g.problems = problems }
            if !optimizers.isEmpty { g.optimizers = optimizers }
            if let seedList { g.seeds = seedList }
            if let steps { g.budget.steps = steps }
            if let maxEvals { g.budget.evaluations = maxEvals }
            if let timeLimit { g.budget.seconds = timeLimit }
            if let targetGap { g.budget.targetGap = targetGap }
        }
        if let logEvery { plan.logEvery = logEvery }
        // Explicit lists replace the suite's families; the bbob suites' groups
        // are dimensions, which explicit optimizers keep.
        let bbobSuite = base?.suite?.hasPrefix("bbob") == true
        if base != nil && (!problems.isEmpty || (!optimizers.isEmpty && !bbobSuite)) {
            plan.groups = Array(plan.groups.prefix(1))
        }
        if let k = maxEvalsPerDim {
            // One group per problem: the budget follows its dimension (steps at least K·d too).
            plan.groups = try plan.groups.flatMap { g in
                try g.problems.map { p in
                    let d = try ProblemCatalog.shared.make(p, seed: 0).0.dimension
                    var one = g
                    one.problems = [p]
                    one.budget.evaluations = k * d
                    if steps == nil { one.budget.steps = max(one.budget.steps, k * d) }
                    return one
                }
            }
        }
        guard !plan.problems.isEmpty else { throw HarnessError("give at least one --problem (see `optlab list problems`)") }
        guard !plan.optimizers.isEmpty else { throw HarnessError("give at least one --optimizer (see `optlab list optimizers`)") }
        // Every spec is checked up front: a typo fails at once, before any run starts.
        for p in plan.problems { _ = try ProblemCatalog.shared.resolve(p) }
        for o in plan.optimizers { _ = try OptimizerCatalog.shared.resolve(o) }
        // Then built once, so that what only a constructor knows (a dimension
        // that must be even, hidden=abc, a data file that is missing or does
        // not parse) fails here too and not in every run.
        for p in plan.problems { _ = try ProblemCatalog.shared.make(p, seed: 0) }
        for o in plan.optimizers { _ = try OptimizerCatalog.shared.make(o, seed: 0) }
        return plan
    }

    func parsedShard() throws -> Shard? { try shard.map { try Shard(parsing: $0) } }

    /// --out, or a fresh `runs/<prefix><date-time>` that does not exist yet.
    func outputDirectory(prefix: String = "") -> String {
        if let out { return out }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyyMMdd-HHmmss"
        let base = "runs/" + prefix + f.string(from: Date())
        var candidate = base
        var n = 2
        while FileManager.default.fileExists(atPath: candidate) { candidate = "\(base)-\(n)"; n += 1 }
        return candidate
    }

    /// Runs the plan into `directory` and reports failed runs on stderr, one line each.
    func execute(_ plan: RunPlan, directory: String, manifestExtra: [String: any Sendable] = [:]) throws -> [RunOutcome] {
        let runner = Runner(grid: LoggingGrid(every: plan.logEvery), threads: threads)
        let progress = ProgressLine(quiet: quiet)
        // Runs × threads per run should not oversubscribe the cores.
        let defaultJobs = max(1, ProcessInfo.processInfo.activeProcessorCount / (threads ?? 1))
        var options = RunSetOptions(jobs: jobs ?? defaultJobs, resume: resume,
                                    shard: try parsedShard(), command: CommandLine.arguments, manifestExtra: manifestExtra)
        options.force = force
        let outcomes = try RunSet.execute(plan, in: directory, runner: runner, options: options) { progress.update($0) }
        // Failed runs are reported even with --quiet (it only silences progress).
        for o in outcomes where o.status == .error {
            printError("optlab: run \(o.problem) × \(o.optimizer) seed \(o.seed) failed: \(o.reason)")
        }
        return outcomes
    }

    /// One line about what was written.
    func report(_ outcomes: [RunOutcome], directory: String) -> String {
        var counts: [String: Int] = [:]
        for o in outcomes { counts[o.status.rawValue, default: 0] += 1 }
        let statuses = ["converged", "budget", "diverged", "error"].compactMap { s in counts[s].map { "\($0) \(s)" } }
        let skipped = outcomes.filter { !$0.executed }.count
        return "wrote \(outcomes.count) runs (\(statuses.joined(separator: ", "))\(skipped > 0 ? "; \(skipped) resumed from files" : "")) to \(directory)/ (traces.csv, summary.csv, manifest.json)"
    }

    /// 1 when any run ended in error (or, with --strict, diverged); the files are written either way.
    func exitStatus(_ outcomes: [RunOutcome]) -> ExitCode? {
        outcomes.contains { $0.status == .error || strict && $0.status == .diverged } ? ExitCode(1) : nil
    }
}

extension OptLab {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run optimizers on problems and write traces.csv, summary.csv and manifest.json.",
            discussion: """
            Runs the cross product problems × optimizers × seeds. Each run ends as
            converged (target gap reached), budget (steps, evaluations or time used up),
            diverged (non-finite loss or parameters) or error (the message is kept); a
            failed run never stops the others, but the exit status is 1 when any run
            ended in error (2 for bad input, found before any run starts). An --out
            that holds another run set is refused unless --resume (the same set) or
            --force (remove the lab's files there first). Each run's trace is written to
            DIR/runs/<run_id>.csv when it ends (temporary name, then rename), so an
            interrupted run set continues with --resume. Example:
              optlab run --problem 'rosenbrock(d=6)' --optimizer adam --optimizer 'sgd(lr=1e-3)' --seeds 0..2 --steps 500 --out runs/rb
            """)

        @OptionGroup var options: RunOptions

        @Option(help: "A built-in suite (as for compare), e.g. bbob-small; explicit flags override its settings.")
        var suite: String?

        @Option(help: "Dimensions of the bbob suites, e.g. 2,5,10 (default 2,3,5).")
        var dims: String?

        func run() throws {
            let directory: String
            let outcomes: [RunOutcome]
            do {
                let plan = try options.plan(base: try suite.map { try suitePlan($0, dims: dims, options: options) })
                directory = options.outputDirectory()
                outcomes = try options.execute(plan, directory: directory)
            } catch {
                throw fail(error)
            }
            print(options.report(outcomes, directory: directory))
            if let code = options.exitStatus(outcomes) { throw code }
        }
    }
}
