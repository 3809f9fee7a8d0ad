import ArgumentParser
import LinearAlgebra
import OptimizationCore
import Optimizers
import Problems

extension BenchmarkCommands {
    /// `optlab bench newton`: seconds per step of the dense Newton family next
    /// to the LAPACK factorisation each step is built on, measured in the
    /// same process on the same Hessian.
    public struct BenchNewton: ParsableCommand {
        public init() {}
        public static let configuration = CommandConfiguration(
            commandName: "newton",
            abstract: "Measure Newton, cubic and lazy-Newton steps against one dpotrf / dsyevd.",
            discussion: """
            Problem: quadratic(d=D,cond=1e4,rotate=true), whose Hessian is a dense rotated \
            matrix. For each D the bench times one Hessian evaluation, one dpotrf and one \
            dsyevd of that Hessian, then the first step of newton, cubic and \
            lazy_newton(m=1000000) (a full step: Hessian + dsyevd + solve) from x0, and the \
            following lazy_newton steps that reuse the eigendecomposition. Every time is the \
            best of --repeats fresh runs.
            Rows: d, step, seconds, reference, reference_seconds, ratio = seconds / reference. \
            Targets: newton ≤ 1.5 × (dpotrf + Hessian); a lazy step between refreshes \
            ≤ 0.05 × the full step (20× cheaper) at d = 1000.
            """)

        @Option(help: "Comma-separated dimensions.")
        var dims: String = "500,1000,2000"

        @Option(help: "Fresh runs per timed quantity (the best is kept).")
        var repeats: Int = 3

        @Option(help: "Lazy steps timed after the refresh step (mean per step).")
        var lazySteps: Int = 20

        @Option(help: "OpenBLAS threads.")
        var threads: Int = 1

        public func run() throws {
            do {
                let dimensions = try dims.split(separator: ",").map { part -> Int in
                    guard let d = Int(part.trimmingCharacters(in: .whitespaces)), (2...20_000).contains(d) else {
                        throw BenchInputError("--dims takes comma-separated integers in 2...20000 (got '\(dims)')")
                    }
                    return d
                }
                guard repeats >= 1 else { throw BenchInputError("--repeats must be a positive integer (got \(repeats))") }
                guard lazySteps >= 1 else { throw BenchInputError("--lazy-steps must be a positive integer (got \(lazySteps))") }
                guard (1...256).contains(threads) else { throw BenchInputError("--threads must be in 1...256 (got \(threads))") }
                BLASRuntime.setThreads(threads)
                print(NewtonBenchRow.header)
                for d in dimensions {
                    for row in try NewtonBenchRow.measure(d: d, repeats: repeats, lazySteps: lazySteps) {
                        print(row.line)
                    }
                }
            } catch {
                throw fail(error)
            }
        }
    }
}

/// One line of `optlab bench newton`.
struct NewtonBenchRow {
    static let header = pad(["d", "step", "seconds", "reference", "reference_s", "ratio"])

    let d: Int
    let step: String
    let seconds: Double
    let reference: String
    let referenceSeconds: Double

    var line: String {
        Self.pad([String(d), step, format(seconds), reference, format(referenceSeconds),
                  String(format: "%.3f", seconds / referenceSeconds)])
    }

    private static func pad(_ cells: [String]) -> String {
        let widths = [6, 22, 11, 22, 11, 7]
        return zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
            .joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    private func format(_ s: Double) -> String { String(format: "%.3e", s) }

    static func measure(d: Int, repeats: Int, lazySteps: Int) throws -> [NewtonBenchRow] {
        let (made, _) = try ProblemCatalog.shared.make("quadratic(d=\(d),cond=1e4,rotate=true)", seed: 0)
        guard let problem = made as? any HessianObjective else { throw BenchInputError("\(made.name) has no Hessian") }
        let x0 = problem.initialPoint
        var hessian = Matrix(rows: 0, columns: 0)
        let tHessian = try BenchClock.best(of: repeats) { hessian = try problem.hessian(at: x0) }
        let tPotrf = try BenchClock.best(of: repeats) { _ = try Cholesky(hessian) }
        let tSyevd = try BenchClock.best(of: repeats) { _ = try SymmetricEigen(hessian) }

        /// The first step of a fresh optimizer from x0, best of `repeats`.
        func firstStep(_ spec: String) throws -> Double {
            let (template, _) = try OptimizerCatalog.shared.make(spec)
            return try BenchClock.best(of: repeats) {
                var opt = template
                var oracle = Oracle(problem, seed: 0)
                var x = x0
                try opt.step(&x, oracle: &oracle)
            }
        }
        let tNewton = try firstStep("newton")
        let tCubic = try firstStep("cubic")
        let lazy = "lazy_newton(m=1000000)"
        let tLazyRefresh = try firstStep(lazy)

        // Steps after the refresh reuse the eigendecomposition: O(d²) each.
        let (template, _) = try OptimizerCatalog.shared.make(lazy)
        var lazyMean = Double.infinity
        for _ in 0..<repeats {
            var opt = template
            var oracle = Oracle(problem, seed: 0)
            var x = x0
            try opt.step(&x, oracle: &oracle)
            let t = try BenchClock.best(of: 1) {
                for _ in 0..<lazySteps { try opt.step(&x, oracle: &oracle) }
            }
            guard oracle.counts.hessian == 1 else {
                throw BenchInputError("lazy_newton refreshed its Hessian during the timed steps")
            }
            lazyMean = min(lazyMean, t / Double(lazySteps))
        }
        return [
            NewtonBenchRow(d: d, step: "hessian", seconds: tHessian, reference: "dpotrf", referenceSeconds: tPotrf),
            NewtonBenchRow(d: d, step: "dsyevd", seconds: tSyevd, reference: "dpotrf", referenceSeconds: tPotrf),
            NewtonBenchRow(d: d, step: "newton", seconds: tNewton, reference: "dpotrf+hessian",
                           referenceSeconds: tPotrf + tHessian),
            NewtonBenchRow(d: d, step: "cubic", seconds: tCubic, reference: "dsyevd+hessian",
                           referenceSeconds: tSyevd + tHessian),
            NewtonBenchRow(d: d, step: "lazy_newton refresh", seconds: tLazyRefresh, reference: "dsyevd+hessian",
                           referenceSeconds: tSyevd + tHessian),
            NewtonBenchRow(d: d, step: "lazy_newton between", seconds: lazyMean, reference: "lazy_newton refresh",
                           referenceSeconds: tLazyRefresh),
        ]
    }
}
