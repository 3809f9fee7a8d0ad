import CKernels
import OptimizationCore

/// Lion (EvoLved Sign Momentum), matching google/automl's PyTorch Lion and
/// lucidrains' `lion-pytorch`.
///
/// Update (element-wise; no step counter, no ε, no bias correction):
///
///     c ← β₁·m + (1 − β₁)·g                 (interpolation with the OLD m)
///     θ ← θ·(1 − η·λ)                       (decoupled, lr-coupled decay)
///     θ ← θ − η·sign(c)                     (sign(0) = 0)
///     m ← β₂·m + (1 − β₂)·g
///
/// Defaults: lr 1e-4, beta1 0.9, beta2 0.99, weight_decay 0; plus the
/// schedule keys. The paper suggests an lr 3–10× below AdamW's and a λ
/// 3–10× above it.
///
/// Cost per step: one pass over θ, g, m: 40 bytes per parameter; no
/// division, no square root, no allocation.
///
///     var opt = Lion(lr: 1e-4)
///     opt.update(&params, gradient: grad)
///
/// Reference: Chen et al., "Symbolic Discovery of Optimization Algorithms",
/// arXiv:2302.06675 (Algorithm 2); google/automl lion/lion_pytorch.py.
public struct Lion: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "lion", family: .firstOrder,
        summary: "sign of an interpolated momentum, decoupled decay (google/automl Lion)",
        reference: "Chen et al. 2023, arXiv:2302.06675; google/automl lion",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(5))   // θ, g, m | θ, m

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 1e-4
        public var beta1: Double = 0.9
        public var beta2: Double = 0.99
        public var weightDecay: Double = 0

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitHalfOpen, "interpolation weight of m in the update direction"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the momentum m"),
            .real("weight_decay", \.weightDecay, .nonNegative, "decoupled decay λ: θ ← θ(1 − ηλ)"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 1 }

    /// Momentum m (empty before the first step).
    public var m: [Double] { core.state.buffer(0) }

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, weightDecay: Double = Settings.defaults.weightDecay,
                schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, beta1: beta1, beta2: beta2, weightDecay: weightDecay), schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g), s = core.settings, eta = step.eta
        let (b1, c1, b2, c2, decay, negEta) = (s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, 1 - eta * s.weightDecay, -eta)
        let (n, threads) = (step.count, step.threads)
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let ms = buffer(0)
                // `optlab_lion` in CKernels, per element:  c ← m·β₁ + g·(1 − β₁);
                // θ ← θ·decay + (−η)·sign(c);  m ← m·β₂ + (1 − β₂)·g.
                let params = optlab_lion_params(beta1: b1, c1: c1, beta2: b2, c2: c2, decay: decay, neg_eta: negEta)
                ParallelLoop.run(count: n, threads: threads) { range in
                    withUnsafePointer(to: params) { optlab_lion($0, xs.base, gs.base, ms.base, range.lo, range.hi) }
                }
            }
        }
    }
}
