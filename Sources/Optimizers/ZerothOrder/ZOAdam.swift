import CShims
import OptimizationCore
import RealModule

/// ZO-Adam: adaptive moments on a zeroth-order gradient estimate, in two
/// variants.
///
/// `variant=adamm` (default) — ZO-AdaMM as in the official code
/// (`KaidiXu/ZO-AdaMM`): AMSGrad-type, no bias correction, no ε (v and v̂
/// start at the floor v₀), learning rate decayed as α/√(t+1). For t = 0, 1, …:
///
///     ĝ ← (d/q)·Σⱼ (f(x + μvⱼ) − f(x))/μ · vⱼ     (forward, unit-sphere, q = 10)
///     m ← β₁m + (1 − β₁)ĝ
///     v ← β₂v + (1 − β₂)ĝ²
///     v̂ ← max(v̂, v)
///     x ← x − α_t · m/√v̂,   α_t = α/√(t+1)  (α when decay_lr = false)
///
/// `variant=adam` — ZO-Bench's torch-style ZO-Adam: ĝ = c·z, the two-point
/// central Gaussian estimate (q = 1), fed to torch.optim.Adam (bias
/// correction, ε outside the root, constant lr); t = 1, 2, …:
///
///     m ← β₁m + (1 − β₁)ĝ;  v ← β₂v + (1 − β₂)ĝ²
///     x ← x − (α/(1 − β₁ᵗ)) · m / (√v/√(1 − β₂ᵗ) + ε)
///
/// Box constraints `lower ≤ x ≤ upper` (either side optional): ZO-AdaMM's
/// projection Π_{X, diag(√v̂)} onto a box is separable, so whatever the
/// diagonal weights it is the per-coordinate clip, applied after each update
/// (both variants).
///
/// A step whose queries return a non-finite value is skipped: x, m, v, v̂ and
/// the decay counter stay; the queries count; `event` = `skipped_nonfinite`.
///
/// Defaults: variant adamm; lr (α) 1e-3; beta1 0.9; beta2 0.9 (adamm) or
/// 0.999 (adam); eps = v₀ = 1e-7 (adamm) or ε = 1e-8 (adam); q 10 (adamm) or
/// 1 (adam); direction sphere (adamm) or gaussian (adam); mu 1e-3;
/// difference auto (forward for q > 2, central otherwise); decay_lr true.
///
/// Cost per step: q + 1 value queries (adamm) or 2 (adam); one pass over
/// x, ĝ, m, v (and v̂); memory 3d–4d plus the 2d estimator workspace.
///
///     optlab run --problem 'rosenbrock(d=2)' --optimizer 'zo_adam(lr=0.05)'
///     var opt = ZOAdam(variant: .adamm, lr: 0.1)      // inject your own ĝ:
///     opt.apply(&x, estimate: gHat)
///
/// Reference: Chen, Liu, Xu, Li, Lin, Hong, Cox, "ZO-AdaMM: Zeroth-Order
/// Adaptive Momentum Method for Black-Box Optimization", NeurIPS 2019,
/// arXiv:1910.06513; Zhang et al., ZO-Bench, ICML 2024, arXiv:2402.11592.
public struct ZOAdam: Optimizer {
    /// Which Adam the estimate feeds (the `variant` key).
    public enum Variant: String, Sendable, CaseIterable {
        /// The official ZO-AdaMM code (AMSGrad max, v₀ floor, α/√(t+1)).
        case adamm
        /// ZO-Bench's torch-style Adam on the MeZO estimate.
        case adam
    }

    public static let descriptor = OptimizerDescriptor(
        name: "zo_adam", family: .zerothOrder,
        summary: "ZO-AdaMM (official code) or torch-style ZO-Adam (variant=adam) on a zeroth-order estimate",
        reference: "Chen et al. 2019, arXiv:1910.06513 (KaidiXu/ZO-AdaMM); ZO-Bench, arXiv:2402.11592",
        hyperparameters: [
            .choice("variant", "adamm", Variant.allCases.map(\.rawValue), "adamm (official ZO-AdaMM) or adam (torch-style)"),
            .real("lr", 1e-3, .positive, "learning rate α"),
            .real("beta1", 0.9, .unitHalfOpen, "decay of the first moment"),
            Hyperparameter("beta2", .real(.unitHalfOpen), default: .unset("0.9 (adamm), 0.999 (adam)"),
                           doc: "decay of the second moment"),
            Hyperparameter("eps", .real(.positive), default: .unset("1e-7 = v0 floor (adamm), 1e-8 (adam)"),
                           doc: "adamm: initial v = v̂ (the ε-floor); adam: added to the root"),
            .boolean("decay_lr", true, "adamm: use α/√(t+1)"),
            Hyperparameter("lower", .real(.any), default: .unset("unbounded"), doc: "box constraint: x ≥ lower"),
            Hyperparameter("upper", .real(.any), default: .unset("unbounded"), doc: "box constraint: x ≤ upper"),
        ] + GradientEstimator.keys(estimator: "rge", direction: nil, q: nil, mu: 1e-3,
                                   variantDefaults: ("sphere (adamm), gaussian (adam)", "10 (adamm), 1 (adam)")),
        requires: [.value])

    public let variant: Variant
    public let lr: Double
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let decayLearningRate: Bool
    /// The box [lower, upper] (−∞/+∞ when unset).
    public let lower: Double
    public let upper: Double
    public private(set) var estimator: GradientEstimator
    /// Updates applied so far.
    public private(set) var stepCount = 0
    /// Estimates drawn so far (the direction stream index; skipped steps included).
    public private(set) var estimateCount = 0
    public private(set) var currentLearningRate: Double?
    public private(set) var lastEvent: String?
    private var gradient: [Double] = []
    private var state: [Double] = []

    /// First moment m (empty before the first update).
    public var m: [Double] { slice(0) }
    /// Second moment v.
    public var v: [Double] { slice(1) }
    /// ZO-AdaMM's running maximum v̂ (adamm only).
    public var vHat: [Double] { variant == .adamm ? slice(2) : [] }

    private func slice(_ k: Int) -> [Double] {
        let n = state.count / (variant == .adamm ? 3 : 2)
        return state.isEmpty ? [] : Array(state[(k * n)..<((k + 1) * n)])
    }

    /// From validated spec values (the catalog's path); `seed` drives the directions.
    public init(_ p: ResolvedParameters, seed: UInt64) {
        variant = Variant(rawValue: p.string("variant"))!
        lr = p.double("lr")
        beta1 = p.double("beta1")
        beta2 = p.optionalDouble("beta2") ?? (variant == .adamm ? 0.9 : 0.999)
        eps = p.optionalDouble("eps") ?? (variant == .adamm ? 1e-7 : 1e-8)
        decayLearningRate = p.bool("decay_lr")
        lower = p.optionalDouble("lower") ?? -.infinity
        upper = p.optionalDouble("upper") ?? .infinity
        estimator = GradientEstimator(p, seed: seed, defaultDirection: variant == .adamm ? .sphere : .gaussian,
                                      defaultQ: variant == .adamm ? 10 : 1)
    }

    /// The catalog's path: refuses an empty box with a one-line error.
    static func make(_ p: ResolvedParameters, seed: UInt64) throws -> ZOAdam {
        if let lo = p.optionalDouble("lower"), let hi = p.optionalDouble("upper"), !(lo <= hi) {
            throw SpecError.invalidCombination(owner: "zo_adam", message: "lower=\(lo) must not exceed upper=\(hi)")
        }
        return ZOAdam(p, seed: seed)
    }

    /// Every key of the spec, with the same defaults (nil: the variant's default, or
    /// unbounded, or `difference` auto); `seed` drives the directions.
    public init(variant: Variant = .adamm, lr: Double = 1e-3, beta1: Double = 0.9, beta2: Double? = nil,
                eps: Double? = nil, decayLearningRate: Bool = true, lower: Double? = nil, upper: Double? = nil,
                estimator: GradientEstimator.Kind = .rge, direction: DirectionDistribution? = nil, q: Int? = nil,
                mu: Double = 1e-3, difference: DifferenceScheme? = nil, seed: UInt64 = 0) {
        var values: [String: SpecValue] = [
            "variant": .text(variant.rawValue), "lr": .real(lr), "beta1": .real(beta1), "decay_lr": .boolean(decayLearningRate),
            "estimator": .text(estimator.rawValue), "mu": .real(mu), "difference": GradientEstimator.differenceKey(difference),
        ]
        if let direction { values["direction"] = .text(direction.rawValue) }
        if let q { values["q"] = .integer(q) }
        if let beta2 { values["beta2"] = .real(beta2) }
        if let eps { values["eps"] = .real(eps) }
        if let lower { values["lower"] = .real(lower) }
        if let upper { values["upper"] = .real(upper) }
        self.init(Self.descriptor.validated(values), seed: seed)
    }

    public mutating func step(_ x: inout [Double], oracle: inout Oracle) throws {
        let t = estimateCount
        estimateCount += 1
        let outcome = try estimator.estimate(at: &x, step: t, into: &gradient, oracle: &oracle)
        guard outcome.isFinite else {
            lastEvent = "skipped_nonfinite"
            return
        }
        lastEvent = nil
        apply(&x, estimate: gradient)
    }

    /// One update from a given estimate ĝ (the injection point of spec §11.4).
    public mutating func apply(_ x: inout [Double], estimate g: [Double]) {
        let n = x.count
        precondition(g.count == n, "zo_adam: estimate has \(g.count) elements, x has \(n)")
        let buffers = variant == .adamm ? 3 : 2
        if state.count != buffers * n {
            state = [Double](repeating: variant == .adamm ? eps : 0, count: buffers * n)
            if variant == .adamm { for i in 0..<n { state[i] = 0 } }   // m starts at 0, v and v̂ at v₀
        }
        let t = stepCount
        stepCount += 1
        let (b1, b2, lo, hi) = (beta1, beta2, lower, upper)
        switch variant {
        case .adamm:
            let alpha = decayLearningRate ? lr / optlab_sqrt(Double(t + 1)) : lr
            currentLearningRate = alpha
            x.withUnsafeMutableBufferPointer { xb in
                g.withUnsafeBufferPointer { gb in
                    state.withUnsafeMutableBufferPointer { sb in
                        let (m, v, vh) = (sb.baseAddress!, sb.baseAddress! + n, sb.baseAddress! + 2 * n)
                        for i in 0..<n {
                            m[i] = b1 * m[i] + (1 - b1) * gb[i]
                            v[i] = b2 * v[i] + (1 - b2) * gb[i] * gb[i]
                            vh[i] = Swift.max(vh[i], v[i])
                            xb[i] = Swift.min(Swift.max(xb[i] - alpha * m[i] / optlab_sqrt(vh[i]), lo), hi)
                        }
                    }
                }
            }
        case .adam:
            currentLearningRate = lr
            let k = Double(t + 1)
            let stepSize = lr / (1 - Double.pow(b1, k))
            let bc2Sqrt = optlab_sqrt(1 - Double.pow(b2, k))
            let e = eps
            x.withUnsafeMutableBufferPointer { xb in
                g.withUnsafeBufferPointer { gb in
                    state.withUnsafeMutableBufferPointer { sb in
                        let (m, v) = (sb.baseAddress!, sb.baseAddress! + n)
                        for i in 0..<n {
                            m[i] = b1 * m[i] + (1 - b1) * gb[i]
                            v[i] = b2 * v[i] + (1 - b2) * gb[i] * gb[i]
                            xb[i] = Swift.min(Swift.max(xb[i] - stepSize * m[i] / (optlab_sqrt(v[i]) / bc2Sqrt + e), lo), hi)
                        }
                    }
                }
            }
        }
    }
}
