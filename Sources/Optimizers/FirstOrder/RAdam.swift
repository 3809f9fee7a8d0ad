import CShims
import OptimizationCore
import RealModule

/// RAdam (rectified Adam), and RAdamW with `decoupled_weight_decay=true`,
/// matching `torch.optim.RAdam` (single-tensor path).
///
/// Update for step t = 1, 2, … (m, v start at zero):
///
///     θ ← θ·(1 − η·λ)                      (decoupled_weight_decay)
///     g ← g + λ·θ                          (otherwise: L2, only if λ ≠ 0)
///     m ← lerp(m, g, 1 − β₁);  v ← β₂·v + (1 − β₂)·g²
///     ρ_∞ ← 2/(1 − β₂) − 1;  ρ_t ← ρ_∞ − 2t·β₂ᵗ/(1 − β₂ᵗ)
///     if ρ_t > 5:  r_t ← √((ρ_t − 4)(ρ_t − 2)ρ_∞ / ((ρ_∞ − 4)(ρ_∞ − 2)ρ_t))
///                  θ ← θ − η·r_t·(m/(1 − β₁ᵗ))·√(1 − β₂ᵗ)/(√v + ε)
///     else:        θ ← θ − η·m/(1 − β₁ᵗ)          (SGD with momentum, no scaling)
///
/// The threshold is torch's ρ_t > 5 (the paper's Algorithm 2 rectifies
/// when ρ_t > 4); we follow torch. With the default β₂ the first 5 steps
/// take the un-adapted branch.
///
/// Defaults (torch's): lr 0.001, beta1 0.9, beta2 0.999, eps 1e-8,
/// weight_decay 0, decoupled_weight_decay false; plus the schedule keys.
///
/// Cost per step: one pass over θ, g, m, v: 56 bytes per parameter, 1
/// division, 1 square root; no allocation.
///
///     var opt = RAdam(lr: 1e-3)
///     opt.update(&params, gradient: grad)
///
/// Reference: Liu et al., "On the Variance of the Adaptive Learning Rate and
/// Beyond", ICLR 2020, arXiv:1908.03265; reference code torch.optim.RAdam,
/// torch 2.15.0 (https://docs.pytorch.org/docs/stable/generated/torch.optim.RAdam.html).
public struct RAdam: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "radam", family: .firstOrder,
        summary: "Adam with the variance of the adaptive step rectified; momentum SGD while ρ_t ≤ 5 (torch.optim.RAdam)",
        reference: "Liu et al. 2020, arXiv:1908.03265; torch.optim.RAdam",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(7))   // θ, g and two state arrays | θ and both

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 1e-3
        public var beta1: Double = 0.9
        public var beta2: Double = 0.999
        public var eps: Double = 1e-8
        public var weightDecay: Double = 0
        public var decoupledWeightDecay: Bool = false

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitHalfOpen, "decay of the first moment"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the second moment"),
            .real("eps", \.eps, .positive, "added to √v"),
            .real("weight_decay", \.weightDecay, .nonNegative, "decay λ: L2 on the gradient, or decoupled θ ← θ(1 − ηλ)"),
            .boolean("decoupled_weight_decay", \.decoupledWeightDecay, "decoupled decay (RAdamW) instead of L2"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 2 }

    /// True when the last step used the rectified adaptive branch (ρ_t > 5).
    public private(set) var lastStepWasAdaptive = false

    /// First moment m (empty before the first step).
    public var m: [Double] { core.state.buffer(0) }
    /// Second moment v.
    public var v: [Double] { core.state.buffer(1) }

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, eps: Double = Settings.defaults.eps,
                weightDecay: Double = Settings.defaults.weightDecay,
                decoupledWeightDecay: Bool = Settings.defaults.decoupledWeightDecay,
                schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay,
                                  decoupledWeightDecay: decoupledWeightDecay), schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g), s = core.settings, eta = step.eta
        let t = Double(step.t)
        let beta2t = Double.pow(s.beta2, t)
        let bc1 = 1 - Double.pow(s.beta1, t), bc2 = 1 - beta2t
        let rhoInf = 2 / (1 - s.beta2) - 1
        let rhoT = rhoInf - 2 * t * beta2t / bc2
        let adaptive = rhoT > 5
        lastStepWasAdaptive = adaptive
        // Per element torch forms ((m/bc₁)·η·(√bc₂/(√v + ε)))·r_t; the scalars
        // are folded into one factor here (ulp-level differences).
        let rect = adaptive
            ? Double.pow((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT), 0.5) : 0
        let stepFactor = adaptive ? -(eta / bc1 * Double.pow(bc2, 0.5) * rect) : -(eta / bc1)
        let decoupled = s.decoupledWeightDecay && s.weightDecay != 0
        let decay = decoupled ? 1 - eta * s.weightDecay : 1
        let l2 = decoupled ? 0 : s.weightDecay
        let (w1, b2, c2, eps) = (1 - s.beta1, s.beta2, 1 - s.beta2, s.eps)
        let (n, threads) = (step.count, step.threads)
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let (ms, vs) = (buffer(0), buffer(1))
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.radam(stepFactor: stepFactor, w1: w1, beta2: b2, c2: c2, eps: eps, l2: l2,
                                         decay: decay, adaptive: adaptive, xs, gs, ms, vs, range)
                }
            }
        }
    }
}
