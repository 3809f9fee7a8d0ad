import LinearAlgebra
import OptimizationCore
@testable import Problems

/// Shared helpers for the analytic/global problem tests.
enum AnalyticTestSupport {
    /// Every analytic and global problem at its default keys, plus variants
    /// that exercise other code paths (hand-written derivatives, rotation, m ≠ n).
    static var specs: [String] {
        let names = ProblemCatalog.shared.descriptors.filter { ["mgh", "quadratic", "global"].contains($0.family) }.map(\.name)
        return names + ["rosenbrock(d=7)", "quadratic(d=12)", "quadratic(d=12,rotate=true,cond=100)", "rayleigh(d=9)",
                        "watson(n=9)", "chebyquad(n=5,m=7)", "gulf(m=20)", "penalty2(n=4)", "linear_rank1_zero(n=5,m=6)",
                        "rastrigin(d=5)", "griewank(d=4)", "trid(d=6)", "levy(d=3)", "dixon_price(d=4)"]
    }

    static func make(_ spec: String, seed: UInt64 = 7) throws -> AnalyticProblem {
        let (p, _) = try ProblemCatalog.shared.make(spec, seed: seed)
        return p as! AnalyticProblem
    }

    /// A seeded point near x0 (MGH) or uniform in the domain (global problems).
    static func randomPoint(_ p: AnalyticProblem, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        if let bounds = p.bounds { return bounds.map { rng.uniform(in: $0.lowerBound, $0.upperBound) } }
        return p.initialPoint.map { $0 + 0.1 * (1 + abs($0)) * rng.gaussian() }
    }

    /// Fourth-order central difference of `f` along coordinate i.
    static func difference(_ x: [Double], _ i: Int, _ f: ([Double]) -> Double) -> Double {
        let h = 1e-4 * max(1, abs(x[i]))
        func at(_ k: Double) -> Double {
            var y = x
            y[i] += k * h
            return f(y)
        }
        return (8 * (at(1) - at(-1)) - (at(2) - at(-2))) / (12 * h)
    }

    static func maxAbs(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }

    /// Damped Gauss–Newton (Levenberg–Marquardt with Moré's diagonal scaling)
    /// from `x`, for checking the MGH minimum values.
    static func levenbergMarquardt(_ f: any LeastSquaresFunction, from start: [Double], iterations: Int = 3000) -> (x: [Double], f: Double) {
        var x = start
        let n = x.count
        var r = f.residualVector(x)
        var fx = BLAS.dot(r, r)
        var mu = 1e-3
        var scale = [Double](repeating: 0, count: n)
        for _ in 0..<iterations {
            let j = f.jacobian(x)
            var jtj = Matrix(rows: n, columns: n)
            BLAS.gemm(j, j, into: &jtj, transposeA: true)
            var g = [Double](repeating: 0, count: n)
            BLAS.gemv(j, r, into: &g, transpose: true)
            for i in 0..<n { scale[i] = max(scale[i], jtj[i, i]) }
            var improved = false
            for _ in 0..<60 {
                var a = jtj
                for i in 0..<n { a[i, i] += mu * max(scale[i], 1e-300) }
                guard let step = try? solveGeneral(a, g.map { -$0 }) else { mu *= 10; continue }
                let trial = zip(x, step).map { $0 + $1 }
                let rt = f.residualVector(trial)
                let ft = BLAS.dot(rt, rt)
                if ft.isFinite && ft < fx {
                    let relative = (fx - ft) / max(fx, 1e-300)
                    x = trial; r = rt; fx = ft
                    mu = max(mu / 3, 1e-15)
                    improved = relative > 1e-15
                    break
                }
                mu *= 4
            }
            if !improved { break }
        }
        return (x, fx)
    }
}
