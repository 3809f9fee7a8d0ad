import CShims
import OptimizationCore
import RealModule

/// AdamW: Adam with decoupled weight decay, matching `torch.optim.AdamW`.
///
/// Update for step t = 1, 2, … (element-wise):
///
///     θ ← θ·(1 − η·λ)                      (decoupled, lr-coupled decay on θ_{t−1}, before the step)
///     m ← m + (1 − β₁)(g − m);  v ← β₂·v + (1 − β₂)·g²;  v̄ ← max(v̄, v) if amsgrad
///     θ ← θ − (η/(1 − β₁ᵗ)) · m / (√v̄ / √(1 − β₂ᵗ) + ε)     (ε outside the root)
///
/// The paper (Algorithm 2) multiplies λ by a schedule multiplier only; like
/// PyTorch (the reference here) we multiply by the full scheduled η.
///
/// Defaults: lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 1e-2,
/// amsgrad false; plus the schedule keys.
///
/// Cost per step: one pass over θ, g, m, v: 56 bytes per parameter, 2
/// divisions and 1 square root; no allocation.
///
///     var opt = AdamW(lr: 1e-3, weightDecay: 0.01)
///     opt.update(&params, gradient: grad)
///
/// Reference: Loshchilov & Hutter, "Decoupled Weight Decay Regularization",
/// ICLR 2019, arXiv:1711.05101 (Algorithm 2); torch.optim.AdamW.
public struct AdamW: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "adamw", family: .firstOrder,
        summary: "Adam with decoupled weight decay (torch.optim.AdamW)",
        reference: "Loshchilov & Hutter 2019, arXiv:1711.05101; torch.optim.AdamW",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .init { $0.bool("amsgrad") ? 9 : 7 })   // θ, g, m, v | θ, m, v (+ v̄, v̄)

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: AdamSettings {
        public var lr: Double = 1e-3
        public var beta1: Double = 0.9
        public var beta2: Double = 0.999
        public var eps: Double = 1e-8
        public var weightDecay: Double = 1e-2
        public var amsgrad: Bool = false

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitHalfOpen, "decay of the first moment"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the second moment"),
            .real("eps", \.eps, .positive, "added to √v̂ (outside the root)"),
            .real("weight_decay", \.weightDecay, .nonNegative, "decoupled decay λ: θ ← θ(1 − ηλ)"),
            .boolean("amsgrad", \.amsgrad, "use the running maximum of v (AMSGrad)"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { s.amsgrad ? 3 : 2 }

    /// First moment m (empty before the first step).
    public var m: [Double] { core.state.buffer(0) }
    /// Second moment v.
    public var v: [Double] { core.state.buffer(1) }

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, eps: Double = Settings.defaults.eps,
                weightDecay: Double = Settings.defaults.weightDecay, amsgrad: Bool = Settings.defaults.amsgrad,
                schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay,
                                  amsgrad: amsgrad), schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        core.adamStep(Self.descriptor.name, &x, g, decoupled: true)
    }
}
