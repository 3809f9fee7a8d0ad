import OptimizationCore
import Problems

/// The three problems of issue 5, written out here so that the optimizer
/// tests do not depend on the Problems module.
struct TestProblem: Sendable {
    let name: String
    let initialPoint: [Double]
    let layout: ParameterLayout
    /// Value and gradient.
    let evaluate: @Sendable ([Double]) -> (Double, [Double])

    /// Chained Rosenbrock: Σ 100(x_{i+1} − x_i²)² + (1 − x_i)², x0 = (−1.2, 1, −1.2, 1, …).
    static func rosenbrock(d: Int = 6) -> TestProblem {
        TestProblem(name: "rosenbrock(d=\(d))",
                    initialPoint: (0..<d).map { $0 % 2 == 0 ? -1.2 : 1 },
                    layout: .flat(d)) { x in
            var f = 0.0
            var g = [Double](repeating: 0, count: d)
            for i in 0..<(d - 1) {
                let a = x[i + 1] - x[i] * x[i], b = 1 - x[i]
                f += 100 * a * a + b * b
                g[i] += -400 * x[i] * a - 2 * b
                g[i + 1] += 200 * a
            }
            return (f, g)
        }
    }

    /// ½ Σ λᵢxᵢ², λᵢ = cond^{(i−1)/(d−1)}, x0 = ones.
    static func quadratic(d: Int = 20, cond: Double = 1000) -> TestProblem {
        let lambda = (0..<d).map { Double.pow(cond, Double($0) / Double(d - 1)) }
        return TestProblem(name: "quadratic(d=\(d),cond=\(Int(cond)))",
                           initialPoint: [Double](repeating: 1, count: d),
                           layout: .flat(d)) { x in
            var f = 0.0
            var g = [Double](repeating: 0, count: d)
            for i in 0..<d {
                f += lambda[i] * x[i] * x[i]
                g[i] = lambda[i] * x[i]
            }
            return (0.5 * f, g)
        }
    }

    /// Rayleigh quotient wᵀAw/wᵀw, A = tridiag(−1, 2, −1), x0 = ones; one block [1, d].
    static func rayleigh(d: Int = 16) -> TestProblem {
        TestProblem(name: "rayleigh(d=\(d))",
                    initialPoint: [Double](repeating: 1, count: d),
                    layout: ParameterLayout([("w", [1, d])])) { w in
            var aw = [Double](repeating: 0, count: d)
            for i in 0..<d {
                aw[i] = 2 * w[i] - (i > 0 ? w[i - 1] : 0) - (i < d - 1 ? w[i + 1] : 0)
            }
            var num = 0.0, den = 0.0
            for i in 0..<d {
                num += w[i] * aw[i]
                den += w[i] * w[i]
            }
            let f = num / den
            return (f, (0..<d).map { 2 * (aw[$0] - f * w[$0]) / den })
        }
    }

    static let all = [rosenbrock(), quadratic(), rayleigh()]

    /// A problem of the lab's catalog (full batch), e.g. `softmax(data=digits)`
    /// with its [10, 64] weight matrix: value and gradient from the Problems module.
    static func learning(_ spec: String) -> TestProblem {
        let objective = UncheckedObjective(try! ProblemCatalog.shared.make(spec, seed: 0).0 as! any DifferentiableObjective)
        return TestProblem(name: spec, initialPoint: objective.base.initialPoint, layout: objective.base.layout) { x in
            var g: [Double] = []
            let f = try! objective.base.gradient(at: x, into: &g)
            return (f, g)
        }
    }
}

/// A catalog objective shared by a test's closures (the tests use it from one thread at a time).
/// A catalog problem cast to the protocols a test needs (the test fails when it does not conform).
func catalogProblem<T>(_ spec: String, seed: UInt64 = 0, as type: T.Type) throws -> T {
    let (problem, _) = try ProblemCatalog.shared.make(spec, seed: seed)
    guard let typed = problem as? T else { throw ObjectiveError.failed("\(spec) is not \(type)") }
    return typed
}

private struct UncheckedObjective: @unchecked Sendable {
    let base: any DifferentiableObjective
    init(_ base: any DifferentiableObjective) { self.base = base }
}

/// |a − b| ≤ tol·max(|a|, |b|) (exact equality also passes, including zeros).
func relativelyClose(_ a: Double, _ b: Double, _ tol: Double) -> Bool {
    a == b || Swift.abs(a - b) <= tol * Swift.max(Swift.abs(a), Swift.abs(b))
}

/// The largest relative difference between two vectors (0 when equal).
func maxRelativeDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count)
    var worst = 0.0
    for (x, y) in zip(a, b) where x != y {
        worst = Swift.max(worst, Swift.abs(x - y) / Swift.max(Swift.abs(x), Swift.abs(y)))
    }
    return worst
}

/// max|a − b| / max|b|: the normwise (∞-norm) relative difference, which does
/// not blow up on coordinates that pass near zero.
func normwiseRelativeDifference(_ a: [Double], _ b: [Double]) -> Double {
    let scale = b.reduce(0) { Swift.max($0, Swift.abs($1)) }
    let diff = zip(a, b).reduce(0) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
    return diff == 0 ? 0 : diff / scale
}
