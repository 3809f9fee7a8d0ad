import ArgumentParser
import Foundation
import Harness
import OptimizationCore
import Optimizers
import Problems

/// Flags shared by `run` and `compare`.
struct RunOptions: ParsableArguments {
    @Option(name: .customLong("problem"), help: "A problem spec (repeatable), e.g. 'rosenbrock(d=6)'.")
    var problems: [String] = []

    @Option(name: .customLong("optimizer"), help: "An optimizer spec (repeatable), e.g. 'adam(lr=1e-3)'.")
    var optimizers: [String] = []

    @Option(help: "One seed.")
    var seed: UInt64?

    @Option(help: "A range of seeds, e.g. 0..4 (inclusive).")
    var seeds: String?

    @Option(help: "Step budget per run.")
    var steps: Int?

    @Option(name: .customLong("max-evals"), help: "Evaluation budget per run (f + ∇f + HVP + Hessian calls).")
    var maxEvals: Int?

    @Option(name: .customLong("time-limit"), help: "Optimizer seconds per run.")
    var timeLimit: Double?

    @Option(name: .customLong("target-gap"), help: "Stop a run as converged when loss − f* ≤ G.")
    var targetGap: Double?

    @Option(name: .customLong("log-every"), help: "Log every K-th step (default: every step to 10, then 20 per decade).")
    var logEvery: Int?

    @Option(help: "Output directory (default: runs/<date-time>).")
    var out: String?

    @Flag(help: "Exit non-zero when any run ends in error or divergence.")
    var strict = false

    @Flag(help: "No progress line on stderr.")
    var quiet = false

    /// Seeds from --seed / --seeds (default [0]).
    func seedList() throws -> [UInt64] {
        if let seeds {
            let parts = seeds.components(separatedBy: "..")
            guard parts.count == 2, let a = UInt64(parts[0]), let b = UInt64(parts[1]), a <= b, b - a < 100_000 else {
                throw ValidationError("--seeds '\(seeds)' is not a range like 0..4 (first ≤ last)")
            }
            return Array(a...b)
        }
        return [seed ?? 0]
    }

    func validateBudgets() throws {
        if let steps, steps < 0 { throw ValidationError("--steps must be ≥ 0, got \(steps)") }
        if let maxEvals, maxEvals < 1 { throw ValidationError("--max-evals must be ≥ 1, got \(maxEvals)") }
        if let timeLimit, !(timeLimit > 0) { throw ValidationError("--time-limit must be > 0 seconds") }
        if let targetGap, !(targetGap >= 0) { throw ValidationError("--target-gap must be ≥ 0") }
        if let logEvery, logEvery < 1 { throw ValidationError("--log-every must be ≥ 1, got \(logEvery)") }
    }

    /// The plan, with the base (e.g. a suite) overridden by explicit flags.
    func plan(base: RunPlan?) throws -> RunPlan {
        try validateBudgets()
        var plan = base ?? RunPlan(problems: [], optimizers: [])
        if !problems.isEmpty { plan.problems = problems }
        if !optimizers.isEmpty { plan.optimizers = optimizers }
        if seed != nil || seeds != nil || base == nil { plan.seeds = try seedList() }
        if let steps { plan.budget.steps = steps }
        if let maxEvals { plan.budget.evaluations = maxEvals }
        if let timeLimit { plan.budget.seconds = timeLimit }
        if let targetGap { plan.budget.targetGap = targetGap }
        if let logEvery { plan.logEvery = logEvery }
        guard !plan.problems.isEmpty else { throw ValidationError("give at least one --problem (see `optlab list problems`)") }
        guard !plan.optimizers.isEmpty else { throw ValidationError("give at least one --optimizer (see `optlab list optimizers`)") }
        // Check every spec up front: a typo fails fast, before any run starts.
        for p in plan.problems { _ = try ProblemCatalog.shared.resolve(p) }
        for o in plan.optimizers { _ = try OptimizerCatalog.shared.resolve(o) }
        return plan
    }

    var outputDirectory: String {
        if let out { return out }
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        return "runs/" + f.string(from: Date())
    }

    /// Runs the plan, writes its files, and returns the records.
    func execute(_ plan: RunPlan, directory: String) throws -> [RunRecord] {
        let runner = Runner(grid: LoggingGrid(every: plan.logEvery))
        let showProgress = !quiet && Terminal.stderrIsTerminal
        let start = Date()
        let records = RunSet.execute(plan, runner: runner) { done, total, record in
            if record.status == .error { printError("optlab: run \(record.problem) × \(record.optimizer) seed \(record.seed) failed: \(record.reason)") }
            guard showProgress else { return }
            let elapsed = Date().timeIntervalSince(start)
            let eta = elapsed / Double(done) * Double(total - done)
            Terminal.writeError("\r\u{1B}[K[\(done)/\(total)] \(record.problem) × \(record.optimizer): \(record.status.rawValue)  ETA \(Int(eta.rounded())) s")
            if done == total { Terminal.writeError("\n") }
        }
        try RunSetWriter.write(records, plan: plan, command: CommandLine.arguments, to: directory)
        return records
    }

    func exitStatus(_ records: [RunRecord]) -> ExitCode? {
        strict && records.contains { $0.status == .error || $0.status == .diverged } ? ExitCode(1) : nil
    }
}


extension OptLab {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run optimizers on problems and write traces.csv, summary.csv and manifest.json.",
            discussion: """
            Runs the cross product problems × optimizers × seeds. Example:
              optlab run --problem 'rosenbrock(d=6)' --optimizer adam --optimizer 'sgd(lr=1e-3)' --steps 500 --out runs/rb
            """)

        @OptionGroup var options: RunOptions

        func run() throws {
            let plan: RunPlan
            do { plan = try options.plan(base: nil) } catch let e as ValidationError { throw e } catch { throw fail(error) }
            let directory = options.outputDirectory
            let records = try options.execute(plan, directory: directory)
            print("wrote \(records.count) runs to \(directory)/ (traces.csv, summary.csv, manifest.json)")
            if let code = options.exitStatus(records) { throw code }
        }
    }
}
