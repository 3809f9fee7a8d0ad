import ArgumentParser
import LinearAlgebra
import OptimizationCore
import Optimizers
import Problems

extension BenchmarkCommands {
    /// `optlab bench curvature`: seconds per step of K-FAC, MKOR and M-FAC on a
    /// minibatch MLP, each as a ratio to Adam's step on the same problem
    /// (gradient evaluation and statistics passes included).
    public struct BenchCurvature: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(
            commandName: "curvature",
            abstract: "Measure K-FAC, MKOR and M-FAC steps against Adam's on an MLP.",
            discussion: """
            Problem (default): mlp(data=digits,hidden=256x256,batch=128), about 85,000 \
            parameters. Each optimizer takes --warmup untimed steps, then --steps timed \
            steps exactly as the harness runs them (beginStep, then step: gradient, \
            statistics and factor refreshes included); the mean seconds per step of the \
            best of --repeats rounds (round-robin over the optimizers) is reported, with the ratio to Adam. The timed steps \
            are a multiple of 10, so K-FAC's inverse refresh (inv_every=10) and MKOR's \
            factor refresh (inv_freq=10) are amortised exactly. \
            Targets: mkor ≤ 1.5 × adam; kfac(inv_every=10) ≤ 3 × adam; the mfac rows \
            grow linearly in m. The kfac(cov_every=10,...) row is the PyTorch repos' \
            setting (statistics every 10 steps, alecwangcq TCov=10).
            """)

        @Option(help: "Problem spec.")
        var problem: String = "mlp(data=digits,hidden=256x256,batch=128)"

        @Option(help: "Comma-separated optimizer specs; use ';' to separate when specs contain commas.")
        var optimizers: String = "adam;kfac(inv_every=10);kfac(cov_every=10,inv_every=10);mkor;mfac(m=32);mfac(m=128);mfac(m=1024)"

        @Option(help: "Untimed steps before timing.")
        var warmup: Int = 10

        @Option(help: "Timed steps per run.")
        var steps: Int = 50

        @Option(help: "Rounds over all optimizers (each keeps its best mean).")
        var repeats: Int = 5

        @Option(help: "OpenBLAS threads.")
        var threads: Int = 1

        public func run() throws {
            do {
                guard warmup >= 0 else { throw BenchInputError("--warmup must be ≥ 0 (got \(warmup))") }
                guard steps >= 1 else { throw BenchInputError("--steps must be a positive integer (got \(steps))") }
                guard repeats >= 1 else { throw BenchInputError("--repeats must be a positive integer (got \(repeats))") }
                guard (1...256).contains(threads) else { throw BenchInputError("--threads must be in 1...256 (got \(threads))") }
                let specs = optimizers.split(separator: ";").map { String($0).trimmingCharacters(in: .whitespaces) }
                guard let reference = specs.first, !reference.isEmpty else {
                    throw BenchInputError("--optimizers needs at least one spec (the first is the reference)")
                }
                BLASRuntime.setThreads(threads)
                let (probe, _) = try ProblemCatalog.shared.make(problem, seed: 0)
                print("problem: \(problem)  dim: \(probe.dimension)  threads: \(threads)  timed steps: \(steps)")
                print(CurvatureBenchRow.header(reference: reference))
                // Round-robin over the specs, best per spec: on a shared machine a burst
                // of load then hits every optimizer alike instead of one of them.
                var best = [Double](repeating: .infinity, count: specs.count)
                for _ in 0..<repeats {
                    for (k, spec) in specs.enumerated() {
                        best[k] = min(best[k], try CurvatureBenchRow.secondsPerStep(spec, problem: problem, warmup: warmup,
                                                                                    steps: steps))
                    }
                }
                for (k, spec) in specs.enumerated() {
                    print(CurvatureBenchRow(optimizer: spec, seconds: best[k], ratio: best[k] / best[0]).line)
                }
            } catch {
                throw fail(error)
            }
        }
    }
}

/// One line of `optlab bench curvature`.
struct CurvatureBenchRow {
    let optimizer: String
    let seconds: Double
    let ratio: Double

    static func header(reference: String) -> String {
        pad(["optimizer", "seconds_per_step", "ratio_to_\(reference)"])
    }

    var line: String { Self.pad([optimizer, String(format: "%.3e", seconds), String(format: "%.2f", ratio)]) }

    private static func pad(_ cells: [String]) -> String {
        zip(cells, [34, 17, 12]).map { $0.padding(toLength: max($1, $0.count), withPad: " ", startingAt: 0) }
            .joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    /// Mean seconds per step over `steps` timed steps after `warmup` untimed ones, on a fresh problem and optimizer.
    static func secondsPerStep(_ spec: String, problem: String, warmup: Int, steps: Int) throws -> Double {
        let (objective, _) = try ProblemCatalog.shared.make(problem, seed: 0)
        let (made, _) = try OptimizerCatalog.make(spec, for: objective.capabilities, problemName: problem)
        var opt = made
        try opt.prepare(RunContext(layout: objective.layout, totalSteps: warmup + steps))
        var oracle = Oracle(objective, seed: 0)
        var x = objective.initialPoint
        for k in 0..<warmup {
            objective.beginStep(k)
            try opt.step(&x, oracle: &oracle)
        }
        let t = try BenchClock.best(of: 1) {
            for k in warmup..<(warmup + steps) {
                objective.beginStep(k)
                try opt.step(&x, oracle: &oracle)
            }
        }
        return t / Double(steps)
    }
}
