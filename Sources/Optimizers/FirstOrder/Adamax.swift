import OptimizationCore
import RealModule

/// Adamax: Adam with the infinity norm in place of the second moment,
/// matching `torch.optim.Adamax` (single-tensor path).
///
/// Update for step t = 1, 2, … (element-wise; m and u start at zero):
///
///     g ← g + λ·θ                          (L2 weight decay, only if λ ≠ 0)
///     m ← lerp(m, g, 1 − β₁)
///     u ← max(β₂·u, |g| + ε)
///     θ ← θ − (η/(1 − β₁ᵗ))·m / u
///
/// torch adds ε to |g| inside the max (the paper has no ε); we follow torch.
///
/// Defaults (torch's): lr 0.002, beta1 0.9, beta2 0.999, eps 1e-8,
/// weight_decay 0; plus the schedule keys.
///
/// Cost per step: one pass over θ, g, m, u: 56 bytes per parameter, 1
/// division, no square root; no allocation.
///
///     var opt = Adamax(lr: 2e-3)
///     opt.update(&params, gradient: grad)
///
/// Reference: Kingma & Ba, "Adam: A Method for Stochastic Optimization",
/// ICLR 2015, arXiv:1412.6980 (Algorithm 2, §7.1); reference code
/// torch.optim.Adamax, torch 2.15.0
/// (https://docs.pytorch.org/docs/stable/generated/torch.optim.Adamax.html).
public struct Adamax: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "adamax", family: .firstOrder,
        summary: "Adam with an exponentially weighted infinity norm for the scale (torch.optim.Adamax)",
        reference: "Kingma & Ba 2015, arXiv:1412.6980 §7.1; torch.optim.Adamax",
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

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitHalfOpen, "decay of the first moment"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the infinity norm"),
            .real("eps", \.eps, .positive, "added to |g| inside the max"),
            .real("weight_decay", \.weightDecay, .nonNegative, "L2 penalty λ added to the gradient"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 2 }

    /// First moment m (empty before the first step).
    public var m: [Double] { core.state.buffer(0) }
    /// Exponentially weighted infinity norm u.
    public var u: [Double] { core.state.buffer(1) }

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, eps: Double = Settings.defaults.eps,
                weightDecay: Double = Settings.defaults.weightDecay, schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay),
                                  schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g), s = core.settings, eta = step.eta
        let negClr = -(eta / (1 - Double.pow(s.beta1, Double(step.t))))
        let (w1, b2, eps, l2) = (1 - s.beta1, s.beta2, s.eps, s.weightDecay)
        let (n, threads) = (step.count, step.threads)
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let (ms, us) = (buffer(0), buffer(1))
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.adamax(negClr: negClr, w1: w1, beta2: b2, eps: eps, l2: l2, xs, gs, ms, us, range)
                }
            }
        }
    }
}
