import ArgumentParser
import Foundation
import LinearAlgebra
import OptimizationCore
import Problems

extension BenchmarkCommands {
    /// `optlab bench problems`: seconds per gradient evaluation of the large
    /// learning workloads, next to the same model in PyTorch (float64, one
    /// thread) timed by Benchmarks/reference/workload_gradients.py in the same run.
    public struct BenchProblems: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(
            commandName: "problems",
            abstract: "Time one gradient of charlm and cnn against the same model in PyTorch.",
            discussion: """
            For each problem spec, in each of --rounds rounds: one untimed gradient, then the \
            best of --repeats gradient evaluations (forward and backward on the step-0 batch, OpenBLAS on \
            --threads threads). With --python, the PyTorch twin of each model (the one \
            the tests compare against to 1e-10) is timed the same way by \
            Benchmarks/reference/workload_gradients.py (float64, torch.set_num_threads(1)) \
            after the lab in every round, and the ratio of the two bests is printed; target: ratio ≤ 1.0.
            """)

        @Option(help: "Problem specs separated by ';'.")
        var problems: String = "charlm(d=128,layers=4,context=128,batch=32);cnn"

        @Option(help: "Timed gradient evaluations per problem (the best counts).")
        var repeats: Int = 5

        @Option(help: "OpenBLAS threads.")
        var threads: Int = 1

        @Option(help: "Rounds alternating the lab and PyTorch (each side keeps its best).")
        var rounds: Int = 3

        @Option(help: "A Python with torch: times the PyTorch reference too (omit to time the lab only).")
        var python: String?

        @Option(help: "The reference script.")
        var script: String = "Benchmarks/reference/workload_gradients.py"

        public func run() throws {
            do {
                guard rounds >= 1 else { throw BenchInputError("--rounds must be a positive integer (got \(rounds))") }
                guard repeats >= 1 else { throw BenchInputError("--repeats must be a positive integer (got \(repeats))") }
                guard (1...256).contains(threads) else { throw BenchInputError("--threads must be in 1...256 (got \(threads))") }
                let specs = problems.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                BLASRuntime.setThreads(threads)
                var problemsBySpec: [(spec: String, problem: any DifferentiableObjective, gradient: [Double])] = []
                for spec in specs {
                    let (made, _) = try ProblemCatalog.shared.make(spec, seed: 0)
                    guard let problem = made as? any DifferentiableObjective else { throw BenchInputError("\(spec) has no gradient") }
                    problem.beginStep(0)
                    problemsBySpec.append((spec, problem, [Double](repeating: 0, count: problem.dimension)))
                }
                // Rounds alternate the lab and PyTorch, and each side keeps its best: on a
                // shared machine a burst of load then hits both sides alike.
                var lab = [Double](repeating: .infinity, count: specs.count)
                var reference: [String: Double] = [:]
                for _ in 0..<rounds {
                    for k in problemsBySpec.indices {
                        let (_, problem, _) = problemsBySpec[k]
                        let x = problem.initialPoint
                        _ = try problem.gradient(at: x, into: &problemsBySpec[k].gradient)
                        let seconds = try BenchClock.best(of: repeats) {
                            _ = try problem.gradient(at: x, into: &problemsBySpec[k].gradient)
                        }
                        lab[k] = min(lab[k], seconds)
                    }
                    if let python {
                        for (spec, seconds) in try Self.runReference(python: python, script: script, specs: specs, repeats: repeats) {
                            reference[spec] = min(reference[spec] ?? .infinity, seconds)
                        }
                    }
                }
                let rows = specs.indices.map { (spec: specs[$0], dimension: problemsBySpec[$0].problem.dimension, seconds: lab[$0]) }
                print("problem | parameters | lab s/gradient | pytorch s/gradient | ratio")
                print("---|---:|---:|---:|---:")
                for row in rows {
                    let torch = reference[row.spec]
                    print("\(row.spec) | \(row.dimension) | \(String(format: "%.4f", row.seconds)) | "
                          + (torch.map { String(format: "%.4f", $0) } ?? "–") + " | "
                          + (torch.map { String(format: "%.2f", row.seconds / $0) } ?? "–"))
                }
            } catch {
                throw fail(error)
            }
        }

        /// Runs the PyTorch script and reads its `spec,seconds` lines.
        static func runReference(python: String, script: String, specs: [String], repeats: Int) throws -> [String: Double] {
            guard FileManager.default.isReadableFile(atPath: script) else {
                throw BenchInputError("--script \(script) is not a readable file (run from the repository root)")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [script, "--repeats", String(repeats)] + specs
            let pipe = Pipe()
            process.standardOutput = pipe
            do { try process.run() } catch {
                throw BenchInputError("--python \(python) could not be started: \(error.localizedDescription)")
            }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw BenchInputError("the PyTorch reference exited with status \(process.terminationStatus)")
            }
            var out: [String: Double] = [:]
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                guard let comma = line.lastIndex(of: ","), let s = Double(line[line.index(after: comma)...]) else { continue }
                out[String(line[..<comma])] = s
            }
            return out
        }
    }
}
