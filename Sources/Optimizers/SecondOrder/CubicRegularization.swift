import LinearAlgebra
import OptimizationCore

/// Adaptive cubic regularisation (ARC) with the exact subproblem solver.
///
/// Each step: g, H = ∇²f(x), H = QΛQᵀ once (`dsyevd`); then, with σ from
/// the previous step, s = argmin m(s) = gᵀs + ½sᵀHs + (σ/3)‖s‖³ exactly
/// (``CubicSubproblem``: secular equation, hard case) and
/// ρ = (f(x) − f(x + s)) / (−m(s)). Very successful (ρ > η₂ = 0.9): accept,
/// σ ← max(γ_dec·σ, σ_min); successful (ρ ≥ η₁ = 0.1): accept, σ unchanged;
/// otherwise σ ← γ_inc·σ and the subproblem is re-solved with the same
/// eigendecomposition (O(d²) per retry), within the same step. One trace
/// step is therefore one accepted move; `event` records retries and the hard case.
///
/// `solver=lanczos` needs only Hessian-vector products: the subproblem is
/// solved in a Krylov subspace built by Lanczos (`CubicLanczos`, at most
/// `lanczos_max` products per step), for large d or problems such as `mlp`.
///
/// Defaults (spec second-order §6.1, lab defaults): σ₀ = 1, σ_min = 1e-8,
/// γ_inc = 2, γ_dec = 0.5. With σ₀ = σ_min → 0 the step is Newton's step.
///
/// Cost per step: one gradient, one Hessian, one `dsyevd` (≈ 9d³ flops),
/// one value per trial. ``LazyCubic`` keeps the decomposition for m steps
/// (`lazy_cubic(m=1)` is this method, step for step).
///
///     optlab run --problem 'rosenbrock(d=10)' --optimizer cubic --optimizer 'cubic(solver=lanczos)' --steps 100
///
/// References: Nesterov & Polyak, Math. Program. 108 (2006); Cartis, Gould &
/// Toint, Math. Program. 127 (2011), Alg. 2.1 and Thm 3.1.
public struct CubicRegularization: Optimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "cubic", family: .secondOrder,
        summary: "adaptive cubic regularisation (ARC), exact subproblem by dsyevd + secular equation",
        reference: "Nesterov & Polyak 2006; Cartis, Gould & Toint 2011 (ARC, Alg. 2.1)",
        hyperparameters: [
            .real("sigma0", 1, .positive, "initial cubic weight σ (model (σ/3)‖s‖³)"),
            .real("sigma_min", 1e-8, .positive, "lower bound of σ"),
            .real("eta1", 0.1, .unitOpen, "acceptance threshold on ρ"),
            .real("eta2", 0.9, .unitOpen, "very-successful threshold on ρ"),
            .real("gamma_inc", 2, .greaterThan(1), "σ factor after a rejected trial"),
            .real("gamma_dec", 0.5, .unitOpen, "σ factor after a very successful step"),
            .integer("max_trials", 60, .closed(1, 1000), "σ increases per step before giving up"),
            .choice("solver", "exact", Solver.allCases.map(\.rawValue),
                    "exact: needs the dense Hessian (dsyevd); lanczos: Hessian-vector products only"),
            .integer("lanczos_max", 100, .closed(1, 100_000), "lanczos: Krylov dimension at most"),
        ],
        requires: [.value, .gradient, .hessianVectorProduct],
        keyRequirements: { $0.string("solver") == "exact" ? .hessian : [] })

    public let sigmaMin: Double
    public let eta1: Double
    public let eta2: Double
    public let gammaIncrease: Double
    public let gammaDecrease: Double
    public let maxTrials: Int
    /// Use the Krylov (Lanczos) subproblem solver with Hessian-vector products only.
    public let usesLanczos: Bool
    public let lanczosMax: Int
    /// Steps per Hessian (nil: every step; 0: the dimension, resolved at the first step). ``LazyCubic`` sets it.
    var lazyPeriod: Int?
    private var stepIndex = 0
    private var solver: CubicSubproblem?

    /// The current cubic weight σ.
    public private(set) var sigma: Double
    public private(set) var lastEvent: String?
    private var cache = GradientCache()

    /// σ as the "learning rate" column: it is the method's adaptive scale.
    public var currentLearningRate: Double? { sigma }

    /// The subproblem solver (the `solver` key).
    public enum Solver: String, CaseIterable, Sendable {
        /// Dense Hessian, `dsyevd` and the secular equation.
        case exact
        /// Krylov subspace from Hessian-vector products only.
        case lanczos
    }

    /// Every key of the spec, with the same defaults.
    public init(sigma0: Double = 1, sigmaMin: Double = 1e-8, eta1: Double = 0.1, eta2: Double = 0.9,
                gammaIncrease: Double = 2, gammaDecrease: Double = 0.5, maxTrials: Int = 60,
                solver: Solver = .exact, lanczosMax: Int = 100) {
        self.init(Self.descriptor.validated([
            "sigma0": .real(sigma0), "sigma_min": .real(sigmaMin), "eta1": .real(eta1), "eta2": .real(eta2),
            "gamma_inc": .real(gammaIncrease), "gamma_dec": .real(gammaDecrease), "max_trials": .integer(maxTrials),
            "solver": .text(solver.rawValue), "lanczos_max": .integer(lanczosMax),
        ]))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        sigma = p.double("sigma0")
        sigmaMin = p.double("sigma_min")
        eta1 = p.double("eta1")
        eta2 = p.double("eta2")
        gammaIncrease = p.double("gamma_inc")
        gammaDecrease = p.double("gamma_dec")
        maxTrials = p.int("max_trials")
        usesLanczos = p.optionalString("solver") == "lanczos"
        lanczosMax = p.optionalInt("lanczos_max") ?? 100
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        lastEvent = nil
        let (f, g) = try cache.valueAndGradient(at: x, oracle: &oracle)
        if usesLanczos { return try lanczosStep(&x, f, g, oracle: &oracle) }
        if lazyPeriod == 0 { lazyPeriod = x.count }
        let refresh = stepIndex % (lazyPeriod ?? 1) == 0 || solver == nil
        stepIndex += 1
        if refresh { solver = CubicSubproblem(eigen: try SymmetricEigen(oracle.hessian(at: x))) }
        let solver = self.solver!
        let gamma = solver.rotate(g)
        var rejected = 0
        var hard = false
        while true {
            let sol = solver.solve(gamma: gamma, sigma: sigma)
            hard = hard || sol.hardCase
            let predicted = -solver.modelDecrease(gamma: gamma, sol.coordinates, sigma: sigma)
            guard predicted > 0 else { break }   // stationary with H ⪰ 0: nothing to do
            let s = solver.backTransform(sol.coordinates)
            let trial = Vec.moved(x, 1, s)
            let fNew = try oracle.value(at: trial)
            let rho = (f - fNew) / predicted
            // Below round-off of f, ρ is noise: accept when f did not increase.
            let roundOff = predicted <= 8 * Double.ulpOfOne * abs(f) && fNew <= f
            if (rho >= eta1 || roundOff) && fNew.isFinite {
                x = trial
                if rho > eta2 { sigma = max(gammaDecrease * sigma, sigmaMin) }
                break
            }
            rejected += 1
            sigma *= gammaIncrease
            if rejected >= maxTrials { break }
        }
        var notes: [String] = []
        if lazyPeriod != nil && refresh { notes.append("hessian_refresh") }
        if rejected > 0 { notes.append("rejected=\(rejected)") }
        if hard { notes.append("hard_case") }
        lastEvent = notes.isEmpty ? nil : notes.joined(separator: ";")
    }

    /// ARC with the Krylov subproblem: one Lanczos basis per step, reused for σ retries.
    private mutating func lanczosStep(_ x: inout [Double], _ f: Double, _ g: [Double], oracle: inout Oracle) throws {
        var krylov = CubicLanczos()
        try krylov.build(at: x, gradient: g, sigma: sigma, maxIterations: lanczosMax, oracle: &oracle)
        guard krylov.gradientNorm > 0 else { return }
        var rejected = 0
        while true {
            let (y, model) = try krylov.solveReduced(sigma: sigma)
            let predicted = -model
            guard predicted > 0 else { break }
            let trial = Vec.moved(x, 1, krylov.step(y))
            let fNew = try oracle.value(at: trial)
            let rho = (f - fNew) / predicted
            let roundOff = predicted <= 8 * Double.ulpOfOne * abs(f) && fNew <= f
            if (rho >= eta1 || roundOff) && fNew.isFinite {
                x = trial
                if rho > eta2 { sigma = max(gammaDecrease * sigma, sigmaMin) }
                break
            }
            rejected += 1
            sigma *= gammaIncrease
            if rejected >= maxTrials { break }
        }
        lastEvent = "krylov_dim=\(krylov.basis.count)" + (rejected > 0 ? ";rejected=\(rejected)" : "")
    }
}
