import LinearAlgebra
import OptimizationCore

/// BFGS with a dense inverse-Hessian approximation and a strong-Wolfe line search.
///
/// p = −H_k g (`dgemv`); after the step, with s = x_{k+1} − x_k, y = g_{k+1} − g_k,
/// ρ = 1/(yᵀs): H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ, applied as three rank-one
/// updates (`dger`) around Hy: H − ρ(Hy·sᵀ + s·(Hy)ᵀ) + (ρ + ρ²yᵀHy)ssᵀ.
/// H₀ = I, rescaled to (sᵀy/yᵀy)·I before the first update (Nocedal & Wright
/// eq. 6.20). Pairs with sᵀy ≤ 1e-10‖s‖‖y‖ are skipped.
///
/// Cost per step: O(d²) plus the line-search gradients.
///
///     optlab run --problem 'rosenbrock(d=6)' --optimizer bfgs --steps 200
///
/// Reference: Nocedal & Wright (2006), Alg. 6.1.
public struct BFGS: Optimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "bfgs", family: .baseline,
        summary: "BFGS, dense inverse-Hessian update, strong-Wolfe line search",
        reference: "Nocedal & Wright (2006) Alg. 6.1",
        hyperparameters: [
            .real("c1", 1e-4, .unitOpen, "Wolfe sufficient-decrease constant"),
            .real("c2", 0.9, .unitOpen, "Wolfe curvature constant"),
        ],
        requires: [.value, .gradient])

    private var lineSearch: StrongWolfeLineSearch
    private var inverseHessian = Matrix(rows: 0, columns: 0)
    private var updates = 0
    private var cache = GradientCache()
    public private(set) var currentLearningRate: Double?
    public private(set) var lastEvent: String?

    /// Every key of the spec (the strong Wolfe constants), with the same defaults.
    public init(c1: Double = 1e-4, c2: Double = 0.9) {
        self.init(Self.descriptor.validated(["c1": .real(c1), "c2": .real(c2)]))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        lineSearch = StrongWolfeLineSearch(c1: p.double("c1"), c2: p.double("c2"))
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        lastEvent = nil
        let d = x.count
        if inverseHessian.rows != d { inverseHessian = .identity(d); updates = 0 }
        let (f, g) = try cache.valueAndGradient(at: x, oracle: &oracle)
        let gNorm = BLAS.nrm2(g)
        guard gNorm.isFinite else { throw SecondOrderError.nonFinite("gradient") }
        guard gNorm > 0 else { currentLearningRate = 0; return }
        var p = [Double](repeating: 0, count: d)
        BLAS.gemv(inverseHessian, g, into: &p, alpha: -1)
        if !(BLAS.dot(p, g) < 0) {   // also catches a NaN direction
            inverseHessian = .identity(d); updates = 0
            p = Vec.negated(g)
            lastEvent = "restart"
        }
        let t0 = updates == 0 ? min(1, 1 / gNorm) : 1
        let r = try lineSearch.search(from: x, value: f, gradient: g, direction: p, initialStep: t0, oracle: &oracle)
        if !r.satisfied { lastEvent = (lastEvent.map { $0 + ";" } ?? "") + "wolfe_not_met" }
        currentLearningRate = r.t
        guard r.t > 0 else { return }
        let xNew = Vec.moved(x, r.t, p)
        var s = xNew
        BLAS.axpy(-1, x, &s)
        var y = r.gradient
        BLAS.axpy(-1, g, &y)
        let sy = BLAS.dot(s, y)
        if sy > 1e-10 * BLAS.nrm2(s) * BLAS.nrm2(y) {
            if updates == 0 { inverseHessian = .identity(d); BLAS.scal(sy / BLAS.dot(y, y), &inverseHessian.storage) }
            let rho = 1 / sy
            var hy = [Double](repeating: 0, count: d)
            BLAS.gemv(inverseHessian, y, into: &hy)
            let yHy = BLAS.dot(y, hy)
            BLAS.ger(-rho, hy, s, &inverseHessian)
            BLAS.ger(-rho, s, hy, &inverseHessian)
            BLAS.ger(rho + rho * rho * yHy, s, s, &inverseHessian)
            updates += 1
        }
        cache.store(xNew, r.value, r.gradient)
        x = xNew
    }
}
