import CKernels
import CShims
import OptimizationCore
import RealModule

/// EXAdam ("eXtended Adam"): Adam with cross-moment debiasing factors and a
/// gradient-acceleration term. Matches the current official code
/// (`AhmedMostafa16/EXAdam` HEAD 989d7b6) and arXiv v2.
///
/// Update for step t = 1, 2, … (element-wise):
///
///     θ ← θ − η·λ·θ                         (decoupled decay, applied FIRST; the
///                                            docstring says "L2" but the code decouples)
///     m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g²
///     d₁ ← 1 + β₂ᵗ · v/(v + ε);   d₂ ← 1 + β₁ᵗ · m²/(m² + ε)
///     m̃ ← m/(1 − β₁ᵗ)·d₁;  ṽ ← v/(1 − β₂ᵗ)·d₂;  g̃ ← g/(1 − β₁ᵗ)·d₁
///     θ ← θ − η·(m̃ + g̃)/(√ṽ + ε)          (ε outside the root, as Adam)
///
/// arXiv v1 and the first code commit multiplied η by ln(√2·√(t+1)); the
/// current paper and code do not, and neither do we. The HEAD file cannot be
/// run as published (it uses `np` without importing numpy), so the lab's
/// reference is its mathematics, transcribed operation by operation.
/// The first step is ≈ 16·η·sign(g): warm-up is advisable.
///
/// Defaults: lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8, weight_decay 0;
/// plus the schedule keys.
///
/// Grams and EXAdam share one body: the same keys, decoupled decay of θ
/// first, then m ← β₁m + (1 − β₁)g and v ← β₂v + (1 − β₂)g², on the
/// shared prologue (`ElementwiseCore.begin`); ``EXAdam`` differs from
/// ``Grams`` only in the direction: the cross-moment debiasing d₁, d₂ and the (m + g) step.
///
/// Cost per step: one pass over θ, g, m, v: 56 bytes per parameter, 2
/// divisions and 1 square root (the official code has 6; we fold the bias
/// corrections into reciprocals and d₁ into the final quotient); no allocation.
///
///     var opt = EXAdam(lr: 1e-3, schedule: .init(warmup: 100))
///     opt.update(&params, gradient: grad)
///
/// Reference: Adly, "EXAdam: The Power of Adaptive Cross-Moments",
/// arXiv:2412.20302 (v2, Algorithm 1); github.com/AhmedMostafa16/EXAdam.
public struct EXAdam: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "exadam", family: .firstOrder,
        summary: "Adam with cross-moment debiasing and gradient acceleration (official EXAdam HEAD)",
        reference: "Adly 2024, arXiv:2412.20302 (v2); AhmedMostafa16/EXAdam",
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

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitHalfOpen, "decay of the first moment"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the second moment"),
            .real("eps", \.eps, .positive, "added to √ṽ and inside d₁, d₂"),
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
        let b1t = Double.pow(s.beta1, t), b2t = Double.pow(s.beta2, t)
        let (invBc1, invBc2) = (1 / (1 - b1t), 1 / (1 - b2t))
        let decay = eta * -s.weightDecay, decays = s.weightDecay != 0, negEta = -eta
        let (b1, c1, b2, c2, eps) = (s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.eps)
        let (n, threads) = (step.count, step.threads)
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let (ms, vs) = (buffer(0), buffer(1))
                // `optlab_exadam` in CKernels, per element:  θ ← θ + (−ηλ)·θ (if λ ≠ 0);
                // m ← m·β₁ + (1 − β₁)g;  v ← v·β₂ + (1 − β₂)g·g;  e ← v + ε;
                // d₂ ← 1 + m²/(m² + ε)·β₁ᵗ;  ṽ ← v·(1/bc₂)·d₂;
                // θ ← θ + (−η)·((m + g)·((e + β₂ᵗv)·(1/bc₁))) / (e·(√ṽ + ε)).
                // Two divisions per element instead of the official six (a few
                // ulps apart; the loop is compute-bound otherwise):
                // m̃ + g̃ = (m + g)·d₁/bc₁ and d₁ = (v + ε + β₂ᵗv)/(v + ε), so d₁'s
                // denominator joins the final one. It overflows only for
                // |g| ≳ 1e100, where ṽ has already overflowed.
                let params = optlab_exadam_params(
                    beta1: b1, c1: c1, beta2: b2, c2: c2, eps: eps, b1t: b1t, b2t: b2t, inv_bc1: invBc1,
                    inv_bc2: invBc2, decay: decay, neg_eta: negEta, decays: decays ? 1 : 0)
                ParallelLoop.run(count: n, threads: threads) { range in
                    withUnsafePointer(to: params) {
                        optlab_exadam($0, xs.base, gs.base, ms.base, vs.base, range.lo, range.hi)
                    }
                }
            }
        }
    }
}
