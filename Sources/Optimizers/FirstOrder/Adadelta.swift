import CShims
import OptimizationCore

/// Adadelta: the step is the ratio of two running RMS values (past updates
/// over past gradients) times g, matching `torch.optim.Adadelta`.
///
/// Update for step t = 1, 2, … (element-wise; v and u start at zero):
///
///     g ← g + λ·θ                          (L2 weight decay, only if λ ≠ 0)
///     v ← ρ·v + (1 − ρ)·g²
///     Δ ← √(u + ε) / √(v + ε) · g
///     u ← ρ·u + (1 − ρ)·Δ²
///     θ ← θ − η·Δ
///
/// The paper has no learning rate (η = 1, the default); torch scales Δ by
/// η after u is updated, so u accumulates the unscaled Δ. We follow torch.
/// The ratio of roots is taken as one root of the ratio (one square root
/// and one division per element instead of two and one; an ulp from torch).
///
/// Defaults (torch's): lr 1, rho 0.9, eps 1e-6, weight_decay 0; plus the
/// schedule keys.
///
/// Cost per step: one pass over θ, g, v, u: 56 bytes per parameter, 1
/// division and 1 square root; no allocation.
///
///     var opt = Adadelta()
///     opt.update(&params, gradient: grad)
///
/// Reference: Zeiler, "ADADELTA: An Adaptive Learning Rate Method",
/// arXiv:1212.5701 (Algorithm 1); reference code torch.optim.Adadelta,
/// torch 2.15.0 (https://docs.pytorch.org/docs/stable/generated/torch.optim.Adadelta.html).
public struct Adadelta: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "adadelta", family: .firstOrder,
        summary: "ratio of running RMS of updates and of gradients, no tuned step size (torch.optim.Adadelta)",
        reference: "Zeiler 2012, arXiv:1212.5701; torch.optim.Adadelta",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(7))   // θ, g and two state arrays | θ and both

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 1
        public var rho: Double = 0.9
        public var eps: Double = 1e-6
        public var weightDecay: Double = 0

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "scale η of the update Δ (the paper has none: 1)"),
            .real("rho", \.rho, .unitClosed, "decay ρ of both running averages"),
            .real("eps", \.eps, .positive, "added inside both roots"),
            .real("weight_decay", \.weightDecay, .nonNegative, "L2 penalty λ added to the gradient"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 2 }

    /// Running average of g², v (empty before the first step).
    public var squareAverage: [Double] { core.state.buffer(0) }
    /// Running average of Δ², u.
    public var deltaAverage: [Double] { core.state.buffer(1) }

    public init(lr: Double = Settings.defaults.lr, rho: Double = Settings.defaults.rho,
                eps: Double = Settings.defaults.eps, weightDecay: Double = Settings.defaults.weightDecay,
                schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, rho: rho, eps: eps, weightDecay: weightDecay), schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g), s = core.settings, eta = step.eta
        let (r, c, eps, l2, negEta) = (s.rho, 1 - s.rho, s.eps, s.weightDecay, -eta)
        let (n, threads) = (step.count, step.threads)
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let (vs, us) = (buffer(0), buffer(1))
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.adadelta(rho: r, c: c, eps: eps, l2: l2, negEta: negEta, xs, gs, vs, us, range)
                }
            }
        }
    }
}
