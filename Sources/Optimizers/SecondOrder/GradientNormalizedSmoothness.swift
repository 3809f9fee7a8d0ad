import LinearAlgebra
import OptimizationCore

/// The gradient-normalised-smoothness method (Semenov, Jaggi & Doikov 2025,
/// Algorithm 1 of arXiv 2506.13710, as in `grad_norm_smooth` of
/// epfml/grad-norm-smooth): a regularised Newton step whose regulariser is
/// set by a radius γ,
///
///     λ = ‖g‖/(γ + 1e-8),   Δ = −(H + λI)⁻¹g   (Cholesky),
///
/// accepted when f(x) − f(x + Δ) ≥ ‖∇f(x + Δ)‖²/(8λ), then γ ← max(2γ, 1e-9);
/// otherwise γ ← γ/2 and Δ is recomputed (≤ `max_trials` per step). When
/// H + λI is not positive definite the trial counts as a failure (the
/// reference code keeps a stale step there); after the trial budget the
/// iterate stays (the reference code moves anyway) and `event` says
/// `search_failed`. With H ⪰ 0, ‖Δ‖ ≤ γ: γ acts as a trust radius, and
/// H ≡ 0 gives a normalised gradient step of length γ + 1e-8.
///
/// H is chosen by `curvature=`: the exact Hessian (default), the
/// generalised Gauss–Newton matrix (`ggn`: 2JᵀJ on least-squares problems
/// such as the MGH functions and chained Rosenbrock; on logistic/softmax
/// regression it coincides with the Hessian) or the empirical Fisher
/// (`fisher`: (1/N)Σ∇ℓᵢ∇ℓᵢᵀ, linear classification models). The paper's
/// non-convex guarantees cover both approximations; the catalog refuses a
/// problem that does not provide the chosen matrix.
///
/// Cost per trial: one Cholesky and one gradient; one Hessian (or curvature
/// matrix, counted in `hess_evals`) per step.
///
///     var opt = GradientNormalizedSmoothness(curvature: .ggn)
///     try opt.step(&x, oracle: &oracle)
public struct GradientNormalizedSmoothness: Optimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "gns", family: .secondOrder,
        summary: "gradient-normalised smoothness: (H + ‖g‖/γ·I)⁻¹g with adaptive radius γ (×2 / ×½)",
        reference: "Semenov, Jaggi & Doikov 2025 (arXiv 2506.13710), Alg. 1; epfml/grad-norm-smooth",
        hyperparameters: [
            .real("gamma0", 1, .positive, "initial radius γ"),
            .real("gamma_min", 1e-9, .positive, "lower bound of γ after a success"),
            .integer("max_trials", 40, .closed(1, 1000), "trials per step"),
            .choice("curvature", "hessian", ["hessian", "ggn", "fisher"],
                    "H: exact Hessian, Gauss–Newton matrix or empirical Fisher"),
        ],
        requires: [.value, .gradient],
        keyRequirements: { p in
            CurvatureKind(rawValue: p.string("curvature"))?.capability ?? .hessian
        })

    public let gammaMin: Double
    public let maxTrials: Int
    /// nil: the exact Hessian.
    public let curvature: CurvatureKind?
    /// The current radius γ.
    public private(set) var gamma: Double
    /// λ of the last accepted trial.
    public private(set) var lambda = 0.0
    public private(set) var lastEvent: String?
    private var cache = GradientCache()

    /// γ as the trace's `lr` column (the step-length scale).
    public var currentLearningRate: Double? { gamma }

    /// `curvature: nil` uses the exact Hessian.
    /// Every key of the spec, with the same defaults (`curvature` nil: the Hessian).
    public init(gamma0: Double = 1, gammaMin: Double = 1e-9, maxTrials: Int = 40, curvature: CurvatureKind? = nil) {
        self.init(Self.descriptor.validated(["gamma0": .real(gamma0), "gamma_min": .real(gammaMin),
                                             "max_trials": .integer(maxTrials),
                                             "curvature": .text(curvature?.rawValue ?? "hessian")]))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        gamma = p.double("gamma0")
        gammaMin = p.double("gamma_min")
        maxTrials = p.int("max_trials")
        curvature = CurvatureKind(rawValue: p.string("curvature"))
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        lastEvent = nil
        let (f, g) = try cache.valueAndGradient(at: x, oracle: &oracle)
        let gNorm = BLAS.nrm2(g)
        guard gNorm > 0 else { return }
        let hess = try curvature.map { try oracle.curvatureMatrix($0, at: x) } ?? oracle.hessian(at: x)
        let d = x.count
        var failures = 0
        while failures < maxTrials {
            let l = gNorm / (gamma + 1e-8)
            var shifted = hess
            for i in 0..<d { shifted.storage[i * d + i] += l }
            if let chol = try? Cholesky(shifted) {
                var delta = Vec.negated(g)
                try chol.solve(inPlace: &delta)
                let trial = Vec.moved(x, 1, delta)
                let (fNew, gNew) = try oracle.gradient(at: trial)
                if fNew.isFinite && f - fNew >= BLAS.dot(gNew, gNew) / (8 * l) {
                    lambda = l
                    gamma = max(2 * gamma, gammaMin)
                    cache.store(trial, fNew, gNew)
                    x = trial
                    break
                }
            }
            failures += 1
            gamma /= 2
        }
        if failures >= maxTrials { lastEvent = "search_failed" } else if failures > 0 { lastEvent = "rejected=\(failures)" }
    }
}
