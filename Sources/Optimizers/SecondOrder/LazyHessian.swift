import LinearAlgebra
import OptimizationCore

/// Second-order methods with lazy Hessians (Doikov, Chayti & Jaggi, ICML 2023,
/// arXiv 2212.00781): ∇²f and its eigendecomposition (`dsyevd`) are computed
/// at a snapshot every m steps (default m = d, the paper's optimal choice) and
/// reused in between with a fresh gradient each step, so an in-between step
/// costs O(d²): one `dgemv` into the eigenbasis, O(d) work per regularisation
/// trial, one `dgemv` back. The Hessian count after k steps is ⌈k/m⌉; the
/// trace `event` says `hessian_refresh` on snapshot steps.
///
/// Regularisation adapts exactly as in the non-lazy method, so m = 1
/// reproduces it step for step:
/// - `lazy_newton` — gradient-regularised Newton (Alg. 2), the rules of
///   ``RegularizedNewton`` (`lazy_newton(m=1)` ≡ `regularized_newton(solver=eigen)`).
/// - `lazy_cubic` — cubic Newton (Alg. 1) with ARC's adaptive σ, the rules of
///   ``CubicRegularization`` (`lazy_cubic(m=1)` ≡ `cubic`). The adaptive σ
///   grows on its own when the stale Hessian makes the model optimistic,
///   which is the role of the paper's M ∝ m·L₂.
///
///     optlab run --problem 'zakharov(d=500)' --optimizer 'lazy_newton(m=20)' --optimizer 'lazy_cubic(m=20)' --steps 200
/// The `m` key shared by both lazy methods.
private let periodKey = Hyperparameter("m", .integer(.atLeast(1)), default: .unset("d"),
                                       doc: "steps per Hessian snapshot (default: the dimension d)")

/// Gradient-regularised Newton with a Hessian snapshot every m steps.
public struct LazyNewton: Optimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "lazy_newton", family: .secondOrder,
        summary: "gradient-regularised Newton reusing one Hessian eigendecomposition for m steps (O(d²) steps)",
        reference: "Doikov, Chayti & Jaggi, ICML 2023 (arXiv 2212.00781), Alg. 2",
        hyperparameters: [periodKey] + RegularizedNewton.descriptor.hyperparameters.filter { $0.name != "solver" },
        requires: [.value, .gradient, .hessian])

    private var inner: RegularizedNewton

    /// Every key of the spec, with the same defaults (`m` nil: the dimension).
    public init(m: Int? = nil, h0: Double = 1, hMin: Double = 1e-5, alpha: Double? = nil, factor: Double = 2,
                maxTrials: Int = 40) {
        var values: [String: SpecValue] = ["H0": .real(h0), "h_min": .real(hMin), "factor": .real(factor),
                                           "max_trials": .integer(maxTrials)]
        if let m { values["m"] = .integer(m) }
        if let alpha { values["alpha"] = .real(alpha) }
        self.init(Self.descriptor.validated(values))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        inner = RegularizedNewton(p)
        inner.lazyPeriod = p.optionalInt("m") ?? 0
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        try inner.step(&x, oracle: &oracle)
    }
    public var currentLearningRate: Double? { inner.currentLearningRate }
    public var lastEvent: String? { inner.lastEvent }
}

/// Cubic Newton (ARC σ rules) with a Hessian snapshot every m steps.
public struct LazyCubic: Optimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "lazy_cubic", family: .secondOrder,
        summary: "cubic regularisation reusing one Hessian eigendecomposition for m steps (O(d²) steps)",
        reference: "Doikov, Chayti & Jaggi, ICML 2023 (arXiv 2212.00781), Alg. 1",
        hyperparameters: [periodKey] + CubicRegularization.descriptor.hyperparameters.filter {
            $0.name != "solver" && $0.name != "lanczos_max"
        },
        requires: [.value, .gradient, .hessian])

    private var inner: CubicRegularization

    /// Every key of the spec, with the same defaults (`m` nil: the dimension).
    public init(m: Int? = nil, sigma0: Double = 1, sigmaMin: Double = 1e-8, eta1: Double = 0.1, eta2: Double = 0.9,
                gammaIncrease: Double = 2, gammaDecrease: Double = 0.5, maxTrials: Int = 60) {
        var values: [String: SpecValue] = [
            "sigma0": .real(sigma0), "sigma_min": .real(sigmaMin), "eta1": .real(eta1), "eta2": .real(eta2),
            "gamma_inc": .real(gammaIncrease), "gamma_dec": .real(gammaDecrease), "max_trials": .integer(maxTrials),
        ]
        if let m { values["m"] = .integer(m) }
        self.init(Self.descriptor.validated(values))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        inner = CubicRegularization(p)
        inner.lazyPeriod = p.optionalInt("m") ?? 0
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        try inner.step(&x, oracle: &oracle)
    }
    public var currentLearningRate: Double? { inner.currentLearningRate }
    public var lastEvent: String? { inner.lastEvent }
}
