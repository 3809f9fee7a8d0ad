import CShims
import OptimizationCore

/// RMSprop, optionally centred and with heavy-ball momentum, matching
/// `torch.optim.RMSprop` (single-tensor path).
///
/// Update for step t = 1, 2, … (element-wise; v, ḡ, b start at zero):
///
///     g ← g + λ·θ                          (L2 weight decay, only if λ ≠ 0)
///     v ← α·v + (1 − α)·g²
///     ḡ ← lerp(ḡ, g, 1 − α);  a ← √(v − ḡ²) + ε     (centered)
///                              a ← √v + ε            (otherwise)
///     b ← μ·b + g/a;  θ ← θ − η·b                    (momentum μ > 0)
///     θ ← θ − η·g/a                                  (μ = 0)
///
/// No bias correction: the first steps are large (v starts at zero), as in
/// torch and in Hinton's lecture.
///
/// Defaults (torch's): lr 0.01, alpha 0.99, eps 1e-8, weight_decay 0,
/// momentum 0, centered false; plus the schedule keys.
///
/// Cost per step: one pass over θ, g, v: 40 bytes per parameter (+16 for
/// ḡ when centered, +16 for b with momentum); 1 division, 1 square root; no
/// allocation.
///
///     var opt = RMSprop(lr: 1e-3, momentum: 0.9, centered: true)
///     opt.update(&params, gradient: grad)
///
/// Reference: Hinton, Srivastava & Swersky, Neural Networks for Machine
/// Learning, lecture 6e (2012; no paper, no arXiv id); centred form: Graves,
/// arXiv:1308.0850 §4. Reference code torch.optim.RMSprop, torch 2.15.0
/// (https://docs.pytorch.org/docs/stable/generated/torch.optim.RMSprop.html).
public struct RMSprop: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "rmsprop", family: .firstOrder,
        summary: "steps divided by a running RMS of the gradient; optional centring and momentum (torch.optim.RMSprop)",
        reference: "Hinton et al. 2012, lecture 6e; Graves 2013, arXiv:1308.0850; torch.optim.RMSprop",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .init { 5 + ($0.double("momentum") > 0 ? 2 : 0) + ($0.bool("centered") ? 2 : 0) })   // θ, g, v | θ, v (+ b, b; + ḡ, ḡ)

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 1e-2
        public var alpha: Double = 0.99
        public var eps: Double = 1e-8
        public var weightDecay: Double = 0
        public var momentum: Double = 0
        public var centered: Bool = false

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("alpha", \.alpha, .unitClosed, "decay α of the squared-gradient average"),
            .real("eps", \.eps, .positive, "added to the root"),
            .real("weight_decay", \.weightDecay, .nonNegative, "L2 penalty λ added to the gradient"),
            .real("momentum", \.momentum, .unitHalfOpen, "heavy-ball momentum μ on the scaled gradient"),
            .boolean("centered", \.centered, "subtract the squared running mean of g (variance instead of second moment)"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int {
        1 + (s.momentum > 0 ? 1 : 0) + (s.centered ? 1 : 0)
    }

    /// Running average of g², v (empty before the first step).
    public var squareAverage: [Double] { core.state.buffer(0) }
    /// Momentum buffer b (empty without momentum).
    public var momentumBuffer: [Double] { settings.momentum > 0 ? core.state.buffer(1) : [] }
    /// Running average of g, ḡ (empty unless centered).
    public var gradientAverage: [Double] { settings.centered ? core.state.buffer(settings.momentum > 0 ? 2 : 1) : [] }

    public init(lr: Double = Settings.defaults.lr, alpha: Double = Settings.defaults.alpha,
                eps: Double = Settings.defaults.eps, weightDecay: Double = Settings.defaults.weightDecay,
                momentum: Double = Settings.defaults.momentum, centered: Bool = Settings.defaults.centered,
                schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, alpha: alpha, eps: eps, weightDecay: weightDecay, momentum: momentum,
                                  centered: centered), schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g), s = core.settings, eta = step.eta
        let kernel = Kernel(alpha: s.alpha, eps: s.eps, l2: s.weightDecay, momentum: s.momentum, negEta: -eta)
        let (n, threads, hasMomentum, centered) = (step.count, step.threads, s.momentum > 0, s.centered)
        withParameters(&x, g) { xp, gp in
            core.state.withPointers { buffer in
                let vp = buffer(0)
                let bp = buffer(hasMomentum ? 1 : 0)
                let ap = buffer(centered ? (hasMomentum ? 2 : 1) : 0)
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.rmsprop(alpha: kernel.alpha, eps: kernel.eps, l2: kernel.l2, momentum: kernel.momentum,
                                           negEta: kernel.negEta, hasMomentum: hasMomentum, centered: centered,
                                           xp, gp, vp, bp, ap, range)
                }
            }
        }
    }

    /// The per-step constants of the element loop (CKernels' `optlab_rmsprop`,
    /// torch's operation order).
    private struct Kernel {
        let alpha: Double, eps: Double, l2: Double, momentum: Double, negEta: Double
    }
}
