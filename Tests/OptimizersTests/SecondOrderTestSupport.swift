import LinearAlgebra
import OptimizationCore
import Optimizers
import Problems

/// A run of an optimizer from the problem's x0: gaps f(x_k) − f* for k = 0…steps, final x and counts.
struct SecondOrderRun {
    var gaps: [Double] = []
    var x: [Double] = []
    /// x_0, x_1, … (every iterate).
    var iterates: [[Double]] = []
    var counts = EvaluationCounts()
    var events: [String?] = []
    var rates: [Double?] = []
}

func runOptimizer(_ spec: String, on problemSpec: String, steps: Int, seed: UInt64 = 1,
                  stopBelow: Double = 0) throws -> SecondOrderRun {
    let (problem, _) = try ProblemCatalog.shared.make(problemSpec, seed: seed)
    let (opt, _) = try OptimizerCatalog.make(spec, for: problem.capabilities, problemName: problemSpec)
    return try run(opt, on: problem, steps: steps, stopBelow: stopBelow)
}

func run(_ optimizer: any Optimizer, on problem: any Objective, steps: Int, stopBelow: Double = 0) throws -> SecondOrderRun {
    var opt = optimizer
    var oracle = Oracle(problem)
    var x = problem.initialPoint
    let fStar = problem.knownMinimum?.value ?? 0
    try opt.prepare(RunContext(layout: problem.layout, totalSteps: steps))
    var result = SecondOrderRun()
    result.gaps.append(try problem.value(at: x) - fStar)
    result.iterates.append(x)
    for _ in 0..<steps {
        try opt.step(&x, oracle: &oracle)
        result.iterates.append(x)
        result.gaps.append(try problem.value(at: x) - fStar)
        result.events.append(opt.lastEvent)
        result.rates.append(opt.currentLearningRate)
        if result.gaps.last! <= stopBelow { break }
    }
    result.x = x
    result.counts = oracle.counts
    return result
}

/// True when somewhere in the local phase the gap goes from g to at most g^exponent
/// (gap ~ ‖x − x*‖², so quadratic convergence in x means exponent ≈ 2).
func showsFastLocalConvergence(_ gaps: [Double], exponent: Double) -> Bool {
    for k in 0..<(gaps.count - 1) {
        let a = gaps[k], b = gaps[k + 1]
        guard a > 1e-14 && a < 1e-3 else { continue }
        if b <= 0 || b <= Double.pow(a, exponent) { return true }
    }
    return false
}

/// f(x) = √(1 + x²): convex, f'' → 0 at infinity; the Newton map is x ↦ −x³.
struct SqrtOnePlusSquare: SmoothFunction {
    var dimension: Int { 1 }
    func value(_ x: [Double]) -> Double { (1 + x[0] * x[0]).squareRoot() }
    func gradient(_ x: [Double], into g: inout [Double]) -> Double {
        let r = (1 + x[0] * x[0]).squareRoot()
        g = [x[0] / r]
        return r
    }
    func hessian(_ x: [Double]) -> Matrix {
        let r = (1 + x[0] * x[0]).squareRoot()
        return Matrix(rows: 1, columns: 1, elements: [1 / (r * r * r)])
    }
    func hessianVectorProduct(_ x: [Double], _ v: [Double], into result: inout [Double]) {
        result = [hessian(x)[0, 0] * v[0]]
    }
}

func sqrtProblem(x0: Double) -> AnalyticProblem {
    AnalyticProblem(name: "sqrt_one_plus_square", function: SqrtOnePlusSquare(), initialPoint: [x0],
                    knownMinimum: KnownMinimum(value: 1, point: [0]))
}

/// A seeded random orthogonal d×d matrix.
func randomOrthogonal(_ d: Int, seed: UInt64) throws -> Matrix {
    var rng = SplitMix64(seed: seed)
    var g = Matrix(rows: d, columns: d)
    for k in 0..<(d * d) { g.storage[k] = rng.gaussian() }
    return try QRDecomposition.randomOrthogonal(fromGaussian: g)
}

/// Q diag(λ) Qᵀ.
func symmetric(_ q: Matrix, _ lambda: [Double]) -> Matrix {
    let d = lambda.count
    var scaled = q
    for i in 0..<d { for j in 0..<d { scaled[i, j] *= lambda[j] } }
    var h = scaled * q.transposed
    for i in 0..<d { for j in 0..<i { let m = 0.5 * (h[i, j] + h[j, i]); h[i, j] = m; h[j, i] = m } }
    return h
}
