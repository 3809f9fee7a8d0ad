import ArgumentParser
import Foundation
import LinearAlgebra
import Dispatch
import OptimizationCore
import Optimizers
import Problems

extension BenchmarkCommands {
    /// `optlab bench deepzero`: DeepZero's feature reuse and coordinate
    /// parallelism — block (layer) evaluations and seconds per step with and
    /// without reuse, on 1..T threads, with a check that all variants follow
    /// the same trajectory bit for bit.
    public struct BenchDeepZero: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(
            commandName: "deepzero",
            abstract: "Measure DeepZero's feature reuse: layer evaluations and seconds per step, with and without reuse.",
            discussion: """
            For each problem, runs deepzero(<keys>) for --steps steps (after one untimed \
            warm-up step, each step on its own minibatch) as reuse=false on 1 thread (the \
            reference: every query re-runs all layers, block by block, same arithmetic) and \
            reuse=true on 1 … --threads threads; OpenBLAS on 1 thread. Prints problem, variant, \
            threads, queries/step, layer evaluations/step, full-pass equivalents/step \
            (layer evaluations / layers), seconds/step (mean of the timed steps) and the \
            ratios to the reference, and whether the final parameters equal the reference's \
            bit for bit.
            """)

        @Option(help: "Problem specs (block-sequential), comma-free list via repeats.")
        var problem: [String] = ["mlp(data=digits,batch=64)", "mlp(data=digits,batch=64,hidden=32x32x32)"]

        @Option(help: "Extra deepzero keys, e.g. 'sparsity=0.9'.")
        var keys: String = "sparsity=0.9,ratios=uniform,lr=0.01"

        @Option(help: "Timed steps (after one untimed warm-up step).")
        var steps: Int = 3

        @Option(help: "Largest thread count measured with reuse.")
        var threads: Int = 2

        public func run() throws {
            do {
                guard (1...1000).contains(steps) else { throw BenchInputError("--steps must be in 1...1000 (got \(steps))") }
                guard (1...256).contains(threads) else { throw BenchInputError("--threads must be in 1...256 (got \(threads))") }
                BLASRuntime.setThreads(1)
                print("problem                                   variant   threads  queries/step  layer_evals/step  full_passes/step  s/step    evals_ratio  time_ratio  same_x")
                for spec in problem {
                    let reference = try measure(spec, reuse: false, threads: 1)
                    print(line(spec, reference, reference))
                    for t in 1...threads {
                        print(line(spec, try measure(spec, reuse: true, threads: t), reference))
                    }
                }
            } catch {
                throw fail(error)
            }
        }

        struct Measurement {
            let reuse: Bool
            let threads: Int
            let queriesPerStep: Double
            let layerEvaluationsPerStep: Double
            let layers: Int
            let secondsPerStep: Double
            let x: [Double]
        }

        func measure(_ spec: String, reuse: Bool, threads: Int) throws -> Measurement {
            let (problem, _) = try ProblemCatalog.shared.make(spec, seed: 0)
            guard let layered = problem as? any BlockSequentialObjective else {
                throw BenchInputError("bench deepzero needs a block-sequential problem (mlp, softmax, logreg); '\(spec)' is not")
            }
            let optimizerSpec = "deepzero(\(keys.isEmpty ? "" : keys + ",")reuse=\(reuse))"
            let (made, _) = try OptimizerCatalog.make(optimizerSpec, for: problem.capabilities, problemName: problem.name, seed: 0)
            guard var opt = made as? DeepZero else { throw BenchInputError("not a deepzero spec: \(optimizerSpec)") }
            opt.threads = threads
            var oracle = Oracle(problem)
            var x = problem.initialPoint
            problem.beginStep(0)
            try opt.step(&x, oracle: &oracle)
            let (queries0, blocks0) = (oracle.counts.function, opt.blockEvaluations)
            let start = DispatchTime.now().uptimeNanoseconds
            for k in 1...steps {
                problem.beginStep(k)
                try opt.step(&x, oracle: &oracle)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            return Measurement(reuse: reuse, threads: threads,
                               queriesPerStep: Double(oracle.counts.function - queries0) / Double(steps),
                               layerEvaluationsPerStep: Double(opt.blockEvaluations - blocks0) / Double(steps),
                               layers: layered.sequentialBlocks.count, secondsPerStep: seconds / Double(steps), x: x)
        }

        func line(_ spec: String, _ m: Measurement, _ reference: Measurement) -> String {
            func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }
            func f(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)g", x) }
            return pad(spec, 42) + pad(m.reuse ? "reuse" : "no_reuse", 10) + pad("\(m.threads)", 9)
                + pad(f(m.queriesPerStep, 6), 14) + pad(f(m.layerEvaluationsPerStep, 7), 18)
                + pad(f(m.layerEvaluationsPerStep / Double(m.layers), 6), 18) + pad(f(m.secondsPerStep), 10)
                + pad(f(m.layerEvaluationsPerStep / reference.layerEvaluationsPerStep, 3), 13)
                + pad(f(m.secondsPerStep / reference.secondsPerStep, 3), 12) + (m.x == reference.x ? "yes" : "NO")
        }
    }
}
