import LinearAlgebra
import OptimizationCore

/// Limited-memory BFGS with a strong-Wolfe line search.
///
/// Direction p = −H_k g by the two-loop recursion over the last m pairs
/// (s, y) = (x_{k+1} − x_k, g_{k+1} − g_k), with H⁰ = (sᵀy / yᵀy)·I; a pair
/// with sᵀy ≤ 1e-10·‖s‖‖y‖ is skipped (it would break positive definiteness).
/// Step from `StrongWolfeLineSearch` (c₁ = 1e-4, c₂ = 0.9, first trial
/// t = 1, on the very first step t = min(1, 1/‖g‖)). The gradient at the
/// accepted point is reused for the next step.
///
/// Cost per step: O(md) for the recursion plus the line-search gradients
/// (usually one).
///
///     optlab run --problem 'rosenbrock(d=100)' --optimizer 'lbfgs(m=10)' --steps 500
///
/// Reference: Nocedal, Math. Comp. 35 (1980); Liu & Nocedal, Math. Program.
/// 45 (1989); Nocedal & Wright (2006) Alg. 7.4 and 7.5.
public struct LBFGS: Optimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "lbfgs", family: .baseline,
        summary: "limited-memory BFGS (two-loop recursion) with a strong-Wolfe line search",
        reference: "Liu & Nocedal 1989; Nocedal & Wright (2006) Alg. 7.4/7.5, 3.5/3.6",
        hyperparameters: [
            .integer("m", 10, .closed(1, 1000), "number of stored (s, y) pairs"),
            .real("c1", 1e-4, .unitOpen, "Wolfe sufficient-decrease constant"),
            .real("c2", 0.9, .unitOpen, "Wolfe curvature constant"),
        ],
        requires: [.value, .gradient])

    public let memory: Int
    private var lineSearch: StrongWolfeLineSearch
    private var sHistory: [[Double]] = []
    private var yHistory: [[Double]] = []
    private var cache = GradientCache()
    private var firstStep = true
    public private(set) var currentLearningRate: Double?
    public private(set) var lastEvent: String?

    /// Every key of the spec (memory, strong Wolfe constants), with the same defaults.
    public init(m: Int = 10, c1: Double = 1e-4, c2: Double = 0.9) {
        self.init(Self.descriptor.validated(["m": .integer(m), "c1": .real(c1), "c2": .real(c2)]))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        memory = p.int("m")
        lineSearch = StrongWolfeLineSearch(c1: p.double("c1"), c2: p.double("c2"))
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        lastEvent = nil
        let (f, g) = try cache.valueAndGradient(at: x, oracle: &oracle)
        let gNorm = BLAS.nrm2(g)
        guard gNorm.isFinite else { throw SecondOrderError.nonFinite("gradient") }
        guard gNorm > 0 else { currentLearningRate = 0; return }
        var p = twoLoop(g)
        if !(BLAS.dot(p, g) < 0) {   // lost descent (or NaN): restart from −g
            sHistory.removeAll(); yHistory.removeAll()
            p = Vec.negated(g)
            lastEvent = "restart"
        }
        let t0 = firstStep ? min(1, 1 / gNorm) : 1
        firstStep = false
        let r = try lineSearch.search(from: x, value: f, gradient: g, direction: p, initialStep: t0, oracle: &oracle)
        if !r.satisfied { lastEvent = (lastEvent.map { $0 + ";" } ?? "") + "wolfe_not_met" }
        currentLearningRate = r.t
        guard r.t > 0 else { return }
        let xNew = Vec.moved(x, r.t, p)
        var s = xNew
        BLAS.axpy(-1, x, &s)
        var y = r.gradient
        BLAS.axpy(-1, g, &y)
        if BLAS.dot(s, y) > 1e-10 * BLAS.nrm2(s) * BLAS.nrm2(y) {
            if sHistory.count == memory { sHistory.removeFirst(); yHistory.removeFirst() }
            sHistory.append(s)
            yHistory.append(y)
        }
        cache.store(xNew, r.value, r.gradient)
        x = xNew
    }

    /// −H_k g by the two-loop recursion.
    private func twoLoop(_ g: [Double]) -> [Double] {
        var q = g
        let k = sHistory.count
        var alphas = [Double](repeating: 0, count: k)
        var rhos = [Double](repeating: 0, count: k)
        for i in stride(from: k - 1, through: 0, by: -1) {
            rhos[i] = 1 / BLAS.dot(yHistory[i], sHistory[i])
            alphas[i] = rhos[i] * BLAS.dot(sHistory[i], q)
            BLAS.axpy(-alphas[i], yHistory[i], &q)
        }
        if let s = sHistory.last, let y = yHistory.last { BLAS.scal(BLAS.dot(s, y) / BLAS.dot(y, y), &q) }
        for i in 0..<k {
            let beta = rhos[i] * BLAS.dot(yHistory[i], q)
            BLAS.axpy(alphas[i] - beta, sHistory[i], &q)
        }
        BLAS.scal(-1, &q)
        return q
    }
}
