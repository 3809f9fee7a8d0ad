import CShims
import OptimizationCore
import RealModule

/// Adam and its AMSGrad variant, matching `torch.optim.Adam`.
///
/// Update for step t = 1, 2, … with gradient g (all element-wise):
///
///     g ← g + λ·θ                          (L2 weight decay, only if λ ≠ 0)
///     m ← m + (1 − β₁)(g − m)              (= β₁m + (1 − β₁)g, torch's lerp)
///     v ← β₂·v + (1 − β₂)·g²
///     v̄ ← max(v̄, v) if amsgrad else v     (max of the raw v, then bias-correct)
///     θ ← θ − (η/(1 − β₁ᵗ)) · m / (√v̄ / √(1 − β₂ᵗ) + ε)     (ε outside the root: "E-out")
///
/// Defaults: lr (η) 1e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0
/// (L2, coupled: it passes through the moments — use ``AdamW`` for decoupled
/// decay), amsgrad false; plus the schedule keys of ``LearningRateSchedule``.
///
/// Cost per step: one pass over θ, g, m, v (plus v̄): 56 bytes of memory
/// traffic per parameter, 2 divisions and 1 square root; no allocation.
/// `threads` splits the pass across cores with bit-identical results.
///
///     var opt = Adam(lr: 1e-3)
///     opt.update(&params, gradient: grad)
///
/// Reference: Kingma & Ba, "Adam: A Method for Stochastic Optimization",
/// ICLR 2015, arXiv:1412.6980 (Algorithm 1); AMSGrad: Reddi, Kale, Kumar,
/// ICLR 2018. Matches torch.optim.Adam (the paper's Algorithm 1 with ε added
/// after the bias-corrected root).
public struct Adam: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "adam", family: .firstOrder,
        summary: "Adam with bias correction (torch.optim.Adam); optional L2 decay and AMSGrad",
        reference: "Kingma & Ba 2015, arXiv:1412.6980; torch.optim.Adam",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .init { $0.bool("amsgrad") ? 9 : 7 })   // θ, g, m, v | θ, m, v (+ v̄, v̄)

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: AdamSettings {
        public var lr: Double = 1e-3
        public var beta1: Double = 0.9
        public var beta2: Double = 0.999
        public var eps: Double = 1e-8
        public var weightDecay: Double = 0
        public var amsgrad: Bool = false

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitHalfOpen, "decay of the first moment"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the second moment"),
            .real("eps", \.eps, .positive, "added to √v̂ (outside the root)"),
            .real("weight_decay", \.weightDecay, .nonNegative, "L2 penalty λ added to the gradient"),
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
    /// AMSGrad's running maximum of v (zeros unless `amsgrad`; empty before the first step).
    public var vMax: [Double] {
        settings.amsgrad ? core.state.buffer(2) : [Double](repeating: 0, count: core.state.storage.isEmpty ? 0 : core.state.count)
    }

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, eps: Double = Settings.defaults.eps,
                weightDecay: Double = Settings.defaults.weightDecay, amsgrad: Bool = Settings.defaults.amsgrad,
                schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay,
                                  amsgrad: amsgrad), schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        core.adamStep(Self.descriptor.name, &x, g, decoupled: false)
    }
}

/// What Adam and AdamW both read: they are one method with a flag, as in
/// torch, where `class AdamW(Adam)` only sets `decoupled_weight_decay=True`.
/// The two keep separate settings because `weight_decay` has another
/// default (0 vs 1e-2) and meaning (L2 on the gradient vs decay of θ).
public protocol AdamSettings: ElementwiseSettings {
    var beta1: Double { get }
    var beta2: Double { get }
    var eps: Double { get }
    var weightDecay: Double { get }
    var amsgrad: Bool { get }
}

extension ElementwiseCore where Settings: AdamSettings {
    /// One Adam step: λ as L2 on g (Adam), or with `decoupled` as the
    /// factor 1 − ηλ on θ before the step (AdamW).
    mutating func adamStep(_ owner: String, _ x: inout [Double], _ g: [Double], decoupled: Bool) {
        let step = begin(owner, x, g), s = settings, eta = step.eta
        let t = Double(step.t)
        let kernel = AdamKernel(
            stepSize: eta / (1 - Double.pow(s.beta1, t)), bc2Sqrt: optlab_sqrt(1 - Double.pow(s.beta2, t)),
            beta1: s.beta1, beta2: s.beta2, eps: s.eps, l2: decoupled ? 0 : s.weightDecay,
            decayFactor: decoupled ? 1 - eta * s.weightDecay : 1, amsgrad: s.amsgrad)
        let (n, threads, amsgrad) = (step.count, step.threads, s.amsgrad)
        withParameters(&x, g) { xp, gp in
            state.withPointers { buffer in
                let (mp, vp, wp) = (buffer(0), buffer(1), buffer(amsgrad ? 2 : 1))
                ParallelLoop.run(count: n, threads: threads) { kernel.run(xp, gp, mp, vp, wp, $0) }
            }
        }
    }
}
