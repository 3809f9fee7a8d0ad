import LinearAlgebra
import OptimizationCore

/// Newton's method with a modified-Newton shift and Armijo backtracking.
///
/// Each step: g = ∇f(x), H = ∇²f(x); factor H + μI by Cholesky (`dpotrf`)
/// with μ = 0 when H is positive definite, otherwise μ grown geometrically
/// (×10) until the factorization succeeds — the trace `event` then reads
/// `modified_newton:mu=…`; p = −(H + μI)⁻¹g (`dpotrs`); then t = 1, 1/2, …
/// until f(x + tp) ≤ f(x) + c₁·t·gᵀp (Armijo, c₁ = 1e-4, shrink 0.5).
/// `line_search=false` takes the full step t = 1 (pure Newton, which can
/// diverge: on f = √(1 + x²) the Newton map is x ↦ −x³).
///
/// Cost per step: one gradient, one Hessian, one Cholesky (d³/3 flops, more
/// if shifted), one value per backtracking trial.
///
///     optlab run --problem 'logreg' --optimizer newton --steps 20
///
/// Reference: Nocedal & Wright, "Numerical Optimization", 2nd ed., §3.1
/// (Armijo backtracking) and §3.4 (Hessian modification, Alg. 3.3).
public struct Newton: Optimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "newton", family: .secondOrder,
        summary: "Newton's method by Cholesky; μI added when ∇²f is not positive definite; Armijo backtracking",
        reference: "Nocedal & Wright, Numerical Optimization (2006), §3.1, §3.4",
        hyperparameters: [
            .boolean("line_search", true, "Armijo backtracking (false: always the full Newton step)"),
            .real("c1", 1e-4, .unitOpen, "Armijo sufficient-decrease constant"),
            .real("shrink", 0.5, .unitOpen, "backtracking factor"),
            .integer("max_backtracks", 60, .closed(1, 1000), "backtracking trials before the smallest step is taken"),
        ],
        requires: [.value, .gradient, .hessian])

    public let lineSearch: Bool
    public let c1: Double
    public let shrink: Double
    public let maxBacktracks: Int

    public private(set) var currentLearningRate: Double?
    public private(set) var lastEvent: String?
    private var cache = GradientCache()

    /// Every key of the spec, with the same defaults.
    public init(lineSearch: Bool = true, c1: Double = 1e-4, shrink: Double = 0.5, maxBacktracks: Int = 60) {
        self.init(Self.descriptor.validated([
            "line_search": .boolean(lineSearch), "c1": .real(c1), "shrink": .real(shrink),
            "max_backtracks": .integer(maxBacktracks),
        ]))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lineSearch = p.bool("line_search")
        c1 = p.double("c1")
        shrink = p.double("shrink")
        maxBacktracks = p.int("max_backtracks")
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        lastEvent = nil
        let (f, g) = try cache.valueAndGradient(at: x, oracle: &oracle)
        let h = try oracle.hessian(at: x)
        let factor = try ShiftedCholesky(h)
        if factor.shift > 0 { lastEvent = "modified_newton:mu=\(formatNumber(factor.shift))" }
        var p = Vec.negated(g)
        try factor.cholesky.solve(inPlace: &p)
        let slope = BLAS.dot(g, p)
        guard slope < 0 else {                     // g = 0: stationary point
            currentLearningRate = 0
            return
        }
        var t = 1.0
        if lineSearch {
            var trials = 0
            while true {
                let fNew = try oracle.value(at: Vec.moved(x, t, p))
                if fNew <= f + c1 * t * slope { break }
                trials += 1
                if trials >= maxBacktracks {
                    lastEvent = (lastEvent.map { $0 + ";" } ?? "") + "line_search_failed"
                    break
                }
                t *= shrink
            }
        }
        currentLearningRate = t
        BLAS.axpy(t, p, &x)
    }
}
