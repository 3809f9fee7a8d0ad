import CShims
import OptimizationCore
import RealModule

/// ADOPT: Adam whose step uses the second moment of the *previous* steps
/// only, with the gradient normalised before the momentum, matching the
/// official `iShohei220/adopt` `adopt.py` (single-tensor path).
///
/// Update for call t = 1, 2, … with gradient g (element-wise):
///
///     g ← g + λ·θ                          (L2, only if λ ≠ 0 and not decouple)
///     t = 1:  v ← g²                       (the first call only sets v; θ and m stay)
///     t ≥ 2:  θ ← θ − η·λ·θ                (decoupled decay, only if decouple)
///             n ← clamp(g / max(√v, ε), −(t−1)^¼, (t−1)^¼)
///             m ← lerp(m, n, 1 − β₁)
///             θ ← θ − η·m
///             v ← β₂·v + (1 − β₂)·g²       (after the step: v never sees the g it normalises)
///
/// No bias correction. The clip (t−1)^¼ is the reference's default
/// `clip_lambda = step**0.25` with `step` the number of earlier calls.
///
/// Defaults: lr 1e-3, beta1 0.9, beta2 0.9999, eps 1e-6, weight_decay 0,
/// decouple false; plus the schedule keys.
///
/// Cost per step: one pass over θ, g, m, v: 56 bytes per parameter, one
/// division and one square root; no allocation.
///
///     var opt = ADOPT(lr: 1e-3)
///     opt.update(&params, gradient: grad)
///
/// Reference: Taniguchi et al., "ADOPT: Modified Adam Can Converge with Any
/// β₂ with the Optimal Rate", NeurIPS 2024, arXiv:2411.02853;
/// github.com/iShohei220/adopt src/adopt/adopt.py, commit 6468572.
public struct ADOPT: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "adopt", family: .firstOrder,
        summary: "Adam with the normalised gradient clipped and v from earlier steps only (iShohei220/adopt)",
        reference: "Taniguchi et al. 2024, arXiv:2411.02853; iShohei220/adopt adopt.py @6468572",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(7))   // θ, g and two state arrays | θ and both

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 1e-3
        public var beta1: Double = 0.9
        public var beta2: Double = 0.9999
        public var eps: Double = 1e-6
        public var weightDecay: Double = 0
        public var decouple: Bool = false

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitHalfOpen, "decay of the momentum of the normalised gradient"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the second moment"),
            .real("eps", \.eps, .positive, "floor of √v in the normalisation"),
            .real("weight_decay", \.weightDecay, .nonNegative, "decay λ: L2 on the gradient, or θ ← θ − ηλθ with decouple"),
            .boolean("decouple", \.decouple, "decoupled (AdamW-style) weight decay"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 2 }

    /// Momentum m of the normalised gradient (empty before the first step).
    public var m: [Double] { core.state.buffer(0) }
    /// Second moment v.
    public var v: [Double] { core.state.buffer(1) }

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, eps: Double = Settings.defaults.eps,
                weightDecay: Double = Settings.defaults.weightDecay, decouple: Bool = Settings.defaults.decouple,
                schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay,
                                  decouple: decouple), schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g, restartOnResize: true), s = core.settings, eta = step.eta
        let first = step.t == 1
        let clip = first ? 0 : Double.pow(Double(step.t - 1), 0.25)
        let l2 = s.decouple ? 0 : s.weightDecay
        let decay = s.decouple && s.weightDecay != 0 ? -(eta * s.weightDecay) : 0
        let (w1, b2, c2, eps, negEta) = (1 - s.beta1, s.beta2, 1 - s.beta2, s.eps, -eta)
        let (n, threads) = (step.count, step.threads)
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let (ms, vs) = (buffer(0), buffer(1))
                // The first step only sets v = g²; later ones use v before updating it.
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.adopt(clip: clip, l2: l2, decay: decay, w1: w1, beta2: b2, c2: c2, eps: eps,
                                         negEta: negEta, first: first, xs, gs, ms, vs, range)
                }
            }
        }
    }
}
