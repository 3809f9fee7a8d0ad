import CShims
import Foundation
import OptimizationCore
import RealModule

/// AdEMAMix: Adam plus a second, slow momentum (β₃ close to 1) mixed into
/// the numerator, matching the official `apple/ml-ademamix`
/// `pytorch/ademamix.py`.
///
/// Update for step t = 1, 2, … (element-wise):
///
///     m₁ ← β₁·m₁ + (1 − β₁)·g              (fast EMA; m₁ = g when β₁ = 0)
///     m₂ ← β₃·m₂ + (1 − β₃)·g              (slow EMA, no bias correction)
///     v  ← β₂·v + (1 − β₂)·g²
///     u  ← (m₁/(1 − β₁ᵗ) + α·m₂) / (√v/√(1 − β₂ᵗ) + ε) + λ·θ
///     θ  ← θ − η·u                          (decay λ inside the step: AdamW-style)
///
/// Warm-ups (reference schedulers, t < T only): α_t = (t/T_α)·α;
/// β₃,t = f⁻¹((1 − t/T_β)·f(β₁) + (t/T_β)·f(β₃)) with f(β) = ln ½ / ln(β + 1e-8) − 1
/// (the half-life in steps) and f⁻¹(h) = ½^{1/(h+1)}.
///
/// Defaults: lr 1e-3, beta1 0.9, beta2 0.999, beta3 0.9999, alpha 2,
/// beta3_warmup none, alpha_warmup none, eps 1e-8, weight_decay 0; plus the
/// schedule keys. The paper pairs α ≈ 5–10 and β₃ = 0.9999 with warm-ups as
/// long as the run; the reference defaults are kept here.
///
/// Cost per step: one pass over θ, g, m₁, m₂, v: 72 bytes per parameter,
/// one division and one square root (the reference's divisions by the bias
/// corrections become multiplications by their reciprocals: ulp-level
/// differences); no allocation.
///
///     var opt = AdEMAMix(lr: 1e-3, alpha: 5)
///     opt.update(&params, gradient: grad)
///
/// Reference: Pagliardini, Ablin, Grangier, "The AdEMAMix Optimizer: Better,
/// Faster, Older", arXiv:2409.03137 (Algorithm 1); github.com/apple/ml-ademamix
/// pytorch/ademamix.py, commit c3d73c0.
public struct AdEMAMix: ElementwiseOptimizer {
    public static let descriptor = OptimizerDescriptor(
        name: "ademamix", family: .firstOrder,
        summary: "Adam with a slow second momentum mixed in (apple/ml-ademamix)",
        reference: "Pagliardini et al. 2024, arXiv:2409.03137; apple/ml-ademamix @c3d73c0",
        hyperparameters: Settings.hyperparameters + LearningRateSchedule.hyperparameters,
        requires: [.gradient],
        traffic: .arrays(9))   // θ, g, m₁, m₂, v | θ, m₁, m₂, v

    /// The hyperparameters, each key (name, default, range, doc) declared once.
    public struct Settings: ElementwiseSettings {
        public var lr: Double = 1e-3
        public var beta1: Double = 0.9
        public var beta2: Double = 0.999
        public var beta3: Double = 0.9999
        public var alpha: Double = 2
        public var beta3Warmup: Int? = nil
        public var alphaWarmup: Int? = nil
        public var eps: Double = 1e-8
        public var weightDecay: Double = 0

        public static let defaults = Settings()
        public static let keys: [SettingKey<Settings>] = [
            .real("lr", \.lr, .positive, "learning rate η"),
            .real("beta1", \.beta1, .unitHalfOpen, "decay of the fast momentum"),
            .real("beta2", \.beta2, .unitHalfOpen, "decay of the second moment"),
            .real("beta3", \.beta3, .unitHalfOpen, "decay of the slow momentum"),
            .real("alpha", \.alpha, .nonNegative, "weight α of the slow momentum"),
            .optionalInteger("beta3_warmup", \.beta3Warmup, .atLeast(1), unset: "none",
                             "steps of the half-life warm-up of β₃ from β₁"),
            .optionalInteger("alpha_warmup", \.alphaWarmup, .atLeast(1), unset: "none",
                             "steps of the linear warm-up of α from 0"),
            .real("eps", \.eps, .positive, "added to √v̂ (outside the root)"),
            .real("weight_decay", \.weightDecay, .nonNegative, "decay λ added to the update: θ ← θ − η(u + λθ)"),
        ]
    }

    public var core: ElementwiseCore<Settings>
    public init(core: ElementwiseCore<Settings>) { self.core = core }
    public static func stateBuffers(_ s: Settings) -> Int { 3 }

    /// Fast momentum m₁ (empty before the first step).
    public var fastMomentum: [Double] { core.state.buffer(0) }
    /// Slow momentum m₂.
    public var slowMomentum: [Double] { core.state.buffer(1) }
    /// Second moment v.
    public var v: [Double] { core.state.buffer(2) }

    public init(lr: Double = Settings.defaults.lr, beta1: Double = Settings.defaults.beta1,
                beta2: Double = Settings.defaults.beta2, beta3: Double = Settings.defaults.beta3,
                alpha: Double = Settings.defaults.alpha, beta3Warmup: Int? = Settings.defaults.beta3Warmup,
                alphaWarmup: Int? = Settings.defaults.alphaWarmup, eps: Double = Settings.defaults.eps,
                weightDecay: Double = Settings.defaults.weightDecay, schedule: LearningRateSchedule = .constant) {
        self.init(typed: Settings(lr: lr, beta1: beta1, beta2: beta2, beta3: beta3, alpha: alpha,
                                  beta3Warmup: beta3Warmup, alphaWarmup: alphaWarmup, eps: eps,
                                  weightDecay: weightDecay),
                  schedule: schedule)
    }

    /// α and β₃ of step t (the reference's two warm-up schedulers).
    public func alphaAndBeta3(step t: Int) -> (alpha: Double, beta3: Double) {
        let (alpha, beta1, beta3) = (settings.alpha, settings.beta1, settings.beta3)
        var a = alpha, b3 = beta3
        if let w = settings.alphaWarmup, t < w {
            let s = Double(t) / Double(w)
            a = (1 - s) * 0 + s * alpha
        }
        if let w = settings.beta3Warmup, t < w {
            let s = Double(t) / Double(w)
            func halfLife(_ beta: Double) -> Double { Foundation.log(0.5) / Foundation.log(beta + 1e-8) - 1 }
            b3 = Foundation.pow(0.5, 1 / ((1 - s) * halfLife(beta1) + s * halfLife(beta3) + 1))
        }
        return (a, b3)
    }

    public mutating func update(_ x: inout [Double], gradient g: [Double], layout: ParameterLayout?) {
        let step = core.begin(Self.descriptor.name, x, g, restartOnResize: true), s = core.settings, eta = step.eta
        let t = Double(step.t)
        let (a, b3) = alphaAndBeta3(step: step.t)
        let invBc1 = 1 / (1 - Double.pow(s.beta1, t))
        let invBc2Sqrt = 1 / optlab_sqrt(1 - Double.pow(s.beta2, t))
        let (b1, c1, b2, c2, c3, eps, lambda, negEta) = (s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, 1 - b3, s.eps, s.weightDecay, -eta)
        let (n, threads) = (step.count, step.threads)
        withParameters(&x, g) { xs, gs in
            core.state.withPointers { buffer in
                let (fs, ss, vs) = (buffer(0), buffer(1), buffer(2))
                ParallelLoop.run(count: n, threads: threads) { range in
                    OnePassKernels.ademamix(beta1: b1, c1: c1, beta3: b3, c3: c3, beta2: b2, c2: c2, invBc1: invBc1,
                                            alpha: a, invBc2Sqrt: invBc2Sqrt, eps: eps, lambda: lambda,
                                            negEta: negEta, xs, gs, fs, ss, vs, range)
                }
            }
        }
    }
}
