import CShims
import OptimizationCore
import RealModule

/// NAdam (Adam with Nesterov momentum and Dozat's momentum schedule), and
/// NAdamW with `decoupled_weight_decay=true`, matching `torch.optim.NAdam`.
///
/// Update for step t = 1, 2, … (m, v start at zero, the product Π₀ = 1):
///
///     θ ← θ·(1 − η·λ)                      (decoupled_weight_decay: NAdamW)
///     g ← g + λ·θ                          (otherwise: L2, only if λ ≠ 0)
///     μ_t ← β₁(1 − ½·0.96^(t·ψ));  μ_{t+1} likewise;  Π_t ← Π_{t−1}·μ_t
///     m ← lerp(m, g, 1 − β₁);  v ← β₂·v + (1 − β₂)·g²
///     d ← √(v/(1 − β₂ᵗ)) + ε
///     θ ← θ − η(1 − μ_t)/(1 − Π_t) · g/d − η·μ_{t+1}/(1 − Π_t·μ_{t+1}) · m/d
///
/// ψ is `momentum_decay`. Π_t is a running product kept in a double, as
/// torch keeps it in a float64 tensor. The √ of the bias-corrected v is
/// formed as √(v·(1/(1 − β₂ᵗ))) (torch divides): results differ by an ulp.
/// NAdamW (decoupled decay with the full scheduled η) is AlgoPerf's
/// baseline optimizer.
///
/// Defaults (torch's): lr 0.002, beta1 0.9, beta2 0.999, eps 1e-8,
/// weight_decay 0, momentum_decay 0.004, decoupled_weight_decay false;
/// plus the schedule keys.
///
/// Cost per step: one pass over θ, g, m, v: 56 bytes per parameter, 2
/// divisions (torch's two addcdiv terms), 1 square root; no allocation.
///
///     var opt = NAdam(lr: 2e-3, weightDecay: 0.01, decoupledWeightDecay: true)   // NAdamW
///     opt.update(&params, gradient: grad)
///
/// Reference: Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016
/// workshop (no arXiv id); decoupled decay: Loshchilov & Hutter,
/// arXiv:1711.05101. Reference code torch.optim.NAdam, torch 2.15.0
/// (https://docs.pytorch.org/docs/stable/generated/torch.optim.NAdam.html).
public struct NAdam: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "nadam", family: .firstOrder,
        summary: "Adam with Nesterov momentum and a momentum schedule; NAdamW with decoupled_weight_decay (torch.optim.NAdam)",
        reference: "Dozat 2016, ICLR workshop; torch.optim.NAdam",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(7))   // θ, g and two state arrays | θ and both

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 2e-3
        public var beta1: Double = 0.9
        public var beta2: Double = 0.999
        public var eps: Double = 1e-8
        public var weightDecay: Double = 0
        public var momentumDecay: Double = 4e-3
        public var decoupledWeightDecay: Bool = false

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitHalfOpen, "decay of the first moment (μ_t's ceiling)"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the second moment"),
            .real("eps", \.eps, .positive, "added to the bias-corrected √v"),
            .real("weight_decay", \.weightDecay, .nonNegative, "decay λ: L2 on the gradient, or decoupled θ ← θ(1 − ηλ)"),
            .real("momentum_decay", \.momentumDecay, .nonNegative, "ψ in μ_t = β₁(1 − ½·0.96^(tψ))"),
            .boolean("decoupled_weight_decay", \.decoupledWeightDecay, "decoupled decay (NAdamW) instead of L2"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 2 }

    /// Π_t = μ₁·μ₂·…·μ_t (1 before the first step).
    public private(set) var muProduct = 1.0

    /// First moment m (empty before the first step).
    public var m: [Double] { core.state.buffer(0) }
    /// Second moment v.
    public var v: [Double] { core.state.buffer(1) }

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, eps: Double = Settings.defaults.eps,
                weightDecay: Double = Settings.defaults.weightDecay,
                momentumDecay: Double = Settings.defaults.momentumDecay,
                decoupledWeightDecay: Bool = Settings.defaults.decoupledWeightDecay,
                schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay,
                                  momentumDecay: momentumDecay, decoupledWeightDecay: decoupledWeightDecay),
                                  schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g), s = core.settings, eta = step.eta
        if step.fresh { muProduct = 1 }
        let t = Double(step.t)
        let mu = s.beta1 * (1 - 0.5 * Double.pow(0.96, t * s.momentumDecay))
        let muNext = s.beta1 * (1 - 0.5 * Double.pow(0.96, (t + 1) * s.momentumDecay))
        muProduct *= mu
        let muProductNext = muProduct * muNext
        // torch's scalar order: (−η·(1 − μ))/(1 − Π), (−η·μ_{t+1})/(1 − Π·μ_{t+1}).
        let gradCoefficient = -eta * (1 - mu) / (1 - muProduct)
        let momentumCoefficient = -eta * muNext / (1 - muProductNext)
        let invBc2 = 1 / (1 - Double.pow(s.beta2, t))
        let decoupled = s.decoupledWeightDecay && s.weightDecay != 0
        let decay = decoupled ? 1 - eta * s.weightDecay : 1
        let l2 = decoupled ? 0 : s.weightDecay
        let (w1, b2, c2, eps) = (1 - s.beta1, s.beta2, 1 - s.beta2, s.eps)
        let (n, threads) = (step.count, step.threads)
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let (ms, vs) = (buffer(0), buffer(1))
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.nadam(gradCoefficient: gradCoefficient, momentumCoefficient: momentumCoefficient,
                                         invBc2: invBc2, w1: w1, beta2: b2, c2: c2, eps: eps, l2: l2, decay: decay,
                                         xs, gs, ms, vs, range)
                }
            }
        }
    }
}
