import CKernels
import CShims
import OptimizationCore
import RealModule

/// Grams (Gradient Descent with Adaptive Momentum Scaling): Adam's magnitude,
/// the current gradient's sign. Matches the official `Gunale0926/Grams`
/// (PyPI `grams-pytorch` 0.0.2).
///
/// Update for step t = 1, 2, … (element-wise):
///
///     θ ← θ − η·λ·θ                         (decoupled, lr-coupled; before the moments)
///     m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g²
///     θ ← θ − (η·√(1 − β₂ᵗ)/(1 − β₁ᵗ)) · sign(g)·|m| / (√v + ε)
///
/// ε is added to the root of the *uncorrected* v ("E-hat"): the official
/// code differs from the paper's ε-after-√v̂ form; the code is the reference.
/// A coordinate with g = 0 does not move (sign(0) = 0) except by decay.
///
/// Defaults: lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-6, weight_decay 0;
/// plus the schedule keys.
///
/// Grams and EXAdam share one body: the same keys, decoupled decay of θ
/// first, then m ← β₁m + (1 − β₁)g and v ← β₂v + (1 − β₂)g², on the
/// shared prologue (`ElementwiseCore.begin`); ``Grams`` differs from
/// ``EXAdam`` only in the direction: the step sign(g)·|m| scaled by Adam's bias-corrected rate.
///
/// Cost per step: one pass over θ, g, m, v: 56 bytes per parameter, 1
/// division and 1 square root; no allocation.
///
///     var opt = Grams(lr: 1e-3)
///     opt.update(&params, gradient: grad)
///
/// Reference: Cao, Li, Song, "Grams: Gradient Descent with Adaptive Momentum
/// Scaling", arXiv:2412.17107 (Algorithm 1); github.com/Gunale0926/Grams.
public struct Grams: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "grams", family: .firstOrder,
        summary: "Adam magnitude with the current gradient's sign (official Grams)",
        reference: "Cao, Li, Song 2024, arXiv:2412.17107; Gunale0926/Grams",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(7))   // θ, g and two state arrays | θ and both

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 1e-3
        public var beta1: Double = 0.9
        public var beta2: Double = 0.999
        public var eps: Double = 1e-6
        public var weightDecay: Double = 0

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitHalfOpen, "decay of the first moment"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the second moment"),
            .real("eps", \.eps, .positive, "added to √v (uncorrected v)"),
            .real("weight_decay", \.weightDecay, .nonNegative, "decoupled decay λ: θ ← θ − ηλθ"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 2 }

    /// First moment m (empty before the first step).
    public var m: [Double] { core.state.buffer(0) }
    /// Second moment v.
    public var v: [Double] { core.state.buffer(1) }

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, eps: Double = Settings.defaults.eps,
                weightDecay: Double = Settings.defaults.weightDecay, schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, beta1: beta1, beta2: beta2, eps: eps, weightDecay: weightDecay),
                                  schedule: schedule)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g), s = core.settings, eta = step.eta
        let t = Double(step.t)
        let stepSize = eta * optlab_sqrt(1 - Double.pow(s.beta2, t)) / (1 - Double.pow(s.beta1, t))
        let negStep = -stepSize, decay = -(eta * s.weightDecay), decays = s.weightDecay > 0
        let (b1, c1, b2, c2, eps) = (s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.eps)
        let (n, threads) = (step.count, step.threads)
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let (ms, vs) = (buffer(0), buffer(1))
                // `optlab_grams` in CKernels, per element:  θ ← θ + (−ηλ)·θ (if λ > 0);
                // m ← m·β₁ + (1 − β₁)g;  v ← v·β₂ + (1 − β₂)g·g;
                // θ ← θ + (−s)·(sign(g)·|m|) / (√v + ε).
                let params = optlab_grams_params(neg_step: negStep, decay: decay, beta1: b1, c1: c1, beta2: b2, c2: c2,
                                                 eps: eps, decays: decays ? 1 : 0)
                ParallelLoop.run(count: n, threads: threads) { range in
                    withUnsafePointer(to: params) {
                        optlab_grams($0, xs.base, gs.base, ms.base, vs.base, range.lo, range.hi)
                    }
                }
            }
        }
    }
}
