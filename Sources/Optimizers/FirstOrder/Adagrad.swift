import CShims
import OptimizationCore

/// Adagrad: per-coordinate steps scaled by the root of the summed squared
/// gradients, matching `torch.optim.Adagrad` (dense, single-tensor path).
///
/// Update for step t = 1, 2, … (element-wise; s starts at
/// `initial_accumulator_value`):
///
///     g ← g + λ·θ                          (L2 weight decay, only if λ ≠ 0)
///     η_t ← η / (1 + (t − 1)·lr_decay)
///     s ← s + g²
///     θ ← θ − η_t·g / (√s + ε)
///
/// Defaults (torch's): lr 0.01, lr_decay 0, weight_decay 0,
/// initial_accumulator_value 0, eps 1e-10; plus the schedule keys (the
/// scheduled η enters η_t in place of lr).
///
/// Cost per step: one pass over θ, g, s: 40 bytes per parameter, 1 division
/// and 1 square root; no allocation. `threads` splits the pass with
/// bit-identical results.
///
///     var opt = Adagrad(lr: 0.01)
///     opt.update(&params, gradient: grad)
///
/// Reference: Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online
/// Learning and Stochastic Optimization", JMLR 12 (2011) (no arXiv id);
/// reference code torch.optim.Adagrad, torch 2.15.0
/// (https://docs.pytorch.org/docs/stable/generated/torch.optim.Adagrad.html).
public struct Adagrad: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "adagrad", family: .firstOrder,
        summary: "steps scaled by the root of the summed squared gradients (torch.optim.Adagrad)",
        reference: "Duchi, Hazan & Singer 2011, JMLR 12; torch.optim.Adagrad",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(5))   // θ, g, s | θ, s

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 1e-2
        public var lrDecay: Double = 0
        public var weightDecay: Double = 0
        public var initialAccumulatorValue: Double = 0
        public var eps: Double = 1e-10

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("lr_decay", \.lrDecay, .nonNegative, "η_t = η/(1 + (t − 1)·lr_decay)"),
            .real("weight_decay", \.weightDecay, .nonNegative, "L2 penalty λ added to the gradient"),
            .real("initial_accumulator_value", \.initialAccumulatorValue, .nonNegative, "starting value of the sum s"),
            .real("eps", \.eps, .positive, "added to √s"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 1 }

    /// The sum of squared gradients s (empty before the first step).
    public var sum: [Double] { core.state.buffer(0) }

    public init(lr: Double = Settings.defaults.lr, lrDecay: Double = Settings.defaults.lrDecay,
                weightDecay: Double = Settings.defaults.weightDecay,
                initialAccumulatorValue: Double = Settings.defaults.initialAccumulatorValue,
                eps: Double = Settings.defaults.eps, schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, lrDecay: lrDecay, weightDecay: weightDecay,
                                  initialAccumulatorValue: initialAccumulatorValue, eps: eps), schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g), s = core.settings, eta = step.eta
        if step.fresh && s.initialAccumulatorValue != 0 {
            let s0 = s.initialAccumulatorValue
            core.state.withPointers { buffer in
                let sums = buffer(0).base
                for i in 0..<step.count { sums[i] = s0 }
            }
        }
        let negClr = -(eta / (1 + Double(step.t - 1) * s.lrDecay))
        let (l2, eps, n, threads) = (s.weightDecay, s.eps, step.count, step.threads)
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let ss = buffer(0)
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.adagrad(negClr: negClr, l2: l2, eps: eps, xs, gs, ss, range)
                }
            }
        }
    }
}
