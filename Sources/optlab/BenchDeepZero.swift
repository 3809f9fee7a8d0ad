import ArgumentParser
import LinearAlgebra
import OptimizationCore
import Optimizers
import Problems

extension OptLab {
    /// `optlab bench deepzero`: what DeepZero's feature reuse and forward
    /// parallelism save — block (layer) evaluations and seconds per step with
    /// and without reuse, on one and more threads, with a check that every
    /// variant ends at bitwise the same parameters.
    struct BenchDeepZero: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deepzero",
            abstract: "Measure DeepZero's feature reuse and forward parallelism.",
            discussion: """
            Runs deepzero(sparsity=S,ratios=uniform) for --steps steps on --problem with \
            reuse=false and reuse=true, each on 1 and --threads threads (fresh optimizer, \
            same seed). Rows: reuse, threads, seconds_per_step, block_evals_per_step, \
            queries_per_step, speed-up against reuse=false on 1 thread, and whether the \
            final parameters equal the reference bit for bit. With reuse a query of a \
            coordinate in layer b re-runs layers b … B−1 only, so the saving grows with the \
            share of parameters in late layers.
            """)

        @Option(help: "A block-sequential problem (an mlp).")
        var problem: String = "mlp(data=digits,hidden=32x64x64x64,batch=128)"

        @Option(help: "Gradient sparsity (fraction of weights not queried).")
        var sparsity: Double = 0.9

        @Option(help: "Timed steps per variant.")
        var steps: Int = 3

        @Option(help: "Threads of the parallel variants.")
        var threads: Int = 2

        func run() throws {
            do {
                guard (0..<1).contains(sparsity) else { throw BenchInputError("--sparsity must be in [0, 1) (got \(sparsity))") }
                guard (1...1000).contains(steps) else { throw BenchInputError("--steps must be in 1...1000 (got \(steps))") }
                guard (1...256).contains(threads) else { throw BenchInputError("--threads must be in 1...256 (got \(threads))") }
                // As in harness runs: OpenBLAS on one thread inside every query,
                // parallelism only across the queries.
                BLASRuntime.setThreads(1)
                let variants = [(false, 1), (false, threads), (true, 1), (true, threads)]
                var rows: [(reuse: Bool, threads: Int, seconds: Double, blocks: Int, queries: Int, x: [Double])] = []
                for (reuse, t) in variants where t == 1 || threads > 1 {
                    let (objective, _) = try ProblemCatalog.shared.make(problem, seed: 0)
                    guard objective.capabilities.contains(.layered) else {
                        throw BenchInputError("--problem must be block-sequential (layered), e.g. an mlp; got '\(problem)'")
                    }
                    let spec = "deepzero(sparsity=\(sparsity),ratios=uniform,reuse=\(reuse),threads=\(t))"
                    let (made, _) = try OptimizerCatalog.make(spec, for: objective.capabilities, problemName: problem)
                    var opt = made
                    try opt.prepare(RunContext(layout: objective.layout, totalSteps: steps, seed: 0))
                    var oracle = Oracle(objective, seed: 0)
                    var x = objective.initialPoint
                    var k = 0
                    let seconds = try BenchClock.best(of: 1) {
                        for _ in 0..<steps {
                            objective.beginStep(k)
                            try opt.step(&x, oracle: &oracle)
                            k += 1
                        }
                    } / Double(steps)
                    let blocks = (opt as? DeepZero)?.blockEvaluations ?? 0
                    rows.append((reuse, t, seconds, blocks / steps, oracle.counts.function / steps, x))
                }
                let reference = rows[0]
                print("problem \(problem), sparsity \(sparsity), \(steps) steps")
                print("reuse  threads  seconds/step  block_evals/step  queries/step  speed-up  identical")
                for r in rows {
                    let cells = [String(r.reuse), String(r.threads), String(format: "%.4f", r.seconds),
                                 String(r.blocks), String(r.queries), String(format: "%.2f", reference.seconds / r.seconds),
                                 r.x == reference.x ? "yes" : "NO"]
                    print(zip(cells, [5, 7, 12, 16, 12, 8, 9]).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                        .joined(separator: "  "))
                }
            } catch {
                throw fail(error)
            }
        }
    }
}
