import LinearAlgebra
import OptimizationCore

/// Damped Newton x⁺ = x − α·n, n = ∇²f(x)⁻¹∇f(x), with the stepsize α ∈ (0, 1]
/// chosen by one of the globally convergent rules of spec second-order §5.2–§5.3.
///
/// With the Newton decrement ĝ = ‖∇f(x)‖*ₓ = √(gᵀn) (free from the Newton solve):
/// - `aicn` (Hanzely et al. 2022): α = 2/(1 + √(1 + 2Lĝ)) (the cancellation-free
///   form of (−1 + √(1+2G))/G), with backtracking on L: accept when
///   f(x⁺) ≤ f(x) − αĝ² + ½α²ĝ² + (L/6)α³ĝ³, else L ← 2L; after acceptance L ← L/2.
/// - `rn` (Root Newton, Hanzely–Abdukhakimov–Takáč 2024): θ = (9M)^{1/(q−1)}·ĝ^{(q−2)/(q−1)},
///   α = 1/(1 + θ); no function values. q = 4 is the O(k⁻³) schedule.
/// - `un` (Universal Newton, the default): θ starts at θ_prev·(ĝ/ĝ_prev)^β/ρ (θ₀ on the
///   first step; θ = α^βσĝ^β in the paper, so θ scales like ĝ^β: with β = 1 the start
///   tracks the decrement and α → 1 fast enough for quadratic local convergence, while
///   β = 0 is the literal "previous θ divided by ρ", only superlinear),
///   α = 1/(1 + θ), y = x − αn; accept when ⟨∇f(y), n⟩ ≥ ‖∇f(y)‖*²ₓ/(2αθ), else θ ← ρθ.
/// - `greedy`: α = argmin_{[0,1]} f(x − αn) by GSL's Brent minimiser.
/// - `grls`: α = argmin_{[0,1]} (f(x − αn) − f(x)) / ‖∇f(x − αn)‖*²ₓ (Brent).
/// - `self_concordant` (Nesterov): α = 1/(1 + ĝ).
///
/// Dual norms ‖v‖*ₓ come from the Cholesky factor of the step (one triangular
/// solve, `Cholesky/inverseQuadraticForm(_:)`), never an explicit inverse.
/// If ∇²f is not positive definite, μI is added as in ``Newton`` (event
/// `modified_newton:mu=…`). The undamped limit (α = 1, Newton) is `un` with a
/// tiny `theta0`, or `aicn` with a tiny `L`.
///
/// Cost per step: one gradient, one Hessian, one Cholesky, plus per trial a
/// value (`aicn`, `greedy`) or a gradient and a triangular solve (`un`, `grls`).
///
///     optlab run --problem 'logreg' --optimizer 'damped_newton(rule=aicn)' --steps 50
///
/// References: Hanzely, Kamzolov, Pasechnyuk, Gasnikov, Richtárik & Takáč,
/// "A Damped Newton Method Achieves Global O(1/k²) and Local Quadratic
/// Convergence Rate", NeurIPS 2022, arXiv 2211.00140 (AICN); Hanzely,
/// Abdukhakimov & Takáč, "Newton Method Revisited", arXiv 2405.18926 (RN, UN,
/// greedy, GRLS); official code OPTAMI/OPTAMI `second_order/damped_newton.py`.
public struct DampedNewton: Optimizer {
    /// The stepsize rule.
    public enum Rule: String, CaseIterable, Sendable {
        case aicn, rn, un, greedy, grls
        case selfConcordant = "self_concordant"
    }

    public static let descriptor = OptimizerDescriptor(
        name: "damped_newton", family: .secondOrder,
        summary: "damped Newton with global-rate stepsizes: aicn, rn, un (default), greedy, grls, self_concordant",
        reference: "Hanzely et al. 2022 (AICN, arXiv 2211.00140); Hanzely, Abdukhakimov & Takáč 2024 (arXiv 2405.18926); Nesterov 2004 §4.1",
        hyperparameters: [
            .choice("rule", "un", Rule.allCases.map(\.rawValue), "stepsize rule"),
            .real("L", 1, .positive, "aicn: initial semi-strong self-concordance constant L_semi"),
            .boolean("backtrack", true, "aicn: adapt L by doubling/halving (false: fixed L)"),
            .real("q", 4, .closed(2, 4), "rn: smoothness class q = p + ν"),
            .real("M", 1, .positive, "rn: smoothness constant M_q"),
            .real("rho", 2, .greaterThan(1), "un: backtracking factor on θ"),
            .real("theta0", 1, .positive, "un: initial θ"),
            .real("beta", 1, .closed(0, 2), "un: θ's start scales with (ĝ/ĝ_prev)^β"),
            .integer("max_trials", 60, .closed(1, 1000), "backtracking trials per step"),
        ],
        requires: [.value, .gradient, .hessian])

    public let rule: Rule
    public let backtrack: Bool
    public let q: Double
    public let smoothnessM: Double
    public let rho: Double
    public let beta: Double
    public let maxTrials: Int

    /// aicn: the current L_semi estimate.
    public private(set) var lSemi: Double
    /// un: the last accepted θ.
    public private(set) var theta: Double
    public private(set) var currentLearningRate: Double?
    public private(set) var lastEvent: String?
    private var firstStep = true
    private var previousDecrement = 0.0
    private var cache = GradientCache()

    /// Every key of the spec, with the same defaults (`M` is `smoothnessM` in Swift).
    public init(rule: Rule = .un, theta0: Double = 1, L: Double = 1, backtrack: Bool = true, q: Double = 4,
                smoothnessM: Double = 1, rho: Double = 2, beta: Double = 1, maxTrials: Int = 60) {
        self.init(Self.descriptor.validated([
            "rule": .text(rule.rawValue), "theta0": .real(theta0), "L": .real(L), "backtrack": .boolean(backtrack),
            "q": .real(q), "M": .real(smoothnessM), "rho": .real(rho), "beta": .real(beta),
            "max_trials": .integer(maxTrials),
        ]))
    }

    /// From validated spec values (the catalog's path).
    public init(_ p: ResolvedParameters) {
        rule = Rule(rawValue: p.string("rule")) ?? .un
        lSemi = p.double("L")
        backtrack = p.bool("backtrack")
        q = p.double("q")
        smoothnessM = p.double("M")
        rho = p.double("rho")
        beta = p.double("beta")
        theta = p.double("theta0")
        maxTrials = p.int("max_trials")
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        lastEvent = nil
        var notes: [String] = []
        let (f, g) = try cache.valueAndGradient(at: x, oracle: &oracle)
        let h = try oracle.hessian(at: x)
        let factor = try ShiftedCholesky(h)
        if factor.shift > 0 { notes.append("modified_newton:mu=\(formatNumber(factor.shift))") }
        let chol = factor.cholesky
        var n = g
        try chol.solve(inPlace: &n)
        let decrement2 = BLAS.dot(g, n)
        guard decrement2 > 0 else {
            currentLearningRate = 0
            return
        }
        let decrement = decrement2.squareRoot()
        let roundOff = 8 * Double.ulpOfOne * abs(f)
        var alpha = 1.0

        switch rule {
        case .selfConcordant:
            alpha = 1 / (1 + decrement)
        case .rn:
            let theta = Double.pow(9 * smoothnessM, 1 / (q - 1)) * Double.pow(decrement, (q - 2) / (q - 1))
            alpha = 1 / (1 + theta)
        case .aicn:
            var trials = 0
            while true {
                alpha = 2 / (1 + (1 + 2 * lSemi * decrement).squareRoot())
                guard backtrack else { break }
                let model = -alpha * decrement2 + 0.5 * alpha * alpha * decrement2
                    + lSemi / 6 * alpha * alpha * alpha * decrement2 * decrement
                let fNew = try oracle.value(at: Vec.moved(x, -alpha, n))
                if fNew - f <= model + roundOff {
                    lSemi = max(lSemi / 2, 1e-300)
                    break
                }
                trials += 1
                if trials >= maxTrials { notes.append("backtracking_failed"); break }
                lSemi *= 2
            }
            if trials > 0 { notes.append("backtracks=\(trials)") }
        case .un:
            if !firstStep {
                theta = max(theta * Double.pow(decrement / previousDecrement, beta) / rho, 1e-300)
            }
            var trials = 0
            while true {
                alpha = 1 / (1 + theta)
                let y = Vec.moved(x, -alpha, n)
                let (fy, gy) = try oracle.gradient(at: y)
                let lhs = BLAS.dot(gy, n)
                let rhs = try chol.inverseQuadraticForm(gy) / (2 * alpha * theta)
                if lhs >= rhs && fy.isFinite {
                    cache.store(y, fy, gy)
                    break
                }
                trials += 1
                if trials >= maxTrials { notes.append("backtracking_failed"); break }
                theta *= rho
            }
            if trials > 0 { notes.append("backtracks=\(trials)") }
        case .greedy:
            alpha = try Self.lineMinimum(at0: f) { t in try oracle.value(at: Vec.moved(x, -t, n)) }
        case .grls:
            alpha = try Self.lineMinimum(at0: 0) { t in
                let (ft, gt) = try oracle.gradient(at: Vec.moved(x, -t, n))
                let dual2 = try chol.inverseQuadraticForm(gt)
                return dual2 > 0 ? (ft - f) / dual2 : -Double.greatestFiniteMagnitude
            }
        }
        firstStep = false
        previousDecrement = decrement
        if alpha == 0 { notes.append("no_decrease") }
        currentLearningRate = alpha
        lastEvent = notes.isEmpty ? nil : notes.joined(separator: ";")
        BLAS.axpy(-alpha, n, &x)
    }

    /// argmin of φ on [0, 1] given φ(0): α = 1 when φ decreases to the end,
    /// otherwise a bracket [0, 2m] with φ(m) < φ(0), φ(2m) found by halving,
    /// then GSL's Brent minimiser. 0 when no decrease is found down to 2⁻⁴⁰.
    static func lineMinimum(at0 phi0: Double, _ phi: (Double) throws -> Double) throws -> Double {
        let phi1 = try phi(1)
        let phiHalf = try phi(0.5)
        if phiHalf < phi0 && phiHalf < phi1 {
            return try BrentMinimizer.minimize(lower: 0, upper: 1, guess: 0.5,
                                                   values: (phiHalf, phi0, phi1), absoluteTolerance: 1e-10, maxIterations: 100, phi)
        }
        if phi1 < phi0 && phi1 <= phiHalf { return 1 }
        var upper = 0.5, phiUpper = phiHalf, m = 0.25
        for _ in 0..<40 {
            let value = try phi(m)
            if value < phi0 {
                return try BrentMinimizer.minimize(lower: 0, upper: upper, guess: m, values: (value, phi0, phiUpper),
                                                   absoluteTolerance: 1e-10 * upper, maxIterations: 100, phi)
            }
            upper = m
            phiUpper = value
            m *= 0.5
        }
        return 0
    }
}
