import LinearAlgebra
import OptimizationCore

/// Truncated Newton (line-search Newton–CG): the Newton system ∇²f·p = −g is
/// solved approximately by conjugate gradients that touch the Hessian only
/// through Hessian-vector products, so it runs where no dense Hessian exists
/// (`mlp`).
///
/// CG stops when ‖r‖ ≤ η‖g‖ with the forcing term η = min(0.5, √‖g‖)
/// (superlinear local convergence), after `max_cg` products, or at the first
/// direction of non-positive curvature — then the current iterate is used
/// (−g if that happens in the first CG iteration) and `event` says
/// `negative_curvature`. The step length comes from Armijo backtracking
/// (c₁ = 1e-4, shrink 0.5, first trial t = 1).
///
/// Cost per step: one gradient, up to `max_cg` Hessian-vector products
/// (counted as `hvp_evals`), one value per backtracking trial.
///
///     optlab run --problem 'mlp(data=digits)' --optimizer 'newton_cg(max_cg=50)' --steps 100
///
/// Reference: Nocedal & Wright (2006), Alg. 7.1; Dembo & Steihaug,
/// Math. Program. 26 (1983).
public struct NewtonCG: Optimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "newton_cg", family: .secondOrder,
        summary: "truncated Newton: CG on Hessian-vector products, forcing min(0.5, √‖g‖), Armijo backtracking",
        reference: "Nocedal & Wright (2006) Alg. 7.1; Dembo & Steihaug 1983",
        hyperparameters: [
            .integer("max_cg", 50, .closed(1, 100_000), "Hessian-vector products per step at most"),
            .real("c1", 1e-4, .unitOpen, "Armijo sufficient-decrease constant"),
            .real("shrink", 0.5, .unitOpen, "backtracking factor"),
            .integer("max_backtracks", 60, .closed(1, 1000), "backtracking trials per step"),
        ],
        requires: [.value, .gradient, .hessianVectorProduct])

    public let maxCG: Int
    public let c1: Double
    public let shrink: Double
    public let maxBacktracks: Int
    public private(set) var currentLearningRate: Double?
    public private(set) var lastEvent: String?
    /// CG iterations (Hessian-vector products) of the last step.
    public private(set) var lastCGIterations = 0
    private var cache = GradientCache()

    /// Every key of the spec, with the same defaults.
    public init(maxCG: Int = 50, c1: Double = 1e-4, shrink: Double = 0.5, maxBacktracks: Int = 60) {
        self.init(Self.descriptor.validated([
            "max_cg": .integer(maxCG), "c1": .real(c1), "shrink": .real(shrink), "max_backtracks": .integer(maxBacktracks),
        ]))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        maxCG = p.int("max_cg")
        c1 = p.double("c1")
        shrink = p.double("shrink")
        maxBacktracks = p.int("max_backtracks")
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        lastEvent = nil
        let (f, g) = try cache.valueAndGradient(at: x, oracle: &oracle)
        let gNorm = BLAS.nrm2(g)
        guard gNorm > 0 else { currentLearningRate = 0; return }
        let n = x.count
        let tolerance = min(0.5, gNorm.squareRoot()) * gNorm
        var z = [Double](repeating: 0, count: n)
        var r = g
        var d = Vec.negated(g)
        var bd = [Double](repeating: 0, count: n)
        var rr = BLAS.dot(r, r)
        var p: [Double]? = nil
        lastCGIterations = 0
        for j in 0..<maxCG {
            try oracle.hessianVectorProduct(at: x, d, into: &bd)
            lastCGIterations += 1
            let curvature = BLAS.dot(d, bd)
            if curvature <= 0 {
                p = j == 0 ? Vec.negated(g) : z
                lastEvent = "negative_curvature"
                break
            }
            let alpha = rr / curvature
            BLAS.axpy(alpha, d, &z)
            BLAS.axpy(alpha, bd, &r)
            let rrNew = BLAS.dot(r, r)
            if rrNew.squareRoot() <= tolerance { break }
            BLAS.scal(rrNew / rr, &d)
            BLAS.axpy(-1, r, &d)
            rr = rrNew
        }
        let direction = p ?? z
        let slope = BLAS.dot(g, direction)
        guard slope < 0 else { currentLearningRate = 0; return }
        var t = 1.0
        var trials = 0
        while true {
            let fNew = try oracle.value(at: Vec.moved(x, t, direction))
            if fNew <= f + c1 * t * slope { break }
            trials += 1
            if trials >= maxBacktracks {
                lastEvent = (lastEvent.map { $0 + ";" } ?? "") + "line_search_failed"
                break
            }
            t *= shrink
        }
        currentLearningRate = t
        BLAS.axpy(t, direction, &x)
    }
}
